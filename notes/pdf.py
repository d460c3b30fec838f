"""The only module that talks to reportlab: card pages, placed notes, atomic files.

Glyphs are written as raw content-stream operators (one text matrix per glyph, size folded into
`Tm`): through reportlab's textobject API per-glyph placement is about 4x slower.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from notes.errors import OutputError
from notes.handwriting import Word


def _num(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@contextmanager
def atomic_path(path: str | Path, *, force: bool = False, suffix: str = ".pdf") -> Iterator[Path]:
    """Yield a temporary path beside `path`; rename it into place only if the block succeeds."""
    target = Path(path)
    if target.exists() and not force:
        raise OutputError(
            "file exists; not overwriting it",
            where=str(target),
            hint="pass --force to replace it, or choose another name with -o",
        )
    if not target.parent.is_dir():
        raise OutputError(
            "folder does not exist", where=str(target.parent), hint="create it first, or fix -o"
        )
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def new_canvas(path: Path, width: float, height: float, *, font_name: str, title: str = "Notes"):
    """A reportlab canvas that writes byte-identical PDFs for identical input (invariant=1).

    `font_name` is a registered TrueType font: with it as the initial font reportlab does not
    reference an unembedded Helvetica on every page.
    """
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(
        str(path),
        pagesize=(width, height),
        invariant=1,
        pageCompression=1,
        initialFontName=font_name,
    )
    canvas.setTitle(title)
    canvas.setCreator("notes")
    canvas.setProducer("notes")
    return canvas


def draw_words(canvas, words: list[Word], dx: float = 0.0, dy: float = 0.0) -> None:
    """Append the handwriting to the current page, shifted by (dx, dy)."""
    doc = canvas._doc
    escape = canvas._escape
    out: list[str] = ["BT"]
    push = out.append
    current_font = None
    current_subset = None
    current_weight = None
    current_ink = None
    subset_names: dict[tuple[str, int], str] = {}
    for word in words:
        if word.ink != current_ink:
            r, g, b = (_num(c) for c in word.ink)
            push(f"{r} {g} {b} rg {r} {g} {b} RG")
            current_ink = word.ink
        if word.weight != current_weight:
            if word.weight > 0:
                push(f"2 Tr {_num(word.weight)} w")
            else:
                push("0 Tr")
            current_weight = word.weight
        for font, char, a, b, c, d, e, f in word.glyphs:
            tt = font.tt
            for subset, encoded in tt.splitString(char, doc):
                if font is not current_font or subset != current_subset:
                    key = (font.name, subset)
                    name = subset_names.get(key)
                    if name is None:
                        name = subset_names[key] = tt.getSubsetInternalName(subset, doc)
                    push(f"{name} 1 Tf")
                    current_font, current_subset = font, subset
                push(
                    f"{_num(a)} {_num(b)} {_num(c)} {_num(d)} {_num(e + dx)} {_num(f + dy)} Tm "
                    f"({escape(encoded)}) Tj"
                )
    push("ET")
    canvas._code.append("\n".join(out))


def draw_crop_marks(canvas, x: float, y: float, w: float, h: float, *, bleed: float = 0.0) -> None:
    """Short hairlines outside the trim box at each corner, clear of the bleed."""
    gap = bleed + 3
    length = 12
    canvas.saveState()
    canvas.setLineWidth(0.25)
    canvas.setStrokeColorRGB(0, 0, 0)
    for cx, sx in ((x, -1), (x + w, 1)):
        for cy, sy in ((y, -1), (y + h, 1)):
            canvas.line(cx + sx * gap, cy, cx + sx * (gap + length), cy)
            canvas.line(cx, cy + sy * gap, cx, cy + sy * (gap + length))
    canvas.restoreState()


def draw_fold_line(canvas, x: float, height: float) -> None:
    """A faint dashed guide where a folded card is creased, at the page's top and bottom edges."""
    canvas.saveState()
    canvas.setLineWidth(0.3)
    canvas.setStrokeColorRGB(0.75, 0.75, 0.75)
    canvas.setDash(2, 2)
    canvas.line(x, 0, x, 10)
    canvas.line(x, height - 10, x, height)
    canvas.restoreState()


def draw_image(canvas, path: str, x: float, y: float, w: float, h: float) -> None:
    canvas.drawImage(path, x, y, w, h, mask="auto", preserveAspectRatio=True, anchor="sw")
