"""`notes write` and `notes preview`: one card, and a look at it before printing."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from notes.cli.console import say, user_errors
from notes.cli.options import ConfigOpt, ForceOpt, StyleOptions, style_options

commands = typer.Typer()


@commands.command()
@style_options
def write(
    template: Annotated[
        str | None,
        typer.Option("--template", "-t", help="Occasion from `notes templates`, or a .j2 file."),
    ] = None,
    sets: Annotated[
        list[str] | None, typer.Option("--set", help="A template field, KEY=VALUE. Repeatable.")
    ] = None,
    text: Annotated[
        str | None, typer.Option("--text", help="Write this text as it is; '-' reads stdin.")
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="PDF to write (default: <name>.pdf); .svg, .hpgl or .gcode for a pen plotter.",
        ),
    ] = None,
    preview: Annotated[
        Path | None, typer.Option("--preview", help="Also write a PNG of the card here.")
    ] = None,
    today: Annotated[
        str | None, typer.Option("--today", help="Date the note is written (YYYY-MM-DD).")
    ] = None,
    style: StyleOptions = StyleOptions(),
    force: ForceOpt = False,
    config: ConfigOpt = None,
) -> None:
    """Write one handwritten card.

    Example:

        notes write --template thank-you --set name="Ana Souza" --set product="blue teapot" -o ana.pdf

        echo "Dear Ana, thank you!" | notes write --text - -o ana.pdf --preview ana.png
    """
    with user_errors():
        from notes.compose import compose_note
        from notes.config import load_config
        from notes.errors import UsageError
        from notes.exact import exact_words
        from notes.filenames import safe_stem
        from notes.plotdevices import plot_format
        from notes.render import Renderer, write_cards

        settings = load_config(config)
        fields = parse_sets(sets or [])
        if text == "-":
            text = sys.stdin.read()
        if text is not None and template not in (None, "blank"):
            raise UsageError("give either --text or --template, not both")
        if text is None and template is None:
            raise UsageError(
                "nothing to write",
                hint="give --template NAME with --set fields, or --text 'Dear Ana, ...'",
            )
        note_text, recipient = compose_note(
            template or "blank", fields, text=text, shop=settings.shop, today=today, seed=style.seed
        )
        chosen = style.resolve(settings)
        target = output or Path(f"{safe_stem(recipient or '', fallback='note')}.pdf")
        if plot_format(target):
            from notes.cli.plot import write_plotted

            write_plotted(
                note_text,
                key=recipient or note_text,
                style=chosen,
                settings=settings,
                target=target,
                font=style.font,
                preview=preview,
                force=force,
            )
            return
        renderer = Renderer(chosen)
        plan = renderer.plan(note_text, key=recipient or note_text, exact=exact_words(fields))
        write_cards([plan], target, force=force)
        if plan.notice:
            say(plan.notice)
        say(f"wrote {target} ({chosen.card.name}, {plan.hand}, {plan.layout.size:.1f} pt)")
        if preview:
            from notes.preview import pdf_to_pngs

            for png in pdf_to_pngs(target, preview, first_only=True):
                say(f"preview {png}")


def parse_sets(pairs: list[str]) -> dict[str, str]:
    """--set KEY=VALUE options as a dict, or a message that says how to write them."""
    from notes.errors import UsageError

    fields: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key.isidentifier():
            raise UsageError(
                f"--set {pair!r} is not KEY=VALUE",
                hint="write it like --set name='Ana Souza' (keys are letters, digits and _)",
            )
        fields[key] = value
    return fields


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
