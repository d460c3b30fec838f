"""The domain records every other module shares: orders, their items and addresses, customers.

Plain dataclasses, nothing else: shop readers (`notes.shops`) build `Order`s, `notes.exports`
folds them into `Customer`s, and a row that cannot be read becomes a `Problem`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


@dataclass
class LineItem:
    name: str
    quantity: int = 1
    price: Decimal | None = None  # per unit, when the export says


@dataclass
class Address:
    lines: list[str]
    city: str = ""
    state: str = ""
    zip: str = ""
    country: str = ""  # as the export gives it (often an ISO code)

    def is_empty(self) -> bool:
        return not (any(self.lines) or self.city or self.zip)


@dataclass
class Order:
    number: str
    placed_at: datetime  # tz-aware when the export has a zone; its date is the local sales day
    source: (
        str  # the platform ("shopify"...), or "generic:<file>"; with number, the order's identity
    )
    source_line: int
    where: str = ""  # "orders.csv line 7", for messages
    email: str = ""
    name: str = ""
    first_name: str = ""
    last_name: str = ""
    customer_id: str = ""  # the shop's own customer id (Square), when there is one
    address: Address | None = None
    items: list[LineItem] = field(default_factory=list)
    total: Decimal | None = None
    currency: str | None = None
    discount_code: str = ""
    tags: list[str] = field(default_factory=list)
    note: str = ""
    attributes: dict[str, str] = field(default_factory=dict)  # note attributes: referred_by...
    cancelled: bool = False
    refunded: bool = False  # fully
    partially_refunded: bool = False
    refunded_amount: Decimal | None = None
    birthday: date | None = None
    language: str = ""  # the customer's language or locale, as the export gives it ("de-DE")
    salutation: str = ""  # "Frau", "Mr": only these choose a gendered greeting, never the name
    gender: str = ""

    @property
    def day(self) -> date:
        return self.placed_at.date()

    @property
    def label(self) -> str:
        """'order #1004', for messages."""
        return f"order {self.number}"


@dataclass
class Customer:
    key: str
    name: str
    first_name: str
    last_name: str
    email: str
    address: Address | None
    orders: list[Order] = field(default_factory=list)
    birthday: date | None = None
    language: str = ""  # from their newest order that says it
    salutation: str = ""
    gender: str = ""

    @property
    def items_bought(self) -> Counter[str]:
        """Item name -> quantity bought over all orders (first-seen order kept for ties)."""
        counts: Counter[str] = Counter()
        for order in self.orders:
            for item in order.items:
                counts[item.name] += item.quantity
        return counts

    @property
    def favourite_product(self) -> str | None:
        counts = self.items_bought
        if not counts:
            return None
        best = max(counts.values())
        return next(name for name, n in counts.items() if n == best)  # ties: first seen

    @property
    def total_spent(self) -> Decimal:
        return sum((o.total for o in self.orders if o.total is not None), Decimal(0))


@dataclass
class Problem:
    where: str  # "orders.csv line 7"
    reason: str
