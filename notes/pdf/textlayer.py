"""The invisible text under outlined words (render mode 3): what a PDF reader copies and finds.

Words are written in the order they were typed, each placed by its move from the one before
(in hundredths of a point, so rounded places add up exactly) and showing its text in the
document's fonts, a font selected only when it changes. It is a third of drawing a word, every
word of every card: a word's text is kept whole, found by its runs (a planner keeps one tuple of
runs per word it writes), and the moves along a line are kept too. notes.pdf.prepared writes the
same bytes where a pool's planners work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from operator import itemgetter
from typing import NamedTuple

from notes.drawing import FontFace, Text

# (font, size) of a run's piece, its Tf, its Tj: see WordWriter._run_pieces.
Pieces = list[tuple[tuple[str, str], str, str]]
_READING_ORDER = itemgetter(
    Text._fields.index("order")
)  # a Text's: its line, then its place as typed
# Runs kept at most: a word written afresh (a code, a squeezed line) brings runs of its own,
# kept alive while kept here.
KEPT = 1024
# Moves along a line kept at most: a card's words make ~30 new ones while a few thousand are
# seen (6956 in a 3000-card merge), and a move is formatted in the time of ten look-ups.
MOVES_KEPT = 1 << 13


class LayerText(NamedTuple):
    """A word's text, or one run of it: the (font, size) it starts and ends in (None: no
    text), its operators with the first font selected, and without (the font is selected
    already)."""

    first: tuple[str, str] | None
    last: tuple[str, str] | None
    selecting: str
    shown: str


def joined(pieces: Pieces) -> LayerText:
    """Pieces of text as operators: a Tf only where the (font, size) changes, a Tj each."""
    if not pieces:
        return LayerText(None, None, "", "")
    (first, select, show), rest = pieces[0], []
    selected = first
    for font_and_size, select_next, show_next in pieces[1:]:
        if font_and_size != selected:
            rest.append(select_next)
            selected = font_and_size
        rest.append(show_next)
    shown = " ".join([show, *rest])
    return LayerText(first, selected, f" {select} {shown}", " " + shown)


class TextLayer:
    """One document's text layer: the text of each word seen, and the moves along a line."""

    def __init__(
        self,
        run_pieces: Callable[[FontFace, str, str], Pieces],
        *,
        keep: int = KEPT,
        moves: int = MOVES_KEPT,
    ):
        self.run_pieces, self.keep, self.keep_moves = run_pieces, keep, moves
        self.by_key: dict[tuple, LayerText] = {}
        # id(runs) -> (runs, size, their text): the planner's runs object is found without
        # hashing its fonts' names and strings (a fifth of the layer).
        self.by_runs: dict[int, tuple[tuple, float, LayerText]] = {}
        self.moves: dict[int, str] = {}  # a move along a line, in hundredths -> its Td

    def write(self, texts: Iterable[Text], out: list[str]) -> None:
        """The text layer of outlined words (their texts), appended to `out`."""
        append = out.append
        append("BT 3 Tr")
        x = y = 0  # hundredths of a point: moves between rounded places add up exactly
        selected = line_y = to_y = None
        by_runs, moves = self.by_runs, self.moves
        for text in sorted(texts, key=_READING_ORDER):
            runs, text_x, text_y, size, _ = text
            # An entry holds its runs: no other object has their id while it is kept.
            kept = by_runs.get(id(runs))
            if kept is None or kept[1] != size:
                kept = self._keep(text)
            first, last, selecting, shown = kept[2]
            if first is None:  # no text to show: only the move
                shows = ""
            elif first == selected:
                shows, selected = shown, last
            else:
                shows, selected = selecting, last
            to_x = round(text_x * 100)
            if text_y != line_y:  # a line's words share their line's y
                to_y, line_y = round(text_y * 100), text_y
            if to_y != y:
                append("%.2f %.2f Td%s" % ((to_x - x) / 100, (to_y - y) / 100, shows))  # noqa: UP031
                y = to_y
            else:  # words on a line: the same few moves recur
                move = moves.get(to_x - x)
                if move is None:
                    move = self._move(to_x - x)
                append(move + shows)
            x = to_x
        append("ET")

    def _keep(self, text: Text) -> tuple[tuple, float, LayerText]:
        """A word's text, kept by its runs."""
        runs, size = text.runs, text.size
        # Keyed by names and strings, whose hashes Python keeps (a FontFace hashes its fields
        # on every call). Most words are one run: their key is built without a tuple each.
        if len(runs) == 1:
            face, string, scale = runs[0]
            key: tuple = (face.name, string, scale, size)
        else:
            key = tuple([(run.font.name, run.text, run.scale) for run in runs]), size
        found = self.by_key.get(key)
        if found is None:
            found = self.by_key[key] = self._word_text(text)
        if len(self.by_runs) >= self.keep:
            self.by_runs.clear()
        kept = self.by_runs[id(runs)] = (runs, size, found)
        return kept

    def _move(self, hundredths: int) -> str:
        move = "%.2f 0 Td" % (hundredths / 100)  # noqa: UP031
        if len(self.moves) < self.keep_moves:
            self.moves[hundredths] = move
        return move

    def _word_text(self, text: Text) -> LayerText:
        """A word's pieces of text (a Tf, when the font changes, then a Tj for each)."""
        found: Pieces = []
        for run in text.runs:
            found += self.run_pieces(run.font, run.text, f"{text.size * run.scale:.2f}")
        return joined(found)
