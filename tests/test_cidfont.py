"""A font's PDF objects, checked in a small PDF built by hand around them: qpdf, pypdf, poppler."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
import uharfbuzz as hb
from pypdf import PdfReader

from notes.drawing import FontFace
from notes.errors import FontError
from notes.fontfile import read_font
from notes.pdf.cidfont import FONT_OBJECTS, font_objects
from tests.pdfcheck import check_pdf

FONTS = Path(__file__).parent.parent / "fonts"
CAVEAT = FONTS / "Caveat_400Regular.ttf"
PLAYPEN = FONTS / "PlaypenSans_400Regular.ttf"  # has 🌞 (U+1F31E), beyond U+FFFF
NUMBERS = [5, 6, 7, 8, 9]


def _face(path: Path) -> FontFace:
    metrics = read_font(path, path.stem.split("_")[0].lower())
    return FontFace(path, metrics.name, metrics.units_per_em)


def _glyphs(path: Path, text: str) -> list[tuple[int, str]]:
    """Each character's glyph id in the font's cmap, with the character."""
    cmap = read_font(path, "test").cmap
    return [(cmap[ord(char)], char) for char in text]


def _pdf(target: Path, face: FontFace, shown: list[tuple[int, str]]) -> Path:
    """A one-page PDF showing the glyphs, codes = glyph ids, with the font's objects written
    from font_objects and everything else (catalog, page, xref) written here."""
    codes = "".join(f"{gid:04X}" for gid, _ in shown)
    content = f"BT /F1 36 Tf 30 60 Td <{codes}> Tj ET".encode("ascii")
    objects = [
        (1, b"<< /Type /Catalog /Pages 2 0 R >>"),
        (2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"),
        (
            3,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 150] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
        ),
        (4, b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)),
        *font_objects(face, dict(shown), NUMBERS),
    ]
    out, offsets = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), {}
    for number, body in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offsets[number] for number in sorted(offsets))
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    target.write_bytes(bytes(out))
    return target


def _text(path: Path) -> str:
    return PdfReader(str(path), strict=True).pages[0].extract_text()


def _dark_pixels(path: Path, tmp_path: Path) -> tuple[int, int]:
    """Dark pixels of the page rendered at 100 dpi, (in the text's band, elsewhere)."""
    subprocess.run(
        ["pdftoppm", "-r", "100", "-gray", str(path), str(tmp_path / "page")], check=True
    )
    pgm = next(tmp_path.glob("page*.pgm")).read_bytes()
    _, size, _, pixels = pgm.split(b"\n", 3)
    width, height = map(int, size.split())
    dark = [index for index, value in enumerate(pixels[: width * height]) if value < 128]
    # The rows from 110 pt down to 45 pt above the bottom hold the text (baseline at 60 pt).
    band = range((height - 110 * 100 // 72) * width, (height - 45 * 100 // 72) * width)
    inside = sum(1 for index in dark if index in band)
    return inside, len(dark) - inside


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils not installed")
def test_a_card_text_embeds_extracts_lists_and_renders(tmp_path: Path) -> None:
    face = _face(CAVEAT)
    pdf = _pdf(tmp_path / "card.pdf", face, _glyphs(CAVEAT, "Dear Ana €"))
    with pikepdf.open(pdf) as document:
        assert document.check_pdf_syntax() == [] and document.get_warnings() == []
    check_pdf(pdf)  # every font embedded, with a subset tag
    assert _text(pdf) == "Dear Ana €"
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    row = listing.stdout.splitlines()[2]
    assert re.match(
        r"[A-Z]{6}\+" + re.escape(face.name) + r" +CID TrueType +Identity-H +yes yes yes ", row
    ), listing.stdout
    inside, outside = _dark_pixels(pdf, tmp_path)
    assert inside > 500 and outside == 0


def test_a_character_beyond_u_ffff_extracts_through_a_surrogate_pair(tmp_path: Path) -> None:
    pdf = _pdf(tmp_path / "sun.pdf", _face(PLAYPEN), _glyphs(PLAYPEN, "Sun \U0001f31e"))
    with pikepdf.open(pdf) as document:
        assert document.check_pdf_syntax() == [] and document.get_warnings() == []
        to_unicode = document.get_object(9, 0).read_bytes()
    assert b"<D83CDF1E>" in to_unicode  # U+1F31E in UTF-16BE
    assert _text(pdf) == "Sun \U0001f31e"


def test_a_ligature_glyph_extracts_as_its_characters(tmp_path: Path) -> None:
    font = hb.Font(hb.Face(hb.Blob(CAVEAT.read_bytes())))
    buffer = hb.Buffer()
    buffer.add_str("fi")
    buffer.guess_segment_properties()
    hb.shape(font, buffer, {})
    (ligature,) = [info.codepoint for info in buffer.glyph_infos]  # Caveat has an fi ligature
    shown = [(ligature, "fi"), *_glyphs(CAVEAT, "ne")]
    pdf = _pdf(tmp_path / "fine.pdf", _face(CAVEAT), shown)
    assert _text(pdf) == "fine"


def test_widths_are_the_widths_planning_measured_with() -> None:
    metrics = read_font(CAVEAT, "caveat")
    text = "Dear Ana, thank you! ÄÖÜß€ 12/12"
    shown = dict(_glyphs(CAVEAT, text))
    cid_font = dict(font_objects(_face(CAVEAT), shown, NUMBERS))[NUMBERS[1]].decode()
    default = float(re.search(r"/DW (\S+)", cid_font).group(1))
    widths = {gid: default for gid in shown}
    for first, run in re.findall(
        r"(\d+) \[([^\]]*)\]", re.search(r"/W \[(.*)\]", cid_font).group(1)
    ):
        for offset, width in enumerate(run.split()):
            assert int(first) + offset in shown, "only the glyphs used have widths"
            widths[int(first) + offset] = float(width)
    for gid, char in shown.items():
        assert widths[gid] == pytest.approx(metrics.widths[ord(char)], abs=0.0005), char


def test_same_glyphs_same_bytes_and_other_glyphs_another_tag() -> None:
    face = _face(CAVEAT)
    card = dict(_glyphs(CAVEAT, "Dear Ana"))
    first = font_objects(face, card, NUMBERS)
    assert first == font_objects(face, dict(reversed(card.items())), NUMBERS)
    assert [number for number, _ in first] == NUMBERS and len(NUMBERS) == FONT_OBJECTS
    other = font_objects(face, dict(_glyphs(CAVEAT, "Dear Bob")), NUMBERS)
    tag = re.compile(rb"/BaseFont /([A-Z]{6})\+")
    assert tag.search(first[0][1]).group(1) != tag.search(other[0][1]).group(1)


def test_a_glyph_without_text_maps_to_nothing_so_readers_add_nothing(tmp_path: Path) -> None:
    (swash, _), *rest = _glyphs(CAVEAT, "xAna")
    pdf = _pdf(tmp_path / "swash.pdf", _face(CAVEAT), [(swash, ""), *rest])
    with pikepdf.open(pdf) as document:
        assert f"<{swash:04X}> <>".encode() in document.get_object(9, 0).read_bytes()
    assert _text(pdf) == "Ana"  # unmapped, pypdf would make the glyph id a character


def test_unreadable_or_unusable_font_files_are_named(tmp_path: Path) -> None:
    missing = FontFace(tmp_path / "gone.ttf", "gone", 1000)
    with pytest.raises(FontError, match="cannot read font file") as info:
        font_objects(missing, {1: "a"}, NUMBERS)
    assert info.value.where == str(missing.path) and info.value.hint
    cff = Path(__file__).parent / "fixtures" / "fonts" / "caveat-cff.otf"
    with pytest.raises(FontError, match="CFF") as info:
        font_objects(FontFace(cff, "caveat-cff", 1000), {1: "a"}, NUMBERS)
    assert info.value.where == str(cff)
    cut = tmp_path / "cut.ttf"
    cut.write_bytes(CAVEAT.read_bytes()[:50_000])
    with pytest.raises(FontError, match="truncated or damaged") as info:
        font_objects(FontFace(cut, "cut", 1000), {1: "a"}, NUMBERS)
    assert info.value.where == str(cut)


def test_embedding_a_font_imports_neither_reportlab_nor_fonttools_nor_pil() -> None:
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "import notes.pdf.cidfont as cidfont\n"
        "from notes.drawing import FontFace\n"
        f"face = FontFace(Path({str(CAVEAT)!r}), 'caveat', 1000)\n"
        "assert len(cidfont.font_objects(face, {1: 'a'}, [1, 2, 3, 4, 5])) == 5\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('reportlab', 'fontTools', 'PIL')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
