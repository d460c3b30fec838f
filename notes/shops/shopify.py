"""Shopify's order export: one row per line item, the order's fields on its first row."""

from __future__ import annotations

from typing import TYPE_CHECKING

from notes.errors import DataError
from notes.models import LineItem, Order, Problem
from notes.shops.common import (
    ExportReading,
    Getter,
    add_customer_details,
    address_or_none,
    demo_row,
    money_text,
    order_names,
)
from notes.shops.registry import BUILT_IN_MARKERS, ShopFormat
from notes.values import DECIMAL_POINT, ExportValues

if TYPE_CHECKING:
    from notes.demo import DemoOrder
    from notes.demoshop import DemoShop
    from notes.sources import Record, Table

HEADER = (
    "Name, Email, Financial Status, Paid at, Fulfillment Status, Fulfilled at, Accepts Marketing, "
    "Currency, Subtotal, Shipping, Taxes, Total, Discount Code, Discount Amount, Shipping Method, "
    "Created at, Lineitem quantity, Lineitem name, Lineitem price, Lineitem compare at price, "
    "Lineitem sku, Lineitem requires shipping, Lineitem taxable, Lineitem fulfillment status, "
    "Billing Name, Billing Street, Billing Address1, Billing Address2, Billing Company, "
    "Billing City, Billing Zip, Billing Province, Billing Country, Billing Phone, Shipping Name, "
    "Shipping Street, Shipping Address1, Shipping Address2, Shipping Company, Shipping City, "
    "Shipping Zip, Shipping Province, Shipping Country, Shipping Phone, Notes, Note Attributes, "
    "Cancelled at, Payment Method, Payment Reference, Refunded Amount, Vendor, Id, Tags, "
    "Risk Level, Source, Lineitem discount, Tax 1 Name, Tax 1 Value, Tax 2 Name, Tax 2 Value, "
    "Tax 3 Name, Tax 3 Value, Tax 4 Name, Tax 4 Value, Tax 5 Name, Tax 5 Value, Phone, "
    "Receipt Number, Duties, Billing Province Name, Shipping Province Name, Payment ID, "
    "Payment Terms Name, Next Payment Due At, Payment References"
).split(", ")


def read_shopify(table: Table) -> tuple[list[Order], list[Problem]]:
    reading = ExportReading(table, style=DECIMAL_POINT)  # Shopify writes 1234.50
    values, problems = reading.values, reading.problems
    orders: dict[str, Order] = {}
    broken: set[str] = set()
    for record, g in reading.rows():
        number = g("Name")
        if not number:
            problems.append(Problem(record.where(), "no order number in 'Name'; row skipped"))
            continue
        if number in broken:
            continue
        order = orders.get(number)
        try:
            if order is None:
                order = _shopify_order(record, g, number, values)
                add_customer_details(order, g)
                orders[number] = order
            quantity = values.quantity(g("Lineitem quantity"), "Lineitem quantity")
            price = values.money(g("Lineitem price"), "Lineitem price")
        except (ValueError, DataError) as exc:
            if order is None:
                broken.add(number)
            reading.skip(
                record.where(), f"order {number}", exc, "item" if order is not None else "order"
            )
            continue
        if g("Lineitem name"):
            order.items.append(LineItem(g("Lineitem name"), quantity, price))
    return list(orders.values()), problems


def _shopify_order(record: Record, g: Getter, number: str, values: ExportValues) -> Order:
    total = values.money(g("Total"), "Total")
    refunded_amount = values.money(g("Refunded Amount"), "Refunded Amount")
    status = g("Financial Status").casefold()
    full, first, last = order_names(g("Billing Name") or g("Shipping Name"))
    side = "Shipping" if g("Shipping Address1") or g("Shipping City") else "Billing"
    refunded = status == "refunded" or bool(
        refunded_amount and total is not None and refunded_amount >= total > 0
    )
    return Order(
        number=number,
        placed_at=values.when(g("Created at"), "Created at"),
        source="shopify",
        source_line=record.line,
        where=record.where(),
        email=g("Email"),
        name=full,
        first_name=first,
        last_name=last,
        address=address_or_none(
            [g(f"{side} Address1"), g(f"{side} Address2")],
            g(f"{side} City"), g(f"{side} Province"), g(f"{side} Zip"), g(f"{side} Country"),
        ),
        total=total,
        currency=g("Currency") or None,
        discount_code=g("Discount Code"),
        tags=[t.strip() for t in g("Tags").split(",") if t.strip()],
        note=g("Notes"),
        attributes=note_attributes(g("Note Attributes")),
        cancelled=bool(g("Cancelled at")) or status == "voided",
        refunded=refunded,
        partially_refunded=not refunded and (status == "partially_refunded" or bool(refunded_amount)),
        refunded_amount=refunded_amount,
        birthday=values.birthday(g("Birthday"), "Birthday"),
    )  # fmt: skip


def note_attributes(text: str) -> dict[str, str]:
    """Shopify's "Note Attributes" cell ("referred_by: Emma Johnson", one a line) -> a dict."""
    pairs = (line.partition(":") for line in text.splitlines())
    return {k.strip(): v.strip() for k, sep, v in pairs if sep and k.strip() and v.strip()}


def demo_rows(orders: list[DemoOrder], shop: DemoShop) -> list[list[str]]:
    """The demo's orders as Shopify exports them, header row first."""
    rows: list[list[str]] = [HEADER]
    for o in orders:
        p, stamp = o.person, o.when.strftime("%Y-%m-%d %H:%M:%S %z")
        for i, (name, qty, price) in enumerate(o.items):
            r = {"Name": f"#{o.number}", "Email": p.email, "Created at": stamp,
                 "Lineitem quantity": str(qty), "Lineitem name": name,
                 "Lineitem price": money_text(price), "Lineitem requires shipping": "true",
                 "Lineitem taxable": "true", "Vendor": shop.shop.name}  # fmt: skip
            if i == 0:
                status = "voided" if o.cancelled else "refunded" if o.refunded else "paid"
                status = "partially_refunded" if o.refund else status
                r.update({"Financial Status": status, "Paid at": stamp, "Currency": shop.shop.currency,
                          "Fulfillment Status": "unfulfilled", "Accepts Marketing": "yes",
                          "Subtotal": money_text(o.total), "Shipping": "0.00", "Taxes": "0.00",
                          "Total": money_text(o.total), "Discount Code": o.discount_code,
                          "Notes": o.note, "Tags": ", ".join(o.tags), "Source": "web",
                          "Cancelled at": stamp if o.cancelled else "",
                          "Refunded Amount": money_text(o.total if o.refunded else o.refund)
                          if o.refunded or o.refund else "",
                          "Note Attributes": f"referred_by: {o.referred_by}"
                          if o.referred_by else "",
                          "Id": f"54000{o.number}", "Payment Method": "Shopify Payments"})  # fmt: skip
                for side in ("Billing", "Shipping"):
                    r.update({f"{side} Name": p.full, f"{side} Street": p.street,
                              f"{side} Address1": p.street, f"{side} City": p.city,
                              f"{side} Zip": p.zip, f"{side} Province": p.state,
                              f"{side} Country": p.country})  # fmt: skip
            rows.append(demo_row(HEADER, r))
    return rows


FORMAT = ShopFormat(
    name="shopify",
    markers=BUILT_IN_MARKERS["shopify"],
    read=read_shopify,
    demo_rows=demo_rows,
    description="Shopify: Orders > Export",
)
