"""From a note's text to a written card: layout, handwriting, then PDF. The library's front door."""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from notes.cards import CARDS, Card
from notes.fonts import FontBook
from notes.handwriting import REALISM, Word, parse_ink, write_by_hand
from notes.layout import Layout, fit_text, margins_for

_A6 = CARDS["a6"]


@dataclass
class Style:
    """How the notes look: resolved once from options and notes.toml."""

    font: str = "caveat"
    ink: str = "blue-black"
    card: Card = field(default_factory=lambda: _A6)
    messiness: float = 0.5
    seed: int = 0
    realism: str = "natural"  # plain (font text), natural or rough (deformed letter shapes)
    signature: str | None = None  # a scanned signature (PNG/SVG) placed under the text


@dataclass
class NotePlan:
    """A note ready to draw: where every glyph goes on the card. Plain data."""

    card: Card
    text: str
    layout: Layout
    words: list[Word]
    font_name: str  # the primary font's registered name
    deform: float = 0.0  # outline deformation of the letters, in ems
    fonts: FontBook | None = None
    signature: object | None = None  # notes.signature.SignatureImage
    signature_rect: tuple[float, float, float, float] | None = None

    @property
    def page_size(self) -> tuple[float, float]:
        return (self.card.width, self.card.height)


def note_rng(seed: int | str, key: str) -> random.Random:
    """Randomness for one note: the same seed and recipient always give the same hand."""
    # surrogatepass: a lone surrogate in a key must not crash the hash (valid text hashes as before).
    digest = hashlib.sha256(f"{seed}\x1f{key}".encode("utf-8", "surrogatepass")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def size_range(card: Card, base_size: float) -> tuple[float, float]:
    """Smallest and largest writing size for a card, scaled from the font's A6 size."""
    _, _, w, h = card.writing_area
    scale = math.sqrt((w * h) / (_A6.width * _A6.height))
    return max(6.0, base_size * scale * 0.5), base_size * scale * 1.45


def writing_box(card: Card) -> tuple[float, float, float, float]:
    x, y, w, h = card.writing_area
    margin = margins_for(w, h)
    return (x + margin, y + margin, w - 2 * margin, h - 2 * margin)


class Renderer:
    """Plans notes in one style; keeps the fonts loaded between notes of a batch."""

    def __init__(self, style: Style):
        self.style = style
        self.fonts = FontBook(style.font)
        self.ink = parse_ink(style.ink)
        if style.realism not in REALISM:
            from notes.errors import UsageError

            raise UsageError(
                f"unknown realism {style.realism!r}", hint="use plain, natural or rough"
            )
        self.min_size, self.max_size = size_range(style.card, self.fonts.primary.spec.size)
        self.box = writing_box(style.card)
        self.signature = self.signature_rect = None
        if style.signature:
            from notes.signature import load_signature, signature_box

            self.signature = load_signature(style.signature)
            self.signature_rect = signature_box(self.signature, self.box, self.max_size)
            x, y, w, h = self.box
            # The text is written above the signature.
            self.box = (x, y + self.signature_rect[3], w, h - self.signature_rect[3])

    def plan(self, text: str, *, key: str) -> NotePlan:
        layout = fit_text(
            text, self.fonts, self.box, min_size=self.min_size, max_size=self.max_size
        )
        words = write_by_hand(
            layout,
            self.fonts,
            rng=note_rng(self.style.seed, key),
            messiness=self.style.messiness,
            ink=self.ink,
            realism=self.style.realism,
        )
        return NotePlan(
            card=self.style.card,
            text=text,
            layout=layout,
            words=words,
            font_name=self.fonts.primary.name,
            deform=REALISM[self.style.realism] or 0.0,
            fonts=self.fonts,
            signature=self.signature,
            signature_rect=self.signature_rect,
        )


def write_cards(plans: Iterable[NotePlan], path: str | Path, *, force: bool = False) -> int:
    """One card per page, written atomically. Returns the number of pages."""
    from notes.pdf import write_pages

    return write_pages(plans, path, force=force)


def render_note(
    text: str, path: str | Path, *, style: Style | None = None, key: str = "", force: bool = False
) -> NotePlan:
    """Write one handwritten card to `path`. The simplest way in from Python."""
    renderer = Renderer(style or Style())
    plan = renderer.plan(text, key=key or text)
    write_cards([plan], path, force=force)
    return plan
