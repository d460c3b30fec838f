"""`notes plot DIR`: one card at a time to a stand-in `axicli` on PATH, with pause and resume."""

from __future__ import annotations

import os
import re
import shlex
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from notes.cli import app

runner = CliRunner()
NAMES = ("Ana Souza", "Bea Lima", "Zoë Lambert")


def run(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input, catch_exceptions=False)


@pytest.fixture(scope="module")
def plot_folder(tmp_path_factory) -> Path:
    """Three plotted cards, named in manifest order as --plot DIR names them."""
    folder = tmp_path_factory.mktemp("plots")
    for number, name in enumerate(NAMES, 1):
        target = folder / f"{number:04d}-{name.split()[0]}.card.svg"
        result = run("write", "--text", f"Dear {name}, thank you!", "-o", str(target))
        assert result.exit_code == 0, result.output
    return folder


@pytest.fixture
def plots(plot_folder, tmp_path) -> Path:
    folder = tmp_path / "plots"
    folder.mkdir()
    for path in plot_folder.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


@pytest.fixture
def axicli(tmp_path, monkeypatch) -> Path:
    """A stand-in for AxiDraw's axicli: records each call; fails for a file named *Bea*
    while the file `jam` exists (a jammed card)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "axicli.log"
    script = bin_dir / "axicli"
    script.write_text(
        "#!/bin/sh\n"
        f'echo "$@" >> "{log}"\n'
        f'case "$1" in *Bea*) if [ -e "{tmp_path}/jam" ]; then exit 3; fi;; esac\n'
        "exit 0\n",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return log


def _calls(log: Path) -> list[str]:
    return [Path(line).name for line in log.read_text().splitlines()] if log.exists() else []


def test_plot_sends_one_card_at_a_time_pauses_and_resumes(plots, axicli):
    # Enter plots the first card; "p" at the second pauses before it is sent.
    result = run("plot", str(plots), "--device", "axidraw", input="\np\n")
    assert result.exit_code == 0, result.output
    assert "3 of 3 to plot" in result.output and "about" in result.output
    assert "[1/3] 0001-Ana.card.svg" in result.output
    assert "paused: next is 0002-Bea.card.svg" in result.output
    assert _calls(axicli) == ["0001-Ana.card.svg"]
    # Run again: it resumes at the second card and plots the rest in order.
    result = run("plot", str(plots), input="\n\n")
    assert result.exit_code == 0, result.output
    assert "2 of 3 to plot" in result.output and "[2/3] 0002-Bea.card.svg" in result.output
    assert "done: 3 of 3 plotted" in result.output
    assert _calls(axicli) == ["0001-Ana.card.svg", "0002-Bea.card.svg", "0003-Zoë.card.svg"]
    result = run("plot", str(plots))
    assert result.exit_code == 0 and "all 3 plot files" in result.output
    assert len(_calls(axicli)) == 3
    result = run("plot", str(plots), "--restart", "--yes")
    assert result.exit_code == 0, result.output
    assert len(_calls(axicli)) == 6


def test_no_answer_at_the_prompt_pauses_rather_than_plots(plots, axicli):
    result = run("plot", str(plots))  # no input at all: end of file at the first prompt
    assert result.exit_code == 0, result.output
    assert "paused: next is 0001-Ana.card.svg" in result.output
    assert _calls(axicli) == []


def test_a_failed_card_stays_next_in_line(plots, axicli, tmp_path):
    (tmp_path / "jam").write_text("")
    result = run("plot", str(plots), "--yes")
    assert result.exit_code == 1
    assert "axicli stopped with exit code 3" in result.output and "0002-Bea" in result.output
    (tmp_path / "jam").unlink()
    result = run("plot", str(plots), "--yes")
    assert result.exit_code == 0, result.output
    assert "[2/3] 0002-Bea.card.svg" in result.output
    assert _calls(axicli) == [
        "0001-Ana.card.svg",
        "0002-Bea.card.svg",
        "0002-Bea.card.svg",
        "0003-Zoë.card.svg",
    ]


def test_without_axicli_it_prints_the_commands_to_run(plots, tmp_path, monkeypatch):
    empty = tmp_path / "nothing-here"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = run("plot", str(plots))
    assert result.exit_code == 0, result.output
    assert "axicli (the AxiDraw command line) is not installed" in result.output
    lines = [line.strip() for line in result.output.splitlines() if "axicli " in line]
    names = sorted(os.listdir(plots))
    assert lines[-3:] == [f"axicli {shlex.quote(str(plots / name))}" for name in names]


def test_estimate_per_card_and_for_the_run(plots):
    result = run("plot", str(plots), "--estimate")
    assert result.exit_code == 0, result.output
    for name in ("0001-Ana.card.svg", "0002-Bea.card.svg", "0003-Zoë.card.svg"):
        assert f"{name}: " in result.output
    assert "3 of 3 to plot:" in result.output and "m pen down" in result.output


def test_plot_refuses_what_it_cannot_send(plots, tmp_path):
    result = run("plot", str(plots), "--device", "roland")
    assert result.exit_code == 2 and "unknown device 'roland'" in result.output
    result = run("plot", str(tmp_path / "missing"))
    assert result.exit_code == 1 and "no such folder of plot files" in result.output
    result = run("plot", str(plots), "--only", "envelope")
    assert result.exit_code == 1 and "no .svg plot files here for envelopes" in result.output


def test_merge_writes_a_plot_file_per_card_and_envelope_in_manifest_order(tmp_path, monkeypatch):
    import csv

    monkeypatch.chdir(tmp_path)
    (tmp_path / "customers.csv").write_text(
        "name,product,address1,city,zip,country\n"
        "Zoë Lambert,blue teapot,12 Rue des Lilas,Paris,75011,France\n"
        "Łucja Nowak,green mug,ul. Długa 5,Gdańsk,80-827,Poland\n"
        "Ana Souza,linen napkins,Rua Augusta 12,São Paulo,01305-000,Brazil\n",
        encoding="utf-8",
    )
    result = run(
        "merge", "customers.csv", "-t", "thank-you", "-o", "cards.pdf",
        "--envelopes", "envelopes.pdf", "--plot", "plots",
    )  # fmt: skip
    assert result.exit_code == 1, result.output  # the row a pen cannot write fails alone
    assert "wrote 4 plot files into plots/" in result.output
    assert re.search(r"plot estimate: \d+ strokes, [\d.]+ m pen down", result.output)
    assert sorted(os.listdir(tmp_path / "plots")) == [
        "00001-Zoë-Lambert.card.svg",
        "00001-Zoë-Lambert.envelope.svg",
        "00003-Ana-Souza.card.svg",
        "00003-Ana-Souza.envelope.svg",
    ]
    with open(tmp_path / "cards.manifest.csv", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["status"] for r in rows] == ["ok", "failed", "ok"]
    assert "no stroke font can draw 'Ł'" in rows[1]["error"]
    # The folder plays in that order.
    result = run("plot", "plots", "--only", "card", "--estimate")
    assert result.exit_code == 0 and "2 of 2 to plot" in result.output


def test_day_writes_plot_files_in_the_manifest_order_and_none_again(tmp_path, monkeypatch):
    import csv
    import shutil

    monkeypatch.chdir(tmp_path)
    export = Path(__file__).resolve().parent.parent / "examples" / "orders_export.csv"
    shutil.copy(export, tmp_path / "orders.csv")
    args = ["day", "orders.csv", "--ledger", "ledger.sqlite3", "-o", "today", "--plot",
            "--date", "2026-11-21"]  # fmt: skip
    result = run(*args)
    assert "plots:     today/plots/ (" in result.output and "m pen down" in result.output
    with open(tmp_path / "today" / "manifest.csv", encoding="utf-8-sig") as handle:
        written = [r for r in csv.DictReader(handle) if r["status"] == "written"]
    cards = sorted(p.name for p in (tmp_path / "today" / "plots").glob("*.card.svg"))
    assert len(cards) == len(written) > 3
    for name, row in zip(cards, written, strict=True):
        number, _, rest = name.partition("-")
        assert int(number) == int(row["page"])  # the card's page in cards.pdf
        assert rest.startswith(row["customer"].split()[0])
    envelopes = [r for r in written if r["envelope_page"]]
    assert len(list((tmp_path / "today" / "plots").glob("*.envelope.svg"))) == len(envelopes)
    # A customer no stroke font can write fails with the reason; the rest are written.
    assert "no stroke font can draw" in result.output
    # The same day again writes nothing new, so no new plots either.
    again = run(*args)
    assert "nothing new to write" in again.output
    assert sorted(os.listdir(tmp_path / "today")) == [
        "cards.pdf",
        "codes.csv",  # the made-up discount code on the surprise card, to create in the shop
        "envelopes.pdf",
        "manifest.csv",
        "plots",
        "review-data.json",  # what `notes review` redraws the cards from
    ]
