"""A PDF file written object by object, straight to its file: numbers, formatting, xref.

Objects are written as soon as they are finished, so memory stays flat in the number of pages;
an object referred to before it can be written (the page tree, the fonts, known only at the end)
gets its number reserved first. The file ends with the cross-reference table and a trailer whose
/ID is a hash of every byte before it: the same document gives the same bytes.
"""

from __future__ import annotations

import hashlib
from typing import BinaryIO

from notes.pdf.deflate import deflate

HEADER = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"  # the binary comment tells transfer tools: not text
PASSED_ON = 1 << 16  # bytes of objects gathered before they are written (and hashed)


class PdfObjects:
    """One PDF being written: where each object is, and the hash of what is written so far."""

    def __init__(self, handle: BinaryIO):
        self.handle = handle
        self.offsets: list[int | None] = []  # object number - 1 -> its offset (None: reserved)
        self.position = 0
        self.digest = hashlib.md5(usedforsecurity=False)
        # Objects written but not yet passed on: a card makes two or three small ones, and a
        # write and a hash update for each cost more than joining them (~2 us a card).
        self.pending: list[bytes] = []
        self.pending_size = 0
        self._out(HEADER)

    def _out(self, data: bytes) -> None:
        self.pending.append(data)
        self.position += len(data)
        self.pending_size += len(data)
        if self.pending_size >= PASSED_ON:
            self.flush()

    def flush(self) -> None:
        """Write and hash what is pending."""
        data = b"".join(self.pending)
        self.handle.write(data)
        self.digest.update(data)
        self.pending.clear()
        self.pending_size = 0

    def reserve(self) -> int:
        """A number for an object written later (something refers to it first)."""
        self.offsets.append(None)
        return len(self.offsets)

    def write(self, number: int, body: bytes) -> None:
        """Write object `number`: `body` is what goes between `obj` and `endobj`."""
        assert self.offsets[number - 1] is None, f"object {number} written twice"
        self.offsets[number - 1] = self.position
        self._out(b"%d 0 obj\n%s\nendobj\n" % (number, body))

    def add(self, body: bytes) -> int:
        """Write a new object now; returns its number."""
        self.offsets.append(self.position)  # reserve() and write() in one
        number = len(self.offsets)
        self._out(b"%d 0 obj\n%s\nendobj\n" % (number, body))
        return number

    def finish(self, root: int, info: int) -> None:
        """The cross-reference table and the trailer; every reserved object must be written."""
        missing = [n for n, offset in enumerate(self.offsets, 1) if offset is None]
        assert not missing, f"objects reserved but never written: {missing}"
        start = self.position
        self.flush()
        file_id = self.digest.hexdigest().encode()
        rows = b"".join(b"%010d 00000 n \n" % offset for offset in self.offsets)
        size = len(self.offsets) + 1
        self._out(
            b"xref\n0 %d\n0000000000 65535 f \n%strailer\n<< /Size %d /Root %d 0 R /Info %d 0 R "
            b"/ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n"
            % (size, rows, size, root, info, file_id, file_id, start)
        )
        self.flush()


def stream(entries: bytes, data: bytes, *, compress: bool = True) -> bytes:
    """A stream object's body: its dictionary `entries` (without << >>), then the data, deflated
    unless `compress` is false (data that is deflated already)."""
    if compress:
        data = deflate(data)
        entries += b" /Filter /FlateDecode"
    return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (entries, len(data), data)


def reference(number: int) -> bytes:
    return b"%d 0 R" % number


def number(value: float, places: int = 3) -> str:
    """A number as short as it can be written, to `places` decimals (PDF has no exponent
    notation): 1/1000 of a point is far below any printer's dot."""
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def coordinate(value: float) -> str:
    """A page coordinate or size to seven significant digits (at most six decimals), as
    reportlab wrote them: rounder numbers move edges by a fraction of a pixel."""
    whole = len(str(int(abs(value))))
    return number(value, max(0, min(6, 7 - whole)))


def text_string(text: str) -> bytes:
    """A PDF text string (titles, /Info): printable ASCII as a literal, else UTF-16 with a BOM."""
    if text.isascii() and text.isprintable():
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return b"(" + escaped.encode("ascii") + b")"
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def name(text: str) -> bytes:
    """A PDF name: characters outside printable ASCII, and delimiters, as #xx."""
    out = []
    for byte in text.encode("utf-8"):
        char = chr(byte)
        if 33 <= byte <= 126 and char not in "#()<>[]{}/%":
            out.append(char)
        else:
            out.append(f"#{byte:02X}")
    return b"/" + "".join(out).encode("ascii")
