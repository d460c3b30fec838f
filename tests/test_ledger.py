"""The ledger: idempotent recording, history, used codes, and clear errors for bad files."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from notes.errors import DataError
from notes.exports import Customer, LineItem, Order
from notes.ledger import SCHEMA_VERSION, Ledger, NoteRecord, default_ledger_path

DAY = date(2026, 11, 21)
ZONE = timezone(timedelta(hours=-5))


def _customer(key: str, *numbers_and_days: tuple[str, date]) -> Customer:
    orders = [
        Order(
            number=number,
            placed_at=datetime(day.year, day.month, day.day, 10, 0, tzinfo=ZONE),
            source="shopify",
            source_line=2,
            email=key,
            name="Emma Johnson",
            items=[LineItem("Wool Socks", 1, Decimal("12.00"))],
            total=Decimal("12.00"),
        )
        for number, day in numbers_and_days
    ]
    return Customer(key, "Emma Johnson", "Emma", "Johnson", key, None, orders)


def _note(key: str = "emma@example.com", **changes) -> NoteRecord:
    values = dict(
        customer_key=key,
        name="Emma Johnson",
        occasion="loyal",
        day=DAY,
        output_file="notes-2026-11-21/cards.pdf",
        page=1,
        discount_code="",
        template="loyal",
    )
    values.update(changes)
    return NoteRecord(**values)


def test_default_path_is_in_the_user_data_folder():
    path = default_ledger_path()
    assert path.name == "ledger.sqlite3"
    assert "notes" in path.parts


def test_new_ledger_is_versioned_and_uses_wal(tmp_path: Path):
    path = tmp_path / "sub" / "ledger.sqlite3"
    with Ledger(path):
        pass
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_recording_a_note_twice_keeps_one_row(tmp_path: Path):
    with Ledger(tmp_path / "l.sqlite3") as ledger:
        ledger.record_note(**_note().__dict__)
        ledger.record_note(**_note(page=7).__dict__)  # a re-run of the same day
        ledger.record_notes([_note(), _note()])
        rows = ledger.history()
    assert len(rows) == 1
    assert rows[0].page == 1
    assert rows[0].day == DAY


def test_has_note_is_per_customer_and_day(tmp_path: Path):
    with Ledger(tmp_path / "l.sqlite3") as ledger:
        assert not ledger.has_note("emma@example.com", DAY)
        ledger.record_notes([_note()])
        assert ledger.has_note("emma@example.com", DAY)
        assert not ledger.has_note("emma@example.com", DAY + timedelta(days=1))
        assert not ledger.has_note("liam@example.com", DAY)


def test_notes_survive_reopening(tmp_path: Path):
    path = tmp_path / "l.sqlite3"
    with Ledger(path) as ledger:
        ledger.record_notes([_note(), _note("liam@example.com", name="Liam Smith", page=2)])
    with Ledger(path) as ledger:
        assert [r.name for r in ledger.history()] == ["Emma Johnson", "Liam Smith"]


def test_record_orders_is_idempotent_and_counts_earlier_days(tmp_path: Path):
    emma = _customer("emma@example.com", ("#1001", DAY - timedelta(days=2)), ("#1003", DAY))
    with Ledger(tmp_path / "l.sqlite3") as ledger:
        ledger.record_orders([emma])
        ledger.record_orders([emma])
        assert ledger.previous_orders("emma@example.com", DAY) == 1
        assert ledger.previous_orders("emma@example.com", DAY + timedelta(days=1)) == 2
        assert ledger.previous_orders("liam@example.com", DAY) == 0


def test_used_codes(tmp_path: Path):
    with Ledger(tmp_path / "l.sqlite3") as ledger:
        ledger.record_notes(
            [
                _note(occasion="surprise", discount_code="THANKS-7K2Q"),
                _note("liam@example.com", discount_code=""),
            ]
        )
        assert ledger.used_codes() == {"THANKS-7K2Q"}


def test_history_filters(tmp_path: Path):
    with Ledger(tmp_path / "l.sqlite3") as ledger:
        ledger.record_notes(
            [
                _note(day=DAY - timedelta(days=1)),
                _note("huong@example.vn", name="Nguyễn Thị Hương", occasion="welcome"),
                _note("sakura@example.jp", name="田中 さくら", day=DAY + timedelta(days=1)),
            ]
        )
        assert [r.name for r in ledger.history(since=DAY, until=DAY)] == ["Nguyễn Thị Hương"]
        assert [r.day for r in ledger.history(customer="emma@example.com")] == [DAY - timedelta(1)]
        assert [r.name for r in ledger.history(customer="NGUYỄN")] == ["Nguyễn Thị Hương"]
        assert [r.name for r in ledger.history(customer="さくら")] == ["田中 さくら"]
        assert len(ledger.history(since=DAY)) == 2


def test_not_a_database_is_a_data_error(tmp_path: Path):
    path = tmp_path / "ledger.sqlite3"
    path.write_text("Name,Email\nEmma,emma@example.com\n" * 50)
    with pytest.raises(DataError) as err:
        Ledger(path)
    assert str(path) in str(err.value)
    assert err.value.hint and "--ledger" in err.value.hint


def test_someone_elses_database_is_left_alone(tmp_path: Path):
    path = tmp_path / "other.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE recipes (name TEXT)")
    db.commit()
    db.close()
    with pytest.raises(DataError, match="not a notes ledger"):
        Ledger(path)
    db = sqlite3.connect(path)
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    db.close()
    assert tables == {"recipes"}


def test_newer_schema_is_refused(tmp_path: Path):
    path = tmp_path / "l.sqlite3"
    with Ledger(path):
        pass
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(DataError, match="newer"):
        Ledger(path)


# -- a ledger another program holds -----------------------------------------------------------

NEVER_SAID = ("move the file aside", "new ledger", "delete")


def assert_keeps_the_ledger(error: DataError, path: Path) -> None:
    text = str(error)
    assert error.where == str(path) and error.hint
    assert not any(words in text for words in NEVER_SAID), text
    assert "not a notes ledger" not in text


@pytest.fixture
def held(tmp_path: Path):
    """A ledger with one note while another connection holds its write lock."""
    path = tmp_path / "l.sqlite3"
    with Ledger(path) as ledger:
        ledger.record_notes([_note()])
    other = sqlite3.connect(path)
    other.execute("BEGIN EXCLUSIVE")
    yield path, other
    other.rollback()
    other.close()


def test_opening_and_reading_take_no_write_lock(held):
    path, _ = held
    with Ledger(path) as ledger:  # the default 10 s wait would be spent on any write
        assert [r.name for r in ledger.history()] == ["Emma Johnson"]
    with Ledger(path, read_only=True) as ledger:
        assert len(ledger.history()) == 1


def test_a_locked_ledger_says_so_and_keeps_its_history(held):
    path, _ = held
    with Ledger(path, timeout=0) as ledger, pytest.raises(DataError) as locked:
        ledger.record_notes([_note("liam@example.com")])
    assert "locked" in locked.value.message and "another program" in locked.value.message
    assert "--wait" in locked.value.hint
    assert_keeps_the_ledger(locked.value, path)


def test_a_ledger_locked_even_for_readers_says_so(tmp_path: Path):
    path = tmp_path / "l.sqlite3"
    with Ledger(path) as ledger:
        ledger.record_notes([_note()])
    other = sqlite3.connect(path)
    other.execute("PRAGMA locking_mode = EXCLUSIVE")  # as a database tool may hold it
    other.execute("BEGIN EXCLUSIVE")
    other.execute("DELETE FROM customers")
    other.commit()  # the exclusive lock stays with the connection
    try:
        for read_only in (False, True):
            with pytest.raises(DataError) as locked:
                Ledger(path, read_only=read_only, timeout=0)
            assert "locked" in locked.value.message
            assert_keeps_the_ledger(locked.value, path)
    finally:
        other.close()
    with Ledger(path) as ledger:
        assert len(ledger.history()) == 1
