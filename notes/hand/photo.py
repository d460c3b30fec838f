"""A photo or scan of the sheet -> the sheet seen flat, at a fixed resolution.

The four ArUco markers in the corners give sixteen known points; a homography through them
undoes rotation and perspective. What can go wrong with the photo is said here, before any box
is cut: not an image, too large, no sheet in it, the sheet cut off, the sheet too small in it.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from notes.errors import PhotoError
from notes.hand.sheet import MARKER_IDS, Sheet, sheet_for_markers

PX_PER_MM = 8.0  # the flat sheet's resolution (203 dpi): a ballpoint line is 3-4 pixels wide
# A phone photo is 12-50 megapixels; past this the file is the wrong one, or a decompression bomb
# (it would take gigabytes to decode), so the size is read from the header and refused first.
MAX_PIXELS = 64_000_000
MAX_FILE_BYTES = 100 * 1024 * 1024
DETECT_LONG_SIDE = 2400  # markers are found on a copy this size: 12 mm is plenty of pixels
# Under this the letters are too few pixels to trace (about 110 dpi: an A4 sheet 900 px wide).
MIN_PX_PER_MM = 4.3
CORNER_NAMES = ("top left", "top right", "bottom right", "bottom left")
_PHOTOGRAPH = (
    "photograph the whole sheet from above, in even light, with the four black squares in its "
    "corners inside the picture"
)


def load_photo(path: Path) -> np.ndarray:
    """The photo as a grey image (uint8), its size checked before it is decoded."""
    import cv2

    _check_size(path)
    try:
        data = np.fromfile(str(path), dtype=np.uint8)  # cv2.imread cannot open non-ASCII paths
    except OSError as exc:
        raise PhotoError(f"cannot read the photo: {exc.strerror or exc}", where=str(path)) from None
    image = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)  # applies the EXIF rotation
    if image is None:
        raise PhotoError(
            "the photo cannot be decoded (damaged, or not a JPEG/PNG/TIFF/WebP image)",
            where=str(path),
            hint="save the photo again as JPEG or PNG",
        )
    return image


def _check_size(path: Path) -> None:
    from PIL import Image, UnidentifiedImageError

    if not path.is_file():
        raise PhotoError("photo not found", where=str(path), hint="check the path")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise PhotoError(
            f"the file is {size:,} bytes, more than a photo of a sheet needs",
            where=str(path),
            hint="save the photo as JPEG at the phone's usual size (12 megapixels is plenty)",
        )
    try:
        with warnings.catch_warnings():  # PIL warns of bombs: we refuse them ourselves, below
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as probe:  # reads the header only
                width, height = probe.size
    except (UnidentifiedImageError, OSError, ValueError):
        raise PhotoError(
            "not an image this program can read",
            where=str(path),
            hint="give a JPEG or PNG photo (or scan) of the filled-in sheet",
        ) from None
    if width * height > MAX_PIXELS:
        raise PhotoError(
            f"the image is {width} x {height} pixels ({width * height / 1e6:.0f} megapixels), "
            f"more than the {MAX_PIXELS // 1_000_000} megapixels this reads",
            where=str(path),
            hint="scale it down to about 4000 pixels on its long side (12 megapixels is "
            "plenty), or take the photo at the phone's usual resolution",
        )


def find_sheet(image: np.ndarray, where: str) -> tuple[Sheet, np.ndarray]:
    """The sheet in the photo and the homography from photo pixels to flat-sheet pixels."""
    import cv2

    corners, ids = _detect_markers(image)
    found = {int(i): c for i, c in zip(ids, corners, strict=True)}
    sheet = sheet_for_markers(set(found))
    if sheet is None:
        raise PhotoError(
            "no handwriting sheet found in the photo (none of its corner markers is visible)",
            where=where,
            hint=f"print the sheet with `notes hand sheet`, fill it in, and {_PHOTOGRAPH}",
        )
    expected = MARKER_IDS[sheet.paper]
    missing = [CORNER_NAMES[n] for n, marker_id in enumerate(expected) if marker_id not in found]
    if missing:
        raise PhotoError(
            f"the sheet is cut off: its {' and '.join(missing)} corner "
            f"marker{'s are' if len(missing) > 1 else ' is'} not in the photo",
            where=where,
            hint=_PHOTOGRAPH,
        )
    seen, flat = [], []
    for marker in sheet.markers:
        seen.extend(found[marker.id].reshape(4, 2))
        flat.extend((x * PX_PER_MM, y * PX_PER_MM) for x, y in marker.corners())
    seen_points = np.array(seen, dtype=np.float32)
    homography, _ = cv2.findHomography(seen_points, np.array(flat, dtype=np.float32))
    if homography is None:
        raise PhotoError(
            "the sheet's corners do not make a rectangle", where=where, hint=_PHOTOGRAPH
        )
    # From the top-left marker's first corner to the top-right marker's second one.
    span_px = float(np.linalg.norm(seen_points[5] - seen_points[0]))
    span_mm = sheet.markers[1].rect.right - sheet.markers[0].rect.x
    if span_px / span_mm < MIN_PX_PER_MM:
        raise PhotoError(
            f"the sheet is only about {span_px / span_mm * sheet.width:.0f} pixels wide in the "
            f"photo (at least {MIN_PX_PER_MM * sheet.width:.0f} are needed to read the letters)",
            where=where,
            hint="take the photo closer, so the sheet fills the picture, or scan it at 150 dpi",
        )
    return sheet, homography


def _detect_markers(image: np.ndarray) -> tuple[list[np.ndarray], list[int]]:
    import cv2

    scale = min(1.0, DETECT_LONG_SIDE / max(image.shape))
    small = (
        image
        if scale == 1.0
        else cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    )
    dictionary = cv2.aruco.getPredefinedDictionary(cv2.aruco.DICT_4X4_50)
    detector = cv2.aruco.ArucoDetector(dictionary, cv2.aruco.DetectorParameters())
    corners, ids, _ = detector.detectMarkers(small)
    if ids is None:
        return [], []
    return [c / scale for c in corners], [int(i) for i in ids.ravel()]


def flatten(image: np.ndarray, sheet: Sheet, homography: np.ndarray) -> np.ndarray:
    """The sheet seen straight on, PX_PER_MM pixels per millimetre, grey."""
    import cv2

    size = (round(sheet.width * PX_PER_MM), round(sheet.height * PX_PER_MM))
    # A photo much finer than the flat sheet is smoothed first, so thin strokes are averaged
    # rather than sampled away.
    scale = abs(np.linalg.det(homography[:2, :2])) ** 0.5
    if scale < 0.6:
        sigma = 0.4 / scale
        image = cv2.GaussianBlur(image, (0, 0), sigma)
    return cv2.warpPerspective(image, homography, size, flags=cv2.INTER_LINEAR, borderValue=255)
