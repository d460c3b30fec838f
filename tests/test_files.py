"""Writing outputs (notes.files): disk full, read-only disks, folders where files should be,
names too long, and what killed runs leave behind. Every failure is one clear message that
names the path and gives a hint; no traceback, and no temporary file left."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from notes.cli import app
from notes.files import temp_beside
from tests.customers import customers_csv

EXPORTS = Path(__file__).parent / "fixtures" / "exports"
runner = CliRunner()


def notes(*args: str | Path):
    return runner.invoke(app, [str(a) for a in args])


def merge(source: Path, *args: str | Path):
    return notes("merge", source, "-t", "thank-you", "--today", "2026-01-05", "-q", *args)


def temporary_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.startswith(".notes-") or p.suffix == ".part"]


def assert_clear_error(result, path: Path, *words: str) -> None:
    """Exit 1 with `error: <path>: ...` and a hint: the user's mistake or the disk, no bug."""
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, OSError), result.exception
    assert "Traceback" not in result.output
    assert f"error: {path}: " in result.output, result.output
    assert "hint: " in result.output
    for word in words:
        assert word in result.output


# ---------------------------------------------------------------- disk full, read-only disk


def test_merge_on_a_full_disk(tmp_path: Path, full_disk: Path):
    result = merge(customers_csv(tmp_path, 3), "-o", full_disk / "cards.pdf", "-j", "1")
    assert_clear_error(result, full_disk / "cards.pdf", "no space left", "free some space")
    assert sorted(p.name for p in full_disk.iterdir()) == ["filler"]


# `notes` with a pool of workers even for a few rows (notes.batch.POOL_FROM: far more).
POOLED = "import notes.batch; notes.batch.POOL_FROM = 0; from notes.cli import main; main()"


def test_merge_on_a_full_disk_with_two_workers_reports_once(tmp_path: Path, full_disk: Path):
    """Both workers fail; the user sees one message, not a traceback from each."""
    source = customers_csv(tmp_path, 260)  # two chunks: a pool of two workers
    out = full_disk / "cards"
    done = subprocess.run(
        [sys.executable, "-c", POOLED, "merge", str(source), "-t", "thank-you",
         "--per-note", str(out), "-j", "2", "-q", "--today", "2026-01-05"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert done.stderr.count("error: ") == 1, done.stderr
    assert f"error: {out}: no space left on the disk" in done.stderr
    assert "hint: free some space" in done.stderr
    assert temporary_files(full_disk) == []


def test_merge_on_a_read_only_disk(tmp_path: Path, read_only_disk: Path):
    result = merge(customers_csv(tmp_path, 3), "-o", read_only_disk / "cards.pdf", "-j", "1")
    assert_clear_error(result, read_only_disk / "cards.pdf", "read-only", "writable disk")


def test_write_on_a_full_disk(full_disk: Path):
    result = notes("write", "--text", "Dear Ana, thank you!", "-o", full_disk / "ana.pdf")
    assert_clear_error(result, full_disk / "ana.pdf", "no space left")
    assert sorted(p.name for p in full_disk.iterdir()) == ["filler"]


def test_write_on_a_read_only_disk(read_only_disk: Path):
    result = notes("write", "--text", "Dear Ana, thank you!", "-o", read_only_disk / "ana.pdf")
    assert_clear_error(result, read_only_disk / "ana.pdf", "read-only")


def day(out: Path, ledger: Path):
    return notes(
        "day", EXPORTS / "shopify_orders.csv", "-o", out, "--ledger", ledger, "-q",
        "--date", "2026-11-21",
    )  # fmt: skip


def test_day_on_a_full_disk(tmp_path: Path, full_disk: Path):
    result = day(full_disk, tmp_path / "ledger.sqlite3")
    assert_clear_error(result, full_disk / "cards.pdf", "no space left")
    assert sorted(p.name for p in full_disk.iterdir()) == ["filler"]
    assert "Ana" not in notes("history", "--ledger", tmp_path / "ledger.sqlite3").output


def test_day_of_several_days_on_a_full_disk_leaves_no_empty_folder(tmp_path: Path, full_disk: Path):
    """The export holds two days: the first day's sub-folder was made, then its cards could not
    be written, and the empty folders (out/ and out/2026-11-20/) stayed behind."""
    square = EXPORTS / "square_items.csv"
    out = full_disk / "out"
    result = notes("day", square, "-o", out, "--ledger", tmp_path / "ledger.sqlite3", "-q")
    assert_clear_error(result, out / "2026-11-20" / "cards.pdf", "no space left")
    assert sorted(p.name for p in full_disk.iterdir()) == ["filler"]


def test_day_on_a_read_only_disk(tmp_path: Path, read_only_disk: Path):
    result = day(read_only_disk / "today", tmp_path / "ledger.sqlite3")
    assert_clear_error(result, read_only_disk / "today", "read-only")
    result = day(read_only_disk, tmp_path / "ledger.sqlite3")  # the folder exists, read-only
    assert_clear_error(result, read_only_disk / "cards.pdf", "read-only")


@pytest.mark.parametrize(
    ("command", "written"),
    [
        (["init", "{disk}/notes.toml"], "notes.toml"),
        (["fonts", "--specimen", "{disk}/fonts.pdf"], "fonts.pdf"),
        (["preview", "{pdf}", "-o", "{disk}/card.png"], "card.png"),
        (
            [
                "merge",
                "{csv}",
                "-t",
                "thank-you",
                "-o",
                "{tmp}/c.pdf",
                "--envelopes",
                "{disk}/envelopes.pdf",
                "-j",
                "1",
                "-q",
            ],
            "envelopes.pdf",
        ),  # fmt: skip
        (
            [
                "merge",
                "{csv}",
                "-t",
                "thank-you",
                "-o",
                "{tmp}/c.pdf",
                "--manifest",
                "{disk}/manifest.csv",
                "-j",
                "1",
                "-q",
            ],
            "manifest.csv",
        ),  # fmt: skip
    ],
    ids=["init", "specimen", "preview", "merge-envelopes", "merge-manifest"],
)
def test_every_command_that_writes_says_the_disk_is_read_only(
    tmp_path: Path, read_only_disk: Path, command: list[str], written: str
):
    pdf = tmp_path / "card.pdf"
    assert notes("write", "--text", "Dear Ana", "-o", pdf).exit_code == 0
    source = tmp_path / "with-address.csv"
    source.write_text("name,product,address,city,zip\nAna,teapot,1 Main St,Springfield,12345\n")
    fill = dict(disk=read_only_disk, pdf=pdf, csv=source, tmp=tmp_path)
    result = notes(*(part.format(**fill) for part in command))
    assert_clear_error(result, read_only_disk / written, "read-only")


# ---------------------------------------------------------------- folders, files, long names


@pytest.mark.parametrize("force", [[], ["--force"]], ids=["plain", "force"])
def test_output_that_is_a_folder_says_so(tmp_path: Path, force: list[str]):
    folder = tmp_path / "adir"
    folder.mkdir()
    result = merge(customers_csv(tmp_path, 2), "-o", folder, "-j", "1", *force)
    assert_clear_error(result, folder, "is a folder, not a file", f"{folder / 'cards.pdf'}")
    assert "file exists" not in result.output
    result = notes("write", "--text", "Dear Ana", "-o", folder, *force)
    assert_clear_error(result, folder, "is a folder, not a file")
    assert list(folder.iterdir()) == [] and temporary_files(tmp_path) == []


def test_per_note_at_an_existing_file_says_so(tmp_path: Path):
    existing = tmp_path / "afile"
    existing.write_text("keep me")
    result = merge(customers_csv(tmp_path, 2), "--per-note", existing, "-j", "1")
    assert_clear_error(result, existing, "is a file, not a folder", "give the name of a folder")
    assert existing.read_text() == "keep me" and temporary_files(tmp_path) == []


def test_a_long_name_that_fits_is_written(tmp_path: Path):
    """The temporary name is short, whatever the final name's length (255 bytes at most)."""
    longest = tmp_path / f"{'a' * 251}.pdf"
    result = notes("write", "--text", "Dear Ana", "-o", longest)
    assert result.exit_code == 0, result.output
    cards = tmp_path / f"{'b' * 236}.pdf"  # its manifest, b...b.manifest.csv, is 249 bytes
    result = merge(customers_csv(tmp_path, 2), "-o", cards, "-j", "1")
    assert result.exit_code == 0, result.output
    assert longest.is_file() and cards.is_file() and temporary_files(tmp_path) == []


def test_a_name_too_long_for_the_file_system_says_so(tmp_path: Path):
    too_long = tmp_path / f"{'a' * 300}.pdf"
    result = notes("write", "--text", "Dear Ana", "-o", too_long)
    assert_clear_error(result, too_long, "file name is too long", "shorter name")
    # The cards' name fits, its manifest's does not: said before anything is drawn.
    cards = tmp_path / f"{'b' * 250}.pdf"
    result = merge(customers_csv(tmp_path, 2), "-o", cards, "-j", "1")
    assert_clear_error(result, tmp_path / f"{'b' * 250}.manifest.csv", "file name is too long")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["customers-2.csv"]


# ---------------------------------------------------------------- what killed runs leave


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM], ids=["kill", "term"])
def test_next_run_removes_what_a_killed_run_left_but_not_a_live_runs(tmp_path: Path, how):
    out = tmp_path / "out"
    out.mkdir()
    killed = subprocess.Popen(
        [sys.executable, "-m", "notes", "merge", str(customers_csv(tmp_path, 300)), "-t",
         "thank-you", "-o", str(out / "cards.pdf"), "-j", "1", "-q"],
    )  # fmt: skip
    # Its cards' temporary file exists before the first note is drawn.
    deadline = time.monotonic() + 60
    while not any(out.glob(".*.part")):
        assert killed.poll() is None and time.monotonic() < deadline, "it never started"
        time.sleep(0.005)
    killed.send_signal(how)  # SIGTERM ends Python without cleaning up, as SIGKILL does
    assert killed.wait() == -how
    stale = sorted(out.glob(".*"))
    assert stale and all(p.is_file() for p in stale), stale
    # This process is a run still going on in the same folder: its files must stay.
    # (and a merge folder of an older version, still running)
    live_folder = out / f".notes-merge-{os.getpid()}-live1234"
    live_folder.mkdir()
    (live_folder / "note.pdf").write_bytes(b"%PDF-")
    live_file = temp_beside(out / "cards.pdf")
    result = merge(customers_csv(tmp_path, 2), "-o", out / "cards.pdf", "-j", "1")
    assert result.exit_code == 0, result.output
    assert not any(p.exists() for p in stale), "a dead run's files are still there"
    assert live_folder.is_dir() and live_file.is_file(), "a live run's files were removed"
    live_file.unlink()
    shutil.rmtree(live_folder)
    assert temporary_files(out) == [] and (out / "cards.pdf").is_file()


def test_a_dead_process_is_told_from_a_live_one(tmp_path: Path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".notes-merge-{dead.pid}-abcd1234"
    stale.mkdir()
    (stale / "chunk-0000000.cards.pdf").write_bytes(b"%PDF-")
    stale_file = tmp_path / f".notes-{dead.pid}-abcd1234.part"
    stale_file.write_bytes(b"%PDF-")
    live = tmp_path / f".notes-{os.getpid()}-abcd1234.part"
    live.write_bytes(b"%PDF-")
    others = [tmp_path / ".notes-unfinished", tmp_path / ".cards.pdf.abcd1234.part"]
    for path in others:
        path.write_text("not ours to judge")
    from notes.files import remove_stale

    assert sorted(remove_stale(tmp_path)) == sorted([stale, stale_file])
    assert live.exists() and all(path.exists() for path in others)


def test_a_ctrl_c_as_a_temporary_file_is_made_leaves_none(tmp_path: Path):
    """The file exists from mkstemp on: an interrupt before the caller could note it for
    clean-up (the per-note merge's `temp`) left it behind (seen once in CI under load)."""

    def interrupted(path: Path) -> None:
        assert path.exists()
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        temp_beside(tmp_path / "cards.pdf", keep=interrupted)
    assert list(tmp_path.iterdir()) == []


def test_a_ctrl_c_after_the_temporary_file_is_closed_stops_as_a_ctrl_c(tmp_path, monkeypatch):
    """Its descriptor was closed a second time on the way out: "Bad file descriptor" took the
    Ctrl-C's place (seen in CI: notes day's Ctrl-C test under load)."""

    close = os.close

    def closed_then_interrupted(fd: int) -> None:  # a Ctrl-C as the standard library's returns
        close(fd)
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "close", closed_then_interrupted)
    with pytest.raises(KeyboardInterrupt):
        temp_beside(tmp_path / "cards.pdf")
    assert list(tmp_path.iterdir()) == []


def test_a_ctrl_c_while_a_cards_file_is_made_leaves_no_temporary_file(tmp_path, monkeypatch):
    source = customers_csv(tmp_path, 3)
    calls = []

    def chmod(*args, **kwargs):  # the standard library's, at the moment a file is made
        calls.append(args)
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "chmod", chmod)
    result = merge(source, "--per-note", tmp_path / "cards")
    assert result.exit_code == 130, result.output
    assert calls and temporary_files(tmp_path) == []
