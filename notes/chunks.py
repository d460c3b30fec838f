"""The work of one chunk of a mail merge, in this process or in a pool of spawned workers.

A chunk is a run of rows; `ChunkWriter` composes, plans and draws its notes into temporary PDFs
(cards, envelopes, or one PDF per note). A row that cannot be written becomes an `Outcome` with
its error, and the others carry on. `run_chunks` hands back results in chunk order, whatever the
number of workers, so any --jobs writes the same bytes.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain, islice

from notes.config import Shop
from notes.errors import (
    DataError,
    FontError,
    LayoutError,
    NotesError,
    OutputError,
    TemplateError,
)
from notes.render import Style
from notes.values import NumberStyle

ROW_ERRORS = (DataError, TemplateError, FontError, LayoutError)  # one row's problem, not the run's


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
    missing_address: str = "mark"  # [envelopes] missing: an address that fails its check
    # Fields the template formats as money -> (column, the number style the column shows).
    number_styles: dict[str, tuple[str, NumberStyle | None]] = field(default_factory=dict)
    plot: object | None = None  # notes.plotbatch.PlotJob: plot files too (--plot DIR)


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
    address: str = ""  # ok | warn | error: the envelope address's check ("" without envelopes)
    address_problem: str = ""
    held: bool = False  # not written: its address failed and [envelopes] missing = "hold"
    language: str = ""  # the card's language ("de")
    warning: str = ""  # e.g. why it is not in the customer's language


@dataclass
class ChunkResult:
    index: int
    outcomes: list[Outcome]
    cards: str | None = None  # chunk PDF of cards (or sheets)
    envelopes: str | None = None
    notes: dict[int, str] = field(default_factory=dict)  # per-note: row number -> PDF
    plots: dict[int, tuple] = field(default_factory=dict)  # --plot: row number -> PlotFiles


@dataclass
class _Note:
    plan: object  # NotePlan; None once drawn
    recipient: str
    text: str
    back: object = None
    envelope: object = None
    address: object = None  # notes.addresses.FormattedAddress, with --envelopes
    language: str = ""
    warning: str = ""
    pen_pages: tuple = ()  # --plot: the card (and envelope) in a stroke font


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
        self.plotter = None
        if setup.plot is not None:
            from notes.plotbatch import NotePlotter

            self.plotter = NotePlotter(setup.style, setup.plot)

    def note(self, row: Row) -> _Note:
        from notes.compose import compose_card, compose_note

        s = self.setup
        card = compose_card(
            s.template,
            row.fields,
            shop=s.shop,
            today=s.today,
            seed=s.seed,
            number_styles=s.number_styles,
        )
        text, recipient = card.text, card.recipient
        address = None
        if s.envelope_size:
            from notes.envelopes import envelope_address

            address = envelope_address(row.fields, s.shop)
            if address.status == "error" and s.missing_address == "hold":
                return _Note(None, recipient, text, address=address)  # held: nothing to draw
        # Two "Ana Souza" rows get different hands: the row number is part of the key.
        key = f"{recipient}\x1f{row.number}"
        note = _Note(self.renderer.plan(text, key=key), recipient, text, address=address)
        note.language, note.warning = card.language, card.warning
        if s.back_template:
            back, _ = compose_note(
                s.back_template,
                row.fields,
                shop=s.shop,
                today=s.today,
                seed=s.seed,
                number_styles=s.number_styles,
            )
            note.back = self.renderer.plan(back, key=f"{key}\x1fback")
        if address is not None:
            from notes.envelopes import envelope_lines, envelope_plan, packer_note

            # Every card gets its envelope (an address that fails, or none at all, is marked),
            # so card k and envelope page k stay the same customer's.
            note.envelope = envelope_plan(
                self.renderer,
                envelope_lines(address, recipient),
                list(s.shop.return_address),
                s.envelope_size,
                key=key,
                packer_note=packer_note(address),
            )
        if self.plotter is not None:
            envelope = None
            if note.envelope is not None:
                envelope = (list(address.lines), list(s.shop.return_address), s.envelope_size)
            note.pen_pages = self.plotter.pages(text, key=key, envelope=envelope)
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
            outcome = Outcome(row.number, note.recipient, None, has_envelope, keep)
            outcome.language, outcome.warning = note.language, note.warning
            if note.address is not None:
                outcome.address = note.address.status
                outcome.address_problem = note.address.reason
                outcome.held = note.plan is None
            result.outcomes.append(outcome)
            if not chunk.draw or outcome.held:
                continue
            if self.plotter is not None:
                result.plots[row.number] = self.plotter.files(note.pen_pages)
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


def run_chunks(
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

    earlier_children = set(multiprocessing.active_children())
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
    except KeyboardInterrupt:
        # Stop now rather than wait for the chunks being drawn: they are thrown away anyway.
        for worker in set(multiprocessing.active_children()) - earlier_children:
            worker.terminate()
        raise
    except BrokenProcessPool:
        raise OutputError(
            "a worker process stopped before finishing its cards (out of memory, or killed?)",
            hint="nothing was written; run again, with fewer --jobs (or --jobs 1)",
        ) from None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
