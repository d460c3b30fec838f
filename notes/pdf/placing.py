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

# A glyph placed: stroke width (pen pressure, in whole font units: under 1/20 pixel at 300 dpi),
# its matrix with the size folded in, its form. A form's own matrix scales font units by 1/1000,
# so a..d are points per em with 2 decimals (as precise as 5 decimals of ems were); the place
# to 0.1 pt (0.2 pixel at 300 dpi, 1/50 mm): a card's numbers are most of its bytes.
PLACE = "q %.0f w %.2f %.2f %.2f %.2f %.1f %.1f cm %%s Do Q"
FORM_UNITS = 1000  # what a form's matrix divides its font units by


class Placer:
    """Places the words of one glyph table; remembers each shape's units and whether it has
    an outline (a letter's shape recurs on every card)."""

    def __init__(self, glyphs: GlyphTable):
        self.glyphs = glyphs
        self.units: dict[int, int] = {}  # glyph id -> units per em; 0: no outline, no form

    def _units(self, glyph_id: int) -> int:
        glyph = self.glyphs[glyph_id]
        found = self.units[glyph_id] = glyph.font.units_per_em if glyph.outline else 0
        return found

    def placing(self, word: Word) -> Placing:
        """The operators that draw the word's outlined glyphs, in order."""
        weight = word.weight
        known = self.units
        values: list[float] = []
        forms: list[int] = []
        for glyph_id, a, b, c, d, e, f in word.glyphs:
            units = known.get(glyph_id)
            if units is None:
                units = self._units(glyph_id)
            if not units:
                continue  # a space, or a mark with no outline: no form
            scale = FORM_UNITS / units
            # Stroke width is read in the glyph's own units when the form strokes its outline.
            width = weight * units / math.hypot(a, b) if weight > 0 else 0
            values += (width, a * scale, b * scale, c * scale, d * scale, e, f)
            forms.append(glyph_id)
        # One %-format for the whole word: the cheapest way to write its numbers (profiled).
        operators = "\n".join([PLACE] * len(forms)) % tuple(values)
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
