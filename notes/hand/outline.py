"""Glyph outlines as fontTools pen recordings, in font units (y up), and what is done to them.

A recording is a list of (operator, points) as fontTools' RecordingPen makes: traced samples are
contours of off-curve points only (`qCurveTo(*points, None)`), a bundled font's glyphs (for
fallback characters) come as they are drawn. Either replays into any pen.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

Recording = list[tuple[str, tuple]]


def from_contours(contours: Iterable[np.ndarray]) -> Recording:
    """Off-curve-only closed contours (n x 2 points) as a recording."""
    recording: Recording = []
    for contour in contours:
        points = tuple((round(float(x)), round(float(y))) for x, y in contour)
        recording.append(("qCurveTo", (*points, None)))
        recording.append(("closePath", ()))
    return recording


def contours_of(recording: Recording) -> list[Recording]:
    """The recording split into its closed contours."""
    contours: list[Recording] = []
    current: Recording = []
    for operator, points in recording:
        current.append((operator, points))
        if operator in ("closePath", "endPath"):
            contours.append(current)
            current = []
    if current:
        contours.append(current)
    return contours


def bounds(recording: Recording) -> tuple[float, float, float, float] | None:
    """(x_min, y_min, x_max, y_max) of the points, or None for an empty outline."""
    points = [p for _, pts in recording for p in pts if p is not None]
    if not points:
        return None
    xs, ys = zip(*points, strict=True)
    return min(xs), min(ys), max(xs), max(ys)


def transformed(
    recording: Recording, scale: float = 1.0, dx: float = 0.0, dy: float = 0.0
) -> Recording:
    """Scaled about the origin, then moved; coordinates rounded to font units."""

    def move(point):
        if point is None:
            return None
        return (round(point[0] * scale + dx), round(point[1] * scale + dy))

    return [(operator, tuple(move(p) for p in points)) for operator, points in recording]


def replay(recording: Recording, pen) -> None:
    for operator, points in recording:
        getattr(pen, operator)(*points)


def record_glyph(glyph_set, name: str) -> Recording:
    """A font's glyph, components drawn in, as a recording."""
    from fontTools.pens.recordingPen import DecomposingRecordingPen

    pen = DecomposingRecordingPen(glyph_set)
    glyph_set[name].draw(pen)
    return list(pen.value)


def polygons(recording: Recording, steps: int = 6) -> list[np.ndarray]:
    """Each contour flattened to a polygon (for rasterising and comparing shapes)."""
    from fontTools.pens.basePen import BasePen

    class _Flattener(BasePen):
        def __init__(self) -> None:
            super().__init__(None)
            self.done: list[np.ndarray] = []
            self.points: list[tuple[float, float]] = []

        def _moveTo(self, pt):
            self.points = [pt]

        def _lineTo(self, pt):
            self.points.append(pt)

        def _curveToOne(self, p1, p2, p3):
            p0 = np.array(self.points[-1])
            for t in np.linspace(0, 1, steps + 1)[1:]:
                mt = 1 - t
                point = mt**3 * p0 + 3 * mt**2 * t * np.array(p1)
                point += 3 * mt * t**2 * np.array(p2) + t**3 * np.array(p3)
                self.points.append(tuple(point))

        def _qCurveToOne(self, p1, p2):
            p0 = np.array(self.points[-1])
            for t in np.linspace(0, 1, steps + 1)[1:]:
                point = (1 - t) ** 2 * p0 + 2 * (1 - t) * t * np.array(p1) + t**2 * np.array(p2)
                self.points.append(tuple(point))

        def _closePath(self):
            if len(self.points) > 2:
                self.done.append(np.array(self.points, dtype=np.float64))
            self.points = []

        _endPath = _closePath

    flattener = _Flattener()
    replay(recording, flattener)
    return flattener.done


def rasterise(recording: Recording, box: tuple[float, float, float, float], pixels: float):
    """The outline filled (nonzero rule) into a bool image covering `box` in font units,
    `pixels` pixels per font unit; y turned to point down."""
    from notes.hand.trace import fill_polygons

    x_min, y_min, x_max, y_max = box
    shape = (max(1, round((y_max - y_min) * pixels)), max(1, round((x_max - x_min) * pixels)))
    contours = [
        np.column_stack(((poly[:, 0] - x_min) * pixels, (y_max - poly[:, 1]) * pixels))
        for poly in polygons(recording)
    ]
    return fill_polygons(contours, shape)
