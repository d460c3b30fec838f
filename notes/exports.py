"""Shop exports (Shopify, Square, WooCommerce, generic CSV) -> orders -> customers.

Plain data only: rows come from `notes.sources`, every preset (`notes.shopformats`) turns them
into `Order`s, and `group_customers` folds orders into `Customer`s. A malformed row becomes a
`Problem` with its line and reason; the rest of the file is still read.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from notes.errors import DataError
from notes.models import Address, Customer, LineItem, Order, Problem
from notes.sources import read_table

__all__ = ["Address", "Customer", "LineItem", "Order", "Problem"]  # their home is notes.models

PRESETS = ("shopify", "square", "woocommerce", "generic")


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
