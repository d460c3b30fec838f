"""How tall letters stand: the x-height a hand's size is measured on, and a CJK character's box.

A hand has one size: its letter x is as tall on every card, in every font (notes.render). A
fallback font's letters are sized to stand beside the primary font's: Latin, Greek, Cyrillic ...
on equal x-heights; ideographs, kana and Hangul, which have no x-height, on their ink box.
"""

from __future__ import annotations

# A note that does not fit its card is written smaller, down to this fraction of the hand's size
# and never under FLOOR_PT, for `write`, `merge` and `day` alike: smaller writing is not read.
SMALLEST = 0.55
FLOOR_PT = 6.0
# A CJK character's ink box (ideograph, kana, Hangul syllable) stands this many Latin x-heights
# tall: the ratio CJK fonts with their own Latin letters are designed with (Noto Sans CJK 1.62,
# Yomogi 1.61), so a fallback's characters sit beside the primary font's letters as one hand.
CJK_BOX_TO_X_HEIGHT = 1.6
# Characters whose ink box stands for a script's: an ideograph, a kana, a Hangul syllable.
_BOX_SAMPLES = {"han": "国國永", "kana": "あア", "hangul": "한국"}


def smallest_size(usual: float) -> float:
    """The smallest size in points a note whose usual size is `usual` may be written at."""
    return max(FLOOR_PT, usual * SMALLEST)


def refuse_below_smallest(size: float, smallest: float, text: str, exact: frozenset[str]) -> None:
    """A layout under the smallest size is one a word never broken across lines (a link, a
    code) made that small to fit a line: an error, as a note too long for the card is."""
    if size >= smallest - 0.05:
        return
    from notes.errors import LayoutError
    from notes.exact import is_exact

    words = [word for word in text.split() if is_exact(word, exact)] or text.split()
    widest = max(words, key=len)
    shown = widest if len(widest) <= 40 else f"{widest[:37]}..."
    raise LayoutError(
        f"the text does not fit the card: {shown!r} is never broken across lines (a link, a "
        f"code or a number), and is wider than a line even at the smallest size "
        f"({smallest:.1f} pt); it would be written at {size:.1f} pt",
        hint="shorten it (or put a link in a QR code), or choose a larger card with --card "
        "(e.g. a6 or a5)",
    )


def cjk_kind(char: str) -> str | None:
    """'han', 'kana' or 'hangul' for a CJK character (sized on its box, not an x-height)."""
    code = ord(char)
    if 0x3040 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF or 0xFF66 <= code <= 0xFF9D:
        return "kana"
    if 0xAC00 <= code <= 0xD7AF or 0x1100 <= code <= 0x11FF or 0x3130 <= code <= 0x318F:
        return "hangul"
    if 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x3FFFF:
        return "han"
    return None


def x_height_of(font) -> float:
    """A loaded font's x-height in ems: the top of its x's ink, else two thirds of its capitals."""
    box = _ink_box(font, "x")
    return box[1] if box else font.cap_height * 0.66


def cjk_box_of(font, kind: str) -> float | None:
    """Ink height in ems of the font's first sample of `kind` it has; None if it has none."""
    boxes = (_ink_box(font, sample) for sample in _BOX_SAMPLES[kind])
    box = next((b for b in boxes if b is not None), None)
    return box[1] - box[0] if box else None


def _ink_box(font, char: str) -> tuple[float, float] | None:
    """(bottom, top) of a character's ink in ems, from HarfBuzz's glyph extents."""
    gid = font.cmap.get(ord(char))
    if gid is None:
        return None
    hb_font = font.harfbuzz()
    extents = hb_font.get_glyph_extents(gid)
    if extents is None or extents.height == 0:
        return None
    upem = hb_font.face.upem
    return (extents.y_bearing + extents.height) / upem, extents.y_bearing / upem


def matched_scale(primary, fallback, kind: str | None) -> float:
    """Size factor of a fallback font beside `primary`: x-heights equal, or a CJK character's
    box (`kind`) CJK_BOX_TO_X_HEIGHT of the primary's x-heights tall."""
    box = fallback.cjk_box(kind) if kind else None
    if box:
        ratio = CJK_BOX_TO_X_HEIGHT * primary.x_height / box
    else:
        ratio = primary.x_height / fallback.x_height
    return max(0.5, min(2.0, ratio))


def writing_height(font, drawn: str) -> float:
    """What a note's size is measured on, in ems of `font`: its x-height, or for a note mostly
    in CJK characters (`drawn`: its visible characters), their box over CJK_BOX_TO_X_HEIGHT."""
    kinds = [cjk_kind(c) for c in drawn]
    cjk = [k for k in kinds if k]
    if len(cjk) * 2 <= len(kinds):
        return font.x_height
    box = font.cjk_box(max(set(cjk), key=cjk.count))
    return box / CJK_BOX_TO_X_HEIGHT if box else font.x_height
