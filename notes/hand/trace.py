"""Bitmaps of ink -> smooth outlines, and outlines -> bitmaps (to compare shapes).

A bitmap is traced with OpenCV's contours on a smoothed, twice-upsampled copy; each contour is
smoothed along its length and thinned to a few points a pixel apart. Those points become the
off-curve points of a TrueType contour: TrueType puts an on-curve point midway between two
off-curve ones, so the outline is a smooth quadratic B-spline hugging the traced edge, with no
curve fitting and no cubic-to-quadratic conversion.
"""

from __future__ import annotations

import numpy as np

UPSAMPLE = 2
SMOOTHING_PX = 1.6  # along the contour, in upsampled pixels: irons out the pixel staircase
TOLERANCE_PX = 0.35  # how far the thinned contour may stray from the smoothed one
MIN_AREA_PX = 6.0  # contours (or holes) smaller than this, in bitmap pixels, are noise

Contour = np.ndarray  # (n, 2) float points, closed; TrueType off-curve points


def trace(ink: np.ndarray) -> list[Contour]:
    """Closed contours around the ink, in the bitmap's pixel coordinates (x right, y down).

    Outer contours and holes run in opposite directions, so a nonzero fill draws the holes."""
    import cv2

    if not ink.any():
        return []
    pad = 3
    padded = np.pad(ink.astype(np.float32), pad)
    smooth = cv2.GaussianBlur(padded, (0, 0), 0.7)
    big = cv2.resize(smooth, None, fx=UPSAMPLE, fy=UPSAMPLE, interpolation=cv2.INTER_CUBIC)
    mask = (big > 0.5).astype(np.uint8)
    found, _ = cv2.findContours(mask, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_NONE)
    contours = []
    for raw in found:
        points = raw.reshape(-1, 2).astype(np.float64)
        if len(points) < 8 or abs(cv2.contourArea(raw)) < MIN_AREA_PX * UPSAMPLE**2:
            continue
        points = _smooth_closed(points, SMOOTHING_PX)
        thinned = cv2.approxPolyDP(points.astype(np.float32), TOLERANCE_PX, closed=True)
        thinned = thinned.reshape(-1, 2).astype(np.float64)
        if len(thinned) < 3:
            continue
        # Pixel centres: a pixel's middle sits half a pixel in from its corner.
        contours.append((thinned + 0.5) / UPSAMPLE - 0.5 - pad)
    return contours


def _smooth_closed(points: np.ndarray, sigma: float) -> np.ndarray:
    """A Gaussian moving average along a closed polyline."""
    reach = max(1, int(3 * sigma))
    offsets = np.arange(-reach, reach + 1)
    weights = np.exp(-0.5 * (offsets / sigma) ** 2)
    weights /= weights.sum()
    count = len(points)
    if count <= 2 * reach:
        return points
    smoothed = np.zeros_like(points)
    for offset, weight in zip(offsets, weights, strict=True):
        smoothed += weight * np.roll(points, offset, axis=0)
    return smoothed


def rasterise(contours: list[Contour], shape: tuple[int, int]) -> np.ndarray:
    """Traced contours (pixel coordinates, as from `trace`) filled in (bool)."""
    return fill_polygons([_as_polygon(contour) for contour in contours], shape)


def fill_polygons(polygons: list[np.ndarray], shape: tuple[int, int]) -> np.ndarray:
    """Closed polygons (pixel coordinates, y down) filled with the nonzero rule (bool).

    OpenCV fills even-odd, so outer contours are filled first and holes cut after: outer
    contours turn the way the largest one does, holes the other way."""
    import cv2

    canvas = np.zeros(shape, np.uint8)
    if not polygons:
        return canvas > 0
    shift = 4
    areas = [_signed_area(polygon) for polygon in polygons]
    outer_sign = np.sign(max(areas, key=abs))
    outers, holes = [], []
    for polygon, area in zip(polygons, areas, strict=True):
        fixed = np.round(polygon * (1 << shift)).astype(np.int32)
        (outers if np.sign(area) == outer_sign else holes).append(fixed)
    for polygon in outers:
        cv2.fillPoly(canvas, [polygon], 1, lineType=cv2.LINE_8, shift=shift)
    for polygon in holes:
        cv2.fillPoly(canvas, [polygon], 0, lineType=cv2.LINE_8, shift=shift)
    return canvas > 0


def _signed_area(points: np.ndarray) -> float:
    x, y = points[:, 0], points[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def _as_polygon(off_curve: np.ndarray, steps: int = 4) -> np.ndarray:
    """The quadratic B-spline through all-off-curve points, as a dense polygon."""
    after = np.roll(off_curve, -1, axis=0)
    starts = (off_curve + np.roll(off_curve, 1, axis=0)) / 2  # implied on-curve points
    ends = (off_curve + after) / 2
    t = np.linspace(0, 1, steps, endpoint=False)[:, None, None]
    curve = (1 - t) ** 2 * starts + 2 * (1 - t) * t * off_curve + t**2 * ends
    return curve.transpose(1, 0, 2).reshape(-1, 2)
