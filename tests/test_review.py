"""The review of a day's run as a library: decisions journaled and replayed, the run's files,
manifest and ledger rewritten with the approved cards, edits kept for later runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from notes.cli import app
from notes.errors import DataError, UsageError
from notes.ledger import Ledger
from notes.manifest import read_manifest
from notes.review.finish import write_reviewed
from notes.review.session import ReviewSession
from tests.pdfcheck import text_of

EXPORT = Path(__file__).parent / "fixtures" / "exports" / "shopify_orders.csv"
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def day(tmp_path, monkeypatch):
    """A day folder `notes day` wrote: 7 cards of shopify_orders.csv, with envelopes."""
    monkeypatch.chdir(tmp_path)
    result = run(
        "day", EXPORT, "--date", "2026-11-21", "--ledger", "ledger.sqlite3", "-o", "today", "-q"
    )
    assert result.exit_code == 0, result.output
    return tmp_path / "today"


def texts_of(pdf: Path) -> list[str]:
    reader = PdfReader(pdf)
    return [" ".join(text_of(reader, i).split()) for i in range(len(reader.pages))]


def test_every_card_approved_gives_the_same_files_byte_for_byte(day):
    cards, envelopes = (day / "cards.pdf").read_bytes(), (day / "envelopes.pdf").read_bytes()
    manifest = (day / "manifest.csv").read_bytes()
    session = ReviewSession.open(day)
    assert [c.note.name for c in session.cards][:2] == ["Emma Johnson", "Liam Smith"]
    for card in session.cards:
        session.decide(card.number, "approved")
    written = write_reviewed(session)
    assert (written.kept, written.held, written.not_approved) == (7, 0, 0)
    assert (day / "cards.pdf").read_bytes() == cards
    assert (day / "envelopes.pdf").read_bytes() == envelopes
    assert (day / "manifest.csv").read_bytes() == manifest  # the same writer as `notes day`


def test_a_made_up_code_without_a_digit_is_drawn_on_review_as_the_day_drew_it(
    tmp_path, monkeypatch
):
    # A code is drawn exactly as a field (no digit makes it exact by itself): the review once
    # drew THANKS-KPNE warped, so approving every card changed the day's bytes.
    from notes.codes import seed_ledger_secret

    monkeypatch.chdir(tmp_path)
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        seed_ledger_secret(ledger, "letters-0")  # its first code is THANKS-KPNE
    result = run(
        "day", EXPORT, "--date", "2026-11-21", "--ledger", "ledger.sqlite3", "-o", "today", "-q"
    )
    assert result.exit_code == 0, result.output
    day = tmp_path / "today"
    cards = (day / "cards.pdf").read_bytes()
    assert any("THANKS-KPNE" in text for text in texts_of(day / "cards.pdf"))
    session = ReviewSession.open(day)
    for card in session.cards:
        session.decide(card.number, "approved")
    write_reviewed(session)
    assert (day / "cards.pdf").read_bytes() == cards


def test_decisions_survive_a_stopped_server(day):
    first = ReviewSession.open(day)
    first.decide(1, "approved")
    first.decide(2, "held")
    first.set_text(3, "Dear Sakura,\r\nthank you!\x07")
    first.set_occasion(4, "welcome")
    first.next_seed(5)
    # A crash while a decision was being written leaves half a line: it is not replayed.
    with first.journal.path.open("a", encoding="utf-8") as journal:
        journal.write('{"key": "x", "do": "dec')
    again = ReviewSession.open(day)
    assert [c.decision for c in again.cards[:3]] == ["approved", "held", "pending"]
    assert again.cards[2].text == "Dear Sakura,\nthank you!"  # line ends kept, controls dropped
    ava = again.cards[3]
    assert ava.note.name == "Ava Wilson" and ava.note.occasion == "surprise"
    assert ava.occasion == "welcome" and ava.text.startswith("Hello Ava,\n\nHow lovely to welcome")
    assert again.cards[4].seed_variant == 1
    assert [c.edited for c in again.cards[:6]] == [False, False, True, True, True, False]


def test_written_run_holds_the_approved_cards_with_their_envelopes_in_order(day):
    session = ReviewSession.open(day)
    names = [c.note.name for c in session.cards]
    session.decide(1, "approved")
    session.decide(4, "approved")
    session.decide(2, "held")
    session.set_text(4, "Dear {{ name }}, thank you! {% if 1 %}x{% endif %} Maya")
    written = write_reviewed(session)
    assert (written.kept, written.held, written.not_approved) == (2, 1, 4)

    cards, envelopes = texts_of(day / "cards.pdf"), texts_of(day / "envelopes.pdf")
    assert len(cards) == len(envelopes) == 2
    assert names[0].split()[0] in cards[0] and "{{ name }}" in cards[1]  # drawn as typed
    for envelope, name in zip(envelopes, (names[0], names[3]), strict=True):
        assert name.split()[-1].upper() in envelope.upper()  # each card's own envelope

    rows = {r["customer"]: r for r in read_manifest(day / "manifest.csv")}
    assert (rows[names[0]]["status"], rows[names[0]]["page"]) == ("written", "1")
    assert (rows[names[3]]["page"], rows[names[3]]["envelope_page"]) == ("2", "2")
    assert rows[names[1]]["status"] == "held-back" and rows[names[1]]["page"] == ""
    assert rows[names[2]]["status"] == "not-approved"
    assert "a later `notes day`" in rows[names[1]]["error"]
    assert not session.journal.path.exists()  # folded into the review data

    with Ledger(day.parent / "ledger.sqlite3") as ledger:
        recorded = {row.name: row.page for row in ledger.history()}
    assert recorded == {names[0]: 1, names[3]: 2}


def test_a_later_notes_day_writes_the_cards_not_sent_with_their_edits(day):
    session = ReviewSession.open(day)
    for card in session.cards:
        session.decide(card.number, "approved")
    session.decide(2, "held")
    session.set_text(2, "Dear Liam, we kept this one back to fix it. Maya")
    write_reviewed(session)
    again = run(
        "day", EXPORT, "--date", "2026-11-21", "--ledger", "ledger.sqlite3", "-o", "today", "-q"
    )
    assert again.exit_code == 0, again.output
    assert len(PdfReader(day / "cards-2.pdf").pages) == 1
    assert "we kept this one back" in texts_of(day / "cards-2.pdf")[0]
    reopened = ReviewSession.open(day)  # the new run's own review
    assert [c.note.name for c in reopened.cards] == ["Liam Smith"]


def test_changes_that_cannot_be_drawn_are_refused_and_not_journaled(day):
    session = ReviewSession.open(day)
    before = session.cards[0].text
    card = session.set_text(1, "Thank you! " * 300)
    assert "does not fit" in card.problem or "too long" in card.problem
    assert card.text == before
    card = session.set_occasion(1, "graduation")
    assert "unknown occasion 'graduation'" in card.problem
    card = session.set_text(1, "   ")
    assert "the message is empty" in card.problem
    assert session.journal.entries() == []
    assert session.set_text(1, "Thanks!").problem == ""


def test_another_hand_draws_the_card_differently(day):
    session = ReviewSession.open(day)
    first = session.preview(1)
    session.next_seed(1)
    assert session.preview(1) != first
    assert session.preview(1, envelope=True)[:4] == b"\x89PNG"


def test_nothing_approved_writes_nothing(day):
    cards = (day / "cards.pdf").read_bytes()
    session = ReviewSession.open(day)
    session.decide(1, "held")
    with pytest.raises(UsageError, match="no card is approved"):
        write_reviewed(session)
    assert (day / "cards.pdf").read_bytes() == cards


def test_a_folder_without_review_data_says_what_to_give(tmp_path):
    with pytest.raises(DataError, match="no cards to review here") as caught:
        ReviewSession.open(tmp_path)
    assert "notes day" in caught.value.hint


def test_the_demo_folder_can_be_reviewed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("demo", "--customers", "3", "-o", "demo").exit_code == 0
    session = ReviewSession.open(tmp_path / "demo")
    assert session.cards and session.recipe.ledger == (tmp_path / "demo" / "ledger.sqlite3")


def test_an_edit_is_kept_for_a_reprint_even_before_the_pdfs_are_written(day):
    session = ReviewSession.open(day)
    session.set_text(1, "Dear Emma, a second look at your order: all is well. Maya")
    session.set_occasion(2, "welcome")
    reprint = run(
        "day",
        EXPORT,
        "--date",
        "2026-11-21",
        "--ledger",
        "ledger.sqlite3",
        "-o",
        "again",
        "--reprint",
        "-q",
    )
    assert reprint.exit_code == 0, reprint.output
    texts = texts_of(day.parent / "again" / "cards.pdf")
    assert "a second look at your order" in texts[0]
    assert "Liam" in texts[1] and "welcome to Our Little Shop" in texts[1]  # chosen on the page
    rows = read_manifest(day.parent / "again" / "manifest.csv")
    assert next(r for r in rows if r["customer"] == "Liam Smith")["occasion"] == "welcome"


def test_notes_review_without_review_data_is_an_error_not_a_traceback(tmp_path):
    result = run("review", tmp_path, "--no-browser")
    assert result.exit_code == 1
    assert "no cards to review here" in result.output and "Traceback" not in result.output


def test_a_moved_ledger_is_asked_for_not_made_anew(day):
    moved = day.parent / "moved.sqlite3"
    (day.parent / "ledger.sqlite3").rename(moved)
    with pytest.raises(DataError, match="not there") as caught:
        ReviewSession.open(day)
    assert "--ledger PATH" in caught.value.hint
    assert not (day.parent / "ledger.sqlite3").exists()
    assert ReviewSession.open(day, ledger=moved).cards


def test_a_run_on_sheets_is_written_on_sheets(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(
        "day",
        EXPORT,
        "--date",
        "2026-11-21",
        "--ledger",
        "l.sqlite3",
        "-o",
        "today",
        "--sheet",
        "a4",
        "-q",
    )
    assert result.exit_code == 0, result.output
    session = ReviewSession.open(tmp_path / "today")
    for number in (2, 5, 6):
        session.decide(number, "approved")
    write_reviewed(session)
    cards = PdfReader(tmp_path / "today" / "cards.pdf")
    assert len(cards.pages) == 1 and round(float(cards.pages[0].mediabox.width)) == 595
    rows = [
        r for r in read_manifest(tmp_path / "today" / "manifest.csv") if r["status"] == "written"
    ]
    assert [(r["page"], r["position"]) for r in rows] == [("1", "1"), ("1", "2"), ("1", "3")]
