"""Letter shapes that differ each time: a few smoothly deformed variants of every glyph outline.

A pen never draws the same 'e' twice. From the font's outlines (fontTools) we make a handful of
variants per glyph by moving every point along a smooth, low-frequency displacement field, so
curves stay curves. Each variant is plain geometry (notes.drawing.Outline) in the document's
glyph table, drawn once per document and placed per letter with its own transform: every letter
differs, and the file stays small.
"""

from __future__ import annotations

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


def _warp_field(seed: int, upem: int, amount: float, advance: int, pinned: bool):
    """A smooth displacement (x, y) -> (x', y') of a few percent of the em.

    Sums of two long-wavelength sines per axis: neighbouring points move together, so strokes
    bend and swell a little instead of jittering. `pinned` fades the field to nothing at the
    glyph's left and right edges, where connected letters join their neighbours.
    """
    rng = random.Random(seed)
    amp = amount * upem
    waves = [
        (
            rng.uniform(0.6, 1.6) * 2 * math.pi / upem,
            rng.uniform(0.6, 1.6) * 2 * math.pi / upem,
            rng.uniform(0, 2 * math.pi),
            rng.gauss(0, 1) * amp,
        )
        for _ in range(4)
    ]
    # A slight per-variant stretch and lean: one letter a touch wider, another more upright.
    stretch = 1 + rng.gauss(0, amount * 0.8)
    lean = rng.gauss(0, amount * 1.2)
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


@cache
def variant_outline(path: Path, gid: int, variant: int, amount: float, pinned: bool) -> Outline:
    """One variant of a glyph's outline in font units: cubic curves and lines, closed contours.

    Variant 0 (or no deformation) is the font's own outline; the others are moved by a smooth
    field seeded by the font file's name, the glyph and the variant, the same in every run.
    """
    if variant == 0 or amount <= 0:
        warp = _identity
    else:
        seed = hash_seed(path.name, gid, variant)
        warp = _warp_field(seed, units_per_em(path), amount, advance_units(path, gid), pinned)
    return _truetype_outline(_font_file(path), glyph_name(path, gid), warp)


def _truetype_outline(font, name: str, warp) -> Outline:
    """Quadratic TrueType contours straight to cubic curves: several times faster than going
    through fontTools' pen protocol, which matters when a single card is written."""
    glyf = font["glyf"]
    glyph = glyf[name]
    if glyph.numberOfContours == 0:
        return ()
    coords, ends, flags = glyph.getCoordinates(glyf)
    points = [warp(x, y) for x, y in coords]
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


def _identity(x: float, y: float) -> tuple[float, float]:
    return x, y


def hash_seed(*parts) -> int:
    import hashlib

    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big")
