"""Pictures on the page, each written once per document as an XObject: a PNG as an image (its
transparency as a soft mask), an SVG as a form of vector paths.

PIL is imported only when a document has a PNG; svglib and reportlab (which svglib draws with)
only when it has an SVG: the SVG is drawn once on a throwaway reportlab canvas, whose operators
become the form's content.
"""

from __future__ import annotations

import io
import re
from functools import cache
from pathlib import Path

from notes.drawing import Image
from notes.errors import DataError
from notes.pdf.objects import PdfObjects, coordinate, number, stream

_RESAVE = "open the file in an image editor and save it again as SVG (or PNG)"
# What reportlab's renderer writes for its default font: a text object that shows nothing.
_FONT_SETUP = re.compile(r"^BT /\S+ [\d.]+ Tf [\d.]+ TL ET$", re.M)


class Pictures:
    """The pictures of one document: one XObject per file, named /Im0, /Im1..."""

    def __init__(self, pdf: PdfObjects):
        self.pdf = pdf
        self.written: dict[Path, tuple[str, float, float]] = {}  # file -> (operand, w, h)
        self.xobjects: list[bytes] = []

    def draw(self, image: Image) -> str:
        """Operators that paint the picture in its rectangle."""
        found = self.written.get(image.source)
        if found is None:
            if image.kind == "png":
                picture, width, height = _png_image(self.pdf, image.source), 1.0, 1.0
            else:
                picture, width, height = _svg_form(self.pdf, image.source)
            operand = f"/Im{len(self.xobjects)}"
            self.xobjects.append(b"%s %d 0 R" % (operand.encode(), picture))
            found = self.written[image.source] = (operand, width, height)
        operand, width, height = found
        place = (image.width / width, 0, 0, image.height / height, image.x, image.y)
        return f"q {' '.join(coordinate(v) for v in place)} cm {operand} Do Q"


def _png_image(pdf: PdfObjects, source: Path) -> int:
    """An image XObject (1 x 1 unit: placed by the matrix) of the PNG; its alpha as /SMask."""
    from PIL import Image as PILImage

    with PILImage.open(source) as picture:
        if picture.mode in ("I", "I;16", "I;16B", "I;16L"):
            picture = _eight_bit_gray(picture)
        gray = picture.mode in ("1", "L", "LA")
        alpha = picture.mode in ("RGBA", "LA", "PA", "RGBa") or "transparency" in picture.info
        mode = ("L" if gray else "RGB") + ("A" if alpha else "")
        pixels = picture.convert(mode)
    mask = b""
    if alpha:
        channel = pixels.getchannel("A")
        pixels = pixels.convert(mode[:-1])
        if channel.getextrema() != (255, 255):  # fully opaque: no mask needed
            mask = b" /SMask %d 0 R" % _image(pdf, channel.tobytes(), channel.size, "DeviceGray")
    space = "DeviceGray" if gray else "DeviceRGB"
    return _image(pdf, pixels.tobytes(), pixels.size, space, mask)


def _eight_bit_gray(picture):  # noqa: ANN001, ANN202 - PIL images
    """A 16-bit grey PNG as 8-bit grey: PIL's convert("L") clips every value above 255 to white
    (the whole signature vanished); scaling keeps its shades."""
    top = 65535 if picture.mode.startswith("I;16") or picture.getextrema()[1] > 255 else 255
    return picture.point(lambda value: value * 255 / top).convert("L")


def _image(pdf: PdfObjects, data: bytes, size, space: str, extra: bytes = b"") -> int:  # noqa: ANN001
    entries = b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /%s " \
              b"/BitsPerComponent 8%s" % (size[0], size[1], space.encode(), extra)  # fmt: skip
    return pdf.add(stream(entries, data))


def _svg_form(pdf: PdfObjects, source: Path) -> tuple[int, float, float]:
    """A form XObject of the SVG's paths, in its own size; (number, width, height)."""
    from reportlab.graphics import renderPDF
    from reportlab.pdfgen.canvas import Canvas

    drawing = svg_drawing(source)
    if _has_text(drawing):
        raise DataError(
            "the SVG signature has text in it, which cannot be embedded as a picture",
            where=str(source),
            hint="convert its text to paths (Inkscape: Path > Object to Path) or save it as PNG",
        )
    canvas = Canvas(io.BytesIO())  # never saved: only its operators are taken
    renderPDF.draw(drawing, canvas, 0, 0)
    if canvas._formsinuse or canvas._colorsUsed:
        raise DataError(
            "the SVG signature uses pictures or spot colours that cannot be embedded in a card",
            where=str(source),
            hint="save the signature as PNG (or as an SVG of plain paths)",
        )
    content = _FONT_SETUP.sub("", "\n".join(canvas._code))
    states = canvas._extgstate._c  # (key, value) -> name: transparency
    resources = b"/ExtGState << %s >>" % b" ".join(
        b"/%s << /%s %s >>" % (name.encode(), key.encode(), str(value).encode())
        for (key, value), name in states.items()
    )
    if canvas._shadingUsed:  # gradients
        inline = _Inline(canvas._doc)
        shadings = b" ".join(
            b"/%s %d 0 R" % (name.encode(), pdf.add(inline.idToObject[name].format(inline)))
            for name in sorted(canvas._shadingUsed)
        )
        resources += b" /Shading << %s >>" % shadings
    width, height = drawing.width, drawing.height
    # A stroke along the drawing's edge reaches past it: the box leaves room, as a page would.
    box = " ".join(number(v) for v in (-width, -height, 2 * width, 2 * height))
    entries = b"/Type /XObject /Subtype /Form /BBox [%s] /Resources << %s >>"
    return pdf.add(stream(entries % (box.encode(), resources), content.encode())), width, height


class _Inline:
    """Stands for reportlab's document while a gradient is formatted: what it would refer to
    by number (a shading's colour functions, a few numbers each) is written in place instead,
    as that document's numbers mean nothing in ours."""

    def __init__(self, doc):  # noqa: ANN001 - reportlab's PDFDocument
        self.doc = doc

    def __getattr__(self, name: str):  # noqa: ANN204 - the rest is the document's
        return getattr(self.doc, name)

    def Reference(self, obj, name=None):  # noqa: ANN001, ANN201, N802 - reportlab's name
        from reportlab.pdfbase.pdfdoc import PDFObject

        class Formatted(PDFObject):  # reportlab formats only its own objects in place
            def format(self, document) -> bytes:  # noqa: ANN001
                return data

        data = obj.format(self)
        return Formatted()


def _has_text(node) -> bool:  # noqa: ANN001 - a reportlab drawing or shape
    """Whether the drawing has a string in it: its font could not be embedded."""
    from reportlab.graphics.shapes import String

    if isinstance(node, String):
        return True
    return any(_has_text(child) for child in getattr(node, "contents", ()))


@cache
def svg_drawing(source: Path):
    from svglib.svglib import svg2rlg

    try:
        drawing = svg2rlg(str(source))
    except Exception as exc:  # noqa: BLE001 - svglib raises lxml and parsing errors of all kinds
        raise DataError(
            f"cannot draw the SVG signature: {exc}", where=str(source), hint=_RESAVE
        ) from None
    if drawing is None or not drawing.width or not drawing.height:
        raise DataError("the SVG signature is empty or invalid", where=str(source), hint=_RESAVE)
    return drawing
