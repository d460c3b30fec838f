"""Column names -> canonical fields: whatever an export called its columns, templates see `name`.

`column_map` matches a header row against known aliases ("E-mail", "Billing First Name",
"customer.email" from flattened JSON), honouring --map overrides; `record_fields` applies it to
one record. Which part of a name is the given name is `notes.names`'s business, not this module's.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import TYPE_CHECKING

from notes.errors import DataError, UsageError

if TYPE_CHECKING:
    from notes.sources import Record


CANONICAL_FIELDS: dict[str, tuple[str, ...]] = {
    "first_name": ("first_name", "firstname", "given_name", "forename", "first", "vorname"),
    "last_name": ("last_name", "lastname", "surname", "family_name", "last", "nachname"),
    "name": (
        "name", "full_name", "fullname", "customer_name", "customer", "recipient",
        "recipient_name", "contact_name", "billing_name", "shipping_name", "client_name",
    ),
    "email": ("email", "e_mail", "email_address", "e_mail_address", "customer_email", "mail"),
    "phone": ("phone", "phone_number", "telephone", "tel", "mobile"),
    "company": ("company", "company_name", "organisation", "organization", "business"),
    "address1": (
        "address1", "address", "address_1", "address_line_1", "address_line1", "street",
        "street_address", "shipping_address1", "shipping_address_1", "billing_address1",
    ),
    "address2": (
        "address2", "address_2", "address_line_2", "address_line2", "apartment", "apt", "suite",
        "shipping_address2", "shipping_address_2", "billing_address2",
    ),
    "city": ("city", "town", "locality"),
    "zip": ("zip", "zip_code", "zipcode", "postcode", "postal_code", "post_code", "plz"),
    "state": ("state", "province", "region", "county", "state_code", "province_code"),
    "country": ("country", "country_code", "country_name"),
    "product": (
        "product", "item", "product_name", "item_name", "lineitem_name", "products", "items",
    ),
    "order_number": (
        "order_number", "order", "order_id", "order_no", "order_num", "transaction_id",
    ),
    "date": ("date", "order_date", "created_at", "purchase_date", "ordered_at"),
    "birthday": ("birthday", "date_of_birth", "dob", "birth_date", "birthdate"),
    "notes": ("notes", "note", "comment", "comments", "gift_message"),
    "total": ("total", "amount", "order_total", "total_price", "grand_total"),
    # The customer's language ("de", "fr-CA", "Deutsch"): their card is written in it.
    "language": (
        "language", "locale", "lang", "language_code", "preferred_language", "wpml_language",
        "sprache", "langue", "idioma", "lingua", "taal",
    ),
    # Only these say which greeting a gendered language uses ("Liebe"/"Lieber"): never the name.
    "salutation": ("salutation", "anrede", "civilite", "civilité", "honorific", "aanhef"),
    "gender": (
        "gender", "sex", "geschlecht", "sexe", "genre", "sexo", "genero", "género", "sesso",
        "geslacht",
    ),
}  # fmt: skip
_ALIAS_TO_FIELD = {alias: f for f, aliases in CANONICAL_FIELDS.items() for alias in aliases}
# "billing_first_name", "customer.email" (flattened JSON): the same fields, behind a prefix.
_PREFIXES = ("billing_", "shipping_", "customer_", "contact_", "buyer_", "client_", "recipient_")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")  # ASCII only: see tests


def normalise_header(name: str) -> str:
    """'First Name', 'first_name', 'FirstName', ' FIRST-NAME ' -> 'first_name'."""
    text = unicodedata.normalize("NFKC", _CAMEL.sub("_", name)).casefold()
    # Letters, digits and combining marks (Devanagari and Thai vowels) make words.
    chars = [c if c.isalnum() or unicodedata.category(c)[0] == "M" else "_" for c in text]
    return re.sub(r"_+", "_", "".join(chars)).strip("_")


def _alias_field(normalised: str, *, prefixed: bool) -> str | None:
    if not prefixed:
        return _ALIAS_TO_FIELD.get(normalised)
    for prefix in _PREFIXES:
        if normalised.startswith(prefix):
            field = _ALIAS_TO_FIELD.get(normalised[len(prefix) :])
            if field:
                return field
    return None


def _find_column(wanted: str, columns: list[str]) -> str | None:
    if wanted in columns:
        return wanted
    for column in columns:
        if column.strip() == wanted.strip():
            return column
    key = normalise_header(wanted)
    return next((c for c in columns if normalise_header(c) == key), None)


def _canonical(field: str) -> str:
    key = normalise_header(field)
    return _ALIAS_TO_FIELD.get(key, key)


def column_map(columns: list[str], overrides: dict[str, str] | None = None) -> dict[str, str]:
    """Canonical field -> column name, for every column (unknown ones under their own name)."""
    result: dict[str, str] = {}
    for field, wanted in (overrides or {}).items():
        column = _find_column(wanted, columns)
        if column is None:
            close = closest_column(wanted, columns)
            raise DataError(
                f"--map {field}={wanted}: there is no column {wanted!r}",
                hint=(f"did you mean {close!r}? " if close else "")
                + f"the columns are: {', '.join(columns)}",
            )
        result[_canonical(field)] = column
    used = set(result.values())
    normalised = [normalise_header(c) for c in columns]
    # Exact aliases first, so "Email" beats "Billing Email" wherever it stands.
    for prefixed in (False, True):
        for column, key in zip(columns, normalised, strict=True):
            field = _alias_field(key, prefixed=prefixed)
            if field and field not in result and column not in used:
                result[field] = column
                used.add(column)
    # Every other column is usable by templates under its normalised name.
    for i, (column, key) in enumerate(zip(columns, normalised, strict=True), 1):
        if column in used:
            continue
        key, base, n = key or f"column_{i}", key or f"column_{i}", 2
        while key in result:  # "Email" after "E-mail" took email: email_2
            key, n = f"{base}_{n}", n + 1
        result[key] = column
    return result


def record_fields(record: Record, colmap: dict[str, str]) -> dict[str, str]:
    """Canonical field -> value for one record."""
    values = {field: record.raw[col] for field, col in colmap.items() if col in record.raw}
    mapped = set(colmap.values())
    for column, value in record.raw.items():  # keys first seen deep in a JSON file
        if column not in mapped:
            key = normalise_header(column)
            field = _alias_field(key, prefixed=False) or _alias_field(key, prefixed=True)
            for candidate in (field, key):
                if candidate and candidate not in values:
                    values[candidate] = value
                    break
    return values


def closest_column(field: str, columns: list[str]) -> str | None:
    """The column most like `field` (or one of its aliases), for "did you mean" hints."""
    key = normalise_header(field)
    names = {key, *CANONICAL_FIELDS.get(_canonical(field), ())}
    best, best_ratio = None, 0.6
    for column in columns:
        target = normalise_header(column)
        ratio = max(difflib.SequenceMatcher(None, n, target).ratio() for n in names)
        if ratio > best_ratio:
            best, best_ratio = column, ratio
    return best


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    """['name=Customer', 'product=Item Bought'] -> {'name': 'Customer', 'product': 'Item Bought'}."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        field, column = field.strip(), column.strip()
        if not sep or not field or not column:
            raise UsageError(
                f"--map {pair!r}: expected field=Column",
                hint='for example --map name="Customer Name" --map product=Item',
            )
        if field in mapping:
            raise UsageError(
                f"--map {pair!r}: {field!r} is mapped twice",
                hint="give each field one --map",
            )
        mapping[field] = column
    return mapping
