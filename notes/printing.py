"""Printing through CUPS: the queues a computer has, and sending a PDF to one of them.

CUPS's own command-line programs (`lp`, `lpstat`, `lpoptions`) do the work, so nothing needs a
compiler; they honour CUPS_SERVER like every CUPS client. Plain library code: it raises
PrintError with what to do, and never prints. Paper sizes and page ranges: notes.printmedia.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from notes.errors import PrintError, UsageError
from notes.printmedia import CUSTOM, media_for, parse_page_ranges, read_page_sizes, sides_for

COMMAND_SECONDS = 60  # a CUPS command that takes longer than this is stuck
ADD_PRINTER = (
    "add it in your system's printer settings, or with "
    "`lpadmin -p NAME -E -v URI -m everywhere` (`lpinfo -v` lists the URIs)"
)
_REQUEST_ID = re.compile(r"request id is (\S+)")


@dataclass(frozen=True)
class Printer:
    """A CUPS queue and what its driver offers."""

    name: str
    default: bool = False
    media: tuple[str, ...] = ()  # PPD size names, CUSTOM if it takes any size
    trays: tuple[str, ...] = ()
    duplex: bool = False
    state: str = ""  # lpstat's own words: "idle", "disabled since ..."

    @property
    def custom_sizes(self) -> bool:
        return CUSTOM in self.media


@dataclass(frozen=True)
class PrintOptions:
    copies: int = 1
    pages: str | None = None  # "1-4,7"
    duplex: bool = False
    tray: str | None = None
    offset_mm: tuple[float, float] = (0.0, 0.0)  # where this printer puts things, measured


@dataclass
class PrintJob:
    """A job CUPS accepted: its id (`Office-12`), the file, and what it was asked for."""

    job_id: str
    printer: str
    file: Path
    media: str
    pages: int
    options: list[str]
    warnings: list[str] = field(default_factory=list)


def _how_to_print_without_cups(what: str) -> str:
    return (
        f"open {what} in a PDF viewer and print it at actual size (100 %, not 'fit to page'), "
        "with the paper size set to the card's"
    )


def cups_available(what: str = "the PDF") -> None:
    """Raise a PrintError saying how to print otherwise where CUPS is not installed."""
    if sys.platform == "win32":
        raise PrintError(
            "printing from notes needs CUPS, which Windows does not have",
            hint=_how_to_print_without_cups(what),
        )
    missing = [name for name in ("lp", "lpstat", "lpoptions") if shutil.which(name) is None]
    if missing:
        raise PrintError(
            f"printing from notes needs CUPS, and this computer has no {missing[0]!r} command",
            hint="install CUPS (Debian/Ubuntu: `sudo apt install cups`), or "
            + _how_to_print_without_cups(what),
        )


def _run(args: Sequence[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}  # CUPS's messages are parsed in English
    try:
        return subprocess.run(
            list(args), capture_output=True, text=True, env=env, timeout=COMMAND_SECONDS,
            errors="replace",
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        raise PrintError(
            f"`{' '.join(args[:2])}` did not answer in {COMMAND_SECONDS} s",
            hint="check that the CUPS service is running (`lpstat -r`), then try again",
        ) from None
    except OSError as exc:
        raise PrintError(f"cannot run {args[0]!r}: {exc.strerror}") from None


def _scheduler_running() -> None:
    if "not running" in _run(["lpstat", "-r"]).stdout:
        raise PrintError(
            "the CUPS print service is not running",
            hint="start it (Linux: `sudo systemctl start cups`; macOS starts it on demand), "
            "then try again",
        )


def list_printers() -> list[Printer]:
    """Every CUPS queue, with the paper sizes, trays and duplex its driver offers."""
    cups_available()
    _scheduler_running()
    names = [line.strip() for line in _run(["lpstat", "-e"]).stdout.splitlines() if line.strip()]
    default = _default_printer()
    return [_describe(name, default=name == default) for name in names]


def _default_printer() -> str | None:
    match = re.search(r"destination: (\S+)", _run(["lpstat", "-d"]).stdout)
    return match.group(1) if match else None


def find_printer(name: str) -> Printer:
    """The queue called `name`, or a PrintError naming the queues there are."""
    cups_available()
    _scheduler_running()
    names = [line.strip() for line in _run(["lpstat", "-e"]).stdout.splitlines() if line.strip()]
    if name not in names:
        known = f"the printers here: {', '.join(names)}; " if names else "there are no printers; "
        raise PrintError(
            f"there is no printer called {name!r}",
            hint=f"{known}`notes printers` lists them. To add one, {ADD_PRINTER}",
        )
    return _describe(name, default=name == _default_printer())


def _describe(name: str, *, default: bool) -> Printer:
    choices = _driver_choices(name)
    duplex = [c for c in choices.get("Duplex", ()) if c.lower() != "none"]
    state = _run(["lpstat", "-p", name]).stdout.strip()
    state = state.removeprefix(f"printer {name} is ").removeprefix(f"printer {name} ")
    return Printer(
        name=name,
        default=default,
        media=choices.get("PageSize", ()),
        trays=choices.get("InputSlot", ()),
        duplex=bool(duplex),
        state=state.split(".")[0].splitlines()[0].rstrip(" -") if state else "",
    )


def _driver_choices(name: str) -> dict[str, tuple[str, ...]]:
    """`lpoptions -l`: `PageSize/Page Size: *A4 A5 Custom.WIDTHxHEIGHT` -> {PageSize: (...)}."""
    result = _run(["lpoptions", "-p", name, "-l"])
    choices: dict[str, tuple[str, ...]] = {}
    for line in result.stdout.splitlines():
        key, sep, values = line.partition(":")
        if sep:
            option = key.split("/", 1)[0].strip()
            choices[option] = tuple(v.lstrip("*") for v in values.split())
    return choices


def print_pdf(pdf: Path, printer: Printer, options: PrintOptions, *, title: str = "") -> PrintJob:
    """Send `pdf` to `printer` on paper of its page size; returns the job CUPS accepted."""
    sizes = read_page_sizes(pdf)
    media = media_for(sizes, printer.media)
    args = ["-o", f"media={media}"]
    warnings: list[str] = []
    if options.copies != 1:
        args += ["-n", str(options.copies)]
    if options.pages:
        args += ["-o", f"page-ranges={parse_page_ranges(options.pages, sizes.count)}"]
    if options.duplex:
        args += ["-o", f"sides={sides_for(sizes)}"]
        if not printer.duplex:
            warnings.append(
                f"{printer.name} prints on one side only: print the odd pages (--pages), turn "
                "the stack over, then print the even pages"
            )
    if options.tray:
        args += ["-o", f"InputSlot={_tray(printer, options.tray)}"]
    source = pdf
    if options.offset_mm != (0.0, 0.0):
        from notes.calibration import shifted_copy

        source = shifted_copy(pdf, options.offset_mm)
    try:
        job_id = _submit(printer.name, source, args, title or pdf.name)
    finally:
        if source != pdf:
            source.unlink(missing_ok=True)
    return PrintJob(job_id, printer.name, pdf, media, sizes.count, args, warnings)


def _tray(printer: Printer, tray: str) -> str:
    if not printer.trays:
        raise UsageError(f"{printer.name} has no trays to choose from", hint="leave out --tray")
    for known in printer.trays:
        if known.lower() == tray.lower():
            return known
    raise UsageError(
        f"{printer.name} has no tray {tray!r}", hint=f"its trays: {', '.join(printer.trays)}"
    )


def _submit(printer: str, pdf: Path, args: list[str], title: str) -> str:
    # `--` ends the options: a file named like an option is still a file.
    result = _run(["lp", "-d", printer, "-t", title, *args, "--", str(pdf)])
    match = _REQUEST_ID.search(result.stdout)
    if result.returncode != 0 or match is None:
        said = (result.stderr or result.stdout).strip().splitlines()
        raise PrintError(
            f"the printer {printer!r} refused the job: {said[-1] if said else 'no reason given'}",
            where=str(pdf),
            hint="check the printer with `lpstat -p`, or `notes printers`",
        )
    return match.group(1)


def day_files(folder: Path) -> list[Path]:
    """A day folder's PDFs to print, run by run: cards.pdf, envelopes.pdf, cards-2.pdf, ..."""
    from notes.daywrite import run_number

    if not folder.is_dir():
        raise UsageError("not a folder", where=str(folder), hint="give a PDF or a day's folder")
    found = [p for p in folder.iterdir() if p.suffix == ".pdf" and run_number(p.name)]
    if not found:
        raise UsageError(
            "no cards.pdf or envelopes.pdf in this folder",
            where=str(folder),
            hint="give the folder `notes day` wrote, or a PDF",
        )
    return sorted(found, key=lambda p: (run_number(p.name), not p.name.startswith("cards")))
