"""The writing half of the batch core: letter shapes numbered into a document's glyph table."""

from __future__ import annotations

from pathlib import Path

from notes.batch import Planned
from notes.batchwrite import ShapeBook
from notes.drawing import (
    FontFace,
    FormattedWords,
    Glyph,
    GlyphTable,
    PathOp,
    Placing,
    Text,
    TextRun,
    Word,
)

FACE = FontFace(Path("hand.ttf"), "Hand", 1000)
SQUARE = (PathOp("M", (0, 0)), PathOp("L", (500, 0)), PathOp("L", (500, 500)), PathOp("Z", ()))


def _shape(gid: int) -> Glyph:
    return Glyph(FACE, gid, 0, SQUARE, chr(96 + gid))


def _word(*forms: int) -> Word:
    text = Text((TextRun(FACE, "a", 1.0),), 10.0, 20.0, 12.0, (0, 0))
    placing = Placing(" ".join(["q 1 0 0 1 0 0 cm %s Do Q"] * len(forms)), forms)
    return Word((0.1, 0.1, 0.4), 0.0, (), text, placing)


def _planned(worker: str, *keys: str) -> Planned:
    return Planned(1, worker, shapes=[(key, _shape(ord(key) - 96)) for key in keys])


def test_the_one_planners_words_pass_unchanged_into_the_runs_table():
    # The planner sent a shape (a) no word draws before the one (b) a word draws: numbered as
    # first drawn, b would be the table's 0 and every later word made again with new ids.
    book, table = ShapeBook(), GlyphTable()
    book.receive(_planned("one", "a", "b"))
    first = (_word(1),)
    assert book.into(table, "one", first, every=True)[0] is first[0]
    book.receive(_planned("one", "c"))
    second = (_word(2, 0), _word(1))
    numbered = book.into(table, "one", second, every=True)
    assert all(a is b for a, b in zip(numbered, second, strict=True))
    assert [table.key_of(n) for n in range(len(table))] == ["a", "b", "c"]


def test_a_second_planners_words_are_numbered_into_the_table():
    book, table = ShapeBook(), GlyphTable()
    book.receive(_planned("one", "a", "b"))
    book.into(table, "one", (_word(1),), every=True)
    book.receive(_planned("two", "c", "b"))  # its own ids: c is 0, b is 1
    (word,) = book.into(table, "two", (_word(0, 1),), every=True)
    assert [table.key_of(n) for n in word.placing.forms] == ["c", "b"]
    # The first planner's ids are no longer the table's alone: its new shapes are numbered.
    book.receive(_planned("one", "d"))
    (word,) = book.into(table, "one", (_word(2, 0),), every=True)
    assert [table.key_of(n) for n in word.placing.forms] == ["d", "a"]


def test_a_cards_own_table_takes_only_the_shapes_it_draws():
    book = ShapeBook()
    book.receive(_planned("one", "a", "b", "c"))
    own = GlyphTable()  # --per-note: a document for each card
    (word,) = book.into(own, "one", (_word(2),))
    assert len(own) == 1 and own.key_of(word.placing.forms[0]) == "c"


def test_the_runs_table_takes_every_shape_a_second_planner_sent_as_it_comes():
    # Numbered as they come, not as first drawn: a card's words then map through a list of
    # known ids (the bytes do not depend on the table's order: forms are named as pages use them).
    book, table = ShapeBook(), GlyphTable()
    book.receive(_planned("one", "a"))
    book.into(table, "one", (_word(0),), every=True)
    book.receive(_planned("two", "b", "c", "a"))  # c: sent, and drawn by no word yet
    c_drawn = FormattedWords("%s %s", "WW", (1, 2), ())
    word, one, run = book.into(table, "two", (_word(2, 0), _word(1), c_drawn), every=True)
    assert [table.key_of(n) for n in range(len(table))] == ["a", "b", "c"]
    assert [table.key_of(n) for n in word.placing.forms] == ["a", "b"]
    assert [table.key_of(n) for n in one.placing.forms] == ["c"]
    assert [table.key_of(n) for n in run.forms] == ["c", "a"]
