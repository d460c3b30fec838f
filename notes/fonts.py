"""Font catalog, coverage and the fallback chain.

A PDF viewer draws a character its font lacks as nothing, silently; so every character is checked
against the font's cmap here, and one no font can draw is an error, never a blank gap.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from weakref import WeakKeyDictionary

from notes.drawing import FontFace, Outline, TextRun
from notes.errors import FontError
from notes.exact import is_exact
from notes.fontfile import FontMetrics
from notes.fontmeasures import measures_of
from notes.lettersize import cjk_box_of, cjk_kind, matched_scale, writing_height, x_height_of
from notes.records import FrozenRecord, Record  # dataclass methods written once (start-up)

# The largest single fonts (CJK) are 20-30 MB; a bigger file is not one font we can embed.
MAX_FONT_BYTES = 64 * 1024 * 1024

# Characters that take no ink and need no glyph: the layout handles spacing and line breaks itself.
# The style of a hand learned from the owner's writing (notes.hand.store.hand_font_spec).
LEARNED = "your hand"
INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\ufe0e\ufe0f\u00ad")


@dataclass(init=False, repr=False, eq=False)
class FontSpec(FrozenRecord):
    """One entry of fonts/catalog.toml, or a user's own font file."""

    id: str
    family: str
    path: Path
    licence: str
    scripts: tuple[str, ...]
    style: str
    connected: bool
    size: float
    fallback: int | None = None
    legible: bool = False  # every letter reads unmistakably: envelopes are addressed in it
    # Its characters OCR misreads at card size: an exact word holding one is written in a
    # legible hand (FontBook.fonts_for_word).
    misreads: str = ""
    # A learned hand's alternates: (character, glyph names of its other samples), see notes.hand.
    alternates: tuple[tuple[str, tuple[str, ...]], ...] = ()


def data_dir(name: str) -> Path:
    """Bundled data folder: inside the wheel (notes/_data/<name>) or the repository checkout."""
    package = Path(__file__).resolve().parent
    inside_wheel = package / "_data" / name
    return inside_wheel if inside_wheel.is_dir() else package.parent / name


@cache
def load_catalog(kind: str = "outline") -> dict[str, FontSpec]:
    """Catalog entries of one kind: "outline" (TrueType, for PDFs) or "stroke" (for plotters)."""
    from notes import tomlstore

    folder = data_dir("fonts")
    entries = tomlstore.loads((folder / "catalog.toml").read_text(encoding="utf-8"))["font"]
    return {
        entry["id"]: FontSpec(
            id=entry["id"],
            family=entry["family"],
            path=folder / entry["file"],
            licence=entry["licence"],
            scripts=tuple(entry["scripts"]),
            style=entry["style"],
            connected=entry["connected"],
            size=float(entry["size"]),
            fallback=entry.get("fallback"),
            legible=entry.get("legible", False),
            misreads=entry.get("misreads", ""),
        )
        for entry in entries
        if entry.get("kind", "outline") == kind
    }


def fallback_chain() -> list[FontSpec]:
    catalog = load_catalog().values()
    return sorted((s for s in catalog if s.fallback is not None), key=lambda s: s.fallback)


@dataclass(init=False, repr=False, eq=False)
class LoadedFont(Record):
    """A font file, measured (notes.fontfile), with its fallback size factor."""

    spec: FontSpec
    metrics: FontMetrics = field(repr=False)
    scale: float = 1.0  # size factor so a fallback's letters match the primary font's
    _kerns: dict = field(default_factory=dict, repr=False)
    _hb_font: object = field(default=None, repr=False)
    _boxes: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        # Plain attributes: the handwriting reads them for every letter.
        self.name = self.metrics.name  # unique to the file's contents
        self.cmap = self.metrics.cmap  # code point -> glyph id
        self.widths = self.metrics.widths  # code point -> advance, thousandths of an em
        self.face = FontFace(self.spec.path, self.metrics.name, self.metrics.units_per_em)
        # A learned hand's samples of a letter: char -> ((glyph id, advance in ems), ...), the
        # encoded glyph first; the handwriting picks one per letter.
        self.alternates = _alternate_glyphs(self.spec) if self.spec.alternates else {}

    @property
    def connected(self) -> bool:
        return self.spec.connected

    @property
    def cap_height(self) -> float:
        """Cap height as a fraction of the em."""
        return (self.metrics.cap_height or self.metrics.ascent) / 1000

    @property
    def x_height(self) -> float:
        """Height of the letter x as a fraction of the em (what a hand's size is measured on)."""
        found = self._boxes.get("x")
        if found is None:
            measures = measures_of(self.spec.path)
            found = self._boxes["x"] = measures.remembered(("x height",), lambda: x_height_of(self))
        return found

    def cjk_box(self, kind: str) -> float | None:
        """Ink height of an ideograph, kana or Hangul syllable in ems; None if the font has none."""
        if kind not in self._boxes:
            measures = measures_of(self.spec.path)
            box = measures.remembered(("box", kind), lambda: cjk_box_of(self, kind))
            self._boxes[kind] = box
        return self._boxes[kind]

    @property
    def ascent(self) -> float:
        return self.metrics.ascent / 1000

    @property
    def descent(self) -> float:
        return -self.metrics.descent / 1000

    filled = True  # an outline font's letters are shapes to fill (a stroke font's are not)
    lean = 0.0  # slant added to its letters (tan): a legible hand's beside a leaning primary

    def outline(self, gid: int, variant: int, amount: float) -> Outline:
        """A glyph's outline in font units, one of its deformed variants (notes.glyphs), kept
        on disk between runs (notes.outlinestore)."""
        from notes.outlinestore import outline

        return outline(self.spec.path, gid, variant, amount, self.connected)

    def glyph_id(self, char: str) -> int:
        return self.cmap.get(ord(char), 0)

    def covers(self, char: str) -> bool:
        return ord(char) in self.cmap

    def advance(self, char: str) -> float:
        """Advance width as a fraction of the em (before the fallback scale)."""
        return self.widths.get(ord(char), 0) / 1000

    def kern(self, left: str, right: str) -> float:
        """Pair kerning as a fraction of the em, from the font's GPOS/kern via HarfBuzz; kept
        on disk (notes.fontmeasures)."""
        key = left + right
        value = self._kerns.get(key)
        if value is None:
            measures = measures_of(self.spec.path)
            value = self._kerns[key] = measures.kern(left, right, self.metrics)
        return value

    def harfbuzz(self):
        """This font opened by HarfBuzz (shared by kerning and shaping)."""
        if self._hb_font is None:
            import uharfbuzz as hb

            blob = hb.Blob.from_file_path(str(self.spec.path))
            self._hb_font = hb.Font(hb.Face(blob))
        return self._hb_font


def stem_lean(font: LoadedFont) -> float:
    """How far a font's upright strokes lean (tan of the angle, rightwards positive): the median
    over l, I and 1 of how far the top of the letter's outline sits right of its bottom."""
    import statistics

    leans = []
    for char in "lI1":
        points = [
            (op.points[i], op.points[i + 1])
            for op in font.outline(font.glyph_id(char), 0, 0.0)
            if op.points
            for i in range(0, len(op.points), 2)
        ]
        if not points:
            continue
        low, high = min(y for _, y in points), max(y for _, y in points)
        band = 0.15 * (high - low)
        bottom = [x for x, y in points if y < low + band]
        top = [x for x, y in points if y > high - band]
        if band > 0:
            leans.append((statistics.fmean(top) - statistics.fmean(bottom)) / (high - low - band))
    return statistics.median(leans) if leans else 0.0


def _alternate_glyphs(spec: FontSpec) -> dict[str, tuple[tuple[int, float], ...]]:
    from fontTools.ttLib import TTFont

    try:
        font = TTFont(spec.path, lazy=True)
        cmap, metrics = font.getBestCmap(), font["hmtx"].metrics
        upem = font["head"].unitsPerEm
        found = {}
        for char, names in spec.alternates:
            encoded = cmap.get(ord(char))
            if encoded is None:
                continue
            known = [encoded] + [n for n in names if n in metrics]
            found[char] = tuple(
                (font.getGlyphID(name), metrics[name][0] / upem) for name in [encoded, *known[1:]]
            )
        return found
    except (OSError, KeyError, ValueError, AssertionError) as exc:
        raise FontError(
            f"cannot read the alternates of the hand: {exc}",
            where=str(spec.path),
            hint=f"learn it again: notes hand learn PHOTO --name {spec.id} --force",
        ) from None


def _load(spec: FontSpec) -> LoadedFont:
    return LoadedFont(spec=spec, metrics=measures_of(spec.path).metrics(spec.id))


@cache
def _load_bundled(font_id: str) -> LoadedFont:
    return _load(load_catalog()[font_id])


def load_user_font(path: str | Path) -> FontSpec:
    """A user's own .ttf/.otf/.woff: CFF outlines are converted to TrueType (cached)."""
    from notes.fontconvert import ensure_truetype

    source = Path(path).expanduser()
    if not source.is_file():
        raise FontError(
            "font file not found",
            where=str(source),
            hint="give a bundled font id (`notes fonts`) or the path to a .ttf/.otf file",
        )
    size = source.stat().st_size
    if size > MAX_FONT_BYTES:  # checked before anything reads it: a font is read whole
        raise FontError(
            f"the font file is {size:,} bytes, larger than any font `notes` can embed "
            f"(at most {MAX_FONT_BYTES // 2**20} MB)",
            where=str(source),
            hint="check it is the right file: one .ttf or .otf font, or a bundled font "
            "(`notes fonts`)",
        )
    truetype = ensure_truetype(source)
    return FontSpec(
        id=source.stem,
        family=source.stem,
        path=truetype,
        licence="user",
        scripts=(),
        style="print",
        connected=False,
        size=14.0,
    )


def resolve_font_spec(font: str) -> FontSpec:
    """A catalog id, a hand learned with `notes hand learn`, or a path to a font file."""
    from notes.hand.store import find_hand, hand_font_spec

    catalog = load_catalog()
    if font in catalog:
        return catalog[font]
    hand = find_hand(font)
    if hand is not None:
        return hand_font_spec(hand)
    if any(font.lower().endswith(ext) for ext in (".ttf", ".otf", ".woff", ".woff2", ".ttc")) or (
        "/" in font or "\\" in font
    ):
        return load_user_font(font)
    if font in load_catalog("stroke"):
        raise FontError(
            f"{font!r} is a single-stroke font for pen plotters, not for PDFs",
            hint="write a plot file with it (-o card.svg, .hpgl or .gcode), or choose a font "
            "from `notes fonts` for the PDF",
        )
    import difflib

    close = difflib.get_close_matches(font, list(catalog), n=1)
    raise FontError(
        f"unknown font {font!r}",
        hint=(f"did you mean {close[0]!r}? " if close else "")
        + "`notes fonts` lists the bundled fonts; or give a path to a .ttf/.otf file",
    )


class FontBook:
    """The primary font and its fallback chain, loaded lazily as characters need them."""

    def __init__(self, font: str = "caveat"):
        if font in load_catalog():
            self.primary = _load_bundled(font)
        else:
            self.primary = _load(resolve_font_spec(font))
        self._chain_specs = [s for s in fallback_chain() if s.id != self.primary.spec.id]
        self._init_caches()

    def _init_caches(self) -> None:
        self._chain: dict[tuple[int, str | None], LoadedFont] = {}
        self._by_char: dict[str, LoadedFont] = {}
        self._by_word: dict[str, list[LoadedFont]] = {}
        self._shaped: dict[tuple[str, bool], list] = {}
        self._needs_shaping: dict[str, bool] = {}
        self._runs: dict[tuple[str, str], tuple[TextRun, ...]] = {}
        self._checked: set[str] = set()  # words whose every character a font here has
        self._hands: dict[str, FontBook] = {}
        # Characters of notes the primary drew whole (those with ink, and spaces): a note of
        # them only is written in it without looking at its characters again (hand_for, once
        # per note). Bounded by the primary's own characters.
        self._primary_writes: set[str] = set()
        self._written = ""  # the last note hand_for found of those: fit_text asks of it again

    def _load_fallback(self, spec: FontSpec) -> LoadedFont:
        loaded = _load_bundled(spec.id)
        return LoadedFont(spec=loaded.spec, metrics=loaded.metrics)

    def _fallback(self, index: int, kind: str | None = None) -> LoadedFont:
        """The chain's index-th font, sized to stand beside the primary font's letters:
        matched on the x-height, or for CJK characters (`kind`) on the character's box."""
        found = self._chain.get((index, kind))
        if found is None:
            found = self._load_fallback(self._chain_specs[index])
            found.scale = matched_scale(self.primary, found, kind)
            self._chain[(index, kind)] = found
        return found

    def font_for(self, char: str) -> LoadedFont:
        """The font that draws `char`: the primary, else the first fallback that has it."""
        found = self._by_char.get(char)
        if found is not None:
            return found
        if self.primary.covers(char):
            found = self.primary
        else:
            kind = cjk_kind(char)
            for index in range(len(self._chain_specs)):
                candidate = self._fallback(index, kind)
                if candidate.covers(char):
                    found = candidate
                    break
            else:
                tried = ", ".join([self.primary.spec.id] + [s.id for s in self._chain_specs])
                raise FontError(
                    f"no bundled font can draw {describe_char(char)}",
                    hint=f"fonts tried: {tried}. Remove or replace the character, "
                    "or pass --font with a .ttf that has it",
                )
        self._by_char[char] = found
        return found

    def fonts_for_word(self, word: str) -> list[LoadedFont]:
        """A font per character. A word one fallback can draw entirely is drawn in it alone,
        so a name like 'Nguyễn' or '谢丽娟' is written in one hand, not a patchwork."""
        found = self._by_word.get(word)
        if found is not None:
            return found
        per_char = [self.font_for(char) for char in word]
        misreads = self.primary.spec.misreads
        if misreads and any(c in misreads for c in word) and is_exact(word):
            legible = self._legible_for(word)
            if legible is not None:  # a number or code read exactly, in one hand
                per_char = [legible] * len(word)
        elif any(font is not self.primary for font in per_char):
            kind = next((k for k in map(cjk_kind, word) if k), None)
            for index in range(len(self._chain_specs)):
                candidate = self._fallback(index, kind)
                if all(candidate.covers(c) for c in word):
                    per_char = [candidate] * len(word)
                    break
        if len(self._by_word) >= KNOWN_WORDS:  # a batch's order numbers must not fill it
            self._by_word.clear()
        self._by_word[word] = per_char
        return per_char

    def _legible_for(self, word: str) -> LoadedFont | None:
        """The first legible font of the fallback chain (as envelopes are addressed) that has
        every character of `word`, sized as a fallback is, or None."""
        for index, spec in enumerate(self._chain_specs):
            if spec.legible and not spec.misreads:
                candidate = self._chain.get((index, "legible"))
                if candidate is None:
                    fallback = self._fallback(index)
                    candidate = LoadedFont(spec=fallback.spec, metrics=fallback.metrics)
                    candidate.scale = fallback.scale
                    # Upright letters in a leaning hand look pasted: they lean as it does.
                    candidate.lean = stem_lean(self.primary) - stem_lean(candidate)
                    self._chain[(index, "legible")] = candidate
                if all(candidate.covers(c) for c in word):
                    return candidate
        return None

    def draws(self, text: str) -> bool:
        """Whether the primary font alone draws every visible character of `text`."""
        return all(self.primary.covers(c) for c in _drawn(text))

    def hand_for(self, text: str) -> tuple[FontBook, str]:
        """The book a whole note is written with, and why when it is not this one.

        One hand per note: when the primary font cannot draw all of the note, the first font
        of the fallback chain that can draws all of it, rather than letters switching fonts
        word by word. Only a note no single font can draw falls back per character, and a note in
        a hand learned from the owner's writing (the hand is the point of it).
        """
        if self._primary_writes.issuperset(text):
            self._written = text
            return self, ""
        missing = next((c for c in _drawn(text) if not self.primary.covers(c)), None)
        if missing is None:
            self._primary_writes.update(text)
            self._written = text
            return self, ""
        if self.primary.spec.style == LEARNED:
            return self, ""  # the owner's own hand stays theirs: a name it lacks falls back
        drawn = _drawn(text)
        for index, spec in enumerate(self._chain_specs):
            candidate = self._fallback(index)
            if all(candidate.covers(c) for c in drawn):
                hand = self._hands.get(spec.id)
                if hand is None:
                    hand = self._hands[spec.id] = self._book(spec.id)
                why = (
                    f"{self.primary.spec.id} cannot draw {describe_char(missing)}: "
                    f"the whole note is written in {spec.id}"
                )
                return hand, why
        return self, ""

    def _book(self, font_id: str) -> FontBook:
        """A book of the same kind whose primary is `font_id` (a stroke book stays one)."""
        return type(self)(font_id)

    def writing_height(self, text: str) -> float:
        """What the note's size is measured on, in ems of the primary font (notes.lettersize)."""
        if text.isascii():  # no CJK character, nothing to look at (a merge asks once per note)
            return self.primary.x_height
        return writing_height(self.primary, _drawn(text))

    def needs_shaping(self, word: str) -> bool:
        """Whether a word must be shaped as a whole (complex script or right-to-left)."""
        if word.isascii():  # no complex script, right-to-left letter or combining mark: a
            return False  # batch's codes and numbers are not kept one by one for this answer
        found = self._needs_shaping.get(word)
        if found is None:
            from notes.shaping import has_rtl, word_needs_shaping

            found = self._needs_shaping[word] = word_needs_shaping(word) or has_rtl(word)
        return found

    def shaped_word(self, word: str, *, rtl_paragraph: bool = False) -> list:
        """(font, ShapedGlyph) pairs from left to right for a word that needs shaping or bidi."""
        key = (word, rtl_paragraph)
        found = self._shaped.get(key)
        if found is None:
            from notes.shaping import shape, visual_segments

            found = []
            for segment in visual_segments(word, rtl_paragraph=rtl_paragraph):
                fonts = self.fonts_for_word(segment)
                # Shape each run of characters that one font draws.
                start = 0
                runs = []
                for index in range(1, len(segment) + 1):
                    if index == len(segment) or fonts[index] is not fonts[start]:
                        runs.append((fonts[start], segment[start:index]))
                        start = index
                from notes.shaping import has_rtl

                if has_rtl(segment):
                    runs.reverse()
                for font, text in runs:
                    found.extend((font, glyph) for glyph in shape(font, text))
            self._shaped[key] = found
        return found

    def text_runs(self, text: str, preferred: LoadedFont | None) -> tuple[TextRun, ...]:
        """Text split into runs that one font each can set, `preferred` where it can (for the
        invisible text layer); characters no font has are left out. Cached."""
        key = (text, preferred.name if preferred is not None else "")
        found = self._runs.get(key)
        if found is not None:
            return found
        runs: list[list] = []
        for char in text:
            font = preferred if preferred is not None and preferred.covers(char) else None
            if font is None:
                try:
                    font = self.font_for(char)
                except FontError:  # the visible letters were checked already: nothing to copy
                    continue
            if runs and runs[-1][0] is font:
                runs[-1][1] += char
            else:
                runs.append([font, char])
        found = self._runs[key] = tuple(TextRun(f.face, chars, f.scale) for f, chars in runs)
        return found

    def writes_all(self, text: str) -> bool:
        """Whether every character of `text` is one the primary font was found to draw (or a
        space) in a note hand_for gave it: check_text passes any word made of them. The note
        hand_for was last asked about is answered without looking at its characters again."""
        return text is self._written or self._primary_writes.issuperset(text)

    def check_text(self, text: str) -> None:
        """Raise FontError for the first character no font can draw."""
        if self._primary_writes.issuperset(text) or text in self._checked:
            return  # (hand_for found the note's characters in the primary: a batch's words,
            # its order numbers among them, are not kept one by one for this answer)
        for char in set(text):
            if char.isspace() or char in INVISIBLE:
                continue
            self.font_for(char)
        self._checked.add(text)

    def coverage(self, text: str) -> list[tuple[str, str | None]]:
        """(character, font id or None) for each distinct drawable character, in order."""
        seen: dict[str, str | None] = {}
        for char in text:
            if char in seen or char.isspace() or char in INVISIBLE:
                continue
            try:
                seen[char] = self.font_for(char).spec.id
            except FontError:
                seen[char] = None
        return list(seen.items())


# Words a batch keeps what they are for (widths, line breaks, letters, reach: about 3 KB a word
# in all), per book; a merge with a unique order number per row empties it now and then.
KNOWN_WORDS = 4_000


def book_cache(kept: WeakKeyDictionary, fonts: FontBook) -> dict:
    """`fonts`' dictionary of what its words are, kept for every note of a batch in `kept`."""
    return bounded(kept.setdefault(fonts, {}))


def bounded(found: dict) -> dict:
    """A batch's cache of words, emptied once it holds KNOWN_WORDS of them."""
    if len(found) >= KNOWN_WORDS:
        found.clear()
    return found


def _drawn(text: str) -> str:
    """The characters of `text` that take ink, each once, in order."""
    return "".join(c for c in dict.fromkeys(text) if not c.isspace() and c not in INVISIBLE)


def describe_char(char: str) -> str:
    """'𓀀' U+13000 EGYPTIAN HIEROGLYPH A001"""
    name = unicodedata.name(char, "")
    shown = repr(char) if unicodedata.category(char)[0] not in "CZ" else "(invisible)"
    return f"{shown} U+{ord(char):04X}" + (f" {name}" if name else "")
