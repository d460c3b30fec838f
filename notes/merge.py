"""Mail merge: a table of customers -> one handwritten card per row, in chunks, in a process pool.

Rows stream from `notes.sources` in chunks of CHUNK notes. Each chunk is composed, planned and
drawn into its own temporary PDF (reportlab holds every page until save(), so one big canvas would
grow with the row count), and the chunk PDFs are joined in order by a streaming writer. Chunk
boundaries depend only on the rows, never on --jobs, so any number of workers writes the same bytes.
A row that cannot be written (missing value, uncovered character, too long) becomes a failed
manifest row with its file line; the others carry on.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import BinaryIO

from notes.config import Shop
from notes.errors import (
    DataError,
    FontError,
    LayoutError,
    NotesError,
    OutputError,
    TemplateError,
    UsageError,
)
from notes.manifest import RowResult, manifest_path, write_manifest
from notes.pdf import check_writable, readable
from notes.render import Style

CHUNK = 250  # notes per temporary PDF: ~15 MB of pages in reportlab at most
ROW_ERRORS = (DataError, TemplateError, FontError, LayoutError)  # one row's problem, not the run's
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


@dataclass
class MergeReport:
    rows: list[RowResult]
    files: list[Path] = field(default_factory=list)  # everything written, manifest included
    texts: list[tuple[RowResult, str]] = field(default_factory=list)  # dry run: the first notes
    dry_run: bool = False
    per_note: Path | None = None  # the folder of one-PDF-per-note output

    def count(self, status: str) -> int:
        return sum(row.status == status for row in self.rows)

    @property
    def failed(self) -> list[RowResult]:
        return [row for row in self.rows if row.status == "failed"]


# ---------------------------------------------------------------- before anything renders


def parse_rows(spec: str) -> set[int]:
    """'3,7-9' -> {3, 7, 8, 9}: data rows counted from 1, as in the manifest."""
    chosen: set[int] = set()
    for part in spec.split(","):
        part = part.strip()
        match = re.fullmatch(r"(\d+)(?:\s*-\s*(\d+))?", part)
        if (
            not match
            or int(match.group(1)) < 1
            or int(match.group(2) or match.group(1)) < int(match.group(1))
        ):
            raise UsageError(
                f"--rows {spec!r}: cannot read {part!r}",
                hint="give row numbers from 1 and ranges, e.g. --rows 3,7-9",
            )
        chosen.update(range(int(match.group(1)), int(match.group(2) or match.group(1)) + 1))
    return chosen


def _guarded_names(source: str) -> set[str]:
    """Names the template only uses behind `is defined` (or `is undefined`) tests."""
    import jinja2
    from jinja2 import nodes

    ast = jinja2.Environment().parse(source)
    return {
        test.node.name
        for test in ast.find_all(nodes.Test)
        if test.name in ("defined", "undefined") and isinstance(test.node, nodes.Name)
    }


def _available(fields: Iterable[str]) -> set[str]:
    """Fields a record can give, counting what the context derives (first name from name...)."""
    have = set(fields)
    if have & {"name", "first_name", "last_name"}:
        have |= {"name", "first_name"}
    if "name" in have:
        have.add("last_name")
    if have & {"product", "products"}:
        have |= {"product", "products"}
    return have


def required_fields(info) -> list[str]:  # noqa: ANN001 - a notes.templating.TemplateInfo
    """What a record must give: declared `required`, plus fields the template uses unguarded."""
    from notes.templating import template_fields

    used = template_fields(info) - set(info.optional) - _guarded_names(info.source)
    return list(dict.fromkeys([*info.required, *sorted(used)]))


def preflight(info, columns: list[str], colmap: Mapping[str, str], *, source: str = "") -> None:  # noqa: ANN001
    """Raise TemplateError naming the first field the template needs that no column gives."""
    from notes.sources import closest_column

    have = _available(colmap)
    for field_name in required_fields(info):
        if field_name in have:
            continue
        close = closest_column(field_name, columns)
        hint = f"columns present: {', '.join(columns) or '(none)'}"
        if close:
            hint += f"; closest match: {close!r}, use it with --map {field_name}={_quoted(close)}"
        else:
            hint += f"; add a column for it, or name one with --map {field_name}=COLUMN"
        raise TemplateError(
            f"template {info.name!r} needs field {field_name!r}, but no column gives it",
            where=source or None,
            hint=hint,
        )


def _quoted(column: str) -> str:
    return f'"{column}"' if re.search(r"[^\w.-]", column) else column


def check_targets(outputs: Outputs, manifests: list[Path]) -> None:
    """Fail before rendering when a file would be overwritten without --force, or has no folder."""
    for path in [outputs.cards, outputs.envelopes, *manifests]:
        if path is not None:
            check_writable(path, force=outputs.force)


# ---------------------------------------------------------------- the work of one chunk


@dataclass(frozen=True)
class Setup:
    """Everything a worker needs, the same for every chunk; picklable for spawned processes."""

    template: str
    style: Style
    shop: Shop
    today: str
    seed: int
    sheet: str | None = None
    bleed_mm: float = 0.0
    duplex: bool = False
    envelope_size: str | None = None
    back_template: str | None = None  # duplex: the template of every card's back
    per_note: bool = False
    columns: dict[str, str] = field(default_factory=dict)  # field -> column, for messages
    template_name: str = ""
    strict: bool = False
    keep_text: bool = False


@dataclass(frozen=True)
class Row:
    number: int
    line: int
    where: str
    fields: dict[str, str]


@dataclass(frozen=True)
class Chunk:
    index: int
    rows: list[Row]
    folder: str  # where the chunk's files go
    draw: bool = True  # False: compose and plan only (dry run, sheet pre-pass)


@dataclass
class Outcome:
    number: int
    recipient: str = ""
    error: NotesError | None = None
    envelope: bool = False
    text: str = ""


@dataclass
class ChunkResult:
    index: int
    outcomes: list[Outcome]
    cards: str | None = None  # chunk PDF of cards (or sheets)
    envelopes: str | None = None
    notes: dict[int, str] = field(default_factory=dict)  # per-note: row number -> PDF


@dataclass
class _Note:
    plan: object  # NotePlan; None once drawn
    recipient: str
    text: str
    back: object = None
    envelope: object = None


class ChunkWriter:
    """Composes, plans and draws chunks; keeps the fonts loaded between them."""

    def __init__(self, setup: Setup):
        from notes.render import Renderer

        self.setup = setup
        self.renderer = Renderer(setup.style)
        self.layout = None
        if setup.sheet:
            from notes.sheets import sheet_layout

            self.layout = sheet_layout(setup.style.card, setup.sheet, bleed_mm=setup.bleed_mm)

    def note(self, row: Row) -> _Note:
        from notes.compose import compose_note

        s = self.setup
        text, recipient = compose_note(
            s.template, row.fields, shop=s.shop, today=s.today, seed=s.seed
        )
        # Two "Ana Souza" rows get different hands: the row number is part of the key.
        key = f"{recipient}\x1f{row.number}"
        note = _Note(self.renderer.plan(text, key=key), recipient, text)
        if s.back_template:
            back, _ = compose_note(
                s.back_template, row.fields, shop=s.shop, today=s.today, seed=s.seed
            )
            note.back = self.renderer.plan(back, key=f"{key}\x1fback")
        if s.envelope_size:
            from notes.envelopes import envelope_plan, format_address

            lines = format_address(row.fields, home_country=home_country(s.shop))
            if lines:
                note.envelope = envelope_plan(
                    self.renderer, lines, list(s.shop.return_address), s.envelope_size, key=key
                )
        return note

    def run(self, chunk: Chunk) -> ChunkResult:
        result = ChunkResult(chunk.index, [])
        notes: list[_Note] = []
        for row in chunk.rows:
            try:
                note = self.note(row)
            except ROW_ERRORS as exc:
                result.outcomes.append(Outcome(row.number, error=self._explain(exc, row)))
                if self.setup.strict:
                    break
                continue
            keep = note.text if self.setup.keep_text else ""
            has_envelope = note.envelope is not None
            result.outcomes.append(Outcome(row.number, note.recipient, None, has_envelope, keep))
            if not chunk.draw:
                continue
            if self.setup.per_note:
                path = os.path.join(chunk.folder, f"note-{row.number:09d}.pdf")
                self._write_cards([note], path)
                result.notes[row.number] = path
                note.plan = note.back = None  # drawn: only the envelope is still needed
            notes.append(note)
        if chunk.draw:
            base = os.path.join(chunk.folder, f"chunk-{chunk.index:07d}")
            if notes and not self.setup.per_note:
                result.cards = f"{base}.cards.pdf"
                self._write_cards(notes, result.cards)
            envelopes = [note.envelope for note in notes if note.envelope is not None]
            if envelopes:
                from notes.envelopes import write_envelopes

                result.envelopes = f"{base}.envelopes.pdf"
                write_envelopes(envelopes, result.envelopes, force=True)
        return result

    def _explain(self, error: NotesError, row: Row) -> NotesError:
        """A field the template needs whose column is there but empty in this row: say so."""
        name = getattr(error, "field", None)
        column = self.setup.columns.get(name or "")
        if column and not (row.fields.get(name) or "").strip():
            return TemplateError(
                f"{column!r} is empty in this row, and template {self.setup.template_name!r} "
                f"needs it ({name})",
                hint=f"fill in {column!r} for this row, or leave the row out with --rows",
            )
        return error

    def _write_cards(self, notes: list[_Note], path: str) -> None:
        fronts = [note.plan for note in notes]
        backs = [note.back for note in notes] if self.setup.back_template else None
        if self.layout is not None:
            from notes.sheets import write_sheets

            write_sheets(fronts, path, self.layout, force=True, backs=backs)
            return
        from notes.render import write_cards

        # Without sheets a duplex card is two pages: its front, then its back.
        pages = [p for pair in zip(fronts, backs, strict=True) for p in pair] if backs else fronts
        write_cards(pages, path, force=True)


_WORKER: ChunkWriter | None = None


def _start_worker(setup: Setup) -> None:
    import signal

    # Ctrl-C is the parent's to handle (it cancels the pool and removes temporary files);
    # workers that saw it too would each print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    global _WORKER
    _WORKER = ChunkWriter(setup)


def _run_in_worker(chunk: Chunk) -> ChunkResult:
    assert _WORKER is not None, "the pool's initializer did not run"
    return _WORKER.run(chunk)


def home_country(shop: Shop) -> str:
    """'en_US' -> 'US': addresses in the shop's own country leave the country line off."""
    parts = shop.locale.replace("-", "_").split("_")
    return parts[1].upper() if len(parts) > 1 else ""


def _run_chunks(
    setup: Setup, chunks: Iterator[Chunk], jobs: int, local: ChunkWriter | None
) -> Iterator[ChunkResult]:
    """Results in chunk order. A pool only when there are at least two chunks to share out."""
    first = list(islice(chunks, 2))
    if jobs <= 1 or len(first) < 2:
        worker = local or ChunkWriter(setup)
        for chunk in chain(first, chunks):  # not a list: that would hold every row at once
            yield worker.run(chunk)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # spawn: no fork of a parent holding fonts and open files; top-level functions only.
    pool = ProcessPoolExecutor(
        jobs,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(setup,),
    )
    try:
        pending: deque = deque()
        for chunk in chain(first, chunks):  # not a list: that would hold every row at once
            pending.append(pool.submit(_run_in_worker, chunk))
            # A bounded window: chunks read ahead stay few, so memory does not grow with rows.
            if len(pending) >= 2 * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    except BrokenProcessPool:
        raise OutputError(
            "a worker process stopped before finishing its cards (out of memory, or killed?)",
            hint="nothing was written; run again, with fewer --jobs (or --jobs 1)",
        ) from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# ---------------------------------------------------------------- the merge


def merge(
    source: str | Path,
    *,
    template: str,
    outputs: Outputs,
    style: Style | None = None,
    shop: Shop | None = None,
    mapping: Mapping[str, str] | None = None,
    rows: set[int] | None = None,
    limit: int | None = None,
    strict: bool = False,
    dry_run: bool = False,
    today: str | None = None,
    jobs: int | None = None,
    stdin: BinaryIO | None = None,
    on_progress: Progress | None = None,
    chunk_size: int = CHUNK,
) -> MergeReport:
    """Merge `source` (CSV/JSON/JSON Lines, '-' = stdin) into cards; see `Outputs`.

    Raises NotesError for problems of the whole run (bad template, missing column, file exists),
    and for the first failed row when `strict`. Failed rows are otherwise in the report.
    """
    from notes.sources import column_map, read_table
    from notes.templating import load_template

    style = style or Style()
    shop = shop or Shop()
    if outputs.cards is None and outputs.per_note is None and not dry_run:
        raise UsageError("nowhere to write the cards", hint="give -o cards.pdf or --per-note DIR")
    if outputs.per_note is not None and outputs.sheet:
        raise UsageError("--sheet imposes cards into one PDF; it cannot go with --per-note")
    table = read_table(source, stdin=stdin)
    colmap = column_map(table.columns, dict(mapping or {}))
    info = load_template(template)
    preflight(info, table.columns, colmap, source=table.source)
    envelope_size = None
    if outputs.envelopes is not None:
        from notes.cards import ENVELOPE_FOR_CARD, parse_envelope

        wanted = outputs.envelope_size or ENVELOPE_FOR_CARD.get(style.card.name, "c6")
        envelope_size = parse_envelope(wanted)[0]
    back_template = _back_template(info) if outputs.duplex else None
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
    )
    run = _Run(setup, table, colmap, info.name, rows, limit, jobs or os.cpu_count() or 1)
    run.chunk_size = chunk_size
    if dry_run:
        return run.dry_run(on_progress)
    return run.write(outputs, on_progress)


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

    def records(self) -> Iterator[tuple[Row | None, RowResult]]:
        """(row to render or None when blank, its manifest row) for the selected records."""
        from notes.sources import record_fields

        taken = 0
        for number, record in enumerate(self.table, 1):
            if self.selected is not None and number not in self.selected:
                continue
            if self.limit is not None and taken >= self.limit:
                break
            taken += 1
            where = record.where()
            result = RowResult(number, record.line, where, self.template_name)
            if not any(value.strip() for value in record.raw.values()):
                result.status, result.error = "skipped", "the row is empty"
                yield None, result
                continue
            yield Row(number, record.line, where, record_fields(record, self.colmap)), result

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
        for chunk_result in _run_chunks(self.setup, chunks, self.jobs, local):
            rows = []
            for outcome in chunk_result.outcomes:
                row = by_number[outcome.number]
                row.recipient = outcome.recipient
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
        manifests = [outputs.manifest or manifest_path(target, per_note=per_note)]
        if outputs.manifest_json:
            manifests.append(manifests[0].with_suffix(".json"))
        if per_note:
            target.mkdir(parents=True, exist_ok=True)
        check_targets(outputs, manifests)
        results: list[RowResult] = []
        report = MergeReport(results, per_note=outputs.per_note)
        total = self.total() if on_progress else None
        work_dir = target if per_note else target.parent
        with ExitStack() as stack:
            folder = stack.enter_context(
                tempfile.TemporaryDirectory(prefix=".notes-merge-", dir=work_dir)
            )
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
        self.used: set[str] = set()
        self.cards = self.envelopes = None
        if outputs.per_note is None:
            self.cards = PdfJoiner(_temp_beside(stack, target))
        if outputs.envelopes is not None:
            self.envelopes = PdfJoiner(_temp_beside(stack, outputs.envelopes))

    def add(self, chunk: ChunkResult, rows: list) -> None:
        from notes.filenames import safe_stem, unique_stem

        for row, outcome in rows:
            if outcome.error is not None:
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
        if chunk.cards and self.cards is not None:
            self.cards.add(chunk.cards)
        if chunk.envelopes and self.envelopes is not None:
            self.envelopes.add(chunk.envelopes)

    def finish(self) -> list[Path]:
        """Put the finished files in place; a PDF with no page (every row failed) is not written."""
        placed: list[tuple[Path, Path]] = []
        if self.cards is not None and self.cards.close():
            placed.append((self.cards.path, self.target))
        if self.envelopes is not None and self.envelopes.close():
            placed.append((self.envelopes.path, self.outputs.envelopes))  # type: ignore[arg-type]
        folder = self.outputs.per_note.resolve() if self.outputs.per_note else None
        for tmp, final in self.notes:
            if final.resolve().parent != folder:  # safe_stem makes this impossible; be sure
                raise OutputError("a file name left the output folder", where=str(final))
            placed.append((Path(tmp), final))
        for _, final in placed:
            if final.exists() and not self.outputs.force:
                raise OutputError(
                    "file exists; not overwriting it",
                    where=str(final),
                    hint="pass --force to replace it, or write to a new name or folder",
                )
        for tmp, final in placed:
            readable(tmp)
            os.replace(tmp, final)
        return [final for _, final in placed]


def _temp_beside(stack: ExitStack, target: Path) -> Path:
    """A temporary file in the target's folder (so the final rename is atomic), removed on exit."""
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    os.close(fd)
    path = Path(name)
    readable(path)
    stack.callback(path.unlink, missing_ok=True)
    return path


# ---------------------------------------------------------------- joining chunk PDFs


class PdfJoiner:
    """Appends PDFs page by page to one file, streaming: one input open at a time, flat memory.

    pypdf's PdfWriter keeps every page object until write(); this writes each object as soon as
    it is copied and keeps only the offsets. Font subsets are renamed per input because every
    reportlab document tags its first subset the same way (AAAAAA+...).
    """

    def __init__(self, path: Path):
        self.path = path
        self._first: str | None = None  # one input alone is moved into place, not rewritten
        self._out: BinaryIO | None = None
        self._offsets = array("q", [0] * 4)  # by object number: 8 bytes a PDF object
        self._kids: list[int] = []
        self._next = 4  # 1 catalog, 2 pages, 3 info
        self._inputs = 0

    def add(self, pdf: str) -> None:
        if self._out is None and self._first is None:
            self._first = pdf
            return
        if self._out is None:
            self._out = open(self.path, "wb")  # noqa: SIM115 - closed in close()
            self._out.write(b"%PDF-1.4\n%\x93\x8c\x8b\x9e\n")
            first, self._first = self._first, None
            self._copy(first)  # type: ignore[arg-type]
        self._copy(pdf)

    def close(self) -> bool:
        """Finish the file; False when nothing was added (and nothing is written)."""
        if self._out is None:
            if self._first is None:
                return False
            os.replace(self._first, self.path)
            return True
        kids = " ".join(f"{n} 0 R" for n in self._kids)
        self._write(2, f"<< /Type /Pages /Count {len(self._kids)} /Kids [ {kids} ] >>".encode())
        self._write(1, b"<< /Type /Catalog /Pages 2 0 R >>")
        self._write(3, b"<< /Creator (notes) /Producer (notes) /Title (Notes) >>")
        out = self._out
        start = out.tell()
        size = self._next
        out.write(f"xref\n0 {size}\n0000000000 65535 f \n".encode())
        for number in range(1, size):
            out.write(f"{self._offsets[number]:010d} 00000 n \n".encode())
        trailer = (
            f"trailer\n<< /Size {size} /Root 1 0 R /Info 3 0 R >>\nstartxref\n{start}\n%%EOF\n"
        )
        out.write(trailer.encode())
        out.close()
        return True

    def _write(self, number: int, body: bytes | object) -> None:
        out = self._out
        assert out is not None
        if number >= len(self._offsets):
            self._offsets.extend([0] * (number + 1 - len(self._offsets)))
        self._offsets[number] = out.tell()
        out.write(f"{number} 0 obj\n".encode())
        if isinstance(body, bytes):
            out.write(body)
        else:
            body.write_to_stream(out)  # type: ignore[attr-defined]
        out.write(b"\nendobj\n")

    def _copy(self, pdf: str) -> None:
        from pypdf import PdfReader
        from pypdf.generic import (
            ArrayObject,
            DictionaryObject,
            IndirectObject,
            NameObject,
            StreamObject,
        )

        self._inputs += 1
        reader = PdfReader(pdf)
        numbers: dict[int, int] = {}
        queue: deque[tuple[int, IndirectObject]] = deque()
        tag = f"{self._inputs}"

        def ref(old: IndirectObject) -> IndirectObject:
            new = numbers.get(old.idnum)
            if new is None:
                new = numbers[old.idnum] = self._next
                self._next += 1
                queue.append((new, old))
            return IndirectObject(new, 0, None)  # type: ignore[arg-type]

        def convert(obj: object) -> object:
            if isinstance(obj, IndirectObject):
                return ref(obj)
            if isinstance(obj, DictionaryObject):
                new = StreamObject() if isinstance(obj, StreamObject) else DictionaryObject()
                if isinstance(obj, StreamObject):
                    new._data = obj._data  # still encoded: copied, not recompressed
                for key, value in dict.items(obj):
                    if key == "/Length" and isinstance(obj, StreamObject):
                        continue
                    if key in ("/BaseFont", "/FontName") and _SUBSET.match(value):
                        value = NameObject(_retag(value, tag))
                    new[NameObject(key)] = convert(value)
                return new
            if isinstance(obj, ArrayObject):
                return ArrayObject(convert(v) for v in obj)
            return obj

        for page in reader.pages:
            number = self._next
            self._next += 1
            copied = convert(
                DictionaryObject({k: v for k, v in dict.items(page) if k != "/Parent"})
            )
            copied[NameObject("/Parent")] = IndirectObject(2, 0, None)  # type: ignore[index,arg-type]
            self._kids.append(number)
            self._write(number, copied)
            while queue:
                new, old = queue.popleft()
                self._write(new, convert(old.get_object()))
        os.unlink(pdf)


_SUBSET = re.compile(r"^/[A-Z]{6}\+")


def _retag(name: str, tag: str) -> str:
    """/AAAAAA+Caveat from input 3 -> /QXJZKD+Caveat: distinct subsets get distinct names."""
    import hashlib

    digest = hashlib.sha256(f"{tag}\x1f{name}".encode()).digest()
    letters = "".join(chr(65 + b % 26) for b in digest[:6])
    return f"/{letters}+{name[8:]}"
