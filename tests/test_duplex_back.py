"""`notes merge --duplex` prints a back out of the box: the built-in back.j2 of each language
(the shop's name and address under a short line), or the shop's own back beside its template."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from notes.cli import app
from notes.config import Shop
from notes.context import shop_context
from notes.templates import BACK_TEMPLATE, occasions, templates_dir
from notes.templating import list_templates, load_template, render_text

runner = CliRunner()
SHOP_TOML = """[shop]
name = "Maya's Pottery"
sender = "Maya"
locale = "{locale}"
return_address = ["Maya's Pottery", "12 Market Street", "Portland, OR 97201"]
"""
LANGUAGES = sorted(p.parent.name for p in templates_dir().glob("*/thank-you.j2"))


def _merge(folder: Path, *args: str, locale: str = "en_US") -> list[str]:
    """Merge two customers with --duplex; the text of every page."""
    (folder / "notes.toml").write_text(SHOP_TOML.format(locale=locale), encoding="utf-8")
    (folder / "c.csv").write_text("name,product\nAna Souza,teapot\nBo Li,mug\n", encoding="utf-8")
    out = folder / "cards.pdf"
    result = runner.invoke(
        app,
        ["merge", str(folder / "c.csv"), "--config", str(folder / "notes.toml"), "-o", str(out),
         "--duplex", "-q", "--force", *args],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return [" ".join(page.extract_text().split()) for page in PdfReader(out).pages]


def test_a_bundled_template_prints_the_built_in_back_out_of_the_box(tmp_path):
    pages = _merge(tmp_path, "-t", "thank-you")
    assert len(pages) == 4  # front, back, front, back
    fronts, backs = pages[0::2], pages[1::2]
    assert all("Maya's Pottery" not in front for front in fronts)
    for back in backs:
        assert "Thank you for supporting a small shop!" in back
        assert "Maya's Pottery 12 Market Street Portland, OR 97201" in back
        assert back.count("Maya's Pottery") == 1  # the address's first line repeats the name


def test_an_own_template_gets_the_back_in_the_shops_language(tmp_path):
    shutil.copy(load_template("thank-you").path, tmp_path / "thanks.j2")
    pages = _merge(tmp_path, "-t", str(tmp_path / "thanks.j2"), locale="de_DE")
    assert "Danke, dass du einen kleinen Laden unterstützt!" in pages[1]


def test_the_shops_own_back_beside_its_templates_wins(tmp_path):
    folder = tmp_path / "my-cards"
    init = runner.invoke(app, ["init", str(tmp_path / "x.toml"), "--templates", str(folder)])
    assert init.exit_code == 0, init.output
    assert "back.j2" in init.output and "--duplex" in init.output
    back = folder / "back.j2"
    assert back.read_text(encoding="utf-8") == (templates_dir() / "en/back.j2").read_text("utf-8")
    back.write_text("See you at the Saturday market!\n\n{{ shop.name }}\n", encoding="utf-8")
    pages = _merge(tmp_path, "-t", str(folder / "thank-you.j2"))
    assert "See you at the Saturday market!" in pages[1]
    assert "supporting a small shop" not in pages[1]
    # thank-you.back.j2 is that template's own back, before the folder's back.j2
    (folder / "thank-you.back.j2").write_text("Just for thanks.\n", encoding="utf-8")
    assert "Just for thanks." in _merge(tmp_path, "-t", str(folder / "thank-you.j2"))[1]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_ships_a_back_with_the_shops_name_and_address(language):
    info = load_template(str(templates_dir() / language / f"{BACK_TEMPLATE}.j2"))
    assert not info.required  # it reads only the shop: any table can have it
    context = {"shop": shop_context(Shop(name="Atelier Lune", return_address=["1 Rue X"]))}
    text = render_text(info, context, seed=1, recipient_key="r")
    lines = text.splitlines()
    assert lines[-2:] == ["Atelier Lune", "1 Rue X"] and len(lines[0]) > 15
    bare = render_text(info, {"shop": shop_context(Shop(name="Atelier Lune"))}, seed=1,
                       recipient_key="r")  # fmt: skip
    assert bare.splitlines()[-1] == "Atelier Lune"  # no address: no empty line for it


def test_the_back_is_a_side_of_a_card_not_an_occasion():
    assert BACK_TEMPLATE not in occasions()
    assert all(info.name != BACK_TEMPLATE for info in list_templates())
    listed = runner.invoke(app, ["templates"])
    assert listed.exit_code == 0 and "back" not in listed.output.split()
