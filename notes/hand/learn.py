"""The flat sheet -> one cleaned bitmap of ink per box, and what is wrong with the boxes.

Cleaning: the paper's uneven light is divided out, ink is what is both darker than the paper
around it (adaptive threshold) and darker than the printed lines (they are light grey), specks
are dropped and the remains of guide lines and borders, where ink was too light to tell apart,
are cut along their known positions. Ink may cross a box's border: each stroke (connected piece
of ink) belongs wholly to the box that holds most of it, so a tall letter keeps its tail and a
neighbour's tail is not taken.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from notes.hand.photo import PX_PER_MM
from notes.hand.sheet import Box, Rect, Sheet

INK_LEVEL = 0.55  # of the paper's brightness: the printed lines are lighter than this
DARK_LEVEL = 0.35  # ink however wide its dark area is
MIN_STROKE_PX = 10  # pieces of ink smaller than this are specks of dust or noise
EMPTY_PX = 14  # a box with less ink than this (about 0.2 mm2) is empty
SMUDGE_COVERAGE = 0.45  # ink over this share of a box is a blot, not a letter
BLOT_RADIUS_MM = 0.9  # ink this far from any edge is a blot: a ballpoint line is 0.3-0.6 mm wide
BLOT_CORE_PX = 24


@dataclass
class Sample:
    """The ink of one box: a bitmap and where it sits on the box's guide lines."""

    box: Box
    ink: np.ndarray  # bool, True where there is ink; empty when the box has none
    left: float  # mm from the box's left edge to the bitmap's left column
    top: float  # mm from the baseline up to the bitmap's top row (negative below)
    problem: str = ""  # "empty", "smudged", "ambiguous: ..." ; "" when the sample is good

    @property
    def char(self) -> str:
        return self.box.char

    @property
    def usable(self) -> bool:
        return not self.problem


def ink_mask(flat: np.ndarray) -> np.ndarray:
    """Where the flat sheet has ink (bool)."""
    import cv2

    grey = flat.astype(np.float32)
    # The paper's own brightness: ink and lines dilated away, then smoothed.
    paper = cv2.dilate(grey, np.ones((15, 15), np.uint8))
    paper = cv2.GaussianBlur(paper, (0, 0), 12)
    level = np.clip(grey / np.maximum(paper, 1.0), 0, 1)
    level8 = (level * 255).astype(np.uint8)
    darker_than_around = cv2.adaptiveThreshold(
        level8, 1, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY_INV, 31, 12
    )
    # The adaptive threshold hollows out wide dark areas (a blot): very dark is ink anyway.
    ink = ((darker_than_around > 0) | (level < DARK_LEVEL)) & (level < INK_LEVEL)
    ink = cv2.medianBlur(ink.astype(np.uint8), 3)
    return ink > 0


def remove_printed_lines(ink: np.ndarray, sheet: Sheet) -> np.ndarray:
    """Cut what is left of the printed lines: long thin runs on the known line positions."""
    import cv2

    lines = np.zeros(ink.shape, np.uint8)
    for box in sheet.boxes:
        r = box.rect
        for y in (r.y, r.bottom, box.baseline, box.baseline - box.x_height):
            _band(lines, r.x, y - 0.35, r.right, y + 0.35)
        _band(lines, r.x - 0.35, r.y, r.x + 0.35, r.bottom)
        _band(lines, r.right - 0.35, r.y, r.right + 0.35, r.bottom)
    run = round(0.6 * sheet.boxes[0].rect.width * PX_PER_MM)
    ink8 = ink.astype(np.uint8)
    long_h = cv2.morphologyEx(ink8, cv2.MORPH_OPEN, np.ones((1, run), np.uint8))
    long_v = cv2.morphologyEx(ink8, cv2.MORPH_OPEN, np.ones((run, 1), np.uint8))
    # Ink that crosses a line is thicker across it than the line is: it keeps its pixels.
    tall = cv2.morphologyEx(ink8, cv2.MORPH_OPEN, np.ones((4, 1), np.uint8))
    wide = cv2.morphologyEx(ink8, cv2.MORPH_OPEN, np.ones((1, 4), np.uint8))
    printed = (((long_h > 0) & (tall == 0)) | ((long_v > 0) & (wide == 0))) & (lines > 0)
    return ink & ~printed


def _band(canvas: np.ndarray, x0: float, y0: float, x1: float, y1: float) -> None:
    px = PX_PER_MM
    canvas[
        max(0, round(y0 * px)) : round(y1 * px) + 1, max(0, round(x0 * px)) : round(x1 * px) + 1
    ] = 1


def cut_boxes(ink: np.ndarray, sheet: Sheet) -> list[Sample]:
    """One sample per box of the sheet, with the strokes that mostly lie in it."""
    import cv2

    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    owner = _box_owner_map(ink.shape, sheet)
    # For every stroke, how many of its pixels fall in each box (index 0: in no box).
    pairs = labels.astype(np.int64) * (len(sheet.boxes) + 1) + owner
    tally = np.bincount(pairs.ravel(), minlength=count * (len(sheet.boxes) + 1))
    tally = tally.reshape(count, len(sheet.boxes) + 1)
    tally[0] = 0  # label 0 is the paper
    in_boxes = tally[:, 1:]
    best = in_boxes.argmax(axis=1)
    # A stroke goes to the box holding most of it, if at least a third of it is in boxes
    # (the labels over the boxes and the instructions are in none).
    keep = (in_boxes.max(axis=1) * 3 >= stats[:, cv2.CC_STAT_AREA]) & (
        stats[:, cv2.CC_STAT_AREA] >= MIN_STROKE_PX
    )
    keep[0] = False
    strokes_of: dict[int, list[int]] = {}
    for label in np.flatnonzero(keep):
        strokes_of.setdefault(int(best[label]), []).append(int(label))
    return [
        _sample(box, strokes_of.get(index, []), labels, stats)
        for index, box in enumerate(sheet.boxes)
    ]


def _box_owner_map(shape: tuple[int, int], sheet: Sheet) -> np.ndarray:
    """An image of box numbers: 1 + the box's index inside each box, 0 elsewhere."""
    owner = np.zeros(shape, np.int64)
    px = PX_PER_MM
    for index, box in enumerate(sheet.boxes):
        r = box.rect
        owner[round(r.y * px) : round(r.bottom * px), round(r.x * px) : round(r.right * px)] = (
            index + 1
        )
    return owner


def _sample(box: Box, strokes: list[int], labels: np.ndarray, stats: np.ndarray) -> Sample:
    import cv2

    if not strokes:
        return Sample(box, np.zeros((0, 0), bool), 0.0, 0.0, "empty")
    x0 = min(stats[s, cv2.CC_STAT_LEFT] for s in strokes)
    y0 = min(stats[s, cv2.CC_STAT_TOP] for s in strokes)
    x1 = max(stats[s, cv2.CC_STAT_LEFT] + stats[s, cv2.CC_STAT_WIDTH] for s in strokes)
    y1 = max(stats[s, cv2.CC_STAT_TOP] + stats[s, cv2.CC_STAT_HEIGHT] for s in strokes)
    ink = np.isin(labels[y0:y1, x0:x1], strokes)
    sample = Sample(box, ink, x0 / PX_PER_MM - box.rect.x, box.baseline - y0 / PX_PER_MM)
    sample.problem = _problem(sample, box.rect)
    return sample


def _problem(sample: Sample, rect: Rect) -> str:
    import cv2

    area = int(sample.ink.sum())
    if area < EMPTY_PX:
        return "empty"
    box_area = rect.width * rect.height * PX_PER_MM**2
    if area > SMUDGE_COVERAGE * box_area:
        return "smudged (ink covers much of the box)"
    if sample.ink.shape[1] > 1.6 * rect.width * PX_PER_MM:
        return "ambiguous (the ink runs on into the next box: two letters joined?)"
    # A pen draws lines; a blot or a smudge is ink far thicker than any pen line.
    depth = cv2.distanceTransform(np.pad(sample.ink, 1).astype(np.uint8), cv2.DIST_L2, 5)
    if int((depth > BLOT_RADIUS_MM * PX_PER_MM).sum()) > BLOT_CORE_PX:
        return "smudged (a blot of ink thicker than a pen line)"
    return ""


def mark_ambiguous(samples: list[Sample]) -> None:
    """Flag a sample unlike the other samples of its character (another letter, crossed out).

    Shapes are compared at a common size, thickened so a pen's wobble does not count.
    """
    by_char: dict[str, list[Sample]] = {}
    for sample in samples:
        if sample.usable:
            by_char.setdefault(sample.char, []).append(sample)
    for group in by_char.values():
        if len(group) < 3:
            continue
        shapes = [normalised_shape(s.ink) for s in group]
        for index, sample in enumerate(group):
            others = [overlap(shapes[index], shape) for n, shape in enumerate(shapes) if n != index]
            if max(others) < 0.3:
                sample.problem = "ambiguous (unlike the other samples of this character)"


def normalised_shape(ink: np.ndarray, size: int = 32) -> np.ndarray:
    """The ink scaled to fit a size x size square, centred, and thickened."""
    import cv2

    height, width = ink.shape
    scale = (size - 4) / max(height, width)
    small = cv2.resize(
        ink.astype(np.uint8) * 255,
        (max(1, round(width * scale)), max(1, round(height * scale))),
        interpolation=cv2.INTER_AREA,
    )
    canvas = np.zeros((size, size), np.uint8)
    top, left = (size - small.shape[0]) // 2, (size - small.shape[1]) // 2
    canvas[top : top + small.shape[0], left : left + small.shape[1]] = small
    return cv2.dilate((canvas > 64).astype(np.uint8), np.ones((3, 3), np.uint8)) > 0


def overlap(a: np.ndarray, b: np.ndarray) -> float:
    """Intersection over union of two masks of the same shape."""
    union = np.logical_or(a, b).sum()
    return float(np.logical_and(a, b).sum() / union) if union else 0.0
