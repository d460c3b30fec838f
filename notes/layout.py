"""Wrap and fit a note's text to the card: greeting, body paragraphs, sign-off. Plain data out.

The largest size between a minimum and a maximum that fits is chosen by binary search; room is
kept for the handwriting's drift so nothing is clipped once letters wobble.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from notes.errors import LayoutError
from notes.exact import is_exact
from notes.fonts import INVISIBLE, FontBook, book_cache
from notes.lineink import LineInk, clear_ink

LEADING = 1.32  # least line height / font size: handwriting fonts have tall ascenders and loops
PARAGRAPH_GAP = 0.45  # extra space between paragraphs, in lines
WORD_SPACE = 1.2  # hands leave wider gaps between words than typefaces do
DRIFT_ROOM = 0.35  # room kept at the right, in ems, for line starts drifting and letters spreading
WIDOW = 0.25  # a last line holding one word narrower than this share of the line is rewrapped


@dataclass
class Line:
    words: list[str]
    x: float  # where the line starts (before handwriting drift)
    y: float  # baseline
    width: float  # natural width at `size`
    role: str  # "greeting" | "body" | "signoff"
    rtl: bool = False  # a right-to-left paragraph (Hebrew, Arabic): right-aligned, words reversed


@dataclass
class Layout:
    size: float
    leading: float
    lines: list[Line]
    area: tuple[float, float, float, float]  # writing box inside the margins (x, y, w, h)
    exact: frozenset[str] = frozenset()  # tokens drawn exactly (notes.exact), besides the
    # words with a digit, '@' or '://'


@dataclass
class Paragraph:
    lines: list[list[str]]  # hard lines (as typed), each a list of words
    role: str


def word_space(fonts: FontBook) -> float:
    """Gap between words in ems: hands leave more room than a font's space."""
    return (fonts.primary.advance(" ") or 0.25) * WORD_SPACE


# ASCII control codes: tabs become spaces, newlines stay, the others go.
_ASCII_CLEAN = {code: None for code in (*range(32), 127) if code != 10} | {9: " "}


def clean_text(text: str) -> str:
    """NFC, unify line breaks, drop invisible characters and control codes except newlines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.isascii():  # already NFC, and no format characters: one pass in C
        return text.translate(_ASCII_CLEAN)
    text = unicodedata.normalize("NFC", text)
    kept = []
    for char in text:
        if char == "\n" or char == "\t":
            kept.append(" " if char == "\t" else char)
        elif char in INVISIBLE or unicodedata.category(char) in ("Cc", "Cf"):
            continue
        else:
            kept.append(char)
    return "".join(kept)


def split_paragraphs(text: str) -> list[Paragraph]:
    blocks = [b for b in _blocks(text) if b]
    paragraphs = [Paragraph([line.split() for line in block], "body") for block in blocks]
    if len(paragraphs) >= 2:
        first = paragraphs[0]
        if len(first.lines) == 1 and " ".join(first.lines[0]).rstrip().endswith((",", "!", ":")):
            first.role = "greeting"
        last = paragraphs[-1]
        if len(last.lines) <= 3 and all(len(" ".join(ln)) <= 40 for ln in last.lines):
            last.role = "signoff"
    for paragraph in paragraphs:
        # Body text flows: a line break inside a paragraph is where the writer's source wrapped,
        # not where the card's line must end. Sign-offs keep their lines ("Warmly," / "Maya").
        if paragraph.role == "body" and len(paragraph.lines) > 1:
            paragraph.lines = [[word for line in paragraph.lines for word in line]]
    return paragraphs


def _blocks(text: str) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for raw in text.split("\n"):
        if raw.strip():
            blocks[-1].append(raw.strip())
        elif blocks[-1]:
            blocks.append([])
    return blocks


# What a book's words measure (widths in ems; pieces a line may end between, by line length),
# kept for every note of a batch written with that book (see fonts.book_cache).
_BOOK_WIDTHS: WeakKeyDictionary[FontBook, dict[str, float]] = WeakKeyDictionary()
# A word's units: (pieces, their widths, whether each is joined to the one before).
_Units = tuple[tuple[str, ...], tuple[float, ...], tuple[bool, ...]]
_BOOK_UNITS: WeakKeyDictionary[FontBook, dict[tuple[str, float], _Units]] = WeakKeyDictionary()


class Measurer:
    """Natural widths of words in ems, through the fallback chain; cached per word."""

    def __init__(self, fonts: FontBook):
        self.fonts = fonts
        self._cache: dict[str, float] = book_cache(_BOOK_WIDTHS, fonts)
        self.units: dict[tuple[str, float], _Units] = book_cache(_BOOK_UNITS, fonts)

    def word(self, word: str) -> float:
        width = self._cache.get(word)
        if width is None and self.fonts.needs_shaping(word):
            width = self._cache[word] = sum(
                g.advance * font.scale for font, g in self.fonts.shaped_word(word)
            )
        if width is None:
            width = 0.0
            prev = None
            for char, font in zip(word, self.fonts.fonts_for_word(word), strict=True):
                width += font.advance(char) * font.scale
                if prev is not None and font is self.fonts.primary and prev[1] is font:
                    width += font.kern(prev[0], char)
                prev = (char, font)
            self._cache[word] = width
        return width

    def space(self) -> float:
        return word_space(self.fonts)


def _wrap(hard: _Measured, space: float, limit_em: float) -> list[list[int]]:
    """Greedy wrap of one hard line into lines no wider than limit_em, as lists of unit indexes;
    a last line of one short word (or a few CJK characters) is avoided when a slightly narrower
    wrap, with as many lines, fixes it."""
    lines = _greedy(hard, space, limit_em)
    if len(lines) < 2 or _width(hard, lines[-1], space) > limit_em * WIDOW:
        return lines
    for step in range(1, 9):  # narrower by 3% at a time
        tried = _greedy(hard, space, limit_em * (1 - 0.03 * step))
        if len(tried) > len(lines):
            break
        if _width(hard, tried[-1], space) > limit_em * WIDOW:
            return tried
    return lines


def _width(hard: _Measured, picks: list[int], space: float) -> float:
    gaps = sum(space for i in picks[1:] if not hard.joined[i])
    return sum(hard.widths[i] for i in picks) + gaps


def _greedy(hard: _Measured, space: float, limit_em: float) -> list[list[int]]:
    lines: list[list[int]] = []
    current: list[int] = []
    width = 0.0
    for index, w in enumerate(hard.widths):
        gap = 0.0 if hard.joined[index] else space
        needed = w if not current else width + gap + w
        if current and needed > limit_em:
            lines.append(current)
            current, width = [index], w
        else:
            current.append(index)
            width = needed
    if current:
        lines.append(current)
    return lines


def _break_long(word: str, measure: Measurer, limit_em: float, exact=frozenset()) -> list[str]:
    # A 100-character URL has no break opportunity, nor a name wider than a narrow card: break
    # between characters, but never before one no line may start with (kinsoku: '、', '！').
    # An exact token (a code, a URL: notes.exact) never breaks: the text is written smaller.
    from notes.breaks import NO_LINE_START

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


def margins_for(width: float, height: float) -> float:
    return max(14.0, 0.085 * min(width, height))


@dataclass
class _Measured:
    """A hard line's units with their widths in ems. A unit is a word, or a piece of one where
    its script allows a break inside (Thai words, CJK characters); `joined`: written straight
    after the unit before, with no space."""

    words: list[str]
    widths: list[float]
    joined: list[bool]


def _measure(paragraphs: list[Paragraph], measure: Measurer, min_limit_em: float, exact):
    """Each paragraph's hard lines measured, and the widest exact unit in ems (0.0: none)."""
    from notes.shaping import is_rtl

    measured = []
    widest = 0.0
    for paragraph in paragraphs:
        rtl = is_rtl(" ".join(w for line in paragraph.lines for w in line))
        hard_lines = []
        for hard in paragraph.lines:
            units: list[str] = []
            widths: list[float] = []
            joined: list[bool] = []
            for word in hard:
                if is_exact(word, exact):  # never broken
                    em = measure.word(word)
                    units.append(word)
                    widths.append(em)
                    joined.append(False)
                    widest = max(widest, em)
                    continue
                pieces, ems, joins = _units(word, measure, min_limit_em)
                units += pieces
                widths += ems
                joined += joins
                if len(pieces) != 1 or pieces[0] != word:  # a piece may be an exact token
                    for piece, em in zip(pieces, ems, strict=True):
                        if is_exact(piece, exact):
                            widest = max(widest, em)
            hard_lines.append(_Measured(units, widths, joined))
        measured.append(((paragraph.role, rtl), hard_lines))
    return measured, widest


def _units(word: str, measure: Measurer, limit_em: float) -> _Units:
    """A word's pieces a line may end between: the script's break opportunities (notes.breaks),
    and between characters for a piece longer than a line (a URL); with their widths and
    whether each is written straight after the one before. For a word that is not exact."""
    found = measure.units.get((word, limit_em))
    if found is None:
        from notes.breaks import break_units

        pieces = tuple(
            piece for unit in break_units(word) for piece in _break_long(unit, measure, limit_em)
        )
        joined = (False,) if len(pieces) == 1 else tuple(index > 0 for index in range(len(pieces)))
        found = measure.units[(word, limit_em)] = (
            pieces, tuple(map(measure.word, pieces)), joined
        )  # fmt: skip
    return found


def _joined_lines(hard: _Measured, picks: list[int], space: float) -> tuple[list[str], float]:
    """A wrapped line's words, pieces written together joined again, and its width in ems."""
    words: list[str] = []
    em = 0.0
    for position, index in enumerate(picks):
        if position and hard.joined[index]:
            words[-1] += hard.words[index]
        else:
            words.append(hard.words[index])
            em += space if position else 0.0
        em += hard.widths[index]
    return words, em


def leading_factor(fonts: FontBook) -> float:
    """Line height / size: fonts with tall capitals and loops (Homemade Apple) need more room."""
    return max(LEADING, 1.6 * fonts.primary.cap_height + 0.25)


def _arrange(measured, space: float, size: float, area, factor: float) -> tuple[list[Line], float]:
    x0, y0, w, h = area
    limit_em = w / size - DRIFT_ROOM
    leading = size * factor
    lines: list[Line] = []
    y = y0 + h - size * 1.0  # first baseline one em below the top of the writing box
    used = size * 1.0
    for index, ((role, rtl), hard_lines) in enumerate(measured):
        if index:
            y -= leading * PARAGRAPH_GAP
            used += leading * PARAGRAPH_GAP
        wrapped: list[tuple[list[str], float]] = []
        for hard in hard_lines:
            for picks in _wrap(hard, space, limit_em):
                words, em = _joined_lines(hard, picks, space)
                wrapped.append((words, em * size))
        indent = 0.0
        if role == "signoff" and wrapped:
            # Sign-offs sit toward the right, as people write them.
            widest = max(width for _, width in wrapped)
            indent = max(0.0, min(w * 0.42, w - widest - size * (DRIFT_ROOM + 0.6)))
        for words, width in wrapped:
            x = x0 + (w - width - size * DRIFT_ROOM if rtl else indent)
            lines.append(Line(words, x, y, width, role, rtl))
            y -= leading
            used += leading
    used -= leading  # the last line needs its descent, not a full line
    used += size * 0.35
    return lines, used


def _arranged(measured, space: float, size: float, area, factor: float, ink: LineInk):
    """The lines at `size`, each far enough below the one before that their inks keep apart
    (stacked marks: notes.lineink), and the height they use."""
    lines, used = _arrange(measured, space, size, area, factor)
    return lines, used + clear_ink(lines, size, ink)


def fit_text(
    text: str,
    fonts: FontBook,
    area: tuple[float, float, float, float],
    *,
    min_size: float,
    max_size: float,
    exact: frozenset[str] = frozenset(),
) -> Layout:
    """The text at max_size (the hand's size), or the largest size down to min_size at which
    the wrapped text fits `area`; a short note's block is centred vertically. `exact`: tokens
    never broken across lines (with every word holding a digit, '@' or '://')."""
    paragraphs = split_paragraphs(clean_text(text))
    if not paragraphs:
        raise LayoutError("the note is empty", hint="give some text or a template")
    measure = Measurer(fonts)
    for paragraph in paragraphs:
        for line in paragraph.lines:
            for word in line:
                fonts.check_text(word)
    x0, y0, width, height = area
    # Words longer than a line at the largest size are broken; at smaller sizes they fit anyway.
    measured, widest = _measure(paragraphs, measure, width / max_size - DRIFT_ROOM, exact)
    min_size, max_size = _exact_fit(widest, width, min_size, max_size)
    space = measure.space()
    factor = leading_factor(fonts)
    ink = LineInk(fonts)
    lines, used = _arranged(measured, space, max_size, area, factor, ink)
    if used <= height:
        return _settle(Layout(max_size, max_size * factor, lines, area, exact), height - used)
    lines, used = _arranged(measured, space, min_size, area, factor, ink)
    if used > height:
        over = used - height
        raise LayoutError(
            f"the text does not fit the card: at the smallest size ({min_size:.1f} pt) it needs "
            f"{used:.0f} pt of height but the card has {height:.0f} pt "
            f"({used / height:.1f} times its height: cut about {over / used:.0%} of the text, "
            f"about {int(len(text) * over / used) + 1} characters)",
            hint="shorten the text, or choose a larger card with --card (e.g. a5 or 5x7in)",
        )
    low, high = min_size, max_size
    best = (min_size, lines, used)
    while high - low > 0.1:
        mid = (low + high) / 2
        lines, used = _arranged(measured, space, mid, area, factor, ink)
        if used <= height:
            best, low = (mid, lines, used), mid
        else:
            high = mid
    size, lines, used = best
    return _settle(Layout(size, size * factor, lines, area, exact), height - used)


def _exact_fit(widest: float, width: float, min_size: float, max_size: float):
    """Sizes at which the widest exact token (`widest` ems, never broken) fits a line: smaller
    than min_size if it must, since a code or URL cut in two is worse than small writing."""
    if not widest:
        return min_size, max_size
    largest = width / (widest + DRIFT_ROOM)
    return min(min_size, largest), min(max_size, largest)


def _settle(layout: Layout, free: float) -> Layout:
    """A short note's block is centred on the card, as people place a few lines by eye."""
    drop = free * 0.5
    for line in layout.lines:
        line.y -= drop
    return layout
