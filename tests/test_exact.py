"""Exact text (issue 12): codes, postcodes, URLs, e-mails and numbers are drawn in the font's own
letter shapes, with less jitter, and never broken across lines."""

from __future__ import annotations

import math
import statistics

from notes.cards import parse_card
from notes.exact import exact_words, is_exact
from notes.fonts import FontBook
from notes.layout import fit_text
from notes.render import Renderer, Style
from tests.drawn import word_letters


def test_exact_tokens_come_from_address_code_url_mail_and_number_fields_only():
    fields = {
        "name": "Lucy Hill",
        "zip": "LS1 1AA",
        "city": "LEEDS",
        "discount_code": "EXCLUSIVE",
        "website": "(example.com)",
        "order_note": "call me maybe",
        "product": "blue teapot",
        "order_total": 12.5,
    }
    assert exact_words(fields) == {"LS1", "1AA", "LEEDS", "EXCLUSIVE", "example.com", "12.5"}


def test_words_with_a_digit_an_at_or_a_scheme_are_exact_wherever_they_are():
    assert is_exact("LS1,") and is_exact("hello@example.com") and is_exact("https://x.org")
    assert not is_exact("example.com") and is_exact("example.com.", frozenset({"example.com"}))
    assert not is_exact("Thanks")


def test_an_exact_token_is_never_broken_across_lines_the_text_is_written_smaller():
    code = "THANKYOU-SPRING-2026-VIP-EXTRA"
    url = "shop.example.com/customers/lucy"
    text = f"Dear Lucy,\n\nYour code is {code} and your page is {url} for a month.\n\nMaya"
    fonts = FontBook("caveat")
    box = (20.0, 20.0, 150.0, 260.0)  # narrow: at 24 pt neither token fits a line
    layout = fit_text(text, fonts, box, min_size=12, max_size=24, exact=frozenset({url}))
    words = [word for line in layout.lines for word in line.words]
    assert code in words and url in words
    assert layout.size < 24  # shrunk so the longest token fits
    unmarked = fit_text(text, fonts, box, min_size=12, max_size=24)
    assert url not in [w for line in unmarked.lines for w in line.words]  # broken, unmarked


def test_exact_words_keep_the_fonts_own_shapes_and_jitter_less():
    renderer = Renderer(Style(card=parse_card("a5"), seed=3, messiness=0.8))
    text = "Thanks a million Lucy your code EXCLUSIVE ends LS1 1AA at example.com tomorrow morning"
    plan = renderer.plan(text, key="Lucy", exact=frozenset({"EXCLUSIVE", "example.com"}))
    exact, free = [], []
    for word in plan.words:
        drawn = word_letters(plan, word)
        chars = "".join(letter.char for letter in drawn)
        (exact if is_exact(chars, frozenset({"EXCLUSIVE", "example.com"})) else free).append(drawn)
    assert {"".join(ltr.char for ltr in w) for w in exact} == {
        "EXCLUSIVE", "LS1", "1AA", "example.com"
    }  # fmt: skip
    assert all(letter.variant == 0 for word in exact for letter in word)
    assert any(letter.variant for word in free for letter in word)

    def turn_spread(words) -> float:
        turns = []
        for word in words:
            angles = [math.atan2(ltr.b, ltr.a) for ltr in word]
            turns += [a - statistics.fmean(angles) for a in angles]
        return statistics.pstdev(turns)

    assert turn_spread(exact) < 0.6 * turn_spread(free)


def test_field_names_are_classified_once_for_a_batch_not_for_every_row():
    """Every row has the same fields: the searches on a field's name are made for its first."""
    from notes.exact import _names_exact_values

    _names_exact_values.cache_clear()
    rows = [{"name": f"Ana {n}", "zip": f"LS{n} 1AA", "order_note": "ring twice"} for n in range(5)]
    assert [exact_words(row) for row in rows][4] == {"LS4", "1AA"}
    info = _names_exact_values.cache_info()
    assert (info.misses, info.hits) == (3, 12)
