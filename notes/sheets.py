"""N-up imposition: several cards on one A4 or Letter sheet, with crop marks, optionally duplex.

How many cards fit is decided per axis. Each axis is laid out one of two ways:

- with gutters: every card gets room around its trim box for its bleed and its crop marks
  (`MARK_GAP` + `MARK_LENGTH` beyond the bleed), and the whole grid stays inside the printer
  margin, so every corner of every card is marked;
- butted: cards touch along that axis and share their cut lines. This is the only way four A6
  fit an A4 sheet (2 x 105 mm = 210 mm) or eight A7. Marks for the shared cut lines go in the
  sheet margin, outside the grid, *only where that margin has room* for a whole mark inside the
  printer margin. Four A6 on A4 leave 0 mm and 0.5 mm of margin, so that sheet has no marks at
  all: its cut lines are the sheet's own centre lines.

An axis is butted only when that fits more cards than gutters would. Both card orientations are
tried; the one with more cards wins, then the one with more fully marked axes, then upright.

A butted card reaches into the printer's unprintable margin; that is harmless because the edge of
a card is its blank writing margin (at least 14 pt, see notes.layout.margins_for).

The card's background is white, so bleed has nothing to print: it only moves the marks outwards.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from notes.cards import MM, PRINTER_MARGIN, Card, parse_sheet
from notes.drawing import Affine, Document, GlyphTable, Group, Item, Page, Stroke, segments
from notes.errors import LayoutError, UsageError
from notes.render import NotePlan, first_glyphs

MARK_GAP = 3.0  # from the bleed edge to where a crop mark starts
MARK_LENGTH = 12.0
MARK_ROOM = MARK_GAP + MARK_LENGTH
MARK_WIDTH = 0.25
_EPS = 0.01  # points; A-series cards tile A4 exactly, so compare with a tolerance

Segment = tuple[float, float, float, float]


@dataclass(frozen=True)
class SheetLayout:
    """Where each card goes on a sheet. All lengths in points."""

    sheet: str
    width: float
    height: float
    card: Card  # the card as planned (upright); `rotated` says how it sits on the sheet
    bleed: float
    cols: int
    rows: int
    rotated: bool  # cards turned 90 degrees (top to the left) to fit more per sheet
    slots: list[tuple[float, float]]  # lower-left of each trim box, top-left first
    gutter_x: bool = True  # cards separated by gutters along x (False: butted, shared cut lines)
    gutter_y: bool = True

    @property
    def per_sheet(self) -> int:
        return self.cols * self.rows

    @property
    def slot_size(self) -> tuple[float, float]:
        """Width and height of a trim box as it sits on the sheet."""
        if self.rotated:
            return (self.card.height, self.card.width)
        return (self.card.width, self.card.height)


def _axis(sheet_len: float, card_len: float, bleed: float) -> tuple[int, bool]:
    """(cards along this axis, with gutters?)."""
    cell = card_len + 2 * (bleed + MARK_ROOM)
    with_gutters = math.floor((sheet_len - 2 * PRINTER_MARGIN + _EPS) / cell)
    butted = math.floor((sheet_len + _EPS) / card_len)
    if with_gutters >= butted:
        return with_gutters, True
    return butted, False


def _starts(sheet_len: float, card_len: float, count: int, gutter: float) -> list[float]:
    """Positions of `count` cards along an axis, the grid centred on the sheet."""
    span = count * card_len + (count - 1) * gutter
    first = (sheet_len - span) / 2
    return [first + i * (card_len + gutter) for i in range(count)]


def sheet_layout(card: Card, sheet: str = "a4", *, bleed_mm: float = 0.0) -> SheetLayout:
    """The most cards of `card` that fit on `sheet` ('a4' or 'letter'), with room for marks."""
    name, width, height = parse_sheet(sheet)
    if not (0 <= bleed_mm <= 10):
        raise UsageError(
            f"bleed of {bleed_mm:g} mm is out of range",
            hint="use 0 to 10 mm; 3 mm (1/8 in) is usual",
        )
    bleed = bleed_mm * MM
    options = []
    for rotated in (False, True) if card.width != card.height else (False,):
        cw, ch = (card.height, card.width) if rotated else (card.width, card.height)
        cols, gx = _axis(width, cw, bleed)
        rows, gy = _axis(height, ch, bleed)
        # More cards first, then more fully marked axes, then upright.
        options.append(((cols * rows, gx + gy, not rotated), rotated, cw, ch, cols, rows, gx, gy))
    score, rotated, cw, ch, cols, rows, gx, gy = max(options, key=lambda o: o[0])
    if score[0] == 0:
        raise LayoutError(
            f"a {card.name} card ({card.width / MM:.0f} x {card.height / MM:.0f} mm) does not fit "
            f"on a {name} sheet ({width / MM:.0f} x {height / MM:.0f} mm) in either orientation",
            hint="print one card per page (leave out --sheet), or choose a smaller --card",
        )
    gutter = 2 * (bleed + MARK_ROOM)
    xs = _starts(width, cw, cols, gutter if gx else 0.0)
    ys = _starts(height, ch, rows, gutter if gy else 0.0)
    slots = [(x, y) for y in reversed(ys) for x in xs]  # top row first, left to right
    return SheetLayout(name, width, height, card, bleed, cols, rows, rotated, slots, gx, gy)


def back_slots(layout: SheetLayout) -> list[tuple[float, float]]:
    """Slots of the back side for a long-edge flip: mirrored left to right, same heights."""
    w, _ = layout.slot_size
    return [(layout.width - x - w, y) for x, y in layout.slots]


def crop_marks(layout: SheetLayout, used: int | None = None) -> list[Segment]:
    """Crop mark lines (x1, y1, x2, y2) for the first `used` slots, as plain data.

    Drawing all eight marks at every corner would not do: on a butted axis four of them would
    run into the neighbouring card, so here a mark along a shared cut line is kept only at the
    outside of the grid; and only marks wholly inside the printer margin are kept.
    """
    used = layout.per_sheet if used is None else used
    w, h = layout.slot_size
    gap = layout.bleed + MARK_GAP
    xs = sorted({x for x, _ in layout.slots})
    ys = sorted({y for _, y in layout.slots})
    segments: dict[Segment, None] = {}
    for x, y in layout.slots[:used]:
        for cx, sx, outer_x in ((x, -1, x == xs[0]), (x + w, 1, x == xs[-1])):
            for cy, sy, outer_y in ((y, -1, y == ys[0]), (y + h, 1, y == ys[-1])):
                if layout.gutter_x or outer_x:
                    seg = (cx + sx * gap, cy, cx + sx * (gap + MARK_LENGTH), cy)
                    segments[tuple(round(v, 3) for v in seg)] = None
                if layout.gutter_y or outer_y:
                    seg = (cx, cy + sy * gap, cx, cy + sy * (gap + MARK_LENGTH))
                    segments[tuple(round(v, 3) for v in seg)] = None
    # A mark the printer cannot reach is left out rather than printed half or not at all.
    low_x, high_x = PRINTER_MARGIN - _EPS, layout.width - PRINTER_MARGIN + _EPS
    low_y, high_y = PRINTER_MARGIN - _EPS, layout.height - PRINTER_MARGIN + _EPS
    return [
        seg
        for seg in segments
        if low_x <= min(seg[0], seg[2])
        and max(seg[0], seg[2]) <= high_x
        and low_y <= min(seg[1], seg[3])
        and max(seg[1], seg[3]) <= high_y
    ]


def _card_matrix(layout: SheetLayout, x: float, y: float, *, back: bool) -> tuple[float, ...]:
    """PDF matrix from card coordinates to the sheet, for the trim box at (x, y).

    Rotated fronts turn their top to the left; rotated backs turn it to the right, so after a
    long-edge flip a back's top lies behind its front's top.
    """
    if not layout.rotated:
        return (1, 0, 0, 1, x, y)
    cw, ch = layout.card.width, layout.card.height
    if back:
        return (0, -1, 1, 0, x, y + cw)
    return (0, 1, -1, 0, x + ch, y)


def sheet_side(
    layout: SheetLayout, plans: list[NotePlan], *, back: bool, glyphs: GlyphTable | None = None
) -> Page:
    """One side of a sheet: each card placed in its slot, and (on fronts) the crop marks.

    `glyphs`: the document's glyph table (by default the first plan's)."""
    glyphs = glyphs if glyphs is not None else plans[0].glyphs
    slots = back_slots(layout) if back else layout.slots
    items: list[Item] = [
        Group(
            Affine(*_card_matrix(layout, x, y, back=back)),
            glyphs.adopt(plan.items(guides=not back), plan.glyphs),
        )
        for (x, y), plan in zip(slots, plans, strict=False)
    ]
    marks = crop_marks(layout, len(plans)) if not back else []
    if marks:
        items.append(Stroke(segments(marks), MARK_WIDTH))
    return Page(layout.width, layout.height, tuple(items))


def _same_card(plan: NotePlan, layout: SheetLayout, number: int, side: str) -> None:
    card = layout.card
    if abs(plan.card.width - card.width) > _EPS or abs(plan.card.height - card.height) > _EPS:
        raise LayoutError(
            f"{side} {number} is planned for a {plan.card.name} card but the sheet layout is for "
            f"{card.name}",
            hint="plan every note with the same --card as the sheet layout",
        )


_MISSING = object()


def _pairs(plans: Iterable[NotePlan], backs: Iterable[NotePlan] | None, layout: SheetLayout):
    """(front, back or None) pairs, checked, one at a time."""
    back_iter: Iterator[NotePlan] | None = iter(backs) if backs is not None else None
    count = 0
    for count, plan in enumerate(plans, 1):
        _same_card(plan, layout, count, "note")
        back = None
        if back_iter is not None:
            back = next(back_iter, _MISSING)
            if back is _MISSING:
                raise UsageError(
                    f"duplex needs a back for every note, but there is none for note {count}",
                    hint="give one back per front, or print without --duplex",
                )
            _same_card(back, layout, count, "back of note")
        yield plan, back
    if back_iter is not None and next(back_iter, _MISSING) is not _MISSING:
        raise UsageError(
            f"duplex got more backs than the {count} notes",
            hint="give one back per front, or print without --duplex",
        )


def write_sheets(
    plans: Iterable[NotePlan],
    path: str | Path,
    layout: SheetLayout,
    *,
    force: bool = False,
    backs: Iterable[NotePlan] | None = None,
) -> list[tuple[int, int]]:
    """Impose the notes on sheets, written atomically; (sheet, slot) of each note, both from 1.

    With `backs` (one per note) every front sheet is followed by its back sheet, so a sheet's
    front is PDF page 2*sheet-1 and its back page 2*sheet. Notes are read one sheet at a time.
    """
    from notes.pdf import write_pdf

    positions: list[tuple[int, int]] = []
    glyphs, plans = first_glyphs(plans)
    sides = sheet_pages(_pairs(plans, backs, layout), layout, glyphs, positions)
    write_pdf(Document(glyphs, sides), path, force=force)
    return positions


def sheet_pages(
    pairs: Iterable[tuple[NotePlan, NotePlan | None]],
    layout: SheetLayout,
    glyphs: GlyphTable,
    positions: list[tuple[int, int]] | None = None,
) -> Iterator[Page]:
    """Front (and back) pages of (front, back or None) pairs, a sheet at a time; `positions`
    (if given) records where each note went."""
    fronts: list[NotePlan] = []
    rears: list[NotePlan] = []
    sheets = 0
    for plan, back in pairs:
        fronts.append(plan)
        if back is not None:
            rears.append(back)
        if positions is not None:
            positions.append((sheets + 1, len(fronts)))
        if len(fronts) == layout.per_sheet:
            yield from _sheet(layout, fronts, rears, glyphs)
            fronts, rears, sheets = [], [], sheets + 1
    if fronts:
        yield from _sheet(layout, fronts, rears, glyphs)


def _sheet(layout: SheetLayout, fronts, rears, glyphs: GlyphTable) -> Iterator[Page]:
    yield sheet_side(layout, fronts, back=False, glyphs=glyphs)
    if rears:
        yield sheet_side(layout, rears, back=True, glyphs=glyphs)
