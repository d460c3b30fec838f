"""`notes write`: one card."""

from __future__ import annotations

import datetime as dt
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
            help="PDF to write (default: <name>.pdf; a name without a suffix gets .pdf); "
            ".svg, .hpgl or .gcode for a pen plotter. A PNG of the card: --preview.",
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
        from notes.batch import Job, Planner, Setup
        from notes.batchwrite import write_one
        from notes.config import load_config
        from notes.errors import UsageError
        from notes.filenames import safe_stem

        output = _checked_output(output)
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
        _refuse_missing_words(template, fields, text)
        chosen = style.resolve(settings)
        # One job of the batch core, row 1: the same bytes as a one-row merge of this note.
        setup = Setup(chosen, settings.shop, today or dt.date.today().isoformat())
        job = Job(1, fields, template or "blank", words=text)
        if output is not None and _is_plot_file(output):
            _write_plotted(job, setup, settings, output, style.font, preview, force)
            return
        planned = Planner(setup, placed=True).plan(job)  # for the PDF writer, as a merge's
        target = output or Path(f"{safe_stem(planned.recipient, fallback='note')}.pdf")
        write_one(planned, target, force=force)
        if planned.front.notice:
            say(planned.front.notice)
        say(f"wrote {target} ({chosen.card.name}, {planned.front.hand}, {planned.size:.1f} pt)")
        if preview:
            from notes.preview import pdf_to_pngs

            for png in pdf_to_pngs(target, preview, first_only=True):
                say(f"preview {png}")


def _refuse_missing_words(template: str | None, fields: dict[str, str], text: str | None) -> None:
    """An empty --text, or a --set the template needs, said as such (not as a missing column)."""
    from notes.errors import UsageError

    if text is not None:
        if not text.strip():
            raise UsageError(
                "the text to write is empty",
                where="--text",
                hint="give the words: --text 'Dear Ana, thank you!' (or pipe them in with --text -)",
            )
        return
    from notes.preflight import given_fields, missing_fields
    from notes.template_checks import misspelt_field
    from notes.templating import load_template

    info = load_template(template or "blank")
    missing = missing_fields(info, fields)
    for name in missing:  # {{ frist_name }}: a typo to fix in the template, not a --set to add
        if (typo := misspelt_field(info, name, given_fields(fields))) is not None:
            raise typo
    if "name" in missing:  # the rest are made from it
        missing = [m for m in missing if m not in ("first_name", "greeting_name", "last_name")]
    if missing:
        empty = [name for name in missing if name in fields]
        sets = " ".join(f"--set {name}=..." for name in missing)
        raise UsageError(
            f"template {template!r} needs {', '.join(map(repr, missing))}"
            + (f" ({', '.join(map(repr, empty))} given empty)" if empty else ""),
            where="--set",
            hint=f"add {sets}, e.g. --set name='Ana Souza'"
            if "first_name" in missing or "name" in missing
            else f"add {sets}",
        )


PICTURES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".tif", ".tiff", ".bmp"}


def _checked_output(output: Path | None) -> Path | None:
    """-o as the user meant it: a name without a suffix gets .pdf; a PDF or a plot file stays;
    anything else (card.png, card.docx) is an error rather than a PDF under that name."""
    if output is None or output.suffix.lower() == ".pdf" or output.is_dir():
        return output  # a folder: the writer says it is one
    if _is_plot_file(output):
        return output
    if not output.suffix:
        return output.with_name(output.name + ".pdf")
    from notes.errors import UsageError

    suffix = output.suffix
    hint = "name it .pdf (or .svg, .hpgl, .gcode for a pen plotter)"
    if suffix.lower() in PICTURES:
        hint = f"for a picture of the card: -o {output.with_suffix('.pdf')} --preview {output}"
    raise UsageError(f"notes write cannot write a {suffix} file", where=str(output), hint=hint)


def _is_plot_file(path: Path) -> bool:
    """-o card.svg (or .hpgl, .gcode): a pen plotter's file. A PDF's name does not load the
    plotter module (its dataclasses cost ~2 ms of start-up)."""
    if path.suffix.lower() == ".pdf":
        return False
    from notes.plotdevices import plot_format

    return plot_format(path) is not None


def _write_plotted(job, setup, settings, target, font, preview, force) -> None:  # noqa: ANN001
    """`notes write -o card.svg` (or .hpgl, .gcode): the card as a pen plotter's file."""
    from notes.cli.plot import write_plotted
    from notes.compose import compose_note

    note_text, recipient = compose_note(
        job.template, job.fields, text=job.words, shop=setup.shop, today=setup.today,
        seed=setup.style.seed,
    )  # fmt: skip
    write_plotted(
        note_text, key=recipient or note_text, style=setup.style, settings=settings,
        target=target, font=font, preview=preview, force=force,
    )  # fmt: skip


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
