"""The hand as pen strokes: a note planned exactly as for print, written with a stroke font.

The layout (notes.layout) and the seeded hand (notes.handwriting) place every letter of a
single-stroke font as they place an outline font's: line drift, per-letter size, turn, baseline
and slant, per-word variation for a joined script so its joins stay joined, and deformed letter
variants (notes.glyphs) for the `natural` and `rough` realism. Two things only a pen needs are
added here: dots and accents move on their own (a writer puts them on afterwards), and every
stroke trembles a little, along a smooth field over the page so strokes that meet still meet.

Plain data out: a drawing-model Page of Stroke items (notes.drawing), in page points.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from dataclasses import dataclass, replace

from notes.cards import MM
from notes.drawing import GlyphTable, Outline, Page, PathOp, Stroke, Word
from notes.render import Renderer, Style, note_rng
from notes.strokefonts import StrokeBook
from notes.svgpath import Point, Polyline

TREMOR = 0.22  # amplitude of the tremor in points at the nominal messiness (about 0.08 mm)
TREMOR_STEP = 1.2  # strokes are cut into pieces no longer than this (points) so they can tremble
MARK_SPREAD = (0.035, 0.05)  # how far dots and accents wander, in ems (across, up)
PEN = 0.4 * MM  # the pen's width in points, for writers that draw the page (a PDF)
JOIN_SNAP = 0.06  # in ems: a joined letter starting this close to the last one's end joins it


@dataclass(frozen=True)
class PenPage:
    """One card or envelope as a pen plotter draws it: a drawing-model page of strokes only."""

    label: str  # what it is: "card" or "envelope"
    page: Page  # Stroke items, in page points (origin bottom left, y up)


class PenHand:
    """Writes notes and envelopes in a stroke font, in a style's hand (seed, messiness, card)."""

    def __init__(self, style: Style, font: str):
        # A scanned signature is a picture: a pen cannot draw it, so plots leave it out.
        self.style = replace(style, signature=None)
        self.fonts = StrokeBook(font)
        self.renderer = Renderer(self.style, fonts=self.fonts)

    @property
    def font_id(self) -> str:
        return self.fonts.primary.spec.id

    def card(self, text: str, *, key: str) -> PenPage:
        plan = self.renderer.plan(text, key=key)
        strokes = self._strokes(plan.words, plan.glyphs, key)
        return PenPage("card", Page(plan.card.width, plan.card.height, strokes))

    def envelope(
        self, address: list[str], return_address: list[str], size: str, *, key: str
    ) -> PenPage:
        from notes.envelopes import envelope_plan

        plan = envelope_plan(self.renderer, address, return_address, size, key=key)
        words = [item for item in plan.words if isinstance(item, Word)]
        strokes = self._strokes(words, plan.glyphs, f"envelope\x1f{key}")
        return PenPage("envelope", Page(plan.width, plan.height, strokes))

    def _strokes(self, words: Iterable[Word], glyphs: GlyphTable, key: str) -> tuple[Stroke, ...]:
        rng = note_rng(self.style.seed, f"pen\x1f{key}")
        k = max(0.0, min(1.0, self.style.messiness)) * 2.0  # 0.5 -> the nominal hand, as the PDF's
        lines = pen_strokes(words, glyphs, self.fonts, rng=rng, k=k)
        ink = self.renderer.ink
        return tuple(
            Stroke(tuple(PathOp("L" if i else "M", p) for i, p in enumerate(line)), PEN, ink)
            for line in lines
        )


def pen_strokes(
    words: Iterable[Word], glyphs: GlyphTable, fonts: StrokeBook, *, rng: random.Random, k: float
) -> tuple[Polyline, ...]:
    """Every placed letter's strokes on the page, with loose marks and a slight tremor."""
    tremble = tremor_field(rng, TREMOR * k)
    out: list[Polyline] = []
    for word in words:
        last_end: Point | None = None  # where the word's previous letter left the paper
        for placed in word.glyphs:
            glyph = glyphs[placed.glyph]
            if glyph.filled or not glyph.char.strip() or not glyph.outline:
                last_end = None
                continue
            font = fonts.by_name(glyph.font.name)
            marks = font.letter(glyph.char).marks
            unit = 1 / glyph.font.units_per_em  # the table's shapes are in font units
            a, b, c, d = (v * unit for v in placed[1:5])
            e, f = placed.e, placed.f
            size = math.sqrt(abs(a * d - b * c)) / unit  # the letter's size in points
            step = TREMOR_STEP * max(1.0, size / 12)
            x0, y0 = glyph.outline[0].points
            start = (a * x0 + c * y0 + e, b * x0 + d * y0 + f)
            if font.connected and last_end and math.dist(start, last_end) < JOIN_SNAP * size:
                # A joined script: this letter begins where the last one ended, in the font's
                # design. The line's drift moved it a hair; put it back, so the join is drawn.
                e, f = e + last_end[0] - start[0], f + last_end[1] - start[1]
            for number, stroke in enumerate(_subpaths(glyph.outline)):
                dx = dy = 0.0
                if number in marks:
                    # Measured along the letter's own axes, so a slanted word's dots follow it.
                    across = rng.gauss(0.0, MARK_SPREAD[0] * k) / unit
                    up = rng.gauss(0.0, MARK_SPREAD[1] * k) / unit
                    dx, dy = a * across + c * up, b * across + d * up
                placed_points = [
                    (a * x + c * y + e + dx, b * x + d * y + f + dy) for x, y in stroke
                ]
                if number not in marks:
                    last_end = placed_points[-1]
                out.append(tremble(_resampled(placed_points, step)))
    return tuple(out)


def _subpaths(outline: Outline) -> list[list[Point]]:
    """An outline of moves and lines as its polylines."""
    lines: list[list[Point]] = []
    for op in outline:
        if op.op == "M":
            lines.append([op.points])
        else:
            lines[-1].append(op.points)
    return lines


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
