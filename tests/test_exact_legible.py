"""Exact words in a hand whose shapes OCR misreads (Caveat's 9 reads as 7): written whole in the
legible hand of the fallback chain (fonts/catalog.toml `misreads`), measured as drawn, leaning
as the card's hand does; read back exactly by tesseract (as benchmarks/legibility.py reads)."""

from __future__ import annotations

import csv

import pytest
from typer.testing import CliRunner

from notes.cli import app
from notes.fonts import FontBook
from notes.measure import Measurer
from notes.render import Renderer, Style
from tests.realparts import benchmark, need_commands


def test_a_number_with_a_misread_digit_is_written_whole_in_the_legible_hand():
    book = FontBook("caveat")
    legible = book.fonts_for_word("(#12998).")
    assert {font.spec.id for font in legible} == {"playpen-sans"}
    assert legible[0].lean > 0.1  # Caveat leans right; Playpen Sans stands upright
    # A word with none of Caveat's misread characters, or no digit, '@' or '://', stays Caveat.
    for word in ("2026", "Leeds", "Sophie", "thanks!"):
        assert {font.spec.id for font in book.fonts_for_word(word)} == {"caveat"}, word
    # A legible primary's exact words stay in it.
    assert {f.spec.id for f in FontBook("playpen-sans").fonts_for_word("#12998")} == {
        "playpen-sans"
    }


def test_the_legible_words_width_is_the_width_it_is_drawn_with():
    text = "Dear Ana,\n\nYour order #19998 is on its way.\n\nMaya"
    renderer = Renderer(Style(font="caveat", seed=2, messiness=0.0))
    plan = renderer.plan(text, key=text)

    def spelt(word) -> str:
        return "".join(plan.glyphs[g.glyph].char for g in word.glyphs).strip()

    number = next(word for word in plan.words if spelt(word) == "#19998")
    glyphs = [plan.glyphs[g.glyph] for g in number.glyphs if plan.glyphs[g.glyph].char.strip()]
    assert {glyph.font.name for glyph in glyphs} == {FontBook("playpen-sans").primary.face.name}
    placed = [g for g in number.glyphs if plan.glyphs[g.glyph].char.strip()]
    drawn = placed[-1].e - placed[0].e  # first letter's origin to the last's, no jitter
    book = renderer.fonts
    last = book.fonts_for_word("#19998")[-1]
    measured = (Measurer(book).word("#19998") - last.advance("8") * last.scale) * plan.layout.size
    assert drawn == pytest.approx(measured, rel=0.02)


def test_a_legible_hands_numbers_are_the_same_bytes_written_merged_and_in_two_jobs(
    tmp_path, monkeypatch
):
    """`notes write` gives a one-row merge's bytes, and --jobs 2 --jobs 1's, for cards whose
    order numbers and codes are written in the legible hand."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    rows = [
        {"name": f"Ana {n}", "text": f"Dear Ana,\n\nOrder #1{n}998 left, code SAVE-9Q{n}X.\n\nMaya"}
        for n in range(6)
    ]
    with open("rows.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["name", "text"])
        writer.writeheader()
        writer.writerows(rows)
    style = ["-t", "blank", "--today", "2026-11-26", "--seed", "5"]
    text, name = rows[0]["text"], rows[0]["name"]
    written = ["write", "--text", text, "--set", f"name={name}", *style, "-o", "written.pdf"]
    for args in (
        written,
        ["merge", "rows.csv", *style, "-o", "one.pdf", "-j", "1", "-q", "--limit", "1"],
        ["merge", "rows.csv", *style, "-o", "jobs1.pdf", "-j", "1", "-q"],
        ["merge", "rows.csv", *style, "-o", "jobs2.pdf", "-j", "2", "-q"],
    ):
        result = runner.invoke(app, args, catch_exceptions=False)
        assert result.exit_code == 0, result.output
    assert (tmp_path / "written.pdf").read_bytes() == (tmp_path / "one.pdf").read_bytes()
    assert (tmp_path / "jobs1.pdf").read_bytes() == (tmp_path / "jobs2.pdf").read_bytes()


@pytest.fixture(scope="module")
def legibility():
    need_commands("tesseract", package="tesseract-ocr")
    need_commands("pdftoppm", package="poppler-utils")
    return benchmark("legibility")


@pytest.mark.parametrize("index", [0, 1])  # #12998 THANKS10 SAVE-9Q2X; #10549 LS1 9JB 0113...
def test_a_cards_order_number_with_9s_and_its_codes_are_read_exactly(legibility, tmp_path, index):
    card = legibility.corpus()["cards"][index]
    missed = legibility.card_exact_read(card, tmp_path / "card.pdf", font="caveat", seed=1)
    assert missed == [], f"read wrong (word, line read): {missed}"
