"""Right-to-left order and shaping: Arabic, Hebrew, Hindi and Thai names written correctly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notes.fonts import FontBook
from notes.render import Renderer, Style, render_note
from notes.shaping import shape, split_neutral_edges, visual_order
from tests.drawn import font_id, word_letters
from tests.pdfcheck import check_pdf, text_of


def test_rtl_run_in_an_ltr_line_is_reversed_and_keeps_its_comma_after():
    words = "Dear محمد علي, thank you".split()
    visual, typed_at = visual_order(words, rtl_paragraph=False)
    assert visual == ["Dear", "علي", "محمد,", "thank", "you"]
    assert sorted(typed_at) == list(range(len(words)))


def test_rtl_paragraph_reads_right_to_left_but_keeps_latin_runs_in_order():
    visual, _ = visual_order("שלום Ana Souza תודה".split(), rtl_paragraph=True)
    assert visual == ["תודה", "Ana", "Souza", "שלום"]


def test_neutral_edges():
    assert split_neutral_edges("(محمد),") == ("(", "محمد", "),")


@given(
    st.lists(
        st.sampled_from(["Dear", "Ana", "محمد", "علي,", "שלום", "דוד.", "(x)", "42"]), max_size=8
    )
)
def test_visual_order_draws_every_character_of_the_words(words):
    # Bidi reorders whole lines: words may meet ('(' beside a reversed run), and a bracket in
    # a right-to-left run is mirrored; every character is still drawn once.
    unmirror = str.maketrans(")", "(")
    for rtl in (False, True):
        visual, typed_at = visual_order(words, rtl_paragraph=rtl)
        assert all(0 <= index < len(words) for index in typed_at)
        drawn = "".join(visual).translate(unmirror)
        assert sorted(drawn) == sorted("".join(words).translate(unmirror))
        assert all(word for word in visual)


def test_arabic_letters_take_their_joined_forms():
    book = FontBook("caveat")
    pairs = book.shaped_word("محمد")
    font = pairs[0][0]
    assert font.spec.id == "aref-ruqaa"
    isolated = {font.glyph_id(c) for c in "محمد"}
    assert {g.gid for _, g in pairs} - isolated, "no contextual (joined) forms were chosen"


def test_devanagari_builds_conjuncts():
    book = FontBook("kalam")
    glyphs = shape(book.primary, "प्रिया")
    assert len(glyphs) != len("प्रिया")  # the conjunct and the vowel sign reorder and merge


@pytest.mark.parametrize(
    ("name", "font"),
    [
        ("محمد", "aref-ruqaa"),
        ("דוד", "playpen-sans-hebrew"),
        ("प्रिया", "kalam"),
        ("สมชาย", "mali"),
    ],
)
@pytest.mark.parametrize("realism", ["plain", "natural"])
def test_names_needing_shaping_render_in_a_handwriting_font(tmp_path, name, font, realism):
    text = f"Dear {name},\n\nThank you for your order!\n\nMaya"
    plan = render_note(text, tmp_path / "n.pdf", style=Style(realism=realism), key=name)
    used = {
        font_id(plan.glyphs[g.glyph].font.path)
        for w in plan.words
        if w.text is not None
        for g in w.glyphs
    }
    assert font in used
    extracted = text_of(check_pdf(tmp_path / "n.pdf"))
    assert "Thank" in extracted
    # PDF readers reorder right-to-left text themselves; the letters must all be there.
    assert set(name) <= set(extracted)


def test_a_hebrew_note_is_right_aligned():
    renderer = Renderer(Style())
    plan = renderer.plan("עדי היקרה,\n\nתודה רבה על ההזמנה!\n\nמאיה", key="x")
    x0, _, w, _ = renderer.box
    for line in plan.layout.lines:
        assert line.rtl
        assert line.x + line.width > x0 + w * 0.8


def test_hebrew_line_with_a_latin_word_puts_the_exclamation_mark_at_its_end():
    visual, _ = visual_order("תודה רבה David!".split(), rtl_paragraph=True)
    # Read right to left: תודה רבה David ! ; so on the page, from the left: "!David רבה תודה".
    assert visual == ["!David", "רבה", "תודה"]


def test_arabic_line_with_a_latin_word_keeps_its_comma_and_mark_in_place():
    visual, _ = visual_order("شكرا يا Sam، على طلبك!".split(), rtl_paragraph=True)
    assert visual == ["طلبك!", "على", "،Sam", "يا", "شكرا"]


def test_a_drawn_hebrew_note_has_the_mark_left_of_the_latin_name():
    plan = Renderer(Style()).plan("שלום David!\n\nתודה רבה על ההזמנה.", key="d")
    first_line = plan.words[: len(plan.layout.lines[0].words) + 1]
    xs = {g.char: g.e for word in first_line for g in word_letters(plan, word)}
    assert xs["!"] < xs["D"] < xs["d"]


def test_rtl_run_in_an_ltr_line_with_brackets_stays_inside_them():
    visual, _ = visual_order("Thanks (محمد علي) ok".split(), rtl_paragraph=False)
    assert visual == ["Thanks", "(علي", "محمد)", "ok"]
