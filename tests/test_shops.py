"""Shop formats: each export read from its real header row, detection, and the registry."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from notes.errors import DataError
from notes.models import Order
from notes.shops import detect_preset, read_orders
from notes.sources import read_table

FIXTURES = Path(__file__).parent / "fixtures" / "exports"
SHOPIFY = FIXTURES / "shopify_orders.csv"
SQUARE = FIXTURES / "square_items.csv"
WOO = FIXTURES / "woocommerce_orders.csv"
GENERIC = FIXTURES / "generic_orders.csv"


def by_number(path: Path) -> dict[str, Order]:
    return {o.number: o for o in read_orders(path).orders}


# --- presets ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "path, preset",
    [(SHOPIFY, "shopify"), (SQUARE, "square"), (WOO, "woocommerce"), (GENERIC, "generic")],
)
def test_preset_is_detected_from_the_header_row(path, preset):
    assert detect_preset(read_table(path).columns) == preset
    assert read_orders(path).preset == preset


def test_a_forced_preset_that_does_not_fit_says_so():
    with pytest.raises(DataError) as err:
        read_orders(SHOPIFY, preset="woocommerce")
    assert "not a woocommerce export" in err.value.message
    assert "shopify" in err.value.hint
    with pytest.raises(DataError, match="unknown preset"):
        read_orders(SHOPIFY, preset="etsy")


def test_shopify_continuation_rows_are_merged():
    orders = by_number(SHOPIFY)
    first = orders["#1001"]
    assert [(i.name, i.quantity, i.price) for i in first.items] == [
        ("Wool Socks", 2, Decimal("12.00")),
        ("Ceramic Mug", 1, Decimal("24.00")),
    ]
    assert first.total == Decimal("48.00") and first.currency == "USD"
    # The continuation row with quantity "two" is reported; the order keeps its other items.
    assert [i.name for i in orders["#1009"].items] == ["Wool Socks", "Ceramic Mug", "Linen Apron"]


def test_shopify_fields():
    orders = by_number(SHOPIFY)
    assert orders["#1001"].placed_at == datetime(
        2026, 11, 19, 10, 15, 2, tzinfo=timezone(timedelta(hours=-5))
    )
    assert orders["#1002"].name == "Nguyễn Thị Hương"
    assert orders["#1002"].address.city == "Hà Nội"
    assert orders["#1004"].partially_refunded and not orders["#1004"].refunded
    assert orders["#1004"].tags == ["refund-requested"]
    assert orders["#1005"].discount_code == "FRIEND10"
    assert orders["#1006"].cancelled
    assert orders["#1007"].refunded and not orders["#1007"].partially_refunded
    assert orders["#1011"].name == "" and orders["#1011"].address is None


def test_shopify_problems_name_the_line_and_reason():
    problems = read_orders(SHOPIFY).problems
    assert [(p.where, p.reason.split(":")[0]) for p in problems] == [
        ("shopify_orders.csv line 14", "order #1009"),
        ("shopify_orders.csv line 20", "order #1014"),
    ]
    assert "'two' is not a quantity" in problems[0].reason
    assert "'yesterday' is not a date" in problems[1].reason
    assert "#1014" not in by_number(SHOPIFY)


def test_square_groups_items_by_transaction():
    result = read_orders(SQUARE)
    orders = {o.number: o for o in result.orders}
    sale = orders["TXA1"]
    assert [(i.name, i.quantity) for i in sale.items] == [("Latte", 2), ("Croissant", 1)]
    assert sale.total == Decimal("12.75")
    assert str(sale.placed_at.tzinfo) == "America/Los_Angeles"
    assert sale.customer_id == "CUST-A1" and sale.address is None
    assert orders["TXE5"].refunded
    assert orders["TXC3"].name == ""
    reasons = [p.reason for p in result.problems]
    assert any("TXG7" in r and "not a date" in r for r in reasons)
    assert any("refund of sale TXH8" in r for r in reasons)


def test_woocommerce_orders():
    orders = by_number(WOO)
    assert orders["2043"].cancelled  # "wc-cancelled"
    assert orders["2044"].refunded  # "refunded", without the prefix
    trang = orders["2045"]
    assert trang.name == "Thu Trang Phạm" and trang.first_name == "Thu Trang"
    assert trang.discount_code == "friend5"
    assert [(i.name, i.quantity, i.price) for i in trang.items] == [
        ("Wool Socks", 3, Decimal("12.00")),
        ("Linen Apron", 1, Decimal("28.00")),
    ]
    assert trang.currency == "EUR"
    assert orders["2042"].placed_at.tzinfo is None  # WooCommerce writes the shop's local time


def test_generic_orders():
    result = read_orders(GENERIC)
    orders = {o.number: o for o in result.orders}
    assert [(i.name, i.quantity) for i in orders["G-2"].items] == [
        ("Ceramic Mug", 1),
        ("Tea Towel", 1),
    ]
    assert orders["G-1"].birthday == date(1990, 11, 28)
    assert orders["G-1"].items[0].quantity == 2
    assert [p.where for p in result.problems] == [
        "generic_orders.csv line 5",
        "generic_orders.csv line 6",
    ]


def test_generic_needs_a_date_column(tmp_path: Path):
    path = tmp_path / "orders.csv"
    path.write_text("name,email,product\nAda,ada@example.com,Mug\n", encoding="utf-8")
    with pytest.raises(DataError, match="no date column") as err:
        read_orders(path)
    assert "order_date" in err.value.hint


def test_woocommerce_and_generic_cjk_names_are_family_name_first(tmp_path: Path):
    woo = WOO.read_text(encoding="utf-8").splitlines()
    row = woo[1].replace(",Lena,Schmidt,", ",さくら,田中,")
    (tmp_path / "woo.csv").write_text("\n".join([woo[0], row]) + "\n", encoding="utf-8")
    order = read_orders(tmp_path / "woo.csv").orders[0]
    assert (order.name, order.first_name, order.last_name) == ("田中 さくら", "さくら", "田中")
    generic = tmp_path / "generic.csv"
    generic.write_text(
        "Order Number,Date,First Name,Last Name,Email\n"
        "G-1,2026-11-21,민준,김,m@example.com\nG-2,2026-11-21,Ada,Lovelace,a@example.com\n",
        encoding="utf-8",
    )
    kim, ada = read_orders(generic).orders
    assert (kim.name, kim.first_name) == ("김 민준", "민준")
    assert (ada.name, ada.first_name) == ("Ada Lovelace", "Ada")


# --- names and values, read by notes.names and notes.values --------------------------------------
def _generic(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "orders.csv"
    header = "Order Number,Date,Name,First Name,Last Name,Email,Product,Total\n"
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_names_in_an_export_keep_honorifics_out_of_the_given_name(tmp_path: Path):
    orders = by_number(
        _generic(
            tmp_path,
            [
                "G-1,2026-11-21,Mme Claire Dubois,,,c@example.fr,Mug,12.50",
                "G-2,2026-11-21,Nguyễn Văn An,,,an@example.vn,Mug,12.50",
                "G-3,2026-11-21,,Nguyễn,Thị Hương,h@example.vn,Mug,12.50",
                "G-4,2026-11-21,Mr Smith,,,s@example.com,Mug,12.50",
            ],
        )
    )
    names = {n: (o.name, o.first_name, o.last_name) for n, o in orders.items()}
    assert names["G-1"] == ("Mme Claire Dubois", "Claire", "Dubois")
    assert names["G-2"] == ("Nguyễn Văn An", "An", "Nguyễn Văn")
    assert names["G-3"] == ("Nguyễn Thị Hương", "Hương", "Nguyễn Thị")
    assert names["G-4"] == ("Mr Smith", "", "Smith")


@pytest.mark.parametrize(
    ("other", "amount"), [("12,50", Decimal("1.234")), ("12.50", Decimal("1234"))]
)
def test_an_amount_that_reads_two_ways_follows_its_column(tmp_path, other, amount):
    orders = by_number(
        _generic(
            tmp_path,
            [
                '"G-1",2026-11-21,Ana Souza,,,a@example.com,Mug,"1,234"',
                f'"G-2",2026-11-21,Bo Lee,,,b@example.com,Mug,"{other}"',
            ],
        )
    )
    assert orders["G-1"].total == amount


def test_an_amount_nothing_settles_fails_its_row_with_the_reason(tmp_path: Path):
    path = _generic(
        tmp_path,
        [
            '"G-1",2026-11-21,Ana Souza,,,a@example.com,Mug,"1,234"',
            '"G-2",2026-11-21,Bo Lee,,,b@example.com,Mug,7',
        ],
    )
    result = read_orders(path)
    assert [o.number for o in result.orders] == ["G-2"]
    (problem,) = result.problems
    assert problem.where == "orders.csv line 2"
    assert "order G-1: Total '1,234' could be 1234 or 1.234" in problem.reason
    assert "1,234.00 or 1.234,00" in problem.reason
