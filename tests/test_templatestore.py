"""Compiled templates kept on disk (notes.templatestore): a later run reads the code that passed
the checks instead of compiling again; a refused template is never stored; a damaged store is
only compiled again. (`notes write` twice gives the same bytes: tests/test_outlinestore.py.)"""

from __future__ import annotations

import marshal
import os
from pathlib import Path

import pytest

from notes.errors import TemplateError
from notes.template_checks import compile_template
from notes.templating import _environment

THANKS = "Dear {{ name }}, thank you for the {{ product }}!"
SORRY = "Dear {{ name }}, sorry about the {{ product }}."
FIELDS = {"name": "Ana", "product": "teapot"}


def _stored() -> list[Path]:
    folder = Path(os.environ["XDG_CACHE_HOME"]) / "notes" / "templates"
    return sorted(folder.glob("*.marshal")) if folder.is_dir() else []


def test_a_later_run_reads_the_compiled_code_from_the_store():
    env = _environment()
    assert compile_template(env, THANKS, "card", "card.j2").render(FIELDS) == (
        "Dear Ana, thank you for the teapot!"
    )
    (thanks,) = _stored()
    compile_template(env, SORRY, "card", "card.j2")
    (sorry,) = set(_stored()) - {thanks}
    # The store is what a later run reads: given the other template's code, it renders that.
    thanks.write_bytes(sorry.read_bytes())
    assert compile_template(env, THANKS, "card", "card.j2").render(FIELDS) == (
        "Dear Ana, sorry about the teapot."
    )


def test_a_refused_template_is_never_stored():
    env = _environment()
    for _ in range(2):
        with pytest.raises(TemplateError, match="include"):
            compile_template(env, "{% include 'x.j2' %}", "card", "card.j2")
    assert _stored() == []


def test_a_damaged_store_is_compiled_again():
    env = _environment()
    compile_template(env, THANKS, "card", "card.j2")
    (path,) = _stored()
    path.write_bytes(b"\x00 not marshal")
    rendered = compile_template(env, THANKS, "card", "card.j2").render(FIELDS)
    assert rendered == "Dear Ana, thank you for the teapot!"
    assert path.read_bytes() != b"\x00 not marshal"  # written anew


def test_another_file_name_is_another_entry():
    # The code names its file (tracebacks, error lines): the same text elsewhere is compiled again.
    env = _environment()
    compile_template(env, THANKS, "card", "one/card.j2")
    compile_template(env, THANKS, "card", "two/card.j2")
    assert len(_stored()) == 2


def test_what_a_template_needs_is_worked_out_once(tmp_path):
    from notes.preflight import required_fields
    from notes.templates import load_template

    card = tmp_path / "card.j2"
    card.write_text(
        "Dear {{ name }}, thanks for the {{ product }}{% if note is defined %}!{% endif %}"
    )
    info = load_template(str(card))
    assert required_fields(info) == ["name", "product"]
    (stored,) = (p for p in _stored() if marshal.loads(p.read_bytes()) == ["name", "product"])
    stored.write_bytes(marshal.dumps(["name"]))  # what a later run reads: this file
    assert required_fields(info) == ["name"]


def test_a_template_that_fails_its_checks_fails_them_every_time(tmp_path):
    from notes.templates import load_template

    card = tmp_path / "card.j2"
    card.write_text("Dear {{ name }}, {% include 'other.j2' %}")
    for _ in range(2):
        with pytest.raises(TemplateError, match="include"):
            load_template(str(card))
    assert _stored() == []


def test_the_fields_a_template_formats_as_money_are_worked_out_once():
    from notes.preflight import money_fields

    source = "{{ total|money }} and {{ money(tip) }} for {{ name }}"
    assert money_fields(source) == {"total", "tip"}
    (stored,) = (p for p in _stored() if marshal.loads(p.read_bytes()) == ["tip", "total"])
    stored.write_bytes(marshal.dumps(["total"]))  # what a later run reads: this file
    assert money_fields(source) == {"total"}
