"""Writing a planned sales day: files under temporary names, renamed into place, then the ledger.

`write_day` writes cards, envelopes and the manifest under temporary names, renames them into
place, and only then records the notes in the ledger, in one transaction.

If a run dies between the renames and the ledger commit, the files it placed are listed in the
folder's `.notes-unfinished` marker; the next run knows the ledger never claimed them and writes
its notes under those names again, so the folder never holds two stacks of the same cards.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
import time
from collections.abc import Set
from dataclasses import dataclass
from pathlib import Path

from notes.day import DayNote, DayPlan, Progress
from notes.errors import UsageError
from notes.ledger import Ledger, NoteRecord
from notes.manifest import spreadsheet_cell

UNFINISHED = ".notes-unfinished"
PAUSE_ENV = "NOTES_TEST_PAUSE_BEFORE_LEDGER"  # tests: seconds to wait between files and ledger
MANIFEST_COLUMNS = (
    "customer", "email", "occasion", "rule", "reason", "status", "file", "page", "position",
    "envelope_page", "discount_code", "error",
)  # fmt: skip


@dataclass
class DayResult:
    plan: DayPlan
    folder: Path
    cards: Path | None = None
    envelopes: Path | None = None
    manifest: Path | None = None
    recorded: int = 0


def _numbered(n: int) -> tuple[str, str, str]:
    suffix = "" if n == 1 else f"-{n}"
    return f"cards{suffix}.pdf", f"envelopes{suffix}.pdf", f"manifest{suffix}.csv"


def _read_unfinished(folder: Path) -> set[str]:
    try:
        return set(json.loads((folder / UNFINISHED).read_text(encoding="utf-8"))["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return set()


def unclaimed(folder: Path, ledger: Ledger | None) -> set[str]:
    """Files an unfinished run placed in `folder` that the ledger never recorded a note in."""
    orphans = _read_unfinished(folder)
    if orphans and ledger is not None:
        here = folder.resolve()
        claimed = {
            Path(row.output_file).name
            for row in ledger.history()
            if Path(row.output_file).parent == here
        }
        orphans -= claimed
    return orphans


def free_names(folder: Path, orphans: Set[str] = frozenset()) -> tuple[str, str, str]:
    """cards.pdf, envelopes.pdf, manifest.csv; or cards-2.pdf... when those hold earlier notes.

    `orphans` (see `unclaimed`) hold no note anybody has: their names are free again.
    """
    n = 1
    while True:
        names = _numbered(n)
        if all(not (folder / name).exists() or name in orphans for name in names):
            return names
        n += 1


def write_day(
    plan: DayPlan,
    folder: Path,
    *,
    ledger: Ledger | None,
    sheet: str | None = None,
    progress: Progress | None = None,
) -> DayResult:
    """Write the plan's new notes into `folder`, then record them in the ledger.

    Files are never overwritten: a folder that already holds earlier notes gets cards-2.pdf.
    Nothing is written when there is nothing new.
    """
    progress = progress or Progress()
    result = DayResult(plan, folder)
    todo = [n for n in plan.notes if n.to_write]
    if not todo:
        if ledger is not None:
            ledger.record_orders(n.decision.customer for n in plan.notes)
        progress.stage = "done"
        return result
    if folder.exists() and not folder.is_dir():
        raise UsageError("the output is a file, not a folder", where=str(folder),
                         hint="give -o a folder name")  # fmt: skip
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob(".*.part"):
        # Left by a run that was killed while writing; never renamed, so no note is in them.
        if stale.name.lstrip(".").startswith(("cards", "envelopes", "manifest")):
            stale.unlink(missing_ok=True)
    orphans = unclaimed(folder, ledger)
    cards_name, envelopes_name, manifest_name = free_names(folder, orphans)
    cards, envelopes, manifest = (
        folder / cards_name,
        folder / envelopes_name,
        folder / manifest_name,
    )
    progress.stage = "writing"
    temps: list[Path] = []
    try:
        placed = _write_files(plan, todo, cards, envelopes, manifest, sheet, temps)
        _place(folder, placed, orphans)
        progress.files = [final for _, final in placed]
        _pause_for_tests()
        progress.stage = "recording"
        if ledger is not None:
            ledger.record_notes(_records(plan, todo))
            result.recorded = len(todo)
    finally:
        for tmp in temps:
            tmp.unlink(missing_ok=True)
    if ledger is not None:
        # Earlier days in the file become history for later runs (returning customers).
        ledger.record_orders(n.decision.customer for n in plan.notes)
    (folder / UNFINISHED).unlink(missing_ok=True)
    for note in todo:
        note.status = "written"
    result.cards = cards
    result.envelopes = envelopes if any(n.envelope_page for n in todo) else None
    result.manifest = manifest
    progress.stage = "done"
    return result


def _temp(folder: Path, final: Path, temps: list[Path]) -> Path:
    fd, name = tempfile.mkstemp(dir=folder, prefix=f".{final.name}.", suffix=".part")
    os.close(fd)
    # mkstemp makes the file private (0600); the cards are ordinary files, so follow the umask.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(name, 0o666 & ~umask)
    temps.append(Path(name))
    return Path(name)


def _write_files(
    plan: DayPlan,
    todo: list[DayNote],
    cards: Path,
    envelopes: Path,
    manifest: Path,
    sheet: str | None,
    temps: list[Path],
) -> list[tuple[Path, Path]]:
    """Write every file under a temporary name; return (temporary, final) pairs."""
    folder = cards.parent
    plans = [n.plan for n in todo if n.plan is not None]
    tmp_cards = _temp(folder, cards, temps)
    if sheet:
        from notes.sheets import sheet_layout, write_sheets

        layout = sheet_layout(plans[0].card, sheet)
        positions = write_sheets(plans, tmp_cards, layout, force=True)
        for note, (number, slot) in zip(todo, positions, strict=True):
            note.page, note.position = number, slot
    else:
        from notes.render import write_cards

        write_cards(plans, tmp_cards, force=True)
        for page, note in enumerate(todo, 1):
            note.page = page
    placed = [(tmp_cards, cards)]
    with_address = [n for n in todo if n.envelope is not None]
    if with_address:
        from notes.envelopes import write_envelopes

        tmp_envelopes = _temp(folder, envelopes, temps)
        write_envelopes([n.envelope for n in with_address], tmp_envelopes, force=True)
        for page, note in enumerate(with_address, 1):
            note.envelope_page = page
        placed.append((tmp_envelopes, envelopes))
    for note in todo:
        note.file = str(cards)
    tmp_manifest = _temp(folder, manifest, temps)
    # utf-8-sig: Excel opens a BOM-less UTF-8 CSV as cp1252 and mangles every accent.
    tmp_manifest.write_text(manifest_csv(plan), encoding="utf-8-sig", newline="")
    placed.append((tmp_manifest, manifest))
    return placed


def _place(folder: Path, placed: list[tuple[Path, Path]], orphans: set[str]) -> None:
    """Rename into place, after naming the files in the marker (removed once the ledger has them).

    Orphans this run does not replace are removed: no note in them was ever recorded.
    """
    marker = folder / UNFINISHED
    names = sorted({final.name for _, final in placed} | orphans)
    marker.write_text(json.dumps({"files": names}), encoding="utf-8")
    for tmp, final in placed:
        os.replace(tmp, final)
    for name in orphans - {final.name for _, final in placed}:
        (folder / name).unlink(missing_ok=True)


def _pause_for_tests() -> None:
    """Tests kill a run here, with the files in place and the ledger not yet told."""
    seconds = os.environ.get(PAUSE_ENV)
    if seconds:
        time.sleep(float(seconds))


def _records(plan: DayPlan, todo: list[DayNote]) -> list[NoteRecord]:
    return [
        NoteRecord(
            customer_key=n.decision.customer.key,
            name=n.name,
            occasion=n.decision.occasion or "",
            day=plan.day,
            output_file=str(Path(n.file).resolve()),
            page=n.page or 0,
            discount_code=n.discount_code,
            template=n.decision.occasion or "",
        )
        for n in todo
    ]


def manifest_csv(plan: DayPlan) -> str:
    """Every customer of the day: what they get, which rule chose it, where their card is."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(MANIFEST_COLUMNS)
    for n in plan.notes:
        d = n.decision
        status = "written" if n.to_write else n.status
        row = (
            n.name, d.customer.email, d.occasion or "", d.rule, d.reason, status,
            Path(n.file).name if n.file else "", n.page, n.position, n.envelope_page,
            n.discount_code if n.to_write or n.status == "written" else "", n.error,
        )  # fmt: skip
        writer.writerow([spreadsheet_cell(v) for v in row])
    return buffer.getvalue()
