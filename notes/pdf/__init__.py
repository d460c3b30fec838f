"""The drawing model (notes.drawing) as PDF. The only code that imports reportlab (and svglib).

`write_pdf(document, path)` writes a document's pages as they come, atomically; every glyph
shape of the document's table becomes one form object on first use, placed per letter with its
own matrix; words with text get an invisible text layer so they can be copied and searched.
Importing this package loads no reportlab (a batch's planners use `notes.pdf.placing`): the
writer is imported when `write_pdf` is first called.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from notes.drawing import Document

__all__ = ["write_pdf"]


def write_pdf(
    document: Document,
    path: str | Path,
    *,
    force: bool = False,
    what: str = "notes",
    example: str = "cards.pdf",
) -> int:
    """notes.pdf.writer.write_pdf (see there); returns the number of pages."""
    from notes.pdf.writer import write_pdf as write

    return write(document, path, force=force, what=what, example=example)
