"""`notes fonts`: the bundled handwriting fonts, a specimen, and which font draws which letter."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from notes.cli.console import say, user_errors
from notes.cli.options import FontOpt, ForceOpt

commands = typer.Typer()


@commands.command()
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
        for spec in load_catalog("stroke").values():  # pen plotters: notes write -o card.svg
            joined = "connected" if spec.connected else spec.style
            say(f"{spec.id:<22} {spec.family:<22} {joined:<10} latin-1, for pen plotters")
        from notes.hand.store import load_hands

        for hand in load_hands().values():
            say(f"{hand.name:<22} {hand.family:<22} {'your hand':<10} latin")


def _check_coverage(check: str, font: str) -> None:
    from notes.fonts import FontBook, describe_char

    path = Path(check)
    text = path.read_text(encoding="utf-8") if len(check) < 4096 and path.is_file() else check
    from notes.strokefonts import StrokeBook, stroke_catalog

    book = StrokeBook(font) if font in stroke_catalog() else FontBook(font)
    missing = 0
    for char, font_id in book.coverage(text):
        say(f"{describe_char(char):<50} {font_id or 'NOT DRAWABLE'}")
        missing += font_id is None
    if missing:
        raise typer.Exit(1)
