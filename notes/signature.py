"""The sender's real signature: a scanned PNG (with transparency) or an SVG, placed under the text."""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from notes.errors import DataError

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# A signature on a card is a few centimetres wide: 1500 pixels is plenty. Past these limits the
# file is a wrong choice (or a decompression bomb) and would take gigabytes to draw.
MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_PIXELS = 4000 * 4000
_SMALLER = "scale it down in an image editor (1500 pixels wide is plenty) and save it as PNG"

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
    head = _head(source)
    if head.startswith(_PNG_MAGIC):
        return _png_signature(source, head)
    if b"<svg" in head.lower() or source.suffix.lower() == ".svg":
        drawing = _svg_drawing(source)
        return SignatureImage(source, "svg", drawing.width / drawing.height)
    raise DataError(
        "signature is neither a PNG nor an SVG file",
        where=str(source),
        hint="scan your signature, remove the background, and save it as PNG (or SVG)",
    )


def _head(source: Path) -> bytes:
    """The first bytes of the file, once its size is known to be sensible."""
    try:
        size = source.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DataError(
                f"the signature file is {size:,} bytes, more than a signature needs "
                f"(at most {MAX_FILE_BYTES // 2**20} MB)",
                where=str(source),
                hint=f"is it the right file? If so, {_SMALLER} (or SVG)",
            )
        with source.open("rb") as file:
            return file.read(512)
    except OSError as exc:
        raise DataError(
            f"cannot read the signature file: {exc.strerror}",
            where=str(source),
            hint="check the file's permissions",
        ) from None


def _png_signature(source: Path, head: bytes) -> SignatureImage:
    # The pixel size is in the IHDR chunk, which comes first: check it before anything decodes.
    if head[12:16] == b"IHDR" and len(head) >= 24:
        width, height = struct.unpack(">II", head[16:24])
        if width * height > MAX_PIXELS:
            raise DataError(
                f"the signature image is {width:,}×{height:,} pixels, more than a signature "
                f"needs (at most {MAX_PIXELS:,} pixels, e.g. 4000×4000)",
                where=str(source),
                hint=_SMALLER,
            )
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(source) as image:
            image.verify()
        with Image.open(source) as image:
            width, height = image.size
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise DataError(
            f"signature PNG is damaged: {exc}", where=str(source), hint=_RESAVE
        ) from None
    return SignatureImage(source, "png", width / max(height, 1))


@cache
def _svg_drawing(source: Path):
    from svglib.svglib import svg2rlg

    try:
        drawing = svg2rlg(str(source))
    except Exception as exc:  # noqa: BLE001 - svglib raises lxml and parsing errors of all kinds
        raise DataError(
            f"cannot read the SVG signature: {exc}", where=str(source), hint=_RESAVE
        ) from None
    if drawing is None:
        raise DataError("the SVG signature is empty or invalid", where=str(source), hint=_RESAVE)
    for name, value in (("width", drawing.width), ("height", drawing.height)):
        if not (math.isfinite(value) and value > 0):
            raise DataError(
                f"the SVG signature's {name} is {value:g}, not a size",
                where=str(source),
                hint='give the <svg> element a positive width and height, e.g. width="300" '
                'height="100" (or a viewBox), and save it again',
            )
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
