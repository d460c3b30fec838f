"""Pages of the drawing model into one PDF file, each page written as soon as it is drawn.

Every page refers to one resources object (the fonts, one XObject dictionary of the glyph forms
and pictures), written at the end with the fonts, the page tree and the cross-reference table:
memory stays flat in the number of pages (a page's number is all that is kept of it).
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain
from pathlib import Path

from notes.drawing import Document, FormattedWords, Group, Image, Item, Page, Stroke, Word
from notes.errors import OutputError
from notes.files import atomic_path
from notes.pdf.fonts import DocumentFonts
from notes.pdf.images import Pictures
from notes.pdf.objects import PdfObjects, coordinate, number, reference, stream, text_string
from notes.pdf.words import WordWriter

_PATH = {"M": "%s %s m", "L": "%s %s l", "C": "%s %s %s %s %s %s c", "Z": "h"}


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
            writer = _PdfWriter(PdfObjects(handle), document)
            for page in chain([first], pages):
                writer.page(page)
            writer.finish(document.title)
    return len(writer.kids)


class _PdfWriter:
    """One PDF being written: its pages so far, and the shared objects they refer to."""

    def __init__(self, pdf: PdfObjects, document: Document):
        self.pdf = pdf
        self.page_tree = pdf.reserve()
        self.resources = pdf.reserve()
        self.fonts = DocumentFonts()
        self.words = WordWriter(pdf, document.glyphs, self.fonts)
        self.pictures = Pictures(pdf)
        self.kids: list[int] = []
        # A page's dictionary but its content's number, for each page size (most are one).
        self.page_entries: dict[tuple[float, float], bytes] = {}

    def page(self, page: Page) -> None:
        out: list[str] = []
        self.items(page.items, out)
        content = self.pdf.add(stream(b"", "\n".join(out).encode("ascii")))
        entries = self.page_entries.get((page.width, page.height))
        if entries is None:
            box = f"[0 0 {coordinate(page.width)} {coordinate(page.height)}]".encode()
            entries = self.page_entries[page.width, page.height] = (
                b"<< /Type /Page /Parent %s /MediaBox %s /Resources %s /Contents %%d 0 R >>"
                % (reference(self.page_tree), box, reference(self.resources))
            )
        self.kids.append(self.pdf.add(entries % content))

    def items(self, items: Iterable[Item], out: list[str]) -> None:
        """Draw items in order; a run of words is drawn together, then its text layer."""
        run: list[Word] = []
        for item in items:
            if isinstance(item, Word):
                run.append(item)
                continue
            if run:
                self.words.draw(run, out)
                run = []
            if isinstance(item, FormattedWords):  # a planner's run of words, drawn already
                self.words.formatted(item, out)
            elif isinstance(item, Group):
                out.append("q " + " ".join(coordinate(v) for v in item.transform) + " cm")
                self.items(item.items, out)
                out.append("Q")
            elif isinstance(item, Stroke):
                out.append(_stroke(item))
            elif isinstance(item, Image):
                out.append(self.pictures.draw(item))
        if run:
            self.words.draw(run, out)

    def finish(self, title: str) -> None:
        """The fonts, the shared dictionaries, the page tree, the catalog and the trailer."""
        pdf = self.pdf
        resources = b"/Font " + self.fonts.write(pdf)
        xobjects = self.words.xobjects + self.pictures.xobjects
        if xobjects:  # font text alone (plain realism) draws no forms
            resources += b" /XObject %s" % reference(pdf.add(b"<< %s >>" % b" ".join(xobjects)))
        pdf.write(self.resources, b"<< %s >>" % resources)
        kids = b" ".join(reference(kid) for kid in self.kids)
        pdf.write(
            self.page_tree, b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(self.kids))
        )
        root = pdf.add(b"<< /Type /Catalog /Pages %s >>" % reference(self.page_tree))
        info = pdf.add(b"<< /Title %s /Creator (notes) /Producer (notes) >>" % text_string(title))
        pdf.finish(root, info)


def _stroke(stroke: Stroke) -> str:
    """A path stroked with the stroke's pen, colour and dash, in its own graphics state."""
    ops = ["q", f"{coordinate(stroke.width)} w", " ".join(number(c) for c in stroke.colour) + " RG"]
    if stroke.dash:
        dash = " ".join(coordinate(v) for v in stroke.dash)
        ops.append(f"[{dash}] {coordinate(stroke.dash_offset)} d")
    for op, points in stroke.path:
        ops.append(_PATH[op] % tuple(coordinate(v) for v in points))
    ops += ["S", "Q"]
    return " ".join(ops)
