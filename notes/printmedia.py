"""Paper for a print job: the PDF's page size as a CUPS media name, and page ranges.

Plain functions over sizes in points; nothing here runs a command. A printer's driver (its PPD)
names the sizes it knows (`A6`, `EnvC6`, `Letter`); a size it does not name is asked for as
`Custom.WxHmm` when the driver takes custom sizes. Without `media` CUPS prints on the queue's
default paper (A4 or Letter), so a card would come out in the corner of a sheet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from notes.errors import PrintError, UsageError

MM = 72 / 25.4
_SLACK = 2.0  # points: drivers round sizes to whole points or millimetres

# Size names PPDs use, with their portrait size in points (Adobe PPD spec, CUPS's pwg table).
PPD_SIZES: dict[str, tuple[float, float]] = {
    "A4": (595, 842),
    "A5": (420, 595),
    "A6": (297, 420),
    "A7": (210, 297),
    "Letter": (612, 792),
    "EnvC5": (459, 649),
    "EnvC6": (323, 459),
    "EnvC7": (230, 323),
    "EnvDL": (312, 624),
    "Env10": (297, 684),
    "EnvA2": (315, 414),
    "EnvA7": (378, 522),
    "3.5x5": (252, 360),
    "4x6": (288, 432),
    "5x7": (360, 504),
    "w252h360": (252, 360),
    "w288h432": (288, 432),
    "w360h504": (360, 504),
}
CUSTOM = "Custom.WIDTHxHEIGHT"  # how a PPD says it takes any size


@dataclass(frozen=True)
class PageSizes:
    """The pages of a PDF: how many, and their one size (width, height in points)."""

    count: int
    width: float
    height: float

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    def describe(self) -> str:
        return f"{self.width / MM:.0f} x {self.height / MM:.0f} mm"


def read_page_sizes(pdf: Path) -> PageSizes:
    """Count the pages and check they share one size (a print job has one paper)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(pdf)
        sizes = [_upright(page) for page in reader.pages]
    except FileNotFoundError:
        raise PrintError("PDF not found", where=str(pdf), hint="check the path") from None
    except (OSError, PdfReadError, ValueError) as exc:
        raise PrintError(
            f"not a readable PDF: {exc}", where=str(pdf), hint="write it again with notes"
        ) from None
    if not sizes:
        raise PrintError("the PDF has no pages", where=str(pdf))
    first = sizes[0]
    for number, size in enumerate(sizes, 1):
        if abs(size[0] - first[0]) > _SLACK or abs(size[1] - first[1]) > _SLACK:
            raise PrintError(
                f"page {number} is {size[0] / MM:.0f} x {size[1] / MM:.0f} mm but page 1 is "
                f"{first[0] / MM:.0f} x {first[1] / MM:.0f} mm: one print job has one paper size",
                where=str(pdf),
                hint="print the pages of each size on their own with --pages",
            )
    return PageSizes(len(sizes), *first)


def _upright(page) -> tuple[float, float]:  # noqa: ANN001 - a pypdf page
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    if int(page.get("/Rotate", 0) or 0) % 180:
        return height, width
    return width, height


def media_for(sizes: PageSizes, offered: tuple[str, ...]) -> str:
    """The `media=` value for pages of this size on a printer offering these PPD sizes.

    `offered` empty means the driver did not say: ask for the exact size.
    """
    short, long_ = sorted((sizes.width, sizes.height))
    for name, (w, h) in PPD_SIZES.items():
        if name in offered and abs(w - short) <= _SLACK and abs(h - long_) <= _SLACK:
            return name
    if not offered or CUSTOM in offered:
        return f"Custom.{_mm(sizes.width)}x{_mm(sizes.height)}mm"
    named = ", ".join(n for n in offered if n != CUSTOM)
    raise PrintError(
        f"this printer has no {sizes.describe()} paper and takes no custom sizes",
        hint=f"its sizes: {named}. Write the cards on a size it has (--card, or --sheet a4 "
        "to put several on one sheet), or choose another printer",
    )


def _mm(points: float) -> str:
    return f"{points / MM:.1f}".removesuffix(".0")


_RANGE = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$")


def parse_page_ranges(spec: str, count: int) -> str:
    """'1-3, 5' -> '1-3,5' for CUPS, checked against the PDF's page count."""
    parts: list[str] = []
    for piece in spec.split(","):
        match = _RANGE.match(piece)
        if not match:
            raise UsageError(
                f"--pages {spec!r} is not a list of pages", hint="write it like --pages 1-4,7"
            )
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if not 1 <= first <= last:
            raise UsageError(
                f"--pages {piece.strip()!r} is not a range from a page to a later one",
                hint="pages count from 1, e.g. --pages 2-5",
            )
        if last > count:
            raise UsageError(
                f"--pages {piece.strip()!r} goes past the last page ({count})",
                hint=f"the file has pages 1-{count}",
            )
        parts.append(f"{first}-{last}" if last != first else str(first))
    return ",".join(parts)


def sides_for(sizes: PageSizes) -> str:
    """Duplex that keeps every back upright: cards turn over on their long side; a landscape
    page on the printer's portrait paper turns over on the paper's short side."""
    return "two-sided-short-edge" if sizes.landscape else "two-sided-long-edge"
