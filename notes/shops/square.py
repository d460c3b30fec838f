"""Square's item sales export: one row per item, a sale's rows share its Transaction ID, and a
refund is a row of its own. Times are local to the row's Time Zone (Rails zone names).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from notes.errors import DataError
from notes.models import LineItem, Order, Problem
from notes.shops.common import (
    ExportReading,
    Getter,
    add_customer_details,
    demo_row,
    money_text,
    order_names,
)
from notes.shops.registry import BUILT_IN_MARKERS, ShopFormat
from notes.values import ExportValues

if TYPE_CHECKING:
    from notes.demo import DemoOrder
    from notes.demoshop import DemoShop
    from notes.sources import Record, Table

# Square writes Rails zone names; the common ones, mapped to IANA zones.
_ZONES = {
    "pacific time (us & canada)": "America/Los_Angeles", "mountain time (us & canada)": "America/Denver",
    "central time (us & canada)": "America/Chicago", "eastern time (us & canada)": "America/New_York",
    "arizona": "America/Phoenix", "alaska": "America/Juneau", "hawaii": "Pacific/Honolulu",
    "atlantic time (canada)": "America/Halifax", "newfoundland": "America/St_Johns",
    "london": "Europe/London", "edinburgh": "Europe/London", "dublin": "Europe/Dublin",
    "paris": "Europe/Paris", "berlin": "Europe/Berlin", "madrid": "Europe/Madrid",
    "amsterdam": "Europe/Amsterdam", "rome": "Europe/Rome", "stockholm": "Europe/Stockholm",
    "tokyo": "Asia/Tokyo", "osaka": "Asia/Tokyo", "sydney": "Australia/Sydney",
    "melbourne": "Australia/Melbourne", "brisbane": "Australia/Brisbane", "perth": "Australia/Perth",
    "adelaide": "Australia/Adelaide", "auckland": "Pacific/Auckland", "utc": "UTC", "hanoi": "Asia/Bangkok",
}  # fmt: skip

# The demo's zones, as Square names them.
_SQUARE_ZONES = {"America/New_York": "Eastern Time (US & Canada)", "Europe/Berlin": "Berlin",
                 "Europe/Paris": "Paris", "Europe/London": "London", "Asia/Tokyo": "Tokyo",
                 "Europe/Rome": "Rome", "Europe/Madrid": "Madrid",
                 "Europe/Amsterdam": "Amsterdam"}  # fmt: skip
HEADER = (
    "Date,Time,Time Zone,Category,Item,Qty,Price Point Name,SKU,Modifiers Applied,Gross Sales,"
    "Discounts,Net Sales,Tax,Transaction ID,Payment ID,Device Name,Notes,Details,Event Type,"
    "Location,Dining Option,Customer ID,Customer Name,Customer Reference ID,Unit,Count,"
    "Itemization Type,Fulfillment Note,Channel,Token,Card Brand,PAN Suffix"
).split(",")


def _square_when(g: Getter, values: ExportValues) -> datetime:
    when = values.when(f"{g('Date')} {g('Time')}".strip(), "Date")
    zone_name = g("Time Zone")
    zone = _ZONES.get(zone_name.casefold(), zone_name)
    try:
        return when.replace(tzinfo=ZoneInfo(zone)) if zone and when.tzinfo is None else when
    except (ZoneInfoNotFoundError, ValueError):
        return when  # unknown zone: keep the local time as written


def read_square(table: Table) -> tuple[list[Order], list[Problem]]:
    reading = ExportReading(table)  # $1,234.50 or 1.234,50 € by country
    col, values, problems = reading.col, reading.values, reading.problems
    sales: dict[str, list[Record]] = {}
    for record, g in reading.rows():
        transaction = g("Transaction ID")
        if not transaction:
            problems.append(Problem(record.where(), "no 'Transaction ID'; row skipped"))
            continue
        sales.setdefault(transaction, []).append(record)
    orders = []
    for transaction, records in sales.items():
        payments = [r for r in records if col.get(r, "Event Type").casefold() != "refund"]
        refunds = [r for r in records if col.get(r, "Event Type").casefold() == "refund"]
        if not payments:
            problems.append(
                Problem(
                    records[0].where(), f"refund of sale {transaction}, which is not in this file"
                )
            )
            continue
        first = payments[0]
        g = reading.getter(first)
        try:
            placed_at = _square_when(g, values)
        except (ValueError, DataError) as exc:
            reading.skip(first.where(), f"sale {transaction}", exc, "sale")
            continue
        full, given, family = order_names(g("Customer Name"))
        order = Order(
            number=transaction, placed_at=placed_at, source="square", source_line=first.line,
            where=first.where(), name=full, first_name=given, last_name=family,
            customer_id=g("Customer ID"),
        )  # fmt: skip
        add_customer_details(order, g)
        paid = refunded = Decimal(0)
        notes = []
        for record in records:
            h = reading.getter(record)
            try:
                amount = (values.money(h("Net Sales"), "Net Sales") or Decimal(0)) + (
                    values.money(h("Tax"), "Tax") or Decimal(0)
                )
                if record in refunds:
                    refunded += abs(amount)
                    continue
                quantity = values.quantity(h("Qty"), "Qty")
                gross = values.money(h("Gross Sales"), "Gross Sales")
            except (ValueError, DataError) as exc:
                reading.skip(record.where(), f"sale {transaction}", exc, "item")
                continue
            paid += amount
            price = gross / quantity if gross is not None and quantity else None
            item = h("Item") or h("Price Point Name")
            if item:
                order.items.append(LineItem(item, quantity, price))
            if h("Notes") and h("Notes") not in notes:
                notes.append(h("Notes"))
        order.total, order.note = paid, "; ".join(notes)
        if refunded:
            order.refunded_amount = refunded
            order.refunded = refunded >= paid
            order.partially_refunded = not order.refunded
        orders.append(order)
    return orders, problems


def demo_rows(orders: list[DemoOrder], shop: DemoShop) -> list[list[str]]:
    """The demo's orders as Square exports its item sales, header row first."""
    # Square sells over the counter: no addresses, no cancelled orders; refunds are rows.
    rows: list[list[str]] = [HEADER]
    for o in orders:
        if o.cancelled:
            continue
        zone = _SQUARE_ZONES.get(str(o.when.tzinfo), "UTC")
        events = [("Payment", 1)] + ([("Refund", -1)] if o.refunded or o.refund else [])
        for event, sign in events:
            for name, qty, price in o.items[:1] if sign < 0 and o.refund else o.items:
                value = o.refund if sign < 0 and o.refund else price * qty  # a partial refund
                amount = f"{'-' if sign < 0 else ''}{shop.currency_symbol}{money_text(value)}"
                r = {"Date": o.when.strftime("%Y-%m-%d"), "Time": o.when.strftime("%H:%M:%S"),
                          "Time Zone": zone, "Category": "Shop", "Item": name, "Qty": str(qty),
                          "Price Point Name": "Regular", "Gross Sales": amount,
                          "Discounts": f"{shop.currency_symbol}0.00", "Net Sales": amount,
                          "Tax": f"{shop.currency_symbol}0.00",
                          "Transaction ID": f"TX{o.number}", "Payment ID": f"PAY{o.number}",
                          "Device Name": "Counter iPad", "Notes": o.note, "Event Type": event,
                          "Location": shop.shop.name, "Customer ID": o.person.id,
                          "Customer Name": o.person.full, "Count": str(qty),
                          "Itemization Type": "Physical Item", "Card Brand": "Visa"}  # fmt: skip
                rows.append(demo_row(HEADER, r))
    return rows


FORMAT = ShopFormat(
    name="square",
    markers=BUILT_IN_MARKERS["square"],
    read=read_square,
    demo_rows=demo_rows,
    description="Square: Transactions > Export > Item Detail CSV",
)
