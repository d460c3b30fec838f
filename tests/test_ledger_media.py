"""A ledger on read-only media: `notes history` still reads it, `notes day` says what is wrong.

On a real read-only mount (a small tmpfs remounted read-only): the tests run as root, and
chmod proves nothing to root. Skipped, with the reason, where mounting is impossible.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from notes.cli import app
from notes.errors import DataError
from notes.ledger import Ledger, NoteRecord

SHOPIFY = str(Path(__file__).parent / "fixtures" / "exports" / "shopify_orders.csv")
NEVER_SAID = ("move the file aside", "new ledger", "not a notes ledger", "Traceback")


def _mount(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["mount", *args], capture_output=True, text=True)


@pytest.fixture
def media(tmp_path: Path):
    """A tmpfs holding a ledger with one note, then remounted read-only."""
    folder = tmp_path / "media"
    folder.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("no `mount` command here, so no read-only media to test on")
    mounted = _mount("-t", "tmpfs", "-o", "size=4m", "tmpfs", str(folder))
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root on Linux): {mounted.stderr.strip()}")
    try:
        with Ledger(folder / "ledger.sqlite3") as ledger:
            ledger.record_notes(
                [NoteRecord("ana@example.com", "Ana Souza", "welcome", date(2026, 11, 20), "c", 1)]
            )
        remounted = _mount("-o", "remount,ro", str(folder))
        assert remounted.returncode == 0, remounted.stderr
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_a_ledger_on_read_only_media_says_so(media: Path):
    path = media / "ledger.sqlite3"
    with pytest.raises(DataError) as refused:
        Ledger(path)
    error = refused.value
    assert "read-only media" in error.message and error.where == str(path)
    assert "--ledger" in error.hint and "notes history" in error.hint
    assert not any(words in str(error) for words in NEVER_SAID)
    with Ledger(path, read_only=True) as ledger:
        assert [r.name for r in ledger.history()] == ["Ana Souza"]


def test_history_reads_it_and_day_says_what_to_do(media: Path, tmp_path: Path):
    runner = CliRunner()
    path = str(media / "ledger.sqlite3")
    listed = runner.invoke(app, ["history", "--ledger", path])
    assert listed.exit_code == 0, listed.output
    assert "Ana Souza" in listed.output and "1 note" in listed.output
    for ledger in (path, str(media / "new.sqlite3")):
        day = runner.invoke(app, ["day", SHOPIFY, "--ledger", ledger, "-o", str(tmp_path / "out")])
        assert day.exit_code == 1
        assert "read-only media" in day.output and "--ledger COPY" in day.output
        assert not any(words in day.output for words in NEVER_SAID), day.output
        assert not (tmp_path / "out").exists()
