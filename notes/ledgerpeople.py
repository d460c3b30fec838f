"""What the ledger knows about people: imported customers exports, each customer's orders, and
forgetting a customer who asks for it.

Kept apart from `notes.ledger` (runs, notes, files); both work on the same SQLite file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from notes.customers import CustomersRead
from notes.ledger import Ledger
from notes.safetext import storable_row


@dataclass(frozen=True)
class ImportedCounts:
    """One customer in the newest customers export imported: as the shop knew them on `as_of`."""

    orders: int
    first_order: date | None
    as_of: date
    source: str


@dataclass(frozen=True)
class LastImport:
    source: str
    as_of: date
    customers: int


@dataclass
class Forgotten:
    """What `forget` removed, to tell the user."""

    email: str
    customers: int = 0
    orders: int = 0
    notes: list[tuple[str, str, int]] = field(default_factory=list)  # (day, file, page)
    imported: int = 0

    @property
    def anything(self) -> bool:
        return bool(self.customers or self.orders or self.notes or self.imported)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def import_customers(ledger: Ledger, read: CustomersRead, *, as_of: date) -> int:
    """Remember every customer's order count as of `as_of`; a later import replaces an earlier
    one's counts. Returns how many customers were imported."""
    rows = [
        storable_row(
            key,
            c.name,
            c.email,
            c.orders,
            c.first_order.isoformat() if c.first_order else None,
            as_of.isoformat(),
            read.source,
        )  # fmt: skip
        for c in read.customers
        for key in c.keys
    ]
    with ledger.transaction() as db:
        db.executemany(
            "INSERT OR REPLACE INTO known_customers (key, name, email, orders_count, first_order,"
            " as_of, source) VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        db.execute(
            "INSERT INTO imports (source, preset, as_of, customers, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            storable_row(read.source, read.preset, as_of.isoformat(), len(read.customers), _now()),
        )
    return len(read.customers)


def imported_counts(ledger: Ledger, key: str) -> ImportedCounts | None:
    rows = ledger.read(
        "SELECT orders_count, first_order, as_of, source FROM known_customers WHERE key = ?",
        (key,),
    )
    if not rows:
        return None
    orders, first, as_of, source = rows[0]
    first_order = date.fromisoformat(first) if first else None
    return ImportedCounts(int(orders), first_order, date.fromisoformat(as_of), source)


def last_import(ledger: Ledger) -> LastImport | None:
    """The newest customers export imported (by the day it counts up to)."""
    rows = ledger.read(
        "SELECT source, as_of, customers FROM imports ORDER BY as_of DESC, id DESC LIMIT 1"
    )
    if not rows:
        return None
    source, as_of, customers = rows[0]
    return LastImport(source, date.fromisoformat(as_of), int(customers))


def known_orders(ledger: Ledger, key: str) -> list[tuple[str, str, date]]:
    """The customer's orders the ledger has seen: (source, number, day)."""
    rows = ledger.read(
        "SELECT source, number, day FROM orders WHERE customer_key = ? ORDER BY day", (key,)
    )
    return [(source, number, date.fromisoformat(day)) for source, number, day in rows]


def forget(ledger: Ledger, email: str) -> Forgotten:
    """Remove everything the ledger holds about the customer with this e-mail: their record,
    orders, notes and imported counts. The discount codes they were given stay listed as used
    (without the customer), so no code is ever handed out twice."""
    wanted = email.strip().casefold()
    report = Forgotten(email.strip())
    with ledger.transaction() as db:
        keys = {wanted}
        for table in ("customers", "known_customers"):
            for key, stored in db.execute(f"SELECT key, email FROM {table}").fetchall():  # noqa: S608
                if stored.casefold() == wanted:
                    keys.add(key)
        marks = ", ".join("?" for _ in keys)
        params = sorted(keys)
        report.notes = [
            (day, file, page)
            for day, file, page in db.execute(
                f"SELECT day, output_file, page FROM notes WHERE customer_key IN ({marks})"  # noqa: S608
                " ORDER BY day, id",
                params,
            ).fetchall()
        ]
        db.execute(
            "INSERT OR IGNORE INTO codes (code, day, created_at) SELECT discount_code, day, ?"
            f" FROM notes WHERE customer_key IN ({marks}) AND discount_code != ''",  # noqa: S608
            [_now(), *params],
        )
        counts = {}
        for table, column in (("notes", "customer_key"), ("orders", "customer_key"),
                              ("customers", "key"), ("known_customers", "key")):  # fmt: skip
            cursor = db.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", params)  # noqa: S608
            counts[table] = cursor.rowcount
    report.customers, report.orders = counts["customers"], counts["orders"]
    report.imported = counts["known_customers"]
    return report
