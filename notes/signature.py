"""The sender's real signature: a scanned PNG (with transparency) or an SVG, placed under the text."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from notes.errors import DataError

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

_RESAVE = "open the file in an image editor and save it again as PNG (or SVG)"


@dataclass(frozen=True)
class SignatureImage:
    path: Path
    kind: str  # "png" or "svg"
    aspect: float  # width / height


@cache
def load_signature(path: str | Path) -> SignatureImage:
    """Check the file now, so a bad signature fails before any card is written."""
    source = Path(path).expanduser()
    if not source.is_file():
        raise DataError(
            "signature file not found",
            where=str(source),
            hint="give a PNG or SVG of your signature",
        )
    head = source.read_bytes()[:512]
    if head.startswith(_PNG_MAGIC):
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(source) as image:
                image.verify()
            with Image.open(source) as image:
                width, height = image.size
        except (UnidentifiedImageError, OSError, SyntaxError) as exc:
            raise DataError(
                f"signature PNG is damaged: {exc}", where=str(source), hint=_RESAVE
            ) from None
        return SignatureImage(source, "png", width / max(height, 1))
    if b"<svg" in head.lower() or source.suffix.lower() == ".svg":
        drawing = _svg_drawing(source)
        return SignatureImage(source, "svg", drawing.width / max(drawing.height, 1e-6))
    raise DataError(
        "signature is neither a PNG nor an SVG file",
        where=str(source),
        hint="scan your signature, remove the background, and save it as PNG (or SVG)",
    )


@cache
def _svg_drawing(source: Path):
    from svglib.svglib import svg2rlg

    try:
        drawing = svg2rlg(str(source))
    except Exception as exc:  # noqa: BLE001 - svglib raises lxml and parsing errors of all kinds
        raise DataError(
            f"cannot read the SVG signature: {exc}", where=str(source), hint=_RESAVE
        ) from None
    if drawing is None or not drawing.width or not drawing.height:
        raise DataError("the SVG signature is empty or invalid", where=str(source), hint=_RESAVE)
    return drawing


def signature_box(
    signature: SignatureImage, box: tuple[float, float, float, float], size: float
) -> tuple[float, float, float, float]:
    """Where the signature goes in the writing box: bottom right, about three lines tall."""
    x, y, w, h = box
    height = min(h * 0.24, size * 3.2)
    width = height * signature.aspect
    if width > w * 0.6:
        width = w * 0.6
        height = width / signature.aspect
    return (x + w - width - size * 0.4, y, width, height)


def draw_signature(canvas, signature: SignatureImage, rect, dx: float = 0.0, dy: float = 0.0):
    x, y, w, h = rect
    if signature.kind == "png":
        canvas.drawImage(str(signature.path), x + dx, y + dy, w, h, mask="auto")
        return
    from reportlab.graphics import renderPDF, shapes

    drawing = _svg_drawing(signature.path)
    canvas.saveState()
    canvas.translate(x + dx, y + dy)
    canvas.scale(w / drawing.width, h / drawing.height)
    # The renderer selects a default font even for a drawing without text; make it our embedded
    # TrueType font rather than an unembedded Helvetica.
    default_font = shapes.STATE_DEFAULTS["fontName"]
    shapes.STATE_DEFAULTS["fontName"] = canvas._fontname
    try:
        renderPDF.draw(drawing, canvas, 0, 0)
    finally:
        shapes.STATE_DEFAULTS["fontName"] = default_font
    canvas.restoreState()
