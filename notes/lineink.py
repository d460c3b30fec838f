"""How far a line's ink reaches above and below its baseline, so written lines never touch.

A font's leading is made for its own Latin letters. Thai stacks a vowel and a tone mark over a
letter and hangs vowels under it, Vietnamese stacks two diacritics over a capital, Devanagari
and Arabic carry marks above and below: lines of those reach further than the leading allows
for. The layout keeps each baseline at least (the deepest ink of the line above) + (the
highest ink of the line below) + LINE_INK_GAP under the one before; a Latin note's lines reach
less far than its leading, and keep it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from notes.fonts import FontBook, LoadedFont, book_cache

if TYPE_CHECKING:
    from notes.layout import Line

# Least room between the ink of two lines, in ems: the handwriting moves each line by its own
# bend, slope and baseline jitter (about 0.07 em apart at the usual messiness), and a
# deformed letter reaches a little past the font's own outline.
LINE_INK_GAP = 0.22

# A glyph's (bottom, top) in ems of its font, by (font name, glyph id): the same for every note.
_GLYPH_REACH: dict[tuple[str, int], tuple[float, float] | None] = {}
# A book's words' reach, kept for every note of a batch written with that book.
_BOOK_WORDS: WeakKeyDictionary[FontBook, dict[str, tuple[float, float]]] = WeakKeyDictionary()
# A book's letters' reach (not shaped), by (font name, letter): a new word (a name, a code: one
# on every card) is measured from its letters' without looking their glyphs up again.
_BOOK_LETTERS: WeakKeyDictionary[FontBook, dict[tuple[str, str], tuple[float, float]]] = (
    WeakKeyDictionary()
)


class LineInk:
    """The reach of written words below and above the baseline, in ems of the note's size."""

    def __init__(self, fonts: FontBook):
        self.fonts = fonts
        self._words = book_cache(_BOOK_WORDS, fonts)
        self._letters = book_cache(_BOOK_LETTERS, fonts)

    def line(self, words: list[str]) -> tuple[float, float]:
        """(depth, height): how far the line's ink reaches below (positive down) and above."""
        depth = height = 0.0
        known = self._words
        for word in words:
            found = known.get(word)
            low, high = self.word(word) if found is None else found
            if low > depth:
                depth = low
            if high > height:
                height = high
        return depth, height

    def word(self, word: str) -> tuple[float, float]:
        found = self._words.get(word)
        if found is None:
            found = self._words[word] = self._reach(word)
        return found

    def _reach(self, word: str) -> tuple[float, float]:
        fonts = self.fonts
        if fonts.needs_shaping(word):
            # Shaped marks sit where the font's mark positioning puts them (dy): stacked.
            return _placed_reach(
                [(font, glyph.gid, glyph.dy) for font, glyph in fonts.shaped_word(word)]
            )
        # The deepest and highest of its letters' (as max(depth, ...) letter by letter).
        depth = height = 0.0
        letters = self._letters
        for char, font in zip(word, fonts.fonts_for_word(word), strict=True):
            key = (font.name, char)
            found = letters.get(key)
            if found is None:
                found = letters[key] = _placed_reach([(font, font.glyph_id(char), 0.0)])
            low, high = found
            if low > depth:
                depth = low
            if high > height:
                height = high
        return depth, height


def _placed_reach(placed: list[tuple[LoadedFont, int, float]]) -> tuple[float, float]:
    """How far glyphs (font, glyph id, raised by dy ems) reach below and above the baseline."""
    depth = height = 0.0
    for font, gid, dy in placed:
        reach = _glyph_reach(font, gid)
        if reach is not None:
            low = -(dy + reach[0]) * font.scale
            high = (dy + reach[1]) * font.scale
            if low > depth:  # max(depth, low), without the call
                depth = low
            if high > height:
                height = high
    return depth, height


def _glyph_reach(font: LoadedFont, gid: int) -> tuple[float, float] | None:
    """Bottom and top of a glyph's own outline in ems (through the outline store, so a cached
    run parses no font); None for a glyph with no ink or a stroke font's centre lines."""
    key = (font.name, gid)
    if key in _GLYPH_REACH:
        return _GLYPH_REACH[key]
    found = None
    if font.filled:
        ys = [y for op in font.outline(gid, 0, 0.0) for y in op.points[1::2]]
        if ys:
            em = font.face.units_per_em
            found = (min(ys) / em, max(ys) / em)
    _GLYPH_REACH[key] = found
    return found


def clear_ink(lines: list[Line], size: float, reaches: list[tuple[float, float]]) -> float:
    """Move lines down where the line above's ink and theirs would come closer than
    LINE_INK_GAP; returns how much lower the last line now sits (points). `reaches`: each
    line's (depth, height), LineInk.line of its words (the layout keeps them with its lines)."""
    shift = 0.0
    above = None  # (baseline, depth) of the line before, after its own shift
    for line, (depth, height) in zip(lines, reaches, strict=True):
        line.y -= shift
        if above is not None:
            least = above[0] - size * (above[1] + height + LINE_INK_GAP)
            if line.y > least:
                shift += line.y - least
                line.y = least
        above = (line.y, depth)
    return shift
