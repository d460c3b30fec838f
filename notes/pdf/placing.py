"""A word's outlined glyphs as PDF operators, made where the word is planned.

The numbers of every glyph's placement are most of a page's content and of the time spent
writing it. A batch's planners (its worker processes, or the one process) write them here, with
a `%s` where each glyph's form name goes: the writer only fills in the names (numbered in the
order the document first uses its shapes, so any --jobs gives the same bytes) and no longer
receives every glyph's seven numbers. No reportlab here: workers plan without importing it.
"""

from __future__ import annotations

import math
from weakref import WeakKeyDictionary

from notes.drawing import GlyphTable, PlacedGlyph, Placing, Word, WordShape

# A glyph placed: its matrix with the size folded in, then its form. A form's own matrix scales
# font units by 1/1000, so a..d are points per em with 2 decimals (as precise as 5 decimals of
# ems were). Before it, when it changes within the word, the pen width (pressure), in whole
# font units (under 1/20 pixel at 300 dpi): outside q/Q, so the letters after it keep it.
PLACE = "q %.2f %.2f %.2f %.2f %.2f %.2f cm %%s Do Q"
WIDTH = "%d w "
FORM_UNITS = 1000  # what a form's matrix divides its font units by
# A word written before, drawn whole (notes.writings): the pen width, in its letters' font
# units, then its scale (the note's size over notes.writings.WRITTEN_AT), the line's rise under
# the word times the scale (4 decimals: 1/100 pt at 100 pt along) and where it starts. Rising,
# not turned: its letters' widths and gaps stay as written.
DRAW_FORM = "%s Do Q"  # how a word's operators end: its form, drawn in its own q .. Q
WORD_PLACE = "%d w q %.4f %.4f 0 %.4f %.2f %.2f cm %" + DRAW_FORM


class Placer:
    """Places the words of one glyph table; remembers each shape's units and whether it has
    an outline (a letter's shape recurs on every card)."""

    def __init__(self, glyphs: GlyphTable):
        self.glyphs = glyphs
        # Glyph id -> (units per em, FORM_UNITS / units); () for no outline, no form.
        self.units: list[tuple[int, float] | tuple[()]] = []

    def learn(self, glyph_id: int) -> tuple[int, float] | tuple[()]:
        """The units of a shape added to the table since last asked (and of those before it)."""
        glyphs, units = self.glyphs, self.units
        for new in range(len(units), len(glyphs)):
            glyph = glyphs[new]
            upem = glyph.font.units_per_em if glyph.outline else 0
            units.append((upem, FORM_UNITS / upem) if upem else ())
        return units[glyph_id]

    def placing(self, word: Word) -> Placing:
        """The operators that draw the word's outlined glyphs, in order."""
        weight = word.weight
        pressed = weight > 0
        known, hypot = self.units, math.hypot
        values: list[float] = []
        formats: list[str] = []
        forms: list[int] = []
        pen = None
        for glyph_id, a, b, c, d, e, f in word.glyphs:
            found = known[glyph_id] if glyph_id < len(known) else self.learn(glyph_id)
            if not found:
                continue  # a space, or a mark with no outline: no form
            units, scale = found
            # Stroke width is read in the glyph's own units when the form strokes its outline.
            width = round(weight * units / hypot(a, b)) if pressed else 0
            if width != pen:
                formats.append(WIDTH + PLACE)
                values.append(width)
                pen = width
            else:
                formats.append(PLACE)
            values += (a * scale, b * scale, c * scale, d * scale, e, f)
            forms.append(glyph_id)
        # One %-format for the whole word: the cheapest way to write its numbers (profiled).
        operators = "\n".join(formats) % tuple(values)
        return Placing(operators, tuple(forms))

    def word_shape(self, glyphs: tuple[PlacedGlyph, ...]) -> tuple[WordShape, float] | None:
        """A written word's letters as one shape (their forms' names to fill in), and the pen
        width per point of weight in their font units; None when its letters' fonts differ in
        units per em (one pen width set outside the shape cannot suit both)."""
        known, table = self.units, self.glyphs
        formats: list[str] = []
        values: list[float] = []
        forms: list = []
        upems, sizes, xs, ys = set(), [], [], []
        for glyph_id, a, b, c, d, e, f in glyphs:
            found = known[glyph_id] if glyph_id < len(known) else self.learn(glyph_id)
            if not found:
                continue  # a space, or a mark with no outline: no form
            units, scale = found
            upems.add(units)
            formats.append(PLACE)
            values += (a * scale, b * scale, c * scale, d * scale, e, f)
            forms.append(table.key_of(glyph_id))
            sizes.append(math.hypot(a, b))
            xs.append(e)
            ys.append(f)
        if len(upems) != 1:
            return None
        # A letter's form reaches an em beyond its own (notes.pdf.words); turned, a little more.
        reach = 3 * max(sizes)
        box = (min(xs) - reach, min(ys) - reach, max(xs) + reach, max(ys) + reach)
        shape = WordShape("\n".join(formats) % tuple(values), tuple(forms), box)
        return shape, upems.pop() * len(sizes) / sum(sizes)

    def placed(self, words: tuple[Word, ...]) -> tuple[Word, ...]:
        """The words with their outlined glyphs as operators and no glyph numbers left to
        ship; words in font text (plain realism) stay: the writer encodes their characters."""
        return tuple(
            word._replace(glyphs=(), placing=word.placing or self.placing(word))
            if word.text is not None
            else word
            for word in words
        )


_PLACERS: WeakKeyDictionary[GlyphTable, Placer] = WeakKeyDictionary()


def table_placer(glyphs: GlyphTable) -> Placer:
    """The placer of a table's words written whole (a card planned for any writer still
    carries them for the PDF's, so a card written alone is a one-row batch's bytes)."""
    found = _PLACERS.get(glyphs)
    if found is None:
        found = _PLACERS[glyphs] = Placer(glyphs)
    return found
