"""The drawing model: what the pages show, as plain data, between planning and the writers.

Planning (layout, handwriting, cards, sheets, envelopes, specimen, signature) produces it; a
writer only serialises it: `notes.pdf` for printers, and anything else (an SVG or G-code writer
for pen plotters) beside it. Nothing here knows about PDF, and no writer decides where ink goes.

    Document  = a GlyphTable + Pages (a writer may take the pages as a stream)
    Page      = width, height in points (origin bottom left, y up) + items, in paint order
    items     = Word    placed glyphs in one ink and pen weight, and the text they stand for
              | FormattedWords  a batch's run of words already formatted for the PDF writer
              | Stroke  a path drawn with a pen of some width (fold guides, crop marks; a
                        stroke font's letters for a plotter)
              | Image   a picture file in a rectangle (a scanned signature, PNG or SVG)
              | Group   items seen through a transform (a card placed on a sheet)

The glyph table holds every letter shape a document uses, once: a glyph of a font file (`gid`),
drawn from its `outline` (font units, y up). `variant` 0 is the font's own outline; 1..n are
smoothly deformed copies, so repeated letters differ. A font learned from someone's handwriting
has several alternates per letter: those are different glyph ids, each with variant 0. A stroke
font's glyphs are centre lines (`filled=False`): a writer strokes them and never fills them.

A placed glyph is an id in that table and a matrix from em space (one unit = the font size) to
the page. A Word's `weight` is the pen's width in points, stroked along filled outlines (0:
fill only). `Word.text` is the word as it reads, laid invisibly under the glyphs so it can be
copied and searched; it is None when every glyph stands for its own character (`Glyph.char`),
as with plain font text, which a PDF writer sets as real text.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

from notes.records import FrozenRecord  # dataclass methods written once (start-up)

RGB = tuple[float, float, float]  # 0..1


class Affine(NamedTuple):
    """x' = a x + c y + e, y' = b x + d y + f (the PDF and SVG matrix order)."""

    a: float
    b: float
    c: float
    d: float
    e: float
    f: float


class PathOp(NamedTuple):
    """One step of a path: M (move to x y), L (line to x y), C (curve: x1 y1 x2 y2 x y), Z (close)."""

    op: str
    points: tuple[float, ...]


Outline = tuple[PathOp, ...]


@dataclass(init=False, repr=False, eq=False)
class FontFace(FrozenRecord):
    """A font file as writers need it: where it is, and a name unique to its contents."""

    path: Path
    name: str
    units_per_em: int


@dataclass(init=False, repr=False, eq=False)
class Glyph(FrozenRecord):
    """One letter shape of the glyph table."""

    __eq__ = object.__eq__  # each shape is itself alone: compared and hashed by identity
    __hash__ = object.__hash__

    font: FontFace
    gid: int
    variant: int
    outline: Outline  # in font units
    char: str = ""  # the character it stands for, when exactly one (not for shaped clusters)
    filled: bool = True


@dataclass(init=False, repr=False, eq=False)
class WordShape(FrozenRecord):
    """A word written once and drawn again as a whole (notes.writings), for the PDF writer:
    its letters' operators with a %s for each letter's form, the keys of those letters' shapes
    in the same table, and the box its ink stays in (points at notes.writings.WRITTEN_AT, from
    the word's origin)."""

    __eq__ = object.__eq__
    __hash__ = object.__hash__

    operators: str
    forms: tuple[Hashable, ...]
    box: tuple[float, float, float, float]
    outline: Outline = ()  # none of its own (see notes.pdf.placing.Placer.learn)


# What a planner keeps of a word's shape it has sent on (GlyphTable.shed): its id and key only.
SHED = WordShape("", (), (0.0, 0.0, 0.0, 0.0))


class GlyphTable:
    """Every letter shape of a document, once; ids are indexes, in the order shapes were added.

    It only grows: planning adds shapes as letters are placed, and writers read them.
    """

    def __init__(self) -> None:
        self._glyphs: list[Glyph] = []
        self._keys: list[Hashable] = []
        self.ids: dict[Hashable, int] = {}  # key of a shape -> its id
        self._adopted: dict[int, tuple[GlyphTable, list[int]]] = {}  # other table -> its ids here

    def add(self, key: Hashable, glyph: Glyph) -> int:
        found = self.ids.get(key)
        if found is None:
            found = self.ids[key] = len(self._glyphs)
            self._glyphs.append(glyph)
            self._keys.append(key)
        return found

    def key_of(self, glyph_id: int) -> Hashable:
        return self._keys[glyph_id]

    def shed(self, glyph_id: int) -> None:
        """Keep a word's shape (WordShape) by id and key only: a planner's, once sent to the
        writer, is never read again, and a day's thousands of them held ~5 MB in each worker."""
        if isinstance(self._glyphs[glyph_id], WordShape):
            self._glyphs[glyph_id] = SHED

    def adopt(self, items: tuple[Item, ...], source: GlyphTable) -> tuple[Item, ...]:
        """`items` drawn with `source`'s shapes, renumbered into this table, which takes the
        shapes in: one document can hold the plans of several renderers."""
        if source is self:
            return items
        _, ids = self._adopted.setdefault(id(source), (source, []))
        for index in range(len(ids), len(source)):
            ids.append(self.add(source._keys[index], source[index]))
        return tuple(_renumbered(item, ids) for item in items)

    def __getitem__(self, glyph_id: int) -> Glyph | WordShape:
        return self._glyphs[glyph_id]

    def __len__(self) -> int:
        return len(self._glyphs)


class PlacedGlyph(NamedTuple):
    """A glyph of the table (by id) placed by the matrix a..f from em space to page points.

    The matrix is spelt out rather than held as an Affine: a card places a few hundred glyphs,
    and one object per glyph instead of two is measurably faster."""

    glyph: int
    a: float
    b: float
    c: float
    d: float
    e: float
    f: float

    @property
    def transform(self) -> Affine:
        return Affine(self.a, self.b, self.c, self.d, self.e, self.f)


class TextRun(NamedTuple):
    font: FontFace  # a font that has every character of the run
    text: str
    scale: float  # of the word's size: a fallback font is set to match the primary's capitals


class Text(NamedTuple):
    """A word as it reads, in visual order (runs left to right), from (x, y) at `size` points."""

    runs: tuple[TextRun, ...]
    x: float
    y: float
    size: float
    order: tuple[int, ...]  # sorts a page's words into reading order (line, word as typed)


class Placing(NamedTuple):
    """A word's outlined glyphs already written as PDF operators by the planner (a batch's
    workers then do that formatting, and ship a string instead of every glyph's numbers), or
    a word drawn whole (one WordShape): `operators` has one %s for each form's name, `forms`
    the glyph table ids that fill them in."""

    operators: str
    forms: tuple[int, ...]


class Word(NamedTuple):
    ink: RGB
    weight: float  # pen width in points stroked along the outlines; 0 draws fill only
    glyphs: tuple[PlacedGlyph, ...]  # () in a batch's plan (see `placing`)
    text: Text | None = None
    # notes.pdf.placing: the glyphs ready for the PDF writer (a batch's word), or the word
    # drawn whole (notes.writings), which a card for any writer carries beside its glyphs.
    placing: Placing | None = None


class FormattedWords(NamedTuple):
    """A run of a batch's words, all outlined and placed, already written as one piece of PDF
    content by their planner (notes.pdf.prepared), so that only a small, flat object crosses
    to the writer: `content` has a %s at each hole, where only the document decides: first one
    for each of `forms` (glyph table ids; `kinds` says how each is drawn, see
    notes.pdf.prepared), then one for each string of `texts`, the text of one of the text
    layer's runs, in the (font, size) of the last tuple before it."""

    content: str
    kinds: str
    forms: tuple[int, ...]
    texts: tuple[str | tuple[FontFace, str], ...]


@dataclass(init=False, repr=False, eq=False)
class Stroke(FrozenRecord):
    """A path drawn with a pen of some width."""

    path: Outline  # in page points
    width: float
    colour: RGB = (0.0, 0.0, 0.0)
    dash: tuple[float, ...] = ()  # on, off, ... lengths; () is a solid line
    dash_offset: float = 0


@dataclass(init=False, repr=False, eq=False)
class Image(FrozenRecord):
    """A picture file in a rectangle of the page."""

    source: Path
    kind: str  # "png" or "svg"
    x: float
    y: float
    width: float
    height: float


@dataclass(init=False, repr=False, eq=False)
class Group(FrozenRecord):
    """Items seen through a transform."""

    transform: Affine
    items: tuple[Item, ...]


Item = Word | FormattedWords | Stroke | Image | Group


@dataclass(init=False, repr=False, eq=False)
class Page(FrozenRecord):
    """A page: its size in points and its items in paint order."""

    width: float
    height: float
    items: tuple[Item, ...] = field(default=())


@dataclass(init=False, repr=False, eq=False)
class Document(FrozenRecord):
    """The glyph table and the pages that use it."""

    glyphs: GlyphTable
    pages: Iterable[Page]  # possibly a stream, read once
    title: str = "Notes"


def segments(lines: Iterable[tuple[float, float, float, float]]) -> Outline:
    """Straight segments (x1, y1, x2, y2) as one path of separate lines."""
    ops: list[PathOp] = []
    for x1, y1, x2, y2 in lines:
        ops += (PathOp("M", (x1, y1)), PathOp("L", (x2, y2)))
    return tuple(ops)


def translated(items: Iterable[Item], dx: float, dy: float) -> tuple[Item, ...]:
    """The same items moved by (dx, dy), with every coordinate moved (no Group around them)."""
    return tuple(_moved(item, dx, dy) for item in items)


def _moved(item: Item, dx: float, dy: float) -> Item:
    assert not isinstance(item, FormattedWords), "a batch's words are written where they stand"
    if isinstance(item, Word):
        assert item.glyphs or item.placing is None, "a batch's word is written where it stands"
        glyphs = tuple(g._replace(e=g.e + dx, f=g.f + dy) for g in item.glyphs)
        text = item.text and item.text._replace(x=item.text.x + dx, y=item.text.y + dy)
        # Its operators (a word drawn whole) stood where it was: the writer places its letters.
        return item._replace(glyphs=glyphs, text=text, placing=None)
    if isinstance(item, Stroke):
        path = tuple(
            PathOp(op.op, tuple(v + (dx if i % 2 == 0 else dy) for i, v in enumerate(op.points)))
            for op in item.path
        )
        return replace(item, path=path)
    if isinstance(item, Image):
        return replace(item, x=item.x + dx, y=item.y + dy)
    transform = item.transform
    return replace(item, transform=transform._replace(e=transform.e + dx, f=transform.f + dy))


def _renumbered(item: Item, ids: list[int]) -> Item:
    if isinstance(item, FormattedWords):
        return item._replace(forms=tuple(ids[g] for g in item.forms))
    if isinstance(item, Word):
        placing = item.placing and item.placing._replace(
            forms=tuple(ids[g] for g in item.placing.forms)
        )
        glyphs = tuple(g._replace(glyph=ids[g.glyph]) for g in item.glyphs)
        return item._replace(glyphs=glyphs, placing=placing)
    if isinstance(item, Group):
        return replace(item, items=tuple(_renumbered(child, ids) for child in item.items))
    return item


def in_reading_order(blocks: Iterable[Iterable[Item]]) -> tuple[Item, ...]:
    """Blocks of items on one page (an address, then the sender's), read one block after the
    other: each word's reading order is prefixed with its block's number."""
    items: list[Item] = []
    for number, block in enumerate(blocks):
        for item in block:
            if isinstance(item, Word) and item.text is not None:
                item = item._replace(text=item.text._replace(order=(number, *item.text.order)))
            items.append(item)
    return tuple(items)
