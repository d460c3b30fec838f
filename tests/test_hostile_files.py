"""Broken files through the CLI: input tables, fonts, signatures and config. Each is a message
naming the file (and line or key), exit code 1 or 2, no traceback and no PDF."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from typer.testing import CliRunner

from notes.cli import app
from notes.fonts import MAX_FONT_BYTES, load_catalog
from notes.signature import MAX_FILE_BYTES
from tests.pdfcheck import check_pdf, text_of

runner = CliRunner()


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args: str):
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def merge(source: str, *more: str):
    return run("merge", source, "-t", "thank-you", "-o", "cards.pdf", "-q", "-j", "1", *more)


def assert_no_pdf(here: Path) -> None:
    assert not list(here.glob("*.pdf"))


# ---------------------------------------------------------------- input tables


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"\n\n \n", "the file is empty"),
        (b"name,product\n", "no data rows"),
        (bytes(range(256)) * 20, "not a text file"),
        (b"name,product\nAna\x00 Souza,mug\n", "not a text file"),
        (b"[" + b'{"a": ' * 10_000 + b"1" + b"}" * 10_000 + b"]", "nested more than 50 levels"),
    ],
    ids=["empty", "blank-lines", "header-only", "binary", "nul", "deep-json"],
)
def test_broken_tables_are_messages(here: Path, content: bytes, message: str) -> None:
    (here / "in.csv").write_bytes(content)
    result = merge("in.csv")
    assert result.exit_code == 1, result.output
    assert "in.csv" in result.output and message in result.output
    assert "hint:" in result.output
    assert_no_pdf(here)


def test_a_csv_that_is_really_json_is_read_as_json(here: Path) -> None:
    (here / "in.csv").write_text('[{"name": "Ana Souza", "product": "mug"}]')
    result = merge("in.csv")
    assert result.exit_code == 0, result.output
    assert "Ana" in text_of(check_pdf(here / "cards.pdf"))


def test_broken_json_names_its_line(here: Path) -> None:
    (here / "in.csv").write_text('[{"name": "Ana Souza", "product": "mug"},\n{"name": ]')
    result = merge("in.csv")
    assert result.exit_code == 1 and "in.csv line 2" in result.output, result.output
    assert_no_pdf(here)


LEFT_OUT = "left-out@example.com"  # on the do-not-contact list: read, then skipped before layout
WRITTEN_EVERY = 400  # one row in 400 is a card: 10 notes laid out for 4,000 rows, 1 for 4


def _write_csv(path: Path, rows: int, pad: int) -> None:
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["name", "product", "email", "notes"])
        for i in range(rows):
            email = f"ana{i}@example.com" if i % WRITTEN_EVERY == 0 else LEFT_OUT
            writer.writerow([f"Ana Souza {i}", "mug", email, "x" * pad])


# The child reports its own high-water mark: ru_maxrss would count the pages of the forked
# pytest process too, which are larger than the run itself.
_REPORT_PEAK = """
import atexit, re, runpy, sys
def peak():
    status = open('/proc/self/status').read()
    sys.stderr.write('PEAK ' + re.search(r'VmHWM:\\s+(\\d+)', status).group(1) + '\\n')
atexit.register(peak)
sys.argv = ['notes', *sys.argv[1:]]
runpy.run_module('notes', run_name='__main__')
"""


def _peak_rss_kb(path: Path, settings: Path) -> tuple[int, str]:
    """Peak resident memory, in kB, and the output of one `notes merge --dry-run` in its own
    process."""
    done = subprocess.run(
        [sys.executable, "-c", _REPORT_PEAK, "merge", str(path), "-t", "thank-you", "--dry-run",
         "-q", "-j", "1", "--today", "2026-01-05", "--config", str(settings)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return int(re.search(r"PEAK (\d+)", done.stderr).group(1)), done.stdout


def test_a_large_csv_streams_in_flat_memory(tmp_path: Path) -> None:
    """48 MB of rows costs about what 48 kB does: the rows are streamed, never all held.
    Every row is read, parsed and given its manifest row; all but one in 400 are on the
    do-not-contact list, so the run lays out 10 notes, not 4,000 (which took 43 s)."""
    (tmp_path / "dnc.txt").write_text(f"{LEFT_OUT}\n", encoding="utf-8")
    settings = tmp_path / "notes.toml"
    settings.write_text('[privacy]\ndo_not_contact = "dnc.txt"\n', encoding="utf-8")
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    _write_csv(small, 4, 12_000)
    _write_csv(large, 4_000, 12_000)
    assert large.stat().st_size > 45_000_000
    small_kb, _ = _peak_rss_kb(small, settings)
    large_kb, said = _peak_rss_kb(large, settings)
    assert "10 notes would be written, 0 failed, 3990 on the do-not-contact list" in said, said
    grown_mb = (large_kb - small_kb) / 1024
    assert grown_mb < 25, f"memory grew by {grown_mb:.0f} MB for a 48 MB file"


# ---------------------------------------------------------------- fonts and signatures


@pytest.fixture(scope="module")
def broken_fonts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("fonts")
    good = load_catalog()["caveat"].path
    truncated = folder / "truncated.ttf"
    truncated.write_bytes(good.read_bytes()[:5000])
    garbage = folder / "garbage.ttf"
    garbage.write_bytes(os.urandom(4000))
    font = TTFont(str(good))
    del font["cmap"]
    no_cmap = folder / "nocmap.ttf"
    font.save(str(no_cmap))
    return {"truncated": truncated, "garbage": garbage, "nocmap": no_cmap}


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("truncated", "truncated or damaged"),
        ("garbage", "not a font file"),
        ("nocmap", "no 'cmap' table"),
    ],
)
@pytest.mark.parametrize("command", ["write", "merge"])
def test_broken_font_files(here: Path, broken_fonts, kind: str, message: str, command: str) -> None:
    font = str(broken_fonts[kind])
    if command == "write":
        result = run("write", "--text", "Dear Ana, thanks!", "--font", font, "-o", "a.pdf")
    else:
        (here / "in.csv").write_text("name,product\nAna Souza,mug\n")
        result = merge("in.csv", "--font", font)
    assert result.exit_code == 1, result.output
    assert broken_fonts[kind].name in result.output and message in result.output
    assert_no_pdf(here)


@pytest.mark.parametrize(
    ("option", "name", "limit"),
    [("--font", "big.ttf", MAX_FONT_BYTES), ("--signature", "big.png", MAX_FILE_BYTES)],
)
def test_huge_font_and_signature_files_are_refused_by_their_size(
    here: Path, option: str, name: str, limit: int
) -> None:
    """Both were read whole before any check: a sparse 3 GB file took 3.1 GB of memory."""
    path = here / name
    path.write_bytes(b"\x00\x01\x00\x00" if option == "--font" else b"\x89PNG\r\n\x1a\n")
    with path.open("r+b") as file:
        file.truncate(limit + 1)  # sparse: costs no disk
    result = run("write", "--text", "Dear Ana, thanks!", option, name, "-o", "a.pdf")
    assert result.exit_code == 1, result.output
    assert name in result.output and f"{limit + 1:,} bytes" in result.output
    assert "hint:" in result.output
    assert_no_pdf(here)


@pytest.mark.parametrize(
    "content", [b"\x89PNG\r\n\x1a\n" + b"\0" * 40, b"GIF89a not a png", b"", b"<svg"]
)
def test_a_signature_that_is_not_an_image(here: Path, content: bytes) -> None:
    (here / "sig.png").write_bytes(content)
    result = run("write", "--text", "Dear Ana, thanks!", "--signature", "sig.png", "-o", "a.pdf")
    assert result.exit_code == 1, result.output
    assert "sig.png" in result.output and "hint:" in result.output
    assert_no_pdf(here)


# ---------------------------------------------------------------- config


@pytest.mark.parametrize(
    ("toml", "shown"),
    [
        ('[shop]\nname = "Juniper"\ncolour = "red"\n', ["colour", "line 3"]),
        ('[shop]\nname = "Juniper"\n\n[style]\nmessiness = "very"\n', ["messiness", "line 5"]),
        ('[shop]\nname = "Juniper"\n[paper]\nsize = "a6"\n', ["paper", "line 3"]),
        ('[shop]\nname = "Juniper\n', ["line 2"]),
        ("[style]\ncard = 7\n", ["card", "line 2"]),
        ("[day]\nsurprise_threshold = nan\n", ["surprise_threshold", "not nan", "line 2"]),
    ],
    ids=["unknown-key", "wrong-type", "unknown-section", "bad-toml", "number-for-text", "nan"],
)
@pytest.mark.parametrize("command", ["write", "merge"])
def test_config_mistakes_name_the_key_and_line(here: Path, toml: str, shown, command) -> None:
    (here / "shop.toml").write_text(toml)
    if command == "write":
        result = run("write", "--text", "Dear Ana, thanks!", "--config", "shop.toml", "-o", "a.pdf")
    else:
        (here / "in.csv").write_text("name,product\nAna Souza,mug\n")
        result = merge("in.csv", "--config", "shop.toml")
    assert result.exit_code == 1, result.output
    assert "shop.toml" in result.output
    for part in shown:
        assert part in result.output, result.output
    assert_no_pdf(here)
