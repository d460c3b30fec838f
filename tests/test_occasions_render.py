"""Every occasion renders on every card size with every bundled font."""

from __future__ import annotations

import pytest

from notes.cards import CARDS, parse_card
from notes.compose import compose_note
from notes.config import Shop
from notes.fonts import load_catalog
from notes.render import Renderer, Style, write_cards
from notes.templating import list_templates
from tests.pdfcheck import check_pdf, text_of

FIELDS = {
    "name": "Ana Souza",
    "product": "Blue Teapot",
    "products": "Blue Teapot; Linen Napkins; Oat Biscuits",
    "order_number": "#1042",
    "discount_code": "THANKS-7K2Q",
    "discount_percent": "15",
    "favourite_product": "Oat Biscuits",
    "order_count": "4",
    "referred_name": "Bea Lima",
    "text": "Dear Ana,\n\nThank you for coming by the shop today!\n\nMaya",
}
SHOP = Shop(name="Juniper & Clay", sender="Maya", signature="Warmly,")


def _texts():
    return {
        info.name: compose_note(info.name, FIELDS, shop=SHOP, today="2026-11-25", seed=1)[0]
        for info in list_templates()
    }


@pytest.mark.parametrize("font", sorted(load_catalog()))
def test_every_occasion_on_every_card_with_every_font(font, tmp_path):
    texts = _texts()
    assert len(texts) == 8
    plans = []
    for card_name in CARDS:
        renderer = Renderer(Style(font=font, card=parse_card(card_name)))
        for occasion, text in texts.items():
            plan = renderer.plan(text, key=occasion)
            assert plan.layout.size >= renderer.min_size
            plans.append(plan)
    out = tmp_path / f"{font}.pdf"
    write_cards(plans, out)
    reader = check_pdf(out)
    assert len(reader.pages) == len(CARDS) * 8
    assert "Ana" in text_of(reader, 0)
