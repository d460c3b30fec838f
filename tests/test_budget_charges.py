"""What a template's calls and printed values are charged (notes.budget): the sizes of every
argument, positional or keyword, and of what is printed, so the quicker paths through the
sandbox charge exactly what the general ones did."""

from __future__ import annotations

from notes.budget import ITEMS_PER_STEP, render_budget, value_size
from notes.sandbox import make_sandbox


def _steps(source: str, **context) -> int:
    env = make_sandbox(extra_globals={"f": lambda *a, **k: ""}, extra_filters={}, removed=())
    template = env.from_string(source)
    with render_budget() as budget:
        template.render(**context)
    return budget.steps


def test_a_calls_positional_and_keyword_arguments_are_charged_by_their_size() -> None:
    small, big = ["x"], ["x"] * (ITEMS_PER_STEP * 40)
    for source in ("{{ f(a) }}", "{{ f(b=a) }}", "{{ f(1, b=a, c=a) }}"):
        more = _steps(source, a=big) - _steps(source, a=small)
        assert more == source.count("a") * 40, source


def test_a_printed_texts_size_is_its_length() -> None:
    for text in ("", "Dear Ana", "ü" * 1000):
        assert value_size(text) == len(text)
    assert value_size(["ab", "c"]) == 1 + 3 + 2  # a list is measured item by item
