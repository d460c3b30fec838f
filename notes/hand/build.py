"""Learned glyphs -> a TrueType font file, with fontTools' FontBuilder.

One encoded glyph per character and its unencoded alternates (`a.1` ... `a.n`); overlaps (a
stroke crossing itself, an accent touching its letter) are merged with skia-pathops through
fontTools' removeOverlaps, which also turns every contour the way TrueType wants.
"""

from __future__ import annotations

import io

from notes.hand import outline
from notes.hand.charset import ALIASES
from notes.hand.glyphset import UNITS_PER_EM, X_HEIGHT, LearnedGlyph


def build_font(glyphs: list[LearnedGlyph], family: str) -> bytes:
    """The font file's bytes."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib.removeOverlaps import removeOverlaps

    space = _space_width(glyphs)
    order = [".notdef", "space"] + [g.name for g in glyphs]
    builder = FontBuilder(UNITS_PER_EM, isTTF=True)
    builder.setupGlyphOrder(order)
    cmap = {0x20: "space", 0xA0: "space"}
    cmap.update({ord(g.char): g.name for g in glyphs if g.char})
    by_char = {g.char: g.name for g in glyphs if g.char}
    cmap.update(
        {ord(alias): by_char[target] for alias, target in ALIASES.items() if target in by_char}
    )
    builder.setupCharacterMap(cmap)
    outlines, metrics = {}, {}
    notdef = TTGlyphPen(None)
    _draw_box(notdef, 50, -200, 400, 700)
    outlines[".notdef"], metrics[".notdef"] = notdef.glyph(), (500, 50)
    outlines["space"], metrics["space"] = TTGlyphPen(None).glyph(), (space, 0)
    for glyph in glyphs:
        pen = TTGlyphPen(None)
        outline.replay(glyph.drawing, pen)
        outlines[glyph.name] = pen.glyph()
        box = outline.bounds(glyph.drawing)
        metrics[glyph.name] = (glyph.advance, round(box[0]) if box else 0)
    builder.setupGlyf(outlines)
    builder.setupHorizontalMetrics(metrics)
    ascent, descent, cap_height = _vertical_metrics(glyphs)
    builder.setupHorizontalHeader(ascent=ascent, descent=descent)
    style = "Regular"
    builder.setupNameTable(
        {
            "familyName": family,
            "styleName": style,
            "uniqueFontIdentifier": f"{family}-{style} learned by notes",
            "fullName": f"{family} {style}",
            "psName": _ps_name(family),
            "version": "Version 1.000",
        }
    )
    builder.setupOS2(
        sTypoAscender=ascent,
        sTypoDescender=descent,
        sTypoLineGap=0,
        usWinAscent=ascent,
        usWinDescent=-descent,
        sxHeight=X_HEIGHT,
        sCapHeight=cap_height,
        achVendID="NOTE",
        fsType=0,  # installable: it is the owner's own hand
    )
    builder.setupPost()
    removeOverlaps(builder.font, ignoreErrors=True)
    buffer = io.BytesIO()
    builder.save(buffer)
    return buffer.getvalue()


def _draw_box(pen, x0: int, y0: int, x1: int, y1: int) -> None:
    pen.moveTo((x0, y0))
    pen.lineTo((x0, y1))
    pen.lineTo((x1, y1))
    pen.lineTo((x1, y0))
    pen.closePath()


def _space_width(glyphs: list[LearnedGlyph]) -> int:
    """A word space a little wider than half a typical lower-case letter."""
    lower = sorted(g.advance for g in glyphs if g.char.islower() and g.char.isascii())
    typical = lower[len(lower) // 2] if lower else X_HEIGHT
    return round(0.62 * typical)


def _vertical_metrics(glyphs: list[LearnedGlyph]) -> tuple[int, int, int]:
    """Ascent and descent that hold every glyph, and the capitals' median height."""
    tops, bottoms, capitals = [X_HEIGHT * 2], [-X_HEIGHT // 2], []
    for glyph in glyphs:
        box = outline.bounds(glyph.drawing)
        if box is None:
            continue
        tops.append(box[3])
        bottoms.append(box[1])
        if glyph.char.isupper() and glyph.char.isascii() and glyph.char not in "QJ":
            capitals.append(box[3])
    capitals.sort()
    cap_height = round(capitals[len(capitals) // 2]) if capitals else round(X_HEIGHT * 1.5)
    return round(max(tops)), round(min(bottoms)), cap_height


def _ps_name(family: str) -> str:
    """PostScript names are printable ASCII without spaces or brackets, at most 63 long."""
    kept = "".join(c for c in family if c.isascii() and c.isalnum() or c == "-")
    return (kept or "Hand")[:50] + "-Regular"
