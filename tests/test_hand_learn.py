"""Learning a hand from a photographed sheet: the sheet filled in two bundled fonts (one a
connected script), photographed as a phone would, learned once per font for the whole module."""

from __future__ import annotations

import shutil
import string
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from notes.cli import app

cv2 = pytest.importorskip("cv2")

from handphoto import photograph  # noqa: E402

from notes.hand import outline  # noqa: E402
from notes.hand.sheet import sheet_for  # noqa: E402
from tests.realparts import benchmark  # noqa: E402

FONTS = ["caveat", "dancing-script"]
PIXELS = 48  # per x-height, where the filling pen (0.45 pt) is one pixel each side
BLOTTED = 1  # the second 'a' box gets an ink blot
BLANKED = "q"  # every box of 'q' is left empty: it is borrowed from the closest font
CARD = (
    "Dear Ana, thank you so much for your order.\n"
    "I packed your blue teapot myself and I hope\n"
    "it brings you joy. Tell me how you get on!\n"
    "Warm wishes from the whole shop, Maya"
)


def _spoil(scan: Path) -> None:
    """Blot one 'a' box and leave the 'q' boxes empty, as a person might."""
    image = cv2.imread(str(scan), cv2.IMREAD_GRAYSCALE)
    px = image.shape[1] / sheet_for("a4").width
    boxes = sheet_for("a4").boxes
    a_box = [b for b in boxes if b.char == "a"][BLOTTED].rect
    centre = (round((a_box.x + a_box.width / 2) * px), round((a_box.y + a_box.height / 2) * px))
    cv2.circle(image, centre, round(2.6 * px), 40, -1)
    for box in (b for b in boxes if b.char == BLANKED):
        r = box.rect
        inner = (round((r.x + 0.6) * px), round((r.y + 0.6) * px))
        outer = (round((r.right - 0.6) * px), round((r.bottom - 0.6) * px))
        ink = image[inner[1] : outer[1], inner[0] : outer[0]]
        ink[ink < 150] = 255  # the writing gone, the printed lines kept
    cv2.imwrite(str(scan), image)


@pytest.fixture(scope="module", params=FONTS)
def learned(request, tmp_path_factory):
    """(font id, the learned hand's data home, the CLI's output) for each source font."""
    font = request.param
    folder = tmp_path_factory.mktemp(f"hand-{font}")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_DATA_HOME", str(folder / "data"))
        patch.chdir(folder)
        runner = CliRunner()
        filled = runner.invoke(app, ["hand", "sheet", "--fill-with", font, "-o", "filled.png"])
        assert filled.exit_code == 0, filled.output
        _spoil(folder / "filled.png")
        photograph(folder / "filled.png", folder / "photo.jpg", seed=len(font))
        result = runner.invoke(app, ["hand", "learn", "photo.jpg", "--name", "maya"])
        assert result.exit_code == 0, result.output
    return font, folder / "data", result.output


@pytest.fixture
def hand_home(learned, monkeypatch):
    font, data, _ = learned
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    return font, data / "notes" / "hands" / "maya"


def _raster(glyph_set, name: str, x_height_units: float, pen_px: int = 0) -> np.ndarray:
    """A glyph at PIXELS per x-height, padded, optionally thickened by a pen."""
    drawing = outline.record_glyph(glyph_set, name)
    box = outline.bounds(drawing)
    pixels = PIXELS / x_height_units
    pad = 16 / pixels
    image = outline.rasterise(
        drawing, (box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad), pixels
    )
    image = image.astype(np.uint8)
    if pen_px:
        image = cv2.dilate(
            image, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * pen_px + 1,) * 2)
        )
    return image > 0


def _same_height_centred(a: np.ndarray, b: np.ndarray, size: int = 160):
    """b scaled to a's height; both moved so their centres of ink meet in a size x size frame."""
    rows_a, rows_b = np.flatnonzero(a.any(axis=1)), np.flatnonzero(b.any(axis=1))
    k = (rows_a[-1] - rows_a[0] + 1) / (rows_b[-1] - rows_b[0] + 1)
    b = cv2.resize(b.astype(np.uint8), None, fx=k, fy=k, interpolation=cv2.INTER_LINEAR) > 0
    framed = []
    for image in (a, b):
        ys, xs = np.nonzero(image)
        shift = np.float32([[1, 0, size / 2 - xs.mean()], [0, 1, size / 2 - ys.mean()]])
        framed.append(cv2.warpAffine(image.astype(np.uint8), shift, (size, size)) > 0)
    return framed


def _iou(a: np.ndarray, b: np.ndarray) -> float:
    return float((a & b).sum() / (a | b).sum())


def test_learned_glyphs_match_the_source_font(hand_home):
    from fontTools.ttLib import TTFont

    from notes.fonts import load_catalog
    from notes.hand.fill import PEN_WIDTH_PT
    from notes.hand.glyphset import X_HEIGHT

    font, folder = hand_home
    source = TTFont(load_catalog()[font].path)
    source_set, source_cmap = source.getGlyphSet(), source.getBestCmap()
    learned = TTFont(folder / "maya.ttf")
    learned_set, learned_cmap = learned.getGlyphSet(), learned.getBestCmap()
    x_height_pt = sheet_for("a4").boxes[0].x_height * 72 / 25.4
    pen_px = round(PEN_WIDTH_PT / 2 / x_height_pt * PIXELS)  # the filling pen's width, drawn too
    scores = {}
    for char in string.ascii_letters + string.digits:
        if char in (BLANKED, BLANKED.upper()) or ord(char) not in learned_cmap:
            continue
        theirs = _raster(source_set, source_cmap[ord(char)], source["OS/2"].sxHeight, pen_px)
        ours = _raster(learned_set, learned_cmap[ord(char)], X_HEIGHT)
        scores[char] = _iou(*_same_height_centred(theirs, ours))
    assert len(scores) >= 55
    assert np.median(list(scores.values())) >= 0.8, sorted(scores.items(), key=lambda kv: kv[1])


def test_alternates_are_the_other_samples_and_differ(hand_home):
    import json

    from fontTools.ttLib import TTFont

    from notes.hand.glyphset import X_HEIGHT

    _, folder = hand_home
    entry = json.loads((folder / "hand.json").read_text(encoding="utf-8"))
    font = TTFont(folder / "maya.ttf")
    glyph_set, cmap = font.getGlyphSet(), font.getBestCmap()
    assert entry["family"] == "maya (your hand)"
    assert entry["alternates"]["e"] == ["e.1", "e.2", "e.3"]  # four samples of each letter
    assert entry["alternates"]["a"] == ["a.1", "a.2"]  # one 'a' box was blotted
    assert len(entry["alternates"]["A"]) == 1
    assert "a.1" not in cmap.values()  # alternates are not encoded
    for char in "aenrst":
        names = [cmap[ord(char)], *entry["alternates"][char]]
        images = [_raster(glyph_set, name, X_HEIGHT) for name in names]
        for index, first in enumerate(images):
            for second in images[index + 1 :]:
                assert _iou(*_same_height_centred(first, second)) < 0.97


def test_problem_boxes_are_reported_and_missing_letters_borrowed(learned, hand_home):
    _, _, output = learned
    _, folder = hand_home
    problems = (folder / "problems.txt").read_text(encoding="utf-8")
    assert "'a' sample 2: smudged" in problems
    assert "'q' sample 1: empty" in problems and "'q' sample 4: empty" in problems
    borrowed = next(line for line in problems.splitlines() if "borrowed from" in line)
    assert borrowed.startswith("warning: no usable sample of") and "'q'" in borrowed
    assert borrowed in output
    atlas = cv2.imread(str(folder / "atlas.png"))
    assert atlas.shape[0] > 1000 and atlas.shape[1] > 1000
    for name in ("maya.ttf", "card.pdf", "card.png", "signature.svg"):
        assert (folder / name).stat().st_size > 1000, name


def test_the_hand_is_a_font_everywhere(hand_home, tmp_path):
    runner = CliRunner()
    listed = runner.invoke(app, ["fonts"])
    assert "maya (your hand)" in listed.output
    target = tmp_path / "ana.pdf"
    text = "Dear Ana, thank you! Élodie, Zoë & François say hi. Quick quiz?"
    written = runner.invoke(app, ["write", "--text", text, "--font", "maya", "-o", str(target)])
    assert written.exit_code == 0, written.output
    again = tmp_path / "again.pdf"
    runner.invoke(app, ["write", "--text", text, "--font", "maya", "-o", str(again)])
    assert target.read_bytes() == again.read_bytes()


def test_a_note_in_the_learned_hand_stays_in_it_beside_a_name_it_cannot_draw(hand_home):
    from notes.render import Renderer, Style

    plan = Renderer(Style(font="maya")).plan("Dear 田中,\n\nThank you!", key="x")
    assert plan.hand == "maya" and not plan.notice
    fonts = {plan.glyphs[g.glyph].font.path.name for word in plan.words for g in word.glyphs}
    assert len(fonts) == 2  # the hand, and a fallback for the name only


def test_the_handwriting_picks_among_the_samples_without_warping_them(hand_home):
    from notes.drawing import GlyphTable
    from notes.render import Renderer, Style

    glyphs = GlyphTable()
    plan = Renderer(Style(font="maya", seed=3), glyphs=glyphs).plan("eeee eeee eeee", key="x")
    used = {glyphs[g.glyph].gid for word in plan.words for g in word.glyphs}
    assert len(used) == 4  # every sample of 'e' is used
    assert {glyphs[g.glyph].variant for word in plan.words for g in word.glyphs} == {0}
    letters = [glyphs[g.glyph].gid for word in plan.words for g in word.glyphs]
    assert all(a != b for a, b in zip(letters, letters[1:], strict=False))  # no two alike in a row


def _ocr_error(pdf: Path) -> float:
    import pypdfium2 as pdfium

    page = pdfium.PdfDocument(str(pdf))[0]
    image = page.render(scale=300 / 72, grayscale=True).to_pil()
    png = pdf.with_suffix(".png")
    image.save(png)
    legibility = benchmark("legibility")  # the benchmark's OCR and character error rate
    return legibility.cer(CARD, legibility.ocr(png))


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract-ocr is not installed")
def test_a_card_in_the_learned_hand_reads_back_like_the_source_font(hand_home, tmp_path):
    from notes.render import render_note

    font, _ = hand_home
    errors = {}
    for name in (font, "maya"):
        pdf = tmp_path / f"{name}.pdf"
        render_note(CARD, pdf, style=_card_style(name), key="ocr")
        errors[name] = _ocr_error(pdf)
    # Since issue 12 the bundled font reads far better (Caveat 11% -> 2-3% here); the learned
    # hand, drawn from its own traced samples, stays within 7 points of it. (It once passed at 4
    # only because tesseract dropped the Dancing Script card's last line: 3.6% vs 9.5% read whole.)
    assert errors["maya"] <= errors[font] + 0.07, errors


def _card_style(font: str):
    from notes.cards import parse_card
    from notes.render import Style

    return Style(font=font, card=parse_card("a5", orientation="landscape"), seed=5)
