"""What `learn` shows the owner: an atlas of every sample as extracted, the boxes it could not
use (with their character), the traced signature, and a card written in the learned hand."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from notes.hand.charset import describe, label
from notes.hand.learn import Sample
from notes.hand.photo import PX_PER_MM
from notes.hand.sheet import COLUMNS, Sheet

CELL = (64, 100)  # width, height of one sample in the atlas, in pixels
INK_RGB = (20, 35, 110)
PROBLEM_RGB = (200, 30, 30)
SIGNATURE_INK = "#000f55"  # the cards' blue-black


def atlas_png(samples: list[Sample]) -> bytes:
    """Every box's ink as extracted, at the flat sheet's scale, in the sheet's order; boxes
    that were not used framed in red with the reason under them."""
    from PIL import Image, ImageDraw

    from notes.fonts import load_catalog

    rows = -(-len(samples) // COLUMNS)
    width, height = CELL[0] * COLUMNS + 16, CELL[1] * rows + 16
    atlas = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(atlas)
    label_font = _font(load_catalog()["playpen-sans"].path, 12)
    tallest = max((max(s.ink.shape) for s in samples if s.ink.size), default=1)
    scale = min(1.0, (CELL[1] - 26) / tallest)  # one scale for all: sizes stay comparable
    for index, sample in enumerate(samples):
        row, column = divmod(index, COLUMNS)
        x, y = 8 + column * CELL[0], 8 + row * CELL[1]
        if sample.ink.size:
            _paste_ink(atlas, sample.ink, scale, (x + 2, y + 2, CELL[0] - 4, CELL[1] - 24))
        colour = PROBLEM_RGB if sample.problem else (150, 150, 150)
        draw.rectangle((x, y, x + CELL[0] - 1, y + CELL[1] - 1), outline=colour)
        text = label(sample.char).split(" ")[0]
        if sample.problem:
            text += " " + sample.problem.split(" ")[0]
        draw.text((x + 3, y + CELL[1] - 18), text, fill=colour, font=label_font)
    buffer = io.BytesIO()
    atlas.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _font(path: Path, size: int):
    from PIL import ImageFont

    return ImageFont.truetype(str(path), size)


def _paste_ink(atlas, ink: np.ndarray, scale: float, cell: tuple[int, int, int, int]) -> None:
    """The ink scaled, centred in the cell, cut to it if still larger."""
    import cv2
    from PIL import Image

    x, y, width, height = cell
    if scale < 1.0:
        size = (max(1, round(ink.shape[1] * scale)), max(1, round(ink.shape[0] * scale)))
        ink = cv2.resize(ink.astype(np.uint8) * 255, size, interpolation=cv2.INTER_AREA) > 96
    ink = ink[:height, :width]
    tile = np.full((*ink.shape, 3), 255, np.uint8)
    tile[ink] = INK_RGB
    left = x + (width - ink.shape[1]) // 2
    top = y + (height - ink.shape[0]) // 2
    atlas.paste(Image.fromarray(tile), (left, top))


def problems_text(learned) -> str:
    """One line per box that was not used, and the warnings, for problems.txt and the CLI."""
    lines = []
    for number, sample in enumerate(learned.samples, start=1):
        if sample.problem:
            row, column = divmod(number - 1, COLUMNS)
            lines.append(
                f"box {number} (row {row + 1}, column {column + 1}), {describe(sample.char)} "
                f"sample {sample.box.sample + 1}: {sample.problem}"
            )
    lines += [f"warning: {w}" for w in learned.warnings]
    return "\n".join(lines) + ("\n" if lines else "")


def signature_svg(ink: np.ndarray, sheet: Sheet) -> bytes | None:
    """The signature box's ink traced, as an SVG in millimetres; None if it was not signed."""
    import cv2

    from notes.hand.trace import trace

    box = sheet.signature
    margin = 3.0
    x0 = max(0, round((box.x - margin) * PX_PER_MM))
    y0 = max(0, round((box.y - margin) * PX_PER_MM))
    x1 = round((box.right + margin) * PX_PER_MM)
    y1 = round((box.bottom + margin) * PX_PER_MM)
    region = ink[y0:y1, x0:x1].astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(region)
    inside = np.zeros(region.shape, bool)
    m = round(margin * PX_PER_MM)
    inside[m:-m, m:-m] = True
    keep = [n for n in range(1, count) if (inside & (labels == n)).sum() * 2 > stats[n, 4]]
    signed = np.isin(labels, keep)
    if signed.sum() < 40:
        return None
    ys, xs = np.nonzero(signed)
    crop = signed[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    paths = " ".join(_svg_path(contour / PX_PER_MM) for contour in trace(crop))
    width, height = crop.shape[1] / PX_PER_MM, crop.shape[0] / PX_PER_MM
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" '
        f'width="{width:.2f}mm" height="{height:.2f}mm" viewBox="0 0 {width:.2f} {height:.2f}">\n'
        f'<path fill="{SIGNATURE_INK}" fill-rule="nonzero" d="{paths}"/>\n</svg>\n'
    )
    return svg.encode("utf-8")


def _svg_path(points: np.ndarray) -> str:
    """A closed quadratic B-spline (off-curve points only) as SVG path data."""
    mids = (points + np.roll(points, -1, axis=0)) / 2
    parts = [f"M{mids[-1][0]:.2f},{mids[-1][1]:.2f}"]
    for control, end in zip(points, mids, strict=True):
        parts.append(f"Q{control[0]:.2f},{control[1]:.2f} {end[0]:.2f},{end[1]:.2f}")
    return "".join(parts) + "Z"


def sample_card(folder: Path, font: str, text: str) -> tuple[Path, Path]:
    """card.pdf and card.png (150 dpi) in the learned hand, in the hand's folder."""
    from notes.preview import pdf_to_pngs
    from notes.render import Renderer, Style, write_cards

    renderer = Renderer(Style(font=font, seed=1))
    pdf = folder / "card.pdf"
    write_cards([renderer.plan(text, key="sample card")], pdf, force=True)
    png = pdf_to_pngs(pdf, folder / "card.png", dpi=150, first_only=True)[0]
    return pdf, png
