"""`notes day`, `notes demo`, `notes history`: a sales day's cards, a demo of it, what was sent.

Only typer and the standard library at the top: the library is imported inside the commands.
"""

from __future__ import annotations

import datetime as dt
import sys
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Annotated

import typer

from notes.cli import (
    CardOpt,
    ConfigOpt,
    FontOpt,
    InkOpt,
    MessinessOpt,
    OrientationOpt,
    RealismOpt,
    SeedOpt,
    SignatureOpt,
    resolve_style,
    say,
    user_errors,
)

SHOWN = 20  # skipped/failed customers listed before "... and N more in the manifest"

PresetOpt = Annotated[
    str,
    typer.Option(
        "--preset", help="auto (from the header row), shopify, square, woocommerce, generic."
    ),
]
LedgerOpt = Annotated[
    Path | None,
    typer.Option("--ledger", help="The ledger file (default: your user data folder)."),
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


def _parse_date(text: str | None, option: str) -> dt.date | None:
    from notes.errors import UsageError

    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"{option} {text!r} is not a date", hint=f"write it like {option} 2026-11-21"
        ) from None


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
    seed: SeedOpt = 0,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Reprint: write the notes again for customers who already have one this day "
            "(same occasion and discount code). Files are still never overwritten.",
        ),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the files.")] = False,
    font: FontOpt = None,
    ink: InkOpt = None,
    card: CardOpt = None,
    orientation: OrientationOpt = None,
    messiness: MessinessOpt = None,
    realism: RealismOpt = None,
    signature: SignatureOpt = None,
    config: ConfigOpt = None,
    wait: WaitOpt = 30.0,
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

    progress = Progress()
    with user_errors():
        try:
            _run_day(
                export, preset=preset, date=date, output=output, ledger_path=ledger,
                explain=explain, dry_run=dry_run, sheet=sheet, seed=seed, reprint=force,
                quiet=quiet, style_options=dict(font=font, ink=ink, card=card,
                orientation=orientation, messiness=messiness, realism=realism,
                signature=signature), config=config, wait=wait,
                progress=progress,
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
    seed: int,
    reprint: bool,
    quiet: bool,
    style_options: dict,
    config: Path | None,
    wait: float,
    progress,  # noqa: ANN001 - notes.day.Progress
) -> None:
    from notes.config import load_config
    from notes.day import default_folder, plan_day
    from notes.daywrite import write_day
    from notes.ledger import Ledger, default_ledger_path
    from notes.ledgerfile import ledger_lock

    if sheet is not None:
        from notes.cards import parse_sheet

        sheet = parse_sheet(sheet)[0]
    settings = load_config(config)
    style = resolve_style(settings, seed=seed, **style_options)
    ledger_path = ledger_path or default_ledger_path()

    def waiting(holder) -> None:  # noqa: ANN001 - notes.ledgerfile.LockHolder
        progress.stage = "waiting"
        typer.echo(f"waiting for another `notes day` run ({holder}) to finish", err=True)

    # A dry run writes nothing, so it need not wait for a run that does.
    lock = nullcontext() if dry_run else ledger_lock(ledger_path, wait=wait, on_wait=waiting)
    with lock, Ledger(ledger_path, timeout=wait) as book:
        with _showing_progress(progress, quiet):
            plan = plan_day(
                export, ledger=book, style=style, shop=settings.shop, rules=settings.day,
                preset=preset, day=_parse_date(date, "--date"), reprint=reprint,
                progress=progress, missing_address=settings.envelopes.missing,
            )  # fmt: skip
        folder = output or default_folder(plan.day)
        if explain or dry_run:
            _explain(plan)
        if dry_run:
            _summary(plan, None, quiet=quiet, dry_run=True)
            return
        with _showing_progress(progress, quiet):
            result = write_day(plan, folder, ledger=book, sheet=sheet, progress=progress)
    _summary(plan, result, quiet=quiet, dry_run=False)
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


def _address_counts(plan, echo) -> None:  # noqa: ANN001 - notes.day.DayPlan, print function
    """How many envelope addresses were written with a warning or marked for the packer."""
    notes = [n for n in plan.notes if n.status != "held"]
    warned = sum(n.address == "warn" for n in notes)
    marked = sum(n.address == "error" for n in notes)
    counts = [f"{n} {what}" for n, what in ((warned, "with a warning"),
              (marked, "marked on the envelope")) if n]  # fmt: skip
    if counts:
        echo(f"addresses: {', '.join(counts)} (--explain or the manifest says why)")


def history(
    customer: Annotated[
        str | None, typer.Option("--customer", help="Part of a name, or an email.")
    ] = None,
    since: Annotated[str | None, typer.Option("--since", help="From this day, YYYY-MM-DD.")] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Up to this day, YYYY-MM-DD.")
    ] = None,
    csv_out: Annotated[bool, typer.Option("--csv", help="Write CSV to stdout.")] = False,
    ledger: LedgerOpt = None,
) -> None:
    """List the notes that were written: day, customer, occasion, file, page, discount code.

    Example:

        notes history --since 2026-11-01

        notes history --customer "Nguyễn" --csv > hương.csv
    """
    with user_errors():
        import csv

        from notes.ledger import Ledger, default_ledger_path
        from notes.manifest import spreadsheet_cell  # no formulas: the CSV is opened in Excel

        path = ledger or default_ledger_path()
        if not path.exists():
            say(f"no notes yet: the ledger {path} does not exist (run `notes day` first)")
            return
        with Ledger(path, read_only=True) as book:  # takes no lock a running day could wait on
            rows = book.history(
                customer=customer,
                since=_parse_date(since, "--since"),
                until=_parse_date(until, "--until"),
            )
        if csv_out:
            writer = csv.writer(sys.stdout, lineterminator="\n")
            writer.writerow(["day", "customer", "email", "occasion", "file", "page",
                             "discount_code", "created_at"])  # fmt: skip
            for r in rows:
                email = r.customer_key if "@" in r.customer_key else ""
                writer.writerow([spreadsheet_cell(v) for v in (r.day, r.name, email, r.occasion,
                                 r.output_file, r.page, r.discount_code, r.created_at)])  # fmt: skip
            return
        if not rows:
            say("no notes match")
            return
        for r in rows:
            code = f"  code {r.discount_code}" if r.discount_code else ""
            say(f"{r.day}  {r.name:<24} {r.occasion:<10} {r.output_file} p.{r.page}{code}")
        say(f"{len(rows)} note{'s' if len(rows) != 1 else ''}")


def demo(
    preset: Annotated[
        str, typer.Option("--preset", help="shopify, square, woocommerce or generic.")
    ] = "shopify",
    locale: Annotated[
        str, typer.Option("--locale", help="Faker locale for names and addresses: de_DE, fr_FR...")
    ] = "en_US",
    customers: Annotated[
        int, typer.Option("--customers", min=1, max=5000, help="How many customers.")
    ] = 12,
    seed: SeedOpt = 0,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Demo folder (its ledger lives inside it).")
    ] = Path("notes-demo"),
) -> None:
    """Make a realistic sales-day export with fake customers, then run `notes day` on it.

    Everything stays in the demo folder, its ledger included: your real ledger is never
    touched. The demo writes only into a new or empty folder, which it marks as its own; run
    again there, it replaces its own files (and nothing else). A folder holding other files is
    refused and left untouched.

    Example:

        notes demo

        notes demo --preset woocommerce --locale de_DE --customers 30 --seed 7
    """
    with user_errors():
        from notes.demo import run_demo

        report = run_demo(output, preset=preset, locale=locale, customers=customers, seed=seed)
        say(f"export:    {report.export}")
        counts = report.result.plan.occasion_counts()
        for occasion, count in sorted(counts.items()):
            say(f"  {occasion:<10} {count}")
        skipped = report.result.plan.with_status("skipped")
        if skipped:
            say(f"  skipped    {len(skipped)} (cancelled, refunded, test or no name)")
        say(f"cards:     {report.result.cards}")
        if report.result.envelopes:
            say(f"envelopes: {report.result.envelopes}")
        say(f"manifest:  {report.result.manifest}")
        for png in report.previews:
            say(f"preview:   {png}")
        say(f"next: notes day {report.export} --ledger {report.ledger} --explain --dry-run")
