"""Every kind of PDF `notes` writes, parsed strictly by pypdf and by qpdf (through pikepdf):
fonts embedded and subset, page boxes exact, text extractable."""

from __future__ import annotations

import shutil
from pathlib import Path

import pikepdf
import pytest
from typer.testing import CliRunner

from notes.cli import app
from tests.pdfcheck import check_pdf

MERGE = Path(__file__).parent / "fixtures" / "merge"
EXPORTS = Path(__file__).parent / "fixtures" / "exports"
runner = CliRunner()
MM = 72 / 25.4
A6 = (round(105 * MM, 2), round(148 * MM, 2))
A4 = (round(210 * MM, 2), round(297 * MM, 2))
US10 = (684.0, 297.0)


def _cli(*args: str) -> None:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def produced(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[list[Path], tuple]]:
    """name -> (PDFs, expected page size or None): every command that writes a PDF, run once."""
    out = tmp_path_factory.mktemp("outputs")
    shutil.copy(MERGE / "postcard.j2", out / "postcard.j2")
    shutil.copy(MERGE / "postcard.back.j2", out / "postcard.back.j2")
    people = str(MERGE / "bom.csv")
    common = ["-q", "-j", "1", "--today", "2026-01-05", "--card", "a6"]
    _cli("write", "--text", "Dear Ana,\n\nThank you!\n\nMaya", "--card", "a6",
         "-o", str(out / "write.pdf"))  # fmt: skip
    _cli("merge", people, "-t", "thank-you", "-o", str(out / "merge.pdf"), *common)
    _cli("merge", people, "-t", "thank-you", "--per-note", str(out / "each"), *common)
    _cli("merge", people, "-t", "thank-you", "-o", str(out / "sheets.pdf"), "--sheet", "a4",
         "--bleed", "3", *common)  # fmt: skip
    _cli("merge", people, "-t", str(out / "postcard.j2"), "-o", str(out / "duplex.pdf"),
         "--duplex", *common)  # fmt: skip
    _cli("merge", str(MERGE / "messy.csv"), "-t", "thank-you", "--rows", "1-3",
         "-o", str(out / "cards.pdf"), "--envelopes", str(out / "envelopes.pdf"),
         "--envelope-size", "us10", *common)  # fmt: skip
    _cli("day", str(EXPORTS / "shopify_orders.csv"), "--ledger", str(out / "l.sqlite3"),
         "-o", str(out / "day"), "-q", "--card", "a6")  # fmt: skip
    _cli("demo", "--customers", "5", "-o", str(out / "demo"))
    _cli("fonts", "--specimen", str(out / "specimen.pdf"))
    return {
        "write": ([out / "write.pdf"], A6),
        "merge": ([out / "merge.pdf"], A6),
        "per-note": (sorted((out / "each").glob("*.pdf")), A6),
        "sheets": ([out / "sheets.pdf"], A4),
        "duplex": ([out / "duplex.pdf"], A6),
        "envelopes": ([out / "envelopes.pdf"], US10),
        "day": (sorted((out / "day").rglob("*.pdf")), None),
        "demo": (sorted((out / "demo").rglob("*.pdf")), None),
        "specimen": ([out / "specimen.pdf"], None),
    }


KINDS = ["write", "merge", "per-note", "sheets", "duplex", "envelopes", "day", "demo", "specimen"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_output_is_valid(produced, kind: str) -> None:
    paths, size = produced[kind]
    assert paths, f"{kind} wrote no PDF"
    for path in paths:
        reader = check_pdf(path)  # pypdf strict: fonts embedded and subset
        text = "".join(page.extract_text() for page in reader.pages)
        assert len(text.split()) >= 2, f"{path.name}: no extractable text"
        with pikepdf.open(path) as pdf:  # qpdf parses every object and stream
            problems = pdf.check_pdf_syntax()
            assert problems == [], f"{path.name}: {problems}"
            assert len(pdf.pages) == len(reader.pages)
            for number, page in enumerate(pdf.pages, 1):
                box = [float(v) for v in page.mediabox]
                assert box[:2] == [0, 0], f"{path.name} page {number}: {box}"
                if size is not None:
                    assert (round(box[2], 2), round(box[3], 2)) == size, (path.name, number, box)
                if "/TrimBox" in page.obj:
                    trim = [float(v) for v in page.obj.TrimBox]
                    assert 0 <= trim[0] < trim[2] <= box[2] and 0 <= trim[1] < trim[3] <= box[3]


def test_duplex_has_a_back_for_each_front(produced) -> None:
    [path], _ = produced["duplex"]
    with pikepdf.open(path) as pdf:
        assert len(pdf.pages) == 4  # two people, front and back
