"""A batch's workers write their words' glyph operators (notes.pdf.placing), so they do that
formatting and ship a string, and the writer only fills in the form names."""

from __future__ import annotations

import pickle
from dataclasses import replace

import pytest

from notes.batch import Job, Planner, Setup
from notes.config import Shop
from notes.drawing import WordShape
from notes.fonts import load_catalog
from notes.pdf.placing import Placer
from notes.render import Renderer, Style, write_cards
from tests.pdfcheck import check_pdf, text_of

NOTE = "Dear Ana,\nthank you for the blue teapot! Order #10042 left today."


def test_a_batch_planner_ships_its_words_as_operators_not_glyph_numbers():
    planner = Planner(Setup(style=Style(), shop=Shop(), today="2026-01-05"), placed=True)
    card = planner.plan(Job(1, {"first_name": "Ana"}, "blank", words=NOTE))
    assert card.error is None
    words = card.front.words
    assert words and all(w.glyphs == () and w.placing is not None for w in words)
    assert all(w.placing.operators.count("%s") == len(w.placing.forms) for w in words)
    # What crosses from a worker: one string per word, not seven floats per letter.
    assert b"PlacedGlyph" not in pickle.dumps(card.front)


def test_a_planner_not_placing_gives_drawing_model_data():
    planner = Planner(Setup(style=Style(), shop=Shop(), today="2026-01-05"))
    card = planner.plan(Job(1, {"first_name": "Ana"}, "blank", words=NOTE))
    words = card.front.words
    assert all(w.glyphs for w in words)
    # A word drawn whole (notes.writings) also carries how the PDF writer draws it.
    glyphs = planner.renderer.glyphs
    assert all(
        w.placing is None or isinstance(glyphs[w.placing.forms[0]], WordShape) for w in words
    )


# A line in each script the bundled fonts write, with an exact word (a code: the font's own
# shapes) and punctuation (its least gap).
SAMPLES = {
    "latin": "Dear Ana, thank you! Order #10042.",
    "latin-ext": "Dziękuję, Łukasz!",
    "vietnamese": "Cảm ơn bạn",
    "greek": "Ευχαριστώ, Νίκο!",
    "cyrillic": "Спасибо, Ольга!",
    "japanese": "さくらさん、ありがとう。",
    "korean": "민준 님 감사합니다",
    "chinese": "谢谢你的订单。",
    "thai": "ขอบคุณมากครับ",
    "arabic": "شكرا ليلى!",
    "hebrew": "תודה רבה, נועה!",
    "devanagari": "धन्यवाद, अनु!",
}


def _fused_and_two_step(style: Style, text: str):
    """A note's words placed as they are written, and by the Placer after (the writer's)."""
    fused = Renderer(style, placed=True).plan(text, key="Ana")
    plan = Renderer(style).plan(text, key="Ana")
    return fused.words, Placer(plan.glyphs).placed(plan.words)


@pytest.mark.parametrize("font", sorted(load_catalog()))
def test_words_placed_as_written_are_the_placers_for_every_bundled_font(font):
    spec = load_catalog()[font]
    text = "\n".join(SAMPLES[script] for script in spec.scripts if script in SAMPLES)
    fused, two_step = _fused_and_two_step(Style(font=font), text)
    assert fused == two_step
    assert all(word.placing is not None for word in fused)


@pytest.mark.parametrize(
    "style", [Style(realism="rough"), Style(messiness=0.0), Style(realism="plain")]
)
def test_words_placed_as_written_are_the_placers_at_any_realism(style):
    fused, two_step = _fused_and_two_step(style, "Dear Ana,\n\n" + SAMPLES["latin"] * 3)
    assert fused == two_step  # plain: font text, left for the writer to encode


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
