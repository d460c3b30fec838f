"""Discount codes for `surprise` cards: real codes from the shop, or generated ones it is told of.

Codes given by the user (`[codes] file`, `[day] discount_codes`) exist in the shop: each is handed
out once, and when they run out no surprise card is written. Without them, codes are generated;
every generated code on a day's cards is listed in that day's codes.csv (and the run's summary),
so the owner can create them in the shop before the cards are posted.
"""

from __future__ import annotations

import csv
import io
import random
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from notes.errors import ConfigError
from notes.files import read_listed_file
from notes.manifest import spreadsheet_cell

# No 0/O, 1/I/L: codes are copied by hand from a card.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_CODE_COLUMNS = ("code", "discount code", "coupon code", "coupon", "name", "title")
CODES_COLUMNS = ("code", "customer", "email", "value", "expiry")


def code_generator(seed: int | str, prefix: str = "THANKS") -> Callable[[], str]:
    """Deterministic discount codes like THANKS-7K2Q: the same seed gives the same sequence.
    Give it a secret in the seed (`ledger_secret`): a card's code must not tell another's."""
    rng = random.Random(f"{prefix}:{seed}")
    return lambda: f"{prefix}-" + "".join(rng.choice(CODE_ALPHABET) for _ in range(4))


@dataclass
class CodeBook:
    """Where surprise codes come from. `given` are real codes in the order to hand them out;
    without any, `generate` makes new ones."""

    given: list[str]
    source: str  # where the given codes are listed, for reasons and hints
    used: set[str] = field(default_factory=set)
    generate: Callable[[], str] | None = None

    @property
    def generated(self) -> bool:
        return not self.given

    def take(self) -> str | None:
        """The next code not handed out before, or None when the given codes are all used."""
        if self.given:
            for code in self.given:
                if code not in self.used:
                    self.used.add(code)
                    return code
            return None
        assert self.generate is not None, "a CodeBook without codes needs a generator"
        for _ in range(1000):
            code = self.generate()
            if code not in self.used:
                self.used.add(code)
                return code
        raise ConfigError(
            "cannot make a discount code that was not handed out before",
            where="notes.toml [codes] prefix",
            hint="use another prefix, or list real codes in a file named by [codes] file",
        )

    def out_of_codes(self) -> str:
        return f"every discount code in {self.source} is used ({len(self.given)} codes)"


def code_book(
    given: Iterable[str],
    *,
    source: str,
    used: set[str],
    seed: int | str,
    prefix: str,
    secret: Callable[[], str] = lambda: secrets.token_hex(16),
) -> CodeBook:
    """Given codes, or generated ones drawn from `secret()` (asked only then) and the seed."""
    codes = list(dict.fromkeys(c for c in given if c))
    if codes:
        return CodeBook(codes, source, set(used))
    return CodeBook(codes, source, set(used), code_generator(f"{secret()}:{seed}", prefix))


def ledger_secret(ledger) -> str:  # noqa: ANN001 - notes.ledger.Ledger (imported late)
    """The ledger's own secret for generated codes, made with the ledger (or here, for one made
    before): the same ledger and --seed give the same codes (and PDF bytes), two shops' ledgers
    never the same codes."""
    query = "SELECT value FROM secrets WHERE name = 'discount_codes'"
    rows = ledger.read(query)
    if rows:
        return rows[0][0]
    with ledger.transaction() as db:
        db.execute(
            "INSERT OR IGNORE INTO secrets (name, value) VALUES ('discount_codes', ?)",
            (secrets.token_hex(16),),
        )
        return db.execute(query).fetchone()[0]


def seed_ledger_secret(ledger, secret: str) -> None:  # noqa: ANN001 - notes.ledger.Ledger
    """Give a new ledger a known secret (the demo's: its cards are the same each run)."""
    with ledger.transaction() as db:
        db.execute(
            "INSERT OR REPLACE INTO secrets (name, value) VALUES ('discount_codes', ?)", (secret,)
        )


def read_codes_file(path: Path, *, where: str) -> list[str]:
    """Codes from a text file (one a line; blank lines and # comments left out) or a CSV export
    with a code column (code, discount code, coupon code, name or title)."""
    text = read_listed_file(
        path,
        what="discount codes",
        where=where,
        hint="create the codes in your shop, export or list them one a line in this file",
    )
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]
    if lines and any(sep in lines[0] for sep in ",;\t"):
        codes = _codes_from_csv(text, path)
    else:
        codes = lines
    if not codes:
        raise ConfigError(
            "the discount codes file holds no code",
            where=str(path),
            hint="list one code a line (or export the discount codes from your shop)",
        )
    return codes


def _codes_from_csv(text: str, path: Path) -> list[str]:
    dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    rows = list(csv.reader(io.StringIO(text), dialect))
    header = [h.strip().casefold() for h in rows[0]]
    column = next((header.index(c) for c in _CODE_COLUMNS if c in header), None)
    if column is None:
        raise ConfigError(
            f"the discount codes file has no code column (columns: {', '.join(rows[0])})",
            where=str(path),
            hint="name the column 'code', or list one code a line",
        )
    return [row[column].strip() for row in rows[1:] if len(row) > column and row[column].strip()]


@dataclass(frozen=True)
class IssuedCode:
    code: str
    customer: str
    email: str
    percent: int
    day: date

    def expiry(self, valid_days: int) -> date:
        return self.day + timedelta(days=valid_days)


def codes_csv(issued: Iterable[IssuedCode], *, valid_days: int) -> str:
    """codes.csv: the codes to create in the shop, whom each was written to, its value and
    expiry. Cells are safe to open in a spreadsheet."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CODES_COLUMNS)
    for c in issued:
        row = (c.code, c.customer, c.email, f"{c.percent}%", c.expiry(valid_days).isoformat())
        writer.writerow([spreadsheet_cell(v) for v in row])
    return buffer.getvalue()


def codes_from_config(config, *, ledger, seed: int | str) -> CodeBook:  # noqa: ANN001
    """The run's code book from notes.toml (`config`: notes.config.Config): the codes of
    [codes] file and [day] discount_codes, or generated ones from the ledger's secret when
    neither lists any."""
    used = ledger.used_codes()
    given = list(config.day.discount_codes)
    source = "notes.toml [day] discount_codes"
    if config.codes.file:
        path = config.file(config.codes.file)
        given += read_codes_file(path, where=config.where("codes", "file"))
        source = path.name if not config.day.discount_codes else f"{path.name} and {source}"
    from notes.languages import discount_prefix

    prefix = config.codes.prefix or discount_prefix(config.shop.locale)
    return code_book(given, source=source, used=used, seed=seed, prefix=prefix,
                     secret=lambda: ledger_secret(ledger))  # fmt: skip
