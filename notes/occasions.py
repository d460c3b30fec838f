"""Choose the card for each customer of a sales day, and say why (for `--explain`).

Rules, first match wins: already noted; skip test, cancelled and fully refunded orders and
customers with no usable name; then apology, referral, birthday, surprise, loyal, welcome,
thank-you. Words and thresholds come from `notes.config.DayRules`.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from notes.config import DayRules
from notes.errors import ConfigError
from notes.exports import Customer, Order
from notes.ledger import Ledger

# No 0/O, 1/I/L: codes are copied by hand from a card.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
# Who sent a referred customer, as an order note says it in the languages cards are written in.
_REFERRED_BY = re.compile(
    r"(?:(?:referred|recommended) by|empfohlen von|recommandée? par|recomendad[oa] por"
    r"|consigliat[oa] da|aanbevolen door|indicad[oa] por)\s+([^.,;!?\n]+)",
    re.I,
)


@dataclass
class Decision:
    customer: Customer
    occasion: str | None  # None: skipped
    rule: str  # which rule fired: "apology", "skip-cancelled", ...
    reason: str  # for --explain: "order #1004 tagged 'refund-requested'"
    orders: list[Order] = field(default_factory=list)  # the day's orders that count
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def skipped(self) -> bool:
        return self.occasion is None


def code_generator(seed: int | str, prefix: str = "THANKS") -> Callable[[], str]:
    """Deterministic discount codes like THANKS-7K2Q: the same seed gives the same sequence."""
    rng = random.Random(f"{prefix}:{seed}")
    return lambda: f"{prefix}-" + "".join(rng.choice(CODE_ALPHABET) for _ in range(4))


def days_until_birthday(birthday: date, today: date) -> int:
    """Days from `today` to the next birthday (0 = today). 29 February counts as 28th in other years."""
    for year in (today.year, today.year + 1):
        try:
            next_one = birthday.replace(year=year)
        except ValueError:
            next_one = date(year, 2, 28)
        if next_one >= today:
            return (next_one - today).days
    raise AssertionError("unreachable: next year's birthday is always ahead")


# A word matches with common endings ('refund' finds 'refunded', 'test' finds 'test1'), but not
# inside longer words: 'late' must not find 'latest', nor 'test' the surname 'Testa'.
_ENDING = r"(?:s|es|ed|d|ing|\d+)?(?![^\W\d_])"


def _match(words: Iterable[str], text: str) -> str | None:
    """The first of `words` found as a word in `text`, case-insensitively."""
    folded = text.casefold()
    for word in words:
        if word and re.search(rf"(?<![^\W_]){re.escape(word.casefold())}{_ENDING}", folded):
            return word
    return None


def _quote(text: str, limit: int = 50) -> str:
    text = " ".join(text.split())
    return f"“{text[:limit]}…”" if len(text) > limit else f"“{text}”"


def _test_reason(order: Order, rules: DayRules) -> str | None:
    words = rules.test_words
    for tag in order.tags:
        if _match(words, tag):
            return f"{order.label} tagged {tag!r}"
    if order.note and _match(words, order.note):
        return f"{order.label} note says {_quote(order.note)}"
    if order.email and _match(words, order.email.split("@")[0]):
        return f"{order.label} email {order.email} looks like a test"
    return None


def _word_reason(order: Order, words: list[str], *, code: bool) -> tuple[str, str] | None:
    """(matched word, reason) if a tag, the note or (if `code`) the discount code has a word."""
    for tag in order.tags:
        if word := _match(words, tag):
            return word, f"{order.label} tagged {tag!r}"
    if order.note and (word := _match(words, order.note)):
        return word, f"{order.label} note mentions {word!r}: {_quote(order.note)}"
    if code and order.discount_code and (word := _match(words, order.discount_code)):
        return word, f"{order.label} used discount code {order.discount_code!r}"
    return None


def usable_name(name: str) -> bool:
    """A name to write 'Dear …' with: has letters and is not an email address."""
    name = name.strip()
    return bool(name) and "@" not in name and any(unicodedata.category(c)[0] == "L" for c in name)


def _skip(customer: Customer, rule: str, reason: str, orders: list[Order]) -> Decision:
    return Decision(customer, None, rule, reason, orders)


def choose_occasions(
    customers: list[Customer],
    *,
    day_orders: list[Order],
    history: Ledger | None,
    rules: DayRules,
    today: date,
    code_source: Callable[[], str],
) -> list[Decision]:
    """One decision per customer with an order in `day_orders`, in the customers' order.

    `customers` are grouped from the whole file, so earlier days in it count as history.
    `today` is the day the cards are for (the sales day); birthdays are counted from it.
    `code_source` makes a new discount code when the configured list is used up.
    """
    todays = {id(o) for o in day_orders}
    used = history.used_codes() if history else set()
    chooser = _Chooser(rules, history, today, code_source, used)
    chooser.file_first_day = min((o.day for c in customers for o in c.orders), default=None)
    decisions = []
    for customer in customers:
        orders = [o for o in customer.orders if id(o) in todays]
        if orders:
            decisions.append(chooser.decide(customer, orders))
    return decisions


class _Chooser:
    def __init__(
        self,
        rules: DayRules,
        history: Ledger | None,
        today: date,
        code_source: Callable[[], str],
        used: set[str],
    ):
        self.rules, self.history, self.today = rules, history, today
        self.code_source, self.used = code_source, used
        self.first_order_known: dict[date, bool] = {}
        self.file_first_day: date | None = None

    def next_code(self) -> str:
        for code in self.rules.discount_codes:
            if code not in self.used:
                self.used.add(code)
                return code
        for _ in range(1000):
            code = self.code_source()
            if code not in self.used:
                self.used.add(code)
                return code
        raise ConfigError(
            "cannot make a discount code that was not handed out before",
            where="notes.toml [day] discount_codes",
            hint="add more codes to discount_codes, or use another code seed",
        )

    def decide(self, customer: Customer, orders: list[Order]) -> Decision:
        day = orders[0].day
        if self.history is not None and self.history.has_note(customer.key, day):
            done = self.history.history(customer=customer.key, since=day, until=day)
            where = (
                f" ({done[0].occasion}, {done[0].output_file} page {done[0].page})" if done else ""
            )
            return _skip(customer, "already-noted", f"note for {day} already made{where}", orders)

        kept, skips = [], []
        for order in orders:
            if reason := _test_reason(order, self.rules):
                skips.append(("skip-test", f"test order: {reason}"))
            elif order.cancelled:
                skips.append(("skip-cancelled", f"{order.label} was cancelled"))
            elif order.refunded:
                skips.append(("skip-refunded", f"{order.label} was refunded in full"))
            else:
                kept.append(order)
        if not kept:
            return _skip(customer, *skips[0], orders)
        if not usable_name(customer.name):
            if customer.name.strip():
                shown = f" (only {customer.name.strip()!r})"
            else:
                shown = f", only the email {customer.email}" if customer.email else ""
            reason = f"no usable customer name{shown} on {kept[0].label}"
            return _skip(customer, "skip-no-name", reason, kept)

        earlier = [o for o in customer.orders if o.day < day]
        ledger_count = self.history.previous_orders(customer.key, day) if self.history else 0
        extra: dict[str, Any] = {
            "order_count": max(len(earlier), ledger_count) + len(kept),
            "favourite_product": customer.favourite_product,
            "total_spent": customer.total_spent,
        }
        occasion, rule, reason = self._occasion(customer, kept, earlier, ledger_count, extra)
        return Decision(customer, occasion, rule, reason, kept, extra)

    def _occasion(
        self,
        customer: Customer,
        orders: list[Order],
        earlier: list[Order],
        ledger_count: int,
        extra: dict[str, Any],
    ) -> tuple[str, str, str]:
        rules, day = self.rules, orders[0].day
        for order in orders:
            if order.partially_refunded:
                amount = f" ({order.refunded_amount})" if order.refunded_amount else ""
                return "apology", "apology", f"{order.label} was partially refunded{amount}"
            if found := _word_reason(order, rules.apology_words, code=False):
                return "apology", "apology", found[1]
        for order in orders:
            if found := _word_reason(order, rules.referral_words, code=True):
                if match := _REFERRED_BY.search(order.note):
                    extra["referred_name"] = match.group(1).strip()
                return "referral", "referral", found[1]
        if customer.birthday is not None:
            days = days_until_birthday(customer.birthday, self.today)
            if days <= rules.birthday_window_days:
                extra["birthday"] = customer.birthday
                extra["days_until_birthday"] = days
                when = "today" if days == 0 else f"in {days} day{'s' if days > 1 else ''}"
                return "birthday", "birthday", f"birthday {customer.birthday:%d %B} is {when}"
        threshold = Decimal(str(rules.surprise_threshold))
        big = [o for o in orders if o.total is not None and o.total > threshold]
        if big:
            extra["discount_code"] = self.next_code()
            extra["discount_percent"] = rules.discount_percent
            reason = f"{big[0].label} total {big[0].total} is above {threshold:.2f}"
            return "surprise", "surprise", reason
        if earlier or ledger_count:
            if earlier:
                why = f"ordered before in this file ({earlier[-1].label} on {earlier[-1].day})"
            else:
                why = f"{ledger_count} earlier order{'s' if ledger_count > 1 else ''} in the ledger"
            return "loyal", "loyal", why
        if self._first_order_known(day):
            return "welcome", "welcome", "first order: none before it in the ledger or the file"
        return "thank-you", "thank-you", "no order history before this day to tell a first order"

    def _first_order_known(self, day: date) -> bool:
        # Only with history before the day can "no earlier order" mean "first order".
        if day not in self.first_order_known:
            in_file = self.file_first_day is not None and self.file_first_day < day
            known = in_file or (self.history is not None and self.history.knows_orders_before(day))
            self.first_order_known[day] = known
        return self.first_order_known[day]
