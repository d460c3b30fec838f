"""`notes hand`: print the handwriting sheet, and learn your hand from a photo of it.

Only typer and the standard library at the top: OpenCV and the rest of notes.hand are imported
inside the commands, and only when they run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from notes.cli.console import say, user_errors, warn
from notes.cli.options import ForceOpt

hand_app = typer.Typer(
    help="Your own handwriting: print a sheet, fill it in, photograph it, learn the hand.\n\n"
    "Example:\n\n    notes hand sheet -o sheet.pdf\n\n    notes hand learn photo.jpg --name maya"
    "\n\n    notes write --text 'Dear Ana, thank you!' --font maya -o ana.pdf",
    no_args_is_help=True,
)
commands = typer.Typer()  # what notes.cli loads: `notes hand` and its sub-commands
commands.add_typer(hand_app, name="hand")

_NEEDS_EXTRA = "install the handwriting tools: pip install 'notes[hand]'"


def _require_extra() -> None:
    """OpenCV and skia-pathops come with the `hand` extra: say so instead of a traceback."""
    from importlib.util import find_spec

    from notes.errors import UsageError

    missing = [name for name in ("cv2", "pathops") if find_spec(name) is None]
    if missing:
        raise UsageError(
            f"`notes hand` needs {' and '.join(missing)}, which are not installed",
            hint=_NEEDS_EXTRA,
        )


@hand_app.command("sheet")
def sheet(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The sheet to write: .pdf, or .png (300 dpi).")
    ] = Path("sheet.pdf"),
    paper: Annotated[str, typer.Option("--paper", help="a4 or letter.")] = "a4",
    fill_with: Annotated[
        str | None,
        typer.Option(
            "--fill-with",
            help="Fill the sheet in this bundled font, to try the whole flow (or test it).",
        ),
    ] = None,
    force: ForceOpt = False,
) -> None:
    """Write the sheet to print and fill in by hand (or a sheet filled in a bundled font).

    Example:

        notes hand sheet -o sheet.pdf --paper letter

        notes hand sheet --fill-with caveat -o filled.png
    """
    with user_errors():
        _require_extra()
        from notes.hand.sheetpage import write_sheet

        written = write_sheet(output, paper=paper, fill_with=fill_with, force=force)
        say(f"wrote {written}")
        if fill_with is None:
            say("print it at 100 % (no 'fit to page'), fill it in, photograph it, then run:")
            say("  notes hand learn PHOTO --name yourname")


@hand_app.command("learn")
def learn(
    photo: Annotated[Path, typer.Argument(help="A photo or scan of the filled-in sheet.")],
    name: Annotated[str, typer.Option("--name", help="The hand's name, used as --font NAME.")],
    force: ForceOpt = False,
) -> None:
    """Learn your handwriting from a photo of the filled-in sheet.

    Example:

        notes hand learn photo.jpg --name maya

        notes write --template thank-you --set name=Ana --set product=teapot --font maya
    """
    with user_errors():
        _require_extra()
        from notes.hand.pipeline import learn_hand

        learned = learn_hand(photo, name, force=force)
        folder = learned.folder
        used = sum(1 for s in learned.samples if s.usable)
        say(f"learned {learned.entry.family} from {used} of {len(learned.samples)} boxes")
        say(f"  font       {folder / learned.entry.file}")
        say(f"  atlas      {folder / 'atlas.png'}   (every sample as it was read)")
        say(f"  card       {folder / 'card.png'}")
        if learned.entry.signature:
            say(f"  signature  {folder / learned.entry.signature}   (use it with --signature)")
        from notes.hand.report import problems_text

        for line in problems_text(learned).splitlines():
            warn(line if line.startswith("warning") else f"not used: {line}")
        say(f"write with it:  notes write --text 'Dear Ana, thank you!' --font {name}")
