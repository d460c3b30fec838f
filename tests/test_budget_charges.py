"""What a template's calls and printed values are charged (notes.budget): the sizes of every
argument, positional or keyword, and of what is printed, so the quicker paths through the
sandbox charge exactly what the general ones did."""

from __future__ import annotations

import pytest

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


def test_our_own_functions_are_charged_as_a_callable_from_the_data() -> None:
    # The environment's own globals skip the sandbox's questions whose answers never change
    # (notes.sandbox trust), not the charges.
    big = ["x"] * (ITEMS_PER_STEP * 40)
    for source in ("{{ f(a) }}", "{{ f(a, 'y' * 100) }}", "{{ f(*a) }}"):
        given = source.replace("f(", "g(")
        assert _steps(source, a=big) == _steps(given, a=big, g=lambda *a, **k: ""), source


def test_a_function_from_the_data_under_a_trusted_name_is_asked_about() -> None:
    from jinja2.sandbox import SecurityError, unsafe

    env = make_sandbox(extra_globals={"f": lambda *a: "ok"}, extra_filters={}, removed=())
    assert env.from_string("{{ f(1) }}").render() == "ok"
    with pytest.raises(SecurityError):
        env.from_string("{{ f(1) }}").render(f=unsafe(lambda *a: "leaked"))


def test_a_trusted_function_that_wants_the_context_gets_it() -> None:
    from jinja2 import pass_context

    greet = pass_context(lambda context, word: f"{word} {context['name']}")
    env = make_sandbox(extra_globals={"greet": greet}, extra_filters={}, removed=())
    assert env.from_string("{{ greet('Dear') }}").render(name="Ana") == "Dear Ana"
    loop = "{% for w in ['Hi', 'Dear'] %}{{ greet(w) }};{% endfor %}"  # called with _loop_vars
    assert env.from_string(loop).render(name="Ana") == "Hi Ana;Dear Ana;"


def test_a_list_of_text_is_measured_and_charged_as_any_list() -> None:
    """value_size of a list or tuple of text (products) walks it without the general walker,
    and comes to the same size and the same steps; a list holding anything else, or a shared
    item, is the general walker's."""
    from notes.budget import MAX_VALUE_SIZE, _Sizer, _texts_size

    long = "x" * 30
    cases = [[], ["a"], ["ab", "c", "d"], ["ab"] * 4, ("mug", "plate") * 50]
    cases += [[long] * (MAX_VALUE_SIZE // 20), tuple([long] * 5_000)]
    for value in cases:
        walker = _Sizer()
        expected = walker.size(value, 0), walker.walked // 4
        with render_budget() as budget:
            measured = value_size(value)
        assert (measured, budget.steps) == expected, len(value)
        assert _texts_size(value) == measured
    assert _texts_size(["a", 1]) is None and _texts_size(["a", ["b"]]) is None
    nested = ["a", ["b", "c"]]
    with render_budget() as budget:
        assert value_size(nested) == _Sizer().size(nested, 0) == 1 + 2 + 1 + 1 + 2 + 2
