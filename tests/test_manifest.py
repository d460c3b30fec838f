"""Manifest cells are safe to open in a spreadsheet."""

from notes.manifest import spreadsheet_cell


def test_formulas_are_defused():
    assert spreadsheet_cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert spreadsheet_cell("+1") == "'+1"
    assert spreadsheet_cell("Ana Souza") == "Ana Souza"
    assert spreadsheet_cell(None) == ""


def test_bidi_overrides_and_control_characters_are_dropped():
    assert spreadsheet_cell("Ana\u202egnp.exe") == "Anagnp.exe"
    assert spreadsheet_cell("a\x07b\u200bc") == "abc"
    assert spreadsheet_cell("line one\nline two") == "line one\nline two"
