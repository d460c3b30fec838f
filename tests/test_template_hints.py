"""A misspelt filter, test, function or field is named with its line and the name it most likely
meant ("did you mean 'title'?"), before any card renders; a field that is not a near miss keeps the
--map hint (the data lacks a column, not the template a letter)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from notes.cli import app
from notes.errors import TemplateError
from notes.templating import _environment, check_source

runner = CliRunner()
CSV = "Customer Name,product,email\nAna Souza,teapot,ana@example.com\nBo Li,mug,bo@example.com\n"


def _merge(tmp_path: Path, template: str, csv: str = CSV) -> str:
    """`notes merge --dry-run` with this template; its output (it must fail)."""
    (tmp_path / "mine.j2").write_text(template, encoding="utf-8")
    (tmp_path / "c.csv").write_text(csv, encoding="utf-8")
    result = runner.invoke(
        app, ["merge", str(tmp_path / "c.csv"), "-t", str(tmp_path / "mine.j2"), "--dry-run"]
    )
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "checking" not in result.output  # no row read
    return " ".join(result.output.split())


def test_a_misspelt_filter_names_the_filter_it_meant(tmp_path):
    out = _merge(tmp_path, "Dear {{ first_name }},\n\nthank you, {{ first_name|titel }}!\n")
    assert "mine.j2: template 'mine' line 3: unknown filter 'titel': did you mean 'title'?" in out
    assert "the filters there are: abs," in out and " money," in out and " title," in out
    assert "step by step" not in out  # the nesting hint it used to get


def test_a_misspelt_filter_block_or_test_is_named_before_any_row(tmp_path):
    out = _merge(tmp_path, "{% filter uper %}hello{% endfilter %}\n")
    assert "line 1: unknown filter 'uper': did you mean 'upper'?" in out
    out = _merge(tmp_path, "Hi\n{% if product is strnig %}{{ product }}{% endif %}\n")
    assert "line 2: unknown test 'strnig': did you mean 'string'?" in out
    assert "the tests there are: boolean," in out and "'<'" not in out


def test_a_misspelt_function_or_a_filter_called_like_one(tmp_path):
    out = _merge(tmp_path, 'Dear {{ first_name }},\n{{ pik("Hi", "Hello") }}\n')
    assert "line 2: unknown function pik(): did you mean pick()?" in out
    assert "the functions there are: cycler()," in out and "pick()" in out
    assert "--map pik" not in out  # it used to be taken for a data field
    out = _merge(tmp_path, "{{ title(first_name) }}\n")
    assert "unknown function title(): 'title' is a filter, write {{ value|title }}" in out


def test_the_templates_own_macros_and_variables_are_no_unknown_functions(tmp_path):
    source = "{% macro hi(who) %}Hi {{ who }}{% endmacro %}{% set f = hi %}{{ hi(name) }} {{ f(name) }}\n"
    check_source(source, tmp_path / "mine.j2")  # no error


def test_a_misspelt_field_is_a_typo_in_the_template_not_a_missing_column(tmp_path):
    out = _merge(tmp_path, "Dear {{ first_name }},\n\nyour {{ product }} is on its way.\n"
                 "{{ frist_name }}, thanks!\n")  # fmt: skip
    assert (
        "mine.j2: template 'mine' line 4: unknown field 'frist_name': did you mean 'first_name'?"
        in out
    )
    assert "write first_name for frist_name on line 4 of mine.j2" in out
    assert '--map frist_name="Customer Name"' not in out


def test_a_misspelt_field_the_data_lacks_says_so(tmp_path):
    out = _merge(tmp_path, "Dear {{ name }}, your {{ prodcut }}.\n", csv="name\nAna\n")
    assert "unknown field 'prodcut': did you mean 'product'?" in out
    assert "give the data a 'product' column (or --map product=COLUMN)" in out


def test_a_field_that_is_no_near_miss_keeps_the_map_hint(tmp_path):
    out = _merge(tmp_path, "Dear {{ name }}, see you at {{ stall }}.\n")
    assert "needs field 'stall', but no column gives it" in out
    assert "add a column for it, or name one with --map stall=COLUMN" in out
    # a field notes knows is meant as written, however close another is (product/products)
    out = _merge(tmp_path, "Dear {{ name }}, your {{ order_number }}.\n")
    assert "did you mean" not in out and "--map order_number=" in out


def test_write_with_a_misspelt_field_names_the_field_it_meant(tmp_path):
    (tmp_path / "mine.j2").write_text("Hello\nDear {{ frist_name }}\n", encoding="utf-8")
    result = runner.invoke(app, ["write", "-t", str(tmp_path / "mine.j2"), "--set",
                                 "name=Ana Souza", "-o", str(tmp_path / "a.pdf")])  # fmt: skip
    assert result.exit_code == 1
    out = " ".join(result.output.split())
    assert "line 2: unknown field 'frist_name': did you mean 'first_name'?" in out
    assert not (tmp_path / "a.pdf").exists()


FILTERS = sorted(name for name in _environment().filters if len(name) >= 5)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(FILTERS), st.data(), st.integers(1, 30))
def test_any_one_letter_slip_in_a_filter_is_caught_with_a_suggestion(name, data, line):
    at = data.draw(st.integers(0, len(name) - 2))
    typo = name[:at] + name[at + 1] + name[at] + name[at + 2 :]  # two letters swapped
    if typo in _environment().filters:
        return
    source = "\n" * (line - 1) + f"{{{{ x|{typo} }}}}\n"
    try:
        check_source(source, Path("mine.j2"))
    except TemplateError as error:
        assert (
            f"template 'mine' line {line}: unknown filter {typo!r}: did you mean " in error.message
        )
        meant = error.message.rsplit("did you mean ", 1)[1].strip("'?")
        assert meant in _environment().filters and "title" in error.hint
    else:
        raise AssertionError(f"{typo!r} was accepted")


def test_a_misspelt_key_of_the_shop_names_the_key_it_meant(tmp_path):
    (tmp_path / "mine.j2").write_text("Hello {{ name }}\n\n{{ shop.nmae }}\n", encoding="utf-8")
    result = runner.invoke(app, ["write", "-t", str(tmp_path / "mine.j2"), "--set", "name=Ana",
                                 "-o", str(tmp_path / "a.pdf")])  # fmt: skip
    assert result.exit_code == 1
    out = " ".join(result.output.split())
    assert "line 3: shop has no 'nmae': did you mean shop.name?" in out
    assert "shop gives: address, currency, locale, name, sender, signature" in out
