"""From a note's text to a written card: layout, handwriting, then PDF. The library's front door."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import TypeVar

from notes.cards import CARDS, Card, fold_guides
from notes.drawing import Document, GlyphTable, Image, Item, Page, Word
from notes.fonts import FontBook
from notes.handwriting import REALISM, parse_ink, write_by_hand
from notes.layout import Layout, fit_text, margins_for
from notes.lettersize import refuse_below_smallest, smallest_size
from notes.pdf.placing import Placer
from notes.records import FrozenRecord, Record

_A6 = CARDS["a6"]
# A hand writes at one size whatever the card: x-height 2.7 mm, a pen's ordinary writing.
X_HEIGHT_MM = 2.7
P = TypeVar("P")  # a plan with a `glyphs` table: NotePlan, EnvelopePlan


@dataclass(init=False, repr=False, eq=False)
class Style(Record):
    """How the notes look: resolved once from options and notes.toml."""

    font: str = "caveat"
    ink: str = "blue-black"
    card: Card = field(default_factory=lambda: _A6)
    messiness: float = 0.5
    seed: int = 0
    realism: str = "natural"  # plain (font text), natural or rough (deformed letter shapes)
    signature: str | None = None  # a scanned signature (PNG/SVG) placed under the text
    x_height: float = X_HEIGHT_MM  # the hand's size: its letter x's height in mm, on every card
    envelope_font: str | None = None  # envelopes' hand; None: a legible one (notes.envelopes)


@dataclass(init=False, repr=False, eq=False)
class NotePlan(FrozenRecord):
    """A note ready to draw: its card and the drawing on it (notes.drawing). Plain data."""

    card: Card
    text: str
    layout: Layout | None  # None once shipped from a batch planner to the writer (notes.batch)
    words: tuple[Word, ...]
    glyphs: GlyphTable  # the renderer's: every plan of a document refers to the same table
    signature: Image | None = None  # the sender's signature under the text
    extras: tuple[Item, ...] = ()  # drawn with the note: a QR code, an alignment page's lines
    hand: str = ""  # the font id the note is written in
    notice: str = ""  # why that is not the chosen font ("caveat cannot draw ...")

    def items(self, *, guides: bool = True) -> tuple[Item, ...]:
        """What is drawn on the card, in card coordinates; `guides`: a folded card's crease marks."""
        marks = fold_guides(self.card) if guides and self.card.folded else ()
        signature = (self.signature,) if self.signature is not None else ()
        return (*marks, *self.words, *signature, *self.extras)

    @property
    def page(self) -> Page:
        return Page(self.card.width, self.card.height, self.items())


def note_rng(seed: int | str, key: str) -> random.Random:
    """Randomness for one note: the same seed and recipient always give the same hand."""
    # surrogatepass: a lone surrogate in a key must not crash the hash (valid text hashes as before).
    digest = hashlib.sha256(f"{seed}\x1f{key}".encode("utf-8", "surrogatepass")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def size_range(fonts: FontBook, text: str, x_height_mm: float) -> tuple[float, float]:
    """Smallest and usual writing size in points for a note in `fonts`: the usual size gives
    the letters an x-height of `x_height_mm` on any card; a note that does not fit shrinks."""
    usual = x_height_mm * 72 / 25.4 / fonts.writing_height(text)
    return smallest_size(usual), usual


def writing_box(card: Card) -> tuple[float, float, float, float]:
    x, y, w, h = card.writing_area
    margin = margins_for(w, h)
    return (x + margin, y + margin, w - 2 * margin, h - 2 * margin)


class Renderer:
    """Plans notes in one style; keeps the fonts loaded between notes of a batch.

    Every plan's letter shapes go into `glyphs`, one table for the documents these notes are
    written into; renderers whose notes share a document (the font specimen) share one.
    `fonts`: a book of other fonts than style.font's (the stroke fonts of a pen plotter).
    `placed`: outlined words come with their PDF operators instead of glyph numbers (a batch's
    planner: see notes.handwriting.write_by_hand), for the PDF writer only.
    """

    def __init__(
        self,
        style: Style,
        *,
        glyphs: GlyphTable | None = None,
        fonts: FontBook | None = None,
        placed: bool = False,
    ):
        self.style = style
        self.glyphs = glyphs if glyphs is not None else GlyphTable()
        self.placer = Placer(self.glyphs) if placed else None
        self.fonts = fonts if fonts is not None else FontBook(style.font)
        self.ink = parse_ink(style.ink)
        if style.realism not in REALISM:
            from notes.errors import UsageError

            raise UsageError(
                f"unknown realism {style.realism!r}", hint="use plain, natural or rough"
            )
        self.min_size, self.max_size = size_range(self.fonts, "", style.x_height)
        self.box = writing_box(style.card)
        self.signature: Image | None = None
        if style.signature:
            from notes.signature import load_signature, signature_box

            signature = load_signature(style.signature)
            rect = signature_box(signature, self.box, self.max_size)
            self.signature = Image(signature.path, signature.kind, *rect)
            x, y, w, h = self.box
            # The text is written above the signature.
            self.box = (x, y + rect[3], w, h - rect[3])

    def plan(self, text: str, *, key: str, exact: frozenset[str] = frozenset()) -> NotePlan:
        """`exact`: tokens of the note drawn exactly (notes.exact.exact_words of its fields)."""
        fonts, notice = self.fonts.hand_for(text)
        min_size, size = size_range(fonts, text, self.style.x_height)
        layout = fit_text(text, fonts, self.box, min_size=min_size, max_size=size, exact=exact)
        refuse_below_smallest(layout.size, min_size, text, exact)  # write, merge and day alike
        words = write_by_hand(
            layout,
            fonts,
            rng=note_rng(self.style.seed, key),
            messiness=self.style.messiness,
            ink=self.ink,
            glyphs=self.glyphs,
            realism=self.style.realism,
            placer=self.placer,
            seed=self.style.seed,
        )
        return NotePlan(
            self.style.card,
            text,
            layout,
            tuple(words),
            self.glyphs,
            self.signature,
            hand=fonts.primary.spec.id,
            notice=notice,
        )


def first_glyphs(plans: Iterable[P]) -> tuple[GlyphTable, Iterator[P]]:
    """The glyph table of a document written from plans (the first plan's, whose renderer
    usually planned them all; see GlyphTable.adopt for the others), and the plans, still lazy."""
    plans = iter(plans)
    first = next(plans, None)
    if first is None:
        return GlyphTable(), iter(())
    return first.glyphs, chain([first], plans)


def write_cards(plans: Iterable[NotePlan], path: str | Path, *, force: bool = False) -> int:
    """One card per page, written atomically. Returns the number of pages."""
    from notes.pdf import write_pdf

    glyphs, plans = first_glyphs(plans)
    pages = (
        Page(plan.card.width, plan.card.height, glyphs.adopt(plan.items(), plan.glyphs))
        for plan in plans
    )
    return write_pdf(Document(glyphs, pages), path, force=force)


def render_note(
    text: str, path: str | Path, *, style: Style | None = None, key: str = "", force: bool = False
) -> NotePlan:
    """Write one handwritten card to `path`. The simplest way in from Python."""
    renderer = Renderer(style or Style())
    plan = renderer.plan(text, key=key or text)
    write_cards([plan], path, force=force)
    return plan
