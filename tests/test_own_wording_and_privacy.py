"""The shop's own wording for `notes day` (--template-dir, [templates], notes init --templates),
people who asked not to be written to (do-not-contact in `day` and `merge`, `notes forget`), and
re-runs of a few rows that never replace the batch they came from."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from notes.cli import app
from notes.manifest import read_manifest
from tests.pdfcheck import check_pdf, text_of

runner = CliRunner()
EXPORT = """\
Order Number,Date,Name,Email,Product,Total,Address,City,State,Zip,Country
1,2026-11-21,Ava Wilson,ava@example.com,Linen Apron,150.00,7 Birch Lane,Eugene,OR,97401,US
2,2026-11-21,Ben Okafor,Ben@Example.com,Tea Towel,9.00,4 Pine Road,Salem,OR,97301,US
3,2026-11-21,Cleo Park,cleo@example.com,Stoneware Bowl,28.00,1 Oak Ave,Portland,OR,97201,US
"""


def invoke(*args: str, code: int = 0):
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output, result.output
    assert result.exit_code == code, result.output
    return result


def export(tmp_path: Path) -> str:
    path = tmp_path / "orders.csv"
    path.write_text(EXPORT, encoding="utf-8")
    return str(path)


def config(tmp_path: Path, text: str) -> str:
    path = tmp_path / "notes.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


# ---------------------------------------------------------------- own wording


def test_init_writes_the_templates_and_day_uses_the_ones_in_the_folder(tmp_path):
    folder = tmp_path / "my-cards"
    result = invoke("init", str(tmp_path / "notes.toml"), "--templates", str(folder))
    assert "wrote 7 templates and back.j2 into" in result.output
    assert {p.name for p in folder.iterdir()} == {
        "thank-you.j2", "welcome.j2", "loyal.j2", "birthday.j2", "apology.j2", "referral.j2",
        "surprise.j2", "back.j2",
    }  # fmt: skip
    assert (tmp_path / "notes.toml").is_file()
    (folder / "thank-you.j2").write_text(
        '{#\ntitle = "Ours"\nrequired = ["name"]\n#}\nDear {{ first_name }}, it was a joy to '
        "see you at the market stall today.\n\n{{ shop.sender }}\n",
        encoding="utf-8",
    )
    again = invoke("init", str(tmp_path / "notes.toml"), "--templates", str(folder), code=2)
    assert "exist already" in again.output and "--force" in again.output
    invoke("day", export(tmp_path), "--ledger", str(tmp_path / "l.sqlite3"), "-o",
           str(tmp_path / "out"), "--template-dir", str(folder))  # fmt: skip
    cards = check_pdf(tmp_path / "out" / "cards.pdf")
    rows = read_manifest(tmp_path / "out" / "manifest.csv")
    ben = next(i for i, r in enumerate(rows) if r["customer"] == "Ben Okafor")
    assert "at the market stall today" in " ".join(text_of(cards, ben).split())
    assert "market stall" not in text_of(cards, 0)  # Ava's surprise card keeps its own file


def test_templates_section_maps_an_occasion_to_a_file(tmp_path):
    (tmp_path / "sorry.j2").write_text(
        '{#\ntitle = "Sorry"\nrequired = ["name"]\n#}\nHi {{ first_name }}, thank you so much for '
        "bearing with us this week.\n\n{{ shop.sender }}\n",
        encoding="utf-8",
    )
    settings = config(tmp_path, '[templates]\nthank-you = "sorry.j2"\n')
    invoke("day", export(tmp_path), "--ledger", str(tmp_path / "l.sqlite3"), "-o",
           str(tmp_path / "out"), "--config", settings)  # fmt: skip
    text = text_of(check_pdf(tmp_path / "out" / "cards.pdf"), 1)
    assert "bearing with us this week" in " ".join(text.split())


def test_a_missing_or_broken_own_template_stops_the_run_before_any_card(tmp_path):
    settings = config(tmp_path, '[templates]\napology = "nope.j2"\n')
    result = invoke("day", export(tmp_path), "--ledger", str(tmp_path / "l.sqlite3"), "-o",
                    str(tmp_path / "out"), "--config", settings, code=1)  # fmt: skip
    assert "the template for 'apology' does not exist" in result.output
    assert "notes.toml line 2 ([templates] apology)" in result.output
    empty = tmp_path / "empty"
    empty.mkdir()
    result = invoke("day", export(tmp_path), "--ledger", str(tmp_path / "l.sqlite3"), "-o",
                    str(tmp_path / "out"), "--template-dir", str(empty), code=2)  # fmt: skip
    assert "holds no occasion template" in result.output and "thank-you.j2" in result.output
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------- do not contact


def test_day_and_merge_leave_out_the_do_not_contact_list_with_the_reason(tmp_path):
    (tmp_path / "dnc.txt").write_text("# asked on 2026-11-02\nben@example.com\n", "utf-8")
    settings = config(tmp_path, '[privacy]\ndo_not_contact = "dnc.txt"\n')
    result = invoke("day", export(tmp_path), "--ledger", str(tmp_path / "l.sqlite3"), "-o",
                    str(tmp_path / "out"), "--config", settings, "--explain")  # fmt: skip
    reason = "Ben@Example.com is on the do-not-contact list (dnc.txt line 2)"
    assert f"Ben Okafor: skip [skip-do-not-contact] {reason}" in result.output
    rows = read_manifest(tmp_path / "out" / "manifest.csv")
    ben = next(r for r in rows if r["customer"] == "Ben Okafor")
    assert (ben["status"], ben["reason"], ben["page"]) == ("skipped", reason, "")
    assert len(check_pdf(tmp_path / "out" / "cards.pdf").pages) == 2
    merged = invoke("merge", export(tmp_path), "-t", "thank-you", "--map", "product=Product",
                    "-o", str(tmp_path / "m.pdf"), "--config", settings, "-j", "1")  # fmt: skip
    assert "2 notes rendered, 0 failed, 1 on the do-not-contact list left out" in merged.output
    row = read_manifest(tmp_path / "m.manifest.csv")[1]
    assert (row["status"], row["error"]) == ("skipped", reason)


def test_forget_removes_a_customer_and_says_what_it_removed(tmp_path):
    ledger = str(tmp_path / "l.sqlite3")
    invoke("day", export(tmp_path), "--ledger", ledger, "-o", str(tmp_path / "out"))
    code = read_manifest(tmp_path / "out" / "manifest.csv")[0]["discount_code"]
    result = invoke("forget", "AVA@example.com", "--ledger", ledger)
    assert f"removed AVA@example.com from {ledger}:" in result.output
    assert "  1 customer record\n  1 order\n  1 note\n" in result.output
    assert "note of 2026-11-21: " in result.output and "cards.pdf page 1" in result.output
    with sqlite3.connect(ledger) as db:
        tables = ("customers", "orders", "notes")
        left = {t: db.execute(f"SELECT COUNT(*) FROM {t} WHERE customer_key LIKE 'ava%'"  # noqa: S608
                              if t != "customers" else "SELECT COUNT(*) FROM customers WHERE "
                              "key LIKE 'ava%'").fetchone()[0] for t in tables}  # fmt: skip
        assert left == dict.fromkeys(tables, 0)
        # Her code stays used, without her: it is never handed to anyone else.
        assert db.execute("SELECT code FROM codes").fetchall() == [(code,)]
    assert "the ledger holds nothing about" in invoke("forget", "ava@example.com", "--ledger",
                                                      ledger).output  # fmt: skip
    history = invoke("history", "--ledger", ledger).output
    assert "Ava Wilson" not in history and "Cleo Park" in history


# ---------------------------------------------------------------- --rows


def test_rows_with_force_never_replace_the_batch_they_came_from(tmp_path):
    source, cards = export(tmp_path), tmp_path / "cards.pdf"
    common = ("-t", "thank-you", "--map", "product=Product", "-j", "1")
    invoke("merge", source, *common, "-o", str(cards))
    before = cards.read_bytes()
    result = invoke("merge", source, *common, "-o", str(cards), "--rows", "2", "--force", code=2)
    assert "--rows writes only the rows chosen; it would replace cards.pdf" in result.output
    assert f"-o {tmp_path / 'cards-fixes.pdf'}" in result.output
    assert cards.read_bytes() == before
    assert len(read_manifest(tmp_path / "cards.manifest.csv")) == 3
    beside = invoke("merge", source, *common, "-o", str(tmp_path / "cards-fixes.pdf"), "--rows",
                    "2")  # fmt: skip
    assert beside.exit_code == 0 and len(check_pdf(tmp_path / "cards-fixes.pdf").pages) == 1
