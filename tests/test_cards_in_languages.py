"""Every occasion in every language: written in that language (a stop-word check), no English left
in it, the same fields as the English card, as many variants; and the demo writes a whole day in
each language."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from jinja2 import nodes
from pypdf import PdfReader
from typer.testing import CliRunner

from notes.cli import app
from notes.compose import compose_card
from notes.config import Shop
from notes.day import check_day, plan_day
from notes.demo import make_orders, write_export
from notes.demoshop import demo_shop
from notes.languages import languages
from notes.preflight import required_fields
from notes.render import Style
from notes.templates import occasions
from notes.templating import _environment, load_template, template_fields

LANGUAGES = ("de", "fr", "es", "it", "nl", "pt")
# Short words every text in the language is full of, and few other languages share.
STOP_WORDS = {
    "en": {"the", "and", "you", "your", "to", "for", "i", "we", "it", "is", "of", "with", "our"},
    "de": {"ich", "und", "du", "dich", "dir", "dein", "deine", "für", "mit", "nicht", "das", "ist",
           "wir", "uns", "bei", "zu", "es", "danke", "einen", "ein"},
    "fr": {"je", "vous", "votre", "et", "pour", "nous", "à", "le", "les", "chez", "est", "que",
           "merci", "une", "des", "du", "cela", "c"},
    "es": {"y", "tu", "te", "por", "para", "el", "con", "nos", "nuestra", "gracias", "es", "una",
           "lo", "mi", "ti", "tus"},
    "it": {"il", "tuo", "ti", "di", "per", "che", "con", "ci", "noi", "grazie", "è", "una", "da",
           "non", "mi", "tua", "tuoi"},
    "nl": {"je", "jij", "en", "het", "voor", "een", "ik", "we", "ons", "van", "bij", "dat", "is",
           "bedankt", "met", "niet", "jou"},
    "pt": {"o", "da", "sua", "seu", "para", "com", "nossa", "um", "uma", "é", "na", "lhe", "si",
           "do", "os", "as", "agradeço"},
}  # fmt: skip
# English that must never be on a card in another language.
ENGLISH = {
    "thank", "thanks", "order", "orders", "hope", "love", "dear", "hello", "your", "you", "the",
    "and", "with", "warmly", "welcome", "happy", "birthday", "sorry", "friend", "please", "just",
    "our", "shop", "gift", "wishes", "enjoy", "little", "made",  # ("care": Italian "persone care")
}  # fmt: skip
FULL = {
    "order_number": "1004",
    "order_count": "3",
    "discount_code": "K7Q2",
    "discount_percent": "15",
    "referred_name": "Lena Roux",
}
PRODUCTS = {
    "en": ("Ceramic Mug", "Hand Cream"),
    "de": ("Keramiktasse", "Handcreme"),
    "fr": ("Tasse en céramique", "Crème pour les mains"),
    "es": ("Taza de cerámica", "Crema de manos"),
    "it": ("Tazza in ceramica", "Crema mani"),
    "nl": ("Keramieken mok", "Handcrème"),
    "pt": ("Caneca de cerâmica", "Creme de mãos"),
}
BLANK_TEXT = {
    "de": "Bis bald bei uns im Laden!",
    "fr": "À très bientôt à la boutique.",
    "es": "¡Hasta pronto en la tienda!",
    "it": "A presto in bottega!",
    "nl": "Tot snel in de winkel!",
    "pt": "Até breve na loja!",
}


def words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_]+", text.casefold())


def language_of_text(text: str) -> str:
    """The language whose stop words the text uses most."""
    found = words(text)
    return max(STOP_WORDS, key=lambda code: sum(w in STOP_WORDS[code] for w in found))


def english_in(text: str) -> set[str]:
    return set(words(text)) & ENGLISH


def _fields(language: str, full: bool) -> dict[str, str]:
    mug, cream = PRODUCTS[language]
    fields = {"name": "Anna Berg", "products": f"{mug}; {cream}", "text": BLANK_TEXT[language]}
    if full:
        fields |= FULL | {"favourite_product": mug}
    return fields


def test_every_language_has_every_occasion() -> None:
    assert set(languages()) == {"en", *LANGUAGES}
    for occasion, written_in in occasions().items():
        assert set(written_in) == {"en", *LANGUAGES}, occasion


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("occasion", sorted(occasions()))
def test_every_occasion_is_written_in_the_language_with_no_english(
    occasion: str, language: str
) -> None:
    # The shop in that language, and an English shop whose customer asked for it.
    shops = [
        Shop(name="Juniper & Clay", sender="Maya", locale=languages()[language].locale),
        Shop(name="Juniper & Clay", sender="Maya", signature="Warmly,", locale="en_US"),
    ]
    for shop in shops:
        for full in (True, False):
            for seed in range(3):
                fields = _fields(language, full) | {"language": language}
                card = compose_card(occasion, fields, shop=shop, seed=seed, today="2026-11-21")
                assert card.language == language and not card.warning
                if occasion == "blank":  # the shop's own words, exactly
                    assert card.text == fields["text"]
                    continue
                assert language_of_text(card.text) == language, card.text
                assert not english_in(card.text), card.text
                assert not re.search(r"\{\{|\{%|  | ,| \.|\(\)|\n ", card.text), card.text
                assert card.text.endswith("\nMaya") and len(words(card.text)) > 25, card.text


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("occasion", sorted(occasions()))
def test_no_variant_of_any_template_holds_english(occasion: str, language: str) -> None:
    """Every phrase of the template, whichever variant a card picks: its literal text and the
    strings in its pick(...) calls."""
    info = load_template(occasion, language)
    body = info.source.split("#}", 1)[1]  # the metadata comment is not printed
    ast = _environment().parse(body)
    texts = [n.data for n in ast.find_all(nodes.TemplateData)]
    texts += [n.value for n in ast.find_all(nodes.Const) if isinstance(n.value, str)]
    leaks = {text: english_in(text) for text in texts if english_in(text)}
    assert not leaks


def _variants(info) -> tuple[int, int]:  # noqa: ANN001
    calls = [
        call
        for call in _environment().parse(info.source).find_all(nodes.Call)
        if isinstance(call.node, nodes.Name) and call.node.name in ("pick", "greeting")
    ]
    return len(calls), sum(len(call.args) for call in calls)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("occasion", sorted(occasions()))
def test_same_fields_and_as_many_variants_as_english(occasion: str, language: str) -> None:
    english, translated = load_template(occasion), load_template(occasion, language)
    # The preflight of a merge checks the same columns whatever language a row asks for.
    assert required_fields(translated) == required_fields(english)
    assert template_fields(translated) == template_fields(english)
    assert translated.optional == english.optional and translated.card == english.card
    picks, options = _variants(translated)
    assert picks >= _variants(english)[0] and options >= _variants(english)[1]


def test_the_stop_word_check_tells_the_languages_apart() -> None:
    """The check above is worth something: each language's card is told from the others."""
    for language in LANGUAGES:
        card = compose_card("welcome", _fields(language, True), shop=Shop(locale=f"{language}"))
        others = [code for code in LANGUAGES if code != language]
        assert language_of_text(card.text) not in others


DAY = date(2026, 11, 21)


@pytest.mark.parametrize("locale", ["de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pt_PT"])
def test_the_demo_plans_a_whole_day_in_its_language(tmp_path: Path, locale: str) -> None:
    """Planned, not drawn (fast): every card of the demo's day is in the language, every occasion
    shows up, and the envelopes carry the country's addresses without a country line."""
    sells = demo_shop(locale)
    orders = make_orders(customers=10, locale=locale, seed=2, day=DAY)
    export = write_export(tmp_path / "orders.csv", orders, "woocommerce", locale=locale)
    plan = plan_day(
        export, ledger=None, style=Style(seed=2), shop=sells.shop, rules=sells.rules(),
        preset="woocommerce", day=DAY,
    )  # fmt: skip
    check_day(plan)  # the texts, planned without writing
    written = [note for note in plan.notes if note.to_write]
    assert {n.decision.occasion for n in written} >= {"apology", "referral", "surprise", "birthday"}
    language = locale[:2]
    for note in written:
        assert note.language == language and not note.warning
        assert language_of_text(note.text) == language, note.text
        assert not english_in(note.text), note.text
    referral = next(n for n in written if n.decision.occasion == "referral")
    assert orders[0].person.full in referral.text  # "Empfohlen von ...", read in any language
    home = [n for n in written if n.decision.customer.address.country == locale[3:]]
    assert home and all(n.address in ("ok", "warn") for n in home)  # each has an envelope


@pytest.mark.parametrize("locale", ["de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pt_PT"])
def test_the_demo_writes_its_cards_in_its_language(tmp_path: Path, locale: str) -> None:
    """One real run per language: the PDF's text layer is in the language."""
    out = tmp_path / "demo"
    result = CliRunner().invoke(
        app, ["demo", "--locale", locale, "--customers", "3", "--seed", "1", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    text = "\n".join(page.extract_text() for page in PdfReader(out / "cards.pdf").pages)
    assert language_of_text(text) == locale[:2]
    assert not english_in(text), text
