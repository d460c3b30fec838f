"""Mail merge: a table of customers -> one handwritten card per row, in chunks, in a process pool.

Rows stream from `notes.sources` in chunks of CHUNK notes (`notes.preflight` checks the template
against the columns first). Each chunk is composed, planned and drawn into its own temporary PDF
by `notes.chunks` (reportlab holds every page until save(), so one big canvas would grow with the
row count), and the chunk PDFs are joined in order by `notes.pdfjoin`. Chunk boundaries depend
only on the rows, never on --jobs, so any number of workers writes the same bytes.
A row that cannot be written (missing value, uncovered character, too long) becomes a failed
manifest row with its file line; the others carry on.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from notes.chunks import Chunk, ChunkResult, ChunkWriter, Row, Setup, run_chunks
from notes.config import Shop
from notes.errors import NotesError, OutputError, UsageError
from notes.files import (
    check_writable,
    make_folder,
    place,
    remove_stale,
    reported_as,
    temp_beside,
    temp_folder,
)
from notes.manifest import RowResult, write_manifest
from notes.pdfjoin import PdfJoiner
from notes.preflight import RowSelection, preflight
from notes.render import Style
from notes.targets import manifest_targets, refuse_colliding_targets, reserved_stems

CHUNK = 250  # notes per temporary PDF: ~15 MB of pages in reportlab at most
DRY_RUN_SHOWN = 3

Progress = Callable[[str, int, int | None], None]  # (stage, rows done, rows in all)


@dataclass(frozen=True)
class Outputs:
    """Where the merge writes. Exactly one of `cards` (one PDF) or `per_note` (a folder)."""

    cards: Path | None = None
    per_note: Path | None = None
    sheet: str | None = None  # a4 | letter: impose the cards N-up on sheets in `cards`
    bleed_mm: float = 0.0
    duplex: bool = False
    envelopes: Path | None = None
    envelope_size: str | None = None  # default: the envelope made for the card
    manifest: Path | None = None  # default: beside the output
    manifest_json: bool = False
    force: bool = False
    plot: object | None = None  # notes.plotbatch.PlotJob: a plot file per card and envelope


@dataclass
class MergeReport:
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


def check_targets(outputs: Outputs, manifests: list[Path]) -> None:
    """Fail before rendering when a file would be overwritten without --force, or has no folder."""
    named = [(outputs.cards, "cards.pdf"), (outputs.envelopes, "envelopes.pdf")]
    named += [(path, f"manifest{path.suffix}") for path in manifests]
    for path, example in named:
        if path is not None:
            check_writable(path, force=outputs.force, example=example)


# ---------------------------------------------------------------- the merge


def merge(
    source: str | Path,
    *,
    template: str,
    outputs: Outputs,
    style: Style | None = None,
    shop: Shop | None = None,
    mapping: Mapping[str, str] | None = None,
    rows: RowSelection | Iterable[int] | None = None,
    limit: int | None = None,
    strict: bool = False,
    dry_run: bool = False,
    today: str | None = None,
    jobs: int | None = None,
    stdin: BinaryIO | None = None,
    on_progress: Progress | None = None,
    chunk_size: int = CHUNK,
    missing_address: str = "mark",
    do_not_contact: Mapping[str, str] | None = None,
) -> MergeReport:
    """Merge `source` (CSV/JSON/JSON Lines, '-' = stdin) into cards; see `Outputs`.

    With envelopes, every address is checked first; one that fails gets a marked envelope, or
    (`missing_address="hold"`) its row is held back: no card, and the reason in the manifest.

    Raises NotesError for problems of the whole run (bad template, missing column, file exists),
    and for the first failed row when `strict`. Failed rows are otherwise in the report.
    """
    from notes.columns import column_map
    from notes.sources import read_table
    from notes.templating import load_template

    style = style or Style()
    shop = shop or Shop()
    if outputs.cards is None and outputs.per_note is None and not dry_run:
        raise UsageError("nowhere to write the cards", hint="give -o cards.pdf or --per-note DIR")
    if outputs.per_note is not None and outputs.sheet:
        raise UsageError("--sheet imposes cards into one PDF; it cannot go with --per-note")
    if not dry_run:
        refuse_colliding_targets(outputs, source)
        if rows is not None:
            _refuse_replacing_a_batch(outputs)
    if rows is not None and not isinstance(rows, RowSelection):
        rows = RowSelection.of(rows)
    table = read_table(source, stdin=stdin)
    colmap = column_map(table.columns, dict(mapping or {}))
    info = load_template(template)
    preflight(info, table.columns, colmap, source=table.source)
    envelope_size = None
    if outputs.envelopes is not None:
        from notes.cards import ENVELOPE_FOR_CARD, parse_envelope

        _refuse_envelopes_without_addresses(colmap, table)

        wanted = outputs.envelope_size or ENVELOPE_FOR_CARD.get(style.card.name, "c6")
        envelope_size = parse_envelope(wanted)[0]
    back_template = _back_template(info) if outputs.duplex else None
    number_styles = _number_styles(table, colmap, info, back_template)
    setup = Setup(
        template=str(info.path) if "/" in template or "\\" in template else template,
        style=style,
        shop=shop,
        today=today or dt.date.today().isoformat(),  # once, so workers agree across midnight
        seed=style.seed,
        sheet=outputs.sheet,
        bleed_mm=outputs.bleed_mm,
        duplex=outputs.duplex,
        envelope_size=envelope_size,
        back_template=back_template,
        columns=dict(colmap),
        template_name=info.name,
        per_note=outputs.per_note is not None,
        strict=strict,
        keep_text=dry_run,
        missing_address=missing_address,
        number_styles=number_styles,
        plot=outputs.plot,
    )
    run = _Run(setup, table, colmap, info.name, rows, limit, jobs or os.cpu_count() or 1)
    run.do_not_contact = dict(do_not_contact or {})
    run.chunk_size = chunk_size
    if dry_run:
        return run.dry_run(on_progress)
    return run.write(outputs, on_progress)


def _number_styles(table, colmap, info, back_template):  # noqa: ANN001, ANN202
    """The fields the card (and its back) format as money -> (column, the number style that
    column shows), so a merge reads '1,234' as the rest of its column is written."""
    from notes.preflight import money_fields
    from notes.templating import load_template
    from notes.values import column_number_styles

    fields = money_fields(info.source)
    if back_template is not None:
        fields |= money_fields(load_template(back_template).source)
    columns = {field: colmap[field] for field in sorted(fields) if field in colmap}
    return column_number_styles((r.raw for r in table), columns) if columns else {}


def _refuse_replacing_a_batch(outputs: Outputs) -> None:
    """--rows writes a few rows: with --force onto an earlier run's files it would replace the
    whole batch (and its manifest) with those few cards, so it writes beside them instead."""
    targets = [outputs.cards, outputs.per_note, outputs.envelopes, *manifest_targets(outputs)]
    existing = [path for path in targets if path is not None and path.exists()]
    if not existing or outputs.per_note is not None and existing == [outputs.per_note]:
        return
    beside = existing[0].with_name(f"{existing[0].stem}-fixes{existing[0].suffix}")
    raise UsageError(
        f"--rows writes only the rows chosen; it would replace {existing[0].name}, which holds "
        "an earlier run's cards, with just those",
        where=str(existing[0]),
        hint=f"write them to new files beside it (e.g. -o {beside}), or remove "
        f"{existing[0].name} first if you really mean to replace it",
    )


def _refuse_envelopes_without_addresses(colmap: Mapping[str, str], table) -> None:  # noqa: ANN001
    """--envelopes on a file with no address column would write no envelope at all."""
    from notes.envelopes import ADDRESS_FIELDS

    if any(name in colmap for name in ADDRESS_FIELDS):
        return
    raise UsageError(
        "--envelopes needs addresses, and this file has no address column "
        f"(columns: {', '.join(table.columns)})",
        where=table.source,
        hint="leave out --envelopes, or name the columns with --map address1=Street "
        "--map city=Town --map zip=Postcode",
    )


def _back_template(info) -> str:  # noqa: ANN001 - a notes.templating.TemplateInfo
    """thank-you.j2 -> thank-you.back.j2 beside it: what --duplex prints on the back."""
    back = info.path.with_name(f"{info.path.stem}.back.j2")
    if not back.is_file():
        raise UsageError(
            f"template {info.name!r} has no back side for --duplex",
            hint=f"write one as {back} (it sees the same fields), or leave out --duplex",
        )
    return str(back)


class _Run:
    """One merge's state: selected rows, results, and the files being assembled."""

    def __init__(self, setup, table, colmap, template_name, rows, limit, jobs):  # noqa: ANN001
        self.setup, self.table, self.colmap = setup, table, colmap
        self.template_name = template_name
        self.selected, self.limit, self.jobs = rows, limit, jobs
        self.local: ChunkWriter | None = None
        self.by_number: dict[int, RowResult] = {}
        self.chunk_size = CHUNK
        self.do_not_contact: dict[str, str] = {}  # casefolded e-mail -> where it is listed

    def records(self) -> Iterator[tuple[Row | None, RowResult]]:
        """(row to render or None when blank, its manifest row) for the selected records."""
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
            where = record.where()
            result = RowResult(number, record.line, where, self.template_name)
            if record.error is not None:  # unreadable (too large, binary): fails alone
                if self.setup.strict:
                    raise record.error
                result.status, result.error = "failed", _reason(record.error)
                yield None, result
                continue
            if not any(value.strip() for value in record.raw.values()):
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
            yield Row(number, record.line, where, fields), result

    def total(self) -> int:
        return sum(1 for _ in self.records())

    def chunks(
        self, folder: str, results: list[RowResult], draw: bool, only: set[int] | None = None
    ) -> Iterator[Chunk]:
        """Chunks of CHUNK rows (a whole number of sheets with --sheet), independent of --jobs."""
        size = self.chunk_size
        if self.setup.sheet and draw:
            per = self.per_sheet()
            size = max(per, size // per * per)
        batch: list[Row] = []
        index = 0
        for row, result in self.records():
            if only is not None:
                if row is None or row.number not in only:
                    continue
            else:
                results.append(result)
                self.by_number[result.row] = result
            if row is None:
                continue
            batch.append(row)
            if len(batch) == size:
                yield Chunk(index, batch, folder, draw)
                index, batch = index + 1, []
        if batch:
            yield Chunk(index, batch, folder, draw)

    def per_sheet(self) -> int:
        return _cards_per_sheet(self.writer().layout)

    def writer(self) -> ChunkWriter:
        if self.local is None:
            self.local = ChunkWriter(self.setup)
        return self.local

    def _process(self, chunks, folder, results, on_progress, stage, total, each) -> None:  # noqa: ANN001
        """Run chunks, put each outcome on its manifest row, call `each(result, rows)`."""
        by_number = self.by_number
        done = 0
        local = self.local if self.jobs <= 1 else None
        for chunk_result in run_chunks(self.setup, chunks, self.jobs, local):
            rows = []
            for outcome in chunk_result.outcomes:
                row = by_number[outcome.number]
                row.recipient = outcome.recipient
                row.address, row.address_problem = outcome.address, outcome.address_problem
                if outcome.held:
                    row.status = "held"
                row.language, row.warning = outcome.language, outcome.warning
                if outcome.error is not None:
                    row.status = "failed"
                    row.error = _reason(outcome.error)
                    if self.setup.strict:
                        raise outcome.error.located(row.where)
                rows.append((row, outcome))
            each(chunk_result, rows)
            done += len(chunk_result.outcomes)
            if on_progress:
                on_progress(stage, done, total)

    def dry_run(self, on_progress: Progress | None) -> MergeReport:
        results: list[RowResult] = []
        report = MergeReport(results, dry_run=True)

        def keep(chunk_result: ChunkResult, rows: list) -> None:
            for row, outcome in rows:
                if outcome.error is None and len(report.texts) < DRY_RUN_SHOWN:
                    report.texts.append((row, outcome.text))

        total = self.total() if on_progress else None
        chunks = self.chunks("", results, draw=False)
        self._process(chunks, "", results, on_progress, "checking", total, keep)
        return report

    def write(self, outputs: Outputs, on_progress: Progress | None) -> MergeReport:
        target = outputs.per_note if outputs.per_note is not None else outputs.cards
        assert target is not None
        per_note = outputs.per_note is not None
        manifests = manifest_targets(outputs)
        if per_note:
            make_folder(target)
        check_targets(outputs, manifests)
        work_dir = target if per_note else target.parent
        output_folders = {work_dir} | {p.parent for p in [outputs.envelopes, *manifests] if p}
        for where in output_folders:
            remove_stale(where)  # what runs that were killed left behind
        results: list[RowResult] = []
        report = MergeReport(results, per_note=outputs.per_note, manifest=manifests[0])
        total = self.total() if on_progress else None
        # Errors writing chunks (in any worker) are reported against the file the user named.
        with reported_as(target), ExitStack() as stack:
            folder = str(stack.enter_context(temp_folder(work_dir, output=target)))
            assembly = _Assembly(outputs, stack, self.setup, target)
            only = None
            if self.setup.sheet:
                # Sheets are filled in order: learn which rows fail first, so no slot stays empty.
                self._process(
                    self.chunks(folder, results, draw=False),
                    folder, results, on_progress, "checking", total, lambda *_: None,
                )  # fmt: skip
                only = {r.row for r in results if r.status == "ok"}
                assembly.per_sheet = self.per_sheet()
            chunks = self.chunks(folder, results, draw=True, only=only)
            self._process(chunks, folder, results, on_progress, "writing", total, assembly.add)
            report.files.extend(assembly.finish())
            if assembly.plots is not None:
                report.plot_estimate = assembly.plots.estimate
            for path in manifests:
                write_manifest(results, path, as_json=path.suffix == ".json", force=outputs.force)
                report.files.append(path)
        return report


def _reason(error: NotesError) -> str:
    return f"{error.message} ({error.hint})" if error.hint else error.message


def _cards_per_sheet(layout) -> int:  # noqa: ANN001 - notes.sheets layout
    for name in ("per_sheet", "count", "capacity"):
        value = getattr(layout, name, None)
        if isinstance(value, int):
            return value
    return len(layout.positions)


class _Assembly:
    """Joins chunk PDFs in order into the final files, and numbers pages in the manifest."""

    def __init__(self, outputs: Outputs, stack: ExitStack, setup: Setup, target: Path):
        self.outputs, self.setup, self.target = outputs, setup, target
        self.per_sheet = 0
        self.card_count = self.envelope_count = 0
        self.notes: list[tuple[str, Path]] = []  # per-note: (temp file, final name)
        self.used: set[str] = reserved_stems(outputs)  # case-folded stems taken
        self.cards = self.envelopes = None
        if outputs.per_note is None:
            self.cards = PdfJoiner(_temp_beside(stack, target))
        if outputs.envelopes is not None:
            self.envelopes = PdfJoiner(_temp_beside(stack, outputs.envelopes))
        self.plots = None
        if outputs.plot is not None:
            from notes.plotbatch import PlotFolder

            make_folder(outputs.plot.folder)
            self.plots = PlotFolder(outputs.plot)
            stack.callback(self.plots.discard)

    def add(self, chunk: ChunkResult, rows: list) -> None:
        from notes.filenames import safe_stem, unique_stem

        for row, outcome in rows:
            if outcome.error is not None or outcome.held:
                continue
            self.card_count += 1
            if self.outputs.per_note is not None:
                stem = unique_stem(safe_stem(outcome.recipient, fallback="note"), self.used)
                final = self.outputs.per_note / f"{stem}.pdf"
                self.notes.append((chunk.notes[row.row], final))
                row.output, row.page = str(final), 1
            elif self.per_sheet:
                sheet, slot = divmod(self.card_count - 1, self.per_sheet)
                row.sheet, row.position = sheet + 1, slot + 1
                row.page = sheet * (2 if self.setup.back_template else 1) + 1
                row.output = str(self.target)
            else:
                pages = 2 if self.setup.back_template else 1  # a duplex card: front, back
                row.output, row.page = str(self.target), (self.card_count - 1) * pages + 1
            if outcome.envelope:
                self.envelope_count += 1
                row.envelope_page = self.envelope_count
            if self.plots is not None and row.row in chunk.plots:
                self.plots.add(row.row, outcome.recipient, chunk.plots[row.row])
        if chunk.cards and self.cards is not None:
            self.cards.add(chunk.cards)
        if chunk.envelopes and self.envelopes is not None:
            with reported_as(self.outputs.envelopes):  # type: ignore[arg-type]
                self.envelopes.add(chunk.envelopes)

    def _close_envelopes(self) -> bool:
        with reported_as(self.outputs.envelopes):  # type: ignore[arg-type]
            return self.envelopes.close()  # type: ignore[union-attr]

    def finish(self) -> list[Path]:
        """Put the finished files in place; a PDF with no page (every row failed) is not written."""
        placed: list[tuple[Path, Path]] = []
        if self.cards is not None and self.cards.close():
            placed.append((self.cards.path, self.target))
        if self.envelopes is not None and self._close_envelopes():
            placed.append((self.envelopes.path, self.outputs.envelopes))  # type: ignore[arg-type]
        folder = self.outputs.per_note.resolve() if self.outputs.per_note else None
        for tmp, final in self.notes:
            if final.resolve().parent != folder:  # safe_stem makes this impossible; be sure
                raise OutputError("a file name left the output folder", where=str(final))
            placed.append((Path(tmp), final))
        if self.plots is not None:
            placed += self.plots.pending
        for _, final in placed:
            check_writable(final, force=self.outputs.force)
        for tmp, final in placed:
            place(tmp, final)
        return [final for _, final in placed]


def _temp_beside(stack: ExitStack, target: Path) -> Path:
    """A temporary file in the target's folder, removed when the merge ends."""
    path = temp_beside(target)
    stack.callback(path.unlink, missing_ok=True)
    return path
