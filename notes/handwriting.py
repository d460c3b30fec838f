"""Per-glyph variation that makes set text read as written by a hand. Seeded; plain data out.

Magnitudes are relative to the font size and were tuned by eye at print resolution, starting from
Handright's (size/32 offsets, 0.07 rad rotation) at messiness 1. Connected (script) fonts vary per
word, not per glyph, so their joins stay joined.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from notes.fonts import FontBook, LoadedFont
from notes.layout import Layout

INKS = {
    "blue-black": (0.0, 0.06, 0.33),  # #000f55, the classic fountain-pen ink
    "blue": (0.08, 0.2, 0.62),
    "black": (0.07, 0.07, 0.09),
}


@dataclass(slots=True)
class Word:
    """One word as it leaves the pen: its ink, and glyphs as (font, char, a, b, c, d, e, f) text matrices."""

    weight: float  # stroke width in points; 0 draws fill only
    ink: tuple[float, float, float]
    glyphs: list[tuple[LoadedFont, str, float, float, float, float, float, float]] = field(
        default_factory=list
    )


def parse_ink(ink: str) -> tuple[float, float, float]:
    from notes.errors import UsageError

    key = ink.strip().lower()
    if key in INKS:
        return INKS[key]
    hexa = key.lstrip("#")
    if len(hexa) == 3:
        hexa = "".join(c * 2 for c in hexa)
    if len(hexa) == 6:
        try:
            r, g, b = (int(hexa[i : i + 2], 16) / 255 for i in (0, 2, 4))
            return (r, g, b)
        except ValueError:
            pass
    raise UsageError(
        f"unknown ink {ink!r}",
        hint="use blue-black, blue, black, or a hex colour like #1a2b6d",
    )


def write_by_hand(
    layout: Layout,
    fonts: FontBook,
    *,
    rng: random.Random,
    messiness: float,
    ink: tuple[float, float, float],
) -> list[Word]:
    """Place every glyph of the laid-out lines with seeded variation."""
    size = layout.size
    k = max(0.0, min(1.0, messiness)) * 2.0  # 0.5 -> the nominal hand
    gauss = rng.gauss
    area_x, _, area_w, _ = layout.area
    right_limit = area_x + area_w
    space = fonts.primary.advance(" ") or 0.25
    connected = fonts.primary.connected
    base_weight = size * 0.009 if k else 0.0
    # Pressure follows a slow wave along the text, as a writer presses harder then eases off.
    pressure_phase = rng.uniform(0, 2 * math.pi)
    pressure_period = rng.uniform(9, 15)  # in words
    words_out: list[Word] = []
    word_index = 0
    line_drop = 0.0  # line spacing varies a little and accumulates down the card
    for line in layout.lines:
        slope = gauss(0, 0.009 * k)
        bend = gauss(0, size * 0.05 * k)
        start = line.x + abs(gauss(0, size * 0.14 * k))
        if line is not layout.lines[0]:
            line_drop += gauss(0, size * 0.035 * k)
        y_line = line.y + line_drop
        # Widths spread with spacing noise; keep the line inside the margin by compressing if needed.
        gaps = [space * size * max(0.75, 1 + gauss(0, 0.12 * k)) for _ in line.words[1:]]
        natural = line.width + sum(g - space * size for g in gaps)
        squeeze = min(1.0, (right_limit - start) / natural) if natural > 0 else 1.0
        x = start
        span = max(line.width, 1.0)
        for position, text in enumerate(line.words):
            pressure = 0.5 + 0.5 * math.sin(
                pressure_phase + word_index * 2 * math.pi / pressure_period
            )
            weight = base_weight * (0.55 + 0.9 * pressure) * (1 + gauss(0, 0.08 * k))
            shade = 1 + gauss(0, 0.05 * k) - 0.06 * k * pressure
            word = Word(max(0.0, weight), tuple(min(1.0, max(0.0, c * shade)) for c in ink))
            word_scale = 1 + gauss(0, 0.018 * k)
            word_rise = gauss(0, size * 0.02 * k)
            word_skew = gauss(0, 0.035 * k)
            word_turn = gauss(0, 0.012 * k)
            prev, prev_char = None, ""
            for char, font in zip(text, fonts.fonts_for_word(text), strict=True):
                glyph_size = size * font.scale * word_scale
                t = (x - start) / span
                y = y_line + slope * (x - start) + bend * math.sin(math.pi * t) + word_rise
                if connected and font is fonts.primary:
                    angle, skew, gsize = word_turn + slope, word_skew, glyph_size
                else:
                    angle = word_turn + slope + gauss(0, 0.04 * k)
                    skew = word_skew + gauss(0, 0.03 * k)
                    gsize = glyph_size * (1 + gauss(0, 0.03 * k))
                    y += gauss(0, size * 0.022 * k)
                if prev is not None and prev is font and font is fonts.primary:
                    x += font.kern(prev_char, char) * glyph_size * squeeze
                cos, sin = math.cos(angle), math.sin(angle)
                word.glyphs.append(
                    (
                        font,
                        char,
                        gsize * cos,
                        gsize * sin,
                        gsize * (skew * cos - sin),
                        gsize * (skew * sin + cos),
                        x,
                        y,
                    )
                )
                advance = font.advance(char) * glyph_size
                if not (connected and font is fonts.primary):
                    advance += gauss(0, size * 0.012 * k)
                x += advance * squeeze
                prev, prev_char = font, char
            if position < len(line.words) - 1:
                # The space is drawn too (it takes no ink) so copied text keeps its word breaks.
                word.glyphs.append((fonts.primary, " ", size, 0.0, 0.0, size, x, y_line))
                x += gaps[position] * squeeze
            words_out.append(word)
            word_index += 1
    return words_out
