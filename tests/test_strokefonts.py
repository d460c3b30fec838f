"""Single-stroke fonts: the catalog, the SVG font reader, and the hand written as strokes."""

from __future__ import annotations

import math

import pytest

from notes.drawing import GlyphTable
from notes.errors import FontError
from notes.fonts import FontBook, load_catalog
from notes.handwriting import write_by_hand
from notes.layout import fit_text
from notes.render import Style, note_rng
from notes.strokefonts import StrokeBook, read_stroke_font, stroke_catalog
from notes.strokehand import PenHand, pen_strokes
from notes.svgpath import parse_path

LATIN_1 = "Zoë Lambert àéîõüçñß ÀÉÎÕÜÇÑ 0123456789 .,;:!?'\"&()-"


def test_catalog_has_handwriting_stroke_fonts_with_their_licences():
    catalog = stroke_catalog()
    assert len(catalog) >= 3
    assert catalog["ems-allure"].connected and catalog["ems-allure"].style == "script"
    assert not set(catalog) & set(load_catalog())  # outline fonts and stroke fonts apart
    for spec in catalog.values():
        assert spec.path.suffix == ".svg" and spec.licence == "OFL-1.1"
        licence = spec.path.with_suffix(".LICENSE.txt").read_text(encoding="utf-8")
        assert "SIL OPEN FONT LICENSE Version 1.1" in licence and "hersheytext" in licence
        book = StrokeBook(spec.id)
        assert all(book.primary.covers(c) for c in LATIN_1 if c != " "), spec.id


def test_an_outline_font_book_refuses_nothing_it_did_before():
    assert FontBook("caveat").primary.covers("Ł")  # the outline world is unchanged


def test_stroke_font_metrics_and_marks():
    font = StrokeBook("ems-allure").primary
    assert 0.5 < font.cap_height < 0.9 and font.ascent == 0.8 and font.descent == 0.2
    assert font.advance("m") > font.advance("i") > 0
    assert font.kern("A", "V") == 0.0
    assert len(font.letter("i").marks) == 1  # the dot
    assert len(font.letter("ë").marks) == 2  # the diaeresis
    assert not font.letter("l").marks and not font.letter("!").marks
    # In the glyph table a letter is its strokes as open subpaths, drawn but never filled.
    assert not font.filled
    outline = font.outline(font.glyph_id("i"), 0, 0.0)
    assert [op.op for op in outline].count("M") == 2 and "Z" not in [op.op for op in outline]


def test_diaeresis_sits_over_its_letter():
    """The EMS fonts put ë's second dot past the letter: drawn thin, 'Zoë' read 'Zoe;'."""
    glyph = StrokeBook("ems-allure").primary.letter("ë")  # in font units: 1000 to the em
    body = [p for i, s in enumerate(glyph.strokes) if i not in glyph.marks for p in s]
    dots = sorted(min(x for x, _ in glyph.strokes[i]) for i in glyph.marks)
    # Within the letter's width (a slanted letter's top leans right a little) and close together;
    # in the font file the second dot starts 0.08 em past the letter, 0.25 em from the first.
    assert dots[1] < max(x for x, _ in body) + 20
    assert dots[1] - dots[0] <= 200


def test_path_parser_flattens_every_command():
    # Relative moves and lines, H and V, a cubic, a smooth cubic, a quadratic, a closed subpath.
    strokes = parse_path("M0 0 l10 0 v10 H0 z m20 0 C20 10 30 10 30 0 s10 -10 10 0 Q50 10 60 0", 1)
    square, curve = strokes
    assert square == ((0, 0), (10, 0), (10, 10), (0, 10), (0, 0))
    assert curve[0] == (20, 0) and curve[-1] == pytest.approx((60, 0))
    assert len(curve) > 10 and max(y for _, y in curve) == pytest.approx(7.5, abs=0.1)
    assert parse_path("M1 2L3 4 5 6", 1) == (((1, 2), (3, 4), (5, 6)),)  # implicit lines
    assert parse_path("M1e2 -2.5e1L.5 .5", 1) == (((100, -25), (0.5, 0.5)),)
    with pytest.raises(ValueError, match="'A' is not supported"):
        parse_path("M0 0 A5 5 0 0 1 10 0", 1)
    with pytest.raises(ValueError, match="L needs 2 numbers"):
        parse_path("M0 0 L5", 1)


def test_a_damaged_stroke_font_is_an_error_naming_the_file(tmp_path):
    broken = tmp_path / "broken.svg"
    broken.write_text("<svg><font><glyph unicode='a' d='M0 0 L", encoding="utf-8")
    with pytest.raises(FontError) as caught:
        read_stroke_font(broken)
    assert caught.value.where == str(broken)
    bad = tmp_path / "bad.svg"
    bad.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><font><font-face units-per-em="1000"/>'
        '<glyph unicode="a" d="M0 0 A1 1 0 0 1 2 2"/></font></svg>',
        encoding="utf-8",
    )
    with pytest.raises(FontError, match="glyph 'a'"):
        read_stroke_font(bad)


def test_uncovered_character_names_it_and_the_stroke_fonts_tried():
    book = StrokeBook("ems-tech")
    with pytest.raises(FontError) as caught:
        book.check_text("Dear Łucja")
    message = str(caught.value)
    assert "'Ł' U+0141 LATIN CAPITAL LETTER L WITH STROKE" in message
    assert "stroke fonts tried: ems-tech, ems-readability-italic" in message
    assert "caveat" not in message  # no outline font in the chain
    assert book.coverage("aŁ") == [("a", "ems-tech"), ("Ł", None)]
    with pytest.raises(FontError, match="'caveat' is an outline font"):
        StrokeBook("caveat")


def _words(text: str, font: str, seed: int = 0, messiness: float = 0.5, realism="plain"):
    """The hand's words, their glyph table and the font book, as notes.render plans them."""
    book = StrokeBook(font)
    layout = fit_text(text, book, (30, 30, 240, 340), min_size=10, max_size=18)
    glyphs = GlyphTable()
    words = write_by_hand(
        layout, book, rng=note_rng(seed, "key"), messiness=messiness, ink=(0, 0, 0),
        glyphs=glyphs, realism=realism,
    )  # fmt: skip
    return words, glyphs, book


def test_a_joined_script_varies_per_word_so_its_joins_stay_joined():
    from notes.plot import make_plot

    counts = set()
    for seed in range(3):
        for messiness in (0.0, 0.5):
            words, glyphs, _ = _words("minimum", "ems-allure", seed, messiness)
            for word in words:
                drawn = [g for g in word.glyphs if glyphs[g.glyph].char.strip()]
                assert len({tuple(round(v, 9) for v in g[1:5]) for g in drawn}) == 1
            page = PenHand(Style(seed=seed, messiness=messiness), "ems-allure").card(
                "minimum", key="k"
            )
            counts.add(len(make_plot(page).lines))
    # Every join the font draws is drawn at every seed and messiness: the same stroke count,
    # fewer than the 7 letters and 2 dots written one by one.
    assert len(counts) == 1 and counts.pop() < 9


def test_dots_and_accents_move_on_their_own_and_strokes_tremble():
    words, glyphs, book = _words("iii iii iii iii", "ems-tech", messiness=1.0)
    import random

    still = pen_strokes(words, glyphs, book, rng=random.Random(1), k=0.0)
    moved = pen_strokes(words, glyphs, book, rng=random.Random(1), k=2.0)
    assert len(still) == len(moved) == 24
    shifts = []
    for a, b in zip(still, moved, strict=True):
        # The same stroke before and after: resampled alike, so compare their centres.
        ca = (sum(x for x, _ in a) / len(a), sum(y for _, y in a) / len(a))
        cb = (sum(x for x, _ in b) / len(b), sum(y for _, y in b) / len(b))
        shifts.append(math.dist(ca, cb))
    font = StrokeBook("ems-tech").primary
    dot_index = next(iter(font.letter("i").marks))
    dots = shifts[dot_index::2]
    stems = shifts[1 - dot_index :: 2]
    assert max(stems) < 0.6  # the stems only tremble (a fraction of a point)
    assert max(dots) > 2 * max(stems)  # the dots wander further, each its own way
    assert len({round(d, 3) for d in dots}) == len(dots)
    # The tremor bends strokes: a straight stem is no longer straight.
    stem = moved[1 - dot_index]
    (x0, y0), (x1, y1) = stem[0], stem[-1]
    off_line = max(
        abs((x1 - x0) * (y0 - y) - (x0 - x) * (y1 - y0)) / math.dist(stem[0], stem[-1])
        for x, y in stem
    )
    assert 0.01 < off_line < 1.0


def test_natural_realism_draws_letters_from_deformed_variants():
    import random

    words, glyphs, book = _words("eeeeee", "ems-tech", realism="natural")
    strokes = pen_strokes(words, glyphs, book, rng=random.Random(1), k=0.0)
    shapes = {
        tuple((round(x - s[0][0], 2), round(y - s[0][1], 2)) for x, y in s[:: max(1, len(s) // 6)])
        for s in strokes
    }
    assert len(shapes) >= 3  # repeated letters differ


def test_same_input_and_seed_give_the_same_strokes():
    first = PenHand(Style(seed=3), "ems-felix").card("Dear Zoë, thank you!", key="k")
    again = PenHand(Style(seed=3), "ems-felix").card("Dear Zoë, thank you!", key="k")
    other = PenHand(Style(seed=4), "ems-felix").card("Dear Zoë, thank you!", key="k")
    assert first == again and first != other
