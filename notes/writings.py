"""A word's writings: its letters as the hand wrote it, kept and placed again on later cards.

A batch writes the same words card after card ("Thank", "you", the shop's name). Per hand, each
word is written at most WRITINGS ways, at WRITTEN_AT points, each with its own per-letter turn,
slant, size, baseline, spacing and outline variants (notes.handwriting); a card takes one
writing per word, never the same one twice for a word, scales it to the note's size and places
it where the word falls on its line, rising with the line there, in the word's own ink and
pressure. Two cards share a given word's writing about one time in WRITINGS; within a card every
word reads as written anew. Codes and numbers (notes.exact) are written afresh on every card.
The PDF writer draws a writing in place its first few uses in a document, then from one form
(notes.pdf.words).

A writing is a pure function of the hand, the word and its number, so any --jobs, and a card
written alone, give the same bytes.
"""

from __future__ import annotations

import zlib
from functools import cache
from typing import NamedTuple

from notes.drawing import PlacedGlyph
from notes.handnoise import walked_table

WRITINGS = 32  # ways each word is written, per hand
# The size (points) words are written at, whatever the note's: every measure of a writing is in
# proportion to it, so a note written smaller (a longer one) takes the same writings, scaled.
WRITTEN_AT = 20.0
# Writings kept per hand between cards (~1.5 KB each; a batch's planner keeps a writing drawn
# whole without its letters, ~0.3 KB).
KEPT_WRITINGS = 16_384

_new = tuple.__new__


class Writing(NamedTuple):
    """A word written from x 0 on a level baseline at y 0, at WRITTEN_AT points."""

    glyphs: tuple[PlacedGlyph, ...]
    left: float  # where the first letter's ink starts; inf with no ink
    right: float  # where the last letter's ink ends; -inf with no ink
    end: float  # where the space after the word starts
    first: object  # the font of the first letter (notes.fonts.LoadedFont), for the text layer


def writing_walk(seed: int | str, text: str, index: int, exact: bool) -> tuple[int, int]:
    """Where writing `index` of `text` starts in the noise table, and its stride (odd)."""
    key = f"{seed}\x1f{index}\x1f{int(exact)}\x1f{text}".encode("utf-8", "surrogatepass")
    found = zlib.crc32(key)
    return found & 4095, ((found >> 12) & 2047) * 2 + 1


def first_writing(draw: float) -> int:
    """A writing's number from a normal draw, for a word's first use on a card."""
    return int(abs(draw) * 9973) % WRITINGS


@cache
def first_writings(table: str) -> tuple[int, ...]:
    """first_writing of each value of a noise table (notes.handnoise), by its place: a word's
    first use on a card looks its writing up where its draw is."""
    return tuple(first_writing(draw) for draw in walked_table(table)[:4096])


def pick_writing(used: set[int], draw: float) -> int:
    """A writing's number from a normal draw: the next one this card has not used for the
    word yet (while there are any)."""
    index = first_writing(draw)
    if len(used) < WRITINGS:
        while index in used:
            index = (index + 1) % WRITINGS
    used.add(index)
    return index


def placed_at(
    glyphs: tuple[PlacedGlyph, ...], x: float, y: float, rise: float, scale: float
) -> list[PlacedGlyph]:
    """A writing's glyphs at `scale` (the note's size over WRITTEN_AT), moved to (x, y) on a
    line that rises `rise` points per point: each letter's height follows the line (its widths
    and gaps stay as written)."""
    return [
        _new(
            PlacedGlyph,
            (
                g,
                scale * a,
                scale * (b + rise * a),
                scale * c,
                scale * (d + rise * c),
                x + scale * e,
                y + scale * (f + rise * e),
            ),
        )  # fmt: skip
        for g, a, b, c, d, e, f in glyphs
    ]
