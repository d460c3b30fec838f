"""Text that must be read exactly: addresses, postcodes, codes, URLs, e-mails, numbers.

A misread discount code or house number is worse than a plain one, so such words are written
with the font's own letter shapes (no outline warp), less jitter, and never broken across lines.
A word is exact when it holds a digit, an '@' or '://', or when it is part of the value of a
field whose name says it is one of these (`address1`, `zip`, `discount_code`, `website` ...).
The values are only compared with the note's words, never evaluated.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

# Field names (as the columns and template fields have them) whose values are drawn exactly.
_EXACT_FIELD = re.compile(
    r"address|street|city|town|state|province|county|region|country|zip|post|"
    r"code|coupon|voucher|url|link|website|web|site|mail|phone|tel|number|order|"
    r"tracking|sku|id$",
    re.IGNORECASE,
)
_FREE_TEXT_FIELD = re.compile(r"note|message|text|comment|remark", re.IGNORECASE)
_SELF_EXACT = re.compile(r"\d|@|://")  # a word holding one of these is exact wherever it is
# Punctuation that ends a sentence or wraps a word: not part of the token itself.
_WRAPPING = "\"'“”‘’«»()[]{},;:!?."


def exact_words(fields: Mapping[str, object]) -> frozenset[str]:
    """The words of the values of `fields` whose names mark them exact, as tokens."""
    words: set[str] = set()
    for name, value in fields.items():
        if isinstance(value, str | int | float) and _names_exact_values(str(name)):
            words.update(token(word) for word in str(value).split())
    words.discard("")
    return frozenset(words)


@lru_cache(maxsize=1024)  # every row of a batch has the same field names
def _names_exact_values(field: str) -> bool:
    """Whether a field's name says its value is written exactly (the two searches cost more
    than the rest of exact_words, for every field of every row)."""
    return _EXACT_FIELD.search(field) is not None and _FREE_TEXT_FIELD.search(field) is None


def token(word: str) -> str:
    """A word without the punctuation around it ("LS1," -> "LS1", "(example.com)." -> ...)."""
    return word.strip(_WRAPPING)


# A word -> True when it is exact wherever it is, else its token: a note asks for each word
# several times, and a batch's notes share most of their words.
_SEEN: dict[str, bool | str] = {}
_SEEN_MOST = 50_000


def is_exact(word: str, marked: frozenset[str] = frozenset()) -> bool:
    """True for a word to draw exactly: it holds a digit, '@' or '://', or a marked token."""
    seen = _SEEN.get(word)
    if seen is None:
        seen = _seen(word)
    return seen is True or seen in marked


def exact_token(word: str) -> str | None:
    """None for a word exact wherever it is (a digit, '@', '://'), else its token: the word is
    exact in a note whose marked tokens hold it (is_exact)."""
    seen = _SEEN.get(word)
    if seen is None:
        seen = _seen(word)
    return None if seen is True else seen


def _seen(word: str) -> bool | str:
    if len(_SEEN) >= _SEEN_MOST:  # a batch of unique codes must not grow it for ever
        _SEEN.clear()
    seen = _SEEN[word] = _SELF_EXACT.search(word) is not None or token(word)
    return seen
