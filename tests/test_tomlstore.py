"""Parsed TOML kept on disk (notes.tomlstore): the same dict as tomllib's, read back in a later
run; invalid TOML raises as tomllib raises and is never stored; a damaged file is parsed anew."""

from __future__ import annotations

import marshal
import os
import tomllib
from pathlib import Path

import pytest

from notes import tomlstore

CATALOG = (
    '[[font]]\nid = "caveat"\nsize = 17.5\nscripts = ["latin", "cyrillic"]\nconnected = true\n'
)


def _stored() -> list[Path]:
    folder = Path(os.environ["XDG_CACHE_HOME"]) / "notes" / "toml"
    return sorted(folder.glob("*.marshal")) if folder.is_dir() else []


def test_a_document_is_parsed_once_and_read_back_as_tomllib_parsed_it():
    assert tomlstore.loads(CATALOG) == tomllib.loads(CATALOG)
    (path,) = _stored()
    # What a later run reads is the file: given another dict, it returns that one.
    path.write_bytes(marshal.dumps({"font": []}))
    assert tomlstore.loads(CATALOG) == {"font": []}


def test_invalid_toml_raises_as_tomllib_does_and_is_not_stored():
    with pytest.raises(tomllib.TOMLDecodeError, match="line 2"):
        tomlstore.loads('title = "Thanks"\nrequired = [name]\n')
    assert _stored() == []


def test_a_document_with_a_date_is_parsed_every_time():
    text = "sent = 2026-11-26\n"
    assert tomlstore.loads(text) == tomllib.loads(text)
    assert _stored() == []  # marshal has no dates


def test_a_damaged_file_is_parsed_anew():
    tomlstore.loads(CATALOG)
    (path,) = _stored()
    path.write_bytes(b"\x00 damaged")
    assert tomlstore.loads(CATALOG) == tomllib.loads(CATALOG)
    assert marshal.loads(path.read_bytes()) == tomllib.loads(CATALOG)
