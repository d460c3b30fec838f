"""`notes print`, `notes printers`: the day's cards to a CUPS printer, on the right paper.

Only typer and the standard library at the top: the library is imported inside the commands.
`send_to_printer` is also what `notes day --print` and `notes merge --print` call.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from notes.cli.console import say, user_errors, warn
from notes.cli.options import CardOpt, ConfigOpt, OrientationOpt

commands = typer.Typer()

PrinterOpt = Annotated[
    str | None,
    typer.Option("--printer", "-p", help="A CUPS queue from `notes printers` (default: the "
                 "system's default printer)."),
]  # fmt: skip


@commands.command("print")
def print_command(
    target: Annotated[
        Path | None,
        typer.Argument(metavar="FILE|DAY_FOLDER", help="A PDF, or a folder `notes day` wrote."),
    ] = None,
    printer: PrinterOpt = None,
    copies: Annotated[int, typer.Option("--copies", "-n", min=1, max=999)] = 1,
    pages: Annotated[
        str | None, typer.Option("--pages", help="Only these pages, e.g. 1-4,7 (from 1).")
    ] = None,
    duplex: Annotated[
        bool, typer.Option("--duplex", help="Both sides: for cards written with backs.")
    ] = False,
    tray: Annotated[
        str | None, typer.Option("--tray", help="Paper tray, from `notes printers`.")
    ] = None,
    calibrate: Annotated[
        bool,
        typer.Option(
            "--calibrate",
            help="Print an alignment page; with --measured, store the "
            "printer's offset in notes.toml.",
        ),
    ] = False,  # fmt: skip
    measured: Annotated[
        str | None,
        typer.Option(
            "--measured",
            help="With --calibrate: mm from the left and bottom edges to "
            "the page's thick lines, e.g. 21.5,19.",
        ),
    ] = None,  # fmt: skip
    card: CardOpt = None,
    orientation: OrientationOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Print a PDF, or a day's cards and envelopes, through CUPS on the right paper.

    The paper size comes from the PDF's pages (an A6 card prints on A6, not in the corner of
    an A4 sheet). The printer's offset, measured once with --calibrate, is corrected on every
    job.

    Example:

        notes print notes-2026-11-21/ --printer Office

        notes print cards.pdf --printer Office --duplex --copies 2 --pages 1-4 --tray Manual

        notes print --calibrate --printer Office

        notes print --calibrate --printer Office --measured 21.5,19
    """
    with user_errors():
        from notes.config import load_config
        from notes.errors import UsageError

        settings = load_config(config)
        if calibrate:
            _calibrate(settings, printer, measured, card, orientation, config)
            return
        if measured is not None:
            raise UsageError("--measured goes with --calibrate")
        if target is None:
            raise UsageError("nothing to print", hint="give a PDF or a day's folder")
        from notes.printing import PrintOptions

        options = PrintOptions(copies=copies, pages=pages, duplex=duplex, tray=tray)
        files = _files_to_print(target, pages)
        send_to_printer(files, printer, settings, options)


def _files_to_print(target: Path, pages: str | None) -> list[Path]:
    from notes.errors import UsageError
    from notes.printing import day_files

    if target.is_dir():
        files = day_files(target)
        if pages and len(files) > 1:
            raise UsageError(
                "--pages needs one PDF, and this folder holds several",
                hint=f"print one of them: notes print {files[0]} --pages {pages}",
            )
        return files
    return [target]


def send_to_printer(files: Sequence[Path], printer_name: str | None, settings, options) -> None:  # noqa: ANN001 - Config, PrintOptions
    """Print each file in order (cards, then their envelopes) and say what CUPS accepted."""
    from dataclasses import replace

    from notes.printing import find_printer, print_pdf

    printer = find_printer(printer_name or _default_printer())
    measured = settings.printers.get(printer.name)
    if measured is not None:
        options = replace(options, offset_mm=(measured.offset_x_mm, measured.offset_y_mm))
    for path in files:
        # Envelopes have no backs: --duplex is for the cards.
        sides = replace(options, duplex=False) if path.name.startswith("envelopes") else options
        job = print_pdf(path, printer, sides, title=path.name)
        pages = f"{job.pages} page{'s' if job.pages != 1 else ''}"
        say(f"printing {path} on {printer.name}: job {job.job_id}, {pages}, {job.media}")
        for text in job.warnings:
            warn(f"note: {text}")


def _default_printer() -> str:
    from notes.errors import UsageError
    from notes.printing import list_printers

    default = next((p.name for p in list_printers() if p.default), None)
    if default is None:
        raise UsageError(
            "no printer given, and this computer has no default printer",
            hint="give --printer NAME (`notes printers` lists them)",
        )
    return default


def _calibrate(settings, printer_name, measured, card, orientation, config_path) -> None:  # noqa: ANN001
    import tempfile

    from notes.calibration import parse_measured, store_offset, write_alignment_page
    from notes.cards import parse_card
    from notes.config import CONFIG_NAME
    from notes.printing import PrintOptions, find_printer, print_pdf

    printer = find_printer(printer_name or _default_printer())
    if measured is not None:
        offset = parse_measured(measured)
        target = config_path or settings.path or Path(CONFIG_NAME)
        store_offset(target, printer.name, offset)
        say(f"stored in {target}: {printer.name} prints {offset[0]:+g} mm across, "
            f"{offset[1]:+g} mm up; later jobs to it are shifted back by that")  # fmt: skip
        return
    style = settings.style
    paper = parse_card(card or style.card, orientation=orientation or style.orientation)
    with tempfile.TemporaryDirectory(prefix="notes-align-") as folder:
        page = Path(folder) / "alignment.pdf"
        write_alignment_page(page, paper, printer.name)
        job = print_pdf(page, printer, PrintOptions(), title=f"alignment page ({paper.name})")
    say(f"printing an alignment page on {printer.name} ({job.media}): job {job.job_id}")
    say("measure it, then: notes print --calibrate --printer "
        f"{printer.name} --measured LEFT,BOTTOM")  # fmt: skip


@commands.command()
def printers() -> None:
    """List the printers (CUPS queues) with the paper sizes, trays and duplex they offer.

    Example:

        notes printers
    """
    with user_errors():
        from notes.printing import list_printers
        from notes.printmedia import CUSTOM

        found = list_printers()
        if not found:
            from notes.printing import ADD_PRINTER

            say(f"no printers: to add one, {ADD_PRINTER}")
            return
        for printer in found:
            mark = " (default)" if printer.default else ""
            say(f"{printer.name}{mark}: {printer.state or 'state unknown'}")
            sizes = [m for m in printer.media if m != CUSTOM]
            custom = ", any size (custom)" if printer.custom_sizes else ""
            say(f"  paper:  {', '.join(sizes) or 'not said by its driver'}{custom}")
            say(f"  trays:  {', '.join(printer.trays) or '-'}")
            say(f"  duplex: {'yes' if printer.duplex else 'no'}")
