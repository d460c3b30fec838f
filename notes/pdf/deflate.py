"""Deflate (FlateDecode) for page content streams, through libdeflate.

Measured on a page of 21 KB of glyph operators (2-core machine): zlib level 6 1.7 ms, 5.74 KB;
libdeflate level 6 0.85 ms, 5.59 KB; libdeflate level 1 0.28 ms but 6.21 KB; isal was faster
still but larger than zlib. Since words are drawn whole (notes.writings) a card's page is ~5 KB
of operators: level 6 147 us, 1349 bytes; level 4 50 us, 1418; level 1 33 us, 1494 (300 pages
of a merge): level 4 keeps most of the size for a third of the time.
"""

from __future__ import annotations

import deflate as libdeflate

LEVEL = 4


def deflate(data: bytes) -> bytes:
    """The zlib format (what FlateDecode reads); the same bytes in give the same bytes out."""
    return bytes(libdeflate.zlib_compress(data, LEVEL))  # it returns a bytearray
