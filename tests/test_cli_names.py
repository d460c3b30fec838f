"""Names and values through the commands: greetings, envelopes and amounts on hand-made CSVs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from notes.addresses import format_address
from notes.cli import app
from tests.pdfcheck import check_pdf, text_of

runner = CliRunner()

PEOPLE = (
    "Name,First Name,Last Name,Product,Address,City,Zip,Country\n"
    "Mme Claire Dubois,,,teapot,3 rue des Lilas,Lyon,69001,FR\n"
    "Nguyễn Văn An,,,rice bowl,25 Hàng Bông,Hà Nội,100000,VN\n"
    ",さくら,田中,tea cup,丸の内1-1,千代田区,100-0001,JP\n"
    ",Nguyễn,Thị Hương,mug,25 Hàng Bông,Hà Nội,100000,VN\n"
)


def _pages(path: Path) -> list[str]:
    reader = check_pdf(path)
    return [" ".join(text_of(reader, i).split()) for i in range(len(reader.pages))]


def _greeting(page: str) -> str:
    """'Hi Claire, Thank you...' -> 'Claire'."""
    match = re.match(r"(?:Dear|Hello|Hi) (.+?),", page)
    assert match, page
    return match.group(1)


def test_merge_greets_the_given_name_and_addresses_the_whole_name(tmp_path: Path) -> None:
    source = tmp_path / "people.csv"
    source.write_text(PEOPLE, encoding="utf-8")
    cards, envelopes = tmp_path / "cards.pdf", tmp_path / "envelopes.pdf"
    result = runner.invoke(
        app,
        ["merge", str(source), "-t", "thank-you", "-o", str(cards), "--envelopes", str(envelopes)]
        + ["-j", "1"],
    )
    assert result.exit_code == 0, result.output
    assert [_greeting(page) for page in _pages(cards)] == ["Claire", "An", "さくら", "Hương"]
    addressed = [page.split(" ")[:3] for page in _pages(envelopes)]
    assert addressed[0] == ["Mme", "Claire", "Dubois"]
    assert addressed[1] == ["Nguyễn", "Văn", "An"]
    assert "田中 さくら" in _pages(envelopes)[2]  # family name first, like the card's recipient
    manifest = (tmp_path / "cards.manifest.csv").read_text(encoding="utf-8-sig")
    assert ",田中 さくら," in manifest and ",Mme Claire Dubois," in manifest


def test_write_greets_the_given_name(tmp_path: Path) -> None:
    for name, greeting in [("Mme Claire Dubois", "Claire"), ("Nguyễn Văn An", "An")]:
        out = tmp_path / "card.pdf"
        result = runner.invoke(
            app,
            ["write", "-t", "thank-you", "--set", f"name={name}", "--set", "product=mug"]
            + ["-o", str(out), "--force"],
        )
        assert result.exit_code == 0, result.output
        assert _greeting(_pages(out)[0]) == greeting


def test_a_name_from_first_and_last_is_written_family_first_everywhere(tmp_path: Path) -> None:
    template = tmp_path / "name.j2"
    template.write_text("{{ name }}: {{ first_name }}\n")
    out = tmp_path / "card.pdf"
    result = runner.invoke(
        app,
        ["write", "-t", str(template), "--set", "first_name=さくら", "--set", "last_name=田中"]
        + ["-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert _pages(out)[0] == "田中 さくら: さくら"
    fields = {"first_name": "さくら", "last_name": "田中", "address1": "丸の内1-1"}
    fields.update(city="千代田区", zip="100-0001", country="JP")
    assert format_address(fields, sender_country="JP").lines[-1] == "田中 さくら"


EXPORT_HEADER = (
    "Order Number,Date,Name,First Name,Last Name,Email,Product,Total,Address,City,Zip,Country"
)


def _export(tmp_path: Path, other_total: str) -> Path:
    path = tmp_path / "orders.csv"
    path.write_text(
        f"{EXPORT_HEADER}\n"
        'G-1,2026-11-21,Mme Claire Dubois,,,c@example.fr,Teapot,"1,234",3 rue des Lilas,Lyon,69001,FR\n'
        f'G-2,2026-11-21,Nguyễn Văn An,,,an@example.vn,Bowl,"{other_total}",25 Hàng Bông,Hà Nội,100000,VN\n'
        'G-3,2026-11-21,,さくら,田中,s@example.jp,Cup,"8",丸の内1-1,千代田区,100-0001,JP\n',
        encoding="utf-8",
    )
    return path


def test_day_greets_and_addresses_like_merge(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    export = _export(tmp_path, "12.50")
    result = runner.invoke(app, ["day", str(export), "--ledger", "l.sqlite3", "-o", "out"])
    assert result.exit_code == 0, result.output
    cards = _pages(tmp_path / "out" / "cards.pdf")
    assert sorted(_greeting(page) for page in cards) == sorted(["Claire", "An", "さくら"])
    envelopes = " | ".join(_pages(tmp_path / "out" / "envelopes.pdf"))
    assert "Mme Claire Dubois" in envelopes and "田中 さくら" in envelopes
    assert "さくら 田中" not in envelopes


@pytest.mark.parametrize(
    ("other_total", "day_reads", "card_says"),
    [("12,50", "1.234", "$1.23"), ("12.50", "1234", "$1,234.00")],
)
def test_an_amount_reads_the_same_in_day_and_merge(
    tmp_path: Path, monkeypatch, other_total: str, day_reads: str, card_says: str
) -> None:
    """'1,234' is 1234 or 1.234 as the rest of its column is written, in every command."""
    monkeypatch.chdir(tmp_path)
    export = _export(tmp_path, other_total)
    day = runner.invoke(
        app, ["day", str(export), "--ledger", "l.sqlite3", "--explain", "--dry-run"]
    )
    assert day.exit_code == 0, day.output
    claire = next(line for line in day.output.splitlines() if "Claire Dubois:" in line)
    if day_reads == "1234":
        assert "order G-1 total 1234 is above 100.00" in claire
    else:
        assert "surprise" not in claire
    template = tmp_path / "total.j2"
    template.write_text("Hi {{ first_name }},\n\nyour order came to {{ total|money }}.\n")
    out = tmp_path / "cards.pdf"
    merge = runner.invoke(
        app, ["merge", str(export), "-t", str(template), "-o", str(out), "-j", "1"]
    )
    assert merge.exit_code == 0, merge.output
    assert f"your order came to {card_says}." in _pages(out)[0]


def test_an_amount_nothing_settles_fails_its_row_in_day_and_merge(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    export = _export(tmp_path, "7")  # no value in the column shows the decimal separator
    reason = "Total '1,234' could be 1234 or 1.234"
    day = runner.invoke(
        app, ["day", str(export), "--ledger", "l.sqlite3", "--explain", "--dry-run"]
    )
    assert day.exit_code == 0, day.output
    assert "problem: orders.csv line 2: order G-1: " + reason in day.output
    assert "Claire Dubois:" not in day.output and "Nguyễn Văn An:" in day.output
    template = tmp_path / "total.j2"
    template.write_text("Hi {{ first_name }},\n\nyour order came to {{ total|money }}.\n")
    out = tmp_path / "cards.pdf"
    merge = runner.invoke(
        app, ["merge", str(export), "-t", str(template), "-o", str(out), "-j", "1"]
    )
    assert merge.exit_code == 1
    assert "orders.csv line 2" in merge.output and reason in merge.output
    assert len(check_pdf(out).pages) == 2  # the other rows are written
