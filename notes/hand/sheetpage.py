"""The sheet's geometry (notes.hand.sheet) as a page of the drawing model, ready for a writer.

Markers are black cells drawn as thick strokes (a butt-capped line as wide as a cell is a
square); borders and guide lines are light enough that `learn` never takes them for ink;
labels and instructions are plain text in a bundled font.
"""

from __future__ import annotations

from notes.drawing import RGB, Glyph, GlyphTable, Item, Page, PlacedGlyph, Stroke, Word, segments
from notes.fonts import FontBook
from notes.hand.charset import label
from notes.hand.sheet import MARKER_CELLS, Marker, Rect, Sheet

PT_PER_MM = 72 / 25.4
TEXT_FONT = "playpen-sans"  # a clear print hand that has every label's character
BORDER: RGB = (0.74, 0.74, 0.76)
BASELINE: RGB = (0.62, 0.74, 0.9)
X_LINE: RGB = (0.72, 0.82, 0.94)
LABEL: RGB = (0.6, 0.6, 0.62)  # readable, yet lighter than any pen: never taken for ink
TEXT: RGB = (0.15, 0.15, 0.2)

INSTRUCTIONS = (
    "Write each character in its boxes with a dark ballpoint or a fine felt pen: "
    "letters sit on the solid line, small letters reach the dotted one, tails hang below.",
    "In a mark's box (\u00b4 \u00e9) write only the mark, as high as it sits over a letter. "
    "Spoilt a box? Leave it empty: a missing letter is borrowed from the closest font.",
    "Sign in the long box at the bottom. Photograph the whole sheet from above, in even light, "
    "with all four black squares in the picture (or scan it), then run:",
    "        notes hand learn PHOTO --name yourname",
)


class Pen:
    """Plain text and lines on a page in mm from the top-left corner (y down)."""

    def __init__(self, sheet: Sheet, glyphs: GlyphTable, font: str = TEXT_FONT) -> None:
        self.height = sheet.height
        self.glyphs = glyphs
        self.fonts = FontBook(font)

    def point(self, x: float, y: float) -> tuple[float, float]:
        return x * PT_PER_MM, (self.height - y) * PT_PER_MM

    def line(self, x0, y0, x1, y1, width_pt: float, colour: RGB, dash=()) -> Stroke:
        return Stroke(
            segments([(*self.point(x0, y0), *self.point(x1, y1))]), width_pt, colour, dash
        )

    def rect(self, rect: Rect, width_pt: float, colour: RGB) -> Stroke:
        corners = [(rect.x, rect.y), (rect.right, rect.y), (rect.right, rect.bottom)]
        corners.append((rect.x, rect.bottom))
        edges = [(*self.point(*corners[n]), *self.point(*corners[(n + 1) % 4])) for n in range(4)]
        return Stroke(segments(edges), width_pt, colour)

    def text(self, text: str, x: float, y: float, size_pt: float, colour: RGB) -> Word:
        """`text` from (x, y), y on its baseline, in mm; set as font text (copyable)."""
        from notes.glyphs import variant_outline

        placed = []
        left, base = self.point(x, y)
        for char in text:
            font = self.fonts.font_for(char) if not char.isspace() else self.fonts.primary
            size = size_pt * font.scale
            key = (font.name, char, 0, 0.0)
            glyph_id = self.glyphs.ids.get(key)
            if glyph_id is None:
                gid = font.glyph_id(char)
                shape = variant_outline(font.spec.path, gid, 0, 0.0, False)
                glyph_id = self.glyphs.add(key, Glyph(font.face, gid, 0, shape, char))
            placed.append(PlacedGlyph(glyph_id, size, 0.0, 0.0, size, left, base))
            left += font.advance(char) * size
        return Word(colour, 0.0, tuple(placed))

    def text_width(self, text: str, size_pt: float) -> float:
        """In mm."""
        fonts = self.fonts
        total = sum(fonts.font_for(c).advance(c) * fonts.font_for(c).scale for c in text.strip())
        return total * size_pt / PT_PER_MM


def sheet_page(sheet: Sheet, glyphs: GlyphTable) -> Page:
    """The empty sheet, as printed."""
    pen = Pen(sheet, glyphs)
    items: list[Item] = []
    for marker in sheet.markers:
        items.append(_marker(pen, marker))
    title = "Your handwriting, for notes"
    items.append(pen.text(title, sheet.title.x + 2, sheet.title.y + 8.5, 17, TEXT))
    line_y = sheet.instructions.y + 3.5
    for line in _wrapped(pen, INSTRUCTIONS, 7.0, sheet.instructions.width):
        items.append(pen.text(line, sheet.instructions.x, line_y, 7.0, TEXT))
        line_y += 3.3
    for box in sheet.boxes:
        r = box.rect
        items.append(pen.text(label(box.char), box.label.x + 0.6, box.label.bottom - 0.7, 7, LABEL))
        items.append(pen.rect(r, 0.4, BORDER))
        items.append(pen.line(r.x, box.baseline, r.right, box.baseline, 0.5, BASELINE))
        x_line = box.baseline - box.x_height
        items.append(pen.line(r.x, x_line, r.right, x_line, 0.45, X_LINE, dash=(1.5, 1.5)))
    items.append(pen.rect(sheet.signature, 0.5, BORDER))
    signature_label = "Your signature"
    items.append(pen.text(signature_label, sheet.signature.x, sheet.signature.y - 1.0, 7, LABEL))
    return Page(sheet.width * PT_PER_MM, sheet.height * PT_PER_MM, tuple(items))


def _wrapped(pen: Pen, paragraphs, size_pt: float, width_mm: float) -> list[str]:
    lines = []
    for paragraph in paragraphs:
        line = ""
        for word in paragraph.split(" "):
            longer = f"{line} {word}" if line else word
            if line and pen.text_width(longer, size_pt) > width_mm:
                lines.append(line)
                longer = word
            line = longer
        lines.append(line)
    return lines


def _marker(pen: Pen, marker: Marker) -> Stroke:
    """The marker's black cells, row by row, as runs of a line one cell wide."""
    import cv2

    dictionary = cv2.aruco.getPredefinedDictionary(cv2.aruco.DICT_4X4_50)
    cells = cv2.aruco.generateImageMarker(dictionary, marker.id, MARKER_CELLS)
    cell = marker.rect.width / MARKER_CELLS
    runs = []
    for row in range(MARKER_CELLS):
        y = marker.rect.y + (row + 0.5) * cell
        column = 0
        while column < MARKER_CELLS:
            if cells[row, column] == 0:  # black
                start = column
                while column < MARKER_CELLS and cells[row, column] == 0:
                    column += 1
                x0, x1 = marker.rect.x + start * cell, marker.rect.x + column * cell
                runs.append((*pen.point(x0, y), *pen.point(x1, y)))
            column += 1
    return Stroke(segments(runs), cell * PT_PER_MM, (0.0, 0.0, 0.0))


def write_sheet(
    path, *, paper: str = "a4", fill_with: str | None = None, force: bool = False, dpi: int = 300
):
    """Write the sheet (empty, or filled in a bundled font) as PDF, or as PNG at `dpi`."""
    from pathlib import Path

    from notes.drawing import Document
    from notes.files import check_writable, temp_beside
    from notes.hand.fill import filled_page
    from notes.hand.sheet import sheet_for
    from notes.pdf import write_pdf
    from notes.preview import pdf_to_pngs

    target = Path(path)
    sheet = sheet_for(paper)
    glyphs = GlyphTable()
    if fill_with:
        page = filled_page(sheet, fill_with, glyphs)
    else:
        page = sheet_page(sheet, glyphs)
    document = Document(glyphs, [page], "Handwriting sheet")
    if target.suffix.lower() != ".png":
        write_pdf(document, target, force=force, what="sheet", example="sheet.pdf")
        return target
    check_writable(target, force=force, example="sheet.png")
    pdf = temp_beside(target)
    try:
        write_pdf(document, pdf, what="sheet")
        pdf_to_pngs(pdf, target, dpi=dpi, first_only=True)
    finally:
        pdf.unlink(missing_ok=True)
    return target
