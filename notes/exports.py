"""Orders -> customers: who placed each order, and the orders of one sales day.

Plain data only: the shop formats (`notes.shops`) read an export into `Order`s, and
`group_customers` folds them into `Customer`s. The records live in `notes.models`; they and the
readers are re-exported here for code written before they moved.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import date, datetime

from notes.errors import DataError
from notes.models import Address, Customer, LineItem, Order, Problem
from notes.shops import ReadResult, detect_preset, read_orders

__all__ = [
    # moved to notes.models and notes.shops, still importable from here
    "Address",
    "Customer",
    "LineItem",
    "Order",
    "Problem",
    "ReadResult",
    "detect_preset",
    "read_orders",
    # at home here
    "customer_key",
    "days_in",
    "group_customers",
    "normalise_name",
    "orders_on_day",
]


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
