"""What a merge produced, per input row: a CSV (and JSON) next to the output. Written atomically."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path
from typing import Any

from notes.errors import NotesError
from notes.safetext import storable

# Spreadsheets run cells that start with these as formulas; a customer's name must stay a name.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SPELLING = frozenset("\n\u200c\u200d")  # newline, zero-width non-joiner and joiner


@dataclass(slots=True, kw_only=True)
class CardRecord:
    """What became of one card in a batch (notes.batch): a merge's row and a sales day's note
    are both one, and their manifests are two views of it."""

    status: str = "ok"  # merge: ok | failed | skipped | held; day: new | reprint | written ...
    recipient: str = ""
    output: str = ""  # the file the card is in
    page: int | None = None  # page of the card in `output` (the sheet's front page with --sheet)
    sheet: int | None = None
    position: int | None = None  # place on the sheet, 1 = top left, row by row
    envelope_page: int | None = None
    address: str = ""  # ok | warn | error: the envelope address's check ("" without envelopes)
    address_problem: str = ""  # what is wrong with it, for every warn and error
    language: str = ""  # the language the card is written in ("de")
    warning: str = ""  # e.g. why it is not in the customer's language (the card is still written)
    error: str = ""
    link: str = ""  # the link in the card's QR code

    def take(self, planned: Any) -> None:
        """What planning the card found (a notes.batch.Planned): held back, failed, or drawn."""
        self.language, self.warning = planned.language, planned.warning
        self.address, self.address_problem = planned.address, planned.address_problem
        self.link = planned.link
        if planned.held:
            self.status = "held"
        if planned.error is not None:
            self.status, self.error = "failed", reason(planned.error)

    def place(self, output: Path, placed: Any) -> None:
        """Where the card went (a notes.batchwrite.Placed)."""
        self.output = str(output)
        self.page, self.sheet, self.position = placed.page, placed.sheet, placed.position
        self.envelope_page = placed.envelope_page


def reason(error: NotesError) -> str:
    """A row's error as the manifest says it: the message, and what to do."""
    return f"{error.message} ({error.hint})" if error.hint else error.message


@dataclass(slots=True)  # one per input row, kept for the whole merge
class RowResult(CardRecord):
    """One input row's fate. `row` counts data rows from 1; `line` is the line in the file."""

    row: int
    line: int
    where: str
    template: str


COLUMNS = (
    "row", "line", "where", "template", "status", "recipient", "output", "page", "sheet",
    "position", "envelope_page", "address", "address_problem", "language", "warning", "error",
)  # fmt: skip


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
    text = str(value)
    if not text.isprintable():  # else it holds no control, format or lone surrogate to take out
        text = "".join(c for c in storable(text) if _kept_in_cell(c))
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def _kept_in_cell(char: str) -> bool:
    # Joiners are spelling (Persian names, Devanagari conjuncts, family emoji), not formatting.
    return char in _SPELLING or unicodedata.category(char) not in ("Cc", "Cf")


def table_csv(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """The one manifest writer: a header, then a row of cells each safe in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(_cells(row))
    return buffer.getvalue()


# A printable cell that a spreadsheet would run as a formula, in a row's cells each put after a
# NUL (which no printable cell holds).
_FORMULA_CELL = re.compile(r"\x00[=+\-@]")


def _cells(row: Iterable[object]) -> list[str]:
    """spreadsheet_cell of each value; a row whose every cell is printable and starts no
    formula (the usual manifest row) is looked through in C, not cell by cell (a 3000-row merge
    wrote its manifest in ~20 ms, alone at the end of the run)."""
    texts = ["" if value is None else str(value) for value in row]
    if "".join(texts).isprintable() and not _FORMULA_CELL.search("\x00" + "\x00".join(texts)):
        return texts
    return [spreadsheet_cell(text) for text in texts]


_ROW_VALUES = attrgetter(*COLUMNS)


def manifest_csv(rows: Iterable[RowResult]) -> str:
    """A merge's view: every input row, where it is in the file and what became of its card."""
    return table_csv(COLUMNS, map(_ROW_VALUES, rows))


class CsvManifest:
    """manifest_csv of a merge's rows, each row written as soon as it is final (its card
    written, or none to write), while later cards are still being made: the end of the run,
    when one process is left working, has only the rows after the last card to add."""

    def __init__(self, rows: list[RowResult]):
        self.rows = rows  # the run's rows so far, in order (the list grows as the run reads)
        self.done = 0  # rows[:done] are written
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, lineterminator="\n")
        self.writer.writerow(COLUMNS)

    def settled(self, row: RowResult) -> None:
        """`row` is final, and so is every row before it (cards are recorded in row order, and
        a row without one is final when it is read)."""
        end, rows = self.done, self.rows
        while end < len(rows) and rows[end] is not row:
            end += 1
        if end == len(rows):
            return  # not one of these rows: `text` writes every row at the end
        self._write_up_to(end + 1)

    def text(self) -> str:
        """The whole manifest, once every row is final."""
        self._write_up_to(len(self.rows))
        return self.buffer.getvalue()

    def _write_up_to(self, end: int) -> None:
        """Write the rows not written yet before `end`."""
        for row in self.rows[self.done : end]:
            self.writer.writerow(_cells(_ROW_VALUES(row)))
        self.done = end


def manifest_json(rows: Iterable[RowResult]) -> str:
    records = [{name: getattr(row, name) for name in COLUMNS} for row in rows]
    # storable: a lone surrogate (from a broken export) would make the UTF-8 write fail.
    return storable(json.dumps(records, ensure_ascii=False, indent=1)) + "\n"


def write_manifest(
    rows: list[RowResult],
    path: Path,
    *,
    as_json: bool = False,
    force: bool = False,
    made: CsvManifest | None = None,
) -> Path:
    """Write the CSV (or JSON) manifest atomically; returns the path written. `made`: the CSV
    made during the run, of the same rows."""
    from notes.files import atomic_path

    suffix = ".json" if as_json else ".csv"
    with atomic_path(path, force=force, example=f"manifest{suffix}") as tmp:
        if as_json:
            tmp.write_text(manifest_json(rows), encoding="utf-8", newline="")
        else:
            save_csv(tmp, made.text() if made is not None else manifest_csv(rows))
    return path


def save_csv(path: Path, text: str) -> None:
    """A CSV made by `table_csv` into `path` (a temporary file its caller places)."""
    # utf-8-sig: Excel opens a BOM-less UTF-8 CSV as cp1252 and mangles every accent.
    path.write_text(text, encoding="utf-8-sig", newline="")


def read_manifest(path: Path) -> list[dict[str, str]]:
    """The CSV manifest back as dicts (for tests and for resuming by hand)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))
