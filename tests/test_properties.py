"""Property: for any row of printable Unicode as the name, `notes merge` either renders a PDF whose
text contains the name, or reports an error for that row. Never a traceback; exit code 0 or 1."""

from __future__ import annotations

import csv
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from notes.cli import app
from notes.manifest import read_manifest
from tests.pdfcheck import check_pdf, text_of

runner = CliRunner()
RTL = ("R", "AL")


def visible(text: str) -> str:
    """What a reader can find again: NFC, no spaces, no control or format characters."""
    text = unicodedata.normalize("NFC", text)
    return "".join(c for c in text if unicodedata.category(c)[0] not in "CZ")


def found(name: str, page_text: str) -> bool:
    want, have = visible(name), visible(page_text)
    if want in have:
        return True
    # Readers may give right-to-left runs (and marks joined to them) in another order.
    if any(unicodedata.bidirectional(c) in RTL for c in want):
        return set(want) <= set(have)
    return False


names = st.text(
    st.characters(codec="utf-8", categories=("L", "M", "N", "P", "S", "Zs")),
    min_size=1,
    max_size=20,
).filter(lambda s: s.strip())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names)
@example("😍")  # found by Hypothesis: its text-layer entry was an odd-length hex string
@example("Ana 😍 Souza 🦄")
def test_any_name_renders_or_fails_its_row(name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        source = work / "people.csv"
        with source.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows([["name", "text"], [name, "Thank you!"]])
        # The blank template prints the whole name: "Dear {{ name }}," then the text.
        template = work / "dear.j2"
        template.write_text("Dear {{ name }},\n\n{{ text }}\n", encoding="utf-8")
        out = work / "cards.pdf"
        result = runner.invoke(
            app, ["merge", str(source), "-t", str(template), "-o", str(out), "-q", "-j", "1"]
        )
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(
            result.exception
        )
        assert "Traceback" not in result.output
        assert result.exit_code in (0, 1), result.output
        [row] = read_manifest(work / "cards.manifest.csv")
        if row["status"] == "ok":
            assert result.exit_code == 0
            page = text_of(check_pdf(out))
            assert found(name, page), (name, page)
        else:
            assert result.exit_code == 1 and row["error"], row
            assert "people.csv line 2" in result.output
