"""The PDF writer's document structure: what is written once per document, not once per page."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pikepdf
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


_PEAKS = """
import sys, tracemalloc
from pathlib import Path
from notes.render import Renderer, Style, write_cards
path = Path(sys.argv[1])
text = "Dear Ana,\\nthank you so much for the blue teapot. I wrapped it by hand this week."
renderer = Renderer(Style())  # one for all: its words' writings are made once (notes.writings)
def peak(count):
    tracemalloc.start()
    write_cards((renderer.plan(text, key=str(n)) for n in range(count)), path, force=True)
    found = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return found, path.stat().st_size
peak(60)  # every card's glyph variants, writings and caches made once
print(*peak(10), *peak(60))
"""


def test_page_contents_are_not_held_in_memory(tmp_path):
    """Each page goes to the file as it is finished, and only a reference to it stays: about
    2 KB more per page at the peak (it was ~26 KB with every page's content and the whole file
    in memory). Measured in a fresh interpreter: earlier tests' caches would blur the figure."""
    path = tmp_path / "cards.pdf"
    result = subprocess.run(
        [sys.executable, "-c", _PEAKS, str(path)], capture_output=True, text=True, check=True
    )
    few, _, many, _ = map(int, result.stdout.split())
    assert (many - few) / 50 < 6_000  # bytes more at the peak for each of 50 more pages
    check_pdf(path)
    assert len(list(tmp_path.iterdir())) == 1  # nothing else left beside the output


THANK_YOU = (
    "Hello {name},\nThank you so much for your order (#1000{n}). I wrapped your rice bowl "
    "myself, and I hope it brings you joy.\nIt means a lot to a small shop like ours. I'd "
    "love to hear what you think.\nWith thanks,\nThe team"
)


def _bytes_per_card(path: Path, count: int) -> int:
    renderer = Renderer(Style())
    names = ["Dmitri", "Ana", "Hiro", "Giulia"]
    texts = [THANK_YOU.format(name=names[n % 4], n=n) for n in range(count)]
    write_cards((renderer.plan(text, key=text) for text in texts), path, force=True)
    return path.stat().st_size


def test_a_card_costs_at_most_4_5_kb(tmp_path):
    """Issue 16's size goal, per card of 400 with everything in: fonts, glyph forms and the
    words' forms (notes.writings; each of a word's writings is drawn once per document, so a
    card costs less the more there are: 2.1 KB a card from the 200th to the 400th). Per
    card beyond the fonts and forms: 4.8 KB when every page carried its own resources and
    5-decimal matrices, 4.2 KB when each letter was placed on the page."""
    path = tmp_path / "cards.pdf"
    assert _bytes_per_card(path, 400) / 400 <= 4500
    reader = check_pdf(path)
    shared = {page.raw_get("/Resources").idnum for page in reader.pages}
    assert len(shared) == 1  # one resources dictionary for every page
    assert not any("/Trans" in page or "/Rotate" in page for page in reader.pages)


def test_words_copy_with_their_spaces_in_a_font_of_fractional_widths(tmp_path):
    """Indie Flower has 1024 units per em: most of its widths are fractions of 1/1000 em.
    poppler reads a CID font's default width (/DW) only as an integer: a fraction there made
    every glyph without its own /W entry 1 em wide, and pdftotext ran the words together."""
    path = tmp_path / "indie.pdf"
    text = "Thank you so much for your order, Ana!"
    renderer = Renderer(Style(font="indie-flower"))
    write_cards([renderer.plan(text, key="indie")], path)
    check_pdf(path)
    copied = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
    assert copied.stdout.split() == text.split()


def test_two_characters_drawn_by_one_glyph_copy_as_typed(tmp_path):
    """Yomogi draws the en dash and the figure dash with one glyph: a glyph id reads as one
    text, so the second is shown through a second font object of the same file."""
    path = tmp_path / "dashes.pdf"
    text = "こんにちは 10\u201312 and 10\u201212"
    write_cards([Renderer(Style(font="yomogi")).plan(text, key="dashes")], path)
    reader = check_pdf(path)
    assert reader.pages[0].extract_text().split() == text.split()
    copied = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
    assert copied.stdout.split() == text.split()
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert len({str(font["/BaseFont"]).split("+")[1] for font in fonts.values()}) == 1
    assert len(fonts) == 2  # the same file twice, each with its own ToUnicode


def test_a_shade_is_set_once_while_the_words_after_it_round_to_it(tmp_path):
    """Each word's ink differs a little (pressure); at 1/100 a channel most neighbours agree,
    and the page then sets the colour only when it changes."""
    path = tmp_path / "card.pdf"
    plan = Renderer(Style(messiness=0.02)).plan(THANK_YOU.format(name="Ana", n=1), key="Ana")
    assert len({word.ink for word in plan.words}) > 10  # every word its own shade...
    write_cards([plan], path)
    with pikepdf.open(path) as pdf:
        content = pdf.pages[0].Contents.read_bytes().decode()
    assert content.count(" rg ") == 1  # ...which all round to one
