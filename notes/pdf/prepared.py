"""A batch's words formatted as PDF content where they are planned (a worker process).

The writing process is serial: what it does for every word of every card limits a pool. A
planner therefore writes a card's run of words as the writer would (notes.pdf.words.WordWriter
.draw: ink shades, each word's placement, the invisible text layer in reading order with its
moves) and leaves a hole only where the document decides, which the writer fills in:

    WHOLE  a one-form word's "%s Do Q": its form's name, or, for a word's writing used fewer
           than INLINE_USES times in the document, its letters drawn right there
    FORM   one form's name (a word of several forms); names go in the order of first use
then, in the text layer after the words, a run's text: its font object (chosen per document)
and its codes, the font selected again only when it changes.

So one flat object crosses per card instead of five per word, and the bytes are the same for
any --jobs. No reportlab here.
"""

from __future__ import annotations

from operator import attrgetter

from notes.drawing import FontFace, FormattedWords, Item, Word
from notes.pdf.placing import DRAW_FORM
from notes.pdf.shades import Shades

WHOLE, FORM = "W", "F"  # what fills a form's hole
_HOLE = "\x00"  # marks a hole while the content is built; PDF operators never hold it
_READING_ORDER = attrgetter("text.order")  # of a Word: its line, then its place as typed
_SHADES = Shades()  # a worker's, for every card it formats


def formatted(words: tuple[Item, ...]) -> tuple[Item, ...]:
    """`words` (a note's, drawn together) as one FormattedWords when every one is outlined and
    placed by its planner; otherwise (font text, plain realism) as they are."""
    if not words or not all(
        type(word) is Word and word.text is not None and word.placing is not None for word in words
    ):
        return words
    out: list[str] = []
    kinds: list[str] = []
    forms: list[int] = []
    texts: list[tuple[FontFace, str, str]] = []
    _draw(words, out, kinds, forms)
    _text_layer(words, out, texts)
    parts = tuple("\n".join(out).split(_HOLE))
    return (FormattedWords(parts, "".join(kinds), tuple(forms), tuple(texts)),)


def _draw(words: tuple[Word, ...], out: list[str], kinds: list[str], forms: list[int]) -> None:
    """Each word's shade when it changes, then its placement with a hole for each form."""
    ink = shade = None
    tail = len(DRAW_FORM)
    shades = _SHADES
    known, key = shades.operators, shades.key
    for word_ink, _, _, _, (operators, ids) in words:  # a Word's fields; its Placing's
        if word_ink != ink:  # a new shade, unless it rounds to the last one
            ink = word_ink
            found = known.get(key(ink)) or shades.of(ink)
            if found != shade:
                out.append(found)
                shade = found
        if len(ids) == 1:
            out.append(operators[:-tail] + _HOLE)
            kinds.append(WHOLE)
        elif ids:
            out.append(operators.replace("%s", _HOLE))
            kinds.append(FORM * len(ids))
        forms += ids


def _text_layer(words: tuple[Word, ...], out: list[str], texts: list[tuple]) -> None:
    """Invisible text (render mode 3) under the words, in the order they were typed: each word
    placed by its move from the one before, a hole for each of its runs."""
    out.append("BT 3 Tr")
    x = y = 0  # hundredths of a point: moves between rounded places add up exactly
    sizes: dict[tuple[float, float], str] = {}  # (size, scale) -> one string: pickled once
    for word in sorted(words, key=_READING_ORDER):
        runs, text_x, text_y, text_size, _ = word.text
        to_x, to_y = round(text_x * 100), round(text_y * 100)
        if to_y != y:
            line = "%.2f %.2f Td" % ((to_x - x) / 100, (to_y - y) / 100)  # noqa: UP031
        else:  # words on a line
            line = "%.2f 0 Td" % ((to_x - x) / 100)  # noqa: UP031
        x, y = to_x, to_y
        for font, text, scale in runs:
            size = sizes.get((text_size, scale))
            if size is None:
                size = sizes[text_size, scale] = f"{text_size * scale:.2f}"
            texts.append((font, text, size))
            line += _HOLE
        out.append(line)
    out.append("ET")
