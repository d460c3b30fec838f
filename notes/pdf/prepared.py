"""A batch's words formatted as PDF content where they are planned (a worker process).

The writing process is serial: what it does for every word of every card limits a pool. A
planner therefore writes a card's run of words as the writer would (notes.pdf.words.WordWriter
.draw: ink shades, each word's placement, the invisible text layer in reading order with its
moves) and leaves a %s only where the document decides, which the writer fills in with one
%-format (PDF operators and the text layer's moves hold no other %):

    WHOLE  a one-form word's form: its name and " Do Q" (DRAW_FORM), or, for a word's writing
           used fewer than INLINE_USES times in the document, its letters drawn right there
    FORM   a form of a word of several: its name and " Do Q"
names go in the order of first use; then, in the text layer after the words, a run's text: its
font object (chosen per document) and its codes, the font selected again only when it changes.
A run's text crosses as its string, after its (font, size) only where those change: a card's
runs are mostly in one font and size (a tuple for each run was a third of unpickling a card).

So one flat object crosses per card instead of five per word, and the bytes are the same for
any --jobs. No reportlab here.
"""

from __future__ import annotations

from bisect import bisect_right
from operator import attrgetter, itemgetter

from notes.drawing import FontFace, FormattedWords, Item, Word
from notes.pdf.placing import DRAW_FORM
from notes.pdf.shades import BOUNDS, Shades
from notes.pdf.textlayer import MOVES_KEPT

WHOLE, FORM = "W", "F"  # what fills a form's hole
_DRAWN = DRAW_FORM.replace("%s", "")  # " Do Q": a hole's fill ends with it
_READING_ORDER = attrgetter("text.order")  # of a Word: its line, then its place as typed
_SHADES = Shades()  # a worker's, for every card it formats
_WORDS_ONLY = {Word}
_TEXT, _PLACING = itemgetter(Word._fields.index("text")), itemgetter(Word._fields.index("placing"))


def formatted(words: tuple[Item, ...]) -> tuple[Item, ...]:
    """`words` (a note's, drawn together) as one FormattedWords when every one is outlined and
    placed by its planner; otherwise (font text, plain realism) as they are."""
    if (
        not words
        or set(map(type, words)) != _WORDS_ONLY
        or None in map(_TEXT, words)
        or None in map(_PLACING, words)
    ):
        return words
    kinds: list[str] = []
    forms: list[int] = []
    texts: list[str | tuple[FontFace, str]] = []
    content = "\n".join(_draw(words, kinds, forms) + _text_layer(words, texts))
    return (FormattedWords(content, "".join(kinds), tuple(forms), tuple(texts)),)


def _draw(words: tuple[Word, ...], kinds: list[str], forms: list[int]) -> list[str]:
    """Each word's shade when it changes, then its placement, a %s for each form drawn."""
    out: list[str] = []
    append = out.append
    shade = None
    known, of, bounds = _SHADES.operators, _SHADES.of, BOUNDS
    tail = len(_DRAWN)
    for ink, _, _, _, (operators, ids) in words:  # a Word's fields; its Placing's
        # Shades.key, inline: every word has an ink of its own, written when its shade differs.
        r, g, b = ink
        key = (bisect_right(bounds, r), bisect_right(bounds, g), bisect_right(bounds, b))
        found = known.get(key) or of(ink)
        if found != shade:
            append(found)
            shade = found
        if len(ids) == 1:  # its operators end with its one DRAW_FORM
            append(operators[:-tail])
            kinds.append(WHOLE)
            forms.append(ids[0])
        elif ids:
            append(operators.replace(DRAW_FORM, "%s"))
            kinds.append(FORM * len(ids))
            forms += ids
    return out


def _text_layer(words: tuple[Word, ...], texts: list[str | tuple[FontFace, str]]) -> list[str]:
    """Invisible text (render mode 3) under the words, in the order they were typed: each word
    placed by its move from the one before, a %s for each of its runs; `texts` gets each run's
    text, after its (font, size) when that differs from the run before's."""
    out = ["BT 3 Tr"]
    x = y = to_y = 0  # hundredths of a point: moves between rounded places add up exactly
    line_y = None
    sizes: dict[tuple[float, float], str] = {}  # (size, scale) -> one string: pickled once
    last_size = last_scale = size = None
    face = style_size = None  # of the runs before: said again only when it changes
    moves = _MOVES
    for word in sorted(words, key=_READING_ORDER):
        runs, text_x, text_y, text_size, _ = word.text
        to_x = round(text_x * 100)
        if text_y != line_y:  # a line's words share their line's y
            to_y, line_y = round(text_y * 100), text_y
        if to_y != y:
            line = "%.2f %.2f Td" % ((to_x - x) / 100, (to_y - y) / 100) + "%s" * len(runs)  # noqa: UP031
        elif len(runs) == 1:  # most words, on a line: the same few moves recur
            line = moves.get(to_x - x) or _move(to_x - x)
        else:
            line = "%.2f 0 Td" % ((to_x - x) / 100) + "%s" * len(runs)  # noqa: UP031
        x, y = to_x, to_y
        for font, text, scale in runs:
            if text_size != last_size or scale != last_scale:  # most runs: the one before's
                last_size, last_scale = text_size, scale
                size = sizes.get((text_size, scale))
                if size is None:
                    size = sizes[text_size, scale] = f"{text_size * scale:.2f}"
            if font is not face or size is not style_size:  # most runs: the one before's
                if face is None or font.name != face.name or size != style_size:
                    texts.append((font, size))
                face, style_size = font, size
            texts.append(text)
        out.append(line)
    out.append("ET")
    return out


_MOVES: dict[int, str] = {}  # a worker's moves along a line, one run's hole after each


def _move(hundredths: int) -> str:
    move = "%.2f 0 Td%%s" % (hundredths / 100)  # noqa: UP031
    if len(_MOVES) < MOVES_KEPT:
        _MOVES[hundredths] = move
    return move
