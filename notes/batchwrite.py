"""The writing half of the batch core: planned cards, in order, into the run's files.

`write_batch` takes `notes.batch.Planned` cards as they come and writes each output as one
stream through `notes.pdf`: the cards (one per page, front then back with --duplex, or imposed
on sheets), one PDF per card (--per-note), and the envelopes (page k is card k's). Envelope
pages wait in a spool file while the cards are written, so nothing per card stays in memory
but what the caller records. Letter shapes arrive once per worker (`ShapeBook`) and are
numbered into each document's glyph table on first use, so any --jobs writes the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import Any

from notes import records
from notes.batch import Planned
from notes.drawing import (
    Document,
    FormattedWords,
    Glyph,
    GlyphTable,
    Group,
    Item,
    Page,
    PlacedGlyph,
    Placing,
    Word,
    WordShape,
)
from notes.files import check_writable, place, reported_as, temp_beside
from notes.records import replace  # dataclasses.replace, quicker for records


class ShapeBook:
    """The letter shapes the planners sent, and each planner's ids for them."""

    def __init__(self) -> None:
        self.keys: dict[str, list[Hashable]] = {}  # planner -> its glyph id -> shape key
        self.shapes: dict[Hashable, Glyph | WordShape] = {}
        # id(table) -> (table, planner -> its ids there). Kept for the last few tables only:
        # --per-note makes a table per card.
        self._remaps: dict[int, tuple[GlyphTable, dict[str, _Remap]]] = {}

    def receive(self, planned: Planned) -> None:
        keys = self.keys.get(planned.worker)
        if keys is None:  # its first card; a forked planner's first ids are its parent's
            parent, count = planned.inherits or ("", 0)
            keys = self.keys[planned.worker] = self.keys[parent][:count] if count else []
        for key, glyph in planned.shapes:
            keys.append(key)
            self.shapes.setdefault(key, glyph)
        planned.shapes = []

    def into(
        self, table: GlyphTable, worker: str, items: Iterable[Item], *, every: bool = False
    ) -> tuple[Item, ...]:
        """`items` as drawn by `worker`, their glyph ids numbered into `table`.

        `every`: the table takes every shape the planner sent, in its order, as it comes (the
        run's own cards: whatever order, the writer names forms in the order pages use them);
        for as long as the table holds no other planner's, its ids are the planner's and the
        items pass unchanged (one process: numbering a card's words one by one cost 4 % of a
        merge). Without, only the shapes drawn, in the order first drawn (a card's own PDF,
        the envelopes)."""
        keys = self.keys[worker]
        remap = self._remap(table, worker)
        ids = remap.ids
        start = len(ids)
        if not every:
            ids.extend([-1] * (len(keys) - start))
            return self._drawn_into(table, keys, ids, items)
        for local in range(start, len(keys)):
            ids.append(self._add(table, keys[local]))
        if remap.same:
            remap.same = len(table) == len(ids) and all(
                ids[local] == local for local in range(start, len(ids))
            )
            if remap.same:
                return tuple(items)
        return _renumbered(items, ids)

    def _add(self, table: GlyphTable, key: Hashable) -> int:
        """The table's id of a shape, added (a written word's letters first) if new to it."""
        shapes = self.shapes
        shape = shapes[key]
        if isinstance(shape, WordShape):  # its letters' shapes are in the table first
            known = table.ids
            for letter in shape.forms:
                if letter not in known:  # most are: one hash of its key, not two
                    table.add(letter, shapes[letter])
        return table.add(key, shape)

    def _drawn_into(
        self, table: GlyphTable, keys: list[Hashable], ids: list[int], items: Iterable[Item]
    ) -> tuple[Item, ...]:
        """`items` numbered into `table`, which takes only the shapes they draw (-1 in `ids`:
        not yet), in the order first drawn."""

        def number(local: int) -> int:
            found = ids[local]
            if found < 0:
                found = ids[local] = self._add(table, keys[local])
            return found

        def numbers(local: list[int] | tuple[int, ...]) -> list[int]:
            """The table's ids of a word's letters; new shapes added in the order first used."""
            found = list(map(ids.__getitem__, local))
            if -1 in found:  # only those new to the table, in order (a card's run: one or two)
                for at, table_id in enumerate(found):
                    if table_id < 0:
                        found[at] = number(local[at])
            return found

        return tuple(_numbered(item, numbers, number) for item in items)

    def _remap(self, table: GlyphTable, worker: str) -> _Remap:
        entry = self._remaps.get(id(table))
        if entry is None or entry[0] is not table:
            if len(self._remaps) >= 4:
                del self._remaps[next(iter(self._remaps))]
            entry = self._remaps[id(table)] = (table, {})
        remap = entry[1].get(worker)
        if remap is None:
            # The same ids as the planner's only if the table starts with this planner's shapes.
            remap = entry[1][worker] = _Remap([], same=not len(table))
        return remap


class _Remap:
    """A planner's glyph ids in one table: `ids[local]` (-1 before first use); `same` while
    every one of them is the table's own."""

    __slots__ = ("ids", "same")

    def __init__(self, ids: list[int], *, same: bool):
        self.ids, self.same = ids, same


def _renumbered(items: Iterable[Item], ids: list[int]) -> tuple[Item, ...]:
    """`items` with every glyph id a planner's `ids` give (all known): a card's words drawn
    whole (one form each) and its runs of formatted words inline, anything else by _numbered.
    An item whose ids are the same passes unchanged."""
    number = ids.__getitem__

    def numbers(local: Sequence[int]) -> list[int]:
        return list(map(number, local))

    out: list[Item] = []
    append = out.append
    for item in items:
        kind = item.__class__
        if kind is Word:
            placing = item[4]
            if placing is not None and len(placing[1]) == 1:  # most words: drawn whole
                local = placing[1][0]
                found = ids[local]
                if found == local:
                    append(item)
                else:
                    placing = _new(Placing, (placing[0], (found,)))
                    append(_new(Word, (item[0], item[1], item[2], item[3], placing)))
                continue
        elif kind is FormattedWords:  # a worker's card: its one run of words
            forms = tuple(map(number, item[2]))
            if forms != item[2]:
                item = _new(FormattedWords, (item[0], item[1], forms, item[3]))
            append(item)
            continue
        append(_numbered(item, numbers, number))
    return tuple(out)


def _numbered(
    item: Item, numbers: Callable[[Sequence[int]], list[int]], number: Callable[[int], int]
) -> Item:
    """The item with its letters' ids as `numbers` (one id: `number`) gives them; unchanged
    when they are the same (the only planner's ids are often the table's already)."""
    if isinstance(item, FormattedWords):  # a planner's run of words: only its forms' ids
        forms = tuple(numbers(item.forms))
        if forms == item.forms:
            return item
        return _new(FormattedWords, (item.content, item.kinds, forms, item.texts))
    if isinstance(item, Word):
        placing = item.placing
        if placing is not None:  # placed by its planner: only its forms' ids
            local = placing.forms
            # Most words are drawn whole, one form; made field by field, without two
            # NamedTuple._replace for each word of every card.
            forms = (number(local[0]),) if len(local) == 1 else tuple(numbers(local))
            if forms == local:
                return item
            placing = _new(Placing, (placing.operators, forms))
            return _new(Word, (item.ink, item.weight, item.glyphs, item.text, placing))
        glyphs = item.glyphs
        local = list(map(_GLYPH_ID, glyphs))
        ids = numbers(local)
        if ids == local:
            return item
        placed = (
            g if g[0] == n else PlacedGlyph(n, *g[1:]) for g, n in zip(glyphs, ids, strict=True)
        )
        return item._replace(glyphs=tuple(placed))
    if isinstance(item, Group):
        return replace(item, items=tuple(_numbered(child, numbers, number) for child in item.items))
    return item


_GLYPH_ID = itemgetter(0)  # of a PlacedGlyph
_new = tuple.__new__  # a NamedTuple from its fields' tuple, without its Python __new__
# _numbered makes words, placings and runs of words field by field: a field added goes there too.
assert Placing._fields == ("operators", "forms"), Placing._fields
assert Word._fields == ("ink", "weight", "glyphs", "text", "placing"), Word._fields
assert FormattedWords._fields == ("content", "kinds", "forms", "texts"), FormattedWords._fields


@dataclass(init=False, repr=False, eq=False)
class BatchFiles(records.FrozenRecord):
    """Where the cards go, as temporary paths (the caller places them when the run succeeds).

    Exactly one of `cards` (every card in one PDF) and `per_note` (a new temporary path for
    each card's own PDF)."""

    cards: Path | None = None
    per_note: Callable[[Planned], Path] | None = None
    sheet: Any = None  # notes.sheets.SheetLayout: the cards imposed N-up
    duplex: bool = False  # a card is its front, then its back
    envelopes: Path | None = None
    envelopes_named: Path | None = None  # the envelopes' name for errors (else the caller's)


@dataclass(init=False, repr=False, eq=False)
class Placed(records.Record):
    """Where card k went."""

    card: int  # k: the k-th card written, from 1
    page: int | None = None  # its page (with --sheet: its sheet's front page)
    sheet: int | None = None
    position: int | None = None  # its place on the sheet, 1 = top left
    envelope_page: int | None = None
    file: Path | None = None  # its own PDF (per note), as BatchFiles.per_note named it


Record = Callable[[Planned, "Placed | None"], None]  # every job's outcome, in job order


def write_batch(planned: Iterable[Planned], files: BatchFiles, record: Record) -> int:
    """Write the drawn cards; `record` hears of every job (None: no card). Returns the number
    of cards written: with none, no file is written."""
    run = _BatchRun(files, record)
    try:  # the spool file exists from here: `close` removes it whatever happens
        cards = run.cards(planned)
        first = next(cards, None)
        if first is None:
            return 0
        cards = chain([first], cards)
        if files.per_note is not None:
            for card in cards:
                run.own_file(card)
        else:
            from notes.pdf import write_pdf

            pages = run.sheets(cards) if files.sheet is not None else run.pages(cards)
            write_pdf(Document(run.table, pages), files.cards, force=True)
        run.write_envelopes()
    finally:
        run.close()
    return run.count


class _BatchRun:
    """One batch being written: the cards' glyph table, the envelope spool, the card count."""

    def __init__(self, files: BatchFiles, record: Record):
        self.files, self.record = files, record
        self.book = ShapeBook()
        self.table = GlyphTable()
        self.count = 0
        self.spool = None  # envelope pages waiting for the cards to be written
        self.spooled = 0
        self.envelope_table = GlyphTable()
        if files.envelopes is not None:
            self.spool_path = temp_beside(files.envelopes)
            self.spool = self.spool_path.open("wb")

    def cards(self, planned: Iterable[Planned]) -> Iterator[tuple[Planned, Placed]]:
        """The drawn cards, each placed and recorded before it is written."""
        for card in planned:
            self.book.receive(card)
            if not card.drawn:
                self.record(card, None)
                continue
            self.count += 1
            placed = self._place(card)
            if card.envelope is not None:
                placed.envelope_page = self._spool(card)
            self.record(card, placed)
            yield card, placed

    def _place(self, card: Planned) -> Placed:
        k, sides = self.count, 2 if self.files.duplex else 1
        layout = self.files.sheet
        if self.files.per_note is not None:
            return Placed(k, page=1, file=self.files.per_note(card))
        if layout is None:
            return Placed(k, page=(k - 1) * sides + 1)
        sheet, slot = divmod(k - 1, layout.per_sheet)
        return Placed(k, page=sheet * sides + 1, sheet=sheet + 1, position=slot + 1)

    def _spool(self, card: Planned) -> int:
        envelope = card.envelope
        words = self.book.into(self.envelope_table, card.worker, envelope.words)
        with self._about_envelopes():
            import pickle  # only for envelopes: not on notes write's path

            pickle.dump(Page(envelope.width, envelope.height, words), self.spool)
        self.spooled += 1
        return self.spooled

    def _plan(self, card: Planned, plan: Any, table: GlyphTable) -> Any:
        """A shipped NotePlan with its glyphs numbered into `table`."""
        every = table is self.table  # the run's own cards: not a card's own PDF (--per-note)
        words = self.book.into(table, card.worker, plan.words, every=every)
        return replace(plan, words=words, glyphs=table)

    def pages(self, cards: Iterable[tuple[Planned, Placed]]) -> Iterator[Page]:
        for card, _ in cards:
            yield self._page(card, card.front)
            if self.files.duplex:
                yield self._page(card, card.back)

    def _page(self, card: Planned, plan: Any) -> Page:
        """A shipped NotePlan's page, its glyphs numbered into the run's table; the plan is
        copied only when its words change (a page needs no table: one copy a card was 2 %
        of the writer)."""
        words = self.book.into(self.table, card.worker, plan.words, every=True)
        return (plan if words is plan.words else replace(plan, words=words)).page

    def sheets(self, cards: Iterable[tuple[Planned, Placed]]) -> Iterator[Page]:
        from notes.sheets import sheet_pages

        pairs = (
            (self._plan(card, card.front, self.table),
             self._plan(card, card.back, self.table) if self.files.duplex else None)
            for card, _ in cards
        )  # fmt: skip
        yield from sheet_pages(pairs, self.files.sheet, self.table)

    def own_file(self, item: tuple[Planned, Placed]) -> None:
        from notes.render import write_cards

        card, placed = item
        table = GlyphTable()  # each card's PDF is a document of its own
        pages = [self._plan(card, card.front, table)]
        if self.files.duplex:
            pages.append(self._plan(card, card.back, table))
        write_cards(pages, placed.file, force=True)

    def write_envelopes(self) -> None:
        if self.spool is None or not self.spooled:
            return
        from notes.pdf import write_pdf

        with self._about_envelopes():
            self.spool.close()
            document = Document(self.envelope_table, self._spooled(), "Envelopes")
            write_pdf(document, self.files.envelopes, force=True, what="envelopes")

    def _about_envelopes(self) -> AbstractContextManager:
        named = self.files.envelopes_named
        return reported_as(named) if named is not None else nullcontext()

    def _spooled(self) -> Iterator[Page]:
        import pickle

        with self.spool_path.open("rb") as spool:
            for _ in range(self.spooled):
                yield pickle.load(spool)

    def close(self) -> None:
        if self.spool is None:
            return
        try:
            self.spool.close()  # may fail again to flush on a full disk: removed all the same
        except OSError:
            pass
        finally:
            self.spool_path.unlink(missing_ok=True)


def write_one(planned: Planned, target: Path, *, force: bool = False) -> None:
    """One planned card into its own PDF (`notes write`): the batch's writer, so the bytes are
    those of a one-row merge of the same note."""
    if planned.error is not None:
        raise planned.error
    check_writable(target, force=force)
    tmp = temp_beside(target)
    try:
        with reported_as(target):
            write_batch([planned], BatchFiles(cards=tmp), lambda card, where: None)
        place(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
