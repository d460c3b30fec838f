"""Spacing that never collides (issue 12): after all jitter, neighbouring letters keep a least gap
between their inks (or the font's own, where it sets a pair closer), a full stop keeps its room,
and words keep most of a word space, at every messiness."""

from __future__ import annotations

import pytest

from notes.drawing import Word
from notes.glyphs import units_per_em, variant_outline
from notes.letterhand import LETTER_GAP, PUNCTUATION_GAP, WORD_GAP
from notes.measure import word_space
from notes.render import Renderer, Style

TEXT = (
    "Hi Megan,\n\nThanks a million. I really hope the teapot brings you many good cups of tea. "
    "See you soon! All the little things, all week.\n\nMaya"
)


def _inks(plan):
    """Per word: (char, left, right, size, font path) of each inked letter, in writing order."""
    words = []
    for word in plan.words:
        if not isinstance(word, Word):
            continue
        found = []
        for placed in word.glyphs:
            glyph = plan.glyphs[placed.glyph]
            box = ink_box(glyph.font.path, glyph.gid) if glyph.char.strip() else None
            if box is None:
                continue
            left, right, low, high = box
            xs = [
                placed.a * x + placed.c * y + placed.e for x in (left, right) for y in (low, high)
            ]
            found.append((glyph.char, min(xs), max(xs), placed.a, glyph.font.path))
        words.append(found)
    return words


@pytest.mark.parametrize("font", ["caveat", "indie-flower", "shadows-into-light"])
@pytest.mark.parametrize("messiness", [0.5, 1.0])
def test_letters_and_words_keep_their_gaps_after_all_jitter(font, messiness):
    renderer = Renderer(Style(font=font, messiness=messiness, seed=11))
    space = word_space(renderer.fonts)
    for key in ("a", "b", "c"):
        plan = renderer.plan(TEXT, key=key)
        size = plan.layout.size
        words = _inks(plan)
        for word in words:
            for (char, _, right, gsize, path), (nxt, left, _, _, _) in zip(
                word, word[1:], strict=False
            ):
                least = PUNCTUATION_GAP if not (char.isalnum() and nxt.isalnum()) else LETTER_GAP
                natural = _natural_gap(path, char, nxt) + renderer.fonts.primary.kern(char, nxt)
                # Gaps are kept at the word's size; a letter's own is up to 25% off it.
                bound = min(least, natural)
                allowed = bound * gsize * (1.25 if bound < 0 else 0.8) - 0.01 * gsize
                assert left - right >= allowed, (char, nxt, key)
        lines = {}
        for word, placed in zip(words, plan.words, strict=True):
            if word:
                lines.setdefault(placed.text.order[0], []).append(word)
        for line in lines.values():
            for before, after in zip(line, line[1:], strict=False):
                gap = after[0][1] - before[-1][2]
                assert gap >= WORD_GAP * space * size * 0.99, (before[-1][0], after[0][0], key)


def ink_box(path, gid: int) -> tuple[float, float, float, float] | None:
    """The box of the font's own outline of the glyph, in ems."""
    points = [op.points for op in variant_outline(path, gid, 0, 0.0, False) if op.points]
    if not points:
        return None
    xs = [v for ps in points for v in ps[0::2]]
    ys = [v for ps in points for v in ps[1::2]]
    em = units_per_em(path)
    return (min(xs) / em, max(xs) / em, min(ys) / em, max(ys) / em)


def _natural_gap(path, left_char: str, right_char: str) -> float:
    from notes.fontfile import read_font

    metrics = read_font(path, "test")
    a = ink_box(path, metrics.cmap[ord(left_char)])
    b = ink_box(path, metrics.cmap[ord(right_char)])
    return metrics.widths[ord(left_char)] / 1000 - a[1] + b[0]
