"""What `notes write` loads on its way to one card: facts (sys.modules at its exit), not timings.

The heavy packages cost `notes write` more than the card does (issue 16): fontTools (outlines come
from the store), numpy, Faker and Babel never; Jinja only when a template is rendered; the other
commands' modules never.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

NEVER = {"fontTools", "numpy", "faker", "babel", "rich", "pypdf", "pikepdf", "nameparser"}


# `python -m notes ARGS`, then every module loaded, on stderr's last line (after the command's
# own exit through SystemExit).
RUN = (
    "import atexit, runpy, sys\n"
    "atexit.register(lambda: print(' '.join(sorted(sys.modules)), file=sys.stderr))\n"
    "sys.argv = ['notes', *sys.argv[1:]]\n"
    "runpy.run_module('notes', run_name='__main__')\n"
)


def _write(args: list[str], tmp_path: Path, name: str) -> set[str]:
    """Run `notes write ARGS` in a fresh interpreter (the outline store warmed by a first run
    in the same cache folder); every module it imported."""
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    command = [sys.executable, "-c", RUN, "write", "--force", *args]
    for run in ("warm", name):
        out = tmp_path / f"{run}.pdf"
        done = subprocess.run(
            [*command, "-o", str(out)], capture_output=True, text=True, env=env, check=True
        )
        assert out.is_file()
    return set(done.stderr.splitlines()[-1].split())


def _packages(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


def test_writing_ones_own_words_loads_no_template_engine(tmp_path):
    loaded = _write(["--text", "Dear Ana, thank you for the blue teapot!"], tmp_path, "text")
    assert not _packages(loaded) & (NEVER | {"jinja2", "markupsafe"})
    commands = {m for m in loaded if m.startswith("notes.cli.")}
    assert commands == {"notes.cli.console", "notes.cli.options", "notes.cli.write"}


def test_writing_from_a_template_loads_jinja_and_nothing_heavier(tmp_path):
    args = ["--template", "thank-you", "--set", "name=Ana Souza", "--set", "product=blue teapot"]
    loaded = _write(args, tmp_path, "template")
    assert "jinja2" in _packages(loaded)
    assert not _packages(loaded) & NEVER
