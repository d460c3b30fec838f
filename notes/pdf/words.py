"""Words as PDF: glyph shapes as form objects placed by matrix, font text, the text layer.

Glyphs are written as raw content-stream operators (one matrix per glyph, size folded in):
through reportlab's text object, per-glyph placement is about 14x slower. reportlab's text
object is still what encodes each character, once per character and document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import groupby

from reportlab.pdfbase.pdfdoc import (
    PDFArray,
    PDFDictionary,
    PDFObjectReference,
    PDFResourceDictionary,
    xObjectName,
)

from notes.drawing import Glyph, GlyphTable, Group, Item, Outline, TextRun, Word
from notes.pdf.fonts import register
from notes.pdf.placing import FORM_UNITS, Placer

_OPERATORS = {"M": "%.1f %.1f m", "L": "%.1f %.1f l", "C": "%.1f %.1f %.1f %.1f %.1f %.1f c"}
# A form's matrix: its outline is in font units, its placement in thousandths of them.
_FORM_MATRIX = PDFArray([1 / FORM_UNITS, 0, 0, 1 / FORM_UNITS, 0, 0])
_SHOWN = re.compile(r" (/\S+) 1 Tf .*? \((.*)\) Tj ET$", re.S)


def _num(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


class _Form:
    __slots__ = ("name", "operand")

    def __init__(self, name: str):
        self.name = name  # reportlab's form name; also its key in the shared dictionary
        self.operand = "/" + name  # what `Do` draws: short, as it is written once per letter


class WordWriter:
    """Draws words on one canvas; remembers the document's forms and character codes."""

    def __init__(self, canvas, glyphs: GlyphTable, xobjects: PDFDictionary):
        self.canvas = canvas
        self.glyphs = glyphs
        self.forms: dict[int, _Form | None] = {}  # glyph id -> its form (None: no outline)
        self.placer = Placer(glyphs)
        self.made = 0  # forms made: the next one's number
        self.xobjects = xobjects  # the document's one XObject dictionary, shared by every page
        self.codes: dict[tuple[str, str], tuple[str, str]] = {}  # (font, char) -> codes
        self.runs: dict[tuple[str, str], list[tuple[str, str]]] = {}  # (font, text) -> codes
        self.inks: dict[tuple[float, float, float], str] = {}  # a shade -> its operators

    def make_forms(self, items: Iterable[Item]) -> None:
        """A form for every outline shape the items use that the document does not have yet."""
        for item in items:
            if isinstance(item, Group):
                self.make_forms(item.items)
            elif isinstance(item, Word) and item.text is not None:
                used = item.placing.forms if item.placing else (g.glyph for g in item.glyphs)
                for glyph_id in used:
                    if glyph_id not in self.forms:
                        self.forms[glyph_id] = self._make_form(self.glyphs[glyph_id])

    def _make_form(self, glyph: Glyph) -> _Form | None:
        if not glyph.outline:
            return None  # a space, or a mark with no outline
        upem = glyph.font.units_per_em
        form = _Form(f"g{self.made}")
        self.made += 1
        self.canvas.beginForm(form.name, -upem, -upem, 2 * upem, 2 * upem)
        self.canvas.addLiteral(outline_operators(glyph.outline, glyph.filled))
        # A glyph form is a bare path: without this it would list every font of the document,
        # which readers (pypdf's text extraction) then parse once per form.
        resources = PDFResourceDictionary()
        resources.basicProcs()
        self.canvas.endForm(Resources=resources, Matrix=_FORM_MATRIX)
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

    def _ink(self, ink: tuple[float, float, float]) -> str:
        """Fill and stroke colour operators, each channel to 1/100 (at most 1.3 of 255 levels
        off: no eye tells, and a page's words then share a few shades that deflate well)."""
        r, g, b = ink
        shade = (round(r, 2), round(g, 2), round(b, 2))
        found = self.inks.get(shade)
        if found is None:
            r, g, b = (_num(c) for c in shade)
            found = self.inks[shade] = f"{r} {g} {b} rg {r} {g} {b} RG"
        return found

    def _outlined(self, word: Word, out: list[str]) -> None:
        placed = word.placing or self.placer.placing(word)  # or by a batch's planner
        if placed.forms:
            forms = self.forms
            out.append(placed.operators % tuple([forms[g].operand for g in placed.forms]))

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
        """Invisible text (render mode 3) under outlined words, in the order they were typed:
        each word placed by its move from the one before, its font set when it changes."""
        if not words:
            return
        out.append("BT 3 Tr")
        x = y = 0  # hundredths of a point: moves between rounded places add up exactly
        selected = None
        for word in sorted(words, key=lambda w: w.text.order):
            text = word.text
            to_x, to_y = round(text.x * 100), round(text.y * 100)
            down = f"{(to_y - y) / 100:.2f}" if to_y != y else "0"  # words on a line: 0
            line = [f"{(to_x - x) / 100:.2f} {down} Td"]
            x, y = to_x, to_y
            for run in text.runs:
                size = f"{text.size * run.scale:.2f}"
                for font, shown in self.shown(run):
                    if (font, size) != selected:
                        line.append(f"{font} {size} Tf")
                        selected = (font, size)
                    line.append(f"({shown}) Tj")
            out.append(" ".join(line))
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
