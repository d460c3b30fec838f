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
import weakref
from collections.abc import Callable
from functools import cache, partial
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


class IndexedStore:
    """One font's stored values in one file, each read when first asked for: the file is an
    index (key -> where its value lies) and then the values, each marshalled on its own. A
    card draws ~90 of the thousands of outlines its font's store comes to hold: reading and
    unmarshalling all of them (~3 MB) cost `notes write` ~5 ms. The file is kept open and each
    value read at its place (a store is replaced by a rename, so the open file stays the one
    the index describes); not mapped: a file cut short under a mapping kills the process.
    Values added during a run are written back when the process ends, as DiskStore's are."""

    MAGIC = b"notes indexed store 1\n"

    def __init__(self, path: Path):
        self.path = path
        self.index: dict = {}  # key -> (offset, length) of its value among the values
        self.read: Callable[[int, int], bytes] = _nothing  # (offset, length) -> its bytes
        self.new: dict = {}  # key -> its value, marshalled
        try:
            self.index, self.read = _open_index(self, path, self.MAGIC)
        except (OSError, ValueError, EOFError, TypeError):
            pass  # none yet, or unreadable: computed again and written anew

    def get(self, key: object) -> object | None:
        """The value stored under `key`, or None (also for a value the file holds damaged)."""
        found = self.new.get(key)
        try:
            if found is None:
                where = self.index.get(key)
                if where is None:
                    return None
                found = self.read(*where)
            return marshal.loads(found)
        except _DAMAGED:
            return None  # a damaged index or value, a file cut short: computed again

    def put(self, key: object, value: object) -> None:
        self.new[key] = marshal.dumps(value)
        if len(self.new) == 1:
            atexit.register(self.save)

    def save(self) -> None:
        """Merged with what another run may have stored meanwhile; replaced in one rename."""
        if not self.new:
            return
        stored = IndexedStore(self.path)
        values = {}
        for key, where in stored.index.items():
            try:
                values[key] = stored.read(*where)
            except _DAMAGED:
                pass  # damaged: left out
        values.update(self.new)
        index, offset = {}, 0
        for key, value in values.items():
            index[key] = (offset, len(value))
            offset += len(value)
        head = marshal.dumps(index)
        data = b"".join([self.MAGIC, len(head).to_bytes(8, "little"), head, *values.values()])
        if write_cache_file(self.path, data):
            self.new.clear()


# What reading a damaged store raises: its index or a value, or the file cut short.
_DAMAGED = (ValueError, EOFError, TypeError, OSError, OverflowError)


def _open_index(
    store: IndexedStore, path: Path, magic: bytes
) -> tuple[dict, Callable[[int, int], bytes]]:
    """An indexed store's index, and how to read a value's bytes from the file as it was opened
    (on Windows read whole: a file held open cannot be renamed over there)."""
    if os.name == "nt":
        read: Callable[[int, int], bytes] = partial(_sliced, path.read_bytes())
    else:
        descriptor = os.open(path, os.O_RDONLY)  # index and values from this one file
        weakref.finalize(store, os.close, descriptor)
        read = partial(_read_at, descriptor, os.fstat(descriptor).st_size)
    index, start = _index(read, magic)
    return index, lambda offset, length: read(start + offset, length)


def _index(read: Callable[[int, int], bytes], magic: bytes) -> tuple[dict, int]:
    """A store's index and where its values start, read with `read(offset, length)`."""
    head = read(0, len(magic) + 8)
    if head[: len(magic)] != magic:
        raise ValueError("not an indexed store")
    length = int.from_bytes(head[len(magic) :], "little")
    index = marshal.loads(read(len(head), length))
    if not isinstance(index, dict):
        raise ValueError("a damaged index")
    return index, len(head) + length


def _read_at(descriptor: int, size: int, offset: int, length: int) -> bytes:
    """`length` bytes at `offset` of a file that was `size` bytes long when opened."""
    _refuse_outside(offset, length, size)
    found = os.pread(descriptor, length, offset)
    if len(found) != length:
        raise EOFError("the file was cut short")
    return found


def _sliced(whole: bytes, offset: int, length: int) -> bytes:
    _refuse_outside(offset, length, len(whole))
    return whole[offset : offset + length]


def _refuse_outside(offset: int, length: int, size: int) -> None:
    """A damaged index's place is refused, not read (a huge length would be allocated)."""
    if offset < 0 or length < 0 or offset + length > size:
        raise ValueError("a damaged index")


def _nothing(offset: int, length: int) -> bytes:
    raise EOFError("no store")


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
    return DiskStore(_font_store_path(font, folder, code))


@cache
def indexed_font_store(font: Path, folder: Path, code: bytes) -> IndexedStore:
    """`font_store` for values a run reads only a few of (a card draws ~90 of thousands)."""
    return IndexedStore(_font_store_path(font, folder, code))


def _font_store_path(font: Path, folder: Path, code: bytes) -> Path:
    key = hashlib.sha256(font_digest(font) + code).hexdigest()[:32]
    return folder / f"{key}.marshal"


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
