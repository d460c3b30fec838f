"""`notes demo`: a realistic sales day with fake customers, run through `notes day`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from notes.cli.console import say, user_errors
from notes.cli.options import SeedOpt
from notes.cli.presets import ShopFormatHelp

commands = typer.Typer()


@commands.command(cls=ShopFormatHelp)  # --preset help from the shop-format registry
def demo(
    preset: Annotated[
        str, typer.Option("--preset", help="The shop format whose export the demo writes.")
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
        if report.result.codes:
            say(f"codes:     {report.result.codes} (made-up discount codes on the cards)")
        for png in report.previews:
            say(f"preview:   {png}")
        say(f"next: notes day {report.export} --ledger {report.ledger} --explain --dry-run")
