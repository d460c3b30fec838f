"""Writing a planned sales day: files under temporary names, renamed into place, then the ledger.

`write_day` writes cards, envelopes and the manifest under temporary names, renames them into
place, and only then records the notes, and the files that hold them, in one ledger transaction.

Before the renames it lists the files in the folder's `.notes-unfinished` marker. If a run dies
before the ledger commit, the next run (with the same ledger) writes its notes under those names
again, so the folder never holds two stacks of the same cards. The marker is never trusted on
its own: only this code's own file names count, and never a file the ledger says a run placed.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Set
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from notes.codes import IssuedCode, codes_csv
from notes.day import DayNote, DayPlan, Progress
from notes.errors import DataError, UsageError
from notes.files import (
    atomic_path,
    folders_undone_on_failure,
    make_folder,
    place,
    remove_stale,
    reported_as,
    temp_beside,
)
from notes.ledger import Ledger, NoteRecord
from notes.manifest import save_csv, table_csv

UNFINISHED = ".notes-unfinished"
MANIFEST_COLUMNS = (
    "customer", "email", "occasion", "rule", "reason", "status", "file", "page", "position",
    "envelope_page", "discount_code", "address", "address_problem", "language", "warning",
    "error", "qr_link",
)  # fmt: skip
_RUN_FILE = re.compile(r"(?:cards|envelopes|manifest|codes)(?:-([1-9][0-9]{0,8}))?\.(?:pdf|csv)")


@dataclass
class DayResult:
    plan: DayPlan
    folder: Path
    cards: Path | None = None
    envelopes: Path | None = None
    manifest: Path | None = None
    codes: Path | None = None  # the generated discount codes to create in the shop
    issued: list[IssuedCode] = field(default_factory=list)
    recorded: int = 0
    plots: Path | None = None  # --plot: the folder of plot files
    plot_estimate: Any = None  # notes.plot.PlotEstimate of those files


def _numbered(n: int) -> tuple[str, str, str, str]:
    suffix = "" if n == 1 else f"-{n}"
    return (f"cards{suffix}.pdf", f"envelopes{suffix}.pdf", f"manifest{suffix}.csv",
            f"codes{suffix}.csv")  # fmt: skip


def run_number(name: str) -> int | None:
    """n if `name` is one of the files `write_day` names cards-n.pdf, envelopes-n.pdf..."""
    match = _RUN_FILE.fullmatch(name)
    if match is None:
        return None
    n = int(match.group(1) or 1)
    return n if name in _numbered(n) else None


def _read_unfinished(folder: Path, ledger: Ledger) -> set[str]:
    """The run files a killed run's marker lists, if this code wrote it for this ledger."""
    marker = folder / UNFINISHED
    try:
        if not stat.S_ISREG(marker.lstat().st_mode):
            return set()  # a link or anything else planted there is never read
        fd = os.open(marker, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, encoding="utf-8") as handle:
            data = json.loads(handle.read(65536))
    except (OSError, ValueError):
        return set()
    if not isinstance(data, dict) or data.get("ledger") != str(ledger.path.resolve()):
        return set()
    files = data.get("files")
    if not isinstance(files, list):
        return set()
    return {name for name in files if isinstance(name, str) and run_number(name) is not None}


def unclaimed(folder: Path, ledger: Ledger | None) -> set[str]:
    """Files a killed run placed in `folder` that hold no recorded note: their names are free.

    Without a ledger nothing tells a killed run from a finished one, so nothing is unclaimed.
    A file the ledger knows a run placed (or one of its run's siblings) is never unclaimed.
    """
    if ledger is None:
        return set()
    listed = _read_unfinished(folder, ledger)
    if not listed:
        return set()
    numbers = {run_number(name) for name in ledger.files_in(folder)}
    claimed = {name for n in numbers if n is not None for name in _numbered(n)}
    return listed - claimed


def free_names(folder: Path, orphans: Set[str] = frozenset()) -> tuple[str, str, str, str]:
    """cards.pdf, envelopes.pdf, manifest.csv, codes.csv; or cards-2.pdf... when those hold
    earlier notes.

    `orphans` (see `unclaimed`) hold no note anybody has: their names are free again.
    """
    n = 1
    while True:
        names = _numbered(n)
        if all(not (folder / name).exists() or name in orphans for name in names):
            return names
        n += 1


def write_day(plan: DayPlan, folder: Path, **options: Any) -> DayResult:
    """`_write_day`; a folder made for it is removed again if nothing could be written there
    (the disk was full, or every card failed as it was planned)."""
    made = not folder.exists()
    with folders_undone_on_failure(folder):
        result = _write_day(plan, folder, **options)
    if made and result.cards is None and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
    return result


def _write_day(
    plan: DayPlan,
    folder: Path,
    *,
    ledger: Ledger | None,
    sheet: str | None = None,
    progress: Progress | None = None,
    plot: Any = None,
    discount_percent: int = 15,
    code_valid_days: int = 90,
    workers: int = 1,
) -> DayResult:
    """Plan and write the plan's new notes into `folder`, then record them in the ledger.

    Cards stream through the batch core (notes.batch) in `workers` processes: each is planned,
    written and forgotten, so memory does not grow with the number of customers.
    Generated discount codes on the cards are listed in codes.csv beside them (code, customer,
    e-mail, value, expiry), for the owner to create in the shop.

    Files are never overwritten: a folder that already holds earlier notes gets cards-2.pdf.
    Nothing is written when there is nothing new.
    """
    progress = progress or Progress()
    result = DayResult(plan, folder)
    if any(n.to_write for n in plan.notes):
        _prepare_folder(folder)
        orphans = unclaimed(folder, ledger)
        names = tuple(folder / name for name in free_names(folder, orphans))
        temps: list[Path] = []
        try:
            with reported_as(names[0]):
                placed = _write_files(plan, names, sheet, plot, temps, progress, workers, result)
                if placed:
                    placed += _codes_file(plan, names[3], temps, result, discount_percent,
                                          code_valid_days)  # fmt: skip
                    _place(folder, placed, orphans, ledger)
            if placed:
                _finish(plan, placed, ledger, progress, result)
        finally:
            for tmp in temps:
                tmp.unlink(missing_ok=True)
    if ledger is not None:
        # Earlier days in the file become history for later runs (returning customers).
        ledger.record_orders(n.decision.customer for n in plan.notes)
    progress.moved("done")
    return result


def _codes_file(
    plan: DayPlan, codes: Path, temps: list[Path], result: DayResult, percent: int, days: int
) -> list[tuple[Path, Path]]:
    """codes.csv: the generated codes on the cards written, for the owner to create."""
    result.issued = plan.issued_codes(percent)
    if not result.issued:
        return []
    tmp_codes = _temp(codes, temps)
    text = codes_csv(result.issued, valid_days=days)
    save_csv(tmp_codes, text)
    result.codes = codes
    return [(tmp_codes, codes)]


def _finish(
    plan: DayPlan, placed: list[tuple[Path, Path]], ledger: Ledger | None, progress: Progress,
    result: DayResult,
) -> None:  # fmt: skip
    """The files are in place: record the notes, then call them written."""
    todo = [n for n in plan.notes if n.to_write]
    progress.files = [final for _, final in placed]
    progress.moved("recording")
    if ledger is not None:
        _record(plan, todo, progress.files, ledger)
        result.recorded = len(todo)
    (result.folder / UNFINISHED).unlink(missing_ok=True)
    for note in todo:
        note.status = "written"


def _prepare_folder(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise UsageError("the output is a file, not a folder", where=str(folder),
                         hint="give -o a folder name")  # fmt: skip
    make_folder(folder)
    # Left by a run that was killed while writing; never renamed, so no note is in them.
    remove_stale(folder)


def _record(plan: DayPlan, todo: list[DayNote], files: list[Path], ledger: Ledger) -> None:
    """Record the notes and their files; if another run got there first, take this run back."""
    new = {n.decision.customer.key for n in todo if n.status == "new"}
    taken = ledger.record_run(_records(plan, todo), files=files, new=new)
    if not taken:
        return
    # Nothing of this run was recorded, so no note is in these files; the other run's are.
    for path in files:
        path.unlink(missing_ok=True)
    (files[0].parent / UNFINISHED).unlink(missing_ok=True)
    names = ", ".join(n.name for n in taken[:3]) + (", ..." if len(taken) > 3 else "")
    raise DataError(
        f"another run recorded notes for {len(taken)} of these customers ({names}) while this "
        "run was writing; this run's files were removed and nothing was recorded",
        where=str(ledger.path),
        hint="run the same command again: it writes only the notes that are still missing",
    )


def _temp(final: Path, temps: list[Path]) -> Path:
    return temp_beside(final, keep=temps.append)


def _write_files(
    plan: DayPlan,
    names: tuple[Path, ...],
    sheet: str | None,
    plot: Any,
    temps: list[Path],
    progress: Progress,
    workers: int,
    result: DayResult,
) -> list[tuple[Path, Path]]:
    """Plan and write every card, envelope and plot file under a temporary name, then the
    manifest; return (temporary, final) pairs, none when no card could be written."""
    from notes.batchwrite import BatchFiles, write_batch
    from notes.day import planned_notes

    cards, envelopes, manifest, _ = names
    layout = None
    if sheet:
        from notes.sheets import sheet_layout

        layout = sheet_layout(plan.setup.style.card, sheet)
    files = BatchFiles(cards=_temp(cards, temps), sheet=layout,
                       envelopes=_temp(envelopes, temps) if plan.envelopes else None)  # fmt: skip
    plots = _plot_folder(plot, cards)
    placed = [(files.cards, cards)]
    notes = {}  # planned card number -> note, while its card is being written

    def planned():  # noqa: ANN202
        for note, card in planned_notes(plan, progress, workers):
            notes[card.number] = note
            yield card

    def record(card, where) -> None:  # noqa: ANN001 - notes.batch.Planned, batchwrite.Placed
        note = notes.pop(card.number)
        if where is None:
            return
        note.place(cards, where)
        note.page, note.sheet = where.sheet or where.page, None  # a day's page is its sheet
        if plots is not None and card.plots:
            make_folder(plots.job.folder)  # once a card is written: no empty folder otherwise
            plots.add(where.card, note.name, card.plots)

    progress.moved("writing")
    try:
        if not write_batch(planned(), files, record):
            return []
    finally:
        if plots is not None:
            temps += [tmp for tmp, _ in plots.pending]  # removed unless the run succeeds
    if files.envelopes is not None and any(n.envelope_page for n in plan.notes if n.to_write):
        placed.append((files.envelopes, envelopes))
        result.envelopes = envelopes
    if plots is not None:
        placed += plots.pending
        result.plots, result.plot_estimate = plots.job.folder, plots.estimate
    tmp_manifest = _temp(manifest, temps)
    save_csv(tmp_manifest, manifest_csv(plan))
    placed.append((tmp_manifest, manifest))
    result.cards, result.manifest = cards, manifest
    return placed


def _plot_folder(plot: Any, cards: Path) -> Any:
    """plots/ beside cards.pdf, plots-2/ beside cards-2.pdf: one folder per run."""
    if plot is None:
        return None
    from dataclasses import replace

    from notes.plotbatch import PlotFolder

    return PlotFolder(replace(plot, folder=cards.parent / cards.stem.replace("cards", "plots")))


def _place(
    folder: Path, placed: list[tuple[Path, Path]], orphans: set[str], ledger: Ledger | None
) -> None:
    """Rename into place, after naming the files in the marker (removed once the ledger has them).

    Orphans this run does not replace are removed: no note in them was ever recorded.
    """
    if ledger is not None:
        names = sorted({final.name for _, final in placed} | orphans)
        _write_marker(folder, {"ledger": str(ledger.path.resolve()), "files": names})
    for tmp, final in placed:
        place(tmp, final)
    for name in orphans - {final.name for _, final in placed}:
        (folder / name).unlink(missing_ok=True)


def _write_marker(folder: Path, content: dict) -> None:
    """Atomically, and never through a link: a link planted as the marker is replaced."""
    with atomic_path(folder / UNFINISHED, force=True, example=UNFINISHED) as tmp:
        tmp.write_text(json.dumps(content), encoding="utf-8")


def _records(plan: DayPlan, todo: list[DayNote]) -> list[NoteRecord]:
    return [
        NoteRecord(
            customer_key=n.decision.customer.key,
            name=n.name,
            occasion=n.decision.occasion or "",
            day=plan.day,
            output_file=str(Path(n.output).resolve()),
            page=n.page or 0,
            discount_code=n.discount_code,
            template=n.decision.occasion or "",
        )
        for n in todo
    ]


def manifest_csv(plan: DayPlan) -> str:
    """A sales day's view of its cards' records: every customer of the day, what they get,
    which rule chose it, where their card is."""
    return table_csv(MANIFEST_COLUMNS, (_day_view(n) for n in plan.notes))


def _day_view(n: DayNote) -> tuple:
    d, given = n.decision, n.to_write or n.status == "written"
    return (
        n.name, d.customer.email, d.occasion or "", d.rule, d.reason,
        "written" if n.to_write else n.status, Path(n.output).name if n.output else "", n.page,
        n.position, n.envelope_page, n.discount_code if given else "", n.address,
        n.address_problem, n.language, n.warning, n.error, n.link if given else "",
    )  # fmt: skip
