"""Wrap and fit a note's text to the card: greeting, body paragraphs, sign-off. Plain data out.

The largest size between a minimum and a maximum that fits is chosen by binary search; room is
kept for the handwriting's drift so nothing is clipped once letters wobble.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from notes.errors import LayoutError
from notes.fonts import INVISIBLE, FontBook
from notes.lineink import LineInk, clear_ink
from notes.measure import Measured, Measurer, kept_key, measure_paragraphs
from notes.records import Record

LEADING = 1.32  # least line height / font size: handwriting fonts have tall ascenders and loops
PARAGRAPH_GAP = 0.45  # extra space between paragraphs, in lines
DRIFT_ROOM = 0.35  # room kept at the right, in ems, for line starts drifting and letters spreading
WIDOW = 0.25  # a last line holding one word narrower than this share of the line is rewrapped


@dataclass(init=False, repr=False, eq=False)
class Line(Record):
    words: list[str]
    x: float  # where the line starts (before handwriting drift)
    y: float  # baseline
    width: float  # natural width at `size`
    role: str  # "greeting" | "body" | "signoff"
    rtl: bool = False  # a right-to-left paragraph (Hebrew, Arabic): right-aligned, words reversed


@dataclass(init=False, repr=False, eq=False)
class Layout(Record):
    size: float
    leading: float
    lines: list[Line]
    area: tuple[float, float, float, float]  # writing box inside the margins (x, y, w, h)
    exact: frozenset[str] = frozenset()  # tokens drawn exactly (notes.exact), besides the
    # words with a digit, '@' or '://'


@dataclass(init=False, repr=False, eq=False)
class Paragraph(Record):
    lines: list[list[str]]  # hard lines (as typed), each a list of words
    role: str
    text: str = ""  # its lines as typed (stripped), one string: what a kept one is found by


# ASCII control codes: tabs become spaces, newlines stay, the others go.
_ASCII_CLEAN = {code: None for code in (*range(32), 127) if code != 10} | {9: " "}


def clean_text(text: str) -> str:
    """NFC, unify line breaks, drop invisible characters and control codes except newlines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.isascii():  # already NFC, and no format characters: one pass in C
        if text.replace("\n", "").isprintable():  # the usual note: no control code to drop
            return text
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
    blocks = _blocks(text)
    last = len(blocks) - 1
    paragraphs = []
    for index, block in enumerate(blocks):
        role = "body"
        if last and not index and len(block) == 1 and block[0].endswith((",", "!", ":")):
            role = "greeting"  # (its line is stripped: it ends as its last word does)
        elif last and index == last and len(block) <= 3:
            if all(len(" ".join(line.split())) <= 40 for line in block):
                role = "signoff"
        if role == "body":
            # Body text flows: a line break inside a paragraph is where the writer's source
            # wrapped, not where the card's line must end. Sign-offs keep their lines
            # ("Warmly," / "Maya").
            lines = [(" ".join(block) if len(block) > 1 else block[0]).split()]
        else:
            lines = [line.split() for line in block]
        paragraphs.append(Paragraph(lines, role, "\n".join(block)))
    return paragraphs


def _blocks(text: str) -> list[list[str]]:
    """The text's paragraphs: runs of lines that hold something, each line stripped."""
    blocks: list[list[str]] = [[]]
    for raw in text.split("\n"):
        line = raw.strip()
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    if not blocks[-1]:
        blocks.pop()
    return blocks


def _wrap(hard: Measured, space: float, limit_em: float) -> list[range]:
    """Greedy wrap of one hard line into lines no wider than limit_em, as ranges of unit indexes;
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


def _width(hard: Measured, picks: range, space: float) -> float:
    gaps = sum(space for i in picks[1:] if not hard.joined[i])
    return sum(hard.widths[i] for i in picks) + gaps


def _greedy(hard: Measured, space: float, limit_em: float) -> list[range]:
    """The units of each line, in order: a line is a run of them (a range of their indexes)."""
    lines: list[range] = []
    joined = hard.joined
    start = 0  # the line's first unit
    width = 0.0
    for index, w in enumerate(hard.widths):
        if index == start:
            width = w
            continue
        needed = width + (0.0 if joined[index] else space) + w
        if needed > limit_em:
            lines.append(range(start, index))
            start, width = index, w
        else:
            width = needed
    if start < len(hard.widths):
        lines.append(range(start, len(hard.widths)))
    return lines


def margins_for(width: float, height: float) -> float:
    return max(14.0, 0.085 * min(width, height))


def _joined_lines(hard: Measured, picks: range, space: float) -> tuple[list[str], float]:
    """A wrapped line's words, pieces written together joined again, and its width in ems."""
    start, stop = picks.start, picks.stop
    if True not in hard.joined[start + 1 : stop]:  # the usual line: every unit a word of its own
        em = 0.0 + hard.widths[start]  # summed in _joined_units' order: the same float
        for width in hard.widths[start + 1 : stop]:
            em = em + space + width
        return hard.words[start:stop], em
    return _joined_units(hard, picks, space)


def _joined_units(hard: Measured, picks: range, space: float) -> tuple[list[str], float]:
    """_joined_lines of any line, unit by unit: a unit written straight after the one before
    joins its word, any other starts a word a space on."""
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


# A wrapped line: its words, its width in ems, and how far its ink reaches (notes.lineink).
_Wrapped = tuple[list[str], float, tuple[float, float]]


def _wrapped(hard: Measured, space: float, limit_em: float, ink: LineInk) -> list[_Wrapped]:
    """The hard line wrapped at `limit_em`, kept with it: a kept paragraph (notes.measure) is
    wrapped, and its lines' ink measured, once for every note at the same size."""
    found = hard.wrapped.get((space, limit_em))
    if found is None:
        if len(hard.wrapped) >= 16:  # the sizes a long note's fit tried
            hard.wrapped.clear()
        found = hard.wrapped[(space, limit_em)] = [
            (words, em, ink.line(words))
            for words, em in (
                _joined_lines(hard, picks, space) for picks in _wrap(hard, space, limit_em)
            )
        ]
    return found


def _arrange(measured, space: float, size: float, area, factor: float, ink: LineInk):
    """The lines at `size` one leading apart, the height they use, and each line's ink reach."""
    x0, y0, w, h = area
    limit_em = w / size - DRIFT_ROOM
    leading = size * factor
    lines: list[Line] = []
    reaches: list[tuple[float, float]] = []
    y = y0 + h - size * 1.0  # first baseline one em below the top of the writing box
    used = size * 1.0
    for index, ((role, rtl), hard_lines) in enumerate(measured):
        if index:
            y -= leading * PARAGRAPH_GAP
            used += leading * PARAGRAPH_GAP
        wrapped: list[tuple[list[str], float]] = []
        for hard in hard_lines:
            for words, em, reach in _wrapped(hard, space, limit_em, ink):
                wrapped.append((list(words), em * size))
                reaches.append(reach)
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
    return lines, used, reaches


def _arranged(measured, space: float, size: float, area, factor: float, ink: LineInk):
    """The lines at `size`, each far enough below the one before that their inks keep apart
    (stacked marks: notes.lineink), and the height they use."""
    lines, used, reaches = _arrange(measured, space, size, area, factor, ink)
    return lines, used + clear_ink(lines, size, reaches)


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
    cleaned = clean_text(text)
    paragraphs = split_paragraphs(cleaned)
    if not paragraphs:
        raise LayoutError("the note is empty", hint="give some text or a template")
    measure = Measurer(fonts)
    x0, y0, width, height = area
    # Words longer than a line at the largest size are broken; at smaller sizes they fit anyway.
    limit_em = width / max_size - DRIFT_ROOM
    if not fonts.writes_all(cleaned):  # else every word passes check_text: no call per word
        _check_words(paragraphs, fonts, measure, limit_em)
    measured, widest = measure_paragraphs(paragraphs, measure, limit_em, exact)
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


def _check_words(
    paragraphs: list[Paragraph], fonts: FontBook, measure: Measurer, limit_em: float
) -> None:
    """Raise FontError for the first word no font of the book can draw."""
    for paragraph in paragraphs:
        if kept_key(paragraph, limit_em) in measure.paragraphs:
            continue  # its words were checked for the note it was kept from
        for line in paragraph.lines:
            for word in line:
                fonts.check_text(word)


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
