"""Golden checks every PDF the tests produce goes through: parseable, fonts embedded, sizes exact."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader


def check_pdf(path: str | Path) -> PdfReader:
    """Parse with pypdf; assert every font is embedded and subset, and boxes are sane."""
    reader = PdfReader(str(path), strict=True)
    assert len(reader.pages) > 0, f"{path} has no pages"
    for number, page in enumerate(reader.pages, 1):
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            base = str(font["/BaseFont"])
            assert re.match(r"^/[A-Z]{6}\+", base), f"page {number}: font {base} is not a subset"
            descendant = font.get("/DescendantFonts")
            descriptor = (
                descendant[0].get_object()["/FontDescriptor"]
                if descendant
                else font["/FontDescriptor"]
            )
            descriptor = descriptor.get_object()
            assert any(k in descriptor for k in ("/FontFile2", "/FontFile3", "/FontFile")), (
                f"page {number}: font {base} is not embedded"
            )
        box = page.mediabox
        assert float(box.width) > 0 and float(box.height) > 0
    return reader


def page_size(reader: PdfReader, index: int = 0) -> tuple[float, float]:
    box = reader.pages[index].mediabox
    return (round(float(box.width), 2), round(float(box.height), 2))


def text_of(reader: PdfReader, index: int = 0) -> str:
    return reader.pages[index].extract_text()


def words_of(text: str) -> list[str]:
    return re.findall(r"\w+", text)
