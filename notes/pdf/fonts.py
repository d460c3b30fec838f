"""The fonts of one PDF: 2-byte codes that are glyph ids (Identity-H), embedded at the end.

A code shows a glyph; what it reads as (its ToUnicode entry) is one text per glyph id. When two
characters share a glyph (Yomogi draws the en dash and the figure dash alike; some fonts a Latin
A and a Cyrillic А), the second is shown through a second font object of the same file, whose
subset holds only such glyphs: both still copy as they were typed.
"""

from __future__ import annotations

from notes.drawing import FontFace
from notes.fontmeasures import measures_of
from notes.pdf.cidfont import FONT_OBJECTS, font_objects
from notes.pdf.objects import PdfObjects, name, reference

_UNSEEN = object()


class _Subset:
    """One font object of a face: the glyphs it shows, and the text each stands for."""

    __slots__ = ("face", "resource", "used")

    def __init__(self, face: FontFace, resource: str):
        self.face = face
        self.resource = resource  # its name in the pages' resources, with the slash
        self.used: dict[int, str] = {}  # glyph id -> the text it stands for ("" unknown)

    def claims(self, gid: int, text: str) -> bool:
        """Whether this font shows `gid` as `text` (taking it, if new)."""
        known = self.used.get(gid)
        if known is None or (known == "" and text):
            self.used[gid] = text
            return True
        return known == text or not text


class DocumentFonts:
    """The font objects one document's pages use, in the order pages first use them."""

    def __init__(self) -> None:
        self.subsets: dict[str, list[_Subset]] = {}  # face name -> its font objects
        self.in_order: list[_Subset] = []
        self.cmaps: dict[str, dict[int, int]] = {}  # face name -> code point -> glyph id
        self.texts: dict[tuple[str, str], list[tuple[str, bytes]]] = {}
        self.shows: dict[str, dict[str, tuple[str, bytes] | None]] = {}  # face -> char -> text

    def glyph(self, face: FontFace, gid: int, text: str) -> tuple[str, bytes]:
        """(font resource name, 2-byte code) that shows glyph `gid`, read as `text`."""
        subsets = self.subsets.get(face.name)
        if subsets is None:
            subsets = self.subsets[face.name] = []
        for subset in subsets:
            if subset.claims(gid, text):
                return subset.resource, gid.to_bytes(2, "big")
        subset = _Subset(face, f"/F{len(self.in_order) + 1}")
        subsets.append(subset)
        self.in_order.append(subset)
        subset.claims(gid, text)
        return subset.resource, gid.to_bytes(2, "big")

    def text(self, face: FontFace, text: str) -> list[tuple[str, bytes]]:
        """(font resource name, codes) pieces that show `text` letter by letter in the face's
        nominal glyphs (the invisible text layer); characters the face lacks are left out.
        Words recur: cached."""
        key = (face.name, text)
        found = self.texts.get(key)
        if found is None:
            found = self.texts[key] = self._pieces(face, text)
        return found

    def _pieces(self, face: FontFace, text: str) -> list[tuple[str, bytes]]:
        # A character, once shown, is shown by the same font ever after (see glyph: the
        # font objects before it hold its glyph as other text for good): kept per face.
        shows = self.shows.get(face.name)
        if shows is None:
            shows = self.shows[face.name] = {}
        found: list[tuple[str, bytes]] = []
        for char in text:
            shown = shows.get(char, _UNSEEN)
            if shown is _UNSEEN:
                shown = shows[char] = self._shown(face, char)
            if shown is None:
                continue
            resource, code = shown
            if found and found[-1][0] == resource:
                found[-1] = (resource, found[-1][1] + code)
            else:
                found.append(shown)
        return found

    def _shown(self, face: FontFace, char: str) -> tuple[str, bytes] | None:
        """(font, code) showing `char` in the face's nominal glyph; None if it has none."""
        cmap = self.cmaps.get(face.name)
        if cmap is None:
            cmap = self.cmaps[face.name] = measures_of(face.path).metrics("").cmap  # as planned
        gid = cmap.get(ord(char))
        return None if gid is None else self.glyph(face, gid, char)

    def write(self, pdf: PdfObjects) -> bytes:
        """Embed every font used; returns the resources' /Font dictionary."""
        entries = []
        for subset in self.in_order:
            numbers = [pdf.reserve() for _ in range(FONT_OBJECTS)]
            for number, body in font_objects(subset.face, subset.used, numbers):
                pdf.write(number, body)
            entries.append(name(subset.resource[1:]) + b" " + reference(numbers[0]))
        return b"<< " + b" ".join(entries) + b" >>"
