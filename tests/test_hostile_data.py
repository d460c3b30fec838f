"""Hostile customer data through `notes merge` and `notes write --set`: printed as text, or that row
fails with a message naming the problem; never a file outside the output folder."""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

import pytest
from typer.testing import CliRunner

from notes.cli import app
from notes.manifest import read_manifest
from tests.pdfcheck import check_pdf, text_of

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
NAMES = HOSTILE / "names.csv"
WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                    *(f"lpt{i}" for i in range(10))}  # fmt: skip
runner = CliRunner()


def squash(text: str) -> str:
    return unicodedata.normalize("NFC", "".join(text.split()))


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory):
    """One merge of every hostile name, one PDF per note, into work/out."""
    work = tmp_path_factory.mktemp("hostile")
    folder = work / "out"
    result = runner.invoke(
        app,
        ["merge", str(NAMES), "-t", "thank-you", "--per-note", str(folder), "-q", "-j", "1",
         "--today", "2026-01-05"],
        catch_exceptions=False,
    )  # fmt: skip
    rows = {row["recipient"] or row["line"]: row for row in read_manifest(folder / "manifest.csv")}
    by_line = {int(row["line"]): row for row in read_manifest(folder / "manifest.csv")}
    return work, folder, result, rows, by_line


def names() -> list[str]:
    with NAMES.open(encoding="utf-8", newline="") as f:
        return [row["name"] for row in csv.DictReader(f)]


def note_text(folder: Path, row: dict) -> str:
    assert row["status"] == "ok", row
    return squash(text_of(check_pdf(folder.parent / row["output"])))


def test_exit_code_and_no_traceback(merged) -> None:
    _, _, result, _, by_line = merged
    assert result.exit_code == 1, result.output  # some rows fail, on purpose
    assert "Traceback" not in result.output
    assert len(by_line) == len(names())


def test_nothing_escapes_the_output_folder(merged) -> None:
    work, folder, _, _, _ = merged
    inside = {p.resolve() for p in folder.rglob("*")}
    assert {p.resolve() for p in work.rglob("*")} - inside == {folder.resolve()}
    for path in inside:
        assert path.parent == folder.resolve()
        stem = path.name.split(".")[0].lower()
        assert stem not in WINDOWS_RESERVED, path.name
        assert not path.name.startswith("."), "no hidden files or '..' names"
        assert all(unicodedata.category(c)[0] != "C" for c in path.name), repr(path.name)
        assert re.fullmatch(r"[\w.-]+", path.name), path.name
    assert not any(folder.glob(".notes-*")), "temporary file left behind"


def test_template_syntax_in_data_prints_literally(merged) -> None:
    _, folder, _, _, by_line = merged
    text = note_text(folder, by_line[2])
    assert "Hello{{7*7}}," in text or "{{7*7}}," in text
    assert "{%forxinrange(3)%}x{%endfor%}" in text
    assert "49" not in text and "xxx" not in text


@pytest.mark.parametrize(
    ("line", "shown"),
    [(3, "../../etc/x"), (4, "/etc/passwd"), (5, "C:\\Windows\\win.ini"), (6, "CON"),
     (7, "nul.txt")],
)  # fmt: skip
def test_paths_and_reserved_names_are_just_names(merged, line: int, shown: str) -> None:
    _, folder, _, _, by_line = merged
    assert shown in note_text(folder, by_line[line])


def test_a_name_with_no_letter_is_not_greeted(merged) -> None:
    """'..' (like an order number '#1001') is no one's name: "Dear ..," is never written."""
    _, _, _, _, by_line = merged
    row = by_line[8]
    assert row["status"] == "failed" and "'..', which is not a name" in row["error"], row


def test_control_and_bidi_override_characters_are_not_printed(merged) -> None:
    _, folder, _, _, by_line = merged
    bell = note_text(folder, by_line[9])
    assert "Bell" in bell and "\x07" not in bell
    eve = note_text(folder, by_line[10])
    assert "\u202e" not in eve and "Eve" in eve
    for line in (9, 10):
        assert all(unicodedata.category(c) not in ("Cc", "Cf") for c in by_line[line]["output"])


def test_combining_marks_and_zero_width_joiners_render(merged) -> None:
    _, folder, _, _, by_line = merged
    assert "Zoé" in note_text(folder, by_line[11])
    assert "Maria" in note_text(folder, by_line[12]).replace("\u200d", "")


def test_an_invisible_name_is_a_missing_name(merged) -> None:
    """A zero-width space alone would print "Dear ," on the card."""
    _, _, result, _, by_line = merged
    row = by_line[13]
    assert row["status"] == "failed", row
    assert "'first_name' (from column 'name') is empty in this row" in row["error"], row
    assert "line 13" in result.output


@pytest.mark.parametrize(("line", "code"), [(14, "U+1F44B"), (15, "U+1F46")])
def test_emoji_fail_their_row_naming_the_character(merged, line: int, code: str) -> None:
    _, _, result, _, by_line = merged
    row = by_line[line]
    assert row["status"] == "failed" and code in row["error"], row
    assert f"names.csv line {line}" in result.output


def test_a_100_kb_field_fails_its_row_only(tmp_path: Path) -> None:
    source = tmp_path / "long.csv"
    source.write_text(
        f"name,product\nAna Souza,mug\nBen Okafor,{'teapot ' * 15_000}\nCarla Reyes,cup\n"
    )
    out = tmp_path / "cards.pdf"
    result = runner.invoke(
        app, ["merge", str(source), "-t", "thank-you", "-o", str(out), "-q", "-j", "1"]
    )
    assert result.exit_code == 1, result.output
    assert "long.csv line 3" in result.output
    assert "'product' is too long: 104999 characters" in result.output
    assert len(check_pdf(out).pages) == 2


def test_a_1_mb_field_and_a_late_nul_byte_fail_only_their_rows(tmp_path: Path) -> None:
    """Both used to stop the whole run: the field with a misleading "unclosed quote" hint, the
    NUL (beyond the 64 KiB sniffed at the start) only after every row before it was drawn."""
    source = tmp_path / "late.csv"
    # Columns the template does not use, so that the NUL comes after the 64 KiB sniffed.
    padding = ",".join(["p" * 17_000] * 4)
    source.write_bytes(
        f"name,product,a,b,c,d\nAna Souza,mug,{padding}\nBen Okafor,{'teapot ' * 140_000}\n"
        "Cy\0 Reyes,cup\nDee Long,cup\n".encode()
    )
    out = tmp_path / "cards.pdf"
    result = runner.invoke(
        app, ["merge", str(source), "-t", "thank-you", "-o", str(out), "-q", "-j", "1"]
    )
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "quote" not in result.output
    assert "late.csv line 3" in result.output and "longer than 131,072 characters" in result.output
    assert "late.csv line 4" in result.output and "NUL" in result.output
    assert len(check_pdf(out).pages) == 2
    rows = {int(row["line"]): row for row in read_manifest(out.with_name("cards.manifest.csv"))}
    assert [rows[line]["status"] for line in (2, 3, 4, 5)] == ["ok", "failed", "failed", "ok"]
    assert "shorten that cell" in rows[3]["error"] and "damaged" in rows[4]["error"]


@pytest.mark.parametrize(
    "value", ["{{ 7*7 }}", "{% for i in range(3) %}x{% endfor %}", "../../etc/x", "CON"]
)
def test_write_set_prints_data_literally(tmp_path: Path, monkeypatch, value: str) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(
        app, ["write", "-t", "thank-you", "--set", f"name=Ana {value}", "--set", "product=mug"],
        catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    [written] = list(tmp_path.rglob("*.pdf"))
    assert written.parent == tmp_path and written.stem.lower() not in WINDOWS_RESERVED
    # thank-you greets by first name; the whole name is the file name and the manifest's.
    assert "Ana" in squash(text_of(check_pdf(written)))


def test_write_set_literal_in_the_text(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(
        app, ["write", "-t", "thank-you", "--set", "name=Ana", "--set", "product={{ 7*7 }} mugs",
              "-o", "a.pdf"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = squash(text_of(check_pdf(tmp_path / "a.pdf")))
    assert "{{7*7}}mugs" in text and "49" not in text


def test_write_set_100_kb_is_refused(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(
        app, ["write", "-t", "thank-you", "--set", f"name={'A' * 100_000}", "--set", "product=mug"]
    )
    assert result.exit_code == 1 and "'name' is too long" in result.output
    assert "Traceback" not in result.output and not list(tmp_path.glob("*.pdf"))
