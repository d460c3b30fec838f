"""A printer's offset: an alignment page to measure it, notes.toml to keep it, and applying it.

Printers seldom put a page exactly where the PDF says: a few millimetres off is common, and on a
card that shows. The alignment page has a line 20 mm from each edge; the shop measures where the
left and bottom lines landed, and every later job to that printer is shifted back by the
difference.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

from notes.cards import MM, Card
from notes.drawing import Stroke, segments
from notes.errors import ConfigError, PrintError, UsageError

GUIDE_MM = 20.0  # each line's distance from its edge, as drawn
MOST_MM = 15.0  # an offset larger than this is a measuring mistake, not a printer's
_BLACK = (0.0, 0.0, 0.0)


def alignment_lines(card: Card) -> tuple[Stroke, ...]:
    """A line GUIDE_MM from each edge, across the whole page: thick ones left and bottom (to
    measure), thin ones right and top (a stretched or skewed print shows against them)."""
    d, w, h = GUIDE_MM * MM, card.width, card.height
    measured = Stroke(segments([(d, 0, d, h), (0, d, w, d)]), 0.4, _BLACK)
    others = Stroke(segments([(w - d, 0, w - d, h), (0, h - d, w, h - d)]), 0.2, _BLACK)
    return (measured, others)


def alignment_text(printer: str) -> str:
    return (
        f"Alignment page for {printer}.\n"
        f"Measure from the left edge of the paper to the thick upright line, and from the "
        f"bottom edge to the thick level line. Both should be {GUIDE_MM:g} mm.\n"
        f"Then run: notes print --calibrate --printer {printer} --measured LEFT,BOTTOM"
    )


def write_alignment_page(path: Path, card: Card, printer: str) -> None:
    """A one-page PDF the size of `card`: the lines, and what to do with them, in a plain hand."""
    from notes.render import Renderer, Style, write_cards

    renderer = Renderer(Style(card=card, realism="plain", messiness=0.0, ink="black"))
    inset = (GUIDE_MM + 4) * MM
    renderer.box = (inset, inset, card.width - 2 * inset, card.height - 2 * inset)
    plan = renderer.plan(alignment_text(printer), key="alignment")
    write_cards([replace(plan, extras=alignment_lines(card))], path, force=True)


def parse_measured(text: str) -> tuple[float, float]:
    """'21.5,19' (mm from the left and bottom edges to the lines) -> the printer's offset."""
    try:
        left, bottom = (float(part.strip().removesuffix("mm")) for part in text.split(","))
    except ValueError:
        raise UsageError(
            f"--measured {text!r} is not two numbers",
            hint="give the millimetres from the left and the bottom edge, e.g. --measured 21.5,19",
        ) from None
    offset = (round(left - GUIDE_MM, 2), round(bottom - GUIDE_MM, 2))
    if any(abs(v) > MOST_MM for v in offset):
        raise UsageError(
            f"--measured {text!r} puts the lines more than {MOST_MM:g} mm from {GUIDE_MM:g} mm",
            hint="measure from the edge of the paper to the thick lines of the alignment page",
        )
    return offset


def store_offset(config_path: Path, printer: str, offset: tuple[float, float]) -> None:
    """Write [printers.NAME] offset_x_mm / offset_y_mm into notes.toml, keeping everything else
    (comments included); the file is replaced atomically."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    from notes.files import atomic_path

    try:
        text = config_path.read_text(encoding="utf-8-sig") if config_path.exists() else ""
        document = tomlkit.parse(text)
    except (OSError, UnicodeDecodeError, TOMLKitError) as exc:
        raise ConfigError(
            f"cannot read it to store the offset: {exc}", where=str(config_path),
            hint="fix the file (or pass --config PATH), then run the same command again",
        ) from None  # fmt: skip
    printers = document.setdefault("printers", tomlkit.table(is_super_table=True))
    if not isinstance(printers, dict):
        raise ConfigError(
            "printers must be a table of printers", where=str(config_path),
            hint="write each printer as [printers.NAME]",
        )  # fmt: skip
    entry = printers.setdefault(printer, tomlkit.table())
    entry["offset_x_mm"] = offset[0]
    entry["offset_y_mm"] = offset[1]
    with atomic_path(config_path, force=True, example="notes.toml") as tmp:
        tmp.write_text(tomlkit.dumps(document), encoding="utf-8")


def shifted_copy(pdf: Path, offset_mm: tuple[float, float]) -> Path:
    """A temporary copy of `pdf` with every page moved against the printer's offset.

    The caller removes it once the job is sent.
    """
    from pypdf import PdfWriter, Transformation

    dx, dy = (-v * MM for v in offset_mm)
    try:
        writer = PdfWriter(clone_from=pdf)
        for page in writer.pages:
            page.add_transformation(Transformation().translate(dx, dy))
        handle = tempfile.NamedTemporaryFile(prefix="notes-print-", suffix=".pdf", delete=False)
        with handle:
            writer.write(handle)
    except OSError as exc:
        raise PrintError(f"cannot prepare the shifted copy: {exc}", where=str(pdf)) from None
    return Path(handle.name)
