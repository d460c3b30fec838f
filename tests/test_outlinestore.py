"""Deformed outlines kept on disk: a second `notes write` reads them and needs no fontTools."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

WRITE = ["-m", "notes", "write", "--force", "--template", "thank-you", "--set", "name=Ana Souza",
         "--set", "product=blue teapot"]  # fmt: skip
HEAVY = ("fontTools", "numpy", "faker", "babel")


def _write(out: Path, cache: Path) -> set[str]:
    """Run `notes write` in a fresh interpreter; the heavy packages it imported."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    result = subprocess.run(
        [sys.executable, "-X", "importtime", *WRITE, "-o", str(out)],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
    return {name.split(".")[0] for name in imported if name.split(".")[0] in HEAVY}


def test_second_write_reads_outlines_from_the_cache(tmp_path):
    cache = tmp_path / "cache"
    first = _write(tmp_path / "first.pdf", cache)
    assert "fontTools" in first  # nothing stored yet: outlines read from the font
    assert list((cache / "notes" / "outlines").glob("*.marshal"))
    assert _write(tmp_path / "second.pdf", cache) == set()
    assert (tmp_path / "first.pdf").read_bytes() == (tmp_path / "second.pdf").read_bytes()


def test_an_unwritable_cache_only_costs_time(tmp_path):
    cache = tmp_path / "cache"
    cache.write_text("a file where the cache folder would be")
    _write(tmp_path / "card.pdf", cache)
    _write(tmp_path / "again.pdf", cache)
    assert (tmp_path / "card.pdf").read_bytes() == (tmp_path / "again.pdf").read_bytes()


def test_a_corrupt_store_is_rebuilt(tmp_path):
    cache = tmp_path / "cache"
    _write(tmp_path / "card.pdf", cache)
    (store,) = (cache / "notes" / "outlines").glob("*.marshal")
    store.write_bytes(b"\x00not marshal")
    assert "fontTools" in _write(tmp_path / "again.pdf", cache)
    assert (tmp_path / "card.pdf").read_bytes() == (tmp_path / "again.pdf").read_bytes()
    assert _write(tmp_path / "third.pdf", cache) == set()


def test_a_store_reads_each_value_on_its_own(tmp_path):
    # A card draws ~90 of the thousands of outlines its font's store holds: unmarshalling them
    # all cost `notes write` ~5 ms. A damaged value is then that value's loss only.
    import marshal

    from notes.diskcache import IndexedStore

    path = tmp_path / "store.marshal"
    writer = IndexedStore(path)
    for gid in range(3):
        writer.put((gid, 1, 0.016, False), (("M", (float(gid), 2.5)), ("Z", ())))
    writer.save()
    data = path.read_bytes()
    second = marshal.dumps((("M", (1.0, 2.5)), ("Z", ())))
    assert data.count(second) == 1
    path.write_bytes(data.replace(second, b"\xff" * len(second)))
    reader = IndexedStore(path)
    assert reader.get((0, 1, 0.016, False)) == (("M", (0.0, 2.5)), ("Z", ()))
    assert reader.get((1, 1, 0.016, False)) is None  # computed again by its user
    assert reader.get((2, 1, 0.016, False)) == (("M", (2.0, 2.5)), ("Z", ()))
    assert reader.get((3, 1, 0.016, False)) is None


def test_a_store_keeps_what_another_run_stored_meanwhile(tmp_path):
    from notes.diskcache import IndexedStore

    path = tmp_path / "store.marshal"
    first, second = IndexedStore(path), IndexedStore(path)
    first.put("a", 1)
    second.put("b", 2)
    first.save()
    second.save()
    merged = IndexedStore(path)
    assert (merged.get("a"), merged.get("b")) == (1, 2)


def test_a_store_of_another_format_is_read_as_empty(tmp_path):
    import marshal

    from notes.diskcache import IndexedStore

    path = tmp_path / "store.marshal"
    path.write_bytes(marshal.dumps({"a": 1}))
    assert IndexedStore(path).get("a") is None


def test_a_store_is_read_whole_where_an_open_file_could_not_be_replaced(tmp_path, monkeypatch):
    # Windows refuses to rename over a file held open: there the store is read whole at once.
    from notes import diskcache

    path = tmp_path / "store.marshal"
    writer = diskcache.IndexedStore(path)
    writer.put("a", (1.5, "M"))
    writer.save()
    monkeypatch.setattr(diskcache.os, "name", "nt")
    reader = diskcache.IndexedStore(path)
    path.write_bytes(b"")  # nothing more is read from the file
    assert reader.get("a") == (1.5, "M")
    reader.put("b", 2)
    reader.save()
    assert diskcache.IndexedStore(path).get("b") == 2


def test_a_store_cut_short_while_open_is_only_a_slower_run(tmp_path):
    # Mapped, a file truncated under the mapping killed the process (SIGBUS, no message). In a
    # child process so that a crash fails the test and not the test run.
    path = tmp_path / "store.marshal"
    script = f"""
import os
from pathlib import Path
from notes.diskcache import IndexedStore
path = Path({str(path)!r})
writer = IndexedStore(path)
for n in range(3000):
    writer.put(n, tuple(range(n % 50)) * 10)
writer.save()
reader = IndexedStore(path)
os.truncate(path, 100)  # as a cache cleaner or `cp` over it would
print(reader.get(2999))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (0, "None\n"), done.stderr


def test_a_store_replaced_after_it_was_opened_reads_the_file_it_opened(tmp_path):
    from notes.diskcache import IndexedStore

    path = tmp_path / "store.marshal"
    first = IndexedStore(path)
    first.put("a", "first")
    first.save()
    reader = IndexedStore(path)
    other = IndexedStore(path.with_name("other.marshal"))
    other.put("z", "z" * 50)
    other.put("a", "other")
    other.save()
    path.with_name("other.marshal").replace(path)  # another run's store renamed over it
    assert reader.get("a") == "first"


@pytest.mark.parametrize("where", [("x", 1), (-5, 3), (0, -1), 7, (10**6, 4), (0, 10**15)])
def test_a_damaged_index_entry_is_that_values_loss_only(tmp_path, where):
    import marshal

    from notes.diskcache import IndexedStore

    path = tmp_path / "store.marshal"
    writer = IndexedStore(path)
    writer.put("a", 1)
    writer.put("b", 2)
    writer.save()
    data = path.read_bytes()
    magic = IndexedStore.MAGIC
    start = len(magic) + 8
    index = marshal.loads(data[start : start + int.from_bytes(data[len(magic) : start], "little")])
    index["a"] = where
    head = marshal.dumps(index)
    values = data[start + int.from_bytes(data[len(magic) : start], "little") :]
    path.write_bytes(magic + len(head).to_bytes(8, "little") + head + values)
    reader = IndexedStore(path)
    assert (reader.get("a"), reader.get("b")) == (None, 2)
    reader.put("c", 3)
    reader.save()  # the damaged entry is left out
    assert (IndexedStore(path).get("a"), IndexedStore(path).get("c")) == (None, 3)
