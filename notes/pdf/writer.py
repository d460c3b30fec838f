"""Pages of the drawing model onto a reportlab canvas, one page at a time, into one file."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain
from pathlib import Path
from typing import BinaryIO

from reportlab import rl_config
from reportlab.pdfbase.pdfdoc import (
    PDFDictionary,
    PDFObjectReference,
    PDFResourceDictionary,
    xObjectName,
)
from reportlab.pdfgen.canvas import Canvas

from notes.drawing import Document, Group, Image, Item, Page, Stroke, Word
from notes.errors import OutputError
from notes.files import atomic_path
from notes.pdf.deflate import deflate
from notes.pdf.fonts import register
from notes.pdf.images import draw_image
from notes.pdf.stream import StreamingFile
from notes.pdf.words import WordWriter


def write_pdf(
    document: Document,
    path: str | Path,
    *,
    force: bool = False,
    what: str = "notes",
    example: str = "cards.pdf",
) -> int:
    """Write the document's pages, each its own size, atomically. Returns the number of pages.

    `what` names the pages in the error for none; `example` is a file name for hints."""
    pages = iter(document.pages)
    with atomic_path(path, force=force, example=example) as tmp:
        first = next(pages, None)
        if first is None:
            raise OutputError(f"no {what} to write", where=str(path))
        with tmp.open("wb") as handle:
            writer = _PdfWriter(tmp, handle, first, document)
            for page in chain([first], pages):
                writer.page(page)
            writer.save()
    return writer.pages


class _PdfWriter:
    """One PDF being written: its canvas, and the forms and font codes made so far."""

    def __init__(self, path: Path, handle: BinaryIO, first: Page, document: Document):
        # The first letter's font is the canvas's initial font: reportlab then refers to no
        # unembedded Helvetica on every page.
        font = next((document.glyphs[g].font for g in _glyph_ids(first.items)), None)
        self.font_name = register(font) if font is not None else None
        # ASCII85 only makes streams 25 % larger and, in pure Python, costs more than the drawing.
        rl_config.useA85 = 0
        self.canvas = Canvas(
            str(path),
            pagesize=(first.width, first.height),
            invariant=1,  # the same input gives the same bytes: no dates, fixed IDs
            pageCompression=1,
            initialFontName=self.font_name,
        )
        self.canvas.setTitle(document.title)
        self.canvas.setCreator("notes")
        self.canvas.setProducer("notes")
        # One XObject dictionary for the whole document, referenced by every page: an inline
        # dictionary of ~100 glyph forms per page was a third of the file and of the writing.
        self.xobjects = PDFDictionary({})
        self.xobjects_ref = self.canvas._doc.Reference(self.xobjects, "NotesXObjects")
        self.words = WordWriter(self.canvas, document.glyphs, self.xobjects)
        self.file = StreamingFile(handle, self.canvas._doc)
        self.resources: dict[tuple[bool, bool], PDFObjectReference] = {}
        self.pages = 0

    def page(self, page: Page) -> None:
        canvas = self.canvas
        canvas.setPageSize((page.width, page.height))
        # Forms are made before the page has any content: making one mid-page is fine too, but
        # on an empty page reportlab would forget the forms already declared on it.
        self.words.make_forms(page.items)
        self.items(page.items)
        # Pictures drawn on this page join the shared dictionary instead of a page's own.
        for name in canvas._formsinuse:
            self.xobjects[xObjectName(name)] = PDFObjectReference(xObjectName(name))
        canvas._formsinuse.clear()
        canvas.showPage()
        self._finish(canvas._doc.Pages.pages[-1])
        self.pages += 1

    def _finish(self, page) -> None:
        """Point the page at the shared resources and write it with its deflated content now:
        reportlab would keep every page until `save`."""
        # A page drawn in font text alone (plain realism) has no pictures to refer to.
        page.XObjects = self.xobjects_ref if self.xobjects.dict else None
        page.Resources = self._shared_resources(page)
        page.Rotate = page.Rotate or None  # 0 is the default: not written
        if page.Trans is not None and not page.Trans.dict:
            page.Trans = None  # no page transition
        content, page.stream = page.stream, None
        self.file.page(page, deflate(content.encode("utf-8")))

    def _shared_resources(self, page) -> PDFObjectReference | None:  # noqa: ANN001
        """One resources dictionary for all pages alike (the fonts, the shared XObjects): a
        copy on every page was about 100 bytes of each card. None: the page needs its own."""
        if page.ExtGState or page._colorsUsed or page._shadingUsed:
            return None
        key = (bool(page.hasImages), page.XObjects is not None)
        found = self.resources.get(key)
        if found is None:
            resources = PDFResourceDictionary()
            resources.basicFonts()
            if page.hasImages:
                resources.allProcs()
            if page.XObjects is not None:
                resources.XObject = page.XObjects
            name = f"NotesResources{len(self.resources)}"
            found = self.resources[key] = self.canvas._doc.Reference(resources, name)
        return found

    def items(self, items: Iterable[Item]) -> None:
        """Draw items in order; a run of words is drawn together, then its text layer."""
        run: list[Word] = []
        for item in items:
            if isinstance(item, Word):
                run.append(item)
                continue
            if run:
                self.words.draw(run)
                run = []
            if isinstance(item, Group):
                self.canvas.saveState()
                self.canvas.transform(*item.transform)
                self.items(item.items)
                self.canvas.restoreState()
            elif isinstance(item, Stroke):
                self.stroke(item)
            elif isinstance(item, Image):
                draw_image(self.canvas, item, self.font_name)
        if run:
            self.words.draw(run)

    def stroke(self, stroke: Stroke) -> None:
        canvas = self.canvas
        canvas.saveState()
        canvas.setLineWidth(stroke.width)
        canvas.setStrokeColorRGB(*stroke.colour)
        if stroke.dash:
            canvas.setDash(list(stroke.dash), stroke.dash_offset)
        path = canvas.beginPath()
        for op, points in stroke.path:
            if op == "M":
                path.moveTo(*points)
            elif op == "L":
                path.lineTo(*points)
            elif op == "C":
                path.curveTo(*points)
            else:
                path.close()
        canvas.drawPath(path, stroke=1, fill=0)
        canvas.restoreState()

    def save(self) -> None:
        self.file.finish(self.canvas)


def _glyph_ids(items: Iterable[Item]):
    """The glyph of every letter among the items, groups included, in paint order."""
    for item in items:
        if isinstance(item, Word):
            yield from item.placing.forms if item.placing else (g.glyph for g in item.glyphs)
        elif isinstance(item, Group):
            yield from _glyph_ids(item.items)
