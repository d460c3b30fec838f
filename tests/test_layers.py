"""The layers hold: no module loads reportlab when imported, and the PDF writer itself loads it
only to draw an SVG picture (svglib draws with it); PIL only for a PNG picture.

ruff's banned-api (pyproject.toml) refuses the import statements outside notes/pdf/images.py;
this catches the rest, such as a module that imports a library that imports reportlab.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import notes

PACKAGE = Path(notes.__file__).parent
SIGNATURES = Path(__file__).parent / "fixtures" / "signature"


def _every_module() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__main__":
            continue  # __main__ runs the CLI when imported
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def _loaded(code: str, *packages: str) -> list[str]:
    """The modules of `packages` that running `code` in a fresh interpreter loads."""
    code += (
        "\nimport json, sys\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {packages!r})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.splitlines()[-1])


def test_no_module_loads_reportlab_when_imported():
    modules = _every_module()
    assert {"notes.render", "notes.pdf.writer", "notes.pdf.images"} <= set(modules)
    imports = f"import importlib\nfor name in {modules!r}:\n    importlib.import_module(name)\n"
    assert _loaded(imports, "reportlab", "svglib") == []


WRITE = """
from notes.render import Renderer, Style, write_cards
renderer = Renderer(Style(signature={signature!r}))
write_cards([renderer.plan("Dear Ana,\\nthank you!", key="A")], {path!r}, force=True)
"""


def test_a_card_is_written_without_reportlab_or_pil(tmp_path):
    code = WRITE.format(path=str(tmp_path / "c.pdf"), signature=None)
    assert _loaded(code, "reportlab", "svglib", "PIL") == []


def test_an_svg_signature_is_what_loads_reportlab(tmp_path):
    """The check above can fail: an SVG picture does load reportlab (and a PNG, PIL)."""
    svg = WRITE.format(path=str(tmp_path / "s.pdf"), signature=str(SIGNATURES / "signature.svg"))
    assert {"reportlab", "svglib"} <= {m.split(".")[0] for m in _loaded(svg, "reportlab", "svglib")}
    png = WRITE.format(path=str(tmp_path / "p.pdf"), signature=str(SIGNATURES / "signature.png"))
    assert "PIL" in _loaded(png, "PIL", "reportlab") and "reportlab" not in _loaded(
        png, "reportlab"
    )
