"""Font metrics are read without reportlab, and equal what reportlab reads from the same file and
the widths the PDF writer embeds (notes.pdf.truetype): a word measured while planning is exactly
as wide as the same word in the PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFont

from notes.errors import FontError
from notes.fontconvert import ensure_truetype
from notes.fontfile import read_font
from notes.fonts import load_catalog
from notes.pdf.truetype import font_info

FIXTURES = Path(__file__).parent / "fixtures" / "fonts"
FONTS = [spec.path for spec in load_catalog().values()]


@pytest.mark.parametrize("path", [*FONTS, FIXTURES / "caveat-cff.otf"], ids=lambda p: p.name)
def test_metrics_and_cmap_equal_the_pdf_writers(path: Path) -> None:
    path = ensure_truetype(path)
    ours = read_font(path, "x")
    face = TTFont("metrics-check", str(path)).face
    # reportlab also lists code points that map to glyph 0 (.notdef): they draw nothing.
    theirs = {code: gid for code, gid in face.charToGlyph.items() if gid}
    assert ours.cmap == theirs
    assert {code: ours.widths[code] for code in theirs} == {
        code: face.charWidths[code] for code in theirs
    }
    assert (ours.ascent, ours.descent, ours.cap_height) == (
        face.ascent,
        face.descent,
        face.capHeight,
    )
    assert ours.units_per_em == face.unitsPerEm
    embedded = font_info(path.read_bytes())
    scale = 1000 / embedded.units_per_em
    assert {code: embedded.advances[gid] * scale for code, gid in ours.cmap.items()} == {
        code: pytest.approx(width) for code, width in ours.widths.items()
    }


def test_a_table_cut_off_is_named(tmp_path: Path) -> None:
    cut = tmp_path / "cut.ttf"
    cut.write_bytes(FONTS[0].read_bytes()[:5000])
    with pytest.raises(FontError, match="truncated or damaged") as info:
        read_font(cut, "cut")
    assert "ends past the end of the file" in str(info.value) and info.value.hint
