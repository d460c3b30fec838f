"""The sender's scanned signature under the text, from PNG or SVG; bad files are clear errors."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest

from notes.errors import DataError
from notes.render import Renderer, Style, render_note
from notes.signature import MAX_FILE_BYTES
from tests.pdfcheck import check_pdf, text_of

HERE = Path(__file__).parent / "fixtures" / "signature"
NOTE = "Dear Ana,\n\nThank you so much for your order of the blue teapot!\n\nWarmly,\nMaya"


@pytest.mark.parametrize("name", ["signature.png", "signature.svg"])
def test_signature_is_placed_under_the_text(tmp_path, name):
    out = tmp_path / "card.pdf"
    plan = render_note(NOTE, out, style=Style(signature=str(HERE / name)), key="Ana")
    signature = plan.signature
    x, y, w, h = signature.x, signature.y, signature.width, signature.height
    card = plan.card
    assert 0 < x and x + w < card.width and 0 < y and y + h < card.height
    lowest_text = min(g.f for word in plan.words for g in word.glyphs)
    assert lowest_text > y + h  # the writing sits above the signature
    reader = check_pdf(out)
    assert "Ana" in text_of(reader)
    content = reader.pages[0].get_contents().get_data()
    if name.endswith(".png"):
        assert any(
            str(obj.get_object().get("/Subtype")) == "/Image"
            for obj in reader.pages[0]["/Resources"]["/XObject"].values()
        )
    else:
        assert b" c" in content or b"c\n" in content  # the SVG's curves drawn as paths


def test_a_signature_is_about_two_lines_of_writing_tall(tmp_path):
    # At three lines a learned signature came out 20 mm tall beside 2.7 mm letters.
    from notes.cards import MM

    plan = render_note(
        NOTE, tmp_path / "c.pdf", style=Style(signature=str(HERE / "signature.svg")), key="A"
    )
    assert 8 * MM < plan.signature.height <= 6 * Style().x_height * MM


def test_a_png_that_is_not_a_png_is_refused(tmp_path):
    fake = tmp_path / "sig.png"
    fake.write_bytes(b"GIF89a not really")
    with pytest.raises(DataError, match="neither a PNG nor an SVG"):
        Renderer(Style(signature=str(fake)))
    broken = tmp_path / "broken.png"
    broken.write_bytes((HERE / "signature.png").read_bytes()[:200])
    with pytest.raises(DataError, match="damaged"):
        Renderer(Style(signature=str(broken)))


def test_missing_signature_file(tmp_path):
    with pytest.raises(DataError, match="not found"):
        Renderer(Style(signature=str(tmp_path / "nope.png")))


def test_cli_signature_option(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from notes.cli import app

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        app, ["write", "--text", NOTE, "--signature", str(HERE / "signature.png"), "-o", "a.pdf"]
    )
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(
        app, ["write", "--text", NOTE, "--signature", str(tmp_path / "x.png"), "-o", "b.pdf"]
    )
    assert result.exit_code == 1 and "signature file not found" in result.output


def _png(width: int, height: int) -> bytes:
    """A PNG whose header claims width x height: all a decompression bomb needs to be opened."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit grey
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b""))


@pytest.mark.parametrize("side", [30_000, 11_000])
def test_a_png_with_too_many_pixels_is_refused_before_decoding(tmp_path, side):
    """30k x 30k is a decompression bomb; 11k x 11k took 395 MB to draw."""
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(_png(side, side))
    with pytest.raises(DataError) as info:
        Renderer(Style(signature=str(bomb)))
    assert info.value.where == str(bomb)
    assert f"{side:,}×{side:,} pixels" in info.value.message
    assert "scale it down" in (info.value.hint or "")


@pytest.mark.parametrize("width", ["nan", "inf", "-300", "0"])
def test_an_svg_without_a_real_size_is_refused(tmp_path, width):
    svg = tmp_path / "sig.svg"
    svg.write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="100">'
        '<path d="M0 0 L10 10" stroke="black"/></svg>'
    )
    with pytest.raises(DataError) as info:
        Renderer(Style(signature=str(svg)))
    assert info.value.where == str(svg) and "width" in info.value.message
    assert 'width="300"' in (info.value.hint or "")


def test_an_svg_signature_with_text_is_refused_before_any_card(tmp_path):
    """The writer embeds an SVG's paths, and no font for its text (reportlab drew that in an
    unembedded or borrowed font): refused when the style is set up, with what to do."""
    svg = tmp_path / "sig.svg"
    svg.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100">'
        '<path d="M0 0 L10 10" stroke="black"/><text x="10" y="50">Maya</text></svg>'
    )
    with pytest.raises(DataError) as info:
        Renderer(Style(signature=str(svg)))
    assert info.value.where == str(svg) and "text" in info.value.message
    assert "Object to Path" in (info.value.hint or "")


def test_a_huge_signature_file_is_refused_by_its_size(tmp_path):
    """Checked before reading: a sparse 3 GB file used to take 3.1 GB of memory."""
    huge = tmp_path / "sig.png"
    huge.write_bytes(_png(300, 100))
    with huge.open("r+b") as file:
        file.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk
    with pytest.raises(DataError) as info:
        Renderer(Style(signature=str(huge)))
    assert info.value.where == str(huge) and f"{MAX_FILE_BYTES + 1:,} bytes" in info.value.message
    assert info.value.hint


def _page_pixels(path: Path) -> list[tuple[int, int, int]]:
    """The card's pixels rendered at 50 dpi (pdfium), as (r, g, b)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        data = document[0].render(scale=50 / 72).to_pil().convert("RGB").tobytes()
    finally:
        document.close()
    return list(zip(data[0::3], data[1::3], data[2::3], strict=True))


def test_an_svg_signature_keeps_its_gradient(tmp_path):
    # The form carried only the drawing's transparency states: its gradient's shading was
    # missing, viewers reported an unknown resource and drew the bar black.
    svg = tmp_path / "sig.svg"
    svg.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="200"><defs>'
        '<linearGradient id="g" x1="0" x2="1"><stop offset="0" stop-color="#000080"/>'
        '<stop offset="1" stop-color="#c00000"/></linearGradient></defs>'
        '<rect x="10" y="20" width="580" height="160" fill="url(#g)"/></svg>'
    )
    out = tmp_path / "card.pdf"
    render_note(NOTE, out, style=Style(signature=str(svg)), key="Ana")
    check_pdf(out)
    pixels = _page_pixels(out)
    reddish = sum(1 for r, g, b in pixels if r > 120 and r > 2 * b + 20 and g < 80)
    assert reddish > 50


def test_an_svg_signature_with_a_picture_in_it_is_not_taken_for_text(tmp_path):
    # Its picture's data was searched for text operators: random bytes spelling "TJ" refused
    # a signature that has no text, telling the user to convert text to paths.
    import base64
    import io
    import random

    from PIL import Image as PILImage

    rng = random.Random(3)
    picture = PILImage.frombytes("L", (300, 100), bytes(rng.randrange(256) for _ in range(30000)))
    data = io.BytesIO()
    picture.save(data, "PNG")
    encoded = base64.b64encode(data.getvalue()).decode()
    svg = tmp_path / "scan.svg"
    svg.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="300" height="100"><image x="0" y="0" width="300" height="100" '
        f'xlink:href="data:image/png;base64,{encoded}"/></svg>'
    )
    out = tmp_path / "card.pdf"
    render_note(NOTE, out, style=Style(signature=str(svg)), key="Ana")
    assert "Ana" in text_of(check_pdf(out))


def test_a_16_bit_grey_png_signature_keeps_its_ink(tmp_path):
    # PIL's conversion to 8 bits clipped every 16-bit value to white: the signature vanished.
    from PIL import Image as PILImage

    picture = PILImage.new("I;16", (300, 100), 65535)
    for x in range(20, 280):
        for y in range(40, 60):
            picture.putpixel((x, y), 8000)  # a dark bar (31 of 255), as scanned ink is
    png = tmp_path / "sig.png"
    picture.save(png)
    out = tmp_path / "card.pdf"
    render_note(NOTE, out, style=Style(signature=str(png)), key="Ana")
    black = [p for p in _page_pixels(out) if max(p) < 60 and abs(p[0] - p[2]) < 20]
    assert len(black) > 50  # black, not the ink's blue: the signature's bar
