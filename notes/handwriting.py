"""Per-glyph variation that makes set text read as written by a hand. Seeded; plain data out.

A note's lines drift, slope and bend; its words follow a slow wave of pressure and ink; each
word is one of the hand's writings of it (notes.writings) placed on its line, or written here
letter by letter (notes.letterhand: shaped words, a learned hand's, codes and numbers).

Realism: `plain` draws letters as font text; `natural` and `rough` draw each letter as one of a
few deformed variants of its outline (notes.glyphs), with an invisible text layer for copy/paste.
"""

from __future__ import annotations

import math
import random
from functools import lru_cache
from weakref import WeakKeyDictionary

from notes.drawing import RGB, GlyphTable, PlacedGlyph, Placing, Text, Word
from notes.exact import is_exact, token
from notes.fonts import FontBook, LoadedFont, book_cache
from notes.handnoise import Drift, normal_table, standard_normals
from notes.layout import Layout, Line
from notes.letterhand import EXACT_JITTER, FLAT, REALISM, WORD_GAP, LetterHand, LinePath
from notes.pdf.placing import WORD_PLACE, Placer, table_placer
from notes.shaping import display_order, has_rtl, visual_order
from notes.writings import (
    KEPT_WRITINGS,
    WRITINGS,
    WRITTEN_AT,
    Writing,
    first_writings,
    pick_writing,
    placed_at,
    writing_walk,
)

__all__ = ["INKS", "REALISM", "parse_ink", "write_by_hand"]

# Builds a NamedTuple without its Python-level constructor: half the cost, in the hottest loop.
_new = tuple.__new__

INKS = {
    "blue-black": (0.0, 0.06, 0.33),  # #000f55, the classic fountain-pen ink
    "blue": (0.08, 0.2, 0.62),
    "black": (0.07, 0.07, 0.09),
}

# How far a line may end into the right margin, in ems, as letters' own jitter always could,
# before it is written again, tighter.
OVERRUN = 0.3

# The writings of words (notes.writings), and their shapes in the table:
# table -> (seed, k, deform) -> book -> _Kept.
_WRITINGS: WeakKeyDictionary[GlyphTable, dict] = WeakKeyDictionary()
# What each word is in a book, with its text layer's runs once asked (see _Hand.facts_of).
_FACTS: WeakKeyDictionary[FontBook, dict[str, tuple]] = WeakKeyDictionary()
_TRIG = (math.sin, math.cos, math.pi)


@lru_cache(maxsize=1)
def _noise_range() -> tuple[float, float]:
    return min(normal_table()), max(normal_table())  # a learned hand's bounded ones within


@lru_cache(maxsize=64)
def _stays_in_unit(ink: RGB, k: float) -> bool:
    """Whether every shade a note of messiness `k` can give its words (see _Hand.words_of)
    keeps each channel of `ink` within 0..1 with room to spare: no clamp to apply then."""
    least, most = _noise_range()
    highest = 1 + 0.05 * k * most  # no pressure, the highest draw
    lowest = 1 + 0.05 * k * least - 0.06 * k
    # A channel of +0.0 stays +0.0 under a positive shade, as the clamp gives it.
    floats = all(channel.__class__ is float and math.copysign(1.0, channel) > 0 for channel in ink)
    return floats and lowest > 1e-6 and max(ink) * highest < 1.0 - 1e-6


def parse_ink(ink: str) -> RGB:
    from notes.errors import UsageError

    key = ink.strip().lower()
    if key in INKS:
        return INKS[key]
    hexa = key.lstrip("#")
    if len(hexa) == 3:
        hexa = "".join(c * 2 for c in hexa)
    if len(hexa) == 6:
        try:
            r, g, b = (int(hexa[i : i + 2], 16) / 255 for i in (0, 2, 4))
            return (r, g, b)
        except ValueError:
            pass
    raise UsageError(
        f"unknown ink {ink!r}",
        hint="use blue-black, blue, black, or a hex colour like #1a2b6d",
    )


def write_by_hand(
    layout: Layout,
    fonts: FontBook,
    *,
    rng: random.Random,
    messiness: float,
    ink: RGB,
    glyphs: GlyphTable,
    realism: str = "plain",
    placer: Placer | None = None,
    seed: int | str = 0,
) -> list[Word]:
    """Place every glyph of the laid-out lines with seeded variation; shapes go in `glyphs`.

    Outlined words are mostly one of the hand's writings of them (notes.writings), drawn whole
    (`Word.placing`: one shape of `glyphs`). With a `placer` (of `glyphs`) every outlined word
    comes only as a batch's PDF writer draws it, as operators and no glyph numbers; without,
    also as plain drawing-model data (its placed glyphs)."""
    hand = _Hand(layout, fonts, rng, messiness, ink, glyphs, realism, seed)
    hand.placer = placer if hand.outlines else None  # font text is the writer's to encode
    return hand.lines(layout.lines)


class _Hand(LetterHand):
    """One note's hand: its lines, its words' pressure and ink, and its writings of words."""

    placer: Placer | None = None

    def __init__(self, layout, fonts, rng, messiness, ink, glyphs, realism, seed) -> None:
        super().__init__(fonts, glyphs, layout.size, messiness, realism, seed, tuple(ink))
        self.ink, self.rng = ink, rng
        size, k = self.size, self.k
        self.exact = layout.exact
        # Which of the hand's writings of words (notes.writings) this note used.
        self.used = {}  # word -> a writing's number, or a set of them
        self.picked: list[int] = []  # the writings of the line being written, in order
        self.replay = None  # those again, when the line is written again tighter
        self.pos = rng.getrandbits(12)
        self.step = rng.getrandbits(11) * 2 + 1  # odd, so the walk visits the whole table
        area_x, _, area_w, _ = layout.area
        self.right_limit = area_x + area_w
        self.word_gap = WORD_GAP * self.space * size  # the least room between words' inks
        self.scale = size / WRITTEN_AT  # of the hand's writings of words (notes.writings)
        self.base_weight = size * 0.009 if k else 0.0
        # Pressure follows a slow wave along the text, as a writer presses harder then eases off.
        self.pressure_phase = rng.uniform(0, 2 * math.pi)
        self.pressure_period = rng.uniform(9, 15)  # in words
        self.word_index = 0
        self.per_note: tuple = ()  # what words_of reads of the note (see lines)
        # The spreads of a line's bend, its drop and its words' gaps.
        self.bend_sd, self.drop_sd, self.gap_sd = size * 0.05 * k, size * 0.035 * k, 0.12 * k

    def every_note(self, fonts, glyphs, messiness, realism, seed, ink) -> dict:
        """LetterHand's, and the hand's writings of words (notes.writings) and what its words
        are in its book."""
        same = super().every_note(fonts, glyphs, messiness, realism)
        k = same["k"]
        hand = (seed, k, same["deform"])
        hands = _WRITINGS.get(glyphs)
        if hands is None:
            hands = _WRITINGS[glyphs] = {}
        by_book = hands.get(hand)
        if by_book is None:  # (not made for every note: a setdefault's default would be)
            by_book = hands[hand] = WeakKeyDictionary()
        kept = by_book.get(fonts)
        if kept is None:
            kept = by_book[fonts] = _Kept()
        facts = book_cache(_FACTS, fonts)
        same.update(
            seed=seed,
            kept=kept,
            hand_key=hand,
            facts=facts,
            bounded=(*same["bounded"], facts),
            k_spreads=(0.08 * k, 0.05 * k, 0.06 * k),  # of weight and shade, per word
            firsts=first_writings("bounded" if same["hand"] else "normal"),
            clamp=not _stays_in_unit(ink, k),
        )
        return same

    def lines(self, lines: list[Line]) -> list[Word]:
        """The note's words, line by line. The note's draws are drawn at once, as
        rng.gauss(0, sd) would draw them one by one (0 + z * sd): four for its drift down the
        card, then per line its drift, its bend, its drop below the line before (not the
        first), then the gap after each word but the last."""
        ascii_text = "".join(["".join(line.words) for line in lines]).isascii()
        if ascii_text and not any(line.rtl for line in lines):
            visuals = [line.words for line in lines]  # no right-to-left word, nor line
        else:
            visuals = [self.visual_words(line) for line in lines]
        # A line's draws: 3, a drop but on the first, a gap after each word but the last.
        counts = [len(visual) + 3 if visual else 4 for visual in visuals]
        if counts:
            counts[0] -= 1
        draws = standard_normals(self.rng, 4 + sum(counts))
        # What every line's words_of reads of the note, read once.
        self.per_note = (
            self.step, self.walked, self.scale, self.size, self.pressure_phase,
            self.pressure_period, self.base_weight, *self.k_spreads, *self.ink, self.clamp,
            self.firsts, self.facts, self.facts_of, self.exact, self.kept.by_text, self.used,
            self.word_gap, scaled_place(self.scale),
        )  # fmt: skip
        words = self.lines_from(lines, visuals, draws, counts)
        # It holds a method of the hand: dropped, the hand is freed as soon as it is done,
        # never left for the garbage collector.
        self.per_note = ()
        return words

    def lines_from(self, lines, visuals, draws, counts) -> list[Word]:
        """The note's words, each line from its `count` draws (see lines), after the four of
        the note's drift down the card: its drift, its bend, its drop below the line before
        (not the first), then its gaps."""
        drift = Drift(draws[:4], self.size, self.k).lines(draws, counts)
        bend_sd, drop_sd, right_limit = self.bend_sd, self.drop_sd, self.right_limit
        # A gap: the word space spread with spacing noise, 1 + (0 + z * sd), as max(0.8, ...)
        # gives it.
        space, spread = self.space * self.size, self.gap_sd
        words: list[Word] = []
        at, line_drop = 4, 0.0  # line spacing varies a little and accumulates down the card
        each = zip(lines, visuals, counts, drift, strict=True)
        for line_number, (line, visual, count, (margin, slope)) in enumerate(each):
            bend = 0 + draws[at + 2] * bend_sd
            first_gap = at + 3
            if line_number:
                line_drop += 0 + draws[first_gap] * drop_sd
                first_gap += 1
            gaps = [
                space * (factor if (factor := 1 + z * spread) > 0.8 else 0.8)
                for z in draws[first_gap : first_gap + len(visual) - 1]
            ]
            # Keep the line inside the margin by compressing if needed.
            natural = line.width + sum([gap - space for gap in gaps])
            start = line.x + margin
            squeeze = min(1.0, (right_limit - start) / natural) if natural > 0 else 1.0
            path = _new(LinePath, (line.y + line_drop, start, slope, bend, max(line.width, 1.0)))
            words += self.line(line_number, visual, path, gaps, squeeze, line.rtl)
            at += count
        return words

    def visual_words(self, line: Line) -> list[str]:
        """The line's words from left to right."""
        if line.rtl or self.has_rtl_word(line.words):
            return visual_order(line.words, rtl_paragraph=line.rtl)[0]
        return line.words

    def line(self, line_number, visual, path, gaps, squeeze, rtl) -> list[Word]:
        """A line's words on its path, written again tighter if they ran into the margin."""
        walk = (self.pos, self.word_index)
        self.picked, self.replay = [], None
        words, end = self.words_of(visual, path, gaps, squeeze, line_number, rtl)
        start, right_limit = path.start, self.right_limit
        if end > right_limit + OVERRUN * self.size and end > start:
            # Letters pushed apart to keep their gaps ran into the margin: write it tighter,
            # in the same writings.
            self.pos, self.word_index = walk
            self.replay = iter(self.picked)
            squeeze *= (right_limit - start) / (end - start)
            words, end = self.words_of(visual, path, gaps, squeeze, line_number, rtl)
        return words

    def has_rtl_word(self, words: list[str]) -> bool:
        """Whether a word of the line is shaped with right-to-left letters (an ASCII line has
        none: its words are not looked at)."""
        if "".join(words).isascii():
            return False
        facts, facts_of = self.facts, self.facts_of
        return any((facts.get(word) or facts_of(word))[1] for word in words)

    def facts_of(self, text: str) -> tuple[bool, bool, bool | str, tuple | None]:
        """What a word is in this book, whatever the note: shaped as a whole, shaped with
        right-to-left letters, True when exact wherever it is, else its token (exact when
        the note marks it: notes.exact), and its text layer's runs (None until a word drawn
        whole asks for them: see layer_runs_of)."""
        shaped = self.fonts.needs_shaping(text)
        found = (shaped, shaped and has_rtl(text), True if is_exact(text) else token(text), None)
        self.facts[text] = found
        return found

    def words_of(self, visual, path, gaps, squeeze, line_number, rtl) -> tuple[list[Word], float]:
        """The line's words from its start, each in its pressure and ink, and where the line
        ends. The hottest loop after the letters': a kept writing of a plain word (most words)
        is placed right here, in locals, drawn whole for a batch's PDF writer; the others by
        other_word."""
        (
            step, walked, scale, size, phase, period, base_weight,
            k_weight, k_shade, k_pressure,  # 0.08, 0.05, 0.06 times k
            red, green, blue, clamp, firsts, facts, facts_of, marked, kept, used_by_text,
            word_gap, place,
        ) = self.per_note  # fmt: skip
        step2, step3, step6, picked = 2 * step, 3 * step, 6 * step, self.picked
        sin, cos, pi, inf = *_TRIG, math.inf
        # A line written as laid out, for a batch's PDF writer, by a font's hand.
        plain = self.replay is None and squeeze == 1.0 and self.placer is not None and not self.hand
        y_line, start, slope, bend, span = path
        bend_rise = bend * pi / span  # the bend's rise, times the cosine where the word starts
        pos, word_index, ink_right = self.pos, self.word_index, -inf
        x = start
        words = []
        last = len(visual) - 1
        for position, text in enumerate(visual):
            pressure = 0.5 + 0.5 * sin(phase + word_index * 2 * pi / period)
            # The walk's next six values: weight, shade, then the word's writing (or its spreads).
            at = pos
            pos = (pos + step6) & 4095
            weight = base_weight * (0.55 + 0.9 * pressure) * (1 + k_weight * walked[at + step])
            shade = 1 + k_shade * walked[at + step2] - k_pressure * pressure
            if clamp:
                ink = self.clamped_ink(shade)
            else:  # the note's shades cannot take its ink out of 0..1
                ink = (red * shade, green * shade, blue * shade)
            if not weight > 0.0:  # as max(0.0, weight): -0.0 too
                weight = 0.0
            shaped, _, exact, runs = facts.get(text) or facts_of(text)
            if not plain or shaped or exact is True or exact in marked:
                self.pos, self.ink_right = pos, ink_right
                order = (line_number, position)
                word, x = self.other_word(text, at, x, path, squeeze, order, last, rtl, ink, weight)
                pos, ink_right = self.pos, self.ink_right
            else:
                index = used_by_text.get(text)
                if index is None:  # most words: their first use on the card
                    index = used_by_text[text] = firsts[(at + step3) & 4095]
                    picked.append(index)
                else:
                    index = self.writing_index(text, at)
                slots = kept.get(text)
                found = None if slots is None else slots[index]
                if found is None:
                    found = self.keep(text, index)
                left, right, end, forms, per_point, writing = found
                word_x = x
                if left < inf:  # its first ink at least WORD_GAP of a space from the last's
                    least, left = ink_right + word_gap, left * scale
                    if x + left < least:
                        x = least - left
                    ink_right = x + right * scale
                if forms is None:  # not drawn whole
                    self.pos, self.ink_right = pos, ink_right
                    order = (line_number, position)
                    word, x = self.placed_word(
                        text, index, found, word_x, x, path, order, last, ink, weight
                    )
                    pos, ink_right = self.pos, self.ink_right
                else:  # drawn whole: its place and rise, its pen, its text
                    along_x = x - start
                    along = pi * along_x / span
                    y = y_line + slope * along_x + bend * sin(along)
                    rise = slope + bend_rise * cos(along)
                    width = weight * per_point / scale  # rounded as it is formatted
                    placing = _new(Placing, (place % (width, scale * rise, x, y), forms))
                    if runs is None:
                        runs = self.layer_runs_of(text, writing.first)
                    order = (line_number, position)
                    text_layer = _new(Text, (runs[position < last], word_x, y_line, size, order))
                    word = _new(Word, (ink, weight, (), text_layer, placing))
                    x += end * scale
            if position < last:
                x += gaps[position] * squeeze
            words.append(word)
            word_index += 1
        self.pos, self.word_index, self.ink_right = pos, word_index, ink_right
        return words, x

    def clamped_ink(self, shade: float) -> RGB:
        """The note's ink in a word's shade, each channel within 0..1 (as unit_clamp)."""
        red, green, blue = self.ink
        r, g, b = red * shade, green * shade, blue * shade
        return (
            1.0 if r > 1.0 else r if r > 0.0 else 0.0,
            1.0 if g > 1.0 else g if g > 0.0 else 0.0,
            1.0 if b > 1.0 else b if b > 0.0 else 0.0,
        )

    def writing_index(self, text: str, at: int) -> int:
        """The number of the writing of `text` the card takes, from the walk at `at`: on the
        word's first use on the card, the one where its draw is; then the next one the card
        has not used for it; on a line written again, tighter, the same ones again."""
        if self.replay is not None:
            return next(self.replay)
        draw_at = at + 3 * self.step
        used = self.used.get(text)  # the writing this card used for the word, or a set of them
        if used is None:
            index = self.used[text] = self.firsts[draw_at & 4095]
        else:
            if used.__class__ is int:
                used = self.used[text] = {used}
            index = pick_writing(used, self.walked[draw_at])
        self.picked.append(index)
        return index

    def other_word(self, text, at, x, path, squeeze, order, last, rtl, ink, weight):
        """A word words_of does not place itself, from the walk at `at` (self.pos is past
        its draws, self.ink_right the line's): a shaped word or a learned hand's, written
        afresh on every card; else one of the hand's writings of it, placed by placed_word: a
        code or number (exact) or a word of a line written tighter, written for this card, or
        a kept writing for any writer but a batch's PDF writer, or not drawn whole."""
        shaped, _, exact, _ = self.facts.get(text) or self.facts_of(text)
        exact = exact is True or exact in self.exact
        walked, step = self.walked, self.step
        if shaped or self.hand:  # a learned hand never repeats a sample twice running
            draws = walked[at + 3 * step : at + 7 * step : step]
            return self.fresh_word(
                text, x, path, squeeze, order, last, rtl, ink, weight, exact, shaped, draws
            )
        index = self.writing_index(text, at)
        if squeeze == 1.0 and not exact:  # kept; codes and numbers are one card's own
            slots = self.kept.by_text.get(text)
            found = None if slots is None else slots[index]
            if found is None:
                found = self.keep(text, index)
        else:
            found = self.written(self.write(text, index, exact, squeeze))
        left, right, scale, word_x = found[0], found[1], self.scale, x
        if left < math.inf:  # its first ink at least WORD_GAP of a space from the last's
            least, left = self.ink_right + self.word_gap, left * scale
            if x + left < least:
                x = least - left
            self.ink_right = x + right * scale
        return self.placed_word(text, index, found, word_x, x, path, order, last, ink, weight)

    def layer_runs_of(self, text: str, first: LoadedFont | None) -> tuple[tuple, tuple]:
        """A word's text layer as the last of its line, and with the space after it; kept
        with its facts."""
        runs = self.fonts.text_runs
        found = (runs(text, first), runs(text + " ", first))
        facts = self.facts.get(text) or self.facts_of(text)
        self.facts[text] = (*facts[:3], found)
        return found

    def fresh_word(
        self, text, x, path, squeeze, order, last, rtl, ink, weight, exact, shaped, draws
    ) -> tuple[Word, float]:
        """A word written here, letter by letter (or shaped as a whole) from four draws."""
        k = self.k * EXACT_JITTER if exact else self.k
        spread = self.spread(k, draws, self.size, path.slope)
        placed: list[PlacedGlyph] = []
        word_x = x
        if shaped:
            x, first = self.shaped(text, x, path, squeeze, spread, rtl, placed)
        else:
            x, first = self.letters(text, x, path, squeeze, spread, placed, exact, self.size)
        return self.finished(
            text, first, word_x, x, path, order, last, rtl, shaped, ink, weight, placed, None
        )

    def placed_word(
        self, text, index, found, word_x, x, path, order, last, ink, weight
    ) -> tuple[Word, float]:
        """A writing (a kept entry: see _Kept) placed at x (moved from word_x to keep its gap
        from the last word's ink): its letters (a plotter's, or a word not drawn whole), and
        its shape's operators if drawn whole."""
        scale, placing = self.scale, None
        _, _, _, forms, per_point, writing = found
        y, rise = path.at_with_rise(x)
        if forms is not None:  # drawn whole: the word's place and rise, and its pen
            width = weight * per_point / scale  # rounded as it is formatted
            operators = scaled_place(scale) % (width, scale * rise, x, y)
            placing = _new(Placing, (operators, forms))
        if not writing.glyphs:  # kept by a batch's planner as its shape only
            writing = self.write(text, index, False, 1.0)
        placed = placed_at(writing.glyphs, x, y, rise, scale)
        end = x + writing.end * scale  # the word's width at this note's size
        return self.finished(
            text,
            writing.first,
            word_x,
            end,
            path,
            order,
            last,
            False,
            False,
            ink,
            weight,
            placed,
            placing,
        )

    def finished(
        self, text, first, word_x, x, path, order, last, rtl, shaped, ink, weight, placed, placing
    ) -> tuple[Word, float]:
        """The word of `placed` glyphs with its text layer (or its space), for any writer."""
        text_layer = self.text_layer(text, first, word_x, path, order, last, rtl, shaped)
        if text_layer is None and order[1] < last:
            # The space is drawn too (it takes no ink) so copied text keeps its word breaks.
            size = self.size
            placed.append(_new(PlacedGlyph, (self.space_glyph(), size, 0.0, 0.0, size, x, path.y)))
        word = _new(Word, (ink, weight, tuple(placed), text_layer, placing))
        if self.placer is not None and placing is None:  # placed as a whole, then written
            word = _new(Word, (ink, weight, (), text_layer, self.placer.placing(word)))
        return word, x

    def text_layer(self, text, first, x, path, order, last, rtl, shaped) -> Text | None:
        """The word as it reads, for an outlined or shaped word (font text reads itself)."""
        if not (self.outlines or shaped):
            return None
        # The text layer is stored in visual order, as PDF readers expect and reorder.
        # (A word with right-to-left letters is always shaped: the test is cheaper so.)
        shown = display_order(text, rtl=rtl) if shaped and has_rtl(text) else text
        shown += " " if order[1] < last else ""
        return _new(Text, (self.fonts.text_runs(shown, first), x, path.y, self.size, order))

    def keep(self, text: str, index: int) -> tuple:
        """Writing `index` of `text`, written now, drawn whole when it can be, and kept."""
        writing = self.write(text, index, False, 1.0)
        kept = self.kept
        if kept.count >= KEPT_WRITINGS:
            kept.by_text.clear()
            kept.count = 0
        slots = kept.by_text.get(text) or kept.by_text.setdefault(text, [None] * WRITINGS)
        found = slots[index] = self.drawn_whole(text, index, writing)
        kept.count += 1
        return found

    @staticmethod
    def written(writing: Writing) -> tuple:
        """A writing as a kept entry (see _Kept), not drawn whole."""
        return (writing.left, writing.right, writing.end, None, 0.0, writing)

    def write(self, text: str, index: int, exact: bool, squeeze: float) -> Writing:
        """Writing `index` of `text`, written now at WRITTEN_AT points."""
        walk, ink_right = (self.pos, self.step), self.ink_right
        k = self.k * EXACT_JITTER if exact else self.k  # (EXACT_JITTER scales sd_* in letters)
        self.pos, self.step = writing_walk(self.seed, text, index, exact)
        self.ink_right = -math.inf
        step = self.step
        draws = self.walked[self.pos + step : self.pos + 5 * step : step]
        self.pos = (self.pos + 4 * step) & 4095
        spread = self.spread(k, draws, WRITTEN_AT)
        placed: list[PlacedGlyph] = []
        end, first = self.letters(text, 0.0, FLAT, squeeze, spread, placed, exact, WRITTEN_AT)
        found = _new(Writing, (tuple(placed), self.ink_left, self.ink_right, end, first))
        (self.pos, self.step), self.ink_right = walk, ink_right
        return found

    def drawn_whole(self, text: str, index: int, writing: Writing) -> tuple:
        """Writing `index` of `text` as a kept entry: as one shape of the glyph table, with
        its pen width per point of weight (see Placer.word_shape), or not drawn whole when it
        cannot be, or the note draws font text."""
        made = None
        if self.outlines:
            made = (self.placer or table_placer(self.table)).word_shape(writing.glyphs)
        if made is None:
            return self.written(writing)
        shape, per_point = made
        table_key = ("writing", self.fonts.primary.name, *self.hand_key, text, index)
        forms = (self.table.add(table_key, shape),)
        measures = writing.left, writing.right, writing.end
        if self.placer is not None:  # a batch's: its letters are the shape's now
            writing = _new(Writing, ((), *writing[1:]))
        return (*measures, forms, per_point, writing)


@lru_cache(maxsize=64)
def scaled_place(scale: float) -> str:
    """WORD_PLACE with a note's scale written in, as it formats it: the note's words then
    format four numbers each, not six. The pen width is given unrounded (never negative):
    "%.0f" rounds it half to even, as round() does before "%d", in one step."""
    written = "%.4f" % scale  # noqa: UP031 - as WORD_PLACE writes it
    place = WORD_PLACE.replace("%.4f %.4f 0 %.4f", f"{written} %.4f 0 {written}")
    return place.replace("%d w ", "%.0f w ", 1)


class _Kept:
    """A hand's writings kept between its notes, by word: WRITINGS slots each, None or an
    entry (left, right, end, forms, per_point, writing): the writing's measures (as in
    Writing, unpacked for the words loop), its shape in the glyph table as a Placing's forms
    and its pen width per point of weight (forms None: it is not drawn whole). At most
    KEPT_WRITINGS in all."""

    __slots__ = ("by_text", "count")

    def __init__(self) -> None:
        self.by_text: dict[str, list] = {}
        self.count = 0
