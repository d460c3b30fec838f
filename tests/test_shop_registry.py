"""The shop-format registry: a format from outside notes (tests/etsyshop.py) becomes readable by
`notes day` and writable by the demo through the `notes.shops` entry point group, as an
installed package's would; notes/ is not edited. Names are unique, a broken plugin is a
ConfigError, and the shops package imports without cycles."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from notes.cli import app
from notes.demo import make_orders, write_export
from notes.errors import ConfigError
from notes.shops import ShopFormat, find_shop_format, read_orders, register_shop_format

runner = CliRunner()
ETSY_EXPORT = """Sale Date,Order ID,Buyer User ID,Full Name,Street 1,Ship City,Ship State,Ship Zipcode,Ship Country,Items,Order Total,Status
11/20/26,3101,u-77,Ada Lovelace,12 Elm St,Portland,OR,97201,US,Ceramic Mug,24.00,Paid
11/21/26,3102,u-77,Ada Lovelace,12 Elm St,Portland,OR,97201,US,Wool Socks; Tea Towel,21.00,Paid
11/21/26,3103,u-78,Grace Hopper,5 Oak Ave,Arlington,VA,22201,US,Linen Apron,38.00,Paid
11/21/26,3104,u-79,Alan Turing,1 Bay Rd,Boston,MA,02134,US,Hand Cream,14.00,Canceled
"""


def install_plugin(
    site: Path, entry_point: str, package: str = "etsy-like-notes", kind: str = "dist-info"
) -> None:
    """What pip leaves for a package declaring [project.entry-points."notes.shops"] (an
    egg-info folder: what `setup.py develop` leaves)."""
    info = site / f"{package.replace('-', '_')}-1.0.{kind}"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {package}\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(f"[notes.shops]\n{entry_point}\n", encoding="utf-8")


@pytest.fixture
def etsy_plugin(tmp_path, monkeypatch):
    install_plugin(tmp_path / "site", "etsy-like = tests.etsyshop:ETSY_LIKE")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))  # gone again after the test


@pytest.fixture
def etsy_export(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "EtsySoldOrders.csv"
    path.write_text(ETSY_EXPORT, encoding="utf-8")
    return path


def test_notes_day_reads_a_format_a_plugin_adds(etsy_plugin, etsy_export):
    help_text = runner.invoke(app, ["day", "--help"]).output
    assert "etsy-like (an Etsy-like Sold Orders CSV)" in " ".join(help_text.split())
    result = runner.invoke(
        app,
        [
            "day",
            str(etsy_export),
            "--ledger",
            "ledger.sqlite3",
            "-o",
            "out",
            "--explain",
            "--date",
            "2026-11-21",
        ],  # fmt: skip
    )
    assert result.exit_code == 0, result.output
    assert "2026-11-21 from EtsySoldOrders.csv (etsy-like)" in result.output
    assert "Alan Turing: order 3104 was cancelled" in result.output
    assert "wrote 2 notes:" in result.output
    assert len(PdfReader(etsy_export.parent / "out" / "cards.pdf").pages) == 2
    manifest = (etsy_export.parent / "out" / "manifest.csv").read_text(encoding="utf-8")
    assert "Ada Lovelace" in manifest and "Grace Hopper" in manifest
    forced = runner.invoke(
        app, ["day", str(etsy_export), "--preset", "etsy-like", "--ledger", "l2.sqlite3",
              "--dry-run"],
    )  # fmt: skip
    assert forced.exit_code == 0 and "would write 2 notes" in forced.output, forced.output


@pytest.mark.parametrize("kind", ["dist-info", "egg-info"])
def test_a_merge_refuses_an_export_a_plugin_format_claims(kind, etsy_export, monkeypatch):
    # The merge looks for plugins without importlib.metadata when none is declared: one that is
    # is found all the same, and its format's export refused as a built-in format's is.
    install_plugin(etsy_export.parent / "site", "etsy-like = tests.etsyshop:ETSY_LIKE", kind=kind)
    monkeypatch.syspath_prepend(str(etsy_export.parent / "site"))
    result = runner.invoke(app, ["merge", str(etsy_export), "-t", "thank-you", "--dry-run"])
    assert result.exit_code == 1, result.output
    assert "this is a an Etsy-like Sold Orders CSV orders export" in result.output
    assert f"notes day {etsy_export}" in result.output


def test_a_plugin_is_found_in_a_folder_put_on_the_path_as_a_path(etsy_export, monkeypatch):
    # sys.path may hold Path objects (importlib.metadata reads them): so may the look for plugins.
    install_plugin(etsy_export.parent / "site", "etsy-like = tests.etsyshop:ETSY_LIKE")
    monkeypatch.setattr(sys, "path", [etsy_export.parent / "site", *sys.path])
    assert read_orders(etsy_export).preset == "etsy-like"


def test_without_the_plugin_the_same_export_is_not_read(etsy_export):
    assert find_shop_format("etsy-like") is None
    result = runner.invoke(app, ["day", str(etsy_export), "--ledger", "l.sqlite3", "--dry-run"])
    assert result.exit_code != 0 and "no date column" in result.output  # read as generic
    result = runner.invoke(app, ["day", str(etsy_export), "--preset", "etsy-like"])
    assert result.exit_code != 0 and "unknown preset 'etsy-like'" in result.output


def test_the_demo_writes_a_plugin_format_that_reads_back(etsy_plugin, tmp_path):
    orders = make_orders(customers=6, locale="en_US", seed=1, day=date(2026, 11, 21))
    export = write_export(tmp_path / "etsy-like-orders.csv", orders, "etsy-like")
    read = read_orders(export)
    assert read.preset == "etsy-like" and not read.problems
    assert [o.number for o in read.orders] == [o.number for o in orders]
    assert "etsy-like" in runner.invoke(app, ["demo", "--help"]).output


def test_a_plugin_that_cannot_load_is_an_error_that_names_it(tmp_path, monkeypatch):
    install_plugin(tmp_path / "site", "etsy-like = tests.etsyshop:NO_SUCH_FORMAT", "broken-shop")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    shopify_export = Path(__file__).parent / "fixtures" / "exports" / "shopify_orders.csv"
    with pytest.raises(ConfigError) as err:
        read_orders(shopify_export)
    assert "'etsy-like' of broken-shop cannot be loaded" in err.value.message
    assert "reinstall broken-shop, or uninstall it" in err.value.hint
    result = runner.invoke(app, ["day", str(shopify_export), "--dry-run"])
    assert result.exit_code != 0 and "broken-shop" in result.output
    assert "Traceback" not in result.output
    assert "no list:" in runner.invoke(app, ["day", "--help"]).output  # help still shows


def test_a_name_is_taken_once(tmp_path, monkeypatch):
    shopify = find_shop_format("shopify")
    assert register_shop_format(shopify) is shopify  # the same format again: nothing changes
    with pytest.raises(ConfigError, match="'shopify' is already registered"):
        register_shop_format(ShopFormat("shopify", (), shopify.read))
    with pytest.raises(ConfigError, match="is not a ShopFormat"):
        register_shop_format("etsy")
    install_plugin(tmp_path / "site", "shopify = twin_shop:TWIN", "twin-shop")
    (tmp_path / "site" / "twin_shop.py").write_text(
        "from notes.shops import ShopFormat\nfrom notes.shops.shopify import read_shopify\n"
        "TWIN = ShopFormat('shopify', (), read_shopify)\n",
        encoding="utf-8",
    )
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    with pytest.raises(ConfigError, match="of twin-shop has the name of another format"):
        find_shop_format("shopify")


def test_each_module_imports_alone_without_a_cycle():
    """Every notes module imported first in a clean slate (as in a fresh interpreter); the shop
    formats need neither notes.exports nor the demo."""
    code = """
import importlib, pkgutil, sys
import notes
names = [m.name for m in pkgutil.walk_packages(notes.__path__, "notes.") if m.name != "notes.__main__"]
def fresh():
    for loaded in [n for n in sys.modules if n == "notes" or n.startswith("notes.")]:
        del sys.modules[loaded]
for name in names:
    fresh()
    importlib.import_module(name)
fresh()
import notes.shops
assert not {"notes.exports", "notes.shopformats", "notes.demo"} & set(sys.modules), sys.modules
print(len(names))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 50


def test_the_built_in_formats_are_tried_first_whenever_they_are_loaded():
    # Their readers are imported when a format is first listed, read or registered: a format
    # registered first, in a fresh interpreter, still comes after them.
    code = """
from notes.shops import ShopFormat, detect_preset, register_shop_format, shop_formats
from notes.shops.generic import read_generic
shopify = ["Name", "Financial Status", "Created at", "Lineitem name", "Lineitem quantity"]
assert detect_preset(shopify) == "shopify" and detect_preset(["Name", "Product"]) == "generic"
register_shop_format(ShopFormat("mine", ("Name",), read_generic))
print(detect_preset(shopify), detect_preset(["Name", "Product"]), *(f.name for f in shop_formats()))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        "shopify",
        "mine",
        "shopify",
        "square",
        "woocommerce",
        "generic",
        "mine",
    ]


def test_a_plugin_taking_a_built_in_name_is_refused_before_the_built_ins_are_loaded(tmp_path):
    install_plugin(tmp_path / "site", "shopify = twin_shop:TWIN", "twin-shop")
    (tmp_path / "site" / "twin_shop.py").write_text(
        "from notes.shops import ShopFormat\nfrom notes.shops.generic import read_generic\n"
        "TWIN = ShopFormat('shopify', ('Name',), read_generic)\n",
        encoding="utf-8",
    )
    code = f"""
import sys
sys.path.insert(0, {str(tmp_path / "site")!r})
from notes.errors import ConfigError
from notes.shops import detect_preset
try:
    detect_preset(["Name", "Product"])
except ConfigError as exc:
    print(exc.message)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "of twin-shop has the name of another format" in done.stdout
