"""Kill -9 a real `python -m notes day` run at three points; re-running completes exactly the rest.

Each kill waits for an event the run makes, never for time: a line on stderr (planning), its
temporary PDF appearing (writing), or its files in place while the test holds the ledger's
write lock, so the run cannot record them (between the files and the ledger).
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from notes.daywrite import UNFINISHED
from notes.demo import make_orders, write_export
from notes.ledger import Ledger

DAY = date(2026, 11, 21)
CUSTOMERS = 150


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("export") / "shopify-orders.csv"
    return write_export(
        path, make_orders(customers=CUSTOMERS, locale="en_US", seed=3, day=DAY), "shopify"
    )


def command(export: Path, tmp_path: Path, *more: str) -> list[str]:
    return [sys.executable, "-m", "notes", "day", str(export), "--ledger",
            str(tmp_path / "ledger.sqlite3"), "-o", str(tmp_path / "out"),
            "--date", DAY.isoformat(), *more]  # fmt: skip


def start(export: Path, tmp_path: Path, *more: str) -> subprocess.Popen:
    return subprocess.Popen(
        command(export, tmp_path, *more),
        cwd=tmp_path,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def kill(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL
    process.stderr.close()


def kill_when(process: subprocess.Popen, ready) -> None:
    """Kill once `ready()`; the deadline only keeps a broken run from hanging the suite."""
    deadline = time.monotonic() + 120
    while not ready():
        assert process.poll() is None, "the run finished before it could be killed"
        assert time.monotonic() < deadline, "the run never reached the point to kill it"
        time.sleep(0.005)
    kill(process)


def notes_in(ledger: Path) -> list[tuple[str, str, int]]:
    if not ledger.exists():
        return []
    with sqlite3.connect(ledger) as db:
        return db.execute("SELECT customer_key, output_file, page FROM notes").fetchall()


def finish(export: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    done = subprocess.run(
        command(export, tmp_path, "--quiet"), cwd=tmp_path, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done


def assert_complete(tmp_path: Path) -> None:
    """Each customer exactly once in the ledger, and the pages it names are the PDF's pages."""
    out = tmp_path / "out"
    notes = notes_in(tmp_path / "ledger.sqlite3")
    keys = [key for key, _, _ in notes]
    assert len(keys) == len(set(keys))
    written = sum(1 for line in (out / "manifest.csv").read_text("utf-8-sig").splitlines()
                  if ",written," in line)  # fmt: skip
    assert len(notes) == written > CUSTOMERS * 0.9
    files = {Path(f) for _, f, _ in notes}
    assert files == {(out / "cards.pdf").resolve()}, "one stack of cards, no cards-2.pdf"
    assert sorted(page for _, _, page in notes) == list(range(1, len(notes) + 1))
    assert len(PdfReader(out / "cards.pdf").pages) == len(notes)
    assert not (out / UNFINISHED).exists()
    assert not list(out.glob(".*.part"))


def test_killed_while_planning_the_cards(tmp_path: Path, export: Path):
    process = start(export, tmp_path)
    for line in process.stderr:
        if line.startswith("writing"):  # cards are planned as they are written: none in place
            break
    else:
        pytest.fail(f"the run never said it was writing (exit {process.wait()})")
    kill(process)
    assert not (tmp_path / "out" / "cards.pdf").exists()
    assert notes_in(tmp_path / "ledger.sqlite3") == []
    finish(export, tmp_path)
    assert_complete(tmp_path)


def test_killed_while_writing_the_pdf(tmp_path: Path, export: Path):
    out = tmp_path / "out"
    process = start(export, tmp_path, "--quiet")
    kill_when(process, lambda: out.is_dir() and any(out.glob(".notes-*.part")))
    assert not (out / "cards.pdf").exists(), "no half file under the final name"
    assert (tmp_path / "ledger.sqlite3.lock").exists()  # a dead run's lock: the next takes it over
    assert notes_in(tmp_path / "ledger.sqlite3") == []
    finish(export, tmp_path)
    assert_complete(tmp_path)


def test_killed_after_the_files_before_the_ledger(tmp_path: Path, export: Path):
    out = tmp_path / "out"
    with Ledger(tmp_path / "ledger.sqlite3"):
        pass  # made now, so the run needs no write to open it
    holder = sqlite3.connect(tmp_path / "ledger.sqlite3")
    holder.execute("BEGIN EXCLUSIVE")  # the run places its files, then waits to record them
    try:
        process = start(export, tmp_path, "--quiet", "--wait", "600")
        kill_when(process, lambda: (out / "manifest.csv").exists())
    finally:
        holder.rollback()
        holder.close()
    assert (out / "cards.pdf").exists() and (out / UNFINISHED).exists()
    assert notes_in(tmp_path / "ledger.sqlite3") == []
    finish(export, tmp_path)
    # The unrecorded cards.pdf was rewritten in place, not doubled by a cards-2.pdf.
    assert not (out / "cards-2.pdf").exists()
    assert_complete(tmp_path)
    before = notes_in(tmp_path / "ledger.sqlite3")
    again = finish(export, tmp_path)
    assert f"nothing new to write: {len(before)} customers already have their note" in again.stdout
    assert notes_in(tmp_path / "ledger.sqlite3") == before
