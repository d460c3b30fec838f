"""Right-to-left order and shaping: Arabic, Hebrew, Hindi and Thai names written correctly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notes.fonts import FontBook
from notes.render import Renderer, Style, render_note
from notes.shaping import shape, split_neutral_edges, visual_order
from tests.drawn import font_id
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
def test_visual_order_is_a_permutation_of_the_words(words):
    for rtl in (False, True):
        visual, typed_at = visual_order(words, rtl_paragraph=rtl)
        assert sorted(typed_at) == list(range(len(words)))
        assert sorted("".join(visual)) == sorted("".join(words))


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
