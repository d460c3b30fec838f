"""A batch's notes share what their book's words are (widths, line-break pieces, letters): each
is worked out once per book, not once per note, and the store is bounded, so a merge of
20 000 rows with a unique order number each does not grow it for ever."""

from __future__ import annotations

from notes import fonts as fonts_module
from notes import handwriting, layout, lineink
from notes.layout import Measurer
from notes.render import Renderer, Style


def test_a_books_words_are_measured_once_for_every_note() -> None:
    renderer = Renderer(Style())
    renderer.plan("Dear Ana,\n\nThank you for the blue teapot!", key="Ana")
    measure = Measurer(renderer.fonts)  # what the next note measures with
    assert "teapot!" in layout._BOOK_WIDTHS[renderer.fonts]
    assert any(word == "teapot!" for word, _ in measure.units)
    assert "teapot!" in handwriting._SPELT[renderer.fonts]


def test_the_words_kept_for_a_batch_are_bounded(monkeypatch) -> None:
    monkeypatch.setattr(fonts_module, "KNOWN_WORDS", 40)
    renderer = Renderer(Style())
    for number in range(30):  # every note with five words no other note has
        codes = " ".join(f"#{number}-{k}" for k in range(5))
        renderer.plan(f"Dear Ana,\n\nyour orders {codes} are on their way.", key=str(number))
    fonts = renderer.fonts
    most = 40 + 12  # the limit, and one note's words
    assert len(Measurer(fonts).units) <= most
    assert len(layout._BOOK_WIDTHS[fonts]) <= most
    assert len(handwriting._SPELT[fonts]) <= most
    assert len(lineink._BOOK_WORDS[fonts]) <= most
