"""Deformed outlines kept on disk: a second `notes write` reads them and needs no fontTools."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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
