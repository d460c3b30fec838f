"""Letter shapes that differ each time: a few smoothly deformed variants of every glyph outline.

A pen never draws the same 'e' twice. From the font's outlines (fontTools) we make a handful of
variants per glyph by moving every point along a smooth, low-frequency displacement field, so
curves stay curves. Each variant is plain geometry (notes.drawing.Outline) in the document's
glyph table, drawn once per document and placed per letter with its own transform: every letter
differs, and the file stays small.
"""

from __future__ import annotations

import itertools
import math
import random
from functools import cache
from pathlib import Path

from notes.drawing import Outline, PathOp

VARIANTS = 5  # per glyph; with per-letter transforms no two letters on a card look alike


@cache
def _font_file(path: Path):
    from fontTools.ttLib import TTFont

    return TTFont(str(path), lazy=True)


@cache
def glyph_name(path: Path, gid: int) -> str:
    return _font_file(path).getGlyphName(gid)


@cache
def units_per_em(path: Path) -> int:
    return _font_file(path)["head"].unitsPerEm


@cache
def advance_units(path: Path, gid: int) -> int:
    return _font_file(path)["hmtx"][glyph_name(path, gid)][0]


# Bumped whenever the warp's output changes, so caches of outlines made by an older one go.
WARP_VERSION = 2

# How far a letter's strokes may bend beyond an overall stretch and lean, in stroke widths: a
# real hand never draws a broken letter, and a bend of a third of a stroke reads as the same one.
BEND_LIMIT = 0.3
# The bend at `natural` realism (0.016 of the em), in stroke widths; rough bends more, up to
# BEND_LIMIT.
BEND_NOMINAL = 0.24
_NATURAL = 0.016


def _warp_field(seed: int, upem: int, amount: float, advance: int, pinned: bool, bend: float):
    """A smooth displacement (x, y) -> (x', y'): an overall stretch and lean plus a bend.

    The bend is a sum of two long-wavelength sines per axis, so neighbouring points move together
    and strokes bend and swell a little instead of jittering; it never moves a point more than
    `bend` font units. `pinned` fades the field to nothing at the glyph's left and right edges,
    where connected letters join their neighbours.
    """
    rng = random.Random(seed)
    waves = [
        (
            rng.uniform(0.6, 1.6) * 2 * math.pi / upem,
            rng.uniform(0.6, 1.6) * 2 * math.pi / upem,
            rng.uniform(0, 2 * math.pi),
            _clipped(rng.gauss(0, 0.5), 1.0) * bend / 2,
        )
        for _ in range(4)
    ]
    # A slight per-variant stretch and lean: one letter a touch wider, another more upright.
    # Not for joined letters: faded to nothing at the joins, they would bend the letter instead.
    stretch = 1 + _clipped(rng.gauss(0, amount * 0.8), amount * 2)
    lean = _clipped(rng.gauss(0, amount * 1.2), amount * 3)
    if pinned:
        stretch, lean = 1.0, 0.0
    width = max(advance, 1)

    def warp(x: float, y: float) -> tuple[float, float]:
        fx, fy, px, ax = waves[0]
        gx, gy, py, ay = waves[1]
        hx, hy, qx, bx = waves[2]
        kx, ky, qy, by = waves[3]
        dx = ax * math.sin(fx * x + fy * y + px) + bx * math.sin(hx * x - hy * y + qx)
        dy = ay * math.sin(gx * x + gy * y + py) + by * math.sin(kx * y - ky * x + qy)
        nx = x * stretch + lean * y + dx
        ny = y + dy
        if pinned:
            fade = math.sin(math.pi * min(1.0, max(0.0, x / width)))
            nx = x + (nx - x) * fade
            ny = y + (ny - y) * fade
        return nx, ny

    return warp


# A plotter pen's line, in ems: the stroke width a stroke font's centre lines are bent against.
PEN_WIDTH = 0.06


def bent_centre_lines(seed: int, upem: int, amount: float, advance: int, pinned: bool, strokes):
    """A stroke font's letter (centre lines) moved by the warp, bent no more than an outline
    letter is, relative to the pen's line: BEND_LIMIT pen widths beyond a stretch and lean (the
    field's two waves per axis can add up past it). A candidate that bends more is tried again
    with half the bend; if none passes, the font's own strokes."""
    pen = PEN_WIDTH * upem
    bend = min(BEND_LIMIT, BEND_NOMINAL * amount / _NATURAL) * pen
    points = [point for stroke in strokes for point in stroke]
    for _ in range(3):
        warp = _warp_field(seed, upem, amount, advance, pinned, bend)
        moved = [warp(x, y) for x, y in points]
        if bend_of(points, moved) <= BEND_LIMIT * pen:
            ends = itertools.accumulate(len(stroke) for stroke in strokes)
            return tuple(
                tuple(moved[end - len(s) : end]) for s, end in zip(strokes, ends, strict=True)
            )
        bend /= 2
    return tuple(strokes)


def _clipped(value: float, limit: float) -> float:
    return max(-limit, min(limit, value))


@cache
def variant_outline(path: Path, gid: int, variant: int, amount: float, pinned: bool) -> Outline:
    """One variant of a glyph's outline in font units: cubic curves and lines, closed contours.

    Variant 0 (or no deformation) is the font's own outline; the others are moved by a smooth
    field seeded by the font file's name, the glyph and the variant, the same in every run, and
    bounded so the letter stays its letter (see `_sound_points`).
    """
    moved = None
    if variant and amount > 0:
        moved = _sound_points(path, gid, variant, amount, pinned)
    return _truetype_outline(_font_file(path), glyph_name(path, gid), moved)


def _sound_points(path: Path, gid: int, variant: int, amount: float, pinned: bool):
    """A glyph's points moved by a warp that keeps the letter: its strokes bend at most
    BEND_LIMIT stroke widths beyond a stretch and lean, and no contour crosses itself more than
    the font's own does.

    A candidate that fails is tried again with half the bend; if none passes, the font's own.
    """
    shape = glyph_shape(path, gid)
    if shape is None:
        return None
    bend = min(BEND_LIMIT, BEND_NOMINAL * amount / _NATURAL) * shape.stroke
    seed = hash_seed(path.name, gid, variant, WARP_VERSION)
    upem, advance = units_per_em(path), advance_units(path, gid)
    for _ in range(3):
        warp = _warp_field(seed, upem, amount, advance, pinned, bend)
        moved = [warp(x, y) for x, y in shape.points]
        if shape.keeps_shape(moved):
            return moved
        bend /= 2
    return None


_QUARTERS = ((0.25, 0.75), (0.5, 0.5), (0.75, 0.25))


class GlyphShape:
    """A glyph's TrueType points (on and off the curve) and what a variant must keep of them."""

    def __init__(self, points: list[tuple[float, float]], ends: list[int], on: list[bool]):
        self.points = points
        starts = [0, *(end + 1 for end in ends[:-1])]
        self.contours = [range(start, end + 1) for start, end in zip(starts, ends, strict=True)]
        self.on = on
        self.stroke = _stroke_width(self._rings(points))
        # Where the font's own contour touches itself, a bend may make that touch a crossing.
        self.crossings = _crossings(self._rings(points), touching=True)

    def _rings(self, points: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
        """Each contour as a polygon of points on its curves (an off-curve point is replaced by
        three points of its curve), close enough to the drawn shape to see it cross itself."""
        rings = []
        for contour in self.contours:
            full = []  # with the implied on-curve points between two off-curve ones
            for i in contour:
                previous = contour[(i - contour.start - 1) % len(contour)]
                if not self.on[i] and not self.on[previous]:
                    (ax, ay), (bx, by) = points[previous], points[i]
                    full.append((((ax + bx) / 2, (ay + by) / 2), True))
                full.append((points[i], self.on[i]))
            size = len(full)
            ring = []
            for n, (point, on) in enumerate(full):
                if on:
                    ring.append(point)
                else:  # the curve at t = 1/4, 1/2, 3/4
                    (ax, ay), (cx, cy), (bx, by) = full[n - 1][0], point, full[(n + 1) % size][0]
                    ring += [
                        (
                            u * u * ax + 2 * u * t * cx + t * t * bx,
                            u * u * ay + 2 * u * t * cy + t * t * by,
                        )
                        for t, u in _QUARTERS
                    ]
            rings.append(ring)
        return rings

    def keeps_shape(self, moved: list[tuple[float, float]]) -> bool:
        """True when `moved` is this glyph bent by at most BEND_LIMIT stroke widths (after the
        best-fitting stretch and lean) and crossing itself no more than the font's glyph."""
        if bend_of(self.points, moved) > BEND_LIMIT * self.stroke:
            return False
        return _crossings(self._rings(moved)) <= self.crossings


@cache
def glyph_shape(path: Path, gid: int) -> GlyphShape | None:
    """The shape a glyph's variants must keep; None for an empty glyph."""
    font = _font_file(path)
    glyf = font["glyf"]
    glyph = glyf[glyph_name(path, gid)]
    if glyph.numberOfContours == 0:
        return None
    coords, ends, flags = glyph.getCoordinates(glyf)
    if not ends:
        return None
    points = [(float(x), float(y)) for x, y in coords]
    return GlyphShape(points, list(ends), [bool(flag & 1) for flag in flags])


def bend_of(points: list[tuple[float, float]], moved: list[tuple[float, float]]) -> float:
    """The largest distance, in font units, between `moved` and the affine map of `points` that
    fits it best (least squares): how far a shape bent, not counting stretch, lean or shift."""
    n = len(points)
    if n < 3:
        return 0.0
    mx, my = sum(x for x, _ in points) / n, sum(y for _, y in points) / n
    sxx = sum((x - mx) ** 2 for x, _ in points)
    syy = sum((y - my) ** 2 for _, y in points)
    sxy = sum((x - mx) * (y - my) for x, y in points)
    det = sxx * syy - sxy * sxy
    if abs(det) < 1e-9:  # a straight line of points: no affine fit to speak of
        return max(math.dist(p, q) for p, q in zip(points, moved, strict=True))
    fits = []
    for axis in (0, 1):
        centre = sum(q[axis] for q in moved) / n
        bx = sum((x - mx) * (q[axis] - centre) for (x, _), q in zip(points, moved, strict=True))
        by = sum((y - my) * (q[axis] - centre) for (_, y), q in zip(points, moved, strict=True))
        fits.append(((bx * syy - by * sxy) / det, (by * sxx - bx * sxy) / det, centre))
    (a, b, c), (d, e, f) = fits
    return max(
        math.hypot(qx - a * (x - mx) - b * (y - my) - c, qy - d * (x - mx) - e * (y - my) - f)
        for (x, y), (qx, qy) in zip(points, moved, strict=True)
    )


def _stroke_width(rings: list[list[tuple[float, float]]]) -> float:
    """Mean stroke width in font units: twice the inked area over the outline's length (a
    stroke of length L and width w has an area of L*w and an outline about 2L long)."""
    area = length = 0.0
    for ring in rings:
        pairs = list(zip(ring, ring[1:] + ring[:1], strict=True))
        area += sum(ax * by - bx * ay for (ax, ay), (bx, by) in pairs) / 2
        length += sum(math.dist(p, q) for p, q in pairs)
    return 2 * abs(area) / length if length else 0.0


def _crossings(rings: list[list[tuple[float, float]]], *, touching: bool = False) -> int:
    """How many pairs of non-neighbouring edges of each ring cross (or touch, if `touching`)."""
    meets = _touch if touching else _cross
    count = 0
    for ring in rings:
        size = len(ring)
        # Edges sorted by their left end: an edge is only tested against those starting before
        # its right end (a sweep), which keeps this cheap for every variant made.
        edges = sorted(
            (min(p[0], q[0]), max(p[0], q[0]), min(p[1], q[1]), max(p[1], q[1]), i, p, q)
            for i, (p, q) in enumerate(zip(ring, ring[1:] + ring[:1], strict=True))
        )
        for n, (_, x1, y0, y1, i, p, q) in enumerate(edges):
            for u0, _, v0, v1, j, r, s in edges[n + 1 :]:
                if u0 > x1:
                    break
                apart = abs(i - j)
                if v0 <= y1 and v1 >= y0 and 1 < apart < size - 1 and meets(p, q, r, s):
                    count += 1
    return count


def _cross(p, q, r, s) -> bool:
    """Whether segments pq and rs cross (touching does not count)."""
    d1, d2 = _side(r, s, p), _side(r, s, q)
    d3, d4 = _side(p, q, r), _side(p, q, s)
    return d1 * d2 < 0 and d3 * d4 < 0


def _touch(p, q, r, s) -> bool:
    d1, d2 = _side(r, s, p), _side(r, s, q)
    d3, d4 = _side(p, q, r), _side(p, q, s)
    return d1 * d2 <= 0 and d3 * d4 <= 0


def _side(a, b, c) -> float:
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


def _truetype_outline(font, name: str, moved: list | None) -> Outline:
    """Quadratic TrueType contours straight to cubic curves: several times faster than going
    through fontTools' pen protocol, which matters when a single card is written. `moved`: the
    glyph's points after a warp (None: the font's own)."""
    glyf = font["glyf"]
    glyph = glyf[name]
    if glyph.numberOfContours == 0:
        return ()
    coords, ends, flags = glyph.getCoordinates(glyf)
    points = moved if moved is not None else list(coords)
    ops: list[PathOp] = []
    start = 0
    for end in ends:
        contour = [(points[i], flags[i] & 1) for i in range(start, end + 1)]
        start = end + 1
        if len(contour) < 2:
            continue
        _contour_ops(contour, ops)
    return tuple(ops)


def _contour_ops(contour: list, ops: list[PathOp]) -> None:
    # Start on an on-curve point; a contour of only off-curve points starts at an implied midpoint.
    first_on = next((i for i, (_, on) in enumerate(contour) if on), None)
    if first_on is None:
        (ax, ay), (bx, by) = contour[0][0], contour[1][0]
        contour = [(((ax + bx) / 2, (ay + by) / 2), 1), *contour]
        first_on = 0
    contour = contour[first_on:] + contour[:first_on]
    (cx, cy) = contour[0][0]
    ops.append(PathOp("M", (cx, cy)))
    pending = None  # an off-curve control point waiting for its end point
    for (px, py), on in contour[1:] + [contour[0]]:
        if on:
            if pending is None:
                ops.append(PathOp("L", (px, py)))
            else:
                cx, cy = _quad_to_cubic(ops, (cx, cy), pending, (px, py))
                pending = None
            cx, cy = px, py
        else:
            if pending is not None:
                mid = ((pending[0] + px) / 2, (pending[1] + py) / 2)
                cx, cy = _quad_to_cubic(ops, (cx, cy), pending, mid)
            pending = (px, py)
    ops.append(PathOp("Z", ()))


def _quad_to_cubic(ops: list[PathOp], p0, control, p1) -> tuple[float, float]:
    c1x = p0[0] + 2 / 3 * (control[0] - p0[0])
    c1y = p0[1] + 2 / 3 * (control[1] - p0[1])
    c2x = p1[0] + 2 / 3 * (control[0] - p1[0])
    c2y = p1[1] + 2 / 3 * (control[1] - p1[1])
    ops.append(PathOp("C", (c1x, c1y, c2x, c2y, p1[0], p1[1])))
    return p1


def hash_seed(*parts) -> int:
    import hashlib

    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big")
