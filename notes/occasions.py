"""Choose the card for each customer of a sales day from facts, and keep the reason.

Rules, first match wins: already noted; do not contact; skip test, cancelled and fully refunded
orders and customers with no usable name; then apology, referral, birthday, surprise, loyal,
welcome, thank-you. The facts are structured ones: tags, refund amounts, the discount code used,
note attributes such as `referred_by`, birthdays, totals, and the order count from the ledger or
an imported customers export. An order's free-text note changes nothing unless the shop opts in
with phrases in notes.toml (`apology_phrases`, `referral_phrases`, `test_phrases`): "This is a
gift for a friend" is not a referral, "Sorry for the late reply" is not a complaint.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from notes.codes import CodeBook
from notes.config import DayRules
from notes.exports import Customer, Order
from notes.ledger import Ledger
from notes.orderhistory import order_history

# Who sent a referred customer, as an order note says it in the languages cards are written in
# (read only from a note the shop opted into with referral_phrases).
_REFERRED_BY = re.compile(
    r"(?:(?:referred|recommended) by|empfohlen von|recommandée? par|recomendad[oa] por"
    r"|consigliat[oa] da|aanbevolen door|indicad[oa] por)\s+([^.,;!?\n]+)",
    re.I,
)
# Note attributes (Shopify "Note Attributes", a generic `referred_by` column) naming a referrer.
REFERRER_ATTRIBUTES = ("referred_by", "referred by", "referrer", "referral", "ref")


@dataclass
class Decision:
    customer: Customer
    occasion: str | None  # None: skipped
    rule: str  # which rule fired: "apology", "skip-cancelled", ...
    reason: str  # for --explain: "order #1004 tagged 'refund-requested'"
    orders: list[Order] = field(default_factory=list)  # the day's orders that count
    extra: dict[str, Any] = field(default_factory=dict)
    passed_over: str = ""  # a card the facts asked for but that could not be given (no codes)

    @property
    def skipped(self) -> bool:
        return self.occasion is None


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
    """The first of `words` found as a word (or phrase) in `text`, case-insensitively."""
    folded = " ".join(text.casefold().split())
    for word in words:
        wanted = " ".join(word.casefold().split())
        if wanted and re.search(rf"(?<![^\W_]){re.escape(wanted)}{_ENDING}", folded):
            return word
    return None


def _quote(text: str, limit: int = 50) -> str:
    text = " ".join(text.split())
    return f"“{text[:limit]}…”" if len(text) > limit else f"“{text}”"


def _test_reason(order: Order, rules: DayRules) -> str | None:
    for tag in order.tags:
        if _match(rules.test_words, tag):
            return f"{order.label} tagged {tag!r}"
    if order.email and _match(rules.test_words, order.email.split("@")[0]):
        return f"{order.label} email {order.email} looks like a test"
    if order.note and (phrase := _match(rules.test_phrases, order.note)):
        return f"{order.label} note has the phrase {phrase!r} (test_phrases): {_quote(order.note)}"
    return None


def _tag_reason(order: Order, words: list[str]) -> str | None:
    for tag in order.tags:
        if _match(words, tag):
            return f"{order.label} tagged {tag!r}"
    return None


def _phrase_reason(order: Order, phrases: list[str], setting: str) -> str | None:
    if order.note and (phrase := _match(phrases, order.note)):
        return f"{order.label} note has the phrase {phrase!r} ({setting}): {_quote(order.note)}"
    return None


def _referrer(order: Order) -> tuple[str, str] | None:
    """(attribute, who) from the order's note attributes, e.g. referred_by: Emma Johnson."""
    for key, value in order.attributes.items():
        if (
            " ".join(key.casefold().replace("_", " ").split())
            in {a.replace("_", " ") for a in REFERRER_ATTRIBUTES}
            and value.strip()
        ):
            return key, value.strip()
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
    codes: CodeBook,
    do_not_contact: Mapping[str, str] | None = None,
) -> list[Decision]:
    """One decision per customer with an order in `day_orders`, in the customers' order.

    `customers` are grouped from the whole file, so earlier days in it count as history.
    `today` is the day the cards are for (the sales day); birthdays are counted from it.
    `codes` hands out the surprise cards' discount codes; `do_not_contact` maps the casefolded
    e-mails of people who asked not to be written to, to where that is said.
    """
    todays = {id(o) for o in day_orders}
    chooser = _Chooser(rules, history, today, codes, do_not_contact or {})
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
        codes: CodeBook,
        do_not_contact: Mapping[str, str],
    ):
        self.rules, self.history, self.today = rules, history, today
        self.codes, self.do_not_contact = codes, do_not_contact

    def decide(self, customer: Customer, orders: list[Order]) -> Decision:
        day = orders[0].day
        if self.history is not None and self.history.has_note(customer.key, day):
            done = self.history.history(customer=customer.key, since=day, until=day)
            where = (
                f" ({done[0].occasion}, {done[0].output_file} page {done[0].page})" if done else ""
            )
            return _skip(customer, "already-noted", f"note for {day} already made{where}", orders)
        listed = self.do_not_contact.get(customer.email.strip().casefold())
        if customer.email and listed:
            reason = f"{customer.email} is on the do-not-contact list ({listed})"
            return _skip(customer, "skip-do-not-contact", reason, orders)
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
        return self._choose(customer, kept)

    def _choose(self, customer: Customer, orders: list[Order]) -> Decision:
        known = order_history(customer, orders[0].day, self.history)
        extra: dict[str, Any] = {
            "favourite_product": customer.favourite_product,
            "total_spent": customer.total_spent,
        }
        if known.exact and known.previous is not None:
            extra["order_count"] = known.previous + len(orders)
        if known.first_order:
            extra["first_order"] = True
        elif known.returning:
            extra["returning"] = True
        for rule in (self._apology, self._referral, self._birthday, self._surprise):
            found = rule(customer, orders, extra)
            if found is not None:
                reason = found[1]
                if found[0] == "surprise":  # its wording depends on whether it is a first order
                    reason += f"; {known.reason}"
                return Decision(customer, found[0], found[0], reason, orders, extra)
        passed_over = extra.pop("not_surprise", "")
        if known.returning:
            occasion = "loyal"
        elif known.first_order:
            occasion = "welcome"
        else:
            occasion = "thank-you"
        reason = known.reason + (f"; {passed_over}" if passed_over else "")
        return Decision(customer, occasion, occasion, reason, orders, extra, passed_over)

    def _apology(self, customer: Customer, orders: list[Order], extra: dict) -> tuple | None:
        for order in orders:
            if order.partially_refunded:
                amount = f" ({order.refunded_amount})" if order.refunded_amount else ""
                extra["partial_refund"] = True
                if order.refunded_amount:
                    extra["refunded_amount"] = order.refunded_amount
                return "apology", f"{order.label} was partially refunded{amount}"
        for order in orders:
            reason = _tag_reason(order, self.rules.apology_words) or _phrase_reason(
                order, self.rules.apology_phrases, "apology_phrases"
            )
            if reason:
                return "apology", reason
        return None

    def _referral(self, customer: Customer, orders: list[Order], extra: dict) -> tuple | None:
        words, phrases = self.rules.referral_words, self.rules.referral_phrases
        for order in orders:
            if found := _referrer(order):
                extra["referred_name"] = found[1]
                return "referral", f"{order.label} note attribute {found[0]}: {found[1]}"
            reason = _tag_reason(order, words) or _phrase_reason(order, phrases, "referral_phrases")
            if not reason and order.discount_code and _match(words, order.discount_code):
                reason = f"{order.label} used discount code {order.discount_code!r}"
            if reason:
                # The facts chose the card; a "referred by ..." in the note may name the friend.
                if match := _REFERRED_BY.search(order.note):
                    extra["referred_name"] = match.group(1).strip()
                return "referral", reason
        return None

    def _birthday(self, customer: Customer, orders: list[Order], extra: dict) -> tuple | None:
        if customer.birthday is None:
            return None
        days = days_until_birthday(customer.birthday, self.today)
        if days > self.rules.birthday_window_days:
            return None
        extra["birthday"] = customer.birthday
        extra["days_until_birthday"] = days
        when = "today" if days == 0 else f"in {days} day{'s' if days > 1 else ''}"
        return "birthday", f"birthday {customer.birthday:%d %B} is {when}"

    def _surprise(self, customer: Customer, orders: list[Order], extra: dict) -> tuple | None:
        threshold = Decimal(str(self.rules.surprise_threshold))
        big = [o for o in orders if o.total is not None and o.total > threshold]
        if not big:
            return None
        why = f"{big[0].label} total {big[0].total} is above {threshold:.2f}"
        code = self.codes.take()
        if code is None:
            extra["not_surprise"] = f"no surprise card although {why}: {self.codes.out_of_codes()}"
            return None
        extra["discount_code"] = code
        extra["discount_percent"] = self.rules.discount_percent
        return "surprise", why
