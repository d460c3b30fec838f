"""How many orders a customer placed before a sales day, and how we know (or that we don't).

The facts: the customer's earlier orders in the export and in the ledger, and their order count
in the newest customers export imported (`notes ledger import`). Without an import, earlier
orders prove a returning customer, but nothing proves a first order: the count is unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from notes.exports import Customer


@dataclass(frozen=True)
class OrderHistory:
    previous: int | None  # orders before the day; None: not known
    exact: bool  # `previous` is the count, not only the orders we happen to have seen
    reason: str

    @property
    def first_order(self) -> bool:
        return self.previous == 0

    @property
    def returning(self) -> bool:
        return bool(self.previous)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def order_history(customer: Customer, day: date, ledger: Any) -> OrderHistory:
    """The customer's orders before `day`; `ledger` is a notes.ledger.Ledger or None."""
    from notes.ledgerpeople import imported_counts, known_orders, last_import

    seen = {(o.source, o.number): o.day for o in customer.orders}
    if ledger is not None:
        seen.update({(s, n): d for s, n, d in known_orders(ledger, customer.key)})
    days = sorted(seen.values())
    earlier = [d for d in days if d < day]
    imported = imported_counts(ledger, customer.key) if ledger is not None else None
    if imported is not None:
        return _from_import(imported, days, earlier, day)
    last = last_import(ledger) if ledger is not None else None
    if last is not None:
        since = f"; {_plural(len(earlier), 'order')} since" if earlier else ""
        reason = f"not in the customers export {last.source} (to {last.as_of}){since}"
        return OrderHistory(len(earlier), True, reason)
    if earlier:
        in_file = [o for o in customer.orders if o.day < day]
        if in_file:
            last_order = max(in_file, key=lambda o: o.placed_at)
            reason = f"ordered before in this file ({last_order.label} on {last_order.day})"
        else:
            reason = f"{_plural(len(earlier), 'earlier order')} in the ledger"
        return OrderHistory(len(earlier), False, reason)
    return OrderHistory(
        None,
        False,
        "order count unknown: no earlier order in the file or the ledger, and no customers "
        "export imported (notes ledger import customers.csv)",
    )


def _from_import(imported: Any, days: list[date], earlier: list[date], day: date) -> OrderHistory:
    """Counts from a customers export (`imported`: notes.ledgerpeople.ImportedCounts)."""
    source = f"{imported.source} (to {imported.as_of})"
    if imported.as_of < day:
        since = sum(1 for d in days if imported.as_of < d < day)
        previous = imported.orders + since
        more = f" and {since} since" if since else ""
        reason = f"{_plural(imported.orders, 'order')} in the customers export {source}{more}"
    else:
        # The export counted up to a day on or after this one: its count includes this day's.
        later = sum(1 for d in days if day <= d <= imported.as_of)
        previous = max(imported.orders - max(later, 1), len(earlier), 0)
        reason = (
            f"{_plural(imported.orders, 'order')} in the customers export {source}, "
            f"{_plural(previous, 'order')} before {day}"
        )
    if imported.first_order is not None:
        if imported.first_order < day:
            previous = max(previous, 1)
            reason += f", first order {imported.first_order}"
        elif imported.first_order == day:
            previous = 0
            reason += ", first order on this day"
    return OrderHistory(previous, True, reason)
