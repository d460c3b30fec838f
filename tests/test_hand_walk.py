"""The handwriting's shortcuts through its noise give the numbers the plain walk gives, so a
speed-up never changes a card's bytes (benchmarks/check_identical.py checks whole PDFs)."""

from __future__ import annotations

import math
import random

import pytest

from notes import handnoise, writings
from notes.handwriting import INKS, _stays_in_unit


@pytest.mark.parametrize("table", ["normal", "bounded"])
def test_a_slice_of_the_walked_table_is_the_next_six_steps_of_the_walk(table) -> None:
    noise = handnoise.normal_table() if table == "normal" else handnoise.bounded_table()
    walked = handnoise.walked_table(table)
    for pos in (0, 1, 2047, 4094, 4095):
        for step in (1, 3, 2049, 4093, 4095):  # odd, as a note's step is
            expected = tuple(noise[(pos + n * step) & 4095] for n in range(1, 7))
            assert walked[pos + step : pos + 7 * step : step] == expected


def test_a_letters_variant_is_picked_across_the_table_from_its_place() -> None:
    noise = handnoise.normal_table()
    picks = handnoise.variant_picks()
    assert picks == tuple(
        1 + int(abs(noise[pos ^ 2048]) * 97) % handnoise.VARIANTS for pos in range(4096)
    )


def test_an_ink_channel_is_clamped_as_min_and_max_clamp_it() -> None:
    for value in (-1.0, -0.0, 0.0, 1e-300, 0.33, 1.0, 1.0000001, 7.0, math.inf, math.nan):
        clamped = handnoise.unit_clamp(value)
        expected = min(1.0, max(0.0, value))
        assert (clamped, math.copysign(1, clamped)) == (expected, math.copysign(1, expected))


def test_the_shipped_noise_table_holds_the_seeded_draws():
    # The table is read from notes/noise.f64 instead of drawn at every start: the same values.
    assert handnoise.normal_table() == handnoise.drawn_normal_table()
    assert len(handnoise.NORMAL_FILE.read_bytes()) == 4096 * 8


@pytest.mark.parametrize("table", ["normal", "bounded"])
def test_a_words_first_writing_is_looked_up_where_its_draw_is(table) -> None:
    noise = handnoise.normal_table() if table == "normal" else handnoise.bounded_table()
    assert writings.first_writings(table) == tuple(writings.first_writing(v) for v in noise)


@pytest.mark.parametrize("messiness", [0.0, 0.25, 0.5, 1.0])
def test_an_ink_left_unclamped_stays_within_0_to_1_for_every_shade_of_the_walk(messiness):
    """A note skips the clamp of its words' ink only when no shade (any draw of the table,
    any pressure) can take a channel out of 0..1: the clamp would give the same numbers."""
    k = messiness * 2
    inks = [*INKS.values(), (0.9, 0.5, 0.2), (0.0, 0.0, 0.0), (1.0, 1.0, 1.0), (0.8, 0.9, 0.97)]
    pressures = (0.0, 1e-12, 0.25, 0.5, 0.75, 1.0 - 1e-12, 1.0)
    skipped = 0
    for ink in inks:
        if not _stays_in_unit(ink, k):
            continue
        skipped += 1
        for draw in handnoise.normal_table():
            for pressure in pressures:
                shade = 1 + 0.05 * k * draw - 0.06 * k * pressure
                for channel in ink:
                    value = channel * shade
                    clamped = handnoise.unit_clamp(value)
                    assert (value, math.copysign(1, value)) == (clamped, math.copysign(1, clamped))
    assert skipped >= len(INKS)  # the usual inks skip it
    assert not _stays_in_unit((1.0, 1.0, 1.0), 1.0)  # white shades past 1: clamped
    assert not _stays_in_unit((-0.0, 0.2, 0.3), 1.0)  # -0.0 is clamped to 0.0


def test_a_lines_normal_draws_are_rng_gauss_draws_and_leave_rng_as_they_do() -> None:
    """A note draws its drift and its lines' gaps in one loop: the same numbers as
    rng.gauss(0, sd) one by one, whatever the count and whether a draw of the pair before
    was left over."""
    ours, theirs = random.Random(1234), random.Random(1234)
    for count in (0, 1, 2, 3, 0, 7, 8, 1, 1, 5, 4, 0, 9, 2, 1, 30):
        sd = 0.12 * (count + 1)
        drawn = [0 + z * sd for z in handnoise.standard_normals(ours, count)]
        assert drawn == [theirs.gauss(0, sd) for _ in range(count)]
        assert ours.getstate() == theirs.getstate()
        assert ours.random() == theirs.random()  # and after them, the same stream


def test_a_right_to_left_line_of_ascii_words_is_written_in_visual_order() -> None:
    """The note's all-ASCII shortcut past the bidi reordering is for left-to-right lines only:
    a line the layout marks right-to-left keeps its punctuation where bidi puts it."""
    from notes.drawing import GlyphTable
    from notes.fonts import FontBook
    from notes.handwriting import write_by_hand
    from notes.layout import Layout, Line

    lines = [Line(["Hello", "there!"], 30.0, 300.0, 120.0, "body", rtl=True)]
    layout = Layout(20.0, 26.0, lines, (20.0, 20.0, 250.0, 380.0))
    words = write_by_hand(
        layout, FontBook("caveat"), rng=random.Random(1), messiness=0.5,
        ink=INKS["blue-black"], glyphs=GlyphTable(), realism="natural",
    )  # fmt: skip
    assert ["".join(run.text for run in word.text.runs) for word in words] == ["!Hello ", "there"]
