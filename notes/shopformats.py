"""The four shop export presets (Shopify, Square, WooCommerce, generic CSV) -> `Order`s.

Each reader takes a `notes.sources.Table` and returns (orders, problems): a malformed row becomes
a `Problem` with its line and reason, and the rest of the file is still read. Dates, money and
quantities are read by `notes.values`, names by `notes.names`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from notes.columns import column_map, record_fields
from notes.errors import DataError
from notes.models import Address, LineItem, Order, Problem
from notes.names import person_from_fields
from notes.sources import Record, Table
from notes.values import DECIMAL_POINT, ExportValues

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


# Columns some exports (or the apps that extend them) carry about the customer: a preset's header
# names, or the generic reader's canonical fields (notes.columns: "Sprache" -> language).
_LANGUAGE_COLUMNS = (
    "language", "locale", "customer_locale", "Customer Locale", "Customer Language", "wpml_language"
)  # fmt: skip
_SALUTATION_COLUMNS = ("salutation", "Anrede", "billing_title")
_GENDER_COLUMNS = ("gender",)


def _add_customer_details(order: Order, g: Callable[..., str]) -> None:
    """The customer's language, salutation and gender, where the export has a column for them."""
    for detail, columns in (
        ("language", _LANGUAGE_COLUMNS),
        ("salutation", _SALUTATION_COLUMNS),
        ("gender", _GENDER_COLUMNS),
    ):
        setattr(order, detail, next((value for c in columns if (value := g(c))), ""))


class Columns:
    """Case- and space-insensitive access to a table's original columns."""

    def __init__(self, columns: list[str]):
        self._by_fold = {" ".join(c.split()).casefold(): c for c in columns}

    def get(self, record: Record, name: str) -> str:
        column = self._by_fold.get(name.casefold())
        return (record.raw.get(column) or "").strip() if column else ""

    def has(self, name: str) -> bool:
        return name.casefold() in self._by_fold


def readable_records(table: Table, problems: list[Problem]) -> Iterator[Record]:
    """The table's records; one that cannot be read (too large, binary) becomes a Problem."""
    for record in table:
        if record.error is None:
            yield record
            continue
        error = record.error
        reason = f"{error.message} ({error.hint})" if error.hint else error.message
        problems.append(Problem(record.where(), f"{reason}; row skipped"))


def _address(lines: list[str], city: str, state: str, zip: str, country: str) -> Address | None:
    address = Address([line for line in lines if line], city, state, zip, country)
    return None if address.is_empty() else address


def _names(full: str, first: str = "", last: str = "") -> tuple[str, str, str]:
    """(name as written, given name, family name) for an `Order`."""
    person = person_from_fields({"name": full, "first_name": first, "last_name": last})
    return person.on_envelope, person.given, person.family


def _why(error: ValueError | DataError) -> str:
    """A row's problem in one line: what is wrong, and for a value, how to write it."""
    if isinstance(error, DataError):
        return f"{error.message} ({error.hint})" if error.hint else error.message
    return str(error)


def _column_values(table: Table, col: Columns) -> Callable[[str], list[str]]:
    """Every value of a column, for settling a value that reads two ways (1,234)."""
    return lambda column: [col.get(record, column) for record in table]


def read_shopify(table: Table) -> tuple[list[Order], list[Problem]]:
    col = Columns(table.columns)
    values = ExportValues(_column_values(table, col), style=DECIMAL_POINT)  # Shopify writes 1234.50
    orders: dict[str, Order] = {}
    broken: set[str] = set()
    problems: list[Problem] = []
    for record in readable_records(table, problems):
        g = lambda name, r=record: col.get(r, name)  # noqa: E731
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
                _add_customer_details(order, g)
                orders[number] = order
            quantity = values.quantity(g("Lineitem quantity"), "Lineitem quantity")
            price = values.money(g("Lineitem price"), "Lineitem price")
        except (ValueError, DataError) as exc:
            if order is None:
                broken.add(number)
                problems.append(
                    Problem(record.where(), f"order {number}: {_why(exc)}; order skipped")
                )
            else:
                problems.append(
                    Problem(record.where(), f"order {number}: {_why(exc)}; item skipped")
                )
            continue
        if g("Lineitem name"):
            order.items.append(LineItem(g("Lineitem name"), quantity, price))
    return list(orders.values()), problems


def _shopify_order(
    record: Record, g: Callable[[str], str], number: str, values: ExportValues
) -> Order:
    total = values.money(g("Total"), "Total")
    refunded_amount = values.money(g("Refunded Amount"), "Refunded Amount")
    status = g("Financial Status").casefold()
    full, first, last = _names(g("Billing Name") or g("Shipping Name"))
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
        address=_address(
            [g(f"{side} Address1"), g(f"{side} Address2")],
            g(f"{side} City"), g(f"{side} Province"), g(f"{side} Zip"), g(f"{side} Country"),
        ),
        total=total,
        currency=g("Currency") or None,
        discount_code=g("Discount Code"),
        tags=[t.strip() for t in g("Tags").split(",") if t.strip()],
        note=g("Notes"),
        cancelled=bool(g("Cancelled at")) or status == "voided",
        refunded=refunded,
        partially_refunded=not refunded and (status == "partially_refunded" or bool(refunded_amount)),
        refunded_amount=refunded_amount,
        birthday=values.birthday(g("Birthday"), "Birthday"),
    )  # fmt: skip


def _square_when(g: Callable[[str], str], values: ExportValues) -> datetime:
    when = values.when(f"{g('Date')} {g('Time')}".strip(), "Date")
    zone_name = g("Time Zone")
    zone = _ZONES.get(zone_name.casefold(), zone_name)
    try:
        return when.replace(tzinfo=ZoneInfo(zone)) if zone and when.tzinfo is None else when
    except (ZoneInfoNotFoundError, ValueError):
        return when  # unknown zone: keep the local time as written


def read_square(table: Table) -> tuple[list[Order], list[Problem]]:
    col = Columns(table.columns)
    values = ExportValues(_column_values(table, col))  # $1,234.50 or 1.234,50 € by country
    sales: dict[str, list[Record]] = {}
    problems: list[Problem] = []
    for record in readable_records(table, problems):
        transaction = col.get(record, "Transaction ID")
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
        g = lambda name, r=first: col.get(r, name)  # noqa: E731
        try:
            placed_at = _square_when(g, values)
        except (ValueError, DataError) as exc:
            problems.append(
                Problem(first.where(), f"sale {transaction}: {_why(exc)}; sale skipped")
            )
            continue
        full, given, family = _names(g("Customer Name"))
        order = Order(
            number=transaction, placed_at=placed_at, source="square", source_line=first.line,
            where=first.where(), name=full, first_name=given, last_name=family,
            customer_id=g("Customer ID"),
        )  # fmt: skip
        _add_customer_details(order, g)
        paid = refunded = Decimal(0)
        notes = []
        for record in records:
            h = lambda name, r=record: col.get(r, name)  # noqa: E731
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
                problems.append(
                    Problem(record.where(), f"sale {transaction}: {_why(exc)}; item skipped")
                )
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
    col = Columns(table.columns)
    item_columns = sorted(
        (int(m.group(1)), c) for c in table.columns if (m := _WOO_ITEM_KEY.match(c.strip()))
    )
    values = ExportValues(_column_values(table, col), style=DECIMAL_POINT)  # WooCommerce: 1234.50
    orders, problems = [], []
    for record in readable_records(table, problems):
        g = lambda name, r=record: col.get(r, name)  # noqa: E731
        number = g("order_number") or g("order_id")
        status = g("status").casefold().removeprefix("wc-")
        try:
            if not number:
                raise ValueError("no order_number or order_id")
            full, first, last = _names(
                "",
                g("billing_first_name") or g("shipping_first_name"),
                g("billing_last_name") or g("shipping_last_name"),
            )
            order = Order(
                number=number, placed_at=values.when(g("order_date"), "order_date"),
                source="woocommerce", source_line=record.line, where=record.where(),
                email=g("billing_email"), name=full, first_name=first, last_name=last,
                address=_address(
                    [g("shipping_address_1"), g("shipping_address_2")], g("shipping_city"),
                    g("shipping_state"), g("shipping_postcode"), g("shipping_country"),
                ) or _address(
                    [g("billing_address_1"), g("billing_address_2")], g("billing_city"),
                    g("billing_state"), g("billing_postcode"), g("billing_country"),
                ),
                total=values.money(g("order_total"), "order_total"),
                currency=g("order_currency") or None,
                discount_code=_woo_coupons(g("coupon_items") or g("coupons")),
                note=g("customer_note"), cancelled=status in ("cancelled", "failed"),
                refunded=status == "refunded", birthday=values.birthday(g("birthday"), "birthday"),
            )  # fmt: skip
        except (ValueError, DataError) as exc:
            problems.append(
                Problem(record.where(), f"order {number or '?'}: {_why(exc)}; order skipped")
            )
            continue
        _add_customer_details(order, g)
        for _, column in item_columns:
            value = (record.raw.get(column) or "").strip()
            try:
                item = _woo_items(value, column, values) if value else None
            except (ValueError, DataError) as exc:
                problems.append(
                    Problem(record.where(), f"order {number}: {_why(exc)}; item skipped")
                )
                continue
            if item:
                order.items.append(item)
        orders.append(order)
    return orders, problems


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
        products = [p.strip() for p in re.split(r"[;|]", g("product")) if p.strip()]
        status = g("status", "financial_status").casefold()
        try:
            quantity = values.quantity(g("quantity", "qty"), column("quantity", "qty"))
            full, first, last = _names(g("name"), g("first_name"), g("last_name"))
            order = Order(
                number=number, placed_at=values.when(g("date"), column("date")),
                source=f"generic:{table.source}", source_line=record.line, where=record.where(),
                email=g("email"), name=full, first_name=first, last_name=last,
                address=_address(
                    [g("address1"), g("address2")], g("city"), g("state"), g("zip"), g("country")
                ),
                # Several products on one row: the quantity cannot say which, so one each.
                items=[LineItem(p, quantity if len(products) == 1 else 1) for p in products],
                total=values.money(g("total"), column("total")), currency=g("currency") or None,
                discount_code=g("discount_code", "coupon", "coupon_code"),
                tags=[t.strip() for t in re.split(r"[,;]", g("tags")) if t.strip()],
                note=g("notes"), cancelled="cancel" in status, refunded=status == "refunded",
                partially_refunded=status in ("partially_refunded", "partially refunded"),
                birthday=values.birthday(g("birthday"), column("birthday")),
            )  # fmt: skip
        except (ValueError, DataError) as exc:
            problems.append(Problem(record.where(), f"order {number}: {_why(exc)}; order skipped"))
            continue
        _add_customer_details(order, g)  # canonical fields: "Sprache", "Customer Locale" ...
        orders.append(order)
    return orders, problems


READERS: dict[str, Callable[[Table], tuple[list[Order], list[Problem]]]] = {
    "shopify": read_shopify,
    "square": read_square,
    "woocommerce": read_woocommerce,
    "generic": read_generic,
}
