"""Grammar in the card's language: lists, numbers in words, ordinals, plurals (notes.grammar),
directly and as template filters."""

from __future__ import annotations

from pathlib import Path

import pytest

from notes.config import Shop
from notes.errors import DataError, TemplateError
from notes.grammar import join_list, number_words, ordinal_words, plural_word
from notes.templating import load_template, render_text


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("de_DE", "Tasse, Teller und Löffel"),
        ("fr_FR", "Tasse, Teller et Löffel"),
        ("es_ES", "Tasse, Teller y Löffel"),
        ("it_IT", "Tasse, Teller e Löffel"),
        ("nl_NL", "Tasse, Teller en Löffel"),
        ("pt_PT", "Tasse, Teller e Löffel"),
        ("en_GB", "Tasse, Teller and Löffel"),
    ],
)
def test_lists_are_joined_by_the_languages_pattern(locale: str, expected: str) -> None:
    assert join_list(["Tasse", "Teller", "Löffel"], locale) == expected


def test_spanish_writes_e_before_an_i_sound() -> None:
    assert join_list(["agujas", "hilo"], "es_ES") == "agujas e hilo"
    assert join_list(["agua", "hielo"], "es_ES") == "agua y hielo"  # /je/ is not an /i/ sound


@pytest.mark.parametrize(
    ("number", "locale", "gender", "expected"),
    [
        (3, "de_DE", None, "drei"),
        (3, "fr_FR", None, "trois"),
        (3, "es_ES", None, "tres"),
        (3, "it_IT", None, "tre"),
        (3, "nl_NL", None, "drie"),
        (3, "pt_PT", None, "três"),
        (2, "pt_PT", "f", "duas"),  # duas encomendas
        (22, "pt_PT", "f", "vinte e duas"),
        (200, "es_ES", "f", "doscientas"),
        (21, "es_ES", "m", "veintiún"),  # veintiún pedidos
        (1, "es_ES", "f", "una"),
        (21, "fr_FR", "f", "vingt et une"),
        (1, "de_DE", "f", "eine"),
        ("12", "de_DE", None, "zwölf"),  # a CSV cell
    ],
)
def test_numbers_in_words_agree_with_their_noun(
    number: object, locale: str, gender: str | None, expected: str
) -> None:
    assert number_words(number, locale, gender=gender) == expected


def test_numbers_above_up_to_are_digits_in_the_locales_style() -> None:
    assert number_words(1234, "de_DE", up_to=12) == "1.234"
    assert number_words(12, "de_DE", up_to=12) == "zwölf"


@pytest.mark.parametrize(
    ("number", "locale", "gender", "expected"),
    [
        (3, "de_DE", None, "dritte"),  # deine dritte Bestellung
        (3, "fr_FR", "f", "troisième"),
        (1, "fr_FR", "f", "première"),
        (3, "es_ES", "f", "tercera"),  # tu tercera compra
        (3, "es_ES", "m", "tercer"),  # tu tercer pedido
        (21, "es_ES", "f", "vigésima primera"),
        (11, "it_IT", "m", "undicesimo"),
        (3, "it_IT", "f", "terza"),
        (3, "nl_NL", None, "derde"),
        (1, "pt_PT", "f", "primeira"),
        (3, "en_US", None, "third"),
    ],
)
def test_ordinals_in_words(number: int, locale: str, gender: str | None, expected: str) -> None:
    assert ordinal_words(number, locale, gender=gender) == expected


@pytest.mark.parametrize(
    ("locale", "gender", "expected"),
    [
        ("de_DE", None, "23."),
        ("fr_FR", "f", "23e"),
        ("es_ES", "f", "23.ª"),
        ("pt_PT", "m", "23.º"),
        ("it_IT", "m", "23º"),
        ("nl_NL", None, "23e"),
        ("en_US", None, "23rd"),
    ],
)
def test_ordinals_above_up_to_are_written_short(
    locale: str, gender: str | None, expected: str
) -> None:
    assert ordinal_words(23, locale, gender=gender, up_to=12) == expected
    assert ordinal_words(111, "en_US", up_to=12) == "111th"


def test_plural_forms_follow_the_languages_rules() -> None:
    forms = {"one": "commande", "other": "commandes"}
    assert plural_word(0, "fr_FR", forms) == "commande"  # French counts 0 as one
    assert plural_word(0, "pt_PT", {"one": "encomenda", "other": "encomendas"}) == "encomendas"
    assert plural_word(1, "de_DE", {"one": "Bestellung", "other": "Bestellungen"}) == "Bestellung"
    assert plural_word(1_000_000, "es_ES", {"one": "pedido", "other": "pedidos"}) == "pedidos"


def test_bad_values_name_what_is_wrong() -> None:
    with pytest.raises(DataError, match="'drei'.*whole number"):
        number_words("drei", "de_DE")
    with pytest.raises(TemplateError, match="grammatical gender 'x'") as info:
        ordinal_words(3, "es_ES", gender="x")
    assert '"f"' in (info.value.hint or "")
    with pytest.raises(TemplateError, match="'other'"):
        plural_word(3, "de_DE", {"one": "Bestellung"})


def _render(tmp_path: Path, source: str, locale: str, **fields: object) -> str:
    path = tmp_path / "mine.j2"
    path.write_text(source, encoding="utf-8")
    context = {**fields, "shop": {"locale": locale, "currency": "EUR"}}
    return render_text(load_template(str(path)), context, seed=1, recipient_key="x")


def test_filters_write_in_the_cards_language(tmp_path: Path) -> None:
    source = (
        '{{ n|words }} {{ n|plural("Bestellung", "Bestellungen") }}, die {{ n|ordinal }}, '
        '{{ big|ordinal(up_to=12) }}, {{ total|money }}, {{ ["a", "b"]|join_human }}'
    )
    text = _render(tmp_path, source, "de_DE", n=3, big=23, total="12.5")
    assert text == "drei Bestellungen, die dritte, 23., 12,50\xa0€, a und b"


def test_a_filter_given_bad_data_fails_with_the_template_line(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"template 'mine' line 2.*'viele'"):
        _render(tmp_path, "Hallo\n{{ n|words }}", "de_DE", n="viele")


def test_a_users_own_template_keeps_the_shops_locale_whatever_the_customer_says(
    tmp_path: Path,
) -> None:
    from notes.compose import compose_card

    path = tmp_path / "mine.j2"
    path.write_text("{{ n|words }} {{ today|date }}", encoding="utf-8")
    card = compose_card(
        str(path),
        {"n": "3", "language": "fr"},
        shop=Shop(locale="de_DE"),
        today="2026-11-21",
    )
    assert card.text == "drei 21. November 2026"
    assert card.language == "" and card.warning == ""
