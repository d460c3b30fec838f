"""Customer data files (CSV, JSON, JSON Lines; any common encoding) -> streamed records.

`read_table` sniffs the encoding (`notes.encodings`), format and delimiter from the first 64 KiB,
then streams the file through a text wrapper, so a 200 MB export is read in flat memory; rows
come from `notes.csvrows` and `notes.jsonrows`. A row that cannot be read is a `Record` with an
`error`, and the others are still read. `notes.columns` turns whatever the export called its
columns into canonical field names.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import os
import shutil
import sys
import tempfile
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import BinaryIO, TextIO

from notes.csvrows import csv_rows, header_names, sniff_delimiter
from notes.encodings import binary_error, detect_encoding, looks_binary
from notes.errors import DataError
from notes.jsonrows import json_array_rows, json_format, json_line_rows
from notes.records import FrozenRecord

SAMPLE_SIZE = 64 * 1024
_JSON_COLUMN_SAMPLE = 500  # JSON has no header: columns are the keys of the first records
_COPY_CHUNK = 256 * 1024

Rows = Iterator[tuple[int, "dict[str, str] | DataError"]]


@dataclass(init=False, repr=False, eq=False)
class Record(FrozenRecord):
    source: str
    line: int
    raw: dict[str, str]
    unit: str = "line"  # "item" for JSON arrays, where `line` is the object's index
    error: DataError | None = None  # why this row cannot be read (then `raw` is empty)

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


# ---------------------------------------------------------------- opening


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):  # still open elsewhere (Windows): the OS cleans its temp
        path.unlink(missing_ok=True)


class _StdinCopy:
    """stdin copied to a temporary file in pieces: a table is read more than once (columns,
    progress, the run) but stdin only once, and a file keeps memory flat whatever its size.
    The file goes when the table that reads it does (or at exit)."""

    def __init__(self, stream: BinaryIO):
        try:
            fd, name = tempfile.mkstemp(prefix="notes-stdin-", suffix=".part")
        except OSError as exc:
            raise _copy_error(exc) from None
        self.path = Path(name)
        weakref.finalize(self, _remove, self.path)
        try:
            with os.fdopen(fd, "wb") as copy:
                shutil.copyfileobj(stream, copy, _COPY_CHUNK)
        except OSError as exc:
            _remove(self.path)
            raise _copy_error(exc) from None

    def open(self) -> BinaryIO:
        return self.path.open("rb")


def _copy_error(exc: OSError) -> DataError:
    return DataError(
        f"cannot keep a copy of stdin to read: {exc.strerror or exc}",
        where="<stdin>",
        hint="free some disk space (or set TMPDIR to a folder with room), "
        "or pass the file by its path",
    )


def _open_binary(path: str | Path, stdin: BinaryIO | None) -> tuple[str, Callable[[], BinaryIO]]:
    if str(path) == "-":
        return "<stdin>", _StdinCopy(stdin or sys.stdin.buffer).open
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


# ---------------------------------------------------------------- reading


def read_table(path: str | Path, *, stdin: BinaryIO | None = None) -> Table:
    """Open a CSV / JSON / JSON Lines file ("-" = stdin) and sniff how to read it."""
    source, opener = _open_binary(path, stdin)
    with opener() as raw:
        sample = raw.read(SAMPLE_SIZE + 1)
    complete = len(sample) <= SAMPLE_SIZE
    sample = sample[:SAMPLE_SIZE]
    codec, errors = detect_encoding(sample, source, complete)
    try:
        text = codecs.getincrementaldecoder(codec)(errors=errors).decode(sample, final=complete)
    except UnicodeDecodeError as exc:
        raise DataError(
            f"not valid {codec} text (byte {exc.start + 1})",
            where=source,
            hint="save the file again as CSV UTF-8",
        ) from None
    text = text.lstrip("\ufeff")
    if looks_binary(text):
        raise binary_error(source)
    if not text.strip():
        raise _empty_error(source)

    def records_of(
        parse: Callable[[TextIO, str], Rows], unit: str
    ) -> Callable[[], Iterator[Record]]:
        def records() -> Iterator[Record]:
            with opener() as raw:
                # newline="" keeps line ends inside quoted CSV fields for the csv module.
                wrapper = io.TextIOWrapper(raw, encoding=codec, errors=errors, newline="")
                try:
                    for line, row in parse(wrapper, source):
                        if isinstance(row, DataError):
                            yield Record(source, line, {}, unit, row)
                        else:
                            yield Record(source, line, row, unit)
                except UnicodeDecodeError:
                    raise DataError(
                        f"the file is not valid {codec} text further down",
                        where=source,
                        hint="save the whole file again as CSV UTF-8",
                    ) from None

        return records

    fmt = json_format(text, source)
    if fmt in ("json", "jsonl"):
        parse, unit = (json_array_rows, "item") if fmt == "json" else (json_line_rows, "line")
        table = Table(source, [], codec, None, fmt, records_of(parse, unit))
        table.columns = _columns_of(table)
        return table
    delimiter = sniff_delimiter(text, complete)
    columns = _csv_header(csv_rows(io.StringIO(text), delimiter, source), source)
    return Table(
        source, columns, codec, delimiter, "csv", records_of(_csv_parser(delimiter), "line")
    )


def _csv_header(rows: Iterator[tuple[int, list[str] | DataError]], source: str) -> list[str]:
    header = next(rows, None)
    if header is None:  # only blank lines and empty cells
        raise _empty_error(source)
    if isinstance(header[1], DataError):
        raise header[1]
    return header_names(header[1])


def _csv_parser(delimiter: str) -> Callable[[TextIO, str], Rows]:
    def parse(text: TextIO, source: str) -> Rows:
        rows = csv_rows(text, delimiter, source)
        columns = _csv_header(rows, source)
        for line, cells in rows:
            if isinstance(cells, DataError):
                yield line, cells
            else:
                yield line, dict(zip(columns, cells, strict=False))

    return parse


def _empty_error(source: str) -> DataError:
    return DataError(
        "the file is empty",
        where=source,
        hint="export the data again; the first line should name the columns, e.g. name,email",
    )


def _columns_of(table: Table) -> list[str]:
    columns: dict[str, None] = {}
    records = iter(table)
    try:  # also surfaces broken JSON near the top now rather than mid-run
        for record in islice(records, _JSON_COLUMN_SAMPLE):
            columns.update(dict.fromkeys(record.raw))
    finally:
        records.close()  # type: ignore[attr-defined]
    return list(columns)
