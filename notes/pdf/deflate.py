"""Deflate (FlateDecode) for page content streams."""

from __future__ import annotations

import zlib


def deflate(data: bytes) -> bytes:
    return zlib.compress(data)
