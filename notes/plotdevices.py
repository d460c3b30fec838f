"""Pen-plotter device profiles and settings, resolved once from notes.toml [plotter].

A G-code profile says how the machine lifts and lowers its pen; GRBL has no pen, so pen plotters
built on it either drive a servo from the spindle PWM (M3 S.. / M5) or move the pen on the Z
axis. Speeds give the G-code feed rates and the time estimate. Everything is plain data.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from notes.cards import MM
from notes.errors import ConfigError

# name -> (pen up, pen down, what it is). Each command sequence is a list of G-code lines.
GCODE_PROFILES: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {
    "grbl-servo": (("M5", "G4 P0.15"), ("M3 S1000", "G4 P0.15"), "servo pen on the spindle PWM"),
    "grbl-z": (("G0 Z3",), ("G1 Z0 F600",), "pen on the Z axis, touching the paper at Z0"),
}
FORMATS = ("svg", "hpgl", "gcode")
SUFFIXES = {".svg": "svg", ".hpgl": "hpgl", ".plt": "hpgl", ".gcode": "gcode", ".nc": "gcode"}
PAPERS = {"a4": (210.0, 297.0), "a3": (297.0, 420.0), "letter": (215.9, 279.4)}  # mm, portrait


@dataclass(frozen=True)
class PlotSettings:
    """How plot files are written and timed. Lengths in mm, speeds in mm/s."""

    format: str = "svg"  # for folders of plots (--plot DIR); a file's own suffix wins
    device: str = "grbl-servo"
    pen_up: tuple[str, ...] = GCODE_PROFILES["grbl-servo"][0]
    pen_down: tuple[str, ...] = GCODE_PROFILES["grbl-servo"][1]
    draw_speed: float = 25.0
    travel_speed: float = 75.0
    pen_lift_time: float = 0.15
    pen_width: float = 0.4
    origin: str = "bottom-left"
    offset: tuple[float, float] = (0.0, 0.0)
    paper: str = "card"
    hpgl_device: str = "hp7475a"
    ink: tuple[float, float, float] = (0.0, 0.06, 0.33)

    def paper_size(self, card_mm: tuple[float, float]) -> tuple[float, float]:
        """The SVG page: the card itself, or the named paper (turned to the card's orientation)."""
        if self.paper == "card":
            return card_mm
        short, long = PAPERS[self.paper]
        return (long, short) if card_mm[0] > card_mm[1] else (short, long)


def plot_settings(
    plotter,  # noqa: ANN001 - notes.config.Plotter
    ink: tuple[float, float, float],
    source: Path | None = None,
) -> PlotSettings:
    """From notes.toml [plotter] (read from `source`); ConfigError naming the key when wrong."""
    where = f"{source or 'notes.toml'} [plotter]"
    if plotter.device not in GCODE_PROFILES:
        raise ConfigError(
            f"unknown plotter device {plotter.device!r}",
            where=where,
            hint=f"device is one of {', '.join(GCODE_PROFILES)}",
        )
    if plotter.format not in FORMATS:
        raise ConfigError(
            f"unknown plot format {plotter.format!r}",
            where=where,
            hint="format is svg, hpgl or gcode",
        )
    if plotter.origin not in ("bottom-left", "top-left"):
        raise ConfigError(
            f"unknown origin {plotter.origin!r}",
            where=where,
            hint="origin is bottom-left or top-left",
        )
    if plotter.paper != "card" and plotter.paper not in PAPERS:
        raise ConfigError(
            f"unknown paper {plotter.paper!r}", where=where, hint="paper is card, a4, a3 or letter"
        )
    for key in ("draw_speed", "travel_speed", "pen_width"):
        if getattr(plotter, key) <= 0:
            raise ConfigError(f"{key} must be more than 0", where=where)
    up, down, _ = GCODE_PROFILES[plotter.device]
    return PlotSettings(
        format=plotter.format,
        device=plotter.device,
        pen_up=_commands(plotter.pen_up) or up,
        pen_down=_commands(plotter.pen_down) or down,
        draw_speed=plotter.draw_speed,
        travel_speed=plotter.travel_speed,
        pen_lift_time=max(0.0, plotter.pen_lift_time),
        pen_width=plotter.pen_width,
        origin=plotter.origin,
        offset=(plotter.offset_x, plotter.offset_y),
        paper=plotter.paper,
        hpgl_device=plotter.hpgl_device,
        ink=ink,
    )


def _commands(text: str) -> tuple[str, ...]:
    """ "M3 S90\nG4 P0.2" -> the G-code lines (a `;` starts a G-code comment, so lines are split
    on line breaks only)."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def plot_format(path: Path) -> str | None:
    """'svg', 'hpgl' or 'gcode' for a plot file name, None for anything else (a PDF)."""
    return SUFFIXES.get(path.suffix.lower())


def points_to_mm(value: float) -> float:
    return value / MM
