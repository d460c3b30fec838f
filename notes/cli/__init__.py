"""The command line: parse options, call the library, print the result. Nothing else lives here.

One module per command group (write.py: `notes write`; day.py: `notes day`
...), each with a `commands` Typer. COMMANDS below says which module holds which command, and a
module is imported and turned into click commands only when one of its commands runs (or
`notes --help` lists them all): `notes write` loads write.py alone. A new command group is a new
module and its lines in COMMANDS. Shared options live in options.py, printing and errors in
console.py. Imports of the library stay inside the commands so `notes write` starts fast, and the
library never imports this package (ruff's banned-api in pyproject.toml).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, MutableMapping
from importlib import import_module

import typer
from typer.core import TyperGroup

# Command -> its module in notes/cli, in the order `notes --help` lists them.
COMMANDS = {
    "write": "write",
    "preview": "preview",
    "fonts": "fonts",
    "templates": "templates",  # templates, templates show
    "init": "init",
    "merge": "merge",
    "day": "day",
    "demo": "demo",
    "history": "history",
    "forget": "ledger",
    "ledger": "ledger",  # ledger import
    "hand": "hand",  # hand sheet, hand learn
    "plot": "plot",  # pen plotters
    "print": "printing",
    "printers": "printing",
    "review": "review",
}


class _CommandsOnDemand(MutableMapping):
    """The top level's commands by name: every name is known at once (for typo suggestions),
    a command is built when it is first looked up, with its module's other commands. Building
    all of them (their modules, signatures and options) cost `notes write` ~20 ms of start-up."""

    def __init__(self, group: _NotesGroup) -> None:
        self.group = group
        self.built: dict = {}

    def __getitem__(self, name: str):  # noqa: ANN204 - a click command
        if name not in self.built and name in COMMANDS:
            self.built.update(self.group.build_module(COMMANDS[name]))
        return self.built[name]

    def __setitem__(self, name: str, command) -> None:  # noqa: ANN001
        self.built[name] = command

    def __delitem__(self, name: str) -> None:
        del self.built[name]

    def __iter__(self) -> Iterator[str]:
        yield from COMMANDS
        yield from (name for name in self.built if name not in COMMANDS)

    def __len__(self) -> int:
        return len(set(COMMANDS) | set(self.built))


class _NotesGroup(TyperGroup):
    """`notes`: a Typer group whose commands come from their modules on demand."""

    def __init__(self, **attrs) -> None:  # noqa: ANN003 - typer's group settings
        super().__init__(**attrs)
        self.commands = _CommandsOnDemand(self)

    def list_commands(self, ctx) -> list[str]:  # noqa: ANN001 - names only: nothing is built
        return list(self.commands)

    def build_module(self, module_name: str) -> dict:
        """The click commands of one notes/cli module, made as typer makes a sub-group's."""
        from typer.main import get_group_from_info
        from typer.models import TyperInfo

        module = import_module(f"notes.cli.{module_name}")
        group = get_group_from_info(
            TyperInfo(module.commands),
            pretty_exceptions_short=app.pretty_exceptions_short,
            rich_markup_mode=self.rich_markup_mode,
            suggest_commands=self.suggest_commands,
        )
        return dict(group.commands)


app = typer.Typer(
    name="notes",
    cls=_NotesGroup,
    help="Turn customer data into printable thank-you cards that look written by hand.\n\n"
    "Example:\n\n    notes demo\n\n    notes write --template thank-you --set name='Ana Souza' "
    "--set product='blue teapot' -o ana.pdf",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)


@app.callback()
def _notes() -> None:
    # Typer makes a group only of an app with a callback or registered commands; the commands
    # here are in COMMANDS, so the callback (which has nothing to do) makes `notes` a group.
    pass


def main() -> None:
    # Frozen objects are never walked by the garbage collector again. The modules loaded so far
    # live as long as the process; and once the command is done, the collections the interpreter
    # runs on its way out cost `notes write` about a tenth of its time, to free memory the
    # process is about to give back anyway (atexit handlers still run, files are closed).
    gc.freeze()
    try:
        app()
    except KeyboardInterrupt:  # a Ctrl-C outside any command's own handling: no traceback
        typer.echo("interrupted", err=True)
        raise SystemExit(130) from None
    finally:
        gc.freeze()
