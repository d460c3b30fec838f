"""Make a user's font usable by the PDF writer, which embeds only TrueType (glyf) outlines.

CFF-flavoured .otf is converted to quadratic TrueType outlines with fontTools (cu2qu); WOFF and
WOFF2 are unwrapped. Results are cached by content hash in the user cache folder.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from notes.errors import FontError
from notes.files import atomic_path, make_folder

_MAX_ERR_EM = 1.0 / 1000  # cu2qu tolerance: a thousandth of the em is invisible at card sizes


def _cache_dir() -> Path:
    from platformdirs import user_cache_path

    folder = user_cache_path("notes") / "fonts"
    return make_folder(folder)


def ensure_truetype(source: Path) -> Path:
    """Return a path to a TrueType version of `source` (the file itself if it already is one)."""
    data = source.read_bytes()
    head = data[:4]
    if head in (b"\x00\x01\x00\x00", b"true"):
        return source
    if head not in (b"OTTO", b"wOFF", b"wOF2"):
        kind = "a font collection (.ttc)" if head == b"ttcf" else "not a font file"
        raise FontError(
            f"cannot use this font: {kind}",
            where=str(source),
            hint="give a single TrueType .ttf or OpenType .otf font",
        )
    target = _cache_dir() / f"{hashlib.sha1(data).hexdigest()[:16]}.ttf"
    if target.is_file():
        return target
    try:
        _convert(source, target)
    except FontError:
        raise
    except Exception as exc:  # fontTools raises many kinds on broken files
        raise FontError(
            f"cannot convert this font to TrueType: {exc}",
            where=str(source),
            hint="convert it to .ttf with a font editor, or pick a bundled font (`notes fonts`)",
        ) from None
    return target


def _convert(source: Path, target: Path) -> None:
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    try:
        font = TTFont(str(source))
    except ImportError:
        raise FontError(
            "WOFF2 fonts need the brotli package to unpack",
            where=str(source),
            hint="pip install brotli, or use the .ttf/.otf version of the font",
        ) from None
    font.flavor = None
    if "CFF " in font or "CFF2" in font:
        glyph_order = font.getGlyphOrder()
        glyph_set = font.getGlyphSet()
        max_err = font["head"].unitsPerEm * _MAX_ERR_EM
        glyf = newTable("glyf")
        glyf.glyphOrder = glyph_order
        glyf.glyphs = {}
        for name in glyph_order:
            pen = TTGlyphPen(glyph_set)
            glyph_set[name].draw(Cu2QuPen(pen, max_err, reverse_direction=True))
            glyf.glyphs[name] = pen.glyph()
        font["loca"] = newTable("loca")
        font["glyf"] = glyf
        for tag in ("CFF ", "CFF2", "VORG"):
            if tag in font:
                del font[tag]
        maxp = font["maxp"]
        maxp.tableVersion = 0x00010000
        for attr in (
            "maxZones maxTwilightPoints maxStorage maxFunctionDefs maxInstructionDefs "
            "maxStackElements maxSizeOfInstructions maxComponentElements"
        ).split():
            setattr(maxp, attr, 0 if attr != "maxZones" else 1)
        maxp.maxComponentDepth = 0
        post = font["post"]
        post.formatType = 2.0
        post.extraNames = []
        post.mapping = {}
        post.glyphOrder = glyph_order
        font.sfntVersion = "\x00\x01\x00\x00"
    with atomic_path(target, force=True, example="font.ttf") as tmp:
        font.save(str(tmp))
