"""A reportlab document written as it is made, so memory stays flat in the number of pages.

reportlab keeps every page until `save`, then formats the whole file into one bytes object: a
20 000-card merge would hold the file in memory about three times. Here each page and its
deflated content are written to the file as soon as the page is finished, and only a reference
to the page is kept; the rest (fonts, glyph forms, the page tree) follows at the end, object by
object, as reportlab's own `format` would write it.
"""

from __future__ import annotations

from typing import BinaryIO

from reportlab.pdfbase.pdfdoc import (
    PDFCrossReferenceTable,
    PDFDictionary,
    PDFFile,
    PDFIndirectObject,
    PDFName,
    PDFObjectReference,
    PDFStream,
    PDFTrailer,
)


class StreamingFile:
    """One PDF being written: the objects already in the file, and where."""

    def __init__(self, handle: BinaryIO, doc):  # noqa: ANN001 - reportlab's PDFDocument
        self.doc = doc
        self.out = PDFFile(doc._pdfVersion)
        handle.write(b"".join(self.out.strings))  # the header
        self.out.write = handle.write  # from here on, every object goes straight to the file
        self.written: set[str] = set()

    def _write(self, oid: str) -> None:
        doc = self.doc
        doc.idToOffset[oid] = self.out.add(PDFIndirectObject(oid, doc.idToObject[oid]).format(doc))
        doc.idToObject[oid] = None  # written: nothing of it stays in memory
        self.written.add(oid)

    def page(self, page, deflated: bytes) -> None:  # noqa: ANN001 - reportlab's PDFPage
        """Write a finished page (the last one reportlab added) and its content now."""
        page.Contents = PDFStream(PDFDictionary({"Filter": PDFName("FlateDecode")}), deflated)
        name = getattr(page, "__InternalName__")  # noqa: B009 - reportlab's attribute
        self._write(name)  # formatting the page registers its content stream
        self._write(getattr(page.Contents, "__InternalName__"))  # noqa: B009
        self.doc.Pages.pages[-1] = PDFObjectReference(name)

    def finish(self, canvas) -> None:  # noqa: ANN001 - reportlab's Canvas
        """Everything else, the cross-reference table and the trailer (reportlab's GetPDFData
        and PDFDocument.format, skipping the objects already written)."""
        doc = self.doc
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
        ids = []
        number = 1
        while number in doc.numberToId:  # formatting may register new objects as it goes
            oid = doc.numberToId[number]
            if oid not in self.written:
                self._write(oid)
            ids.append(oid)
            number += 1
        xref = PDFCrossReferenceTable()
        xref.addsection(0, ids)
        start = self.out.add(xref.format(doc))
        trailer = PDFTrailer(
            startxref=start,
            Size=len(ids) + 1,
            Root=doc.Reference(doc.Catalog),
            Info=doc.Reference(doc.info),
            Encrypt=None,
            ID=doc.ID(),
        )
        self.out.add(trailer.format(doc))
