"""Words as PDF: glyph shapes as form objects placed by matrix, font text, the text layer.

Glyphs are written as raw content-stream operators (one matrix per glyph, size folded in):
through reportlab's text object, per-glyph placement is about 14x slower. reportlab's text
object is still what encodes each character, once per character and document.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from itertools import groupby

from reportlab.pdfbase.pdfdoc import (
    PDFDictionary,
    PDFObjectReference,
    PDFResourceDictionary,
    xObjectName,
)

from notes.drawing import Glyph, GlyphTable, Group, Item, Outline, TextRun, Word
from notes.pdf.fonts import register

_OPERATORS = {"M": "%.1f %.1f m", "L": "%.1f %.1f l", "C": "%.1f %.1f %.1f %.1f %.1f %.1f c"}
# A glyph placed: stroke width (pen pressure), its matrix with the size folded in, its form.
_PLACE = "q %.1f w %.5f %.5f %.5f %.5f %.2f %.2f cm %s Do Q"
_SHOWN = re.compile(r" (/\S+) 1 Tf .*? \((.*)\) Tj ET$", re.S)


def _num(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class _Form:
    __slots__ = ("name", "operand", "scale")

    def __init__(self, name: str, scale: float):
        self.name = name  # reportlab's form name; also its key in the shared dictionary
        self.operand = "/" + name  # what `Do` draws: short, as it is written once per letter
        self.scale = scale  # font units -> ems


class WordWriter:
    """Draws words on one canvas; remembers the document's forms and character codes."""

    def __init__(self, canvas, glyphs: GlyphTable, xobjects: PDFDictionary):
        self.canvas = canvas
        self.glyphs = glyphs
        self.forms: dict[int, _Form | None] = {}  # glyph id -> its form (None: no outline)
        self.xobjects = xobjects  # the document's one XObject dictionary, shared by every page
        self.codes: dict[tuple[str, str], tuple[str, str]] = {}  # (font, char) -> codes
        self.runs: dict[tuple[str, str], list[tuple[str, str]]] = {}  # (font, text) -> codes

    def make_forms(self, items: Iterable[Item]) -> None:
        """A form for every outline shape the items use that the document does not have yet."""
        for item in items:
            if isinstance(item, Group):
                self.make_forms(item.items)
            elif isinstance(item, Word) and item.text is not None:
                for placed in item.glyphs:
                    if placed.glyph not in self.forms:
                        self.forms[placed.glyph] = self._make_form(self.glyphs[placed.glyph])

    def _make_form(self, glyph: Glyph) -> _Form | None:
        if not glyph.outline:
            return None  # a space, or a mark with no outline
        upem = glyph.font.units_per_em
        form = _Form(f"g{len(self.forms)}", 1.0 / upem)
        self.canvas.beginForm(form.name, -upem, -upem, 2 * upem, 2 * upem)
        self.canvas.addLiteral(outline_operators(glyph.outline, glyph.filled))
        # A glyph form is a bare path: without this it would list every font of the document,
        # which readers (pypdf's text extraction) then parse once per form.
        resources = PDFResourceDictionary()
        resources.basicProcs()
        self.canvas.endForm(Resources=resources)
        self.xobjects[form.name] = PDFObjectReference(xObjectName(form.name))
        return form

    def draw(self, words: list[Word]) -> None:
        """Append words to the page: outlines as forms, font text, then the text layer."""
        out: list[str] = []
        text_open = False
        ink = weight = selector = None
        for word in words:
            if word.ink != ink:
                out.append(self._ink(word.ink))
                ink = word.ink
            if word.text is not None:
                if text_open:
                    out.append("ET")
                    text_open = False
                self._outlined(word, out)
                continue
            if not text_open:
                out.append("BT")
                text_open, selector, weight = True, None, None
            if word.weight != weight:
                out.append(f"2 Tr {_num(word.weight)} w" if word.weight > 0 else "0 Tr")
                weight = word.weight
            selector = self._font_text(word, out, selector)
        if text_open:
            out.append("ET")
        self._text_layer([w for w in words if w.text is not None], out)
        self.canvas.addLiteral("\n".join(out))

    @staticmethod
    def _ink(ink: tuple[float, float, float]) -> str:
        """Fill and stroke colour operators (every word has its own shade: not worth caching)."""
        r, g, b = (_num(c) for c in ink)
        return f"{r} {g} {b} rg {r} {g} {b} RG"

    def _outlined(self, word: Word, out: list[str]) -> None:
        weight = word.weight
        forms = self.forms
        values: list = []
        for glyph, a, b, c, d, e, f in word.glyphs:
            form = forms[glyph]
            if form is None:
                continue
            scale = form.scale
            # Stroke width is read in the glyph's own units when the form strokes its outline.
            width = weight / (math.hypot(a, b) * scale) if weight > 0 else 0
            values += (width, a * scale, b * scale, c * scale, d * scale, e, f, form.operand)
        if values:
            # One %-format for the whole word: the cheapest way to write its numbers (profiled).
            out.append("\n".join([_PLACE] * (len(values) // 8)) % tuple(values))

    def _font_text(self, word: Word, out: list[str], selector: str | None) -> str | None:
        glyphs = self.glyphs
        for glyph_id, a, b, c, d, e, f in word.glyphs:
            glyph = glyphs[glyph_id]
            font, show = self.code(glyph.font, glyph.char)
            if font != selector:
                out.append(f"{font} 1 Tf")
                selector = font
            # One %-format per glyph is the cheapest way to write six numbers (profiled).
            out.append("%.3f %.3f %.3f %.3f %.2f %.2f Tm (%s) Tj" % (a, b, c, d, e, f, show))  # noqa: UP031
        return selector

    def _text_layer(self, words: list[Word], out: list[str]) -> None:
        """Invisible text (render mode 3) under outlined words, in the order they were typed."""
        if not words:
            return
        out.append("BT 3 Tr")
        for word in sorted(words, key=lambda w: w.text.order):
            text = word.text
            out.append(f"1 0 0 1 {text.x:.2f} {text.y:.2f} Tm")
            for run in text.runs:
                size = f"{text.size * run.scale:.2f}"
                out.extend(f"{font} {size} Tf ({shown}) Tj" for font, shown in self.shown(run))
        out.append("ET")

    def shown(self, run: TextRun) -> list[tuple[str, str]]:
        """(font subset, escaped bytes) pieces that show a run's text; words repeat: cached."""
        key = (run.font.name, run.text)
        found = self.runs.get(key)
        if found is None:
            codes = [self.code(run.font, char) for char in run.text]
            found = self.runs[key] = [
                (font, "".join(code[1] for code in group))
                for font, group in groupby(codes, key=lambda code: code[0])
            ]
        return found

    def code(self, face, char: str) -> tuple[str, str]:
        """(font subset, escaped bytes) that show `char` in this document, from reportlab's text
        object: asked once per character, then cached."""
        key = (face.name, char)
        found = self.codes.get(key)
        if found is None:
            text = self.canvas.beginText()
            text.setFont(register(face), 1)
            text.textOut(char)
            match = _SHOWN.search(text.getCode())
            found = self.codes[key] = (match.group(1), match.group(2))
        return found


def outline_operators(outline: Outline, filled: bool = True) -> str:
    """A glyph outline as path operators: filled and stroked (the stroke width is set by the
    placement, as pen pressure), or only stroked for a stroke font's centre lines."""
    ops = " ".join(_OPERATORS[op] % points if op != "Z" else "h" for op, points in outline)
    return ops + (" B" if filled else " S")
