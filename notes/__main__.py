"""`python -m notes`, and the `notes` command's entry point (pyproject.toml): the command line,
where a Ctrl-C that comes while it is still loading ends as quietly as one that comes later."""

import gc
import sys

# Objects made before the collector runs: Python's 700 has it walk the ~200,000 objects of the
# modules being loaded some 80 times while `notes write` starts, ~10 ms of its ~280 for garbage
# that is not there. Cyclic garbage a long merge makes is still collected, every 50,000 objects.
FIRST_COLLECTION_AFTER = 50_000
INTERRUPTED = 130  # the exit code of a run stopped by Ctrl-C (128 + SIGINT, as shells report it)


def run() -> None:
    gc.set_threshold(FIRST_COLLECTION_AFTER, *gc.get_threshold()[1:])
    try:
        from notes.cli import main
    except KeyboardInterrupt:  # Ctrl-C in the first moments, while typer and the commands load
        sys.stderr.write("interrupted\n")
        forget_ctrl_c_in_generated_code()
        raise SystemExit(INTERRUPTED) from None
    try:
        main()
    except SystemExit as stop:
        if stop.code == INTERRUPTED:
            forget_ctrl_c_in_generated_code()
        raise


def forget_ctrl_c_in_generated_code() -> None:
    """Let a Ctrl-C the run caught end it with exit code 130, always.

    CPython marks a KeyboardInterrupt that escaped code run from a string (the methods a
    dataclass or namedtuple generates, made when a module is first imported mid-run) as never
    handled, even once caught, and then ends `python -m notes` by SIGINT (exit -2) instead of 130:
    it happened when Ctrl-C came at the first card. Running any string clears that mark."""
    exec("pass")  # noqa: S102 - a constant string, run for the side effect above


if __name__ == "__main__":
    run()
