"""Pen-plotter files from pen pages: travel optimised by vpype, then SVG, HPGL or G-code.

vpype (the `plot` extra) merges strokes that meet, orders them so the pen travels less with
its tip up, and simplifies them; its HPGL writer knows the real plotters' paper and units.
SVG (millimetres, one Inkscape layer per card: what AxiDraw's axicli plots) and G-code (pen up
and down from the device profile, which vpype's G-code plug-in leaves out) are written here from
the same optimised lines, so every format and the preview draw exactly the same strokes.
Coordinates here are millimetres from the card's top-left corner, y down, as on paper.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from notes.drawing import Stroke
from notes.errors import OutputError, UsageError
from notes.plotdevices import PlotSettings, plot_format, points_to_mm
from notes.strokehand import PenPage
from notes.svgpath import Polyline

MERGE_TOLERANCE = 0.2  # mm, half a pen line: stroke ends this close are drawn as one stroke
SIMPLIFY_TOLERANCE = 0.015  # mm: points a pen could not show are dropped
VPYPE_PX = 96 / 25.4  # vpype's unit (the CSS pixel) per mm


@dataclass(frozen=True)
class PlotEstimate:
    """How long the pen works: strokes, distances in mm, and the time in seconds."""

    strokes: int = 0
    pen_down: float = 0.0
    pen_up: float = 0.0
    seconds: float = 0.0

    def __add__(self, other: PlotEstimate) -> PlotEstimate:
        return PlotEstimate(
            self.strokes + other.strokes,
            self.pen_down + other.pen_down,
            self.pen_up + other.pen_up,
            self.seconds + other.seconds,
        )

    def describe(self) -> str:
        minutes, seconds = divmod(round(self.seconds), 60)
        return (
            f"{self.strokes} strokes, {self.pen_down / 1000:.2f} m pen down, "
            f"{self.pen_up / 1000:.2f} m pen up, about {minutes} min {seconds:02d} s"
        )


@dataclass(frozen=True)
class Plot:
    """One page ready for the pen: its size and the strokes in drawing order, in mm."""

    label: str
    width: float
    height: float
    lines: tuple[Polyline, ...]

    def estimate(self, settings: PlotSettings) -> PlotEstimate:
        down, up = travel(self.lines)
        lifts = len(self.lines)
        seconds = (
            down / settings.draw_speed
            + up / settings.travel_speed
            + 2 * lifts * settings.pen_lift_time
        )
        return PlotEstimate(lifts, down, up, seconds)


def require_vpype():
    """vpype and its pipeline, or a UsageError saying how to install them."""
    try:
        import vpype
        import vpype_cli
    except ImportError:
        raise UsageError(
            "pen-plotter output needs vpype, which is not installed",
            hint="install the plot extra: pip install 'notes[plot]' (in a clone: "
            ".venv/bin/pip install -e '.[plot]')",
        ) from None
    return vpype, vpype_cli


def page_lines(pen_page: PenPage) -> list[Polyline]:
    """The page's strokes in writing order, in mm from the top-left corner, y down.

    A writer of the drawing model (notes.drawing), as notes/pdf is: it draws Stroke items only,
    since a pen cannot fill a shape or place a picture (the planning made none).
    """
    height = pen_page.page.height
    lines: list[list[tuple[float, float]]] = []
    for item in pen_page.page.items:
        if not isinstance(item, Stroke):
            continue
        for op in item.path:
            x, y = op.points[-2:]
            point = (points_to_mm(x), points_to_mm(height - y))
            if op.op == "M":
                lines.append([point])
            elif op.op in ("L", "C") and lines:  # a curve's end: plot paths have none
                lines[-1].append(point)
    return [tuple(line) for line in lines if len(line) >= 2]


def optimise(lines: Iterable[Polyline], width: float, height: float) -> tuple[Polyline, ...]:
    """Kept inside the page, strokes that meet merged, sorted for short pen-up travel, simplified."""
    vp, vpype_cli = require_vpype()
    import numpy as np

    collection = vp.LineCollection(
        [np.array([complex(x, y) for x, y in line]) for line in lines if len(line) >= 2]
    )
    collection.crop(0.0, 0.0, width, height)  # the pen never leaves the card
    document = vp.Document()
    if len(collection):
        document.add(collection, 1)
    pipeline = (
        f"linemerge --tolerance {MERGE_TOLERANCE} linesort --two-opt "
        f"linesimplify --tolerance {SIMPLIFY_TOLERANCE}"
    )
    document = vpype_cli.execute(pipeline, document)
    if not document.layers:
        return ()
    return tuple(
        tuple((round(float(p.real), 3), round(float(p.imag), 3)) for p in line)
        for line in document.layers[1]
        if len(line) >= 2
    )


def make_plot(pen_page: PenPage) -> Plot:
    width, height = points_to_mm(pen_page.page.width), points_to_mm(pen_page.page.height)
    return Plot(pen_page.label, width, height, optimise(page_lines(pen_page), width, height))


def travel(lines: Iterable[Polyline]) -> tuple[float, float]:
    """(pen-down, pen-up) distance in mm, starting and ending at the card's corner (0, 0)."""
    down = up = 0.0
    here = (0.0, 0.0)
    for line in lines:
        up += math.dist(here, line[0])
        down += sum(math.dist(a, b) for a, b in zip(line, line[1:], strict=False))
        here = line[-1]
    return down, up + math.dist(here, (0.0, 0.0))


def render(plot: Plot, fmt: str, settings: PlotSettings, *, layer: str = "1 card") -> str:
    """The plot file's text in `fmt` (svg, hpgl or gcode)."""
    if fmt == "svg":
        return render_svg(plot, settings, layer=layer)
    if fmt == "hpgl":
        return render_hpgl(plot, settings)
    return render_gcode(plot, settings)


def _n(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def render_svg(plot: Plot, settings: PlotSettings, *, layer: str = "1 card") -> str:
    """Stroked paths only, in millimetres, in one Inkscape layer (axicli plots layers by name)."""
    page_w, page_h = settings.paper_size((plot.width, plot.height))
    dx, dy = settings.offset if settings.paper != "card" else (0.0, 0.0)
    if plot.width + dx > page_w + 1e-6 or plot.height + dy > page_h + 1e-6:
        raise OutputError(
            f"the card ({plot.width:.0f} x {plot.height:.0f} mm) at offset {dx:g}, {dy:g} mm "
            f"does not fit the {settings.paper} paper",
            hint="change [plotter] offset_x/offset_y or paper in notes.toml",
        )
    r, g, b = (round(c * 255) for c in settings.ink)
    paths = "\n".join(
        '    <path d="M' + " L".join(f"{_n(x + dx)} {_n(y + dy)}" for x, y in line) + '"/>'
        for line in plot.lines
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" '
        'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
        f'width="{_n(page_w)}mm" height="{_n(page_h)}mm" viewBox="0 0 {_n(page_w)} {_n(page_h)}">\n'
        f'  <g id="layer1" inkscape:groupmode="layer" inkscape:label="{layer}" fill="none" '
        f'stroke="#{r:02x}{g:02x}{b:02x}" stroke-width="{_n(settings.pen_width)}" '
        'stroke-linecap="round" stroke-linejoin="round">\n'
        f"{paths}\n  </g>\n</svg>\n"
    )


def render_gcode(plot: Plot, settings: PlotSettings) -> str:
    """G-code in mm, absolute: travel with the pen up (G0), draw with it down (G1 at draw feed)."""
    ox, oy = settings.offset
    flip = settings.origin == "bottom-left"  # the machine's y runs up from the card's bottom

    def xy(point: tuple[float, float]) -> str:
        x, y = point
        return f"X{x + ox:.3f} Y{(plot.height - y if flip else y) + oy:.3f}"

    feed = round(settings.draw_speed * 60)
    out = [
        f"; notes: {plot.label}, {plot.width:.1f} x {plot.height:.1f} mm, {len(plot.lines)} strokes",
        f"; device {settings.device}; origin {settings.origin}",
        "G21 ; millimetres",
        "G90 ; absolute coordinates",
        *settings.pen_up,
    ]
    for line in plot.lines:
        out.append(f"G0 {xy(line[0])}")  # rapid: the machine's own travel speed
        out += settings.pen_down
        # The feed is modal; set again after every pen-down, which may have set its own (Z).
        out.append(f"G1 {xy(line[1])} F{feed}")
        out += [f"G1 {xy(point)}" for point in line[2:]]
        out += settings.pen_up
    out += [f"G0 {xy((0.0, plot.height if flip else 0.0))}", "M2"]
    return "\n".join(out) + "\n"


def render_hpgl(plot: Plot, settings: PlotSettings) -> str:
    """HPGL by vpype for the configured plotter, the card at the offset on its paper (a4 if the
    SVG page is the card)."""
    vp, _ = require_vpype()
    import numpy as np

    paper = settings.paper if settings.paper != "card" else "a4"
    ox, oy = settings.offset
    document = vp.Document()
    document.add(
        vp.LineCollection(
            [np.array([complex(x + ox, y + oy) for x, y in line]) * VPYPE_PX for line in plot.lines]
        ),
        1,
    )
    out = io.StringIO()
    try:
        vp.write_hpgl(
            out,
            document,
            page_size=paper,
            landscape=False,
            center=False,
            device=settings.hpgl_device,
            velocity=None,
            absolute=True,
            quiet=True,
        )
    except ValueError as exc:
        raise OutputError(
            f"vpype cannot write HPGL for {settings.hpgl_device!r} on {paper!r}: {exc}",
            hint="set [plotter] hpgl_device (e.g. hp7475a) and paper (a4, a3, letter) in notes.toml",
        ) from None
    return out.getvalue()


def write_plot(
    plot: Plot, path: Path, settings: PlotSettings, *, force: bool, layer: str = "1 card"
) -> None:
    """Write the plot file in the format its name asks for, atomically."""
    from notes.files import atomic_path

    fmt = plot_format(path) or settings.format
    text = render(plot, fmt, settings, layer=layer)
    with atomic_path(path, force=force, example=f"card.{fmt}") as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
