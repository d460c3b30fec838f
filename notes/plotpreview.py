"""A PNG of exactly what the pen will draw: the optimised strokes of a plot, at the pen's width.

Drawn with Pillow (already installed with reportlab) at twice the size and scaled down, so lines
are smooth; the card's edge is a thin grey frame. Identical plots give identical PNG bytes.
"""

from __future__ import annotations

from pathlib import Path

from notes.plot import Plot

SUPERSAMPLE = 2


def preview_image(plot: Plot, *, dpi: int = 300, pen_width: float = 0.4, ink=(0.0, 0.06, 0.33)):
    from PIL import Image, ImageDraw

    scale = dpi / 25.4 * SUPERSAMPLE  # pixels per mm, while drawing
    size = (max(1, round(plot.width * scale)), max(1, round(plot.height * scale)))
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, size[0] - 1, size[1] - 1), outline=(200, 200, 200), width=SUPERSAMPLE)
    colour = tuple(round(c * 255) for c in ink)
    width = max(1, round(pen_width * scale))
    for line in plot.lines:
        points = [(x * scale, y * scale) for x, y in line]
        draw.line(points, fill=colour, width=width, joint="curve")
        # Round pen ends: a dot at each end, as a pen tip leaves.
        for x, y in (points[0], points[-1]):
            r = width / 2
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    final = (max(1, size[0] // SUPERSAMPLE), max(1, size[1] // SUPERSAMPLE))
    return image.resize(final, Image.Resampling.LANCZOS)


def write_preview(
    plot: Plot, path: Path, *, dpi: int = 300, pen_width: float = 0.4, ink=(0.0, 0.06, 0.33),
    force: bool = False,
) -> Path:  # fmt: skip
    from notes.files import atomic_path

    image = preview_image(plot, dpi=dpi, pen_width=pen_width, ink=ink)
    with atomic_path(path, force=force, example="card.png") as tmp:
        image.save(tmp, format="PNG", dpi=(dpi, dpi))
    return path
