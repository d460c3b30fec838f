"""What notes computes from a font file, kept on disk, so one card from the shell needs neither
fontTools nor HarfBuzz.

Deforming a card's ~90 outlines and importing fontTools to read them costs more than the rest of
`notes write`. The outlines depend only on the font file and the variation code, so they are
stored per font in the user's cache folder, keyed by a hash of the font's bytes and of
notes/glyphs.py (any change to the variation makes a new store; old ones are never read). A
store that cannot be read or written is only a slower run: the outline is computed as before.
Floats go through `marshal` exactly, so a stored outline is the computed one, bit for bit.
notes.fontmeasures keeps HarfBuzz's measures of a font (cmap, widths, kerning) the same way.
"""

from __future__ import annotations

import atexit
import hashlib
import marshal
import os
from functools import cache, partial
from pathlib import Path

from notes.drawing import Outline, PathOp

_GLYPHS_SOURCE = Path(__file__).with_name("glyphs.py")
Key = tuple[int, int, float, bool]  # glyph id, variant, amount, pinned

# A stored outline's steps made PathOps in C: PathOp(op, points) runs a Python __new__ per step,
# half the time of reading a card's ~7,000 steps back. The store holds (op, points) pairs only.
_path_op = partial(tuple.__new__, PathOp)


def cache_folder() -> Path:
    env = os.environ
    return _cache_folder(env.get("XDG_CACHE_HOME"), env.get("HOME"), env.get("LOCALAPPDATA"))


@cache
def _cache_folder(*where: str | None) -> Path:
    """platformdirs' answer, asked once for the variables it reads (`where`): a card asks for
    each of its letters, and platformdirs looks at the environment and the platform each time."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("notes")) / "outlines"


class DiskStore:
    """One font's stored values (anything marshal writes), in one file read whole once; the
    values added during a run are written back when the process ends."""

    def __init__(self, path: Path):
        self.path = path
        self.values: dict = {}
        self.new: dict = {}
        self.decoded: dict = {}  # what its users made of stored values, by key
        try:
            loaded = marshal.loads(path.read_bytes())
            if isinstance(loaded, dict):
                self.values = loaded
        except (OSError, ValueError, EOFError, TypeError):
            pass  # none yet, or unreadable: computed again and written anew

    def put(self, key: object, value: object) -> None:
        self.values[key] = self.new[key] = value
        if len(self.new) == 1:
            atexit.register(self.save)

    def save(self) -> None:
        """Merged with what another run may have stored meanwhile; replaced in one rename."""
        if not self.new:
            return
        merged = {**DiskStore(self.path).values, **self.new}
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(marshal.dumps(merged))
            tmp.replace(self.path)
            self.new.clear()
        except OSError:  # a read-only or full disk, a file where the folder was: computed again
            try:
                tmp.unlink(missing_ok=True)
            except OSError:
                pass


@cache
def font_digest(font: Path) -> bytes:
    """A hash of the font file's bytes (of its name when it cannot be read: the caller
    reports an unreadable font)."""
    try:
        return hashlib.sha256(font.read_bytes()).digest()
    except OSError:
        return hashlib.sha256(str(font).encode()).digest()


@cache
def font_store(font: Path, folder: Path, code: bytes) -> DiskStore:
    """The store of what `code` (the source of what computes the values) made of `font`."""
    key = hashlib.sha256(font_digest(font) + code).hexdigest()[:32]
    return DiskStore(folder / f"{key}.marshal")


@cache
def _glyphs_code() -> bytes:
    try:
        return _GLYPHS_SOURCE.read_bytes()
    except OSError:
        return b""


def outline(font: Path, gid: int, variant: int, amount: float, pinned: bool) -> Outline:
    """`notes.glyphs.variant_outline`, from the store when it holds it."""
    store = font_store(font, cache_folder(), _glyphs_code())
    key = (gid, variant, float(amount), bool(pinned))
    found = store.decoded.get(key)
    if found is not None:
        return found
    encoded = store.values.get(key)
    if encoded is not None:
        found = tuple(map(_path_op, marshal.loads(encoded)))
    else:
        from notes.glyphs import variant_outline

        found = variant_outline(font, gid, variant, amount, pinned)
        store.put(key, marshal.dumps(tuple((op, tuple(points)) for op, points in found)))
    store.decoded[key] = found
    return found
