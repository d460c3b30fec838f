"""Customers exports (Shopify, Square, WooCommerce, or a plain CSV) -> who has ordered how often.

`notes ledger import customers.csv` reads one so that returning customers are known from the
first sales day: each customer's order count, and the day of their first order where the export
has it. Plain data only; a row that cannot be read becomes a `Problem` and the rest is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from notes.errors import DataError
from notes.exports import Problem
from notes.shopformats import Columns, readable_records
from notes.sources import read_table
from notes.values import read_datetime

CUSTOMER_PRESETS = ("shopify", "square", "woocommerce", "generic")


@dataclass(frozen=True)
class Fields:
    """Which columns a preset names each fact in (first match wins)."""

    email: tuple[str, ...]
    orders: tuple[str, ...]
    first_order: tuple[str, ...] = ()
    first_name: tuple[str, ...] = ("First Name",)
    last_name: tuple[str, ...] = ("Last Name",)
    name: tuple[str, ...] = ("Name",)
    customer_id: tuple[str, ...] = ()


_FIELDS = {
    # Shopify admin > Customers > Export: no first-order date, only the count.
    "shopify": Fields(email=("Email",), orders=("Total Orders",)),
    # Square Dashboard > Customers > Export customers.
    "square": Fields(
        email=("Email Address",),
        orders=("Transaction Count",),
        first_order=("First Visit",),
        last_name=("Surname", "Last Name"),
        customer_id=("Square Customer ID",),
    ),
    # WooCommerce > Customers (Analytics) > Download, and the common export plugins.
    "woocommerce": Fields(
        email=("Email", "billing_email", "user_email"),
        orders=("Orders", "order_count", "orders_count"),
        first_order=("first_order_date", "First order"),
        first_name=("first_name", "billing_first_name"),
        last_name=("last_name", "billing_last_name"),
    ),
    "generic": Fields(
        email=("email", "e-mail", "email address", "customer email"),
        orders=(
            "orders",
            "orders count",
            "orders_count",
            "order_count",
            "order count",
            "total orders",
            "total_orders",
            "number of orders",
            "transaction count",
        ),  # fmt: skip
        first_order=(
            "first order",
            "first_order",
            "first order date",
            "first_order_date",
            "first purchase",
            "first visit",
        ),  # fmt: skip
        first_name=("first name", "first_name", "given name"),
        last_name=("last name", "last_name", "surname", "family name"),
        name=("name", "customer name", "full name"),
        customer_id=("customer id", "customer_id"),
    ),
}
# A header row is a preset's when these columns are all there.
_MARKERS = {
    "shopify": ("Total Orders", "Total Spent", "Email"),
    "square": ("Square Customer ID", "Transaction Count"),
    "woocommerce": ("Orders", "Total spend", "AOV"),
}


@dataclass(frozen=True)
class KnownCustomer:
    """One customer as the shop knew them when the export was made."""

    keys: tuple[str, ...]  # as `notes.exports.customer_key` makes them: email, or id:square:...
    name: str
    email: str
    orders: int
    first_order: date | None = None


@dataclass
class CustomersRead:
    preset: str
    customers: list[KnownCustomer]
    problems: list[Problem]
    source: str


def detect_customers_preset(columns: list[str]) -> str:
    present = Columns(columns)
    for preset, marks in _MARKERS.items():
        if all(present.has(mark) for mark in marks):
            return preset
    return "generic"


def read_customers(path: str | Path, *, preset: str = "auto") -> CustomersRead:
    """Read a customers export. A row without an e-mail or customer id, or without a readable
    order count, is a problem; the others are read."""
    if preset not in ("auto", *CUSTOMER_PRESETS):
        raise DataError(
            f"unknown preset {preset!r}", hint=f"use one of: auto, {', '.join(CUSTOMER_PRESETS)}"
        )
    table = read_table(path)
    chosen = detect_customers_preset(table.columns) if preset == "auto" else preset
    fields = _FIELDS[chosen]
    col = Columns(table.columns)
    if not any(col.has(name) for name in fields.orders):
        raise DataError(
            "this customers export has no order count column "
            f"(looked for {', '.join(repr(n) for n in fields.orders[:4])})",
            where=table.source,
            hint="export customers with their order count (Shopify: Total Orders; Square: "
            "Transaction Count; WooCommerce: Orders), or name the column 'orders'",
        )
    customers, problems = [], []
    for record in readable_records(table, problems):

        def get(names: tuple[str, ...], record=record) -> str:  # noqa: ANN001
            return next((v for n in names if (v := col.get(record, n))), "")

        try:
            customer = _customer(get, fields, chosen)
        except (ValueError, DataError) as exc:
            reason = exc.message if isinstance(exc, DataError) else str(exc)
            problems.append(Problem(record.where(), f"{reason}; row skipped"))
            continue
        if customer is not None:
            customers.append(customer)
    return CustomersRead(chosen, customers, problems, table.source)


def _customer(get, fields: Fields, preset: str) -> KnownCustomer | None:  # noqa: ANN001
    email = get(fields.email).strip()
    customer_id = get(fields.customer_id).strip() if fields.customer_id else ""
    keys = [email.lower()] if email else []
    if customer_id:
        keys.append(f"id:{preset}:{customer_id}")
    name = get(fields.name) or " ".join(
        p for p in (get(fields.first_name), get(fields.last_name)) if p
    )
    if not keys:
        if not (name or get(fields.orders)):
            return None  # an empty row
        raise ValueError(f"no e-mail or customer id for {name or 'this customer'!r}")
    return KnownCustomer(
        tuple(keys), name, email, _count(get(fields.orders)), _first_order(get(fields.first_order))
    )


def _count(text: str) -> int:
    text = text.strip().replace(",", "")
    if not text:
        return 0
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"order count {text!r} is not a number") from None
    if value < 0 or value != int(value):
        raise ValueError(f"order count {text!r} is not a whole number of orders")
    return int(value)


def _first_order(text: str) -> date | None:
    return read_datetime(text, "first order").date() if text.strip() else None
