"""A phone photo of a printed sheet, simulated: turned, in perspective, blurred, lit unevenly,
noisy and JPEG-compressed, lying on a darker table."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def photograph(
    scan: Path,
    target: Path,
    *,
    seed: int = 0,
    turn_degrees: float = 8.0,
    size: tuple[int, int] = (2600, 3400),
    keep: float = 1.0,
) -> Path:
    """Write `target`, a JPEG of the sheet in `scan` as a phone would see it.

    `keep` < 1 crops the photo to that share of its height from the top (a sheet cut off).
    """
    import cv2

    rng = np.random.default_rng(seed)
    sheet = cv2.imread(str(scan), cv2.IMREAD_GRAYSCALE)
    height, width = sheet.shape
    out_w, out_h = size
    # Where the sheet's corners land: centred, turned, each corner pushed about a little.
    scale = 0.86 * min(out_w / width, out_h / height)
    angle = np.radians(turn_degrees)
    corners = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32)
    centred = (corners - [width / 2, height / 2]) * scale
    turn = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    placed = centred @ turn.T + [out_w / 2, out_h / 2]
    placed += rng.uniform(-0.035, 0.035, (4, 2)) * [out_w, out_h]
    homography = cv2.getPerspectiveTransform(corners, placed.astype(np.float32))
    photo = cv2.warpPerspective(sheet, homography, (out_w, out_h), borderValue=90)
    photo = cv2.GaussianBlur(photo.astype(np.float32), (0, 0), 1.1)
    # Light from one side, falling off to 60 %, and a little vignette.
    ys, xs = np.mgrid[0:out_h, 0:out_w].astype(np.float32)
    light = 1.0 - 0.4 * (xs / out_w * 0.6 + ys / out_h * 0.4)
    light *= 1.0 - 0.15 * (((xs / out_w - 0.5) ** 2 + (ys / out_h - 0.5) ** 2) * 2)
    photo = photo * light + rng.normal(0, 5, photo.shape)
    photo = np.clip(photo, 0, 255).astype(np.uint8)
    if keep < 1.0:
        photo = photo[: round(out_h * keep)]
    ok, data = cv2.imencode(".jpg", photo, [cv2.IMWRITE_JPEG_QUALITY, 72])
    assert ok
    target.write_bytes(data.tobytes())
    return target
