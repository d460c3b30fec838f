"""Lines that never touch (issue 12/17 follow-up): the pitch clears the ink the lines really have,
so a Thai line's stacked vowel and tone marks stay out of the line above's below-vowels, and a
Vietnamese capital's stacked diacritics out of the descenders above; a Latin note keeps the
font's leading."""

from __future__ import annotations

import pytest

from notes.cards import parse_card
from notes.drawing import Word
from notes.layout import leading_factor
from notes.render import Renderer, Style

THAI = "ขอบคุณมากสำหรับคำสั่งซื้อของคุณ เราหวังว่าคุณจะชอบสินค้าของเรา"
VIETNAMESE = (
    "Cảm ơn bạn rất nhiều! Chúng tôi hy vọng bạn sẽ thích NGỮ ĐIỆU ẤM ÁP CỦA SẢN PHẨM. "
    "Gửi lời chúc tốt đẹp nhất, hẹn gặp lại ỞỞ Ẫ Ỗ Ặ quý khách."
)
HINDI = (
    "आपके ऑर्डर के लिए बहुत-बहुत धन्यवाद। हमें उम्मीद है कि आपको हमारी चीज़ें पसंद आएँगी "
    "और आप फिर से हमारी दुकान पर आएँगे। शुभकामनाएँ!"
)
ARABIC = "شكرًا جزيلًا على طلبك. نتمنّى أن تُعجبك منتجاتنا وأن تعود إلى متجرنا قريبًا. مع أطيب التمنيات."
LATIN = (
    "Hi Megan,\n\nThanks a million. I really hope the teapot brings you many good cups of tea. "
    "See you soon!\n\nMaya"
)


def _ink_by_line(plan) -> dict[int, list[tuple[float, float, float, float]]]:
    """Per line: the page box (left, right, bottom, top) of each drawn glyph's own outline."""
    # The hand writes the layout's lines in order, one drawn word per word of the line.
    numbers = [n for n, line in enumerate(plan.layout.lines) for _ in line.words]
    words = [word for word in plan.words if isinstance(word, Word)]
    assert len(numbers) == len(words)
    lines: dict[int, list] = {}
    for number, word in zip(numbers, words, strict=True):
        for placed in word.glyphs:
            glyph = plan.glyphs[placed.glyph]
            points = [op.points for op in glyph.outline if op.points]
            if not points:
                continue
            em = glyph.font.units_per_em
            xs = [v / em for ps in points for v in ps[0::2]]
            ys = [v / em for ps in points for v in ps[1::2]]
            corners = [(x, y) for x in (min(xs), max(xs)) for y in (min(ys), max(ys))]
            px = [placed.a * x + placed.c * y + placed.e for x, y in corners]
            py = [placed.b * x + placed.d * y + placed.f for x, y in corners]
            box = (min(px), max(px), min(py), max(py))
            lines.setdefault(number, []).append(box)
    return lines


def _touching(plan) -> list[tuple[int, tuple, tuple]]:
    lines = _ink_by_line(plan)
    found = []
    for number in sorted(lines)[:-1]:
        for above in lines[number]:
            for below in lines.get(number + 1, []):
                overlaps_x = above[0] < below[1] and below[0] < above[1]
                if overlaps_x and below[3] > above[2]:
                    found.append((number, above, below))
    return found


@pytest.mark.parametrize("realism", ["plain", "natural"])
@pytest.mark.parametrize(
    ("text", "font"),
    [(THAI, "caveat"), (VIETNAMESE, "caveat"), (HINDI, "kalam"), (ARABIC, "caveat")],
    ids=["thai-in-mali", "vietnamese", "hindi-in-kalam", "arabic"],
)
def test_no_glyph_of_a_line_touches_one_of_the_next(text, font, realism):
    renderer = Renderer(Style(card=parse_card("a7"), font=font, realism=realism, seed=3))
    for key in ("a", "b"):
        plan = renderer.plan(text, key=key)
        assert len(plan.layout.lines) >= 3, len(plan.layout.lines)
        assert not _touching(plan), _touching(plan)[:3]


def test_a_latin_note_keeps_the_fonts_leading():
    renderer = Renderer(Style(card=parse_card("a7"), seed=3))
    plan = renderer.plan(LATIN, key="a")
    layout = plan.layout
    factor = leading_factor(renderer.fonts)
    body = [line for line in layout.lines if line.role == "body"]
    assert len(body) >= 3
    for upper, lower in zip(body, body[1:], strict=False):
        assert upper.y - lower.y == pytest.approx(layout.size * factor, abs=1e-9)
