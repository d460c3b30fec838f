"""What `notes write` loads on its way to one card: facts (sys.modules at its exit), not timings.

The heavy packages cost `notes write` more than the card does (issue 16): fontTools (outlines come
from the store), numpy, Faker and Babel never; reportlab and PIL never for a card without a
picture (notes.pdf writes the PDF itself); Jinja only when a template is rendered; the other
commands' modules never.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

NEVER = {
    "fontTools",
    "numpy",
    "faker",
    "babel",
    "rich",
    "pypdf",
    "pikepdf",
    "nameparser",
    "sqlite3",
    "tomllib",  # the fonts' catalog, the languages, templates' metadata: parsed by an earlier run
    "decimal",  # amounts are read where a card has one
}
NEVER |= {"reportlab", "PIL", "svglib"}  # a card without a signature picture


# `python -m notes ARGS`; at its exit, on stderr's last line: every module loaded, how many
# compiled regular expressions hold CJK characters (unfrozen: notes.cli.main freezes objects),
# and notes' classes whose methods @dataclass generated.
RUN = """
import atexit, gc, json, re, runpy, sys

def report():
    gc.unfreeze()
    patterns = [o.pattern for o in gc.get_objects() if isinstance(o, re.Pattern)]
    cjk = [p for p in patterns if isinstance(p, str) and re.search("[\u3040-\u9fff]", p)]
    found = {"modules": sorted(sys.modules), "cjk_patterns": len(cjk), "gc": gc.get_threshold(),
             "patterns": [p for p in patterns if isinstance(p, str)], "generated": generated()}
    print(json.dumps(found), file=sys.stderr)

def generated():
    # notes' dataclasses whose methods @dataclass wrote and compiled at import (not Records)
    import dataclasses
    return sorted(
        f"{name}.{cls.__qualname__}"
        for name, module in list(sys.modules.items()) if name.startswith("notes")
        for cls in vars(module).values()
        if isinstance(cls, type) and cls.__module__ == name and dataclasses.is_dataclass(cls)
        and cls.__dataclass_params__.init and "__slots__" not in cls.__dict__
    )

atexit.register(report)
sys.argv = ["notes", *sys.argv[1:]]
runpy.run_module("notes", run_name="__main__")
"""


def _write(args: list[str], tmp_path: Path, name: str) -> dict:
    """Run `notes write ARGS` in a fresh interpreter (the outline store warmed by a first run
    in the same cache folder); what it had loaded at its exit."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    command = [sys.executable, "-c", RUN, "write", "--force", *args]
    for run in ("warm", name):
        out = tmp_path / f"{run}.pdf"
        done = subprocess.run(
            [*command, "-o", str(out)], capture_output=True, text=True, env=env, check=True
        )
        assert out.is_file()
    return json.loads(done.stderr.splitlines()[-1])


def _packages(modules: set[str]) -> set[str]:
    """The top-level packages of `modules`."""
    return {name.split(".")[0] for name in modules}


def test_writing_ones_own_words_loads_no_template_engine(tmp_path):
    found = _write(["--text", "Dear Ana, thank you for the blue teapot!"], tmp_path, "text")
    loaded = set(found["modules"])
    assert not _packages(loaded) & (NEVER | {"jinja2", "markupsafe"})
    commands = {m for m in loaded if m.startswith("notes.cli.")}
    assert commands == {"notes.cli.console", "notes.cli.options", "notes.cli.write"}
    assert "notes.plotdevices" not in loaded  # a PDF is no pen plotter's file
    assert not {"notes.ledger", "notes.ledgerfile"} & loaded  # one card is in no ledger
    if "reportlab" not in _packages(loaded):  # (reportlab imports HarfBuzz itself)
        assert "uharfbuzz" not in _packages(loaded)  # the font's measures come from the store


def test_writing_from_a_template_loads_jinja_and_nothing_heavier(tmp_path):
    args = ["--template", "thank-you", "--set", "name=Ana Souza", "--set", "product=blue teapot"]
    found = _write(args, tmp_path, "template")
    loaded = set(found["modules"])
    assert "jinja2" in _packages(loaded)
    assert not _packages(loaded) & NEVER


def test_a_latin_card_compiles_no_cjk_pattern(tmp_path):
    # Their wide character classes took ~3 ms each to compile, at every start-up.
    found = _write(["--text", "Dear Ana, thank you for the blue teapot!"], tmp_path, "text")
    assert found["cjk_patterns"] == 0


def test_an_english_card_compiles_no_pattern_it_does_not_use(tmp_path):
    # Compiled at import, they cost every `notes write` for amounts, dates, a custom card size
    # and Spanish lists that an English card with a named size never reads.
    args = ["--template", "thank-you", "--set", "name=Ana Souza", "--set", "product=blue teapot"]
    patterns = "\n".join(_write(args, tmp_path, "template")["patterns"])
    for unused in ("(mm|cm|in|pt)", r"\d{2,4}", "[\\d.,]", "h?[ií]"):
        assert unused not in patterns


def test_the_collector_waits_for_more_objects_than_loading_the_library_makes(tmp_path):
    # Python's first collection after 700 new objects walked every object of the modules being
    # loaded some 80 times per card; a long merge's cyclic garbage is still collected.
    from notes.__main__ import FIRST_COLLECTION_AFTER

    found = _write(["--text", "Dear Ana, thank you for the blue teapot!"], tmp_path, "text")
    assert found["gc"][0] == FIRST_COLLECTION_AFTER >= 20_000


def _merge(tmp_path: Path) -> dict:
    """Run `notes merge` of a customer list in a fresh interpreter (after a first run in the
    same cache folder); what it had loaded at its exit."""
    source = tmp_path / "customers.csv"
    source.write_text("Name,Product\nAna Souza,blue teapot\nBen Okafor,wool socks\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    command = [sys.executable, "-c", RUN, "merge", str(source), "-t", "thank-you", "-q"]
    for run in ("warm", "cards"):
        out = tmp_path / f"{run}.pdf"
        done = subprocess.run(
            [*command, "-o", str(out)], capture_output=True, text=True, env=env, check=True
        )
        assert out.is_file()
    return json.loads(done.stderr.splitlines()[-1])


def test_a_merge_asks_whether_its_file_is_a_shops_export_without_reading_one(tmp_path):
    # No installed package declares a shop format, which a look at their entry_points.txt tells
    # without importlib.metadata (~20 ms a merge); the built-in formats' header markers are known
    # without their readers and the order records they make (~9 ms).
    loaded = set(_merge(tmp_path)["modules"])
    assert "importlib.metadata" not in loaded
    assert {m for m in loaded if m.startswith("notes.shops.")} == {"notes.shops.registry"}
    assert "notes.models" not in loaded


def test_a_merge_compiles_no_dataclass_methods(tmp_path):
    # @dataclass writes and compiles each class's __init__, __repr__ and __eq__ at import
    # (~0.4 ms a class): a merge pays for them before its worker forks, with the other core idle.
    # Its classes are notes.records' Records; only the manifest's rows keep @dataclass, for
    # their __slots__ (one per input row, kept for the whole run).
    assert _merge(tmp_path)["generated"] == []
