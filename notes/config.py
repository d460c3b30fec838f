"""Shop configuration: notes.toml in the current folder, or --config PATH.

Resolved once at the edge (the CLI) into a plain `Config`; the library takes the values it needs.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from notes.errors import ConfigError, NotesError
from notes.records import Record  # the tables' dataclass methods, written once (start-up time)

CONFIG_NAME = "notes.toml"


@dataclass(init=False, repr=False, eq=False)
class Shop(Record):
    """[shop]: who sends the cards, in which language and currency."""

    name: str = "Our Little Shop"
    sender: str = "The team"
    signature: str = "With thanks,"
    locale: str = "en_US"
    currency: str = "USD"
    return_address: list[str] = field(default_factory=list)
    country: str = ""  # where the shop posts from (code or name); "" = the locale's territory
    # The sign-off on cards in other languages than the shop's: { de = "Liebe Grüße" }.
    signatures: dict[str, str] = field(default_factory=dict)
    # A customer whose given name is unknown: "hello-there" (English cards) or "full-name".
    no_given_name: str = "hello-there"


@dataclass(init=False, repr=False, eq=False)
class Style(Record):
    """[style]: how the cards look."""

    font: str = "caveat"
    ink: str = "blue-black"
    card: str = "a6"
    orientation: str = "portrait"
    messiness: float = 0.5
    realism: str = "natural"
    signature_image: str = ""
    x_height: float = 2.7  # mm: the hand's size, the same on every card
    envelope_font: str = ""  # "" = a legible hand (fonts/catalog.toml `legible`)


@dataclass(init=False, repr=False, eq=False)
class DayRules(Record):
    """Rules `notes day` uses to choose the occasion for each customer.

    `*_words` are matched against structured facts (tags; discount codes for referrals; the
    e-mail for tests); `*_phrases` against an order's free-text note, and are empty unless the
    shop opts in: free text alone never changes a card by default."""

    surprise_threshold: float = 100.0
    discount_codes: list[str] = field(default_factory=list)
    discount_percent: int = 15
    birthday_window_days: int = 14
    referral_words: list[str] = field(default_factory=lambda: ["referral", "referred", "friend"])
    apology_words: list[str] = field(
        default_factory=lambda: ["refund", "complaint", "damaged", "late", "broken", "apology"]
    )
    test_words: list[str] = field(default_factory=lambda: ["test"])
    referral_phrases: list[str] = field(default_factory=list)
    apology_phrases: list[str] = field(default_factory=list)
    test_phrases: list[str] = field(default_factory=list)


@dataclass(init=False, repr=False, eq=False)
class Codes(Record):
    """Discount codes for surprise cards."""

    file: str = ""  # real codes created in the shop, one a line; "" = generate them
    prefix: str = ""  # generated codes: THANKS-7K2Q ("" = the shop language's: DANKE-7K2Q...)
    valid_days: int = 90  # generated codes: the expiry written in codes.csv


@dataclass(init=False, repr=False, eq=False)
class Templates(Record):
    """Your own wording for `notes day`: a folder of <occasion>.j2 files, and/or one file per
    occasion (keys written thank-you or thank_you). "" = the built-in template."""

    dir: str = ""
    thank_you: str = ""
    welcome: str = ""
    loyal: str = ""
    birthday: str = ""
    apology: str = ""
    referral: str = ""
    surprise: str = ""

    def files(self) -> dict[str, str]:
        """occasion -> file, for the occasions given a file of their own."""
        names = [n for n in self.__dataclass_fields__ if n != "dir"]
        return {n.replace("_", "-"): getattr(self, n) for n in names if getattr(self, n)}


@dataclass(init=False, repr=False, eq=False)
class Privacy(Record):
    """[privacy]: who is never written to."""

    do_not_contact: str = ""  # a file of e-mails (one a line) never to write to


MISSING_CHOICES = ("mark", "hold")


@dataclass(init=False, repr=False, eq=False)
class Envelopes(Record):
    """What happens to a customer whose address cannot be used (missing, or fails its check)."""

    missing: str = "mark"  # mark: the envelope says so for the packer; hold: leave the card out


@dataclass(init=False, repr=False, eq=False)
class Plotter(Record):
    """Pen-plotter output (notes.plotdevices reads it): font, device profile, speeds, placement."""

    font: str = "ems-allure"
    format: str = "svg"
    device: str = "grbl-servo"
    pen_up: str = ""
    pen_down: str = ""
    draw_speed: float = 25.0
    travel_speed: float = 75.0
    pen_lift_time: float = 0.15
    pen_width: float = 0.4
    origin: str = "bottom-left"
    offset_x: float = 0.0
    offset_y: float = 0.0
    paper: str = "card"
    hpgl_device: str = "hp7475a"


@dataclass(init=False, repr=False, eq=False)
class Qr(Record):
    """A QR code on each card of `notes day`: a link per customer (notes.qr)."""

    url: str = ""  # e.g. "https://shop.example/review?order={order_number}"; "" = no code
    corner: str = "bottom-left"
    size_mm: float = 16.0


@dataclass(init=False, repr=False, eq=False)
class PrinterSettings(Record):
    """[printers.NAME]: where that printer puts things, measured with `notes print --calibrate`."""

    offset_x_mm: float = 0.0
    offset_y_mm: float = 0.0


@dataclass(init=False, repr=False, eq=False)
class Config(Record):
    """notes.toml, every table of it (defaults for those it leaves out)."""

    shop: Shop = field(default_factory=Shop)
    style: Style = field(default_factory=Style)
    day: DayRules = field(default_factory=DayRules)
    envelopes: Envelopes = field(default_factory=Envelopes)
    plotter: Plotter = field(default_factory=Plotter)
    qr: Qr = field(default_factory=Qr)
    printers: dict[str, PrinterSettings] = field(default_factory=dict)
    codes: Codes = field(default_factory=Codes)
    privacy: Privacy = field(default_factory=Privacy)
    templates: Templates = field(default_factory=Templates)
    path: Path | None = None

    def file(self, value: str) -> Path:
        """A file named in notes.toml: relative names are beside notes.toml."""
        path = Path(value).expanduser()
        if path.is_absolute() or self.path is None:
            return path
        return self.path.parent / path

    def where(self, section: str, key: str) -> str:
        """'notes.toml line 12' for messages about a setting."""
        if self.path is None:
            return f"[{section}] {key}"
        try:
            line = _line_of(self.path.read_text(encoding="utf-8-sig"), key, section)
        except (OSError, UnicodeDecodeError):
            line = None
        return (
            f"{self.path} line {line} ([{section}] {key})" if line else f"{self.path} [{section}]"
        )


_SECTIONS = {
    "shop": Shop, "style": Style, "day": DayRules, "envelopes": Envelopes, "codes": Codes,
    "privacy": Privacy, "templates": Templates, "plotter": Plotter, "qr": Qr,
}  # fmt: skip


def _line_of(text: str, key: str, section: str | None = None) -> int | None:
    """Line number of `key = ...`, looked for after the [section] header when one is given."""
    start = 0
    if section is not None:
        header = re.search(rf"^[ \t]*\[{re.escape(section)}\][ \t]*(#.*)?$", text, re.M)
        start = header.end() if header else 0
    match = re.compile(rf"^[ \t]*{re.escape(key)}[ \t]*=", re.M).search(text, start)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _check_type(value: Any, default: Any) -> bool:
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, int | float) and not isinstance(value, bool)
    if isinstance(default, int):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(default, list):
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if isinstance(default, dict):
        return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
    return isinstance(value, type(default))


def _type_name(default: Any) -> str:
    if isinstance(default, list):
        return "a list of strings"
    if isinstance(default, dict):
        return 'a table of texts, like { de = "Liebe Grüße" }'
    return {str: "a string", float: "a number", int: "a whole number", bool: "true or false"}[
        type(default)
    ]


def load_config(path: str | Path | None = None, *, cwd: Path | None = None) -> Config:
    """Load notes.toml from `path`, or from the current folder if present; else defaults."""
    if path is None:
        candidate = (cwd or Path.cwd()) / CONFIG_NAME
        if not candidate.is_file():
            return Config()
        path = candidate
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(
            "config file not found", where=str(path), hint="run `notes init` to write one"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config: {exc}", where=str(path)) from None
    import tomllib  # only for a notes.toml: `notes write` without one loads no TOML parser

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"not valid TOML: {exc}", where=str(path), hint="compare with `notes init --stdout`"
        ) from None
    config = Config(path=path)
    for section, values in data.items():
        if section == "printers" and isinstance(values, dict):
            config.printers = _printer_settings(values, path, text)
            continue
        if section not in _SECTIONS:
            found = re.search(rf"^[ \t]*\[{re.escape(section)}\]", text, re.M)
            line = text.count("\n", 0, found.start()) + 1 if found else None
            raise ConfigError(
                f"unknown section [{section}]",
                where=f"{path}" + (f" line {line}" if line else ""),
                hint=f"known sections: {', '.join('[' + s + ']' for s in _SECTIONS)}, "
                "[printers.NAME]",
            )
        if not isinstance(values, dict):
            raise ConfigError(
                f"{section!r} must be a section like [{section}]",
                where=f"{path} line {_line_of(text, section)}",
            )
        target = getattr(config, section)
        for written, value in values.items():
            line = _line_of(text, written, section)
            where = f"{path} line {line}" if line else str(path)
            key = written.replace("-", "_") if section == "templates" else written
            if not hasattr(target, key):
                known = ", ".join(target.__dataclass_fields__)
                raise ConfigError(
                    f"unknown key {key!r} in [{section}]", where=where, hint=f"known keys: {known}"
                )
            default = getattr(target, key)
            if not _check_type(value, default):
                raise ConfigError(
                    f"[{section}] {key} must be {_type_name(default)}, not {value!r}", where=where
                )
            setattr(target, key, float(value) if isinstance(default, float) else value)
    _check_ranges(config, path, text)
    if config.shop.no_given_name not in ("hello-there", "full-name"):
        raise ConfigError(
            f'[shop] no_given_name must be "hello-there" or "full-name", not '
            f"{config.shop.no_given_name!r}",
            where=f"{path} line {_line_of(text, 'no_given_name', 'shop')}",
            hint='"hello-there" writes "Hello there,"; "full-name" greets "Dear Mr Smith,"',
        )
    if config.envelopes.missing not in MISSING_CHOICES:
        raise ConfigError(
            f'[envelopes] missing must be "mark" or "hold", not {config.envelopes.missing!r}',
            where=f"{path} line {_line_of(text, 'missing', 'envelopes')}",
            hint='"mark" prints the envelope with a note for the packer; "hold" leaves the card out',
        )
    return config


_STYLE_CHECKED = ("card", "orientation", "ink", "font", "envelope_font", "realism")


def check_style_settings(config: Config, overridden: Iterable[str] = ()) -> None:
    """Check [style]'s card, ink, fonts... once, before any row (an unknown envelope font would
    fail every row), naming the line of notes.toml. `overridden`: keys the command line set."""
    defaults = Style()
    for key in _STYLE_CHECKED:
        value = getattr(config.style, key)
        if key in overridden or not value or value == getattr(defaults, key):
            continue
        try:
            _STYLE_CHECKS[key](value)
        except NotesError as exc:
            raise ConfigError(
                exc.message, where=config.where("style", key), hint=exc.hint
            ) from None


def _check_card(value: str) -> None:
    from notes.cards import parse_card

    parse_card(value)


def _check_orientation(value: str) -> None:
    from notes.cards import parse_card

    parse_card(Style().card, orientation=value)


def _check_ink(value: str) -> None:
    from notes.handwriting import parse_ink

    parse_ink(value)


def _check_font(value: str) -> None:
    from notes.fonts import resolve_font_spec

    resolve_font_spec(value)


def _check_realism(value: str) -> None:
    from notes.handwriting import REALISM

    if value not in REALISM:
        raise ConfigError(f"unknown realism {value!r}", hint="use plain, natural or rough")


_STYLE_CHECKS: dict[str, Callable[[str], None]] = {
    "card": _check_card, "orientation": _check_orientation, "ink": _check_ink,
    "font": _check_font, "envelope_font": _check_font, "realism": _check_realism,
}  # fmt: skip


# Numbers that must be in a range: (section, key) -> (lowest, highest or None).
_RANGES: dict[tuple[str, str], tuple[float, float | None]] = {
    ("style", "messiness"): (0, 1),
    ("style", "x_height"): (1.5, 6),
    ("day", "surprise_threshold"): (0, None),
    ("day", "discount_percent"): (0, 100),
    ("day", "birthday_window_days"): (0, None),
    ("codes", "valid_days"): (1, None),
}


def _check_ranges(config: Config, path: Path, text: str) -> None:
    """TOML allows nan, inf and negative numbers; none of them is a threshold or a percentage."""
    for (section, key), (lowest, highest) in _RANGES.items():
        value = getattr(getattr(config, section), key)
        if math.isfinite(value) and lowest <= value and (highest is None or value <= highest):
            continue
        line = _line_of(text, key, section)
        wanted = (
            f"between {lowest:g} and {highest:g}" if highest is not None else f"{lowest:g} or more"
        )
        default = getattr(_SECTIONS[section](), key)
        raise ConfigError(
            f"[{section}] {key} must be a number {wanted}, not {value}",
            where=f"{path} line {line}" if line else str(path),
            hint=f"write e.g. {key} = {default}",
        )


def _printer_settings(values: dict, path: Path, text: str) -> dict[str, PrinterSettings]:
    """[printers.NAME] tables: each printer's offset, in millimetres."""
    printers: dict[str, PrinterSettings] = {}
    for name, table in values.items():
        section = f"printers.{name}"
        if not isinstance(table, dict):
            raise ConfigError(
                f"[printers] {name} must be a table like [printers.{name}]",
                where=f"{path} line {_line_of(text, name)}",
            )
        printers[name] = settings = PrinterSettings()
        for key, value in table.items():
            line = _line_of(text, key, section)
            where = f"{path} line {line}" if line else str(path)
            if not hasattr(settings, key):
                raise ConfigError(
                    f"unknown key {key!r} in [{section}]", where=where,
                    hint="known keys: offset_x_mm, offset_y_mm",
                )  # fmt: skip
            if not _check_type(value, 0.0) or not math.isfinite(value):
                raise ConfigError(
                    f"[{section}] {key} must be a number of millimetres, not {value!r}",
                    where=where, hint="`notes print --calibrate` writes it for you",
                )  # fmt: skip
            setattr(settings, key, float(value))
    return printers


SAMPLE_CONFIG = """\
# notes.toml: your shop's settings for `notes`. Every key is optional.

[shop]
name = "Juniper & Clay"          # used in templates as {{ shop.name }}
sender = "Maya"                  # who signs the cards
signature = "Warmly,"            # the sign-off line written before the sender's name
locale = "en_US"                 # the cards' language, money and dates, e.g. de_DE, fr_FR, pt_PT
currency = "USD"                 # ISO code for {{ amount|money }}
return_address = ["Juniper & Clay", "12 Market Street", "Portland, OR 97201", "USA"]
# country = "US"                 # where you post from; addresses there get no country line
                                 # (default: the territory of locale, here US)
# no_given_name = "hello-there"  # no first name known: "Hello there," or "full-name" ("Dear Mr Smith,")
# A customer's `language` column writes their card in their language; its sign-off:
# signatures = { de = "Herzliche Grüße", fr = "Bien chaleureusement," }

[style]
font = "caveat"                  # `notes fonts` lists them; or a path to your own .ttf/.otf
ink = "blue-black"               # blue-black, blue, black, or a hex colour like "#1a2b6d"
card = "a6"                      # a6, a7, a5, 4x6in, 5x7in, 3.5x5in, a2-folded, or 120x170mm
orientation = "portrait"         # or "landscape"
messiness = 0.5                  # 0 = plain font, 1 = a hurried hand
realism = "natural"              # plain (font text, fastest), natural, rough: letter shapes vary
x_height = 2.7                   # mm, the height of a letter x: the hand's size on every card
                                 # (a note too long for the card is written smaller)
# signature_image = "signature.png"  # your scanned signature (PNG with transparency)

[day]
# How `notes day` picks the card for each customer, from facts: tags, refunds, the discount
# code used, note attributes (referred_by), birthdays, totals and order counts.
surprise_threshold = 100.0       # orders above this total get a `surprise` card with a code
discount_percent = 15            # what a surprise code is worth
discount_codes = []              # real codes to hand out (or list them in [codes] file)
birthday_window_days = 14        # birthday within this many days -> `birthday`
referral_words = ["referral", "referred", "friend"]  # in a tag or the discount code used
apology_words = ["refund", "complaint", "damaged", "late", "broken", "apology"]  # in a tag
test_words = ["test"]            # in a tag or the e-mail: a test order, skipped
# An order's free-text note changes nothing unless you opt in here: notes like "This is a gift
# for a friend" or "Sorry for the late reply" are not referrals or complaints. Phrases to opt in:
# referral_phrases = ["referred by", "recommended by"]
# apology_phrases = ["arrived broken", "never arrived", "wrong size"]
# test_phrases = ["test order"]

[codes]
# Discount codes on `surprise` cards. With a file of real codes created in your shop (one a
# line, or your shop's discount export), each is used once and recorded in the ledger; when
# they run out, no surprise card is written and --explain says why. Without one, notes makes
# codes and lists them in codes.csv in the day's folder: create them in your shop before posting.
# file = "codes.txt"
# prefix = "THANKS"              # generated codes look like THANKS-7K2Q (default: in the
                                 # shop's language, DANKE-7K2Q for de_DE)
valid_days = 90                  # the expiry codes.csv gives generated codes

[templates]
# Your own wording for `notes day`: `notes init --templates my-cards` copies the built-in
# templates there to edit. Occasions without a file of their own keep the built-in card.
# dir = "my-cards"               # thank-you.j2, welcome.j2, loyal.j2, birthday.j2, apology.j2...
# apology = "my-cards/sorry.j2"  # or one file for one occasion

[privacy]
# do_not_contact = "do-not-contact.txt"  # e-mails (one a line) that `day` and `merge` never write to

[envelopes]
# Every address is checked before its envelope is printed (the postcode's pattern, the fields
# its country's post needs). For an address that fails:
#   "mark" prints its envelope with a small note for the packer saying what is wrong;
#   "hold" leaves that customer's card out, with the reason, to send once it is fixed.
missing = "mark"                 # or "hold"

[plotter]
# Pen plotters: `notes write -o card.svg` (.hpgl, .gcode), `--plot DIR`, `notes plot DIR`.
font = "ems-allure"              # a single-stroke font: ems-allure, ems-tech, ems-felix, ems-readability-italic
format = "svg"                   # what --plot DIR writes: svg (AxiDraw), hpgl or gcode
device = "grbl-servo"            # G-code profile: grbl-servo (M3/M5 servo pen) or grbl-z (pen on Z)
# pen_up = "M5"                  # your machine's own pen-up / pen-down G-code (default: the profile's)
# pen_down = "M3 S1000"
draw_speed = 25.0                # mm/s with the pen down (G-code feed, and the time estimate)
travel_speed = 75.0              # mm/s with the pen up
pen_lift_time = 0.15             # seconds to lift or lower the pen
pen_width = 0.4                  # mm: the line width of SVG files and previews
origin = "bottom-left"           # G-code: where the machine's 0,0 is (bottom-left or top-left)
offset_x = 0.0                   # mm from the origin (G-code, HPGL) or the paper's top-left (SVG)
offset_y = 0.0                   #   to the card's corner
paper = "card"                   # SVG page: card (the card's size) or a4, a3, letter with the card on it
hpgl_device = "hp7475a"          # HPGL plotter as vpype knows it (HPGL always goes on its paper: a4)

[qr]
# A small QR code in a corner of each card of `notes day`, linking to a page for that customer.
# Placeholders (order_number, email, name, first_name, last_name, discount_code, occasion) are
# filled in URL-quoted; nothing else in the text is read. Leave url empty for no code.
url = ""                         # e.g. "https://shop.example/review?order={order_number}"
corner = "bottom-left"           # bottom-left, bottom-right, top-left, top-right
size_mm = 16.0

# `notes print --calibrate --printer NAME` stores each printer's offset here, e.g.
# [printers.Office]
# offset_x_mm = 1.5
# offset_y_mm = -0.5
"""
