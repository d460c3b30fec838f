"""Manifest cells are safe to open in a spreadsheet."""

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from notes.manifest import CsvManifest, RowResult, manifest_csv, spreadsheet_cell, table_csv


def test_formulas_are_defused():
    assert spreadsheet_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert spreadsheet_cell("+1") == "'+1"
    assert spreadsheet_cell("Ana Souza") == "Ana Souza"
    assert spreadsheet_cell(None) == ""


def test_bidi_overrides_and_control_characters_are_dropped():
    assert spreadsheet_cell("Ana\u202egnp.exe") == "Anagnp.exe"
    assert spreadsheet_cell("a\x07b\u200bc") == "abc"
    assert spreadsheet_cell("line one\nline two") == "line one\nline two"


def test_joiners_that_spell_a_name_are_kept():
    for name in ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "👩\u200d👩\u200d👧"):
        assert spreadsheet_cell(name) == name


def test_a_lone_surrogate_becomes_a_replacement_character():
    assert spreadsheet_cell("Ana\ud800") == "Ana\ufffd"
    assert spreadsheet_cell("Ana\ud800").encode("utf-8")


def test_every_character_is_kept_or_dropped_by_its_category():
    """A cell of printable text is kept whole without looking at each character: the rule is
    still the per-character one, for every character of the Basic Multilingual Plane."""
    import unicodedata

    for code in range(0x10000):
        char = chr(code)
        kept = char in "\n\u200c\u200d" or unicodedata.category(char) not in ("Cc", "Cf")
        expected = ("\ufffd" if unicodedata.category(char) == "Cs" else char) if kept else ""
        cell = spreadsheet_cell(f"a{char}b")
        assert cell == f"a{expected}b", hex(code)


_CELLS = st.one_of(
    st.none(),
    st.integers(),
    st.text(),
    st.text(alphabet="=+-@a1 \t\r\n\u202e\u200b\u200d\x07\ud800\u00a0"),
)


@given(st.lists(_CELLS, max_size=6))
def test_a_tables_cells_are_each_as_spreadsheet_cell_makes_it(values):
    """A row of printable cells that starts no formula is written as it is, without a call per
    cell; any other row, cell by cell: either way, each cell is spreadsheet_cell's."""
    header = [f"c{i}" for i in range(len(values))]
    expected = io.StringIO()
    writer = csv.writer(expected, lineterminator="\n")
    writer.writerow(header)
    writer.writerow([spreadsheet_cell(value) for value in values])
    assert table_csv(header, [values]) == expected.getvalue()


def test_a_csv_manifest_writes_its_rows_as_they_settle():
    """settled(row) writes every row up to it that is not written yet; a row it does not hold
    changes nothing; text() adds the rest: the manifest of all the rows at once."""
    rows = [RowResult(n, n + 1, f"c.csv line {n + 1}", "thank-you") for n in range(1, 6)]
    made = CsvManifest(rows)
    made.settled(rows[2])
    assert made.buffer.getvalue() == manifest_csv(rows[:3])
    made.settled(RowResult(9, 10, "elsewhere", "thank-you"))
    made.settled(rows[1])  # written already
    assert made.buffer.getvalue() == manifest_csv(rows[:3])
    rows[4].status, rows[4].page = "ok", 7  # not written yet: it may still change
    rows.append(RowResult(6, 7, "c.csv line 7", "thank-you"))  # the run read another row
    assert made.text() == made.text() == manifest_csv(rows)
