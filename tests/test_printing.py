"""`notes print`, `notes printers`, `--print` on day and merge, against a real CUPS scheduler.

The session starts its own cupsd (tests/cupsserver.py) with cups-pdf queues; every job is
checked where it lands: cups-pdf's PDF (page count, paper size) and CUPS's job attributes.
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from notes.cli import app
from tests.cupsserver import start_cups, stop_cups

EXPORTS = Path(__file__).parent / "fixtures" / "exports"
MERGE = Path(__file__).parent / "fixtures" / "merge"
EXAMPLES = Path(__file__).parent.parent / "examples"
MM = 72 / 25.4
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="session")
def cups_session():
    server = start_cups()
    yield server
    stop_cups(server)


@pytest.fixture
def cups(cups_session, monkeypatch, tmp_path):
    monkeypatch.setenv("CUPS_SERVER", cups_session.address)
    monkeypatch.chdir(tmp_path)
    made: list[Path] = []
    cups_session.made = made
    yield cups_session
    for path in made:  # cups-pdf's files of this test's jobs, and nothing else
        path.unlink(missing_ok=True)


def printed(server, output: str, since: float) -> list[tuple[Path, dict[str, str], str]]:
    """Every job `notes` said it sent: (cups-pdf's file, job attributes, the line said)."""
    jobs = re.findall(r"^printing .*: job (\S+),.*$", output, re.M)
    assert jobs, output
    result = []
    for job_id in jobs:
        path, attributes = server.finished_job(job_id, since)
        server.made.append(path)
        line = next(ln for ln in output.splitlines() if f"job {job_id}," in ln)
        result.append((path, attributes, line))
    return result


def paper_mm(pdf: Path) -> tuple[int, int, int]:
    """(pages, width, height) of a printed PDF, sizes rounded to whole millimetres."""
    page = PdfReader(pdf).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    return len(PdfReader(pdf).pages), round(width / MM), round(height / MM)


def write_card(path: Path, *extra: str) -> Path:
    result = run("write", "--text", "Dear Ana, thank you for the teapot!", "-o", path, *extra)
    assert result.exit_code == 0, result.output
    return path


# -- with a real CUPS ------------------------------------------------------------------------


def test_a_card_prints_on_its_own_paper(cups, tmp_path):
    card = write_card(tmp_path / "ana.pdf")
    since = time.time()
    result = run("print", card, "--printer", "notes-pdf")
    assert result.exit_code == 0, result.output
    [(pdf, attributes, line)] = printed(cups, result.output, since)
    assert "1 page, Custom.105x148mm" in line
    assert attributes["media"] == "Custom.105x148mm"
    assert paper_mm(pdf) == (1, 105, 148)


def test_a_day_folder_prints_its_cards_then_their_envelopes(cups, tmp_path):
    day = run(
        "day",
        EXPORTS / "shopify_orders.csv",
        "--date",
        "2026-11-21",
        "--ledger",
        "l.sqlite3",
        "-o",
        "today",
        "-q",
    )
    assert day.exit_code == 0, day.output
    since = time.time()
    result = run("print", "today", "--printer", "notes-pdf-duplex", "--duplex")
    assert result.exit_code == 0, result.output
    (cards, card_job, first), (envelopes, attributes, second) = printed(cups, result.output, since)
    assert "today/cards.pdf" in first and "today/envelopes.pdf" in second
    assert paper_mm(cards) == (7, 105, 148)
    assert paper_mm(envelopes) == (7, 162, 114)  # C6, addressed in landscape
    assert attributes["media"] == "Custom.162x114mm"
    assert card_job["sides"] == "two-sided-long-edge" and "sides" not in attributes


def test_copies_pages_duplex_and_tray_reach_the_printer(cups, tmp_path):
    cards = tmp_path / "cards.pdf"
    merged = run("merge", EXAMPLES / "customers.csv", "-t", "thank-you", "-o", cards, "-q")
    assert merged.exit_code == 0, merged.output
    since = time.time()
    result = run("print", cards, "-p", "notes-pdf-duplex", "--copies", "2", "--pages", "1-2",
                 "--duplex", "--tray", "manual")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "note:" not in result.output  # this queue prints both sides
    [(pdf, attributes, _)] = printed(cups, result.output, since)
    assert attributes["copies"] == "2"
    assert attributes["page-ranges"] == "1-2"
    assert attributes["sides"] == "two-sided-long-edge"
    assert attributes["InputSlot"] == "Manual"  # the driver's own spelling
    assert paper_mm(pdf)[0] == 2


def test_a_sheet_prints_on_the_size_the_driver_names(cups, tmp_path):
    sheets = tmp_path / "sheets.pdf"
    merged = run("merge", EXAMPLES / "customers.csv", "-t", "thank-you", "--sheet", "a4",
                 "-o", sheets, "-q")  # fmt: skip
    assert merged.exit_code == 0, merged.output
    since = time.time()
    result = run("print", sheets, "-p", "notes-pdf")
    [(pdf, attributes, _)] = printed(cups, result.output, since)
    assert attributes["media"] == "A4"
    assert paper_mm(pdf)[1:] == (210, 297)


def test_duplex_on_a_one_sided_printer_says_how(cups, tmp_path):
    card = write_card(tmp_path / "ana.pdf")
    since = time.time()
    result = run("print", card, "-p", "notes-pdf", "--duplex")
    assert result.exit_code == 0
    assert "notes-pdf prints on one side only" in result.output
    printed(cups, result.output, since)


def test_day_and_merge_print_what_they_wrote(cups, tmp_path):
    since = time.time()
    day = run("day", EXPORTS / "shopify_orders.csv", "--date", "2026-11-21", "--ledger", "l.sqlite3", "-o", "today",
              "-q", "--print", "notes-pdf")  # fmt: skip
    assert day.exit_code == 0, day.output
    assert [paper_mm(p)[0] for p, _, _ in printed(cups, day.output, since)] == [7, 7]

    for name in ("postcard.j2", "postcard.back.j2"):  # a card with a back
        shutil.copy(MERGE / name, tmp_path / name)
    since = time.time()
    merge = run("merge", EXAMPLES / "customers.csv", "-t", "postcard.j2", "-o", "c.pdf",
                "--envelopes", "e.pdf", "-q", "--print", "notes-pdf-duplex", "--duplex")  # fmt: skip
    assert merge.exit_code == 0, merge.output
    (cards, card_job, _), (_, envelope_job, _) = printed(cups, merge.output, since)
    assert paper_mm(cards)[0] == 2 * len(PdfReader(tmp_path / "e.pdf").pages)  # front and back
    assert card_job["sides"] == "two-sided-long-edge" and "sides" not in envelope_job


def test_a_missing_printer_is_found_out_before_anything_is_written(cups, tmp_path):
    result = run("merge", EXAMPLES / "customers.csv", "-t", "thank-you", "-o", "c.pdf",
                 "--print", "Office")  # fmt: skip
    assert result.exit_code == 1
    assert "there is no printer called 'Office'" in result.output
    assert "notes-pdf" in result.output and "lpadmin -p NAME" in result.output
    assert not (tmp_path / "c.pdf").exists()
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "args, words",
    [
        (["--tray", "Tray9"], ["has no tray 'Tray9'", "its trays: Tray1, Manual"]),
        (["--pages", "2-9"], ["goes past the last page (1)", "pages 1-1"]),
        (["--pages", "two"], ["not a list of pages", "--pages 1-4,7"]),
    ],
)
def test_print_mistakes_get_a_message(cups, tmp_path, args, words):
    card = write_card(tmp_path / "ana.pdf")
    result = run("print", card, "-p", "notes-pdf-duplex", *args)
    assert result.exit_code == 2
    for word in words:
        assert word in result.output


def test_printers_lists_queues_with_paper_trays_and_duplex(cups):
    result = run("printers")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    duplex = lines.index(next(ln for ln in lines if ln.startswith("notes-pdf-duplex:")))
    assert "A4" in lines[duplex + 1] and "any size (custom)" in lines[duplex + 1]
    assert lines[duplex + 2].split() == ["trays:", "Tray1,", "Manual"]
    assert lines[duplex + 3].split() == ["duplex:", "yes"]
    plain = lines.index(next(ln for ln in lines if ln.startswith("notes-pdf:")))
    assert lines[plain + 3].split() == ["duplex:", "no"]


def _ink_box(pdf: Path) -> tuple[int, int, int, int]:
    """Left, top, right, bottom pixel of the ink at 100 dpi."""
    document = pdfium.PdfDocument(str(pdf))
    image = document[0].render(scale=100 / 72, grayscale=True).to_pil()
    document.close()
    return image.point(lambda v: 255 if v < 128 else 0).getbbox()


def test_calibration_stores_the_offset_and_later_jobs_are_shifted_back(cups, tmp_path):
    config = tmp_path / "notes.toml"
    config.write_text('# my shop\n[shop]\nname = "Juniper"  # keep me\n')
    since = time.time()
    page = run("print", "--calibrate", "-p", "notes-pdf", "--config", config, "--card", "a6")
    assert page.exit_code == 0, page.output
    job = re.search(r"job (\S+)$", page.output.splitlines()[0]).group(1)
    alignment, _ = cups.finished_job(job, since)
    cups.made.append(alignment)
    assert paper_mm(alignment) == (1, 105, 148)

    stored = run("print", "--calibrate", "-p", "notes-pdf", "--config", config,
                 "--measured", "22.5,17")  # fmt: skip
    assert stored.exit_code == 0, stored.output
    text = config.read_text()
    assert "# my shop" in text and "# keep me" in text  # the shop's own file, kept as it was
    assert "[printers.notes-pdf]" in text and "offset_x_mm = 2.5" in text

    card = write_card(tmp_path / "ana.pdf")
    since = time.time()
    plain = run("print", card, "-p", "notes-pdf-duplex", "--config", config)
    shifted = run("print", card, "-p", "notes-pdf", "--config", config)
    [(plain_pdf, _, _)] = printed(cups, plain.output, since)
    [(shifted_pdf, _, _)] = printed(cups, shifted.output, since)
    (l1, t1, _, _), (l2, t2, _, _) = _ink_box(plain_pdf), _ink_box(shifted_pdf)
    # The printer puts things 2.5 mm right and 3 mm low: the job moves them left and up.
    assert (l1 - l2) == pytest.approx(2.5 / 25.4 * 100, abs=1.5)
    assert (t1 - t2) == pytest.approx(3 / 25.4 * 100, abs=1.5)


def test_a_stopped_scheduler_is_a_clear_error(cups, monkeypatch, tmp_path):
    monkeypatch.setenv("CUPS_SERVER", "127.0.0.1:9")  # nothing listens on the discard port
    result = run("print", write_card(tmp_path / "ana.pdf"), "-p", "notes-pdf")
    assert result.exit_code == 1
    assert "the CUPS print service is not running" in result.output
    assert "systemctl start cups" in result.output


# -- without CUPS ----------------------------------------------------------------------------


def test_without_cups_notes_print_says_how_to_print_the_pdf(tmp_path, monkeypatch):
    card = write_card(tmp_path / "ana.pdf")
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    result = run("print", card, "--printer", "Office")
    assert result.exit_code == 1
    assert "needs CUPS" in result.output
    assert "print it at actual size (100 %" in result.output
    assert "Traceback" not in result.output


def test_measured_values_are_checked(tmp_path):
    from notes.calibration import parse_measured

    assert parse_measured("21.5, 19mm") == (1.5, -1.0)
    with pytest.raises(Exception, match="not two numbers"):
        parse_measured("21.5")
    with pytest.raises(Exception, match="more than 15 mm"):
        parse_measured("60,20")


def test_paper_is_named_as_the_driver_names_it_or_asked_for_exactly():
    from notes.printmedia import CUSTOM, PageSizes, media_for

    a6 = PageSizes(1, 105 * MM, 148 * MM)
    assert media_for(a6, ("A4", "A6", CUSTOM)) == "A6"
    assert media_for(a6, ("A4", CUSTOM)) == "Custom.105x148mm"
    assert media_for(a6, ()) == "Custom.105x148mm"  # a driver that says nothing
    c6 = PageSizes(1, 162 * MM, 114 * MM)
    assert media_for(c6, ("EnvC6",)) == "EnvC6"  # landscape pages on the envelope size
    with pytest.raises(Exception, match="no 105 x 148 mm paper") as caught:
        media_for(a6, ("A4", "Letter"))
    assert "--sheet a4" in caught.value.hint


def test_pages_of_different_sizes_are_refused(tmp_path):
    from pypdf import PdfWriter

    from notes.printmedia import read_page_sizes

    writer = PdfWriter()
    writer.add_blank_page(297, 420)
    writer.add_blank_page(595, 842)
    mixed = tmp_path / "mixed.pdf"
    writer.write(mixed)
    with pytest.raises(Exception, match="page 2 is 210 x 297 mm but page 1 is 105 x 148 mm"):
        read_page_sizes(mixed)
    (tmp_path / "junk.pdf").write_text("not a pdf")
    with pytest.raises(Exception, match="not a readable PDF"):
        read_page_sizes(tmp_path / "junk.pdf")


def test_printer_offsets_in_notes_toml_are_checked(tmp_path):
    from notes.config import load_config
    from notes.errors import ConfigError

    config = tmp_path / "notes.toml"
    config.write_text("[printers.Office]\noffset_x_mm = 1.5\noffset_y_mm = -2\n")
    assert load_config(config).printers["Office"].offset_y_mm == -2.0
    config.write_text('[printers.Office]\noffset_x_mm = "left"\n')
    with pytest.raises(ConfigError, match="offset_x_mm must be a number") as caught:
        load_config(config)
    assert caught.value.where.endswith("line 2")
    config.write_text("[printers.Office]\nshift = 1\n")
    with pytest.raises(ConfigError, match="unknown key 'shift'"):
        load_config(config)


def test_the_review_page_prints_the_approved_cards_and_their_envelopes(cups, tmp_path):
    from tests.test_review_web import Server

    day = run(
        "day",
        EXPORTS / "shopify_orders.csv",
        "--date",
        "2026-11-21",
        "--ledger",
        "l.sqlite3",
        "-o",
        "today",
        "-q",
    )
    assert day.exit_code == 0, day.output
    server = Server(tmp_path / "today")  # inherits CUPS_SERVER: prints on the test's queues
    try:
        origin = {"Origin": f"http://127.0.0.1:{server.port}"}
        status, _, page = server.request("GET", server.base)
        assert b'<option value="notes-pdf">' in page
        for number in (1, 4):
            server.request(
                "POST", f"{server.base}card/{number}/decide", origin, "decision=approved"
            )
        since = time.time()
        status, _, body = server.request("POST", f"{server.base}print", origin, "printer=notes-pdf")
    finally:
        server.stop()
    assert status == 200
    said = re.search(r"Sent to notes-pdf: (\S+), (\S+)\.", body.decode())
    assert said, body.decode()
    (cards, card_job), (envelopes, _) = (cups.finished_job(job, since) for job in said.groups())
    cups.made += [cards, envelopes]
    assert paper_mm(cards) == (2, 105, 148) and paper_mm(envelopes) == (2, 162, 114)
    assert card_job["media"] == "Custom.105x148mm"
