"""The PDF object layer: objects written as they come, numbers reserved ahead, xref exact."""

from __future__ import annotations

import hashlib
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


class _Writes(io.BytesIO):
    """A file that counts the writes it is given."""

    writes = 0

    def write(self, data) -> int:
        self.writes += 1
        return super().write(data)


def test_small_objects_are_written_together_and_the_id_hashes_them_all():
    """A card's page makes two or three small objects: gathered, not a write (and a hash
    update) each; every byte is in the file, and in the /ID, once the file is finished."""
    out = _Writes()
    pdf = PdfObjects(out)
    numbers = [pdf.add(stream(b"", b"0 0 1 rg %d 10 50 50 re f" % n)) for n in range(2000)]
    root = pdf.add(b"<< /Type /Catalog /Pages %s >>" % reference(numbers[0]))
    pdf.finish(root, pdf.add(b"<< /Producer (notes) >>"))
    data = out.getvalue()
    assert out.writes < 2002 // 100
    assert len(data) == pdf.position and data.endswith(b"%%EOF\n")
    body = data[: data.rindex(b"\nxref\n") + 1]
    assert re.search(rb"/ID \[<(\w+)>", data).group(1) == hashlib.md5(body).hexdigest().encode()
    offsets = [int(row[:10]) for row in re.findall(rb"\d{10} 00000 n", data)]
    assert [data[at : data.index(b" ", at)] for at in offsets[:3]] == [b"1", b"2", b"3"]


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
