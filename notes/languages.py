"""Which language a card is written in, and the words that depend on the reader: greeting, sign-off.

The bundled occasions are written in one folder per language (templates/de/thank-you.j2 ...),
each language a line of templates/languages.toml. A card is written in the customer's language
when a column says it (`language`, `locale`, a shop export's customer locale: "de", "de-DE",
"Deutsch", "German"), else in the shop's (`[shop] locale`). A language without cards falls back
to the shop's, with a warning for the manifest; never silently.

A greeting that depends on the reader's gender (Liebe/Lieber, Chère/Cher, Querida/Querido) is
written only when a salutation or gender column (or a title in the name: "Frau Anna Berg") says
which; otherwise the template's neutral greeting ("Hallo Anna,"). It is never guessed from a first
name.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from notes import tomlstore
from notes.config import Shop
from notes.errors import TemplateError
from notes.grammar import language_of
from notes.records import FrozenRecord  # dataclass methods written once (start-up)
from notes.templates import BASE_LANGUAGE, occasions, templates_dir
from notes.values import babel_locale

LANGUAGES_FILE = "languages.toml"
# Columns that say the customer's language, in the order they are read.
LANGUAGE_FIELDS = ("language", "locale", "customer_locale", "lang")
_KEYS = {
    "name": True, "locale": True, "sign_off": True, "discount_prefix": False, "team": False,
    "female": False, "male": False,
}  # fmt: skip

# Salutations and gender values, folded (casefold, no accents, no final dot). In a salutation or
# gender column any of them counts; before a name only the titles ("Frau Anna Berg"), not single
# letters ("M Smith" is an initial). Letters follow ISO/ICAO (M, F) plus W (weiblich) and H
# (homme, hombre); V is left out: "vrouw" in Dutch, "varón" on old Spanish forms.
_FEMALE_TITLES = {
    "mrs", "ms", "miss", "madam", "frau", "mme", "madame", "mlle", "mademoiselle", "sra", "senora",
    "srta", "senorita", "signora", "sig.ra", "sig.a", "mevrouw", "mevr", "mw", "senhora",
}  # fmt: skip
_MALE_TITLES = {
    "mr", "sir", "herr", "monsieur", "sr", "senor", "signor", "signore", "sig", "meneer", "dhr",
    "heer", "senhor",
}  # fmt: skip
_FEMALE_WORDS = {
    "f", "w", "female", "woman", "weiblich", "femme", "feminin", "mujer", "femenino", "donna",
    "femminile", "vrouw", "vrouwelijk", "mulher", "feminino",
}  # fmt: skip
_MALE_WORDS = {
    "m", "h", "male", "man", "mannlich", "maennlich", "homme", "masculin", "hombre", "masculino",
    "uomo", "maschile", "mannelijk", "homem",
}  # fmt: skip


@dataclass(init=False, repr=False, eq=False)
class Language(FrozenRecord):
    """One language of the bundled templates (templates/languages.toml)."""

    code: str  # the folder: "de"
    name: str  # its own name: "Deutsch"
    locale: str  # its money and dates when nothing says more: "de_DE"
    sign_off: str  # above the sender's name when the shop's signature is in another language
    discount_prefix: str = ""  # generated discount codes: "DANKE-7K2Q"
    team: str = ""  # who signs when the shop has not named a sender: "Das Team"
    female: str = ""  # the gendered greeting, used only when a column says so
    male: str = ""


@dataclass(init=False, repr=False, eq=False)
class CardLanguage(FrozenRecord):
    """The language a card is written in and the locale its money, dates and numbers use."""

    code: str  # "de": templates/de/
    locale: str  # "de_DE"
    warning: str = ""  # why the card is not in the language asked for ("" when it is)


@lru_cache(maxsize=1)
def languages() -> dict[str, Language]:
    """The languages in templates/languages.toml, by code."""
    return _read_languages(templates_dir() / LANGUAGES_FILE)


@lru_cache(maxsize=4)
def _read_languages(path: Path) -> dict[str, Language]:
    try:
        data = tomlstore.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:  # unreadable, not UTF-8, not TOML (TOMLDecodeError)
        raise TemplateError(
            f"cannot read the list of languages: {exc}",
            where=str(path),
            hint='one line per language: de = { name = "Deutsch", locale = "de_DE", ... }',
        ) from None
    found = {}
    for code, entry in data.items():
        missing = [k for k, required in _KEYS.items() if required and k not in entry]
        extra = [k for k in entry if k not in _KEYS] if isinstance(entry, dict) else []
        if not isinstance(entry, dict) or missing or extra or not (path.parent / code).is_dir():
            raise TemplateError(
                f"language {code!r} is not described right",
                where=str(path),
                hint=f"it needs a folder templates/{code}/ and the keys "
                f"{', '.join(k for k, r in _KEYS.items() if r)} (optional: "
                f"{', '.join(k for k, r in _KEYS.items() if not r)})"
                + (f"; unknown: {', '.join(extra)}" if extra else ""),
            )
        found[code] = Language(code, **{k: str(v) for k, v in entry.items()})
    return found


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).rstrip(".")


@lru_cache(maxsize=1)
def _language_names() -> dict[str, str]:
    """'deutsch', 'german', 'francais', 'japanese' ... -> code, for a column that names a language."""
    names = {_fold(name): code for code, name in babel_locale("en").languages.items()}
    for code, language in languages().items():
        names[_fold(language.name)] = code
    return names


def parse_language(value: str) -> tuple[str, str | None] | None:
    """'de' -> ('de', None); 'fr-CA' -> ('fr', 'fr_CA'); 'Deutsch' -> ('de', None); else None.

    A browser's list ('de-DE,de;q=0.9') is read by its first entry."""
    text = str(value).split(",")[0].split(";")[0].strip().replace("-", "_")
    if not text:
        return None
    named = _language_names().get(_fold(text))
    if named:  # "Austrian German" names de_AT: the language, and its locale
        return language_of(named), (named if "_" in named else None)
    for candidate in (text, text.split("_")[0]):
        try:
            locale = babel_locale(candidate)
        except Exception:  # noqa: BLE001 - any unreadable code is "not a language"
            continue
        return locale.language, str(locale) if locale.territory and candidate == text else None
    return None


def asked_language(fields: Mapping[str, Any]) -> tuple[str, str] | None:
    """(field, value) of the first language column a record fills in."""
    for field in LANGUAGE_FIELDS:
        value = fields.get(field)
        if isinstance(value, str) and value.strip():
            return field, value.strip()
    return None


def card_language(
    fields: Mapping[str, Any], *, shop_locale: str, occasion: str | None = None
) -> CardLanguage:
    """The language to write this customer's card in, with a warning when it is not theirs."""
    shop = _shop_language(shop_locale, occasion)
    asked = asked_language(fields)
    if asked is None:
        return shop
    field, value = asked
    parsed = parse_language(value)
    if parsed is None:
        return _fallback(shop, f"cannot read {value!r} ({field}) as a language")
    code, locale = parsed
    known = _languages_with(occasion)
    chosen = next((c for c in (locale, code) if c in known), None)
    if chosen is None:
        name = babel_locale("en").languages.get(code, code)
        why = f"no {occasion + ' ' if occasion else ''}card in {name} ({code}) yet"
        return _fallback(shop, f"{why}, asked for by {field} {value!r}")
    return CardLanguage(chosen, locale or _locale_for(code, shop_locale))


def _languages_with(occasion: str | None) -> frozenset[str]:
    codes, found = languages(), occasions()
    # Asked twice for every card of a batch: kept per occasion, while the catalogs it was made
    # from are the ones loaded (both are loaded once per folder).
    kept = _LANGUAGES_WITH.get(occasion)
    if kept is None or kept[0] is not codes or kept[1] is not found:
        known = set(codes) & set(found[occasion]) if occasion in found else set(codes)
        kept = _LANGUAGES_WITH[occasion] = (codes, found, frozenset(known))
    return kept[2]


_LANGUAGES_WITH: dict[str | None, tuple[dict, dict, frozenset[str]]] = {}  # a few occasions


def _shop_language(shop_locale: str, occasion: str | None) -> CardLanguage:
    code = language_of(shop_locale)
    known = _languages_with(occasion)
    full = str(shop_locale).replace("-", "_")
    for candidate in (full, code):
        if candidate in known:
            return CardLanguage(candidate, full)
    name = babel_locale("en").languages.get(code, code)
    base = _locale_for(BASE_LANGUAGE, shop_locale)
    what = f"no {occasion + ' ' if occasion else ''}card in {name} ({code}), the shop's language"
    return CardLanguage(BASE_LANGUAGE, base, f"{what}: written in English")


def _fallback(shop: CardLanguage, why: str) -> CardLanguage:
    if shop.warning:  # the shop's language has no cards either: both reasons matter
        return CardLanguage(shop.code, shop.locale, f"{why}; {shop.warning}")
    name = languages()[shop.code].name if shop.code in languages() else shop.code
    return CardLanguage(shop.code, shop.locale, f"{why}: written in {name}, the shop's language")


def _locale_for(code: str, shop_locale: str) -> str:
    """The locale for a language: the shop's when it is that language ('de_AT'), else the
    language in the shop's country when there is one ('fr_CH'), else the language's own."""
    shop = babel_locale(shop_locale)
    if shop.language == code:
        return str(shop)
    if shop.territory:
        try:
            return str(babel_locale(f"{code}_{shop.territory}"))
        except Exception:  # noqa: BLE001 - no such locale: the language's own below
            pass
    language = languages().get(code)
    return language.locale if language else code


def addressed_as(fields: Mapping[str, Any]) -> str | None:
    """'female' or 'male' when a salutation or gender column (or a title before the name) says
    so, and they agree; None otherwise. Never guessed from a first name."""
    said = set()
    for field in ("salutation", "gender"):
        value = fields.get(field)
        if isinstance(value, str) and value.strip():
            said.add(_form_of(value, allow_words=True))
    name = fields.get("name")
    if isinstance(name, str) and len(name.split()) > 1:
        said.add(_form_of(name.split()[0], allow_words=False))
    said.discard(None)
    return said.pop() if len(said) == 1 else None


@lru_cache(maxsize=1024)  # asked of every card's name: a batch's first names repeat
def _form_of(value: str, *, allow_words: bool) -> str | None:
    word = _fold(value.split()[0]) if value.split() else ""
    if word in _FEMALE_TITLES or (allow_words and word in _FEMALE_WORDS):
        return "female"
    if word in _MALE_TITLES or (allow_words and word in _MALE_WORDS):
        return "male"
    return None


def gendered_greeting(code: str, form: str | None) -> str | None:
    """'Liebe' for a woman in German: the language's form for `form`, if it has one."""
    language = languages().get(code)
    if language is None or form is None:
        return None
    return (language.female if form == "female" else language.male) or None


def signed(code: str, shop: Shop) -> dict[str, str]:
    """The sign-off and the sender's name on a card in `code`.

    The shop's own sign-off ([shop] signature) is in its language; on a card in another, the one
    it set for that language ([shop] signatures), else the language's usual one. The built-in
    defaults ("With thanks,", "The team") are English: a shop that kept them gets its card
    language's words instead."""
    default = _default_shop()
    language = languages().get(code)
    in_shops_language = code in (language_of(shop.locale), shop.locale.replace("-", "_"))
    kept_default = shop.signature == default.signature and code != BASE_LANGUAGE
    if in_shops_language and not kept_default:
        signature = shop.signature
    else:
        usual = language.sign_off if language else shop.signature
        signature = shop.signatures.get(code, usual)
    sender = shop.sender
    if sender == default.sender and language is not None and language.team:
        sender = language.team
    return {"signature": signature, "sender": sender}


@lru_cache(maxsize=1)
def _default_shop() -> Shop:
    """The built-in [shop] (never changed: only its defaults are read)."""
    return Shop()


def discount_prefix(shop_locale: str) -> str:
    """The word generated discount codes start with, in the shop's language: DANKE-7K2Q."""
    shop = _shop_language(shop_locale, None)
    language = languages().get(shop.code)
    return (language.discount_prefix if language else "") or "THANKS"
