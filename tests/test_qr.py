"""A QR code with each customer's link on their card ([qr] in notes.toml), read back by zbar."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from notes.cards import MM, parse_card
from notes.cli import app
from notes.config import Qr
from notes.errors import ConfigError, DataError
from notes.manifest import read_manifest
from notes.qr import card_codes, qr_strokes
from tests.realparts import need_commands

EXPORTS = Path(__file__).parent / "fixtures" / "exports"
INK = (0.0, 0.06, 0.33)
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def read_codes(pdf: Path, page: int, folder: Path) -> list[str]:
    """The QR codes zbar finds on a page rendered at 300 dpi."""
    need_commands("pdftoppm", package="poppler-utils")
    need_commands("zbarimg", package="zbar-tools")
    prefix = folder / f"page{page}"
    subprocess.run(
        ["pdftoppm", "-r", "300", "-gray", "-png", "-singlefile", "-f", str(page), "-l", str(page),
         str(pdf), str(prefix)], check=True,
    )  # fmt: skip
    found = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", f"{prefix}.png"],
        capture_output=True, text=True,
    )  # fmt: skip
    return found.stdout.splitlines()


@pytest.fixture
def shop(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.toml").write_text(
        '[qr]\nurl = "https://shop.example/review?order={order_number}&n={first_name}"\n'
    )
    return tmp_path


def test_each_card_carries_its_customers_link_and_the_manifest_lists_it(shop):
    result = run(
        "day",
        EXPORTS / "shopify_orders.csv",
        "--date",
        "2026-11-21",
        "--ledger",
        "l.sqlite3",
        "-o",
        "out",
        "-q",
    )
    assert result.exit_code == 0, result.output
    rows = [r for r in read_manifest(shop / "out" / "manifest.csv") if r["status"] == "written"]
    by_name = {r["customer"]: r for r in rows}
    # Placeholders are filled URL-quoted: '#' and a Japanese given name cannot break the link.
    assert by_name["Emma Johnson"]["qr_link"] == "https://shop.example/review?order=%231003&n=Emma"
    sakura = by_name["田中 さくら"]
    assert sakura["qr_link"].endswith("?order=%231005&n=%E3%81%95%E3%81%8F%E3%82%89")
    for row in (by_name["Emma Johnson"], sakura):
        page = int(row["page"])
        assert read_codes(shop / "out" / "cards.pdf", page, shop) == [row["qr_link"]]


def test_a_card_without_the_value_a_placeholder_needs_gets_no_code(shop):
    (shop / "notes.toml").write_text('[qr]\nurl = "https://shop.example/r?code={discount_code}"\n')
    result = run(
        "day",
        EXPORTS / "shopify_orders.csv",
        "--date",
        "2026-11-21",
        "--ledger",
        "l.sqlite3",
        "-o",
        "out",
        "-q",
    )
    assert result.exit_code == 0, result.output
    rows = [r for r in read_manifest(shop / "out" / "manifest.csv") if r["status"] == "written"]
    with_code = [r for r in rows if r["discount_code"]]
    assert with_code and all(r["qr_link"].endswith(r["discount_code"]) for r in with_code)
    without = next(r for r in rows if not r["discount_code"])
    assert without["qr_link"] == ""
    assert read_codes(shop / "out" / "cards.pdf", int(without["page"]), shop) == []


def test_customer_values_are_quoted_never_read_as_placeholders_or_templates():
    codes = card_codes(Qr(url="https://s.example/r?n={first_name}&o={order_number}"),
                       parse_card("a6"), INK)  # fmt: skip
    hostile = {"first_name": "{email}&admin=1 {{ 7*7 }}", "order_number": "#1/../x?y", "email": "e"}
    assert codes.link_for(hostile) == (
        "https://s.example/r?n=%7Bemail%7D%26admin%3D1%20%7B%7B%207%2A7%20%7D%7D"
        "&o=%231%2F..%2Fx%3Fy"
    )
    assert codes.link_for({"first_name": "Ana", "order_number": "  "}) == ""


@pytest.mark.parametrize(
    "settings, words",
    [
        (Qr(url="shop.example/r"), "must be a web address"),
        (Qr(url="javascript:alert(1)"), "must be a web address"),
        (Qr(url="https://s.example/{order_number.__class__}"), "unknown placeholder"),
        (Qr(url="https://s.example/{0}"), "unknown placeholder {0}"),
        (Qr(url="https://s.example/{name"), "not part of a placeholder"),
        (Qr(url="https://s.example/", corner="middle"), "corner must be one of"),
        (Qr(url="https://s.example/", size_mm=3), "size_mm must be between 10 and 40"),
    ],
)
def test_qr_settings_are_checked_before_anything_is_laid_out(settings, words):
    with pytest.raises(ConfigError, match=words.replace("{", r"\{").replace("(", r"\(")):
        card_codes(settings, parse_card("a6"), INK)


def test_a_bad_qr_setting_stops_notes_day_with_the_file_named(shop):
    (shop / "notes.toml").write_text('[qr]\nurl = "https://s.example/{customer}"\n')
    result = run(
        "day",
        EXPORTS / "shopify_orders.csv",
        "--date",
        "2026-11-21",
        "--ledger",
        "l.sqlite3",
        "-o",
        "out",
    )
    assert result.exit_code == 1
    assert "notes.toml" in result.output and "unknown placeholder {customer}" in result.output
    assert "{order_number}" in result.output  # the hint lists the placeholders
    assert not (shop / "out").exists()


def test_the_text_is_written_clear_of_the_code():
    from notes.render import Renderer, Style

    card = parse_card("a6")
    codes = card_codes(Qr(url="https://s.example/r"), card, INK)
    renderer = Renderer(Style(card=card))
    renderer.box = codes.room(renderer.box)
    plan = renderer.plan("Dear Ana,\n" + "thank you so much for the teapot! " * 12, key="ana")
    lowest = min(glyph.f for word in plan.words for glyph in word.glyphs)  # baselines
    _, bottom = codes.origin
    assert lowest > bottom + codes.size + 4 * codes.size / 21


def test_the_code_is_in_its_corner_as_strokes_of_the_ink():
    card = parse_card("a6")
    codes = card_codes(Qr(url="https://s.example/r", corner="top-right", size_mm=20), card, INK)
    strokes = codes.strokes_for("https://s.example/r?o=1")
    assert {s.colour for s in strokes} == {INK} and len({s.width for s in strokes}) == 1
    module = strokes[0].width
    xs = [x for s in strokes for op in s.path for x in op.points[0::2]]
    ys = [y for s in strokes for op in s.path for y in op.points[1::2]]
    right, top = max(xs), max(ys) + module / 2
    assert card.width - 12 * MM < right < card.width and card.height - 12 * MM < top < card.height
    assert right - min(xs) == pytest.approx(20 * MM) and top - min(ys) + module / 2 == (
        pytest.approx(20 * MM)
    )


@pytest.mark.parametrize("size", ["a7", "a6", "3.5x5in", "a5"])
@pytest.mark.parametrize("corner", ["bottom-left", "bottom-right", "top-left", "top-right"])
def test_the_code_is_where_a_desktop_printer_can_print(size, corner):
    # On A6 it began 4.5 mm from the edges: inside the 5 mm most printers leave blank.
    card = parse_card(size)
    codes = card_codes(Qr(url="https://s.example/r", corner=corner, size_mm=14), card, INK)
    strokes = codes.strokes_for("https://s.example/r?o=1")
    half = strokes[0].width / 2  # rows are strokes along y's centres: half a module past them
    xs = [x for s in strokes for op in s.path for x in op.points[0::2]]
    ys = [y for s in strokes for op in s.path for y in op.points[1::2]]
    assert min(xs) >= 5 * MM - 0.01 and max(xs) <= card.width - 5 * MM + 0.01
    assert min(ys) - half >= 5 * MM - 0.01 and max(ys) + half <= card.height - 5 * MM + 0.01


def test_a_link_too_long_for_a_small_code_is_a_data_error_of_that_card():
    with pytest.raises(DataError, match="too long") as caught:
        qr_strokes("https://s.example/?" + "x" * 900, (0, 0), 16 * MM, INK)
    assert "larger size_mm" in caught.value.hint
