"""N-up sheets: how many cards fit, where they sit, crop marks, duplex; real PDFs checked."""

from __future__ import annotations

from functools import cache

import pytest

from notes.cards import CARDS, MM, Card, parse_card
from notes.errors import LayoutError, OutputError, UsageError
from notes.render import Renderer, Style
from notes.sheets import (
    MARK_GAP,
    PRINTER_MARGIN,
    back_slots,
    crop_marks,
    sheet_layout,
    write_sheets,
)
from tests.pdfcheck import check_pdf, page_size, text_of, words_of

A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)


def note_text(i: int) -> str:
    return f"Dear Person{i},\n\nThank you for the teapot number{i}.\n\nWarmly,\nMaya"


@cache
def renderer(card_name: str) -> Renderer:
    return Renderer(Style(card=parse_card(card_name)))


def plans(card_name: str, count: int, prefix: str = ""):
    """A generator, as a merge hands them over: write_sheets must not need a list."""
    r = renderer(card_name)
    return (r.plan(prefix + note_text(i), key=f"{prefix}{i}") for i in range(count))


def boxes_overlap(a, b) -> bool:
    (ax, ay, aw, ah), (bx, by, bw, bh) = a, b
    return (
        ax < bx + bw - 0.01 and bx < ax + aw - 0.01 and ay < by + bh - 0.01 and by < ay + ah - 0.01
    )


def trim_boxes(layout, slots=None):
    w, h = layout.slot_size
    return [(x, y, w, h) for x, y in (slots or layout.slots)]


@pytest.mark.parametrize(
    ("card", "sheet", "per_sheet", "rotated"),
    [
        ("a6", "a4", 4, False),  # 2 x 105 mm = 210 mm: butted, no room for marks
        ("a7", "a4", 8, True),
        ("a5", "a4", 2, True),
        ("4x6in", "letter", 2, True),  # turned, so every corner gets its marks
        ("3.5x5in", "letter", 4, False),  # 2 x 5 in of 11 in: rows butted, columns with gutters
        ("5x7in", "letter", 2, True),
        ("a2-folded", "letter", 2, False),  # 8.5 x 5.5 in flat, twice on 8.5 x 11
    ],
)
def test_how_many_cards_fit(card, sheet, per_sheet, rotated):
    layout = sheet_layout(parse_card(card), sheet)
    assert layout.per_sheet == per_sheet == len(layout.slots)
    assert layout.rotated is rotated


def test_sheet_sizes_are_exact_in_points():
    assert (round(sheet_layout(CARDS["a6"], "a4").width, 2), 841.89) == (A4[0], A4[1])
    layout = sheet_layout(CARDS["a6"], "letter")
    assert (layout.width, layout.height) == LETTER


@pytest.mark.parametrize("card", sorted(CARDS))
@pytest.mark.parametrize("sheet", ["a4", "letter"])
@pytest.mark.parametrize("bleed_mm", [0, 3])
def test_slots_lie_on_the_sheet_apart_and_marks_stay_off_the_cards(card, sheet, bleed_mm):
    layout = sheet_layout(CARDS[card], sheet, bleed_mm=bleed_mm)
    boxes = trim_boxes(layout)
    for x, y, w, h in boxes:
        assert -0.01 <= x and x + w <= layout.width + 0.01
        assert -0.01 <= y and y + h <= layout.height + 0.01
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not boxes_overlap(a, b)
    # Reading order: top-left first, then along the row.
    assert layout.slots[0][1] == max(y for _, y in layout.slots)
    assert layout.slots[0][0] == min(x for x, _ in layout.slots)
    for x1, y1, x2, y2 in crop_marks(layout):
        for px, py in ((x1, y1), (x2, y2)):
            # Inside what a printer can print...
            assert PRINTER_MARGIN - 0.01 <= px <= layout.width - PRINTER_MARGIN + 0.01
            assert PRINTER_MARGIN - 0.01 <= py <= layout.height - PRINTER_MARGIN + 0.01
        # ...and clear of every card and its bleed.
        for x, y, w, h in boxes:
            grown = (x - layout.bleed, y - layout.bleed, w + 2 * layout.bleed, h + 2 * layout.bleed)
            mark = (min(x1, x2), min(y1, y2), abs(x2 - x1), abs(y2 - y1))
            gx, gy, gw, gh = grown
            inside = gx + 0.01 < mark[0] + mark[2] / 2 < gx + gw - 0.01 and (
                gy + 0.01 < mark[1] + mark[3] / 2 < gy + gh - 0.01
            )
            assert not inside, f"mark {mark} crosses a card"


def test_cards_with_gutters_get_all_eight_marks_and_bleed_moves_them_out():
    card = parse_card("4x6in")
    plain = sheet_layout(card, "letter")
    assert plain.gutter_x and plain.gutter_y
    assert len(crop_marks(plain)) == 8 * plain.per_sheet
    bled = sheet_layout(card, "letter", bleed_mm=3)
    assert bled.per_sheet == plain.per_sheet

    def nearest(layout):
        (sx, _), (sw, _) = layout.slots[0], layout.slot_size
        return min(
            min(abs(px - sx), abs(px - sx - sw))
            for x1, y1, x2, y2 in crop_marks(layout, 1)
            for px in (x1, x2)
            if y1 == y2  # horizontal marks: their distance from the left or right trim edge
        )

    assert nearest(plain) == pytest.approx(MARK_GAP, abs=0.001)
    assert nearest(bled) == pytest.approx(3 * MM + MARK_GAP, abs=0.001)


def test_butted_cards_get_marks_only_in_the_sheet_margin_where_there_is_room():
    a6 = sheet_layout(CARDS["a6"], "a4")
    assert not a6.gutter_x and not a6.gutter_y
    assert crop_marks(a6) == []  # 0 mm and 0.5 mm of margin: the cuts are the sheet's centre lines
    small = sheet_layout(parse_card("3.5x5in"), "letter")
    assert small.gutter_x and not small.gutter_y
    marks = crop_marks(small)
    vertical = [m for m in marks if m[0] == m[2]]
    # Vertical marks only above the top row and below the bottom row (the rows share a cut).
    top = max(y for _, y in small.slots) + small.slot_size[1]
    bottom = min(y for _, y in small.slots)
    assert vertical and all(min(m[1], m[3]) >= top or max(m[1], m[3]) <= bottom for m in vertical)


def test_a_card_too_big_for_the_sheet_names_both_sizes_and_what_to_do():
    poster = Card("300x400mm", 300 * MM, 400 * MM)
    with pytest.raises(LayoutError) as info:
        sheet_layout(poster, "a4")
    message = str(info.value)
    assert "300 x 400 mm" in message and "210 x 297 mm" in message and "--sheet" in message


def test_bad_sheet_or_bleed_is_a_usage_error():
    with pytest.raises(UsageError, match="unknown sheet size"):
        sheet_layout(CARDS["a6"], "tabloid")
    with pytest.raises(UsageError, match="bleed"):
        sheet_layout(CARDS["a6"], "a4", bleed_mm=-1)


def test_sheets_pdf_has_exact_pages_and_every_note_text(tmp_path):
    out = tmp_path / "sheets.pdf"
    layout = sheet_layout(CARDS["a6"], "a4")
    positions = write_sheets(plans("a6", 6), out, layout)
    assert positions == [(1, 1), (1, 2), (1, 3), (1, 4), (2, 1), (2, 2)]
    reader = check_pdf(out)
    assert len(reader.pages) == 2
    assert page_size(reader, 0) == page_size(reader, 1) == A4
    for i, (sheet, _slot) in enumerate(positions):
        words = words_of(text_of(reader, sheet - 1))
        assert f"Person{i}" in words and f"number{i}" in words


def test_rotated_cards_are_readable_and_drawn_inside_their_slots(tmp_path):
    out = tmp_path / "a5.pdf"
    layout = sheet_layout(CARDS["a5"], "a4")
    write_sheets(plans("a5", 2), out, layout)
    reader = check_pdf(out)
    assert page_size(reader) == A4
    text = words_of(text_of(reader))
    assert "Person0" in text and "Person1" in text
    ink = ink_image(out, 0)
    for box in trim_boxes(layout):
        assert ink.crop(pixel_box(box, ink.height)).getbbox(), f"nothing drawn in {box}"
    assert ink_outside(ink, trim_boxes(layout)) is None


def test_duplex_backs_are_mirrored_behind_their_fronts(tmp_path):
    out = tmp_path / "duplex.pdf"
    layout = sheet_layout(parse_card("3.5x5in"), "letter")
    mirrored = back_slots(layout)
    w, _ = layout.slot_size
    for (x, y), (bx, by) in zip(layout.slots, mirrored, strict=True):
        assert by == y and bx == pytest.approx(layout.width - x - w)
    positions = write_sheets(
        plans("3.5x5in", 5), out, layout, backs=plans("3.5x5in", 5, prefix="Back ")
    )
    assert positions[-1] == (2, 1)
    reader = check_pdf(out)
    assert len(reader.pages) == 4  # front, back, front, back
    assert "Back" not in text_of(reader, 0) and "Back" in text_of(reader, 1)
    assert "Person4" in text_of(reader, 2) and "Person4" in text_of(reader, 3)
    # The last sheet holds one card: top-left on the front, so top-right on the back.
    front, back = ink_image(out, 2), ink_image(out, 3)
    first = trim_boxes(layout)[:1]
    assert ink_outside(front, first + marks_boxes(layout)) is None
    assert ink_outside(back, trim_boxes(layout, mirrored[:1])) is None
    assert back.crop(pixel_box(trim_boxes(layout, mirrored[:1])[0], back.height)).getbbox()


def test_duplex_needs_one_back_per_front(tmp_path):
    layout = sheet_layout(CARDS["a6"], "a4")
    with pytest.raises(UsageError, match="back for every note"):
        write_sheets(plans("a6", 3), tmp_path / "a.pdf", layout, backs=plans("a6", 2))
    with pytest.raises(UsageError, match="more backs"):
        write_sheets(plans("a6", 2), tmp_path / "b.pdf", layout, backs=plans("a6", 3))
    assert list(tmp_path.iterdir()) == []


def test_a_note_for_another_card_size_is_refused(tmp_path):
    layout = sheet_layout(CARDS["a6"], "a4")
    with pytest.raises(LayoutError, match="note 1 is planned for a a7 card"):
        write_sheets(plans("a7", 1), tmp_path / "x.pdf", layout)


def test_folded_cards_get_their_fold_guide(tmp_path):
    out = tmp_path / "folded.pdf"
    write_sheets(plans("a2-folded", 2), out, sheet_layout(CARDS["a2-folded"], "letter"))
    content = check_pdf(out).pages[0].get_contents().get_data().decode("latin-1")
    assert "[2 2] 0 d" in content


def test_same_input_gives_identical_bytes(tmp_path):
    layout = sheet_layout(CARDS["a7"], "a4", bleed_mm=3)
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    write_sheets(plans("a7", 9), a, layout)
    write_sheets(plans("a7", 9), b, layout)
    assert a.read_bytes() == b.read_bytes()


def test_existing_file_is_kept_and_a_failure_midway_leaves_nothing(tmp_path):
    layout = sheet_layout(CARDS["a6"], "a4")
    out = tmp_path / "sheets.pdf"
    out.write_bytes(b"keep me")
    with pytest.raises(OutputError, match="--force"):
        write_sheets(plans("a6", 1), out, layout)
    assert out.read_bytes() == b"keep me"
    out.unlink()

    def failing():
        yield from plans("a6", 5)
        raise LayoutError("row 6 is too long")

    with pytest.raises(LayoutError, match="row 6"):
        write_sheets(failing(), out, layout)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(OutputError, match="no notes"):
        write_sheets(iter(()), out, layout)


# Pixels: render with pdfium and look where the ink is.
DPI = 36


def ink_image(path, index: int):
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(path))
    try:
        image = pdf[index].render(scale=DPI / 72).to_pil().convert("L")
    finally:
        pdf.close()
    return image.point(lambda v: 255 if v < 200 else 0)  # ink white on black


def pixel_box(box, image_height: int) -> tuple[int, int, int, int]:
    """A box in points (lower-left origin) as a pixel box, grown by a pixel for anti-aliasing."""
    x, y, w, h = (v * DPI / 72 for v in box)
    return (int(x) - 1, int(image_height - y - h) - 1, int(x + w) + 2, int(image_height - y) + 2)


def ink_outside(ink, boxes):
    """Bounding box of any ink outside `boxes`, or None."""
    masked = ink.copy()
    for box in boxes:
        masked.paste(0, pixel_box(box, ink.height))
    return masked.getbbox()


def marks_boxes(layout):
    return [
        (min(x1, x2), min(y1, y2), abs(x2 - x1), abs(y2 - y1))
        for x1, y1, x2, y2 in crop_marks(layout, 1)
    ]
