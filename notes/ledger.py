"""The ledger: who was thanked when, so a day is never thanked twice and a killed run resumes.

SQLite from the standard library, one file per user (or `--ledger PATH`). A note is recorded
only after the PDF holding it was safely written, so the ledger never claims a card that does not
exist; re-running a day then produces exactly the notes that are missing.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Iterable, Iterator, Sequence, Set
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from notes.errors import DataError, NotesError
from notes.ledgerfile import connect_read_only, ledger_error, unwritable_ledger
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
CREATE TABLE IF NOT EXISTS edits (
    customer_key TEXT NOT NULL,
    day TEXT NOT NULL,
    occasion TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL DEFAULT '',
    seed_variant INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (customer_key, day)
);
CREATE TABLE IF NOT EXISTS files (
    folder TEXT NOT NULL,
    name TEXT NOT NULL,
    day TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (folder, name)
);
CREATE TABLE IF NOT EXISTS codes (
    code TEXT PRIMARY KEY,
    day TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS known_customers (
    key TEXT PRIMARY KEY,
    name TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    orders_count INTEGER NOT NULL,
    first_order TEXT,
    as_of TEXT NOT NULL,
    source TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS imports (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    preset TEXT NOT NULL,
    as_of TEXT NOT NULL,
    customers INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
"""
# Tables added after version 1 (older notes ignore them): `files` (every file a recorded run
# placed), `edits` (the review page's changes to a note), `codes` (every discount code handed
# out, kept when a customer is forgotten, so no code is handed out twice), `known_customers` and
# `imports` (customers exports: order counts), `secrets` (what made-up discount codes are drawn from,
# so no other shop can guess this one's).
_OUR_TABLES = {
    "customers", "orders", "notes", "files", "edits", "codes", "known_customers", "imports",
    "secrets",
}  # fmt: skip


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
class NoteEdit:
    """What the review page changed in a customer's note of a day: kept for later runs.

    `text` is plain text as the shop wrote it (never a template); "" keeps the template's.
    """

    customer_key: str
    occasion: str = ""
    text: str = ""
    seed_variant: int = 0


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
    """Open (or create) the ledger at `path`. Use as a context manager so it is closed.

    `read_only` never writes, not even the schema, so it takes no write lock (`notes history`).
    `timeout` is how many seconds a write waits while another program holds the database.
    """

    def __init__(self, path: str | Path, *, read_only: bool = False, timeout: float = 10.0):
        self.path = Path(path)
        self.read_only = read_only
        self.timeout = timeout
        self._nothing_recorded = False  # a read-only ledger that was never given its tables
        self._db = self._connect()
        try:
            self._prepare()
        except sqlite3.Error as exc:
            self._db.close()
            raise self._error(exc, "open the ledger") from None
        except NotesError:
            self._db.close()
            raise

    def _connect(self) -> sqlite3.Connection:
        try:
            if self.read_only:
                return connect_read_only(self.path, self.timeout)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return sqlite3.connect(self.path, timeout=self.timeout)
        except OSError as exc:
            raise unwritable_ledger(self.path) or DataError(
                f"cannot create the ledger's folder: {exc.strerror}",
                where=str(self.path.parent),
                hint="check the path, or pass --ledger PATH",
            ) from None
        except sqlite3.Error as exc:
            raise self._error(exc, "open the ledger") from None

    def _prepare(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise DataError(
                f"ledger schema version {version} is newer than this notes understands "
                f"({SCHEMA_VERSION})",
                where=str(self.path),
                hint="upgrade notes, or pass --ledger PATH to use another ledger",
            )
        tables = {
            row[0]
            for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if version == 0 and tables - _OUR_TABLES:
            # Someone else's database: never add our tables to it.
            raise DataError(
                f"not a notes ledger: it holds other tables ({', '.join(sorted(tables))})",
                where=str(self.path),
                hint="it belongs to another program; pass --ledger PATH to use a ledger of your own",
            )
        missing = _OUR_TABLES - tables
        if self.read_only:
            self._nothing_recorded = "notes" in missing
            return
        if version == SCHEMA_VERSION and not missing:
            return  # nothing to change, so opening takes no write lock
        # WAL: a reader (notes history) never blocks a running `notes day`, and a kill -9 mid-write
        # loses at most the transaction in flight.
        self._db.execute("PRAGMA journal_mode=WAL")
        with self._db:
            self._db.executescript(_SCHEMA)
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            # Made with the ledger, so a run that hands out codes needs no write to read it.
            self._db.execute(
                "INSERT OR IGNORE INTO secrets (name, value) VALUES ('discount_codes', ?)",
                (secrets.token_hex(16),),
            )

    # -- context manager ----------------------------------------------------------------------
    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def _error(self, exc: sqlite3.Error, doing: str) -> DataError:
        return ledger_error(exc, self.path, doing, waited=self.timeout)

    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[tuple]:
        if self._nothing_recorded:
            return []
        try:
            return self._db.execute(sql, storable_row(*params)).fetchall()
        except sqlite3.DatabaseError as exc:
            raise self._error(exc, "read the ledger") from None

    def read(self, sql: str, params: Iterable[Any] = ()) -> list[tuple]:
        """Rows of one query (for notes.ledgerpeople); ledger errors become DataError."""
        return self._query(sql, params)

    def transaction(self):  # noqa: ANN201 - a context manager yielding the connection
        """One write transaction (for notes.ledgerpeople): all of it or nothing."""
        return self._writing()

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (IMMEDIATE) so what it reads stays true."""
        try:
            self._db.execute("BEGIN IMMEDIATE")
            yield self._db
            self._db.commit()
        except sqlite3.Error as exc:
            self._db.rollback()
            raise self._error(exc, "record in the ledger") from None
        except BaseException:
            self._db.rollback()
            raise

    # -- writing ------------------------------------------------------------------------------
    def record_orders(self, customers: Iterable[Customer]) -> None:
        """Remember customers and the orders seen; recording the same orders again changes nothing."""
        now = _now()
        with self._writing() as db:
            for customer in customers:
                db.execute(
                    "INSERT INTO customers (key, name, email, first_seen, last_seen)"
                    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET"
                    " name = CASE WHEN excluded.name != '' THEN excluded.name ELSE name END,"
                    " email = CASE WHEN excluded.email != '' THEN excluded.email ELSE email END,"
                    " last_seen = excluded.last_seen",
                    storable_row(customer.key, customer.name, customer.email, now, now),
                )
                db.executemany(
                    "INSERT OR IGNORE INTO orders (source, number, customer_key, day,"
                    " placed_at, total, currency) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        storable_row(
                            order.source,
                            order.number,
                            customer.key,
                            order.day.isoformat(),
                            order.placed_at.isoformat(),
                            None if order.total is None else str(order.total),
                            order.currency,
                        )
                        for order in customer.orders
                    ],
                )

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
        with self._writing() as db:
            _insert_notes(db, notes)

    def record_run(
        self, notes: Sequence[NoteRecord], *, files: Iterable[Path], new: Set[str]
    ) -> list[NoteRecord]:
        """Record a run's notes and every file it placed, in one transaction.

        `new` are the customers the run planned as not yet thanked that day. If another run
        recorded one of them meanwhile, nothing is recorded and their notes are returned.
        """
        with self._writing() as db:
            taken = [
                n
                for n in notes
                if n.customer_key in new
                and db.execute(
                    "SELECT 1 FROM notes WHERE customer_key = ? AND day = ? LIMIT 1",
                    (n.customer_key, n.day.isoformat()),
                ).fetchone()
            ]
            if taken:
                return taken
            _insert_notes(db, notes)
            now, day = _now(), (notes[0].day.isoformat() if notes else "")
            db.executemany(
                "INSERT OR IGNORE INTO files (folder, name, day, created_at) VALUES (?, ?, ?, ?)",
                [(str(path.parent.resolve()), path.name, day, now) for path in files],
            )
        return []

    def record_review(
        self,
        day: date,
        output_file: Path,
        kept: Sequence[tuple[str, int, str]],
        removed: Iterable[str],
        edits: Iterable[NoteEdit],
    ) -> None:
        """A reviewed run, in one transaction: its kept notes (customer, new page, occasion)
        stay in `output_file`, the removed ones are no longer recorded (a later run writes
        them), and every edit is kept for later runs."""
        day_text, file_text, now = day.isoformat(), str(output_file.resolve()), _now()
        with self._writing() as db:
            db.executemany(
                "DELETE FROM notes WHERE customer_key = ? AND day = ? AND output_file = ?",
                [storable_row(key, day_text, file_text) for key in removed],
            )
            db.executemany(
                "UPDATE notes SET page = ?, occasion = ?, template = ? WHERE customer_key = ?"
                " AND day = ? AND output_file = ?",
                [storable_row(page, occ, occ, key, day_text, file_text) for key, page, occ in kept],
            )
            _upsert_edits(db, day_text, edits, now)

    def record_edits(self, day: date, edits: Iterable[NoteEdit]) -> None:
        """Keep the review page's edits of this day's notes for later runs."""
        with self._writing() as db:
            _upsert_edits(db, day.isoformat(), edits, _now())

    # -- reading ------------------------------------------------------------------------------
    def edits_on(self, day: date) -> dict[str, NoteEdit]:
        """The review page's edits of this day's notes, by customer."""
        if not self._query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'edits'"):
            return {}  # a ledger opened read-only that never had a review
        rows = self._query(
            "SELECT customer_key, occasion, text, seed_variant FROM edits WHERE day = ?",
            (day.isoformat(),),
        )
        return {row[0]: NoteEdit(*row) for row in rows}

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
        return int(rows[0][0]) if rows else 0

    def used_codes(self) -> set[str]:
        """Discount codes already handed out on a card (kept after `notes forget`)."""
        rows = self._query("SELECT DISTINCT discount_code FROM notes WHERE discount_code != ''")
        kept = self._query("SELECT code FROM codes")
        return {row[0] for row in rows} | {row[0] for row in kept}

    def files_in(self, folder: Path) -> set[str]:
        """Names of the files in `folder` that a recorded run placed there."""
        here = str(folder.resolve())
        names = {row[0] for row in self._query("SELECT name FROM files WHERE folder = ?", (here,))}
        # Ledgers from before the files table: a note's card file stands for its run.
        for (output_file,) in self._query("SELECT DISTINCT output_file FROM notes"):
            if str(Path(output_file).parent) == here:
                names.add(Path(output_file).name)
        return names

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
            rows = [r for r in rows if _is_customer(r, wanted)]
        return rows


def _is_customer(row: HistoryRow, wanted: str) -> bool:
    """`wanted` (casefolded) is the row's key, its shop customer id, or part of its name.
    Keys keep the shop's case ('id:square:CUST-0001'), so they are folded here too."""
    key = row.customer_key.casefold()
    if key == wanted or wanted in row.name.casefold():
        return True
    return key.startswith("id:") and key.split(":", 2)[-1] == wanted


def _upsert_edits(db: sqlite3.Connection, day: str, edits: Iterable[NoteEdit], now: str) -> None:
    db.executemany(
        "INSERT INTO edits (customer_key, day, occasion, text, seed_variant, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (customer_key, day) DO UPDATE SET"
        " occasion = excluded.occasion, text = excluded.text,"
        " seed_variant = excluded.seed_variant, updated_at = excluded.updated_at",
        [storable_row(e.customer_key, day, e.occasion, e.text, e.seed_variant, now) for e in edits],
    )


def _insert_notes(db: sqlite3.Connection, notes: Iterable[NoteRecord]) -> None:
    now = _now()
    db.executemany(
        "INSERT OR IGNORE INTO notes (customer_key, name, occasion, day, output_file,"
        " page, discount_code, template, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
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
        ],
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
