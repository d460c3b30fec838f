"""Ink shades as PDF colour operators, found without rounding each word's ink.

Every word has an ink of its own (the pen's pressure), written to 1/100 a channel
(ink_operators). round(x, 2) costs as much as formatting the number, three
times a word; a channel's hundredth is found instead among the least values that round to each
(bisect, in C), and the operators kept by the three hundredths: the same bytes.
"""

from __future__ import annotations

from bisect import bisect_right
from math import inf, nextafter

from notes.drawing import RGB
from notes.pdf.objects import number


def ink_operators(ink: RGB, known: dict[tuple[float, float, float], str] | None = None) -> str:
    """Fill and stroke colour operators, each channel to 1/100 (at most 1.3 of 255 levels
    off: no eye tells, and a page's words then share a few shades that deflate well)."""
    r, g, b = ink
    shade = (round(r, 2), round(g, 2), round(b, 2))
    found = None if known is None else known.get(shade)
    if found is None:
        r, g, b = (number(c) for c in shade)
        found = f"{r} {g} {b} rg {r} {g} {b} RG"
        if known is not None:
            known[shade] = found
    return found


def _least_rounding_up() -> list[float]:
    """For k = 1 .. 100, the least float x with round(x, 2) >= k / 100: round is monotonic,
    so the number of these at or below a channel's value in 0 .. 1 is its hundredths."""
    found = []
    for k in range(1, 101):
        x, step = (k - 0.5) / 100, k / 100  # within an ulp or two of the boundary
        while round(x, 2) >= step:
            x = nextafter(x, -inf)
        while round(x, 2) < step:
            x = nextafter(x, inf)
        found.append(x)
    return found


# Between 0.0 and the float after 1.0: bisect gives 1 .. 101 (hundredths + 1) for 0 .. 1 and
# 0 or 102 for values outside (NaN too), which are never kept.
BOUNDS = [0.0, *_least_rounding_up(), nextafter(1.0, inf)]
_OUTSIDE = (0, len(BOUNDS))


class Shades:
    """One document's shades: each one's operators, by its channels' places in BOUNDS."""

    def __init__(self) -> None:
        self.operators: dict[tuple[int, int, int], str] = {}

    def of(self, ink: RGB) -> str:
        """The fill and stroke colour operators of `ink` (as ink_operators writes them).
        A writer may look `operators` up itself first, by `key`: a call less for each word."""
        key = self.key(ink)
        found = self.operators.get(key)
        if found is None:
            found = ink_operators(ink)
            if not any(place in _OUTSIDE for place in key):  # else rounded as ever, each time
                self.operators[key] = found
        return found

    @staticmethod
    def key(ink: RGB) -> tuple[int, int, int]:
        r, g, b = ink
        return bisect_right(BOUNDS, r), bisect_right(BOUNDS, g), bisect_right(BOUNDS, b)
