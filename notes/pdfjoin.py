"""Joining PDFs into one, streaming: the chunk PDFs of a merge become its final file.

reportlab holds every page of a canvas until save(), so a merge draws each chunk into its own
temporary PDF; `PdfJoiner` appends them in order with one input open at a time.
"""

from __future__ import annotations

import os
import re
from array import array
from collections import deque
from pathlib import Path
from typing import BinaryIO


class PdfJoiner:
    """Appends PDFs page by page to one file, streaming: one input open at a time, flat memory.

    pypdf's PdfWriter keeps every page object until write(); this writes each object as soon as
    it is copied and keeps only the offsets. Font subsets are renamed per input because every
    reportlab document tags its first subset the same way (AAAAAA+...).
    """

    def __init__(self, path: Path):
        self.path = path
        self._first: str | None = None  # one input alone is moved into place, not rewritten
        self._out: BinaryIO | None = None
        self._offsets = array("q", [0] * 4)  # by object number: 8 bytes a PDF object
        self._kids: list[int] = []
        self._next = 4  # 1 catalog, 2 pages, 3 info
        self._inputs = 0

    def add(self, pdf: str) -> None:
        if self._out is None and self._first is None:
            self._first = pdf
            return
        if self._out is None:
            self._out = open(self.path, "wb")  # noqa: SIM115 - closed in close()
            self._out.write(b"%PDF-1.4\n%\x93\x8c\x8b\x9e\n")
            first, self._first = self._first, None
            self._copy(first)  # type: ignore[arg-type]
        self._copy(pdf)

    def close(self) -> bool:
        """Finish the file; False when nothing was added (and nothing is written)."""
        if self._out is None:
            if self._first is None:
                return False
            os.replace(self._first, self.path)
            return True
        kids = " ".join(f"{n} 0 R" for n in self._kids)
        self._write(2, f"<< /Type /Pages /Count {len(self._kids)} /Kids [ {kids} ] >>".encode())
        self._write(1, b"<< /Type /Catalog /Pages 2 0 R >>")
        self._write(3, b"<< /Creator (notes) /Producer (notes) /Title (Notes) >>")
        out = self._out
        start = out.tell()
        size = self._next
        out.write(f"xref\n0 {size}\n0000000000 65535 f \n".encode())
        for number in range(1, size):
            out.write(f"{self._offsets[number]:010d} 00000 n \n".encode())
        trailer = (
            f"trailer\n<< /Size {size} /Root 1 0 R /Info 3 0 R >>\nstartxref\n{start}\n%%EOF\n"
        )
        out.write(trailer.encode())
        out.close()
        return True

    def _write(self, number: int, body: bytes | object) -> None:
        out = self._out
        assert out is not None
        if number >= len(self._offsets):
            self._offsets.extend([0] * (number + 1 - len(self._offsets)))
        self._offsets[number] = out.tell()
        out.write(f"{number} 0 obj\n".encode())
        if isinstance(body, bytes):
            out.write(body)
        else:
            body.write_to_stream(out)  # type: ignore[attr-defined]
        out.write(b"\nendobj\n")

    def _copy(self, pdf: str) -> None:
        from pypdf import PdfReader
        from pypdf.generic import (
            ArrayObject,
            DictionaryObject,
            IndirectObject,
            NameObject,
            StreamObject,
        )

        self._inputs += 1
        reader = PdfReader(pdf)
        numbers: dict[int, int] = {}
        queue: deque[tuple[int, IndirectObject]] = deque()
        tag = f"{self._inputs}"

        def ref(old: IndirectObject) -> IndirectObject:
            new = numbers.get(old.idnum)
            if new is None:
                new = numbers[old.idnum] = self._next
                self._next += 1
                queue.append((new, old))
            return IndirectObject(new, 0, None)  # type: ignore[arg-type]

        def convert(obj: object) -> object:
            if isinstance(obj, IndirectObject):
                return ref(obj)
            if isinstance(obj, DictionaryObject):
                new = StreamObject() if isinstance(obj, StreamObject) else DictionaryObject()
                if isinstance(obj, StreamObject):
                    new._data = obj._data  # still encoded: copied, not recompressed
                for key, value in dict.items(obj):
                    if key == "/Length" and isinstance(obj, StreamObject):
                        continue
                    if key in ("/BaseFont", "/FontName") and _SUBSET.match(value):
                        value = NameObject(_retag(value, tag))
                    new[NameObject(key)] = convert(value)
                return new
            if isinstance(obj, ArrayObject):
                return ArrayObject(convert(v) for v in obj)
            return obj

        for page in reader.pages:
            number = self._next
            self._next += 1
            copied = convert(
                DictionaryObject({k: v for k, v in dict.items(page) if k != "/Parent"})
            )
            copied[NameObject("/Parent")] = IndirectObject(2, 0, None)  # type: ignore[index,arg-type]
            self._kids.append(number)
            self._write(number, copied)
            while queue:
                new, old = queue.popleft()
                self._write(new, convert(old.get_object()))
        os.unlink(pdf)


_SUBSET = re.compile(r"^/[A-Z]{6}\+")


def _retag(name: str, tag: str) -> str:
    """/AAAAAA+Caveat from input 3 -> /QXJZKD+Caveat: distinct subsets get distinct names."""
    import hashlib

    digest = hashlib.sha256(f"{tag}\x1f{name}".encode()).digest()
    letters = "".join(chr(65 + b % 26) for b in digest[:6])
    return f"/{letters}+{name[8:]}"
