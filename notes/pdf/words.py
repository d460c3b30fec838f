"""Words as PDF: glyph shapes as form objects placed by matrix, font text, the text layer.

Each outline shape is one form object, written when a page first draws it and named in the
order of first use (so any --jobs gives the same bytes); a batch's planners already wrote every
glyph's placement as operators (notes.pdf.placing), and a note's words as content with holes
for what the document decides (notes.pdf.prepared; `WordWriter.formatted` fills them in, the
same bytes as `draw`). Font text (plain realism) and the invisible text layer (notes.pdf.textlayer)
show 2-byte glyph codes of the document's fonts (notes.pdf.fonts).
"""

from __future__ import annotations

import math
from bisect import bisect_right

from notes.drawing import (
    FontFace,
    FormattedWords,
    Glyph,
    GlyphTable,
    Outline,
    Text,
    Word,
    WordShape,
)
from notes.pdf.fonts import DocumentFonts
from notes.pdf.objects import PdfObjects, number, stream, text_string
from notes.pdf.placing import DRAW_FORM, FORM_UNITS, Placer
from notes.pdf.prepared import WHOLE
from notes.pdf.shades import BOUNDS, Shades
from notes.pdf.textlayer import LayerText, TextLayer, joined

# A word's writing is drawn in place this often before it is made a form (a form costs ~300
# bytes: its box, resources and stream; a use of it ~40): most of a small batch's writings are
# used once or twice.
INLINE_USES = 3
_OPERATORS = {"M": "%.1f %.1f m", "L": "%.1f %.1f l", "C": "%.1f %.1f %.1f %.1f %.1f %.1f c"}
# A form's outline is in font units; its placement in thousandths of them.
_FORM_MATRIX = b"[%s 0 0 %s 0 0]" % ((str(1 / FORM_UNITS).encode(),) * 2)
_TAIL = len(DRAW_FORM)


def shown(codes: bytes) -> str:
    """2-byte codes as a hex string: after deflate, smaller than a literal string of the same
    bytes (4.28 against 4.33 KB a card, measured), and the content stays ASCII."""
    return "<" + codes.hex() + ">"


class WordWriter:
    """Writes one document's words; remembers its forms, fonts and ink shades."""

    def __init__(self, pdf: PdfObjects, glyphs: GlyphTable, fonts: DocumentFonts):
        self.pdf = pdf
        self.glyphs = glyphs
        self.fonts = fonts
        self.forms: dict[int, str | None] = {}  # glyph id -> its form's operand (None: no outline)
        # A word's writing drawn in place, until its form is made: how often, and how (its
        # letters' forms are named for good on the first time: the form draws the same).
        self.inlined: dict[int, tuple[int, str]] = {}
        self.xobjects: list[bytes] = []  # the shared XObject dictionary's entries
        self.placer = Placer(glyphs)
        self.shades = Shades()
        self.layer = TextLayer(self._run_pieces)
        # A run's text by (face, size), then by its string (hashed once, kept by Python).
        self.run_texts: dict[tuple[str, str], dict[str, LayerText]] = {}
        self.drawn: dict[int, str] = {}  # glyph id -> how a one-form word with it ends

    def form(self, glyph_id: int) -> str | None:
        """The operand (`/g12`) that draws a shape, its form written on first use."""
        glyph: Glyph | WordShape = self.glyphs[glyph_id]
        if isinstance(glyph, WordShape):
            return self._word_form(glyph_id, glyph)
        if not glyph.outline:
            self.forms[glyph_id] = None  # a space, or a mark with no outline
            return None
        upem = glyph.font.units_per_em
        entries = b"/Type /XObject /Subtype /Form /BBox [%d %d %d %d] /Matrix %s /Resources << >>"
        body = outline_operators(glyph.outline, glyph.filled).encode()
        box = (-upem, -upem, 2 * upem, 2 * upem)  # room for swashes beyond the em
        return self._named(glyph_id, self.pdf.add(stream(entries % (*box, _FORM_MATRIX), body)))

    def _named(self, glyph_id: int, written: int) -> str:
        """The operand of a form object just written, named in the order forms are made."""
        operand = f"/g{len(self.xobjects)}"
        self.xobjects.append(b"%s %d 0 R" % (operand.encode(), written))
        self.forms[glyph_id] = operand
        return operand

    def _tail(self, form: int) -> str:
        """What ends a one-form word, in place of DRAW_FORM: its form drawn, or its letters
        (see _first_tail)."""
        name = self.forms.get(form)
        if name is None:
            return self._first_tail(form)
        tail = self.drawn[form] = name + " Do Q"
        return tail

    def _first_tail(self, form: int) -> str:
        """What ends a one-form word whose shape has no form yet, in place of DRAW_FORM: a
        word's writing, its first INLINE_USES times, is drawn right there (its letters' forms
        inside the word's own q .. Q: most of a small batch's writings are used once or
        twice); after that, and any other shape, from a form made now."""
        inlined = self.inlined.get(form)  # drawn in place before: found first
        if inlined is None:
            word = self.glyphs[form]
            if not isinstance(word, WordShape):
                return DRAW_FORM % (self.form(form),)
            inlined = (0, "\n" + word.operators % tuple(self._letters(word)) + "\nQ")
        uses, drawn = inlined
        if uses < INLINE_USES:
            self.inlined[form] = (uses + 1, drawn)
            return drawn
        return DRAW_FORM % (self.form(form),)

    def _letters(self, word: WordShape) -> list[str]:
        """The operands of a written word's letters, their forms made on first use."""
        forms, ids = self.forms, self.glyphs.ids
        operands = []
        for key in word.forms:
            letter = ids[key]
            operands.append(forms[letter] if letter in forms else self.form(letter))
        return operands

    def _word_form(self, glyph_id: int, word: WordShape) -> str:
        """A word written before (notes.writings) as one form of its letters' forms, which
        are written first. Its resources are its own letters' forms only: a viewer reads a
        form's resources each time it is drawn, and the document's name thousands of forms."""
        operands = self._letters(word)
        inlined = self.inlined.pop(glyph_id, None)  # drawn in place before: the same letters
        body = word.operators % tuple(operands) if inlined is None else inlined[1][1:-2]
        xobjects = self.xobjects
        letters = b" ".join([xobjects[int(name[2:])] for name in dict.fromkeys(operands)])
        left, bottom, right, top = word.box  # whole points: the box only has to hold the ink
        box = b"%d %d %d %d" % (
            math.floor(left),
            math.floor(bottom),
            math.ceil(right),
            math.ceil(top),
        )
        entries = b"/Subtype /Form /BBox [%s] /Resources << /XObject << %s >> >>"
        written = self.pdf.add(stream(entries % (box, letters), body.encode()))
        return self._named(glyph_id, written)

    def draw(self, words: list[Word], out: list[str]) -> None:
        """Append words to a page: outlines as forms, font text, then the text layer."""
        text_open = False
        shade = weight = selector = None
        drawn, shades, bounds = self.drawn, self.shades, BOUNDS
        known, append = shades.operators, out.append
        texts: list[Text] = []  # of the outlined words, for the text layer
        for word in words:
            word_ink, word_weight, _, text, placed = word
            # Every word has an ink of its own: its shade is found, and written when it
            # differs from the last (Shades.key inline).
            r, g, b = word_ink
            key = (bisect_right(bounds, r), bisect_right(bounds, g), bisect_right(bounds, b))
            found = known.get(key) or shades.of(word_ink)
            if found != shade:
                append(found)
                shade = found
            if text is not None:
                if text_open:
                    append("ET")
                    text_open = False
                texts.append(text)
                try:
                    # Most words: drawn whole by a batch's planner, one form (inline: a call
                    # for each word of every card cost more than the formatting).
                    operators, (form,) = placed
                except (TypeError, ValueError):  # no planner's placing, or several forms
                    self._outlined(word, out)
                    continue
                append(operators[:-_TAIL] + (drawn.get(form) or self._tail(form)))
                continue
            if not text_open:
                append("BT")
                text_open, selector, weight = True, None, None
            if word_weight != weight:
                append(f"2 Tr {number(word_weight)} w" if word_weight > 0 else "0 Tr")
                weight = word_weight
            selector = self._font_text(word, out, selector)
        if text_open:
            append("ET")
        if texts:
            self.layer.write(texts, out)

    def formatted(self, run: FormattedWords, out: list[str]) -> None:
        """Append a run of words a planner formatted (notes.pdf.prepared), its holes filled
        in: forms named (and made) in order of first use, the text layer's fonts."""
        styles = self.run_texts
        # The form holes come first (the words: each one a DRAW_FORM), then the text layer's.
        # Most forms are drawn as before: looked up together, then the others in order.
        fills = list(map(self.drawn.get, run.forms))
        if None in fills:
            self._new_tails(run, fills)
        append = fills.append
        selected = face = size = by_text = None
        for text in run.texts:
            if text.__class__ is not str:  # the runs after it are in this font and size
                face, size = text
                key = (face.name, size)
                by_text = styles.get(key)
                if by_text is None:
                    by_text = styles[key] = {}
                continue
            found = by_text.get(text)
            if found is None:
                found = by_text[text] = self._run_text(face, text, size)
            first, last, selecting, shown = found
            if first is None:  # nothing of it in the face: no text
                append("")
            else:
                append(shown if first == selected else selecting)
                selected = last
        out.append(run.content % tuple(fills))

    def _new_tails(self, run: FormattedWords, fills: list[str | None]) -> None:
        """The tails of a run's forms not drawn as before (None in `fills`), in order: a form
        is named when first used, and a writing drawn in place counts its uses."""
        known, drawn = self.forms, self.drawn
        for at, (kind, form) in enumerate(zip(run.kinds, run.forms, strict=True)):
            if fills[at] is not None:
                continue
            tail = drawn.get(form)  # an earlier hole of this run may have made it
            if tail is None:
                name = known.get(form)
                if name is not None:
                    tail = drawn[form] = name + " Do Q"
                elif kind == WHOLE:  # a one-form word: its writing may be drawn in place
                    tail = self._first_tail(form)
                else:
                    tail = drawn[form] = self.form(form) + " Do Q"
            fills[at] = tail

    def _run_text(self, face: FontFace, text: str, size: str) -> LayerText:
        """One run of the text layer: its pieces (a Tf when the font changes, a Tj each)."""
        return joined(self._run_pieces(face, text, size))

    def _outlined(self, word: Word, out: list[str]) -> None:
        placed = word.placing or self.placer.placing(word)  # or by a batch's planner
        if placed.forms:
            forms = self.forms
            operands = [
                forms[g] if g in forms else self.form(g)  # noqa: SIM401 - makes it on first use
                for g in placed.forms
            ]
            out.append(placed.operators % tuple(operands))

    def _font_text(self, word: Word, out: list[str], selector: str | None) -> str | None:
        glyphs = self.glyphs
        span = _actual_text([glyphs[g.glyph] for g in word.glyphs])
        if span:
            out.append(span)
        for glyph_id, a, b, c, d, e, f in word.glyphs:
            glyph = glyphs[glyph_id]
            font, code = self.fonts.glyph(glyph.font, glyph.gid, glyph.char)
            if font != selector:
                out.append(f"{font} 1 Tf")
                selector = font
            # One %-format per glyph is the cheapest way to write six numbers (profiled).
            out.append("%.3f %.3f %.3f %.3f %.2f %.2f Tm %s Tj" % (a, b, c, d, e, f, shown(code)))  # noqa: UP031
        if span:
            out.append("EMC")
        return selector

    def _run_pieces(
        self, face: FontFace, text: str, size: str
    ) -> list[tuple[tuple[str, str], str, str]]:
        """((font, size), its Tf, a Tj) for each piece of one run of a word's text."""
        return [
            ((font, size), f"{font} {size} Tf", f"{shown(codes)} Tj")
            for font, codes in self.fonts.text(face, text)
        ]


def _actual_text(glyphs: list[Glyph]) -> str:
    """A marked-content span saying what a word in font text reads, for readers that split it:
    each of its letters has its own size and turn, and poppler and pdf.js start a new word at
    every change of size ("De ar"). Only for a word of left-to-right letters that each stand
    for their character (its glyph order is then its reading order); "" for others."""
    text = "".join(glyph.char for glyph in glyphs)
    if len(text) != len(glyphs) or not text.isprintable() or not _left_to_right(text):
        return ""
    return f"/Span <</ActualText {text_string(text).decode('ascii')}>> BDC"


def _left_to_right(text: str) -> bool:
    from unicodedata import bidirectional

    return all(bidirectional(char) not in ("R", "AL", "AN", "RLE", "RLO", "RLI") for char in text)


def outline_operators(outline: Outline, filled: bool = True) -> str:
    """A glyph outline as path operators: filled and stroked (the stroke width is set by the
    placement, as pen pressure), or only stroked for a stroke font's centre lines."""
    # One %-format for the whole outline: half the time of one per segment (measured).
    formats = " ".join(_OPERATORS[op] if op != "Z" else "h" for op, _ in outline)
    ops = formats % tuple([value for _, points in outline for value in points])
    return ops + (" B" if filled else " S")
