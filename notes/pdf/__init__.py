"""The drawing model (notes.drawing) as PDF. The only code that imports reportlab (and svglib).

`write_pdf(document, path)` writes a document's pages as they come, atomically; every glyph
shape of the document's table becomes one form object on first use, placed per letter with its
own matrix; words with text get an invisible text layer so they can be copied and searched.
"""

from notes.pdf.writer import write_pdf

__all__ = ["write_pdf"]
