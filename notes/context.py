"""One record's fields -> the context a template sees; plus the list, money and date helpers.

Pure functions: no I/O, no clock. Names come from `notes.names`, money and dates from
`notes.values`; the template filters in `notes.templating` wrap these helpers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from notes.config import Shop
from notes.errors import ConfigError, DataError
from notes.grammar import join_list
from notes.names import PersonName, person_from_fields
from notes.values import ColumnText, NumberStyle, babel_locale, parse_amount, parse_date

# Product lists arrive as "Mug; Plate" or "Mug | Plate".
_PRODUCT_SEPARATORS = re.compile(r"\s*[;|]\s*")
# Fields a single line of the card is built from: line breaks inside them would break the layout.
_ONE_LINE_FIELDS = {"name", "first_name", "last_name", "product", "city", "country"}
# Names templates call as functions or read from every render: a data column may not replace them.
RESERVED_NAMES = frozenset(
    {"shop", "today", "pick", "greeting", "range", "money", "join_human", "format_date", "dict",
     "cycler", "joiner", "namespace", "loop", "self", "caller", "varargs", "kwargs"}
)  # fmt: skip
# Far longer than any card holds (a template writes at most 20 000 characters): refuse early
# instead of laying out 100 kB of text.
MAX_FIELD_CHARS = 20_000


def join_human(items: Any, locale: str | None = "en_US") -> str:
    """['a mug', 'a plate'] -> 'a mug and a plate' ('und', 'et'... by locale, Babel's patterns)."""
    return join_list(items, locale or "en_US")


def split_products(value: Any) -> list[str]:
    """'Mug; Plate | Spoon' or a list -> ['Mug', 'Plate', 'Spoon'], blanks and repeats removed;
    'Mug; large, speckled' (a quoted cell: it holds a comma) stays one product."""
    if value is None:
        return []
    if isinstance(value, str):
        # A cell holding a comma was quoted in its CSV ("Mug; large, speckled"): one product.
        parts = [value] if "," in value else _PRODUCT_SEPARATORS.split(value)
    else:
        parts = [str(v) for v in value if v is not None]
    seen: set[str] = set()
    products = []
    for part in parts:
        part = " ".join(part.split())
        if part and part.casefold() not in seen:
            seen.add(part.casefold())
            products.append(part)
    return products


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
    return format_currency(amount, str(currency).upper(), locale=babel_locale(locale))


def format_date(value: Any, *, locale: str = "en_US", format: str = "long") -> str:
    """'2026-11-21' -> 'November 21, 2026' (long) or 'Nov 21, 2026' (medium), with Babel."""
    date = parse_date(value, locale=locale)
    try:
        from babel.dates import format_date as babel_format_date

        return babel_format_date(date, format=format, locale=babel_locale(locale))
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
        if text.isascii() and text.isprintable():  # stripped: it shows a character unless empty
            return text or None
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
        # The back of a duplex card prints it under the shop's name, so a first line that
        # repeats the name is left out.
        "address": "\n".join(
            line for n, line in enumerate(shop.return_address) if n or line != shop.name
        ),
    }


def greeting_for(person: PersonName) -> str:
    """The name a card greets: the given name ('Claire' for 'Mme Claire Dubois'); when none is
    known, the name as the envelope has it, honorific included ('Mr Smith')."""
    return person.greeting_name or person.on_envelope


def _add_names(context: dict[str, Any], person: PersonName) -> None:
    """name (as given, else built in the order the script writes it), first_name and
    greeting_name (the name greeted, which templates use), last_name."""
    envelope = person.on_envelope  # what `not person` and greeting_for would each work out
    if not envelope:
        return
    context.setdefault("name", envelope)
    context["first_name"] = context["greeting_name"] = person.greeting_name or envelope
    if person.family:
        context.setdefault("last_name", person.family)


def build_context(
    fields: Mapping[str, Any],
    *,
    shop: Shop,
    today: str,
    extra: Mapping[str, Any] | None = None,
    number_styles: Mapping[str, tuple[str, NumberStyle | None]] | None = None,
    locale: str | None = None,
    shop_fields: dict[str, str] | None = None,
) -> dict[str, Any]:
    """One record's canonical fields -> template context (name parts, product list, shop, today).

    Blank fields are left out so a template that needs them fails with a clear error
    (StrictUndefined) instead of writing "Dear ,". `number_styles` (field -> its column and the
    number style that column shows) makes `money` read those fields as their export wrote them.
    `locale` is the card's (the customer's language), for the product list; the shop's when not
    given. `shop_fields`: the `shop` the template reads, when the caller made it (a run makes
    it once: notes.compose.Composer); `shop_context(shop)` when not given.
    """
    context: dict[str, Any] = {}
    for key, value in fields.items():
        if key in RESERVED_NAMES:
            continue
        cleaned = _clean(key, value)
        if cleaned is not None:
            context[key] = cleaned
    for key, (column, style) in (number_styles or {}).items():
        if isinstance(context.get(key), str):
            context[key] = ColumnText(context[key], column, style)

    _add_names(context, person_from_fields(context, locale=shop.locale))
    listed = context.get("products") or context.get("product")
    context.pop("products", None)
    context.pop("product", None)
    if isinstance(listed, str) and len(listed) <= KEPT_PRODUCTS_CHARS:
        products, joined = _product_list(listed, locale or shop.locale)
        if products:
            context["products"], context["product"] = list(products), joined
    elif products := split_products(listed):
        context["products"] = products
        context["product"] = join_human(products, locale or shop.locale)

    context["shop"] = shop_context(shop) if shop_fields is None else shop_fields
    context["today"] = today
    for key, value in (extra or {}).items():
        if key in RESERVED_NAMES:
            continue
        cleaned = _clean(key, value)
        if cleaned is not None:
            context[key] = cleaned
    return context


# A products cell at most this long is kept with its list (_product_list): a batch's rows name a
# few products, often the same ones; 1024 cells of this size stay well under a megabyte.
KEPT_PRODUCTS_CHARS = 300


@lru_cache(maxsize=1024)
def _product_list(listed: str, locale: str) -> tuple[tuple[str, ...], str]:
    """A products cell -> its products and the phrase that lists them ('a mug and a plate')."""
    products = split_products(listed)
    return tuple(products), join_human(products, locale) if products else ""


def known_fields(items: Iterable[str]) -> str:
    """'a, b, c' for hints; '(none)' when empty."""
    names = sorted(items)
    return ", ".join(names) if names else "(none)"
