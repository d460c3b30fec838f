"""The command line: parse options, call the library, print the result. Nothing else lives here.

One module per command group (write.py: `notes write` and `notes preview`; day.py: `notes day`
...), each with a `commands` Typer that is merged into `app` below: a new command group is a new
module and one line here. Shared options live in options.py, printing and errors in console.py.
Imports of the library stay inside the commands so `notes write` starts fast, and the library
never imports this package (ruff's banned-api in pyproject.toml).
"""

from __future__ import annotations

import typer

from notes.cli import (
    day,
    demo,
    fonts,
    hand,
    history,
    init,
    ledger,
    merge,
    plot,
    printing,
    review,
    templates,
    write,
)

app = typer.Typer(
    name="notes",
    help="Turn customer data into printable thank-you cards that look written by hand.\n\n"
    "Example:\n\n    notes demo\n\n    notes write --template thank-you --set name='Ana Souza' "
    "--set product='blue teapot' -o ana.pdf",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)
app.add_typer(write.commands)  # write, preview
app.add_typer(fonts.commands)
app.add_typer(templates.commands)  # templates, templates show
app.add_typer(init.commands)
app.add_typer(merge.commands)
app.add_typer(day.commands)
app.add_typer(demo.commands)
app.add_typer(history.commands)
app.add_typer(ledger.commands)  # notes ledger import, notes forget
app.add_typer(hand.hand_app, name="hand")  # notes hand sheet, notes hand learn
app.add_typer(plot.commands)  # notes plot (pen plotters)
app.add_typer(printing.commands)  # print, printers
app.add_typer(review.commands)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:  # a Ctrl-C outside any command's own handling: no traceback
        typer.echo("interrupted", err=True)
        raise SystemExit(130) from None
