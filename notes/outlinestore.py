"""What notes computes from a font file, kept on disk, so one card from the shell needs neither
fontTools nor HarfBuzz.

Deforming a card's ~90 outlines and importing fontTools to read them costs more than the rest of
`notes write`. The outlines depend only on the font file and the variation code, so they are
stored per font in the user's cache folder, keyed by a hash of the font's bytes and of
notes/glyphs.py (any change to the variation makes a new store; old ones are never read). A
store that cannot be read or written is only a slower run: the outline is computed as before.
Floats go through `marshal` exactly, so a stored outline is the computed one, bit for bit.
The store itself: notes.diskcache.
"""

from __future__ import annotations

from functools import cache
from itertools import repeat
from pathlib import Path

from notes.diskcache import IndexedStore, cache_folder, indexed_font_store
from notes.drawing import Outline, PathOp

_GLYPHS_SOURCE = Path(__file__).with_name("glyphs.py")
Key = tuple[int, int, float, bool]  # glyph id, variant, amount, pinned

# A stored outline's steps made PathOps in C: PathOp(op, points) runs a Python __new__ per step,
# half the time of reading a card's ~7,000 steps back. The store holds (op, points) pairs only.
# tuple.__new__ mapped over the class repeated: a partial around it took ~15 % longer.
_new_tuple = tuple.__new__


@cache
def _glyphs_code() -> bytes:
    """What the stored outlines depend on: the variation's code, and the store's format (an
    IndexedStore; a file of another format is another file)."""
    try:
        return _GLYPHS_SOURCE.read_bytes() + IndexedStore.MAGIC
    except OSError:
        return IndexedStore.MAGIC


# (font, key) -> its outline, once made or read in this process: an outline depends only on
# the font and the key (the store's name holds the rest), so a second asking (the handwriting
# and the line's ink ask for the same letters) reads neither the environment nor the store.
_DECODED: dict[tuple[Path, Key], Outline] = {}


def outline(font: Path, gid: int, variant: int, amount: float, pinned: bool) -> Outline:
    """`notes.glyphs.variant_outline`, from the store when it holds it."""
    key = (gid, variant, float(amount), bool(pinned))
    found = _DECODED.get((font, key))
    if found is not None:
        return found
    store = indexed_font_store(font, cache_folder("outlines"), _glyphs_code())
    stored = store.get(key)
    if isinstance(stored, tuple):
        found = tuple(map(_new_tuple, repeat(PathOp, len(stored)), stored))
    else:
        from notes.glyphs import variant_outline

        found = variant_outline(font, gid, variant, amount, pinned)
        store.put(key, tuple((op, tuple(points)) for op, points in found))
    _DECODED[(font, key)] = found
    return found
