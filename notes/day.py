"""A sales day: shop export -> the right card for each customer -> PDFs in a folder -> the ledger.

Plain library code: nothing here prints. `plan_day` reads the export and chooses each
customer's occasion; `day_jobs` turns the notes to write into jobs of the batch core
(notes.batch), which plans each card as it is written: `notes.daywrite.write_day` streams them
into the files and records the notes in the ledger, `check_day` plans them for a dry run. A note
that cannot be written becomes a failed entry with its reason.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from notes.batch import Job, Planned, Setup, plan_cards
from notes.codes import CodeBook, IssuedCode
from notes.config import DayRules, Shop
from notes.exports import Customer, Order, Problem
from notes.ledger import Ledger
from notes.manifest import CardRecord
from notes.occasions import Decision
from notes.render import Style


@dataclass
class DayNote(CardRecord):
    """One customer of the day and what happens to them; its card's record (notes.manifest)
    says where the card went. status: new | reprint | skipped | already-noted | failed | held
    | written."""

    decision: Decision
    text: str = ""
    seed_variant: int = 0  # another hand chosen on the review page (0: the day's own)

    @property
    def name(self) -> str:
        return self.decision.customer.name or self.decision.customer.email or "(no name)"

    @property
    def discount_code(self) -> str:
        return str(self.decision.extra.get("discount_code") or "")

    @property
    def to_write(self) -> bool:
        return self.status in ("new", "reprint")


@dataclass
class DayPlan:
    source: str
    preset: str
    day: date
    notes: list[DayNote]
    problems: list[Problem] = field(default_factory=list)
    envelopes: bool = True  # False: the export holds no address at all (a till's export)
    generated_codes: bool = False  # the discount codes were made up: the shop must create them
    setup: Setup | None = None  # how each card is planned (notes.batch)
    templates: dict[str, str] = field(default_factory=dict)  # occasion -> template
    edits: dict[str, Any] = field(default_factory=dict)  # customer key -> review page edit

    def issued_codes(self, percent: int) -> list[IssuedCode]:
        """The generated codes on this day's cards, for codes.csv and the summary."""
        if not self.generated_codes:
            return []
        return [
            IssuedCode(n.discount_code, n.name, n.decision.customer.email, percent, self.day)
            for n in self.notes
            if n.discount_code and (n.to_write or n.status == "written")
        ]

    def with_status(self, *statuses: str) -> list[DayNote]:
        return [n for n in self.notes if n.status in statuses]

    def occasion_counts(self) -> Counter[str]:
        return Counter(
            n.decision.occasion or "" for n in self.notes if n.to_write or n.status == "written"
        )


@dataclass
class Progress:
    """Where a run is: for a progress display, and to say what was done when it is interrupted.

    `on_change` (if given) is called with this object whenever the stage or the count moves.
    """

    stage: str = "reading"  # waiting | reading | planning | writing | recording | done
    planned: int = 0  # cards planned (and, while writing, written) so far
    total: int = 0
    files: list[Path] = field(default_factory=list)
    on_change: Callable[[Progress], None] | None = field(default=None, repr=False)

    def moved(self, stage: str | None = None) -> None:
        if stage is not None:
            self.stage = stage
        if self.on_change is not None:
            self.on_change(self)


def default_folder(day: date) -> Path:
    return Path(f"notes-{day.isoformat()}")


class _ReprintView:
    """The ledger as `choose_occasions` sees it when reprinting: no note counts as made yet."""

    def __init__(self, ledger: Ledger):
        self._ledger = ledger

    def has_note(self, customer_key: str, day: date) -> bool:
        return False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ledger, name)


@dataclass
class DayExport:
    """A shop export read once: its orders grouped into customers, for every day it holds."""

    source: str
    preset: str
    orders: list[Order]
    customers: list[Customer]
    problems: list[Problem]

    @property
    def days(self) -> list[date]:
        from notes.exports import days_in

        return days_in(self.orders)


def read_export(export: str | Path, *, preset: str = "auto") -> DayExport:
    from notes.exports import group_customers, read_orders

    read = read_orders(export, preset=preset)
    return DayExport(
        read.source, read.preset, read.orders, group_customers(read.orders), read.problems
    )


def plan_day(
    export: str | Path | DayExport,
    *,
    ledger: Ledger | None,
    style: Style,
    shop: Shop,
    rules: DayRules,
    preset: str = "auto",
    day: date | None = None,
    envelope_size: str | None = "auto",
    reprint: bool = False,
    progress: Progress | None = None,
    missing_address: str = "mark",
    plot: Any = None,
    qr_codes: Any = None,  # notes.qr.CardCodes: a QR code with each customer's link
    codes: CodeBook | None = None,
    do_not_contact: Mapping[str, str] | None = None,
    templates: Mapping[str, str] | None = None,
) -> DayPlan:
    """Choose each customer's card for one day of the export; `day` defaults to the latest
    day in the export. Nothing is laid out or written here: `write_day` plans each card as it
    writes it, `check_day` plans them for a dry run.

    Envelope addresses are checked before a card is drawn; one that fails is marked on its envelope, or with
    `missing_address="hold"` the customer is held back (not written, not recorded: a later run
    writes the card once the address is fixed). `codes` hands out surprise codes (default:
    [day] discount_codes, else generated ones); `templates` maps an occasion to the template
    that writes it (default: the built-in one of that name)."""
    from notes.exports import orders_on_day
    from notes.occasions import choose_occasions

    progress = progress or Progress()
    if not isinstance(export, DayExport):
        progress.moved("reading")
        export = read_export(export, preset=preset)
    read = export
    day, day_orders = orders_on_day(read.orders, day)
    history: Any = _ReprintView(ledger) if (reprint and ledger is not None) else ledger
    codes = codes or default_codes(rules, ledger, seed=style.seed, locale=shop.locale)
    decisions = choose_occasions(
        read.customers,
        day_orders=day_orders,
        history=history,
        rules=rules,
        today=day,
        codes=codes,
        do_not_contact=do_not_contact,
    )
    notes: list[DayNote] = []
    for decision in decisions:
        if decision.rule == "already-noted":
            notes.append(DayNote(decision, status="already-noted"))
        elif decision.skipped:
            notes.append(DayNote(decision, status="skipped"))
        else:
            notes.append(DayNote(decision, status="new"))
    if reprint and ledger is not None:
        _keep_recorded_codes(notes, ledger, day)
    progress.total = sum(n.to_write for n in notes)
    # An export with no address anywhere (a till's) gets no envelopes rather than one blank
    # envelope per card; otherwise every card gets one.
    envelopes = any(o.address is not None for o in read.orders)
    size = _envelope_size(envelope_size, style) if envelopes else None
    plan = DayPlan(read.source, read.preset, day, notes, read.problems, bool(size))
    plan.generated_codes = codes.generated
    plan.setup = Setup(
        style=style, shop=shop, today=day.isoformat(), envelope_size=size,
        missing_address=missing_address, plot=plot, qr_codes=qr_codes,
    )  # fmt: skip
    plan.templates = dict(templates or {})
    plan.edits = ledger.edits_on(day) if ledger is not None else {}  # from the review page
    return plan


def _envelope_size(size: str | None, style: Style) -> str | None:
    if size == "auto":
        from notes.cards import ENVELOPE_FOR_CARD

        return ENVELOPE_FOR_CARD.get(style.card.name, "c6")
    return size


def default_codes(
    rules: DayRules, ledger: Ledger | None, *, seed: int | str, locale: str = "en_US"
) -> CodeBook:
    """[day] discount_codes when there are any, else generated codes (THANKS-XXXX, DANKE-XXXX
    in the shop's language)."""
    from notes.codes import code_book, ledger_secret
    from notes.languages import discount_prefix

    if ledger is None:  # codes no one can guess, but not the same from one run to the next
        return code_book(rules.discount_codes, source="notes.toml [day] discount_codes",
                         used=set(), seed=seed, prefix=discount_prefix(locale))  # fmt: skip
    return code_book(rules.discount_codes, source="notes.toml [day] discount_codes",
                     used=ledger.used_codes(), seed=seed, prefix=discount_prefix(locale),
                     secret=lambda: ledger_secret(ledger))  # fmt: skip


def _keep_recorded_codes(notes: list[DayNote], ledger: Ledger, day: date) -> None:
    """A reprinted card carries the code the customer was first given, not a second one."""
    recorded = {row.customer_key: row for row in ledger.history(since=day, until=day)}
    for note in notes:
        row = recorded.get(note.decision.customer.key)
        if row is not None and note.to_write:
            note.status = "reprint"
            if row.discount_code:
                note.decision.extra["discount_code"] = row.discount_code


def note_fields(
    decision: Decision, shop: Shop | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(fields, extra) for `compose_note`: who the customer is and what they bought that day,
    product titles as phrases a sentence can hold ('Serving Bowl - Large' -> 'serving bowl')."""
    from notes.greetings import product_phrase

    customer = decision.customer
    shop = shop or Shop()
    language = {"language": customer.language} if getattr(customer, "language", "") else {}
    bought: Counter[str] = Counter()
    for order in decision.orders:
        for item in order.items:
            bought[product_phrase(item.name, shop, language)] += item.quantity
    address = customer.address
    fields: dict[str, Any] = {
        "name": customer.name,
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "email": customer.email,
        "products": list(bought),
        "order_number": ", ".join(o.number for o in decision.orders),
    }
    for detail in ("language", "salutation", "gender"):  # the card's language and greeting
        if getattr(customer, detail):
            fields[detail] = getattr(customer, detail)
    if address is not None:
        fields.update(
            address1=address.lines[0] if address.lines else "",
            address2=", ".join(address.lines[1:]),
            city=address.city,
            state=address.state,
            zip=address.zip,
            country=address.country,
        )
    extra = {k: v for k, v in decision.extra.items() if v is not None}
    if extra.get("favourite_product"):
        extra["favourite_product"] = product_phrase(extra["favourite_product"], shop, language)
    extra["items"] = [{"name": name, "quantity": n} for name, n in bought.items()]
    extra["item_count"] = sum(bought.values())
    totals = [o.total for o in decision.orders if o.total is not None]
    if totals:
        extra["order_total"] = sum(totals)
    return fields, extra


def day_jobs(plan: DayPlan) -> Iterator[tuple[DayNote, Job]]:
    """Each note to write and the job that plans its card, one at a time, in the plan's order."""
    from notes.greetings import greet_without_given_name

    shop = plan.setup.shop
    for number, note in enumerate(plan.notes, 1):
        if not note.to_write:
            continue
        decision = note.decision
        fields, extra = note_fields(decision, shop)
        greeting_warning = greet_without_given_name(fields, extra, shop)
        key = f"{decision.customer.key}\x1f{plan.day.isoformat()}"
        edit = plan.edits.get(decision.customer.key)
        if edit is not None:
            decision.occasion = edit.occasion or decision.occasion
            note.seed_variant = edit.seed_variant
        occasion = decision.occasion or "thank-you"
        link_values = {**fields, "discount_code": note.discount_code, "occasion": occasion}
        own_words = edit.text if edit is not None and edit.text else None  # plain text
        yield note, Job(
            number, fields, plan.templates.get(occasion, occasion), key=key, extra=extra,
            name=note.name, text=own_words,
            hand=card_key(key, note.seed_variant), link_values=link_values,
            warning=greeting_warning,
        )  # fmt: skip


def take_outcome(note: DayNote, planned: Planned) -> None:
    """What planning its card found, on the note (its drawing goes to the writer, not here)."""
    note.text = planned.text
    note.take(planned)


def planned_notes(
    plan: DayPlan, progress: Progress, workers: int = 1
) -> Iterator[tuple[DayNote, Planned]]:
    """Every note to write with its planned card, in order, a bounded window at a time."""
    from collections import deque

    waiting: deque[DayNote] = deque()

    def jobs() -> Iterator[Job]:
        for note, job in day_jobs(plan):
            waiting.append(note)
            yield job

    for planned in plan_cards(plan.setup, jobs(), workers):
        note = waiting.popleft()
        take_outcome(note, planned)
        progress.planned += 1
        progress.moved()
        yield note, planned


def check_day(plan: DayPlan, progress: Progress | None = None, workers: int = 1) -> DayPlan:
    """Plan every card of the day without writing it (a dry run): which ones fail, and why."""
    progress = progress or Progress()
    progress.moved("planning")
    for _ in planned_notes(plan, progress, workers):
        pass
    return plan


def card_key(key: str, seed_variant: int) -> str:
    """The key a card's hand is drawn from; another seed on the review page gives another."""
    return f"{key}\x1fseed{seed_variant}" if seed_variant else key
