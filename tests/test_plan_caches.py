"""A batch's notes share what their book's words are (widths, line-break pieces, letters): each
is worked out once per book, not once per note, and the store is bounded, so a merge of
20 000 rows with a unique order number each does not grow it for ever."""

from __future__ import annotations

from notes import fonts as fonts_module
from notes import letterhand, lineink, measure
from notes.handwriting import REALISM
from notes.measure import Measurer
from notes.render import Renderer, Style


def test_a_books_words_are_measured_once_for_every_note() -> None:
    renderer = Renderer(Style())
    renderer.plan("Dear Ana,\n\nThank you for the blue teapot!", key="Ana")
    measurer = Measurer(renderer.fonts)  # what the next note measures with
    assert "teapot!" in measure._BOOK_WIDTHS[renderer.fonts]
    assert any(word == "teapot!" for word, _ in measurer.words)
    assert "teapot!" in letterhand._SPELT[renderer.fonts]


def test_the_words_kept_for_a_batch_are_bounded(monkeypatch) -> None:
    monkeypatch.setattr(fonts_module, "KNOWN_WORDS", 40)
    renderer = Renderer(Style())
    for number in range(30):  # every note with five words no other note has
        codes = " ".join(f"#{number}-{k}" for k in range(5))
        renderer.plan(f"Dear Ana,\n\nyour orders {codes} are on their way.", key=str(number))
    fonts = renderer.fonts
    most = 40 + 12  # the limit, and one note's words
    assert len(Measurer(fonts).words) <= most
    assert len(measure._BOOK_WIDTHS[fonts]) <= most
    assert len(letterhand._SPELT[fonts]) <= most
    assert len(lineink._BOOK_WORDS[fonts]) <= most


def _shapes(plan) -> list[tuple]:
    """Each placed letter as its shape's key in the glyph table and its matrix."""
    keys = list(plan.glyphs.ids)  # ids are given in the order keys came
    return [(keys[g.glyph], *g[1:]) for word in plan.words for g in word.glyphs]


def test_a_note_after_others_is_drawn_as_it_is_alone() -> None:
    """The letters' shape ids kept per word (letterhand._SLOTS) give every note the shapes
    it gets in a fresh table, whatever the notes before it wrote."""
    note = "Dear Ana,\n\nthank you for the blue teapot, and the tea!"
    alone = Renderer(Style(realism="rough")).plan(note, key="Ana")
    renderer = Renderer(Style(realism="rough"))
    for name in ("Ben", "Cy", "Dee"):
        renderer.plan(f"Dear {name},\n\nthe tea and the blue teapot are yours.", key=name)
    after = renderer.plan(note, key="Ana")
    assert _shapes(after) == _shapes(alone)


def test_two_hands_sharing_a_glyph_table_keep_their_own_letters() -> None:
    """Envelopes write in another hand into the cards' table: the same word keeps each
    hand's shapes (and each realism's), never the other's."""
    cards = Renderer(Style(font="caveat"))
    envelope = Renderer(Style(font="playpen-sans"), glyphs=cards.glyphs)
    plain = Renderer(Style(font="caveat", realism="rough"), glyphs=cards.glyphs)
    for renderer in (cards, envelope, plain):
        plan = renderer.plan("Dear Ana, thank you!", key="Ana")
        alone = Renderer(renderer.style).plan("Dear Ana, thank you!", key="Ana")
        assert _shapes(plan) == _shapes(alone)
        hand = (renderer.fonts.primary.name, REALISM[renderer.style.realism])
        assert {(key[0], key[3]) for key, *_ in _shapes(plan)} == {hand}


def test_a_note_of_characters_its_hand_wrote_before_is_not_looked_at_again() -> None:
    """hand_for asks of every note whether the primary draws all of it: the characters of the
    notes it drew are kept, so the next note of the batch made of them is not looked at."""
    fonts = fonts_module.FontBook("caveat")
    assert fonts.hand_for("Dear Ana,\n\nthank you!") == (fonts, "")
    assert set("Dear Ana,\n\nthank you!") <= fonts._primary_writes
    assert fonts.hand_for("Thank you, Ana!") == (fonts, "")
    hand, why = fonts.hand_for("Dear 田中, thank you!")  # one it lacks is still seen
    assert hand is not fonts and "cannot draw '田'" in why
    assert "田" not in fonts._primary_writes


def _lines(fitted) -> list[tuple]:
    return [(line.words, line.x, line.y, line.width, line.role) for line in fitted.lines]


def test_a_kept_paragraph_is_measured_again_for_a_note_where_a_word_of_it_is_exact() -> None:
    """A batch's notes share paragraphs, each measured once (notes.measure), with the
    note's exact tokens: one whose word another note marks exact (a code, never broken) is
    measured again for that note."""
    from notes.fonts import FontBook
    from notes.layout import fit_text

    fonts = FontBook("caveat")
    code = "SPRINGSALE" * 6  # wider than a line: broken, unless exact
    text = f"Dear Ana,\n\nyour code {code} is ready.\n\nWarmly,\nMaya"
    area, sizes = (20.0, 20.0, 250.0, 380.0), {"min_size": 9.0, "max_size": 17.0}
    plain = fit_text(text, fonts, area, **sizes)
    marked = fit_text(text, fonts, area, **sizes, exact=frozenset({code}))
    measure._BOOK_PARAGRAPHS[fonts].clear()
    alone = fit_text(text, fonts, area, **sizes, exact=frozenset({code}))
    assert (_lines(marked), marked.size) == (_lines(alone), alone.size)
    assert marked.size < plain.size  # the code kept whole, so the note written smaller
    assert _lines(fit_text(text, fonts, area, **sizes)) == _lines(plain)


def test_a_word_measured_for_one_note_is_measured_as_alone_in_the_next() -> None:
    """A paragraph seldom seen again (it holds an order number) is measured word by word from
    what the batch's notes kept of each word (its width, where a line may end inside it, its
    exact token): a code broken in one note is whole in the next that marks it exact."""
    from notes.fonts import FontBook
    from notes.layout import fit_text

    code = "SPRINGSALE" * 6  # wider than a line: broken, unless exact
    area, sizes = (20.0, 20.0, 250.0, 380.0), {"min_size": 9.0, "max_size": 17.0}

    def note(number: int) -> str:
        return f"Dear Ana,\n\norder #{number}: your code {code} is ready.\n\nWarmly,\nMaya"

    fonts = FontBook("caveat")
    plain = fit_text(note(1), fonts, area, **sizes)
    assert (code, area[2] / 17.0 - 0.35) in Measurer(fonts).words  # kept for the next notes
    marked = fit_text(note(2), fonts, area, **sizes, exact=frozenset({code}))
    again = fit_text(note(3), fonts, area, **sizes)
    fresh = FontBook("caveat")
    for fitted, alone in (
        (marked, fit_text(note(2), fresh, area, **sizes, exact=frozenset({code}))),
        (again, fit_text(note(3), FontBook("caveat"), area, **sizes)),
    ):
        assert (_lines(fitted), fitted.size) == (_lines(alone), alone.size)
    assert marked.size < plain.size and again.size == plain.size


def test_a_character_no_font_has_fails_its_note_after_kept_paragraphs() -> None:
    import pytest

    from notes.errors import FontError
    from notes.fonts import FontBook
    from notes.layout import fit_text

    fonts = FontBook("caveat")
    area, sizes = (20.0, 20.0, 250.0, 380.0), {"min_size": 9.0, "max_size": 17.0}
    fit_text("Dear Ana,\n\nthank you!\n\nMaya", fonts, area, **sizes)
    with pytest.raises(FontError):
        fit_text("Dear Ana,\n\nthank you! \U00013000\n\nMaya", fonts, area, **sizes)


def test_the_paragraphs_kept_for_a_batch_are_bounded(monkeypatch) -> None:
    monkeypatch.setattr(measure, "KNOWN_PARAGRAPHS", 5)
    renderer = Renderer(Style())
    for name in ("Ana", "Ben", "Cy", "Dee", "Eve", "Flo", "Gus", "Hal"):
        renderer.plan(f"Dear {name},\n\nthe {name} teapot is yours.\n\nMaya", key=name)
    assert 0 < len(Measurer(renderer.fonts).paragraphs) <= 5


def test_spelt_words_share_each_letter_they_have_in_common() -> None:
    # A day's thousands of names and codes each kept a tuple of its own for every letter (~1 KB
    # a word in every worker: notes day of 3000 customers went over 250 MB).
    renderer = Renderer(Style())
    renderer.plan("Dear Ana,\n\nthank you, Anabel!", key="Ana")
    spelt = letterhand._SPELT[renderer.fonts]
    assert spelt["Ana,"][:3] == spelt["Anabel!"][:3]
    assert all(a is b for a, b in zip(spelt["Ana,"][:3], spelt["Anabel!"][:3], strict=True))


def test_a_kept_paragraphs_lines_keep_how_far_their_ink_reaches() -> None:
    """The line pitch (notes.lineink) needs each line's ink: a kept paragraph's wrapped lines
    carry it, so the batch's next notes do not look at their words' letters again."""
    from notes.fonts import FontBook
    from notes.layout import fit_text
    from notes.lineink import LineInk

    fonts = FontBook("caveat")
    area, sizes = (20.0, 20.0, 250.0, 380.0), {"min_size": 9.0, "max_size": 17.0}
    first = fit_text("Dear Ana,\n\nthe teapot is yours, with love.\n\nMaya", fonts, area, **sizes)
    kept = [p for key, p in Measurer(fonts).paragraphs.items() if key[2].startswith("the teapot")]
    (wrapped,) = kept[0].measured[1][0].wrapped.values()
    assert [(words, LineInk(fonts).line(words)) for words, _, _ in wrapped] == [
        (words, reach) for words, _, reach in wrapped
    ]
    again = fit_text("Dear Ben,\n\nthe teapot is yours, with love.\n\nMaya", fonts, area, **sizes)
    assert [line.y for line in again.lines] == [line.y for line in first.lines]


def test_a_new_words_ink_reach_is_its_letters_together() -> None:
    """A word the book has not measured (a name, an order number: one on every card) reaches
    as far as its glyphs measured together, though each letter's reach is looked up once."""
    from notes.fonts import FontBook
    from notes.lineink import LineInk, _placed_reach

    for font in ("caveat", "dancing-script", "kalam"):
        fonts = FontBook(font)
        for word in ("(#10234).", "Ægir", "jumpy", "Nguyễn", "Zoë!", "qypj", "—", "...", "'"):
            per_char = fonts.fonts_for_word(word)
            glyphs = [(f, f.glyph_id(c), 0.0) for c, f in zip(word, per_char, strict=True)]
            assert LineInk(fonts).word(word) == _placed_reach(glyphs), (font, word)


def test_whether_an_ascii_word_needs_shaping_is_not_kept() -> None:
    """No ASCII word is shaped (no complex script, right-to-left letter or combining mark):
    the answer is given at once, so a batch's order numbers do not fill the book's store."""
    from notes.fonts import FontBook
    from notes.shaping import has_rtl, word_needs_shaping

    fonts = FontBook("caveat")
    for number in range(50):
        assert fonts.needs_shaping(f"(#{10000 + number}).") is False
    assert not any(word_needs_shaping(chr(c)) or has_rtl(chr(c)) for c in range(128))
    assert fonts.needs_shaping("שלום") and fonts.needs_shaping("Nguyễn") is False
    assert fonts.needs_shaping("e\u0301")  # a combining mark is placed by shaping
    assert all(word.isascii() is False for word in fonts._needs_shaping)


def test_words_of_characters_the_primary_writes_are_checked_without_being_kept() -> None:
    """check_text asks of every word of a note: one made of characters hand_for found the
    primary draws passes at once, and a batch's order numbers are not kept one by one."""
    import pytest

    from notes.errors import FontError
    from notes.fonts import FontBook

    fonts = FontBook("caveat")
    assert fonts.hand_for("Dear Ana, your orders #1234567890 (thanks).") == (fonts, "")
    for number in range(50):
        fonts.check_text(f"(#{10000 + number}).")
    assert not fonts._checked
    fonts.check_text("Zoë")  # a character hand_for has not seen: looked at, and kept
    assert fonts._checked == {"Zoë"}
    with pytest.raises(FontError):
        fonts.check_text("#1\U00013000")


def test_a_note_of_characters_the_primary_wrote_is_fitted_without_a_check_per_word() -> None:
    """fit_text checks a note's words one by one only when its hand has not written all of
    its characters before; a character no font has still fails its note."""
    import pytest

    from notes.errors import FontError
    from notes.fonts import FontBook
    from notes.layout import clean_text, fit_text

    fonts = FontBook("caveat")
    area, sizes = (20.0, 20.0, 250.0, 380.0), {"min_size": 9.0, "max_size": 17.0}
    note = "Dear Ana,\n\nthank you for order #10023!\n\nMaya"
    assert fonts.hand_for(note) == (fonts, "")
    assert fonts.writes_all(clean_text(note.replace("10023", "20031")))
    fit_text(note.replace("10023", "20031"), fonts, area, **sizes)
    hostile = note.replace("#", "\U00013000")
    assert fonts.hand_for(hostile) == (fonts, "") and not fonts.writes_all(hostile)
    with pytest.raises(FontError):
        fit_text(hostile, fonts, area, **sizes)


def test_the_fonts_of_a_books_words_are_kept_bounded(monkeypatch) -> None:
    """A batch's order numbers are each written once: the fonts of a book's words are kept for
    the batch's next notes, but not for ever."""
    from notes.fonts import FontBook

    monkeypatch.setattr(fonts_module, "KNOWN_WORDS", 40)
    fonts = FontBook("caveat")
    assert fonts.fonts_for_word("田中")[0] is not fonts.primary
    assert "田中" in fonts._by_word
    for number in range(100):
        # (Caveat's order numbers are written in a legible hand: one font for the whole word.)
        assert len(set(map(id, fonts.fonts_for_word(f"(#{10000 + number}).")))) == 1
    assert 0 < len(fonts._by_word) <= 40
