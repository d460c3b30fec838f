"""Scripts that need more than one glyph per character: shaping (HarfBuzz) and right-to-left order.

Arabic joins its letters, Devanagari builds conjuncts and places vowel signs around consonants,
Thai stacks marks: drawing such words character by character is wrong. These words are shaped
as a whole and drawn from the glyphs HarfBuzz chose. The order of mixed lines ("Dear محمد, thank
you", "תודה David!") follows the Unicode bidi rules over the whole line, punctuation included.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

from notes.records import FrozenRecord  # dataclass methods written once (start-up)

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


def visual_order(words: list[str], *, rtl_paragraph: bool) -> tuple[list[str], list[int]]:
    """Bidi over one whole line (python-bidi's Unicode bidi algorithm, neutral punctuation
    included): the words as drawn from left to right, and for each the typed word it starts in.

    The line is reordered character by character and cut at its spaces, so punctuation lands
    where the reader expects it: 'תודה David!' ends with '!' at the far left, 'Dear محمد علي,
    thanks' keeps its comma after the name. Each word comes back drawable: a right-to-left
    run in typed order (shaped right to left), anything else as it stands on the page.
    """
    text = " ".join(words)
    owner = [index for index, word in enumerate(words) for _ in word + " "]
    visual, typed_at = [], []
    for group in _visual_words(text, rtl_paragraph):
        for drawable in _drawables(group, rtl_paragraph):
            visual.append(drawable)
            typed_at.append(owner[min(index for index, _, _ in group)])
    return visual, typed_at


def _visual_words(text: str, rtl: bool) -> list[list[tuple[int, str, int]]]:
    """(typed index, character as shown, level) from left to right, cut at the spaces."""
    from bidi import algorithm

    storage = algorithm.get_empty_storage()
    storage["base_level"] = 1 if rtl else 0
    storage["base_dir"] = "R" if rtl else "L"
    algorithm.get_embedding_levels(text, storage)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index
    for step in (
        algorithm.explicit_embed_and_overrides,
        algorithm.resolve_weak_types,
        algorithm.resolve_neutral_types,
        algorithm.resolve_implicit_levels,
        algorithm.reorder_resolved_levels,
        algorithm.apply_mirroring,
    ):
        step(storage, False)
    groups: list[list[tuple[int, str, int]]] = [[]]
    for char in storage["chars"]:
        if text[char["index"]] == " ":
            groups.append([])
        else:
            groups[-1].append((char["index"], char["ch"], char["level"]))
    return [group for group in groups if group]


def _drawables(group: list[tuple[int, str, int]], rtl_paragraph: bool) -> list[str]:
    """A visual word as the words the hand draws: a right-to-left run in typed order (the
    shaper reverses and mirrors it), with the neutral punctuation beside it in a left-to-right
    line (drawn around it, see visual_segments); left-to-right text as shown."""
    if not any(_direction(shown) in _RTL for _, shown, _ in group):
        return ["".join(shown for _, shown, _ in group)]
    runs: list[list[tuple[int, str, int]]] = []
    for char in group:
        if runs and runs[-1][-1][2] % 2 == char[2] % 2:
            runs[-1].append(char)
        else:
            runs.append([char])
    drawn: list[tuple[bool, str]] = []  # (right-to-left, text)
    for run in runs:
        if run[0][2] % 2:
            drawn.append((True, "".join(shown for _, shown, _ in reversed(run))))
        else:
            drawn.append((False, "".join(shown for _, shown, _ in run)))
    if rtl_paragraph:
        return [text for _, text in drawn]
    return _edges_beside_runs(drawn)


def _edges_beside_runs(drawn: list[tuple[bool, str]]) -> list[str]:
    """In a left-to-right line, punctuation touching a right-to-left run is drawn with it."""
    out: list[list] = []
    for rtl, text in drawn:
        neutral = not rtl and not any(_direction(c) in _STRONG | {"EN", "AN"} for c in text)
        if out and neutral and out[-1][0] == "rtl" and not out[-1][2]:
            out[-1][2] = text  # trail
        elif out and rtl and out[-1][0] == "neutral":
            out[-1] = ["rtl", out[-1][1] + text, ""]
        else:
            out.append(["rtl" if rtl else ("neutral" if neutral else "ltr"), text, ""])
    return [text + trail for _, text, trail in out]


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


@dataclass(init=False, repr=False, eq=False)
class ShapedGlyph(FrozenRecord):
    """A glyph HarfBuzz placed, where the pen moves after it."""

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
