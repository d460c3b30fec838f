"""`notes ledger import` (customers exports: who has ordered before) and `notes forget EMAIL`.

Only typer and the standard library at the top: the library is imported inside the commands.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from notes.cli.console import counted, say, user_errors
from notes.cli.day import WaitOpt
from notes.cli.options import LedgerOpt, parse_date

SHOWN = 20

commands = typer.Typer()
ledger_app = typer.Typer(
    help="What the ledger knows about your customers.\n\nExample:\n\n"
    "    notes ledger import customers_export.csv",
    no_args_is_help=True,
)


@ledger_app.command("import")
def ledger_import(
    export: Annotated[Path, typer.Argument(help="A customers export from your shop.")],
    preset: Annotated[
        str,
        typer.Option(
            "--preset", help="auto (from the header row), shopify, square, woocommerce, generic."
        ),  # fmt: skip
    ] = "auto",
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="The day the export was made, YYYY-MM-DD (default: today)."),
    ] = None,
    ledger: LedgerOpt = None,
    wait: WaitOpt = 30.0,
) -> None:
    """Import a customers export (order counts, first order) so returning customers are known.

    Shopify (Customers > Export), Square (Customers > Export customers), WooCommerce
    (Customers > Download) or a plain CSV with an e-mail and an order count column. Without
    one, `notes day` knows only the orders it has seen, and cannot tell a first order: those
    customers get a thank-you card rather than a welcome.

    Example:

        notes ledger import customers_export.csv --as-of 2026-11-20
    """
    with user_errors():
        from notes.customers import read_customers
        from notes.ledger import Ledger, default_ledger_path
        from notes.ledgerfile import ledger_lock
        from notes.ledgerpeople import import_customers

        read = read_customers(export, preset=preset)
        day = parse_date(as_of, "--as-of") or dt.date.today()
        path = ledger or default_ledger_path()
        with ledger_lock(path, wait=wait), Ledger(path, timeout=wait) as book:
            count = import_customers(book, read, as_of=day)
        before = sum(c.orders > 0 for c in read.customers)
        say(
            f"imported {counted(count, 'customer')} from {read.source} ({read.preset}), as of {day}"
        )
        say(f"  {before} have ordered, {count - before} have not yet")
        for problem in read.problems[:SHOWN]:
            say(f"problem: {problem.where}: {problem.reason}")
        if len(read.problems) > SHOWN:
            say(f"... and {len(read.problems) - SHOWN} more problems")


@commands.command()
def forget(
    email: Annotated[str, typer.Argument(help="The customer's e-mail.")],
    ledger: LedgerOpt = None,
    wait: WaitOpt = 30.0,
) -> None:
    """Remove a customer from the ledger (a privacy request), and say what was removed.

    Their customer record, orders, notes and imported order count go; the discount codes they
    were given stay listed as used, without them, so no code is ever handed out twice. Cards
    already written stay in their PDFs: the list says where.

    Example:

        notes forget ana@example.com
    """
    with user_errors():
        from notes.ledger import Ledger, default_ledger_path
        from notes.ledgerfile import ledger_lock
        from notes.ledgerpeople import forget as forget_customer

        path = ledger or default_ledger_path()
        if not path.exists():
            say(f"nothing to forget: the ledger {path} does not exist")
            return
        with ledger_lock(path, wait=wait), Ledger(path, timeout=wait) as book:
            gone = forget_customer(book, email)
        if not gone.anything:
            say(f"the ledger holds nothing about {gone.email}: nothing removed")
            return
        say(f"removed {gone.email} from {path}:")
        for count, what in ((gone.customers, "customer record"), (gone.orders, "order"),
                            (len(gone.notes), "note"), (gone.imported, "imported order count")):  # fmt: skip
            if count:
                say(f"  {count} {what}{'s' if count != 1 else ''}")
        for day, file, page in gone.notes[:SHOWN]:
            say(f"  note of {day}: {file} page {page} (the card is still in that PDF)")
        say("to stop future cards too, add the e-mail to the do-not-contact list "
            "([privacy] do_not_contact in notes.toml)")  # fmt: skip


commands.add_typer(ledger_app, name="ledger")
