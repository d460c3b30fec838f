"""A run parses each template once, however many notes it renders (it was once per note)."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from notes.errors import TemplateError
from notes.templating import load_template, render_text


def _parses_of(path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Jinja's parser, counted for one file (a spy on the library: our code runs unchanged)."""
    calls: list[str] = []
    parse = jinja2.Environment.parse

    def counted(self, source, name=None, filename=None):  # noqa: ANN001, ANN202
        if filename == str(path):
            calls.append(name)
        return parse(self, source, name, filename)

    monkeypatch.setattr(jinja2.Environment, "parse", counted)
    return calls


def test_a_template_loaded_for_every_note_is_parsed_once(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "once.j2"
    path.write_text("Dear {{ first_name }}, thank you ({{ order_number }}).\n", encoding="utf-8")
    calls = _parses_of(path, monkeypatch)
    texts = []
    for number in range(30):  # what a merge does: load (and check) the template per note
        info = load_template(str(path))
        context = {"first_name": "Ana", "order_number": f"#{number}"}
        texts.append(render_text(info, context, seed=1, recipient_key=str(number)))
    assert texts[7] == "Dear Ana, thank you (#7)."
    assert len(calls) <= 2  # compiled once, checked for unsafe names once


def test_an_unsafe_template_is_refused_every_time(tmp_path: Path) -> None:
    path = tmp_path / "unsafe.j2"
    path.write_text("{{ lipsum(1) }}\n", encoding="utf-8")
    for _ in range(2):  # the cache keeps the answer, not a pass
        with pytest.raises(TemplateError, match="lipsum"):
            load_template(str(path))


def test_a_bundled_template_is_read_once_however_many_notes(monkeypatch) -> None:
    from notes.templates import templates_dir

    path = templates_dir() / "en" / "thank-you.j2"
    opened: list[Path] = []
    open_file = Path.open

    def counted(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if self == path:
            opened.append(self)
        return open_file(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", counted)  # a spy on pathlib: our code runs unchanged
    infos = [load_template("thank-you") for _ in range(30)]  # a merge loads it per note
    assert {info.path for info in infos} == {path}
    assert infos[0].required == infos[29].required
    assert len(opened) <= 1


def test_whether_a_template_only_prints_one_field_is_looked_at_once() -> None:
    """render_text asks it of every note: a match over the whole source, kept per source."""
    from notes.templating import _printed_field

    info = load_template("thank-you")
    context = {"first_name": "Ana", "product": "teapot", "shop": {"signature": "M", "sender": ""}}
    render_text(info, context, seed=1, recipient_key="0")
    before = _printed_field.cache_info()
    for number in range(1, 6):
        render_text(info, context, seed=1, recipient_key=str(number))
    after = _printed_field.cache_info()
    assert (after.misses, after.hits) == (before.misses, before.hits + 5)
