"""Envelopes: address lines per country, the same hand as the cards, exact page sizes."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notes.cards import ENVELOPES, INCH, MM
from notes.envelopes import (
    EnvelopePlan,
    country_code,
    envelope_plan,
    format_address,
    write_envelopes,
)
from notes.errors import DataError, FontError, LayoutError, OutputError, UsageError
from notes.render import Renderer, Style
from tests.pdfcheck import check_pdf, page_size, text_of, words_of

SENDER = ["Juniper & Clay", "12 Market Street", "Portland, OR 97201"]


@cache
def renderer(seed: int = 0) -> Renderer:
    return Renderer(Style(seed=seed))


@pytest.mark.parametrize(
    ("fields", "home", "expected"),
    [
        (
            {"first_name": "John", "last_name": "Smith", "address1": "1600 Pennsylvania Ave NW",
             "city": "Washington", "state": "dc", "zip": "20500", "country": "USA"},
            "US",
            ["John Smith", "1600 Pennsylvania Ave NW", "Washington, DC 20500"],
        ),
        (
            # Excel turned the Boston ZIP 02134 into a number.
            {"name": "Ann Lee", "address1": "1 Harvard Ave", "city": "Boston", "state": "MA",
             "zip": "2134", "country": "us"},
            "GB",
            ["Ann Lee", "1 Harvard Ave", "Boston, MA 02134", "UNITED STATES"],
        ),
        (
            {"name": "Jane Doe", "company": "Acme Ltd", "address1": "Flat 2\n10 Downing Street",
             "city": "London", "state": "Greater London", "zip": "sw1a 2aa",
             "country": "United Kingdom"},
            "US",
            ["Jane Doe", "Acme Ltd", "Flat 2", "10 Downing Street", "LONDON", "SW1A 2AA",
             "UNITED KINGDOM"],
        ),
        (
            {"name": "Max Müller", "address1": "Unter den Linden 1", "city": "Berlin",
             "zip": "10117", "country": "Deutschland"},
            "US",
            ["Max Müller", "Unter den Linden 1", "10117 Berlin", "GERMANY"],
        ),
        (
            {"name": "Max Müller", "address1": "Unter den Linden 1", "city": "Berlin",
             "zip": "10117", "country": "DE"},
            "de",
            ["Max Müller", "Unter den Linden 1", "10117 Berlin"],
        ),
        (
            {"name": "Jean Dupont", "address1": "8 rue de Rivoli", "city": "Paris",
             "zip": "75001", "country": "FR"},
            "US",
            ["Jean Dupont", "8 rue de Rivoli", "75001 Paris", "FRANCE"],
        ),
        (
            {"name": "田中 さくら", "address1": "丸の内1-1", "city": "千代田区", "state": "東京都",
             "zip": "1000001", "country": "Japan"},
            "US",
            ["〒100-0001", "東京都千代田区", "丸の内1-1", "田中 さくら", "JAPAN"],
        ),
        (
            {"name": "Sakura Tanaka", "address1": "1-1 Marunouchi", "city": "Chiyoda-ku",
             "state": "Tokyo", "zip": "100-0001", "country": "JP"},
            "US",
            ["Sakura Tanaka", "1-1 Marunouchi", "Chiyoda-ku Tokyo 100-0001", "JAPAN"],
        ),
        (
            {"name": "Ana Souza", "address1": "Rua Augusta, 1500", "address2": "Consolação",
             "city": "São Paulo", "state": "sp", "zip": "01304001", "country": "BR"},
            "BR",
            ["Ana Souza", "Rua Augusta, 1500", "Consolação", "São Paulo - SP", "CEP 01304-001"],
        ),
        (
            {"name": "Kylie Brown", "address1": "1 Main St", "city": "Sydney", "state": "nsw",
             "zip": "2000", "country": "Australia"},
            "US",
            ["Kylie Brown", "1 Main St", "SYDNEY NSW 2000", "AUSTRALIA"],
        ),
        (
            {"name": "Lucas Tremblay", "address1": "1 Rue Sainte-Catherine", "city": "Montréal",
             "state": "QC", "zip": "h3b 1a7", "country": "Canada"},
            "US",
            ["Lucas Tremblay", "1 Rue Sainte-Catherine", "Montréal, QC H3B 1A7", "CANADA"],
        ),
        (
            # A country no table knows is written as given, in capitals.
            {"name": "Mr Tumnus", "address1": "Lamp post", "city": "Cair Paravel",
             "country": "Narnia"},
            "US",
            ["Mr Tumnus", "Lamp post", "Cair Paravel", "NARNIA"],
        ),
        (
            # No country: taken to be the sender's own.
            {"name": "  Bo   Smith ", "address1": "2 Elm St ", "city": "Austin", "state": "TX",
             "zip": "73301"},
            "US",
            ["Bo Smith", "2 Elm St", "Austin, TX 73301"],
        ),
    ],
)  # fmt: skip
def test_address_lines_follow_the_country(fields, home, expected):
    assert format_address(fields, home_country=home) == expected


def test_no_address_gives_no_lines_so_the_caller_skips_the_envelope():
    assert format_address({"name": "Ana", "country": "BR", "email": "a@b.c"}) == []
    assert format_address({}) == []


def test_country_codes_from_names_and_codes():
    assert country_code("de") == country_code("Germany") == country_code("Deutschland") == "DE"
    assert country_code("UK") == country_code("England") == "GB"
    assert country_code("Atlantis") == country_code("") == ""


@given(st.dictionaries(st.sampled_from(["name", "address1", "city", "zip", "country"]), st.text()))
def test_any_fields_give_clean_single_lines(fields):
    lines = format_address(fields, home_country="US")
    assert all(line and line == " ".join(line.split()) for line in lines)
    if any(fields.get(k, "").strip() for k in ("address1", "city", "zip")):
        assert lines


def test_template_syntax_in_a_field_is_copied_as_text():
    lines = format_address({"name": "{{ 7*7 }}", "address1": "{% x %}", "city": "Oslo"})
    assert lines[:2] == ["{{ 7*7 }}", "{% x %}"]


def address(name: str = "Ana Souza") -> list[str]:
    return format_address(
        {"name": name, "address1": "Rua Augusta, 1500", "city": "São Paulo", "state": "SP",
         "zip": "01304-001", "country": "Brazil"},
        home_country="US",
    )  # fmt: skip


def test_envelopes_pdf_has_the_name_and_city_and_the_return_address(tmp_path):
    out = tmp_path / "env.pdf"
    plan = envelope_plan(renderer(), address(), SENDER, "c6", key="Ana")
    assert write_envelopes([plan], out) == 1
    text = words_of(text_of(check_pdf(out)))
    for word in ("Ana", "Souza", "Paulo", "BRAZIL", "Juniper", "Portland"):
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
    glyphs = [g for word in plan.words for g in word.glyphs if g[1] != " "]
    assert glyphs
    for font, char, a, _b, _c, _d, e, f in glyphs:
        assert 8 < e and e + font.advance(char) * abs(a) < plan.width - 8, char
        assert 8 < f < plan.height - 8, char
        # The stamp goes in the top-right corner.
        assert not (e > plan.width * 0.75 and f > plan.height * 0.7), f"{char!r} under the stamp"


def test_recipient_lines_stay_lines_in_order_and_sit_right_of_and_below_the_middle():
    plan = envelope_plan(renderer(), address(), [], "c6", key="Ana")
    lines: list[list[str]] = []
    last_x = float("inf")
    for word in plan.words:
        x = word.glyphs[0][6]
        if x < last_x:  # the pen went back to the left: a new line
            lines.append([])
        lines[-1].append("".join(g[1] for g in word.glyphs).strip())
        last_x = x
    written = [" ".join(words) for words in lines]
    assert written == address()
    xs = [g[6] for word in plan.words for g in word.glyphs]
    ys = [g[7] for word in plan.words for g in word.glyphs]
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
    used = {g[0].spec.id for w in plan.words for g in w.glyphs if g[1] in name.replace(" ", "")}
    assert font in used
    write_envelopes([plan], out)
    assert name.split()[-1] in text_of(check_pdf(out))


def test_same_hand_as_the_card_but_its_own_variation():
    r = renderer()
    card = r.plan("Dear Ana,\n\nThanks!\n\nMaya", key="Ana")
    env = envelope_plan(r, address(), SENDER, "c6", key="Ana")
    assert env.font_name == card.font_name
    # The letter shapes (realism) are the card's too.
    assert env.deform == card.deform > 0
    assert all(w.shapes is not None for w in env.words)
    plain = Renderer(Style(realism="plain"))
    assert all(w.shapes is None for w in envelope_plan(plain, address(), [], "c6", key="A").words)
    # Messiness zero writes plain text: the renderer's style reaches the envelope.
    neat = envelope_plan(Renderer(Style(messiness=0.0)), address(), SENDER, "c6", key="Ana")
    assert all(g[3] == 0 and g[4] == 0 for w in neat.words for g in w.glyphs)


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
