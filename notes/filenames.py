"""File names made from customer data: safe on every OS, inside the output folder, unique."""

from __future__ import annotations

import re
import unicodedata

_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {
    f"{p}{i}" for p in ("com", "lpt") for i in range(10)
}
_UNSAFE = re.compile(r"[^\w\-]+", re.UNICODE)


def safe_stem(name: str, *, fallback: str = "note", max_length: int = 60) -> str:
    """'Ana Souza' -> 'Ana-Souza'; '../../etc/x' -> 'etc-x'; 'CON' -> 'CON-note'. Never empty.

    The spelling is kept ('Γιώργος', 'Straße'); `unique_stem` compares names case-folded.
    """
    text = unicodedata.normalize("NFKC", name)
    # Drop control, format (bidi overrides, zero-width) and unassigned characters outright.
    text = "".join(c for c in text if unicodedata.category(c)[0] not in "C")
    text = _UNSAFE.sub("-", text).strip("-._ ")
    text = re.sub(r"-{2,}", "-", text)[:max_length].strip("-")
    if not text:
        return fallback
    if text.split(".")[0].casefold() in _WINDOWS_RESERVED:
        text = f"{text}-{fallback}"
    return text


def unique_stem(stem: str, used: set[str]) -> str:
    """'Anna', then 'ANNA-2', ...: unique among `used` (case-folded names, updated) as a
    case-insensitive file system (macOS, Windows) compares them."""
    candidate, number = stem, 2
    while candidate.casefold() in used:
        candidate = f"{stem}-{number}"
        number += 1
    used.add(candidate.casefold())
    return candidate
