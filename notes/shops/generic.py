"""Any other CSV or JSON of orders, one row per order, its columns found by their usual names
(`notes.columns`): the format of an export that no other format claims.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from notes.columns import column_map, record_fields
from notes.context import split_products
from notes.errors import DataError
from notes.models import LineItem, Order, Problem
from notes.shops.common import (
    add_customer_details,
    address_or_none,
    money_text,
    order_names,
    readable_records,
    skipped,
)
from notes.shops.registry import BUILT_IN_MARKERS, FALLBACK, ShopFormat
from notes.values import ExportValues

if TYPE_CHECKING:
    from notes.demo import DemoOrder
    from notes.demoshop import DemoShop
    from notes.sources import Table

HEADER = (
    "Order Number,Date,First Name,Last Name,Email,Product,Quantity,Total,Address,City,State,Zip,"
    "Country,Birthday,Tags,Notes,Status,Discount Code,Referred By"
).split(",")


def read_generic(table: Table) -> tuple[list[Order], list[Problem]]:
    colmap = column_map(table.columns)
    if "date" not in colmap:
        raise DataError(
            "no date column: `notes day` needs the day of each order",
            where=table.source,
            hint="add a column named date (or order_date, created_at) like 2026-11-21",
        )
    values = ExportValues(lambda column: [r.raw.get(column, "") for r in table])

    def column(*fields: str) -> str:  # the export's own column name, for messages
        return next((colmap[f] for f in fields if f in colmap), fields[0])

    orders, problems = [], []
    for record in readable_records(table, problems):
        f = record_fields(record, colmap)
        g = lambda *names, f=f: next((f[n].strip() for n in names if f.get(n)), "")  # noqa: E731
        number = g("order_number") or f"line {record.line}"
        products = split_products(g("product"))  # a quoted "Mug; large, speckled" is one
        status = g("status", "financial_status").casefold()
        try:
            quantity = values.quantity(g("quantity", "qty"), column("quantity", "qty"))
            full, first, last = order_names(g("name"), g("first_name"), g("last_name"))
            order = Order(
                number=number, placed_at=values.when(g("date"), column("date")),
                source=f"generic:{table.source}", source_line=record.line, where=record.where(),
                email=g("email"), name=full, first_name=first, last_name=last,
                address=address_or_none(
                    [g("address1"), g("address2")], g("city"), g("state"), g("zip"), g("country")
                ),
                # Several products on one row: the quantity cannot say which, so one each.
                items=[LineItem(p, quantity if len(products) == 1 else 1) for p in products],
                total=values.money(g("total"), column("total")), currency=g("currency") or None,
                discount_code=g("discount_code", "coupon", "coupon_code"),
                tags=[t.strip() for t in re.split(r"[,;]", g("tags")) if t.strip()],
                note=g("notes"), cancelled="cancel" in status, refunded=status == "refunded",
                partially_refunded=status in ("partially_refunded", "partially refunded"),
                attributes={"referred_by": g("referred_by")} if g("referred_by") else {},
                birthday=values.birthday(g("birthday"), column("birthday")),
            )  # fmt: skip
        except (ValueError, DataError) as exc:
            problems.append(skipped(record.where(), f"order {number}", exc, "order"))
            continue
        add_customer_details(order, g)  # canonical fields: "Sprache", "Customer Locale" ...
        orders.append(order)
    return orders, problems


def demo_rows(orders: list[DemoOrder], shop: DemoShop) -> list[list[str]]:
    """The demo's orders as one row each, header row first."""
    rows: list[list[str]] = [HEADER]
    for o in orders:
        p = o.person
        status = "cancelled" if o.cancelled else "refunded" if o.refunded else "paid"
        status = "partially_refunded" if o.refund else status
        rows.append([o.number, o.when.strftime("%Y-%m-%d %H:%M"), p.first, p.last, p.email,
                     "; ".join(n for n, _, _ in o.items), "1", money_text(o.total), p.street,
                     p.city, p.state, p.zip, p.country,
                     p.birthday.isoformat() if p.birthday else "", ", ".join(o.tags), o.note,
                     status, o.discount_code, o.referred_by])  # fmt: skip
    return rows


FORMAT = ShopFormat(
    name="generic",
    markers=BUILT_IN_MARKERS[FALLBACK],
    read=read_generic,
    demo_rows=demo_rows,
    description="any CSV or JSON of orders, one row per order",
)
