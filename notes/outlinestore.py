"""Deformed glyph outlines kept on disk, so one card from the shell needs no fontTools.

Deforming a card's ~90 outlines and importing fontTools to read them costs more than the rest of
`notes write`. The outlines depend only on the font file and the variation code, so they are
stored per font in the user's cache folder, keyed by a hash of the font's bytes and of
notes/glyphs.py (any change to the variation makes a new store; old ones are never read). A
store that cannot be read or written is only a slower run: the outline is computed as before.
Floats go through `marshal` exactly, so a stored outline is the computed one, bit for bit.
"""

from __future__ import annotations

import atexit
import hashlib
import marshal
import os
from functools import cache
from pathlib import Path

from notes.drawing import Outline, PathOp

_GLYPHS_SOURCE = Path(__file__).with_name("glyphs.py")
Key = tuple[int, int, float, bool]  # glyph id, variant, amount, pinned


def cache_folder() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("notes")) / "outlines"


class _Store:
    """One font's stored outlines: encoded per glyph, decoded only when a card uses them."""

    def __init__(self, path: Path):
        self.path = path
        self.encoded: dict[Key, bytes] = {}
        self.new: dict[Key, bytes] = {}
        self.decoded: dict[Key, Outline] = {}
        try:
            loaded = marshal.loads(path.read_bytes())
            if isinstance(loaded, dict):
                self.encoded = loaded
        except (OSError, ValueError, EOFError, TypeError):
            pass  # none yet, or unreadable: computed again and written anew

    def get(self, key: Key) -> Outline | None:
        found = self.decoded.get(key)
        if found is None and key in self.encoded:
            ops = marshal.loads(self.encoded[key])
            found = self.decoded[key] = tuple(PathOp(op, points) for op, points in ops)
        return found

    def put(self, key: Key, outline: Outline) -> None:
        self.decoded[key] = outline
        encoded = marshal.dumps(tuple((op, tuple(points)) for op, points in outline))
        self.encoded[key] = self.new[key] = encoded
        if len(self.new) == 1:
            atexit.register(self.save)

    def save(self) -> None:
        """Merged with what another run may have stored meanwhile; replaced in one rename."""
        if not self.new:
            return
        merged = {**_Store(self.path).encoded, **self.new}
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(marshal.dumps(merged))
            tmp.replace(self.path)
            self.new.clear()
        except OSError:
            tmp.unlink(missing_ok=True)  # a read-only or full disk: the next run computes again


@cache
def _store(font: Path, folder: Path) -> _Store:
    digest = hashlib.sha256()
    try:
        digest.update(font.read_bytes())
        digest.update(_GLYPHS_SOURCE.read_bytes())
    except OSError:
        digest.update(str(font).encode())  # the caller reports an unreadable font
    return _Store(folder / f"{digest.hexdigest()[:32]}.marshal")


def outline(font: Path, gid: int, variant: int, amount: float, pinned: bool) -> Outline:
    """`notes.glyphs.variant_outline`, from the store when it holds it."""
    store = _store(font, cache_folder())
    key = (gid, variant, float(amount), bool(pinned))
    found = store.get(key)
    if found is None:
        from notes.glyphs import variant_outline

        found = variant_outline(font, gid, variant, amount, pinned)
        store.put(key, found)
    return found
