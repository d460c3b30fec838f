"""Choosing the card: every skip reason and every occasion rule, with and without a ledger."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notes.codes import CODE_ALPHABET, CodeBook, code_book, code_generator
from notes.config import DayRules
from notes.customers import CustomersRead, KnownCustomer
from notes.exports import Address, LineItem, Order, group_customers
from notes.ledger import Ledger, NoteRecord
from notes.ledgerpeople import import_customers
from notes.occasions import choose_occasions, days_until_birthday, usable_name

DAY = date(2026, 11, 21)
ZONE = timezone(timedelta(hours=-5))
_numbers = iter(range(1000, 100000))


def order(day: date = DAY, **fields) -> Order:
    values = dict(
        number=f"#{next(_numbers)}",
        placed_at=datetime(day.year, day.month, day.day, 12, 0, tzinfo=ZONE),
        source="shopify",
        source_line=2,
        email="emma@example.com",
        name="Emma Johnson",
        first_name="Emma",
        address=Address(["12 Elm Street"], "Portland", "OR", "97201", "US"),
        items=[LineItem("Wool Socks", 1, Decimal("12.00"))],
        total=Decimal("12.00"),
    )
    values.update(fields)
    return Order(**values)


def book(rules: DayRules, ledger: Ledger | None = None) -> CodeBook:
    used = ledger.used_codes() if ledger is not None else set()
    return code_book(rules.discount_codes, source="notes.toml", used=used, seed=7, prefix="THANKS")


def decide(*orders: Order, ledger: Ledger | None = None, rules: DayRules | None = None, **kw):
    day_orders = [o for o in orders if o.day == DAY]
    rules = rules or DayRules()
    decisions = choose_occasions(
        group_customers(orders),
        day_orders=day_orders,
        history=ledger,
        rules=rules,
        today=kw.get("today", DAY),
        codes=kw.get("codes") or book(rules, ledger),
        do_not_contact=kw.get("do_not_contact"),
    )
    return decisions


def one(*orders: Order, **kw):
    (decision,) = decide(*orders, **kw)
    return decision


@pytest.fixture
def ledger(tmp_path: Path):
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        yield ledger


# --- skips ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "fields, rule, words",
    [
        (dict(tags=["test"]), "skip-test", "tagged 'test'"),
        (dict(email="test+1@shop.com"), "skip-test", "looks like a test"),
        (dict(cancelled=True), "skip-cancelled", "was cancelled"),
        (dict(refunded=True), "skip-refunded", "refunded in full"),
        (dict(name=""), "skip-no-name", "no usable customer name"),
        (dict(name="emma@example.com"), "skip-no-name", "only 'emma@example.com'"),
        (dict(name="  --- "), "skip-no-name", "no usable customer name"),
    ],
)
def test_skip_reasons(fields, rule, words):
    decision = one(order(**fields))
    assert decision.skipped and decision.occasion is None
    assert decision.rule == rule
    assert words in decision.reason


def test_a_surname_like_testa_is_not_a_test_order():
    decision = one(order(email="maria.testa@example.it", name="Maria Testa", tags=["latest"]))
    assert not decision.skipped


def test_one_good_order_is_enough_when_another_was_cancelled():
    decision = one(order(cancelled=True), order())
    assert decision.occasion is not None
    assert len(decision.orders) == 1


def test_only_customers_with_orders_that_day_get_a_decision():
    decisions = decide(order(DAY - timedelta(days=1), email="liam@example.com"), order())
    assert [d.customer.email for d in decisions] == ["emma@example.com"]


@pytest.mark.parametrize("name", ["Nguyễn Thị Hương", "田中 さくら", "O'Brien", "Zoë"])
def test_names_in_any_script_are_usable(name):
    assert usable_name(name)


# --- occasions ---------------------------------------------------------------------------------
def test_apology_from_a_tag():
    decision = one(order(number="#1004", tags=["refund-requested"]))
    assert (decision.occasion, decision.rule) == ("apology", "apology")
    assert decision.reason == "order #1004 tagged 'refund-requested'"


def test_apology_from_a_partial_refund_says_it_was_partial():
    partial = one(order(partially_refunded=True, refunded_amount=Decimal("9.00")))
    assert partial.occasion == "apology"
    assert "partially refunded (9.00)" in partial.reason
    assert partial.extra["partial_refund"] is True
    assert partial.extra["refunded_amount"] == Decimal("9.00")


def test_apology_beats_a_big_order():
    assert one(order(total=Decimal("500"), tags=["damaged"])).occasion == "apology"


@pytest.mark.parametrize(
    "fields",
    [
        dict(discount_code="FRIEND10"),
        dict(tags=["referral"]),
        dict(attributes={"referred_by": "Ana Souza"}),
    ],
)
def test_referral_from_facts(fields):
    assert one(order(**fields)).occasion == "referral"


def test_referral_names_who_referred_from_the_note_attribute():
    decision = one(order(attributes={"referred_by": "Nguyễn Thị Hương"}))
    assert decision.extra["referred_name"] == "Nguyễn Thị Hương"
    assert (
        decision.reason
        == f"{decision.orders[0].label} note attribute referred_by: Nguyễn Thị Hương"
    )


@pytest.mark.parametrize(
    "note",
    [
        "This is a gift for a friend",
        "Sorry for the late reply",
        "Referred by Ana",
        "The mug arrived broken",
        "TEST order, please ignore",
        "Please refund the shipping if it is late",
    ],
)
def test_free_text_never_changes_the_card_by_default(note):
    decision = one(order(note=note))
    assert (decision.occasion, decision.rule) == ("thank-you", "thank-you")
    assert "order count unknown" in decision.reason


def test_phrases_the_shop_opts_into_are_read_from_the_note():
    rules = DayRules(
        referral_phrases=["referred by"], apology_phrases=["arrived broken"],
        test_phrases=["test order"],
    )  # fmt: skip
    referral = one(order(note="Referred by Ana. Thanks!"), rules=rules)
    assert referral.occasion == "referral" and referral.extra["referred_name"] == "Ana"
    assert "(referral_phrases)" in referral.reason
    assert one(order(note="The mug arrived broken"), rules=rules).occasion == "apology"
    assert one(order(note="TEST order, please ignore"), rules=rules).rule == "skip-test"
    assert one(order(note="This is a gift for a friend"), rules=rules).occasion == "thank-you"


def test_birthday_within_the_window():
    decision = one(order(birthday=date(1990, 11, 28)))
    assert decision.occasion == "birthday"
    assert decision.extra["days_until_birthday"] == 7
    assert one(order(birthday=date(1990, 12, 28))).occasion != "birthday"
    narrow = DayRules(birthday_window_days=3)
    assert one(order(birthday=date(1990, 11, 28)), rules=narrow).occasion != "birthday"


def test_days_until_birthday_wraps_the_year_and_handles_29_february():
    assert days_until_birthday(date(1990, 1, 2), date(2026, 12, 31)) == 2
    assert days_until_birthday(date(2000, 2, 29), date(2027, 2, 27)) == 1
    assert days_until_birthday(date(2000, 2, 29), date(2028, 2, 27)) == 2
    assert days_until_birthday(date(1990, 11, 21), DAY) == 0


def test_surprise_hands_out_configured_codes_in_order():
    rules = DayRules(discount_codes=["GIFT-A", "GIFT-B"], discount_percent=20)
    decisions = decide(
        order(total=Decimal("142.00")),
        order(total=Decimal("150.00"), email="liam@example.com", name="Liam Smith"),
        order(total=Decimal("100.00"), email="ava@example.com", name="Ava Wilson"),
        rules=rules,
    )
    assert [d.occasion for d in decisions] == ["surprise", "surprise", "thank-you"]
    assert [d.extra.get("discount_code") for d in decisions] == ["GIFT-A", "GIFT-B", None]
    assert decisions[0].extra["discount_percent"] == 20
    assert "above 100" in decisions[0].reason


def test_used_codes_are_not_reissued_and_no_surprise_without_a_code(ledger: Ledger):
    ledger.record_notes(
        [NoteRecord("old@example.com", "Old", "surprise", DAY - timedelta(1), "c.pdf", 1, "GIFT-A")]
    )
    rules = DayRules(discount_codes=["GIFT-A", "GIFT-B"])
    decisions = decide(
        order(total=Decimal("142")),
        order(total=Decimal("142"), email="liam@example.com", name="Liam Smith"),
        ledger=ledger,
        rules=rules,
    )
    assert decisions[0].extra["discount_code"] == "GIFT-B"
    # The given codes are used up: no invented code, no surprise card, and the reason says so.
    liam = decisions[1]
    assert liam.occasion == "thank-you" and "discount_code" not in liam.extra
    assert "no surprise card although order" in liam.reason
    assert "every discount code in notes.toml is used (2 codes)" in liam.reason
    assert liam.passed_over


def test_generated_codes_skip_codes_already_used(ledger: Ledger):
    first = code_generator(7)()
    ledger.record_notes(
        [NoteRecord("old@example.com", "Old", "surprise", DAY - timedelta(1), "c.pdf", 1, first)]
    )
    decision = one(order(total=Decimal("142")), ledger=ledger)
    assert decision.extra["discount_code"] not in {first, ""}


@given(st.integers())
def test_code_generator_is_deterministic_and_readable(seed):
    a, b = code_generator(seed), code_generator(seed)
    codes = [a() for _ in range(3)]
    assert codes == [b() for _ in range(3)]
    for code in codes:
        prefix, body = code.split("-")
        assert prefix == "THANKS" and len(body) == 4 and set(body) <= set(CODE_ALPHABET)


def test_loyal_from_earlier_orders_in_the_file():
    decision = one(order(DAY - timedelta(days=2), number="#1001"), order(number="#1003"))
    assert decision.occasion == "loyal"
    assert "#1001" in decision.reason
    # The file shows one earlier order, not how many there were: no count is claimed.
    assert "order_count" not in decision.extra and decision.extra["returning"] is True


def test_loyal_from_the_ledger(ledger: Ledger):
    earlier = group_customers([order(DAY - timedelta(days=30))])
    ledger.record_orders(earlier)
    decision = one(order(), ledger=ledger)
    assert decision.occasion == "loyal"
    assert "1 earlier order in the ledger" in decision.reason


def test_a_customer_new_to_the_ledger_is_not_welcomed_without_a_customers_export(ledger):
    ledger.record_orders(group_customers([order(DAY - timedelta(days=3), email="x@example.com")]))
    decision = one(order(), ledger=ledger)
    assert decision.occasion == "thank-you"
    assert decision.reason.startswith("order count unknown")
    # The file's own earlier days do not tell a first order either.
    decisions = decide(order(DAY - timedelta(days=1), email="x@example.com"), order())
    assert decisions[-1].occasion == "thank-you"


def _import(ledger: Ledger, *customers: KnownCustomer, as_of: date = DAY - timedelta(1)):
    import_customers(ledger, CustomersRead("shopify", list(customers), [], "customers.csv"),
                     as_of=as_of)  # fmt: skip


def test_welcome_and_loyal_from_an_imported_customers_export(ledger: Ledger):
    _import(
        ledger,
        KnownCustomer(("emma@example.com",), "Emma Johnson", "emma@example.com", 0),
        KnownCustomer(("liam@example.com",), "Liam Smith", "liam@example.com", 3),
    )
    emma, liam, ava = decide(
        order(),
        order(email="liam@example.com", name="Liam Smith"),
        order(email="ava@example.com", name="Ava Wilson"),
        ledger=ledger,
    )
    assert emma.occasion == "welcome" and emma.extra["first_order"] is True
    assert "0 orders in the customers export customers.csv (to 2026-11-20)" in emma.reason
    assert liam.occasion == "loyal" and liam.extra["order_count"] == 4
    # Not in a complete list of the shop's customers: a first order.
    assert ava.occasion == "welcome"
    assert ava.reason == "not in the customers export customers.csv (to 2026-11-20)"


def test_an_export_made_after_the_day_counts_that_day_already(ledger: Ledger):
    _import(
        ledger,
        KnownCustomer(("emma@example.com",), "Emma", "emma@example.com", 1, DAY),
        KnownCustomer(("liam@example.com",), "Liam", "liam@example.com", 2, DAY - timedelta(9)),
        as_of=DAY + timedelta(days=5),
    )
    emma, liam = decide(order(), order(email="liam@example.com", name="Liam Smith"), ledger=ledger)
    assert emma.occasion == "welcome" and "first order on this day" in emma.reason
    assert liam.occasion == "loyal" and liam.extra["order_count"] == 2


def test_thank_you_when_nothing_tells_a_first_order(ledger: Ledger):
    assert one(order()).occasion == "thank-you"
    assert one(order(), ledger=ledger).occasion == "thank-you"


def test_orders_of_today_in_the_ledger_do_not_make_a_customer_returning(ledger: Ledger):
    today = order()
    ledger.record_orders(group_customers([today]))
    assert one(today, ledger=ledger).occasion == "thank-you"


def test_do_not_contact_skips_the_customer_with_where_it_is_listed():
    decision = one(order(), do_not_contact={"emma@example.com": "dnc.txt line 2"})
    assert decision.rule == "skip-do-not-contact"
    assert decision.reason == "emma@example.com is on the do-not-contact list (dnc.txt line 2)"


def test_already_noted_customers_are_skipped(ledger: Ledger):
    ledger.record_notes(
        [NoteRecord("emma@example.com", "Emma Johnson", "loyal", DAY, "out/cards.pdf", 3)]
    )
    decision = one(order(), ledger=ledger)
    assert decision.rule == "already-noted"
    assert "out/cards.pdf page 3" in decision.reason


def test_extra_carries_the_favourite_product():
    big = order(
        items=[LineItem("Ceramic Mug", 1, None), LineItem("Wool Socks", 3, None)],
    )
    assert one(big).extra["favourite_product"] == "Wool Socks"


@pytest.mark.parametrize(
    "tag, occasion",
    [
        ("latest-collection", "thank-you"),  # 'late' is not in 'latest'
        ("friendly", "thank-you"),  # nor 'friend' in 'friendly'
        ("late-delivery", "apology"),
        ("refunded-lid", "apology"),
        ("friends-referral", "referral"),
    ],
)
def test_words_match_whole_words_with_common_endings(tag, occasion):
    assert one(order(tags=[tag])).occasion == occasion
