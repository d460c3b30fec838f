"""The pen-plotter commands: `notes write -o card.svg|.hpgl|.gcode`, and `notes plot DIR`."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Annotated

import typer

from notes.cli.console import say, user_errors, warn
from notes.cli.options import ConfigOpt

commands = typer.Typer()


def write_plotted(
    note_text: str,
    *,
    key: str,
    style,  # noqa: ANN001 - notes.render.Style
    settings,  # noqa: ANN001 - notes.config.Config
    target: Path,
    font: str | None,
    preview: Path | None,
    force: bool,
) -> None:
    """One card as a plot file (the format from the file name), its estimate and preview."""
    from notes.plot import make_plot, plot_format, require_vpype, write_plot
    from notes.plotdevices import plot_settings
    from notes.strokehand import PenHand

    require_vpype()  # before anything is planned: say what to install first
    hand = PenHand(style, font or settings.plotter.font)
    plot_setup = plot_settings(settings.plotter, hand.renderer.ink, settings.path)
    plot = make_plot(hand.card(note_text, key=key))
    write_plot(plot, target, plot_setup, force=force)
    say(
        f"wrote {target} ({plot_format(target)} for a pen plotter, {style.card.name}, "
        f"{hand.font_id})"
    )
    if style.signature:
        warn("note: the signature image is not plotted (a pen draws lines, not pictures)")
    say(f"estimate: {plot.estimate(plot_setup).describe()}")
    if preview:
        from notes.plotpreview import write_preview

        write_preview(
            plot, preview, pen_width=plot_setup.pen_width, ink=plot_setup.ink, force=force
        )
        say(f"preview {preview}")


@commands.command()
def plot(
    folder: Annotated[Path, typer.Argument(help="Folder of plot files (or one .svg file).")],
    device: Annotated[
        str, typer.Option("--device", help="The plotter: axidraw (sent with axicli).")
    ] = "axidraw",
    only: Annotated[
        str | None, typer.Option("--only", help="Plot only the cards, or only the envelopes.")
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Do not wait for Enter between cards.")
    ] = False,
    estimate_only: Annotated[
        bool, typer.Option("--estimate", help="Print the time each card takes; plot nothing.")
    ] = False,
    restart: Annotated[
        bool, typer.Option("--restart", help="Forget which cards are plotted; start again.")
    ] = False,
    config: ConfigOpt = None,
) -> None:
    """Send plot files to a pen plotter, one card at a time: pause between cards, resume later.

    The folder remembers which cards are plotted; at each card press Enter to plot it, or p
    to pause (run the same command again to resume). Without axicli installed it prints the
    commands to run.

    Example:

        notes merge examples/customers.csv -t thank-you -o cards.pdf --plot plots/

        notes plot plots/ --estimate

        notes plot plots/ --device axidraw
    """
    with user_errors():
        from notes.config import load_config
        from notes.errors import UsageError
        from notes.plotdevices import plot_settings
        from notes.plotrun import find_axicli, pending, plot_files, read_plot
        from notes.plotrun import restart as forget

        if device != "axidraw":
            raise UsageError(
                f"unknown device {device!r}",
                hint="notes plot sends SVG to an AxiDraw (--device axidraw); send .gcode and "
                ".hpgl files with your plotter's own program",
            )
        files = plot_files(folder, only=only)
        if restart:
            forget(files)
        todo = pending(files)
        if not todo:
            say(f"all {len(files)} plot files in {folder} are plotted; --restart plots them again")
            return
        settings = load_config(config)
        timing = plot_settings(settings.plotter, (0.0, 0.0, 0.0), settings.path)
        total = None
        for path in todo:
            estimate = read_plot(path).estimate(timing)
            total = estimate if total is None else total + estimate
            if estimate_only:
                say(f"{path.name}: {estimate.describe()}")
        say(f"{len(todo)} of {len(files)} to plot: {total.describe()}")
        if estimate_only:
            return
        axicli = find_axicli()
        if axicli is None:
            say("axicli (the AxiDraw command line) is not installed; plot them with:")
            for path in todo:
                say(f"  axicli {shlex.quote(str(path))}")
            return
        _plot_in_turn(files, todo, axicli, wait=not yes)


def _plot_in_turn(files: list[Path], todo: list[Path], axicli: str, *, wait: bool) -> None:
    from notes.plotrun import mark_done, send_to_axicli

    done_before = len(files) - len(todo)
    for number, path in enumerate(todo, done_before + 1):
        say(f"[{number}/{len(files)}] {path.name}")
        if wait and _pause_asked():
            say(f"paused: next is {path.name}; run the same command to resume")
            return
        send_to_axicli(axicli, path)
        mark_done(files, path)
    say(f"done: {len(files)} of {len(files)} plotted")


def _pause_asked() -> bool:
    """Ask at the keyboard; end of input (no terminal) counts as a pause, never as a go."""
    try:
        answer = typer.prompt(
            "  load it, then Enter to plot (p + Enter to pause)", default="", show_default=False
        )
    except typer.Abort:
        return True
    return answer.strip().lower() in ("p", "pause", "q", "quit")
