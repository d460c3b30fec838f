"""Shop exports -> orders -> customers, on real header rows, and a whole sales day end to end."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from notes.config import DayRules
from notes.errors import DataError
from notes.exports import (
    Address,
    Customer,
    LineItem,
    Order,
    detect_preset,
    group_customers,
    orders_on_day,
    read_orders,
)
from notes.ledger import Ledger, NoteRecord
from notes.occasions import choose_occasions, code_generator
from notes.sources import read_table

FIXTURES = Path(__file__).parent / "fixtures" / "exports"
SHOPIFY = FIXTURES / "shopify_orders.csv"
SQUARE = FIXTURES / "square_items.csv"
WOO = FIXTURES / "woocommerce_orders.csv"
GENERIC = FIXTURES / "generic_orders.csv"
DAY = date(2026, 11, 21)


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


# --- customers ----------------------------------------------------------------------------------
def test_customers_grouped_by_email_ignoring_case():
    customers = group_customers(read_orders(SHOPIFY).orders)
    emma = customers[0]
    assert emma.key == "emma.johnson@example.com"
    assert [o.number for o in emma.orders] == ["#1001", "#1003"]
    assert emma.address.lines == ["98 Oak Avenue"]  # the newest address
    assert emma.items_bought == {"Wool Socks": 3, "Ceramic Mug": 1}
    assert emma.favourite_product == "Wool Socks"
    assert emma.total_spent == Decimal("60.00")
    assert len({c.key for c in customers}) == len(customers)


def test_customers_without_email_group_by_shop_id_or_name_and_zip():
    square = group_customers(read_orders(SQUARE).orders)
    hana = next(c for c in square if c.name == "Hana Sato")
    assert len(hana.orders) == 2 and hana.key == "id:square:CUST-A1"
    generic = group_customers(read_orders(GENERIC).orders)
    assert generic[1].key == "name:marco rossi|20121"


class _CountedTime(datetime):
    """A datetime that counts how often it is compared: grouping must not compare each order
    with all of its customer's earlier ones (5 customers x 8,000 orders took 2.5 minutes)."""

    comparisons = 0

    def __ge__(self, other):
        _CountedTime.comparisons += 1
        return super().__ge__(other)

    __le__ = __lt__ = __gt__ = __ge__  # counted too; only >= is expected


def test_grouping_orders_is_linear_and_keeps_the_newest_address():
    start = datetime(2026, 1, 1)
    orders = [
        Order(
            number=str(i), placed_at=_CountedTime.fromisoformat(f"{start + timedelta(hours=i % 977)}"),
            source="generic", source_line=i + 2, email=f"customer{i % 5}@example.com",
            address=Address([f"{i} Main Street"], "Springfield", zip="12345"),
        )
        for i in range(4_000)
    ]  # fmt: skip
    _CountedTime.comparisons = 0
    customers = group_customers(orders)
    assert _CountedTime.comparisons <= len(orders)
    assert [c.key for c in customers] == [f"customer{i}@example.com" for i in range(5)]
    for customer in customers:
        newest = max(customer.orders, key=lambda o: (o.placed_at, o.source_line))
        assert customer.address is newest.address
        assert len(customer.orders) == 800


def test_favourite_product_ties_go_to_the_first_seen():
    order = Order(
        number="1",
        placed_at=datetime(2026, 11, 21),
        source="generic",
        source_line=2,
        items=[LineItem("Tea Towel", 2), LineItem("Ceramic Mug", 2)],
    )
    assert Customer("k", "A", "A", "", "", None, [order]).favourite_product == "Tea Towel"
    assert Customer("k", "A", "A", "", "", None, []).favourite_product is None


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


# --- the day ------------------------------------------------------------------------------------
def test_default_day_is_the_latest_by_local_date():
    orders = read_orders(SHOPIFY).orders
    day, todays = orders_on_day(orders)
    assert day == DAY
    # 23:30 at -05:00 is already the 22nd in UTC, but the shop's day is the 21st.
    assert "#1013" in {o.number for o in todays}
    assert {o.day for o in todays} == {DAY}


def test_a_chosen_day_and_a_day_without_orders():
    orders = read_orders(SHOPIFY).orders
    assert [o.number for o in orders_on_day(orders, date(2026, 11, 20))[1]] == ["#1002"]
    with pytest.raises(DataError) as err:
        orders_on_day(orders, date(2026, 11, 25))
    assert "2026-11-19 to 2026-11-21" in err.value.hint


def test_square_late_sale_counts_on_its_local_day():
    _, todays = orders_on_day(read_orders(SQUARE).orders)
    assert "TXF6" in {o.number for o in todays}  # 23:50 Pacific, the 22nd in UTC


def plan(path: Path, ledger: Ledger | None = None, rules: DayRules | None = None):
    orders = read_orders(path).orders
    day, todays = orders_on_day(orders)
    return choose_occasions(
        group_customers(orders),
        day_orders=todays,
        history=ledger,
        rules=rules or DayRules(),
        today=day,
        code_source=code_generator(1),
    )


@pytest.mark.parametrize(
    "path, expected",
    [
        (
            SHOPIFY,
            {
                "Emma Johnson": "loyal",
                "Liam Smith": "apology",
                "田中 さくら": "referral",
                "Olivia Brown": "skip-cancelled",
                "Noah Davis": "skip-refunded",
                "Maya Shop": "skip-test",
                "Ava Wilson": "surprise",
                "Sophia Martinez": "welcome",
                "": "skip-no-name",
                "James Lee": "apology",
                "Mia Clark": "welcome",
            },
        ),
        (
            SQUARE,
            {
                "Hana Sato": "loyal",
                "": "skip-no-name",
                "Trần Văn Minh": "surprise",
                "Grace Kim": "skip-refunded",
                "Leo Park": "welcome",
            },
        ),
        (
            WOO,
            {
                "Lena Schmidt": "loyal",
                "Jonas Weber": "skip-cancelled",
                "Mia Fischer": "skip-refunded",
                "Thu Trang Phạm": "referral",
                "Felix Wagner": "apology",
            },
        ),
        (GENERIC, {"Chloé Dubois": "birthday", "Marco Rossi": "welcome"}),
    ],
)
def test_the_right_card_for_each_customer(path, expected):
    assert {d.customer.name: d.rule for d in plan(path)} == expected


def test_a_second_run_adds_nothing_and_a_killed_run_resumes(tmp_path: Path):
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        first = [d for d in plan(SHOPIFY, ledger) if not d.skipped]
        # A run killed after the first PDF chunk: only the first three notes were recorded.
        ledger.record_notes(_records(first[:3]))
        resumed = [d for d in plan(SHOPIFY, ledger) if not d.skipped]
        assert [d.customer.key for d in resumed] == [d.customer.key for d in first[3:]]
        assert [d.occasion for d in resumed] == [d.occasion for d in first[3:]]
        ledger.record_notes(_records(resumed))
        again = plan(SHOPIFY, ledger)
        assert all(d.skipped for d in again)
        assert {d.rule for d in again if d.customer.key in {x.customer.key for x in first}} == {
            "already-noted"
        }
        assert len(ledger.history()) == len(first)


def test_returning_customer_from_the_ledger_and_codes_not_reissued(tmp_path: Path):
    orders = read_orders(WOO).orders
    todays = [o for o in orders if o.day == DAY]  # a file holding only today

    def today_only(ledger: Ledger, rules: DayRules) -> dict[str, object]:
        decisions = choose_occasions(
            group_customers(todays),
            day_orders=todays,
            history=ledger,
            rules=rules,
            today=DAY,
            code_source=code_generator(1),
        )
        return {d.customer.name: d for d in decisions}

    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        assert today_only(ledger, DayRules())["Lena Schmidt"].occasion == "thank-you"
        ledger.record_orders(group_customers([o for o in orders if o.day < DAY]))
        lena = today_only(ledger, DayRules())["Lena Schmidt"]
        assert lena.occasion == "loyal"
        assert lena.reason == "1 earlier order in the ledger"
        assert lena.extra["order_count"] == 2

        ledger.record_notes(
            [NoteRecord("x@example.com", "X", "surprise", DAY, "c.pdf", 1, "WELCOME-BACK")]
        )
        rules = DayRules(surprise_threshold=10.0, discount_codes=["WELCOME-BACK", "SPARE-1"])
        lena = today_only(ledger, rules)["Lena Schmidt"]
        assert lena.occasion == "surprise"
        assert lena.extra["discount_code"] == "SPARE-1"


def _records(decisions) -> list[NoteRecord]:
    return [
        NoteRecord(
            d.customer.key,
            d.customer.name,
            d.occasion,
            d.orders[0].day,
            "cards.pdf",
            page,
            d.extra.get("discount_code", ""),
            d.occasion,
        )
        for page, d in enumerate(decisions, 1)
    ]


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
