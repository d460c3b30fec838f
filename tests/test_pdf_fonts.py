"""The document's fonts: each character shown by the font object that first showed it."""

from __future__ import annotations

from notes.pdf.fonts import DocumentFonts
from notes.render import Renderer, Style

EN_DASH, FIGURE_DASH = "\u2013", "\u2012"  # Yomogi draws both with one glyph


def test_a_character_is_shown_by_the_font_that_first_showed_it():
    face = Renderer(Style(font="yomogi")).fonts.primary.face
    fonts = DocumentFonts()
    (dash,) = fonts.text(face, EN_DASH)
    (figure,) = fonts.text(face, FIGURE_DASH)  # its glyph reads as the en dash already
    assert dash[0] != figure[0] and dash[1] == figure[1]
    # A glyph of unknown text (font text) takes the first font; words after keep theirs.
    assert fonts.glyph(face, int.from_bytes(dash[1], "big"), "")[0] == dash[0]
    assert fonts.text(face, f"10{FIGURE_DASH}12{EN_DASH}") == [
        (dash[0], fonts.text(face, "10")[0][1]),
        (figure[0], figure[1]),
        (dash[0], fonts.text(face, "12")[0][1] + dash[1]),
    ]
