"""Record fields -> template context, and the name/list/money/date helpers behind the filters."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notes.config import Shop
from notes.context import (
    build_context,
    first_name_of,
    format_date,
    format_money,
    join_human,
    last_name_of,
    parse_amount,
    parse_date,
    split_products,
)
from notes.errors import ConfigError, DataError

TODAY = "2026-11-30"


@pytest.mark.parametrize(
    ("name", "first", "last"),
    [
        ("Ana Souza", "Ana", "Souza"),
        ("Dr. Jane Smith", "Jane", "Smith"),
        ("Souza, Ana", "Ana", "Souza"),
        ("  Maria   da  Silva ", "Maria", "da Silva"),
        ("Mrs Jones", "Jones", ""),
        ("Cher", "Cher", ""),
        ("Dr.", "Dr.", ""),
        ("Don Draper", "Don", "Draper"),
        ("山田 太郎", "山田 太郎", ""),
        ("", "", ""),
    ],
)
def test_first_and_last_name(name: str, first: str, last: str) -> None:
    assert first_name_of(name) == first
    assert last_name_of(name) == last


@given(st.text())
def test_first_name_is_part_of_the_name(name: str) -> None:
    first = first_name_of(name)
    assert first in " ".join(name.split()) or first == name.strip()


@pytest.mark.parametrize(
    ("items", "locale", "expected"),
    [
        ([], "en_US", ""),
        (["a mug"], "en_US", "a mug"),
        (["a mug", "a plate"], "en_US", "a mug and a plate"),
        (["a mug", "a plate", "a spoon"], "en_US", "a mug, a plate and a spoon"),
        (["Tasse", "Teller"], "de_DE", "Tasse und Teller"),
        (["tasse", "assiette", "cuillère"], "fr_FR", "tasse, assiette et cuillère"),
        (["agujas", "lana"], "es_ES", "agujas y lana"),
        (["agujas", "hilo"], "es_ES", "agujas e hilo"),
        (["caneca", "prato"], "pt_BR", "caneca e prato"),
        (["tazza", "piatto"], "it_IT", "tazza e piatto"),
        (["mok", "bord"], "nl_NL", "mok en bord"),
        (["a", "b"], "xx", "a and b"),
        ("already a sentence", "en_US", "already a sentence"),
    ],
)
def test_join_human(items: list[str], locale: str, expected: str) -> None:
    assert join_human(items, locale) == expected


def test_split_products() -> None:
    assert split_products("Mug; Plate | Spoon") == ["Mug", "Plate", "Spoon"]
    assert split_products("Mug;;  mug ; ") == ["Mug"]
    assert split_products(["Mug", None, " Plate "]) == ["Mug", "Plate"]
    assert split_products(None) == []


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("12.5", Decimal("12.5")),
        ("$7.50", Decimal("7.50")),
        ("1.234,50", Decimal("1234.50")),
        ("1,234.50", Decimal("1234.50")),
        ("1 234,50 €", Decimal("1234.50")),
        ("1.234.567", Decimal("1234567")),
        ("$1,234", Decimal("1234")),
        ("12,50", Decimal("12.50")),
        ("-3.00", Decimal("-3.00")),
        (19, Decimal("19")),
    ],
)
def test_parse_amount(text: str, amount: Decimal) -> None:
    assert parse_amount(text) == amount


def test_parse_amount_ambiguous_follows_locale() -> None:
    assert parse_amount("1.234", locale="en_US") == Decimal("1.234")
    assert parse_amount("1.234", locale="de_DE") == Decimal("1234")


@pytest.mark.parametrize("bad", ["", "abc", "12.5.3,1,2", "--", True])
def test_parse_amount_rejects(bad: object) -> None:
    with pytest.raises(DataError, match="amount of money"):
        parse_amount(bad)


def test_format_money() -> None:
    assert format_money("1234.5", locale="en_US", currency="USD") == "$1,234.50"
    assert format_money("1.234,50", locale="de_DE", currency="EUR") == "1.234,50\xa0€"
    with pytest.raises(ConfigError, match="unknown currency"):
        format_money("1", currency="ZZZZ")
    with pytest.raises(ConfigError, match="unknown locale"):
        format_money("1", locale="not a locale")


def test_dates() -> None:
    assert str(parse_date("2026-11-21 09:02:11 -0500")) == "2026-11-21"
    assert str(parse_date("2026-11-21T09:02:11Z")) == "2026-11-21"
    assert format_date("2026-11-21", locale="en_US") == "November 21, 2026"
    assert format_date("2026-11-21", locale="en_US", format="medium") == "Nov 21, 2026"
    assert format_date("2026-11-21", locale="de_DE") == "21. November 2026"
    with pytest.raises(DataError, match="as a date"):
        parse_date("21/11/2026")


def test_build_context_derives_names_products_and_shop() -> None:
    shop = Shop(name="Juniper & Clay", sender="Maya", locale="de_DE", currency="EUR")
    fields = {
        "name": " Dr. Ana\nSouza ",
        "email": "ana@example.com",
        "products": "Tasse; Teller",
        "city": "",
        "Gift Note": "for mum",
    }
    context = build_context(fields, shop=shop, today=TODAY, extra={"order_count": 3})
    assert context["name"] == "Dr. Ana Souza"
    assert context["first_name"] == "Ana"
    assert context["last_name"] == "Souza"
    assert context["products"] == ["Tasse", "Teller"]
    assert context["product"] == "Tasse und Teller"
    assert context["shop"] == {
        "name": "Juniper & Clay",
        "sender": "Maya",
        "signature": "With thanks,",
        "locale": "de_DE",
        "currency": "EUR",
    }
    assert context["today"] == TODAY
    assert context["Gift Note"] == "for mum"
    assert context["order_count"] == 3
    assert "city" not in context  # blank = missing


def test_build_context_name_from_parts_and_single_product() -> None:
    context = build_context(
        {"first_name": "Ana", "last_name": "Souza", "product": "Mug"}, shop=Shop(), today=TODAY
    )
    assert context["name"] == "Ana Souza"
    assert context["products"] == ["Mug"]
    assert context["product"] == "Mug"


def test_build_context_blank_name_is_missing_and_extra_wins() -> None:
    context = build_context(
        {"name": "   ", "today": "fake", "shop": "fake"},
        shop=Shop(),
        today=TODAY,
        extra={"discount_code": "THANKS-1", "blank": ""},
    )
    assert "name" not in context and "first_name" not in context
    assert context["today"] == TODAY and isinstance(context["shop"], dict)
    assert context["discount_code"] == "THANKS-1"
    assert "blank" not in context


def test_build_context_data_cannot_shadow_template_functions() -> None:
    fields = {"name": "Ana", "pick": "x", "range": "y", "money": "12"}
    context = build_context(fields, shop=Shop(), today=TODAY)
    assert not {"pick", "range", "money"} & set(context)


def test_build_context_is_pure() -> None:
    fields = {"name": "Ana", "products": "Mug | Plate"}
    before = dict(fields)
    first = build_context(fields, shop=Shop(), today=TODAY)
    assert fields == before
    assert build_context(fields, shop=Shop(), today=TODAY) == first
