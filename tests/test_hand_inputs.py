"""`notes hand`: the printed sheet, and photos that cannot be learned from (clear errors)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from notes.cli import app

cv2 = pytest.importorskip("cv2")

from handphoto import photograph  # noqa: E402


def _run(*args: str):
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    return result


def _sheet_png(folder: Path, *extra: str) -> Path:
    target = folder / "sheet.png"
    result = _run("hand", "sheet", "-o", str(target), *extra)
    assert result.exit_code == 0, result.output
    return target


@pytest.fixture(scope="module")
def filled_photo(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("filled")
    result = _run("hand", "sheet", "--fill-with", "patrick-hand", "-o", str(folder / "f.png"))
    assert result.exit_code == 0, result.output
    return folder / "f.png"


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_printed_sheet_is_found_again_in_its_own_render(tmp_path, paper):
    from notes.hand.photo import find_sheet, flatten, load_photo

    pdf = tmp_path / "sheet.pdf"
    result = _run("hand", "sheet", "-o", str(pdf), "--paper", paper)
    assert result.exit_code == 0 and "notes hand learn PHOTO" in result.output
    assert pdf.read_bytes().startswith(b"%PDF")
    png = _sheet_png(tmp_path, "--paper", paper, "--force")
    image = load_photo(png)
    sheet, homography = find_sheet(image, "sheet.png")
    assert sheet.paper == paper
    flat = flatten(image, sheet, homography)
    assert flat.shape == (round(sheet.height * 8), round(sheet.width * 8))
    assert len(sheet.boxes) == 222  # a-z x4, A-Z and 0-9 x2, 16 punctuation x2, 7 marks x2


def test_an_unknown_paper_or_fill_font_is_refused(tmp_path):
    bad_paper = _run("hand", "sheet", "-o", str(tmp_path / "s.pdf"), "--paper", "a3")
    assert bad_paper.exit_code == 2 and "use --paper a4 or --paper letter" in bad_paper.output
    bad_font = _run("hand", "sheet", "--fill-with", "cavaet", "-o", str(tmp_path / "f.png"))
    assert bad_font.exit_code == 1 and "did you mean 'caveat'" in bad_font.output


def test_a_photo_without_the_sheet(tmp_path):
    rng = np.random.default_rng(1)
    photo = rng.integers(90, 200, (1800, 2400), dtype=np.uint8)
    cv2.rectangle(photo, (300, 300), (1500, 1200), 250, -1)  # a sheet of something else
    cv2.imwrite(str(tmp_path / "desk.jpg"), photo)
    result = _run("hand", "learn", str(tmp_path / "desk.jpg"), "--name", "maya")
    assert result.exit_code == 1
    assert "no handwriting sheet found in the photo" in result.output
    assert "hint: print the sheet with `notes hand sheet`" in result.output


def test_a_sheet_cut_off(filled_photo, tmp_path):
    photo = photograph(filled_photo, tmp_path / "cut.jpg", keep=0.75)
    result = _run("hand", "learn", str(photo), "--name", "maya")
    assert result.exit_code == 1
    assert "the sheet is cut off: its bottom right and bottom left corner markers" in result.output
    assert "four black squares" in result.output


def test_an_empty_sheet(tmp_path):
    photo = photograph(_sheet_png(tmp_path), tmp_path / "empty.jpg")
    result = _run("hand", "learn", str(photo), "--name", "maya")
    assert result.exit_code == 1
    assert "the sheet has no writing on it" in result.output


def test_a_sheet_with_too_much_missing(filled_photo, tmp_path):
    from notes.hand.sheet import sheet_for

    image = cv2.imread(str(filled_photo), cv2.IMREAD_GRAYSCALE)
    px = image.shape[1] / sheet_for("a4").width
    for box in sheet_for("a4").boxes[:130]:  # every lower-case letter and half the capitals
        r = box.rect
        cell = image[
            round(r.y * px) + 4 : round(r.bottom * px) - 4,
            round(r.x * px) + 4 : round(r.right * px) - 4,
        ]
        cell[cell < 150] = 255
    cv2.imwrite(str(tmp_path / "half.png"), image)
    result = _run("hand", "learn", str(tmp_path / "half.png"), "--name", "maya")
    assert result.exit_code == 1
    assert "characters could be read; missing: a b c" in result.output


def test_a_100_megapixel_image_is_refused_before_it_is_decoded(tmp_path):
    from PIL import Image

    huge = tmp_path / "huge.png"
    Image.new("1", (10_000, 10_000), 1).save(huge)
    result = _run("hand", "learn", str(huge), "--name", "maya")
    assert result.exit_code == 1
    assert "10000 x 10000 pixels (100 megapixels)" in result.output
    assert "hint: scale it down" in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"hello, not a picture", "not an image"), (None, "photo not found")],
)
def test_not_a_photo(tmp_path, content, message):
    path = tmp_path / "photo.jpg"
    if content is not None:
        path.write_bytes(content)
    result = _run("hand", "learn", str(path), "--name", "maya")
    assert result.exit_code == 1 and message in result.output


@pytest.mark.parametrize(
    ("name", "message"),
    [("Maya Smith", "cannot name a hand"), ("caveat", "is the name of a bundled font")],
)
def test_bad_hand_names(filled_photo, name, message):
    result = _run("hand", "learn", str(filled_photo), "--name", name)
    assert result.exit_code == 2 and message in result.output
