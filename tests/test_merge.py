"""The mail merge library on real, messy files: rendered rows, explained rows, outputs, workers."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notes.batchmerge import _visible
from notes.cards import CARDS, ENVELOPES, SHEETS
from notes.errors import OutputError, TemplateError, UsageError
from notes.manifest import manifest_csv, read_manifest
from notes.merge import Outputs, merge
from notes.preflight import parse_rows, required_fields
from notes.render import Style
from notes.sheets import sheet_layout
from notes.templating import load_template
from tests.pdfcheck import check_pdf, page_size, text_of

FIXTURES = Path(__file__).parent / "fixtures" / "merge"
MESSY = FIXTURES / "messy.csv"
TODAY = "2026-01-05"
GOOD = ["Ana Souza", "Ben Okafor", "Ana Souza", "../../etc/x", "CON"]  # in file order
BAD_LINES = {7: "'Product' is empty", 8: "U+13000", 9: "does not fit the card"}


def _pt(size: tuple[float, float]) -> tuple[float, float]:
    return (round(size[0], 2), round(size[1], 2))


def _run(out: Path, **kwargs):
    kwargs.setdefault("today", TODAY)
    kwargs.setdefault("jobs", 1)
    source = kwargs.pop("source", MESSY)
    template = kwargs.pop("template", "thank-you")
    outputs = kwargs.pop("outputs", None) or Outputs(cards=out)
    return merge(source, template=template, outputs=outputs, **kwargs)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_good_row_is_rendered_and_every_bad_row_explained(tmp_path):
    out = tmp_path / "cards.pdf"
    report = _run(out)
    reader = check_pdf(out)
    assert len(reader.pages) == len(GOOD)
    for index, name in enumerate(GOOD):
        first = name.split()[0].strip("./")
        assert _squash(first) in _squash(text_of(reader, index)), (index, name)
        assert page_size(reader, index) == _pt((CARDS["a6"].width, CARDS["a6"].height))
    failed = {row.line: row.error for row in report.failed}
    assert set(failed) == set(BAD_LINES)
    for line, words in BAD_LINES.items():
        assert words in failed[line]
    assert [row.status for row in report.rows].count("ok") == len(GOOD)


def test_manifest_lists_every_row_with_line_page_and_status(tmp_path):
    out = tmp_path / "cards.pdf"
    _run(out, outputs=Outputs(cards=out, manifest_json=True))
    rows = read_manifest(tmp_path / "cards.manifest.csv")
    assert [r["line"] for r in rows] == ["2", "3", "6", "7", "8", "9", "10", "11"]
    assert [r["status"] for r in rows].count("failed") == 3
    ok = [r for r in rows if r["status"] == "ok"]
    assert [r["page"] for r in ok] == ["1", "2", "3", "4", "5"]
    assert [r["recipient"] for r in ok] == GOOD
    assert all(r["output"] == str(out) and r["template"] == "thank-you" for r in ok)
    assert "messy.csv line 8" in {r["where"] for r in rows if r["status"] == "failed"}
    assert (tmp_path / "cards.manifest.json").read_text(encoding="utf-8").count('"row"') == 8


def test_the_manifest_written_as_rows_settle_is_the_whole_runs_manifest(tmp_path):
    """The CSV manifest's rows are written as their cards are (a failed row once the card after
    it is), the rows after the last card at the end: the same file as the manifest of the
    run's rows written at once."""
    source = tmp_path / "mixed.csv"
    source.write_text(
        "Name,Product\n#1001,mug\nAna Souza,blue teapot\nBo,\nCy Okafor,=SUM(A1)\n"
        "Di Reyes,felt slippers\nEd,\n#7,cup\n"
    )
    out = tmp_path / "cards.pdf"
    report = merge(source, template="thank-you", outputs=Outputs(cards=out), today="2026-01-05")
    assert [row.status for row in report.rows] == [
        "failed", "ok", "failed", "ok", "ok", "failed", "failed",
    ]  # fmt: skip
    written = (tmp_path / "cards.manifest.csv").read_text(encoding="utf-8-sig")
    assert written == manifest_csv(report.rows)
    assert [row["page"] for row in read_manifest(tmp_path / "cards.manifest.csv")] == [
        "", "1", "", "2", "3", "", "",
    ]  # fmt: skip


def test_manifest_defuses_spreadsheet_formulas(tmp_path):
    source = tmp_path / "evil.csv"
    source.write_text("Name,Product\n=HYPERLINK(1),teapot\n", encoding="utf-8")
    out = tmp_path / "cards.pdf"
    _run(out, source=source)
    rows = read_manifest(tmp_path / "cards.manifest.csv")
    assert rows[0]["recipient"] == "'=HYPERLINK(1)"


def test_strict_stops_at_the_first_bad_row_and_writes_nothing(tmp_path):
    out = tmp_path / "cards.pdf"
    with pytest.raises(TemplateError) as caught:
        _run(out, strict=True)
    assert "messy.csv line 7" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_rows_and_limit_choose_the_rows(tmp_path):
    out = tmp_path / "cards.pdf"
    report = _run(out, rows=parse_rows("2,7-8"))
    assert [row.row for row in report.rows] == [2, 7, 8]
    assert len(check_pdf(out).pages) == 3
    report = _run(tmp_path / "two.pdf", limit=2)
    assert [row.recipient for row in report.rows] == ["Ana Souza", "Ben Okafor"]


@pytest.mark.parametrize("spec", ["", "0", "3-1", "a", "1,,2", "2-"])
def test_bad_row_specs_are_usage_errors(spec):
    with pytest.raises(UsageError, match="--rows"):
        parse_rows(spec)


@given(st.sets(st.integers(min_value=1, max_value=500), min_size=1, max_size=30))
def test_row_specs_round_trip(numbers):
    chosen = parse_rows(",".join(map(str, sorted(numbers))))
    assert set(chosen) == numbers and len(chosen) == len(numbers)
    assert all((n in chosen) == (n in numbers) for n in range(502))
    assert parse_rows(chosen.spec()) == chosen


def test_row_ranges_stay_ranges_however_large(tmp_path):
    chosen = parse_rows("1-1000000")
    assert getattr(chosen, "ranges", None) == ((1, 1_000_000),), "not a set of a million rows"
    huge = parse_rows("2-100000000, 7, 50-60, 100000002")
    assert huge.ranges == ((2, 100_000_000), (100_000_002, 100_000_002))  # merged, not expanded
    assert 99_999_999 in huge and 100_000_002 in huge
    assert 1 not in huge and 100_000_001 not in huge and "3" not in huge
    assert len(huge) == 100_000_000 and huge.last == 100_000_002
    assert type(chosen).of([9, 4, 5, 6]).spec() == "4-6,9"
    report = merge(MESSY, template="thank-you", outputs=Outputs(), dry_run=True, rows=huge)
    assert [row.row for row in report.rows] == [2, 3, 4, 5, 6, 7, 8]
    report = merge(MESSY, template="thank-you", outputs=Outputs(), dry_run=True, rows={8, 1})
    assert [row.row for row in report.rows] == [1, 8]  # a plain set of numbers still works


def test_dry_run_checks_every_row_and_writes_no_file(tmp_path):
    report = merge(MESSY, template="thank-you", outputs=Outputs(), dry_run=True, today=TODAY)
    assert list(tmp_path.iterdir()) == []
    assert len(report.texts) == 3
    assert report.texts[0][1].startswith(("Dear Ana", "Hello Ana", "Hi Ana"))
    assert {row.line for row in report.failed} == set(BAD_LINES)


def test_missing_column_fails_before_rendering_with_closest_match(tmp_path):
    with pytest.raises(TemplateError) as caught:
        _run(tmp_path / "cards.pdf", source=FIXTURES / "no_product.csv")
    message = str(caught.value)
    assert "'product'" in message and "Name, Produtc, City" in message
    assert "--map product=Produtc" in message
    assert list(tmp_path.iterdir()) == []
    report = _run(
        tmp_path / "cards.pdf", source=FIXTURES / "no_product.csv", mapping={"product": "Produtc"}
    )
    assert report.count("ok") == 1


def test_required_fields_skip_guarded_and_optional_ones(tmp_path):
    template = tmp_path / "own.j2"
    template.write_text(
        "Hi {{ first_name }}{% if order_number is defined %} #{{ order_number }}{% endif %}, "
        "{{ colour }}"
    )
    assert set(required_fields(load_template(str(template)))) == {"first_name", "colour"}
    assert required_fields(load_template("thank-you"))[:2] == ["name", "product"]


@pytest.mark.parametrize(
    ("name", "names"),
    [
        ("excel_utf16.txt", ["Zoë", "Hương", "Øyvind"]),  # Nguyễn | Thị Hương greets Hương
        ("cp1252_semicolon.csv", ["François", "José", "Maëlle"]),
        ("bom.csv", ["Lena", "Omar"]),
    ],
)
def test_real_world_encodings_and_delimiters(tmp_path, name, names):
    out = tmp_path / "cards.pdf"
    report = _run(out, source=FIXTURES / name)
    assert report.failed == []
    reader = check_pdf(out)
    assert len(reader.pages) == len(names)
    for index, first in enumerate(names):
        assert first in text_of(reader, index)


def test_empty_json_records_are_skipped_not_failed(tmp_path):
    report = _run(tmp_path / "cards.pdf", source=FIXTURES / "people.jsonl")
    assert [row.status for row in report.rows] == ["ok", "skipped", "ok"]
    assert report.failed == []


def test_one_valid_pdf_identical_for_any_number_of_jobs(tmp_path):
    one, two = tmp_path / "one.pdf", tmp_path / "two.pdf"
    _run(one, jobs=1)
    _run(two, jobs=2)
    assert one.read_bytes() == two.read_bytes()
    reader = check_pdf(one)
    assert len(reader.pages) == len(GOOD)
    for index, name in enumerate(GOOD):
        assert _squash(name.split()[0].strip("./")) in _squash(text_of(reader, index))
    # One document, not joined chunks: each font's subset is embedded once, for every page
    # (Caveat's, and Playpen Sans's for order numbers: fonts/catalog.toml misreads).
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert len(fonts) == len({name.split("+")[1] for name in fonts}) <= 2


def _many_rows(folder: Path) -> tuple[Path, list[str]]:
    from notes.batch import BATCH

    firsts = [a + b for a in ("Ma", "Lu", "Ka", "Ro", "Ti", "Ne", "Sa", "Jo")
              for b in ("ria", "cas", "ren", "sie", "mon", "lia")]  # fmt: skip
    source = folder / "many.csv"
    rows = "".join(f"{first} Souza,teapot\n" for first in firsts[: 3 * BATCH])
    source.write_text("Name,Product\n" + rows, "utf-8")
    return source, firsts


def test_a_merge_too_small_for_a_pool_to_pay_starts_no_worker(tmp_path):
    """Several batches, but far fewer rows than POOL_FROM: --jobs 2 plans them in this process
    (spawning workers made such a merge slower than --jobs 1)."""
    import multiprocessing

    from notes.batch import BATCH

    source, _ = _many_rows(tmp_path)
    children: list[int] = []

    def count(stage: str, done: int, total: int | None) -> None:
        children.append(len(multiprocessing.active_children()))

    report = _run(tmp_path / "two.pdf", source=source, jobs=2, on_progress=count)
    assert report.count("ok") == len(report.rows) == 3 * BATCH
    assert children and max(children) == 0


def test_a_pool_of_workers_writes_the_same_bytes_in_row_order(tmp_path, monkeypatch):
    """Enough rows for several batches: a worker and the parent plan them, the parent writes one
    stream."""
    from notes.batch import BATCH

    monkeypatch.setattr("notes.batch.POOL_FROM", 0)  # a pool for these few rows too
    firsts = [a + b for a in ("Ma", "Lu", "Ka", "Ro", "Ti", "Ne", "Sa", "Jo")
              for b in ("ria", "cas", "ren", "sie", "mon", "lia")]  # fmt: skip
    names = [f"{first} Souza" for first in firsts[: 3 * BATCH]]
    names[BATCH + 1] = "Zo\U000f0000 Ray"  # a row no font can write fails alone, in its place
    source = tmp_path / "many.csv"
    source.write_text("Name,Product\n" + "".join(f"{n},teapot\n" for n in names), "utf-8")
    one, two = tmp_path / "one.pdf", tmp_path / "two.pdf"
    report = _run(one, source=source, jobs=1)
    pooled = _run(two, source=source, jobs=2)
    assert one.read_bytes() == two.read_bytes()
    assert [r.status for r in report.rows] == [r.status for r in pooled.rows]
    assert report.rows[BATCH + 1].status == "failed"
    reader = check_pdf(two)
    assert len(reader.pages) == len(names) - 1
    ok = [row for row in pooled.rows if row.status == "ok"]
    assert [row.page for row in ok] == list(range(1, len(ok) + 1))
    for index in (0, BATCH, len(ok) - 1):  # each page is its own row's card
        assert firsts[ok[index].row - 1] in text_of(reader, index)


def test_duplicate_names_get_different_handwriting(tmp_path):
    out = tmp_path / "cards.pdf"
    source = tmp_path / "twins.csv"
    source.write_text("Name,Product\nAna Souza,teapot\nAna Souza,teapot\n", encoding="utf-8")
    _run(out, source=source)
    reader = check_pdf(out)
    first, second = (reader.pages[i].get_contents().get_data() for i in (0, 1))
    assert first != second


def test_per_note_files_are_named_safely_and_uniquely(tmp_path):
    folder = tmp_path / "notes"
    report = _run(None, outputs=Outputs(per_note=folder))
    names = sorted(p.name for p in folder.iterdir())
    expected = ["Ana-Souza-2.pdf", "Ana-Souza.pdf", "CON-note.pdf", "etc-x.pdf", "Ben-Okafor.pdf"]
    assert names == sorted([*expected, "manifest.csv"])
    assert not (tmp_path / "etc").exists()
    for path in folder.glob("*.pdf"):
        assert len(check_pdf(path).pages) == 1
        assert path.stat().st_mode & 0o044, "notes should be readable like any other file"
    assert "Ben" in text_of(check_pdf(folder / "Ben-Okafor.pdf"))
    outputs = [row.output for row in report.rows if row.status == "ok"]
    assert outputs[2].endswith("Ana-Souza-2.pdf")


def test_sheets_are_true_size_and_filled_without_gaps(tmp_path):
    out = tmp_path / "sheets.pdf"
    report = _run(out, outputs=Outputs(cards=out, sheet="a4"))
    reader = check_pdf(out)
    assert len(reader.pages) == 2  # 5 good A6 cards, 4 per A4 sheet
    assert page_size(reader) == _pt(SHEETS["a4"])
    ok = [row for row in report.rows if row.status == "ok"]
    assert [(row.sheet, row.position) for row in ok] == [(1, 1), (1, 2), (1, 3), (1, 4), (2, 1)]
    assert "Ben" in text_of(reader, 0) and "CON" in text_of(reader, 1)


def test_duplex_sheets_have_a_back_after_each_front(tmp_path):
    out = tmp_path / "sheets.pdf"
    template = str(FIXTURES / "postcard.j2")
    report = _run(out, template=template, outputs=Outputs(cards=out, sheet="letter", duplex=True))
    reader = check_pdf(out)
    per_sheet = sheet_layout(CARDS["a6"], "letter").per_sheet
    sheets = -(-report.count("ok") // per_sheet)
    assert len(reader.pages) == 2 * sheets
    fronts = [row.page for row in report.rows if row.status == "ok"]
    assert fronts == [2 * (i // per_sheet) + 1 for i in range(report.count("ok"))]
    assert "Little Shop" in text_of(reader, 1) and "Little Shop" not in text_of(reader, 0)
    assert page_size(reader) == _pt((612.0, 792.0))


def test_envelopes_match_cards_one_to_one_in_order(tmp_path):
    out, envelopes = tmp_path / "cards.pdf", tmp_path / "envelopes.pdf"
    report = _run(out, outputs=Outputs(cards=out, envelopes=envelopes))
    reader = check_pdf(envelopes)
    with_envelope = [row for row in report.rows if row.envelope_page]
    # The second Ana Souza has no address: her envelope says so, in its place among the others.
    assert [row.line for row in with_envelope] == [2, 3, 6, 10, 11]
    assert [row.envelope_page for row in with_envelope] == [1, 2, 3, 4, 5]
    assert len(reader.pages) == 5
    assert "No address" in text_of(reader, 2) and "Ana Souza" in text_of(reader, 2)
    c6 = _pt(ENVELOPES["c6"])
    assert all(page_size(reader, i) == c6 for i in range(5))
    assert "Okafor" in text_of(reader, 1) and "LONDON" in text_of(reader, 1)
    dl = tmp_path / "dl.pdf"
    _run(
        tmp_path / "c2.pdf",
        outputs=Outputs(cards=tmp_path / "c2.pdf", envelopes=dl, envelope_size="dl"),
    )
    assert page_size(check_pdf(dl)) == _pt(ENVELOPES["dl"])


def test_no_overwrite_without_force(tmp_path):
    out = tmp_path / "cards.pdf"
    out.write_bytes(b"precious")
    with pytest.raises(OutputError, match="exists"):
        _run(out)
    assert out.read_bytes() == b"precious"
    _run(out, outputs=Outputs(cards=out, force=True))
    assert len(check_pdf(out).pages) == len(GOOD)


def test_interrupted_merge_leaves_no_files(tmp_path):
    out = tmp_path / "cards.pdf"

    def interrupt(stage, done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _run(out, on_progress=interrupt)
    assert list(tmp_path.iterdir()) == []


def test_seed_changes_the_hand_but_not_the_rows(tmp_path):
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    _run(a, style=Style(seed=1))
    _run(b, style=Style(seed=2))
    assert a.read_bytes() != b.read_bytes()
    assert len(check_pdf(a).pages) == len(check_pdf(b).pages)


def test_a_name_cell_shows_something_by_unicode_categories_ascii_too():
    """A name cell of ASCII controls and spaces shows nothing (the quick path for ASCII cells
    agrees with the categories rule every other cell goes by); a zero-width space neither."""

    def shows(value: str) -> bool:
        return any(unicodedata.category(ch)[0] not in "CZ" for ch in value)

    for code in range(128):
        for value in (chr(code), f" {chr(code)}\t", f"\x7f{chr(code)}\x00", chr(code) * 3):
            assert _visible(value) is shows(value), repr(value)
    assert not _visible("") and not _visible("\u200b \u00a0") and _visible("\u200bé")
