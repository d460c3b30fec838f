"""Discount codes on surprise cards exist in the shop: real ones from [codes] file, each used once
and never again; or generated ones, every one of them listed in codes.csv and in the summary."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from notes.cli import app
from notes.codes import read_codes_file
from notes.errors import ConfigError
from notes.manifest import read_manifest
from tests.pdfcheck import check_pdf

runner = CliRunner()
# Three big orders (over the surprise threshold of 100) on two days.
EXPORT = """\
Order Number,Date,Name,Email,Product,Total,Address,City,State,Zip,Country
1,2026-11-20,Ava Wilson,ava@example.com,Linen Apron,150.00,7 Birch Lane,Eugene,OR,97401,US
2,2026-11-21,=HYPERLINK("x"),ben@example.com,Knitted Scarf,180.00,4 Pine Road,Salem,OR,97301,US
3,2026-11-21,Cleo Park,cleo@example.com,Stoneware Bowl,210.00,1 Oak Ave,Portland,OR,97201,US
"""


def day(tmp_path: Path, *extra: str):
    export = tmp_path / "orders.csv"
    export.write_text(EXPORT, encoding="utf-8")
    result = runner.invoke(
        app, ["day", str(export), "--ledger", str(tmp_path / "l.sqlite3"),
              "-o", str(tmp_path / "out"), *extra],
    )  # fmt: skip
    assert "Traceback" not in result.output, result.output
    assert result.exit_code == 0, result.output
    return result


def codes_on_cards(cards: Path) -> set[str]:
    text = " ".join(page.extract_text() for page in check_pdf(cards).pages)
    return set(re.findall(r"\b[A-Z]+-[A-Z0-9]{4}\b", text))


def with_codes_file(tmp_path: Path, codes: str) -> str:
    (tmp_path / "codes.txt").write_text(codes, encoding="utf-8")
    config = tmp_path / "notes.toml"
    config.write_text('[codes]\nfile = "codes.txt"\n', encoding="utf-8")
    return str(config)


def test_real_codes_are_used_once_and_no_surprise_when_they_run_out(tmp_path):
    config = with_codes_file(tmp_path, "# created in Shopify on 2026-11-19\nGIFT-AAAA\nGIFT-BBBB\n")
    result = day(tmp_path, "--config", config)
    first = read_manifest(tmp_path / "out" / "2026-11-20" / "manifest.csv")
    second = read_manifest(tmp_path / "out" / "2026-11-21" / "manifest.csv")
    assert [(r["occasion"], r["discount_code"]) for r in first] == [("surprise", "GIFT-AAAA")]
    assert [(r["occasion"], r["discount_code"]) for r in second] == [
        ("surprise", "GIFT-BBBB"), ("thank-you", ""),
    ]  # fmt: skip
    cleo = second[1]
    assert "no surprise card although order 3 total 210.00 is above 100.00" in cleo["reason"]
    assert "every discount code in codes.txt is used (2 codes)" in cleo["reason"]
    assert "no surprise card for 1: every discount code in codes.txt is used" in result.output
    # Real codes: nothing to create, so no codes.csv; the cards carry exactly the given codes.
    assert not list((tmp_path / "out").rglob("codes.csv"))
    assert codes_on_cards(tmp_path / "out" / "2026-11-21" / "cards.pdf") == {"GIFT-BBBB"}
    # A later run never hands the codes out again, even with more codes added to the file.
    (tmp_path / "codes.txt").write_text("GIFT-AAAA\nGIFT-BBBB\nGIFT-CCCC\n", encoding="utf-8")
    export = tmp_path / "more.csv"
    export.write_text(EXPORT.replace("2026-11-21", "2026-11-22").replace("ben@", "dan@"), "utf-8")
    again = runner.invoke(app, ["day", str(export), "--ledger", str(tmp_path / "l.sqlite3"),
                                "-o", str(tmp_path / "later"), "--date", "2026-11-22",
                                "--config", config])  # fmt: skip
    assert again.exit_code == 0, again.output
    later = read_manifest(tmp_path / "later" / "manifest.csv")
    assert [r["discount_code"] for r in later] == ["GIFT-CCCC", ""]


def test_generated_codes_are_listed_in_codes_csv_and_the_summary(tmp_path):
    result = day(tmp_path, "--date", "2026-11-21")
    out = tmp_path / "out"
    with (out / "codes.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["code", "customer", "email", "value", "expiry"]
    assert [r["email"] for r in rows] == ["ben@example.com", "cleo@example.com"]
    assert rows[0]["customer"] == '\'=HYPERLINK("x")'  # a spreadsheet shows it, never runs it
    assert {r["value"] for r in rows} == {"15%"} and {r["expiry"] for r in rows} == {"2027-02-19"}
    listed = {r["code"] for r in rows}
    assert all(re.fullmatch(r"THANKS-[A-Z2-9]{4}", code) for code in listed)
    # Every code printed on a card is one the owner was told about.
    assert codes_on_cards(out / "cards.pdf") == listed
    assert "handed out 2 new discount code(s): create them in your shop before posting" in (
        result.output
    )
    for code in listed:
        assert f"  {code}  15% off  until 2027-02-19" in result.output
    assert f"(listed in {out / 'codes.csv'})" in result.output


def generated_codes(folder: Path) -> list[str]:
    with (folder / "codes.csv").open(encoding="utf-8-sig", newline="") as handle:
        return [row["code"] for row in csv.DictReader(handle)]


def test_two_shops_ledgers_make_up_different_codes_and_one_ledger_the_same(tmp_path):
    """A card's code must not tell another shop's: codes come from a secret made per ledger."""
    shops = [tmp_path / "shop-a", tmp_path / "shop-b"]
    for shop in shops:
        shop.mkdir()
        day(shop, "--date", "2026-11-21", "--seed", "0")
    first, second = (generated_codes(shop / "out") for shop in shops)
    assert len(first) == 2 and not set(first) & set(second), (first, second)
    # The same ledger and --seed: the same codes and the same bytes when written again.
    again = day(shops[0], "--date", "2026-11-21", "--seed", "0", "--reprint")
    folder = shops[0] / "out"
    assert "cards-2.pdf" in again.output
    assert (folder / "cards-2.pdf").read_bytes() == (folder / "cards.pdf").read_bytes()


def test_a_dry_run_says_which_codes_it_would_hand_out(tmp_path):
    result = day(tmp_path, "--date", "2026-11-21", "--dry-run")
    assert "would hand out 2 new discount code(s)" in result.output
    assert not (tmp_path / "out").exists()


def test_codes_files_of_every_shape(tmp_path):
    plain = tmp_path / "codes.txt"
    plain.write_text("\ufeffGIFT-1\n\n# a comment\nGIFT-2\n", encoding="utf-8")
    assert read_codes_file(plain, where="notes.toml") == ["GIFT-1", "GIFT-2"]
    export = tmp_path / "discounts.csv"
    export.write_text("Name,Value,Status\nGIFT-3,15,Active\nGIFT-4,15,Active\n", encoding="utf-8")
    assert read_codes_file(export, where="notes.toml") == ["GIFT-3", "GIFT-4"]
    with pytest.raises(ConfigError, match="does not exist"):
        read_codes_file(tmp_path / "none.txt", where="notes.toml line 2")
    (tmp_path / "empty.txt").write_text("# nothing yet\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="holds no code"):
        read_codes_file(tmp_path / "empty.txt", where="notes.toml")


def test_a_missing_codes_file_is_a_message_before_anything_is_written(tmp_path):
    config = tmp_path / "notes.toml"
    config.write_text('[codes]\nfile = "codes.txt"\n', encoding="utf-8")
    export = tmp_path / "orders.csv"
    export.write_text(EXPORT, encoding="utf-8")
    result = runner.invoke(app, ["day", str(export), "--ledger", str(tmp_path / "l.sqlite3"),
                                 "-o", str(tmp_path / "out"), "--config", str(config)])  # fmt: skip
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "the discount codes file does not exist" in result.output
    assert "notes.toml line 2 ([codes] file)" in result.output
    assert not (tmp_path / "out").exists()
