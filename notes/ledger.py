"""The ledger: who was thanked when, so a day is never thanked twice and a killed run resumes.

SQLite from the standard library, one file per user (or `--ledger PATH`). A note is recorded
only after the PDF holding it was safely written, so the ledger never claims a card that does not
exist; re-running a day then produces exactly the notes that are missing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from notes.errors import DataError
from notes.safetext import storable_row  # a broken export's lone surrogate must not stop the run

if TYPE_CHECKING:
    from notes.exports import Customer

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS customers (
    key TEXT PRIMARY KEY,
    name TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS orders (
    source TEXT NOT NULL,
    number TEXT NOT NULL,
    customer_key TEXT NOT NULL,
    day TEXT NOT NULL,
    placed_at TEXT NOT NULL,
    total TEXT,
    currency TEXT,
    PRIMARY KEY (source, number)
);
CREATE INDEX IF NOT EXISTS orders_by_customer ON orders (customer_key, day);
CREATE TABLE IF NOT EXISTS notes (
    id INTEGER PRIMARY KEY,
    customer_key TEXT NOT NULL,
    name TEXT NOT NULL,
    occasion TEXT NOT NULL,
    day TEXT NOT NULL,
    output_file TEXT NOT NULL,
    page INTEGER NOT NULL,
    discount_code TEXT NOT NULL DEFAULT '',
    template TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (customer_key, day, occasion)
);
CREATE INDEX IF NOT EXISTS notes_by_day ON notes (day);
"""
_OUR_TABLES = {"customers", "orders", "notes"}


def default_ledger_path() -> Path:
    """Where the ledger lives unless `--ledger PATH` says otherwise."""
    return platformdirs.user_data_path("notes") / "ledger.sqlite3"


@dataclass(frozen=True)
class NoteRecord:
    """One note that was written into a PDF (file and 1-based page)."""

    customer_key: str
    name: str
    occasion: str
    day: date
    output_file: str
    page: int
    discount_code: str = ""
    template: str = ""


@dataclass(frozen=True)
class HistoryRow:
    day: date
    customer_key: str
    name: str
    occasion: str
    output_file: str
    page: int
    discount_code: str
    template: str
    created_at: str


class Ledger:
    """Open (or create) the ledger at `path`. Use as a context manager so it is closed."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=10)
        except (OSError, sqlite3.Error) as exc:
            raise DataError(
                f"cannot open the ledger: {exc}",
                where=str(self.path),
                hint="check the folder exists and is writable, or pass --ledger PATH",
            ) from None
        try:
            self._prepare()
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise DataError(
                f"not a notes ledger ({exc})",
                where=str(self.path),
                hint="move the file aside (a new ledger is then created) or pass --ledger PATH",
            ) from None

    def _prepare(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise DataError(
                f"ledger schema version {version} is newer than this notes understands "
                f"({SCHEMA_VERSION})",
                where=str(self.path),
                hint="upgrade notes, or pass --ledger PATH to use another ledger",
            )
        if version == 0:
            tables = {
                row[0]
                for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if tables - _OUR_TABLES:
                # Someone else's database: never add our tables to it.
                raise sqlite3.DatabaseError(f"it holds other tables: {', '.join(sorted(tables))}")
        # WAL: a reader (notes history) never blocks a running `notes day`, and a kill -9 mid-write
        # loses at most the transaction in flight.
        self._db.execute("PRAGMA journal_mode=WAL")
        with self._db:
            self._db.executescript(_SCHEMA)
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    # -- context manager ----------------------------------------------------------------------
    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[tuple]:
        try:
            return self._db.execute(sql, storable_row(*params)).fetchall()
        except sqlite3.DatabaseError as exc:
            raise DataError(f"ledger read failed: {exc}", where=str(self.path)) from None

    # -- writing ------------------------------------------------------------------------------
    def record_orders(self, customers: Iterable[Customer]) -> None:
        """Remember customers and the orders seen; recording the same orders again changes nothing."""
        now = _now()
        try:
            with self._db:
                for customer in customers:
                    self._db.execute(
                        "INSERT INTO customers (key, name, email, first_seen, last_seen)"
                        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET"
                        " name = CASE WHEN excluded.name != '' THEN excluded.name ELSE name END,"
                        " email = CASE WHEN excluded.email != '' THEN excluded.email ELSE email END,"
                        " last_seen = excluded.last_seen",
                        storable_row(customer.key, customer.name, customer.email, now, now),
                    )
                    for order in customer.orders:
                        self._db.execute(
                            "INSERT OR IGNORE INTO orders (source, number, customer_key, day,"
                            " placed_at, total, currency) VALUES (?, ?, ?, ?, ?, ?, ?)",
                            storable_row(
                                order.source,
                                order.number,
                                customer.key,
                                order.day.isoformat(),
                                order.placed_at.isoformat(),
                                None if order.total is None else str(order.total),
                                order.currency,
                            ),
                        )
        except sqlite3.DatabaseError as exc:
            raise DataError(f"ledger write failed: {exc}", where=str(self.path)) from None

    def record_note(
        self,
        *,
        customer_key: str,
        name: str,
        occasion: str,
        day: date,
        output_file: str,
        page: int,
        discount_code: str = "",
        template: str = "",
    ) -> None:
        """Record one note. Call only after the PDF containing it was written (atomic rename)."""
        self.record_notes(
            [
                NoteRecord(
                    customer_key, name, occasion, day, output_file, page, discount_code, template
                )
            ]
        )

    def record_notes(self, notes: Iterable[NoteRecord]) -> None:
        """Record many notes in one transaction: all of them or none. Duplicates are ignored."""
        now = _now()
        rows = [
            storable_row(
                n.customer_key,
                n.name,
                n.occasion,
                n.day.isoformat(),
                str(n.output_file),
                n.page,
                n.discount_code or "",
                n.template or "",
                now,
            )
            for n in notes
        ]
        try:
            with self._db:
                self._db.executemany(
                    "INSERT OR IGNORE INTO notes (customer_key, name, occasion, day, output_file,"
                    " page, discount_code, template, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
        except sqlite3.DatabaseError as exc:
            raise DataError(f"ledger write failed: {exc}", where=str(self.path)) from None

    # -- reading ------------------------------------------------------------------------------
    def has_note(self, customer_key: str, day: date) -> bool:
        """True if a note for this customer and day was already produced (any occasion)."""
        rows = self._query(
            "SELECT 1 FROM notes WHERE customer_key = ? AND day = ? LIMIT 1",
            (customer_key, day.isoformat()),
        )
        return bool(rows)

    def previous_orders(self, customer_key: str, before: date) -> int:
        """How many orders of this customer the ledger saw on days before `before`."""
        rows = self._query(
            "SELECT COUNT(*) FROM orders WHERE customer_key = ? AND day < ?",
            (customer_key, before.isoformat()),
        )
        return int(rows[0][0])

    def knows_orders_before(self, day: date) -> bool:
        """True if the ledger holds any order before `day`: only then can it tell a first order."""
        rows = self._query("SELECT 1 FROM orders WHERE day < ? LIMIT 1", (day.isoformat(),))
        return bool(rows)

    def used_codes(self) -> set[str]:
        """Discount codes already handed out on a card."""
        rows = self._query("SELECT DISTINCT discount_code FROM notes WHERE discount_code != ''")
        return {row[0] for row in rows}

    def history(
        self,
        *,
        customer: str | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> list[HistoryRow]:
        """Notes produced, oldest first. `customer` matches the key, or part of the name."""
        sql = (
            "SELECT day, customer_key, name, occasion, output_file, page, discount_code,"
            " template, created_at FROM notes WHERE 1 = 1"
        )
        params: list[Any] = []
        if since:
            sql += " AND day >= ?"
            params.append(since.isoformat())
        if until:
            sql += " AND day <= ?"
            params.append(until.isoformat())
        sql += " ORDER BY day, id"
        rows = [HistoryRow(date.fromisoformat(r[0]), *r[1:]) for r in self._query(sql, params)]
        if customer:
            # Filtered here, not in SQL: SQLite's lower() folds only ASCII ("Đặng", "ÉLODIE").
            wanted = customer.strip().casefold()
            rows = [r for r in rows if r.customer_key == wanted or wanted in r.name.casefold()]
        return rows


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
