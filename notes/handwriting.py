"""Per-glyph variation that makes set text read as written by a hand. Seeded; plain data out.

Magnitudes are relative to the font size and were tuned by eye at print resolution, starting from
Handright's (size/32 offsets, 0.07 rad rotation) at messiness 1. Connected (script) fonts and
shaped words (Arabic, Devanagari...) vary per word, not per glyph, so joins stay joined.

Realism: `plain` draws letters as font text; `natural` and `rough` draw each letter as one of a
few deformed variants of its outline (notes.glyphs), with an invisible text layer for copy/paste.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from functools import cache

from notes.fonts import FontBook, LoadedFont
from notes.layout import Layout, word_space

INKS = {
    "blue-black": (0.0, 0.06, 0.33),  # #000f55, the classic fountain-pen ink
    "blue": (0.08, 0.2, 0.62),
    "black": (0.07, 0.07, 0.09),
}


# Outline deformation per realism level, as a fraction of the em; None draws font text.
REALISM = {"plain": None, "natural": 0.016, "rough": 0.024}


@dataclass(slots=True)
class Word:
    """One word as it leaves the pen.

    glyphs: (font, char, a, b, c, d, e, f) with the text matrix of each letter. When `shapes` is
    set, the word is drawn from outlines: shapes[i] = (glyph id, variant) for glyphs[i], and
    `text` (the word as typed) goes in an invisible layer at `text_at` = (x, y, size) so the
    words can still be copied, searched and read aloud.
    """

    weight: float  # stroke width in points; 0 draws fill only
    ink: tuple[float, float, float]
    glyphs: list[tuple[LoadedFont, str, float, float, float, float, float, float]] = field(
        default_factory=list
    )
    shapes: list[tuple[int, int]] | None = None
    text: str = ""
    text_at: tuple[float, float, float] = (0.0, 0.0, 0.0)
    order: tuple[int, int] = (0, 0)  # (line, word as typed): the reading order of the text layer


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


@cache
def _normal_table() -> tuple[float, ...]:
    """4096 standard normal values, fixed forever: a note draws from it at a seeded offset and stride.

    Drawing per-glyph noise this way is several times cheaper than random.gauss, and as random
    to the eye: a card needs about a thousand values.
    """
    source = random.Random(0x6E6F746573)  # "notes"
    return tuple(source.gauss(0.0, 1.0) for _ in range(4096))


def write_by_hand(
    layout: Layout,
    fonts: FontBook,
    *,
    rng: random.Random,
    messiness: float,
    ink: tuple[float, float, float],
    realism: str = "plain",
) -> list[Word]:
    """Place every glyph of the laid-out lines with seeded variation."""
    from notes.glyphs import VARIANTS
    from notes.shaping import display_order, has_rtl, visual_order

    size = layout.size
    k = max(0.0, min(1.0, messiness)) * 2.0  # 0.5 -> the nominal hand
    outlines = REALISM[realism] is not None
    gauss = rng.gauss
    table = _normal_table()
    pos = rng.getrandbits(12)
    step = rng.getrandbits(11) * 2 + 1  # odd, so the walk visits the whole table
    # Per-glyph spreads, relative to the size: rotation, slant, size, baseline, spacing.
    sd_turn, sd_skew, sd_size = 0.04 * k, 0.03 * k, 0.03 * k
    sd_rise, sd_advance = size * 0.022 * k, size * 0.012 * k
    area_x, _, area_w, _ = layout.area
    right_limit = area_x + area_w
    primary = fonts.primary
    space = word_space(fonts)
    connected = primary.connected
    base_weight = size * 0.009 if k else 0.0
    # Pressure follows a slow wave along the text, as a writer presses harder then eases off.
    pressure_phase = rng.uniform(0, 2 * math.pi)
    pressure_period = rng.uniform(9, 15)  # in words
    words_out: list[Word] = []
    word_index = 0
    line_drop = 0.0  # line spacing varies a little and accumulates down the card
    sin, cos, pi = math.sin, math.cos, math.pi
    for line_number, line in enumerate(layout.lines):
        slope = gauss(0, 0.009 * k)
        bend = gauss(0, size * 0.05 * k)
        start = line.x + abs(gauss(0, size * 0.14 * k))
        if line_number:
            line_drop += gauss(0, size * 0.035 * k)
        y_line = line.y + line_drop
        visual = line.words
        if line.rtl or any(fonts.needs_shaping(w) and has_rtl(w) for w in line.words):
            visual, _typed_at = visual_order(line.words, rtl_paragraph=line.rtl)
        # Widths spread with spacing noise; keep the line inside the margin by compressing if needed.
        gaps = [space * size * max(0.8, 1 + gauss(0, 0.12 * k)) for _ in visual[1:]]
        natural = line.width + sum(g - space * size for g in gaps)
        squeeze = min(1.0, (right_limit - start) / natural) if natural > 0 else 1.0
        x = start
        span = max(line.width, 1.0)
        last = len(visual) - 1
        for position, text in enumerate(visual):
            pressure = 0.5 + 0.5 * sin(pressure_phase + word_index * 2 * pi / pressure_period)
            pos = (pos + step) & 4095
            weight = base_weight * (0.55 + 0.9 * pressure) * (1 + 0.08 * k * table[pos])
            pos = (pos + step) & 4095
            shade = 1 + 0.05 * k * table[pos] - 0.06 * k * pressure
            word = Word(max(0.0, weight), tuple(min(1.0, max(0.0, c * shade)) for c in ink))
            glyphs = word.glyphs
            # Per-word spreads: size, baseline, slant and turn of the whole word.
            pos = (pos + step) & 4095
            word_scale = 1 + 0.018 * k * table[pos]
            pos = (pos + step) & 4095
            word_rise = size * 0.02 * k * table[pos]
            pos = (pos + step) & 4095
            word_skew = 0.035 * k * table[pos]
            pos = (pos + step) & 4095
            word_turn = 0.012 * k * table[pos] + slope
            word_x = x
            if fonts.needs_shaping(text):
                # Shaped as a whole; the word moves as one so marks and joins stay in place.
                word.shapes = []
                c, s = cos(word_turn), sin(word_turn)
                y0 = y_line + slope * (x - start) + bend * sin(pi * (x - start) / span) + word_rise
                for font, glyph in fonts.shaped_word(text, rtl_paragraph=line.rtl):
                    gsize = size * font.scale * word_scale
                    gx = x + glyph.dx * gsize
                    gy = y0 + glyph.dy * gsize + slope * (x - word_x)
                    glyphs.append(
                        (
                            font,
                            "",
                            gsize * c,
                            gsize * s,
                            gsize * (word_skew * c - s),
                            gsize * (word_skew * s + c),
                            gx,
                            gy,
                        )
                    )
                    pos = (pos + step) & 4095
                    word.shapes.append((glyph.gid, 1 + int(abs(table[pos]) * 97) % VARIANTS))
                    x += glyph.advance * gsize * squeeze
            else:
                if outlines:
                    word.shapes = []
                prev, prev_char = None, ""
                for char, font in zip(text, fonts.fonts_for_word(text), strict=True):
                    glyph_size = size * font.scale * word_scale
                    y = (
                        y_line
                        + slope * (x - start)
                        + bend * sin(pi * (x - start) / span)
                        + word_rise
                    )
                    advance = font._widths.get(ord(char), 0) * 0.001 * glyph_size
                    if connected and font is primary:
                        angle, skew, gsize = word_turn, word_skew, glyph_size
                    else:
                        pos = (pos + step) & 4095
                        angle = word_turn + sd_turn * table[pos]
                        pos = (pos + step) & 4095
                        skew = word_skew + sd_skew * table[pos]
                        pos = (pos + step) & 4095
                        gsize = glyph_size * (1 + sd_size * table[pos])
                        pos = (pos + step) & 4095
                        y += sd_rise * table[pos]
                        pos = (pos + step) & 4095
                        advance += sd_advance * table[pos]
                    if prev is font and font is primary:
                        x += font.kern(prev_char, char) * glyph_size * squeeze
                    c, s = cos(angle), sin(angle)
                    glyphs.append(
                        (
                            font,
                            char,
                            gsize * c,
                            gsize * s,
                            gsize * (skew * c - s),
                            gsize * (skew * s + c),
                            x,
                            y,
                        )
                    )
                    if outlines:
                        pos = (pos + step) & 4095
                        variant = 1 + int(abs(table[pos]) * 97) % VARIANTS
                        word.shapes.append((font.glyph_id(char), variant))
                    x += advance * squeeze
                    prev, prev_char = font, char
            if word.shapes is not None:
                # The text layer is stored in visual order, as PDF readers expect and reorder.
                shown = display_order(text, rtl=line.rtl) if has_rtl(text) else text
                word.text = shown + (" " if position < last else "")
                word.text_at = (word_x, y_line, size)
                word.order = (line_number, position)
            elif position < last:
                # The space is drawn too (it takes no ink) so copied text keeps its word breaks.
                glyphs.append((primary, " ", size, 0.0, 0.0, size, x, y_line))
            if position < last:
                x += gaps[position] * squeeze
            words_out.append(word)
            word_index += 1
    return words_out
