"""What every command prints and how it stops: safe output, user errors without a traceback,
and Ctrl-C during a run that has temporary files to remove."""

from __future__ import annotations

from contextlib import contextmanager

import typer


@contextmanager
def user_errors():
    """Turn a NotesError into a message and an exit code: no traceback for a user's mistake."""
    from notes.errors import NotesError  # here, as the library is: `import notes.cli` stays light

    try:
        yield
    except NotesError as exc:
        warn(f"error: {exc}")  # messages quote customer data: printed safely
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        typer.echo("interrupted: nothing was written under the final name", err=True)
        raise typer.Exit(130) from None


@contextmanager
def stop_once_on_ctrl_c():
    """The first Ctrl-C stops the run; later ones are ignored while it removes its temporary
    files and says how far it got: a second KeyboardInterrupt in the middle of that clean-up
    would leave the files behind and print a traceback. The command ends after a stop, so
    Ctrl-C stays ignored until it exits."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers belong to the main thread
        return
    stopping = False

    def on_ctrl_c(signum, frame) -> None:  # noqa: ANN001
        nonlocal stopping
        if stopping:
            return
        stopping = True
        typer.echo("stopping: removing the temporary files...", err=True)
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, on_ctrl_c)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN if stopping else previous)


def counted(count: int, word: str) -> str:
    """ "1 customer", "2 customers": an English count in a summary line (words with a plain -s)."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def say(message: str) -> None:
    """Print to stdout. Customer data is in most messages, so controls and bidi overrides in it
    are shown as visible escapes, never sent to the terminal (notes.safetext.printable)."""
    from notes.safetext import printable

    typer.echo(printable(message, keep="\n\t"))


def warn(message: str) -> None:
    """Print to stderr, as safely as `say`."""
    from notes.safetext import printable

    typer.echo(printable(message, keep="\n\t"), err=True)


class Redraws:
    """When a progress bar drawn from its updates (no refresh thread: a process with one thread
    forks its pool's workers) is drawn again: at most every `every` seconds, and whenever `must`."""

    def __init__(self, every: float = 0.1):
        self.every, self.last = every, float("-inf")

    def due(self, must: bool = False) -> bool:
        import time

        now = time.monotonic()
        if must or now - self.last >= self.every:
            self.last = now
            return True
        return False
