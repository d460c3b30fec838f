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
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            help="Also copy the occasion templates (thank-you.j2, loyal.j2...) into this folder "
            "to edit; `notes day` uses them with [templates] dir in notes.toml.",
        ),
    ] = None,
    force: ForceOpt = False,
) -> None:
    """Write a commented notes.toml with your shop's settings (and your own card wording).

    Example:

        notes init && $EDITOR notes.toml

        notes init --templates my-cards
    """
    with user_errors():
        from notes.config import SAMPLE_CONFIG
        from notes.files import atomic_path

        if stdout:
            say(SAMPLE_CONFIG.rstrip())
            return
        if templates is not None:
            from notes.occasiontemplates import write_occasion_templates

            written = write_occasion_templates(templates, force=force)
            say(
                f"wrote {len(written) - 1} templates and back.j2 into {templates}/: edit their wording"
            )
            say(f'use them with `dir = "{templates.as_posix()}"` under [templates] in {path}, '
                f"or notes day --template-dir {templates}; back.j2 is what "
                f"notes merge -t {templates / 'thank-you.j2'} --duplex prints on the backs")  # fmt: skip
            if path.exists() and not force:
                return  # the shop's settings are kept
        with atomic_path(path, force=force, example="notes.toml") as tmp:
            tmp.write_text(SAMPLE_CONFIG, encoding="utf-8")
        say(f"wrote {path}: edit the shop name, sender and signature")
