"""The hand as pen strokes: a note planned exactly as for print, written with a stroke font.

The layout (notes.layout) and the seeded hand (notes.handwriting) place every letter of a
single-stroke font as they place an outline font's: line drift, per-letter size, turn, baseline
and slant, per-word variation for a joined script so its joins stay joined, and deformed letter
variants (notes.glyphs) for the `natural` and `rough` realism. Two things only a pen needs are
added here: dots and accents move on their own (a writer puts them on afterwards), and every
stroke trembles a little, along a smooth field over the page so strokes that meet still meet.

Plain data out: PenPage, strokes as polylines in page points (origin bottom left, y up).
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from dataclasses import dataclass, replace

from notes.handwriting import REALISM, Word
from notes.render import Renderer, Style, note_rng
from notes.strokefonts import StrokeBook
from notes.svgpath import Point, Polyline

TREMOR = 0.22  # amplitude of the tremor in points at the nominal messiness (about 0.08 mm)
TREMOR_STEP = 1.2  # strokes are cut into pieces no longer than this (points) so they can tremble
MARK_SPREAD = (0.035, 0.05)  # how far dots and accents wander, in ems (across, up)
JOIN_SNAP = 0.06  # in ems: a joined letter starting this close to the last one's end joins it


@dataclass(frozen=True)
class PenPage:
    """One card or envelope as a pen plotter draws it."""

    label: str  # what it is: "card" or "envelope"
    width: float  # in points
    height: float
    strokes: tuple[Polyline, ...]  # page points, origin bottom left, y up (as the PDF pages)


class PenHand:
    """Writes notes and envelopes in a stroke font, in a style's hand (seed, messiness, card)."""

    def __init__(self, style: Style, font: str):
        # A scanned signature is a picture: a pen cannot draw it, so plots leave it out.
        self.style = replace(style, signature=None)
        self.renderer = Renderer(self.style, fonts=StrokeBook(font))
        self.fonts = self.renderer.fonts

    @property
    def font_id(self) -> str:
        return self.fonts.primary.spec.id

    def card(self, text: str, *, key: str) -> PenPage:
        plan = self.renderer.plan(text, key=key)
        strokes = self._strokes(plan.words, key)
        return PenPage("card", plan.card.width, plan.card.height, strokes)

    def envelope(
        self, address: list[str], return_address: list[str], size: str, *, key: str
    ) -> PenPage:
        from notes.envelopes import envelope_plan

        plan = envelope_plan(self.renderer, address, return_address, size, key=key)
        strokes = self._strokes(plan.words, f"envelope\x1f{key}")
        return PenPage("envelope", plan.width, plan.height, strokes)

    def _strokes(self, words: list[Word], key: str) -> tuple[Polyline, ...]:
        rng = note_rng(self.style.seed, f"pen\x1f{key}")
        k = max(0.0, min(1.0, self.style.messiness)) * 2.0  # 0.5 -> the nominal hand, as the PDF's
        deform = REALISM[self.style.realism] or 0.0
        return pen_strokes(words, rng=rng, k=k, deform=deform)


def pen_strokes(
    words: Iterable[Word], *, rng: random.Random, k: float, deform: float
) -> tuple[Polyline, ...]:
    """Every placed letter's strokes on the page, with loose marks and a slight tremor."""
    tremble = tremor_field(rng, TREMOR * k)
    out: list[Polyline] = []
    for word in words:
        last_end: Point | None = None  # where the word's previous letter left the paper
        for index, (font, char, a, b, c, d, e, f) in enumerate(word.glyphs):
            if not char or char.isspace():
                last_end = None
                continue
            variant = word.shapes[index][1] if word.shapes else 0
            letter = font.outline(char, variant, deform)
            if not letter.strokes:
                continue
            size = math.sqrt(abs(a * d - b * c))
            step = TREMOR_STEP * max(1.0, size / 12)
            x0, y0 = letter.strokes[0][0]
            start = (a * x0 + c * y0 + e, b * x0 + d * y0 + f)
            if font.connected and last_end and math.dist(start, last_end) < JOIN_SNAP * size:
                # A joined script: this letter begins where the last one ended, in the font's
                # design. The line's drift moved it a hair; put it back, so the join is drawn.
                e, f = e + last_end[0] - start[0], f + last_end[1] - start[1]
            for number, stroke in enumerate(letter.strokes):
                dx = dy = 0.0
                if number in letter.marks:
                    # Measured along the letter's own axes, so a slanted word's dots follow it.
                    across = rng.gauss(0.0, MARK_SPREAD[0] * k)
                    up = rng.gauss(0.0, MARK_SPREAD[1] * k)
                    dx, dy = a * across + c * up, b * across + d * up
                placed = [(a * x + c * y + e + dx, b * x + d * y + f + dy) for x, y in stroke]
                if number not in letter.marks:
                    last_end = placed[-1]
                out.append(tremble(_resampled(placed, step)))
    return tuple(out)


def _resampled(points: list[Point], step: float) -> list[Point]:
    """The same polyline with long segments cut into pieces no longer than `step`."""
    out = [points[0]]
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        pieces = max(1, math.ceil(math.hypot(x1 - x0, y1 - y0) / step))
        for i in range(1, pieces + 1):
            t = i / pieces
            out.append((x0 + (x1 - x0) * t, y0 + (y1 - y0) * t))
    return out


def tremor_field(rng: random.Random, amplitude: float):
    """A smooth, seeded displacement over the page, a few millimetres in wavelength.

    A field over the page rather than noise per stroke: where a joined script's strokes meet,
    both ends move alike and stay joined.
    """
    waves = []
    for _ in range(3):
        angle = rng.uniform(0, math.pi)
        number = 2 * math.pi / rng.uniform(5.0, 11.0)  # wavelength in points
        waves.append(
            (
                number * math.cos(angle),
                number * math.sin(angle),
                rng.uniform(0, 2 * math.pi),
                rng.uniform(0, 2 * math.pi),
            )
        )
    share = amplitude / math.sqrt(len(waves))
    sin = math.sin

    def tremble(points: list[Point]) -> Polyline:
        if share == 0:
            return tuple(points)
        moved = []
        for x, y in points:
            dx = dy = 0.0
            for kx, ky, px, py in waves:
                dx += sin(kx * x + ky * y + px)
                dy += sin(ky * x - kx * y + py)
            moved.append((x + share * dx, y + share * dy))
        return tuple(moved)

    return tremble
