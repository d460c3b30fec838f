"""The layers hold: nothing but the PDF writer (notes/pdf/) loads reportlab.

ruff's banned-api (pyproject.toml) refuses the import statements; this catches the rest, such
as a module that imports another library that imports reportlab (svglib does).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import notes

PACKAGE = Path(notes.__file__).parent
WRITER = {"writer", "words", "stream", "fonts", "images", "deflate"}  # notes/pdf/ but placing


def _modules_outside_the_writer() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[:2] == ("notes", "pdf") and parts[-1] in WRITER:
            continue  # the writer itself
        if parts[-1] == "__main__":
            continue  # __main__ runs the CLI when imported
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def test_no_module_outside_the_pdf_writer_loads_reportlab():
    modules = _modules_outside_the_writer()
    assert "notes.render" in modules and "notes.sheets" in modules and len(modules) > 30
    # A batch's workers write their words' operators without it; `notes.pdf` imports it late.
    assert "notes.pdf.placing" in modules and "notes.pdf" in modules
    code = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('reportlab', 'svglib'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == []


def test_the_writer_is_what_loads_it():
    """The check above can fail: importing the writer does load reportlab."""
    code = "import sys, notes.pdf.writer; print('reportlab' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "True"
