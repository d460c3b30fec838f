"""`notes day`: a sales day's export -> the right card for each customer, recorded in the ledger.

Only typer and the standard library at the top: the library is imported inside the command.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Annotated

import typer

from notes.cli.console import say, stop_once_on_ctrl_c, user_errors, warn
from notes.cli.options import ConfigOpt, LedgerOpt, StyleOptions, parse_date, style_options
from notes.cli.presets import ShopFormatHelp

SHOWN = 20  # skipped/failed customers listed before "... and N more in the manifest"

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
    "planning": "laying out {p.total} notes",
    "writing": "writing the files",
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
        typer.Option("--date", help="Sales day YYYY-MM-DD (default: the latest day in the file)."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Folder for the PDFs (default: notes-YYYY-MM-DD)."),
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
) -> None:
    """Turn a day's shop export into the right card for each customer, never thanking twice.

    Writes cards.pdf, envelopes.pdf (where addresses exist) and manifest.csv into the folder,
    then records every note in the ledger. Running the same day again writes nothing new; new
    orders in a later export go into cards-2.pdf. If a run is stopped (Ctrl-C, kill), run the
    same command again: it writes exactly the notes that are missing. One run at a time
    uses a ledger: a second run waits for the first (--wait), then says which one holds it.

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
                print_to=print_to,
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
) -> None:
    from notes.config import load_config
    from notes.day import default_folder, plan_day
    from notes.daywrite import write_day
    from notes.ledger import Ledger, default_ledger_path
    from notes.ledgerfile import ledger_lock
    from notes.qr import codes_for
    from notes.review.recipe import save_for_review

    if sheet is not None:
        from notes.cards import parse_sheet

        sheet = parse_sheet(sheet)[0]
    settings = load_config(config)
    if print_to and not dry_run:
        from notes.printing import find_printer

        find_printer(print_to)  # before the cards are written, not after
    card_style = style.resolve(settings)
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
            plan = plan_day(
                export, ledger=book, style=card_style, shop=settings.shop, rules=settings.day,
                preset=preset, day=parse_date(date, "--date"), reprint=reprint,
                progress=progress, missing_address=settings.envelopes.missing, plot=plot_job,
                qr_codes=codes_for(settings, card_style.card, card_style.ink),
            )  # fmt: skip
        folder = output or default_folder(plan.day)
        if explain or dry_run:
            _explain(plan)
        if dry_run:
            _summary(plan, None, quiet=quiet, dry_run=True)
            return
        with _showing_progress(progress, quiet):
            result = write_day(
                plan, folder, ledger=book, sheet=sheet, progress=progress, plot=plot_job
            )
            save_for_review(result, style=card_style, shop=settings.shop, ledger=ledger_path,
                            sheet=sheet, qr=settings.qr)  # fmt: skip
    _summary(plan, result, quiet=quiet, dry_run=False)
    if print_to and result.cards is not None:
        from notes.cli.printing import send_to_printer
        from notes.printing import PrintOptions

        files = [p for p in (result.cards, result.envelopes) if p is not None]
        send_to_printer(files, print_to, settings, PrintOptions())
    if plan.with_status("failed"):
        raise typer.Exit(1)


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
                typer.echo(_STAGE_LINES[p.stage].format(p=p), err=True)

        progress.on_change = line
        yield
        progress.on_change = None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("reading the export", total=None)

        def update(p) -> None:  # noqa: ANN001
            text = _STAGE_LINES.get(p.stage, p.stage).format(p=p)
            bar.update(task, description=text, total=p.total or None, completed=p.planned)

        progress.on_change = update
        yield
    progress.on_change = None


def _explain(plan) -> None:  # noqa: ANN001 - notes.day.DayPlan
    for note in plan.notes:
        d = note.decision
        what = d.occasion or ("already noted" if d.rule == "already-noted" else "skip")
        say(f"{note.name}: {what} [{d.rule}] {d.reason}")
        if note.status == "failed":
            say(f"    cannot write it: {note.error}")
        if note.address in ("warn", "error"):
            fate = {"warn": "warn", "error": "error, envelope marked for the packer"}[note.address]
            fate = "error, card held back" if note.status == "held" else fate
            say(f"    address ({fate}): {note.address_problem}")
        if note.warning:
            say(f"    warning: {note.warning}")


def _summary(plan, result, *, quiet: bool, dry_run: bool) -> None:  # noqa: ANN001
    new = [n for n in plan.notes if n.status in ("new", "reprint", "written")]
    already = plan.with_status("already-noted")
    echo = (lambda text: None) if quiet else say
    head = f"{plan.day} from {plan.source} ({plan.preset}): {len(plan.notes)} customers"
    echo(head)
    if not new and already:
        say(f"nothing new to write: {len(already)} customers already have their note")
    elif not new:
        say("nothing to write: no customer of this day gets a card")
    else:
        verb = "would write" if dry_run else "wrote"
        echo(f"{verb} {len(new)} note{'s' if len(new) != 1 else ''}:")
        for occasion, count in sorted(plan.occasion_counts().items()):
            echo(f"  {occasion:<10} {count}")
    if new and already:
        echo(f"already noted before: {len(already)}")
    for label, notes in (("skipped", plan.with_status("skipped")),
                         ("failed", plan.with_status("failed")),
                         ("held back (address)", plan.with_status("held"))):  # fmt: skip
        if not notes:
            continue
        write = echo if label == "skipped" else say
        write(f"{label} {len(notes)}:")
        for note in notes[:SHOWN]:
            write(f"  {note.name}: {note.error or note.address_problem or note.decision.reason}")
        if len(notes) > SHOWN:
            write(f"  ... and {len(notes) - SHOWN} more in the manifest")
    _address_counts(plan, echo)
    warned = [n for n in new if n.warning]  # e.g. a language with no cards: the shop's instead
    for note in warned[:SHOWN]:
        echo(f"warning: {note.name}: {note.warning}")
    if len(warned) > SHOWN:
        echo(f"  ... and {len(warned) - SHOWN} more warnings in the manifest")
    for problem in plan.problems[:SHOWN]:
        echo(f"problem: {problem.where}: {problem.reason}")
    if result is None or result.cards is None:
        return
    say(f"cards:     {result.cards}")
    if result.envelopes:
        say(f"envelopes: {result.envelopes}")
    say(f"manifest:  {result.manifest}")
    if result.plots is not None:
        say(f"plots:     {result.plots}/ ({result.plot_estimate.describe()})")


def _address_counts(plan, echo) -> None:  # noqa: ANN001 - notes.day.DayPlan, print function
    """How many envelope addresses were written with a warning or marked for the packer."""
    notes = [n for n in plan.notes if n.status != "held"]
    warned = sum(n.address == "warn" for n in notes)
    marked = sum(n.address == "error" for n in notes)
    counts = [f"{n} {what}" for n, what in ((warned, "with a warning"),
              (marked, "marked on the envelope")) if n]  # fmt: skip
    if counts:
        echo(f"addresses: {', '.join(counts)} (--explain or the manifest says why)")
