"""A shop format defined outside notes, as a third-party package would: an Etsy-like export.

Only notes' public pieces are used (the records in `notes.models`, `ShopFormat`, the readers'
shared helpers and `notes.values`); tests/test_shop_registry.py installs it as a plugin through
the `notes.shops` entry point group, without touching notes/.
"""

from __future__ import annotations

from notes.errors import DataError
from notes.models import LineItem, Order, Problem
from notes.shops import ShopFormat
from notes.shops.common import Columns, address_or_none, order_names, readable_records
from notes.values import ExportValues

HEADER = ["Sale Date", "Order ID", "Buyer User ID", "Full Name", "Street 1", "Ship City",
          "Ship State", "Ship Zipcode", "Ship Country", "Items", "Order Total", "Status"]  # fmt: skip


def read_etsy(table) -> tuple[list[Order], list[Problem]]:  # noqa: ANN001 - a notes Table
    col = Columns(table.columns)
    values = ExportValues(lambda column: [col.get(r, column) for r in table])
    orders, problems = [], []
    for record in readable_records(table, problems):
        g = lambda name, r=record: col.get(r, name)  # noqa: E731
        try:
            full, first, last = order_names(g("Full Name"))
            order = Order(
                number=g("Order ID"), placed_at=values.when(g("Sale Date"), "Sale Date"),
                source="etsy-like", source_line=record.line, where=record.where(),
                name=full, first_name=first, last_name=last, customer_id=g("Buyer User ID"),
                address=address_or_none([g("Street 1")], g("Ship City"), g("Ship State"),
                                        g("Ship Zipcode"), g("Ship Country")),
                items=[LineItem(i.strip()) for i in g("Items").split(";") if i.strip()],
                total=values.money(g("Order Total"), "Order Total"),
                cancelled=g("Status").casefold() == "canceled",
            )  # fmt: skip
        except DataError as exc:
            problems.append(Problem(record.where(), f"order {g('Order ID')}: {exc.message}"))
            continue
        orders.append(order)
    return orders, problems


def demo_rows(orders, shop) -> list[list[str]]:  # noqa: ANN001 - notes' DemoOrder, DemoShop
    rows = [HEADER]
    for o in orders:
        p = o.person
        status = "Canceled" if o.cancelled else "Paid"
        rows.append([o.when.strftime("%m/%d/%y"), o.number, p.id, p.full, p.street, p.city,
                     p.state, p.zip, p.country, "; ".join(n for n, _, _ in o.items),
                     f"{shop.currency_symbol}{o.total:.2f}", status])  # fmt: skip
    return rows


ETSY_LIKE = ShopFormat(
    name="etsy-like",
    markers=("Sale Date", "Order ID", "Buyer User ID", "Ship Zipcode"),
    read=read_etsy,
    demo_rows=demo_rows,
    description="an Etsy-like Sold Orders CSV",
)
