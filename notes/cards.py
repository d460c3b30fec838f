"""Card, envelope and sheet sizes in PDF points (1 in = 72 pt, 1 mm = 72/25.4 pt)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from notes.drawing import Affine, Group, Item, Stroke, segments
from notes.errors import UsageError
from notes.records import FrozenRecord  # dataclass methods written once (start-up)

MM = 72 / 25.4
PRINTER_MARGIN = 5 * MM  # most desktop printers cannot print closer to the edge
INCH = 72.0


@dataclass(init=False, repr=False, eq=False)
class Card(FrozenRecord):
    """A card's page. For folded cards the page is the flat sheet and `panel` is where text goes."""

    name: str
    width: float  # points, of the page as printed
    height: float
    # Writing area inside the page: (x, y, width, height). The whole page unless folded.
    panel: tuple[float, float, float, float] | None = None
    folded: bool = False

    @property
    def writing_area(self) -> tuple[float, float, float, float]:
        return self.panel or (0.0, 0.0, self.width, self.height)

    def landscape(self) -> Card:
        if self.folded:
            # A folded A2 card is 5.5 x 8.5 flat folded to 4.25 x 5.5; landscape = top-fold tent card.
            w, h = self.height, self.width
            return Card(f"{self.name}-landscape", w, h, (0.0, 0.0, w, h / 2), True)
        if self.width >= self.height:
            return self
        return Card(self.name, self.height, self.width)

    def portrait(self) -> Card:
        if self.folded or self.width <= self.height:
            return self
        return Card(self.name, self.height, self.width)


def _mm(w: float, h: float) -> tuple[float, float]:
    return (w * MM, h * MM)


def _in(w: float, h: float) -> tuple[float, float]:
    return (w * INCH, h * INCH)


# Folded A2: 5.5 x 8.5 in flat, folded to 4.25 x 5.5 in. Printed landscape (8.5 wide x 5.5 high),
# the fold is vertical at 4.25 in and the text goes on the inside right panel.
_A2_FLAT_W, _A2_FLAT_H = _in(8.5, 5.5)

CARDS: dict[str, Card] = {
    "a7": Card("a7", *_mm(74, 105)),
    "a6": Card("a6", *_mm(105, 148)),
    "a5": Card("a5", *_mm(148, 210)),
    "3.5x5in": Card("3.5x5in", *_in(3.5, 5)),
    "4x6in": Card("4x6in", *_in(4, 6)),
    "5x7in": Card("5x7in", *_in(5, 7)),
    "a2-folded": Card(
        "a2-folded",
        _A2_FLAT_W,
        _A2_FLAT_H,
        panel=(_A2_FLAT_W / 2, 0.0, _A2_FLAT_W / 2, _A2_FLAT_H),
        folded=True,
    ),
}
CARD_ALIASES = {"4x6": "4x6in", "5x7": "5x7in", "3.5x5": "3.5x5in", "a2": "a2-folded"}

ENVELOPES: dict[str, tuple[float, float]] = {
    # (width, height) in landscape, as addressed.
    "c7": _mm(114, 81),
    "c6": _mm(162, 114),
    "c5": _mm(229, 162),
    "dl": _mm(220, 110),
    "us10": _in(9.5, 4.125),
    "a2": _in(5.75, 4.375),
    "a7": _in(7.25, 5.25),
}
ENVELOPE_ALIASES = {"#10": "us10", "us-10": "us10", "us#10": "us10", "no10": "us10"}
# The envelope a card of each size goes into.
ENVELOPE_FOR_CARD = {
    "a7": "c7",
    "a6": "c6",
    "a5": "c5",
    "3.5x5in": "a2",
    "4x6in": "a7",
    "5x7in": "a7",
    "a2-folded": "a2",
}

SHEETS: dict[str, tuple[float, float]] = {"a4": _mm(210, 297), "letter": _in(8.5, 11)}

_UNIT = {"mm": MM, "cm": 10 * MM, "in": INCH, "pt": 1.0}


@cache
def _custom_size() -> re.Pattern[str]:
    """'120x170mm', compiled when first used: most cards are a named size."""
    return re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[x×]\s*(\d+(?:\.\d+)?)\s*(mm|cm|in|pt)\s*$", re.I)


def parse_card(spec: str, *, orientation: str | None = None) -> Card:
    """'a6', '5x7in', '120x170mm', 'a2-folded' -> Card; orientation 'portrait'|'landscape'."""
    key = spec.strip().lower()
    key = CARD_ALIASES.get(key, key)
    if key in CARDS:
        card = CARDS[key]
    else:
        match = _custom_size().match(key)
        if not match:
            known = ", ".join(CARDS)
            raise UsageError(
                f"unknown card size {spec!r}",
                hint=f"use one of {known}, or a custom size like 120x170mm or 5x7in",
            )
        factor = _UNIT[match.group(3).lower()]
        w, h = float(match.group(1)) * factor, float(match.group(2)) * factor
        if not (72 <= w <= 1200 and 72 <= h <= 1200):
            raise UsageError(
                f"card size {spec!r} is outside 1 in to about 42 cm per side",
                hint="give the size of a real card, e.g. 105x148mm",
            )
        card = Card(f"{match.group(1)}x{match.group(2)}{match.group(3).lower()}", w, h)
    if orientation == "landscape":
        return card.landscape()
    if orientation == "portrait":
        return card.portrait()
    if orientation not in (None, ""):
        raise UsageError(f"unknown orientation {orientation!r}", hint="use portrait or landscape")
    return card


def parse_envelope(spec: str) -> tuple[str, float, float]:
    key = spec.strip().lower()
    key = ENVELOPE_ALIASES.get(key, key)
    if key not in ENVELOPES:
        raise UsageError(
            f"unknown envelope size {spec!r}", hint=f"use one of {', '.join(ENVELOPES)}"
        )
    return (key, *ENVELOPES[key])


def parse_sheet(spec: str) -> tuple[str, float, float]:
    key = spec.strip().lower()
    if key not in SHEETS:
        raise UsageError(f"unknown sheet size {spec!r}", hint="use a4 or letter")
    return (key, *SHEETS[key])


def fold_guides(card: Card) -> tuple[Item, ...]:
    """Faint dashed guides where a folded card is creased, at the page's edges (plain data)."""
    px, py, _pw, ph = card.writing_area
    if px > 0:  # a vertical fold
        return (_fold_line(px, card.height),)
    if py + ph < card.height - 0.01:  # a horizontal fold: the vertical guide with x and y swapped
        return (Group(Affine(0, 1, 1, 0, 0, 0), (_fold_line(py + ph, card.width),)),)
    return ()


def _fold_line(x: float, height: float) -> Stroke:
    lines = [(x, 0, x, 10), (x, height - 10, x, height)]
    return Stroke(segments(lines), 0.3, (0.75, 0.75, 0.75), dash=(2, 2))
