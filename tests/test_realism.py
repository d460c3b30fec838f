"""Letter shapes vary: deformed outline variants, drawn as reusable form objects, with text kept."""

from __future__ import annotations

from collections import Counter

import pytest

from notes.glyphs import VARIANTS, variant_outline
from notes.render import Renderer, Style, render_note, write_cards
from tests.drawn import letters
from tests.pdfcheck import check_pdf, text_of, words_of

REPEATED = "Dear Ana,\n\n" + " ".join(["letter"] * 20) + "\n\nMaya"


def _instances(plan, char):
    return [(g[3:7], g.variant) for g in letters(plan) if g.char == char and g.variant]


def test_repeated_letters_differ_in_shape_or_transform():
    plan = Renderer(Style(realism="natural")).plan(REPEATED, key="Ana")
    es = _instances(plan, "e")
    assert len(es) >= 40
    assert len(set(es)) == len(es), "two 'e's are drawn identically"
    variants = Counter(shape for _, shape in es)
    assert len(variants) >= 3, "the 'e's should use several outline variants"


def test_variants_are_different_outlines_of_the_same_glyph():
    from notes.fonts import load_catalog

    path = load_catalog()["caveat"].path
    plan = Renderer(Style()).plan("e", key="x")
    gid = plan.glyphs[plan.words[0].glyphs[0].glyph].gid
    outlines = {variant_outline(path, gid, v, 0.016, False) for v in range(VARIANTS + 1)}
    assert len(outlines) == VARIANTS + 1
    for outline in outlines:  # closed contours of lines and cubic curves, in font units
        assert outline[0].op == "M" and outline[-1].op == "Z"
        assert {op.op for op in outline} <= {"M", "L", "C", "Z"}


def test_pinned_variants_keep_the_join_points_of_connected_letters():
    from notes.fonts import load_catalog
    from notes.glyphs import _warp_field

    warp = _warp_field(7, 1000, 0.03, 500, pinned=True, bend=40.0)
    for y in (-200, 0, 300, 700):
        assert warp(0, y) == pytest.approx((0, y), abs=1e-6)
        assert warp(500, y) == pytest.approx((500, y), abs=1e-6)
    assert load_catalog()["dancing-script"].connected


def test_outlined_pdf_keeps_the_words_and_stays_compact(tmp_path):
    out = tmp_path / "n.pdf"
    render_note(REPEATED, out, style=Style(realism="natural"), key="Ana")
    reader = check_pdf(out)
    assert words_of(text_of(reader)) == words_of(REPEATED)
    xobjects = reader.pages[0]["/Resources"]["/XObject"]
    letters = set(REPEATED.replace(" ", "").replace("\n", ""))
    assert len(xobjects) <= len(letters) * (VARIANTS + 1)  # drawn once, placed many times
    assert out.stat().st_size < 80_000


@pytest.mark.parametrize("realism", ["plain", "natural", "rough"])
def test_each_realism_is_deterministic(tmp_path, realism):
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    for out in (a, b):
        render_note(REPEATED, out, style=Style(realism=realism, seed=3), key="Ana")
    assert a.read_bytes() == b.read_bytes()


def test_plain_realism_is_font_text_without_forms(tmp_path):
    out = tmp_path / "p.pdf"
    render_note(REPEATED, out, style=Style(realism="plain"), key="Ana")
    reader = check_pdf(out)
    assert "/XObject" not in reader.pages[0]["/Resources"]


def test_a_plain_card_copies_whole_words_in_poppler(tmp_path):
    # Each letter of a plain card has its own size and turn: poppler (Evince, Okular, pdftotext)
    # started a new word at every change ("De ar Ana, tha n k y ou"), so a search for "thank"
    # failed. Each word now says what it reads (/ActualText); the pixels are unchanged.
    import subprocess

    out = tmp_path / "p.pdf"
    render_note(
        "Dear Ana, thank you for coming by today!", out, style=Style(realism="plain"), key="A"
    )
    copied = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert copied.split() == "Dear Ana, thank you for coming by today!".split()
    assert "Dear Ana" in text_of(check_pdf(out))


def test_forms_are_declared_on_every_page_that_uses_them(tmp_path):
    renderer = Renderer(Style(realism="natural"))
    plans = [renderer.plan(REPEATED, key=str(i)) for i in range(3)]
    out = tmp_path / "three.pdf"
    write_cards(plans, out)
    reader = check_pdf(out)
    for page in reader.pages:
        names = set(page["/Resources"]["/XObject"])
        content = page.get_contents().get_data().decode("latin-1")
        used = {"/" + part.split()[0] for part in content.split("/FormXob.")[1:]}
        used = {"/FormXob." + u[1:] for u in used}
        assert used <= names


def test_unknown_realism_is_a_usage_error():
    from notes.errors import UsageError

    with pytest.raises(UsageError, match="plain, natural or rough"):
        Renderer(Style(realism="extreme"))
