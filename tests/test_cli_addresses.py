"""Address checks through the command line: `notes merge --envelopes` and `notes day`.

An address that fails its check is reported per row, marked in the manifest, and then either
printed with a note for the packer or held back, as `[envelopes] missing` in notes.toml says.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from notes.cli import app
from notes.config import SAMPLE_CONFIG, load_config
from notes.errors import ConfigError
from notes.manifest import read_manifest
from tests.pdfcheck import check_pdf, text_of

runner = CliRunner()

CUSTOMERS = """\
name,product,address1,city,state,zip,country
Ann Lee,mug,1 Harvard Ave,Boston,MA,2134,US
Ned Stark,mug,1 O St,Lincoln,NE,1234,US
Ben Okafor,mug,1 Briggate,Leeds,,LS1,United Kingdom
Jan de Vries,mug,Damrak 1,Amsterdam,,1012 AB,Nederland
Sven Svensson,mug,Storgatan 1,Malmö,,211 34,Sverige
"""


@pytest.fixture
def customers(tmp_path: Path) -> Path:
    path = tmp_path / "customers.csv"
    path.write_text(CUSTOMERS, encoding="utf-8")
    return path


def merge(tmp_path: Path, source: Path, *extra: str):
    result = runner.invoke(
        app,
        ["merge", str(source), "-t", "thank-you", "-o", str(tmp_path / "cards.pdf"),
         "--envelopes", str(tmp_path / "envelopes.pdf"), "--today", "2026-01-05",
         "--jobs", "1", "-q", *extra],
    )  # fmt: skip
    assert "Traceback" not in result.output
    return result


def test_merge_marks_warn_and_error_in_the_manifest_and_counts_them(tmp_path, customers):
    result = merge(tmp_path, customers)
    assert result.exit_code == 0, result.output
    rows = read_manifest(tmp_path / "cards.manifest.csv")
    assert [(r["status"], r["address"]) for r in rows] == [
        ("ok", "warn"), ("ok", "error"), ("ok", "error"), ("ok", "ok"), ("ok", "ok"),
    ]  # fmt: skip
    assert "02134" in rows[0]["address_problem"]
    assert rows[1]["address_problem"].startswith(
        "postcode 1234 does not look like a Nebraska ZIP code"
    )
    assert "LS1" in rows[2]["address_problem"]
    # Every row still has its card and its envelope, page for page.
    assert [r["envelope_page"] for r in rows] == ["1", "2", "3", "4", "5"]
    assert "addresses: 1 with a warning, 2 marked on the envelope" in result.output
    assert "customers.csv line 3 (row 2): error, envelope marked for the packer" in result.output
    envelopes = check_pdf(tmp_path / "envelopes.pdf")
    assert len(envelopes.pages) == 5
    marked = text_of(envelopes, 1)
    assert (
        "Check the address before posting" in marked and "Nebraska" in marked and "1234" in marked
    )
    assert "Check the address before posting" not in text_of(envelopes, 0) + text_of(envelopes, 3)
    assert "SE-211 34 MALMÖ" in text_of(envelopes, 4)


def test_merge_with_hold_leaves_those_cards_out_with_the_reason(tmp_path, customers):
    (tmp_path / "notes.toml").write_text('[envelopes]\nmissing = "hold"\n', encoding="utf-8")
    result = merge(tmp_path, customers, "--config", str(tmp_path / "notes.toml"))
    assert result.exit_code == 0, result.output
    rows = read_manifest(tmp_path / "cards.manifest.csv")
    assert [r["status"] for r in rows] == ["ok", "held", "held", "ok", "ok"]
    assert [r["page"] for r in rows] == ["1", "", "", "2", "3"]
    assert [r["envelope_page"] for r in rows] == ["1", "", "", "2", "3"]
    assert "Nebraska" in rows[1]["address_problem"]
    assert len(check_pdf(tmp_path / "cards.pdf").pages) == 3
    assert len(check_pdf(tmp_path / "envelopes.pdf").pages) == 3
    assert "3 notes rendered, 0 failed" in result.output
    assert "addresses: 1 with a warning, 2 held back" in result.output
    assert "error, card held back" in result.output
    # The hint writes them to new files, so this run's cards are kept.
    assert "--rows 2-3 -o " in result.output and "cards-fixes.pdf" in result.output


def test_merge_without_envelopes_checks_no_address(tmp_path, customers):
    result = runner.invoke(
        app, ["merge", str(customers), "-t", "thank-you", "-o", str(tmp_path / "c.pdf"), "-q"]
    )
    assert result.exit_code == 0, result.output
    assert {r["address"] for r in read_manifest(tmp_path / "c.manifest.csv")} == {""}
    assert "addresses:" not in result.output


EXPORT = """\
Order Number,Date,First Name,Last Name,Email,Product,Quantity,Total,Address,City,State,Zip,Country
G-1,2026-11-21,Ann,Lee,ann@example.com,Wool Socks,1,24.00,1 Harvard Ave,Boston,MA,2134,US
G-2,2026-11-21,Ned,Stark,ned@example.com,Ceramic Mug,1,30.00,1 O St,Lincoln,NE,1234,US
G-3,2026-11-21,Jan,de Vries,jan@example.com,Tea Towel,1,12.00,Damrak 1,Amsterdam,,1012 AB,NL
"""


def day(tmp_path: Path, export: Path, *extra: str):
    return runner.invoke(
        app, ["day", str(export), "--ledger", str(tmp_path / "ledger.sqlite3"),
              "-o", str(tmp_path / "out"), *extra],
    )  # fmt: skip


def test_day_explain_shows_each_address_problem(tmp_path):
    export = tmp_path / "orders.csv"
    export.write_text(EXPORT, encoding="utf-8")
    result = day(tmp_path, export, "--explain", "--dry-run")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    ned = lines.index(next(line for line in lines if line.startswith("Ned Stark:")))
    assert lines[ned + 1].strip() == (
        "address (error, envelope marked for the packer): postcode 1234 does not look like a "
        "Nebraska ZIP code (for example 68000)"
    )
    assert any("address (warn): ZIP 2134 written as 02134" in line for line in lines)
    assert "addresses: 1 with a warning, 1 marked on the envelope" in result.output


def test_day_holds_a_customer_back_until_the_address_is_fixed(tmp_path):
    export = tmp_path / "orders.csv"
    export.write_text(EXPORT, encoding="utf-8")
    config = tmp_path / "notes.toml"
    config.write_text('[envelopes]\nmissing = "hold"\n', encoding="utf-8")
    result = day(tmp_path, export, "--config", str(config))
    assert result.exit_code == 0, result.output
    assert "held back (address) 1:" in result.output
    assert "Ned Stark: postcode 1234 does not look like a Nebraska ZIP code" in result.output
    with (tmp_path / "out" / "manifest.csv").open(encoding="utf-8-sig") as handle:
        rows = {row["customer"]: row for row in csv.DictReader(handle)}
    assert rows["Ned Stark"]["status"] == "held" and rows["Ned Stark"]["address"] == "error"
    assert rows["Ann Lee"]["status"] == "written" and rows["Ann Lee"]["address"] == "warn"
    assert len(check_pdf(tmp_path / "out" / "cards.pdf").pages) == 2
    # Held, not thanked: once the ZIP is fixed the next run writes just that card.
    export.write_text(EXPORT.replace(",NE,1234,", ",NE,68508,"), encoding="utf-8")
    again = day(tmp_path, export, "--config", str(config))
    assert again.exit_code == 0, again.output
    assert len(check_pdf(tmp_path / "out" / "cards-2.pdf").pages) == 1
    assert "Ned" in text_of(check_pdf(tmp_path / "out" / "envelopes-2.pdf"))


def test_the_setting_is_in_notes_init_and_checked(tmp_path):
    path = tmp_path / "notes.toml"
    path.write_text(SAMPLE_CONFIG, encoding="utf-8")
    assert load_config(path).envelopes.missing == "mark"
    assert "[envelopes]\n" in SAMPLE_CONFIG and 'missing = "mark"' in SAMPLE_CONFIG
    path.write_text('[shop]\ncountry = "Deutschland"\n\n[envelopes]\nmissing = "hold"\n')
    config = load_config(path)
    assert (config.envelopes.missing, config.shop.country) == ("hold", "Deutschland")
    path.write_text('[envelopes]\nmissing = "skip"\n')
    with pytest.raises(ConfigError, match='missing must be "mark" or "hold"') as info:
        load_config(path)
    assert info.value.where.endswith("line 2")
