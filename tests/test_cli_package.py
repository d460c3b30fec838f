"""The command line as a package: what `import notes.cli` loads, the layers ruff enforces, every
command module registered, and the style options declared once."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest
from typer.testing import CliRunner

import notes.cli
from notes.cli import app
from notes.cli.options import StyleOptions

ROOT = Path(__file__).parent.parent
runner = CliRunner()


def test_importing_the_cli_loads_no_library_module():
    # The library is imported inside the commands: `notes --help` and typos start fast.
    code = "import sys, notes.cli; print(' '.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = done.stdout.split()
    ours = [m for m in loaded if m.startswith("notes.") and not m.startswith("notes.cli")]
    assert ours == []
    heavy = ("reportlab", "jinja2", "fontTools", "babel", "rich", "faker", "pypdf")
    assert [m for m in loaded if m.split(".")[0] in heavy] == []


LAYER_BREACHES = "import typer\nfrom rich.progress import Progress\nfrom notes.cli import app\n"


def lint(source: str, as_file: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--select", "TID251", "--output-format",
         "concise", "--stdin-filename", as_file, "-"],
        input=source, cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    return done.stdout


def test_only_the_command_line_imports_typer_rich_and_notes_cli():
    found = lint(LAYER_BREACHES, "notes/render.py")
    for banned in ("`typer` is banned", "`rich` is banned", "`notes.cli` is banned"):
        assert banned in found, found
    assert "TID251" not in lint(LAYER_BREACHES, "notes/cli/somecommand.py")


def test_every_command_module_is_registered():
    # A command group is a module with a `commands` Typer and one `app.add_typer` line.
    registered = [group.typer_instance for group in app.registered_groups]
    modules = [name for _, name, _ in pkgutil.iter_modules(notes.cli.__path__)]
    with_commands = [m for m in modules if hasattr(import_module(f"notes.cli.{m}"), "commands")]
    assert {"write", "merge", "day"} <= set(with_commands)
    for name in with_commands:
        assert import_module(f"notes.cli.{name}").commands in registered, name


@pytest.mark.parametrize("command", ["write", "merge", "day"])
def test_the_commands_that_draw_take_every_style_option(command):
    shown = runner.invoke(app, [command, "--help"], terminal_width=200).output
    for name in StyleOptions._fields:
        option = "--" + name.replace("_", "-")
        assert f"{option} " in shown, f"notes {command} has no {option}"
