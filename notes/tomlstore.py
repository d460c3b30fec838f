"""The TOML every start reads (fonts/catalog.toml, templates/languages.toml, each template's
metadata), parsed once and kept on disk under a hash of its text.

Importing tomllib and parsing them cost `notes write` ~4 ms. A document's parse depends only on
its text (and the Python that parsed it), so it is stored under a hash of both, written whole and
then renamed, and read back with marshal, which keeps every value TOML has but dates and times
(a document with one is parsed each time). Invalid TOML is never stored: tomllib.TOMLDecodeError
(a ValueError) comes from tomllib itself, as before.
"""

from __future__ import annotations

import hashlib
import marshal
import sys
from pathlib import Path
from typing import Any

from notes.diskcache import cache_folder, write_cache_file


def _path(text: str) -> Path:
    digest = hashlib.sha256(sys.version.encode())
    digest.update(text.encode("utf-8", "surrogatepass"))
    return cache_folder("toml") / f"{digest.hexdigest()[:32]}.marshal"


def loads(text: str) -> dict[str, Any]:
    """tomllib.loads(text), from the store when this text was parsed before."""
    path = _path(text)
    try:
        found = marshal.loads(path.read_bytes())
        if isinstance(found, dict):
            return found
    except (OSError, ValueError, EOFError, TypeError):
        pass  # not parsed yet, or a damaged file: parsed (and stored) anew
    import tomllib

    data = tomllib.loads(text)
    try:
        encoded = marshal.dumps(data)
    except ValueError:  # a date or time: marshal does not write them
        return data
    write_cache_file(path, encoded)
    return data
