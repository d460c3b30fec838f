"""People's names: every rule about which part is the given name, how a name is written, whom a
card greets and what an envelope says.

A name comes either as one full-name column ("Mme Claire Dubois", "Souza, Ana", "田中 さくら") or
as first/last columns; both become a `PersonName`. Honorifics (Mr, Mme, Herr, Sra., Sig.ra ...)
are kept for the envelope and are never a given name. Names in CJK scripts are written family
name first, and so are Vietnamese names (a known family name first, in Vietnamese letters) and,
where the shop's locale says so, Hungarian and Vietnamese names in general. Western names are
split by `nameparser` ("Last, First", suffixes such as Jr., particles such as "da Silva"), which
knows nothing of family-name-first orders: those are handled here first.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from typing import Any

from notes.records import FrozenRecord  # dataclass methods written once (start-up)

# Honorifics as people write them; matched case-insensitively, with or without their dots.
HONORIFICS = (
    "Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Sir", "Dame", "Madam", "Rev", "Revd",
    "M.", "MM.", "Mme", "Mmes", "Mlle", "Mlles",  # French
    "Herr", "Frau", "Hr.", "Fr.",  # German
    "Sr.", "Sra.", "Srta.", "Sres.", "Dña.", "Dª",  # Spanish, Portuguese
    "Sig.", "Sig.ra", "Sig.na", "Sigg.", "Dott.", "Dott.ssa", "Prof.ssa", "Ing.", "Avv.",  # Italian
    "Dhr.", "Mevr.", "Mw.", "Mej.",  # Dutch
    "Fru",  # Scandinavian
)  # fmt: skip
# "Sir Elton John": the word after these is the given name even with no family name after it.
_GIVEN_NAME_TITLES = ("sir", "dame")


# Compiled when a name first needs them: each of these wide character classes takes ~3 ms to
# compile, which every `notes write` paid at start-up though most names are Latin.
@cache
def _cjk() -> re.Pattern[str]:
    """Han (with extensions and compatibility ideographs), Hiragana, Katakana (half-width too),
    Hangul."""
    return re.compile(
        "[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
        "\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f]"
    )


@cache
def _hangul_name() -> re.Pattern[str]:
    return re.compile("[\uac00-\ud7a3]{2,4}")


# The few Korean family names of two syllables (남궁 민 -> family 남궁).
_KOREAN_TWO_SYLLABLE_FAMILY = {"남궁", "황보", "제갈", "선우", "독고", "사공", "서문"}
# Common Vietnamese family names: written first, so the given name is the last word.
_VIETNAMESE_FAMILY = {
    "nguyễn", "trần", "lê", "phạm", "hoàng", "huỳnh", "phan", "vũ", "võ", "đặng",
    "bùi", "đỗ", "hồ", "ngô", "dương", "lý", "đinh", "trương", "đào", "lâm", "mai",
}  # fmt: skip
# Letters only Vietnamese uses among Latin scripts: đ, and the horn, hook above, dot below and
# breve marks (ơ, ư, ả, ạ, ă) as they decompose.
_VIETNAMESE_MARKS = frozenset("đĐ\u031b\u0309\u0323\u0306")
# Languages whose names are written family name first in Latin letters too.
_FAMILY_FIRST_LANGUAGES = {"hu", "vi"}


def _key(word: str) -> str:
    return unicodedata.normalize("NFKC", word).casefold().replace(".", "")


_HONORIFIC_KEYS = frozenset(_key(h) for h in HONORIFICS)


@dataclass(init=False, repr=False, eq=False)
class PersonName(FrozenRecord):
    """One person's name, in parts.

    `written` is the full name as the data wrote it, without its honorific ("" when it was built
    from parts); `family_first` says in which order the parts are written.
    """

    given: str = ""
    family: str = ""
    title: str = ""  # honorific(s) as written: "Mme", "Herr Dr."
    suffix: str = ""  # "Jr.", "III", "PhD"
    family_first: bool = False
    written: str = ""

    @property
    def full(self) -> str:
        """The name as it is written, without the honorific: 'Claire Dubois', '田中 さくら'."""
        if self.written:
            return self.written
        parts = (self.family, self.given) if self.family_first else (self.given, self.family)
        return " ".join(p for p in (*parts, self.suffix) if p)

    @property
    def on_envelope(self) -> str:
        """The name with its honorific, as an envelope is addressed: 'Mme Claire Dubois'."""
        return " ".join(p for p in (self.title, self.full) if p)

    @property
    def greeting_name(self) -> str | None:
        """The name to greet ('Claire', 'An', 'さくら'); None when no given name is known.
        A title in the given-name place ('Smith, Mr') is never greeted as a name."""
        if not self.given or _key(self.given.split()[0]) in _HONORIFIC_KEYS:
            return None
        return self.given

    def __bool__(self) -> bool:
        return bool(self.on_envelope)


def is_cjk(text: str) -> bool:
    """Does `text` hold Han, Hiragana, Katakana or Hangul: a name written family name first?"""
    return not text.isascii() and bool(_cjk().search(text))


def _language(locale: str | None) -> str:
    return (locale or "").replace("-", "_").split("_")[0].casefold()


def _clean(value: Any) -> str:
    return " ".join(str(value or "").split())


def _split_titles(words: list[str]) -> tuple[list[str], list[str]]:
    """(leading honorifics, the other words): ['Herr', 'Dr.', 'Hans'] -> (['Herr', 'Dr.'], ...)."""
    at = 0
    while at < len(words) and _key(words[at]) in _HONORIFIC_KEYS:
        at += 1
    return words[:at], words[at:]


def _is_vietnamese(words: list[str], locale: str | None) -> bool:
    """A known Vietnamese family name first, in Vietnamese letters ('Nguyễn Văn An', 'Phan Thị
    Mai'; not 'Mai Smith' or 'Mai Müller'), or any name when the locale is Vietnamese."""
    if _language(locale) == "vi":
        return True
    first = unicodedata.normalize("NFC", words[0]).casefold()
    if first not in _VIETNAMESE_FAMILY:
        return False
    return not first.isascii() or any(
        _VIETNAMESE_MARKS & set(unicodedata.normalize("NFD", w)) for w in words[1:]
    )


def _family_first(words: list[str], locale: str | None) -> PersonName | None:
    """Split a name written family name first, or None when it is not written so."""
    split = _split_family_first([w for w in words if _key(w) not in _HONORIFIC_KEYS], locale)
    titles = [w for w in words if _key(w) in _HONORIFIC_KEYS]  # '田中 さくら Mrs'
    return replace(split, title=" ".join(titles)) if split and titles else split


def _split_family_first(words: list[str], locale: str | None) -> PersonName | None:
    text = " ".join(words)
    if not words:
        return None
    if is_cjk(text):
        if len(words) == 1:
            return _unspaced_cjk(text)
        return PersonName(" ".join(words[1:]), words[0], family_first=True, written=text)
    if len(words) < 2:
        return None
    if _is_vietnamese(words, locale):  # 'Nguyễn Văn An': the given name is the last word
        return PersonName(words[-1], " ".join(words[:-1]), family_first=True, written=text)
    if _language(locale) in _FAMILY_FIRST_LANGUAGES:  # Hungarian: 'Kovács János'
        return PersonName(" ".join(words[1:]), words[0], family_first=True, written=text)
    return None


def _unspaced_cjk(text: str) -> PersonName:
    """'김민준' -> 김 + 민준. Han and kana names are left whole: 田中さくら cannot be split safely."""
    if _hangul_name().fullmatch(text):
        cut = 2 if text[:2] in _KOREAN_TWO_SYLLABLE_FAMILY and len(text) > 2 else 1
        return PersonName(text[cut:], text[:cut], family_first=True, written=text)
    return PersonName(family_first=True, written=text)


@lru_cache(maxsize=1)
def _nameparser_constants():  # noqa: ANN202 - nameparser.config.Constants
    # Imported here: only a Western full name needs it. Our own honorifics replace its 800
    # titles, which hold given names such as Prince, Judge or King.
    from nameparser.config import Constants

    return Constants(titles=sorted(_HONORIFIC_KEYS), first_name_titles=_GIVEN_NAME_TITLES)


def _western(text: str, titles: list[str]) -> PersonName:
    """'Ana Souza', 'Souza, Ana', 'John Smith Jr.' -> parts, each word exactly as written."""
    words = text.split()
    if "," not in text and (len(words) == 1 or _plainly_a_name(words[-1])) and len(words) <= 2:
        # 'Ana Souza' needs no parser, and a single card is written faster without importing it.
        return PersonName(words[0], " ".join(words[1:]), " ".join(titles), written=text)
    return _parsed_western(text, titles)


def _plainly_a_name(word: str) -> bool:
    """'Souza', 'Lee': not a suffix such as Jr., III, PhD or MD (two lower-case letters)."""
    return sum(c.islower() for c in word) >= 2 and "." not in word


def _parsed_western(text: str, titles: list[str]) -> PersonName:
    from nameparser import HumanName

    parsed = HumanName(text, constants=_nameparser_constants())
    parts = [parsed.title, parsed.first, parsed.middle, parsed.last, parsed.suffix]
    words = [w.strip(",") for w in text.replace(",", ", ").split() if w.strip(",")]
    if sorted(" ".join(parts).split()) != sorted(words):
        # nameparser drops what it cannot place (emoji, "nicknames"): a greeting must not lose
        # a character the font cannot draw, so such a name is split plainly.
        return PersonName(words[0], " ".join(words[1:]), " ".join(titles), written=text)
    title = " ".join(p for p in (*titles, parsed.title) if p)
    # 'Souza, Ana' is written 'Ana Souza' from its parts; otherwise the name stays as written.
    return PersonName(
        parsed.first,
        " ".join(p for p in (parsed.middle, parsed.last) if p),
        title,
        parsed.suffix,
        written="" if "," in text else text,
    )


@lru_cache(maxsize=4096)
def parse_name(text: str, *, locale: str | None = None) -> PersonName:
    """A full name as one column gives it -> its parts.

    'Mme Claire Dubois' -> given Claire, family Dubois, title Mme; 'Nguyễn Văn An' -> given An;
    '田中 さくら' -> given さくら, family 田中; 'Mr Smith' -> no given name.
    """
    titles, words = _split_titles(_clean(text).split())
    if not words:
        return PersonName(title=" ".join(titles))
    if titles and len(words) == 1 and _key(titles[-1]) not in _GIVEN_NAME_TITLES:
        return PersonName(family=words[0], title=" ".join(titles), written=words[0])
    split = _family_first(words, locale)
    if split is not None:
        return replace(split, title=" ".join(p for p in (*titles, split.title) if p))
    return _western(" ".join(words), titles)


@lru_cache(maxsize=4096)
def name_from_parts(first: str, last: str, *, locale: str | None = None) -> PersonName:
    """First and last name from two columns -> the person, in the order their name is written.

    'さくら' + '田中' -> '田中 さくら'; 'Mme Claire' + 'Dubois' -> given Claire, title Mme;
    'Nguyễn' + 'Thị Hương' (a Vietnamese name typed in order across both columns) -> given
    Hương. Other Latin-script names stay in the order given: 'Thu Trang' + 'Phạm'.
    """
    titles, given_words = _split_titles(_clean(first).split())
    title, last = " ".join(titles), _clean(last)
    given = " ".join(given_words)
    if is_cjk(given + last):
        return PersonName(given, last, title, family_first=True)
    language = _language(locale)
    if given and last and language in _FAMILY_FIRST_LANGUAGES:
        return replace(parse_name(f"{last} {given}", locale=locale), title=title)
    if len(given_words) == 1 and last and _typed_family_first(given, last):
        return replace(parse_name(f"{given} {last}", locale=locale), title=title)
    return PersonName(given, last, title)


def _typed_family_first(first: str, last: str) -> bool:
    """'Nguyễn' in the first-name column and 'Thị Hương' in the last: the name typed in order."""
    words = [first, *last.split()]
    ends_in_family = unicodedata.normalize("NFC", words[-1]).casefold() in _VIETNAMESE_FAMILY
    return _is_vietnamese(words, None) and not ends_in_family


def person_from_fields(fields: Mapping[str, Any], *, locale: str | None = None) -> PersonName:
    """The person a record names, from its `name` and/or `first_name` / `last_name` fields.

    First and last name columns say which part is which; a full-name column says how the name
    is written (and may carry the honorific).
    """
    name = _clean(fields.get("name"))
    first, last = _clean(fields.get("first_name")), _clean(fields.get("last_name"))
    if not (first or last):
        return parse_name(name, locale=locale) if name else PersonName()
    person = name_from_parts(first, last, locale=locale)
    if not name:
        return person
    as_written = parse_name(name, locale=locale)
    return replace(
        person,
        given=person.given or as_written.given,
        family=person.family or as_written.family,
        title=person.title or as_written.title,
        written=as_written.full or person.full,
    )
