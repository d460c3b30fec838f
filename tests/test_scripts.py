"""Every script and every card (issue 17): one hand per note, line breaks each script accepts,
and a hand with one physical size on every card."""

from __future__ import annotations

import math
import statistics

import pytest
from typer.testing import CliRunner

from notes.breaks import NO_LINE_START, break_units
from notes.cards import parse_card
from notes.cli import app
from notes.fonts import FontBook
from notes.layout import fit_text
from notes.lettersize import CJK_BOX_TO_X_HEIGHT
from notes.render import Renderer, Style
from tests.drawn import font_id, letters, word_letters

VIETNAMESE = "Chào chị Lan,\n\nCảm ơn chị đã ghé cửa hàng hôm nay! Hẹn gặp lại nhé.\n\nMaya"
NOTE = "Dear Ana,\n\nThank you so much for coming by the shop today. Enjoy the teapot!\n\nMaya"
MM = 25.4 / 72  # millimetres per point


def _size(letter) -> float:
    return math.hypot(letter.a, letter.b)


def test_a_vietnamese_note_is_written_in_one_font_and_the_output_says_which():
    plan = Renderer(Style(font="caveat")).plan(VIETNAMESE, key="Lan")
    assert {font_id(g.font) for g in letters(plan)} == {"playpen-sans"}
    assert plan.hand == "playpen-sans"
    assert "caveat cannot draw" in plan.notice and "playpen-sans" in plan.notice


def test_notes_write_says_the_note_is_written_in_another_font(tmp_path):
    out = tmp_path / "lan.pdf"
    result = CliRunner().invoke(app, ["write", "--text", VIETNAMESE, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "the whole note is written in playpen-sans" in result.output
    assert "playpen-sans" in result.output.splitlines()[-1]


def test_a_note_the_chosen_font_draws_stays_in_it():
    plan = Renderer(Style(font="caveat")).plan(NOTE, key="Ana")
    assert {font_id(g.font) for g in letters(plan)} == {"caveat"} and not plan.notice


@pytest.mark.parametrize(("char", "kind"), [("민", "hangul"), ("娟", "han")])
def test_cjk_fallback_is_sized_on_its_box_against_the_latin_x_height(char, kind):
    book = FontBook("caveat")
    fallback = book.font_for(char)
    box = fallback.cjk_box(kind) * fallback.scale
    assert box / book.primary.x_height == pytest.approx(CJK_BOX_TO_X_HEIGHT, rel=0.05)


def test_cjk_names_in_a_latin_note_stand_as_tall_as_the_hand_s_letters():
    # No font draws Hangul and Han together: the note falls back per character.
    # messiness 0: letters at their exact size, no per-letter spread to average out.
    plan = Renderer(Style(font="caveat", messiness=0)).plan(
        "Dear 민준 and 丽娟,\n\nThanks!", key="k"
    )
    drawn = letters(plan)
    book = FontBook("caveat")
    latin = statistics.median(_size(g) for g in drawn if g.char.isascii() and g.char.isalpha())
    for word, char, kind in (("민준", "민", "hangul"), ("丽娟,", "娟", "han")):
        fallback = book.fonts_for_word(word)[word.index(char)]  # the font of the whole word
        size = statistics.median(_size(g) for g in drawn if g.char == char)
        ratio = size * fallback.cjk_box(kind) / (latin * book.primary.x_height)
        assert ratio == pytest.approx(CJK_BOX_TO_X_HEIGHT, rel=0.03), char


THAI = "ขอบคุณสำหรับคำสั่งซื้อของคุณค่ะ หวังว่าคุณจะชอบสินค้าของเรา แล้วพบกันใหม่นะคะ"


@pytest.mark.parametrize("width", [70, 85, 100, 120, 140, 170])
def test_a_thai_word_is_never_split_across_lines(width):
    book = FontBook("mali")
    layout = fit_text(THAI * 2, book, (0, 0, width, 2000), min_size=12, max_size=12)
    words = {w for chunk in (THAI * 2).split() for w in break_units(chunk)}
    assert "สั่งซื้อ" in words and "คำ" in words  # pythainlp's dictionary found the words
    for line in layout.lines:
        for chunk in line.words:
            pieces = break_units(chunk)
            assert all(piece in words for piece in pieces), chunk
    assert "".join(w for line in layout.lines for w in line.words) == (THAI * 2).replace(" ", "")


CHINESE = "亲爱的丽娟，谢谢你的订单！我们希望你喜欢这个茶壶。「欢迎」再来！祝你一切顺利。"
JAPANESE = "マヤさん、ご注文ありがとうございました！またのご来店をお待ちしております。"


@pytest.mark.parametrize("text", [CHINESE, JAPANESE])
@pytest.mark.parametrize("width", range(60, 160, 7))
def test_cjk_lines_follow_kinsoku(text, width):
    book = FontBook("yomogi")
    layout = fit_text(text, book, (0, 0, width, 3000), min_size=12, max_size=12)
    lines = ["".join(line.words) for line in layout.lines]
    assert "".join(lines) == text
    for line in lines[1:]:
        assert line[0] not in NO_LINE_START, lines
    for line in lines[:-1]:
        assert line[-1] not in "「『（(", lines
    assert not any(line.endswith("マ") for line in lines), "a name split"


def test_a_short_cjk_name_stays_whole():
    assert break_units("丽娟，") == ["丽娟，"]
    assert break_units("マヤさん、ありがとう")[0] == "マヤさん、"
    assert break_units("マヤ、ありがとう")[0] == "マヤ、"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "田中さんへ、ご注文ありがとうございました！またのご来店をお待ちしております。",
            "田中さん",
        ),
        ("いつもありがとうございます、山本様。またのご来店をお待ちしております。", "山本様"),
        ("亲爱的丽娟：谢谢你的订单！我们希望你喜欢这个茶壶。祝你一切顺利。", "丽娟"),
    ],
)
def test_a_name_in_cjk_text_is_never_split_across_lines(text, name):
    book = FontBook("yomogi")
    for width in range(60, 200, 3):  # from a line as wide as the name
        layout = fit_text(text, book, (0, 0, width, 3000), min_size=12, max_size=12)
        lines = ["".join(line.words) for line in layout.lines]
        assert any(name in line for line in lines), (width, lines)


def _x_height_mm(plan, book: FontBook) -> float:
    latin = [_size(g) for g in letters(plan) if g.char.isascii() and g.char.isalpha()]
    return statistics.median(latin) * book.primary.x_height * MM


def test_the_same_note_has_the_same_x_height_on_a7_and_a5():
    book = FontBook("caveat")
    heights = [
        _x_height_mm(Renderer(Style(card=parse_card(card))).plan(NOTE, key="Ana"), book)
        for card in ("a7", "a6", "a5")
    ]
    assert heights[0] == pytest.approx(heights[2], rel=0.05)
    assert all(2.4 < h < 3.0 for h in heights), heights


def test_the_x_height_is_the_style_s_in_any_font():
    for font in ("caveat", "dancing-script", "kalam", "homemade-apple"):
        plan = Renderer(Style(font=font, x_height=3.2)).plan(NOTE, key="Ana")
        assert _x_height_mm(plan, FontBook(font)) == pytest.approx(3.2, rel=0.06), font


def test_a_note_too_long_for_the_card_shrinks_and_only_then():
    renderer = Renderer(Style(card=parse_card("a7")))
    short = renderer.plan(NOTE, key="Ana").layout.size
    long = renderer.plan(NOTE + " We loved having you." * 12, key="Ana").layout.size
    assert short == pytest.approx(renderer.max_size)
    assert renderer.min_size <= long < short


def test_a_short_note_is_centred_vertically():
    renderer = Renderer(Style(card=parse_card("a5")))
    plan = renderer.plan("Dear Bo,\n\nThanks!\n\nMaya", key="Bo")
    _, y0, _, height = renderer.box
    ys = [g.f for g in letters(plan)]
    top = max(ys) + plan.layout.size * 0.7  # the first line's letters above its baseline
    bottom = min(ys) - plan.layout.size * 0.3
    middle = (top + bottom) / 2
    assert middle == pytest.approx(y0 + height / 2, abs=height * 0.06)


def test_a_last_line_of_one_short_word_is_rewrapped():
    book = FontBook("caveat")
    text = "Thank you so much for the lovely order and the kind words you sent us, Ana"
    widowed = 0
    for width in range(120, 320, 4):
        layout = fit_text(text, book, (0, 0, width, 2000), min_size=14, max_size=14)
        body = [line.words for line in layout.lines]
        if len(body) >= 2 and len(body[-1]) == 1 and len(body[-1][0]) <= 4:
            widowed += 1
    assert widowed == 0


def test_line_starts_drift_steadily_down_the_card():
    plan = Renderer(Style(messiness=1.0, card=parse_card("a5"))).plan(
        "Dear Ana,\n\n" + "Thank you for the order, it made our week. " * 8 + "\n\nMaya", key="A"
    )
    starts: dict[float, float] = {}
    for word in plan.words:
        first = word_letters(plan, word)
        line = min(plan.layout.lines, key=lambda ln: abs(ln.y - first[0].f)) if first else None
        if line is not None and line.role == "body" and line.y not in starts:
            starts[line.y] = first[0].e - line.x
    margins = list(starts.values())
    assert len(margins) >= 6
    steps = [abs(b - a) for a, b in zip(margins, margins[1:], strict=False)]
    # A drift: each line starts near the one before, a small step of the whole range.
    assert max(steps) < plan.layout.size * 0.2


def _written_size(output: str) -> float:
    return float(output.strip().splitlines()[-1].rsplit(", ", 1)[1].split()[0])


def test_the_x_height_is_set_in_notes_toml_and_by_x_height(tmp_path):
    runner = CliRunner()
    config = tmp_path / "notes.toml"
    config.write_text("[style]\nx_height = 3.5\n", encoding="utf-8")
    sizes = []
    for extra in ([], ["--config", str(config)], ["--config", str(config), "--x-height", "2"]):
        out = tmp_path / f"card{len(sizes)}.pdf"
        result = runner.invoke(app, ["write", "--text", "Thanks, Bo!", "-o", str(out), *extra])
        assert result.exit_code == 0, result.output
        sizes.append(_written_size(result.output))
    assert sizes[1] == pytest.approx(sizes[0] * 3.5 / 2.7, rel=0.01)
    assert sizes[2] == pytest.approx(sizes[0] * 2 / 2.7, rel=0.01)


def test_an_x_height_out_of_range_in_notes_toml_is_an_error_naming_it(tmp_path):
    config = tmp_path / "notes.toml"
    config.write_text("[style]\nx_height = 25\n", encoding="utf-8")
    out = tmp_path / "card.pdf"
    result = CliRunner().invoke(
        app, ["write", "--text", "Thanks!", "-o", str(out), "--config", str(config)]
    )
    assert result.exit_code != 0 and "x_height" in result.output
    assert not out.exists()


def test_a_last_line_of_a_few_cjk_characters_is_rewrapped():
    book = FontBook("yomogi")
    text = "ご注文ありがとうございました！またのご来店を心よりお待ちしております。"
    for width in range(120, 240, 5):
        layout = fit_text(text, book, (0, 0, width, 2000), min_size=12, max_size=12)
        last = "".join(layout.lines[-1].words)
        assert len(layout.lines) < 2 or len(last) > 3, (width, last)


def test_thai_line_breaks_write_nothing_into_the_home_folder(tmp_path):
    import os
    import subprocess
    import sys

    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHAINLP")}
    code = "from notes.breaks import break_units; print('|'.join(break_units('ขอบคุณสำหรับคำสั่งซื้อ')))"
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "HOME": str(home), "USERPROFILE": str(home)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "ขอบคุณ|สำหรับ|คำ|สั่งซื้อ"
    assert list(home.iterdir()) == []
