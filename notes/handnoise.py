"""The seeded noise a hand draws from (notes.handwriting): a fixed table of normal values that
each note walks at its own offset and stride, the outline variant picked at each place of it,
and the drift of the lines down a card.

Plain numbers; the same forever, so the same seed gives the same card.
"""

from __future__ import annotations

import math
import random
import sys
from array import array
from functools import cache
from pathlib import Path

from notes.glyphs import VARIANTS

NORMAL_FILE = Path(__file__).with_name("noise.f64")  # drawn_normal_table(), as 8-byte doubles


@cache
def normal_table() -> tuple[float, ...]:
    """4096 standard normal values, fixed forever: a note draws from it at a seeded offset and stride.

    Drawing per-glyph noise this way is several times cheaper than random.gauss, and as random
    to the eye: a card needs about a thousand values. They are read from the file shipped
    beside this module (a test checks it holds drawn_normal_table()): the same numbers on every
    platform whatever its maths library's last bit, and no 4096 draws at every start (~2 ms).
    """
    values = array("d")
    values.frombytes(NORMAL_FILE.read_bytes())
    if sys.byteorder == "big":
        values.byteswap()  # the file is little-endian
    return tuple(values)


def drawn_normal_table() -> tuple[float, ...]:
    """The table as it was first drawn, from the seed "notes"."""
    source = random.Random(0x6E6F746573)  # "notes"
    return tuple(source.gauss(0.0, 1.0) for _ in range(4096))


@cache
def walked_table(table: str) -> tuple[float, ...]:
    """A noise table seven times over: a word's (or a letter's) next draws, at most six steps
    of the walk ahead, are one slice of it (`[pos + step : pos + 7 * step : step]`), with no
    wrapping of each position into the table: a letter's five draws cost one operation."""
    return (normal_table() if table == "normal" else bounded_table()) * 7


@cache
def variant_picks() -> tuple[int, ...]:
    """The outline variant of a letter drawn at each place of the normal table's walk: from
    the value across the table (p ^ 2048), off the walk, so --realism plain places alike."""
    noise = normal_table()
    return tuple(1 + int(abs(noise[p ^ 2048]) * 97) % VARIANTS for p in range(4096))


@cache
def bounded_table() -> tuple[float, ...]:
    """The normal table clipped to two sigmas: a learned hand's letters stay recognisably its."""
    return tuple(max(-2.0, min(2.0, value)) for value in normal_table())


_TWO_PI = 2.0 * math.pi
_GAUSS_MATHS = (math.cos, math.sin, math.log, math.sqrt)


def standard_normals(rng: random.Random, count: int) -> list[float]:
    """The standard normal draws of the next `count` calls of rng.gauss (one returns
    mu + draw * sigma), drawn here in one loop, and rng left as those calls leave it.

    As random.Random.gauss draws them (CPython 3.11 to 3.13): a pair from two uniforms, the
    second kept for the next call in `gauss_next` (a test checks it, draw for draw)."""
    uniform, two_pi, cos, sin, log, sqrt = rng.random, _TWO_PI, *_GAUSS_MATHS
    kept = rng.gauss_next
    found = [] if kept is None else [kept]
    for _ in range((count - len(found) + 1) // 2):
        angle = uniform() * two_pi
        radius = sqrt(-2.0 * log(1.0 - uniform()))
        found += (cos(angle) * radius, sin(angle) * radius)
    rng.gauss_next = found.pop() if len(found) > count else None
    return found


def unit_clamp(value: float) -> float:
    """`value` within 0..1, as min(1.0, max(0.0, value)) gives it (-0.0 becomes 0.0)."""
    return 1.0 if value > 1.0 else value if value > 0.0 else 0.0


class Drift:
    """A hand's drift down the card: the left margin creeps steadily one way (and turns back
    at the edge of its room), and the lines keep the note's tilt, each line a small step from
    the one before rather than an independent jump."""

    def __init__(self, draws: list[float], size: float, k: float) -> None:
        # Four standard normal draws, as rng.gauss(0, sd) uses them (0 + draw * sd).
        margin, creep, tilt, slope = draws
        self.room = size * 0.3 * k  # within the layout's DRIFT_ROOM at the right
        self.margin = min(self.room, abs(0 + margin * (size * 0.08 * k)))
        self.creep = 0 + creep * (size * 0.04 * k)  # per line
        self.tilt = 0 + tilt * (0.007 * k)  # the note's slope, which every line leans to
        self.slope = self.tilt + (0 + slope * (0.004 * k))
        self.margin_sd, self.slope_sd = size * 0.015 * k, 0.003 * k  # per line

    def lines(self, draws: list[float], counts: list[int]) -> list[tuple[float, float]]:
        """Each line's start (added to the layout's) and its slope, one line after the
        other: line i's from the two standard normal draws (as gauss(0, sd) uses them: 0 +
        draw * sd) at 4 + counts[0] + ... + counts[i - 1] (the first four are the drift's own)."""
        margin, creep, slope, tilt, room = self.margin, self.creep, self.slope, self.tilt, self.room
        margin_sd, slope_sd = self.margin_sd, self.slope_sd
        found = []
        at = 4
        for count in counts:
            margin = margin + creep + (0 + draws[at] * margin_sd)
            if not 0.0 <= margin <= room:
                creep = -creep
                margin = max(0.0, min(room, margin))
            slope = 0.6 * slope + 0.4 * tilt + (0 + draws[at + 1] * slope_sd)
            found.append((margin, slope))
            at += count
        self.margin, self.creep, self.slope = margin, creep, slope
        return found
