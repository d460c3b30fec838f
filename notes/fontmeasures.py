"""HarfBuzz's measures of a font file (cmap, advance widths, metrics, pair kerning, ink boxes),
kept on disk, so a card that needs no shaping (Latin, Greek, Cyrillic, CJK) starts without it.

Importing uharfbuzz and reading a font with it cost `notes write` ~15 ms. What it answers depends
only on the font's bytes, on HarfBuzz's build and on the code that asks (this module,
notes/fontfile.py, notes/lettersize.py), so the answers are stored per font under a hash of all
of them (notes.diskcache) and read back exactly: marshal keeps ints, floats and dict order, so
a stored answer is HarfBuzz's, and the PDFs are byte for byte those HarfBuzz gives directly.

Kerning is asked pair by pair; the first pair of printable ASCII characters measures all of them
(~9,000 pairs, ~30 ms, once per font), so a card in plain English never opens HarfBuzz again. Any
other pair is measured when a card first uses it. Shaping (Arabic, Devanagari, Thai ...) still
opens HarfBuzz (notes.shaping): a shaped word's glyphs are not stored.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from notes.diskcache import cache_folder, font_digest, font_store, package_identity
from notes.fontfile import FontMetrics, read_font

_CODE = ("fontmeasures.py", "fontfile.py", "lettersize.py")
_ASCII = "".join(map(chr, range(0x20, 0x7F)))
_METRICS = ("metrics",)  # store keys; pairs are plain two-character strings
_ASCII_MEASURED = ("ascii pairs",)
_FEATURES = {"kern": True, "liga": False, "calt": False, "clig": False}
_ASCII_KERNS: dict[bytes, dict[str, float]] = {}  # font file's hash -> its ASCII pairs that kern


@cache
def _code_identity() -> bytes:
    """The source of the code that measures, and HarfBuzz's build."""
    here = Path(__file__).parent
    parts = [(here / name).read_bytes() for name in _CODE]
    return b"\0".join([*parts, package_identity("uharfbuzz")])


class FontMeasures:
    """One font file's measures: from the store, else from HarfBuzz (then stored)."""

    def __init__(self, path: Path, folder: Path):
        self.path = path
        self.store = font_store(path, folder, _code_identity())
        self._hb_font: Any = None

    def metrics(self, font_id: str) -> FontMetrics:
        """notes.fontfile.read_font's answer (a damaged file raises FontError there)."""
        stored = self.store.values.get(_METRICS)
        if stored is None:
            found = read_font(self.path, font_id)
            digest = found.name.rsplit("-", 1)[1]
            stored = (found.units_per_em, found.cmap, found.widths, found.ascent, found.descent)
            stored += (found.cap_height, digest)
            self.store.put(_METRICS, stored)
        upem, cmap, widths, ascent, descent, cap_height, digest = stored
        name = f"notes-{font_id}-{digest}"
        return FontMetrics(self.path, name, upem, cmap, widths, ascent, descent, cap_height)

    def kern(self, left: str, right: str, metrics: FontMetrics) -> float:
        """Pair kerning as a fraction of the em (HarfBuzz's, with the font's GPOS/kern)."""
        pair = left + right
        found = self.store.values.get(pair)
        if found is not None:
            return found
        if left in _ASCII and right in _ASCII:
            if _ASCII_MEASURED not in self.store.values:
                self._measure_ascii_pairs(metrics)
                return self.kern(left, right, metrics)
            return 0.0  # only the pairs that kern are stored
        found = self._shaped_pair_kern(left, right, metrics)
        self.store.put(pair, found)
        return found

    def remembered(self, key: tuple, compute: Callable[[], Any]) -> Any:
        """A measure made by `compute` (which may ask HarfBuzz), stored under `key`."""
        if key in self.store.values:
            return self.store.values[key]
        found = compute()
        self.store.put(key, found)
        return found

    def _measure_ascii_pairs(self, metrics: FontMetrics) -> None:
        # Measured once per font file and process: a process that moves to another cache
        # folder (the tests: one per test) fills the new store from memory.
        key = font_digest(self.path)
        kerning = _ASCII_KERNS.get(key)
        if kerning is None:
            pairs = (left + right for left in _ASCII for right in _ASCII)
            shaped = ((pair, self._shaped_pair_kern(pair[0], pair[1], metrics)) for pair in pairs)
            kerning = _ASCII_KERNS[key] = {pair: value for pair, value in shaped if value != 0.0}
        for pair, value in kerning.items():
            self.store.put(pair, value)
        self.store.put(_ASCII_MEASURED, True)

    def _shaped_pair_kern(self, left: str, right: str, metrics: FontMetrics) -> float:
        import uharfbuzz as hb

        if self._hb_font is None:
            self._hb_font = hb.Font(hb.Face(hb.Blob.from_file_path(str(self.path))))
        buf = hb.Buffer()
        buf.add_str(left + right)
        buf.guess_segment_properties()
        hb.shape(self._hb_font, buf, _FEATURES)
        positions = buf.glyph_positions
        if len(positions) != 2:
            return 0.0
        upem = self._hb_font.face.upem
        advance = metrics.widths.get(ord(left), 0) / 1000
        return (positions[0].x_advance - advance * upem) / upem


@cache
def _measures(path: Path, folder: Path) -> FontMeasures:
    return FontMeasures(path, folder)


def measures_of(path: Path) -> FontMeasures:
    """The measures of the font at `path`, one object per file and cache folder."""
    return _measures(path, cache_folder("measures"))
