"""`notes merge` through the command line, on real fixture files."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from notes.cli import app
from notes.manifest import read_manifest
from tests.pdfcheck import check_pdf, text_of

FIXTURES = Path(__file__).parent / "fixtures" / "merge"
MESSY = str(FIXTURES / "messy.csv")
runner = CliRunner()


def _merge(*args: str, **kwargs):
    return runner.invoke(
        app, ["merge", *args, "--today", "2026-01-05", "--jobs", "1", "-q"], **kwargs
    )


def test_bad_rows_are_explained_with_their_line_and_the_exit_code_is_1(tmp_path):
    out = tmp_path / "cards.pdf"
    result = _merge(MESSY, "-t", "thank-you", "-o", str(out))
    assert result.exit_code == 1, result.output
    assert "5 notes rendered, 3 failed" in result.output
    for line, reason in ((7, "'Product' is empty"), (8, "U+13000"), (9, "does not fit")):
        assert f"messy.csv line {line}" in result.output
        assert reason in result.output
    assert f"wrote {out}" in result.output
    assert f"--rows 4-6 -o {tmp_path / 'cards-fixes.pdf'}" in result.output
    assert len(check_pdf(out).pages) == 5
    assert "Traceback" not in result.output


def test_an_unclosed_quote_fails_its_row_and_the_next_customer_gets_a_card(tmp_path):
    source = tmp_path / "customers.csv"
    source.write_text(
        "Customer Name,Product,Order Number\n"
        "Ana Souza,blue teapot,#1001\n"
        '"Bad ""quote,x,#1005\n'
        "Zed Smith,red scarf,#1006\n"
    )
    out = tmp_path / "cards.pdf"
    result = _merge(str(source), "-t", "thank-you", "-o", str(out))
    assert result.exit_code == 1, result.output
    assert "2 notes rendered, 1 failed" in result.output
    assert "customers.csv line 3" in result.output and "never closed" in result.output
    assert "'Product' is empty" not in result.output
    manifest = read_manifest(tmp_path / "cards.manifest.csv")
    assert [(r["line"], r["status"], r["recipient"]) for r in manifest] == [
        ("2", "ok", "Ana Souza"),
        ("3", "failed", ""),
        ("4", "ok", "Zed Smith"),
    ]
    assert "Zed" in text_of(check_pdf(out), 1)


EXAMPLES = Path(__file__).parent.parent / "examples"


def test_a_shop_orders_export_is_refused_with_a_pointer_to_notes_day(tmp_path):
    export = str(EXAMPLES / "orders_export.csv")
    out = tmp_path / "cards.pdf"
    result = _merge(export, "-t", "thank-you", "-o", str(out))
    assert result.exit_code == 1, result.output
    assert "orders_export.csv: this is a Shopify orders export" in result.output
    assert f"notes day {export}" in result.output and "Dear #1001" not in result.output
    assert not out.exists() and not list(tmp_path.iterdir())
    # Naming the name's column is the user's word that they know what they merge.
    mapped = _merge(export, "-t", "thank-you", "--map", "name=Billing Name", "--dry-run")
    assert "Dear Emma," in mapped.output and "Shopify orders export" not in mapped.output


def test_an_empty_or_letterless_name_cell_is_that_rows_error_naming_field_and_column(tmp_path):
    source = tmp_path / "people.csv"
    source.write_text("Name,Product\nAna Souza,teapot\n,mug\n#1001,scarf\n12 34,bowl\n")
    result = _merge(str(source), "-t", "thank-you", "-o", str(tmp_path / "cards.pdf"))
    assert result.exit_code == 1, result.output
    assert "1 note rendered, 3 failed" in result.output
    assert "people.csv line 3 (row 2): 'first_name' (from column 'Name') is empty in this row" in (
        result.output
    )
    assert "add a 'first_name' column" not in result.output
    for line, value in ((4, "#1001"), (5, "12 34")):
        assert f"people.csv line {line} (row {line - 1}): 'name' (from column 'Name') is " in (
            result.output
        )
        assert f"{value!r}, which is not a name" in result.output
    assert "Dear #1001" not in text_of(check_pdf(tmp_path / "cards.pdf"))


def test_all_good_rows_exit_0(tmp_path):
    out = tmp_path / "cards.pdf"
    result = _merge(str(FIXTURES / "bom.csv"), "-t", "thank-you", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "2 notes rendered, 0 failed" in result.output


def test_strict_stops_at_the_first_bad_row(tmp_path):
    out = tmp_path / "cards.pdf"
    result = _merge(MESSY, "-t", "thank-you", "-o", str(out), "--strict")
    assert result.exit_code == 1
    assert "messy.csv line 7" in result.output
    assert not out.exists()


def test_dry_run_shows_three_notes_and_writes_nothing(tmp_path):
    result = runner.invoke(
        app, ["merge", MESSY, "-t", "thank-you", "--dry-run", "-q"], catch_exceptions=False
    )
    assert result.exit_code == 1  # the dry run found rows that would fail
    assert result.output.count("--- row ") == 3
    assert "5 notes would be written, 3 failed" in result.output
    assert list(tmp_path.iterdir()) == []


def test_rows_and_limit(tmp_path):
    out = tmp_path / "cards.pdf"
    result = _merge(MESSY, "-t", "thank-you", "-o", str(out), "--rows", "1-3,8", "--limit", "2")
    assert result.exit_code == 0, result.output
    rows = read_manifest(tmp_path / "cards.manifest.csv")
    assert [r["row"] for r in rows] == ["1", "2"]


def test_usage_errors_exit_2(tmp_path):
    assert _merge(MESSY, "-t", "thank-you").exit_code == 2  # nowhere to write
    result = _merge(MESSY, "-t", "thank-you", "-o", "x.pdf", "--rows", "7-3")
    assert result.exit_code == 2 and "--rows" in result.output
    result = _merge(MESSY, "-t", "thank-you", "-o", "x.pdf", "--map", "product")
    assert result.exit_code == 2 and "field=Column" in result.output
    assert _merge(MESSY, "-o", "x.pdf").exit_code == 2  # --template is required


def test_missing_column_is_reported_before_rendering(tmp_path):
    out = tmp_path / "cards.pdf"
    result = _merge(str(FIXTURES / "no_product.csv"), "-t", "thank-you", "-o", str(out))
    assert result.exit_code == 1
    assert "needs field 'product'" in result.output and "Produtc" in result.output
    assert not out.exists()
    result = _merge(
        str(FIXTURES / "no_product.csv"), "-t", "thank-you", "-o", str(out), "--map",
        "product=Produtc",
    )  # fmt: skip
    assert result.exit_code == 0, result.output


def test_jobs_do_not_change_the_bytes(tmp_path):
    one, two = tmp_path / "one.pdf", tmp_path / "two.pdf"
    runner.invoke(app, ["merge", MESSY, "-t", "thank-you", "-o", str(one), "-q", "--jobs", "1"])
    runner.invoke(app, ["merge", MESSY, "-t", "thank-you", "-o", str(two), "-q", "--jobs", "2"])
    assert one.read_bytes() == two.read_bytes()


def test_stdin_input(tmp_path):
    out = tmp_path / "cards.pdf"
    data = (FIXTURES / "cp1252_semicolon.csv").read_bytes()
    result = _merge("-", "-t", "thank-you", "-o", str(out), input=data)
    assert result.exit_code == 0, result.output
    assert "François" in text_of(check_pdf(out), 0)
    assert read_manifest(tmp_path / "cards.manifest.csv")[0]["where"] == "<stdin> line 2"


def test_per_note_sheets_and_envelopes(tmp_path):
    folder = tmp_path / "notes"
    result = _merge(MESSY, "-t", "thank-you", "--per-note", str(folder))
    assert result.exit_code == 1
    assert "wrote 5 notes into" in result.output
    assert {p.name for p in folder.glob("*.pdf")} == {
        "Ana-Souza.pdf", "Ana-Souza-2.pdf", "Ben-Okafor.pdf", "etc-x.pdf", "CON-note.pdf",
    }  # fmt: skip
    sheets, envelopes = tmp_path / "sheets.pdf", tmp_path / "envelopes.pdf"
    result = _merge(
        MESSY, "-t", "thank-you", "-o", str(sheets), "--sheet", "a4", "--bleed", "3",
        "--envelopes", str(envelopes), "--envelope-size", "us10", "--json",
    )  # fmt: skip
    assert result.exit_code == 1
    assert len(check_pdf(sheets).pages) == 2
    reader = check_pdf(envelopes)
    assert len(reader.pages) == 5  # one per card, the one without an address marked
    assert round(float(reader.pages[0].mediabox.width), 2) == 684.0  # 9.5 in
    assert (tmp_path / "sheets.manifest.json").exists()


def test_no_overwrite_without_force(tmp_path):
    out = tmp_path / "cards.pdf"
    out.write_bytes(b"keep me")
    result = _merge(MESSY, "-t", "thank-you", "-o", str(out))
    assert result.exit_code == 1 and "--force" in result.output
    assert out.read_bytes() == b"keep me"
    result = _merge(MESSY, "-t", "thank-you", "-o", str(out), "--force")
    assert result.exit_code == 1  # rows failed, but the file was replaced
    assert out.read_bytes().startswith(b"%PDF")


def test_plain_progress_lines_when_not_a_terminal(tmp_path):
    out = tmp_path / "cards.pdf"
    result = runner.invoke(
        app, ["merge", str(FIXTURES / "bom.csv"), "-t", "thank-you", "-o", str(out), "--jobs", "1"]
    )
    assert result.exit_code == 0, result.output
    assert "writing: 2/2 rows" in result.output


def test_plain_progress_is_a_line_a_tenth_not_a_line_a_row(tmp_path):
    source = tmp_path / "customers.csv"
    source.write_text(
        "first_name,product\n" + "".join(f"Ana{n},tea\n" for n in range(50)), encoding="utf-8"
    )
    out = tmp_path / "cards.pdf"
    result = runner.invoke(
        app, ["merge", str(source), "-t", "thank-you", "-o", str(out), "--jobs", "1"]
    )
    assert result.exit_code == 0, result.output
    progress = [line for line in result.stderr.splitlines() if line.startswith("writing:")]
    assert progress == [f"writing: {done}/50 rows" for done in range(5, 51, 5)]


def test_plain_progress_counts_to_the_cards_it_writes_and_says_the_last(tmp_path):
    """A row whose name is no name gets no card: the count goes to the rows that do, so the
    last line is there."""
    source = tmp_path / "customers.csv"
    rows = "".join(f"#{n},tea\n" if n % 10 == 9 else f"Ana{n},tea\n" for n in range(50))
    source.write_text("first_name,product\n" + rows, encoding="utf-8")
    out = tmp_path / "cards.pdf"
    result = runner.invoke(
        app, ["merge", str(source), "-t", "thank-you", "-o", str(out), "--jobs", "1"]
    )
    assert result.exit_code == 1 and "45 notes rendered, 5 failed" in result.output
    progress = [line for line in result.stderr.splitlines() if line.startswith("writing:")]
    assert progress[-1] == "writing: 45/45 rows" and len(progress) == 10


def test_help_ends_with_examples():
    result = runner.invoke(app, ["merge", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output and "notes merge customers.csv" in result.output


def test_a_huge_row_range_is_read_as_a_range(tmp_path):
    result = _merge(MESSY, "-t", "thank-you", "--dry-run", "--rows", "7-10000000,2")
    assert "3 notes would be written, 0 failed" in result.output


# ---------------------------------------------------------------- outputs that collide


def _people(path: Path, names: list[str]) -> str:
    rows = [f"{name},teapot,1 Main St,Lyon,69001,France" for name in names]
    path.write_text("Name,Product,Address,City,Zip,Country\n" + "\n".join(rows) + "\n")
    return str(path)


@pytest.mark.parametrize(
    ("options", "first", "second"),
    [
        (["-o", "same.pdf", "--envelopes", "same.pdf"], "-o", "--envelopes"),
        (["-o", "Cards.pdf", "--envelopes", "./sub/../CARDS.PDF"], "-o", "--envelopes"),
        (["-o", "cards.pdf", "--manifest", "cards.pdf"], "-o", "--manifest"),
        (["-o", "c.pdf", "--manifest", "m.json", "--json"], "--manifest", "--json"),
        (["-o", "people.csv", "--force"], "the input file", "-o"),
        (["--per-note", "each", "--envelopes", "each"], "--per-note", "--envelopes"),
    ],
)
def test_outputs_naming_one_file_are_refused_before_rendering(
    tmp_path, monkeypatch, options, first, second
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    source = _people(tmp_path / "people.csv", ["Ana Souza"])
    before = sorted(p.name for p in tmp_path.iterdir())
    result = _merge(source, "-t", "thank-you", *options)
    assert result.exit_code == 2, result.output
    assert f"error: {first} " in result.output and f" and {second}" in result.output
    assert "are the same file" in result.output and "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written, nothing left
    assert (tmp_path / "people.csv").read_text().startswith("Name,")


def test_per_note_customers_never_take_the_runs_own_file_names(tmp_path):
    folder = tmp_path / "each"
    names = ["Envelopes", "Manifest", "Anna", "ANNA", "Γιώργος", "ΓΙΏΡΓΟΣ", "Straße", "STRASSE"]
    source = _people(tmp_path / "people.csv", names)
    result = _merge(
        source, "-t", "thank-you", "--per-note", str(folder),
        "--envelopes", str(folder / "envelopes.pdf"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert len(check_pdf(folder / "envelopes.pdf").pages) == len(names)  # not a customer's card
    assert "Envelopes" in text_of(check_pdf(folder / "Envelopes-2.pdf"))
    assert sorted(p.name for p in folder.iterdir()) == sorted([
        "envelopes.pdf", "manifest.csv", "Envelopes-2.pdf", "Manifest-2.pdf", "Anna.pdf",
        "ANNA-2.pdf", "Γιώργος.pdf", "ΓΙΏΡΓΟΣ-2.pdf", "Straße.pdf", "STRASSE-2.pdf",
    ])  # fmt: skip
    rows = read_manifest(folder / "manifest.csv")
    assert [Path(r["output"]).name for r in rows][:2] == ["Envelopes-2.pdf", "Manifest-2.pdf"]


# ---------------------------------------------------------------- the hint after failed rows


def test_hint_writes_the_fixed_rows_to_new_files_and_keeps_the_batch(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "people.csv"
    source.write_text("Name,Product\nAna Souza,teapot\nBen Okafor,\nCarla Reyes,socks\n")
    result = _merge(str(source), "-t", "thank-you", "-o", "cards.pdf")
    assert result.exit_code == 1
    assert "--rows 2 -o cards-fixes.pdf" in result.output and "--force" not in result.output
    batch = (tmp_path / "cards.pdf").read_bytes()
    source.write_text("Name,Product\nAna Souza,teapot\nBen Okafor,mug\nCarla Reyes,socks\n")
    fixed = _merge(str(source), "-t", "thank-you", "--rows", "2", "-o", "cards-fixes.pdf")
    assert fixed.exit_code == 0, fixed.output
    assert (tmp_path / "cards.pdf").read_bytes() == batch
    assert "Ben" in text_of(check_pdf(tmp_path / "cards-fixes.pdf"))
    # Taken names are skipped: the next hint never points at the fixes already written.
    source.write_text("Name,Product\nAna Souza,teapot\nBen Okafor,\n")
    again = _merge(str(source), "-t", "thank-you", "-o", "cards.pdf", "--force")
    assert "--rows 2 -o cards-fixes-2.pdf" in again.output


def test_hint_for_per_note_and_envelopes_names_new_ones(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = _merge(MESSY, "-t", "thank-you", "--per-note", "each", "--envelopes", "env.pdf")
    assert "--rows 4-6 --per-note each-fixes --envelopes env-fixes.pdf" in result.output


def test_many_failed_rows_point_to_the_manifest_not_a_list(tmp_path):
    source = tmp_path / "people.csv"
    source.write_text("Name,Product\n" + "".join(f"Person {n},\n" for n in range(1, 61)))
    # Every row fails (no product); the odd ones are chosen: 30 failed rows no range sums up.
    odd = ",".join(str(n) for n in range(1, 61, 2))
    out = tmp_path / "cards.pdf"
    result = _merge(str(source), "-t", "thank-you", "-o", str(out), "--rows", odd)
    assert result.exit_code == 1
    manifest = tmp_path / "cards.manifest.csv"
    assert f"30 rows failed: the manifest {manifest} lists each" in result.output
    assert "filter its 'status' column for 'failed'" in result.output
    assert f"--rows ROWS -o {tmp_path / 'cards-fixes.pdf'}" in result.output
    assert odd not in result.output  # not the long list
    assert [r["row"] for r in read_manifest(manifest) if r["status"] == "failed"][:3] == [
        "1", "3", "5",
    ]  # fmt: skip
