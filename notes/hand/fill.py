"""The sheet filled in a bundled font, as a person with a ballpoint would fill it.

For trying the whole flow before writing a sheet by hand, and as the tests' input. Each sample
is one of the font's deformed outline variants, a little turned, slanted, sized and moved, with
a ballpoint's line width; some samples overrun their box, crossing the guide lines and borders
as real writing does. The signature box gets a name written large.
"""

from __future__ import annotations

import math
import random

from notes.drawing import Glyph, GlyphTable, Item, Page, PlacedGlyph, Word
from notes.fonts import FontBook, LoadedFont
from notes.hand.charset import MARKS
from notes.hand.sheet import Box, Sheet
from notes.hand.sheetpage import PT_PER_MM, sheet_page

BALLPOINT: tuple[float, float, float] = (0.08, 0.16, 0.55)
PEN_WIDTH_PT = 0.45  # stroked along the outlines: a 0.5-0.7 mm ballpoint line overall
DEFORM = 0.015  # outline variation, in ems: the samples of a letter differ as a hand's do
OVERRUN_EVERY = 6  # about one sample in six crosses its box's border
# Marks are written as their spacing forms, where the font has one.
SPACING_MARKS = {
    "\u0301": "\u00b4",
    "\u0300": "`",
    "\u0302": "\u02c6^",
    "\u0308": "\u00a8",
    "\u0303": "\u02dc~",
    "\u030a": "\u02da\u00b0",
    "\u0327": "\u00b8",
}


def filled_page(sheet: Sheet, font: str, glyphs: GlyphTable, *, seed: int = 0) -> Page:
    """The sheet with every box written in `font` and the signature box signed."""
    from notes.fonts import resolve_font_spec

    resolve_font_spec(font)  # an unknown font is a clear error before anything is drawn
    fonts = FontBook(font)
    primary = fonts.primary
    rng = random.Random(f"fill {font} {seed}")
    x_height = _x_height(primary)
    items: list[Item] = list(sheet_page(sheet, glyphs).items)
    for index, box in enumerate(sheet.boxes):
        char = _written_char(primary, box.char)
        if char is None:
            continue
        overrun = index % OVERRUN_EVERY == OVERRUN_EVERY - 1 and box.char not in MARKS
        word = _written(
            glyphs, primary, char, box, x_height, rng, overrun=overrun, sheet_height=sheet.height
        )
        items.append(word)
    items.append(_signature(glyphs, fonts, sheet, x_height, rng))
    return Page(sheet.width * PT_PER_MM, sheet.height * PT_PER_MM, tuple(items))


def _x_height(font: LoadedFont) -> float:
    """The font's x-height as a fraction of the em, measured on its 'x' when not declared."""
    from fontTools.ttLib import TTFont

    tt = TTFont(font.spec.path, lazy=True)
    declared = getattr(tt["OS/2"], "sxHeight", 0)
    upem = tt["head"].unitsPerEm
    if declared:
        return declared / upem
    glyph_set = tt.getGlyphSet()
    from fontTools.pens.boundsPen import BoundsPen

    pen = BoundsPen(glyph_set)
    glyph_set[tt.getBestCmap()[ord("x")]].draw(pen)
    return (pen.bounds[3] if pen.bounds else 0.5 * upem) / upem


def _written_char(font: LoadedFont, char: str) -> str | None:
    if char not in MARKS:
        return char if font.covers(char) else None
    return next((c for c in SPACING_MARKS[char] if font.covers(c)), None)


def _written(glyphs, font, char, box: Box, x_height, rng, *, overrun: bool, sheet_height) -> Word:
    """One sample: a variant of the glyph, on the box's baseline, sized to its x-height."""
    size_mm = box.x_height / x_height * rng.uniform(0.94, 1.08)
    shift = 0.0
    if overrun:  # written too large, or too far to one side: across the lines and borders
        larger = size_mm * rng.uniform(1.25, 1.35)
        width = font.advance(char) * size_mm
        if rng.random() < 0.5 and font.advance(char) * larger < box.rect.width:
            size_mm = larger
        elif 0.35 * box.rect.width < width < 0.7 * box.rect.width:  # a third over the border
            shift = rng.choice((-1, 1)) * (box.rect.width / 2 - width / 3)
    advance_mm = font.advance(char) * size_mm
    x = box.rect.x + (box.rect.width - advance_mm) / 2 + rng.uniform(-0.5, 0.5) + shift
    y = box.baseline + rng.uniform(-0.3, 0.3)
    variant = rng.randint(1, 5)
    glyph = _glyph(glyphs, font, char, variant)
    return _placed_word(glyph, x, y, size_mm, sheet_height, rng)


def _glyph(glyphs: GlyphTable, font: LoadedFont, char: str, variant: int) -> int:
    from notes.glyphs import variant_outline

    key = (font.name, char, variant, DEFORM)
    found = glyphs.ids.get(key)
    if found is None:
        gid = font.glyph_id(char)
        outline = variant_outline(font.spec.path, gid, variant, DEFORM, font.connected)
        found = glyphs.add(key, Glyph(font.face, gid, variant, outline, char))
    return found


def _placed_word(glyph: int, x_mm, y_mm, size_mm, sheet_height: float, rng) -> Word:
    """A glyph placed with its origin at (x, y) mm from the paper's top left, a little turned
    and slanted."""
    turn = rng.gauss(0, 0.02)
    skew = rng.gauss(0, 0.025)
    size = size_mm * PT_PER_MM
    c, s = math.cos(turn), math.sin(turn)
    matrix = (size * c, size * s, size * (skew * c - s), size * (skew * s + c))
    origin = (x_mm * PT_PER_MM, (sheet_height - y_mm) * PT_PER_MM)
    return Word(BALLPOINT, PEN_WIDTH_PT, (PlacedGlyph(glyph, *matrix, *origin),))


def _signature(glyphs, fonts: FontBook, sheet: Sheet, x_height: float, rng) -> Word:
    """A name written large and quickly across the signature box."""
    font = fonts.primary
    box = sheet.signature
    size_mm = box.height * 0.3 / x_height
    x, y = box.x + box.width * 0.2, box.bottom - box.height * 0.35
    placed = []
    for char in "Maya":
        glyph = _glyph(glyphs, font, char, rng.randint(1, 5))
        placed += _placed_word(glyph, x, y, size_mm, sheet.height, rng).glyphs
        x += font.advance(char) * size_mm
    return Word(BALLPOINT, PEN_WIDTH_PT, tuple(placed))
