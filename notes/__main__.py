"""`python -m notes`, and the `notes` command's entry point (pyproject.toml): the command line,
where a Ctrl-C that comes while it is still loading ends as quietly as one that comes later."""

import sys


def run() -> None:
    try:
        from notes.cli import main
    except KeyboardInterrupt:  # Ctrl-C in the first moments, while typer and the commands load
        sys.stderr.write("interrupted\n")
        raise SystemExit(130) from None
    main()


if __name__ == "__main__":
    run()
