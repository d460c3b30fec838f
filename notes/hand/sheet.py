"""The printable sheet as plain geometry: where the markers, boxes and guide lines are.

Everything is in millimetres from the top-left corner of the paper, y down, as a photo of the
sheet is read. The four ArUco markers sit in the corners; their ids say which paper the sheet
was printed on, so `learn` needs nothing but the photo. Each box has a label strip over it (the
character to write, printed grey so it never reads as ink) and two guide lines: the baseline
and the x-height. The same geometry draws the sheet (notes.hand.sheetpage) and cuts the photo.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from notes.errors import UsageError
from notes.hand.charset import CLASSES

PAPERS = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}
# Marker ids, clockwise from the top left; a different set per paper.
MARKER_IDS = {"a4": (0, 1, 2, 3), "letter": (4, 5, 6, 7)}
MARKER_CELLS = 6  # a 4x4 ArUco code plus its black border, in cells
MARKER_MM = 12.0
MARGIN_MM = 8.0
COLUMNS = 18
BOX_WIDTH_MM = 10.0
LABEL_MM = 3.2  # the strip over each box where its character is printed
GRID_TOP_MM = 44.0
SIGNATURE_HEIGHT_MM = 24.0
# Guide lines, as fractions of the box height from its bottom: room for descenders under the
# baseline, and for ascenders and capitals over the x-height.
BASELINE_FRACTION = 0.34
X_HEIGHT_FRACTION = 0.28


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height


@dataclass(frozen=True)
class Box:
    """One box to write a character in."""

    char: str
    sample: int  # 0 for the first box of its character, 1 for the second...
    rect: Rect
    label: Rect  # the strip over the box where its character is printed

    @property
    def baseline(self) -> float:
        """The baseline's y, in mm from the top of the paper."""
        return self.rect.bottom - BASELINE_FRACTION * self.rect.height

    @property
    def x_height(self) -> float:
        """The distance from the baseline to the x-height line, in mm."""
        return X_HEIGHT_FRACTION * self.rect.height


@dataclass(frozen=True)
class Marker:
    id: int
    rect: Rect  # the marker's square, black border included

    def corners(self) -> tuple[tuple[float, float], ...]:
        """Corners in ArUco's order: top left, top right, bottom right, bottom left."""
        r = self.rect
        return ((r.x, r.y), (r.right, r.y), (r.right, r.bottom), (r.x, r.bottom))


@dataclass(frozen=True)
class Sheet:
    paper: str
    width: float
    height: float
    markers: tuple[Marker, ...]
    boxes: tuple[Box, ...]
    signature: Rect
    title: Rect  # between the top markers
    instructions: Rect  # under the title, over the boxes


def paper_of(paper: str) -> str:
    key = paper.strip().lower()
    if key not in PAPERS:
        raise UsageError(f"unknown paper {paper!r}", hint="use --paper a4 or --paper letter")
    return key


@cache
def sheet_for(paper: str) -> Sheet:
    """The sheet's geometry on A4 or Letter paper."""
    paper = paper_of(paper)
    width, height = PAPERS[paper]
    low = height - MARGIN_MM - MARKER_MM
    right = width - MARGIN_MM - MARKER_MM
    spots = ((MARGIN_MM, MARGIN_MM), (right, MARGIN_MM), (right, low), (MARGIN_MM, low))
    markers = tuple(
        Marker(marker_id, Rect(x, y, MARKER_MM, MARKER_MM))
        for marker_id, (x, y) in zip(MARKER_IDS[paper], spots, strict=True)
    )
    signature = Rect(
        MARGIN_MM + MARKER_MM + 6,
        height - MARGIN_MM - SIGNATURE_HEIGHT_MM,
        width - 2 * (MARGIN_MM + MARKER_MM + 6),
        SIGNATURE_HEIGHT_MM,
    )
    boxes = _boxes(width, signature.y - 4.0)
    inner = MARGIN_MM + MARKER_MM + 4
    return Sheet(
        paper=paper,
        width=width,
        height=height,
        markers=markers,
        boxes=boxes,
        signature=signature,
        title=Rect(inner, MARGIN_MM, width - 2 * inner, MARKER_MM),
        instructions=Rect(MARGIN_MM, MARGIN_MM + MARKER_MM + 2, width - 2 * MARGIN_MM, 20.0),
    )


def _boxes(width: float, grid_bottom: float) -> tuple[Box, ...]:
    """Every sample's box, in writing order, flowing row by row over the grid."""
    wanted = [(char, n) for c in CLASSES for char in c.chars for n in range(c.samples)]
    rows = -(-len(wanted) // COLUMNS)
    pitch = (grid_bottom - GRID_TOP_MM) / rows
    left = (width - COLUMNS * BOX_WIDTH_MM) / 2
    boxes = []
    for index, (char, sample) in enumerate(wanted):
        row, column = divmod(index, COLUMNS)
        x = left + column * BOX_WIDTH_MM
        top = GRID_TOP_MM + row * pitch
        boxes.append(
            Box(
                char=char,
                sample=sample,
                rect=Rect(x, top + LABEL_MM, BOX_WIDTH_MM, pitch - LABEL_MM),
                label=Rect(x, top, BOX_WIDTH_MM, LABEL_MM),
            )
        )
    return tuple(boxes)


def sheet_for_markers(marker_ids: set[int]) -> Sheet | None:
    """The sheet whose markers these are (any one of them is enough), or None."""
    for paper, ids in MARKER_IDS.items():
        if marker_ids & set(ids):
            return sheet_for(paper)
    return None
