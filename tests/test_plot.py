"""Pen-plotter output: a card and an envelope for Zoë Lambert as SVG, HPGL and G-code."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from typer.testing import CliRunner

from notes.cli import app
from notes.compose import compose_note
from notes.config import Plotter, Shop
from notes.errors import OutputError
from notes.plot import make_plot, page_lines, travel, write_plot
from notes.plotdevices import plot_settings
from notes.render import Style
from notes.strokehand import PenHand

runner = CliRunner()
SVG = "{http://www.w3.org/2000/svg}"
ZOE = ["--template", "thank-you", "--set", "name=Zoë Lambert", "--set", "product=blue teapot"]
ADDRESS = ["Zoë Lambert", "12 Rue des Lilas", "75011 Paris", "FRANCE"]
SENDER = ["Juniper & Clay", "12 Market Street", "Portland, OR 97201"]


def run(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="module")
def zoe_pages():
    text, who = compose_note(
        "thank-you",
        {"name": "Zoë Lambert", "product": "blue teapot"},
        shop=Shop(sender="Maya", signature="Warmly,"),
        today="2026-11-25",
        seed=1,
    )
    hand = PenHand(Style(), "ems-allure")
    return hand.card(text, key=who), hand.envelope(ADDRESS, SENDER, "c6", key=who)


@pytest.fixture(scope="module")
def zoe_files(zoe_pages, tmp_path_factory):
    """The card and the envelope in every format, the machine's origin a little off the corner."""
    folder = tmp_path_factory.mktemp("plots")
    settings = plot_settings(Plotter(offset_x=10.0, offset_y=20.0), (0.0, 0.06, 0.33))
    files = {}
    for page in zoe_pages:
        plot = make_plot(page)
        for fmt in ("svg", "hpgl", "gcode"):
            path = folder / f"zoe.{page.label}.{fmt}"
            write_plot(plot, path, settings, force=False)
            files[page.label, fmt] = (path, plot)
    return files


@pytest.mark.parametrize("label", ["card", "envelope"])
def test_svg_has_stroked_paths_only_inside_the_card_in_mm(zoe_files, label):
    path, plot = zoe_files[label, "svg"]
    root = ElementTree.parse(path).getroot()
    assert root.get("width") == f"{plot.width:g}mm" and root.get("height") == f"{plot.height:g}mm"
    assert root.get("viewBox") == f"0 0 {plot.width:g} {plot.height:g}"
    tags = {element.tag.removeprefix(SVG) for element in root.iter()}
    assert tags == {"svg", "g", "path"}, tags  # no text, no images, no shapes to fill
    (layer,) = root.findall(f"{SVG}g")
    assert layer.get("{http://www.inkscape.org/namespaces/inkscape}groupmode") == "layer"
    assert layer.get("fill") == "none" and layer.get("stroke", "").startswith("#")
    paths = layer.findall(f"{SVG}path")
    assert len(paths) > 50
    for element in paths:
        assert element.get("fill") in (None, "none") and element.get("style") is None
        numbers = [float(v) for v in re.findall(r"-?[\d.]+", element.get("d"))]
        xs, ys = numbers[0::2], numbers[1::2]
        assert 0 <= min(xs) and max(xs) <= plot.width
        assert 0 <= min(ys) and max(ys) <= plot.height


def _gcode_moves(path: Path):
    """(pen down?, command, x, y) for every move, following the profile's pen commands."""
    down = None
    moves = []
    for line in path.read_text().splitlines():
        code = line.split(";")[0].strip()
        if code.startswith("M3"):
            down = True
        elif code.startswith("M5"):
            down = False
        elif code.startswith(("G0 X", "G1 X")):
            x, y = (float(v) for v in re.findall(r"[XY](-?[\d.]+)", code))
            moves.append((down, code[:2], x, y))
    return moves


@pytest.mark.parametrize("label", ["card", "envelope"])
def test_gcode_lifts_the_pen_between_strokes_and_stays_on_the_card(zoe_files, label):
    path, plot = zoe_files[label, "gcode"]
    text = path.read_text()
    assert text.startswith("; notes:") and "G21" in text and "G90" in text
    moves = _gcode_moves(path)
    assert all(down is False for down, code, _, _ in moves if code == "G0")  # travel: pen up
    assert all(down is True for down, code, _, _ in moves if code == "G1")  # drawing: pen down
    travels = sum(code == "G0" for _, code, _, _ in moves)
    assert travels == len(plot.lines) + 1  # to each stroke, then home
    assert text.count("M3 S1000") == text.count("M5") - 1 == len(plot.lines)
    drawn = [(x, y) for _, code, x, y in moves if code == "G1"]
    assert all(10 <= x <= 10 + plot.width and 20 <= y <= 20 + plot.height for x, y in drawn)


@pytest.mark.parametrize("label", ["card", "envelope"])
def test_hpgl_lifts_the_pen_between_strokes(zoe_files, label):
    path, plot = zoe_files[label, "hpgl"]
    commands = [c for c in path.read_text().split(";") if c]
    assert commands[0] == "IN"
    pens = [c[:2] for c in commands if c[:2] in ("PU", "PD")]
    assert pens.count("PD") == len(plot.lines)
    # Every stroke is reached with the pen up, and drawn with it down: they alternate.
    strokes = pens[1:-1] if pens[-1] == "PU" else pens[1:]
    assert strokes[0::2] == ["PD"] * len(plot.lines)
    assert all(p == "PU" for p in strokes[1::2])


def test_plot_files_and_preview_are_byte_identical_for_the_same_input_and_seed(here):
    for round_ in ("one", "two"):
        (here / round_).mkdir()
        for ext in ("svg", "hpgl", "gcode"):
            args = ["write", *ZOE, "--seed", "7", "-o", f"{round_}/zoe.{ext}"]
            if ext == "svg":
                args += ["--preview", f"{round_}/zoe.png"]
            result = run(*args)
            assert result.exit_code == 0, result.output
    for name in ("zoe.svg", "zoe.hpgl", "zoe.gcode", "zoe.png"):
        assert (here / "one" / name).read_bytes() == (here / "two" / name).read_bytes(), name
    result = run("write", *ZOE, "--seed", "8", "-o", "other.svg")
    assert (here / "other.svg").read_bytes() != (here / "one" / "zoe.svg").read_bytes()


def test_optimisation_cuts_pen_up_travel_by_at_least_a_quarter(zoe_pages):
    for page in zoe_pages:
        as_written = travel(page_lines(page))
        optimised = travel(make_plot(page).lines)
        assert optimised[1] <= 0.75 * as_written[1], (page.label, as_written, optimised)
        assert optimised[0] == pytest.approx(as_written[0], rel=0.02)  # the same ink


def test_write_prints_the_plot_estimate_and_writes_the_preview(here):
    from PIL import Image

    result = run("write", *ZOE, "-o", "zoe.svg", "--preview", "zoe.png")
    assert result.exit_code == 0, result.output
    assert "wrote zoe.svg (svg for a pen plotter, a6, ems-allure)" in result.output
    assert re.search(
        r"estimate: \d+ strokes, [\d.]+ m pen down, [\d.]+ m pen up, about", result.output
    )
    with Image.open(here / "zoe.png") as image:
        assert image.size == (1240, 1748)  # A6 at 300 dpi
        assert round(image.info["dpi"][0]) == 300
        inked = sum(image.convert("L").histogram()[:128])
        assert inked > 10_000  # dark strokes on white
        assert image.getpixel((600, 5)) == (255, 255, 255)


def test_uncovered_character_is_an_error_naming_it_and_the_fonts_tried(here):
    result = run("write", "--text", "Dear Łucja, thank you!", "-o", "lucja.gcode")
    assert result.exit_code == 1
    assert "'Ł' U+0141 LATIN CAPITAL LETTER L WITH STROKE" in result.output
    assert "stroke fonts tried: ems-allure, ems-readability-italic, ems-tech" in result.output
    assert not (here / "lucja.gcode").exists()


def test_an_outline_font_is_refused_for_a_plot(here):
    result = run("write", "--text", "Hi Zoë", "--font", "caveat", "-o", "zoe.hpgl")
    assert result.exit_code == 1
    assert "'caveat' is an outline font" in result.output and "ems-allure" in result.output


def test_plot_settings_come_from_notes_toml(here):
    (here / "notes.toml").write_text(
        '[plotter]\nfont = "ems-tech"\ndevice = "grbl-z"\ndraw_speed = 10.0\n', encoding="utf-8"
    )
    result = run("write", "--text", "Hi Zoë", "-o", "zoe.gcode")
    assert result.exit_code == 0, result.output
    assert "ems-tech" in result.output
    text = (here / "zoe.gcode").read_text()
    assert "G0 Z3" in text and "G1 Z0 F600" in text and "F600\n" in text and " F600" in text
    assert "M3" not in text
    (here / "notes.toml").write_text('[plotter]\ndevice = "laser"\n', encoding="utf-8")
    result = run("write", "--text", "Hi Zoë", "-o", "zoe2.gcode")
    assert result.exit_code == 1 and "unknown plotter device 'laser'" in result.output
    assert "notes.toml [plotter]" in result.output and "grbl-servo" in result.output


def test_without_vpype_the_plot_commands_say_what_to_install(here):
    import subprocess
    import sys

    code = (
        "import sys; sys.modules['vpype'] = None; sys.modules['vpype_cli'] = None\n"
        "sys.argv = ['notes', 'write', '--text', 'Hi Zoë', '-o', 'zoe.svg']\n"
        "from notes.cli import main; main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=here, capture_output=True, text=True, check=False
    )
    assert done.returncode == 2  # a usage error: the command cannot run as installed
    assert "needs vpype" in done.stderr and "pip install 'notes[plot]'" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (here / "zoe.svg").exists()


def test_fonts_lists_and_checks_the_stroke_fonts(here):
    result = run("fonts")
    assert "ems-allure" in result.output and "for pen plotters" in result.output
    result = run("fonts", "--check", "Zoë Ł", "--font", "ems-allure")
    assert result.exit_code == 1
    assert re.search(r"'ë' U\+00EB .* ems-allure", result.output)
    assert re.search(r"'Ł' U\+0141 .* NOT DRAWABLE", result.output)


def test_a_stroke_font_is_refused_for_a_pdf(here):
    result = run("write", "--text", "Hi Zoë", "--font", "ems-allure", "-o", "zoe.pdf")
    assert result.exit_code == 1
    assert "'ems-allure' is a single-stroke font for pen plotters" in result.output
    assert not (here / "zoe.pdf").exists()


def test_svg_placed_on_the_plotters_paper_and_gcode_from_the_top_left(zoe_pages):
    from notes.plot import render_gcode, render_svg

    card = make_plot(zoe_pages[0])
    settings = plot_settings(
        Plotter(paper="a4", offset_x=20.0, offset_y=30.0, origin="top-left"), (0.0, 0.0, 0.0)
    )
    svg = render_svg(card, settings)
    assert 'width="210mm" height="297mm" viewBox="0 0 210 297"' in svg
    numbers = [
        float(v) for d in re.findall(r'<path d="([^"]*)"', svg) for v in re.findall(r"[\d.]+", d)
    ]
    xs, ys = numbers[0::2], numbers[1::2]
    assert 20 <= min(xs) and max(xs) <= 20 + card.width
    assert 30 <= min(ys) and max(ys) <= 30 + card.height
    first_x, first_y = card.lines[0][0]
    gcode = render_gcode(card, settings)
    assert f"G0 X{first_x + 20:.3f} Y{first_y + 30:.3f}" in gcode  # y runs down, as on paper
    too_far = plot_settings(Plotter(paper="a4", offset_x=150.0), (0.0, 0.0, 0.0))
    with pytest.raises(OutputError, match="does not fit the a4 paper"):
        render_svg(card, too_far)
