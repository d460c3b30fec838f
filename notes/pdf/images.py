"""Pictures on the page: PNG through reportlab, SVG through svglib as vector paths."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from notes.drawing import Image
from notes.errors import DataError


def draw_image(canvas, image: Image, font_name: str | None) -> None:
    """`font_name`: a registered font, for drawings that would otherwise pick Helvetica."""
    if image.kind == "png":
        canvas.drawImage(
            str(image.source), image.x, image.y, image.width, image.height, mask="auto"
        )
        return
    from reportlab.graphics import renderPDF, shapes

    drawing = svg_drawing(image.source)
    canvas.saveState()
    canvas.translate(image.x, image.y)
    canvas.scale(image.width / drawing.width, image.height / drawing.height)
    # The renderer selects a default font even for a drawing without text; make it our embedded
    # TrueType font rather than an unembedded Helvetica.
    default_font = shapes.STATE_DEFAULTS["fontName"]
    if font_name is not None:
        shapes.STATE_DEFAULTS["fontName"] = font_name
    try:
        renderPDF.draw(drawing, canvas, 0, 0)
    finally:
        shapes.STATE_DEFAULTS["fontName"] = default_font
    canvas.restoreState()


@cache
def svg_drawing(source: Path):
    from svglib.svglib import svg2rlg

    try:
        drawing = svg2rlg(str(source))
    except Exception as exc:  # noqa: BLE001 - svglib raises lxml and parsing errors of all kinds
        raise DataError(
            f"cannot draw the SVG signature: {exc}",
            where=str(source),
            hint="open the file in an image editor and save it again as SVG (or PNG)",
        ) from None
    if drawing is None or not drawing.width or not drawing.height:
        raise DataError(
            "the SVG signature is empty or invalid",
            where=str(source),
            hint="open the file in an image editor and save it again as SVG (or PNG)",
        )
    return drawing
