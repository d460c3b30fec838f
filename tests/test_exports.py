"""Orders -> customers, from real shop exports, and a whole sales day end to end."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from notes.codes import code_book
from notes.config import DayRules
from notes.errors import DataError
from notes.exports import (
    Address,
    Customer,
    LineItem,
    Order,
    group_customers,
    orders_on_day,
    read_orders,
)
from notes.ledger import Ledger, NoteRecord
from notes.occasions import choose_occasions

FIXTURES = Path(__file__).parent / "fixtures" / "exports"
SHOPIFY = FIXTURES / "shopify_orders.csv"
SQUARE = FIXTURES / "square_items.csv"
WOO = FIXTURES / "woocommerce_orders.csv"
GENERIC = FIXTURES / "generic_orders.csv"
DAY = date(2026, 11, 21)


def by_number(path: Path) -> dict[str, Order]:
    return {o.number: o for o in read_orders(path).orders}


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
        codes=code_book([], source="", used=set(), seed=1, prefix="THANKS"),
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
                # No order history: a first order cannot be told, so no welcome card; and a
                # note saying the first mug "arrived broken" is free text, not a complaint.
                "Sophia Martinez": "thank-you",
                "": "skip-no-name",
                "James Lee": "thank-you",
                "Mia Clark": "thank-you",
            },
        ),
        (
            SQUARE,
            {
                "Hana Sato": "loyal",
                "": "skip-no-name",
                "Trần Văn Minh": "surprise",
                "Grace Kim": "skip-refunded",
                "Leo Park": "thank-you",
            },
        ),
        (
            WOO,
            {
                "Lena Schmidt": "loyal",
                "Jonas Weber": "skip-cancelled",
                "Mia Fischer": "skip-refunded",
                "Thu Trang Phạm": "referral",
                "Felix Wagner": "thank-you",
            },
        ),
        (GENERIC, {"Chloé Dubois": "birthday", "Marco Rossi": "thank-you"}),
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
            codes=code_book(
                rules.discount_codes, source="", used=ledger.used_codes(), seed=1, prefix="THANKS"
            ),
        )
        return {d.customer.name: d for d in decisions}

    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        assert today_only(ledger, DayRules())["Lena Schmidt"].occasion == "thank-you"
        ledger.record_orders(group_customers([o for o in orders if o.day < DAY]))
        lena = today_only(ledger, DayRules())["Lena Schmidt"]
        assert lena.occasion == "loyal"
        assert lena.reason == "1 earlier order in the ledger"
        assert "order_count" not in lena.extra  # the ledger may not have seen every order

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
