"""notes.sources: real export files in, records with the right values and line numbers out."""

from __future__ import annotations

import csv
import gc
import importlib.util
import io
import json
import tempfile
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from notes.columns import (
    CANONICAL_FIELDS,
    closest_column,
    column_map,
    normalise_header,
    parse_mapping,
    record_fields,
)
from notes.encodings import looks_binary
from notes.errors import DataError, UsageError
from notes.names import person_from_fields
from notes.sources import Record, read_table

FIXTURES = Path(__file__).parent / "fixtures" / "sources"


def rows(name: str) -> list[tuple[int, dict[str, str]]]:
    return [(r.line, r.raw) for r in read_table(FIXTURES / name)]


def data_error(name: str) -> DataError:
    with pytest.raises(DataError) as info:
        list(read_table(FIXTURES / name))
    return info.value


def test_fixtures_match_their_script(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, data in module.fixtures().items():
        assert (FIXTURES / name).read_bytes() == data, f"run make_fixtures.py again ({name})"


# ---------------------------------------------------------------- encodings


def test_excel_unicode_text_is_utf16_with_tabs_and_stripped_headers() -> None:
    table = read_table(FIXTURES / "excel_unicode.txt")
    assert (table.encoding, table.delimiter, table.format) == ("utf-16", "\t", "csv")
    assert table.columns == ["First Name", "Last Name", "Email Address", "Product"]
    records = list(table)
    assert [r.line for r in records] == [2, 3, 4]
    assert records[0].raw["First Name"] == "Zoë" and records[0].raw["Last Name"] == "Müller"
    assert records[1].raw["Product"] == "Café crème"
    assert records[2].raw["First Name"] == "Łucja"
    assert records[0].where() == "excel_unicode.txt line 2"


def test_cp1252_with_semicolons_and_accented_names() -> None:
    table = read_table(FIXTURES / "cp1252_semicolon.csv")
    assert (table.encoding, table.delimiter) == ("cp1252", ";")
    names = [r.raw["Name"] for r in table]
    assert names == ["Zoë Müller", 'François "Franz" Dupont', "Jürgen Weiß"]
    assert next(iter(table)).raw["Betrag"] == "12,50 €"


def test_utf8_bom_is_not_part_of_the_first_header() -> None:
    table = read_table(FIXTURES / "utf8_bom.csv")
    assert table.encoding == "utf-8-sig"
    assert table.columns == ["name", "email", "city"]
    assert [r.raw["city"] for r in table] == ["København", "Hà Nội"]


def test_utf8_file_with_a_cp1252_row_past_the_sniffed_part() -> None:
    table = read_table(FIXTURES / "late_cp1252.csv")
    last = list(table)[-1]
    assert table.encoding == "utf-8"
    assert (last.line, last.raw["name"]) == (3002, "Zoë Müller")


def test_non_western_single_byte_encoding_is_guessed() -> None:
    table = read_table(FIXTURES / "cp1251.csv")
    assert table.encoding == "cp1251"
    assert [r.raw["имя"] for r in table] == ["Иван Петров", "Ольга Смирнова"]


def test_utf16_without_bom() -> None:
    table = read_table(FIXTURES / "utf16le_nobom.txt")
    assert table.encoding == "utf-16-le"
    assert rows("utf16le_nobom.txt") == [(2, {"name": "Zoë", "email": "zoe@example.de"})]


# ---------------------------------------------------------------- CSV shapes


def test_quoted_newlines_keep_later_line_numbers_right() -> None:
    records = rows("quoted_newline.csv")
    assert [line for line, _ in records] == [2, 5, 6, 8]
    assert records[0][1]["notes"] == "Loves tea.\nAsked for a card\nwith a fox."
    assert records[2][1]["name"] == "Cy\nCole"
    assert records[3][1]["name"] == "Dee"


def test_ragged_rows_ignore_extra_cells_and_leave_missing_ones_out() -> None:
    assert rows("ragged.csv") == [
        (2, {"name": "Ada", "email": "ada@example.com", "city": "Leeds"}),
        (3, {"name": "Bob", "email": "bob@example.com"}),
        (4, {"name": "Cy"}),
    ]


def test_blank_lines_are_skipped_and_counted() -> None:
    assert rows("blank_lines.csv") == [
        (5, {"name": "Ada", "email": "ada@example.com"}),
        (8, {"name": "Bob", "email": "bob@example.com"}),
    ]


def test_spaces_around_headers_and_values_are_stripped() -> None:
    table = read_table(FIXTURES / "header_spaces.csv")
    assert table.columns == ["Name", "Email", "Favourite Tea"]
    assert rows("header_spaces.csv")[0][1] == {
        "Name": "Ada",
        "Email": "ada@example.com",
        "Favourite Tea": "Oolong",
    }


def test_duplicate_and_empty_header_names_stay_apart() -> None:
    table = read_table(FIXTURES / "duplicate_headers.csv")
    assert table.columns == ["Email", "Name", "Email (2)", "Email (3)", "column 5"]
    raw = next(iter(table)).raw
    assert (raw["Email"], raw["Email (2)"], raw["Email (3)"]) == (
        "ada@work.example",
        "ada@home.example",
        "ada@old.example",
    )


def test_pipe_delimited() -> None:
    table = read_table(FIXTURES / "pipe.csv")
    assert table.delimiter == "|"
    assert next(iter(table)).raw["product"] == "Tea, green"


def test_excel_sep_line_sets_the_delimiter() -> None:
    table = read_table(FIXTURES / "excel_sep_line.csv")
    assert (table.delimiter, table.columns) == (";", ["name", "email"])
    assert rows("excel_sep_line.csv") == [(3, {"name": "Ada", "email": "ada@example.com"})]


def test_header_only_is_zero_records() -> None:
    table = read_table(FIXTURES / "header_only.csv")
    assert table.columns == ["name", "email", "city"]
    assert list(table) == []


def test_table_can_be_read_twice() -> None:
    table = read_table(FIXTURES / "pipe.csv")
    assert list(table) == list(table)


# ---------------------------------------------------------------- JSON


def test_json_array_is_flattened_with_numbers_as_written() -> None:
    table = read_table(FIXTURES / "customers.json")
    assert (table.format, table.delimiter) == ("json", None)
    records = list(table)
    assert [r.line for r in records] == [1, 2, 3]
    assert records[0].where() == "customers.json item 1"
    assert records[0].raw == {
        "customer.first_name": "Zoë",
        "customer.last_name": "Müller",
        "email": "zoe@example.de",
        "total": "24.00",
        "items": "Tea, Mug",
    }
    assert records[1].raw["vip"] == "true"
    assert records[2].raw == {
        "email": "cy@example.com",
        "note": "",
        "orders.1.id": "7",
        "orders.2.id": "8",
    }
    assert table.columns[:3] == ["customer.first_name", "customer.last_name", "email"]
    assert "orders.2.id" in table.columns


def test_json_lines_report_their_physical_line() -> None:
    assert rows("customers.jsonl") == [
        (1, {"name": "Ada", "email": "ada@example.com"}),
        (3, {"name": "Bob", "email": "bob@example.com", "zip": "10115"}),
        (4, {"name": "Zoë", "email": "zoe@example.de"}),
    ]


def test_json_is_detected_by_content_not_extension() -> None:
    table = read_table(FIXTURES / "really_json.csv")
    assert table.format == "json"
    assert rows("really_json.csv") == [(1, {"name": "Ada", "email": "ada@example.com"})]


def test_invalid_json_names_the_line() -> None:
    error = data_error("invalid.json")
    assert error.where == "invalid.json line 3"
    assert "invalid JSON" in error.message and error.hint


def test_an_invalid_json_line_fails_alone_and_names_its_line() -> None:
    records = list(read_table(FIXTURES / "invalid.jsonl"))
    assert [(r.line, r.raw) for r in records if r.error is None] == [(1, {"name": "Ada"})]
    error = records[1].error
    assert error is not None and error.where == "invalid.jsonl line 2"
    assert "invalid JSON" in error.message and error.hint


def test_json_object_instead_of_array_points_at_the_list() -> None:
    error = data_error("object.json")
    assert "not an array of objects" in error.message
    assert "'customers'" in (error.hint or "")


def test_json_array_of_numbers_is_refused() -> None:
    error = data_error("not_objects.json")
    assert error.where == "not_objects.json item 1" and "object" in error.message


_DEEP = '{"a": ' * 10_000 + "1" + "}" * 10_000


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('[{"name": "Ada"},\n' + _DEEP + "]", 2),
        ("[" * 10_000 + "]" * 10_000, 1),
        ('[{"name": "Ada"},\n' + '{"a": ' * 60 + "1" + "}" * 60 + "]", 2),
    ],
    ids=["item", "first-item", "sixty-deep"],
)
def test_deeply_nested_json_is_a_clear_error(tmp_path: Path, text: str, line: int) -> None:
    path = tmp_path / "deep.json"
    path.write_text(text)
    with pytest.raises(DataError) as info:
        list(read_table(path))
    assert info.value.where == f"deep.json line {line}" or info.value.where == "deep.json item 2"
    assert "nested more than 50 levels" in info.value.message and info.value.hint


@pytest.mark.parametrize("depth", [60, 10_000])
def test_a_deeply_nested_json_line_fails_alone(tmp_path: Path, depth: int) -> None:
    path = tmp_path / "deep.jsonl"
    deep = '{"a": ' * depth + "1" + "}" * depth
    path.write_text(f'{{"name": "Ada"}}\n{deep}\n{{"name": "Cy"}}\n')
    good, [error] = good_and_bad(path)
    assert good == [(1, {"name": "Ada"}), (3, {"name": "Cy"})]
    assert error.where == "deep.jsonl line 2" and "nested more than 50 levels" in error.message


def test_a_large_json_object_is_decoded_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each item's end is found by one scan, then the item is decoded once: a 4 MB object is
    not decoded again for every 64 KiB read (that was quadratic: 10 s for 4 MB)."""
    note = 'say \\"hi\\" [ok] {x} \\\\ ] } ' * 150_000
    path = tmp_path / "big.json"
    path.write_text(f'[{{"name": "Ada", "notes": "{note}"}},\n {{"name": "Cy"}}]')
    table = read_table(path)
    expected = json.loads(f'"{note}"').strip()  # values are stripped
    calls: list[int] = []
    decode = json.JSONDecoder.raw_decode

    def counted(self: json.JSONDecoder, text: str, index: int = 0) -> tuple[object, int]:
        calls.append(index)
        return decode(self, text, index)

    monkeypatch.setattr(json.JSONDecoder, "raw_decode", counted)
    records = list(table)
    assert len(calls) == 2, f"{len(calls)} decodes for 2 items"
    assert records[0].raw["notes"] == expected
    assert (records[1].line, records[1].raw) == (2, {"name": "Cy"})


@pytest.mark.parametrize("shift", [0, 1, 2])
def test_escaped_quotes_across_reads_stay_inside_their_string(tmp_path: Path, shift: int) -> None:
    """With a backslash at every third character, one of three shifts puts one last in a read."""
    path = tmp_path / "escapes.json"
    note = '\\"}' * 100_000
    path.write_text(f'[{{"pad": "{"x" * shift}", "notes": "{note}"}}, {{"name": "Cy"}}]')
    records = list(read_table(path))
    assert records[0].raw["notes"] == '"}' * 100_000 and records[1].raw == {"name": "Cy"}


def test_large_json_array_streams_across_chunks_with_error_line(tmp_path: Path) -> None:
    objects = ",\n".join(f'{{"name": "Customer {i}", "n": {i}}}' for i in range(20_000))
    good = tmp_path / "big.json"
    good.write_text(f"[\n{objects}\n]\n")
    records = list(read_table(good))
    assert len(records) == 20_000 and records[-1].raw == {"name": "Customer 19999", "n": "19999"}
    bad = tmp_path / "bad.json"
    bad.write_text(f"[\n{objects},\n{{name: 1}}\n]\n")
    with pytest.raises(DataError) as info:
        list(read_table(bad))
    assert info.value.where == "bad.json line 20002"


# ---------------------------------------------------------------- errors and stdin


def test_missing_file() -> None:
    with pytest.raises(DataError) as info:
        read_table(FIXTURES / "nope.csv")
    assert info.value.where and info.value.where.endswith("nope.csv") and info.value.hint


def test_folder_is_not_a_file() -> None:
    with pytest.raises(DataError, match="folder"):
        read_table(FIXTURES)


def test_empty_file() -> None:
    error = data_error("empty.csv")
    assert (error.where, error.message) == ("empty.csv", "the file is empty")
    assert error.hint


@pytest.mark.parametrize("content", [b"", b"\n\n  \n", b"\xef\xbb\xbf\r\n", b",,,\n,,\n"])
def test_files_without_a_header_are_empty(content: bytes) -> None:
    with pytest.raises(DataError, match="empty") as info:
        read_table("-", stdin=io.BytesIO(content))
    assert info.value.where == "<stdin>"


@pytest.mark.parametrize("name", ["garbage.csv", "workbook.csv"])
def test_binary_files_are_refused_clearly(name: str) -> None:
    error = data_error(name)
    assert error.where == name and "not a text file" in error.message and error.hint


@pytest.mark.parametrize(
    ("controls", "binary"),
    [("\x01" * 2, False), ("\x01\x1f\x1b", True), ("\t\n\r\f\v\x1a" * 9, False), ("\x00", True)],
)
def test_text_is_binary_past_one_control_character_in_a_hundred(controls, binary) -> None:
    # Tabs, line ends, form feeds and DOS's end of file are text; other controls are not.
    text = "Name,Product\n" + "a" * (200 - 13 - len(controls)) + controls
    assert len(text) == 200 and looks_binary(text) is binary


def test_workbook_hint_says_how_to_export() -> None:
    assert "CSV" in (data_error("workbook.csv").hint or "")


class _Pipe(io.RawIOBase):
    """A stdin whose bytes are made as they are read, like a pipe from another program."""

    def __init__(self, header: bytes, row: bytes, count: int):
        self.pending, self.row, self.left = memoryview(header), row, count

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # noqa: ANN001 - a writable buffer
        if not self.pending and self.left:
            rows = min(self.left, 1000)
            self.pending, self.left = memoryview(self.row * rows), self.left - rows
        n = min(len(buffer), len(self.pending))
        buffer[:n], self.pending = self.pending[:n], self.pending[n:]
        return n


def test_stdin_is_copied_in_pieces_not_held_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    row = b"Zoe Muller,zoe@example.de,Koln," + b"thank you for the lovely order! " * 8 + b"\n"
    count = 8_000_000 // len(row)
    tracemalloc.start()
    try:
        table = read_table("-", stdin=_Pipe(b"name,email,city,notes\n", row, count))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 3 * 2**20, f"peak {peak} bytes to take 8 MB from stdin"
    assert sum(1 for _ in table) == count  # read twice: the copy is kept for the whole table
    assert sum(1 for _ in table) == count
    del table
    gc.collect()
    assert not list(tmp_path.iterdir()), "the copy of stdin is removed with its table"


def test_stdin_with_given_stream() -> None:
    table = read_table("-", stdin=io.BytesIO("name;city\nZoë;Köln\n".encode("cp1252")))
    assert (table.source, table.encoding, table.delimiter) == ("<stdin>", "cp1252", ";")
    assert [(r.where(), r.raw) for r in table] == [
        ("<stdin> line 2", {"name": "Zoë", "city": "Köln"})
    ]


def test_stdin_json() -> None:
    table = read_table("-", stdin=io.BytesIO(b'[{"a": {"b": 1}}]'))
    assert [r.raw for r in table] == [{"a.b": "1"}]


def test_reading_a_30_mb_csv_keeps_memory_flat(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    note = "Thank you so much for the lovely order, it made our week! " * 8
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write("name,email,notes,city\n")
        row = f'Zoë Müller,zoe@example.de,"{note}",Köln\n'
        count = 30_000_000 // len(row.encode())
        f.writelines(row for _ in range(count))
    size = path.stat().st_size
    tracemalloc.start()
    try:
        seen = sum(1 for _ in read_table(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seen == count
    assert peak < size / 20, f"peak {peak} bytes for a {size} byte file"


def test_json_array_streams_in_flat_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    note = "Thank you for the lovely order! " * 16
    with path.open("w", encoding="utf-8") as f:
        f.write(
            "[\n" + ",\n".join(f'{{"name": "Zoë {i}", "notes": "{note}"}}' for i in range(15_000))
        )
        f.write("\n]\n")
    size = path.stat().st_size
    tracemalloc.start()
    try:
        seen = sum(1 for _ in read_table(str(path)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seen == 15_000
    assert peak < size / 8, f"peak {peak} bytes for a {size} byte file"


# ---------------------------------------------------------------- rows that cannot be read


def good_and_bad(path: Path) -> tuple[list[tuple[int, dict[str, str]]], list[DataError]]:
    records = list(read_table(path))
    good = [(r.line, r.raw) for r in records if r.error is None]
    return good, [r.error for r in records if r.error is not None]


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("x" * 1_000_000, "has a field longer than 131,072 characters"),
        ('"' + "x" * 1_000_000 + '"', "has a field longer than 131,072 characters"),
        (",".join(["y" * 100_000] * 12), "reaches 1,048,576 characters"),
    ],
    ids=["field", "quoted-field", "long-line"],
)
def test_a_row_too_large_fails_alone_naming_the_limit(
    tmp_path: Path, cell: str, message: str
) -> None:
    path = tmp_path / "big.csv"
    path.write_text(f"name,notes\nAda,ok\nBob,{cell}\nCy,fine\n")
    good, [error] = good_and_bad(path)
    assert good == [(2, {"name": "Ada", "notes": "ok"}), (4, {"name": "Cy", "notes": "fine"})]
    assert error.where == "big.csv line 3" and message in error.message
    assert "shorten that cell" in (error.hint or "")


def test_a_huge_quoted_field_over_many_lines_is_skipped_to_its_end(tmp_path: Path) -> None:
    path = tmp_path / "letter.csv"
    letter = 'a long pasted letter, with "quotes" and, commas\n' * 5_000
    body = letter.replace('"', '""')
    path.write_text(f'name,notes\nAda,ok\nBob,"{body}"\nCy,fine\n')
    good, [error] = good_and_bad(path)
    assert good == [(2, {"name": "Ada", "notes": "ok"}), (5004, {"name": "Cy", "notes": "fine"})]
    assert error.where == "letter.csv line 3" and "131,072" in error.message
    assert "runs over 5001 lines" in (error.hint or "")


def test_a_nul_byte_further_down_fails_only_its_row(tmp_path: Path) -> None:
    path = tmp_path / "late_nul.csv"
    path.write_bytes(b"name\n" + b"Ada\n" * 20_000 + b"B\x00b\nCy\n")
    good, [error] = good_and_bad(path)
    assert len(good) == 20_001 and good[-1] == (20_003, {"name": "Cy"})
    assert error.where == "late_nul.csv line 20002" and "NUL" in error.message
    assert "damaged" in (error.hint or "")


def test_a_file_ending_in_zeros_fails_one_row_in_flat_memory(tmp_path: Path) -> None:
    """A crash can leave a file's last blocks as zeros: every row before them is still read."""
    path = tmp_path / "crashed.csv"
    path.write_bytes(b"name,city\n" + b"Ada,Rome\n" * 10_000)
    with path.open("r+b") as file:
        file.truncate(path.stat().st_size + 8 * 2**20)  # sparse: costs no disk
    tracemalloc.start()
    try:
        errors = [r.error for r in read_table(path) if r.error is not None]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [e.where for e in errors] == ["crashed.csv line 10002"] and "NUL" in errors[0].message
    assert peak < 4 * 2**20, f"peak {peak} bytes for 8 MB of zeros"
    good, _ = good_and_bad(path)
    assert len(good) == 10_000 and good[-1] == (10_001, {"name": "Ada", "city": "Rome"})


def test_an_unclosed_quote_fails_its_row_and_the_later_lines_are_read(tmp_path: Path) -> None:
    """Past the csv module's field limit: the lines after the quote are read again."""
    path = tmp_path / "unclosed.csv"
    path.write_bytes(b'name,notes\nAda,ok\nBob,"unclosed\n' + b"Cy,more text\n" * 20_000)
    good, [error] = good_and_bad(path)
    assert error.where == "unclosed.csv line 3" and "never closed ('notes'" in error.message
    assert good[0] == (2, {"name": "Ada", "notes": "ok"}) and len(good) == 20_001
    assert good[-1] == (20_003, {"name": "Cy", "notes": "more text"})


def test_a_short_unclosed_quote_does_not_swallow_the_next_rows(tmp_path: Path) -> None:
    """The csv module ends a quote at the file's end silently, with every later line in it."""
    path = tmp_path / "unclosed.csv"
    path.write_text('name,product\nAda,teapot\n"Bad ""quote,x\nZed Smith,scarf\nYu,mug\n')
    good, [error] = good_and_bad(path)
    assert error.where == "unclosed.csv line 3"
    assert 'never closed (\'name\', which starts "Bad "quote,x")' in error.message
    assert good == [
        (2, {"name": "Ada", "product": "teapot"}),
        (4, {"name": "Zed Smith", "product": "scarf"}),
        (5, {"name": "Yu", "product": "mug"}),
    ]


@settings(max_examples=40, deadline=None)
@given(
    names=st.lists(st.from_regex(r"[A-Za-z][A-Za-z ]{0,8}[a-z]", fullmatch=True), min_size=2),
    bad=st.integers(min_value=0),
)
def test_one_stray_quote_loses_no_other_row(names: list[str], bad: int) -> None:
    bad %= len(names)
    lines = [f'"{n},x' if i == bad else f"{n},x" for i, n in enumerate(names)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "stray.csv"
        path.write_text("name,product\n" + "\n".join(lines) + "\n")
        good, errors = good_and_bad(path)
    assert [e.where for e in errors] == [f"stray.csv line {bad + 2}"]
    expected = [(i + 2, {"name": n, "product": "x"}) for i, n in enumerate(names) if i != bad]
    assert good == expected


# ---------------------------------------------------------------- header names -> fields


@pytest.mark.parametrize(
    "header",
    [
        "First Name",
        "first_name",
        "FirstName",
        "firstName",
        " FIRST-NAME ",
        "first.name",
        "First  Name",
    ],
)
def test_normalise_header_spellings(header: str) -> None:
    assert normalise_header(header) == "first_name"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("E-Mail", "e_mail"),
        ("OrderID", "order_id"),
        ("ZIPCode", "zip_code"),
        ("Address Line 1", "address_line_1"),
        ("Prénom", "prénom"),
        ("Straße", "strasse"),
        ("नाम", "नाम"),
        ("???", ""),
    ],
)
def test_normalise_header_examples(header: str, expected: str) -> None:
    assert normalise_header(header) == expected


def test_aliases_are_normalised_unique_and_include_the_field() -> None:
    seen: dict[str, str] = {}
    for field, aliases in CANONICAL_FIELDS.items():
        assert field in aliases
        for alias in aliases:
            assert normalise_header(alias) == alias
            assert seen.setdefault(alias, field) == field, f"{alias} is in two fields"


def test_column_map_of_a_messy_export() -> None:
    columns = ["Customer Name", "E-mail", "Billing First Name", "Favourite Tea", "Email", "???"]
    assert column_map(columns) == {
        "name": "Customer Name",
        "email": "E-mail",
        "first_name": "Billing First Name",
        "favourite_tea": "Favourite Tea",
        "email_2": "Email",
        "column_6": "???",
    }


def test_exact_aliases_beat_prefixed_ones() -> None:
    colmap = column_map(["billing_email", "shipping_address_1", "Street", "email"])
    assert colmap["email"] == "email" and colmap["address1"] == "shipping_address_1"
    assert colmap["street"] == "Street"


def test_column_map_overrides() -> None:
    columns = ["Client", "Item Bought", "Name"]
    colmap = column_map(columns, parse_mapping(["name=Client", "Product = item bought"]))
    assert colmap["name"] == "Client" and colmap["product"] == "Item Bought"
    assert column_map(columns, {"surname": "Name"})["last_name"] == "Name"


def test_column_map_unknown_override_lists_columns() -> None:
    with pytest.raises(DataError) as info:
        column_map(["Client", "Item Bought"], {"product": "Item Bougth"})
    assert "Item Bougth" in info.value.message
    assert "did you mean 'Item Bought'" in (info.value.hint or "")
    assert "Client" in (info.value.hint or "")


def test_record_fields_from_a_real_file() -> None:
    table = read_table(FIXTURES / "excel_unicode.txt")
    colmap = column_map(table.columns)
    fields = record_fields(next(iter(table)), colmap)
    assert fields == {
        "first_name": "Zoë",
        "last_name": "Müller",
        "email": "zoe@example.de",
        "product": "Earl Grey",
    }
    assert person_from_fields(fields).on_envelope == "Zoë Müller"


def test_record_fields_of_nested_json() -> None:
    table = read_table(FIXTURES / "customers.json")
    colmap = column_map(table.columns)
    first, second, third = (record_fields(r, colmap) for r in table)
    names = [person_from_fields(fields).on_envelope for fields in (first, second, third)]
    assert names == ["Zoë Müller", "Bob", ""]
    assert first["total"] == "24.00" and first["product"] == "Tea, Mug"
    assert second["vip"] == "true" and third["notes"] == ""


def test_record_fields_maps_keys_first_seen_late() -> None:
    record = Record("late.jsonl", 900, {"email": "a@example.com", "Post Code": "10115"})
    assert record_fields(record, column_map(["email"]))["zip"] == "10115"


@pytest.mark.parametrize(
    ("name", "first"),
    [
        ("Zoë Müller", "Zoë"),
        ("Dr. Jane Doe", "Jane"),
        ("Müller, Zoë", "Zoë"),
        ("Mr Smith", None),
        ("Cher", "Cher"),
    ],
)
def test_first_name_from_name(name: str, first: str | None) -> None:
    fields = record_fields(Record("x.csv", 2, {"Name": name}), column_map(["Name"]))
    assert person_from_fields(fields).greeting_name == first


def test_blank_name_is_built_from_first_and_last() -> None:
    record = Record("x.csv", 2, {"Name": " ", "First": "Ada", "Surname": "Lovelace"})
    fields = record_fields(record, column_map(["Name", "First", "Surname"]))
    assert person_from_fields(fields).on_envelope == "Ada Lovelace"


def test_closest_column() -> None:
    assert closest_column("email", ["Name", "E-Mial"]) == "E-Mial"
    assert closest_column("first_name", ["Given Names", "City"]) == "Given Names"
    assert closest_column("birthday", ["Name", "City"]) is None
    assert closest_column("email", []) is None


@pytest.mark.parametrize("bad", ["name", "=Customer", "name=", " = "])
def test_parse_mapping_names_the_bad_pair(bad: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_mapping(["product=Item", bad])
    assert repr(bad) in info.value.message and info.value.hint


def test_parse_mapping_refuses_a_field_twice() -> None:
    with pytest.raises(UsageError, match="twice"):
        parse_mapping(["name=A", "name=B"])


def test_parse_mapping_keeps_equals_in_column_names() -> None:
    assert parse_mapping(["total=Sum = net"]) == {"total": "Sum = net"}


# ---------------------------------------------------------------- properties

WORD = st.text(st.characters(categories=["Ll", "Nd"], max_codepoint=0x24F), min_size=1)


@given(st.text())
def test_normalise_header_is_idempotent(header: str) -> None:
    once = normalise_header(header)
    assert normalise_header(once) == once


@given(st.text(st.characters(categories=["L", "Nd", "Zs", "P"], max_codepoint=0x24F)))
def test_normalise_header_ignores_case(header: str) -> None:
    # Dotless ı and kra ĸ have no case partner that folds back to them.
    assume(not set(header) & set("ıĸŉǰſ"))
    assert normalise_header(header.upper()) == normalise_header(header.lower())


@given(
    st.lists(WORD, min_size=1, max_size=4),
    st.lists(st.sampled_from([" ", "_", "-", ".", "  ", " / ", "__"]), min_size=3, max_size=3),
)
def test_normalise_header_ignores_spacing_and_punctuation(
    words: list[str], seps: list[str]
) -> None:
    joined = seps[0] + seps[1].join(words) + seps[2]
    assert normalise_header(joined) == normalise_header("_".join(words))


PRINTABLE = st.characters(categories=["L", "M", "N", "P", "S", "Zs"])
HEADER = st.text(PRINTABLE, min_size=1, max_size=12).filter(
    # JSON is recognised by content: a first header starting [ or { could read as JSON.
    lambda h: h.strip() and not (set(h) & set(",;\t|"))
)
VALUE = st.text(st.one_of(PRINTABLE, st.just("\n")), max_size=15)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(HEADER, min_size=1, max_size=5, unique_by=lambda h: h.strip()),
    st.data(),
    st.sampled_from([",", ";", "\t", "|"]),
)
def test_csv_writer_tables_round_trip(
    tmp_path_factory: pytest.TempPathFactory, headers: list[str], data: st.DataObject, delim: str
) -> None:
    assume(headers[0].strip()[0] not in "[{")
    body = data.draw(st.lists(st.lists(VALUE, min_size=len(headers), max_size=len(headers))))
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delim, lineterminator="\r\n")
    writer.writerow(headers)
    expected = []
    line = 2
    for row in body:
        writer.writerow(row)
        cells = [v.strip() for v in row]
        if any(cells):
            expected.append((line, dict(zip([h.strip() for h in headers], cells, strict=True))))
        line += 1 + sum(v.count("\n") for v in row)
    path = tmp_path_factory.mktemp("rt") / "table.csv"
    path.write_bytes(text.getvalue().encode())
    table = read_table(path)
    assert table.columns == [h.strip() for h in headers]
    assert [(r.line, r.raw) for r in table] == expected


def test_cjk_name_is_built_family_name_first() -> None:
    record = Record("x.csv", 2, {"First Name": "さくら", "Last Name": "田中"})
    person = person_from_fields(record_fields(record, column_map(["First Name", "Last Name"])))
    assert person.on_envelope == "田中 さくら" and person.greeting_name == "さくら"


def test_cells_get_one_newline_convention_and_blank_rows_are_skipped(tmp_path) -> None:
    """A quoted cell's CR LF and lone CR become LF (cells are stripped first), and a row of
    empty cells is no record (a NUL far down: test_a_nul_byte_further_down_fails_only_its_row)."""
    path = tmp_path / "lines.csv"
    path.write_bytes(
        b'Name,Note\r\n"Ana","one\r\ntwo\rthree"\r\n , \r\n"Bo","\r\nx\r\n"\r\nDi,ok\r\n'
    )
    assert [(r.line, r.raw) for r in read_table(path)] == [
        (2, {"Name": "Ana", "Note": "one\ntwo\nthree"}),
        (6, {"Name": "Bo", "Note": "x"}),
        (9, {"Name": "Di", "Note": "ok"}),
    ]
