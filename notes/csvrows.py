"""CSV -> rows of cells with their line numbers, streamed; a row that cannot be read fails alone.

The csv module refuses a field longer than its limit, and a row may hold binary data (a NUL from
a damaged disk block): such a row becomes a `DataError` in place of its cells, and reading goes
on from the line where the row really ends (a quoted field may span lines). A quote that is
never closed would swallow every later line into one field: that row fails alone and the lines
after it are read again as their own rows.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from itertools import islice
from typing import TextIO

from notes.errors import DataError

DELIMITERS = (",", ";", "\t", "|")
MAX_ROW = 1024 * 1024  # characters in one row (and in one physical line)
_SKIP_READ = 64 * 1024  # a row being skipped is read in smaller pieces: only its quotes matter


def sniff_delimiter(text: str, complete: bool) -> str:
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


def header_names(cells: list[str]) -> list[str]:
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


def csv_rows(
    text: TextIO, delimiter: str, source: str
) -> Iterator[tuple[int, list[str] | DataError]]:
    """(start line, stripped cells or why the row cannot be read) of each non-blank row."""
    lines = _RowLines(text)
    reader = csv.reader(lines, delimiter=delimiter, skipinitialspace=True)
    done = 0
    header: list[str] | None = None
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except (csv.Error, _RowTooLarge) as exc:
            start = done + 1
            where = f"{source} line {start}"
            first_line = lines.row[0] if lines.row else ""
            binary, unclosed = lines.skip_row(delimiter)
            if unclosed and lines.rewind_to(start):  # the lines after it are rows of their own
                yield start, _unclosed_quote(first_line, delimiter, header, where)
            elif unclosed:
                raise _unclosed_quote(first_line, delimiter, header, where) from None
            else:
                yield start, _unreadable_row(exc, binary, where, lines.count - start + 1)
            done = lines.count
            header = header or []
            continue
        start, done = done + 1, lines.count
        if lines.ended and lines.row_quote_open(delimiter):
            # The csv module ends a quoted field at the end of the file without a word.
            first_line = lines.row[0]
            lines.push_back_after_first_line()
            done = start
            yield start, _unclosed_quote(first_line, delimiter, header, f"{source} line {start}")
            continue
        lines.row_done()
        cells = [c.strip() for c in row]
        joined = "".join(cells)  # the row's text, looked through once instead of cell by cell
        if "\r" in joined:  # values go onto cards: one newline convention, as the export's may vary
            cells = [c.replace("\r\n", "\n").replace("\r", "\n") for c in cells]
        if header is None and re.fullmatch(r"sep=.", delimiter.join(row).strip()):  # Excel's hint
            header = []
            continue
        if joined:  # a row of empty cells is skipped
            header = header or cells
            binary = "\x00" in joined
            yield start, _binary_row_error(f"{source} line {start}") if binary else cells


def _unclosed_quote(
    first_line: str, delimiter: str, header: list[str] | None, where: str
) -> DataError:
    """The row whose quote never closes: which field, and how it starts."""
    cells = next(csv.reader([first_line.rstrip("\r\n")], delimiter=delimiter), [""])
    index = len(cells) - 1  # the open field runs to the line's end: it is the line's last
    names = header_names(header or [])
    field = f"'{names[index]}'" if index < len(names) else f"field {index + 1}"
    start = cells[-1].strip()
    shown = start if len(start) <= 30 else start[:30] + "…"
    return DataError(
        f'a quote (") opened here is never closed ({field}, which starts "{shown}"), '
        "so this row cannot be read; the lines after it are read as their own rows",
        where=where,
        hint='close the quote where the field ends, or double it ("") if it is part of the text',
    )


def _binary_row_error(where: str) -> DataError:
    return DataError(
        "this row holds binary data (a NUL byte), not text",
        where=where,
        hint="the file may be damaged from this line on: look at it in a text editor, "
        "or export it again",
    )


def _unreadable_row(exc: Exception, binary: bool, where: str, spans: int) -> DataError:
    if binary:
        return _binary_row_error(where)
    limit = csv.field_size_limit()
    if isinstance(exc, _RowTooLarge):
        what = f"reaches {MAX_ROW:,} characters, the most a row may hold"
    elif "field limit" in str(exc):
        what = f"has a field longer than {limit:,} characters (the limit)"
    else:
        return DataError(f"cannot read this row: {exc}", where=where, hint="export the file again")
    if spans > 1:
        hint = (
            f"it runs over {spans} lines: shorten that cell; or, if it should be short, a quote "
            '(") opened there closes only much later: quote the whole field or remove the quote'
        )
    else:
        hint = "shorten that cell (a card holds a few hundred characters), or leave the row out"
    return DataError(f"this row is too large to read: it {what}", where=where, hint=hint)


class _RowTooLarge(Exception):
    pass


class _RowLines:
    """The physical lines of a CSV file for csv.reader, keeping those of the row being read.

    A row the reader refuses is then skipped to where it really ends. Lines are read at most
    MAX_ROW characters at a time, so a huge line (a file ending in zeros) never sits in memory.
    """

    def __init__(self, text: TextIO):
        self.text = text
        self.readline = text.readline  # once per line of every file: no attribute look-ups
        self.row: list[str] = []  # text of the row being read, as read
        self.size = 0
        self.count = 0  # whole lines read
        self.ended = False  # the file's end was reached
        self.again: list[str] = []  # lines to read again, last first

    def __iter__(self) -> _RowLines:
        return self

    def __next__(self) -> str:
        piece = self.again.pop() if self.again else self.readline(MAX_ROW)
        if not piece:
            self.ended = True
            raise StopIteration
        self.row.append(piece)
        self.size += len(piece)
        if self.size < MAX_ROW:  # the common case: a whole line, and the row not too large
            self.count += 1
            return piece
        self.count += _whole_line(piece)
        raise _RowTooLarge

    def row_done(self) -> None:
        self.row.clear()
        self.size = 0

    def row_quote_open(self, delimiter: str) -> bool:
        """Does the row just read end inside a quoted field (only possible at the file's end)?"""
        quotes = _QuoteState(delimiter)
        for piece in self.row:
            quotes.feed(piece)
        return quotes.quoted

    def push_back_after_first_line(self) -> None:
        """Read the row's lines after its first again, as rows of their own.

        Only called on a row under MAX_ROW, whose pieces are whole lines."""
        self.again.extend(reversed(self.row[1:]))
        self.count -= len(self.row) - 1
        self.ended = False
        self.row_done()

    def rewind_to(self, line: int) -> bool:
        """Go back to just after physical line `line`; False if the file cannot be read again."""
        if not self.text.seekable():
            return False
        self.text.seek(0)
        self.again.clear()
        self.count = 0
        while self.count < line:
            piece = self.text.readline(_SKIP_READ)
            if not piece:
                break
            self.count += _whole_line(piece, _SKIP_READ)
        self.ended = False
        self.row_done()
        return True

    def skip_row(self, delimiter: str) -> tuple[bool, bool]:
        """Read to the end of the row being read: whether it holds binary data (NUL bytes), and
        whether a quote in it is never closed."""
        quotes = _QuoteState(delimiter)
        binary = False
        pieces, limit = self.row[::-1], MAX_ROW
        self.row_done()
        while True:
            if pieces:
                piece = pieces.pop()
            else:
                piece, limit = self.text.readline(_SKIP_READ), _SKIP_READ
                if not piece:
                    break
                self.count += _whole_line(piece, limit)
            quotes.feed(piece)
            binary = binary or "\x00" in piece
            if _whole_line(piece, limit) and not quotes.quoted:
                break
        return binary, quotes.quoted and not binary


def _whole_line(piece: str, limit: int = MAX_ROW) -> bool:
    """Did readline(limit) return a whole line (or the last one), not the start of a longer one?"""
    return piece.endswith(("\n", "\r")) or len(piece) < limit


_FIELD_START, _UNQUOTED, _QUOTED, _QUOTE_IN_QUOTED = range(4)


class _QuoteState:
    """Whether a row is inside a quoted field, following the csv module's rules for our dialect
    (double quotes, quotes doubled inside, spaces after a delimiter skipped)."""

    def __init__(self, delimiter: str):
        self.delimiter = delimiter
        self.field_end = re.compile(f"[{re.escape(delimiter)}\r\n]")
        self.state = _FIELD_START

    @property
    def quoted(self) -> bool:
        return self.state == _QUOTED

    def feed(self, piece: str) -> None:
        i, state = 0, self.state
        while i < len(piece):
            if state == _QUOTED:
                j = piece.find('"', i)
                state, i = (_QUOTED, len(piece)) if j < 0 else (_QUOTE_IN_QUOTED, j + 1)
            elif state == _UNQUOTED:
                found = self.field_end.search(piece, i)
                state, i = (_UNQUOTED, len(piece)) if found is None else (_FIELD_START, found.end())
            else:
                ch = piece[i]
                i += 1
                if ch == '"':
                    state = _QUOTED
                elif ch == self.delimiter or ch in "\r\n":
                    state = _FIELD_START
                elif state == _QUOTE_IN_QUOTED or ch != " ":
                    state = _UNQUOTED
        self.state = state
