"""The demo's customers export: who had ordered before the demo day, in the shop's own format.

`notes demo` imports it into the demo ledger (as `notes ledger import` does), so the demo's
first orders are known as first orders and its returning customers by their order count.
"""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

# Each preset's header row: (column, what goes in it).
_COLUMNS = {
    "shopify": (("Customer ID", "id"), ("First Name", "first"), ("Last Name", "last"),
                ("Email", "email"), ("Total Spent", "spent"), ("Total Orders", "orders")),
    "square": (("Square Customer ID", "id"), ("First Name", "first"), ("Surname", "last"),
               ("Email Address", "email"), ("Transaction Count", "orders"),
               ("First Visit", "first_order")),
    "woocommerce": (("Name", "name"), ("Email", "email"), ("Orders", "orders"),
                    ("Total spend", "spent"), ("AOV", "aov")),
    "generic": (("Email", "email"), ("First Name", "first"), ("Last Name", "last"),
                ("Orders", "orders"), ("First Order", "first_order")),
}  # fmt: skip


def write_customers_export(path: Path, orders: list[Any], preset: str, *, before: date) -> Path:
    """Every customer with an order before `before` (`orders`: notes.demo.DemoOrder)."""
    seen: dict[str, list[Any]] = {}
    for order in orders:
        if order.when.date() < before and not order.cancelled:
            seen.setdefault(order.person.email, []).append(order)
    columns = _COLUMNS.get(preset, _COLUMNS["generic"])  # a plug-in format: a plain CSV
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([column for column, _ in columns])
        for placed in seen.values():
            person = placed[0].person
            spent = sum((o.total for o in placed), Decimal(0))
            values = {
                "id": person.id, "first": person.first, "last": person.last, "name": person.full,
                "email": person.email, "orders": str(len(placed)), "spent": f"{spent:.2f}",
                "aov": f"{spent / len(placed):.2f}",
                "first_order": min(o.when for o in placed).strftime("%Y-%m-%d"),
            }  # fmt: skip
            writer.writerow([values[what] for _, what in columns])
    return path
