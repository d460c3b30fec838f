"""`notes write` says what it will not do rather than write something else: an output name that
is not a PDF's (or a plot file's), a note too long for its card (with numbers that add up), a
link too wide for a line at the smallest size merge and day allow."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from notes.cli import app

runner = CliRunner()
LINK = ("https://juniperandclay.example.com/reviews/new?order=1004&customer=ana-souza-1234567"
        "&utm_source=card&utm_medium=handwritten")  # fmt: skip


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("name", "hint"),
    [("card.png", "--preview card.png"), ("y.docx", "name it .pdf"), ("card.JPG", "--preview")],
)
def test_an_output_that_is_not_a_pdf_is_an_error_naming_it(here: Path, name: str, hint: str):
    result = runner.invoke(app, ["write", "--text", "hi", "-o", name])
    assert result.exit_code == 2, result.output
    suffix = Path(name).suffix
    assert f"{name}: notes write cannot write a {suffix} file" in result.output
    assert hint in result.output and "Traceback" not in result.output
    assert list(here.iterdir()) == [], "nothing is written"


def test_an_output_without_a_suffix_is_a_pdf_with_one(here: Path):
    result = runner.invoke(app, ["write", "--text", "hi", "-o", "card"])
    assert result.exit_code == 0, result.output
    assert "wrote card.pdf" in result.output
    assert [p.name for p in here.iterdir()] == ["card.pdf"]
    assert (here / "card.pdf").read_bytes().startswith(b"%PDF")


def test_the_help_says_what_a_name_without_a_suffix_becomes():
    result = runner.invoke(app, ["write", "--help"])
    assert "without a suffix gets .pdf" in " ".join(result.output.split())


def test_too_long_says_how_many_times_the_card_and_how_much_to_cut(here: Path):
    text = " ".join(["lorem ipsum dolor sit amet"] * 80)
    result = runner.invoke(app, ["write", "--text", text, "--card", "a7", "-o", "long.pdf"])
    assert result.exit_code != 0 and "Traceback" not in result.output
    said = " ".join(result.output.split())
    found = re.search(r"needs (\d+) pt of height but the card has (\d+) pt \(([\d.]+) times its "
                      r"height: cut about (\d+)% of the text", said)  # fmt: skip
    assert found, said
    needs, has, times, cut = (float(n) for n in found.groups())
    assert times == pytest.approx(needs / has, abs=0.05) and times > 2
    assert cut == pytest.approx(100 * (needs - has) / needs, abs=1)


def test_a_link_too_wide_for_a_line_is_the_same_error_in_write_and_merge(here: Path):
    text = f"Dear Ana, please review us at {LINK} thanks"
    wrote = runner.invoke(app, ["write", "--text", text, "--card", "a7", "-o", "link.pdf"])
    assert wrote.exit_code == 1, wrote.output
    said = " ".join(wrote.output.split())
    floor = re.search(r"wider than a line even at the smallest size \(([\d.]+) pt\)", said)
    assert floor and "https://juniperandclay.example.com" in said, said
    assert not (here / "link.pdf").exists()

    rows = here / "rows.csv"
    with rows.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([["name", "text"], ["Ana", text], ["Bea", "Dear Bea, thanks!"]])
    merged = runner.invoke(app, ["merge", str(rows), "-t", "blank", "--card", "a7",
                                 "-o", "cards.pdf"])  # fmt: skip
    said = " ".join(merged.output.split())
    assert merged.exit_code == 1 and "1 note rendered, 1 failed" in said, said
    assert f"wider than a line even at the smallest size ({floor.group(1)} pt)" in said


def test_a_short_link_still_fits_at_the_usual_size(here: Path):
    text = "Dear Ana, please review us at https://jc.example.com/r/1004 thanks"
    result = runner.invoke(app, ["write", "--text", text, "--card", "a7", "-o", "short.pdf"])
    assert result.exit_code == 0, result.output
