"""The user's cache folder, and the files notes keeps there so a card from the shell starts fast:
deformed outlines (notes.outlinestore), a font's measures (notes.fontmeasures), compiled
templates (notes.templatestore), parsed TOML (notes.tomlstore).

Everything stored is what a computation gave for inputs named by a hash in the file's name, so
a file is never out of date: a change to the inputs is another file. A file is written whole and
then renamed; one that cannot be read or written is only a slower run.
"""

from __future__ import annotations

import atexit
import hashlib
import importlib.util
import marshal
import os
from functools import cache
from pathlib import Path

from notes.fontfile import font_bytes


def cache_folder(kind: str) -> Path:
    """The folder of one kind of stored results ("outlines", "measures", "templates", "toml")."""
    env = os.environ
    return _folder(kind, env.get("XDG_CACHE_HOME"), env.get("HOME"), env.get("LOCALAPPDATA"))


@cache
def _folder(kind: str, *where: str | None) -> Path:
    """platformdirs' answer, asked once for the variables it reads (`where`): a card asks for
    each of its letters, and platformdirs looks at the environment and the platform each time."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("notes")) / kind


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
        if write_cache_file(self.path, marshal.dumps(merged)):
            self.new.clear()


def write_cache_file(path: Path, data: bytes) -> bool:
    """Write a cache file whole, then rename it into place (a reader never sees half of it).
    False when it cannot be written (a read-only or full disk, a file where the folder was):
    whatever it holds is computed again next time."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        tmp.replace(path)
        return True
    except OSError:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        return False


@cache
def font_digest(font: Path) -> bytes:
    """A hash of the font file's bytes (of its name when it cannot be read: the caller
    reports an unreadable font)."""
    try:
        return hashlib.sha256(font_bytes(font)).digest()
    except OSError:
        return hashlib.sha256(str(font).encode()).digest()


@cache
def font_store(font: Path, folder: Path, code: bytes) -> DiskStore:
    """The store of what `code` (the source of what computes the values) made of `font`."""
    key = hashlib.sha256(font_digest(font) + code).hexdigest()[:32]
    return DiskStore(folder / f"{key}.marshal")


@cache
def package_identity(name: str) -> bytes:
    """An installed package's build, found without importing it: the names, sizes and times of
    its files (a new version or build changes them). Empty when it is not installed."""
    spec = importlib.util.find_spec(name)
    parts = []
    for folder in (spec and spec.submodule_search_locations) or ():
        with os.scandir(folder) as entries:
            files = (e for e in entries if e.is_file())
            parts.append(
                repr(sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in files))
            )
    return "\0".join(parts).encode()
