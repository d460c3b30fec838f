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
    from reportlab import rl_config
    from reportlab.pdfgen.canvas import Canvas

    # ASCII85 only makes streams 25 % larger and, in pure Python, costs more than the drawing.
    rl_config.useA85 = 0
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
    # Subset codes are fixed once a character is first used in a document: cache them per canvas.
    encoded_cache: dict[tuple[str, str], tuple[int, str, str]] = canvas.__dict__.setdefault(
        "_notes_glyph_codes", {}
    )
    out: list[str] = ["BT"]
    push = out.append
    current_font = None
    current_weight = None
    current_ink = None
    for word in words:
        if word.ink != current_ink:
            r, g, b = (_num(c) for c in word.ink)
            push(f"{r} {g} {b} rg {r} {g} {b} RG")
            current_ink = word.ink
        if word.weight != current_weight:
            push(f"2 Tr {_num(word.weight)} w" if word.weight > 0 else "0 Tr")
            current_weight = word.weight
        for font, char, a, b, c, d, e, f in word.glyphs:
            key = (font.name, char)
            cached = encoded_cache.get(key)
            if cached is None:
                cached = encoded_cache[key] = _encode(font, char, canvas)
            if cached[1] != current_font:
                push(cached[1])
                current_font = cached[1]
            # One %-format per glyph is the cheapest way to write six numbers (profiled).
            push("%.3f %.3f %.3f %.3f %.2f %.2f Tm %s" % (a, b, c, d, e + dx, f + dy, cached[2]))  # noqa: UP031
    push("ET")
    canvas._code.append("\n".join(out))


def _encode(font, char: str, canvas) -> tuple[int, str, str]:
    """(subset, 'Tf' operator selecting it, 'Tj' operator drawing the character)."""
    doc = canvas._doc
    tt = font.tt
    parts = []
    selector = ""
    for subset, encoded in tt.splitString(char, doc):
        selector = f"{tt.getSubsetInternalName(subset, doc)} 1 Tf"
        parts.append((selector, f"({canvas._escape(encoded)}) Tj"))
    # One character always lands in one subset.
    selector, show = parts[0]
    return (0, selector, show)


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
