"""`notes init`: a commented notes.toml with the shop's settings."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from notes.cli.console import say, user_errors
from notes.cli.options import ForceOpt

commands = typer.Typer()


@commands.command()
def init(
    path: Annotated[Path, typer.Argument(help="Where to write it.")] = Path("notes.toml"),
    stdout: Annotated[bool, typer.Option("--stdout", help="Print instead of writing.")] = False,
    force: ForceOpt = False,
) -> None:
    """Write a commented notes.toml with your shop's settings.

    Example:

        notes init && $EDITOR notes.toml
    """
    with user_errors():
        from notes.config import SAMPLE_CONFIG
        from notes.files import atomic_path

        if stdout:
            say(SAMPLE_CONFIG.rstrip())
            return
        with atomic_path(path, force=force, example="notes.toml") as tmp:
            tmp.write_text(SAMPLE_CONFIG, encoding="utf-8")
        say(f"wrote {path}: edit the shop name, sender and signature")
