"""Customer data files (CSV, JSON, JSON Lines; any common encoding) -> streamed records.

`read_table` sniffs the encoding, format and delimiter from the first 64 KiB, then streams the
file through a text wrapper, so a 200 MB export is read in flat memory. `notes.columns` turns
whatever the export called its columns into canonical field names.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import BinaryIO, TextIO

from notes.errors import DataError

SAMPLE_SIZE = 64 * 1024
DELIMITERS = (",", ";", "\t", "|")
_JSON_COLUMN_SAMPLE = 500  # JSON has no header: columns are the keys of the first records
_MAX_JSON_OBJECT = 8 * 1024 * 1024


@dataclass(frozen=True)
class Record:
    source: str
    line: int
    raw: dict[str, str]
    unit: str = "line"  # "item" for JSON arrays, where `line` is the object's index

    def where(self) -> str:
        return f"{self.source} {self.unit} {self.line}"


class Table:
    """A readable data file. Iterating streams its records (each iteration reads the file anew)."""

    def __init__(
        self,
        source: str,
        columns: list[str],
        encoding: str,
        delimiter: str | None,
        fmt: str,
        records: Callable[[], Iterator[Record]],
    ):
        self.source = source
        self.columns = columns
        self.encoding = encoding
        self.delimiter = delimiter
        self.format = fmt  # "csv", "json" or "jsonl"
        self._records = records

    def __iter__(self) -> Iterator[Record]:
        return self._records()

    def __repr__(self) -> str:
        return (
            f"Table({self.source!r}, {self.format}, {self.encoding}, "
            f"delimiter={self.delimiter!r}, columns={self.columns!r})"
        )


# ---------------------------------------------------------------- opening and encodings


def _cp1252_fallback(err: UnicodeError) -> tuple[str, int]:
    # Exports that are UTF-8 at the top and cp1252 further down (or cp1252 with one of its five
    # undefined bytes) are common; decoding the odd byte as cp1252 gives what the user typed.
    assert isinstance(err, UnicodeDecodeError)
    bad = err.object[err.start : err.end]
    text = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in bad)
    return text, err.end


codecs.register_error("notes-cp1252-fallback", _cp1252_fallback)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MAGIC = (
    (b"PK\x03\x04", "an Excel workbook or ZIP archive", "in Excel use File > Save As > CSV UTF-8"),
    (
        b"\xd0\xcf\x11\xe0",
        "an old Excel (.xls) workbook",
        "in Excel use File > Save As > CSV UTF-8",
    ),
    (b"%PDF", "a PDF", "export the data from your shop as CSV instead"),
    (b"\x1f\x8b", "a gzip archive", "unpack it first (gunzip)"),
    (b"SQLite format 3", "an SQLite database", "export a table as CSV first"),
)
_WESTERN = "cp1252"


def _detect_encoding(sample: bytes, source: str, complete: bool) -> tuple[str, str]:
    """Return (codec, errors handler) for the file whose first bytes are `sample`."""
    for bom, codec in _BOMS:
        if sample.startswith(bom):
            return codec, "strict"
    for magic, what, hint in _MAGIC:
        if sample.startswith(magic):
            raise DataError(f"this is {what}, not a text file", where=source, hint=hint)
    if b"\x00" in sample:
        return _utf16_without_bom(sample, source), "strict"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=complete)
        return "utf-8", "notes-cp1252-fallback"
    except UnicodeDecodeError:
        pass
    if _looks_western(sample):
        return _WESTERN, "notes-cp1252-fallback"
    import charset_normalizer  # only for the rest: it is slow to import and to run

    matches = list(charset_normalizer.from_bytes(sample))
    if not matches:
        raise _binary_error(source)
    best = min(m.chaos for m in matches)
    # charset-normalizer often hesitates between Latin code pages that decode alike.
    if any(_WESTERN in m.could_be_from_charset for m in matches if m.chaos <= best + 0.01):
        return _WESTERN, "notes-cp1252-fallback"
    return matches[0].encoding, "strict"


_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
_APOSTROPHES = "’‘´"


def _looks_western(sample: bytes) -> bool:
    """Is this plausibly cp1252 text in a Western European language?

    On short samples charset-normalizer guesses wildly (Korean johab for "Zoë;Köln"), so first
    check what Western text looks like in cp1252: accented letters from Latin-1 inside mostly
    ASCII words, and no symbols inside words ("mo¿e" is Polish cp1250 read as cp1252).
    """
    if _CP1252_UNDEFINED & set(sample):
        return False
    text = sample.decode("cp1252")
    letters = accented = 0
    for i, ch in enumerate(text):
        if ch.isalpha():
            letters += 1
            if ord(ch) > 127:
                accented += 1
                if not ("\u00c0" <= ch <= "\u00ff" or ch in "ŒœŠšŽžƒ"):
                    return False
        elif ord(ch) > 127 and ch not in _APOSTROPHES:
            inside_word = 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha()
            if inside_word:
                return False
    # Cyrillic or Greek read as cp1252 is all accented letters; Western text is mostly ASCII.
    return accented < 0.4 * letters


def _utf16_without_bom(sample: bytes, source: str) -> str:
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    raise _binary_error(source)


def _binary_error(source: str) -> DataError:
    return DataError(
        "this is not a text file (it contains binary data)",
        where=source,
        hint="export the data as CSV (UTF-8) or JSON and pass that file",
    )


def _open_binary(path: str | Path, stdin: BinaryIO | None) -> tuple[str, Callable[[], BinaryIO]]:
    if str(path) == "-":
        data = (stdin or sys.stdin.buffer).read()  # stdin cannot be re-read: buffer it
        return "<stdin>", lambda: io.BytesIO(data)
    path = Path(path)
    try:
        path.open("rb").close()
    except FileNotFoundError:
        raise DataError(
            "file not found", where=str(path), hint="check the spelling and folder of the path"
        ) from None
    except IsADirectoryError:
        raise DataError(
            "this is a folder, not a file", where=str(path), hint="pass a CSV or JSON file"
        ) from None
    except OSError as exc:
        raise DataError(
            f"cannot open the file: {exc.strerror}", where=str(path), hint="check its permissions"
        ) from None
    return path.name, lambda: path.open("rb")


def read_table(path: str | Path, *, stdin: BinaryIO | None = None) -> Table:
    """Open a CSV / JSON / JSON Lines file ("-" = stdin) and sniff how to read it."""
    source, opener = _open_binary(path, stdin)
    with opener() as raw:
        sample = raw.read(SAMPLE_SIZE + 1)
    complete = len(sample) <= SAMPLE_SIZE
    sample = sample[:SAMPLE_SIZE]
    codec, errors = _detect_encoding(sample, source, complete)
    try:
        text = codecs.getincrementaldecoder(codec)(errors=errors).decode(sample, final=complete)
    except UnicodeDecodeError as exc:
        raise DataError(
            f"not valid {codec} text (byte {exc.start + 1})",
            where=source,
            hint="save the file again as CSV UTF-8",
        ) from None
    text = text.lstrip("\ufeff")
    if "\x00" in text or _control_ratio(text) > 0.01:
        raise _binary_error(source)
    if not text.strip():
        raise _empty_error(source)

    def records_of(parse: Callable[[TextIO], Iterator[Record]]) -> Callable[[], Iterator[Record]]:
        def records() -> Iterator[Record]:
            with opener() as raw:
                # newline="" keeps line ends inside quoted CSV fields for the csv module.
                wrapper = io.TextIOWrapper(raw, encoding=codec, errors=errors, newline="")
                try:
                    yield from parse(wrapper)
                except UnicodeDecodeError:
                    raise DataError(
                        f"the file is not valid {codec} text further down",
                        where=source,
                        hint="save the whole file again as CSV UTF-8",
                    ) from None

        return records

    fmt = _json_format(text, source)
    if fmt == "json":
        table = Table(source, [], codec, None, fmt, records_of(lambda t: _json_array(t, source)))
        table.columns = _columns_of(table)
        return table
    if fmt == "jsonl":
        table = Table(source, [], codec, None, fmt, records_of(lambda t: _json_lines(t, source)))
        table.columns = _columns_of(table)
        return table
    delimiter = _sniff_delimiter(text, complete)
    header = next(_csv_rows(io.StringIO(text), delimiter, source), None)
    if header is None:  # only blank lines and empty cells
        raise _empty_error(source)
    columns = _header_names(header[1])
    return Table(
        source, columns, codec, delimiter, "csv", records_of(lambda t: _csv(t, delimiter, source))
    )


def _empty_error(source: str) -> DataError:
    return DataError(
        "the file is empty",
        where=source,
        hint="export the data again; the first line should name the columns, e.g. name,email",
    )


def _control_ratio(text: str) -> float:
    bad = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\v\x1a")
    return bad / max(len(text), 1)


# ---------------------------------------------------------------- CSV


def _sniff_delimiter(text: str, complete: bool) -> str:
    first = text.lstrip().split("\n", 1)[0].strip()
    if re.fullmatch(r"sep=.", first):  # Excel's own hint line
        return first[4]
    if not complete:
        text = text[: text.rfind("\n") + 1]  # drop the cut-off last line
    best: tuple[float, int, int] | None = None
    chosen = ","
    for rank, delim in enumerate(DELIMITERS):
        try:
            rows = [r for r in islice(csv.reader(io.StringIO(text), delimiter=delim), 50) if r]
        except csv.Error:
            continue
        if not rows:
            continue
        width = len(rows[0])
        body = rows[1:]
        consistent = sum(len(r) == width for r in body) / len(body) if body else 1.0
        # A delimiter that splits the header beats one that does not; then consistency.
        score = (float(width > 1), consistent, width, -rank)
        if best is None or score > best:
            best, chosen = score, delim
    return chosen


def _csv_rows(text: TextIO, delimiter: str, source: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (start line, stripped cells) of each non-blank row, header included."""
    reader = csv.reader(text, delimiter=delimiter, skipinitialspace=True)
    done = 0
    first = True
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise DataError(
                f"cannot read this row: {exc}",
                where=f"{source} line {done + 1}",
                hint='a quote (") may be opened there and never closed; quote the whole field',
            ) from None
        start, done = done + 1, reader.line_num
        # Values go onto cards: one newline convention, whatever the exporter used.
        cells = [c.strip().replace("\r\n", "\n").replace("\r", "\n") for c in row]
        if first and re.fullmatch(r"sep=.", delimiter.join(row).strip()):  # Excel's hint line
            first = False
            continue
        if any(cells):
            first = False
            if any("\x00" in c for c in cells):
                raise _binary_error(f"{source} line {start}")
            yield start, cells


def _header_names(cells: list[str]) -> list[str]:
    names: list[str] = []
    for i, cell in enumerate(cells, 1):
        name = cell.strip().strip("\ufeff").strip() or f"column {i}"
        if name in names:  # repeated header: keep both, as "Email" and "Email (2)"
            k = 2
            while f"{name} ({k})" in names:
                k += 1
            name = f"{name} ({k})"
        names.append(name)
    return names


def _csv(text: TextIO, delimiter: str, source: str) -> Iterator[Record]:
    rows = _csv_rows(text, delimiter, source)
    header = next(rows, None)
    if header is None:
        return
    columns = _header_names(header[1])
    for line, cells in rows:
        yield Record(source, line, dict(zip(columns, cells, strict=False)))


# ---------------------------------------------------------------- JSON


def _decoder() -> json.JSONDecoder:
    # Keep numbers as written: "24.00" must not become 24.0.
    return json.JSONDecoder(parse_float=str, parse_int=str, parse_constant=str)


def _json_format(text: str, source: str) -> str:
    """Tell JSON / JSON Lines / CSV apart by content: a .csv file may well hold JSON."""
    body = text.lstrip()
    decoder = _decoder()
    if body.startswith("["):
        after = body[1:].lstrip()
        try:
            if after.startswith("]"):
                return "json"
            decoder.raw_decode(after)
            return "json"
        except json.JSONDecodeError:
            # "[abc],b" is a CSV header; "[\n  {broken" is broken JSON.
            return "json" if re.match(r"\[\s*(\{|\[|\"|$)", body) else "csv"
    if body.startswith("{"):
        first_line = body.split("\n", 1)[0]
        try:
            if isinstance(decoder.decode(first_line), dict):
                return "jsonl"
        except json.JSONDecodeError:
            pass
        try:
            value, _ = decoder.raw_decode(body)
        except json.JSONDecodeError:
            return "jsonl" if re.match(r"\{\s*(\"|$)", body) else "csv"
        lists = [k for k, v in value.items() if isinstance(v, list)] if value else []
        raise DataError(
            "the JSON is one object, not an array of objects",
            where=source,
            hint=(
                f"the records may be in {', '.join(map(repr, lists))}: save that list alone"
                if lists
                else "write the records as [{...}, {...}] or one object per line (JSON Lines)"
            ),
        )
    return "csv"


def _flatten(value: object, prefix: str, out: dict[str, str]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            key = str(key).strip()
            _flatten(inner, f"{prefix}.{key}" if prefix else key, out)
    elif isinstance(value, list):
        if all(not isinstance(v, dict | list) for v in value):
            out[prefix] = ", ".join(_scalar(v) for v in value if v is not None)
        else:
            for i, inner in enumerate(value, 1):
                _flatten(inner, f"{prefix}.{i}", out)
    else:
        out[prefix] = _scalar(value)


def _scalar(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def _json_record(value: object, source: str, line: int, unit: str) -> Record:
    if not isinstance(value, dict):
        kind = {list: "a list", str: "a string or number", bool: "true/false"}.get(
            type(value), "null"
        )
        raise DataError(
            f"expected an object {{...}} here, found {kind}",
            where=f"{source} {unit} {line}",
            hint="the JSON must be an array of objects, one object per customer",
        )
    raw: dict[str, str] = {}
    _flatten(value, "", raw)
    return Record(source, line, raw, unit)


def _json_lines(text: TextIO, source: str) -> Iterator[Record]:
    decoder = _decoder()
    for number, line in enumerate(text, 1):
        if not line.strip():
            continue
        try:
            value = decoder.decode(line.strip())
        except json.JSONDecodeError as exc:
            raise _json_error(exc.msg, source, number, exc.colno) from None
        yield _json_record(value, source, number, "line")


def _json_error(msg: str, source: str, line: int, column: int) -> DataError:
    return DataError(
        f"invalid JSON: {msg} (column {column})",
        where=f"{source} line {line}",
        hint="fix the file there (a missing or extra comma, or a missing quote?) or export it again",
    )


def _json_array(text: TextIO, source: str) -> Iterator[Record]:
    """Stream the objects of a top-level JSON array without loading the whole array."""
    decoder = _decoder()
    buf, pos, eof = "", 0, False
    lines_before, col_before = 0, 0  # position in the file of buf[0]

    def more() -> bool:
        nonlocal buf, pos, eof, lines_before, col_before
        if eof:
            return False
        if pos > SAMPLE_SIZE:  # forget what was parsed, keeping count of lines for messages
            done = buf[:pos]
            newlines = done.count("\n")
            col_before = len(done) - done.rfind("\n") - 1 if newlines else col_before + len(done)
            lines_before += newlines
            buf, pos = buf[pos:], 0
        chunk = text.read(SAMPLE_SIZE)
        eof = not chunk
        buf += chunk
        return not eof

    def next_char() -> str:
        nonlocal pos
        while True:
            while pos < len(buf) and buf[pos] in " \t\r\n":
                pos += 1
            if pos < len(buf) or not more():
                return buf[pos] if pos < len(buf) else ""

    def error(msg: str, at: int) -> DataError:
        newlines = buf.count("\n", 0, at)
        column = at - buf.rfind("\n", 0, at) if newlines else col_before + at + 1
        return _json_error(msg, source, lines_before + newlines + 1, column)

    if next_char() != "[":
        raise error("expected '[' at the start", pos)
    pos += 1
    index = 0
    while True:
        ch = next_char()
        if ch == "]" and index == 0:
            pos += 1
            break
        last_failure = None
        while True:
            try:
                value, end = decoder.raw_decode(buf, pos)
                break
            except json.JSONDecodeError as exc:
                # Possibly only cut off by the buffer: read on, unless the same error stays put.
                stuck = last_failure == exc.pos and not exc.msg.startswith("Unterminated")
                if stuck or len(buf) - pos > _MAX_JSON_OBJECT or not more():
                    raise error(exc.msg, exc.pos) from None
                last_failure = exc.pos
        index += 1
        pos = end
        yield _json_record(value, source, index, "item")
        ch = next_char()
        pos += 1
        if ch == "]":
            break
        if ch != ",":
            raise error("expected ',' or ']' after an object", pos - 1)
    if next_char():
        raise error("unexpected text after the closing ']'", pos)


def _columns_of(table: Table) -> list[str]:
    columns: dict[str, None] = {}
    records = iter(table)
    try:  # also surfaces broken JSON near the top now rather than mid-run
        for record in islice(records, _JSON_COLUMN_SAMPLE):
            columns.update(dict.fromkeys(record.raw))
    finally:
        records.close()  # type: ignore[attr-defined]
    return list(columns)
