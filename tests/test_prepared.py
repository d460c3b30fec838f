"""A batch's planners format a note's words as PDF content (notes.pdf.prepared) and the writer
only fills in what the document decides: the bytes are those of the writer drawing the words."""

from __future__ import annotations

import pickle
from dataclasses import replace

import pytest

from notes.batch import Job, Planner, Setup, for_writer
from notes.config import Shop
from notes.drawing import FormattedWords, Stroke
from notes.pdf.prepared import formatted
from notes.render import Renderer, Style, write_cards
from tests.pdfcheck import check_pdf, text_of

NOTE = "Dear Ana,\nthank you for the blue teapot! Order #10042 left today."
# Each with what only the document decides: Cyrillic in Caveat's own font and Latin beside it;
# Yomogi's en dash and figure dash, one glyph shown through two font objects, and Chinese it
# lacks, words of runs in two fonts; Arabic's and Devanagari's shaped words (several forms a
# word).
TEXTS = {
    "caveat": NOTE + "\nСпасибо, Ольга! Dziękuję, Łukasz!",
    "yomogi": NOTE + "\n2026‒01‒05 – さくらさん、ありがとう。谢谢你的订单。",
    "aref-ruqaa": NOTE + "\nشكرا ليلى! Order #10042",
    "kalam": NOTE + "\nधन्यवाद, अनु! 12/05",
}


def test_a_pools_worker_ships_a_notes_words_as_one_formatted_run():
    """The parent is serial: a worker formats its cards' words (the one process draws them)."""
    planner = Planner(Setup(style=Style(), shop=Shop(), today="2026-01-05"), placed=True)
    job = Job(1, {"first_name": "Ana"}, "blank", words=NOTE)
    words = planner.plan(job).front.words
    card = for_writer(planner.plan(job))
    (run,) = card.front.words
    assert isinstance(run, FormattedWords) and (run,) == formatted(words)
    texts = [text for text in run.texts if isinstance(text, str)]
    assert run.content.count("%s") == len(run.forms) + len(texts)
    assert len(texts) < len(run.texts) <= 2 * len(texts)  # a (font, size) where it changes
    assert len(run.kinds) == len(run.forms) and set(run.kinds) == {"W", "F"}
    # What crosses: strings and ids, not a Word (~5 objects) for each word of the note.
    shipped = pickle.dumps(card)
    assert b"\x8c\x04Word" not in shipped
    assert len(shipped) < 0.8 * len(pickle.dumps(planner.plan(job)))


def _both(tmp_path, plans):
    """The plans written as the planner's words, and as the same words formatted."""
    write_cards(plans, tmp_path / "words.pdf")
    write_cards(
        [replace(plan, words=formatted(plan.words)) for plan in plans], tmp_path / "formatted.pdf"
    )
    return (tmp_path / "words.pdf").read_bytes(), (tmp_path / "formatted.pdf").read_bytes()


@pytest.mark.parametrize("font", sorted(TEXTS))
def test_formatted_words_give_the_writers_bytes(tmp_path, font):
    """Five cards of one document: a word's writing drawn inline its first uses, then as a
    form; fonts numbered in order of first use; a shade said again only when it changes."""
    renderer = Renderer(Style(font=font), placed=True)
    plans = [renderer.plan(TEXTS[font], key=f"Ana {n}") for n in range(5)]
    assert all(len(formatted(plan.words)) == 1 for plan in plans)
    words, made = _both(tmp_path, plans)
    assert made == words
    assert "teapot" in text_of(check_pdf(tmp_path / "formatted.pdf"), 4)


@pytest.mark.parametrize("realism", ["rough", "natural"])
def test_formatted_words_give_the_writers_bytes_at_any_realism(tmp_path, realism):
    renderer = Renderer(Style(realism=realism, messiness=1.0), placed=True)
    plans = [renderer.plan(NOTE * 3, key=f"Ana {n}") for n in range(3)]
    words, made = _both(tmp_path, plans)
    assert made == words


def test_words_in_font_text_are_left_for_the_writer():
    """Plain realism: the writer encodes their characters (and a run with anything but words
    is not a note's words)."""
    plan = Renderer(Style(realism="plain"), placed=True).plan(NOTE, key="Ana")
    assert formatted(plan.words) == plan.words
    assert formatted(()) == ()
    plan = Renderer(Style(), placed=True).plan(NOTE, key="Ana")
    mixed = (*plan.words, Stroke(((("M", (0, 0))), ("L", (1, 1))), 1.0))
    assert formatted(mixed) == mixed
    assert isinstance(formatted(plan.words)[0], FormattedWords)
