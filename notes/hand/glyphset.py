"""Samples -> the learned font's glyphs: outlines in font units, placed on the baseline, spaced.

Every usable sample of a character becomes a glyph: the most typical one (most like the others)
is the encoded glyph `a`, the rest its alternates `a.1` ... `a.n`. Accented letters are built
from each sample of the base letter and a sampled mark; a double quote from two single ones.
Side bearings come from the samples: a base gap from the pen's line width and the x-height,
less part of how far the letter's middle stands in from its widest point (a `T` or an `L`
tucks in; an `o` does not). Isolated boxes say nothing about pairs, so there is no kerning.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from notes.hand import outline
from notes.hand.charset import DOUBLED, MARKS, MARKS_BELOW, composed, glyph_name
from notes.hand.learn import Sample, normalised_shape, overlap
from notes.hand.outline import Recording
from notes.hand.photo import PX_PER_MM
from notes.hand.trace import trace

UNITS_PER_EM = 1000
X_HEIGHT = 450  # the x-height guide line, in font units
MARK_GAP = 0.12 * X_HEIGHT  # between a letter's top and the accent over it


@dataclass
class Shape:
    """One drawn sample in font units: origin on the box's left edge and the baseline."""

    char: str
    drawing: Recording
    pen_width: float  # the line's width, in font units
    ink: np.ndarray  # the sample's bitmap, to compare shapes

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        return outline.bounds(self.drawing) or (0, 0, 0, 0)


@dataclass
class LearnedGlyph:
    name: str
    char: str  # the character it draws ("" for none)
    drawing: Recording  # placed: its ink starts at the left side bearing
    advance: int
    alternate_of: str = ""  # the encoded glyph's name, for alternates


def shape_of(sample: Sample) -> Shape:
    """A sample traced and scaled so its box's x-height guide is X_HEIGHT units."""
    units = X_HEIGHT / sample.box.x_height  # per mm
    contours = []
    for contour in trace(sample.ink):
        x = (sample.left + contour[:, 0] / PX_PER_MM) * units
        y = (sample.top - contour[:, 1] / PX_PER_MM) * units
        contours.append(np.column_stack((x, y)))
    return Shape(
        sample.char, outline.from_contours(contours), _pen_width(sample) * units, sample.ink
    )


def _pen_width(sample: Sample) -> float:
    """The ink's typical line width in mm: twice the median depth along its middle."""
    import cv2

    depth = cv2.distanceTransform(np.pad(sample.ink, 1).astype(np.uint8), cv2.DIST_L2, 3)
    ridge = depth[(depth > 0) & (depth >= cv2.dilate(depth, np.ones((3, 3), np.uint8)))]
    return 2 * float(np.median(ridge)) / PX_PER_MM if ridge.size else 0.4


def typical_first(shapes: list[Shape]) -> list[Shape]:
    """The shapes with the one most like the others first (the encoded glyph)."""
    if len(shapes) < 3:
        return shapes
    normal = [normalised_shape(s.ink) for s in shapes]
    likeness = [
        sum(overlap(a, b) for m, b in enumerate(normal) if m != n) for n, a in enumerate(normal)
    ]
    best = int(np.argmax(likeness))
    return [shapes[best]] + [s for n, s in enumerate(shapes) if n != best]


def settled(shapes: list[Shape]) -> list[Shape]:
    """Samples written well off the baseline, or much larger or smaller than their siblings,
    brought back to how the siblings sit.

    With three or more samples of a character their median foot and height are how the owner
    writes it; a sample a fifth of the x-height off that foot was written high or low in its
    box, and one over 20 % taller or shorter was squeezed or spread by the box."""
    if len(shapes) < 3:
        return shapes
    feet = [s.bounds[1] for s in shapes]
    heights = [s.bounds[3] - s.bounds[1] for s in shapes]
    usual_foot, usual_height = float(np.median(feet)), float(np.median(heights))
    moved = []
    for shape, foot, height in zip(shapes, feet, heights, strict=True):
        scale = 1.0
        if height > 0 and abs(height / usual_height - 1) > 0.2:
            scale = usual_height / height
        if scale != 1.0 or abs(foot - usual_foot) > 0.2 * X_HEIGHT:
            drawing = outline.transformed(shape.drawing, scale=scale)
            drawing = outline.transformed(drawing, dy=usual_foot - foot * scale)
            shape = Shape(shape.char, drawing, shape.pen_width * scale, shape.ink)
        moved.append(shape)
    return moved


class Spacing:
    """Side bearings for this hand, from its pen width and x-height."""

    def __init__(self, shapes: list[Shape]) -> None:
        widths = [s.pen_width for s in shapes] or [0.1 * X_HEIGHT]
        self.gap = 0.07 * X_HEIGHT + 0.35 * float(np.median(widths))

    def place(self, name: str, char: str, drawing: Recording, alternate_of: str = ""):
        x_min, y_min, x_max, y_max = outline.bounds(drawing) or (0, 0, 0, 0)
        left_in, right_in = _indents(drawing, (x_min, y_min, x_max, y_max))
        left = max(0.3 * self.gap, self.gap - 0.35 * left_in)
        right = max(0.3 * self.gap, self.gap - 0.35 * right_in)
        placed = outline.transformed(drawing, dx=left - x_min)
        return LearnedGlyph(name, char, placed, round(left + (x_max - x_min) + right), alternate_of)


def _indents(drawing: Recording, box) -> tuple[float, float]:
    """How far the ink's middle band stands in from its widest extent, left and right."""
    x_min, y_min, x_max, y_max = box
    if x_max - x_min < 1 or y_max - y_min < 1:
        return 0.0, 0.0
    image = outline.rasterise(drawing, box, 0.1)
    rows = image[image.shape[0] // 4 : max(image.shape[0] // 4 + 1, 3 * image.shape[0] // 4)]
    columns = np.flatnonzero(rows.any(axis=0))
    if columns.size == 0:
        return 0.0, 0.0
    return columns[0] / 0.1, (image.shape[1] - 1 - columns[-1]) / 0.1


def learned_glyphs(shapes_by_char: dict[str, list[Shape]]) -> list[LearnedGlyph]:
    """Every glyph of the font: each sampled character, its alternates, then built letters."""
    spacing = Spacing([s for shapes in shapes_by_char.values() for s in shapes])
    glyphs: list[LearnedGlyph] = []
    for char, shapes in shapes_by_char.items():
        if char in MARKS:
            continue  # marks are drawn only on letters
        glyphs += _with_alternates(spacing, char, [s.drawing for s in shapes])
    for char, (base, mark) in composed().items():
        bases, marks = shapes_by_char.get(base), shapes_by_char.get(mark)
        if bases and marks:
            drawings = [
                _accented(b, marks[n % len(marks)], base, mark) for n, b in enumerate(bases)
            ]
            glyphs += _with_alternates(spacing, char, drawings)
    for char, single in DOUBLED.items():
        if shapes_by_char.get(single):
            quote = shapes_by_char[single]
            pair = _side_by_side(quote[0].drawing, quote[-1].drawing, spacing.gap * 0.6)
            glyphs += _with_alternates(spacing, char, [pair])
    return glyphs


def _with_alternates(spacing: Spacing, char: str, drawings: list[Recording]):
    name = glyph_name(char)
    placed = [spacing.place(name, char, drawings[0])]
    placed += [
        spacing.place(f"{name}.{n}", "", drawing, alternate_of=name)
        for n, drawing in enumerate(drawings[1:], start=1)
    ]
    return placed


def _accented(base: Shape, mark: Shape, base_char: str, mark_char: str) -> Recording:
    """The base letter with the mark centred over it (or under it, for a cedilla)."""
    letter = _without_dot(base.drawing) if base_char in "ij" else base.drawing
    bx0, by0, bx1, by1 = outline.bounds(letter) or (0, 0, 0, 0)
    mx0, my0, mx1, my1 = mark.bounds
    dx = (bx0 + bx1) / 2 - (mx0 + mx1) / 2
    if mark_char in MARKS_BELOW:
        dy = by0 + 0.1 * X_HEIGHT - my1  # hangs from the letter's foot
    else:
        dy = by1 + MARK_GAP - my0
    return letter + outline.transformed(mark.drawing, dx=dx, dy=dy)


def _without_dot(drawing: Recording) -> Recording:
    """An i or j without its dot (contours wholly over the x-height): the accent replaces it."""
    kept = []
    for contour in outline.contours_of(drawing):
        box = outline.bounds(contour)
        if box is None or box[1] < X_HEIGHT * 1.05:
            kept += contour
    return kept or drawing


def _side_by_side(left: Recording, right: Recording, gap: float) -> Recording:
    lx0, _, lx1, _ = outline.bounds(left) or (0, 0, 0, 0)
    rx0, _, _, _ = outline.bounds(right) or (0, 0, 0, 0)
    return left + outline.transformed(right, dx=lx1 + gap - rx0)
