"""The PDF object layer: objects written as they come, numbers reserved ahead, xref exact."""

from __future__ import annotations

import io
import re

import pikepdf
from pypdf import PdfReader

from notes.pdf.objects import (
    PdfObjects,
    coordinate,
    name,
    number,
    reference,
    stream,
    text_string,
)


def _one_page_pdf(title: str = "Cards") -> bytes:
    """A page written before the page tree it points to: the tree's number is reserved."""
    out = io.BytesIO()
    pdf = PdfObjects(out)
    pages = pdf.reserve()
    content = pdf.add(stream(b"", b"0 0 1 rg 10 10 50 50 re f"))
    page = pdf.add(
        b"<< /Type /Page /Parent %s /MediaBox [0 0 200 100] /Contents %s /Resources << >> >>"
        % (reference(pages), reference(content))
    )
    pdf.write(pages, b"<< /Type /Pages /Kids [%s] /Count 1 >>" % reference(page))
    root = pdf.add(b"<< /Type /Catalog /Pages %s >>" % reference(pages))
    info = pdf.add(b"<< /Title %s /Producer (notes) >>" % text_string(title))
    pdf.finish(root, info)
    return out.getvalue()


def test_a_file_written_object_by_object_is_valid(tmp_path):
    path = tmp_path / "one.pdf"
    path.write_bytes(_one_page_pdf("Zoë's cards (1)"))
    with pikepdf.open(path) as pdf:
        assert pdf.check_pdf_syntax() == []
        assert [float(v) for v in pdf.pages[0].mediabox] == [0, 0, 200, 100]
        assert b"re f" in pdf.pages[0].Contents.read_bytes()
    reader = PdfReader(path, strict=True)  # strict: the xref offsets must be exact
    assert reader.metadata.title == "Zoë's cards (1)"
    assert len(reader.pages) == 1


def test_the_id_is_a_hash_of_the_content():
    first, again, other = _one_page_pdf(), _one_page_pdf(), _one_page_pdf("Other")
    assert first == again
    ids = [re.search(rb"/ID \[<(\w+)>", data).group(1) for data in (first, other)]
    assert ids[0] != ids[1]


def test_names_strings_and_numbers_are_written_as_pdf_reads_them():
    assert name("F1") == b"/F1"
    assert name("a b/c#") == b"/a#20b#2Fc#23"
    assert text_string("a (b) \\") == b"(a \\(b\\) \\\\)"
    assert text_string("Zoë") == b"<FEFF005A006F00EB>"
    assert [number(v) for v in (1.0, -0.0001, 2.5, 0.1234)] == ["1", "0", "2.5", "0.123"]
    assert number(0.70710678, 6) == "0.707107"
    assert [coordinate(v) for v in (297.6377952, 1.41732283, -0.5, 12)] == [
        "297.6378",
        "1.417323",
        "-0.5",
        "12",
    ]
