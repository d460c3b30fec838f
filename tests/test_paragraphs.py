"""How a note's text becomes paragraphs for the layout (notes.layout.split_paragraphs): the
greeting, body paragraphs whose lines flow, the sign-off that keeps its lines; and the text
cleaned of control codes first (clean_text)."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from notes.layout import _greedy, _joined_lines, _joined_units, clean_text, split_paragraphs
from notes.measure import Measured


def _as_written(text: str) -> list[tuple[str, list[list[str]], str]]:
    """The rules, spelt out plainly: what split_paragraphs must give for `text`."""
    blocks: list[list[str]] = [[]]
    for raw in text.split("\n"):
        if raw.strip():
            blocks[-1].append(raw.strip())
        elif blocks[-1]:
            blocks.append([])
    blocks = [block for block in blocks if block]
    found = [["body", [line.split() for line in block], "\n".join(block)] for block in blocks]
    if len(found) >= 2:
        first, last = found[0], found[-1]
        if len(first[1]) == 1 and " ".join(first[1][0]).endswith((",", "!", ":")):
            first[0] = "greeting"
        if len(last[1]) <= 3 and all(len(" ".join(line)) <= 40 for line in last[1]):
            last[0] = "signoff"
    for paragraph in found:
        if paragraph[0] == "body":
            paragraph[1] = [[word for line in paragraph[1] for word in line]]
    return [tuple(paragraph) for paragraph in found]


def test_a_thank_you_note_is_greeting_body_and_sign_off() -> None:
    text = (
        "Dear Ana,\n\nThank you for your order (#10023).\nI packed your teapot myself.\n\n"
        "Warmly,\nMaya"
    )
    paragraphs = split_paragraphs(clean_text(text))
    assert [(p.role, p.lines) for p in paragraphs] == [
        ("greeting", [["Dear", "Ana,"]]),
        ("body", [["Thank", "you", "for", "your", "order", "(#10023).", "I", "packed", "your",
                   "teapot", "myself."]]),
        ("signoff", [["Warmly,"], ["Maya"]]),
    ]  # fmt: skip
    assert paragraphs[1].text == "Thank you for your order (#10023).\nI packed your teapot myself."


def test_paragraphs_follow_their_rules_for_any_text() -> None:
    rng = random.Random(16)
    pieces = ["Dear", "Ana,", "Hi!", "thanks:", "a", "  ", "\t", "word", "x" * 41, "Maya", "\u00a0"]
    for _ in range(3000):
        lines = [
            " ".join(rng.choice(pieces) for _ in range(rng.randint(0, 5)))
            for _ in range(rng.randint(0, 9))
        ]
        text = "\n".join(lines)
        got = [(p.role, p.lines, p.text) for p in split_paragraphs(text)]
        assert got == _as_written(text), repr(text)


def test_control_codes_go_and_newlines_stay() -> None:
    assert clean_text("Dear Ana,\r\n\r\nthanks!\rMaya") == "Dear Ana,\n\nthanks!\nMaya"
    assert clean_text("a\tb\x00c\x1bd\x7fe\n") == "a bcde\n"
    plain = "Dear Ana,\n\nthank you!"
    assert clean_text(plain) is plain  # nothing to drop: the text itself
    assert clean_text("Zoë\u200b,\tok") == "Zoë, ok"


_WIDTHS = st.lists(st.floats(min_value=0.0, max_value=9.0), min_size=1, max_size=30)


@given(
    _WIDTHS,
    st.lists(st.booleans(), min_size=30, max_size=30),
    st.floats(0.1, 1.0),
    st.floats(1.0, 30.0),
)
def test_wrapped_lines_are_the_units_a_loop_over_them_gives(widths, joins, space, limit):
    """Lines are runs of units; their words and widths in ems (summed in the same order, so the
    same floats) are what the loop over each line's units gives, lines of joined pieces or not."""
    hard = Measured([f"w{i}" for i in range(len(widths))], widths, joins[: len(widths)], {})
    lines = _greedy(hard, space, limit)
    assert [i for line in lines for i in line] == list(range(len(widths)))
    for line in lines:
        assert _joined_lines(hard, line, space) == _joined_units(hard, line, space)
