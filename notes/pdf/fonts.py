"""Font files registered with reportlab."""

from __future__ import annotations

import struct
from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from notes.drawing import FontFace
from notes.errors import FontError


@cache
def register(face: FontFace) -> str:
    """Register the face's file with reportlab (once per process); returns its font name."""
    try:
        font = TTFont(face.name, str(face.path))
    except (
        TTFError,
        OSError,
        ValueError,
        KeyError,
        IndexError,
        AssertionError,
        struct.error,
    ) as exc:
        # Planning read this file already (notes.fontfile); reportlab is stricter in places.
        raise FontError(
            f"cannot embed font: {exc}",
            where=str(face.path),
            hint="use a TrueType .ttf file, or one of the bundled fonts (`notes fonts`)",
        ) from None
    pdfmetrics.registerFont(font)
    return face.name
