"""Card k and envelope page k are always the same customer's, in `notes day` and `notes merge`,
with customers who have no address at all (sales in the shop), with --sheet and with --duplex.

Every test reads the text of both PDFs page by page (pypdf) and checks who is on each page.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from notes.cards import CARDS
from notes.cli import app
from notes.manifest import read_manifest
from notes.sheets import sheet_layout
from tests.pdfcheck import check_pdf, text_of

runner = CliRunner()
FIXTURES = Path(__file__).parent / "fixtures" / "merge"

# Two customers bought in the shop and left no address: before the fix every envelope after
# Ben's belonged to the next customer's card.
DAY_EXPORT = """\
Order Number,Date,First Name,Last Name,Email,Product,Total,Address,City,State,Zip,Country
A-1,2026-11-21,Ann,Lee,ann@example.com,Mug,24.00,1 Harvard Ave,Boston,MA,02134,US
A-2,2026-11-21,Ben,Okafor,ben@example.com,Tea Towel,9.00,,,,,
A-3,2026-11-21,Cleo,Park,cleo@example.com,Apron,38.00,7 Birch Lane,Eugene,OR,97401,US
A-4,2026-11-21,Dev,Rao,dev@example.com,Socks,12.00,,,,,
A-5,2026-11-21,Eve,Moss,eve@example.com,Bowl,30.00,4 Pine Road,Salem,OR,97301,US
"""
PEOPLE = {"Ann Lee": "Ann", "Ben Okafor": "Ben", "Cleo Park": "Cleo", "Dev Rao": "Dev",
          "Eve Moss": "Eve"}  # fmt: skip
NO_ADDRESS = {"Ben Okafor", "Dev Rao"}


def invoke(*args: str):
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output, result.output
    return result


def day(tmp_path: Path, *extra: str):
    export = tmp_path / "orders.csv"
    export.write_text(DAY_EXPORT, encoding="utf-8")
    return invoke(
        "day", str(export), "--ledger", str(tmp_path / "ledger.sqlite3"),
        "-o", str(tmp_path / "out"), *extra,
    )  # fmt: skip


def hold_config(tmp_path: Path) -> str:
    config = tmp_path / "notes.toml"
    config.write_text('[envelopes]\nmissing = "hold"\n', encoding="utf-8")
    return str(config)


def assert_paired_pages(cards: Path, envelopes: Path, rows: list[dict], *, name: str, step=1):
    """Each written row's card page greets its customer and its envelope page is addressed to
    them; the two PDFs have as many cards as envelopes."""
    card_pdf, envelope_pdf = check_pdf(cards), check_pdf(envelopes)
    written = [r for r in rows if r["status"] in ("written", "ok")]
    assert len(envelope_pdf.pages) == len(written) == len(card_pdf.pages) // step
    for card, row in enumerate(written, 1):
        person = row[name]
        assert row["envelope_page"] == str(card), row
        assert row["page"] == str((card - 1) * step + 1), row
        front = text_of(card_pdf, (card - 1) * step)
        envelope = text_of(envelope_pdf, card - 1)
        assert PEOPLE[person] in front, (card, front)
        others = [p for p in PEOPLE if p != person]
        assert person in envelope and not any(p in envelope for p in others), (card, envelope)
        if person in NO_ADDRESS:
            assert "No address" in envelope
        else:
            assert "No address" not in envelope


def test_day_gives_a_customer_without_an_address_a_marked_envelope_in_its_place(tmp_path):
    result = day(tmp_path)
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    rows = read_manifest(out / "manifest.csv")
    assert [r["customer"] for r in rows] == list(PEOPLE)
    assert_paired_pages(out / "cards.pdf", out / "envelopes.pdf", rows, name="customer")
    ben = rows[1]
    assert (ben["address"], ben["status"]) == ("error", "written")
    assert "no postal address" in ben["address_problem"]
    assert "2 marked on the envelope" in result.output


def test_day_with_hold_holds_the_card_back_and_keeps_the_rest_paired(tmp_path):
    result = day(tmp_path, "--config", hold_config(tmp_path))
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    rows = read_manifest(out / "manifest.csv")
    assert [r["status"] for r in rows] == ["written", "held", "written", "held", "written"]
    assert all("no postal address" in rows[i]["address_problem"] for i in (1, 3))
    assert_paired_pages(out / "cards.pdf", out / "envelopes.pdf", rows, name="customer")
    assert "held back (address) 2:" in result.output
    assert "Ben Okafor: no postal address" in result.output


def test_day_on_sheets_pairs_envelope_pages_with_card_numbers(tmp_path):
    result = day(tmp_path, "--sheet", "a4")
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    rows = read_manifest(out / "manifest.csv")
    per_sheet = sheet_layout(CARDS["a6"], "a4").per_sheet
    sheets, envelopes = check_pdf(out / "cards.pdf"), check_pdf(out / "envelopes.pdf")
    assert len(envelopes.pages) == 5
    for card, row in enumerate(rows, 1):
        sheet, slot = int(row["page"]), int(row["position"])
        assert (sheet - 1) * per_sheet + slot == card == int(row["envelope_page"])
        assert PEOPLE[row["customer"]] in text_of(sheets, sheet - 1)
        envelope = text_of(envelopes, card - 1)
        assert row["customer"] in envelope
        assert ("No address" in envelope) == (row["customer"] in NO_ADDRESS)


def test_day_export_without_any_address_writes_no_envelopes_and_says_so(tmp_path):
    export = tmp_path / "till.csv"
    export.write_text(
        "Order Number,Date,Name,Email,Product\n1,2026-11-21,Ann Lee,ann@example.com,Mug\n"
        "2,2026-11-21,Ben Okafor,ben@example.com,Bowl\n",
        encoding="utf-8",
    )
    result = invoke("day", str(export), "--ledger", str(tmp_path / "l.sqlite3"),
                    "-o", str(tmp_path / "out"))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "out" / "envelopes.pdf").exists()
    assert "no envelopes: the export holds no addresses" in result.output
    assert {r["envelope_page"] for r in read_manifest(tmp_path / "out" / "manifest.csv")} == {""}


# ---------------------------------------------------------------- merge

MERGE_ROWS = """\
name,product,address1,city,state,zip,country
Ann Lee,mug,1 Harvard Ave,Boston,MA,02134,US
Ben Okafor,towel,,,,,
Cleo Park,apron,7 Birch Lane,Eugene,OR,97401,US
Dev Rao,socks,,,,,
Eve Moss,bowl,4 Pine Road,Salem,OR,97301,US
"""


def merge(tmp_path: Path, *extra: str, template: str = "thank-you"):
    source = tmp_path / "customers.csv"
    source.write_text(MERGE_ROWS, encoding="utf-8")
    return invoke(
        "merge", str(source), "-t", template, "-o", str(tmp_path / "cards.pdf"),
        "--envelopes", str(tmp_path / "envelopes.pdf"), "--today", "2026-01-05", "--jobs", "1",
        "-q", *extra,
    )  # fmt: skip


def test_merge_marks_the_envelope_of_a_row_without_an_address(tmp_path):
    result = merge(tmp_path)
    assert result.exit_code == 0, result.output
    rows = read_manifest(tmp_path / "cards.manifest.csv")
    assert [r["address"] for r in rows] == ["ok", "error", "ok", "error", "ok"]
    assert_paired_pages(tmp_path / "cards.pdf", tmp_path / "envelopes.pdf", rows, name="recipient")


def test_merge_with_hold_leaves_out_rows_without_an_address(tmp_path):
    result = merge(tmp_path, "--config", hold_config(tmp_path))
    assert result.exit_code == 0, result.output
    rows = read_manifest(tmp_path / "cards.manifest.csv")
    assert [r["status"] for r in rows] == ["ok", "held", "ok", "held", "ok"]
    assert_paired_pages(tmp_path / "cards.pdf", tmp_path / "envelopes.pdf", rows, name="recipient")
    assert "2 held back" in result.output


def test_merge_duplex_pairs_envelope_k_with_card_k_front_and_back(tmp_path):
    result = merge(tmp_path, "--duplex", template=str(FIXTURES / "postcard.j2"))
    assert result.exit_code == 0, result.output
    rows = read_manifest(tmp_path / "cards.manifest.csv")
    assert_paired_pages(
        tmp_path / "cards.pdf", tmp_path / "envelopes.pdf", rows, name="recipient", step=2
    )
    cards = check_pdf(tmp_path / "cards.pdf")
    assert "For Dev Rao" in text_of(cards, 7)  # card 4's back


def test_merge_on_sheets_pairs_envelope_pages_with_card_numbers(tmp_path):
    result = merge(tmp_path, "--sheet", "letter")
    assert result.exit_code == 0, result.output
    rows = read_manifest(tmp_path / "cards.manifest.csv")
    per_sheet = sheet_layout(CARDS["a6"], "letter").per_sheet
    envelopes = check_pdf(tmp_path / "envelopes.pdf")
    assert len(envelopes.pages) == 5
    for card, row in enumerate(rows, 1):
        assert (int(row["sheet"]) - 1) * per_sheet + int(row["position"]) == card
        assert row["envelope_page"] == str(card)
        assert row["recipient"] in text_of(envelopes, card - 1)


@pytest.mark.parametrize(
    "source", ["name,product\nAnn Lee,mug\n", '[{"name": "Ann", "product": "mug"}]']
)
def test_merge_envelopes_without_address_columns_is_an_error(tmp_path, source):
    path = tmp_path / ("people.json" if source.startswith("[") else "people.csv")
    path.write_text(source, encoding="utf-8")
    result = invoke("merge", str(path), "-t", "thank-you", "-o", str(tmp_path / "c.pdf"),
                    "--envelopes", str(tmp_path / "e.pdf"))  # fmt: skip
    assert result.exit_code == 2
    assert "--envelopes needs addresses" in result.output and path.name in result.output
    assert "--map address1=" in result.output
    assert not (tmp_path / "c.pdf").exists() and not (tmp_path / "e.pdf").exists()
