"""`python -m notes`, and the `notes` command's entry point (pyproject.toml): the command line,
where a Ctrl-C that comes while it is still loading ends as quietly as one that comes later."""

import gc
import sys

# Objects made before the collector runs: Python's 700 has it walk the ~200,000 objects of the
# modules being loaded some 80 times while `notes write` starts, ~10 ms of its ~280 for garbage
# that is not there. Cyclic garbage a long merge makes is still collected, every 50,000 objects.
FIRST_COLLECTION_AFTER = 50_000


def run() -> None:
    gc.set_threshold(FIRST_COLLECTION_AFTER, *gc.get_threshold()[1:])
    try:
        from notes.cli import main
    except KeyboardInterrupt:  # Ctrl-C in the first moments, while typer and the commands load
        sys.stderr.write("interrupted\n")
        raise SystemExit(130) from None
    main()


if __name__ == "__main__":
    run()
