"""Money, quantities and dates from customer data: read one way, here, for every command.

Numbers are read in the export's style: `1.234,56` (German, French ...) or `1,234.56` (English).
A value such as `1,234` reads two ways (1234, or 1.234 with a decimal comma): the other values of
its column decide (a `12,50` beside it shows a decimal comma), else the export's known style (a
shop system that always writes `1234.56`), else the shop's locale for a value someone typed;
with none of these it is an error naming the field, never a guess. Slash dates (`03/04/2026`)
are settled the same way, month first (as US exports write them) when nothing says otherwise.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from notes.errors import ConfigError, DataError

if TYPE_CHECKING:  # imported where amounts are read: an English card reads none (~1 ms)
    from decimal import Decimal
from notes.records import FrozenRecord  # dataclass methods written once (start-up)


@dataclass(init=False, repr=False, eq=False)
class NumberStyle(FrozenRecord):
    """Which separator marks the decimals; the other one groups thousands."""

    decimal: str  # "." or ","

    @property
    def example(self) -> str:
        return "1,234.56" if self.decimal == "." else "1.234,56"


DECIMAL_POINT = NumberStyle(".")
DECIMAL_COMMA = NumberStyle(",")
_SIGNS = "-\u2212"  # hyphen-minus, minus sign
# Digits and separators, with spaces or apostrophes grouping thousands (1 234,50; 1'234.50).


# Patterns compiled when first used: `notes write` reads no amount or date and compiles none.
@cache
def _number_run() -> re.Pattern[str]:
    return re.compile(r"[\d.,](?:[\d.,\s'\u2019]*\d)?")


@cache
def _spacing() -> re.Pattern[str]:
    return re.compile(r"[\s'\u2019]")


class _Ambiguous(Exception):
    """A number that reads two ways; `readings` maps each decimal separator to its value."""

    def __init__(self, readings: dict[str, Decimal]):
        super().__init__(readings)
        self.readings = readings


@dataclass(init=False, repr=False, eq=False)
class _Reading(FrozenRecord):
    """A number as read, and the separator that told its decimals."""

    value: Decimal
    decimal: str  # the decimal separator this value shows, "" when it shows none


def _grouped(integer: str, group: str) -> bool:
    """'1.234.567' is grouped by '.'; so is Indian '1,23,456'; '12.5.3' is not."""
    parts = integer.split(group)
    head, middle, tail = parts[0], parts[1:-1], parts[-1]
    return (
        len(parts) > 1
        and 1 <= len(head) <= 3
        and all(len(p) in (2, 3) for p in middle)
        and len(tail) == 3
        and all(p.isdigit() for p in parts)
    )


def _read_digits(body: str, spaced: bool) -> _Reading:
    """Digits with '.' and ',' -> the number; _Ambiguous for '1,234'; ValueError if malformed."""
    from decimal import Decimal

    seps = [c for c in ".," if c in body]
    if not seps:
        return _Reading(Decimal(body), "")
    if len(seps) == 2:
        decimal = "." if body.rfind(".") > body.rfind(",") else ","
        group = "," if decimal == "." else "."
        integer, _, fraction = body.rpartition(decimal)
        if not (fraction.isdigit() and _grouped(integer, group)):
            raise ValueError(body)
        return _Reading(Decimal(f"{integer.replace(group, '')}.{fraction}"), decimal)
    sep = seps[0]
    other = "," if sep == "." else "."
    if body.count(sep) > 1:  # '1.234.567': the repeated one groups thousands
        if not _grouped(body, sep):
            raise ValueError(body)
        return _Reading(Decimal(body.replace(sep, "")), other)
    integer, _, fraction = body.partition(sep)
    if not fraction.isdigit() or (integer and not integer.isdigit()):
        raise ValueError(body)
    as_decimal = Decimal(f"{integer or '0'}.{fraction}")
    # Thousands are grouped in threes after a first group of 1-3 digits that is not 0.
    if spaced or len(fraction) != 3 or not 1 <= len(integer) <= 3 or integer.startswith("0"):
        return _Reading(as_decimal, sep)
    raise _Ambiguous({sep: as_decimal, other: Decimal(integer + fraction)})


def _read_number(text: str) -> _Reading:
    """'$1,234.50', '-7,50 €', '(7.50)', '1 234,5' -> a reading; ValueError or _Ambiguous."""
    text = text.strip()
    negative = text.startswith("(") and text.endswith(")")
    if negative:
        text = text[1:-1]
    run = _number_run().search(text)
    if run is None:
        raise ValueError(text)
    around = text[: run.start()] + " " + text[run.end() :]
    signs = sum(around.count(s) for s in _SIGNS)
    if signs > 1 or any(c.isdigit() for c in around) or not any(c.isdigit() for c in run[0]):
        raise ValueError(text)
    body = _spacing().sub("", run[0])
    reading = _read_digits(body, spaced=body != run[0])
    if negative or signs:
        return _Reading(-reading.value, reading.decimal)
    return reading


def _decimal_shown(text: str) -> str:
    """The decimal separator a value shows ('12,50' -> ','); '' when it shows none."""
    try:
        return _read_number(text).decimal
    except (ValueError, ArithmeticError, _Ambiguous):
        return ""


def _style_shown(decimals: set[str]) -> NumberStyle | None:
    """One separator seen: that style; none, or both (the column disagrees with itself): None."""
    return NumberStyle(next(iter(decimals))) if len(decimals) == 1 else None


def number_style_of(values: Iterable[str]) -> NumberStyle | None:
    """The style a column's values show ('12,50' -> decimal comma); None if none or both do."""
    return _style_shown({d for d in map(_decimal_shown, values) if d})


def _number(
    text: str,
    field: str,
    what: str,
    style_for: Callable[[], NumberStyle | None],
    hint: str = "write amounts like 12.50, $7.50 or 1.234,50",
) -> Decimal:
    """Read one number; `style_for` is asked only when the value reads two ways."""
    try:
        return _read_number(text).value
    except (ValueError, ArithmeticError):
        raise DataError(f"{_label(field, text)} is not {what}", hint=hint) from None
    except _Ambiguous as both:
        style = style_for()
        if style is not None:
            return both.readings[style.decimal]
        point, comma = both.readings["."], both.readings[","]
        raise DataError(
            f"{_label(field, text)} could be {point} or {comma}, and no other value in its "
            "column shows which",
            hint="write it with its decimals (1,234.00 or 1.234,00) so the separator is clear",
        ) from None


def _label(field: str, text: str) -> str:
    return f"{field} {text!r}" if field else repr(text)


def read_money(
    text: str, field: str, style_for: Callable[[], NumberStyle | None] = lambda: None
) -> Decimal | None:
    """'$7.50', '(7.50)', '1,234.50', '7,50 €' -> Decimal; '' -> None. DataError names `field`."""
    if not text.strip():
        return None
    return _number(text, field, "an amount of money", style_for)


def read_quantity(
    text: str, field: str, style_for: Callable[[], NumberStyle | None] = lambda: None
) -> int:
    """'2', '3.0', '' (one) -> a count; a weighed amount (0.35 kg) counts as one thing bought."""
    if not text.strip():
        return 1
    value = _number(text, field, "a quantity", style_for, hint="write a whole number such as 2")
    if value < 0:
        raise DataError(f"{field} {text!r} is negative", hint="a quantity bought is 1 or more")
    return int(value) if value == value.to_integral_value() else 1


# ---------------------------------------------------------------- dates

_TIME_FORMATS = (
    "",
    " %H:%M:%S",
    " %H:%M",
    " %I:%M:%S %p",
    " %I:%M %p",
    " %H:%M:%S %z",
    " %H:%M %z",
)
_OTHER_FORMATS = ("%d.%m.%Y", "%d.%m.%Y %H:%M", "%d %B %Y", "%B %d, %Y", "%Y-%m-%d %I:%M:%S %p",
                  "%Y-%m-%d %I:%M %p", "%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M %z")  # fmt: skip


@cache
def _slash() -> re.Pattern[str]:
    return re.compile(r"\s*(\d{1,2})/(\d{1,2})/\d{2,4}\b")


def _slash_order(text: str) -> bool | None:
    """Does a slash date say it is day first (21/11/2026: True, 11/21/2026: False)? None if not."""
    match = _slash().match(text)
    if match is None:
        return None
    first, second = int(match.group(1)), int(match.group(2))
    return True if first > 12 >= second else False if second > 12 >= first else None


def day_first_of(values: Iterable[str]) -> bool | None:
    """Whether a column's slash dates are day first, as far as its values show; None if unsure."""
    seen = {order for order in map(_slash_order, values) if order is not None}
    return seen.pop() if len(seen) == 1 else None


def read_datetime(
    text: str, field: str, day_first_for: Callable[[], bool | None] = lambda: None
) -> dt.datetime:
    """A date/time as shops write it; offsets kept, naive otherwise. DataError names `field`.

    `day_first_for` is asked only for a slash date that reads both ways (03/04/2026).
    """
    text = text.strip()
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    formats = _OTHER_FORMATS
    if _slash().match(text):
        day_first = _slash_order(text)
        if day_first is None:
            day_first = bool(day_first_for())
        date = "%d/%m/%Y" if day_first else "%m/%d/%Y"
        formats = tuple(d + t for d in (date, date.replace("Y", "y")) for t in _TIME_FORMATS)
    for fmt in formats:
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise DataError(
        f"{field} {text!r} is not a date",
        hint="write dates like 2026-11-21 or 2026-11-21 09:02:11",
    )


def read_birthday(text: str, field: str) -> dt.date | None:
    """'1990-11-28', '28.11.1990', '11-28' (no year) -> a date; '' -> None."""
    text = text.strip()
    if not text:
        return None
    if re.fullmatch(r"\d{1,2}-\d{1,2}", text):  # month-day without a year
        text = f"2000-{text}"
    return read_datetime(text, field).date()


# ---------------------------------------------------------------- one export's columns


class ExportValues:
    """The values of one export, each read in the style its own column shows.

    `column_values(column)` gives every value of a column; it is read only when a value reads
    two ways. `style` is the export's own number style when the shop system always writes one.
    """

    def __init__(
        self,
        column_values: Callable[[str], Iterable[str]] | None = None,
        *,
        style: NumberStyle | None = None,
    ):
        self._column_values = column_values or (lambda column: ())
        self._style = style
        self._numbers: dict[str, NumberStyle | None] = {}
        self._days: dict[str, bool | None] = {}

    def _number_style(self, column: str) -> NumberStyle | None:
        if self._style is not None:
            return self._style
        if column not in self._numbers:
            self._numbers[column] = number_style_of(self._column_values(column))
        return self._numbers[column]

    def _day_first(self, column: str) -> bool | None:
        if column not in self._days:
            self._days[column] = day_first_of(self._column_values(column))
        return self._days[column]

    def money(self, text: str, column: str) -> Decimal | None:
        return read_money(text, column, lambda: self._number_style(column))

    def quantity(self, text: str, column: str) -> int:
        return read_quantity(text, column, lambda: self._number_style(column))

    def when(self, text: str, column: str) -> dt.datetime:
        return read_datetime(text, column, lambda: self._day_first(column))

    def birthday(self, text: str, column: str) -> dt.date | None:
        return read_birthday(text, column)


def column_number_styles(
    records: Iterable[Mapping[str, str]], columns: Mapping[str, str]
) -> dict[str, tuple[str, NumberStyle | None]]:
    """field -> (its column, the number style that column's values show), in one pass."""
    seen: dict[str, set[str]] = {column: set() for column in columns.values()}
    for record in records:
        for column, decimals in seen.items():
            if decimal := _decimal_shown(record.get(column) or ""):
                decimals.add(decimal)
    return {field: (column, _style_shown(seen[column])) for field, column in columns.items()}


# ---------------------------------------------------------------- one typed value, in the shop's locale


@lru_cache(maxsize=64)
def babel_locale(code: str):  # noqa: ANN201 - babel.Locale
    """The Babel locale for a code like de_DE; ConfigError names [shop] locale if unknown."""
    # Babel is imported only when money or dates are formatted: a plain note starts faster.
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        raise ConfigError(
            f"unknown locale {code!r}",
            where="[shop] locale",
            hint="use a language_COUNTRY code such as en_US, de_DE, fr_FR, pt_BR",
        ) from None


def number_style_for_locale(locale: str) -> NumberStyle:
    """en_US -> 1,234.56; de_DE, fr_FR -> 1.234,56 (de_CH writes 1'234.56: a decimal point)."""
    decimal = babel_locale(locale).number_symbols["latn"]["decimal"]
    return DECIMAL_COMMA if decimal == "," else DECIMAL_POINT


def day_first_for_locale(locale: str) -> bool:
    """Does the locale write short dates day first (en_GB 21/11/2026) or month first (en_US)?"""
    pattern = babel_locale(locale).date_formats["short"].pattern.lower()
    return pattern.find("d") < pattern.find("m")


def parse_amount(value: Any, *, locale: str = "en_US") -> Decimal:
    """An amount a template formats: a number, or text read in the shop's locale ('1.234' is
    1234 in de_DE and 1.234 in en_US). Text from an export column (`ColumnText`) is read in the
    style its column shows instead."""
    from decimal import Decimal

    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return Decimal(str(value))
    if not isinstance(value, str) or not value.strip():
        raise DataError(
            f"{value!r} is not an amount of money", hint="write amounts like 12.50 or 1.234,50"
        )
    if isinstance(value, ColumnText):
        return _number(value, value.field, "an amount of money", lambda: value.style)
    return _number(value, "", "an amount of money", lambda: number_style_for_locale(locale))


def parse_date(value: Any, *, locale: str = "en_US") -> dt.date:
    """A date a template formats: a date, or text as shops write it ('2026-11-21 09:02:11
    -0500', '21.11.2026'); a slash date that reads both ways follows the shop's locale."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return read_datetime(str(value), "date", lambda: day_first_for_locale(locale)).date()


class ColumnText(str):
    """Text from an export column, remembering the number style its column shows (None: the
    column shows none), so `money` reads '1,234' the way the rest of the column is written."""

    field: str
    style: NumberStyle | None

    def __new__(cls, text: str, field: str, style: NumberStyle | None) -> ColumnText:
        made = super().__new__(cls, text)
        made.field, made.style = field, style
        return made

    def __reduce__(self):  # noqa: ANN204 - keep field and style through pickling (worker pools)
        return (ColumnText, (str(self), self.field, self.style))
