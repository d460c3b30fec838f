"""A batch's workers write their words' glyph operators (notes.pdf.placing), so they do that
formatting and ship a string, and the writer only fills in the form names."""

from __future__ import annotations

import pickle
from dataclasses import replace

from notes.batch import Job, Planner, Setup, placed_in_worker
from notes.config import Shop
from notes.pdf.placing import Placer
from notes.render import Renderer, Style, write_cards
from tests.pdfcheck import check_pdf, text_of

NOTE = "Dear Ana,\nthank you for the blue teapot! Order #10042 left today."


def test_a_worker_ships_its_words_as_operators_not_glyph_numbers():
    planner = Planner(Setup(style=Style(), shop=Shop(), today="2026-01-05"))
    card = planner.plan(Job(1, {"first_name": "Ana"}, "blank", words=NOTE))
    assert card.error is None
    card = placed_in_worker(card, Placer(planner.renderer.glyphs))
    words = card.front.words
    assert words and all(w.glyphs == () and w.placing is not None for w in words)
    assert all(w.placing.operators.count("%s") == len(w.placing.forms) for w in words)
    # What crosses from a worker: one string per word, not seven floats per letter.
    assert b"PlacedGlyph" not in pickle.dumps(card.front)


def test_placed_words_are_written_as_the_writer_would_place_them(tmp_path):
    """One placing for both: words placed by a planner and words the writer places give the
    same bytes, so a batch and `notes.render` draw alike."""
    plan = Renderer(Style()).plan(NOTE, key="Ana")
    write_cards([plan], tmp_path / "writer.pdf")
    write_cards(
        [replace(plan, words=Placer(plan.glyphs).placed(plan.words))], tmp_path / "planner.pdf"
    )
    assert (tmp_path / "writer.pdf").read_bytes() == (tmp_path / "planner.pdf").read_bytes()
    assert "teapot" in text_of(check_pdf(tmp_path / "planner.pdf"))


def test_plain_realism_words_stay_font_text():
    plan = Renderer(Style(realism="plain")).plan(NOTE, key="Ana")
    assert (
        Placer(plan.glyphs).placed(plan.words) == plan.words
    )  # the writer encodes their characters
