"""`notes preview`: a look at a card before printing (its own module: `notes write` does not
build this command's options)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from notes.cli.console import say, user_errors

commands = typer.Typer()


@commands.command("preview")
def preview_command(
    pdf: Annotated[Path, typer.Argument(help="A PDF written by notes.")],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="PNG name prefix (default: next to the PDF)."),
    ] = None,
    dpi: Annotated[int, typer.Option("--dpi", min=30, max=600, help="Resolution.")] = 100,
) -> None:
    """Write PNG images of a PDF's pages, to look at a card before printing.

    Example:

        notes preview ana.pdf --dpi 150
    """
    with user_errors():
        from notes.preview import pdf_to_pngs

        for png in pdf_to_pngs(pdf, output or pdf.with_suffix(""), dpi=dpi):
            say(str(png))
