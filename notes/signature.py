"""The sender's real signature: a scanned PNG (with transparency) or an SVG, placed under the text."""

from __future__ import annotations

import math
import re
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
        width, height = _svg_size(source)
        return SignatureImage(source, "svg", width / height)
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


# SVG lengths in CSS pixels; only their ratio matters here.
_SVG_UNITS = {"": 1.0, "px": 1.0, "pt": 4 / 3, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54,
              "in": 96.0, "em": 16.0, "ex": 8.0}  # fmt: skip
_LENGTH = re.compile(r"^\s*([+-]?(?:nan|inf|[0-9.]+(?:e[+-]?[0-9]+)?))\s*([a-z%]*)\s*$", re.I)


def _svg_size(source: Path) -> tuple[float, float]:
    """The drawing's width and height from its root <svg> (width/height, else the viewBox).

    Read here, without the PDF writer's SVG renderer, so planning never loads it. The file is
    parsed whole so a broken one fails now, not when the card is written.
    """
    import xml.etree.ElementTree as ET

    try:
        root = ET.parse(source).getroot()
    except (ET.ParseError, OSError, ValueError) as exc:
        raise DataError(
            f"cannot read the SVG signature: {exc}", where=str(source), hint=_RESAVE
        ) from None
    if not root.tag.endswith("svg"):
        raise DataError("the SVG signature has no <svg> element", where=str(source), hint=_RESAVE)
    if any(element.tag.rpartition("}")[2] == "text" for element in root.iter()):
        # The PDF writer embeds the drawing's paths, not fonts an SVG may name.
        raise DataError(
            "the SVG signature has text in it, which cannot be embedded as a picture",
            where=str(source),
            hint="convert its text to paths (Inkscape: Path > Object to Path) or save it as PNG",
        )
    box = (root.get("viewBox") or "").replace(",", " ").split()
    try:
        view = [float(v) for v in box] if len(box) == 4 else [0.0, 0.0, 0.0, 0.0]
    except ValueError:
        view = [0.0, 0.0, 0.0, 0.0]
    width = _svg_length(root.get("width"), view[2])
    height = _svg_length(root.get("height"), view[3])
    for name, value in (("width", width), ("height", height)):
        if not (math.isfinite(value) and value > 0):
            raise DataError(
                f"the SVG signature's {name} is {value:g}, not a size",
                where=str(source),
                hint='give the <svg> element a positive width and height, e.g. width="300" '
                'height="100" (or a viewBox), and save it again',
            )
    return width, height


def _svg_length(value: str | None, default: float) -> float:
    match = _LENGTH.match(value or "")
    if not match or match.group(2).lower() not in _SVG_UNITS:
        return default  # absent, a percentage, or a unit we do not know: the viewBox decides
    try:
        return float(match.group(1)) * _SVG_UNITS[match.group(2).lower()]
    except ValueError:
        return default


def signature_box(
    signature: SignatureImage, box: tuple[float, float, float, float], size: float
) -> tuple[float, float, float, float]:
    """Where the signature goes in the writing box: bottom right, about two lines tall (three
    dwarfed the note: a learned signature came out 20 mm tall beside 2.7 mm letters)."""
    x, y, w, h = box
    height = min(h * 0.24, size * 2.0)
    width = height * signature.aspect
    if width > w * 0.6:
        width = w * 0.6
        height = width / signature.aspect
    return (x + w - width - size * 0.4, y, width, height)
