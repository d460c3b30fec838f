"""Who a sales-day card greets, and how it names what they bought.

Names come from `notes.names` (no name rule lives here): a customer with no known given name is
greeted "Hello there" (English cards) or by the full name as the envelope has it, as
`[shop] no_given_name` says, and the card is flagged in the manifest's warning column. Product
titles from a shop ("Serving Bowl - Large") become phrases a sentence can hold ("serving bowl").
"""

from __future__ import annotations

import re
from typing import Any

from notes.config import Shop
from notes.names import person_from_fields

NO_GIVEN_NAME = ("hello-there", "full-name")
# Languages whose common nouns are written in lower case (German capitalises every noun).
_LOWER_NOUNS = frozenset({"en", "fr", "es", "it", "nl", "pt"})
# " - Large", " - Blue / XL": a variant after the product's own title.
_VARIANT = re.compile(r"\s+[-–—/]\s+[^-–—/]{1,30}$")


def _language(fields: dict[str, Any], shop: Shop) -> str:
    wanted = str(fields.get("language") or shop.locale or "en")
    return wanted.replace("-", "_").split("_")[0].casefold()[:2]


def greet_without_given_name(fields: dict[str, Any], extra: dict[str, Any], shop: Shop) -> str:
    """When the customer's given name is unknown ('Smith', 'Mr Smith'), set up the neutral
    greeting in `fields`/`extra` and return the warning for the manifest; else ''."""
    # First and last name columns say which part is which: 'Smith' in the last-name column is
    # no given name, though a full-name column of one word would be taken for one.
    parts = {k: fields[k] for k in ("first_name", "last_name") if fields.get(k)}
    person = person_from_fields(parts or fields, locale=shop.locale)
    if not person or person.greeting_name:
        return ""
    if shop.no_given_name == "hello-there" and _language(fields, shop) == "en":
        fields["first_name"], extra["greeting_word"] = "there", "Hello"
        return "no given name known: greeted 'Hello there'"
    return f"no given name known: greeted by the full name {person.on_envelope!r}"


def product_phrase(title: str, shop: Shop, fields: dict[str, Any] | None = None) -> str:
    """'Serving Bowl - Large' -> 'serving bowl'; brand-like words (ACME, iPhone, 3D, the shop's
    own name) keep their capitals. Languages that capitalise nouns keep the title's case."""
    title = _VARIANT.sub("", " ".join(title.split())) or title
    if _language(fields or {}, shop) not in _LOWER_NOUNS:
        return title
    brand = {w.casefold() for w in re.findall(r"\w+", shop.name)}
    return " ".join(_lowered(word, brand) for word in title.split(" "))


def _lowered(word: str, brand: set[str]) -> str:
    letters = re.sub(r"\W", "", word)
    plain_title_case = letters[:1].isupper() and (letters[1:].islower() or len(letters) == 1)
    if not plain_title_case or letters.casefold() in brand or any(c.isdigit() for c in word):
        return word  # ACME, iPhone, 3D, McVitie's, the shop's own name
    return word[:1].lower() + word[1:] if len(letters) > 1 else word
