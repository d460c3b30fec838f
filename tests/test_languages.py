"""Which language a card is written in, its greeting and its sign-off (notes.languages), and how
merge, day and `notes templates` show it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from notes.cli import app
from notes.compose import compose_card
from notes.config import Shop, load_config
from notes.errors import ConfigError
from notes.languages import addressed_as, card_language, parse_language
from notes.manifest import read_manifest

runner = CliRunner()
SHOP = Shop(name="Juniper & Clay", sender="Maya", signature="Warmly,", locale="en_US")
ANNA = {"name": "Anna Berg", "product": "Keramiktasse"}


@pytest.mark.parametrize(
    ("value", "code", "locale"),
    [
        ("de", "de", None),
        ("DE", "de", None),
        ("de-DE", "de", "de_DE"),
        ("de_AT", "de", "de_AT"),
        ("fr-CA", "fr", "fr_CA"),
        ("Deutsch", "de", None),
        ("German", "de", None),
        ("français", "fr", None),
        ("Francais", "fr", None),
        ("de-DE,de;q=0.9,en;q=0.8", "de", "de_DE"),  # a browser's Accept-Language
        ("de_XX", "de", None),  # an unknown country: the language still counts
    ],
)
def test_a_language_column_is_read_the_ways_exports_write_it(
    value: str, code: str, locale: str | None
) -> None:
    assert parse_language(value) == (code, locale)


@pytest.mark.parametrize("value", ["xx", "Blorpish", "?", "12"])  # (Klingon is in CLDR: tlh)
def test_what_is_not_a_language_is_not_guessed(value: str) -> None:
    assert parse_language(value) is None


def test_the_shops_locale_is_the_default_and_a_customer_column_overrides_it() -> None:
    assert card_language({}, shop_locale="de_DE").code == "de"
    chosen = card_language({"language": "fr"}, shop_locale="de_DE", occasion="thank-you")
    assert (chosen.code, chosen.locale, chosen.warning) == ("fr", "fr_FR", "")
    # The customer's locale, else their language in the shop's country, else the language's own.
    assert card_language({"locale": "fr-CA"}, shop_locale="en_US").locale == "fr_CA"
    assert card_language({"language": "fr"}, shop_locale="de_CH").locale == "fr_CH"
    assert card_language({"language": "es"}, shop_locale="en_US").locale == "es_US"
    assert card_language({"language": "de"}, shop_locale="en_US").locale == "de_DE"
    assert card_language({"language": "de"}, shop_locale="de_AT").locale == "de_AT"


def test_an_unknown_language_falls_back_to_the_shops_with_a_warning() -> None:
    unreadable = card_language({"language": "Klingon"}, shop_locale="de_DE")
    assert unreadable.code == "de" and "'Klingon'" in unreadable.warning
    assert "Deutsch, the shop's language" in unreadable.warning
    no_cards = card_language({"language": "ja"}, shop_locale="fr_FR", occasion="welcome")
    assert no_cards.code == "fr" and "no welcome card in Japanese (ja)" in no_cards.warning
    # A shop whose own language has no cards writes English, and says so on every card.
    swedish = card_language({}, shop_locale="sv_SE")
    assert swedish.code == "en" and "Swedish" in swedish.warning


@pytest.mark.parametrize(
    ("fields", "form"),
    [
        ({"salutation": "Frau"}, "female"),
        ({"salutation": "Herr"}, "male"),
        ({"salutation": "Mme"}, "female"),
        ({"salutation": "M."}, "male"),
        ({"salutation": "Sra."}, "female"),
        ({"gender": "f"}, "female"),
        ({"gender": "männlich"}, "male"),
        ({"gender": "divers"}, None),
        ({"gender": "x"}, None),
        ({"salutation": "Frau", "gender": "m"}, None),  # they disagree: say nothing
        ({"name": "Frau Anna Berg"}, "female"),  # a title before the name says it too
        ({"name": "M Smith"}, None),  # an initial, not "Monsieur"
        ({"name": "Anna Berg"}, None),  # never from a first name
        ({"name": "Lukas Berg"}, None),
    ],
)
def test_a_greetings_gender_comes_only_from_a_salutation_or_gender_column(
    fields: dict, form: str | None
) -> None:
    assert addressed_as(fields) == form


@pytest.mark.parametrize(
    ("language", "name", "neutral", "female", "male"),
    [
        ("de", "Anna", ("Hallo Anna,", "Hi Anna,"), "Liebe Anna,", "Lieber Anna,"),
        ("fr", "Claire", ("Bonjour Claire,",), "Chère Claire,", "Cher Claire,"),
        ("es", "Lucía", ("Hola Lucía,",), "Querida Lucía,", "Querido Lucía,"),
        ("it", "Giulia", ("Ciao Giulia,",), "Cara Giulia,", "Caro Giulia,"),
        ("pt", "Inês", ("Olá Inês,",), "Querida Inês,", "Querido Inês,"),
    ],
)
def test_greetings_are_neutral_unless_a_column_says_otherwise(
    language: str, name: str, neutral: tuple, female: str, male: str
) -> None:
    fields = {"name": f"{name} Berg", "product": "X", "language": language}
    for seed in range(6):
        plain = compose_card("thank-you", fields, shop=SHOP, seed=seed).text
        assert plain.split("\n")[0] in neutral
        as_her = compose_card("thank-you", {**fields, "salutation": "Frau"}, shop=SHOP, seed=seed)
        as_him = compose_card("thank-you", {**fields, "gender": "M"}, shop=SHOP, seed=seed)
        assert as_her.text.split("\n")[0] == female
        assert as_him.text.split("\n")[0] == male
        # The rest of the card is the same: the greeting took its variant all the same.
        assert as_her.text.split("\n")[1:] == plain.split("\n")[1:]


def test_dutch_greetings_have_no_gendered_form() -> None:
    fields = {"name": "Sanne Berg", "product": "X", "language": "nl", "salutation": "mevrouw"}
    greetings = {compose_card("thank-you", fields, shop=SHOP, seed=s).text[:10] for s in range(8)}
    assert all(g.split()[0] in ("Hoi", "Beste", "Lieve") for g in greetings)


def test_the_sign_off_is_in_the_cards_language_and_the_shop_may_set_its_own() -> None:
    german = compose_card("thank-you", {**ANNA, "language": "de"}, shop=SHOP, seed=1)
    assert german.text.endswith("Herzliche Grüße\nMaya")
    english = compose_card("thank-you", ANNA, shop=SHOP, seed=1)
    assert english.text.endswith("Warmly,\nMaya")
    own = Shop(**{**SHOP.__dict__, "signatures": {"de": "Liebe Grüße aus Portland"}})
    assert compose_card("thank-you", {**ANNA, "language": "de"}, shop=own).text.endswith(
        "Liebe Grüße aus Portland\nMaya"
    )


def test_a_shop_that_kept_the_english_defaults_signs_in_the_cards_language() -> None:
    """Shop() signs "With thanks," / "The team": English words, not for a German card."""
    unset = Shop(locale="de_DE")
    assert compose_card("thank-you", ANNA, shop=unset).text.endswith("Herzliche Grüße\nDas Team")
    assert compose_card("thank-you", ANNA, shop=Shop()).text.endswith("With thanks,\nThe team")
    named = Shop(locale="de_DE", sender="Maya", signature="Liebe Grüße")
    assert compose_card("thank-you", ANNA, shop=named).text.endswith("Liebe Grüße\nMaya")


def test_signatures_in_notes_toml(tmp_path: Path) -> None:
    path = tmp_path / "notes.toml"
    path.write_text('[shop]\nsignatures = { de = "Liebe Grüße", fr = "Bises," }\n', "utf-8")
    assert load_config(path).shop.signatures == {"de": "Liebe Grüße", "fr": "Bises,"}
    path.write_text("[shop]\nsignatures = { de = 3 }\n", "utf-8")
    with pytest.raises(ConfigError, match=r"signatures must be a table of texts") as info:
        load_config(path)
    assert "line 2" in str(info.value)


def test_merge_writes_each_row_in_its_language_and_warns_in_the_manifest(tmp_path: Path) -> None:
    source = tmp_path / "people.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(
            [
                ["Name", "Product", "Sprache"],
                ["Anna Berg", "Keramiktasse", "de"],
                ["Claire Roux", "Tasse en céramique", "fr-FR"],
                ["Ken Ito", "Mug", "ja"],
                ["Ann Lee", "Mug", ""],
            ]
        )
    out = tmp_path / "cards.pdf"
    result = runner.invoke(
        app, ["merge", str(source), "-t", "thank-you", "-o", str(out), "--jobs", "1", "-q"]
    )
    assert result.exit_code == 0, result.output
    rows = read_manifest(tmp_path / "cards.manifest.csv")
    assert [(r["status"], r["language"]) for r in rows] == [("ok", "de"), ("ok", "fr")] + [
        ("ok", "en")
    ] * 2
    assert [bool(r["warning"]) for r in rows] == [False, False, True, False]
    assert "Japanese (ja)" in rows[2]["warning"]
    assert "warning: " in result.output and "row 3" in result.output


def test_day_reads_the_language_of_a_shop_export_and_records_it(tmp_path: Path) -> None:
    export = tmp_path / "orders.csv"
    export.write_text(
        "Name,Email,Financial Status,Paid at,Created at,Lineitem quantity,Lineitem name,"
        "Lineitem price,Total,Billing Name,Customer Locale\n"
        "#1,a@example.com,paid,,2026-11-21 10:00:00 +0100,1,Keramiktasse,24.00,24.00,"
        "Anna Berg,de-DE\n"
        "#2,b@example.com,paid,,2026-11-21 11:00:00 +0100,1,Mug,24.00,24.00,Bo Lund,sv-SE\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["day", str(export), "-o", str(tmp_path / "out"), "--ledger", str(tmp_path / "l")]
    )
    assert result.exit_code == 0, result.output
    with (tmp_path / "out" / "manifest.csv").open(encoding="utf-8-sig") as handle:
        rows = {row["customer"]: row for row in csv.DictReader(handle)}
    assert rows["Anna Berg"]["language"] == "de" and not rows["Anna Berg"]["warning"]
    assert rows["Bo Lund"]["language"] == "en" and "Swedish" in rows["Bo Lund"]["warning"]
    assert "warning: Bo Lund" in result.output


def test_templates_lists_the_languages_of_each_occasion() -> None:
    result = runner.invoke(app, ["templates"])
    assert result.exit_code == 0
    assert result.output.count("languages: en de es fr it nl pt") == 8
    shown = runner.invoke(app, ["templates", "show", "apology", "--language", "fr"])
    assert shown.exit_code == 0 and "# apology: Excuses (fr)" in shown.output
    missing = runner.invoke(app, ["templates", "show", "apology", "--language", "sv"])
    assert missing.exit_code != 0 and "not written in 'sv'" in missing.output
    assert "Traceback" not in missing.output
