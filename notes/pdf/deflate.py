"""Deflate (FlateDecode) for page content streams, through libdeflate.

Measured on a page of 21 KB of glyph operators (2-core machine): zlib level 6 1.7 ms, 5.74 KB;
libdeflate level 6 0.85 ms, 5.59 KB; libdeflate level 1 0.28 ms but 6.21 KB; isal was faster
still but larger than zlib. Since words are drawn whole (notes.writings) a card's page is ~5 KB
of operators: level 6 147 us, 1349 bytes; level 4 50 us, 1418; level 1 33 us, 1494 (300 pages
of a merge). Level 4 kept most of level 6's size for a third of its time; once the rest of a
card got faster, deflate was 8 % of a merge, and level 1 costs 35 us a page against level 4's
57 us for 3 % more bytes (1000-card merge 3.91 against 3.79 KB a card; 20 000 cards 2.00 against
1.91), so level 1.
"""

from __future__ import annotations

import deflate as libdeflate

LEVEL = 1


def deflate(data: bytes) -> bytes:
    """The zlib format (what FlateDecode reads); the same bytes in give the same bytes out."""
    return bytes(libdeflate.zlib_compress(data, LEVEL))  # it returns a bytearray
