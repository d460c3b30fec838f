"""Which characters the sheet asks for, and which ones the learned font builds from them.

Lower-case letters are written four times (they are most of a card, and each sample becomes an
alternate), capitals and digits twice, punctuation twice. Accented letters are not written: they
are built from the base letter and a sampled mark (seven marks cover the Latin-1 languages).
"""

from __future__ import annotations

import string
import unicodedata
from dataclasses import dataclass

# Combining marks the sheet samples -> the label printed over their boxes: the spacing form and
# a letter that carries the mark.
MARKS = {
    "\u0301": "\u00b4 \u00e9",  # acute: ´ é
    "\u0300": "` \u00e8",  # grave
    "\u0302": "^ \u00ea",  # circumflex
    "\u0308": "\u00a8 \u00eb",  # diaeresis
    "\u0303": "~ \u00f1",  # tilde
    "\u030a": "\u02da \u00e5",  # ring
    "\u0327": "\u00b8 \u00e7",  # cedilla
}
MARKS_BELOW = frozenset("\u0327")
# A cedilla hangs under a letter with no descender only.
_CEDILLA_BASES = frozenset("cCsStT")

PUNCTUATION = ".,!?'-:;()&/%€$#"


@dataclass(frozen=True)
class CharClass:
    name: str
    chars: str
    samples: int  # boxes per character


CLASSES = (
    CharClass("lower-case", string.ascii_lowercase, 4),
    CharClass("capitals", string.ascii_uppercase, 2),
    CharClass("digits", string.digits, 2),
    CharClass("punctuation", PUNCTUATION, 2),
    CharClass("marks", "".join(MARKS), 2),
)

SAMPLED = "".join(c.chars for c in CLASSES)

# Characters drawn with another character's glyph: typographic quotes and dashes.
ALIASES = {"\u2019": "'", "\u2018": "'", "\u2013": "-", "\u2010": "-", "\u2011": "-"}
# Characters built from two samples of another: a double quote is two single ones.
DOUBLED = {'"': "'", "\u201c": "'", "\u201d": "'"}


def composed() -> dict[str, tuple[str, str]]:
    """Accented letter -> (base letter, combining mark), for every letter of Latin-1 and
    Latin Extended-A that is one sampled letter plus one sampled mark."""
    found: dict[str, tuple[str, str]] = {}
    for code in range(0xC0, 0x180):
        char = chr(code)
        parts = unicodedata.normalize("NFD", char)
        if len(parts) != 2 or parts[0] not in SAMPLED or parts[1] not in MARKS:
            continue
        if parts[1] in MARKS_BELOW and parts[0] not in _CEDILLA_BASES:
            continue
        found[char] = (parts[0], parts[1])
    return found


def label(char: str) -> str:
    """What the sheet prints over a box: the character, or a mark with an example letter."""
    return MARKS.get(char, char)


def glyph_name(char: str) -> str:
    """The PostScript glyph name of a character (`a`, `period`, `uni20AC`...)."""
    from fontTools.agl import UV2AGL

    return UV2AGL.get(ord(char), f"uni{ord(char):04X}")


def describe(char: str) -> str:
    """A character as a person reads it in a report: `'a'`, `'´' (acute mark)`."""
    if char in MARKS:
        name = unicodedata.name(char).removeprefix("COMBINING ").lower()
        return f"{MARKS[char][0]!r} ({name} mark)"
    return repr(char)
