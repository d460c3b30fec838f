"""What a merge produced, per input row: a CSV (and JSON) next to the output. Written atomically."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from notes.safetext import storable

# Spreadsheets run cells that start with these as formulas; a customer's name must stay a name.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SPELLING = frozenset("\n\u200c\u200d")  # newline, zero-width non-joiner and joiner


@dataclass(slots=True)  # one per input row, kept for the whole merge
class RowResult:
    """One input row's fate. `row` counts data rows from 1; `line` is the line in the file."""

    row: int
    line: int
    where: str
    template: str
    status: str = "ok"  # ok | failed | skipped | held (its address failed: [envelopes] missing)
    recipient: str = ""
    output: str = ""
    page: int | None = None  # page of the card in `output` (the sheet's front page with --sheet)
    sheet: int | None = None
    position: int | None = None  # place on the sheet, 1 = top left, row by row
    envelope_page: int | None = None
    address: str = ""  # ok | warn | error: the envelope address's check ("" without envelopes)
    address_problem: str = ""  # what is wrong with it, for every warn and error
    language: str = ""  # the language the card is written in ("de")
    warning: str = ""  # e.g. why it is not in the customer's language (the row is still written)
    error: str = ""


COLUMNS = tuple(f.name for f in fields(RowResult))


def manifest_path(output: Path, *, per_note: bool = False, suffix: str = ".csv") -> Path:
    """cards.pdf -> cards.manifest.csv beside it; a --per-note folder -> folder/manifest.csv."""
    if per_note:
        return output / f"manifest{suffix}"
    return output.with_name(f"{output.stem}.manifest{suffix}")


def spreadsheet_cell(value: object) -> str:
    """A value safe to open in a spreadsheet: no formula, no bidi override or control characters
    (a name with U+202E would otherwise show spoofed text in the cell), and writable as UTF-8."""
    if value is None:
        return ""
    text = "".join(c for c in storable(str(value)) if _kept_in_cell(c))
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def _kept_in_cell(char: str) -> bool:
    # Joiners are spelling (Persian names, Devanagari conjuncts, family emoji), not formatting.
    return char in _SPELLING or unicodedata.category(char) not in ("Cc", "Cf")


def manifest_csv(rows: Iterable[RowResult]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([spreadsheet_cell(getattr(row, name)) for name in COLUMNS])
    return buffer.getvalue()


def manifest_json(rows: Iterable[RowResult]) -> str:
    # storable: a lone surrogate (from a broken export) would make the UTF-8 write fail.
    return storable(json.dumps([asdict(row) for row in rows], ensure_ascii=False, indent=1)) + "\n"


def write_manifest(
    rows: list[RowResult], path: Path, *, as_json: bool = False, force: bool = False
) -> Path:
    """Write the CSV (or JSON) manifest atomically; returns the path written."""
    from notes.files import atomic_path

    text = manifest_json(rows) if as_json else manifest_csv(rows)
    suffix = ".json" if as_json else ".csv"
    with atomic_path(path, force=force, example=f"manifest{suffix}") as tmp:
        # utf-8-sig: Excel opens a BOM-less UTF-8 CSV as cp1252 and mangles every accent.
        tmp.write_text(text, encoding="utf-8" if as_json else "utf-8-sig", newline="")
    return path


def read_manifest(path: Path) -> list[dict[str, str]]:
    """The CSV manifest back as dicts (for tests and for resuming by hand)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))
