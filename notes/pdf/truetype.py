"""A TrueType font cut down to the glyphs one PDF shows, and the numbers its descriptor needs.

Bytes in, bytes out, with `struct` alone: importing fontTools or reportlab costs more than a
whole `notes write`. Glyph ids are kept (an unused glyph is emptied, not removed), so a PDF's
2-byte codes can be the glyph ids themselves (Identity-H with /CIDToGIDMap /Identity), and only
the tables a CIDFontType2's FontFile2 needs are written: no cmap, name or layout tables.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from notes.errors import FontError
from notes.fontfile import _damaged, _table, _table_directory
from notes.records import FrozenRecord

_OUTLINE_TABLES = ("head", "hhea", "maxp", "hmtx", "loca", "glyf")
_HINTING_TABLES = ("cvt ", "fpgm", "prep")  # kept as they are: their programs name no glyphs
_HEAD_MAGIC = 0x5F0F3CF5
_CHECKSUM_MAGIC = 0xB1B0AFBA
# Component record flags of a composite glyph (the glyf table's specification).
_ARGS_ARE_WORDS, _HAS_SCALE, _MORE_COMPONENTS = 0x0001, 0x0008, 0x0020
_HAS_XY_SCALE, _HAS_TWO_BY_TWO = 0x0040, 0x0080


@dataclass(init=False, repr=False, eq=False)
class FontInfo(FrozenRecord):
    """What a FontDescriptor and a /W array need; in font units unless said."""

    units_per_em: int
    ascent: int
    descent: int  # negative below the baseline, as in the font
    cap_height: int
    italic_angle: float  # degrees, counter-clockwise from the vertical
    bbox: tuple[int, int, int, int]  # x min, y min, x max, y max
    flags: int  # the FontDescriptor's /Flags
    advances: tuple[int, ...]  # advance width of every glyph id (hmtx, last width repeated)
    stem_v: int = 80  # the FontDescriptor's /StemV (PDF units), guessed from the weight class


def subset_truetype(data: bytes, keep: Iterable[int], where: str = "") -> bytes:
    """The same TrueType (glyf) font with every glyph not in `keep` emptied; glyph ids unchanged.

    Glyph 0 and every component of a kept composite glyph (recursively) are kept; ids the font
    lacks are ignored. Tables written: head, hhea, maxp, hmtx, loca, glyf, and cvt/fpgm/prep when
    the font has them. The same input gives the same bytes. `where` (the file) names it in errors.
    """
    tables = _outline_tables(data, where)
    head = bytearray(_table(data, tables["head"]))
    glyph_count = struct.unpack_from(">H", _table(data, tables["maxp"]), 4)[0]
    glyph = _glyph_reader(data, tables, head, glyph_count, where)
    wanted = {gid for gid in keep if 0 <= gid < glyph_count} | {0}
    kept = _with_components(glyph, wanted, glyph_count, where)
    glyf, loca, long_offsets = _glyf_and_loca(kept, glyph_count)
    struct.pack_into(">h", head, 50, 1 if long_offsets else 0)
    struct.pack_into(">I", head, 8, 0)  # checkSumAdjustment, set once the whole font is known
    hhea, hmtx = _metrics_of_kept(data, tables, kept, glyph_count, where)
    written = {"head": bytes(head), "hhea": hhea, "maxp": _table(data, tables["maxp"])}
    written |= {"hmtx": hmtx, "loca": loca, "glyf": glyf}
    written |= {tag: _table(data, tables[tag]) for tag in _HINTING_TABLES if tag in tables}
    font, offsets = _sfnt(written)
    adjustment = (_CHECKSUM_MAGIC - _checksum(font)) & 0xFFFFFFFF
    struct.pack_into(">I", font, offsets["head"] + 8, adjustment)
    return bytes(font)


def font_info(data: bytes, where: str = "") -> FontInfo:
    """The metrics of a TrueType font as a PDF FontDescriptor states them (as reportlab did)."""
    tables = _outline_tables(data, where)
    head = _table(data, tables["head"])
    bbox = struct.unpack_from(">4h", head, 36)
    glyph_count = struct.unpack_from(">H", _table(data, tables["maxp"]), 4)[0]
    ascent, descent, cap_height, weight = _os2_metrics(data, tables, bbox)
    post = _table(data, tables["post"]) if "post" in tables else b""
    italic_angle, fixed_pitch = 0.0, 0
    if len(post) >= 16:
        italic_angle = struct.unpack_from(">i", post, 4)[0] / 65536
        fixed_pitch = struct.unpack_from(">I", post, 12)[0]
    # Symbolic (4): the glyphs go beyond Adobe's standard Latin set; italic 64; fixed 1; bold 2**18.
    flags = 4 | (64 if italic_angle else 0) | (1 if fixed_pitch else 0)
    flags |= 1 << 18 if weight >= 600 else 0
    return FontInfo(
        struct.unpack_from(">H", head, 18)[0], ascent, descent, cap_height, italic_angle,
        tuple(bbox), flags, _advances(data, tables, glyph_count, where),
        stem_v=50 + int((weight / 65) ** 2),
    )  # fmt: skip


def _os2_metrics(data, tables, bbox) -> tuple[int, int, int, int]:
    """Ascent, descent, cap height and weight class; a font without OS/2 (some Apple fonts)
    has its bounding box stand in, and a medium weight."""
    os2 = _table(data, tables["OS/2"]) if "OS/2" in tables else b""
    if len(os2) < 72:
        return bbox[3], bbox[1], bbox[3], 500
    version, _, weight = struct.unpack_from(">HhH", os2, 0)
    ascent, descent = struct.unpack_from(">hh", os2, 68)
    cap_height = struct.unpack_from(">h", os2, 88)[0] if version > 1 and len(os2) >= 90 else ascent
    return ascent, descent, cap_height, weight


def _outline_tables(data: bytes, where: str) -> dict[str, tuple[int, int]]:
    tables = _table_directory(data, where)
    if "CFF " in tables or "CFF2" in tables:
        raise FontError(
            "cannot embed font: its outlines are CFF (PostScript), not TrueType",
            where=where or None,
            hint="pass the .otf to --font as it is (notes converts it to TrueType), "
            "or use one of the bundled fonts (`notes fonts`)",
        )
    missing = [tag for tag in _OUTLINE_TABLES if tag not in tables]
    if missing:
        _damaged(where, f"it has no {missing[0]!r} table")
    head = _table(data, tables["head"])
    if len(head) < 54 or struct.unpack_from(">I", head, 12)[0] != _HEAD_MAGIC:
        _damaged(where, "its head table is damaged")
    if not 16 <= struct.unpack_from(">H", head, 18)[0] <= 16384:
        _damaged(where, "its units per em are out of range")
    if tables["maxp"][1] < 6 or tables["hhea"][1] < 36:
        _damaged(where, "its maxp or hhea table is cut off")
    if struct.unpack_from(">H", data, tables["maxp"][0] + 4)[0] == 0:
        _damaged(where, "its maxp table says it has no glyphs")
    return tables


def _glyph_reader(data, tables, head, glyph_count: int, where: str) -> Callable[[int], bytes]:
    """glyph id -> its bytes in glyf, through loca (2-byte offsets are halved, 4-byte ones not).

    Only the glyphs read are checked: a fault elsewhere in loca does not matter to a subset.
    """
    long_offsets = struct.unpack_from(">h", head, 50)[0] == 1
    loca_at, loca_size = tables["loca"]
    if loca_size < (4 if long_offsets else 2) * (glyph_count + 1):
        _damaged(where, "its loca table is shorter than its glyph count")
    offsets = struct.unpack_from(f">{glyph_count + 1}{'I' if long_offsets else 'H'}", data, loca_at)
    scale = 1 if long_offsets else 2
    glyf_at, glyf_size = tables["glyf"]  # read in place: CJK fonts hold megabytes of glyphs

    def glyph(gid: int) -> bytes:
        start, end = scale * offsets[gid], scale * offsets[gid + 1]
        if not start <= end <= glyf_size:
            _damaged(where, f"its loca table points glyph {gid} outside the glyf table")
        return data[glyf_at + start : glyf_at + end]

    return glyph


def _with_components(
    glyph: Callable[[int], bytes], keep: set[int], count: int, where: str
) -> dict[int, bytes]:
    """The bytes of `keep`'s glyphs and of every glyph a kept composite is built from, however deep."""
    kept, pending = {}, sorted(keep)
    while pending:
        gid = pending.pop()
        kept[gid] = glyph(gid)
        for component in _components(kept[gid], where):
            if component >= count:
                _damaged(where, f"a composite glyph uses glyph {component}, which it lacks")
            if component not in kept and component not in pending:
                pending.append(component)
    return kept


def _components(glyph: bytes, where: str) -> list[int]:
    if len(glyph) < 10 or struct.unpack_from(">h", glyph, 0)[0] >= 0:
        return []  # empty, or a simple glyph of contours
    components, offset, flags = [], 10, _MORE_COMPONENTS
    try:
        while flags & _MORE_COMPONENTS:
            flags, gid = struct.unpack_from(">HH", glyph, offset)
            components.append(gid)
            offset += 4 + (4 if flags & _ARGS_ARE_WORDS else 2) + _transform_size(flags)
    except struct.error:
        _damaged(where, "a composite glyph is cut off")
    return components


def _transform_size(flags: int) -> int:
    if flags & _HAS_TWO_BY_TWO:
        return 8
    if flags & _HAS_XY_SCALE:
        return 4
    return 2 if flags & _HAS_SCALE else 0


def _glyf_and_loca(kept: dict[int, bytes], glyph_count: int) -> tuple[bytes, bytes, bool]:
    """The new glyf (kept glyphs 4-byte aligned, the others empty) and loca, short when it fits."""
    glyphs = {gid: kept[gid] + b"\0" * (-len(kept[gid]) % 4) for gid in sorted(kept)}
    long_offsets = sum(map(len, glyphs.values())) > 2 * 0xFFFF
    unit = 1 if long_offsets else 2  # short offsets are halved (every offset is even)
    offsets, end = [0], 0
    for gid, glyph in glyphs.items():
        offsets.extend([end] * (gid + 1 - len(offsets)))  # the empty glyphs before it
        end += len(glyph) // unit
    offsets.extend([end] * (glyph_count + 1 - len(offsets)))
    loca = struct.pack(f">{len(offsets)}{'I' if long_offsets else 'H'}", *offsets)
    return b"".join(glyphs.values()), loca, long_offsets


def _advances(data, tables, glyph_count: int, where: str) -> tuple[int, ...]:
    metric_count = struct.unpack_from(">H", _table(data, tables["hhea"]), 34)[0]
    hmtx = _table(data, tables["hmtx"])
    if not 1 <= metric_count <= glyph_count or len(hmtx) < 4 * metric_count:
        _damaged(where, "its hmtx table is shorter than hhea says")
    widths = struct.unpack_from(f">{2 * metric_count}H", hmtx)[0::2]  # (advance, bearing) pairs
    return tuple(widths) + (widths[-1],) * (glyph_count - metric_count)


def _metrics_of_kept(data, tables, kept, glyph_count: int, where: str) -> tuple[bytes, bytes]:
    """hhea and hmtx with the kept glyphs' metrics and zeros for the rest (which compress away).

    The PDF's /W array gives the advances; the zeros only make the file smaller.
    """
    advances = _advances(data, tables, glyph_count, where)
    hmtx = _table(data, tables["hmtx"])
    metric_count = struct.unpack_from(">H", _table(data, tables["hhea"]), 34)[0]
    last = max(kept) + 1  # the glyphs after the last kept one repeat its width: none is needed
    metrics = [0] * (2 * last)
    for gid in kept:
        offset = 4 * gid + 2 if gid < metric_count else 2 * (metric_count + gid)
        bearing = struct.unpack_from(">h", hmtx, offset)[0] if offset + 2 <= len(hmtx) else 0
        metrics[2 * gid : 2 * gid + 2] = advances[gid], bearing
    hhea = bytearray(_table(data, tables["hhea"]))
    struct.pack_into(">H", hhea, 34, last)
    return bytes(hhea), struct.pack(">" + "Hh" * last, *metrics) + b"\0\0" * (glyph_count - last)


def _sfnt(tables: dict[str, bytes]) -> tuple[bytearray, dict[str, int]]:
    """An sfnt file of `tables` (directory sorted by tag, each table 4-byte aligned), and where
    each table starts."""
    count = len(tables)
    power = 1 << (count.bit_length() - 1)
    header = struct.pack(
        ">IHHHH", 0x00010000, count, 16 * power, power.bit_length() - 1, 16 * (count - power)
    )
    offset = 12 + 16 * count
    directory, bodies, offsets = [], [], {}
    for tag in sorted(tables):
        body, offsets[tag] = tables[tag], offset
        directory.append(
            struct.pack(">4sIII", tag.encode("latin-1"), _checksum(body), offset, len(body))
        )
        body += b"\0" * (-len(body) % 4)
        bodies.append(body)
        offset += len(body)
    return bytearray(header + b"".join(directory) + b"".join(bodies)), offsets


def _checksum(data: bytes | bytearray) -> int:
    padded = bytes(data) + b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF
