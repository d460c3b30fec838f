"""Scripts that need more than one glyph per character: shaping (HarfBuzz) and right-to-left order.

Arabic joins its letters, Devanagari builds conjuncts and places vowel signs around consonants,
Thai stacks marks: drawing such words character by character is wrong. These words are shaped
as a whole and drawn from the glyphs HarfBuzz chose. Word order in mixed lines ("Dear محمد, thank
you") follows the Unicode bidi rules at word level.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

_RTL = frozenset(("R", "AL"))
_STRONG = frozenset(("L", "R", "AL"))

# Blocks whose letters change shape or position with their neighbours.
_COMPLEX_RANGES = (
    (0x0590, 0x08FF),  # Hebrew (marks), Arabic, Syriac, Thaana, NKo, Samaritan, Arabic ext
    (0x0900, 0x0DFF),  # Devanagari ... Sinhala
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x0F00, 0x109F),  # Tibetan, Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0xFB1D, 0xFDFF),  # Hebrew and Arabic presentation forms
    (0xFE70, 0xFEFF),
)


@cache
def needs_shaping(char: str) -> bool:
    code = ord(char)
    if any(lo <= code <= hi for lo, hi in _COMPLEX_RANGES):
        return True
    return unicodedata.category(char) in ("Mn", "Mc", "Me")  # combining marks need placing


def word_needs_shaping(word: str) -> bool:
    return any(needs_shaping(c) for c in word)


@cache
def _direction(char: str) -> str:
    return unicodedata.bidirectional(char)


def is_rtl(text: str) -> bool:
    """Right-to-left if the first strong character is (Hebrew, Arabic...)."""
    for char in text:
        kind = _direction(char)
        if kind in _STRONG:
            return kind in _RTL
    return False


def has_rtl(text: str) -> bool:
    return any(_direction(c) in _RTL for c in text)


def split_neutral_edges(word: str) -> tuple[str, str, str]:
    """('(', 'محمد', '),') — punctuation around a word, which takes the line's direction."""
    start = 0
    while start < len(word) and _direction(word[start]) not in _STRONG | {"EN", "AN"}:
        start += 1
    end = len(word)
    while end > start and _direction(word[end - 1]) not in _STRONG | {"EN", "AN"}:
        end -= 1
    return word[:start], word[start:end], word[end:]


def word_is_rtl(word: str) -> bool:
    return is_rtl(split_neutral_edges(word)[1])


def visual_order(words: list[str], *, rtl_paragraph: bool) -> tuple[list[str], list[int]]:
    """Word-level bidi for one line: the words from left to right, and where each was typed.

    In a left-to-right line, a run of right-to-left words is reversed, and punctuation at the
    run's edges stays where the line's direction puts it: 'Dear محمد علي, thanks' keeps its
    comma after the name. In a right-to-left line the whole order is reversed and left-to-right
    runs are turned back.
    """
    indexed = list(enumerate(words))
    if rtl_paragraph:
        ordered = _reverse_runs(indexed[::-1], lambda w: not word_is_rtl(w), keep_edges=False)
    else:
        ordered = _reverse_runs(indexed, word_is_rtl, keep_edges=True)
    return [text for _, text in ordered], [index for index, _ in ordered]


def _reverse_runs(words: list[tuple[int, str]], in_run, *, keep_edges: bool):
    out: list[tuple[int, str]] = []
    index = 0
    while index < len(words):
        if not in_run(words[index][1]):
            out.append(words[index])
            index += 1
            continue
        end = index
        while end < len(words) and in_run(words[end][1]):
            end += 1
        run = [list(pair) for pair in words[index:end]]
        if len(run) > 1 and keep_edges:
            lead = split_neutral_edges(run[0][1])[0]
            trail = split_neutral_edges(run[-1][1])[2]
            run[0][1] = run[0][1][len(lead) :]
            if trail:
                run[-1][1] = run[-1][1][: -len(trail)]
            run.reverse()
            run[0][1] = lead + run[0][1]
            run[-1][1] = run[-1][1] + trail
        else:
            run.reverse()
        out.extend((i, t) for i, t in run)
        index = end
    return out


def display_order(text: str, *, rtl: bool) -> str:
    """Characters in the order they stand on the page (python-bidi), for the text layer."""
    from bidi import get_display

    return get_display(text, base_dir="R" if rtl else "L")


def visual_segments(word: str, *, rtl_paragraph: bool) -> list[str]:
    """A word's parts in left-to-right order, each shaped on its own: in a left-to-right line an
    Arabic or Hebrew word's edge punctuation is set left-to-right around it."""
    if rtl_paragraph or not has_rtl(word):
        return [word]
    lead, core, trail = split_neutral_edges(word)
    return [part for part in (lead, core, trail) if part]


@dataclass(frozen=True)
class ShapedGlyph:
    gid: int
    advance: float  # in ems
    dx: float  # offset from the pen position, in ems
    dy: float
    cluster: int  # index of the first character it came from


def shape(font, text: str) -> list[ShapedGlyph]:
    """Glyphs in visual order (left to right) with advances in ems, via HarfBuzz."""
    import uharfbuzz as hb

    hb_font = font.harfbuzz()
    upem = hb_font.face.upem
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    if not has_rtl(text):
        buf.direction = "ltr"  # punctuation alone would otherwise be guessed from nothing
    hb.shape(hb_font, buf, {"kern": True, "liga": True})
    glyphs = [
        ShapedGlyph(
            info.codepoint,
            pos.x_advance / upem,
            pos.x_offset / upem,
            pos.y_offset / upem,
            info.cluster,
        )
        for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True)
    ]
    return glyphs
