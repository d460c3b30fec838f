"""A font's measures kept on disk (notes.fontmeasures) are HarfBuzz's, exactly: every bundled font,
every printable ASCII pair, read back in a fresh store; and a card planned from the store loads no
HarfBuzz, while one that needs shaping still does and comes out with the same bytes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import uharfbuzz as hb

from notes.fontfile import read_font
from notes.fontmeasures import FontMeasures
from notes.fonts import load_catalog

ASCII = [chr(code) for code in range(0x20, 0x7F)]
OTHER_PAIRS = ["Vé", "ïn", "Ły", "ÅV", "«T", "—A"]


def _harfbuzz_kern(font, upem: int, widths: dict, left: str, right: str) -> float:
    """Pair kerning straight from HarfBuzz, as notes measured it before the store."""
    buf = hb.Buffer()
    buf.add_str(left + right)
    buf.guess_segment_properties()
    hb.shape(font, buf, {"kern": True, "liga": False, "calt": False, "clig": False})
    positions = buf.glyph_positions
    if len(positions) != 2:
        return 0.0
    return (positions[0].x_advance - widths.get(ord(left), 0) / 1000 * upem) / upem


@pytest.mark.parametrize("font_id", sorted(load_catalog()))
def test_stored_measures_are_harfbuzzs_for_every_bundled_font(font_id, tmp_path):
    path = load_catalog()[font_id].path
    direct = read_font(path, font_id)
    measuring = FontMeasures(path, tmp_path)
    measured = measuring.metrics(font_id)
    for pair in ASCII[:3] + OTHER_PAIRS:
        measuring.kern(pair[0], pair[-1], measured)
    measuring.store.save()

    stored = FontMeasures(path, tmp_path)  # a later run: everything from the file
    assert stored.store.values  # the store was written and read back
    metrics = stored.metrics(font_id)
    assert metrics == direct
    assert list(metrics.cmap.items()) == list(direct.cmap.items())  # same order
    assert [type(w) for w in metrics.widths.values()] == [type(w) for w in direct.widths.values()]
    harfbuzz = hb.Font(hb.Face(hb.Blob.from_file_path(str(path))))
    pairs = [(a, b) for a in ASCII for b in ASCII] + [(p[0], p[-1]) for p in OTHER_PAIRS]
    for left, right in pairs:
        expected = _harfbuzz_kern(harfbuzz, direct.units_per_em, direct.widths, left, right)
        assert stored.kern(left, right, metrics) == expected, (left, right)
    assert stored._hb_font is None  # none of it asked HarfBuzz again


def test_a_cache_folder_that_cannot_be_written_only_costs_time(tmp_path):
    path = load_catalog()["caveat"].path
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    measuring = FontMeasures(path, blocked / "measures")
    metrics = measuring.metrics("caveat")
    assert measuring.kern("A", "V", metrics) != 0.0
    measuring.store.save()  # fails quietly: the next run measures again
    assert metrics == read_font(path, "caveat")


# Plans a card in a fresh interpreter; stderr's last line: was HarfBuzz loaded, and the bytes.
PLAN = """
import json, sys
from pathlib import Path
from notes.batch import Job, Planner, Setup
from notes.batchwrite import write_one
from notes.config import Shop
from notes.render import Style

words, out = sys.argv[1], Path(sys.argv[2])
planned = Planner(Setup(Style(), Shop(), "2026-01-05")).plan(Job(1, {}, "blank", words=words))
planning = "uharfbuzz" in sys.modules
write_one(planned, out, force=True)
print(json.dumps({"harfbuzz": planning, "pdf": out.read_bytes().hex()}), file=sys.stderr)
"""


def _plan(words: str, tmp_path: Path, run: str) -> dict:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    out = tmp_path / f"{run}.pdf"
    command = [sys.executable, "-c", PLAN, words, str(out)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    return json.loads(done.stderr.splitlines()[-1])


def test_a_latin_card_plans_without_harfbuzz_once_its_font_is_measured(tmp_path):
    words = "Dear Zoë, thank you for the blue teapot! AVAWAY"
    cold = _plan(words, tmp_path, "cold")
    warm = _plan(words, tmp_path, "warm")
    assert cold["harfbuzz"]  # the first run measured the font
    assert not warm["harfbuzz"]
    assert warm["pdf"] == cold["pdf"]


def test_a_card_that_needs_shaping_still_shapes_with_harfbuzz(tmp_path):
    words = "عزيزي محمد، شكرا جزيلا على طلبك! Thanks"
    cold = _plan(words, tmp_path, "cold")
    warm = _plan(words, tmp_path, "warm")
    assert warm["harfbuzz"]  # Arabic joins its letters: shaped every time
    assert warm["pdf"] == cold["pdf"]
