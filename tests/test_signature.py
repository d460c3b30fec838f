"""The sender's scanned signature under the text, from PNG or SVG; bad files are clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from notes.errors import DataError
from notes.render import Renderer, Style, render_note
from tests.pdfcheck import check_pdf, text_of

HERE = Path(__file__).parent / "fixtures" / "signature"
NOTE = "Dear Ana,\n\nThank you so much for your order of the blue teapot!\n\nWarmly,\nMaya"


@pytest.mark.parametrize("name", ["signature.png", "signature.svg"])
def test_signature_is_placed_under_the_text(tmp_path, name):
    out = tmp_path / "card.pdf"
    plan = render_note(NOTE, out, style=Style(signature=str(HERE / name)), key="Ana")
    x, y, w, h = plan.signature_rect
    card = plan.card
    assert 0 < x and x + w < card.width and 0 < y and y + h < card.height
    lowest_text = min(g[7] for word in plan.words for g in word.glyphs)
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
