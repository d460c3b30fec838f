"""Single-stroke fonts for pen plotters: SVG fonts read as centre lines a pen can follow.

A plotter draws lines; a TrueType outline drawn by a pen comes out as two lines around every
stroke. The EMS fonts (fonts/*.svg, kind = "stroke" in the catalog) are SVG fonts whose glyph
paths are the pen's path itself. They are read here into polylines (curves flattened), with the
metrics layout needs, and offered through a FontBook of their own so the layout and the hand
(notes.layout, notes.handwriting) place them exactly as they place outline fonts. Fallback is
among stroke fonts only: a character none of them has is an error naming it.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from notes.drawing import FontFace, Outline, PathOp
from notes.errors import FontError
from notes.fonts import FontBook, FontSpec, describe_char, load_catalog
from notes.svgpath import Point, Polyline, parse_path

_SVG = "{http://www.w3.org/2000/svg}"
# A dot or an accent: a stroke smaller than this (in ems) that sits above the letter's body.
MARK_SIZE = 0.2


@dataclass(frozen=True)
class StrokeGlyph:
    """One letter as pen strokes, in font units (y up); `marks`: indexes of dots and accents."""

    advance: float
    strokes: tuple[Polyline, ...]
    marks: frozenset[int] = frozenset()


@dataclass(frozen=True)
class StrokeFontFile:
    """An SVG font file, read: metrics in font units, glyphs by character."""

    path: Path
    family: str
    units_per_em: float
    ascent: float
    descent: float  # negative below the baseline, as in the font
    cap_height: float
    x_height: float
    glyphs: dict[str, StrokeGlyph] = field(repr=False)


def _damaged(path: Path, reason: str) -> FontError:
    return FontError(
        f"cannot read stroke font: {reason}",
        where=str(path),
        hint="reinstall notes; the bundled SVG fonts are listed by `notes fonts`",
    )


@cache
def read_stroke_font(path: Path) -> StrokeFontFile:
    """Read an SVG font's <font-face> metrics and every <glyph> with a single character."""
    try:
        root = ElementTree.parse(path).getroot()
    except (OSError, ElementTree.ParseError) as exc:
        raise _damaged(path, str(exc)) from None
    font = root.find(f".//{_SVG}font")
    face = root.find(f".//{_SVG}font-face")
    if font is None or face is None:
        raise _damaged(path, "it has no <font> with a <font-face>")
    try:
        upem = float(face.get("units-per-em", "1000"))
        default_advance = float(font.get("horiz-adv-x", upem / 2))
        ascent = float(face.get("ascent", upem * 0.8))
        descent = float(face.get("descent", -upem * 0.2))
    except ValueError as exc:
        raise _damaged(path, f"a font metric is not a number ({exc})") from None
    step = upem / 50  # curves flattened to chords of about 2% of the em
    glyphs: dict[str, StrokeGlyph] = {}
    for element in font.iter(f"{_SVG}glyph"):
        char = html.unescape(element.get("unicode", ""))
        if len(char) != 1 or char in glyphs:
            continue  # ligatures and duplicates: the layout places single characters
        name = element.get("glyph-name", char)
        try:
            advance = float(element.get("horiz-adv-x", default_advance))
            strokes = parse_path(element.get("d", ""), step)
        except ValueError as exc:
            raise _damaged(path, f"glyph {name!r}: {exc}") from None
        glyphs[char] = StrokeGlyph(advance, strokes)
    if not glyphs:
        raise _damaged(path, "it has no glyphs")
    x_height = _top(glyphs.get("x")) or float(face.get("x-height", upem * 0.3))
    cap_height = _top(glyphs.get("H")) or float(face.get("cap-height", upem * 0.5))
    glyphs = {char: _with_marks(g, x_height, upem) for char, g in glyphs.items()}
    slant = _slant(glyphs.get("i"))
    glyphs = {char: _settle_marks(g, slant, upem) for char, g in glyphs.items()}
    family = face.get("font-family", path.stem)
    return StrokeFontFile(path, family, upem, ascent, descent, cap_height, x_height, glyphs)


def _top(glyph: StrokeGlyph | None) -> float | None:
    if glyph is None or not glyph.strokes:
        return None
    return max(y for stroke in glyph.strokes for _, y in stroke)


def _with_marks(glyph: StrokeGlyph, x_height: float, upem: float) -> StrokeGlyph:
    """Flag the strokes that are dots and accents: small, above the body, beside a larger stroke."""
    if len(glyph.strokes) < 2:
        return glyph
    marks = set()
    for index, stroke in enumerate(glyph.strokes):
        xs = [x for x, _ in stroke]
        ys = [y for _, y in stroke]
        small = max(xs) - min(xs) <= MARK_SIZE * upem and max(ys) - min(ys) <= MARK_SIZE * upem
        if small and min(ys) >= 0.75 * x_height:
            marks.add(index)
    if len(marks) == len(glyph.strokes):
        return glyph  # a glyph made only of small strokes (a quote mark) has no body to leave
    return StrokeGlyph(glyph.advance, glyph.strokes, frozenset(marks))


def _slant(glyph: StrokeGlyph | None) -> float:
    """How far right the font's letters lean per unit of height, from where it dots its 'i'."""
    if glyph is None or len(glyph.marks) != 1 or len(glyph.strokes) != 2:
        return 0.0
    (dot,) = (glyph.strokes[i] for i in glyph.marks)
    (stem,) = (s for i, s in enumerate(glyph.strokes) if i not in glyph.marks)
    top_x, top_y = max(stem, key=lambda p: p[1])
    dot_x, dot_y = _centre(dot)
    return max(0.0, min(0.6, (dot_x - top_x) / max(dot_y - top_y, 1.0)))


def _centre(points: Iterable[Point]) -> Point:
    xs, ys = zip(*points, strict=True)
    return ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)


def _settle_marks(glyph: StrokeGlyph, slant: float, upem: float) -> StrokeGlyph:
    """Dots and accents over the middle of the letter's top, two dots (ë) close together.

    The EMS fonts place marks where their outline originals had them, often a little to the
    right and, for a diaeresis, as wide apart as the letter: drawn thin, 'Zoë' read 'Zoe;'.
    """
    if not glyph.marks:
        return glyph
    body = [p for i, s in enumerate(glyph.strokes) if i not in glyph.marks for p in s]
    top = max(y for _, y in body)
    height = top - min(y for _, y in body)
    top_xs = [x for x, y in body if y >= top - 0.2 * height]
    body_x = sum(top_xs) / len(top_xs)
    width = max(x for x, _ in body) - min(x for x, _ in body)
    marks = sorted(glyph.marks)
    centres = {i: _centre(glyph.strokes[i]) for i in marks}
    group_x, group_y = _centre(p for i in marks for p in glyph.strokes[i])
    target_x = body_x + slant * (group_y - top)
    moves = {i: target_x - group_x for i in marks}
    if len(marks) == 2 and abs(centres[marks[0]][1] - centres[marks[1]][1]) < 0.08 * upem:
        left, right = sorted(marks, key=lambda i: centres[i][0])
        gap = centres[right][0] - centres[left][0]
        closer = (gap - min(gap, 0.5 * width, 0.2 * upem)) / 2
        moves[left] += closer
        moves[right] -= closer
    strokes = tuple(
        tuple((x + moves[i], y) for x, y in stroke) if i in moves else stroke
        for i, stroke in enumerate(glyph.strokes)
    )
    return StrokeGlyph(glyph.advance, strokes, glyph.marks)


@dataclass
class StrokeFont:
    """A stroke font as the layout and the hand use a font (the interface of fonts.LoadedFont).

    Widths are in thousandths of an em like a TrueType font's; `outline` gives a letter's
    strokes in ems, as one of a few smoothly deformed variants when the realism asks for them.
    """

    spec: FontSpec
    file: StrokeFontFile = field(repr=False)
    scale: float = 1.0  # size factor so a fallback's capitals match the primary font's

    filled = False  # centre lines: a writer strokes them, never fills them
    lean = 0.0  # (a legible hand's, beside a leaning primary: PDFs only, see fonts.LoadedFont)
    alternates: dict = field(default_factory=dict, repr=False)  # no learned samples: varied by warp

    def __post_init__(self) -> None:
        self.name = f"stroke-{self.spec.id}"
        upem = self.file.units_per_em
        self._chars = sorted(self.file.glyphs)  # glyph id - 1 -> character
        self.cmap = {ord(char): index + 1 for index, char in enumerate(self._chars)}
        self.widths = {ord(c): self.file.glyphs[c].advance * 1000 / upem for c in self._chars}
        if 0x20 in self.cmap and 0xA0 not in self.cmap:  # a no-break space is drawn as a space
            self.cmap[0xA0], self.widths[0xA0] = self.cmap[0x20], self.widths[0x20]
        self.face = FontFace(self.file.path, self.name, round(upem))

    @property
    def connected(self) -> bool:
        return self.spec.connected

    @property
    def cap_height(self) -> float:
        return self.file.cap_height / self.file.units_per_em

    @property
    def x_height(self) -> float:
        return self.file.x_height / self.file.units_per_em

    def cjk_box(self, kind: str) -> None:
        return None  # the stroke fonts draw Latin only

    @property
    def ascent(self) -> float:
        return self.file.ascent / self.file.units_per_em

    @property
    def descent(self) -> float:
        return -self.file.descent / self.file.units_per_em

    def glyph_id(self, char: str) -> int:
        return self.cmap.get(ord(char), 0)

    def covers(self, char: str) -> bool:
        return ord(char) in self.cmap

    def advance(self, char: str) -> float:
        return self.widths.get(ord(char), 0) / 1000

    def kern(self, left: str, right: str) -> float:
        return 0.0  # the EMS fonts carry no kerning

    def letter(self, char: str, variant: int = 0, amount: float = 0.0) -> StrokeGlyph:
        """The letter's strokes in font units (y up), with its marks; variants 1.. are deformed
        by the same seeded field as an outline font's (notes.glyphs)."""
        char = " " if char == "\u00a0" else char
        return _letter(self.file.path, char, variant, amount, self.connected)

    def outline(self, gid: int, variant: int, amount: float) -> Outline:
        """The glyph table's shape (notes.drawing): the letter's strokes as open subpaths."""
        char = self._chars[gid - 1] if 0 < gid <= len(self._chars) else ""
        return tuple(
            PathOp("M" if index == 0 else "L", point)
            for stroke in self.letter(char, variant, amount).strokes
            for index, point in enumerate(stroke)
        )


@cache
def _letter(path: Path, char: str, variant: int, amount: float, pinned: bool) -> StrokeGlyph:
    from notes.glyphs import WARP_VERSION, bent_centre_lines, hash_seed

    font = read_stroke_font(path)
    glyph = font.glyphs.get(char)
    if glyph is None:
        return StrokeGlyph(0.0, ())
    if not variant or amount <= 0:
        return glyph
    seed = hash_seed(path.name, ord(char), variant, WARP_VERSION)
    upem, advance = int(font.units_per_em), int(glyph.advance)
    strokes = bent_centre_lines(seed, upem, amount, advance, pinned, glyph.strokes)
    return StrokeGlyph(glyph.advance, strokes, glyph.marks)


def stroke_catalog() -> dict[str, FontSpec]:
    return load_catalog("stroke")


def _load(font_id: str) -> StrokeFont:
    spec = stroke_catalog()[font_id]
    return StrokeFont(spec, read_stroke_font(spec.path))


class StrokeBook(FontBook):
    """A stroke font and the other stroke fonts as its fallback chain (fonts.FontBook's rules)."""

    def __init__(self, font: str = "ems-allure"):
        catalog = stroke_catalog()
        if font not in catalog:
            raise not_a_stroke_font(font)
        self.primary = _load(font)
        chain = sorted(
            (s for s in catalog.values() if s.fallback is not None), key=lambda s: s.fallback
        )
        self._chain_specs = [s for s in chain if s.id != font]
        self._init_caches()

    def _load_fallback(self, spec: FontSpec) -> StrokeFont:
        return _load(spec.id)

    def font_for(self, char: str) -> StrokeFont:
        try:
            return super().font_for(char)
        except FontError:
            tried = ", ".join([self.primary.spec.id] + [s.id for s in self._chain_specs])
            raise FontError(
                f"no stroke font can draw {describe_char(char)}",
                hint=f"stroke fonts tried: {tried}. Pen plotters need single-stroke fonts, which "
                "cover Latin-1: replace the character, or write this card as a PDF",
            ) from None

    def by_name(self, name: str) -> StrokeFont:
        """The loaded font a glyph table's FontFace names (the primary or a fallback)."""
        return next(f for f in (self.primary, *self._chain.values()) if f.name == name)

    def shaped_word(self, word: str, *, rtl_paragraph: bool = False) -> list:
        # Only reached for scripts no stroke font covers: check_text has refused them already.
        raise FontError(f"no stroke font can shape {word!r}", hint="write this card as a PDF")


def not_a_stroke_font(font: str) -> FontError:
    names = ", ".join(stroke_catalog())
    if font in load_catalog():
        return FontError(
            f"{font!r} is an outline font: a pen plotter needs a single-stroke font",
            hint=f"use --font with one of {names} (or set [plotter] font in notes.toml)",
        )
    return FontError(f"unknown stroke font {font!r}", hint=f"stroke fonts: {names}")
