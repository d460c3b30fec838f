"""The invisible text layer: a word's text kept by its planner's runs, never for another size."""

from __future__ import annotations

import io

from notes.drawing import GlyphTable, Text, TextRun
from notes.pdf.fonts import DocumentFonts
from notes.pdf.objects import PdfObjects
from notes.pdf.textlayer import TextLayer
from notes.pdf.words import WordWriter
from notes.render import Renderer, Style

NOTE = "Dear Ana,\nthank you for the blue teapot!"


def _writer() -> WordWriter:
    return WordWriter(PdfObjects(io.BytesIO()), GlyphTable(), DocumentFonts())


def _words():
    return [word for word in Renderer(Style()).plan(NOTE, key="Ana").words if word.text]


def _layer(words) -> str:
    out: list[str] = []
    _writer().layer.write([word.text for word in words], out)
    return "\n".join(out)


def test_the_same_runs_at_another_size_show_that_size():
    word = _words()[0]
    bigger = word._replace(text=word.text._replace(size=word.text.size * 2, x=0.0))
    assert bigger.text.runs is word.text.runs  # the planner's own tuple, found by identity
    layer = _layer([word, bigger])
    sizes = [line.split(" Tf")[0].split()[-1] for line in layer.splitlines() if " Tf" in line]
    assert sizes == [f"{word.text.size:.2f}", f"{bigger.text.size:.2f}"]


def test_runs_kept_are_bounded_and_what_is_written_stays_the_same():
    words = _words()
    # Each word a copy of its runs (as a word written afresh brings): a new tuple each time.
    fresh = [
        w._replace(text=w.text._replace(runs=tuple(TextRun(*r) for r in w.text.runs)))
        for w in words
    ]
    assert _layer(fresh) == _layer(words)
    layer = TextLayer(_writer()._run_pieces, keep=3, moves=3)
    out: list[str] = []
    layer.write([word.text for word in fresh], out)
    assert len(layer.by_runs) <= 3 and len(layer.moves) <= 3
    assert "\n".join(out) == _layer(words)


def test_a_word_with_no_text_to_show_only_moves():
    word = _words()[1]
    empty = word._replace(text=Text((), word.text.x + 50, word.text.y, word.text.size, (9, 0)))
    lines = _layer([word, empty]).splitlines()
    assert lines[-2].endswith(" 0 Td") and " Tj" not in lines[-2] and " Tj" in lines[-3]
