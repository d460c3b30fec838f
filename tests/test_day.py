"""The sales day as a library: plan, write, ledger, re-runs, re-exports, failures, sheets."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from notes.config import DayRules, Shop
from notes.customers import CustomersRead, KnownCustomer
from notes.day import check_day, default_folder, note_fields, plan_day
from notes.daywrite import UNFINISHED, write_day
from notes.errors import DataError
from notes.ledger import Ledger
from notes.ledgerpeople import import_customers
from notes.manifest import read_manifest
from notes.render import Style
from tests.pdfcheck import text_of

EXPORTS = Path(__file__).parent / "fixtures" / "exports"
SHOP = Shop(name="Juniper & Clay", sender="Maya", return_address=["Juniper & Clay", "1 Main St"])


@pytest.fixture
def ledger(tmp_path: Path):
    with Ledger(tmp_path / "ledger.sqlite3") as book:
        yield book


def plan(export: Path, ledger: Ledger | None, **kw):
    kw.setdefault("rules", DayRules())
    return plan_day(export, ledger=ledger, style=Style(), shop=SHOP, **kw)


def test_shopify_day_gives_each_customer_the_right_card(tmp_path: Path, ledger: Ledger):
    day = plan(EXPORTS / "shopify_orders.csv", ledger)
    assert str(day.day) == "2026-11-21"
    chosen = {n.name: (n.decision.occasion, n.status) for n in day.notes}
    assert chosen["Emma Johnson"] == ("loyal", "new")  # her #1001 on the 19th is in the file
    assert chosen["Liam Smith"] == ("apology", "new")
    assert chosen["田中 さくら"] == ("referral", "new")
    assert chosen["Ava Wilson"] == ("surprise", "new")
    assert chosen["Olivia Brown"] == (None, "skipped")
    assert chosen["Noah Davis"] == (None, "skipped")
    assert "Nguyễn Thị Hương" not in chosen  # she ordered on the 20th only

    result = write_day(day, tmp_path / "out", ledger=ledger)
    written = [n for n in day.notes if n.status == "written"]
    assert len(PdfReader(result.cards).pages) == len(written)
    assert len(PdfReader(result.envelopes).pages) == len(written)  # all have addresses
    rows = read_manifest(result.manifest)
    assert len(rows) == len(day.notes)
    ava = next(r for r in rows if r["customer"] == "Ava Wilson")
    assert ava["status"] == "written" and ava["discount_code"].startswith("THANKS-")
    olivia = next(r for r in rows if r["customer"] == "Olivia Brown")
    assert (olivia["status"], olivia["rule"]) == ("skipped", "skip-cancelled")
    history = ledger.history()
    assert [(h.name, h.page) for h in history] == [(n.name, n.page) for n in written]
    assert {Path(h.output_file) for h in history} == {result.cards.resolve()}
    # Page 3 is Sakura's card, in her name's script.
    assert "さくら" in text_of(PdfReader(result.cards), written.index(
        next(n for n in written if n.name == "田中 さくら")))  # fmt: skip
    assert not (tmp_path / "out" / UNFINISHED).exists()


def test_the_template_gets_what_they_bought_that_day(ledger: Ledger):
    # The shop's customers export says Emma had ordered once before: her count is known.
    emma_before = KnownCustomer(("emma.johnson@example.com",), "Emma", "", 1, date(2026, 11, 19))
    read = CustomersRead("shopify", [emma_before], [], "customers.csv")
    import_customers(ledger, read, as_of=date(2026, 11, 20))
    day = plan(EXPORTS / "shopify_orders.csv", ledger)
    ava = next(n for n in day.notes if n.name == "Ava Wilson")
    fields, extra = note_fields(ava.decision)
    # The Gift Card row's quantity 'two' is a problem in the file, so that item is left out.
    assert fields["products"] == ["wool socks", "ceramic mug", "linen apron"]
    assert [i["quantity"] for i in extra["items"]] == [3, 2, 1] and extra["item_count"] == 6
    assert fields["order_number"] == "#1009"
    assert extra["discount_code"] == ava.discount_code and extra["discount_percent"] == 15
    check_day(day)  # the cards' texts, planned without writing them
    emma = next(n for n in day.notes if n.name == "Emma Johnson")
    assert "Two orders" in emma.text and "wool socks" in emma.text  # order_count, favourite
    sakura = next(n for n in day.notes if n.name == "田中 さくら")
    assert "Emma Johnson" in note_fields(sakura.decision)[1]["referred_name"]


def test_running_the_same_day_again_writes_nothing(tmp_path: Path, ledger: Ledger):
    out = tmp_path / "out"
    first = write_day(plan(EXPORTS / "shopify_orders.csv", ledger), out, ledger=ledger)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    again = plan(EXPORTS / "shopify_orders.csv", ledger)
    assert not [n for n in again.notes if n.to_write]
    assert len(again.with_status("already-noted")) == first.recorded
    result = write_day(again, out, ledger=ledger)
    assert result.cards is None
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert len(ledger.history()) == first.recorded


def test_a_re_export_with_more_orders_goes_into_cards_2(tmp_path: Path, ledger: Ledger):
    out = tmp_path / "out"
    export = tmp_path / "orders.csv"
    shutil.copy(EXPORTS / "shopify_orders.csv", export)
    write_day(plan(export, ledger), out, ledger=ledger)
    first_cards = (out / "cards.pdf").read_bytes()
    lines = export.read_text("utf-8").splitlines()
    late = next(line for line in lines if line.startswith("#1013,")).replace("#1013", "#1020")
    late = late.replace("mia.clark@example.com", "leo.king@example.com").replace(
        "Mia Clark", "Leo King"
    )
    export.write_text("\n".join([*lines, late]) + "\n", encoding="utf-8")
    more = plan(export, ledger)
    assert [n.name for n in more.notes if n.to_write] == ["Leo King"]
    result = write_day(more, out, ledger=ledger)
    assert result.cards == out / "cards-2.pdf" and result.manifest == out / "manifest-2.csv"
    assert (out / "cards.pdf").read_bytes() == first_cards
    assert len(PdfReader(result.cards).pages) == 1
    assert "Leo" in text_of(PdfReader(result.cards), 0)
    leo = ledger.history(customer="Leo King")
    assert [(Path(h.output_file).name, h.page) for h in leo] == [("cards-2.pdf", 1)]


def test_a_day_whose_every_card_fails_writes_no_folder(tmp_path: Path):
    """Cards are planned as they are written: when none can be, nothing is left behind."""
    export = tmp_path / "orders.csv"
    export.write_text(
        "Order Number,Date,First Name,Last Name,Email,Product,Total\n"
        "2,2026-11-21,Zo\U000f0000,Ray,zo@example.com,Mug,20\n",
        encoding="utf-8",
    )
    day = plan(export, None)
    result = write_day(day, tmp_path / "out", ledger=None)
    assert result.cards is None and [n.status for n in day.notes] == ["failed"]
    assert not (tmp_path / "out").exists()


def test_a_note_that_cannot_be_written_is_reported_and_the_rest_render(tmp_path: Path):
    export = tmp_path / "orders.csv"
    export.write_text(
        "Order Number,Date,First Name,Last Name,Email,Product,Total\n"
        "1,2026-11-21,Ana,Souza,ana@example.com,Blue Teapot,20\n"
        "2,2026-11-21,Zo\U000f0000,Ray,zo@example.com,Mug,20\n"
        f"3,2026-11-21,Bea,Lima,bea@example.com,{'Very Long Mug ' * 400},20\n",
        encoding="utf-8",
    )
    day = plan(export, None)
    result = write_day(day, tmp_path / "out", ledger=None)  # planned as they are written
    failed = {n.name: n.error for n in day.with_status("failed")}
    assert "U+F0000" in failed["Zo\U000f0000 Ray"]
    assert "Bea Lima" in failed
    assert len(PdfReader(result.cards).pages) == 1
    rows = {r["customer"]: r for r in read_manifest(result.manifest)}
    assert rows["Ana Souza"]["status"] == "written"
    assert rows["Bea Lima"]["status"] == "failed" and rows["Bea Lima"]["error"]
    assert result.envelopes is None  # no addresses in this export


def test_sheets_number_pages_by_sheet(tmp_path: Path):
    day = plan(EXPORTS / "shopify_orders.csv", None)
    result = write_day(day, tmp_path / "out", ledger=None, sheet="a4")
    written = day.with_status("written")
    assert [(n.page, n.position) for n in written[:5]] == [(1, 1), (1, 2), (1, 3), (1, 4), (2, 1)]
    assert len(PdfReader(result.cards).pages) == 2


def test_reprint_keeps_the_discount_code(tmp_path: Path, ledger: Ledger):
    first = plan(EXPORTS / "shopify_orders.csv", ledger)
    code = next(n.discount_code for n in first.notes if n.name == "Ava Wilson")
    write_day(first, tmp_path / "out", ledger=ledger)
    again = plan(EXPORTS / "shopify_orders.csv", ledger, reprint=True)
    ava = next(n for n in again.notes if n.name == "Ava Wilson")
    assert ava.status == "reprint" and ava.discount_code == code
    result = write_day(again, tmp_path / "out", ledger=ledger)
    assert result.cards == tmp_path / "out" / "cards-2.pdf"
    assert len(ledger.history(customer="Ava Wilson")) == 1  # the ledger keeps the first note


@pytest.mark.parametrize(
    "name, preset, expected",
    [
        ("square_items.csv", "square", {"Hana Sato": "loyal"}),
        ("woocommerce_orders.csv", "woocommerce", {"Lena Schmidt": "loyal"}),
        ("generic_orders.csv", "generic", {"Chloé Dubois": "birthday"}),
    ],
)
def test_every_preset_writes_its_day(tmp_path: Path, name, preset, expected):
    day = plan(EXPORTS / name, None)
    assert day.preset == preset
    chosen = {n.name: n.decision.occasion for n in day.notes}
    for customer, occasion in expected.items():
        assert chosen[customer] == occasion
    result = write_day(day, tmp_path / "out", ledger=None)
    assert len(PdfReader(result.cards).pages) == len(day.with_status("written"))


def test_default_folder_is_named_after_the_day():
    day = plan(EXPORTS / "shopify_orders.csv", None)
    assert default_folder(day.day) == Path("notes-2026-11-21")


# -- a killed run, a planted marker, a run that lost the race ------------------------------------


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.name != UNFINISHED}


def leave_marker(folder: Path, ledger: Ledger, files: list[str]) -> None:
    """The marker as a run writes it before its renames; a kill leaves it behind."""
    content = {"ledger": str(ledger.path.resolve()), "files": files}
    (folder / UNFINISHED).write_text(json.dumps(content), encoding="utf-8")


def export_with_a_new_customer(tmp_path: Path) -> Path:
    export = tmp_path / "orders.csv"
    lines = (EXPORTS / "shopify_orders.csv").read_text("utf-8").splitlines()
    late = next(line for line in lines if line.startswith("#1013,")).replace("#1013", "#1020")
    late = late.replace("mia.clark@example.com", "leo.king@example.com")
    export.write_text("\n".join([*lines, late.replace("Mia Clark", "Leo King")]) + "\n", "utf-8")
    return export


def test_a_kill_after_the_ledger_commit_keeps_that_runs_files(tmp_path: Path, ledger: Ledger):
    out = tmp_path / "out"
    write_day(plan(EXPORTS / "shopify_orders.csv", ledger), out, ledger=ledger)
    before = snapshot(out)
    # Killed after the commit, before the marker was removed: the marker still names the files.
    leave_marker(out, ledger, ["cards.pdf", "envelopes.pdf", "manifest.csv"])
    result = write_day(plan(export_with_a_new_customer(tmp_path), ledger), out, ledger=ledger)
    assert result.cards == out / "cards-2.pdf"
    assert {name: data for name, data in snapshot(out).items() if name in before} == before


def test_a_killed_reprint_after_its_commit_is_kept_too(tmp_path: Path, ledger: Ledger):
    # A reprint adds no note rows (the ledger keeps the first note), only its files.
    out = tmp_path / "out"
    write_day(plan(EXPORTS / "shopify_orders.csv", ledger), out, ledger=ledger)
    write_day(plan(EXPORTS / "shopify_orders.csv", ledger, reprint=True), out, ledger=ledger)
    before = snapshot(out)
    leave_marker(out, ledger, ["cards-2.pdf", "envelopes-2.pdf", "manifest-2.csv"])
    again = write_day(
        plan(EXPORTS / "shopify_orders.csv", ledger, reprint=True), out, ledger=ledger
    )
    assert again.cards == out / "cards-3.pdf"
    assert {name: data for name, data in snapshot(out).items() if name in before} == before


@pytest.mark.parametrize(
    "listed",
    ["{victim}", "../victim.txt", "sub/../../victim.txt", "..", "cards.pdf/../../victim.txt"],
)
def test_a_planted_marker_never_deletes_other_files(tmp_path: Path, ledger: Ledger, listed):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    leave_marker(out, ledger, [listed.format(victim=victim), "notes.toml"])
    (out / "notes.toml").write_text("[shop]", encoding="utf-8")
    result = write_day(plan(EXPORTS / "shopify_orders.csv", ledger), out, ledger=ledger)
    assert result.cards == out / "cards.pdf"
    assert victim.read_text(encoding="utf-8") == "precious"
    assert (out / "notes.toml").read_text(encoding="utf-8") == "[shop]"


def test_a_marker_that_is_a_link_is_replaced_not_written_through(tmp_path: Path, ledger: Ledger):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / UNFINISHED).symlink_to(victim)
    result = write_day(plan(EXPORTS / "shopify_orders.csv", ledger), out, ledger=ledger)
    assert result.cards == out / "cards.pdf"
    assert victim.read_text(encoding="utf-8") == "precious"
    assert not (out / UNFINISHED).is_symlink() and not (out / UNFINISHED).exists()


def test_a_run_that_lost_the_race_records_nothing_and_removes_its_files(tmp_path: Path):
    path = tmp_path / "ledger.sqlite3"
    with Ledger(path) as first, Ledger(path) as second:
        one = plan(EXPORTS / "shopify_orders.csv", first)
        two = plan(EXPORTS / "shopify_orders.csv", second)  # planned before `one` was recorded
        write_day(one, tmp_path / "a", ledger=first)
        with pytest.raises(DataError) as lost:
            write_day(two, tmp_path / "b", ledger=second)
    assert "another run recorded notes for 7 of these customers" in lost.value.message
    assert "run the same command again" in lost.value.hint
    assert not (tmp_path / "b").exists()  # the folder it made is removed with its files
    with Ledger(path) as book:
        history = book.history()
    assert len(history) == 7 and {Path(h.output_file).parent.name for h in history} == {"a"}
