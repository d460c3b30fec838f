"""Templates copied from the web: refused with a clear error, nothing run or written.

tests/test_templating.py covers each sandbox escape at the library level. Here: templates that try
to exhaust memory or CPU (each stopped by the render budget: counted steps and sizes, never a
clock, so no test here measures time), templates nested deeper than Python's stack, includes;
then the same through `notes write` and `notes merge` the way a shop owner would run them,
checking the side effects: no file written by the template, no PDF.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from notes.budget import MAX_OUTPUT_CHARS, MAX_STEPS
from notes.cli import app
from notes.errors import TemplateError
from notes.templating import MAX_TEMPLATE_CHARS, TemplateInfo, load_template, render_text

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"
EVIL = ["evil_write_file.j2", "evil_mro.j2", "evil_loop.j2"]
runner = CliRunner()

BIG = "{% set big = 'x' * 20000 %}"
# Each of these exhausted memory or CPU before the render budget (or ran for minutes).
EXHAUSTING = {
    "concatenation": "{% set ns = namespace(v='x') %}{% for i in range(10000) %}"
    "{% set ns.v = ns.v ~ ns.v %}{% endfor %}{{ ns.v|length }}",
    "list growth": "{% set ns = namespace(v=[1]) %}{% for i in range(10000) %}"
    "{% set ns.v = ns.v + ns.v %}{% endfor %}{{ ns.v|length }}",
    "shared list doubling": "{% set ns = namespace(v=[1]) %}{% for i in range(60) %}"
    "{% set ns.v = [ns.v, ns.v] %}{% endfor %}{{ ns.v }}",
    "namespace doubling": "{% set ns = namespace(v=1) %}{% for i in range(60) %}"
    "{% set ns.v = namespace(a=ns.v, b=ns.v) %}{% endfor %}{{ ns.v }}",
    "join of a large list": "{% set s = (range(10000)|list * 2)|join('x' * 10000) %}{{ s|length }}",
    "integer squaring": "{% set ns = namespace(v=2) %}{% for i in range(10000) %}"
    "{% set ns.v = ns.v * ns.v %}{% endfor %}{{ ns.v > 1 }}",
    "nested range loops": "{% for i in range(10000) %}{% for j in range(10000) %}"
    "{% for k in range(10000) %}{% endfor %}{% endfor %}{% endfor %}",
    "filtered loops": "{% for i in range(10000) %}{% for j in range(10000) if j < 0 %}"
    "{% endfor %}{% endfor %}",
    "printf formatting": BIG + "{{ (('%s' * 5000) % ((big,) * 5000))|length }}",
    "str.format": BIG + "{{ ('{0}' * 6000).format(big)|length }}",
    "captured text": BIG + "{% set x %}{% for i in range(10000) %}{% for j in range(10000) %}"
    "{{ big }}{% endfor %}{% endfor %}{% endset %}{{ x|length }}",
    "comparing lists": "{% set l = range(10000)|list %}{% for i in range(10000) %}"
    "{% if l == l[:] %}{% endif %}{% endfor %}",
    "indent": BIG.replace("'x'", "'\\n'") + "{{ big|indent(1000)|length }}",
    "expandtabs": BIG.replace("'x'", "'\\t'") + "{{ big.expandtabs(1000)|length }}",
    "bytes": "{{ (('x' * 20000).encode() * 100000)|length }}",
    "translate": "{{ ('a' * 20000).translate({97: 'x' * 10000})|length }}",
}


def user_template(tmp_path: Path, source: str, name: str = "mine") -> TemplateInfo:
    path = tmp_path / f"{name}.j2"
    path.write_text(source, encoding="utf-8")
    return load_template(str(path))


def render(info: TemplateInfo, context: dict | None = None) -> str:
    return render_text(info, context or {}, seed=1, recipient_key="ana")


# ---------------------------------------------------------------- the render budget


@pytest.mark.parametrize("source", EXHAUSTING.values(), ids=EXHAUSTING.keys())
def test_exhausting_template_is_refused_with_its_line(tmp_path: Path, source: str) -> None:
    info = user_template(tmp_path, f"Dear {{{{ name }}}},\n\n{source}\n")
    with pytest.raises(TemplateError) as caught:
        render(info, {"name": "Ana"})
    error = caught.value
    assert str(error).startswith("template 'mine' line 3: unsafe template: "), str(error)
    assert error.hint


def test_the_budget_counts_steps_not_time(tmp_path: Path) -> None:
    loops = "{% for i in range(N) %}{% for j in range(N) %}{% endfor %}{% endfor %}"
    assert render(user_template(tmp_path, loops.replace("N", "100"))) == ""  # 10,000 rounds
    with pytest.raises(TemplateError, match=f"more than {MAX_STEPS} steps"):
        render(user_template(tmp_path, loops.replace("N", "1000")))  # 1,000,000 rounds


def test_a_busy_card_is_well_within_the_budget(tmp_path: Path) -> None:
    info = user_template(
        tmp_path,
        "{% macro line(p, i) %}{{ i }}. {{ p.name|title }} ({{ p.price|money }}){% endmacro %}"
        "Dear {{ name|first_name }},\n{% set ns = namespace(total=0, names=[]) %}"
        "{% for p in products %}{{ line(p, loop.index) }}{{ ', ' if not loop.last }}"
        "{% set ns.total = ns.total + p.price %}{% set ns.names = ns.names + [p.name] %}"
        "{% endfor %}\n{{ pick('Thanks', 'Thank you') }} for {{ ns.names|join_human }}: "
        "{{ '%.2f'|format(ns.total) }}. {{ '{} items'.format(products|length) }} "
        "{{ (ns.names|map('upper')|sort|first)[:3] ~ '…' }}",
    )
    products = [{"name": f"mug {n}", "price": n} for n in range(60)]
    text = render(info, {"name": "Ana Souza", "products": products, "shop": {}})
    assert text.startswith("Dear Ana,\n1. Mug 0 ($0.00), 2. Mug 1") and "1770.00. 60 items" in text


def test_a_value_too_big_for_memory_is_an_unsafe_template(tmp_path: Path) -> None:
    class Huge:
        def __str__(self) -> str:
            raise MemoryError

    info = user_template(tmp_path, "Dear {{ name }},\n\n{{ gift }}\n")
    with pytest.raises(TemplateError) as caught:
        render(info, {"name": "Ana", "gift": Huge()})
    assert str(caught.value).startswith("template 'mine' line 3: unsafe template: ")
    assert "memory" in str(caught.value) and caught.value.hint


def test_a_macro_calling_itself_is_an_unsafe_template(tmp_path: Path) -> None:
    info = user_template(tmp_path, "Hi\n{% macro f(n) %}{{ f(n) }}{% endmacro %}\n{{ f(1) }}\n")
    with pytest.raises(TemplateError) as caught:
        render(info)
    assert str(caught.value).startswith("template 'mine' line 2: unsafe template: ")
    assert caught.value.hint


def test_a_misused_filter_names_its_line(tmp_path: Path) -> None:
    info = user_template(tmp_path, "Hi\n{{ 'abc'|truncate(1, end='...') }}\n")  # jinja asserts
    with pytest.raises(TemplateError, match="template 'mine' line 2: AssertionError"):
        render(info)


EXPENSIVE = [
    "{% set ns.s = ns.s ~ ns.s %}", "{% set ns.s = ns.s * 3 %}", "{% set ns.l = ns.l + ns.l %}",
    "{% set ns.l = [ns.l, ns.l] %}", "{% set ns.n = ns.n * ns.n %}", "{% set ns.n = ns.n ** 3 %}",
    "{% set ns.s = ns.l|join(ns.s) %}", "{% set ns.s = '%s%s' % (ns.s, ns.s) %}",
    "{% set ns.s = '{}{}'.format(ns.s, ns.s) %}", "{% set ns.s = ns.s|replace('a', ns.s) %}",
    "{% set ns.l = ns.l|batch(2, fill_with=ns.l)|list %}", "{% set ns.s = ns.l|string %}",
    "{% set ns.d = namespace(a=ns.d, b=ns.l) %}", "{% set ns.s = ns.s|center(900) %}",
    "{{ ns.s }}", "{{ ns.l }}", "{{ ns.d }}", "{% if ns.l == ns.l[:] %}{% endif %}",
    "{% set ns.l = ns.s|list %}", "{% set ns.s = (ns.s ~ '\n')|indent(50) %}",
    "{% set ns.s = ns.s|wordwrap(3, wrapstring=ns.s) %}", "{% set ns.s = '%s' % ns.l %}",
    "{% set x %}{{ ns.s }}{{ ns.s }}{% endset %}{% set ns.s = x %}", "{{ f() }}",
]  # fmt: skip
LOOPS = ["range(2)", "range(10000)", "ns.l", "ns.s", "range(10000) if i < 0"]


@st.composite
def expensive_templates(draw: st.DrawFn) -> str:
    body = "".join(draw(st.lists(st.sampled_from(EXPENSIVE), min_size=1, max_size=4)))
    for _ in range(draw(st.integers(0, 3))):
        loop = draw(st.sampled_from(LOOPS))
        body = f"{{% for i in {loop} %}}{body}{draw(st.sampled_from(EXPENSIVE))}{{% endfor %}}"
    return (
        "{% set ns = namespace(s='ab', l=[1, 2], n=3, d={'a': 1}) %}"
        "{% macro f() %}{{ ns.s }}{% endmacro %}" + body
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=expensive_templates())
def test_expensive_constructs_end_in_a_card_or_a_template_error(source: str) -> None:
    info = TemplateInfo("fuzz", "", "", (), (), None, source, Path("fuzz.j2"))
    try:
        assert len(render(info)) <= MAX_OUTPUT_CHARS
    except TemplateError as exc:
        assert str(exc).startswith("template 'fuzz'"), str(exc)


# ---------------------------------------------------------------- refused when loading


DEEP = {
    "if": "{% if 1 %}\n" * 1000 + "{% endif %}" * 1000,
    "for": "{% for i in [1] %}\n" * 25 + "{% endfor %}" * 25,
    "set block": "{% set x %}\n" * 12 + "{% endset %}" * 12,
    "brackets": "{{ " + "(" * 1000 + "1" + ")" * 1000 + " }}",
    "operators": "{{ 1" + " + 1" * 1000 + " }}",
    "not": "{{ " + "not " * 1000 + "1 }}",
    "filters": "{{ 1" + "|string" * 1000 + " }}",
}


@pytest.mark.parametrize("source", DEEP.values(), ids=DEEP.keys())
def test_deep_nesting_is_refused_when_loading(tmp_path: Path, source: str) -> None:
    with pytest.raises(TemplateError) as caught:
        user_template(tmp_path, f"Dear {{{{ name }}}},\n\n{source}\n")
    message = str(caught.value)
    assert message.startswith("template 'mine' line ") and ": unsafe template: " in message
    assert "nested" in message and caught.value.hint


def test_nesting_error_names_the_line_past_the_limit(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match=r"line 12: unsafe template: blocks are nested"):
        user_template(tmp_path, "Hi\n" + "{% if 1 %}\n" * 1000 + "{% endif %}" * 1000)


INCLUDES = {
    "include": "{% include '/etc/passwd' %}",
    "import": "{% import 'thank-you.j2' as t %}",
    "from import": "{% from 'macros.j2' import box %}",
    "extends": "{% extends 'thank-you.j2' %}",
}


@pytest.mark.parametrize("source", INCLUDES.values(), ids=INCLUDES.keys())
def test_includes_are_refused_when_loading(tmp_path: Path, source: str) -> None:
    with pytest.raises(TemplateError) as caught:
        user_template(tmp_path, f"Dear {{{{ name }}}},\n\n{source}\n")
    assert str(caught.value).startswith("template 'mine' line 3: unsafe template: {% ")
    assert "is not allowed" in str(caught.value) and "paste" in caught.value.hint


def test_a_huge_template_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match=f"over {MAX_TEMPLATE_CHARS} characters"):
        user_template(tmp_path, "Dear {{ name }},\n" + "x" * MAX_TEMPLATE_CHARS)


# ---------------------------------------------------------------- through the CLI


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in EVIL:
        shutil.copy(HOSTILE / name, tmp_path / name)
    (tmp_path / "people.csv").write_text("name,product\nAna Souza,mug\nBen Okafor,cup\n")
    return tmp_path


def run(*args: str):  # noqa: ANN201
    return runner.invoke(app, list(args), catch_exceptions=False)


def assert_refused(result, here: Path) -> None:  # noqa: ANN001
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert not (here / "PWNED").exists(), "the template ran a shell command"
    assert not list(here.rglob("*.pdf")), "a PDF was written"


@pytest.mark.parametrize("template", EVIL)
def test_write_refuses_an_unsafe_template(here: Path, template: str) -> None:
    result = run("write", "--template", f"./{template}", "--set", "name=Ana", "-o", "a.pdf")
    assert_refused(result, here)
    assert f"template '{Path(template).stem}' line " in result.output
    assert "unsafe template" in result.output or "limit" in result.output


@pytest.mark.parametrize(
    "source",
    [EXHAUSTING["integer squaring"], EXHAUSTING["nested range loops"], DEEP["if"],
     INCLUDES["include"]],
    ids=["squaring", "loops", "nesting", "include"],
)  # fmt: skip
def test_write_refuses_a_hostile_template(here: Path, source: str) -> None:
    (here / "hostile.j2").write_text(f"Dear {{{{ name }}}},\n\n{source}\n")
    result = run("write", "--template", "hostile.j2", "--set", "name=Ana", "-o", "card.pdf")
    assert_refused(result, here)
    assert re.search(r"template 'hostile' line \d+: unsafe template: ", result.output)
    assert "hint: " in result.output and not (here / "card.pdf").exists()


@pytest.mark.parametrize("template", EVIL)
def test_merge_refuses_an_unsafe_template(here: Path, template: str) -> None:
    result = run(
        "merge", "people.csv", "--template", f"./{template}", "-o", "cards.pdf", "-q", "-j", "1"
    )
    assert_refused(result, here)
    # Refused when loading (a removed global), or at each row of people.csv, with the template's line.
    assert f"template '{Path(template).stem}'" in result.output
    assert "unsafe template" in result.output or "people.csv" in result.output


def test_data_cannot_smuggle_template_syntax_into_a_user_template(here: Path) -> None:
    (here / "mine.j2").write_text("Dear {{ name }},\n\nthanks for the {{ product }}.\n")
    result = run(
        "write", "-t", "./mine.j2", "--set", "name={{ cycler.__init__.__globals__ }}",
        "--set", "product={% raw %}{{ 7*7 }}", "-o", "a.pdf",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    from pypdf import PdfReader

    text = "".join(PdfReader(here / "a.pdf").pages[0].extract_text().split())
    assert "{{cycler.__init__.__globals__}}" in text and "{%raw%}{{7*7}}" in text
    assert "49" not in text
