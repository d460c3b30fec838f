"""`notes day`: a sales day's export -> the right card for each customer, recorded in the ledger.

Only typer and the standard library at the top: the library is imported inside the command.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from notes.cli import dayreport as report
from notes.cli.console import Redraws, counted, say, stop_once_on_ctrl_c, user_errors, warn
from notes.cli.options import (
    ConfigOpt,
    JobsOpt,
    LedgerOpt,
    StyleOptions,
    parse_date,
    style_options,
)
from notes.cli.presets import ShopFormatHelp

PresetOpt = Annotated[
    str, typer.Option("--preset", help="auto (from the header row), or a shop format's name.")
]
WaitOpt = Annotated[
    float,
    typer.Option(
        "--wait",
        min=0,
        help="Seconds to wait while another run (or program) holds the ledger, then give up.",
    ),
]
_STAGE_LINES = {
    "reading": "reading the export",
    "planning": "laying out {notes}",
    "writing": "writing {notes}",
    "recording": "recording the notes in the ledger",
}


commands = typer.Typer()


@commands.command(cls=ShopFormatHelp)  # --preset help from the shop-format registry
@style_options
def day(
    export: Annotated[Path, typer.Argument(help="The day's orders, exported from your shop.")],
    preset: PresetOpt = "auto",
    date: Annotated[
        str | None,
        typer.Option(
            "--date", help="Only this sales day, YYYY-MM-DD (default: every day in the file)."
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Folder for the PDFs, with a sub-folder per day when the file holds several "
            "(default: notes-YYYY-MM-DD for each day).",
        ),
    ] = None,
    ledger: LedgerOpt = None,
    explain: Annotated[
        bool,
        typer.Option("--explain", help="Say, per customer, which rule chose the card and why."),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the plan; write and record nothing.")
    ] = False,
    sheet: Annotated[
        str | None, typer.Option("--sheet", help="Impose the cards on a4 or letter sheets.")
    ] = None,
    reprint: Annotated[
        bool,
        typer.Option(
            "--reprint",
            help="Write the notes again for customers who already have one this day "
            "(same occasion and discount code), into new files beside the first.",
        ),
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Old name of --reprint, kept for this release only."),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the files.")] = False,
    jobs: JobsOpt = None,
    plot: Annotated[
        bool,
        typer.Option(
            "--plot", help="Also write a pen-plotter file per card and envelope (plots/)."
        ),
    ] = False,
    style: StyleOptions = StyleOptions(),
    config: ConfigOpt = None,
    wait: WaitOpt = 30.0,
    print_to: Annotated[
        str | None,
        typer.Option(
            "--print",
            metavar="PRINTER",
            help="Then print the new cards and their "
            "envelopes on this CUPS printer (see `notes printers`).",
        ),
    ] = None,  # fmt: skip
    template_dir: Annotated[
        Path | None,
        typer.Option(
            "--template-dir",
            help="Your own wording: a folder of <occasion>.j2 files (thank-you.j2, loyal.j2...);"
            " occasions without one keep the built-in card. `notes init --templates DIR` writes "
            "them to edit.",
        ),
    ] = None,
) -> None:
    """Turn a shop export into the right card for each customer, never thanking twice.

    Every day in the export is written, in order, each into its own folder (one sub-folder per
    day under -o when there are several); --date picks one. Each folder gets cards.pdf,
    envelopes.pdf (card k and envelope page k are the same customer's), manifest.csv and, when
    notes made up discount codes, codes.csv; every note is then recorded in the ledger. Running
    the same day again writes nothing new; new orders in a later export go into cards-2.pdf.
    If a run is stopped (Ctrl-C, kill), run the same command again: it writes exactly the
    notes that are missing. One run at a time uses a ledger: a second run waits for the first
    (--wait), then says which one holds it.

    Example:

        notes day orders_export.csv --explain

        notes day square-items.csv --preset square --date 2026-11-21 -o today --sheet a4
    """
    from notes.day import Progress

    if force:
        warn(
            "warning: --force is the old name of --reprint for `notes day` and goes away in the"
            " next release: use --reprint (everywhere else --force means replace a file)"
        )
    progress = Progress()
    with user_errors(), stop_once_on_ctrl_c():  # one Ctrl-C stops; more can't cut the message
        try:
            _run_day(
                export, preset=preset, date=date, output=output, ledger_path=ledger,
                explain=explain, dry_run=dry_run, sheet=sheet, reprint=reprint or force,
                quiet=quiet, style=style, config=config, wait=wait, progress=progress, plot=plot,
                print_to=print_to, template_dir=template_dir, workers=jobs or os.cpu_count() or 1,
            )  # fmt: skip
        except KeyboardInterrupt:
            _say_interrupted(progress)
            raise typer.Exit(130) from None


def _say_interrupted(progress) -> None:  # noqa: ANN001 - notes.day.Progress
    echo = lambda text: typer.echo(text, err=True)  # noqa: E731
    if progress.stage == "done":
        echo("stopped after the run finished: every note is written and recorded")
        return
    if progress.stage in ("waiting", "reading"):
        echo(f"stopped while {progress.stage}, before anything was written")
    elif progress.stage == "planning":
        echo(f"stopped while planning ({progress.planned} of {progress.total} notes laid out)")
    elif progress.stage == "writing":
        echo(f"stopped while writing ({progress.planned} of {progress.total} notes written)")
    elif progress.stage == "recording" and progress.files:
        echo(f"stopped while recording; the files were in place: {progress.files[0]}")
    else:
        echo(f"stopped while {progress.stage}")
    echo("the ledger has no record of unfinished notes, so nothing is lost or doubled")
    echo("to finish: run the same command again")


def _run_day(
    export: Path,
    *,
    preset: str,
    date: str | None,
    output: Path | None,
    ledger_path: Path | None,
    explain: bool,
    dry_run: bool,
    sheet: str | None,
    reprint: bool,
    quiet: bool,
    style: StyleOptions,
    config: Path | None,
    wait: float,
    progress,  # noqa: ANN001 - notes.day.Progress
    plot: bool = False,
    print_to: str | None = None,
    template_dir: Path | None = None,
    workers: int = 1,
) -> None:
    from notes.codes import codes_from_config
    from notes.config import load_config
    from notes.day import read_export
    from notes.ledger import Ledger, default_ledger_path
    from notes.ledgerfile import ledger_lock
    from notes.occasiontemplates import occasion_templates
    from notes.privacy import do_not_contact_from_config
    from notes.qr import codes_for

    if sheet is not None:
        from notes.cards import parse_sheet

        sheet = parse_sheet(sheet)[0]
    settings = load_config(config)
    if print_to and not dry_run:
        from notes.printing import find_printer

        find_printer(print_to)  # before the cards are written, not after
    card_style = style.resolve(settings)
    templates = occasion_templates(settings, template_dir)
    do_not_contact = do_not_contact_from_config(settings)
    ledger_path = ledger_path or default_ledger_path()
    plot_job = None
    if plot:
        from notes.handwriting import parse_ink
        from notes.plotbatch import plot_job as make_plot_job

        # The folder is the run's own (plots/ beside cards.pdf): chosen when the run writes.
        plot_job = make_plot_job(Path("plots"), settings, parse_ink(card_style.ink))

    def waiting(holder) -> None:  # noqa: ANN001 - notes.ledgerfile.LockHolder
        progress.stage = "waiting"
        typer.echo(f"waiting for another `notes day` run ({holder}) to finish", err=True)

    # A dry run writes nothing, so it need not wait for a run that does.
    lock = nullcontext() if dry_run else ledger_lock(ledger_path, wait=wait, on_wait=waiting)
    with lock, Ledger(ledger_path, timeout=wait) as book:
        with _showing_progress(progress, quiet):
            read = read_export(export, preset=preset)
        wanted = parse_date(date, "--date")
        days = [wanted] if wanted is not None else read.days or [None]
        if len(days) > 1 and not quiet:
            say(
                f"{len(days)} days in {read.source}: {', '.join(map(str, days))} (--date picks one)"
            )
        run = _DayRun(
            book=book, settings=settings, style=card_style, ledger_path=ledger_path,
            codes=codes_from_config(settings, ledger=book, seed=card_style.seed),
            templates=templates, do_not_contact=do_not_contact, reprint=reprint,
            progress=progress, explain=explain, dry_run=dry_run, sheet=sheet, quiet=quiet,
            plot=plot_job, qr_codes=codes_for(settings, card_style.card, card_style.ink),
            print_to=print_to, workers=workers,
        )  # fmt: skip
        failed = False
        for one_day in days:
            plan = run.one_day(read, one_day, _day_folder(output, one_day, several=len(days) > 1))
            failed = failed or bool(plan.with_status("failed"))
        report.problems(plan, quiet=quiet)
    if failed:
        raise typer.Exit(1)


def _day_folder(output: Path | None, day: dt.date | None, *, several: bool) -> Path | None:
    """-o itself for one day; -o/YYYY-MM-DD for each of several; None: notes-YYYY-MM-DD."""
    if output is None or day is None:
        return output
    return output / day.isoformat() if several else output


@dataclass
class _DayRun:
    """What every day of one `notes day` run shares (settings, ledger, codes), and one day's
    work: plan, explain, write, print, say what was done."""

    book: Any
    settings: Any
    style: Any
    ledger_path: Path
    codes: Any
    templates: dict
    do_not_contact: dict
    reprint: bool
    progress: Any
    explain: bool
    dry_run: bool
    sheet: str | None
    quiet: bool
    plot: Any
    qr_codes: Any
    print_to: str | None
    workers: int  # --jobs: processes that plan the cards (any number writes the same bytes)

    def one_day(self, read, day: dt.date | None, folder: Path | None):  # noqa: ANN001, ANN201
        from notes.day import default_folder, plan_day
        from notes.daywrite import write_day
        from notes.review.recipe import save_for_review

        settings = self.settings
        with _showing_progress(self.progress, self.quiet):
            plan = plan_day(
                read, ledger=self.book, style=self.style, shop=settings.shop,
                rules=settings.day, day=day, reprint=self.reprint, progress=self.progress,
                missing_address=settings.envelopes.missing, plot=self.plot,
                qr_codes=self.qr_codes, codes=self.codes, do_not_contact=self.do_not_contact,
                templates=self.templates,
            )  # fmt: skip
        percent, valid_days = settings.day.discount_percent, settings.codes.valid_days
        report.heading(plan, quiet=self.quiet)
        result = None
        if self.dry_run:
            from notes.day import check_day

            with _showing_progress(self.progress, self.quiet):
                check_day(plan, self.progress, self.workers)
        else:
            with _showing_progress(self.progress, self.quiet):
                result = write_day(
                    plan, folder or default_folder(plan.day), ledger=self.book,
                    sheet=self.sheet, progress=self.progress, plot=self.plot,
                    discount_percent=percent, code_valid_days=valid_days, workers=self.workers,
                )  # fmt: skip
                save_for_review(result, style=self.style, shop=settings.shop,
                                ledger=self.ledger_path, sheet=self.sheet, qr=settings.qr)  # fmt: skip
        if self.explain or self.dry_run:
            report.explain(plan)  # after planning: what failed, and why
        report.summary(plan, result, quiet=self.quiet, dry_run=self.dry_run, percent=percent,
                       valid_days=valid_days)  # fmt: skip
        if self.print_to and result is not None and result.cards is not None:
            from notes.cli.printing import send_to_printer
            from notes.printing import PrintOptions

            files = [p for p in (result.cards, result.envelopes) if p is not None]
            send_to_printer(files, self.print_to, settings, PrintOptions())
        return plan


@contextmanager
def _showing_progress(progress, quiet: bool):  # noqa: ANN001, ANN202 - notes.day.Progress
    """Where the run is, on stderr: a Rich bar on a terminal, a line per stage otherwise."""
    if quiet:
        yield
        return
    if not sys.stderr.isatty():
        shown: list[str] = []

        def line(p) -> None:  # noqa: ANN001
            if p.stage in _STAGE_LINES and p.stage not in shown:
                shown.append(p.stage)
                typer.echo(
                    _STAGE_LINES[p.stage].format(notes=counted(p.total or 0, "note")), err=True
                )

        progress.on_change = line
        yield
        progress.on_change = None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    # No refresh thread (auto_refresh): a process with one thread forks its pool's workers.
    with Progress(
        *columns, console=Console(stderr=True), transient=True, auto_refresh=False
    ) as bar:
        task = bar.add_task("reading the export", total=None)
        redraws, shown = Redraws(), [""]  # the stage last drawn

        def update(p) -> None:  # noqa: ANN001
            text = _STAGE_LINES.get(p.stage, p.stage).format(notes=counted(p.total or 0, "note"))
            drawn = redraws.due(p.stage != shown[0] or p.planned == p.total)
            bar.update(task, description=text, total=p.total or None, completed=p.planned,
                       refresh=drawn)  # fmt: skip
            if drawn:
                shown[0] = p.stage

        progress.on_change = update
        yield
    progress.on_change = None
