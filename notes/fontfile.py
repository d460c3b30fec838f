"""What planning needs from a TrueType file: its character map, advance widths and a few metrics.

Read with HarfBuzz (the cmap and advances, in C: a CJK font's 12 000 characters take a few ms)
and straight from the `head` and `OS/2` tables. Widths and metrics are in thousandths of an em,
computed exactly as PDF writers compute them from the same tables, so a word measured here is
as wide as the same word set by the writer.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from notes.errors import FontError
from notes.records import FrozenRecord  # dataclass methods written once (start-up)

# Tables a TrueType font needs to be measured here and embedded by the PDF writer.
REQUIRED = ("cmap", "head", "hhea", "hmtx", "loca", "glyf", "maxp", "name", "post")
_HEAD_MAGIC = 0x5F0F3CF5


@dataclass(init=False, repr=False, eq=False)
class FontMetrics(FrozenRecord):
    """A font file, measured. Widths and heights in thousandths of an em."""

    path: Path
    name: str  # unique per file contents, even when two fonts share a PostScript name
    units_per_em: int
    cmap: dict[int, int] = field(repr=False)  # code point -> glyph id
    widths: dict[int, float] = field(repr=False)  # code point -> advance width
    ascent: float
    descent: float  # negative below the baseline, as in the font
    cap_height: float


@cache
def font_bytes(path: Path) -> bytes:
    """A font file's bytes, read once per process: the caches' keys hash them and the PDF
    writer subsets them (OSError for the caller to report)."""
    return path.read_bytes()


def read_font(path: Path, font_id: str) -> FontMetrics:
    """Measure the font at `path`; FontError saying what is wrong with a damaged file."""
    data = path.read_bytes()
    tables = _table_directory(data, path)
    missing = [tag for tag in REQUIRED if tag not in tables]
    if missing:
        raise FontError(
            f"cannot load font: the font has no {missing[0]!r} table (no character map, or damaged)"
            if missing[0] == "cmap"
            else f"cannot load font: the font has no {missing[0]!r} table (damaged?)",
            where=str(path),
            hint="use a TrueType .ttf file, or one of the bundled fonts (`notes fonts`)",
        )
    head = _table(data, tables["head"])
    if len(head) < 54 or struct.unpack_from(">HI", head, 0)[0] != 1:
        _damaged(path, "its head table is not version 1")
    if struct.unpack_from(">I", head, 12)[0] != _HEAD_MAGIC:
        _damaged(path, "its head table has a bad magic number")
    upem = struct.unpack_from(">H", head, 18)[0]
    if not 16 <= upem <= 16384:
        _damaged(path, f"units per em is {upem}")
    cmap, widths = _cmap_and_widths(data, upem)
    if not cmap:
        raise FontError(
            "font has no character map (cmap), so no text can be drawn with it",
            where=str(path),
            hint="choose another font file",
        )
    ascent, descent, cap_height = _vertical_metrics(data, tables, head, upem)
    digest = hashlib.sha1(data).hexdigest()[:10]
    return FontMetrics(
        path, f"notes-{font_id}-{digest}", upem, cmap, widths, ascent, descent, cap_height
    )


def _table_directory(data: bytes, path: Path | str) -> dict[str, tuple[int, int]]:
    """tag -> (offset, length); a table reaching past the end of the file means it was cut off."""
    if len(data) < 12:
        _damaged(path, "it is shorter than a font header")
    (count,) = struct.unpack_from(">H", data, 4)
    if len(data) < 12 + 16 * count:
        _damaged(path, "its table directory is cut off")
    tables = {}
    for index in range(count):
        tag, _checksum, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * index)
        if offset + length > len(data):
            _damaged(path, f"table {tag.decode('latin-1')!r} ends past the end of the file")
        tables[tag.decode("latin-1")] = (offset, length)
    return tables


def _table(data: bytes, where: tuple[int, int]) -> bytes:
    offset, length = where
    return data[offset : offset + length]


def _damaged(path: Path | str, reason: str) -> None:
    raise FontError(
        f"cannot load font: the file looks truncated or damaged ({reason})",
        where=str(path),
        hint="use a TrueType .ttf file, or one of the bundled fonts (`notes fonts`)",
    )


def _cmap_and_widths(data: bytes, upem: int) -> tuple[dict[int, int], dict[int, float]]:
    import uharfbuzz as hb

    font = hb.Font(hb.Face(hb.Blob(data)))
    nominal = font.get_nominal_glyph
    advance = font.get_glyph_h_advance
    # Scaled as PDF font widths are: an integer when the em is 1000 units, else in floats.
    scale = (lambda units: units) if upem == 1000 else (lambda units, k=1000 / upem: units * k)
    cmap: dict[int, int] = {}
    widths: dict[int, float] = {}
    for code in sorted(font.face.unicodes):
        gid = nominal(code)
        if gid is None:
            continue
        cmap[code] = gid
        widths[code] = scale(advance(gid))
    # A no-break space is drawn as a space, and a space as a no-break space if that is all there is.
    if 0x20 in cmap:
        cmap[0xA0], widths[0xA0] = cmap[0x20], widths[0x20]
    elif 0xA0 in cmap:
        cmap[0x20], widths[0x20] = cmap[0xA0], widths[0xA0]
    return cmap, widths


def _vertical_metrics(data, tables, head: bytes, upem: int) -> tuple[float, float, float]:
    scale = (lambda units: units) if upem == 1000 else (lambda units, k=1000 / upem: units * k)
    os2 = _table(data, tables["OS/2"]) if "OS/2" in tables else b""
    if len(os2) >= 72:
        version = struct.unpack_from(">H", os2, 0)[0]
        ascender, descender = struct.unpack_from(">hh", os2, 68)
        ascent, descent = scale(ascender), scale(descender)
        if version > 1 and len(os2) >= 90:
            return ascent, descent, scale(struct.unpack_from(">h", os2, 88)[0])
        return ascent, descent, ascent
    # No OS/2 (some Apple fonts): the bounding box stands in.
    y_min, _x_max, y_max = struct.unpack_from(">hhh", head, 38)
    return scale(y_max), scale(y_min), scale(y_max)
