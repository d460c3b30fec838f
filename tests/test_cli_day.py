"""`notes day`, `notes history` and `notes demo` driven through CliRunner."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from notes.cli import app
from notes.manifest import read_manifest

EXPORTS = Path(__file__).parent / "fixtures" / "exports"
SHOPIFY = str(EXPORTS / "shopify_orders.csv")
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("command", ["day", "demo", "history"])
def test_help_ends_with_an_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output and f"notes {command}" in result.output


def test_day_writes_the_folder_and_says_what_it_did(here):
    result = run("day", SHOPIFY, "--ledger", "ledger.sqlite3", "--explain", "--date", "2026-11-21")
    assert result.exit_code == 0, result.output
    out = here / "notes-2026-11-21"
    assert (out / "cards.pdf").is_file() and (out / "envelopes.pdf").is_file()
    assert (
        "Ava Wilson: surprise [surprise] order #1009 total 142.00 is above 100.00" in result.output
    )
    assert "wrote 7 notes:" in result.output
    assert "apology    1" in result.output and "thank-you  3" in result.output
    assert (
        "skipped 4:" in result.output and "Olivia Brown: order #1006 was cancelled" in result.output
    )
    assert "problem: shopify_orders.csv line 20" in result.output
    assert "notes-2026-11-21/cards.pdf" in result.output
    assert len(PdfReader(out / "cards.pdf").pages) == 7

    again = run("day", SHOPIFY, "--ledger", "ledger.sqlite3", "--date", "2026-11-21")
    assert again.exit_code == 0
    assert "nothing new to write: 7 customers already have their note" in again.output
    assert sorted(p.name for p in out.iterdir()) == [
        "cards.pdf", "codes.csv", "envelopes.pdf", "manifest.csv", "review-data.json",
    ]  # fmt: skip


def test_dry_run_writes_and_records_nothing(here):
    result = run("day", SHOPIFY, "--ledger", "ledger.sqlite3", "--dry-run", "--date", "2026-11-21")
    assert result.exit_code == 0, result.output
    assert "would write 7 notes" in result.output
    assert "Emma Johnson: loyal [loyal]" in result.output
    assert not (here / "notes-2026-11-21").exists()
    assert "no notes match" in run("history", "--ledger", "ledger.sqlite3").output


def test_day_options_sheet_and_output_folder(here):
    args = ("--ledger", "l.sqlite3", "-o", "today", "--sheet", "letter", "-q")
    result = run("day", SHOPIFY, *args, "--date", "2026-11-21")
    assert result.exit_code == 0, result.output
    assert "wrote" not in result.output and "today/cards.pdf" in result.output
    assert PdfReader(here / "today" / "cards.pdf").pages[0].mediabox.width == pytest.approx(612)


def test_day_jobs_writes_the_same_bytes_for_any_number_of_processes(here, monkeypatch):
    """`--jobs 2` plans the cards in a spawned worker and the parent (more than one batch of
    jobs); the folder is byte for byte that of `--jobs 1`."""
    from notes.batch import BATCH

    monkeypatch.setattr("notes.batch.POOL_FROM", 0)  # a pool for these few customers too
    from notes.codes import seed_ledger_secret
    from notes.demo import make_orders, write_export
    from notes.ledger import Ledger

    day = "2026-11-21"
    orders = make_orders(customers=2 * BATCH + 4, locale="en_US", seed=3, day=dt.date(2026, 11, 21))
    export = write_export(here / "orders.csv", orders, "shopify")
    folders = []
    for jobs in ("1", "2"):  # one shop's ledger twice: the same secret, so the same codes
        with Ledger(here / f"ledger-{jobs}.sqlite3") as book:
            seed_ledger_secret(book, "one shop")
    for jobs in ("1", "2"):
        folder = here / f"jobs-{jobs}"
        args = [str(export), "--date", day, "-o", str(folder), "--seed", "4", "-q"]
        result = run("day", *args, "--ledger", f"ledger-{jobs}.sqlite3", "--jobs", jobs)
        assert result.exit_code == 0, result.output
        # review-data.json names its run's ledger, the one file that differs by design
        files = (p for p in folder.iterdir() if p.is_file() and p.name != "review-data.json")
        folders.append({p.name: p.read_bytes() for p in files})
    one, two = folders
    assert {"cards.pdf", "envelopes.pdf", "manifest.csv"} <= set(one)
    assert len(PdfReader(here / "jobs-1" / "cards.pdf").pages) > BATCH
    assert one == two


def test_every_day_in_the_file_gets_its_own_folder_and_summary(here):
    result = run("day", SHOPIFY, "--ledger", "l.sqlite3", "-o", "week")
    assert result.exit_code == 0, result.output
    assert "3 days in shopify_orders.csv: 2026-11-19, 2026-11-20, 2026-11-21" in result.output
    for day, notes in (("2026-11-19", 1), ("2026-11-20", 1), ("2026-11-21", 7)):
        folder = here / "week" / day
        files = {"cards.pdf", "envelopes.pdf", "manifest.csv", "review-data.json"}
        codes = {"codes.csv"} if day == "2026-11-21" else set()  # Ava's surprise code
        assert {p.name for p in folder.iterdir()} == files | codes
        assert len(PdfReader(folder / "cards.pdf").pages) == notes
        assert len(PdfReader(folder / "envelopes.pdf").pages) == notes
        assert f"{day} from shopify_orders.csv (shopify)" in result.output
        assert f"week/{day}/cards.pdf" in result.output
    # Per day, in order: the 19th's summary comes before the 21st's.
    out = result.output
    assert out.index("2026-11-19 from") < out.index("wrote 1 note:") < out.index("2026-11-21 from")
    assert out.count("problem: shopify_orders.csv line 20") == 1  # once, not once a day
    # Emma's first order (the 19th) is history by the 21st.
    emma = read_manifest(here / "week" / "2026-11-21" / "manifest.csv")[0]
    assert (emma["customer"], emma["occasion"]) == ("Emma Johnson", "loyal")
    again = run("day", SHOPIFY, "--ledger", "l.sqlite3", "-o", "week")
    assert again.output.count("nothing new to write") == 3
    one = run("day", SHOPIFY, "--ledger", "l2.sqlite3", "-o", "one", "--date", "2026-11-20")
    assert one.exit_code == 0 and sorted(p.name for p in (here / "one").iterdir()) == [
        "cards.pdf", "envelopes.pdf", "manifest.csv", "review-data.json",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "args, words",
    [
        (["--date", "21.11.2026"], ["--date '21.11.2026' is not a date", "2026-11-21"]),
        (["--date", "2026-11-25"], ["no orders on 2026-11-25", "from 2026-11-19 to 2026-11-21"]),
        (["--preset", "square"], ["not a square export", "--preset auto"]),
        (["--sheet", "a3"], ["unknown sheet size 'a3'", "a4 or letter"]),
    ],
)
def test_day_user_mistakes_get_a_message_not_a_traceback(here, args, words):
    result = run("day", SHOPIFY, "--ledger", "l.sqlite3", *args)
    assert result.exit_code in (1, 2)
    for word in words:
        assert word in result.output
    assert "Traceback" not in result.output


def test_a_failed_note_exits_1_after_writing_the_others(here):
    export = here / "orders.csv"
    export.write_text(
        "Order Number,Date,Name,Email,Product\n1,2026-11-21,Ana Souza,ana@example.com,Mug\n"
        "2,2026-11-21,Zo\U000f0000 Ray,zo@example.com,Mug\n",
        encoding="utf-8",
    )
    result = run("day", str(export), "--ledger", "l.sqlite3")
    assert result.exit_code == 1
    assert "failed 1:" in result.output and "U+F0000" in result.output
    assert len(PdfReader(here / "notes-2026-11-21" / "cards.pdf").pages) == 1


def test_reprint_writes_the_day_again_into_new_files(here):
    assert run("day", SHOPIFY, "--ledger", "l.sqlite3", "-q").exit_code == 0
    result = run("day", SHOPIFY, "--ledger", "l.sqlite3", "--reprint")
    assert result.exit_code == 0, result.output
    assert "wrote 7 notes:" in result.output and "--force" not in result.output
    out = here / "notes-2026-11-21"
    assert len(PdfReader(out / "cards-2.pdf").pages) == 7
    assert len(PdfReader(out / "cards.pdf").pages) == 7  # the first print is kept


def test_force_on_day_is_the_old_name_of_reprint_and_says_so(here):
    assert run("day", SHOPIFY, "--ledger", "l.sqlite3", "-q").exit_code == 0
    result = run("day", SHOPIFY, "--ledger", "l.sqlite3", "--force")
    assert result.exit_code == 0, result.output
    assert "--force is the old name of --reprint" in result.stderr
    assert "use --reprint" in result.stderr and "wrote 7 notes:" in result.output
    assert len(PdfReader(here / "notes-2026-11-21" / "cards-2.pdf").pages) == 7


def test_history_lists_filters_and_exports_csv(here):
    assert run("day", SHOPIFY, "--ledger", "l.sqlite3", "--date", "2026-11-21").exit_code == 0
    listed = run("history", "--ledger", "l.sqlite3")
    assert "7 notes" in listed.output and "Ava Wilson" in listed.output
    one = run("history", "--ledger", "l.sqlite3", "--customer", "さくら")
    assert "田中 さくら" in one.output and "referral" in one.output and "1 note" in one.output
    assert (
        "no notes match" in run("history", "--ledger", "l.sqlite3", "--until", "2026-11-20").output
    )
    exported = run("history", "--ledger", "l.sqlite3", "--csv", "--since", "2026-11-21")
    rows = list(csv.DictReader(io.StringIO(exported.output)))
    assert len(rows) == 7
    ava = next(r for r in rows if r["customer"] == "Ava Wilson")
    assert ava["occasion"] == "surprise" and ava["discount_code"].startswith("THANKS-")
    assert ava["file"].endswith("cards.pdf") and ava["page"] == "4"


def test_history_finds_a_square_customer_by_its_id_in_any_case(here):
    """Square keys keep the shop's case ('id:square:CUST-A1'): the lookup folded only the
    query, so `--customer CUST-A1` found nothing."""
    square = str(EXPORTS / "square_items.csv")
    assert run("day", square, "--ledger", "l.sqlite3", "-q").exit_code == 0
    for query in ("CUST-A1", "id:square:CUST-A1", "cust-a1"):
        found = run("history", "--ledger", "l.sqlite3", "--customer", query)
        assert found.exit_code == 0, found.output
        assert "2 notes" in found.output and "Hana Sato" in found.output, (query, found.output)
        assert "Leo Park" not in found.output
    assert "no notes match" in run("history", "--ledger", "l.sqlite3", "--customer", "A1").output


def test_history_without_a_ledger(here):
    result = run("history", "--ledger", "none.sqlite3")
    assert result.exit_code == 0 and "no notes yet" in result.output
    assert not (here / "none.sqlite3").exists()


def test_demo_command(here):
    result = run("demo", "--customers", "10", "--seed", "2")
    assert result.exit_code == 0, result.output
    assert "cards:     notes-demo/cards.pdf" in result.output
    assert "preview:   notes-demo/preview-card.png" in result.output
    assert "surprise" in result.output and "loyal" in result.output
    again = run("demo", "--customers", "10", "--seed", "2")
    assert again.exit_code == 0 and "cards:     notes-demo/cards.pdf" in again.output
    assert not (here / "notes-demo" / "cards-2.pdf").exists()
    bad = run("demo", "--preset", "etsy")
    assert bad.exit_code == 2 and "unknown preset 'etsy'" in bad.output


def test_ctrl_c_says_how_to_resume(tmp_path):
    from datetime import date

    from notes.demo import make_orders, write_export

    export = write_export(
        tmp_path / "orders.csv",
        make_orders(customers=150, locale="en_US", seed=1, day=date(2026, 11, 21)),
        "shopify",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "notes", "day", str(export), "--ledger", "l.sqlite3",
         "--date", "2026-11-21"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ},
    )  # fmt: skip
    for line in process.stderr:
        if line.startswith("writing 1"):  # writing has begun; nothing is in place yet
            break
    else:
        pytest.fail(f"the run never said it was writing (exit {process.wait()})")
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    # 130, or ended by the SIGINT itself (-2), which a shell also reports as 130; seen under load
    # after the message was printed, cause not found (see the session's closing note).
    assert process.returncode in (130, -signal.SIGINT), err
    assert "stopped while writing" in err and "run the same command again" in err
    assert "Traceback" not in err
    assert not (tmp_path / "notes-2026-11-21" / "cards.pdf").exists()


# -- one run at a time --------------------------------------------------------------------------

HOLD = """
import sys
from pathlib import Path
from notes.ledgerfile import ledger_lock

with ledger_lock(Path(sys.argv[1]), wait=0):
    Path(sys.argv[2]).write_text("holding", encoding="utf-8")
    sys.stdin.read()  # until the test closes it
"""


@pytest.fixture
def holder(tmp_path):
    """Another process holding the ledger's lock, as a running `notes day` does."""
    signal_file = tmp_path / "holding"
    process = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path / "l.sqlite3"), str(signal_file)],
        stdin=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 120  # only so a broken child cannot hang the suite
    while not signal_file.exists():
        assert process.poll() is None and time.monotonic() < deadline, "the holder never held"
        time.sleep(0.01)
    yield process
    process.stdin.close()
    assert process.wait() == 0


def test_a_second_run_says_which_run_holds_the_ledger(here, holder):
    result = run("day", SHOPIFY, "--ledger", "l.sqlite3", "--wait", "0")
    assert result.exit_code == 1
    assert (
        f"another `notes day` run is using this ledger (pid {holder.pid}, since " in result.output
    )
    assert "--wait SECONDS" in result.output and "Traceback" not in result.output
    assert not (here / "notes-2026-11-21").exists()


def test_a_waiting_run_goes_on_when_the_holder_finishes(tmp_path, holder):
    waiting = subprocess.Popen(
        [sys.executable, "-m", "notes", "day", SHOPIFY, "--ledger", "l.sqlite3", "--wait", "600"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    line = waiting.stderr.readline()
    assert line.startswith(f"waiting for another `notes day` run (pid {holder.pid}, since "), line
    holder.stdin.close()  # the first run ends
    out, err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, err
    assert "wrote 7 notes" in out
    assert len(PdfReader(tmp_path / "notes-2026-11-21" / "cards.pdf").pages) == 7


def test_a_lock_left_by_a_dead_run_is_taken_over(here):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    lock = here / "l.sqlite3.lock"
    lock.write_text(f'{{"pid": {dead.pid}, "since": "2026-11-21T09:00:00+00:00"}}', "utf-8")
    result = run("day", SHOPIFY, "--ledger", "l.sqlite3", "--wait", "0")
    assert result.exit_code == 0, result.output
    assert "wrote 7 notes" in result.output and not lock.exists()


def test_history_reads_while_another_program_writes(here):
    assert run("day", SHOPIFY, "--ledger", "l.sqlite3", "-q", "--date", "2026-11-21").exit_code == 0
    other = sqlite3.connect(here / "l.sqlite3")
    other.execute("BEGIN EXCLUSIVE")  # holds the write lock for as long as this test runs
    try:
        listed = run("history", "--ledger", "l.sqlite3")
    finally:
        other.rollback()
        other.close()
    assert listed.exit_code == 0, listed.output
    assert "7 notes" in listed.output


def test_demo_refuses_a_folder_it_did_not_make(here):
    shop = here / "shop"
    shop.mkdir()
    (shop / "shopify-orders.csv").write_text("Name,Email\n#1,ana@example.com\n", "utf-8")
    (shop / "manifest-for-accountant.csv").write_text("invoice,total\n", "utf-8")
    result = run("demo", "-o", "shop")
    assert result.exit_code == 1
    assert "shop: this folder already holds files" in result.output
    assert "notes demo -o notes-demo-2" in result.output
    assert sorted(p.name for p in shop.iterdir()) == [
        "manifest-for-accountant.csv",
        "shopify-orders.csv",
    ]
