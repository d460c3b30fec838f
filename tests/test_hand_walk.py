"""The handwriting's shortcuts through its noise give the numbers the plain walk gives, so a
speed-up never changes a card's bytes (benchmarks/check_identical.py checks whole PDFs)."""

from __future__ import annotations

import math

import pytest

from notes import handnoise


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
