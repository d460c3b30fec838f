"""One record's fields -> the context a template sees; plus the name, list, money and date helpers.

Pure functions: no I/O, no clock. The template filters in `notes.templating` wrap these helpers.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from notes.config import Shop
from notes.errors import ConfigError, DataError

# Honorifics dropped before taking the first name ("Dr. Jane Smith" -> "Jane").
_TITLES = {
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "madam", "rev",
    "herr", "frau", "sr", "sra", "srta", "mme", "mlle", "dott", "sig", "sig.ra", "dhr", "mevr",
}  # fmt: skip

# "and" in a list of things, keyed by the locale's language.
_AND = {
    "en": "and", "de": "und", "fr": "et", "es": "y", "pt": "e", "it": "e", "nl": "en",
    "sv": "och", "da": "og", "nb": "og", "no": "og", "nn": "og", "fi": "ja", "pl": "i",
    "cs": "a", "sk": "a", "ro": "și", "ca": "i", "tr": "ve", "ru": "и", "uk": "і",
}  # fmt: skip

# Product lists arrive as "Mug; Plate" or "Mug | Plate".
_PRODUCT_SEPARATORS = re.compile(r"\s*[;|]\s*")
# Fields a single line of the card is built from: line breaks inside them would break the layout.
_ONE_LINE_FIELDS = {"name", "first_name", "last_name", "product", "city", "country"}
# Names templates call as functions or read from every render: a data column may not replace them.
RESERVED_NAMES = frozenset(
    {"shop", "today", "pick", "range", "money", "join_human", "format_date", "dict", "cycler",
     "joiner", "namespace", "loop", "self", "caller", "varargs", "kwargs"}
)  # fmt: skip
# Far longer than any card holds (a template writes at most 20 000 characters): refuse early
# instead of laying out 100 kB of text.
MAX_FIELD_CHARS = 20_000
_CURRENCY_JUNK = re.compile(r"[^\d.,'\u00a0\u202f +-]")


def _is_family_name_first(name: str) -> bool:
    """CJK and Korean names put the family name first and are written whole on a card."""
    for char in name:
        label = unicodedata.name(char, "")
        if label.startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL")):
            return True
    return False


def _given_names(name: str) -> list[str]:
    """The words of a name in given-name-first order, without honorifics."""
    name = " ".join(name.split())
    if "," in name:  # "Souza, Ana" -> "Ana Souza"
        family, _, given = name.partition(",")
        name = f"{given.strip()} {family.strip()}".strip()
    words = name.split(" ")
    while len(words) > 1 and words[0].lower().rstrip(".") in _TITLES:
        words = words[1:]
    return [w for w in words if w]


def first_name_of(name: Any) -> str:
    """'Ana Souza' -> 'Ana', 'Dr. Jane Smith' -> 'Jane', 'Souza, Ana' -> 'Ana'."""
    text = str(name).strip()
    if not text or _is_family_name_first(text):
        return text
    words = _given_names(text)
    return words[0] if words else text


def last_name_of(name: Any) -> str:
    """'Ana Souza' -> 'Souza'; '' when the name is a single word."""
    text = str(name).strip()
    if not text or _is_family_name_first(text):
        return ""
    words = _given_names(text)
    return " ".join(words[1:]) if len(words) > 1 else ""


def _language(locale: str | None) -> str:
    return (locale or "en").replace("-", "_").split("_")[0].lower()


def join_human(items: Any, locale: str | None = "en_US") -> str:
    """['a mug', 'a plate', 'a spoon'] -> 'a mug, a plate and a spoon' ('und', 'et'... by locale)."""
    if items is None:
        return ""
    if isinstance(items, str):
        return items
    words = [str(item) for item in items if str(item).strip()]
    if len(words) <= 1:
        return words[0] if words else ""
    language = _language(locale)
    conjunction = _AND.get(language, "and")
    # Spanish writes "e" instead of "y" before an /i/ sound ("agujas e hilo").
    if language == "es" and re.match(r"(?i)h?i(?![aeouáéó])", words[-1]):
        conjunction = "e"
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def split_products(value: Any) -> list[str]:
    """'Mug; Plate | Spoon' or a list -> ['Mug', 'Plate', 'Spoon'], blanks and repeats removed."""
    if value is None:
        return []
    parts = (
        _PRODUCT_SEPARATORS.split(value)
        if isinstance(value, str)
        else [str(v) for v in value if v is not None]
    )
    seen: set[str] = set()
    products = []
    for part in parts:
        part = " ".join(part.split())
        if part and part.casefold() not in seen:
            seen.add(part.casefold())
            products.append(part)
    return products


@lru_cache(maxsize=64)
def _locale(code: str):
    # Babel is imported only when money or dates are formatted: a plain note starts faster.
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        raise ConfigError(
            f"unknown locale {code!r}",
            where="[shop] locale",
            hint="use a language_COUNTRY code such as en_US, de_DE, fr_FR, pt_BR",
        ) from None


def parse_amount(value: Any, *, locale: str = "en_US") -> Decimal:
    """Read '12.5', '$7.50', '1.234,50', '1,234.50' or a number as a Decimal."""
    if isinstance(value, bool):
        raise DataError(f"cannot read {value!r} as an amount of money")
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    text = str(value).strip()
    negative = text.startswith("-") or (text.startswith("(") and text.endswith(")"))
    digits = _CURRENCY_JUNK.sub("", text).replace("-", "").replace("+", "")
    digits = re.sub(r"[\s'\u00a0\u202f]", "", digits)
    if "." in digits and "," in digits:
        # Both present: the one written last is the decimal separator.
        decimal = "." if digits.rfind(".") > digits.rfind(",") else ","
    elif digits.count(".") > 1 or digits.count(",") > 1:
        decimal = "," if digits.count(".") > 1 else "."  # "1.234.567": the repeated one groups
    elif digits.count(".") == 1 or digits.count(",") == 1:
        sep = "." if "." in digits else ","
        after = len(digits) - digits.index(sep) - 1
        # "12,50" is a decimal; "1.234" is ambiguous and follows the shop's locale.
        decimal = sep if after != 3 else _locale(locale).number_symbols["latn"]["decimal"]
    else:
        decimal = "."
    group = "," if decimal == "." else "."
    normal = digits.replace(group, "").replace(decimal, ".")
    try:
        if not re.fullmatch(r"\d+(\.\d*)?|\.\d+", normal):
            raise InvalidOperation
        amount = Decimal(normal)
    except InvalidOperation:
        raise DataError(
            f"cannot read {value!r} as an amount of money",
            hint="write amounts like 12.50, $7.50 or 1.234,50",
        ) from None
    return -amount if negative else amount


def format_money(value: Any, *, locale: str = "en_US", currency: str = "USD") -> str:
    """12.5 -> '$12.50' (en_US) or '12,50 €' (de_DE, EUR), with Babel."""
    amount = parse_amount(value, locale=locale)
    from babel.numbers import format_currency, is_currency

    if not is_currency(str(currency).upper()):
        raise ConfigError(
            f"unknown currency {currency!r}",
            where="[shop] currency",
            hint="use an ISO 4217 code such as USD, EUR, GBP, BRL",
        )
    return format_currency(amount, str(currency).upper(), locale=_locale(locale))


def parse_date(value: Any) -> dt.date:
    """ISO dates and datetimes ('2026-11-21', '2026-11-21 09:02:11 -0500') -> a date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})(?:$|[T ])", text)
    if match:
        try:
            return dt.date(*map(int, match.groups()))
        except ValueError:
            pass
    raise DataError(
        f"cannot read {value!r} as a date", hint="write dates as YYYY-MM-DD, e.g. 2026-11-21"
    )


def format_date(value: Any, *, locale: str = "en_US", format: str = "long") -> str:
    """'2026-11-21' -> 'November 21, 2026' (long) or 'Nov 21, 2026' (medium), with Babel."""
    try:
        from babel.dates import format_date as babel_format_date

        return babel_format_date(parse_date(value), format=format, locale=_locale(locale))
    except (ValueError, KeyError, AttributeError) as exc:
        raise DataError(
            f"cannot format a date as {format!r}: {exc}",
            hint="use 'short', 'medium', 'long', 'full' or a pattern like 'd MMMM'",
        ) from None


def _clean(key: str, value: Any) -> Any:
    """Strip text; None, blank or invisible-only text means missing (returns None)."""
    if value is None:
        return None
    if isinstance(value, str):
        if len(value) > MAX_FIELD_CHARS:
            raise DataError(
                f"field {key!r} is too long: {len(value)} characters (the limit is "
                f"{MAX_FIELD_CHARS})",
                hint=f"shorten {key!r} in this row; a card holds a few hundred characters",
            )
        text = value.strip()
        if key in _ONE_LINE_FIELDS:
            text = " ".join(text.split())
        # A zero-width space or a lone control character would print "Dear ," on the card.
        if not any(unicodedata.category(c)[0] not in "CZ" for c in text):
            return None
        return text
    return value


def shop_context(shop: Shop) -> dict[str, str]:
    """The `shop` dict templates read as {{ shop.name }}, {{ shop.signature }}..."""
    return {
        "name": shop.name,
        "sender": shop.sender,
        "signature": shop.signature,
        "locale": shop.locale,
        "currency": shop.currency,
    }


def build_context(
    fields: Mapping[str, Any],
    *,
    shop: Shop,
    today: str,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """One record's canonical fields -> template context (name parts, product list, shop, today).

    Blank fields are left out so a template that needs them fails with a clear error
    (StrictUndefined) instead of writing "Dear ,".
    """
    context: dict[str, Any] = {}
    for key, value in fields.items():
        if key in RESERVED_NAMES:
            continue
        cleaned = _clean(key, value)
        if cleaned is not None:
            context[key] = cleaned

    name = context.get("name")
    if name is None and ("first_name" in context or "last_name" in context):
        name = " ".join(context[k] for k in ("first_name", "last_name") if k in context)
        context["name"] = name
    if name is not None:
        if "first_name" not in context and first_name_of(name):
            context["first_name"] = first_name_of(name)
        if "last_name" not in context and last_name_of(name):
            context["last_name"] = last_name_of(name)

    products = split_products(context.get("products") or context.get("product"))
    context.pop("products", None)
    context.pop("product", None)
    if products:
        context["products"] = products
        context["product"] = join_human(products, shop.locale)

    context["shop"] = shop_context(shop)
    context["today"] = today
    for key, value in (extra or {}).items():
        if key in RESERVED_NAMES:
            continue
        cleaned = _clean(key, value)
        if cleaned is not None:
            context[key] = cleaned
    return context


def known_fields(items: Iterable[str]) -> str:
    """'a, b, c' for hints; '(none)' when empty."""
    names = sorted(items)
    return ", ".join(names) if names else "(none)"
