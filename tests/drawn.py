"""What a plan draws, for assertions: every placed letter with its glyph-table entry."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import NamedTuple

from notes.drawing import Word
from notes.fontfile import read_font


class Letter(NamedTuple):
    char: str  # "" for a glyph of a shaped cluster
    font: Path  # the font file it comes from
    variant: int
    a: float
    b: float
    c: float
    d: float
    e: float
    f: float

    def advance(self) -> float:
        """Advance width in points, at this letter's size."""
        return _widths(self.font).get(ord(self.char), 0) / 1000 * abs(self.a)


@cache
def _widths(path: Path) -> dict[int, float]:
    return read_font(path, "test").widths


def letters(plan, *, spaces: bool = False) -> list[Letter]:
    """The letters of a NotePlan or EnvelopePlan in drawing order (spaces left out)."""
    found = []
    for word in plan.words:
        if not isinstance(word, Word):
            continue
        for placed in word.glyphs:
            glyph = plan.glyphs[placed.glyph]
            if glyph.char == " " and not spaces:
                continue
            found.append(Letter(glyph.char, glyph.font.path, glyph.variant, *placed[1:]))
    return found


def word_letters(plan, word: Word) -> list[Letter]:
    return [
        Letter(g.char, g.font.path, g.variant, *placed[1:])
        for placed in word.glyphs
        for g in [plan.glyphs[placed.glyph]]
        if g.char != " "
    ]


def font_id(path: Path) -> str:
    """The catalog id of a bundled font file."""
    from notes.fonts import load_catalog

    return next(spec.id for spec in load_catalog().values() if spec.path == path)
