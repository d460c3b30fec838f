"""`notes demo`: a realistic sales-day export with fake customers (Faker), then the day's cards.

The export is written in the chosen shop system's own format (its real header row), so the demo
goes through exactly the path a real export does. The first customers play set roles, so every
occasion and every skip shows up: a returning customer, a complaint, a referral, a big order, a
cancelled and a refunded order, a Vietnamese and a Japanese name. The demo folder holds its own
ledger. The demo writes only into a folder it made (marked by a `.notes-demo` file); running it
again there replaces the demo's own files, by name, and nothing else. Any other folder that holds
files is refused: a shop's folder with its real export and ledger is never touched.
"""

from __future__ import annotations

import csv
import random
import stat
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from notes.codes import seed_ledger_secret
from notes.config import DayRules, Shop
from notes.customers import read_customers
from notes.day import default_folder, plan_day
from notes.daywrite import UNFINISHED, DayResult, write_day
from notes.democustomers import write_customers_export
from notes.demoshop import demo_shop
from notes.errors import OutputError, UsageError
from notes.ledger import Ledger
from notes.ledgerfile import ledger_lock
from notes.ledgerpeople import import_customers
from notes.render import Style
from notes.review.recipe import save_for_review
from notes.shops import find_shop_format, format_names

ROLES = ("returning", "complaint", "referral", "big", "cancelled", "refunded", "vietnamese",
         "japanese", "birthday", "returning")  # fmt: skip
_ZONES = {"US": "America/New_York", "DE": "Europe/Berlin", "FR": "Europe/Paris",
          "GB": "Europe/London", "JP": "Asia/Tokyo", "IT": "Europe/Rome", "ES": "Europe/Madrid",
          "NL": "Europe/Amsterdam"}  # fmt: skip


@dataclass
class Person:
    first: str
    last: str
    email: str
    street: str
    city: str
    state: str
    zip: str
    country: str
    id: str
    family_first: bool = False  # Vietnamese and Japanese names put the family name first
    birthday: date | None = None

    @property
    def full(self) -> str:
        return f"{self.last} {self.first}" if self.family_first else f"{self.first} {self.last}"


@dataclass
class DemoOrder:
    number: str
    when: datetime  # tz-aware
    person: Person
    items: list[tuple[str, int, Decimal]]
    note: str = ""
    tags: list[str] = field(default_factory=list)
    discount_code: str = ""
    cancelled: bool = False
    refunded: bool = False
    refund: Decimal = Decimal(0)  # refunded in part
    referred_by: str = ""  # a note attribute (Shopify) or column (generic)

    @property
    def total(self) -> Decimal:
        return sum((price * n for _, n, price in self.items), Decimal(0))


@dataclass
class DemoReport:
    export: Path
    ledger: Path
    result: DayResult
    previews: list[Path]


def _person(fake, rng: random.Random, index: int, country: str) -> Person:
    first, last = fake.first_name(), fake.last_name()
    user = f"{first}.{last}".casefold().replace(" ", "")
    user = "".join(c for c in user if c.isascii() and (c.isalnum() or c == ".")) or f"c{index}"
    return Person(first, last, f"{user}{index}@example.com", *_address(fake, country),
                  country, f"CUST-{index:04d}")  # fmt: skip


def _address(fake, country: str) -> tuple[str, str, str, str]:
    """(street, city, state, postcode) the country's post accepts. Faker's postcodes ignore
    the region, so draw postcodes again (seeded: the same each run) until one fits it."""
    from notes.addresses import format_address

    for _ in range(5):
        if country == "US":  # a state's own ZIP; no territories (their ZIPs are odd)
            state = fake.state_abbr(
                include_territories=False, include_freely_associated_states=False
            )
        else:
            state = fake.administrative_unit() if hasattr(fake, "administrative_unit") else ""
        fields = {"address1": fake.street_address(), "city": fake.city(), "state": state,
                  "country": country}  # fmt: skip
        for _ in range(300):
            fields["zip"] = fake.zipcode_in_state(state) if country == "US" else fake.postcode()
            if format_address(fields).status != "error":
                return fields["address1"], fields["city"], state, fields["zip"]
    return fields["address1"], fields["city"], state, fields["zip"]


def _special(role: str, index: int) -> Person | None:
    if role == "vietnamese":
        return Person("Hương", "Nguyễn Thị", f"huong.nguyen{index}@example.vn", "25 Hàng Bông",
                      "Hà Nội", "", "100000", "VN", f"CUST-{index:04d}", family_first=True)  # fmt: skip
    if role == "japanese":
        return Person("さくら", "田中", f"sakura.tanaka{index}@example.jp", "1-2-3 Shibuya",
                      "Shibuya-ku", "Tokyo", "150-0002", "JP", f"CUST-{index:04d}", family_first=True)  # fmt: skip
    return None


def _items(
    rng: random.Random, count: int, products: tuple[tuple[str, str], ...]
) -> list[tuple[str, int, Decimal]]:
    chosen = rng.sample(products, count)
    return [(name, rng.choice((1, 1, 1, 2)), Decimal(price)) for name, price in chosen]


def make_orders(*, customers: int, locale: str, seed: int, day: date) -> list[DemoOrder]:
    """The demo's orders, earliest first: `customers` buy on `day`, some bought before too."""
    from faker import Faker

    try:
        fake = Faker(locale)
    except AttributeError:
        raise UsageError(
            f"unknown locale {locale!r}", hint="try en_US, de_DE, fr_FR, ja_JP"
        ) from None
    fake.seed_instance(seed)
    rng = random.Random(f"demo:{seed}")
    sells = demo_shop(locale)  # what the shop sells and its customers write, in their language
    country = locale.replace("-", "_").split("_")[-1].upper() if "_" in locale else "US"
    zone = ZoneInfo(_ZONES.get(country, "UTC"))
    orders: list[DemoOrder] = []
    earlier: list[DemoOrder] = []
    people: list[Person] = []
    minutes = sorted(rng.sample(range(9 * 60, 19 * 60), customers)) if customers <= 600 else [
        9 * 60 + i * 600 // customers for i in range(customers)
    ]  # fmt: skip
    for index in range(customers):
        role = ROLES[index] if index < len(ROLES) else ("returning" if rng.random() < 0.2 else "")
        person = _special(role, index) or _person(fake, rng, index, country)
        people.append(person)
        when = datetime.combine(day, time(minutes[index] // 60, minutes[index] % 60), zone)
        items = _items(rng, 3 if role == "big" or index % 4 == 3 else 1, sells.products)
        order = DemoOrder("", when, person, items)
        if role == "returning":
            for back in sorted(rng.sample(range(3, 40), rng.choice((1, 2))), reverse=True):
                then = datetime.combine(day - timedelta(days=back), time(11, 30), zone)
                earlier.append(DemoOrder("", then, person, _items(rng, 1, sells.products)))
        elif role == "complaint":
            order.note = sells.complaint
            order.tags = ["complaint"]
            order.refund = (order.total / 2).quantize(Decimal("0.01"))
        elif role == "referral":
            order.note = sells.referred_by.format(name=people[0].full)
            order.referred_by = people[0].full
            order.discount_code = "FRIEND10"
        elif role == "big":
            scarf, price = sells.products[5]
            order.items = [(n, 2, p) for n, _, p in order.items] + [(scarf, 1, Decimal(price))]
        elif role == "cancelled":
            order.cancelled = True
        elif role == "refunded":
            order.refunded = True
        elif role == "birthday":
            person.birthday = date(1988, *(day + timedelta(days=5)).timetuple()[1:3])
        orders.append(order)
    every = sorted(earlier, key=lambda o: o.when) + orders
    for number, order in enumerate(every, 1001):
        order.number = str(number)
    return every


def write_export(
    path: Path, orders: list[DemoOrder], preset: str, *, locale: str = "en_US"
) -> Path:
    """Write the orders as `preset`'s export (its real header row), UTF-8, in the currency of
    the demo shop for `locale`."""
    shop_format = find_shop_format(preset)
    if shop_format is None or shop_format.demo_rows is None:
        raise UsageError(
            f"unknown preset {preset!r}", hint=f"use one of: {', '.join(demo_presets())}"
        )
    rows = shop_format.demo_rows(orders, demo_shop(locale))
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def demo_presets() -> list[str]:
    """The shop formats the demo can write an export of."""
    return format_names(with_demo=True)


DEMO_MARK = ".notes-demo"  # in a folder the demo made: only there may it replace its files
_DEMO_FILES = ("cards.pdf", "envelopes.pdf",
               "manifest.csv", "codes.csv", "ledger.sqlite3", "ledger.sqlite3-wal",
               "ledger.sqlite3-shm", "preview-card.png", "preview-envelope.png", UNFINISHED,
               "review-data.json", "review-journal.jsonl")  # fmt: skip
DEMO_WAIT = 30.0  # seconds a demo waits for another demo in the same folder


def is_demo_folder(folder: Path) -> bool:
    try:
        return stat.S_ISREG((folder / DEMO_MARK).lstat().st_mode)
    except OSError:
        return False


def claim_demo_folder(folder: Path) -> None:
    """Make `folder` the demo's: a new or empty folder is created and marked; a folder the
    demo marked before is re-used; any other folder that holds files is refused, untouched."""
    if folder.exists() and not folder.is_dir():
        raise OutputError("the demo folder is a file", where=str(folder),
                          hint="choose another -o")  # fmt: skip
    if is_demo_folder(folder):
        return
    if folder.is_dir() and any(folder.iterdir()):
        raise OutputError(
            "this folder already holds files, and the demo writes only into a folder of its own",
            where=str(folder),
            hint="give the demo a new or empty folder, e.g. `notes demo -o notes-demo-2`; "
            "nothing in this folder was touched",
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / DEMO_MARK).open("x", encoding="utf-8") as mark:
            mark.write("Made by `notes demo`, which replaces its own files here when run again.\n")
    except FileExistsError:
        pass  # another demo marked it a moment ago
    except OSError as exc:
        raise OutputError(f"cannot create the demo folder: {exc.strerror}", where=str(folder),
                          hint="choose another -o") from None  # fmt: skip


def _remove_earlier_demo(folder: Path) -> None:
    """The files an earlier demo wrote, by their exact names; nothing else in the folder."""
    exports = [
        f"{preset}-{what}.csv" for preset in demo_presets() for what in ("orders", "customers")
    ]
    for name in (*exports, *_DEMO_FILES):
        path = folder / name
        if path.is_symlink() or path.is_file():
            path.unlink()


def run_demo(
    folder: Path | None = None,
    *,
    preset: str = "shopify",
    locale: str = "en_US",
    customers: int = 12,
    seed: int = 0,
    day: date | None = None,
    style: Style | None = None,
    shop: Shop | None = None,
    rules: DayRules | None = None,
) -> DemoReport:
    """Write a demo export into `folder` (default notes-demo) and the day's cards next to it."""
    if preset not in demo_presets():
        raise UsageError(
            f"unknown preset {preset!r}", hint=f"use one of: {', '.join(demo_presets())}"
        )
    day = day or date.today()
    folder = folder or default_folder(day).with_name("notes-demo")
    orders = make_orders(customers=customers, locale=locale, seed=seed, day=day)
    claim_demo_folder(folder)
    ledger_path = folder / "ledger.sqlite3"
    with ledger_lock(ledger_path, wait=DEMO_WAIT):
        _remove_earlier_demo(folder)
        export = write_export(folder / f"{preset}-orders.csv", orders, preset, locale=locale)
        sells = demo_shop(locale)  # the shop and its rules in the demo's language
        customers = write_customers_export(
            folder / f"{preset}-customers.csv", orders, preset, before=day
        )
        with Ledger(ledger_path) as ledger:
            # The shop's customers as of the day before: first orders are known as such.
            import_customers(ledger, read_customers(customers), as_of=day - timedelta(days=1))
            # A demo's made-up codes are no shop's: the same each run, and so are its cards.
            seed_ledger_secret(ledger, f"demo:{seed}")
            plan_style, plan_shop = style or Style(seed=seed), shop or sells.shop
            plan = plan_day(export, ledger=ledger, style=plan_style, shop=plan_shop,
                            rules=rules or sells.rules(), preset=preset, day=day)  # fmt: skip
            result = write_day(plan, folder, ledger=ledger)
            save_for_review(result, style=plan_style, shop=plan_shop, ledger=ledger_path,
                            sheet=None, qr=None)  # fmt: skip
        return DemoReport(export, ledger_path, result, _previews(result, folder))


def _previews(result: DayResult, folder: Path) -> list[Path]:
    from notes.preview import pdf_to_pngs

    previews: list[Path] = []
    if result.cards is not None:
        previews += pdf_to_pngs(result.cards, folder / "preview-card.png", first_only=True)
    if result.envelopes is not None:
        previews += pdf_to_pngs(result.envelopes, folder / "preview-envelope.png", first_only=True)
    return previews
