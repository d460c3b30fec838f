"""A hand's letters: each letter of a word with its own turn, slant, size, baseline, spacing and
outline variant, drawn from a note's walk through the noise table (notes.handnoise), never
closer to its neighbour's ink than a least gap; its shapes go in the document's glyph table.

Magnitudes are relative to the font size and were tuned by eye at print resolution, starting from
Handright's (size/32 offsets, 0.07 rad rotation) at messiness 1. Connected (script) fonts and
shaped words (Arabic, Devanagari...) vary per word, not per glyph, so joins stay joined.
notes.handwriting places the words and lines of a note with it.
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from typing import NamedTuple
from weakref import WeakKeyDictionary

from notes import fonts as books
from notes.drawing import Glyph, GlyphTable, PlacedGlyph
from notes.fonts import FontBook, LoadedFont, book_cache
from notes.glyphs import VARIANTS
from notes.handnoise import bounded_table, normal_table, variant_picks, walked_table
from notes.measure import word_space

# Builds a NamedTuple without its Python-level constructor: half the cost, in the hottest loop.
_new = tuple.__new__

# Outline deformation per realism level, as a fraction of the em; None draws font text.
REALISM = {"plain": None, "natural": 0.016, "rough": 0.024}
# Exact words (notes.exact: codes, postcodes, URLs, numbers) keep the font's own letter shapes
# and this share of the jitter, so a 1 never turns into a 7.
EXACT_JITTER = 0.4
# Least room between the ink of neighbouring letters after all jitter, in ems (or the font's own
# room, when it sets a pair closer); after punctuation, or before it, a little more, so a full
# stop never sinks into its letter; between words, this share of the word space.
LETTER_GAP, PUNCTUATION_GAP, WORD_GAP = 0.04, 0.07, 0.6

# A font's letters' ink boxes and gaps (see LetterHand.ink_of), by font name: the same for
# every note.
_INKS: dict[str, dict[str, tuple[float, ...]]] = {}
# Each word's letters as a book draws them (see LetterHand.spelt), kept for every note of a batch.
_SPELT: WeakKeyDictionary[FontBook, dict[str, tuple[tuple, ...]]] = WeakKeyDictionary()
# Each letter as spelt words hold it (see LetterHand.spelt), by book, then (font, letter, kerning),
# or after a letter of the primary font, by the pair ("Th"): one tuple for every word with that
# letter, not one per word (thousands of names and codes), found without kerning the pair again.
_LETTERS: WeakKeyDictionary[FontBook, dict[tuple | str, tuple]] = WeakKeyDictionary()
# What a hand is for every note of a batch (see LetterHand.every_note): table -> (book,
# messiness, realism, and what else a subclass's depends on) -> attributes by name.
_HANDS: WeakKeyDictionary[GlyphTable, dict[tuple, dict]] = WeakKeyDictionary()
# Each spelt word's letter shapes as ids of one glyph table, by variant (see LetterHand.slots_of):
# table -> (book, deform) -> word -> per letter, a list of ids (None before first use), that
# letter's list, kept under (font name, letter).
_SLOTS: WeakKeyDictionary[GlyphTable, dict[tuple, dict]] = WeakKeyDictionary()


class LetterHand:
    """A hand's letters at one size: spreads scaled by messiness, and the walk through the
    noise table (`pos`, `step`: set by whoever writes with it, from the note's seed)."""

    pos = step = 0

    def __init__(
        self,
        fonts: FontBook,
        glyphs: GlyphTable,
        size: float,
        messiness: float,
        realism: str,
        *more: Hashable,
    ) -> None:
        self.fonts, self.size = fonts, size
        self.table, self.ids = glyphs, glyphs.ids
        self.ink_right = -math.inf  # where the ink of the last letter written on the line ends
        self.ink_left = math.inf  # where the ink of the last word written starts (inf: none)
        self.space_id: int | None = None
        # What the hand is for every note of a batch, made for its first: `more` says what
        # else a subclass's (see every_note) depends on.
        hands = _HANDS.get(glyphs)
        if hands is None:
            hands = _HANDS[glyphs] = {}
        key = (fonts, messiness, realism, *more)
        same = hands.get(key)
        if same is None:
            same = hands[key] = self.every_note(fonts, glyphs, messiness, realism, *more)
        self.__dict__.update(same)
        for known in self.bounded:  # as book_cache bounds them, at every note
            books.bounded(known)
        if self.hand:
            self.last_pick: dict[str, int] = {}

    def every_note(self, fonts: FontBook, glyphs: GlyphTable, messiness: float, realism: str):
        """The hand's attributes that are the same for every note of a batch, whatever its
        size, by name; `bounded`: its caches of words, emptied when they grow too big."""
        k = max(0.0, min(1.0, messiness)) * 2.0  # 0.5 -> the nominal hand
        outlines = REALISM[realism] is not None
        deform = REALISM[realism] or 0.0
        noise, walked = normal_table(), walked_table("normal")
        # A learned hand varies by the owner's own samples of each letter, not by warping
        # them: its outlines stay as written, and its jitter is bounded (two sigmas).
        hand = bool(fonts.primary.alternates) and outlines
        if hand:
            deform = 0.0
            noise, walked = bounded_table(), walked_table("bounded")
        book_words = book_cache(_SPELT, fonts)
        book_letters = book_cache(_LETTERS, fonts)  # bounded: pairs of a CJK hand are many
        slots = book_cache(_SLOTS.setdefault(glyphs, {}), (fonts, deform))
        return {
            "k": k,
            "outlines": outlines,
            "deform": deform,
            "inks": _INKS.setdefault(fonts.primary.name, {}),  # the primary font's letters
            "book_words": book_words,
            "book_letters": book_letters,
            "slots": slots,
            "bounded": (book_words, book_letters, slots),
            "noise": noise,
            "walked": walked,
            "hand": hand,
            "picks": variant_picks(),
            # Per-glyph spreads, relative to the size: rotation, slant, size.
            "sd_turn": 0.04 * k,
            "sd_skew": 0.03 * k,
            "sd_size": 0.03 * k,
            "space": word_space(fonts),
        }

    def draw(self) -> float:
        """The next value of the note's walk through the normal table."""
        self.pos = (self.pos + self.step) & 4095
        return self.noise[self.pos]

    def glyph(self, font: LoadedFont, gid: int, variant: int, char: str) -> int:
        """The id of a letter shape in the glyph table, added on first use.

        Keyed by the character when there is one (the letters loop looks it up without the
        glyph id), else by the glyph id (shaped clusters).
        """
        key = (font.name, char or gid, variant, self.deform)
        found = self.ids.get(key)
        if found is None:
            # The font gives the shape: an outline font's to fill, a stroke font's to draw.
            outline = font.outline(gid, variant, self.deform)
            found = self.table.add(key, Glyph(font.face, gid, variant, outline, char, font.filled))
        return found

    def space_glyph(self) -> int:
        """The primary font's space in the glyph table (font text keeps its word breaks)."""
        if self.space_id is None:
            primary = self.fonts.primary
            self.space_id = self.glyph(primary, primary.glyph_id(" "), 0, " ")
        return self.space_id

    def alternate(self, font: LoadedFont, char: str, draw: float) -> tuple[int, float]:
        """One of a learned hand's samples of `char` (never the one it wrote last time):
        its id in the glyph table, and its advance in ems."""
        choices = font.alternates[char]
        pick = int(abs(draw) * 97) % len(choices)
        if len(choices) > 1 and pick == self.last_pick.get(char):
            pick = (pick + 1) % len(choices)
        self.last_pick[char] = pick
        gid, advance = choices[pick]
        key = (font.name, char, -1 - pick, 0.0)
        found = self.ids.get(key)
        if found is None:
            outline = font.outline(gid, 0, 0.0)  # a sample is never warped
            found = self.table.add(key, Glyph(font.face, gid, 0, outline, char))
        return found, advance

    def spreads_at(self, size: float) -> tuple[float, float]:
        """The spreads of a letter's baseline and spacing, in points, at `size`."""
        return size * 0.022 * self.k, size * 0.012 * self.k

    def spread(self, k: float, draws, size: float, slope: float = 0.0) -> WordSpread:
        """A word's size, baseline, slant and turn (of the whole word written at `size`, on a
        line of `slope`), from four draws."""
        return _new(
            WordSpread,
            (
                1 + 0.018 * k * draws[0],
                size * 0.02 * k * draws[1],
                0.035 * k * draws[2],
                0.012 * k * draws[3] + slope,
            ),
        )

    def shaped(self, text, x, path, squeeze, spread, rtl, placed) -> tuple[float, LoadedFont]:
        """A word shaped as a whole moves as one, so marks and joins stay in place."""
        word_x, slope = x, path.slope
        c, s = math.cos(spread.turn), math.sin(spread.turn)
        y0 = path.at(x) + spread.rise
        shaped = self.fonts.shaped_word(text, rtl_paragraph=rtl)
        for font, glyph in shaped:
            gsize = self.size * font.scale * spread.scale
            gx = x + glyph.dx * gsize
            gy = y0 + glyph.dy * gsize + slope * (x - word_x)
            variant = 1 + int(abs(self.draw()) * 97) % VARIANTS
            placed.append(
                PlacedGlyph(
                    self.glyph(font, glyph.gid, variant, ""),
                    gsize * c,
                    gsize * s,
                    gsize * (spread.skew * c - s),
                    gsize * (spread.skew * s + c),
                    gx,
                    gy,
                )  # fmt: skip
            )
            x += glyph.advance * gsize * squeeze
        return x, (shaped[0][0] if shaped else None)

    def letters(
        self, text, x, path, squeeze, spread, placed, exact, size
    ) -> tuple[float, LoadedFont]:
        """Each letter with its own turn, slant, size, baseline and spacing (but a connected
        script's letters keep the word's, so joins stay joined); an exact word's in the font's
        own shapes with less jitter. The hottest loop: locals only, and what a letter of this
        word always is (font, advance, kern, ink, shape ids) looked up once per word."""
        noise, walked, pos, step, picks = self.noise, self.walked, self.pos, self.step, self.picks
        step5, step6 = 5 * step, 6 * step
        sd_turn, sd_skew, sd_size, variants = (
            self.sd_turn,
            self.sd_skew,
            self.sd_size,
            self.outlines,
        )
        sd_rise, sd_advance = self.spreads_at(size)
        hand = self.hand
        if hand or exact:
            variants = False  # the hand's own letters, or an exact word's: never warped
        if exact:
            sd_turn, sd_skew, sd_size = (sd * EXACT_JITTER for sd in (sd_turn, sd_skew, sd_size))
            sd_rise, sd_advance = sd_rise * EXACT_JITTER, sd_advance * EXACT_JITTER
        y_line, start, slope, bend, span = path
        sin, cos, pi, punctuation = math.sin, math.cos, math.pi, PUNCTUATION_GAP
        turn, skew0, rise, word_scale = spread.turn, spread.skew, spread.rise, spread.scale
        # On a level baseline from 0 (a word's writing) every letter's y is the word's rise, as
        # the sum below gives it (0.0 + rise: a rise of -0.0 becomes 0.0 there too).
        level = 0.0 + rise if path is FLAT else None
        first = True
        letters = self.spelt(text)
        if letters and letters[0][1].lean:  # a legible hand's exact word (notes.fonts)
            skew0 += letters[0][1].lean
        slots = self.slots.get(text) or self.slots_of(text, letters)
        ink_right, ink_left = self.ink_right, None
        # Across the space before the word: at least WORD_GAP of a space between the inks.
        least = WORD_GAP * self.space * size
        room = 0.0  # the font's own room right of the last letter's ink, in ems
        append = placed.append
        each = zip(letters, slots, strict=True)
        for (char, font, scale, em_advance, kerned, steady, ink, gid, sampled), slot in each:
            glyph_size = size * scale * word_scale
            if level is None:
                along = x - start
                y = y_line + slope * along + bend * sin(pi * along / span) + rise
            else:
                y = level
            advance = em_advance * glyph_size
            if steady:
                angle, skew, gsize = turn, skew0, glyph_size
            else:
                # The walk's next five values: turn, slant, size, baseline, spacing.
                turned, slanted, sized, risen, spaced = walked[pos + step : pos + step6 : step]
                pos = (pos + step5) & 4095
                angle = turn + sd_turn * turned
                skew = skew0 + sd_skew * slanted
                gsize = glyph_size * (1 + sd_size * sized)
                y += sd_rise * risen
                advance += sd_advance * spaced
            if kerned:
                x += kerned * glyph_size * squeeze
            c, s = cos(angle), sin(angle)
            if hand and sampled:
                pos = (pos + step) & 4095
                glyph, em_advance = self.alternate(font, char, noise[pos])
                advance += (em_advance - font.widths.get(ord(char), 0) * 0.001) * glyph_size
            else:
                variant = picks[pos] if variants else 0
                glyph = slot[variant]
                if glyph is None:
                    glyph = slot[variant] = self.glyph(font, gid, variant, char)
            a, cc = gsize * c, gsize * (skew * c - s)
            if ink:
                # The letter's ink, slanted and turned, never closer to the last letter's than
                # `least`, nor than the font itself sets the pair.
                left_em, right_em, low, high, own_room, own_gap = ink
                if not first:
                    if own_gap == punctuation:  # room before a full stop too
                        gap = own_gap * glyph_size
                        if gap > least:
                            least = gap
                    gap = (room + left_em + kerned) * glyph_size
                    if gap < least:
                        least = gap
                lean_low, lean_high = cc * low, cc * high
                if lean_low > lean_high:
                    lean_low, lean_high = lean_high, lean_low
                left = x + a * left_em + lean_low
                if left < ink_right + least:
                    x += ink_right + least - left
                ink_right = x + a * right_em + lean_high
                if ink_left is None:  # the word's first ink, where it starts
                    ink_left = x + a * left_em + lean_low
                least, room = own_gap * glyph_size, own_room
            append(_new(PlacedGlyph, (glyph, a, gsize * s, cc, gsize * (skew * s + c), x, y)))
            x += advance * squeeze
            first = False
        self.pos, self.ink_right = pos, ink_right
        self.ink_left = math.inf if ink_left is None else ink_left
        return x, (letters[0][1] if letters else None)

    def slots_of(self, text: str, letters: tuple[tuple, ...]) -> tuple[list, ...]:
        """Per letter of `text`, its shapes' ids in this note's glyph table by variant, filled
        in on first use: a letter's shape is found without building its key. A letter's list
        is every word's with that letter of that font (kept by (font name, letter)): a new
        word, a name or a code, finds the shapes its letters had in the words before."""
        slots, found = self.slots, []
        for letter in letters:
            key = (letter[1].name, letter[0])  # (font name, letter)
            ids = slots.get(key)
            if ids is None:
                ids = slots[key] = [None] * (VARIANTS + 1)
            found.append(ids)
        kept = slots[text] = tuple(found)
        return kept

    def spelt(self, text: str) -> tuple[tuple, ...]:
        """What each letter of `text` is in this book, whatever the note: (char, font, scale,
        advance in ems, kerning after the letter before in ems, steady (a connected script's:
        no own jitter), ink (see ink_of), glyph id, has a learned hand's samples)."""
        found = self.book_words.get(text)
        if found is None:
            fonts, known = self.fonts, self.book_letters
            primary, prev, prev_char, letters = fonts.primary, None, "", []
            for char, font in zip(text, fonts.fonts_for_word(text), strict=True):
                is_primary = font is primary
                if prev is font and is_primary:  # kerned after the letter before: by the pair
                    letter = known.get(prev_char + char)
                    if letter is None or letter[1] is not font:
                        letter = known[prev_char + char] = self._known_letter(
                            font, char, font.kern(prev_char, char), True
                        )
                else:
                    letter = self._known_letter(font, char, 0.0, is_primary)
                letters.append(letter)
                prev, prev_char = font, char
            found = self.book_words[text] = tuple(letters)
        return found

    def _known_letter(self, font: LoadedFont, char: str, kerned: float, is_primary: bool) -> tuple:
        """A letter as spelt words hold it (see spelt): one tuple for every word with it."""
        key = (id(font), char, kerned)  # fonts are equal by value: unhashable
        letter = self.book_letters.get(key)
        if letter is None or letter[1] is not font:
            letter = self.book_letters[key] = self._letter(font, char, kerned, is_primary)
        return letter

    def _letter(self, font: LoadedFont, char: str, kerned: float, is_primary: bool) -> tuple:
        ink = self.inks.get(char) if is_primary else None
        if ink is None:
            # A legible hand's leaning letters (notes.fonts) keep the font's own spacing: their
            # sheared ink boxes would push them apart.
            ink = self.ink_of(font, char) if not font.lean else ()
        em_advance = font.widths.get(ord(char), 0) * 0.001
        steady = font.connected and is_primary
        sampled = char in font.alternates
        return (
            char,
            font,
            font.scale,
            em_advance,
            kerned,
            steady,
            ink,
            font.glyph_id(char),
            sampled,
        )

    def ink_of(self, font: LoadedFont, char: str) -> tuple[float, ...]:
        """A letter's ink box in ems (left, right, bottom, top), the font's room right of it,
        and the least gap after it (a joined script's letters touch); () for no ink."""
        box = _ink_box(font, char) if font.filled else None
        if box is None:
            found: tuple[float, ...] = ()
        else:
            room = font.widths.get(ord(char), 0) * 0.001 - box[1]
            gap = -math.inf if font.connected else LETTER_GAP
            found = (*box, room, PUNCTUATION_GAP if not char.isalnum() else gap)
        if font is self.fonts.primary:
            self.inks[char] = found
        return found


def _ink_box(font: LoadedFont, char: str) -> tuple[float, float, float, float] | None:
    """The box of a letter's own outline in ems (left, right, bottom, top), from the outline the
    card draws anyway (kept on disk between runs), so a cached run needs no font parsing."""
    points = [op.points for op in font.outline(font.glyph_id(char), 0, 0.0) if op.points]
    if not points:
        return None
    xs = [value for ps in points for value in ps[0::2]]
    ys = [value for ps in points for value in ps[1::2]]
    em = font.face.units_per_em
    return (min(xs) / em, max(xs) / em, min(ys) / em, max(ys) / em)


class LinePath(NamedTuple):
    """A line's baseline as written: a slope and a slow bend from where the line starts."""

    y: float
    start: float
    slope: float
    bend: float
    span: float

    def at_with_rise(self, x: float) -> tuple[float, float]:
        """The baseline's height at x, and how much it rises there per point along."""
        along = math.pi * (x - self.start) / self.span
        height = self.y + self.slope * (x - self.start) + self.bend * math.sin(along)
        return height, self.slope + self.bend * math.pi / self.span * math.cos(along)

    def at(self, x: float) -> float:
        return (
            self.y
            + self.slope * (x - self.start)
            + self.bend * math.sin(math.pi * (x - self.start) / self.span)
        )


FLAT = LinePath(0.0, 0.0, 0.0, 0.0, 1.0)  # where a word's writing is written


class WordSpread(NamedTuple):
    scale: float
    rise: float
    skew: float
    turn: float
