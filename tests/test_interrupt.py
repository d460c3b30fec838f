"""Ctrl-C during `notes merge`: says what was done and how to resume, exits 130, and leaves no
file under the final name and no temporary files. (SIGKILL of `notes day` is in test_resume.py.)"""

from __future__ import annotations

import csv
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

# `notes` with a pool of workers even for these few rows (notes.batch.POOL_FROM: far more).
POOLED = "import notes.batch; notes.batch.POOL_FROM = 0; from notes.cli import main; main()"


@pytest.fixture(scope="module")
def customers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("customers") / "customers.csv"
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["name", "product"])
        writer.writerows([f"Ana Souza {i}", "blue teapot"] for i in range(1500))
    return path


@pytest.mark.parametrize(
    ("jobs", "per_note"),
    [("1", False), ("2", False), ("1", True)],
    ids=["one-pdf", "one-pdf-pool", "per-note"],
)
def test_ctrl_c_mid_run(tmp_path: Path, customers: Path, jobs: str, per_note: bool) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = ["--per-note", str(out / "cards")] if per_note else ["-o", str(out / "cards.pdf")]
    notes = ["-c", POOLED] if jobs != "1" else ["-m", "notes"]
    process = subprocess.Popen(
        [sys.executable, *notes, "merge", str(customers), "-t", "thank-you", *target,
         "-j", jobs, "--today", "2026-01-05"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    # Wait for the first progress line on stderr: the run is rendering.
    assert process.stderr is not None
    deadline = time.monotonic() + 60
    while "rows" not in process.stderr.readline():
        assert process.poll() is None and time.monotonic() < deadline, "never started"
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr + stdout
    assert "interrupted while writing" in stderr and "of 1500 rows were done" in stderr
    assert "run the same command again" in stderr
    assert not (out / "cards.pdf").exists() and not (out / "cards.manifest.csv").exists()
    left = [p.relative_to(out) for p in out.rglob("*")]
    assert left in ([], [Path("cards")]), f"left behind: {left}"


def test_a_second_ctrl_c_still_ends_cleanly(tmp_path: Path, customers: Path) -> None:
    """Two workers drawing; Ctrl-C, and again while the run removes its temporary files."""
    out = tmp_path / "cards"
    process = subprocess.Popen(
        [sys.executable, "-c", POOLED, "merge", str(customers), "-t", "thank-you",
         "--per-note", str(out), "-j", "2", "--today", "2026-01-05"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    # The workers are drawing once the first note is written under its temporary name.
    deadline = time.monotonic() + 60
    while not any(_size(part) for part in out.glob(".notes-*.part")):
        assert process.poll() is None and time.monotonic() < deadline, "never started"
        time.sleep(0.005)
    process.send_signal(signal.SIGINT)
    assert process.stderr is not None
    said = []
    while not said or "stopping" not in said[-1]:
        said.append(process.stderr.readline())
        assert said[-1], f"it never said it was stopping: {said}"
    process.send_signal(signal.SIGINT)  # while it cleans up
    stdout, stderr = process.communicate(timeout=60)
    stderr = "".join(said) + stderr
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr + stdout
    assert "the temporary files were removed" in stderr
    assert "run the same command again" in stderr
    assert list(out.iterdir()) == [], "temporary files left behind"


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:  # placed or removed meanwhile
        return 0
