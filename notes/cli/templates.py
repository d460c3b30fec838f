"""`notes templates` and `notes templates show`: the occasion templates and their languages."""

from __future__ import annotations

from typing import Annotated

import typer

from notes.cli.console import say, user_errors

commands = typer.Typer()
templates = typer.Typer(
    help="List the occasion templates and their languages, or show one.\n\nExample:\n\n"
    "    notes templates\n\n    notes templates show thank-you --language de",
    invoke_without_command=True,
    no_args_is_help=False,
)
commands.add_typer(templates, name="templates")


@templates.callback()
def templates_list(ctx: typer.Context) -> None:
    """List the occasion templates and the languages each is written in.

    A card is written in the customer's language (a `language` or `locale` column), else the
    shop's ([shop] locale in notes.toml).

    Example:

        notes templates
    """
    if ctx.invoked_subcommand:
        return
    with user_errors():
        from notes.templates import list_templates, occasions

        written_in = occasions()
        for info in list_templates():
            needs = ", ".join(info.required) or "-"
            say(f"{info.name:<12} {info.title:<28} needs: {needs}")
            say(f"{'':<12} {info.description}")
            say(f"{'':<12} languages: {' '.join(written_in.get(info.name, ()))}")


@templates.command("show")
def templates_show(
    name: Annotated[str, typer.Argument(help="Template name or .j2 path.")],
    language: Annotated[
        str | None,
        typer.Option(
            "--language", "-l", help="Which language's text: de, fr, es ... (`notes templates`)."
        ),
    ] = None,
) -> None:
    """Print one template: its fields and its text.

    Example:

        notes templates show apology --language fr
    """
    with user_errors():
        from notes.templates import load_template

        info = load_template(name, language=language)
        say(f"# {info.name}: {info.title}" + (f" ({info.language})" if info.language else ""))
        say(f"# {info.description}")
        say(f"# required: {', '.join(info.required) or '-'}")
        say(f"# optional: {', '.join(info.optional) or '-'}")
        say(f"# file: {info.path}")
        say(info.source)
