"""The drawing model is a real seam: a second writer (tests/svgwriter.py, SVG rendered by cairo)
draws the same cards as the PDF writer (rendered by pdfium), pixel for pixel within 2 %."""

from __future__ import annotations

import io
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import cairosvg
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops

from notes.batch import Planner
from notes.cards import CARDS, parse_card
from notes.config import DayRules
from notes.day import day_jobs, plan_day
from notes.demo import make_orders, write_export
from notes.demoshop import ENGLISH
from notes.drawing import GlyphTable
from notes.envelopes import envelope_plan, write_envelopes
from notes.render import Renderer, Style, write_cards
from notes.sheets import sheet_layout, sheet_side, write_sheets
from tests.svgwriter import page_svg

DPI = 600  # at 300 dpi pdfium draws hairline strokes a little bolder than cairo
# An SVG signature: a PNG is resampled differently by each renderer, so its edges differ.
SIGNATURE = Path(__file__).parent / "fixtures" / "signature" / "signature.svg"


def _ink(image: Image.Image) -> Image.Image:
    """A mask of the pixels with ink on them (half covered or more)."""
    return image.convert("L").point(lambda value: 255 if value < 128 else 0).convert("1")


def _count(mask: Image.Image) -> int:
    return mask.convert("L").histogram()[255]


def _iou(pdf: Path, svg: str) -> float:
    """Pixel IoU of the ink of the PDF's first page (pdfium) and of the SVG (cairo)."""
    document = pdfium.PdfDocument(str(pdf))
    try:
        ours = document[0].render(scale=DPI / 72).to_pil()
    finally:
        document.close()
    png = cairosvg.svg2png(
        bytestring=svg.encode(), output_width=ours.width, output_height=ours.height
    )
    theirs = Image.open(io.BytesIO(png)).convert("RGBA")
    theirs = Image.alpha_composite(Image.new("RGBA", theirs.size, "white"), theirs)
    a, b = _ink(ours), _ink(theirs)
    union = _count(ImageChops.logical_or(a, b))
    assert union, "nothing drawn"
    return _count(ImageChops.logical_and(a, b)) / union


def _demo_card():
    """The first card of a demo sales day, as `notes demo` plans it."""
    day = date(2026, 1, 5)
    with tempfile.TemporaryDirectory() as work:
        export = write_export(
            Path(work) / "orders.csv",
            make_orders(customers=3, locale="en_US", seed=0, day=day),
            "shopify",
        )
        plan = plan_day(
            export, ledger=None, style=Style(seed=0), shop=ENGLISH.shop, rules=DayRules(), day=day
        )
    planner = Planner(plan.setup)  # the batch core's, as `notes day` plans each card
    card = next(planner.plan(job) for _, job in day_jobs(plan))
    # The shapes as the writer gets them: the planner keeps no word shape it has sent.
    glyphs = GlyphTable()
    for key, shape in card.shapes:
        glyphs.add(key, shape)
    return replace(card.front, glyphs=glyphs)


def test_the_demo_card_drawn_as_svg_matches_the_pdf(tmp_path):
    card = _demo_card()
    pdf = tmp_path / "card.pdf"
    write_cards([card], pdf)
    assert _iou(pdf, page_svg(card.page, card.glyphs)) >= 0.98


@pytest.mark.parametrize("realism", ["plain", "rough"])
def test_other_realisms_a_signature_and_a_fold_match_too(tmp_path, realism):
    style = Style(realism=realism, card=parse_card("a2-folded"), signature=str(SIGNATURE))
    card = Renderer(style).plan("Dear Ana,\n\nThank you for the teapot!\n\nMaya", key="Ana")
    pdf = tmp_path / "card.pdf"
    write_cards([card], pdf)
    assert _iou(pdf, page_svg(card.page, card.glyphs)) >= 0.98


def test_a_sheet_and_an_envelope_match_too(tmp_path):
    renderer = Renderer(Style(card=CARDS["a7"]))
    plans = [renderer.plan(f"Dear {n},\n\nThanks!\n\nMaya", key=n) for n in ("Ana", "Ben", "Cy")]
    layout = sheet_layout(CARDS["a7"], "a4", bleed_mm=3)
    pdf = tmp_path / "sheet.pdf"
    write_sheets(plans, pdf, layout)
    page = sheet_side(layout, plans, back=False)
    assert _iou(pdf, page_svg(page, renderer.glyphs)) >= 0.98
    envelope = envelope_plan(
        renderer, ["Ana Souza", "Rua Augusta 12", "São Paulo"], [], "c6", key="A"
    )
    pdf = tmp_path / "envelope.pdf"
    write_envelopes([envelope], pdf)
    svg = page_svg(envelope.page, envelope.glyphs)
    assert _iou(pdf, svg) >= 0.98
