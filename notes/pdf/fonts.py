"""Font files registered with reportlab, with a text map that covers every Unicode character."""

from __future__ import annotations

import struct
from functools import cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import SUBSETN, TTFError, TTFont

from notes.drawing import FontFace
from notes.errors import FontError


@cache
def register(face: FontFace) -> str:
    """Register the face's file with reportlab (once per process); returns its font name."""
    try:
        font = _TrueType(face.name, str(face.path))
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


class _TrueType(TTFont):
    """reportlab's TrueType font, whose ToUnicode map also covers characters beyond U+FFFF.

    reportlab writes each character's Unicode value as 4 hex digits: an emoji (U+1F60D) comes
    out as the odd-length <1F60D>, which readers reject, so copy and search lose it. A ToUnicode
    map holds UTF-16BE: such a character is the surrogate pair <D83DDE0D>.
    """

    def addObjects(self, doc) -> None:  # noqa: ANN001 - reportlab's PDFDocument
        state = self.state.get(doc)
        subsets = [list(subset) for subset in state.subsets] if state is not None else []
        super().addObjects(doc)
        for number, subset in enumerate(subsets):
            if max(subset, default=0) <= 0xFFFF:
                continue  # reportlab's map is right for these
            base = b"".join((SUBSETN(number), b"+", self.face.name, self.face.subfontNameX))
            name = base.decode("pdfdoc")
            doc.idToObject["toUnicodeCMap:" + name].content = to_unicode_cmap(name, subset)


def to_unicode_cmap(name: str, codes: list[int]) -> str:
    """A ToUnicode CMap from one-byte codes (the list index) to the characters they show."""
    mappings = [f"<{index:02X}> <{chr(code).encode('utf-16-be').hex().upper()}>"
                for index, code in enumerate(codes)]  # fmt: skip
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            f"<< /Registry ({name})",
            f"/Ordering ({name})",
            "/Supplement 0",
            ">> def",
            f"/CMapName /{name} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(codes) - 1:02X}>",
            "endcodespacerange",
            f"{len(codes)} beginbfchar",
            *mappings,
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )
