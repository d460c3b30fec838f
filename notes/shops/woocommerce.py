"""WooCommerce's order export (Customer/Order CSV): one row per order, items in line_item_N."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING

from notes.errors import DataError
from notes.models import LineItem, Order, Problem
from notes.shops.common import (
    ExportReading,
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
    from notes.sources import Table

HEADER = (
    "order_id,order_number,order_date,status,shipping_total,shipping_tax_total,fee_total,"
    "fee_tax_total,tax_total,cart_discount,order_discount,discount_total,order_total,"
    "order_currency,payment_method,shipping_method,customer_id,billing_first_name,"
    "billing_last_name,billing_company,billing_email,billing_phone,billing_address_1,"
    "billing_address_2,billing_postcode,billing_city,billing_state,billing_country,"
    "shipping_first_name,shipping_last_name,shipping_address_1,shipping_address_2,"
    "shipping_postcode,shipping_city,shipping_state,shipping_country,shipping_company,"
    "customer_note,line_item_1,line_item_2,line_item_3,shipping_items,fee_items,tax_items,"
    "coupon_items,order_notes,download_permissions,birthday,refunded_total"
).split(",")

_WOO_ITEM_KEY = re.compile(r"line_item_(\d+)$", re.I)


def _woo_items(value: str, column: str, values: ExportValues) -> LineItem | None:
    """'name:Wool Socks|product_id:12|quantity:2|total:24.00' -> LineItem."""
    parts = dict(
        (k.strip().casefold(), v.strip())
        for k, _, v in (p.partition(":") for p in value.split("|"))
    )
    if not parts.get("name"):
        return None
    quantity = values.quantity(parts.get("quantity", ""), f"{column} quantity")
    total = values.money(parts.get("total", ""), f"{column} total")
    price = total / quantity if total is not None and quantity else None
    return LineItem(parts["name"], quantity, price)


def _woo_coupons(value: str) -> str:
    """'code:friend10|amount:5.00;code:x' or 'friend10, x' -> 'friend10, x'."""
    codes = re.findall(r"code:([^|;]+)", value)
    if not codes:
        codes = [c for c in re.split(r"[;,|]", value)]
    return ", ".join(c.strip() for c in codes if c.strip())


def read_woocommerce(table: Table) -> tuple[list[Order], list[Problem]]:
    reading = ExportReading(table, style=DECIMAL_POINT)  # WooCommerce: 1234.50
    values, orders = reading.values, []
    item_columns = sorted(
        (int(m.group(1)), c) for c in table.columns if (m := _WOO_ITEM_KEY.match(c.strip()))
    )
    for record, g in reading.rows():
        number = g("order_number") or g("order_id")
        status = g("status").casefold().removeprefix("wc-")
        try:
            if not number:
                raise ValueError("no order_number or order_id")
            full, first, last = order_names(
                "",
                g("billing_first_name") or g("shipping_first_name"),
                g("billing_last_name") or g("shipping_last_name"),
            )
            order = Order(
                number=number, placed_at=values.when(g("order_date"), "order_date"),
                source="woocommerce", source_line=record.line, where=record.where(),
                email=g("billing_email"), name=full, first_name=first, last_name=last,
                address=address_or_none(
                    [g("shipping_address_1"), g("shipping_address_2")], g("shipping_city"),
                    g("shipping_state"), g("shipping_postcode"), g("shipping_country"),
                ) or address_or_none(
                    [g("billing_address_1"), g("billing_address_2")], g("billing_city"),
                    g("billing_state"), g("billing_postcode"), g("billing_country"),
                ),
                total=values.money(g("order_total"), "order_total"),
                currency=g("order_currency") or None,
                discount_code=_woo_coupons(g("coupon_items") or g("coupons")),
                note=g("customer_note"), cancelled=status in ("cancelled", "failed"),
                refunded=status == "refunded", birthday=values.birthday(g("birthday"), "birthday"),
            )  # fmt: skip
            _woo_refund(order, values.money(g("refunded_total"), "refunded_total"))
        except (ValueError, DataError) as exc:
            reading.skip(record.where(), f"order {number or '?'}", exc, "order")
            continue
        add_customer_details(order, g)
        for _, column in item_columns:
            value = (record.raw.get(column) or "").strip()
            try:
                item = _woo_items(value, column, values) if value else None
            except (ValueError, DataError) as exc:
                reading.skip(record.where(), f"order {number}", exc, "item")
                continue
            if item:
                order.items.append(item)
        orders.append(order)
    return orders, reading.problems


def _woo_refund(order: Order, refunded: Decimal | None) -> None:
    """A refund on an order whose status stayed 'completed' (a partial one, usually)."""
    if not refunded or order.refunded:
        return
    order.refunded_amount = refunded
    order.refunded = order.total is not None and refunded >= order.total > 0
    order.partially_refunded = not order.refunded


def demo_rows(orders: list[DemoOrder], shop: DemoShop) -> list[list[str]]:
    """The demo's orders as WooCommerce exports them, header row first."""
    rows: list[list[str]] = [HEADER]
    for o in orders:
        p = o.person
        status = "wc-cancelled" if o.cancelled else "refunded" if o.refunded else "wc-completed"
        r = {"order_id": o.number, "order_number": o.number,
                  "order_date": o.when.strftime("%Y-%m-%d %H:%M:%S"), "status": status,
                  "order_total": money_text(o.total), "order_currency": shop.shop.currency,
                  "refunded_total": money_text(o.refund) if o.refund else "",
                  "payment_method": "stripe", "customer_note": o.note,
                  "coupon_items": f"code:{o.discount_code}|amount:5.00" if o.discount_code else "",
                  "birthday": p.birthday.isoformat() if p.birthday else ""}  # fmt: skip
        for side in ("billing", "shipping"):
            r.update({f"{side}_first_name": p.first, f"{side}_last_name": p.last,
                      f"{side}_address_1": p.street, f"{side}_postcode": p.zip,
                      f"{side}_city": p.city, f"{side}_state": p.state,
                      f"{side}_country": p.country})  # fmt: skip
        r["billing_email"] = p.email
        for i, (name, qty, price) in enumerate(o.items[:3], 1):
            r[f"line_item_{i}"] = f"name:{name}|quantity:{qty}|total:{money_text(price * qty)}"
        rows.append(demo_row(HEADER, r))
    return rows


FORMAT = ShopFormat(
    name="woocommerce",
    markers=BUILT_IN_MARKERS["woocommerce"],
    read=read_woocommerce,
    demo_rows=demo_rows,
    description="WooCommerce: Customer/Order CSV Export, one row per order",
)
