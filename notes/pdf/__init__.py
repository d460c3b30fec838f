"""The drawing model (notes.drawing) as PDF, written here object by object (notes.pdf.objects);
reportlab and svglib are imported only to draw an SVG picture (notes.pdf.images).

`write_pdf(document, path)` writes a document's pages as they come, atomically; every glyph
shape of the document's table becomes one form object on first use, placed per letter with its
own matrix; words with text get an invisible text layer so they can be copied and searched.
Importing this package loads no writer (a batch's planners use `notes.pdf.placing` and
`notes.pdf.prepared`): the writer is imported when `write_pdf` is first looked up.
"""

from __future__ import annotations

__all__ = ["write_pdf"]


def __getattr__(name: str):  # noqa: ANN202 - the writer's write_pdf, imported on first use
    if name == "write_pdf":
        from notes.pdf.writer import write_pdf

        return write_pdf
    raise AttributeError(f"module 'notes.pdf' has no attribute {name!r}")
