"""A mail merge's run through the batch core: rows -> jobs -> planned cards -> files and manifest.

`MergeRun` reads the selected rows one at a time, makes each a `notes.batch.Job` (or a manifest
row that says why not: blank, unreadable, do-not-contact), plans them with `plan_cards` and
writes them with `notes.batchwrite.write_batch`; each planned card's outcome lands on its
manifest row. The files are written under temporary names and placed when the run succeeds.
"""

from __future__ import annotations

import unicodedata
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from notes.batch import Job, Planned, Setup, plan_cards
from notes.errors import DataError, OutputError
from notes.files import check_writable, make_folder, place, remove_stale, reported_as, temp_beside
from notes.manifest import CsvManifest, RowResult, reason, write_manifest
from notes.records import Record

DRY_RUN_SHOWN = 3
_NAME_FIELDS = ("name", "first_name", "last_name")
_GREETED = ("first_name", "greeting_name", "name", "last_name")  # fields made from a name

Progress = Callable[[str, int, int | None], None]  # (stage, rows done, rows in all)


def refuse_shop_export(columns: list[str], mapping: dict[str, str], where: str, path: str) -> None:
    """A shop's orders export is not a list of people: its lines are items, with cancelled and
    test orders among them, and Shopify's `Name` is the order number ("Dear #1001,"). `notes
    day` reads it; a merge goes on only when --map names whose name to write."""
    from notes.shops.registry import FALLBACK, detect_preset, find_shop_format

    preset = detect_preset(columns)
    if preset == FALLBACK or any(field in mapping for field in _NAME_FIELDS):
        return
    shop_format = find_shop_format(preset)
    what = (
        shop_format.description.split(":")[0] if shop_format and shop_format.description else preset
    )
    raise DataError(
        f"this is a {what} orders export, not a list of customers: a merge would write one card "
        "per line item, to cancelled and test orders too, greeting whatever its name column holds",
        where=where,
        hint=f"write its cards with `notes day {path}` (one card per customer, cancelled and "
        "test orders left out); to merge it anyway, say which column holds the name, e.g. "
        "--map name='Billing Name'",
    )


def name_problem(
    fields: dict[str, str], colmap: dict[str, str], needed: str | None, template: str
) -> DataError | None:
    """Why this row's name cannot be greeted: a name cell with no letter in it ("#1001", an
    order number), or every name cell empty when the template greets by name."""
    shown = False  # a name cell shows something
    for field_name in _NAME_FIELDS:
        value = fields.get(field_name)
        if not value or not _visible(value):
            continue
        shown = True
        if not any(ch.isalpha() for ch in value):
            column = colmap.get(field_name, field_name)
            return DataError(
                f"{field_name!r} (from column {column!r}) is {value.strip()!r}, which is not a "
                "name: it has no letter",
                hint=f"put the customer's name in {column!r}, or name the column that holds "
                f"it with --map {field_name}=COLUMN",
            )
    if needed is None or shown:
        return None
    given = [colmap[f] for f in _NAME_FIELDS if f in colmap]
    column = given[0] if given else needed
    return DataError(
        f"{needed!r} (from column {column!r}) is empty in this row, and template "
        f"{template!r} needs it",
        hint=f"fill in {column!r} for this row, or leave the row out with --rows",
    )


# ASCII's control characters and space: the ones an ASCII value may hold and still show nothing.
_ASCII_UNSEEN = "".join(map(chr, (*range(33), 127)))


def _visible(value: str) -> bool:
    """Does the value show anything? A zero-width space alone would greet "Dear ,"."""
    if value.isascii():  # the usual cell: one pass in C (the same answer as the loop below)
        return bool(value.strip(_ASCII_UNSEEN))
    return any(unicodedata.category(ch)[0] not in "CZ" for ch in value)


@dataclass(init=False, repr=False, eq=False)
class MergeReport(Record):
    rows: list[RowResult]
    files: list[Path] = field(default_factory=list)  # everything written, manifest included
    texts: list[tuple[RowResult, str]] = field(default_factory=list)  # dry run: the first notes
    dry_run: bool = False
    per_note: Path | None = None  # the folder of one-PDF-per-note output
    manifest: Path | None = None  # where every row's fate is listed (None on a dry run)
    plot_estimate: object | None = None  # --plot: notes.plot.PlotEstimate of every plot file

    def count(self, status: str) -> int:
        return sum(row.status == status for row in self.rows)

    @property
    def failed(self) -> list[RowResult]:
        return [row for row in self.rows if row.status == "failed"]


@dataclass(init=False, repr=False, eq=False)
class MergeRun(Record):
    """One merge: the rows chosen, how each card is planned, and every row's manifest record."""

    setup: Setup
    table: Any  # notes.sources table
    colmap: dict[str, str]
    template: str  # what each job composes (a bundled name, or the file's path)
    template_name: str
    selected: Any = None  # notes.preflight.RowSelection
    limit: int | None = None
    workers: int = 1
    strict: bool = False
    do_not_contact: dict[str, str] = field(default_factory=dict)  # e-mail -> where listed
    results: list[RowResult] = field(default_factory=list)

    def records(self) -> Iterator[tuple[Job | None, RowResult]]:
        """(job, or None when the row gets no card; its manifest row) for the selected rows."""
        from notes.columns import record_fields

        taken = 0
        for number, record in enumerate(self.table, 1):
            if self.selected is not None and number not in self.selected:
                if number > self.selected.last:
                    break  # no chosen row is left: the rest of the file need not be read
                continue
            if self.limit is not None and taken >= self.limit:
                break
            taken += 1
            result = RowResult(number, record.line, record.where(), self.template_name)
            if record.error is not None:  # unreadable (too large, binary): fails alone
                if self.strict:
                    raise record.error
                result.status, result.error = "failed", reason(record.error)
                yield None, result
                continue
            if not "".join(record.raw.values()).strip():  # every cell blank (one pass in C)
                result.status, result.error = "skipped", "the row is empty"
                yield None, result
                continue
            fields = record_fields(record, self.colmap)
            email = (fields.get("email") or "").strip()
            if email and (listed := self.do_not_contact.get(email.casefold())):
                result.status = "skipped"
                result.error = f"{email} is on the do-not-contact list ({listed})"
                yield None, result
                continue
            problem = name_problem(fields, self.colmap, self._needs_name, self.template_name)
            if problem is not None:
                if self.strict:
                    raise problem.located(result.where)
                result.status, result.error = "failed", reason(problem)
                yield None, result
                continue
            yield Job(number, fields, self.template), result

    @cached_property
    def _needs_name(self) -> str | None:
        """The name field the template needs (first_name...), if it needs one."""
        from notes.preflight import required_fields
        from notes.templating import load_template

        needed = required_fields(load_template(self.template))
        return next((name for name in _GREETED if name in needed), None)

    def total(self) -> int:
        """The rows that get a card: what the progress counts to (skipped and failed rows are
        in the manifest, not in the count)."""
        return sum(1 for job, _ in self.records() if job is not None)

    def planned(
        self, on_progress: Progress | None, stage: str
    ) -> Iterator[tuple[RowResult, Planned]]:
        """Each row with a job and its planned card, in row order; every row is in `results`."""
        waiting: deque[RowResult] = deque()
        total = self.total() if on_progress else None

        def jobs() -> Iterator[Job]:
            for job, result in self.records():
                self.results.append(result)
                if job is not None:
                    waiting.append(result)
                    yield job

        for done, planned in enumerate(plan_cards(self.setup, jobs(), self.workers), 1):
            row = waiting.popleft()
            self._take(row, planned)
            if on_progress:
                on_progress(stage, done, total)
            yield row, planned

    def _take(self, row: RowResult, planned: Planned) -> None:
        row.recipient, row.language, row.warning = (
            planned.recipient,
            planned.language,
            planned.warning,
        )
        row.address, row.address_problem = planned.address, planned.address_problem
        if planned.held:
            row.status = "held"
        if planned.error is not None:
            row.status, row.error = "failed", reason(planned.error)
            if self.strict:
                raise planned.error.located(row.where)

    def dry_run(self, on_progress: Progress | None) -> MergeReport:
        report = MergeReport(self.results, dry_run=True)
        for row, planned in self.planned(on_progress, "checking"):
            if planned.error is None and len(report.texts) < DRY_RUN_SHOWN:
                report.texts.append((row, planned.text))
        return report

    def write(
        self, outputs: Any, manifests: list[Path], on_progress: Progress | None
    ) -> MergeReport:
        """Write the cards, envelopes, plot files and manifests of `outputs` (notes.merge.Outputs)."""
        per_note = outputs.per_note is not None
        target = outputs.per_note if per_note else outputs.cards
        work_dir = target if per_note else target.parent
        for where in {work_dir} | {p.parent for p in [outputs.envelopes, *manifests] if p}:
            remove_stale(where)  # what runs that were killed left behind
        report = MergeReport(self.results, per_note=outputs.per_note, manifest=manifests[0])
        # The CSV manifest's rows are written as they settle, not all at the end (~10 ms for
        # 3000 rows, when the workers are done and this process writes alone).
        made = CsvManifest(self.results)
        # Errors writing cards (in any worker) are reported against the file the user named.
        with reported_as(target), ExitStack() as stack:
            files = _Files(outputs, stack, target, made.settled)
            written = files.write(self.planned(on_progress, "writing"), self.setup)
            report.files.extend(files.finish(written))
            if files.plots is not None:
                report.plot_estimate = files.plots.estimate
            for path in manifests:
                as_json = path.suffix == ".json"
                write_manifest(self.results, path, as_json=as_json, force=outputs.force, made=made)
                report.files.append(path)
        return report


class _Files:
    """A merge's output files under temporary names, placed in `finish`."""

    def __init__(
        self, outputs: Any, stack: ExitStack, target: Path, settled: Callable[[RowResult], None]
    ):
        from notes.targets import reserved_stems

        self.outputs, self.stack, self.target = outputs, stack, target
        self.settled = settled  # told of each row whose card is written (or has none)
        self.notes: list[tuple[Path, Path]] = []  # per-note: (temporary, final)
        self.used: set[str] = reserved_stems(outputs)  # case-folded stems taken
        self.plots = None
        if outputs.plot is not None:
            from notes.plotbatch import PlotFolder

            make_folder(outputs.plot.folder)
            self.plots = PlotFolder(outputs.plot)
            stack.callback(self.plots.discard)

    def temp(self, final: Path) -> Path:
        """A temporary file beside `final`, removed when the merge ends unless placed."""
        return temp_beside(
            final, keep=lambda path: self.stack.callback(path.unlink, missing_ok=True)
        )

    def own_file(self, planned: Planned) -> Path:
        """Per note: the card's final name from its recipient, and its temporary file."""
        from notes.filenames import safe_stem, unique_stem

        stem = unique_stem(safe_stem(planned.recipient, fallback="note"), self.used)
        final = self.outputs.per_note / f"{stem}.pdf"
        if final.resolve().parent != self.outputs.per_note.resolve():
            raise OutputError("a file name left the output folder", where=str(final))  # safe_stem
        tmp = self.temp(final)
        self.notes.append((tmp, final))
        return tmp

    def write(self, planned: Iterator[tuple[RowResult, Planned]], setup: Setup) -> int:
        from notes.batchwrite import BatchFiles, write_batch

        o = self.outputs
        layout = None
        if o.sheet:
            from notes.sheets import sheet_layout

            layout = sheet_layout(setup.style.card, o.sheet, bleed_mm=o.bleed_mm)
        files = BatchFiles(
            cards=self.temp(self.target) if o.per_note is None else None,
            per_note=self.own_file if o.per_note is not None else None,
            sheet=layout, duplex=o.duplex,
            envelopes=self.temp(o.envelopes) if o.envelopes is not None else None,
            envelopes_named=o.envelopes,
        )  # fmt: skip
        self.files = files
        rows: deque[RowResult] = deque()
        self.envelope_count = 0

        def cards() -> Iterator[Planned]:
            for row, card in planned:
                rows.append(row)
                yield card

        def record(card: Planned, where: Any) -> None:
            row = rows.popleft()
            if where is not None:
                # Per note: the card's own file, placed under its final name at the end.
                row.place(self.notes[-1][1] if where.file else self.target, where)
                self.envelope_count = max(self.envelope_count, where.envelope_page or 0)
                if self.plots is not None and card.plots:
                    self.plots.add(row.row, card.recipient, card.plots)
            self.settled(row)

        return write_batch(cards(), files, record)

    def finish(self, written: int) -> list[Path]:
        """Put the finished files in place; a PDF with no page (every row failed) is not written."""
        placed: list[tuple[Path, Path]] = []
        if written and self.files.cards is not None:
            placed.append((self.files.cards, self.target))
        if written and self.envelope_count:
            placed.append((self.files.envelopes, self.outputs.envelopes))
        placed += self.notes
        if self.plots is not None:
            placed += self.plots.pending
        for _, final in placed:
            check_writable(final, force=self.outputs.force)
        for tmp, final in placed:
            place(tmp, final)
        return [final for _, final in placed]
