"""Personal names: which part is the given name, and in which order the parts are written.

Names in CJK scripts (Han, Hiragana, Katakana, Hangul) are written family name first, as are
Vietnamese names; exports that give first and last name apart are joined in that order.
"""

from __future__ import annotations

import re
import unicodedata

# Han (with extensions and compatibility ideographs), Hiragana, Katakana (half-width too), Hangul.
_CJK = re.compile(
    "[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f]"
)
# Common Vietnamese family names: written first, so the given name is the last word.
_VIETNAMESE_FAMILY = {
    "nguyễn", "trần", "lê", "phạm", "hoàng", "huỳnh", "phan", "vũ", "võ", "đặng",
    "bùi", "đỗ", "hồ", "ngô", "dương", "lý", "đinh", "trương", "đào", "lâm", "mai",
}  # fmt: skip


def is_cjk(text: str) -> bool:
    """Does `text` hold Han, Hiragana, Katakana or Hangul: a name written family name first?"""
    return bool(_CJK.search(text))


def full_name(first: str, last: str) -> str:
    """First and last name as the export gives them -> the name as it is written.

    'さくら' + '田中' -> '田中 さくら', '민준' + '김' -> '김 민준'; 'Ada' + 'Lovelace' -> 'Ada Lovelace'.
    Vietnamese in Latin script stays as given: a family name first cannot be told from the parts.
    """
    parts = [last, first] if is_cjk(first + last) else [first, last]
    return " ".join(p for p in parts if p)


def split_name(full: str) -> tuple[str, str]:
    """Full name -> (given, family), knowing that CJK and Vietnamese names put the family first."""
    words = full.split()
    if len(words) < 2:
        return full.strip(), ""
    family_first = is_cjk(full) or (
        unicodedata.normalize("NFC", words[0]).casefold() in _VIETNAMESE_FAMILY
    )
    if family_first:
        return words[-1], " ".join(words[:-1])
    return words[0], " ".join(words[1:])
