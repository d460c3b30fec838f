"""Which text encoding a data file is in, from its first bytes (a BOM, UTF-8, cp1252, others).

Exports come from Excel (UTF-16 with tabs, cp1252), shop systems (UTF-8, sometimes with a cp1252
byte further down) and old desktop tools; binary files (workbooks, PDFs, archives) are named.
"""

from __future__ import annotations

import codecs

from notes.errors import DataError


def _cp1252_fallback(err: UnicodeError) -> tuple[str, int]:
    # Exports that are UTF-8 at the top and cp1252 further down (or cp1252 with one of its five
    # undefined bytes) are common; decoding the odd byte as cp1252 gives what the user typed.
    assert isinstance(err, UnicodeDecodeError)
    bad = err.object[err.start : err.end]
    text = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in bad)
    return text, err.end


codecs.register_error("notes-cp1252-fallback", _cp1252_fallback)

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MAGIC = (
    (b"PK\x03\x04", "an Excel workbook or ZIP archive", "in Excel use File > Save As > CSV UTF-8"),
    (
        b"\xd0\xcf\x11\xe0",
        "an old Excel (.xls) workbook",
        "in Excel use File > Save As > CSV UTF-8",
    ),
    (b"%PDF", "a PDF", "export the data from your shop as CSV instead"),
    (b"\x1f\x8b", "a gzip archive", "unpack it first (gunzip)"),
    (b"SQLite format 3", "an SQLite database", "export a table as CSV first"),
)
_WESTERN = "cp1252"


def detect_encoding(sample: bytes, source: str, complete: bool) -> tuple[str, str]:
    """Return (codec, errors handler) for the file whose first bytes are `sample`."""
    for bom, codec in _BOMS:
        if sample.startswith(bom):
            return codec, "strict"
    for magic, what, hint in _MAGIC:
        if sample.startswith(magic):
            raise DataError(f"this is {what}, not a text file", where=source, hint=hint)
    if b"\x00" in sample:
        return _utf16_without_bom(sample, source), "strict"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=complete)
        return "utf-8", "notes-cp1252-fallback"
    except UnicodeDecodeError:
        pass
    if _looks_western(sample):
        return _WESTERN, "notes-cp1252-fallback"
    import charset_normalizer  # only for the rest: it is slow to import and to run

    matches = list(charset_normalizer.from_bytes(sample))
    if not matches:
        raise binary_error(source)
    best = min(m.chaos for m in matches)
    # charset-normalizer often hesitates between Latin code pages that decode alike.
    if any(_WESTERN in m.could_be_from_charset for m in matches if m.chaos <= best + 0.01):
        return _WESTERN, "notes-cp1252-fallback"
    return matches[0].encoding, "strict"


_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
_APOSTROPHES = "’‘´"


def _looks_western(sample: bytes) -> bool:
    """Is this plausibly cp1252 text in a Western European language?

    On short samples charset-normalizer guesses wildly (Korean johab for "Zoë;Köln"), so first
    check what Western text looks like in cp1252: accented letters from Latin-1 inside mostly
    ASCII words, and no symbols inside words ("mo¿e" is Polish cp1250 read as cp1252).
    """
    if _CP1252_UNDEFINED & set(sample):
        return False
    text = sample.decode("cp1252")
    letters = accented = 0
    for i, ch in enumerate(text):
        if ch.isalpha():
            letters += 1
            if ord(ch) > 127:
                accented += 1
                if not ("\u00c0" <= ch <= "\u00ff" or ch in "ŒœŠšŽžƒ"):
                    return False
        elif ord(ch) > 127 and ch not in _APOSTROPHES:
            inside_word = 0 < i < len(text) - 1 and text[i - 1].isalpha() and text[i + 1].isalpha()
            if inside_word:
                return False
    # Cyrillic or Greek read as cp1252 is all accented letters; Western text is mostly ASCII.
    return accented < 0.4 * letters


def _utf16_without_bom(sample: bytes, source: str) -> str:
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    raise binary_error(source)


def binary_error(source: str) -> DataError:
    return DataError(
        "this is not a text file (it contains binary data)",
        where=source,
        hint="export the data as CSV (UTF-8) or JSON and pass that file",
    )


# Control characters text does not hold (tabs, line ends, form feeds and DOS's end of file do).
_CONTROL = [chr(code) for code in range(32) if chr(code) not in "\t\n\r\f\v\x1a"]


def looks_binary(text: str) -> bool:
    """Decoded text with NULs or many control characters is binary data read as text."""
    if "\x00" in text:
        return True
    # Counted per character in C: a loop over a 64 KiB sample's characters cost a merge ~4 ms.
    bad = sum(map(text.count, _CONTROL))
    return bad > 0.01 * max(len(text), 1)
