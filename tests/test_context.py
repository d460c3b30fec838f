"""Record fields -> template context, and the name/list/money/date helpers behind the filters."""

from __future__ import annotations

import pytest

from notes.config import Shop
from notes.context import build_context, join_human, split_products

TODAY = "2026-11-30"


@pytest.mark.parametrize(
    ("items", "locale", "expected"),
    [
        ([], "en_US", ""),
        (["a mug"], "en_US", "a mug"),
        (["a mug", "a plate"], "en_US", "a mug and a plate"),
        (["a mug", "a plate", "a spoon"], "en_US", "a mug, a plate, and a spoon"),  # CLDR
        (["a mug", "a plate", "a spoon"], "en_GB", "a mug, a plate and a spoon"),
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
        "address": "",  # the return address, for a card's back (none given here)
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


@pytest.mark.parametrize(
    ("fields", "name", "greeting", "last"),
    [
        ({"name": "Mme Claire Dubois"}, "Mme Claire Dubois", "Claire", "Dubois"),
        ({"name": "Nguyễn Văn An"}, "Nguyễn Văn An", "An", "Nguyễn Văn"),
        ({"first_name": "さくら", "last_name": "田中"}, "田中 さくら", "さくら", "田中"),
        ({"first_name": "Nguyễn", "last_name": "Thị Hương"}, "Nguyễn Thị Hương", "Hương", None),
        ({"name": "山田 太郎"}, "山田 太郎", "太郎", "山田"),
    ],
)
def test_build_context_greets_the_given_name(
    fields: dict[str, str], name: str, greeting: str, last: str | None
) -> None:
    context = build_context(fields, shop=Shop(), today=TODAY)
    assert context["name"] == name
    assert context["first_name"] == context["greeting_name"] == greeting
    assert context.get("last_name", None) == (last or fields.get("last_name"))


@pytest.mark.parametrize(
    ("fields", "greeting"),
    [
        ({"name": "Mr Smith"}, "Mr Smith"),
        ({"first_name": "Frau", "last_name": "Weber"}, "Frau Weber"),
        ({"name": "Dr."}, "Dr."),
    ],
)
def test_without_a_given_name_the_greeting_is_never_the_bare_family_name(
    fields: dict[str, str], greeting: str
) -> None:
    context = build_context(fields, shop=Shop(), today=TODAY)
    assert context["first_name"] == context["greeting_name"] == greeting


def test_hungarian_shop_writes_names_family_first() -> None:
    shop = Shop(locale="hu_HU")
    context = build_context({"first_name": "János", "last_name": "Kovács"}, shop=shop, today=TODAY)
    assert (context["name"], context["first_name"]) == ("Kovács János", "János")
