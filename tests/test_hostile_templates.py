"""Templates copied from the web, through the CLI: refused with a clear error, nothing run or written.

tests/test_templating.py covers each escape at the library level; these go through `notes write`
and `notes merge` the way a shop owner would, and check the side effects: no file written by the
template, no PDF, and a bounded time.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from notes.cli import app

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
EVIL = ["evil_write_file.j2", "evil_mro.j2", "evil_loop.j2"]
runner = CliRunner()


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in EVIL:
        shutil.copy(HOSTILE / name, tmp_path / name)
    (tmp_path / "people.csv").write_text("name,product\nAna Souza,mug\nBen Okafor,cup\n")
    return tmp_path


def run(*args: str):
    started = time.perf_counter()
    result = runner.invoke(app, list(args), catch_exceptions=False)
    return result, time.perf_counter() - started


def assert_refused(result, seconds: float, here: Path) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert seconds < 5, f"took {seconds:.1f} s"
    assert not (here / "PWNED").exists(), "the template ran a shell command"
    assert not list(here.rglob("*.pdf")), "a PDF was written"


@pytest.mark.parametrize("template", EVIL)
def test_write_refuses_an_unsafe_template(here: Path, template: str) -> None:
    result, seconds = run(
        "write", "--template", f"./{template}", "--set", "name=Ana", "-o", "a.pdf"
    )
    assert_refused(result, seconds, here)
    assert f"template '{Path(template).stem}' line " in result.output
    assert "unsafe template" in result.output or "limit" in result.output


@pytest.mark.parametrize("template", EVIL)
def test_merge_refuses_an_unsafe_template(here: Path, template: str) -> None:
    result, seconds = run(
        "merge", "people.csv", "--template", f"./{template}", "-o", "cards.pdf", "-q", "-j", "1"
    )
    assert_refused(result, seconds, here)
    # Refused when loading (a removed global), or at each row of people.csv, with the template's line.
    assert f"template '{Path(template).stem}'" in result.output
    assert "unsafe template" in result.output or "people.csv" in result.output


def test_data_cannot_smuggle_template_syntax_into_a_user_template(here: Path) -> None:
    (here / "mine.j2").write_text("Dear {{ name }},\n\nthanks for the {{ product }}.\n")
    result, _ = run(
        "write", "-t", "./mine.j2", "--set", "name={{ cycler.__init__.__globals__ }}",
        "--set", "product={% raw %}{{ 7*7 }}", "-o", "a.pdf",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    from pypdf import PdfReader

    text = "".join(PdfReader(here / "a.pdf").pages[0].extract_text().split())
    assert "{{cycler.__init__.__globals__}}" in text and "{%raw%}{{7*7}}" in text
    assert "49" not in text
