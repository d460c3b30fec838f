"""What every shop reader shares: column access, unreadable rows, names, addresses, problems,
and the rows of a demo export.

A reader takes a `notes.sources.Table` and returns (orders, problems): a malformed row becomes a
`Problem` with its line and reason, and the rest of the file is still read (`ExportReading`).
Dates, money and quantities are read by `notes.values`, names by `notes.names`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

from notes.errors import DataError
from notes.models import Address, Order, Problem
from notes.names import person_from_fields
from notes.values import ExportValues

if TYPE_CHECKING:
    from notes.sources import Record, Table
    from notes.values import NumberStyle

Getter = Callable[[str], str]  # a column's value in one record, by the column's name

# Columns some exports (or the apps that extend them) carry about the customer: a preset's header
# names, or the generic reader's canonical fields (notes.columns: "Sprache" -> language).
LANGUAGE_COLUMNS = (
    "language", "locale", "customer_locale", "Customer Locale", "Customer Language", "wpml_language"
)  # fmt: skip
SALUTATION_COLUMNS = ("salutation", "Anrede", "billing_title")
GENDER_COLUMNS = ("gender",)


def add_customer_details(order: Order, g: Callable[..., str]) -> None:
    """The customer's language, salutation and gender, where the export has a column for them."""
    for detail, columns in (
        ("language", LANGUAGE_COLUMNS),
        ("salutation", SALUTATION_COLUMNS),
        ("gender", GENDER_COLUMNS),
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


def address_or_none(
    lines: list[str], city: str, state: str, zip: str, country: str
) -> Address | None:
    address = Address([line for line in lines if line], city, state, zip, country)
    return None if address.is_empty() else address


def order_names(full: str, first: str = "", last: str = "") -> tuple[str, str, str]:
    """(name as written, given name, family name) for an `Order`."""
    person = person_from_fields({"name": full, "first_name": first, "last_name": last})
    return person.on_envelope, person.given, person.family


def why_failed(error: ValueError | DataError) -> str:
    """A row's problem in one line: what is wrong, and for a value, how to write it."""
    if isinstance(error, DataError):
        return f"{error.message} ({error.hint})" if error.hint else error.message
    return str(error)


def column_values(table: Table, col: Columns) -> Callable[[str], list[str]]:
    """Every value of a column, for settling a value that reads two ways (1,234)."""
    return lambda column: [col.get(record, column) for record in table]


def money_text(value: Decimal) -> str:
    """A demo export's amount, as shops write it: 7.50."""
    return f"{value:.2f}"


def skipped(where: str, subject: str, error: ValueError | DataError, what: str) -> Problem:
    """`subject` ("order #1001") loses `what` ("order", "item") because a value is unreadable."""
    return Problem(where, f"{subject}: {why_failed(error)}; {what} skipped")


class ExportReading:
    """One shop export being read by its preset's column names: the values of each column in
    the style it shows (or the shop's own `style`), and the problems found so far."""

    def __init__(self, table: Table, *, style: NumberStyle | None = None):
        self.table = table
        self.col = Columns(table.columns)
        self.values = ExportValues(column_values(table, self.col), style=style)
        self.problems: list[Problem] = []

    def getter(self, record: Record) -> Getter:
        return lambda name: self.col.get(record, name)

    def rows(self) -> Iterator[tuple[Record, Getter]]:
        """Each readable record with its getter; an unreadable one is a problem, and skipped."""
        for record in readable_records(self.table, self.problems):
            yield record, self.getter(record)

    def skip(self, where: str, subject: str, error: ValueError | DataError, what: str) -> None:
        self.problems.append(skipped(where, subject, error, what))


def demo_row(header: list[str], cells: dict[str, str]) -> list[str]:
    """One row of a demo export: `cells` under their columns, every other column empty."""
    row = dict.fromkeys(header, "")
    row.update(cells)
    return list(row.values())
