"""Where a line may end inside a word, script by script (the layout wraps between these units).

Latin, Cyrillic, Greek, Korean ... break between words, at spaces: a word is one unit. Thai
writes a phrase without spaces: its words are found with pythainlp's dictionary segmenter
(newmm), so a line never ends inside one. Chinese and Japanese may break between any two
characters, except where the kinsoku rules forbid it: no line starts with closing punctuation,
a small kana or a prolonged sound mark, and none ends with opening punctuation; a run of
katakana (a name like マヤ, a loanword) and a short word (a name like 丽娟) stay whole.
"""

from __future__ import annotations

import os
import re
from functools import cache

from notes.lettersize import cjk_kind

# Never at the start of a line (JIS X 4051's line-start prohibitions, and Western closers).
NO_LINE_START = frozenset(
    ")]}〕〉》」』】〙〗〟’”｠»›"  # closing brackets and quotes
    "、。，．・：；？！‼⁇⁈⁉,.:;?!…‥"  # punctuation
    "ーゝゞヽヾ々〻"  # prolonged sound, iteration marks
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"  # small kana
    "）］｝｣"  # full-width closers
)
# Never at the end of a line: opening brackets and quotes.
NO_LINE_END = frozenset("([{〔〈《「『【〘〖〝‘“｟«‹（［｛｢")


@cache
def _names() -> re.Pattern[str]:
    """A name a writer would not split: a name with its Japanese honorific (田中さん, 山本様,
    マヤさん), or the name after a Chinese greeting (亲爱的丽娟：), of up to four ideographs.
    Compiled when a CJK word first needs it: it takes ~3 ms, which every card paid at start-up."""
    return re.compile(
        r"(?:[\u3400-\u9fff]{1,4}|[\u30a1-\u30fa\u30fc]{1,12})(?:さん|様|さま|くん|ちゃん|君|殿|先生)"
        r"|(?<=亲爱的)[\u3400-\u9fff]{1,4}(?=[：:，,！!、])"
        r"|(?<=親愛的)[\u3400-\u9fff]{1,4}(?=[：:，,！!、])"
    )


SHORT_WORD = 4  # CJK words of at most this many characters (a name, a greeting) stay whole
LONGEST_KATAKANA = 12  # longer katakana runs may break, as a long loanword must


def break_units(word: str) -> list[str]:
    """`word` (no spaces) as the pieces a line may end between; joined, they are `word`."""
    if word.isascii():
        return [word]
    if any("\u0e00" <= c <= "\u0e7f" for c in word):
        return _attach(_thai_words(word))
    if not any(_breaks_anywhere(c) for c in word) or len(word) <= SHORT_WORD:
        return [word]
    return _attach(_cjk_pieces(word))


def _breaks_anywhere(char: str) -> bool:
    kind = cjk_kind(char)
    return kind == "han" or kind == "kana"


def _thai_words(text: str) -> list[str]:
    words = _segment_thai(text)
    return list(words) if "".join(words) == text else [text]


@cache
def _segment_thai(text: str) -> tuple[str, ...]:
    # Its dictionary ships in the wheel: without read-only mode, importing pythainlp creates
    # ~/pythainlp-data, which a card must not do (and cannot, in a read-only home).
    if "PYTHAINLP_READ_MODE" not in os.environ:  # the older name; both set is an error
        os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
    from pythainlp.tokenize import word_tokenize

    return tuple(word_tokenize(text, engine="newmm", keep_whitespace=False))


def _is_katakana(char: str) -> bool:
    return "\u30a1" <= char <= "\u30fa" or char == "ー" or "\u31f0" <= char <= "\u31ff"


def _cjk_pieces(word: str) -> list[str]:
    """One piece per ideograph or kana; names, katakana runs and non-CJK runs (digits, Latin)
    whole."""
    pieces: list[str] = []
    names = {m.start(): m.end() for m in _names().finditer(word)}
    index = 0
    while index < len(word):
        if index in names:
            pieces.append(word[index : names[index]])
            index = names[index]
            continue
        char = word[index]
        if pieces and index - 1 not in _ends(names) and _continues(pieces[-1], char):
            pieces[-1] += char
        else:
            pieces.append(char)
        index += 1
    return pieces


def _ends(names: dict[int, int]) -> set[int]:
    return {end - 1 for end in names.values()}


def _continues(piece: str, char: str) -> bool:
    last = piece[-1]
    if _is_katakana(char) and _is_katakana(last):
        return len(piece) < LONGEST_KATAKANA
    return not _breaks_anywhere(char) and not _breaks_anywhere(last) and char not in NO_LINE_START


def _attach(pieces: list[str]) -> list[str]:
    """Kinsoku: a piece starting with a character no line may start with joins the piece
    before; a piece ending with an opening bracket joins the piece after."""
    out: list[str] = []
    glue_next = False
    for piece in pieces:
        if out and (glue_next or piece[0] in NO_LINE_START):
            out[-1] += piece
        else:
            out.append(piece)
        glue_next = piece[-1] in NO_LINE_END
    return out
