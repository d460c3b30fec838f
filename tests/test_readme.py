"""Every shell example in the README works as written, from the clone's folder, after set-up."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"


def _example_blocks() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    # The first two are the set-up and the test command (covered by .ci/run itself).
    return blocks[2:]


def test_readme_starts_with_install_and_test_commands():
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert "pip install -e '.[test]'" in blocks[0] and ".venv/bin/notes demo" in blocks[0]
    assert blocks[1].strip() == ".venv/bin/python -m pytest -n 2 --dist loadfile"
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert blocks[1].strip() in run


def test_examples_call_notes_through_the_virtualenv():
    for block in _example_blocks():
        for line in block.splitlines():
            assert not re.match(r"^\s*notes ", line), (
                f"bare `notes` is not on PATH after set-up: {line}"
            )


def test_readme_examples_run_in_order_in_one_folder(tmp_path):
    # As a reader runs them: one after another in the clone, each seeing what the ones before
    # wrote (the files, the ledger), so an example that only works alone fails here.
    (tmp_path / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "data"), HOME=str(tmp_path))
    for block in _example_blocks():
        result = subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", block],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
        )
        assert result.returncode == 0, (
            f"README block failed:\n{block}\n{result.stdout}\n{result.stderr}"
        )
        # An example that writes nothing because an earlier one did shows the reader nothing.
        assert "nothing new to write" not in result.stdout + result.stderr, (block, result.stdout)
