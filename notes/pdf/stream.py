"""A reportlab document saved as it is formatted, so memory stays flat in the number of pages.

reportlab keeps every page's content until `save`, then formats the whole file into one bytes
object: a 20 000-card merge would hold the file in memory about three times. Here each page's
deflated content waits in a temporary file beside the output, and `save` writes object after
object to the file, with the bytes reportlab's own `save` would write.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import BinaryIO

from reportlab.pdfbase.pdfdoc import (
    PDFCrossReferenceTable,
    PDFDictionary,
    PDFFile,
    PDFIndirectObject,
    PDFName,
    PDFStream,
    PDFTrailer,
)


class Spool:
    """Page contents, already deflated, in a temporary file until the document is saved."""

    def __init__(self, beside: Path):
        self.file = tempfile.TemporaryFile(dir=beside.parent, prefix=".notes-pages-")
        self.end = 0

    def add(self, deflated: bytes) -> PDFStream:
        offset, self.end = self.end, self.end + len(deflated)
        self.file.seek(offset)
        self.file.write(deflated)
        return _SpooledStream(self, offset, len(deflated))

    def read(self, offset: int, length: int) -> bytes:
        self.file.seek(offset)
        return self.file.read(length)

    def close(self) -> None:
        self.file.close()


class _SpooledStream(PDFStream):
    """A FlateDecode stream whose bytes are read back from the spool only while it is written."""

    def __init__(self, spool: Spool, offset: int, length: int):
        super().__init__(PDFDictionary({"Filter": PDFName("FlateDecode")}), None)
        self.place = (spool, offset, length)

    def format(self, document) -> bytes:  # noqa: ANN001 - reportlab's PDFDocument
        spool, offset, length = self.place
        self.content = spool.read(offset, length)
        try:
            return super().format(document)
        finally:
            self.content = None


def save(canvas, handle: BinaryIO) -> None:
    """Write the canvas's document to `handle` object by object (reportlab's GetPDFData and
    PDFDocument.format, with the output going to the file instead of a list of strings)."""
    doc = canvas._doc
    for font in doc.delayedFonts:
        font.addObjects(doc)  # font subsets: known only now that every page is drawn
    doc.info.invariant = doc.invariant
    doc.info.digest(doc.signature)
    doc.Reference(doc.Catalog)
    doc.Reference(doc.info)
    doc.Outlines.prepare(doc, canvas)
    if doc.Outlines.ready < 0:
        doc.Catalog.Outlines = None
    doc.encrypt.prepare(doc)
    out = PDFFile(doc._pdfVersion)
    handle.write(b"".join(out.strings))  # the header
    out.write = handle.write  # from here on, every object goes straight to the file
    ids = []
    number = 1
    while number in doc.numberToId:  # formatting may register new objects as it goes
        oid = doc.numberToId[number]
        doc.idToOffset[oid] = out.add(PDFIndirectObject(oid, doc.idToObject[oid]).format(doc))
        ids.append(oid)
        number += 1
    xref = PDFCrossReferenceTable()
    xref.addsection(0, ids)
    start = out.add(xref.format(doc))
    trailer = PDFTrailer(
        startxref=start,
        Size=len(ids) + 1,
        Root=doc.Reference(doc.Catalog),
        Info=doc.Reference(doc.info),
        Encrypt=None,
        ID=doc.ID(),
    )
    out.add(trailer.format(doc))
