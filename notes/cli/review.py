"""`notes review`: a day's cards in the browser, to approve, hold back or change, then write or
print. Only typer and the standard library at the top: the web stack is imported when it runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from notes.cli.console import say, user_errors
from notes.cli.options import ConfigOpt

commands = typer.Typer()


@commands.command()
def review(
    folder: Annotated[
        Path,
        typer.Argument(metavar="DAY_FOLDER", help="A folder `notes day` or `notes demo` wrote."),
    ],
    port: Annotated[
        int,
        typer.Option("--port", min=0, max=65535, help="Port on 127.0.0.1 (default: a free one)."),
    ] = 0,
    browser: Annotated[
        bool, typer.Option("--browser/--no-browser", help="Open the page in your browser.")
    ] = True,
    ledger: Annotated[
        Path | None,
        typer.Option("--ledger", help="The run's ledger, if it was moved since `notes day`."),
    ] = None,
    config: ConfigOpt = None,
) -> None:
    """Look through a day's cards in your browser, each beside its envelope: approve, hold back,
    change the occasion, edit the message, try another hand; then write the PDFs or print them.

    The page is served on 127.0.0.1 only, with a secret address; stop it with Ctrl-C. Every
    decision is saved as you make it, so closing the page loses nothing: run the command again
    to go on.

    Example:

        notes review notes-demo/

        notes review notes-2026-11-21/ --no-browser
    """
    with user_errors():
        from notes.config import load_config
        from notes.review.server import serve

        settings = load_config(config)

        def ready(url: str) -> None:
            say(f"review page: {url}")
            say("stop it with Ctrl-C; your decisions are kept as you make them")
            if browser:
                import webbrowser

                webbrowser.open(url)

        session = serve(folder, config=settings, port=port, ledger=ledger, on_ready=ready)
        counts = {d: sum(c.decision == d for c in session.cards) for d in ("approved", "held")}
        say(f"stopped: {len(session.cards)} cards, {counts['approved']} approved, "
            f"{counts['held']} held back; run `notes review {folder}` to go on")  # fmt: skip
