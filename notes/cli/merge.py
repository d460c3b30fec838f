"""`notes merge`: a spreadsheet of customers -> a card for each, plus sheets, envelopes, a manifest.

Only typer and the standard library at the top: the library is imported inside the command so
`notes write` does not pay for it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Annotated

import typer

from notes.cli.console import Redraws, counted, say, stop_once_on_ctrl_c, user_errors, warn
from notes.cli.options import ConfigOpt, ForceOpt, JobsOpt, StyleOptions, style_options

SHOWN_FAILURES = 50  # the manifest has them all
HINT_ROWS = 10  # more failed rows than this: the hint points to the manifest too
HINT_SPEC_CHARS = 60  # a longer --rows value is not worth copying from the screen
PLAIN_STEPS = 10  # progress lines without a terminal: one at each tenth of the rows
PLAIN_EVERY = 500  # ... or every so many rows when their count is not known

commands = typer.Typer()


@commands.command()
@style_options
def merge(
    source: Annotated[
        str, typer.Argument(metavar="INPUT", help="CSV, JSON or JSON Lines file; '-' reads stdin.")
    ],
    template: Annotated[
        str,
        typer.Option("--template", "-t", help="Occasion from `notes templates`, or a .j2 file."),
    ],
    maps: Annotated[
        list[str] | None,
        typer.Option("--map", help="Use a column for a field, field=Column. Repeatable."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="PDF to write: one card per page.")
    ] = None,
    per_note: Annotated[
        Path | None, typer.Option("--per-note", help="Write one PDF per note into this folder.")
    ] = None,
    sheet: Annotated[
        str | None, typer.Option("--sheet", help="Impose the cards N-up on a4 or letter sheets.")
    ] = None,
    bleed: Annotated[
        float, typer.Option("--bleed", min=0.0, max=10.0, help="Bleed around each card, in mm.")
    ] = 0.0,
    duplex: Annotated[
        bool,
        typer.Option(
            "--duplex",
            help="Also print each card's back: the shop's name and address, or your own "
            "back.j2 (or thank-you.back.j2) beside your template.",
        ),
    ] = False,
    envelopes: Annotated[
        Path | None,
        typer.Option("--envelopes", help="Also write one addressed envelope per card here."),
    ] = None,
    envelope_size: Annotated[
        str | None,
        typer.Option("--envelope-size", help="c6, dl, c5, us10, a2 (default: fits the card)."),
    ] = None,
    manifest: Annotated[
        Path | None,
        typer.Option("--manifest", help="Manifest CSV (default: <output>.manifest.csv)."),
    ] = None,
    plot: Annotated[
        Path | None,
        typer.Option("--plot", help="Also write a pen-plotter file per card (and envelope) here."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Write the manifest as JSON too.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row and show the first notes; no PDF.")
    ] = False,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Only the first N rows (after --rows).")
    ] = None,
    rows: Annotated[
        str | None, typer.Option("--rows", help="Only these data rows, e.g. 3,7-9 (from 1).")
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Stop at the first row that cannot be written.")
    ] = False,
    jobs: JobsOpt = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress; only the summary.")
    ] = False,
    today: Annotated[
        str | None, typer.Option("--today", help="Date the notes are written (YYYY-MM-DD).")
    ] = None,
    style: StyleOptions = StyleOptions(),
    force: ForceOpt = False,
    config: ConfigOpt = None,
    print_to: Annotated[
        str | None,
        typer.Option(
            "--print",
            metavar="PRINTER",
            help="Then print the cards (and envelopes) "
            "on this CUPS printer (see `notes printers`).",
        ),
    ] = None,  # fmt: skip
) -> None:
    """Write a handwritten card for every row of a CSV or JSON file of customers.

    Rows that cannot be written (a missing value, a character no font has, a note too long for
    the card) are reported with their line in the file; the others are written. The manifest
    beside the output lists every row: its page, envelope and status.

    Example:

        notes merge customers.csv --template thank-you -o cards.pdf

        notes merge customers.csv -t thank-you --dry-run --limit 3

        notes merge orders.csv -t thank-you --map name="Billing Name" --sheet a4 -o sheets.pdf

        notes merge customers.csv -t thank-you --per-note cards/ --envelopes envelopes.pdf
    """
    with user_errors():
        from notes.columns import parse_mapping
        from notes.config import load_config
        from notes.errors import DataError, UsageError
        from notes.merge import Outputs
        from notes.merge import merge as run_merge
        from notes.preflight import parse_rows
        from notes.privacy import do_not_contact_from_config

        if output is not None and per_note is not None:
            raise UsageError("give either -o FILE or --per-note DIR, not both")
        if output is None and per_note is None and not dry_run:
            raise UsageError(
                "nowhere to write the cards",
                hint="add -o cards.pdf (or --per-note DIR, or --dry-run to check first)",
            )
        if print_to and (output is None or dry_run):
            raise UsageError(
                "--print needs the cards in one file", hint="use -o cards.pdf, without --dry-run"
            )
        if bleed and not sheet:
            raise UsageError("--bleed needs --sheet", hint="e.g. --sheet a4 --bleed 3")
        settings = load_config(config)
        if print_to:
            from notes.printing import find_printer

            find_printer(print_to)  # before the cards are written, not after
        card_style = style.resolve(settings)
        outputs = Outputs(
            cards=output,
            per_note=per_note,
            sheet=sheet,
            bleed_mm=bleed,
            duplex=duplex,
            envelopes=envelopes,
            envelope_size=envelope_size,
            manifest=manifest,
            manifest_json=as_json,
            force=force,
            plot=_plot_job(plot, settings, card_style) if plot is not None else None,
        )
        seen: dict[str, object] = {}  # where the run got to, to say so on Ctrl-C

        def track(stage: str, done: int, total: int | None) -> None:
            seen.update(stage=stage, done=done, total=total)
            if on_progress:
                on_progress(stage, done, total)

        with _progress(quiet) as on_progress, stop_once_on_ctrl_c():
            try:
                report = run_merge(
                    source,
                    template=template,
                    outputs=outputs,
                    style=card_style,
                    shop=settings.shop,
                    mapping=parse_mapping(maps or []),
                    rows=parse_rows(rows) if rows else None,
                    limit=limit,
                    strict=strict,
                    dry_run=dry_run,
                    today=today,
                    jobs=jobs,
                    stdin=sys.stdin.buffer if source == "-" else None,
                    on_progress=track if on_progress else None,  # no counting pass with -q
                    missing_address=settings.envelopes.missing,
                    do_not_contact=do_not_contact_from_config(settings),
                )
            except KeyboardInterrupt:
                _say_interrupted(seen, output or per_note)
                raise typer.Exit(130) from None
        if not report.rows:
            raise DataError(
                "no data rows to write",
                where=source,
                hint="the file has only its header line (or --rows chose none); add customers",
            )
        _summary(report, outputs, source)
        if print_to and report.count("ok"):
            from notes.cli.printing import send_to_printer
            from notes.printing import PrintOptions

            send_to_printer([output], print_to, settings, PrintOptions(duplex=duplex))
            if envelopes is not None and envelopes.exists():
                send_to_printer([envelopes], print_to, settings, PrintOptions())
        if report.failed:
            raise typer.Exit(1)


def _progress(quiet: bool):  # noqa: ANN202 - a context manager yielding the callback or None
    """A Rich progress bar on a terminal; plain lines to stderr otherwise; nothing with --quiet."""
    from contextlib import contextmanager, nullcontext

    if quiet:
        return nullcontext(None)
    if not sys.stderr.isatty():
        return nullcontext(_plain_progress)

    @contextmanager
    def bar():  # noqa: ANN202
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
            auto_refresh=False,  # no refresh thread: a process with one thread forks its workers
        ) as progress:
            tasks: dict[str, int] = {}
            redraws = Redraws()

            def update(stage: str, done: int, total: int | None) -> None:
                if stage not in tasks:
                    tasks[stage] = progress.add_task(stage, total=total)
                progress.update(tasks[stage], completed=done, refresh=redraws.due(done == total))

            yield update

    return bar()


def _plain_progress(stage: str, done: int, total: int | None) -> None:
    """A line at each tenth of the rows and at the last (a log, not a line per row: 3000 rows
    wrote 3000 lines); by count, so the same run logs the same lines."""
    if total:
        if done == total or done * PLAIN_STEPS // total != (done - 1) * PLAIN_STEPS // total:
            warn(f"{stage}: {done}/{total} rows")
    elif done == 1 or done % PLAIN_EVERY == 0:  # the count is not known
        warn(f"{stage}: {done} rows")


def _say_interrupted(seen: dict, target: Path | None) -> None:
    echo = lambda text: typer.echo(text, err=True)  # noqa: E731
    if seen:
        of = f" of {seen['total']}" if seen.get("total") else ""
        echo(f"interrupted while {seen['stage']}: {seen['done']}{of} rows were done")
    else:
        echo("interrupted")
    if target is not None:
        echo(f"nothing was written under {target}; the temporary files were removed")
    echo("to resume: run the same command again (it starts over; nothing is doubled)")


def _address_summary(report, outputs, source: str) -> None:  # noqa: ANN001 - as _summary
    """Each address that failed its check or was written with a warning, then the counts."""
    problems = [row for row in report.rows if row.address in ("warn", "error")]
    for row in problems[:SHOWN_FAILURES]:
        fate = {"warn": "warn", "error": "error, envelope marked for the packer"}[row.address]
        if row.status == "held":
            fate = "error, card held back"
        warn(f"address: {row.where} (row {row.row}): {fate}: {row.address_problem}")
    if len(problems) > SHOWN_FAILURES:
        warn(
            f"... and {len(problems) - SHOWN_FAILURES} more in {report.manifest or 'the manifest'}"
        )
    if not problems:
        return
    warned = sum(row.address == "warn" for row in problems)
    held = sum(row.status == "held" for row in problems)
    marked = len(problems) - warned - held
    counts = [f"{n} {what}" for n, what in ((warned, "with a warning"),
              (marked, "marked on the envelope"), (held, "held back")) if n]  # fmt: skip
    say(f"addresses: {', '.join(counts)} (the manifest says why)")
    if held and not report.dry_run:
        say(_held_hint([row for row in problems if row.status == "held"], outputs, source))


def _held_hint(held, outputs, source: str) -> str:  # noqa: ANN001 - RowResults, Outputs
    """How to write the held cards once their addresses are fixed: into new files, as failed
    rows are (see _rerun_hint)."""
    from notes.preflight import RowSelection

    spec = RowSelection.of(row.row for row in held).spec()
    rows = spec if len(spec) <= HINT_SPEC_CHARS else "ROWS (the manifest's 'held' rows)"
    where = "the input" if source == "-" else _shell(Path(source))
    options = " ".join(f"{option} {_shell(path)}" for option, path in _rerun_targets(outputs))
    return (
        f"fix those addresses in {where}, then write just their cards to new files, keeping"
        f" this run's: the same command with --rows {rows} {options} in place of its output options"
    )


def _plot_job(folder: Path, settings, style):  # noqa: ANN001, ANN202 - Config, Style -> PlotJob
    from notes.handwriting import parse_ink
    from notes.plotbatch import plot_job

    return plot_job(folder, settings, parse_ink(style.ink))


def _summary(report, outputs, source: str) -> None:  # noqa: ANN001 - MergeReport, Outputs
    for row, text in report.texts:
        say(f"--- row {row.row} ({row.where}): {row.recipient or '(no name)'} ---")
        say(text)
        say("")
    failed = report.failed
    for row in failed[:SHOWN_FAILURES]:
        warn(f"failed: {row.where} (row {row.row}): {row.error}")
    if len(failed) > SHOWN_FAILURES:
        warn(f"... and {len(failed) - SHOWN_FAILURES} more in {report.manifest or 'the manifest'}")
    warned = [row for row in report.rows if row.warning and row.status == "ok"]
    for row in warned[:SHOWN_FAILURES]:  # written, but not as asked (e.g. in the shop's language)
        warn(f"warning: {row.where} (row {row.row}): {row.warning}")
    if len(warned) > SHOWN_FAILURES:
        warn(f"... and {len(warned) - SHOWN_FAILURES} more in {report.manifest or 'the manifest'}")
    ok, skipped = report.count("ok"), report.count("skipped")
    unwanted = sum(row.status == "skipped" and "do-not-contact" in row.error for row in report.rows)
    verb = "would be written" if report.dry_run else "rendered"
    line = f"{counted(ok, 'note')} {verb}, {len(failed)} failed"
    if skipped - unwanted:
        line += f", {skipped - unwanted} empty rows skipped"
    if unwanted:
        line += f", {unwanted} on the do-not-contact list left out"
    say(line)
    _address_summary(report, outputs, source)
    notes = [p for p in report.files if p.suffix == ".pdf" and p.parent == report.per_note]
    if notes:
        say(f"wrote {counted(len(notes), 'note')} into {report.per_note}/")
    plots = [p for p in report.files if outputs.plot and p.parent == outputs.plot.folder]
    if plots:
        say(f"wrote {len(plots)} plot files into {outputs.plot.folder}/")
        say(f"plot estimate: {report.plot_estimate.describe()}")
    for path in report.files:
        if path not in notes and path not in plots:
            say(f"wrote {path}")
    if failed and not report.dry_run:
        for hint in _rerun_hint(report, outputs, source):
            say(hint)


def _rerun_hint(report, outputs, source: str) -> list[str]:  # noqa: ANN001
    """How to write the failed rows once fixed: into NEW files, so this run's cards are kept
    (the same -o with --force would replace the whole batch with the few fixed cards)."""
    from notes.preflight import RowSelection

    failed = report.failed
    lines = []
    if len(failed) > HINT_ROWS:
        lines.append(
            f"{len(failed)} rows failed: the manifest {report.manifest} lists each with its reason"
            " (in a spreadsheet, filter its 'status' column for 'failed')"
        )
    spec = RowSelection.of(row.row for row in failed).spec()
    rows = spec if len(spec) <= HINT_SPEC_CHARS else "ROWS"
    where = "the input" if source == "-" else _shell(Path(source))
    options = " ".join(f"{option} {_shell(path)}" for option, path in _rerun_targets(outputs))
    lines.append(
        f"fix those rows in {where}, then write just them to new files, keeping this run's:"
        f" the same command with --rows {rows} {options} in place of its output options"
    )
    if rows == "ROWS":
        lines.append("  ROWS: the 'row' numbers of the failed rows in the manifest, e.g. 3,7-9")
    return lines


def _rerun_targets(outputs) -> list[tuple[str, Path]]:  # noqa: ANN001 - notes.merge.Outputs
    """The run's output options, renamed cards.pdf -> cards-fixes.pdf (-2, -3... if taken)."""
    from dataclasses import replace

    from notes.targets import manifest_targets

    given = {"cards": "-o", "per_note": "--per-note", "envelopes": "--envelopes",
             "manifest": "--manifest"}  # fmt: skip
    number = 1
    while True:
        tail = "-fixes" if number == 1 else f"-fixes-{number}"
        renamed = {
            name: path.with_name(f"{path.stem}{tail}{path.suffix}")
            for name in given
            if (path := getattr(outputs, name)) is not None
        }
        fresh = replace(outputs, **renamed)
        if not any(p.exists() for p in [*renamed.values(), *manifest_targets(fresh)]):
            return [(given[name], path) for name, path in renamed.items()]
        number += 1


def _shell(path: Path) -> str:
    """A path as it can be pasted into a shell: quoted when it holds spaces or the like."""
    text = str(path)
    return text if re.fullmatch(r"[\w./\\:+-]+", text) else f'"{text}"'
