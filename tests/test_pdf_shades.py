"""A word's ink as colour operators: found by its channels' hundredths, the bytes of rounding."""

from __future__ import annotations

import math
import random

from notes.pdf.shades import Shades, ink_operators


def _near_every_boundary() -> list[float]:
    """Each hundredth's rounding boundary and the floats either side of it, 0, 1 and ties."""
    values = [0.0, 1.0, 0.125, 0.375, 0.625, 0.875, -0.0]
    for k in range(101):
        x = (k - 0.5) / 100
        for _ in range(3):
            values += [x, math.nextafter(x, -math.inf), math.nextafter(x, math.inf)]
            x = math.nextafter(x, math.inf)
    return [v for v in values if 0.0 <= v <= 1.0]


def test_a_shade_is_written_as_rounding_each_channel_writes_it():
    shades, rng = Shades(), random.Random(4)
    channels = _near_every_boundary()
    inks = [(rng.choice(channels), rng.choice(channels), rng.choice(channels)) for _ in range(5000)]
    inks += [(rng.random(), rng.random(), rng.random()) for _ in range(5000)]
    for ink in inks:
        assert shades.of(ink) == ink_operators(ink, {}), ink


def test_an_ink_outside_0_to_1_is_rounded_as_ever():
    shades = Shades()
    for ink in [(1.2, 0.5, 0.5), (-0.3, 0.0, 0.1), (0.2, math.nan, 0.1), (math.inf, 0, 0)]:
        assert shades.of(ink) == ink_operators(ink, {}), ink
