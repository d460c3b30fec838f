"""A minimal SVG writer for the drawing model, written from its spec alone (notes.drawing).

It proves the seam: a second output needs the model and nothing of the PDF writer. Letters are
filled outlines, stroked with the word's pen weight; the invisible text layer is left out.
"""

from __future__ import annotations

import base64
import math
from xml.sax.saxutils import quoteattr

from notes.drawing import Glyph, GlyphTable, Group, Image, Item, Outline, Page, Stroke, Word


def page_svg(page: Page, glyphs: GlyphTable) -> str:
    # The model's y axis points up, SVG's down: one flip for the whole page.
    body = "".join(_item(item, glyphs) for item in page.items)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{page.width}pt" height="{page.height}pt"'
        f' viewBox="0 0 {page.width} {page.height}">'
        f'<g transform="matrix(1 0 0 -1 0 {page.height})">{body}</g></svg>'
    )


def _item(item: Item, glyphs: GlyphTable) -> str:
    if isinstance(item, Word):
        return "".join(_glyph(glyphs[placed.glyph], placed, item) for placed in item.glyphs)
    if isinstance(item, Stroke):
        dash = " ".join(map(str, item.dash)) if item.dash else "none"
        return (
            f'<path d="{_path(item.path)}" fill="none" stroke="{_colour(item.colour)}"'
            f' stroke-width="{item.width}" stroke-dasharray="{dash}"'
            f' stroke-dashoffset="{item.dash_offset}"/>'
        )
    if isinstance(item, Image):
        kind = "image/png" if item.kind == "png" else "image/svg+xml"
        data = base64.b64encode(item.source.read_bytes()).decode()
        flip = f"matrix(1 0 0 -1 {item.x} {item.y + item.height})"  # pictures stand upright
        return (
            f'<image transform="{flip}" width="{item.width}" height="{item.height}"'
            f' preserveAspectRatio="none" href="data:{kind};base64,{data}"/>'
        )
    if isinstance(item, Group):
        inner = "".join(_item(child, glyphs) for child in item.items)
        return f'<g transform="matrix({" ".join(map(str, item.transform))})">{inner}</g>'
    raise TypeError(f"not a drawing item: {item!r}")


def _glyph(glyph: Glyph, placed, word: Word) -> str:
    if not glyph.outline:
        return ""
    scale = 1 / glyph.font.units_per_em  # outlines are in font units, placements in ems
    a, b, c, d, e, f = placed.transform
    matrix = " ".join(map(str, (a * scale, b * scale, c * scale, d * scale, e, f)))
    colour = _colour(word.ink)
    # The pen's width is in points; inside the glyph's matrix it is in font units.
    width = word.weight / (math.hypot(a, b) * scale) if word.weight > 0 else 0
    fill = colour if glyph.filled else "none"
    stroke = f' stroke="{colour}" stroke-width="{width}" stroke-miterlimit="10"'
    stroke = stroke if width or not glyph.filled else ""  # PDF's miter limit is 10, not 4
    return (
        f'<path transform="matrix({matrix})" d="{_path(glyph.outline)}" fill={quoteattr(fill)}'
        f' fill-rule="nonzero"{stroke}/>'
    )


def _path(outline: Outline) -> str:
    return " ".join(op + " ".join(f"{v:.2f}" for v in points) for op, points in outline)


def _colour(rgb) -> str:
    return "rgb({})".format(",".join(str(round(255 * v)) for v in rgb))
