"""Plot files for a batch (`notes merge ... --plot DIR`, `notes day ... --plot`).

Each written note gets a plot file for its card, and one for its envelope when the run writes
envelopes, named `<row>-<recipient>.card.svg` / `.envelope.svg`: in name order they are in the
manifest's order, which is the order `notes plot DIR` plots them. A row's pages are planned
with the row (a character no stroke font has fails that row, as any other row error), rendered
where the row is drawn (a worker process), and written into the folder beside their final names,
put in place only when the whole run succeeds, as the PDFs are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from notes.plot import PlotEstimate, make_plot, render, require_vpype
from notes.plotdevices import PlotSettings, plot_settings
from notes.render import Style
from notes.strokehand import PenHand, PenPage

EXTENSIONS = {"svg": ".svg", "hpgl": ".hpgl", "gcode": ".gcode"}


@dataclass(frozen=True)
class PlotJob:
    """What a batch's --plot writes, and where. Picklable, for worker processes."""

    folder: Path
    font: str
    settings: PlotSettings


def plot_job(folder: Path, config, ink: tuple[float, float, float]) -> PlotJob:  # noqa: ANN001
    """From a notes.config.Config's [plotter]; a UsageError first if the plot extra is missing."""
    require_vpype()
    return PlotJob(folder, config.plotter.font, plot_settings(config.plotter, ink, config.path))


@dataclass(frozen=True)
class PlotFile:
    kind: str  # card | envelope
    text: str  # the file's contents
    estimate: PlotEstimate


class NotePlotter:
    """One row's card (and envelope) as pen pages, then as plot files."""

    def __init__(self, style: Style, job: PlotJob):
        self.job = job
        self.hand = PenHand(style, job.font)

    def pages(
        self, text: str, *, key: str, envelope: tuple[list[str], list[str], str] | None
    ) -> tuple[PenPage, ...]:
        pages = [self.hand.card(text, key=key)]
        if envelope is not None:
            address, sender, size = envelope
            pages.append(self.hand.envelope(address, sender, size, key=key))
        return tuple(pages)

    def files(self, pages: tuple[PenPage, ...]) -> tuple[PlotFile, ...]:
        return render_pages(pages, self.job.settings)


def render_pages(pages: tuple[PenPage, ...], settings: PlotSettings) -> tuple[PlotFile, ...]:
    """Each page optimised and rendered in the settings' format, with its estimate."""
    out = []
    for page in pages:
        plot = make_plot(page)
        text = render(plot, settings.format, settings, layer=f"1 {page.label}")
        out.append(PlotFile(page.label, text, plot.estimate(settings)))
    return tuple(out)


@dataclass
class PlotFolder:
    """Plot files written beside their final names in the folder, placed when the run succeeds."""

    job: PlotJob
    pending: list[tuple[Path, Path]] = field(default_factory=list)  # (temporary, final)
    estimate: PlotEstimate = field(default_factory=PlotEstimate)
    used: set[str] = field(default_factory=set)

    def add(self, number: int, recipient: str, files: tuple[PlotFile, ...]) -> list[Path]:
        from notes.filenames import safe_stem, unique_stem
        from notes.files import reported_as, temp_beside

        stem = unique_stem(f"{number:05d}-{safe_stem(recipient, fallback='note')}", self.used)
        finals = []
        for plot_file in files:
            final = (
                self.job.folder / f"{stem}.{plot_file.kind}{EXTENSIONS[self.job.settings.format]}"
            )
            tmp = temp_beside(final)
            self.pending.append((tmp, final))
            with reported_as(final):
                tmp.write_text(plot_file.text, encoding="utf-8", newline="\n")
            self.estimate += plot_file.estimate
            finals.append(final)
        return finals

    def discard(self) -> None:
        for tmp, _ in self.pending:
            tmp.unlink(missing_ok=True)
