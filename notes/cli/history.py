"""`notes history`: the notes that were written, from the ledger."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from notes.cli.console import say, user_errors
from notes.cli.options import LedgerOpt, parse_date

commands = typer.Typer()


@commands.command()
def history(
    customer: Annotated[
        str | None,
        typer.Option("--customer", help="Part of a name, an email, or the shop's customer id."),
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
                since=parse_date(since, "--since"),
                until=parse_date(until, "--until"),
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
