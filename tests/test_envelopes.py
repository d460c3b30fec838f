"""Envelopes: the same hand as the cards, exact page sizes, a note for the packer.

The address lines of each country are tested in test_addresses.py."""

from __future__ import annotations

from functools import cache

import pytest

from notes.addresses import format_address
from notes.cards import ENVELOPES, INCH, MM
from notes.envelopes import EnvelopePlan, envelope_plan, write_envelopes
from notes.errors import DataError, FontError, LayoutError, OutputError, UsageError
from notes.render import Renderer, Style
from tests.drawn import font_id, letters, word_letters
from tests.pdfcheck import check_pdf, page_size, text_of, words_of

SENDER = ["Juniper & Clay", "12 Market Street", "Portland, OR 97201"]


@cache
def renderer(seed: int = 0) -> Renderer:
    return Renderer(Style(seed=seed))


def address(name: str = "Ana Souza") -> list[str]:
    return list(
        format_address(
            {"name": name, "address1": "Rua Augusta, 1500", "city": "São Paulo", "state": "SP",
             "zip": "01304-001", "country": "Brazil"},
            sender_country="US",
        ).lines
    )  # fmt: skip


def test_envelopes_pdf_has_the_name_and_city_and_the_return_address(tmp_path):
    out = tmp_path / "env.pdf"
    plan = envelope_plan(renderer(), address(), SENDER, "c6", key="Ana")
    assert write_envelopes([plan], out) == 1
    text = words_of(text_of(check_pdf(out)))
    for word in ("Ana", "Souza", "PAULO", "BRAZIL", "Juniper", "Portland"):
        assert word in text


EXPECTED_SIZES = {
    "c7": (114 * MM, 81 * MM),
    "c6": (162 * MM, 114 * MM),
    "c5": (229 * MM, 162 * MM),
    "dl": (220 * MM, 110 * MM),
    "us10": (9.5 * INCH, 4.125 * INCH),
    "a2": (5.75 * INCH, 4.375 * INCH),
    "a7": (7.25 * INCH, 5.25 * INCH),
}


def test_page_size_is_the_envelope_landscape_for_every_size(tmp_path):
    assert set(EXPECTED_SIZES) == set(ENVELOPES)
    out = tmp_path / "all.pdf"
    plans = [
        envelope_plan(renderer(), address(), SENDER, size, key=size) for size in EXPECTED_SIZES
    ]
    write_envelopes(plans, out)
    reader = check_pdf(out)
    assert len(reader.pages) == len(EXPECTED_SIZES)
    for index, (w, h) in enumerate(EXPECTED_SIZES.values()):
        assert page_size(reader, index) == (round(w, 2), round(h, 2))
        assert "Souza" in text_of(reader, index)
    assert page_size(reader, 4) == (684.0, 297.0)  # US #10 in points
    assert (
        plans[0].size == "c7"
        and envelope_plan(renderer(), address(), [], "#10", key="x").size == "us10"
    )


@pytest.mark.parametrize("size", sorted(ENVELOPES))
def test_the_writing_stays_on_the_envelope_and_clear_of_the_stamp(size):
    plan = envelope_plan(renderer(), address(), SENDER, size, key="Ana")
    glyphs = letters(plan)
    assert glyphs
    for g in glyphs:
        char, e, f = g.char, g.e, g.f
        assert 8 < e and e + g.advance() < plan.width - 8, char
        assert 8 < f < plan.height - 8, char
        # The stamp goes in the top-right corner.
        assert not (e > plan.width * 0.75 and f > plan.height * 0.7), f"{char!r} under the stamp"


def test_recipient_lines_stay_lines_in_order_and_sit_right_of_and_below_the_middle():
    plan = envelope_plan(renderer(), address(), [], "c6", key="Ana")
    lines: list[list[str]] = []
    last_y = float("inf")
    for word in plan.words:
        y = word.glyphs[0].f
        # A new line is lower by about a line; its start drifts with the hand's margin, so the
        # pen going back to the left does not tell (two one-word lines may start left to right).
        if y < last_y - word.glyphs[0].a * 0.6:  # a: the letter's size
            lines.append([])
        lines[-1].append("".join(g.char for g in word_letters(plan, word)).strip())
        last_y = y
    written = [" ".join(words) for words in lines]
    assert written == address()
    xs = [g.e for g in letters(plan)]
    ys = [g.f for g in letters(plan)]
    assert plan.width * 0.3 < min(xs) and (min(ys) + max(ys)) / 2 < plan.height / 2


def test_same_seed_gives_identical_bytes_and_another_seed_does_not(tmp_path):
    outs = []
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        outs.append(tmp_path / f"{name}.pdf")
        write_envelopes(
            [envelope_plan(renderer(seed), address(), SENDER, "dl", key="Ana")], outs[-1]
        )
    a, b, c = (p.read_bytes() for p in outs)
    assert a == b and a != c


@pytest.mark.parametrize(
    ("name", "font"), [("Nguyễn Thị Hương", "playpen-sans"), ("田中 さくら", "yomogi")]
)
def test_non_latin_names_render_in_a_handwriting_font(tmp_path, name, font):
    out = tmp_path / "n.pdf"
    plan = envelope_plan(renderer(), address(name), SENDER, "c6", key=name)
    used = {font_id(g.font) for g in letters(plan) if g.char in name.replace(" ", "")}
    assert font in used
    write_envelopes([plan], out)
    assert name.split()[-1] in text_of(check_pdf(out))


def test_same_hand_as_the_card_but_its_own_variation():
    r = renderer()
    card = r.plan("Dear Ana,\n\nThanks!\n\nMaya", key="Ana")
    env = envelope_plan(r, address(), SENDER, "c6", key="Ana")
    assert env.glyphs is card.glyphs  # one glyph table: the same fonts and letter shapes
    # Drawn as outlines like the card's (realism), but an address is exact text: the font's own
    # letter shapes, never warped (issue 12).
    assert all(g.variant == 0 for g in letters(env))
    assert all(w.text is not None for w in env.words)
    plain = Renderer(Style(realism="plain"))
    assert all(w.text is None for w in envelope_plan(plain, address(), [], "c6", key="A").words)
    # Messiness zero writes plain text: the renderer's style reaches the envelope.
    neat = envelope_plan(Renderer(Style(messiness=0.0)), address(), SENDER, "c6", key="Ana")
    assert all(g.b == 0 and g.c == 0 for g in letters(neat))


def test_problems_are_clear_errors(tmp_path):
    with pytest.raises(DataError, match="no address"):
        envelope_plan(renderer(), ["  "], SENDER, "c6", key="x")
    with pytest.raises(UsageError, match="unknown envelope size"):
        envelope_plan(renderer(), address(), SENDER, "b4", key="x")
    with pytest.raises(LayoutError, match="does not fit a c7 envelope") as info:
        envelope_plan(renderer(), ["word " * 120], SENDER, "c7", key="x")
    assert "larger envelope" in str(info.value)
    with pytest.raises(FontError, match="U\\+13000"):
        envelope_plan(renderer(), ["\U00013000 Street"], SENDER, "c6", key="x")
    out = tmp_path / "env.pdf"
    with pytest.raises(OutputError, match="no envelopes"):
        write_envelopes([], out)
    out.write_bytes(b"keep")
    with pytest.raises(OutputError, match="--force"):
        write_envelopes([envelope_plan(renderer(), address(), [], "c6", key="x")], out)
    assert out.read_bytes() == b"keep"


def test_plan_is_plain_data():
    plan = envelope_plan(renderer(), address(), SENDER, "c6", key="Ana")
    assert isinstance(plan, EnvelopePlan)
    assert plan.address == address() and plan.return_address == SENDER


def test_a_packer_note_is_small_red_print_left_of_the_address_and_never_fails_the_row():
    from notes.envelopes import PACKER_INK

    note = "Check the address before posting: postcode 1234 does not look like a ZIP code"
    plan = envelope_plan(renderer(), address(), [], "c6", key="Ana", packer_note=note)
    plain = envelope_plan(renderer(), address(), [], "c6", key="Ana")
    red = [w for w in plan.words if w.ink == PACKER_INK]
    assert red and len(plan.words) == len(plain.words) + len(red)
    address_left = min(w.glyphs[0].e for w in plain.words)
    assert all(g.e < address_left for w in red for g in w.glyphs)
    # A note far too long for the column is cut short, and a word wider than it shrinks.
    long = envelope_plan(renderer(), address(), [], "c7", key="x", packer_note=note * 40)
    written = (g.char for w in long.words for g in word_letters(long, w))
    assert "manifest" in "".join(written)
    envelope_plan(renderer(), address(), [], "c7", key="x", packer_note="x" * 300)


def test_envelopes_of_caveat_cards_are_addressed_in_a_legible_hand():
    # Caveat's L reads as C and its 1 as 7 ("CEEDS", "CS1 7AA"): post offices sort by machine.
    from notes.fonts import load_catalog

    catalog = load_catalog()
    assert not catalog["caveat"].legible and catalog["playpen-sans"].legible
    plan = envelope_plan(
        renderer(), ["Lucy Hill", "17 Lime Lane", "LEEDS", "LS1 1AA"], [], "c6", key="L"
    )
    assert {font_id(g.font) for g in letters(plan)} == {"playpen-sans"}


def test_a_legible_card_font_or_one_the_user_picks_addresses_the_envelope():
    lines = ["Lucy Hill", "17 Lime Lane", "LEEDS", "LS1 1AA"]
    legible = Renderer(Style(font="patrick-hand"))
    plan = envelope_plan(legible, lines, [], "c6", key="L")
    # (Its 7 reads as T or 4: "17" is in Playpen Sans, fonts/catalog.toml misreads.)
    assert {font_id(g.font) for g in letters(plan)} == {"patrick-hand", "playpen-sans"}
    assert "playpen-sans" not in {font_id(g.font) for g in letters(plan)[:8]}  # Lucy Hill
    chosen = Renderer(Style(envelope_font="caveat"))
    plan = envelope_plan(chosen, lines, SENDER, "c6", key="L")
    # The hand chosen writes the address; its numbers it misreads are in Playpen Sans, as on cards.
    assert {font_id(g.font) for g in letters(plan)} == {"caveat", "playpen-sans"}
    assert {font_id(g.font) for g in letters(plan)[:8]} == {"caveat"}  # Lucy Hill
    plan = envelope_plan(renderer(), lines, [], "c6", key="L", hand="kalam")
    assert {font_id(g.font) for g in letters(plan)} == {"kalam", "playpen-sans"}
    assert {font_id(g.font) for g in letters(plan)[:8]} == {"kalam"}


def test_a_japanese_address_has_its_postcode_and_latin_in_a_legible_hand():
    # No legible hand has kana: the address was all in the cards' Caveat, and OCR read the
    # sender's 97201 as "9#201". The legible hand writes what it has, the fallbacks the rest.
    lines = ["田中 さくら 様", "渋谷区 神宮前 1-2-3", "Tokyo 150-0002", "JAPAN"]
    plan = envelope_plan(renderer(), lines, ["Maya Shop", "Portland OR 97201"], "c6", key="J")
    fonts_of = {}
    for glyph in letters(plan):
        fonts_of.setdefault(font_id(glyph.font), set()).add(glyph.char)
    assert "caveat" not in fonts_of
    assert set("150-0002Tokyo97201") <= fonts_of["playpen-sans"]
    assert {"田", "さ"} <= set().union(
        *(chars for font, chars in fonts_of.items() if font != "playpen-sans")
    )
