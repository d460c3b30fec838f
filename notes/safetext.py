"""Customer text that is safe to show and to store.

A name from an export is not to be trusted: escape sequences (OSC 52 writes the clipboard, CSI
moves the cursor), bidi overrides (U+202E shows `gnp.exe` as `exe.png`) and other controls act on
the terminal they are printed to. A lone surrogate (`"\\ud800"` in a JSON export) is not text at
all: UTF-8 cannot encode it, so no file, hash or ledger can hold it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

# Characters that change how the text around them is shown, though none of them is Cc.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_SEPARATORS = frozenset("\u2028\u2029")  # some terminals start a new line at these
_C0_PICTURES = 0x2400  # U+2400..U+241F draw NUL..US; U+2421 draws DEL


def _visible(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(_C0_PICTURES + code)  # ESC -> '␛'
    if code == 0x7F:
        return "\u2421"  # '␡'
    if code <= 0xFF:
        return f"\\x{code:02x}"  # C1 controls: CSI U+009B, OSC U+009D...
    return f"\\u{code:04x}"


def _needs_escape(char: str, keep: str) -> bool:
    if char in keep:
        return False
    if char in BIDI_CONTROLS or char in _SEPARATORS:
        return True
    return unicodedata.category(char) in ("Cc", "Cs")


def printable(text: object, *, keep: str = "") -> str:
    r"""`text` with every control, bidi override and lone surrogate shown as a visible escape.

    ESC becomes '␛' (each C0 control its Control Picture), U+202E the six characters `\u202e`,
    a lone surrogate `\ud800`. Characters in `keep` (newline and tab in a note's text) pass
    through; letters of every script, emoji and their joiners are untouched.
    """
    text = str(text)
    if text.isprintable():  # the usual case, without a loop (every character escaped is not)
        return text
    return "".join(_visible(c) if _needs_escape(c, keep) else c for c in text)


def is_lone_surrogate(char: str) -> bool:
    return "\ud800" <= char <= "\udfff"


def storable(text: str) -> str:
    """`text` with any lone surrogate replaced by U+FFFD, so UTF-8 files can hold it."""
    if not any(is_lone_surrogate(c) for c in text):
        return text
    return "".join("\ufffd" if is_lone_surrogate(c) else c for c in text)


def broken_field(fields: Mapping[str, Any]) -> tuple[str, str] | None:
    """(field, the broken character escaped) for the first value holding a lone surrogate."""
    for name, value in fields.items():
        for text in _texts(value):
            if text.isascii():  # the usual value: nothing to look at character by character
                continue
            try:
                text.encode("utf-8")  # which fails on a lone surrogate, and only on one
            except UnicodeEncodeError:
                return str(name), _visible(next(c for c in text if is_lone_surrogate(c)))
    return None


def _texts(value: object) -> list[str]:
    """Every string inside a field's value (products are lists, items are dicts)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, Mapping):
        return [t for key, item in value.items() for t in (*_texts(key), *_texts(item))]
    if isinstance(value, list | tuple | set | frozenset):
        return [t for item in value for t in _texts(item)]
    return []


def storable_row(*values: Any) -> tuple[Any, ...]:
    """A row of values for a database or file, every string `storable`."""
    return tuple(storable(v) if isinstance(v, str) else v for v in values)
