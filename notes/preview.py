"""PNG previews of PDF pages, with pypdfium2 (no poppler needed)."""

from __future__ import annotations

from pathlib import Path

from notes.errors import DataError
from notes.files import atomic_path


def pdf_to_pngs(
    pdf: str | Path, prefix: str | Path, *, dpi: int = 100, first_only: bool = False
) -> list[Path]:
    """Write <prefix>-1.png, <prefix>-2.png ... (or exactly <prefix> if it ends in .png and one page)."""
    import pypdfium2 as pdfium

    source = Path(pdf)
    if not source.is_file():
        raise DataError("PDF not found", where=str(source), hint="check the path")
    try:
        document = pdfium.PdfDocument(str(source))
    except pdfium.PdfiumError as exc:
        raise DataError(f"not a readable PDF: {exc}", where=str(source)) from None
    prefix = Path(prefix)
    written: list[Path] = []
    try:
        count = 1 if first_only else len(document)
        for index in range(count):
            page = document[index]
            image = page.render(scale=dpi / 72).to_pil()
            if prefix.suffix.lower() == ".png" and count == 1:
                target = prefix
            else:
                stem = prefix.with_suffix("") if prefix.suffix.lower() == ".png" else prefix
                target = stem.parent / f"{stem.name}-{index + 1}.png"
            with atomic_path(target, force=True, example="preview.png") as tmp:
                image.save(tmp, format="PNG")
            written.append(target)
    finally:
        document.close()
    return written
