"""The demo export: the shop systems' real formats, every role present, re-runnable."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from notes.demo import DEMO_MARK, make_orders, run_demo, write_export
from notes.errors import OutputError, UsageError
from notes.exports import read_orders
from notes.ledger import Ledger, NoteRecord
from notes.manifest import read_manifest

DAY = date(2026, 11, 21)


@pytest.mark.parametrize("preset", ["shopify", "square", "woocommerce", "generic"])
def test_each_preset_reads_back_as_that_shop_system(tmp_path: Path, preset: str):
    orders = make_orders(customers=12, locale="en_US", seed=1, day=DAY)
    path = write_export(tmp_path / f"{preset}.csv", orders, preset)
    read = read_orders(path)  # auto-detected from the header row
    assert read.preset == preset
    assert read.problems == []
    days = {o.day for o in read.orders}
    assert DAY in days and min(days) < DAY  # returning customers ordered before
    assert any(len(o.items) > 1 for o in read.orders)
    # Given and family name, whichever order the platform writes them in.
    names = {(o.first_name, o.last_name) for o in read.orders}
    assert ("さくら", "田中") in names
    assert ("Hương", "Nguyễn Thị") in names
    assert any(o.refunded for o in read.orders)
    if preset != "square":  # counter sales cannot be cancelled, only refunded
        assert any(o.cancelled for o in read.orders)


def test_the_demo_day_shows_every_occasion_and_skip(tmp_path: Path):
    report = run_demo(tmp_path / "demo", day=DAY, preset="woocommerce")
    rows = {r["customer"]: r for r in read_manifest(report.result.manifest)}
    by_rule = {r["rule"] for r in rows.values()}
    assert {"loyal", "apology", "referral", "surprise", "welcome", "birthday"} <= by_rule
    assert {"skip-cancelled", "skip-refunded"} <= by_rule
    written = [r for r in rows.values() if r["status"] == "written"]
    assert len(PdfReader(report.result.cards).pages) == len(written)
    assert report.ledger == tmp_path / "demo" / "ledger.sqlite3"
    card, envelope = report.previews
    assert Image.open(card).size[0] > 200 and envelope.name == "preview-envelope.png"


def test_the_demo_runs_again_from_scratch_and_leaves_other_files(tmp_path: Path):
    folder = tmp_path / "demo"
    first = run_demo(folder, day=DAY, customers=8).result.cards.read_bytes()
    assert (folder / DEMO_MARK).is_file()
    (folder / "my-notes.txt").write_text("keep me", encoding="utf-8")
    (folder / "manifest-for-accountant.csv").write_text("mine", encoding="utf-8")
    second = run_demo(folder, day=DAY, customers=8)
    assert second.result.cards == folder / "cards.pdf"  # not cards-2.pdf, not "nothing new"
    assert second.result.cards.read_bytes() == first  # seeded
    run_demo(folder, day=DAY, customers=8, preset="generic")
    assert not (folder / "shopify-orders.csv").exists()  # the earlier demo's own export went
    assert (folder / "my-notes.txt").read_text(encoding="utf-8") == "keep me"
    assert (folder / "manifest-for-accountant.csv").read_text(encoding="utf-8") == "mine"
    assert not (folder / "ledger.sqlite3.lock").exists()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def shop_folder(tmp_path: Path) -> Path:
    """A real shop's folder: its export, a file for the accountant, a ledger with history."""
    shop = tmp_path / "shop"
    shop.mkdir()
    orders = make_orders(customers=5, locale="en_US", seed=9, day=DAY)
    write_export(shop / "shopify-orders.csv", orders, "shopify")
    (shop / "manifest-for-accountant.csv").write_text("invoice,total\n17,120.00\n", "utf-8")
    (shop / "cards-christmas.pdf").write_bytes(b"%PDF-1.4 last year's cards")
    with Ledger(shop / "ledger.sqlite3") as ledger:
        ledger.record_notes(
            NoteRecord(f"c{i}@example.com", f"Customer {i}", "thank-you", DAY, "cards.pdf", i)
            for i in range(1, 149)
        )
    return shop


def test_the_demo_never_touches_a_folder_it_did_not_make(shop_folder: Path):
    before = snapshot(shop_folder)
    with pytest.raises(OutputError) as refused:
        run_demo(shop_folder, day=DAY, customers=3)
    assert "already holds files" in refused.value.message
    assert refused.value.where == str(shop_folder) and "notes demo -o" in refused.value.hint
    assert snapshot(shop_folder) == before
    with Ledger(shop_folder / "ledger.sqlite3") as ledger:
        assert len(ledger.history()) == 148


def test_a_planted_link_is_not_the_demo_mark(tmp_path: Path):
    folder = tmp_path / "shop"
    folder.mkdir()
    (tmp_path / "elsewhere").write_text("x", encoding="utf-8")
    (folder / DEMO_MARK).symlink_to(tmp_path / "elsewhere")
    (folder / "cards.pdf").write_bytes(b"%PDF- the shop's own")
    with pytest.raises(OutputError):
        run_demo(folder, day=DAY, customers=3)
    assert (folder / "cards.pdf").read_bytes() == b"%PDF- the shop's own"


def test_an_empty_folder_becomes_the_demo_folder(tmp_path: Path):
    folder = tmp_path / "empty"
    folder.mkdir()
    report = run_demo(folder, day=DAY, customers=2)
    assert report.result.cards == folder / "cards.pdf" and (folder / DEMO_MARK).is_file()


def test_locale_and_seed_change_the_customers(tmp_path: Path):
    german = make_orders(customers=12, locale="de_DE", seed=1, day=DAY)
    assert {o.person.country for o in german} >= {"DE", "VN", "JP"}
    other = make_orders(customers=12, locale="de_DE", seed=2, day=DAY)
    assert [o.person.full for o in german] != [o.person.full for o in other]
    with pytest.raises(UsageError, match="unknown locale"):
        make_orders(customers=3, locale="xx_YY", seed=1, day=DAY)


def test_a_few_customers_still_work(tmp_path: Path):
    report = run_demo(tmp_path / "demo", day=DAY, customers=1)
    assert report.result.cards is not None
