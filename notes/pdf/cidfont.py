"""The PDF objects that embed one TrueType font in a document, as a Type 0 font with 2-byte codes.

A page shows text in such a font with 2-byte codes that are the glyph ids themselves (Identity-H
encoding, /CIDToGIDMap /Identity), so shaped text (ligatures, Arabic forms, Indic clusters) and
any number of glyphs need no re-encoding. The ToUnicode map gives each glyph the text it stands
for, so the text copies and searches. No fontTools or reportlab: both take longer to import than
a whole `notes write` takes.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

from notes.drawing import FontFace
from notes.errors import FontError
from notes.fontfile import font_bytes
from notes.pdf.objects import name, number, stream
from notes.pdf.truetype import FontInfo, font_info, subset_truetype

FONT_OBJECTS = 5  # how many object numbers a font needs
_TO_UNICODE_BLOCK = 100  # a CMap's bfchar block may hold at most 100 mappings


def font_objects(
    face: FontFace, used: Mapping[int, str], numbers: Sequence[int]
) -> list[tuple[int, bytes]]:
    """The objects that embed `face` in one PDF, given the glyph ids used and the text each stands
    for ("" when unknown; several characters for a ligature or a shaped cluster).

    `numbers` are the object numbers the writer reserved, in this order: the Type 0 font (the one a
    page's /Font resources name), its CIDFontType2, the FontDescriptor, the FontFile2 stream and the
    ToUnicode stream. Returns (number, body) for each; a body goes between `N 0 obj` and `endobj`.
    The same face and glyphs give the same bytes.
    """
    if len(numbers) != FONT_OBJECTS:
        raise ValueError(f"a font needs {FONT_OBJECTS} object numbers, not {len(numbers)}")
    data, info = _font_file(face.path)
    gids = sorted(used)
    if gids and not 0 <= gids[0] <= gids[-1] < len(info.advances):
        raise ValueError(f"glyph ids {gids[0]}..{gids[-1]} go beyond the {face.name} font")
    type0, cid_font, descriptor, font_file, to_unicode = numbers
    base_font = name(f"{_subset_tag(face, gids)}+{face.name}")
    subset = subset_truetype(data, gids, str(face.path))
    return [
        (
            type0,
            b"<< /Type /Font /Subtype /Type0 /BaseFont %s /Encoding /Identity-H "
            b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (base_font, cid_font, to_unicode),
        ),
        (
            cid_font,
            b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont %s "
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
            b"/FontDescriptor %d 0 R %s /CIDToGIDMap /Identity >>"
            % (base_font, descriptor, _widths(info, gids)),
        ),
        (descriptor, _descriptor(info, base_font, font_file)),
        (font_file, stream(b"/Length1 %d" % len(subset), subset)),
        (to_unicode, stream(b"", _to_unicode_cmap(used))),
    ]


@cache
def _font_file(path: Path) -> tuple[bytes, FontInfo]:
    """A font file's bytes and metrics, read once per process however many documents use it."""
    try:
        data = font_bytes(path)
    except OSError as exc:
        raise FontError(
            f"cannot read font file: {exc.strerror or exc}",
            where=str(path),
            hint="check that the file exists and can be read, or choose another font",
        ) from None
    return data, font_info(data, str(path))


def _subset_tag(face: FontFace, gids: list[int]) -> str:
    """Six capital letters naming this subset: the same glyphs give the same tag, so the same
    document gives the same bytes, and two different subsets of one font differ."""
    digest = hashlib.sha256(f"{face.name}:{','.join(map(str, gids))}".encode()).digest()
    return "".join(chr(ord("A") + byte % 26) for byte in digest[:6])


def _widths(info: FontInfo, gids: list[int]) -> bytes:
    """/DW (the commonest width) and a /W array of the other glyphs, in thousandths of an em,
    consecutive glyph ids in one run: `first [w1 w2 ...]`."""
    scale = 1000 / info.units_per_em
    widths = {gid: number(info.advances[gid] * scale) for gid in gids}
    counts = Counter(widths.values())
    default_width = min(counts, key=lambda width: (-counts[width], width)) if counts else "0"
    # poppler reads /DW only as an integer (a fraction there made the default 1000): glyphs of
    # a fractional width keep their own /W entry.
    default_width = str(round(float(default_width)))
    runs: list[list[int]] = []
    for gid in gids:
        if widths[gid] == default_width:
            continue
        if runs and runs[-1][-1] == gid - 1:
            runs[-1].append(gid)
        else:
            runs.append([gid])
    entries = " ".join(f"{run[0]} [{' '.join(widths[gid] for gid in run)}]" for run in runs)
    return f"/DW {default_width} /W [{entries}]".encode("ascii")


def _descriptor(info: FontInfo, base_font: bytes, font_file: int) -> bytes:
    scale = 1000 / info.units_per_em
    box = " ".join(number(value * scale) for value in info.bbox)
    return (
        f"<< /Type /FontDescriptor /FontName {base_font.decode('ascii')} /Flags {info.flags} "
        f"/FontBBox [{box}] /ItalicAngle {number(info.italic_angle)} "
        f"/Ascent {number(info.ascent * scale)} /Descent {number(info.descent * scale)} "
        f"/CapHeight {number(info.cap_height * scale)} /StemV {info.stem_v} "
        f"/FontFile2 {font_file} 0 R >>"
    ).encode("ascii")


def _to_unicode_cmap(used: Mapping[int, str]) -> bytes:
    """A CMap from each glyph id (2 bytes) to its text in UTF-16BE: characters beyond U+FFFF
    become surrogate pairs, and a ligature maps to all of its characters. A glyph without text
    maps to the empty string: unmapped, readers make up a character from its glyph id (pypdf,
    Ghostscript); mapped to nothing, they add nothing."""
    pairs = [f"<{gid:04X}> <{used[gid].encode('utf-16-be').hex().upper()}>" for gid in sorted(used)]
    blocks = []
    for start in range(0, len(pairs), _TO_UNICODE_BLOCK):
        block = pairs[start : start + _TO_UNICODE_BLOCK]
        blocks.append(f"{len(block)} beginbfchar\n" + "\n".join(block) + "\nendbfchar")
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
        *blocks,
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines).encode("ascii")
