"""A word's outlined glyphs as PDF operators, made where the word is planned.

The numbers of every glyph's placement are most of a page's content and of the time spent
writing it. A batch's planners (its worker processes, or the one process) write them here, with
a `%s` where each glyph's form name goes: the writer only fills in the names (numbered in the
order the document first uses its shapes, so any --jobs gives the same bytes) and no longer
receives every glyph's seven numbers. No reportlab here: workers plan without importing it.
"""

from __future__ import annotations

import math

from notes.drawing import GlyphTable, Placing, Word

# A glyph placed: its matrix with the size folded in, then its form. A form's own matrix scales
# font units by 1/1000, so a..d are points per em with 2 decimals (as precise as 5 decimals of
# ems were). Before it, when it changes within the word, the pen width (pressure), in whole
# font units (under 1/20 pixel at 300 dpi): outside q/Q, so the letters after it keep it.
PLACE = "q %.2f %.2f %.2f %.2f %.2f %.2f cm %%s Do Q"
WIDTH = "%d w "
FORM_UNITS = 1000  # what a form's matrix divides its font units by


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

    def placed(self, words: tuple[Word, ...]) -> tuple[Word, ...]:
        """The words with their outlined glyphs as operators and no glyph numbers left to
        ship; words in font text (plain realism) stay: the writer encodes their characters."""
        return tuple(
            word._replace(glyphs=(), placing=self.placing(word))
            if word.text is not None and word.placing is None
            else word
            for word in words
        )
