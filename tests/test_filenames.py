"""File names made from customers' names: safe, spelled as the customer spells it, unique the way
case-insensitive file systems (macOS, Windows) see names."""

from __future__ import annotations

from notes.filenames import safe_stem, unique_stem


def test_names_keep_their_spelling():
    assert safe_stem("Γιώργος Παπαδόπουλος") == "Γιώργος-Παπαδόπουλος"  # not γιώργοσ
    assert safe_stem("Straße") == "Straße"  # not strasse
    assert safe_stem("Ana Souza") == "Ana-Souza"
    assert safe_stem("Zoë\u202e Müller") == "Zoë-Müller"
    assert safe_stem("../../etc/x") == "etc-x"


def test_windows_device_names_are_caught_in_any_case():
    for name in ("CON", "con", "Com1", "Lpt9", "nul"):
        assert safe_stem(name).endswith("-note"), name


def test_names_that_differ_only_in_case_never_share_a_file():
    used: set[str] = set()
    stems = [unique_stem(safe_stem(n), used) for n in ("Anna", "ANNA", "anna", "Ὀδυσσεύς")]
    stems += [unique_stem(safe_stem(n), used) for n in ("ὈΔΥΣΣΕΎΣ", "Straße", "STRASSE")]
    assert stems == ["Anna", "ANNA-2", "anna-3", "Ὀδυσσεύς", "ὈΔΥΣΣΕΎΣ-2", "Straße", "STRASSE-2"]
    assert len({s.casefold() for s in stems}) == len(stems)
