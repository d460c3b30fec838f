"""Serving the review page with uvicorn on 127.0.0.1, on a free port, until Ctrl-C."""

from __future__ import annotations

import secrets
import socket
from collections.abc import Callable
from pathlib import Path

from notes.config import Config
from notes.errors import NotesError, PrintError
from notes.review.session import ReviewSession


def serve(
    folder: Path,
    *,
    config: Config,
    port: int = 0,
    ledger: Path | None = None,
    on_ready: Callable[[str], None] = lambda url: None,
) -> ReviewSession:
    """Serve the review of `folder`'s latest run; returns when the server is stopped (Ctrl-C)."""
    try:
        import uvicorn

        from notes.review.web import review_app
    except ImportError as exc:
        raise NotesError(
            f"the review page needs the review extra ({exc.name} is not installed)",
            hint="pip install 'notes[review]'",
        ) from None
    session = ReviewSession.open(folder, ledger=ledger)
    listener = _listen(port)
    port = listener.getsockname()[1]
    token = secrets.token_urlsafe(24)
    app = review_app(
        session, token=token, port=port, printers=_printer_names,
        print_written=lambda written, printer: _print(written, printer, config),
    )  # fmt: skip
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    on_ready(f"http://127.0.0.1:{port}/{token}/")
    try:
        server.run(sockets=[listener])
    except KeyboardInterrupt:
        pass  # uvicorn stops cleanly on Ctrl-C, then raises it again: stopping is the plan
    finally:
        listener.close()
    return session


def _listen(port: int) -> socket.socket:
    """Listening before the URL is given out: a browser that is quick is queued, not refused."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listener.bind(("127.0.0.1", port))
    except OSError as exc:
        listener.close()
        raise NotesError(
            f"cannot listen on 127.0.0.1 port {port}: {exc.strerror}",
            hint="leave out --port to take a free one",
        ) from None
    listener.listen(64)
    return listener


def _printer_names() -> list[str]:
    from notes.printing import list_printers

    try:
        return [p.name for p in list_printers()]
    except PrintError:
        return []  # no CUPS here: the page says how to print the PDFs instead


def _print(written, printer_name: str, config: Config) -> None:  # noqa: ANN001 - Written
    """The written cards, then their envelopes, on `printer_name`, its offset corrected."""
    from notes.printing import PrintOptions, find_printer, print_pdf

    printer = find_printer(printer_name)
    measured = config.printers.get(printer.name)
    offset = (measured.offset_x_mm, measured.offset_y_mm) if measured else (0.0, 0.0)
    for path in (written.cards, written.envelopes):
        if path is not None:
            written.jobs.append(print_pdf(path, printer, PrintOptions(offset_mm=offset)))
