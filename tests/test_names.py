"""People's names: given and family name, order by script and locale, honorifics, greeting."""

from __future__ import annotations

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from notes.names import (
    HONORIFICS,
    PersonName,
    name_from_parts,
    parse_name,
    person_from_fields,
)


@pytest.mark.parametrize(
    ("text", "given_name", "family", "title", "envelope"),
    [
        ("Ana Souza", "Ana", "Souza", "", "Ana Souza"),
        ("Mme Claire Dubois", "Claire", "Dubois", "Mme", "Mme Claire Dubois"),
        ("Dr. Jane Smith", "Jane", "Smith", "Dr.", "Dr. Jane Smith"),
        ("Herr Dr. Hans Müller", "Hans", "Müller", "Herr Dr.", "Herr Dr. Hans Müller"),
        ("M. Jean Dupont", "Jean", "Dupont", "M.", "M. Jean Dupont"),
        ("Sig.ra Maria Rossi", "Maria", "Rossi", "Sig.ra", "Sig.ra Maria Rossi"),
        ("Sra. Lucía Pérez", "Lucía", "Pérez", "Sra.", "Sra. Lucía Pérez"),
        ("Srta. Ana López", "Ana", "López", "Srta.", "Srta. Ana López"),
        ("Dhr. Jan de Vries", "Jan", "de Vries", "Dhr.", "Dhr. Jan de Vries"),
        ("Mevr. Anna van den Berg", "Anna", "van den Berg", "Mevr.", "Mevr. Anna van den Berg"),
        ("Frau Weber", "", "Weber", "Frau", "Frau Weber"),
        ("Mr Smith", "", "Smith", "Mr", "Mr Smith"),
        ("Souza, Ana", "Ana", "Souza", "", "Ana Souza"),
        ("Dubois, Mme Claire", "Claire", "Dubois", "Mme", "Mme Claire Dubois"),
        ("  Maria   da  Silva ", "Maria", "da Silva", "", "Maria da Silva"),
        ("John Smith Jr.", "John", "Smith", "", "John Smith Jr."),
        ("Sir Elton John", "Elton", "John", "Sir", "Sir Elton John"),
        ("Prince Ali", "Prince", "Ali", "", "Prince Ali"),  # a given name, not a title
        ("Don Draper", "Don", "Draper", "", "Don Draper"),
        ("Cher", "Cher", "", "", "Cher"),
        ("Dr.", "", "", "Dr.", "Dr."),
        ("", "", "", "", ""),
    ],
)
def test_western_names_and_honorifics(
    text: str, given_name: str, family: str, title: str, envelope: str
) -> None:
    person = parse_name(text)
    assert (person.given, person.family, person.title) == (given_name, family, title)
    assert person.on_envelope == envelope
    assert person.greeting_name == (given_name or None)


@pytest.mark.parametrize(
    ("text", "given_name", "family"),
    [
        ("田中 さくら", "さくら", "田中"),
        ("山田 太郎", "太郎", "山田"),
        ("김 민준", "민준", "김"),
        ("김민준", "민준", "김"),  # Korean family names are one syllable (a few two)
        ("남궁민수", "민수", "남궁"),
        ("王 小明", "小明", "王"),
        ("Nguyễn Văn An", "An", "Nguyễn Văn"),
        ("Nguyễn Thị Hương", "Hương", "Nguyễn Thị"),
        ("Phan Văn Trị", "Trị", "Phan Văn"),
        ("Lê Anh", "Anh", "Lê"),
    ],
)
def test_family_name_first_by_script(text: str, given_name: str, family: str) -> None:
    person = parse_name(text)
    assert (person.given, person.family, person.family_first) == (given_name, family, True)
    assert person.full == text
    assert person.greeting_name == given_name


@pytest.mark.parametrize("text", ["Mai Smith", "Mai Müller", "Lam Tran", "Phan Thomas"])
def test_vietnamese_family_names_need_vietnamese_letters(text: str) -> None:
    """'Mai' and 'Phan' are given names too: without Vietnamese letters the name is Western."""
    person = parse_name(text)
    assert not person.family_first and person.greeting_name == text.split()[0]


def test_han_and_kana_without_a_space_cannot_be_split() -> None:
    person = parse_name("田中さくら")
    assert person.greeting_name is None and person.on_envelope == "田中さくら"


@pytest.mark.parametrize(
    ("text", "locale", "given_name", "family"),
    [
        ("Kovács János", "hu_HU", "János", "Kovács"),
        ("Nguyen Van An", "vi_VN", "An", "Nguyen Van"),  # no diacritics: the locale decides
        ("Kovács János", "en_US", "Kovács", "János"),
        ("Dr. Kovács János", "hu", "János", "Kovács"),
    ],
)
def test_family_name_first_by_locale(text: str, locale: str, given_name: str, family: str) -> None:
    person = parse_name(text, locale=locale)
    assert (person.given, person.family) == (given_name, family)


@pytest.mark.parametrize(
    ("first", "last", "full", "greeting"),
    [
        ("さくら", "田中", "田中 さくら", "さくら"),
        ("민준", "김", "김 민준", "민준"),
        ("伟", "王", "王 伟", "伟"),
        ("Ada", "Lovelace", "Ada Lovelace", "Ada"),
        ("Thu Trang", "Phạm", "Thu Trang Phạm", "Thu Trang"),  # as the columns give it
        ("Hương", "Nguyễn Thị", "Hương Nguyễn Thị", "Hương"),
        ("Nguyễn", "Thị Hương", "Nguyễn Thị Hương", "Hương"),  # typed in order across both
        ("Mme Claire", "Dubois", "Claire Dubois", "Claire"),
        ("Mme", "Dubois", "Dubois", None),
        ("", "Smith", "Smith", None),
        ("Cher", "", "Cher", "Cher"),
    ],
)
def test_name_from_first_and_last_columns(
    first: str, last: str, full: str, greeting: str | None
) -> None:
    person = name_from_parts(first, last)
    assert person.full == full
    assert person.greeting_name == greeting


def test_parts_follow_the_locale_order() -> None:
    assert name_from_parts("János", "Kovács", locale="hu_HU").full == "Kovács János"
    vietnamese = name_from_parts("Văn An", "Nguyễn", locale="vi_VN")
    assert (vietnamese.full, vietnamese.greeting_name) == ("Nguyễn Văn An", "An")


@pytest.mark.parametrize(
    ("fields", "envelope", "greeting"),
    [
        ({"name": "Mme Claire Dubois"}, "Mme Claire Dubois", "Claire"),
        ({"name": "Mme Claire Dubois", "first_name": "Claire"}, "Mme Claire Dubois", "Claire"),
        ({"first_name": "Mme Claire", "last_name": "Dubois"}, "Mme Claire Dubois", "Claire"),
        ({"name": "Dr. Ana Souza", "last_name": "Souza"}, "Dr. Ana Souza", "Ana"),
        ({"first_name": "さくら", "last_name": "田中"}, "田中 さくら", "さくら"),
        ({"name": "Zoë Müller", "first_name": " ", "last_name": ""}, "Zoë Müller", "Zoë"),
        ({"name": "Müller, Zoë"}, "Zoë Müller", "Zoë"),
        ({"name": "Mr Smith"}, "Mr Smith", None),
        ({"email": "x@example.com"}, "", None),
    ],
)
def test_person_from_a_records_fields(
    fields: dict[str, str], envelope: str, greeting: str | None
) -> None:
    person = person_from_fields(fields)
    assert person.on_envelope == envelope
    assert person.greeting_name == greeting
    assert bool(person) == bool(envelope)


@pytest.mark.parametrize("honorific", HONORIFICS)
def test_no_honorific_is_ever_a_given_name(honorific: str) -> None:
    for text in (f"{honorific} Claire Dubois", f"{honorific.upper()} Claire Dubois"):
        person = parse_name(text)
        assert person.greeting_name == "Claire" and person.title == text.split()[0]
    assert parse_name(f"{honorific} Dubois").greeting_name in (None, "Dubois")
    assert name_from_parts(honorific, "Dubois").greeting_name is None
    assert name_from_parts(f"{honorific} Claire", "Dubois").on_envelope == (
        f"{honorific} Claire Dubois"
    )


_word = st.one_of(
    st.sampled_from([*HONORIFICS, "Nguyễn", "Văn", "田中", "さくら", "Smith,", "Jr.", "da"]),
    st.text(alphabet=st.characters(categories=("L", "M", "Nd", "P")), min_size=1, max_size=8),
)
_words = st.lists(_word, max_size=5).map(" ".join)


@given(_words, st.sampled_from([None, "en_US", "hu_HU", "vi_VN", "ja_JP"]))
@example("Smith, Dª", None)
def test_any_text_parses_into_parts_of_itself(text: str, locale: str | None) -> None:
    person = parse_name(text, locale=locale)
    assert isinstance(person, PersonName)
    written = " ".join(text.split())
    for part in (person.given, person.family, person.title):
        for word in part.split():
            assert word in written
    if person.greeting_name is not None:
        first_word = person.greeting_name.split()[0].casefold().replace(".", "")
        assert first_word not in {h.casefold().replace(".", "") for h in HONORIFICS}


@given(
    st.sampled_from(["Claire", "Ana", "Jean-Luc", "Zoë", "さくら", "민준", "An"]),
    st.sampled_from(["Dubois", "Souza", "Müller", "田中", "김", "O'Brien"]),
    st.sampled_from(["", "Mme", "Dr.", "Herr", "Sra."]),
)
def test_envelope_name_round_trips(first: str, last: str, title: str) -> None:
    """The name an envelope gets from two columns reads back as the same person."""
    built = name_from_parts(f"{title} {first}".strip(), last)
    again = parse_name(built.on_envelope)
    assert (again.given, again.family, again.title) == (first, last, title)
    assert again.on_envelope == built.on_envelope


@given(
    st.text(alphabet=st.characters(categories=("L", "M", "P")), min_size=1, max_size=10),
    st.text(alphabet=st.characters(categories=("L", "M", "P")), min_size=1, max_size=10),
)
def test_two_word_names_split_as_nameparser_would(first: str, last: str) -> None:
    """Plain two-word names skip nameparser (a single card starts faster): same parts."""
    from notes.names import _parsed_western

    text = f"{first} {last}"
    quick = parse_name(text)
    if quick.family_first or quick.title or "," in text:
        return
    from nameparser.config import CONSTANTS

    # A lower-case suffix word ('iv', 'pharmd') written as a family name stays the family name
    # in the quick path: real suffixes come capitalised ('IV', 'PharmD') and go to nameparser.
    assume(last.lower().strip(".") not in CONSTANTS.suffix_acronyms | CONSTANTS.suffix_not_acronyms)
    slow = _parsed_western(text, [])
    if slow.given == first:  # nameparser understood it (not a nickname, emoji, conjunction...)
        assert (quick.given, quick.family, quick.suffix) == (slow.given, slow.family, slow.suffix)
