"""Shop exports (Shopify, Square, WooCommerce, generic CSV) -> orders -> customers.

Plain data only: rows come from `notes.sources`, every preset (`notes.shopformats`) turns them
into `Order`s, and `group_customers` folds orders into `Customer`s. A malformed row becomes a
`Problem` with its line and reason; the rest of the file is still read.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from notes.errors import DataError
from notes.sources import read_table

PRESETS = ("shopify", "square", "woocommerce", "generic")


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


@dataclass
class ReadResult:
    preset: str
    orders: list[Order]
    problems: list[Problem]
    source: str = ""


def detect_preset(columns: list[str]) -> str:
    """Name the shop system that wrote this header row: shopify, square, woocommerce or generic."""
    present = {c.strip().casefold() for c in columns}
    for preset, marks in _MARKERS.items():
        if sum(m.casefold() in present for m in marks) >= len(marks) - 1:
            return preset
    return "generic"


def read_orders(
    path: str | Path, *, preset: str = "auto", stdin: BinaryIO | None = None
) -> ReadResult:
    """Read a shop export into orders. `preset` is auto, shopify, square, woocommerce or generic."""
    if preset not in ("auto", *PRESETS):
        raise DataError(
            f"unknown preset {preset!r}", hint=f"use one of: auto, {', '.join(PRESETS)}"
        )
    from notes.shopformats import READERS, Columns  # the presets build our dataclasses

    table = read_table(path, stdin=stdin)
    chosen = detect_preset(table.columns) if preset == "auto" else preset
    if chosen in _MARKERS and detect_preset(table.columns) != chosen:
        missing = [m for m in _MARKERS[chosen] if not Columns(table.columns).has(m)]
        raise DataError(
            f"this is not a {chosen} export: no column {', '.join(map(repr, missing))}",
            where=table.source,
            hint=f"use --preset auto (it looks like {detect_preset(table.columns)}), or export again",
        )
    orders, problems = READERS[chosen](table)
    return ReadResult(chosen, orders, problems, table.source)


def customer_key(order: Order) -> str:
    """Who placed the order: email, else the shop's customer id, else name + zip/address."""
    if order.email:
        return order.email.strip().lower()
    if order.customer_id:
        return f"id:{order.source}:{order.customer_id}"
    name = normalise_name(order.name)
    if not name:
        return f"order:{order.source}:{order.number}"  # anonymous: a customer of its own
    place = ""
    if order.address:
        place = order.address.zip or " ".join(order.address.lines)
    return f"name:{name}|{normalise_name(place)}"


def normalise_name(text: str) -> str:
    """Fold case and spacing, keep diacritics: 'Nguyễn' and 'Nguyen' may be different people."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def group_customers(orders: Iterable[Order]) -> list[Customer]:
    """Fold orders into customers, in order of first appearance; linear in the orders."""
    customers: dict[str, Customer] = {}
    addressed_at: dict[str, datetime] = {}  # when each customer's newest address was given
    for order in orders:
        key = customer_key(order)
        customer = customers.get(key)
        if customer is None:
            customer = customers[key] = Customer(
                key, order.name, order.first_name, order.last_name, order.email, order.address
            )
        customer.orders.append(order)
        # Later orders fill what earlier ones lacked; the newest address is where cards go.
        if not customer.name and order.name:
            customer.name, customer.first_name = order.name, order.first_name
            customer.last_name = order.last_name
        customer.email = customer.email or order.email
        if order.address:
            newest = addressed_at.get(key)
            if newest is None or order.placed_at >= newest:
                customer.address, addressed_at[key] = order.address, order.placed_at
        customer.birthday = customer.birthday or order.birthday
        for detail in ("language", "salutation", "gender"):
            if getattr(order, detail):
                setattr(customer, detail, getattr(order, detail))
    return list(customers.values())


def days_in(orders: Iterable[Order]) -> list[date]:
    return sorted({o.day for o in orders})


def orders_on_day(orders: list[Order], day: date | None = None) -> tuple[date, list[Order]]:
    """The orders of one sales day (default: the latest day in the file), by local date."""
    days = days_in(orders)
    if not days:
        raise DataError(
            "the export holds no orders", hint="check you exported orders, not products"
        )
    if day is None:
        day = days[-1]
    chosen = [o for o in orders if o.day == day]
    if not chosen:
        raise DataError(
            f"no orders on {day.isoformat()}",
            where=orders[0].where.split(" line ")[0] or None,
            hint=f"the file has orders from {days[0]} to {days[-1]}; pick one with --date",
        )
    return day, chosen


# --- presets -------------------------------------------------------------------------------------
# A header row is a preset's when all (or all but one) of its marker columns are present.
_MARKERS = {
    "shopify": ("Name", "Financial Status", "Created at", "Lineitem name", "Lineitem quantity"),
    "square": ("Transaction ID", "Time Zone", "Item", "Qty", "Net Sales"),
    "woocommerce": ("order_id", "order_date", "status", "billing_first_name", "billing_email"),
}
