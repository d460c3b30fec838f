"""The handwriting renderer, end to end into real PDFs, checked with pypdf."""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import pytest

from notes.cards import CARDS, parse_card
from notes.errors import FontError, LayoutError, OutputError, UsageError
from notes.handwriting import parse_ink
from notes.render import Renderer, Style, render_note, write_cards
from tests.drawn import font_id, letters, word_letters
from tests.pdfcheck import check_pdf, page_size, text_of, words_of

FIXTURES = Path(__file__).parent / "fixtures"
NOTE = (
    "Dear Ana,\n\nThank you so much for choosing the blue teapot. I hope it brings you many "
    "slow, happy mornings and a good cup of tea on the cold days ahead.\n\nWarmly,\nMaya"
)


def _glyphs(plan):
    return letters(plan)


def test_note_is_a_real_pdf_with_extractable_text(tmp_path):
    out = tmp_path / "ana.pdf"
    render_note(NOTE, out, key="Ana")
    reader = check_pdf(out)
    assert page_size(reader) == (297.64, 419.53)  # A6 in points
    assert words_of(text_of(reader)) == words_of(NOTE)


def test_same_seed_gives_identical_bytes_and_another_seed_does_not(tmp_path):
    paths = []
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        paths.append(tmp_path / f"{name}.pdf")
        render_note(NOTE, paths[-1], style=Style(seed=seed), key="Ana")
    a, b, c = (p.read_bytes() for p in paths)
    assert a == b
    assert a != c


def test_messiness_zero_is_the_plain_font():
    plan = Renderer(Style(messiness=0.0)).plan(NOTE, key="Ana")
    for letter in _glyphs(plan):
        assert letter.b == 0 and letter.c == 0 and letter.a == letter.d
    assert all(word.weight == 0 for word in plan.words)


def test_repeated_letters_are_each_drawn_differently():
    plan = Renderer(Style(messiness=0.5)).plan(NOTE, key="Ana")
    es = [g[3:7] for g in _glyphs(plan) if g.char == "e"]
    assert len(es) >= 8
    assert len(set(es)) == len(es), "two 'e's share the same size, rotation and slant"
    baselines = {round(g.f, 2) for g in _glyphs(plan)}
    assert len(baselines) > 30, "the baseline should wobble"


def test_pen_pressure_varies_the_stroke_along_the_text():
    plan = Renderer(Style(messiness=0.5)).plan(NOTE, key="Ana")
    weights = [w.weight for w in plan.words]
    assert min(weights) > 0
    assert max(weights) > 1.5 * min(weights)
    assert len({w.ink for w in plan.words}) > 5  # ink density varies too


def test_connected_script_varies_per_word_so_joins_stay_joined():
    plan = Renderer(Style(font="dancing-script", messiness=1.0)).plan(NOTE, key="Ana")
    for word in plan.words:
        drawn = word_letters(plan, word)
        assert len({(round(g.a, 6), round(g.b, 6)) for g in drawn}) == 1


@pytest.mark.parametrize("name", sorted(CARDS))
@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_every_card_size_keeps_the_writing_inside_the_card(tmp_path, name, orientation):
    card = parse_card(name, orientation=orientation)
    renderer = Renderer(Style(card=card, messiness=1.0))
    plan = renderer.plan(NOTE, key="Ana")
    x0, y0, w, h = card.writing_area
    for g in _glyphs(plan):
        char, e, f = g.char, g.e, g.f
        assert x0 + 4 < e and e + g.advance() < x0 + w - 4, f"{char!r} at x={e:.1f} leaves the card"
        assert y0 + 4 < f < y0 + h - 4, f"{char!r} at y={f:.1f} leaves the card"
    out = tmp_path / "card.pdf"
    write_cards([plan], out)
    reader = check_pdf(out)
    assert page_size(reader) == (round(card.width, 2), round(card.height, 2))


def test_lines_do_not_overlap():
    plan = Renderer(Style(messiness=1.0)).plan(NOTE, key="Ana")
    baselines = [line.y for line in plan.layout.lines]
    gaps = [a - b for a, b in zip(baselines, baselines[1:], strict=False)]
    assert min(gaps) >= plan.layout.size * 1.2


def test_folded_a2_writes_on_the_inside_right_panel():
    card = parse_card("a2-folded")
    assert (round(card.width), round(card.height)) == (612, 396)  # 8.5 x 5.5 in flat
    plan = Renderer(Style(card=card)).plan(NOTE, key="Ana")
    assert min(g.e for g in _glyphs(plan)) > card.width / 2


def test_custom_card_sizes():
    assert round(parse_card("120x170mm").width, 2) == round(120 * 72 / 25.4, 2)
    assert parse_card("5x7in").height == 504
    with pytest.raises(UsageError, match="unknown card size"):
        parse_card("huge")


def test_autofit_writes_short_notes_larger_than_long_ones():
    renderer = Renderer(Style())
    short = renderer.plan("Dear Bo,\n\nThanks!\n\nMaya", key="Bo").layout.size
    long = renderer.plan(NOTE + " More words here." * 30, key="Ana").layout.size
    assert short > long >= renderer.min_size


def test_text_too_long_for_the_card_says_by_how_much():
    with pytest.raises(
        LayoutError, match=r"does not fit.*times its height: cut about 9\d% of the text"
    ) as info:
        Renderer(Style(card=parse_card("a7"))).plan("word " * 2000, key="x")
    assert "--card" in str(info.value)


@pytest.mark.parametrize(
    ("name", "fallback"),
    [
        ("Zofia Łukasiewicz", "caveat"),
        ("Nguyễn Thị Hương", "playpen-sans"),
        ("Αλέξανδρος Παπαδόπουλος", "playpen-sans"),
        ("Дмитрий Иванов", "caveat"),
        ("田中 さくら", "yomogi"),
        ("김민준", "nanum-pen-script"),
        ("张伟", "zhi-mang-xing"),
    ],
)
def test_names_in_many_scripts_render_in_a_handwriting_font(tmp_path, name, fallback):
    text = f"Dear {name},\n\nThank you for your order!\n\nMaya"
    out = tmp_path / "n.pdf"
    plan = render_note(text, out, key=name)
    fonts_used = {font_id(g.font) for g in _glyphs(plan) if g.char in name.replace(" ", "")}
    assert fallback in fonts_used
    extracted = text_of(check_pdf(out))
    assert name.split()[-1] in extracted


def test_fallback_glyphs_are_matched_in_size():
    plan = Renderer(Style()).plan("Dear 田中,\n\nThanks\n\nMaya", key="t")
    sizes = {g.char: math.hypot(g.a, g.b) for g in _glyphs(plan)}
    assert 0.7 < sizes["田"] / sizes["D"] < 1.5


def test_a_character_no_font_has_is_an_error_naming_it_and_the_fonts_tried():
    with pytest.raises(FontError) as info:
        Renderer(Style()).plan("Dear \U00013000,\n\nThanks", key="x")
    message = str(info.value)
    assert "U+13000" in message and "EGYPTIAN HIEROGLYPH" in message
    assert "caveat" in message and "yomogi" in message


def test_ink_colours():
    assert parse_ink("blue-black") == (0.0, 0.06, 0.33)
    assert parse_ink("#ff0000") == (1.0, 0.0, 0.0)
    assert parse_ink("#f00") == (1.0, 0.0, 0.0)
    with pytest.raises(UsageError, match="unknown ink"):
        parse_ink("sparkly")


def test_hex_ink_reaches_the_pdf(tmp_path):
    out = tmp_path / "red.pdf"
    render_note(NOTE, out, style=Style(ink="#cc0000", messiness=0), key="Ana")
    content = check_pdf(out).pages[0].get_contents().get_data().decode("latin-1")
    assert "0.8 0 0 rg" in content


def test_user_truetype_font_with_the_same_postscript_name_does_not_clash(tmp_path):
    copy = tmp_path / "my-caveat.ttf"
    shutil.copy(FIXTURES.parent.parent / "fonts" / "Caveat_400Regular.ttf", copy)
    plan = Renderer(Style(font=str(copy))).plan(NOTE, key="Ana")
    bundled = Renderer(Style(font="caveat")).plan(NOTE, key="Ana")
    assert plan.glyphs[0].font.name != bundled.glyphs[0].font.name


def test_cff_opentype_font_is_converted_to_truetype(tmp_path):
    out = tmp_path / "cff.pdf"
    render_note(
        "Dear Ana,\n\nThank you!\n\nMaya",
        out,
        style=Style(font=str(FIXTURES / "fonts" / "caveat-cff.otf")),
        key="Ana",
    )
    assert "Thank" in text_of(check_pdf(out))


def test_broken_font_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "broken.ttf"
    bad.write_bytes(
        (FIXTURES.parent.parent / "fonts" / "Caveat_400Regular.ttf").read_bytes()[:5000]
    )
    with pytest.raises(FontError) as info:
        Renderer(Style(font=str(bad)))
    assert "broken.ttf" in str(info.value)
    not_font = tmp_path / "notes.ttf"
    not_font.write_text("hello")
    with pytest.raises(FontError, match="not a font file"):
        Renderer(Style(font=str(not_font)))


def test_unknown_font_id_suggests_the_closest():
    with pytest.raises(FontError, match="did you mean 'caveat'"):
        Renderer(Style(font="cavet"))


def test_existing_file_is_not_overwritten_without_force(tmp_path):
    out = tmp_path / "ana.pdf"
    out.write_bytes(b"keep me")
    with pytest.raises(OutputError, match="--force"):
        render_note(NOTE, out, key="Ana")
    assert out.read_bytes() == b"keep me"
    render_note(NOTE, out, key="Ana", force=True)
    assert out.read_bytes().startswith(b"%PDF")


def test_a_failed_write_leaves_nothing_behind(tmp_path):
    out = tmp_path / "ana.pdf"
    with pytest.raises(FontError):
        render_note("Dear \U00013000", out, key="x")
    assert list(tmp_path.iterdir()) == []


def test_plans_of_several_renderers_share_one_document(tmp_path):
    """Each renderer has its own glyph table; the document takes the others' shapes in."""
    caveat = Renderer(Style(font="caveat")).plan("Dear Ana,\n\nThanks!\n\nMaya", key="a")
    kalam = Renderer(Style(font="kalam", realism="rough")).plan("Dear Ben,\n\nCheers!", key="b")
    out = tmp_path / "both.pdf"
    write_cards([caveat, kalam, caveat], out)
    reader = check_pdf(out)
    assert [words_of(text_of(reader, i))[:2] for i in range(3)] == [
        ["Dear", "Ana"],
        ["Dear", "Ben"],
        ["Dear", "Ana"],
    ]
    # Kalam's card looks the same in the shared document as in its own.
    alone = tmp_path / "kalam.pdf"
    write_cards([kalam], alone)
    assert _pixels(out, 1) == _pixels(alone, 0)


def _pixels(pdf, index: int) -> bytes:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        return document[index].render(scale=1).to_pil().tobytes()
    finally:
        document.close()


@pytest.mark.parametrize("realism", ["plain", "natural"])
def test_characters_beyond_the_bmp_are_copied_and_found(tmp_path, realism):
    """An emoji (U+1F60D) is in the PDF's text: its ToUnicode entry is a UTF-16 surrogate pair."""
    out = tmp_path / "emoji.pdf"
    note = "Dear Ana 😍,\n\nThank you! 🦄 𠮟\n\nMaya"  # an emoji, and a CJK ideograph beyond U+FFFF
    render_note(note, out, style=Style(realism=realism), key="A")
    reader = check_pdf(out)
    text = text_of(reader)
    assert "Ana 😍" in text and "🦄" in text and "𠮟" in text
    maps = [
        f.get_object()["/ToUnicode"].get_object().get_data().decode()
        for f in reader.pages[0]["/Resources"]["/Font"].values()
    ]
    assert any("<D83DDE0D>" in m for m in maps)
    for cmap in maps:
        for hex_string in re.findall(r"<([0-9A-Fa-f]*)>", cmap):
            assert len(hex_string) % 2 == 0, hex_string
