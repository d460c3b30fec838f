"""The command line as a package: what `import notes.cli` loads, the layers ruff enforces, every
command module registered, and the style options declared once."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest
from typer.main import get_command
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
    # A command group is a module with a `commands` Typer and its lines in notes.cli.COMMANDS.
    modules = [name for _, name, _ in pkgutil.iter_modules(notes.cli.__path__)]
    with_commands = [m for m in modules if hasattr(import_module(f"notes.cli.{m}"), "commands")]
    assert {"write", "merge", "day"} <= set(with_commands)
    assert set(notes.cli.COMMANDS.values()) == set(with_commands)
    group = get_command(app)
    for name in with_commands:
        built = group.build_module(name)
        assert set(built) == {c for c, m in notes.cli.COMMANDS.items() if m == name}, name


def test_the_help_lists_every_command_and_a_typo_gets_a_suggestion():
    listed = runner.invoke(app, ["--help"], terminal_width=200).output
    for command in notes.cli.COMMANDS:
        assert f"\n  {command} " in listed, command
    typo = runner.invoke(app, ["wrte"])
    assert typo.exit_code == 2 and "Did you mean 'write'?" in typo.output


def test_a_command_loads_only_its_own_module():
    # Building every command (modules, signatures, options) cost `notes write` ~20 ms.
    code = (
        "import sys\nfrom notes.cli import app\nfrom typer.main import get_command\n"
        "get_command(app).main(['preview', '--help'], standalone_mode=False)\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('notes.cli.'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = done.stdout.splitlines()[-1].split()
    assert loaded == ["notes.cli.console", "notes.cli.preview"]


@pytest.mark.parametrize("command", ["write", "merge", "day"])
def test_the_commands_that_draw_take_every_style_option(command):
    shown = runner.invoke(app, [command, "--help"], terminal_width=200).output
    for name in StyleOptions._fields:
        option = "--" + name.replace("_", "-")
        assert f"{option} " in shown, f"notes {command} has no {option}"


def test_the_garbage_collector_has_nothing_to_walk_when_a_command_ends():
    # Its collections on the way out cost `notes write` about a tenth of its time.
    code = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print(len(gc.get_objects()), gc.get_freeze_count()))\n"
        "sys.argv = ['notes', 'fonts']\n"
        "from notes.cli import main\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    walked, frozen = map(int, done.stdout.splitlines()[-1].split())
    assert walked < 100 < 10_000 < frozen
