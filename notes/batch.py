"""The one batch core of `notes merge` and `notes day`: jobs in, planned cards out, in order.

A `Job` (a recipient's fields and context, the template, whose hand) becomes a `Planned` card:
the card's front (and back), its envelope and plot files as plain drawing-model data, and what
its manifest record needs; or the same record with the row's error. `plan_cards` plans jobs in
this process or, with --jobs N, in N - 1 workers (notes.pool) and this process together, and hands
the results back in job order, a bounded window at a time, so memory stays flat in the number of
notes and any --jobs gives the same cards. Workers ship each letter shape once
(`Planned.shapes`); `notes.batchwrite` numbers them into the documents it writes.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import islice
from typing import Any

from notes import records
from notes.config import Shop
from notes.drawing import Glyph
from notes.errors import DataError, FontError, LayoutError, NotesError, TemplateError
from notes.exact import exact_words
from notes.records import replace  # dataclasses.replace, quicker for records
from notes.render import NotePlan, Style
from notes.values import NumberStyle

ROW_ERRORS = (DataError, TemplateError, FontError, LayoutError)  # one row's problem, not the run's
BATCH = 16  # jobs a worker plans per task: fewer round trips; independent of --jobs
# Jobs below which a pool of workers costs more than it gains, whatever --jobs says
# (the default is one worker per core). Measured through the CLI (benchmarks/bench_merge.py's
# rows, --jobs 2, pool forced against one process, 2 runs each alternated), 2026-11-26 at the end
# of session 5 on this 2-core machine with its second core free (load 1.2-1.5): 300 notes 1.03
# and 1.05 s against 1.04 and 1.00 (even); 600 1.53 and 1.58 against 1.80 and 1.78; 1000 2.23
# and 2.39 against 2.74 and 2.84; 3000 5.50 and 5.90 against 7.83 and 7.99 (1.37x). A pooled run
# spends ~40 % more CPU in all (each worker's start ~0.3 s, a card pickled ~16 KB and back
# ~0.35 ms, its glyphs renumbered ~0.1 ms; the parent's serial share ~1.1 ms a card, deflate
# ~0.75 of it), so on a machine whose second core is busy it loses (load 3.3: 1000 notes 8.0 s
# against 4.9, 3000 13.1 against 9.3): 1000, not the break-even 300-500, leaves a margin.
# Session 9 (one worker and the parent planning too), at load 4-5 (both cores busy): a forced
# pool still costs more at 300, 600 and 1000 rows (CPU 1.40 against 0.87 s, 2.02 against
# 1.34, 2.72 against 1.82; wall worse), so POOL_FROM stays.
# Session 10, workers forked warm (notes.pool): a forced pool's extra CPU is ~0.3 s whatever the
# rows (300: 1.26 and 1.23 s against 0.96 and 0.98; 600: 1.78 and 1.91 against 1.44 and 1.48;
# 1000: 2.49 and 2.48 against 2.19 and 2.08), and even at load 9-11 its wall was shorter (600:
# 9.7 and 8.7 s against 11.1 and 11.8); spawned workers (macOS, Windows) cost more, so 600.
POOL_FROM = 600


@dataclass(init=False, repr=False, eq=False)
class Setup(records.FrozenRecord):
    """Everything a planner needs, the same for every job; picklable for spawned processes."""

    style: Style
    shop: Shop
    today: str
    envelope_size: str | None = None  # None: no envelopes
    missing_address: str = "mark"  # [envelopes] missing: an address that fails its check
    back_template: str | None = None  # duplex: the template of every card's back
    # Fields the template formats as money -> (column, the number style the column shows).
    number_styles: dict[str, tuple[str, NumberStyle | None]] = field(default_factory=dict)
    plot: Any = None  # notes.plotbatch.PlotJob: plot files too
    qr_codes: Any = None  # notes.qr.CardCodes: a QR code with each customer's link
    columns: dict[str, str] = field(default_factory=dict)  # field -> column, for messages
    template_name: str = ""


@dataclass(init=False, repr=False, eq=False)
class Job(records.FrozenRecord):
    """One card to plan. `number` orders the cards; `key` picks the hand (None: the composed
    recipient and the number, so two "Ana Souza" rows get different hands)."""

    number: int
    fields: dict[str, Any]
    template: str
    key: str | None = None
    extra: dict[str, Any] | None = None  # context beyond the fields (a sales day's facts)
    name: str = ""  # the name on the envelope; "" is the composed recipient
    text: str | None = None  # the shop's own words (review page): plain text, not a template
    hand: str | None = None  # the card's hand when not `key` (another seed on the review page)
    link_values: dict[str, Any] | None = None  # what fills the QR code's link
    warning: str = ""  # found while making the job (e.g. no given name to greet)
    words: str | None = None  # `notes write --text`: the user's words for the blank template


@dataclass(init=False, repr=False, eq=False)
class Planned(records.Record):
    """A planned card, or the reason there is none. Plain data: it crosses processes."""

    number: int
    worker: str = ""
    shapes: list[tuple[Hashable, Glyph]] = field(default_factory=list)  # new in this worker
    recipient: str = ""
    text: str = ""
    language: str = ""
    warning: str = ""
    address: str = ""  # ok | warn | error ("" without envelopes)
    address_problem: str = ""
    held: bool = False  # its address failed and [envelopes] missing = "hold": nothing drawn
    link: str = ""
    error: NotesError | None = None
    front: NotePlan | None = None  # glyph ids are the worker's own (see `shapes`)
    back: NotePlan | None = None
    envelope: Any = None  # notes.envelopes.EnvelopePlan
    plots: tuple = ()  # notes.plotbatch.PlotFile of the card (and envelope)
    size: float = 0.0  # the front's writing size in pt (the layout stays in the planner)
    # A forked planner's first card: (its parent planner, n): its ids below n are the parent's.
    inherits: tuple[str, int] | None = None

    @property
    def drawn(self) -> bool:
        return self.error is None and not self.held


class Planner:
    """Plans jobs in one process; keeps the fonts loaded between them.

    `placed`: the cards' outlined words come as the PDF writer draws them, their letters
    written as PDF operators as they are placed (see notes.pdf.placing): what the batch's own
    planners do, in a worker (one string per word crosses instead of seven numbers per letter)
    or in the writing process; any --jobs writes the same bytes. Without, the cards are plain
    drawing-model data, for any writer."""

    def __init__(self, setup: Setup, *, placed: bool = False):
        from notes.compose import Composer
        from notes.render import Renderer
        from notes.templates import load_template

        self.setup = setup
        self.renderer = Renderer(setup.style, placed=placed)
        if setup.qr_codes is not None:
            self.renderer.box = setup.qr_codes.room(self.renderer.box)  # text clear of the code
        self.plotter = None
        if setup.plot is not None:
            from notes.plotbatch import NotePlotter

            self.plotter = NotePlotter(setup.style, setup.plot)
        # The planner's templates, each loaded once: the user's own file was read, its metadata
        # parsed and its check looked up on disk again for every note (0.22 ms, a bundled one
        # 0.02 ms); and a run writes every card from the same version of it.
        self.templates = lru_cache(maxsize=16)(load_template)
        self.composer = Composer(
            shop=setup.shop, today=setup.today, seed=setup.style.seed,
            number_styles=setup.number_styles, load=self.templates,
        )  # fmt: skip
        import uuid  # once per planner: not at every start

        self.worker = uuid.uuid4().hex  # tells this planner's glyph ids from another's
        self.shipped = 0  # glyph shapes of the table already sent with an earlier card
        self.inherits: tuple[str, int] | None = None  # told with the next card (see adopt)

    def adopt(self) -> None:
        """In a process forked from this planner's: a planner of its own, whose first ids are
        the parent planner's (the shapes it had sent: the writer has them)."""
        import uuid

        self.inherits = (self.worker, self.shipped)
        self.worker = uuid.uuid4().hex

    def plan(self, job: Job) -> Planned:
        planned = Planned(job.number, self.worker)
        try:
            self._plan(job, planned)
        except ROW_ERRORS as exc:
            planned.error = self._explain(exc, job)
            planned.front = planned.back = planned.envelope = None
            planned.plots = ()
        planned.shapes = self._new_shapes()
        if self.inherits is not None:
            planned.inherits, self.inherits = self.inherits, None
        return planned

    def _plan(self, job: Job, planned: Planned) -> None:
        s = self.setup
        card = self._compose(job.template, job, text=job.words)
        planned.recipient, planned.language = card.recipient, card.language
        planned.text = job.text if job.text is not None else card.text
        planned.warning = "; ".join(w for w in (job.warning, card.warning) if w)
        key = job.key if job.key is not None else f"{card.recipient}\x1f{job.number}"
        address = None
        if s.envelope_size:
            from notes.envelopes import envelope_address

            address = envelope_address(job.fields, s.shop)
            planned.address, planned.address_problem = address.status, address.reason
            if address.status == "error" and s.missing_address == "hold":
                planned.held = True
                return
        # Field values that must be read exactly (codes, postcodes, URLs): see notes.exact.
        exact = exact_words({**job.fields, **job.extra} if job.extra else job.fields)
        planned.front = self.renderer.plan(planned.text, key=job.hand or key, exact=exact)
        planned.size = planned.front.layout.size
        if s.qr_codes is not None and job.link_values is not None:
            planned.link = s.qr_codes.link_for(job.link_values)
            if planned.link:
                extras = (*planned.front.extras, *s.qr_codes.strokes_for(planned.link))
                planned.front = replace(planned.front, extras=extras)
        if s.back_template:
            back = self._compose(s.back_template, job)
            planned.back = self.renderer.plan(back.text, key=f"{key}\x1fback", exact=exact)
        lines = self._envelope(planned, address, job.name or card.recipient, key)
        if self.plotter is not None:
            on_envelope = None
            if planned.envelope is not None:
                on_envelope = (lines, list(s.shop.return_address), s.envelope_size)
            pages = self.plotter.pages(planned.text, key=key, envelope=on_envelope)
            planned.plots = self.plotter.files(pages)
        planned.front, planned.back = _shipped(planned.front), _shipped(planned.back)

    def _compose(self, template: str, job: Job, text: str | None = None):  # noqa: ANN202
        return self.composer.card(template, job.fields, text=text, extra=job.extra)

    def _envelope(self, planned: Planned, address: Any, name: str, key: str) -> list[str]:
        """Every card gets its envelope (an address that fails, or none at all, is marked),
        so card k and envelope page k stay the same customer's."""
        if address is None:
            return []
        from notes.envelopes import envelope_lines, envelope_plan, packer_note

        s = self.setup
        lines = envelope_lines(address, name)
        planned.envelope = envelope_plan(
            self.renderer, lines, list(s.shop.return_address), s.envelope_size,
            key=key, packer_note=packer_note(address),
        )  # fmt: skip
        planned.envelope = replace(planned.envelope, glyphs=None)
        return lines

    def _new_shapes(self) -> list[tuple[Hashable, Glyph]]:
        table = self.renderer.glyphs
        # Ids are given in the order keys came: the new keys are the last ones, read from the
        # end (skipping the thousands of words' shapes shipped before cost 0.12 ms a card).
        keys = list(islice(reversed(table.ids), len(table) - self.shipped))[::-1]
        ids = [table.ids[key] for key in keys]
        shapes = [(key, table[glyph_id]) for key, glyph_id in zip(keys, ids, strict=True)]
        for glyph_id in ids:  # sent: the writer has them now
            table.shed(glyph_id)
        self.shipped = len(table)
        return shapes

    def _explain(self, error: NotesError, job: Job) -> NotesError:
        """A field the template needs whose column is there but empty in this row: say so."""
        name = getattr(error, "field", None)
        column = self.setup.columns.get(name or "")
        if column and not str(job.fields.get(name) or "").strip():
            return TemplateError(
                f"{column!r} is empty in this row, and template {self.setup.template_name!r} "
                f"needs it ({name})",
                hint=f"fill in {column!r} for this row, or leave the row out with --rows",
            )
        return error


def _shipped(plan: NotePlan | None) -> NotePlan | None:
    """The plan as it crosses to the writer: its drawing, not its layout or the whole table."""
    return None if plan is None else replace(plan, layout=None, glyphs=None)


def for_writer(planned: Planned) -> Planned:
    """A worker's card with its notes' words formatted for the PDF writer (notes.pdf.prepared,
    the same bytes): the parent is serial, and drawing them there held up the pool; the one
    process draws them itself (formatting first costs it a little more)."""
    from notes.pdf.prepared import formatted

    for side in ("front", "back"):
        plan = getattr(planned, side)
        if plan is not None:
            setattr(planned, side, replace(plan, words=formatted(plan.words)))
    return planned


def _batches(jobs: Iterable[Job]) -> Iterator[list[Job]]:
    jobs = iter(jobs)
    while batch := list(islice(jobs, BATCH)):
        yield batch


def plan_cards(
    setup: Setup, jobs: Iterable[Job], workers: int = 1, *, local: Planner | None = None
) -> Iterator[Planned]:
    """Every job planned, in job order. A pool only for --jobs > 1 and at least POOL_FROM jobs
    (and more than one batch)."""
    batches = _batches(jobs)
    if workers <= 1:
        planner = local or Planner(setup, placed=True)
        for batch in batches:
            yield from map(planner.plan, batch)
        return
    # Look ahead (a row's fields, no planned card) to see whether a pool pays; the window is
    # handed on batch by batch, so none of it stays held for the rest of the run.
    ahead = deque(islice(batches, max(2, -(-POOL_FROM // BATCH))))
    pooled = len(ahead) >= 2 and sum(map(len, ahead)) >= POOL_FROM
    every = _drained(ahead, batches)
    if not pooled:
        planner = local or Planner(setup, placed=True)
        for batch in every:
            yield from map(planner.plan, batch)
        return
    # This process plans the first batches while the workers start; a forced pool of a few
    # batches (tests, benchmarks/check_identical) leaves them to the workers.
    lead = min(LEAD, len(ahead) // 4)
    yield from _in_pool(setup, every, workers, local, lead)


def _drained(ahead: deque[list[Job]], rest: Iterator[list[Job]]) -> Iterator[list[Job]]:
    while ahead:
        yield ahead.popleft()
    yield from rest


def _in_pool(
    setup: Setup, batches: Iterator[list[Job]], workers: int, local: Planner | None, lead: int
) -> Iterator[Planned]:
    """--jobs N: N - 1 workers (notes.pool) and this process, which plans cards too while it
    waits for theirs (it writes every card; on two cores a third process only added its start,
    its warm-up and the crossing of its cards)."""
    yield from _Shared(setup, local, batches, workers - 1, lead).cards()


LEAD = 10  # batches this process plans first, while the workers start (~0.3 s on a free core)
AHEAD = 3  # batches given to each worker at once: it never waits for the next while this
# process plans a batch of its own (~18 ms, a worker's ~20 ms)
END, LAST = 2 * AHEAD, BATCH // 4  # the run's last END batches are planned LAST jobs at a time


class _Here:
    """A batch this process plans: its jobs, and its cards once planned."""

    __slots__ = ("jobs", "cards")

    def __init__(self, jobs: list[Job]):
        self.jobs: list[Job] = jobs
        self.cards: list[Planned] | None = None


class _Away:
    """A batch sent to a worker: its cards come from that worker's pipe, in the order sent."""

    __slots__ = ("worker",)

    def __init__(self, worker: Any):
        self.worker = worker


class _Shared:
    """The batches in job order, each planned by a worker (an _Away) or here (a _Here): the
    workers are kept AHEAD batches to plan; this process plans the first batches while they
    start, then a batch of its own whenever the next cards due are still being planned. Any
    share gives the same cards (and bytes)."""

    def __init__(self, setup: Setup, local: Planner | None,
                 batches: Iterator[list[Job]], workers: int, lead: int):  # fmt: skip
        self.setup, self.local = setup, local
        self.batches, self.count = batches, workers
        self.workers: list = []
        self.pending: deque = deque(_Here(batch) for batch in islice(batches, lead))
        self.window = lead + 2 * AHEAD * workers + 2  # batches held at once, at most
        self.more = True
        self.upcoming: deque[list[Job]] = deque()  # read from `batches`, not handed out yet

    @cached_property
    def planner(self) -> Planner:
        """This process's planner: made once the workers are being started (~30 ms)."""
        return self.local or Planner(self.setup, placed=True)

    def cards(self) -> Iterator[Planned]:
        from notes import pool

        fork = pool.can_fork()
        first = self.pending[0] if fork and self.pending else None
        if first is not None:  # forked warm: once its first card is planned (imports, fonts,
            first.cards = [self.planner.plan(first.jobs[0])]  # template loaded)
        with pool.started(self.count, self.setup, self.planner if fork else None, fork) as workers:
            self.workers = workers
            if first is not None:  # the rest of the first batch, the workers planning already
                self._feed()
                first.cards += map(self.planner.plan, first.jobs[1:])
            yield from self._in_order()

    def _in_order(self) -> Iterator[Planned]:
        pending = self.pending
        plan = self.planner.plan
        while True:
            self._feed()
            if not pending:
                return
            head = pending[0]
            if head.__class__ is _Here:
                pending.popleft()
                yield from head.cards if head.cards is not None else map(plan, head.jobs)
            elif head.worker.ready() or not self._plan_one_here():
                pending.popleft()
                yield from head.worker.receive()  # waits when this process has nothing else to do

    def _feed(self) -> None:
        """Send batches to the workers until each has AHEAD to plan."""
        pending = self.pending
        for worker in self.workers:
            worker.drain()
        for worker in sorted(self.workers, key=lambda w: w.waiting):
            while worker.waiting < AHEAD and len(pending) < self.window:
                batch = self._next()
                if batch is None:
                    return
                worker.send(batch)
                pending.append(_Away(worker))

    def _plan_one_here(self) -> bool:
        """Plan a batch here, one already given to this process or the next; False when none
        is left or the window is full."""
        for entry in self.pending:
            if entry.__class__ is _Here and entry.cards is None:
                break
        else:
            if len(self.pending) >= self.window or (batch := self._next()) is None:
                return False
            entry = _Here(batch)
            self.pending.append(entry)
        entry.cards = list(map(self.planner.plan, entry.jobs))
        return True

    def _next(self) -> list[Job] | None:
        """The next batch; the run's last END as pieces of LAST jobs, so that neither process
        waits long for the other's last cards (a worker's AHEAD batches took ~50 ms)."""
        upcoming = self.upcoming
        while self.more and len(upcoming) <= END:  # one more: the end is seen END batches off
            batch = next(self.batches, None)
            if batch is None:
                self.more = False
            else:
                upcoming.append(batch)
        if not upcoming:
            return None
        if self.more:
            return upcoming.popleft()
        batch = upcoming[0]
        if len(batch) <= LAST:
            return upcoming.popleft()
        upcoming[0] = batch[LAST:]
        return batch[:LAST]
