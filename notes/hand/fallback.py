"""Characters the sheet did not give: drawn from the bundled font closest to the hand.

The closest font is the one whose lower-case letters overlap the owner's most, compared at a
common size. Its glyphs are copied into the learned font, scaled to the same x-height, so a
missing letter sits in the line as the owner's own would; the report warns about each one.
"""

from __future__ import annotations

import numpy as np

from notes.hand import outline
from notes.hand.glyphset import X_HEIGHT, Shape
from notes.hand.learn import normalised_shape, overlap

COMPARED = "abdeghkmnrsty"  # letters whose shapes tell fonts apart


def closest_bundled_font(shapes_by_char: dict[str, list[Shape]]) -> str:
    """The id of the bundled Latin font most like the learned hand."""
    from notes.fonts import load_catalog

    best, best_score = "caveat", -1.0
    for spec in load_catalog().values():
        if "latin" not in spec.scripts:
            continue
        score = _likeness(spec.path, shapes_by_char)
        if score > best_score:
            best, best_score = spec.id, score
    return best


def _likeness(path, shapes_by_char: dict[str, list[Shape]]) -> float:
    from fontTools.ttLib import TTFont

    font = TTFont(path, lazy=True)
    glyph_set, cmap = font.getGlyphSet(), font.getBestCmap()
    scores = []
    for char in COMPARED:
        shapes = shapes_by_char.get(char)
        if not shapes or ord(char) not in cmap:
            continue
        drawing = outline.record_glyph(glyph_set, cmap[ord(char)])
        box = outline.bounds(drawing)
        if box is None:
            continue
        theirs = normalised_shape(outline.rasterise(drawing, box, 64 / max(1, box[3] - box[1])))
        scores.append(overlap(theirs, normalised_shape(shapes[0].ink)))
    return float(np.mean(scores)) if scores else 0.0


def borrowed_drawings(font_id: str, chars: list[str]) -> dict[str, outline.Recording]:
    """The bundled font's glyphs for `chars`, scaled to the learned x-height."""
    from fontTools.ttLib import TTFont

    from notes.fonts import load_catalog

    font = TTFont(load_catalog()[font_id].path, lazy=True)
    glyph_set, cmap = font.getGlyphSet(), font.getBestCmap()
    x_height = getattr(font["OS/2"], "sxHeight", 0) or font["head"].unitsPerEm * 0.45
    scale = X_HEIGHT / x_height
    drawings = {}
    for char in chars:
        if ord(char) in cmap:
            drawing = outline.record_glyph(glyph_set, cmap[ord(char)])
            drawings[char] = outline.transformed(drawing, scale=scale)
    return drawings
