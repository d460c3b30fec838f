"""A note's paragraphs measured for layout (notes.layout): each word's width in ems through the
font book's fallback chain, and the pieces a line may end between.

What a book's words measure is kept for every note of a batch written with that book, and so
are whole paragraphs: a batch's notes share most of theirs (a sign-off, a line a template picks).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from notes.breaks import NO_LINE_START, break_units
from notes.exact import exact_token, is_exact
from notes.fonts import FontBook, book_cache
from notes.records import Record
from notes.shaping import is_rtl  # here, not in _measure_paragraph: ~1 us each time it ran

if TYPE_CHECKING:
    from notes.layout import Paragraph

WORD_SPACE = 1.2  # hands leave wider gaps between words than typefaces do
KNOWN_PARAGRAPHS = 500  # measured paragraphs kept for a batch's next notes, per book (~1 KB each)


def word_space(fonts: FontBook) -> float:
    """Gap between words in ems: hands leave more room than a font's space."""
    return (fonts.primary.advance(" ") or 0.25) * WORD_SPACE


# What a book's words measure (widths in ems; pieces a line may end between, by line length),
# kept for every note of a batch written with that book (see fonts.book_cache).
_BOOK_WIDTHS: WeakKeyDictionary[FontBook, dict[str, float]] = WeakKeyDictionary()
# A word's units: (pieces, their widths, whether each is joined to the one before).
_Units = tuple[tuple[str, ...], tuple[float, ...], tuple[bool, ...]]
# (word, line length in ems) -> what a paragraph's measure needs of it, its units included
# (_word_units).
_BOOK_WORD_UNITS: WeakKeyDictionary[FontBook, dict[tuple[str, float], _WordUnits]] = (
    WeakKeyDictionary()
)
_BOOK_PARAGRAPHS: WeakKeyDictionary[FontBook, dict[tuple, KeptParagraph]] = WeakKeyDictionary()


class Measurer:
    """Natural widths of words in ems, through the fallback chain; cached per word."""

    def __init__(self, fonts: FontBook):
        self.fonts = fonts
        self._cache: dict[str, float] = book_cache(_BOOK_WIDTHS, fonts)
        self.words: dict[tuple[str, float], _WordUnits] = book_cache(_BOOK_WORD_UNITS, fonts)
        self.paragraphs: dict[tuple, KeptParagraph] = _BOOK_PARAGRAPHS.setdefault(fonts, {})

    def word(self, word: str) -> float:
        width = self._cache.get(word)
        if width is None and self.fonts.needs_shaping(word):
            width = self._cache[word] = sum(
                g.advance * font.scale for font, g in self.fonts.shaped_word(word)
            )
        if width is None:
            width = 0.0
            primary = self.fonts.primary
            before = after = None  # the character before and its font
            for char, font in zip(word, self.fonts.fonts_for_word(word), strict=True):
                width += font.advance(char) * font.scale
                if after is font and font is primary:  # kerned in the primary font only
                    width += font.kern(before, char)
                before, after = char, font
            self._cache[word] = width
        return width

    def space(self) -> float:
        return word_space(self.fonts)


@dataclass(init=False, repr=False, eq=False)
class Measured(Record):
    """A hard line's units with their widths in ems. A unit is a word, or a piece of one where
    its script allows a break inside (Thai words, CJK characters); `joined`: written straight
    after the unit before, with no space."""

    words: list[str]
    widths: list[float]
    joined: list[bool]
    # (space, limit in ems) -> its lines wrapped there: (words, width in ems, ink reach: see
    # notes.lineink) each. A kept paragraph (see measure_paragraphs) is wrapped once for every
    # note at the same size.
    wrapped: dict[tuple[float, float], list[tuple[list[str], float, tuple[float, float]]]]


def measure_paragraphs(paragraphs: list[Paragraph], measure: Measurer, min_limit_em: float, exact):
    """Each paragraph's hard lines measured, and the widest exact unit in ems (0.0: none).

    A batch's notes share most paragraphs (a sign-off, a line a template picks): one measured
    for a note is kept for the next, unless a word of it is exact in either (see KeptParagraph)."""
    measured = []
    widest = 0.0
    for paragraph in paragraphs:
        key = kept_key(paragraph, min_limit_em)
        kept = measure.paragraphs.get(key)
        if kept is None or not exact.isdisjoint(kept.tokens):
            kept = _measure_paragraph(paragraph, measure, min_limit_em, exact)
            # One with a code or a number in it (an order number) is seldom seen again.
            if kept.tokens is not None and exact.isdisjoint(kept.tokens) and paragraph.text:
                if len(measure.paragraphs) >= KNOWN_PARAGRAPHS:
                    measure.paragraphs.clear()
                measure.paragraphs[key] = kept
        measured.append(kept.measured)
        widest = max(widest, kept.widest)
    return measured, widest


def kept_key(paragraph: Paragraph, limit_em: float) -> tuple[float, str, str]:
    return (limit_em, paragraph.role, paragraph.text)


@dataclass(init=False, repr=False, eq=False)
class KeptParagraph(Record):
    measured: tuple[tuple[str, bool], list[Measured]]  # (role, rtl), its hard lines
    widest: float  # its widest exact unit in ems
    # The tokens of its words that a note's marked ones make exact (notes.exact): measured
    # with none of them exact, it is the same paragraph in any note whose marked tokens miss them.
    # None: a word of it is exact in any note (a digit, '@' or '://').
    tokens: frozenset[str] | None


def _measure_paragraph(paragraph: Paragraph, measure: Measurer, limit_em: float, exact):
    # Its text holds the characters of its words in order (and line breaks, which are neutral).
    rtl = is_rtl(paragraph.text or " ".join(w for line in paragraph.lines for w in line))
    hard_lines = []
    widest = 0.0
    tokens: set[str] = set()
    anywhere = False  # a word exact in any note
    known = measure.words
    for hard in paragraph.lines:
        units: list[str] = []
        widths: list[float] = []
        joined: list[bool] = []
        for word in hard:
            found = known.get((word, limit_em))
            if found is None:
                found = _word_units(word, measure, limit_em, exact)
            token, em, split = found
            if token is None or token in exact:  # never broken
                if token is None:
                    anywhere = True
                else:
                    tokens.add(token)
                units.append(word)
                widths.append(em)
                joined.append(False)
                widest = max(widest, em)
                continue
            tokens.add(token)
            if split is None:  # the usual word: one unit, no exact token inside
                units.append(word)
                widths.append(em)
                joined.append(False)
                continue
            pieces, ems, joins, piece_tokens = split
            units += pieces
            widths += ems
            joined += joins
            for em, token in zip(ems, piece_tokens, strict=True):  # a piece may be exact
                anywhere = anywhere or token is None
                if token is not None:
                    tokens.add(token)
                if token is None or token in exact:
                    widest = max(widest, em)
        hard_lines.append(Measured(units, widths, joined, {}))
    kept_by = None if anywhere else frozenset(tokens)
    return KeptParagraph(((paragraph.role, rtl), hard_lines), widest, kept_by)


# A word as a paragraph is measured with it: (its exact token, None for a word exact in any
# note; its whole width in ems; None, or when a line may end inside it: its pieces, their
# widths, whether each is joined to the one before, and each piece's exact token).
_WordUnits = tuple[
    str | None,
    float,
    tuple[tuple[str, ...], tuple[float, ...], tuple[bool, ...], tuple[str | None, ...]] | None,
]


def _word_units(word: str, measure: Measurer, limit_em: float, exact) -> _WordUnits:
    """What `_measure_paragraph` needs of a word, kept for the batch's next notes, except for
    a word marked exact in this note (its pieces are not looked for: it is never broken)."""
    token = exact_token(word)
    if token is not None and token in exact:
        return token, measure.word(word), None
    if token is None:
        found: _WordUnits = (None, measure.word(word), None)
    else:
        pieces, ems, joins = _units(word, measure, limit_em)
        if len(pieces) == 1 and pieces[0] == word:
            found = (token, ems[0], None)
        else:
            tokens = tuple(map(exact_token, pieces))
            found = (token, measure.word(word), (pieces, ems, joins, tokens))
    measure.words[(word, limit_em)] = found
    return found


def _units(word: str, measure: Measurer, limit_em: float) -> _Units:
    """A word's pieces a line may end between: the script's break opportunities (notes.breaks),
    and between characters for a piece longer than a line (a URL); with their widths and
    whether each is written straight after the one before. For a word that is not exact;
    worked out once for a batch's notes, kept by _word_units."""
    pieces = tuple(
        piece for unit in break_units(word) for piece in _break_long(unit, measure, limit_em)
    )
    joined = (False,) if len(pieces) == 1 else tuple(index > 0 for index in range(len(pieces)))
    return pieces, tuple(map(measure.word, pieces)), joined


def _break_long(word: str, measure: Measurer, limit_em: float, exact=frozenset()) -> list[str]:
    # A 100-character URL has no break opportunity, nor a name wider than a narrow card: break
    # between characters, but never before one no line may start with (kinsoku: '、', '！').
    # An exact token (a code, a URL: notes.exact) never breaks: the text is written smaller.
    if measure.word(word) <= limit_em or is_exact(word, exact):
        return [word]
    pieces, current = [], ""
    for char in word:
        if current and char not in NO_LINE_START and measure.word(current + char) > limit_em:
            pieces.append(current)
            current = char
        else:
            current += char
    return pieces + ([current] if current else [])
