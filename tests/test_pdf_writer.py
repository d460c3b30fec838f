"""The PDF writer's document structure: what is written once per document, not once per page."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pypdfium2
from pypdf import PdfReader

from notes.render import Renderer, Style, write_cards
from tests.pdfcheck import check_pdf

TEXTS = [
    "Dear Ana,\nthank you for the blue teapot!",
    "Dear Ben,\nthe wool socks are on their way.",
    "Dear Carla,\nenjoy the olive oil soap.",
]


def _cards(path: Path, style: Style | None = None) -> PdfReader:
    renderer = Renderer(style or Style())
    write_cards((renderer.plan(text, key=text) for text in TEXTS), path)
    return check_pdf(path)


def test_every_page_refers_to_one_shared_xobject_dictionary(tmp_path):
    reader = _cards(tmp_path / "cards.pdf")
    dictionaries = {page["/Resources"].raw_get("/XObject").idnum for page in reader.pages}
    assert len(dictionaries) == 1  # an indirect object, the same for every page
    shared = reader.pages[0]["/Resources"]["/XObject"]
    forms = {shared.raw_get(name).idnum for name in shared}
    assert len(forms) == len(shared)  # each glyph shape is one form in the whole document
    for page in reader.pages:
        content = page.get_contents().get_data().decode()
        words = content.split()
        used = {name for name, op in zip(words, words[1:], strict=False) if op == "Do"}
        assert used and used <= set(shared)  # every form a page draws is in the dictionary
    assert [page.extract_text().split()[:2] for page in reader.pages] == [
        ["Dear", "Ana,"],
        ["Dear", "Ben,"],
        ["Dear", "Carla,"],
    ]


def test_pages_render_in_pdfium(tmp_path):
    path = tmp_path / "cards.pdf"
    _cards(path)
    document = pypdfium2.PdfDocument(path)
    bitmap = document[2].render(scale=1).to_pil().convert("L")
    assert bitmap.getextrema()[0] < 100  # ink on the last page: its forms were found


# Run in a fresh interpreter: caches that earlier tests in this process filled (or evict) would
# otherwise show up as growth that has nothing to do with the writer.
PEAKS = """
import sys, tracemalloc
from pathlib import Path
from notes.render import Renderer, Style, write_cards

path = Path(sys.argv[1])
text = "Dear Ana,\\nthank you so much for the blue teapot. I wrapped it by hand this week."
for count in (3, 10, 50):
    renderer = Renderer(Style())
    tracemalloc.start()
    write_cards((renderer.plan(text, key=str(n)) for n in range(count)), path, force=True)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(count, peak, path.stat().st_size)
"""


def test_memory_does_not_grow_with_the_pages(tmp_path):
    """Pages go to disk as they are finished; the file is written object by object."""
    path = tmp_path / "cards.pdf"
    run = subprocess.run(
        [sys.executable, "-c", PEAKS, str(path)], capture_output=True, text=True, check=True
    )
    peaks = {
        int(c): (int(p), int(s)) for c, p, s in (line.split() for line in run.stdout.splitlines())
    }
    (few, small), (many, large) = peaks[10], peaks[50]  # 3 pages first: fonts and caches loaded
    assert (
        many - few < (large - small) / 2
    )  # reportlab's own save held every page: about 3x the growth
    check_pdf(path)
    assert len(list(tmp_path.iterdir())) == 1  # no spool left beside the output
