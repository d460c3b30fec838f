"""A run composes its notes through one Composer (notes.compose): what follows from the run alone
(the shop's sign-off in each card language, the language a `language` field asks for, the
phrase a products cell makes) is worked out once, and every card reads as it does alone."""

from __future__ import annotations

from pathlib import Path

import babel.lists
import pytest

from notes import compose
from notes.compose import Composer, compose_card
from notes.config import Shop
from notes.context import build_context

SHOP = Shop(name="Juniper & Clay", sender="Maya", signature="Warmly,", locale="en_US")
TODAY = "2026-11-26"


def _rows() -> list[dict[str, str]]:
    asks = ["", "de", "fr-CA", "Deutsch", "xx-unknown", "de", "", "pt_BR", "klingon", "fr"]
    return [
        {"name": f"Ana Souza{n}", "product": "Mug; Plate", "order_number": f"#{n}", "language": ask}
        for n, ask in enumerate(asks)
    ]


def test_every_card_of_a_run_is_the_card_composed_alone(tmp_path: Path) -> None:
    own = tmp_path / "own.j2"
    own.write_text("Hi {{ first_name }}, {{ product }}. {{ shop.signature }} {{ shop.sender }}\n")
    composer = Composer(shop=SHOP, today=TODAY, seed=3)
    for template in ("thank-you", str(own), "thank-you"):  # bundled, the user's, bundled again
        for row in _rows():
            alone = compose_card(template, row, shop=SHOP, today=TODAY, seed=3)
            in_run = composer.card(template, row)
            assert (in_run.text, in_run.recipient, in_run.language, in_run.warning) == (
                alone.text, alone.recipient, alone.language, alone.warning,
            )  # fmt: skip
    german = composer.card("thank-you", {"name": "Anna Berg", "product": "Tasse", "lang": "de"})
    assert german.language == "de" and german.text.endswith("Herzliche Grüße\nMaya")
    unknown = composer.card("thank-you", {"name": "Ana", "product": "Mug", "language": "klingon"})
    assert "klingon" in unknown.warning and unknown.text.endswith("Warmly,\nMaya")


def test_the_languages_a_run_keeps_are_bounded(monkeypatch) -> None:
    monkeypatch.setattr(compose, "KNOWN_LANGUAGE_ASKS", 8)
    composer = Composer(shop=SHOP, today=TODAY)
    for number in range(30):  # a different unreadable language in every row
        card = composer.card("thank-you", {"name": "Ana", "product": "Mug", "lang": f"x{number}"})
        assert f"'x{number}'" in card.warning
    assert len(composer._languages) <= 8


def test_each_card_gets_its_own_shop(monkeypatch) -> None:
    """The shop a run signs with is made once, and handed to each card as a copy of its own."""
    composer = Composer(shop=SHOP, today=TODAY)
    first, second = composer._shop_fields("de"), composer._shop_fields("de")
    assert first == second and first is not second
    assert first["signature"] == "Herzliche Grüße" and first["name"] == "Juniper & Clay"


def test_a_products_cell_is_listed_once_for_all_its_rows(monkeypatch) -> None:
    """Babel's list patterns, counted (a spy on the library: our code runs unchanged)."""
    calls: list[list[str]] = []
    format_list = babel.lists.format_list

    def counted(words, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        calls.append(list(words))
        return format_list(words, *args, **kwargs)

    monkeypatch.setattr(babel.lists, "format_list", counted)
    cell = "Blue teapot; Linen apron | Olive oil soap"
    contexts = [
        build_context({"name": f"Ana {n}", "product": cell}, shop=SHOP, today=TODAY, locale="de_DE")
        for n in range(20)
    ]
    assert contexts[7]["product"] == "Blue teapot, Linen apron und Olive oil soap"
    assert contexts[7]["products"] == ["Blue teapot", "Linen apron", "Olive oil soap"]
    assert contexts[7]["products"] is not contexts[8]["products"]  # each card its own list
    assert len(calls) <= 1


def test_a_long_products_cell_is_listed_but_not_kept() -> None:
    """Rows of unique, long product cells (a pasted description) must not fill the run's
    memory: only short cells are kept."""
    from notes.context import KEPT_PRODUCTS_CHARS, _product_list

    before = _product_list.cache_info().currsize
    cell = "Mug; " + "speckled stoneware " * (KEPT_PRODUCTS_CHARS // 10)
    context = build_context({"name": "Ana", "products": cell}, shop=SHOP, today=TODAY)
    assert context["products"][0] == "Mug" and context["product"].startswith("Mug and speckled")
    assert _product_list.cache_info().currsize == before


def test_invisible_and_control_only_fields_are_still_missing() -> None:
    context = build_context(
        {"name": "Ana", "city": "\x00\x07", "note": " \u200b ", "code": " A1 "},
        shop=SHOP,
        today=TODAY,
    )
    assert "city" not in context and "note" not in context and context["code"] == "A1"


def _counted(monkeypatch, owner: type, name: str) -> list[tuple]:
    """A library method, counted (a spy on Jinja: our code runs unchanged)."""
    calls: list[tuple] = []
    method = getattr(owner, name)

    def counted(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        calls.append(args)
        return method(self, *args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


def test_a_card_reads_its_shop_and_greeting_without_catching_errors(monkeypatch) -> None:
    """`shop.signature` is a key of a plain dict, read straight away rather than after
    getattr's AttributeError; greeting() asks for the salutation only in a language with
    gendered greetings, and a name the data lacks without a KeyError."""
    import jinja2.runtime
    import jinja2.sandbox

    composer = Composer(shop=SHOP, today=TODAY, seed=1)
    composer.card("thank-you", {"name": "Ana Souza", "product": "Mug"})  # compiled, warm
    general = _counted(monkeypatch, jinja2.sandbox.SandboxedEnvironment, "getattr")
    looked_up = _counted(monkeypatch, jinja2.runtime.Context, "get")
    english = composer.card("thank-you", {"name": "Mrs Ana Souza", "product": "Mug"})
    assert english.text.endswith("Warmly,\nMaya") and not english.text.startswith("Dear Mrs")
    assert (general, looked_up) == ([], [])
    german = composer.card("thank-you", {"name": "Anna Berg", "product": "Tasse", "lang": "de"})
    as_her = composer.card(
        "thank-you", {"name": "Anna Berg", "product": "Tasse", "lang": "de", "salutation": "Frau"}
    )
    assert as_her.text.startswith("Liebe Anna") and not german.text.startswith("Liebe")


def test_the_sandbox_still_refuses_what_a_dict_holds_under_a_dunder_name() -> None:
    from jinja2.sandbox import SecurityError

    from notes.templating import _environment

    env = _environment()
    for source in ("{{ d.__class__ }}", "{{ d.__class__.__mro__ }}", "{{ d.items.__self__ }}"):
        with pytest.raises(SecurityError, match="is unsafe"):
            env.from_string(source).render(d={"__class__": "x", "name": "Ana"})
    shown = env.from_string("{{ d.name }} {{ d.missing is defined }} {{ d.get('name') }}")
    assert shown.render(d={"name": "Ana"}) == "Ana False Ana"
