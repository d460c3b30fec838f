"""Customer text that is not safe as it is: a lone surrogate, escape sequences, bidi overrides,
spreadsheet formulas. Driven through the commands, on real files, fonts and ledgers."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from notes.cli import app
from notes.manifest import read_manifest
from notes.safetext import BIDI_CONTROLS, printable, storable

runner = CliRunner()
TODAY = "2026-11-21"
OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"  # would write the clipboard
CSI = "\x1b[2J\x1b[31m"  # would clear the screen, then print red
C1_CSI = "\x9b1;31m"  # the one-byte form of CSI
HOSTILE_NAMES = [
    f"Ana{OSC52} Souza",
    f"Ben{CSI} Okafor",
    "Carla \u202eReyes\u202c",
    f"Dana{C1_CSI} Long",
]


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def assert_terminal_safe(text: str) -> None:
    """No control character but newline and tab, no bidi control, no lone surrogate."""
    bad = [
        c
        for c in text
        if c not in "\n\t" and (unicodedata.category(c) in ("Cc", "Cs") or c in BIDI_CONTROLS)
    ]
    assert not bad, f"unsafe characters reached the terminal: {bad!r}"


def day_export(path: Path, people: list[tuple[str, str, str]]) -> Path:
    """A generic export as JSON: (first name, last name, email) per order, all on TODAY."""
    orders = [
        {"Order Number": f"G-{n}", "Date": TODAY, "First Name": first, "Last Name": last,
         "Email": email, "Product": "Teapot", "Total": "20.00"}
        for n, (first, last, email) in enumerate(people, 1)
    ]  # fmt: skip
    # json.dumps escapes a lone surrogate as the six characters \ud800, as a broken export has it.
    path.write_text(json.dumps(orders), encoding="utf-8")
    return path


# ---------------------------------------------------------------- the helpers themselves


def test_printable_shows_controls_and_bidi_overrides_as_visible_escapes():
    assert printable(f"Ana{OSC52}") == "Ana␛]52;c;ZWNobyBwd25lZA==␇"
    assert printable("x\u202egnp.exe") == "x\\u202egnp.exe"
    assert printable("a\x9bb\x7fc") == "a\\x9bb␡c"
    assert printable("bad\ud800") == "bad\\ud800"
    assert printable("one\ntwo\r") == "one␊two␍"
    assert printable("one\ntwo", keep="\n") == "one\ntwo"
    for fine in ("Zoë Müller", "田中 さくら", "Nguyễn Thị", "👩\u200d👩\u200d👧", "a\u00a0b"):
        assert printable(fine) == fine


def test_storable_replaces_only_lone_surrogates():
    assert storable("Ana\ud800 Souza") == "Ana\ufffd Souza"
    assert storable("Zoë 👍🏽") == "Zoë 👍🏽"


# ---------------------------------------------------------------- a lone surrogate fails its row


def test_merge_fails_only_the_row_with_a_lone_surrogate(tmp_path):
    source = tmp_path / "customers.json"
    source.write_text(
        '[{"name": "Ana Souza", "product": "teapot"},'
        ' {"name": "Ben \\ud800 Okafor", "product": "mug"},'
        ' {"name": "Carla Reyes", "product": "socks", "note": "fine"}]',
        encoding="utf-8",
    )
    out = tmp_path / "cards.pdf"
    result = run(
        "merge", str(source), "-t", "thank-you", "-o", str(out), "--json", "-q", "-j", "1",
        "--today", TODAY,
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "2 notes rendered, 1 failed" in result.output
    assert "customers.json item 2 (row 2)" in result.output
    assert "field 'name' holds \\ud800" in result.output
    assert_terminal_safe(result.output)
    assert len(PdfReader(out).pages) == 2
    rows = read_manifest(tmp_path / "cards.manifest.csv")
    assert [r["status"] for r in rows] == ["ok", "failed", "ok"]
    assert "\\ud800" in rows[1]["error"]
    assert json.loads((tmp_path / "cards.manifest.json").read_text(encoding="utf-8"))


def test_merge_per_note_and_envelopes_survive_a_lone_surrogate(tmp_path):
    source = tmp_path / "customers.jsonl"
    source.write_text(
        '{"name": "Ana Souza", "product": "teapot", "address": "1 Main St", "city": "Lyon"}\n'
        '{"name": "Ben Okafor", "product": "mug", "address": "2 High St\\udfff", "city": "Bath"}\n',
        encoding="utf-8",
    )
    folder = tmp_path / "each"
    result = run(
        "merge", str(source), "-t", "thank-you", "--per-note", str(folder), "-q", "-j", "1",
        "--envelopes", str(tmp_path / "envelopes.pdf"), "--today", TODAY,
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "field 'address1' holds \\udfff" in result.output
    assert [p.name.casefold() for p in folder.glob("*.pdf")] == ["ana-souza.pdf"]
    assert len(PdfReader(tmp_path / "envelopes.pdf").pages) == 1


def test_day_fails_only_the_customer_with_a_lone_surrogate(tmp_path):
    export = day_export(
        tmp_path / "orders.json",
        [("Ana\ud800", "Souza", "ana@example.com"), ("Ben", "Okafor", "ben@example.com"),
         ("Carla", "Reyes", "carla\udfff@example.com")],
    )  # fmt: skip
    ledger, folder = str(tmp_path / "l.sqlite3"), tmp_path / "day"
    result = run("day", str(export), "--ledger", ledger, "-o", str(folder), "--explain")
    assert result.exit_code == 1, result.output
    assert "failed 2:" in result.output
    assert "field 'name' holds \\ud800" in result.output
    assert "field 'email' holds \\udfff" in result.output
    assert_terminal_safe(result.output)
    assert len(PdfReader(folder / "cards.pdf").pages) == 1
    manifest = (folder / "manifest.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(manifest)))
    assert [r["status"] for r in rows].count("written") == 1
    assert {r["customer"] for r in rows if r["status"] == "failed"} == {
        "Ana\ufffd Souza", "Carla Reyes",
    }  # fmt: skip
    again = run("day", str(export), "--ledger", ledger, "-o", str(folder))
    assert again.exit_code == 1 and "already" in again.output  # re-runs work too
    history = run("history", "--ledger", ledger)
    assert "Ben Okafor" in history.output and "1 note" in history.output


# ---------------------------------------------------------------- spreadsheet formulas


def test_history_csv_defuses_formulas(tmp_path):
    export = day_export(
        tmp_path / "orders.json",
        [('=HYPERLINK("http://evil.example","x")', "Ray", "ray@example.com"),
         ("-Lee", "Ray", "lee@example.com"), ("Ana", "Souza", "+ana@example.com")],
    )  # fmt: skip
    ledger = str(tmp_path / "l.sqlite3")
    assert run("day", str(export), "--ledger", ledger, "-o", str(tmp_path / "d")).exit_code == 0
    exported = run("history", "--ledger", ledger, "--csv")
    assert exported.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(exported.output)))
    assert len(rows) == 3
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), row
    assert {r["customer"] for r in rows} >= {
        "'=HYPERLINK(\"http://evil.example\",\"x\") Ray", "'-Lee Ray",
    }  # fmt: skip
    assert "'+ana@example.com" in {r["email"] for r in rows}


# ---------------------------------------------------------------- terminal escapes


@pytest.fixture(scope="module")
def hostile_day(tmp_path_factory):
    """A day whose customers' names carry escape sequences, written, with its ledger."""
    work = tmp_path_factory.mktemp("hostile-day")
    people = [(name.split()[0], name.split()[1], f"p{n}@example.com")
              for n, name in enumerate(HOSTILE_NAMES)]  # fmt: skip
    export = day_export(work / "orders.json", people)
    ledger = str(work / "l.sqlite3")
    result = run("day", str(export), "--ledger", ledger, "-o", str(work / "d"), "--explain")
    return export, ledger, result


def test_day_and_explain_print_names_safely(hostile_day):
    _, _, result = hostile_day
    assert result.exit_code == 0, result.output
    assert "Ana␛]52;c;ZWNobyBwd25lZA==␇ Souza" in result.output
    assert "\\u202eReyes" in result.output
    assert_terminal_safe(result.output)


def test_history_prints_names_safely(hostile_day):
    _, ledger, _ = hostile_day
    listed = run("history", "--ledger", ledger)
    assert "4 notes" in listed.output and "Ben␛[2J␛[31m" in listed.output
    assert_terminal_safe(listed.output)
    assert_terminal_safe(run("history", "--ledger", ledger, "--csv").output)


def test_merge_dry_run_and_errors_print_names_safely(tmp_path):
    source = tmp_path / "customers.json"
    rows = [{"name": name, "product": "teapot"} for name in HOSTILE_NAMES]
    rows.append({"name": f"Eve{OSC52}", "product": ""})  # fails: no product
    source.write_text(json.dumps(rows), encoding="utf-8")
    result = run("merge", str(source), "-t", "thank-you", "--dry-run", "-q", "--today", TODAY)
    assert "--- row 1" in result.output and "Ana␛]52;" in result.output
    assert "failed: " in result.output
    assert_terminal_safe(result.output)
    # A column name from the file, quoted in an error that stops the run.
    columns = tmp_path / "columns.json"
    columns.write_text(json.dumps([{"name": "Ana", f"prod{CSI}\u202e": "x"}]), encoding="utf-8")
    result = run("merge", str(columns), "-t", "thank-you", "-o", str(tmp_path / "c.pdf"))
    assert result.exit_code == 1 and "needs field 'product'" in result.output
    assert_terminal_safe(result.output)


def test_the_seed_hash_takes_any_key_and_keeps_the_hand_of_valid_ones():
    import hashlib
    import random

    from notes.render import note_rng

    digest = hashlib.sha256(b"0\x1fAna Souza").digest()
    expected = random.Random(int.from_bytes(digest[:8], "big")).random()
    assert note_rng(0, "Ana Souza").random() == expected  # byte-identical PDFs as before
    assert note_rng(0, "Ana\ud800").random() != note_rng(0, "Ana\udfff").random()


def test_broken_field_names_the_first_value_with_a_lone_surrogate():
    from notes.safetext import broken_field

    assert broken_field({"name": "Zoë 😍", "city": "Zürich", "n": 3}) is None
    assert broken_field({"name": "Zoë", "note": "hi \udc80 there"}) == ("note", "\\udc80")
    assert broken_field({"products": ["tea", "p\ud800t"], "x": "\udfff"}) == ("products", "\\ud800")
    assert broken_field({"items": {"k\ud801": "v"}}) == ("items", "\\ud801")
