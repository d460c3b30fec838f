"""Sending a folder of plot files to a pen plotter, one card at a time, resumable.

The files are plotted in name order, which is the manifest's order (`--plot DIR` numbers them).
Which files are done is kept in the folder (`.notes-plot.json`, written atomically after each
card), so a run paused between cards, or stopped by a jammed card, resumes at the next one.
AxiDraw's `axicli` (not on PyPI: installed from Evil Mad Scientist's software) plots an SVG.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

from notes.errors import DataError, OutputError, UsageError
from notes.plot import Plot

STATE_FILE = ".notes-plot.json"
KINDS = ("card", "envelope")


def plot_files(place: Path, *, only: str | None = None) -> list[Path]:
    """The SVG plot files of a folder (or the one file given) in order; `only` card/envelope."""
    if only is not None and only not in KINDS:
        raise UsageError(f"--only {only!r} is not a kind of plot", hint="use card or envelope")
    if place.is_file():
        return [place]
    if not place.is_dir():
        raise DataError(
            "no such folder of plot files",
            where=str(place),
            hint="write one with `notes merge ... --plot DIR` or `notes day ... --plot`",
        )
    files = sorted(p for p in place.iterdir() if p.suffix.lower() == ".svg" and p.is_file())
    if only is not None:
        files = [p for p in files if p.stem.endswith(f".{only}")]
    if not files:
        raise DataError(
            "no .svg plot files here" + (f" for {only}s" if only else ""),
            where=str(place),
            hint='AxiDraw plots SVG: write the folder with [plotter] format = "svg"',
        )
    return files


def _state_path(files: list[Path]) -> Path:
    return files[0].parent / STATE_FILE


def done_names(files: list[Path]) -> set[str]:
    path = _state_path(files)
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return set()
    except (OSError, ValueError) as exc:
        raise DataError(
            f"cannot read which cards are plotted: {exc}",
            where=str(path),
            hint="delete the file to start again from the first card (or use --restart)",
        ) from None
    return set(state.get("done", [])) if isinstance(state, dict) else set()


def pending(files: list[Path]) -> list[Path]:
    done = done_names(files)
    return [path for path in files if path.name not in done]


def mark_done(files: list[Path], path: Path) -> None:
    """Remember `path` as plotted, atomically, so a crash never forgets or invents a card."""
    from notes.files import atomic_path

    done = sorted(done_names(files) | {path.name})
    with atomic_path(_state_path(files), force=True) as tmp:
        tmp.write_text(json.dumps({"done": done}, indent=1) + "\n", encoding="utf-8")


def restart(files: list[Path]) -> None:
    _state_path(files).unlink(missing_ok=True)


def find_axicli() -> str | None:
    return shutil.which("axicli")


def send_to_axicli(axicli: str, path: Path, extra: list[str] | None = None) -> None:
    """Plot one SVG; OutputError when axicli fails (the card stays next in line)."""
    try:
        done = subprocess.run([axicli, str(path), *(extra or [])], check=False)
    except OSError as exc:
        raise OutputError(f"cannot run axicli: {exc}", hint="check the AxiDraw software") from None
    if done.returncode != 0:
        raise OutputError(
            f"axicli stopped with exit code {done.returncode} while plotting this card",
            where=str(path),
            hint="fix the plotter (paper, pen, USB), then run the same `notes plot` again: "
            "it starts with this card",
        )


_PATH = re.compile(r'<path d="([^"]*)"')
_SIZE = re.compile(r'width="([\d.]+)mm" height="([\d.]+)mm"')


def read_plot(path: Path) -> Plot:
    """A plot file written by notes (SVG, mm, paths of M/L), read back for its estimate."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"cannot read the plot file: {exc}", where=str(path)) from None
    size = _SIZE.search(text)
    if size is None:
        raise DataError(
            "not a plot file written by notes (no size in mm)",
            where=str(path),
            hint="write plot files with `notes write -o card.svg` or `--plot DIR`",
        )
    lines = []
    for data in _PATH.findall(text):
        numbers = [float(v) for v in re.findall(r"-?[\d.]+", data)]
        lines.append(tuple(zip(numbers[0::2], numbers[1::2], strict=False)))
    label = "envelope" if path.stem.endswith(".envelope") else "card"
    return Plot(label, float(size.group(1)), float(size.group(2)), tuple(lines))
