"""Words written a few ways per hand and placed again on later cards (notes.writings): drawn
whole in the PDF as one form each, the same letters as the drawing model's, never one writing
twice for a word on a card, other writings for another seed, and any --jobs the same bytes."""

from __future__ import annotations

import gc
import math
import random
import re
from collections import Counter
from itertools import product
from pathlib import Path

import pikepdf
from hypothesis import given
from hypothesis import strategies as st

from notes import batch, handwriting
from notes.drawing import WordShape
from notes.handwriting import scaled_place
from notes.merge import Outputs, merge
from notes.pdf.placing import FORM_UNITS, WORD_PLACE
from notes.pdf.words import INLINE_USES
from notes.render import Renderer, Style, write_cards
from notes.writings import WRITINGS, pick_writing
from tests.pdfcheck import check_pdf, text_of

NOTE = "Dear Ana,\nthank you, thank you, thank you for the blue teapot! Order #10042."
_NUMBER = r"(-?\d+(?:\.\d+)?)"
_WORD = re.compile(rf"^(\d+) w q {_NUMBER} {_NUMBER} 0 {_NUMBER} {_NUMBER} {_NUMBER} cm %s Do Q$")
_LETTER = re.compile(r"^q " + " ".join([_NUMBER] * 6) + r" cm %s Do Q$")


def _shape(plan, word) -> WordShape:
    return plan.glyphs[word.placing.forms[0]]


def test_a_word_drawn_whole_draws_its_letters_where_the_drawing_model_has_them():
    plan = Renderer(Style(messiness=1.0)).plan(NOTE, key="Ana")
    whole = [w for w in plan.words if w.placing is not None]
    assert len(whole) >= 10
    for word in whole:
        shape = _shape(plan, word)
        assert isinstance(shape, WordShape)
        _, scale, rise, scale_too, x, y = map(float, _WORD.match(word.placing.operators).groups())
        assert scale == scale_too
        letters = [g for g in word.glyphs if plan.glyphs[g.glyph].outline]
        rows = shape.operators.split("\n")
        assert len(rows) == len(letters) == len(shape.forms)
        for row, key, glyph in zip(rows, shape.forms, letters, strict=True):
            assert plan.glyphs.ids[key] == glyph.glyph  # the letter's own shape
            a, b, c, d, e, f = map(float, _LETTER.match(row).groups())
            to_form = FORM_UNITS / plan.glyphs[glyph.glyph].font.units_per_em
            # The word's matrix (scale, scale x rise, 0, scale, x, y) after the letter's.
            drawn = (scale * a, rise * a + scale * b, scale * c, rise * c + scale * d,
                     x + scale * e, y + rise * e + scale * f)  # fmt: skip
            expected = (glyph.a * to_form, glyph.b * to_form, glyph.c * to_form,
                        glyph.d * to_form, glyph.e, glyph.f)  # fmt: skip
            for got, want in zip(drawn, expected, strict=True):
                assert abs(got - want) < 0.03, (row, glyph)


def test_a_card_never_writes_a_word_the_same_way_twice():
    text = " ".join(["you"] * 20)
    plan = Renderer(Style()).plan(text, key="Ana")
    shapes = [w.placing.forms[0] for w in plan.words]
    assert len(shapes) == 20 and len(set(shapes)) == 20


@given(st.lists(st.floats(-6, 6), min_size=1, max_size=3 * WRITINGS))
def test_a_writings_number_repeats_only_once_all_are_used(draws):
    used: set[int] = set()
    picked = [pick_writing(used, draw) for draw in draws]
    assert all(0 <= index < WRITINGS for index in picked)
    assert len(set(picked[:WRITINGS])) == len(picked[:WRITINGS])


def test_cards_share_each_word_among_a_few_writings_drawn_once_in_the_pdf(tmp_path):
    renderer = Renderer(Style())
    plans = [renderer.plan(NOTE, key=f"customer {n}") for n in range(150)]
    teapot = {_shape(p, w) for p in plans for w in p.words if w.text.runs[0].text == "teapot! "}
    assert WRITINGS / 2 < len(teapot) <= WRITINGS  # ~1 card in 32 shares one with another
    path = tmp_path / "cards.pdf"
    write_cards(plans, path)
    reader = check_pdf(path)
    assert "thank you, thank you, thank you" in " ".join(text_of(reader, 149).split())
    pdf = pikepdf.open(path)
    forms = [
        o for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Form"
    ]
    words = [form for form in forms if "/Matrix" not in form]  # a letter's has one
    uses = Counter(_shape(p, w) for p in plans for w in p.words if w.placing is not None)
    # A writing is drawn in place its first INLINE_USES times, then from one form.
    assert len(words) == sum(1 for n in uses.values() if n > INLINE_USES) > 100


def test_a_card_alone_draws_its_words_in_place_with_no_form_of_their_own(tmp_path):
    """A writing's form costs more than drawing it in place a few times: one card (and most
    of a small batch's writings) has none."""
    plan = Renderer(Style()).plan(NOTE, key="Ana")
    path = tmp_path / "card.pdf"
    write_cards([plan], path)
    with pikepdf.open(path) as pdf:
        forms = [o for o in pdf.objects if isinstance(o, pikepdf.Stream) and "/BBox" in o]
        assert forms and all("/Matrix" in form for form in forms)  # letters' forms only
    assert "thank you, thank you, thank you" in " ".join(text_of(check_pdf(path), 0).split())


def test_another_seed_writes_the_words_other_ways():
    def shapes(seed: int) -> set[str]:
        plan = Renderer(Style(seed=seed)).plan(NOTE, key="Ana")
        return {_shape(plan, w).operators for w in plan.words if w.placing is not None}

    assert shapes(1) == shapes(1)
    assert not shapes(1) & shapes(2)


def test_workers_drawing_the_same_writings_give_the_bytes_of_one_process(tmp_path, monkeypatch):
    """Two workers make the same writings of the same words: each is one form in the PDF."""
    rows = "".join(f"Ana{n} Souza,teapot\n" for n in range(4 * batch.BATCH))
    source = tmp_path / "rows.csv"
    source.write_text("Name,Product\n" + rows, "utf-8")
    monkeypatch.setattr(batch, "POOL_FROM", 0)  # a pool for these few rows
    paths = [tmp_path / "one.pdf", tmp_path / "two.pdf"]
    for jobs, path in zip((1, 2), paths, strict=True):
        merge(
            source, template="thank-you", outputs=Outputs(cards=path), jobs=jobs, today="2026-11-26"
        )
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert len(check_pdf(paths[1]).pages) == 4 * batch.BATCH


def test_a_word_of_two_fonts_of_other_units_per_em_is_drawn_letter_by_letter(tmp_path):
    """A fallback font's letter of other units per em in a word: one pen width set outside a
    word's form cannot suit both, so its letters are placed one by one."""
    # Indie Flower has 1024 units per em; its fallback for the Korean letter, 1000.
    plan = Renderer(Style(font="indie-flower")).plan("Dear Ana, thank you é한", key="Ana")
    mixed = [w for w in plan.words if w.text.runs[0].text.startswith("é")]
    fonts = {plan.glyphs[g.glyph].font.units_per_em for g in mixed[0].glyphs}
    assert len(fonts) == 2
    assert mixed[0].placing is None
    path = Path(tmp_path / "card.pdf")
    write_cards([plan], path)
    assert "é한" in text_of(check_pdf(path), 0)


def test_a_code_is_written_afresh_on_each_card_and_not_kept():
    """Order numbers, postcodes and codes are mostly one card's own: kept as writings and
    word forms they would only fill memory (20 000 rows: 332 MB with two workers)."""
    renderer = Renderer(Style(), placed=True)
    plans = [renderer.plan(f"Thank you! Order #{10000 + n}.", key=str(n)) for n in range(40)]
    kept = [key for key in renderer.glyphs.ids if key[0] == "writing"]
    assert {key[-2] for key in kept} == {"Thank", "you!", "Order"}
    codes = [w for p in plans for w in p.words if w.text.runs[0].text.startswith("#")]
    assert len(codes) == 40 and all("%s Do Q\nq" in w.placing.operators for w in codes)


def test_a_note_written_smaller_takes_the_same_writings_scaled():
    """A long note is written smaller than a short one: its words are the same writings
    (notes.writings.WRITTEN_AT), scaled, not writings of their own for every size."""
    renderer = Renderer(Style(seed=4))
    short = renderer.plan("Dear Ana, thank you!", key="Ana")
    long = renderer.plan("Dear Ana, thank you! " + "We loved packing your order. " * 30, key="Ana")
    assert long.layout.size < short.layout.size
    shapes = {key for key in renderer.glyphs.ids if key[0] == "writing"}
    words = {key[-2] for key in shapes}
    assert "thank" in words
    first = [_shape(p, p.words[2]) for p in (short, long)]  # "thank", the same writing
    assert first[0] is first[1]


def test_a_notes_scale_written_in_places_a_word_as_word_place_does() -> None:
    """A note formats its scale into WORD_PLACE once (scaled_place): each word's operators
    are still WORD_PLACE's, to the byte, its pen width rounded as round() rounds it (half to
    even: 2.5 -> 2, 3.5 -> 4)."""
    widths = (10, 0, 0.0, 0.5, 1.5, 2.5, 3.5, 7.499999999, 12.5000001, 0.3 * 3 / 0.1)
    for scale in (1.0719248, 0.55, 1.0, 0.987654321, 2.5):
        for width in widths:
            for rise, x, y in ((0.0123, 152.4220589, 251.87556), (-0.5, 0.005, -3.0)):
                expected = WORD_PLACE % (round(width), scale, scale * rise, scale, x, y)
                assert scaled_place(scale) % (width, scale * rise, x, y) == expected


def test_the_writings_a_hand_keeps_are_bounded_and_written_again_alike(monkeypatch) -> None:
    """A hand keeps at most KEPT_WRITINGS writings between its notes (then forgets them all):
    the notes after write the same words, from the same shapes."""
    texts = [
        f"Dear {name},\nthank you for the blue teapot!" for name in ("Ana", "Ben", "Cy", "Dee")
    ]

    def planned() -> tuple[Renderer, list]:
        renderer = Renderer(Style(), placed=True)  # as a batch's planner
        return renderer, [renderer.plan(text, key=f"n{i}") for i, text in enumerate(texts * 3)]

    _, unbounded = planned()
    monkeypatch.setattr(handwriting, "KEPT_WRITINGS", 5)
    renderer, bounded = planned()
    for by_book in handwriting._WRITINGS[renderer.glyphs].values():
        for kept in by_book.values():
            held = [slot for slots in kept.by_text.values() for slot in slots if slot is not None]
            assert len(held) == kept.count <= 5
    assert [plan.words for plan in bounded] == [plan.words for plan in unbounded]


def test_a_writings_ink_starts_where_its_first_inked_letter_reaches_left() -> None:
    """Writing.left, kept as the letters are written, is where the first letter with ink
    starts: its placed glyph's x, its ink box's left edge at its size, and its slant's lean."""
    renderer = Renderer(Style(messiness=1.0, seed=9))
    layout = renderer.plan(NOTE, key="Ana").layout
    hand = handwriting._Hand(
        layout, renderer.fonts, random.Random(1), 1.0, renderer.ink, renderer.glyphs, "natural", 9
    )
    texts = ["thank", "you,", '"Ana"', "#10042.", "...", "(x)", " ", "-"]
    for text, index, exact, squeeze in product(texts, (0, 17), (False, True), (1.0, 0.8)):
        writing = hand.write(text, index, exact, squeeze)
        letters = hand.spelt(text)
        inked = [
            (glyph, letter[6])
            for glyph, letter in zip(writing.glyphs, letters, strict=True)
            if letter[6]
        ]
        if not inked:
            assert writing.left == math.inf
            continue
        glyph, (left_em, _, low, high, *_) = inked[0]
        expected = glyph.e + glyph.a * left_em + min(glyph.c * low, glyph.c * high)
        assert writing.left == expected, (text, index, exact, squeeze)


def test_a_words_letters_are_kerned_by_the_pair_they_make_whichever_word_spelt_it_first() -> None:
    """A spelt letter after one of the same (primary) font holds that pair's kerning: the same
    letter kerns differently after another ("Va" and "Ta"), and a pair found again in a new
    word (a name, a code) is kerned as it was first, never as the letter alone."""
    renderer = Renderer(Style(messiness=1.0, seed=3))
    layout = renderer.plan(NOTE, key="Ana").layout
    hand = handwriting._Hand(
        layout, renderer.fonts, random.Random(1), 1.0, renderer.ink, renderer.glyphs, "natural", 3
    )
    primary = renderer.fonts.primary
    assert primary.kern("V", "a") != primary.kern("T", "a")  # the font kerns these pairs
    for text in ("Va", "Ta", "a", "aVa", "TaVa", "VaT", "AVATAR", "Tea"):
        letters = hand.spelt(text)
        assert [letter[0] for letter in letters] == list(text)
        pairs = zip(text, text[1:], strict=False)
        kerned = [0.0] + [primary.kern(left, right) for left, right in pairs]
        assert [letter[4] for letter in letters] == kerned, text


def test_a_notes_hand_is_freed_as_soon_as_the_note_is_written() -> None:
    """No reference cycle keeps a note's hand (its line state, its caches' views) for the
    garbage collector: thousands of notes' hands would pile up between its rare full
    collections, and a batch's memory grow with its cards."""
    renderer = Renderer(Style(seed=4))
    gc.collect()
    gc.disable()
    try:
        for number in range(5):
            renderer.plan(NOTE, key=str(number))
        assert not [found for found in gc.get_objects() if isinstance(found, handwriting._Hand)]
    finally:
        gc.enable()
