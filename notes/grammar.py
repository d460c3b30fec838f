"""Grammar that changes with the card's language: lists, numbers in words, ordinals, plurals.

Pure functions of a value and a locale ("de_DE"); the template filters in `notes.templating` call
them with the card's locale. Lists and plural rules come from Babel (CLDR), numbers in words from
num2words; the few agreements neither does (a feminine ordinal in Spanish, "duas" in Portuguese)
are spelled out here per language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache
from typing import Any

from notes.errors import ConfigError, DataError, TemplateError
from notes.values import babel_locale

PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")  # CLDR's categories
_GENDERS = {"f": "f", "feminine": "f", "m": "m", "masculine": "m", "n": "n", "neuter": "n"}
# Spanish writes "e" for "y" before an /i/ sound: "agujas e hilo", but "agua y hielo".


def language_of(locale: str | None) -> str:
    """'de_DE' -> 'de', 'pt-BR' -> 'pt'."""
    return (locale or "en").replace("-", "_").split("_")[0].lower()


@cache
def _spanish_i_sound() -> re.Pattern[str]:
    """A word that starts with an i sound: 'y' becomes 'e' before it. Compiled when first
    used (a Spanish list), not by every `notes write`."""
    return re.compile(r"(?i)h?[ií](?![aeouáéó])")


def join_list(items: Any, locale: str) -> str:
    """['Tasse', 'Teller', 'Löffel'] -> 'Tasse, Teller und Löffel' (Babel's list patterns)."""
    if items is None:
        return ""
    if isinstance(items, str):
        return items
    words = [str(item) for item in items if str(item).strip()]
    if len(words) <= 1:
        return words[0] if words else ""
    if language_of(locale) == "es" and _spanish_i_sound().match(words[-1]):
        return f"{', '.join(words[:-1])} e {words[-1]}"
    from babel.lists import format_list

    try:
        known = babel_locale(locale)
    except ConfigError:  # a list is still a list: English patterns for a locale Babel lacks
        known = babel_locale("en")
    return format_list(words, style="standard", locale=known)


def whole_number(value: Any, what: str = "number") -> int:
    """3, '3', ' 12 ', 3.0 -> an int; anything else is a DataError naming the value."""
    from decimal import Decimal, InvalidOperation  # not imported by a card that counts nothing

    if isinstance(value, bool):
        raise DataError(f"cannot write {value!r} as a {what}")
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite() or number != number.to_integral_value():
        raise DataError(
            f"cannot write {value!r} as a {what}: it is not a whole number",
            hint="give a whole number such as 3",
        )
    return int(number)


def _gender(value: str | None) -> str | None:
    if value is None:
        return None
    gender = _GENDERS.get(str(value).strip().casefold())
    if gender is None:
        raise TemplateError(
            f"unknown grammatical gender {value!r}",
            hint='use "f" (feminine), "m" (masculine) or "n" (neuter)',
        )
    return gender


@lru_cache(maxsize=32)
def _num2words_language(locale: str) -> str | None:
    from num2words import CONVERTER_CLASSES

    for code in (locale.replace("-", "_"), language_of(locale)):
        if code in CONVERTER_CLASSES:
            return code
    return None


def _spelled(number: int, locale: str, to: str) -> str | None:
    language = _num2words_language(locale)
    if language is None:
        return None
    from num2words import num2words

    try:
        return num2words(number, lang=language, to=to)
    except (NotImplementedError, OverflowError, ValueError, TypeError):
        return None


def number_words(
    value: Any, locale: str, *, gender: str | None = None, up_to: int | None = None
) -> str:
    """3 -> 'drei' (de), 'tres' (es), 'duas' (pt, feminine); above `up_to`, digits ('1.234')."""
    number = whole_number(value)
    agree = _gender(gender)
    words = _spelled(number, locale, "cardinal") if up_to is None or number <= up_to else None
    if words is None:
        from babel.numbers import format_decimal

        return format_decimal(number, locale=babel_locale(locale))
    return _cardinal_agreeing(words, language_of(locale), agree)


def _cardinal_agreeing(words: str, language: str, gender: str | None) -> str:
    if gender == "f":
        rules = {
            "es": [(r"uno$", "una"), (r"ientos\b", "ientas")],
            "pt": [(r"\bum$", "uma"), (r"\bdois$", "duas"), (r"entos\b", "entas")],
            "it": [(r"uno$", "una")],
            "fr": [(r"\bun$", "une")],
            "de": [(r"^eins$", "eine")],
        }.get(language, [])
    elif gender in ("m", "n"):  # before the noun: "un pedido", "veintiún pedidos", "ein Paket"
        rules = {
            "es": [(r"veintiuno$", "veintiún"), (r"uno$", "un")],
            "it": [(r"^uno$", "un")],
            "de": [(r"^eins$", "ein")],
        }.get(language, [])
    else:
        rules = []
    for pattern, replacement in rules:
        words = re.sub(pattern, replacement, words)
    return words


def ordinal_words(
    value: Any, locale: str, *, gender: str | None = None, up_to: int | None = None
) -> str:
    """3 -> 'dritte' (de), 'tercera' (es, feminine), 'troisième' (fr); above `up_to` or below 1,
    the written short form: '23.' (de), '23e' (fr), '23.ª' (es, pt), '23º' (it), '23rd' (en)."""
    number = whole_number(value, "ordinal")
    agree = _gender(gender)
    language = language_of(locale)
    words = None
    if number >= 1 and (up_to is None or number <= up_to):
        words = _spelled(number, locale, "ordinal")
    if words is None:
        return _short_ordinal(number, language, agree)
    if agree == "f" and language in ("es", "pt", "it"):
        return re.sub(r"o\b", "a", words)  # tercero -> tercera, vigésimo primeiro -> vigésima ...
    if agree == "f" and language == "fr":
        return re.sub(r"premier$", "première", words)
    if agree == "m" and language == "es":
        return re.sub(r"(prim|terc)ero$", r"\1er", words)  # before the noun: "tu tercer pedido"
    return words


def _short_ordinal(number: int, language: str, gender: str | None) -> str:
    feminine = gender == "f"
    if language == "en":
        last_two, last = abs(number) % 100, abs(number) % 10
        suffix = "th" if 11 <= last_two <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(last, "th")
        return f"{number}{suffix}"
    if language == "fr":
        return f"{number}{('re' if feminine else 'er') if number == 1 else 'e'}"
    if language in ("es", "pt"):
        return f"{number}.{'ª' if feminine else 'º'}"
    if language == "it":
        return f"{number}{'ª' if feminine else 'º'}"
    if language == "nl":
        return f"{number}e"
    return f"{number}."  # German, and the written form of many other languages


def plural_category(value: Any, locale: str) -> str:
    """The CLDR plural category of a count: 'one' or 'other' in English; French 0 is 'one'."""
    number = whole_number(value, "count")
    return babel_locale(locale).plural_form(abs(number))


def plural_word(value: Any, locale: str, forms: Mapping[str, str]) -> str:
    """The word for a count in the card's language: forms by CLDR category, `other` required."""
    unknown = sorted(set(forms) - set(PLURAL_FORMS))
    if unknown or "other" not in forms:
        raise TemplateError(
            f"plural forms must include 'other' and be among {', '.join(PLURAL_FORMS)}"
            + (f"; not {', '.join(map(repr, unknown))}" if unknown else ""),
            hint='write it like: count|plural("Bestellung", "Bestellungen") (one, other)',
        )
    category = plural_category(value, locale)
    return str(forms.get(category, forms["other"]))


def plural_forms(positional: Iterable[Any], named: Mapping[str, Any]) -> dict[str, str]:
    """plural("order", "orders") or plural(one="order", other="orders") -> the forms by name."""
    given = [str(word) for word in positional]
    if len(given) > 2:
        raise TemplateError(
            "plural takes at most two forms by position (one, other)",
            hint='name the others: count|plural("pedido", "pedidos", many="de pedidos")',
        )
    forms = dict(zip(("one", "other"), given, strict=False))
    for name, word in named.items():
        if name in forms:
            raise TemplateError(f"plural form {name!r} is given twice")
        forms[name] = str(word)
    return forms
