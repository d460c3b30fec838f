"""TrueType subsets written without fontTools: every bundled font, checked with fontTools."""

from __future__ import annotations

import io
import struct
from functools import cache
from pathlib import Path

import pytest
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.ttLib import TTFont
from hypothesis import example, given, settings
from hypothesis import strategies as st
from reportlab.pdfbase.ttfonts import TTFont as ReportlabFont

from notes.errors import FontError
from notes.fontfile import read_font
from notes.pdf.truetype import font_info, subset_truetype

FONTS = sorted((Path(__file__).parent.parent / "fonts").glob("*.ttf"))
CARD = "Dear Ana, thank you! ÄÖÜß€ 12/12"
CAVEAT = next(path for path in FONTS if path.name.startswith("Caveat"))
CFF_FONT = Path(__file__).parent / "fixtures" / "fonts" / "caveat-cff.otf"


@cache
def _original(path: Path) -> TTFont:
    return TTFont(str(path))


def _gids(path: Path, text: str) -> set[int]:
    cmap = read_font(path, "test").cmap
    return {cmap[ord(char)] for char in text if ord(char) in cmap}


def _outline(font: TTFont, gid: int) -> list:
    """The glyph as drawn, composites resolved to their components' contours."""
    glyphs = font.getGlyphSet()
    pen = DecomposingRecordingPen(glyphs)
    glyphs[font.getGlyphOrder()[gid]].draw(pen)
    return pen.value


def _closure(font: TTFont, gids: set[int]) -> set[int]:
    """The glyphs and every component they are built from, through fontTools."""
    order, glyf = font.getGlyphOrder(), font["glyf"]
    kept, pending = set(gids), list(gids)
    while pending:
        glyph = glyf[order[pending.pop()]]
        for name in glyph.getComponentNames(glyf) if glyph.isComposite() else []:
            if font.getGlyphID(name) not in kept:
                kept.add(font.getGlyphID(name))
                pending.append(font.getGlyphID(name))
    return kept


def _metrics(font: TTFont, gid: int) -> tuple[int, int]:
    """The glyph's advance width and left side bearing in hmtx."""
    return font["hmtx"][font.getGlyphOrder()[gid]]


def _checksum(data: bytes) -> int:
    data += b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(data) // 4}I", data)) & 0xFFFFFFFF


def _assert_checksums_right(font: bytes) -> None:
    (count,) = struct.unpack_from(">H", font, 4)
    for index in range(count):
        tag, checksum, offset, length = struct.unpack_from(">4sIII", font, 12 + 16 * index)
        assert offset % 4 == 0, f"{tag} is not 4-byte aligned"
        body = font[offset : offset + length]
        if tag == b"head":
            body = body[:8] + b"\0\0\0\0" + body[12:]  # summed with checkSumAdjustment 0
        assert checksum == _checksum(body), f"{tag} checksum"
    assert _checksum(font) == 0xB1B0AFBA  # what head.checkSumAdjustment makes the whole file sum to


@pytest.mark.parametrize("path", FONTS, ids=lambda path: path.stem)
def test_a_cards_subset_keeps_its_glyphs_exactly_and_empties_the_rest(path: Path) -> None:
    keep = _gids(path, CARD)
    subset = subset_truetype(path.read_bytes(), keep)
    ours, original = TTFont(io.BytesIO(subset), checkChecksums=2), _original(path)
    assert ours["maxp"].numGlyphs == original["maxp"].numGlyphs
    kept = _closure(original, keep | {0})
    for gid in kept:
        assert _outline(ours, gid) == _outline(original, gid), f"glyph {gid}"
        assert _metrics(ours, gid) == _metrics(original, gid), f"glyph {gid}"
    for gid in set(range(ours["maxp"].numGlyphs)) - kept:
        assert ours["glyf"][ours.getGlyphOrder()[gid]].numberOfContours == 0, f"glyph {gid}"
    _assert_checksums_right(subset)
    hinting = {tag for tag in ("cvt ", "fpgm", "prep") if tag in original}
    assert set(ours.reader.keys()) == {"head", "hhea", "maxp", "hmtx", "loca", "glyf", *hinting}
    for tag in hinting:
        assert ours.reader[tag] == original.reader[tag], f"{tag} kept as it was"


def test_a_kept_composite_keeps_its_components_though_they_were_not_asked_for() -> None:
    original = _original(CAVEAT)
    umlaut = read_font(CAVEAT, "test").cmap[ord("Ä")]
    glyph = original["glyf"][original.getGlyphOrder()[umlaut]]
    assert glyph.isComposite()
    components = {original.getGlyphID(name) for name in glyph.getComponentNames(original["glyf"])}
    ours = TTFont(io.BytesIO(subset_truetype(CAVEAT.read_bytes(), [umlaut])))
    for gid in components:
        assert ours["glyf"][ours.getGlyphOrder()[gid]].numberOfContours > 0
    assert _outline(ours, umlaut) == _outline(original, umlaut) != []
    assert _gids(CAVEAT, "A") <= components  # the A it is built on, never asked for


def test_a_card_subset_is_a_small_part_of_the_file() -> None:
    data = CAVEAT.read_bytes()
    assert len(subset_truetype(data, _gids(CAVEAT, CARD))) < 0.25 * len(data)


def test_many_glyphs_get_long_loca_offsets_and_few_short_ones() -> None:
    path = next(path for path in FONTS if path.name.startswith("NanumPenScript"))
    original = _original(path)
    many = set(range(0, original["maxp"].numGlyphs, 3))
    ours = TTFont(io.BytesIO(subset_truetype(path.read_bytes(), many)))
    assert ours["head"].indexToLocFormat == 1
    for gid in sorted(many)[::200]:
        assert _outline(ours, gid) == _outline(original, gid)
    few = TTFont(io.BytesIO(subset_truetype(path.read_bytes(), _gids(path, CARD))))
    assert few["head"].indexToLocFormat == 0


def test_the_same_glyphs_give_the_same_bytes_in_any_order() -> None:
    data, keep = CAVEAT.read_bytes(), sorted(_gids(CAVEAT, CARD))
    assert subset_truetype(data, keep) == subset_truetype(data, reversed(keep))
    assert subset_truetype(data, keep) != subset_truetype(data, _gids(CAVEAT, "Dear Ana"))


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_any_glyphs_kept_give_a_font_fonttools_loads_with_every_glyph_id(data) -> None:
    path = data.draw(st.sampled_from([CAVEAT, *(p for p in FONTS if "Dancing" in p.name)]))
    original = _original(path)
    count = original["maxp"].numGlyphs
    keep = data.draw(st.sets(st.integers(0, count + 5), max_size=60))
    ours = TTFont(io.BytesIO(subset_truetype(path.read_bytes(), keep)), checkChecksums=2)
    assert ours["maxp"].numGlyphs == count
    for gid in sorted(keep & set(range(count)))[:8]:
        assert _outline(ours, gid) == _outline(original, gid)
        assert _metrics(ours, gid) == _metrics(original, gid)


@pytest.mark.parametrize("path", FONTS, ids=lambda path: path.stem)
def test_font_info_states_what_reportlab_put_in_the_font_descriptor(path: Path) -> None:
    info = font_info(path.read_bytes())
    face = ReportlabFont("info-check", str(path)).face
    scale = 1000 / info.units_per_em
    assert (info.ascent * scale, info.descent * scale) == (face.ascent, face.descent)
    assert info.cap_height * scale == face.capHeight
    assert [round(v * scale) for v in info.bbox] == [round(v) for v in face.bbox]
    assert (info.italic_angle, info.flags, info.stem_v) == (
        face.italicAngle,
        face.flags,
        face.stemV,
    )
    hmtx = _original(path)["hmtx"]
    assert info.advances == tuple(hmtx[name][0] for name in _original(path).getGlyphOrder())


def _without_table(data: bytes, tag: bytes) -> bytes:
    """The font with one table's directory entry renamed, as if it were missing."""
    at = data.index(tag, 12, 12 + 16 * struct.unpack_from(">H", data, 4)[0])
    return data[:at] + b"zzzz" + data[at + 4 :]


@pytest.mark.parametrize(
    "damage, says",
    [
        (lambda data: data[:60_000], "ends past the end of the file"),
        (lambda data: _without_table(data, b"glyf"), "no 'glyf' table"),
        (lambda data: _without_table(data, b"loca"), "no 'loca' table"),
        (lambda data: data[:12], "table directory is cut off"),
    ],
    ids=["truncated", "no-glyf", "no-loca", "header-only"],
)
def test_damaged_fonts_are_named_with_a_hint(damage, says: str) -> None:
    data = damage(CAVEAT.read_bytes())
    with pytest.raises(FontError, match=says) as info:
        subset_truetype(data, [1, 2], where="fonts/broken.ttf")
    assert info.value.where == "fonts/broken.ttf" and info.value.hint
    with pytest.raises(FontError, match=says):
        font_info(data, where="fonts/broken.ttf")


SHADOWS = next(path for path in FONTS if path.name.startswith("ShadowsIntoLight"))


@settings(max_examples=200, deadline=None)
@example(changes=[(2, 4, 0), (2, 5, 0)])  # maxp: no glyphs at all
@given(
    changes=st.lists(
        st.tuples(st.integers(0, 6), st.integers(0, 399), st.integers(0, 255)),
        min_size=1,
        max_size=4,
    )
)
def test_damaged_bytes_give_a_font_or_a_font_error_never_a_crash(changes) -> None:
    """Bytes changed in the table directory or the start of a table the subset reads."""
    data = bytearray(SHADOWS.read_bytes())
    starts = [
        12,
        *(
            _table_start(data, tag)
            for tag in (b"head", b"maxp", b"hhea", b"loca", b"hmtx", b"glyf")
        ),
    ]
    for region, offset, value in changes:
        data[starts[region] + offset] = value
    for read in (
        lambda: subset_truetype(bytes(data), range(0, 300, 7)),
        lambda: font_info(bytes(data)),
    ):
        try:
            read()
        except FontError:
            pass


def _table_start(font: bytes | bytearray, tag: bytes) -> int:
    at = font.index(tag, 12, 12 + 16 * struct.unpack_from(">H", font, 4)[0])
    return struct.unpack_from(">I", font, at + 8)[0]


def test_a_cff_opentype_font_is_refused_with_the_way_to_convert_it() -> None:
    with pytest.raises(FontError, match="CFF") as info:
        subset_truetype(CFF_FONT.read_bytes(), [1], where=str(CFF_FONT))
    assert info.value.where == str(CFF_FONT) and "TrueType" in info.value.hint
