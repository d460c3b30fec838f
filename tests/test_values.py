"""Money, quantities and dates: one reader, in the export's style, ambiguity settled or refused."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notes.context import format_date, format_money
from notes.errors import ConfigError, DataError
from notes.values import (
    DECIMAL_COMMA,
    DECIMAL_POINT,
    ColumnText,
    ExportValues,
    column_number_styles,
    number_style_of,
    parse_amount,
    parse_date,
    read_birthday,
    read_datetime,
    read_money,
    read_quantity,
)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("12.5", Decimal("12.5")),
        ("$7.50", Decimal("7.50")),
        ("1.234,50", Decimal("1234.50")),
        ("1,234.50", Decimal("1234.50")),
        ("1 234,50 €", Decimal("1234.50")),
        ("1'234.50 CHF", Decimal("1234.50")),
        ("1.234.567", Decimal("1234567")),
        ("1,23,456.00", Decimal("123456.00")),  # Indian grouping
        ("12,50", Decimal("12.50")),
        ("0,125", Decimal("0.125")),  # a group never starts with 0: a decimal comma
        ("1234,567", Decimal("1234.567")),  # nor has four digits
        ("-3.00", Decimal("-3.00")),
        ("(7.50)", Decimal("-7.50")),
        ("7.50-", Decimal("-7.50")),
        ("EUR 12", Decimal("12")),
    ],
)
def test_amounts_that_read_one_way(text: str, amount: Decimal) -> None:
    assert read_money(text, "Total") == amount
    assert parse_amount(text, locale="de_DE") == parse_amount(text, locale="en_US") == amount


@pytest.mark.parametrize("bad", ["abc", "n/a", "12.5.3,1,2", "--", "12abc34", "1-2", "1.2.3"])
def test_unreadable_amounts_name_the_field(bad: str) -> None:
    with pytest.raises(DataError, match=f"Total {bad!r} is not an amount of money"):
        read_money(bad, "Total")


@pytest.mark.parametrize("bad", ["", "abc", "12.5.3,1,2", "--", True, None])
def test_parse_amount_rejects(bad: object) -> None:
    with pytest.raises(DataError, match="amount of money"):
        parse_amount(bad)


def test_blank_money_is_none_and_numbers_pass_through() -> None:
    assert read_money("  ", "Total") is None
    assert parse_amount(19) == Decimal("19") and parse_amount(Decimal("2.5")) == Decimal("2.5")


def test_one_value_reading_two_ways_is_refused_without_evidence() -> None:
    with pytest.raises(DataError) as caught:
        read_money("1,234", "Total")
    assert "Total '1,234' could be 1234 or 1.234" in str(caught.value)
    assert "1,234.00 or 1.234,00" in str(caught.value)  # the hint says how to write it


def test_the_column_decides_a_value_that_reads_two_ways() -> None:
    assert number_style_of(["1,234", "12,50"]) == DECIMAL_COMMA
    assert number_style_of(["1,234", "12.50", ""]) == DECIMAL_POINT
    assert number_style_of(["1,234", "7"]) is None  # nothing shows which
    assert number_style_of(["12,50", "3.75"]) is None  # both: the column does not say
    comma = ExportValues(lambda column: ["1,234", "12,50"])
    point = ExportValues(lambda column: ["1,234", "12.50"])
    assert comma.money("1,234", "Total") == Decimal("1.234")
    assert point.money("1,234", "Total") == Decimal("1234")
    with pytest.raises(DataError, match="no other value in its column shows which"):
        ExportValues(lambda column: ["1,234", "7"]).money("1,234", "Total")


def test_the_column_is_read_only_for_an_ambiguous_value() -> None:
    asked: list[str] = []
    values = ExportValues(lambda column: asked.append(column) or ["12,50"])
    assert values.money("7.50", "Total") == Decimal("7.50") and asked == []
    assert values.money("1.234", "Total") == Decimal("1234") and asked == ["Total"]
    assert values.money("2.500", "Total") == Decimal("2500") and asked == ["Total"]  # cached


def test_an_export_with_a_known_style_reads_it() -> None:
    """Shopify writes 1234.50 always: a 3-decimal currency (KWD 1.234) is not a thousand."""
    values = ExportValues(style=DECIMAL_POINT)
    assert values.money("1.234", "Total") == Decimal("1.234")
    assert values.money("1,234", "Total") == Decimal("1234")


def test_a_typed_amount_follows_the_shops_locale() -> None:
    assert parse_amount("1.234", locale="en_US") == Decimal("1.234")
    assert parse_amount("1.234", locale="de_DE") == Decimal("1234")
    assert parse_amount("1,234", locale="en_US") == Decimal("1234")
    assert parse_amount("1,234", locale="de_DE") == Decimal("1.234")


def test_column_text_keeps_its_columns_style() -> None:
    styles = column_number_styles(
        [{"Total": "1,234", "Tip": "1"}, {"Total": "12,50", "Tip": "2"}],
        {"total": "Total", "tip": "Tip"},
    )
    assert styles == {"total": ("Total", DECIMAL_COMMA), "tip": ("Tip", None)}
    text = ColumnText("1,234", "Total", DECIMAL_COMMA)
    assert text == "1,234" and str(text) == "1,234"
    assert parse_amount(text, locale="en_US") == Decimal("1.234")  # the column wins
    with pytest.raises(DataError, match="Total '1,234' could be 1234 or 1.234"):
        parse_amount(ColumnText("1,234", "Total", None), locale="en_US")


def test_format_money() -> None:
    assert format_money("1234.5", locale="en_US", currency="USD") == "$1,234.50"
    assert format_money("1.234,50", locale="de_DE", currency="EUR") == "1.234,50\xa0€"
    with pytest.raises(ConfigError, match="unknown currency"):
        format_money("1", currency="ZZZZ")
    with pytest.raises(ConfigError, match="unknown locale"):
        format_money("1", locale="not a locale")


def test_quantities() -> None:
    assert read_quantity("", "Qty") == 1
    assert read_quantity("3.0", "Qty") == 3
    assert read_quantity("0.35", "Qty") == 1  # weighed: one thing bought
    with pytest.raises(DataError, match="negative"):
        read_quantity("-2", "Qty")
    with pytest.raises(DataError, match="Qty 'two' is not a quantity"):
        read_quantity("two", "Qty")


def test_dates() -> None:
    assert str(parse_date("2026-11-21 09:02:11 -0500")) == "2026-11-21"
    assert str(parse_date("2026-11-21T09:02:11Z")) == "2026-11-21"
    assert str(parse_date("21.11.2026")) == "2026-11-21"
    assert str(parse_date("21/11/2026")) == "2026-11-21"  # only one reading
    assert format_date("2026-11-21", locale="en_US") == "November 21, 2026"
    assert format_date("2026-11-21", locale="en_US", format="medium") == "Nov 21, 2026"
    assert format_date("2026-11-21", locale="de_DE") == "21. November 2026"
    with pytest.raises(DataError, match="'next Tuesday' is not a date"):
        parse_date("next Tuesday")


def test_slash_dates_that_read_two_ways() -> None:
    assert parse_date("03/04/2026", locale="en_US") == date(2026, 3, 4)
    assert parse_date("03/04/2026", locale="en_GB") == date(2026, 4, 3)
    values = ExportValues(lambda column: ["03/04/2026", "21/11/2026"])
    assert values.when("03/04/2026", "Date").date() == date(2026, 4, 3)
    assert ExportValues().when("03/04/2026", "Date").date() == date(2026, 3, 4)  # US default


def test_birthdays() -> None:
    assert read_birthday("", "Birthday") is None
    assert read_birthday("11-28", "Birthday") == date(2000, 11, 28)
    assert read_birthday("1990-11-28", "Birthday") == date(1990, 11, 28)


# ---------------------------------------------------------------- properties

_amounts = st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False)


@given(_amounts)
def test_money_as_shops_write_it(value: Decimal) -> None:
    english = f"{abs(value):,.2f}"
    european = english.replace(",", " ").replace(".", ",")
    german = english.replace(",", "_").replace(".", ",").replace("_", ".")
    sign = "-" if value < 0 else ""
    for written in (f"{sign}${english}", f"{sign}{european} €", f"{sign}{german}"):
        assert read_money(written, "Total") == value
    assert read_money(f"({abs(value):.2f})", "Total") == -abs(value)


@given(st.integers(min_value=1000, max_value=10**9), st.sampled_from([".", ","]))
def test_grouped_integers_follow_the_column(value: int, decimal: str) -> None:
    """An amount written with thousands separators only reads as its column says."""
    group = "," if decimal == "." else "."
    written = f"{value:,}".replace(",", group)
    values = ExportValues(lambda column: [written, f"12{decimal}50"])
    assert values.money(written, "Total") == value


@given(st.text(max_size=20), st.sampled_from(["en_US", "de_DE", "fr_FR"]))
def test_any_text_is_a_number_or_a_data_error(text: str, locale: str) -> None:
    for read in (
        lambda: read_money(text, "Total"),
        lambda: read_quantity(text, "Qty"),
        lambda: parse_amount(text, locale=locale),
        lambda: read_datetime(text, "Date"),
        lambda: read_birthday(text, "Birthday"),
    ):
        try:
            read()
        except DataError as error:
            assert error.hint  # says what to do


@given(st.integers(min_value=0, max_value=10**6))
def test_whole_quantities_read_back(n: int) -> None:
    assert read_quantity(str(n), "Qty") == n
    if 1000 <= n < 10**6:  # '1,234' alone reads two ways
        with pytest.raises(DataError, match="could be"):
            read_quantity(f"{n:,}", "Qty")
    else:
        assert read_quantity(f"{n:,}", "Qty") == n


@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)),
    st.integers(min_value=-12 * 60, max_value=14 * 60),
)
def test_shopify_and_square_times_keep_their_local_day(moment: datetime, offset: int) -> None:
    moment = moment.replace(microsecond=0, tzinfo=timezone(timedelta(minutes=offset)))
    written = moment.strftime("%Y-%m-%d %H:%M:%S %z")  # Shopify's "Created at"
    parsed = read_datetime(written, "Created at")
    assert parsed == moment and parsed.date() == moment.date()
    us = read_datetime(moment.strftime("%m/%d/%Y %I:%M:%S %p"), "Date")
    assert us.date() == moment.date()
    day_first = ExportValues(lambda column: ["25/12/2026"])
    assert day_first.when(moment.strftime("%d/%m/%Y %H:%M"), "Date").date() == moment.date()
