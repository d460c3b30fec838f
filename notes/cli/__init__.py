"""The command line: parse options, call the library, print the result. Nothing else lives here.

Imports of the library stay inside the commands so `notes write` starts fast.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from notes.errors import NotesError

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


@contextmanager
def user_errors():
    """Turn a NotesError into a message and an exit code: no traceback for a user's mistake."""
    try:
        yield
    except NotesError as exc:
        warn(f"error: {exc}")  # messages quote customer data: printed safely
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        typer.echo("interrupted: nothing was written under the final name", err=True)
        raise typer.Exit(130) from None


@contextmanager
def stop_once_on_ctrl_c():
    """The first Ctrl-C stops the run; later ones are ignored while it removes its temporary
    files and says how far it got: a second KeyboardInterrupt in the middle of that clean-up
    would leave the files behind and print a traceback. The command ends after a stop, so
    Ctrl-C stays ignored until it exits."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers belong to the main thread
        return
    stopping = False

    def on_ctrl_c(signum, frame) -> None:  # noqa: ANN001
        nonlocal stopping
        if stopping:
            return
        stopping = True
        typer.echo("stopping: removing the temporary files...", err=True)
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, on_ctrl_c)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN if stopping else previous)


def say(message: str) -> None:
    """Print to stdout. Customer data is in most messages, so controls and bidi overrides in it
    are shown as visible escapes, never sent to the terminal (notes.safetext.printable)."""
    from notes.safetext import printable

    typer.echo(printable(message, keep="\n\t"))


def warn(message: str) -> None:
    """Print to stderr, as safely as `say`."""
    from notes.safetext import printable

    typer.echo(printable(message, keep="\n\t"), err=True)


# Options shared by the commands that write cards.
ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", help="Shop settings file (default: ./notes.toml if present)."),
]
FontOpt = Annotated[
    str | None, typer.Option("--font", help="Font id from `notes fonts`, or a path to a .ttf/.otf.")
]
InkOpt = Annotated[
    str | None, typer.Option("--ink", help="blue-black (default), blue, black, or a hex colour.")
]
CardOpt = Annotated[
    str | None,
    typer.Option("--card", help="a6, a7, a5, 4x6in, 5x7in, 3.5x5in, a2-folded, or e.g. 120x170mm."),
]
OrientationOpt = Annotated[str | None, typer.Option("--orientation", help="portrait or landscape.")]
SeedOpt = Annotated[
    int, typer.Option("--seed", help="Same input and seed give a byte-identical PDF.")
]
MessinessOpt = Annotated[
    float | None,
    typer.Option("--messiness", min=0.0, max=1.0, help="0 = plain font ... 1 = a hurried hand."),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Replace an existing output file.")]
SignatureOpt = Annotated[
    Path | None,
    typer.Option("--signature", help="Your scanned signature (PNG with transparency, or SVG)."),
]
RealismOpt = Annotated[
    str | None,
    typer.Option(
        "--realism", help="plain (font text, fastest), natural (default) or rough letter shapes."
    ),
]


def resolve_style(
    config, *, font, ink, card, orientation, messiness, seed, realism=None, signature=None
):
    """Command-line options win over notes.toml, which wins over the defaults."""
    from notes.cards import parse_card
    from notes.render import Style

    chosen = config.style
    return Style(
        font=font or chosen.font,
        ink=ink or chosen.ink,
        card=parse_card(card or chosen.card, orientation=orientation or chosen.orientation),
        messiness=chosen.messiness if messiness is None else messiness,
        seed=seed,
        realism=realism or chosen.realism,
        signature=str(signature) if signature else (chosen.signature_image or None),
    )


def parse_sets(pairs: list[str]) -> dict[str, str]:
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


@app.command()
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
        Path | None, typer.Option("--output", "-o", help="PDF to write (default: <name>.pdf).")
    ] = None,
    preview: Annotated[
        Path | None, typer.Option("--preview", help="Also write a PNG of the card here.")
    ] = None,
    today: Annotated[
        str | None, typer.Option("--today", help="Date the note is written (YYYY-MM-DD).")
    ] = None,
    font: FontOpt = None,
    ink: InkOpt = None,
    card: CardOpt = None,
    orientation: OrientationOpt = None,
    seed: SeedOpt = 0,
    messiness: MessinessOpt = None,
    realism: RealismOpt = None,
    signature: SignatureOpt = None,
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
        from notes.filenames import safe_stem
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
            template or "blank", fields, text=text, shop=settings.shop, today=today, seed=seed
        )
        style = resolve_style(
            settings,
            font=font,
            ink=ink,
            card=card,
            orientation=orientation,
            messiness=messiness,
            seed=seed,
            realism=realism,
            signature=signature,
        )
        target = output or Path(f"{safe_stem(recipient or '', fallback='note')}.pdf")
        renderer = Renderer(style)
        plan = renderer.plan(note_text, key=recipient or note_text)
        write_cards([plan], target, force=force)
        say(
            f"wrote {target} ({style.card.name}, {renderer.fonts.primary.spec.id}, "
            f"{plan.layout.size:.1f} pt)"
        )
        if preview:
            from notes.preview import pdf_to_pngs

            for png in pdf_to_pngs(target, preview, first_only=True):
                say(f"preview {png}")


@app.command("preview")
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


@app.command()
def fonts(
    specimen: Annotated[
        Path | None, typer.Option("--specimen", help="Write a PDF with one line in each font.")
    ] = None,
    check: Annotated[
        str | None,
        typer.Option("--check", help="Text (or a file) to check: which font draws each character."),
    ] = None,
    font: FontOpt = None,
    force: ForceOpt = False,
) -> None:
    """List the bundled handwriting fonts and the scripts they cover.

    Example:

        notes fonts

        notes fonts --specimen fonts.pdf

        notes fonts --check "Nguyễn Thị Hương, 田中 さくら"
    """
    with user_errors():
        from notes.fonts import load_catalog

        if check is not None:
            _check_coverage(check, font or "caveat")
            return
        if specimen is not None:
            from notes.specimen import write_specimen

            write_specimen(specimen, force=force)
            say(f"wrote {specimen}")
            return
        for spec in load_catalog().values():
            joined = "connected" if spec.connected else spec.style
            say(f"{spec.id:<22} {spec.family:<22} {joined:<10} {', '.join(spec.scripts)}")
        from notes.hand.store import load_hands

        for hand in load_hands().values():
            say(f"{hand.name:<22} {hand.family:<22} {'your hand':<10} latin")


def _check_coverage(check: str, font: str) -> None:
    from notes.fonts import FontBook, describe_char

    path = Path(check)
    text = path.read_text(encoding="utf-8") if len(check) < 4096 and path.is_file() else check
    book = FontBook(font)
    missing = 0
    for char, font_id in book.coverage(text):
        say(f"{describe_char(char):<50} {font_id or 'NOT DRAWABLE'}")
        missing += font_id is None
    if missing:
        raise typer.Exit(1)


templates_app = typer.Typer(
    help="List the occasion templates and their languages, or show one.\n\nExample:\n\n"
    "    notes templates\n\n    notes templates show thank-you --language de",
    invoke_without_command=True,
    no_args_is_help=False,
)
app.add_typer(templates_app, name="templates")


@templates_app.callback()
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


@templates_app.command("show")
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


@app.command()
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


# Commands defined in their own modules (notes/cli/<name>.py) are registered here, one line each.
from notes.cli import day as day_commands  # noqa: E402
from notes.cli import hand as hand_commands  # noqa: E402
from notes.cli import merge as merge_commands  # noqa: E402

app.command()(merge_commands.merge)
app.command()(day_commands.day)
app.command()(day_commands.demo)
app.command()(day_commands.history)
app.add_typer(hand_commands.hand_app, name="hand")


def main() -> None:
    app()
