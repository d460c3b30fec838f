"""JSON arrays and JSON Lines -> flat rows of text, streamed.

An array is read item by item: the end of each item is found by one scan over its brackets and
strings, then the item is decoded once, so a 4 MB object costs what reading it does. Nested
objects flatten to dotted keys ("customer.email"); numbers stay as written ("24.00").
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import TextIO

from notes.errors import DataError

MAX_DEPTH = 50  # a customer record nests a few levels; thousands would overflow Python's stack
MAX_ITEM = 8 * 1024 * 1024  # characters in one array item or one JSON line
_READ = 64 * 1024

Row = dict[str, str]


def _decoder() -> json.JSONDecoder:
    # Keep numbers as written: "24.00" must not become 24.0.
    return json.JSONDecoder(parse_float=str, parse_int=str, parse_constant=str)


def json_format(text: str, source: str) -> str:
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
        except RecursionError:
            return "json"  # nested too deeply: the array reader says where
        except json.JSONDecodeError:
            # "[abc],b" is a CSV header; "[\n  {broken" is broken JSON.
            return "json" if re.match(r"\[\s*(\{|\[|\"|$)", body) else "csv"
    if body.startswith("{"):
        first_line = body.split("\n", 1)[0]
        try:
            if isinstance(decoder.decode(first_line), dict):
                return "jsonl"
        except RecursionError:
            return "jsonl"  # nested too deeply: the line reader says so for that line
        except json.JSONDecodeError:
            pass
        try:
            value, _ = decoder.raw_decode(body)
        except (json.JSONDecodeError, RecursionError):
            return "jsonl" if re.match(r"\{\s*(\"|$)", body) else "csv"
        raise _one_object_error(value, source)
    return "csv"


def _one_object_error(value: dict, source: str) -> DataError:
    lists = [k for k, v in value.items() if isinstance(v, list)] if value else []
    return DataError(
        "the JSON is one object, not an array of objects",
        where=source,
        hint=(
            f"the records may be in {', '.join(map(repr, lists))}: save that list alone"
            if lists
            else "write the records as [{...}, {...}] or one object per line (JSON Lines)"
        ),
    )


class _TooDeep(Exception):
    pass


def _flatten(value: object, prefix: str, out: Row, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise _TooDeep
    if isinstance(value, dict):
        for key, inner in value.items():
            key = str(key).strip()
            _flatten(inner, f"{prefix}.{key}" if prefix else key, out, depth + 1)
    elif isinstance(value, list):
        if all(not isinstance(v, dict | list) for v in value):
            out[prefix] = ", ".join(_scalar(v) for v in value if v is not None)
        else:
            for i, inner in enumerate(value, 1):
                _flatten(inner, f"{prefix}.{i}", out, depth + 1)
    else:
        out[prefix] = _scalar(value)


def _scalar(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).strip()


def _too_deep_error(where: str) -> DataError:
    return DataError(
        f"the JSON is nested more than {MAX_DEPTH} levels deep",
        where=where,
        hint='each customer should be one object of fields, like {"name": "Ana", "email": '
        '"ana@example.com"}; export the data again',
    )


def _row_of(value: object, where: str) -> Row:
    if not isinstance(value, dict):
        kind = {list: "a list", str: "a string or number", bool: "true/false"}.get(
            type(value), "null"
        )
        raise DataError(
            f"expected an object {{...}} here, found {kind}",
            where=where,
            hint="the JSON must be an array of objects, one object per customer",
        )
    row: Row = {}
    try:
        _flatten(value, "", row)
    except _TooDeep:
        raise _too_deep_error(where) from None
    return row


def _json_error(msg: str, where: str, column: int) -> DataError:
    return DataError(
        f"invalid JSON: {msg} (column {column})",
        where=where,
        hint="fix the file there (a missing or extra comma, or a missing quote?) or export it again",
    )


# ---------------------------------------------------------------- JSON Lines


def json_line_rows(text: TextIO, source: str) -> Iterator[tuple[int, Row | DataError]]:
    """(line number, row) per non-blank line; a line that is not a JSON object fails alone."""
    decoder = _decoder()
    number = 0
    while line := text.readline(MAX_ITEM + 1):
        number += 1
        where = f"{source} line {number}"
        if len(line) > MAX_ITEM:
            _skip_rest_of_line(text, line)
            yield number, _line_too_long_error(where)
            continue
        if not line.strip():
            continue
        try:
            yield number, _row_of(decoder.decode(line.strip()), where)
        except json.JSONDecodeError as exc:
            yield number, _json_error(exc.msg, where, exc.colno)
        except RecursionError:
            yield number, _too_deep_error(where)
        except DataError as exc:
            yield number, exc


def _skip_rest_of_line(text: TextIO, piece: str) -> None:
    while piece and not piece.endswith(("\n", "\r")):
        piece = text.readline(MAX_ITEM)


def _line_too_long_error(where: str) -> DataError:
    return DataError(
        f"this line is longer than {MAX_ITEM:,} characters",
        where=where,
        hint="one customer's record is a few kB: the file may be damaged there; export it again",
    )


# ---------------------------------------------------------------- JSON arrays

_OUTSIDE_STRING = re.compile(r'[\[\]{}"]')
_INSIDE_STRING = re.compile(r'["\\]')
_END_OF_SCALAR = re.compile(r"[\s,\]}]")


def json_array_rows(text: TextIO, source: str) -> Iterator[tuple[int, Row]]:
    """(index from 1, row) for each object of a top-level JSON array, in flat memory."""
    return _ArrayReader(text, source).rows()


class _ArrayReader:
    """A top-level JSON array read piece by piece from a text stream."""

    def __init__(self, text: TextIO, source: str):
        self.text, self.source = text, source
        self.buf, self.pos, self.eof = "", 0, False
        self.lines_before, self.column_before = 0, 0  # where in the file buf[0] is

    def rows(self) -> Iterator[tuple[int, Row]]:
        decoder = _decoder()
        if self._next_char() != "[":
            raise self._error("expected '[' at the start", self.pos)
        self.pos += 1
        index = 0
        while True:
            if self._next_char() == "]" and index == 0:
                self.pos += 1
                break
            index += 1
            self._read_whole_item()
            try:  # decoded once, from the buffer that now holds the whole item
                value, self.pos = decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                raise self._error(exc.msg, exc.pos) from None
            yield index, _row_of(value, f"{self.source} item {index}")
            ch = self._next_char()
            self.pos += 1
            if ch == "]":
                break
            if ch != ",":
                raise self._error("expected ',' or ']' after an object", self.pos - 1)
        if self._next_char():
            raise self._error("unexpected text after the closing ']'", self.pos)

    def _more(self) -> bool:
        """Read on; as much as is buffered, so a long item is read in doubling steps."""
        if self.eof:
            return False
        chunk = self.text.read(max(_READ, len(self.buf) - self.pos))
        self.eof = not chunk
        self.buf += chunk
        return not self.eof

    def _forget_parsed(self) -> None:
        """Drop the text before `pos`, keeping count of its lines for messages."""
        done = self.buf[: self.pos]
        newlines = done.count("\n")
        if newlines:
            self.column_before = len(done) - done.rfind("\n") - 1
        else:
            self.column_before += len(done)
        self.lines_before += newlines
        self.buf, self.pos = self.buf[self.pos :], 0

    def _next_char(self) -> str:
        """Skip white space; the next character, or "" at the end of the file."""
        if self.pos > _READ:
            self._forget_parsed()
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in " \t\r\n":
                self.pos += 1
            if self.pos < len(self.buf) or not self._more():
                return self.buf[self.pos] if self.pos < len(self.buf) else ""

    def _read_whole_item(self) -> None:
        """Read on until the buffer holds the whole item at `pos` (or the file ends)."""
        i, depth, in_string = self.pos, 0, False
        if i >= len(self.buf):
            return  # the file ended: decoding says what is missing
        if self.buf[i] not in '[{"':  # a number, true, false or null
            while _END_OF_SCALAR.search(self.buf, i) is None:
                i = len(self.buf)
                if not self._more():
                    return
            return
        while True:
            if i - self.pos > MAX_ITEM:
                raise self._error(f"an item is longer than {MAX_ITEM:,} characters", self.pos)
            found = (_INSIDE_STRING if in_string else _OUTSIDE_STRING).search(self.buf, i)
            if found is None:
                i = max(i, len(self.buf))  # past an escaped character not read yet: keep that
                if not self._more():
                    return
                continue
            ch, i = found.group(), found.end()
            if ch == "\\":
                i += 1  # the escaped character, maybe not read yet
            elif ch == '"':
                in_string = not in_string
            elif ch in "[{":
                depth += 1
                if depth > MAX_DEPTH:
                    raise _too_deep_error(self._where(self.pos))
            else:
                depth -= 1
            if depth <= 0 and not in_string:
                return

    def _where(self, at: int) -> str:
        line, _ = self._line_and_column(at)
        return f"{self.source} line {line}"

    def _line_and_column(self, at: int) -> tuple[int, int]:
        newlines = self.buf.count("\n", 0, at)
        column = at - self.buf.rfind("\n", 0, at) if newlines else self.column_before + at + 1
        return self.lines_before + newlines + 1, column

    def _error(self, msg: str, at: int) -> DataError:
        line, column = self._line_and_column(at)
        return _json_error(msg, f"{self.source} line {line}", column)
