"""The shop-format registry: every shop export notes can read, listed in one place.

A `ShopFormat` names a shop system's export, the header columns that give it away, the reader
that turns its rows into `Order`s and, for `notes demo`, a writer of sample rows. The built-in
formats are listed here (BUILT_IN_MARKERS), their modules imported when a format is first
listed, read or registered. Another package adds one by naming its `ShopFormat` in
the `notes.shops` entry point group; a program using notes as a library may also call
`register_shop_format`. Formats are tried in order: built-in first, then registered, then
plugins; an export that none claims is read as `generic`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from notes.errors import ConfigError, DataError
from notes.records import FrozenRecord, Record

if TYPE_CHECKING:
    from notes.demo import DemoOrder
    from notes.demoshop import DemoShop
    from notes.models import Order, Problem
    from notes.sources import Table

ENTRY_POINT_GROUP = "notes.shops"
FALLBACK = "generic"  # the format of an export no other format claims

# The built-in formats (notes.shops.<name>), in the order they are tried, and the header columns
# that give each away (its FORMAT takes them from here): whether a file is a shop's export, which
# every merge asks, is answered without importing the readers and the records they make (~9 ms).
BUILT_IN_MARKERS: dict[str, tuple[str, ...]] = {
    "shopify": ("Name", "Financial Status", "Created at", "Lineitem name", "Lineitem quantity"),
    "square": ("Transaction ID", "Time Zone", "Item", "Qty", "Net Sales"),
    "woocommerce": ("order_id", "order_date", "status", "billing_first_name", "billing_email"),
    FALLBACK: (),  # never detected: the format of an export no other format claims
}

Reader = Callable[["Table"], tuple[list["Order"], list["Problem"]]]
DemoRowsWriter = Callable[[list["DemoOrder"], "DemoShop"], list[list[str]]]


@dataclass(init=False, repr=False, eq=False)
class ShopFormat(FrozenRecord):
    name: str  # what --preset takes
    # Header columns that give the export away: all of them present (all but one, when there
    # are three or more, as a column may be renamed). Empty: never detected from the header.
    markers: tuple[str, ...]
    read: Reader  # Table -> (orders, problems); a bad row is a Problem, never an exception
    demo_rows: DemoRowsWriter | None = None  # (demo orders, demo shop) -> rows, header first
    description: str = ""  # where the export comes from, for --help


@dataclass(init=False, repr=False, eq=False)
class ReadResult(Record):
    preset: str
    orders: list[Order]
    problems: list[Problem]
    source: str = ""


_REGISTERED: dict[str, ShopFormat] = {}


def register_shop_format(shop_format: ShopFormat) -> ShopFormat:
    """Make `shop_format` readable (and detectable) for the rest of this process."""
    _load_built_ins()  # first: they are tried before any other
    return _register(shop_format)


def _load_built_ins() -> None:
    """Register the built-in formats, once."""
    if not _REGISTERED:
        for name in BUILT_IN_MARKERS:
            _register(import_module(f"notes.shops.{name}").FORMAT)


def _register(shop_format: ShopFormat) -> ShopFormat:
    if not isinstance(shop_format, ShopFormat):
        raise ConfigError(
            f"{shop_format!r} is not a ShopFormat",
            hint="register notes.shops.ShopFormat(name, markers, read, demo_rows, description)",
        )
    known = _REGISTERED.get(shop_format.name)
    if known is not None and known is not shop_format:
        raise ConfigError(
            f"a shop format named {shop_format.name!r} is already registered",
            hint="give the new format another name",
        )
    _REGISTERED[shop_format.name] = shop_format
    return shop_format


def shop_formats() -> list[ShopFormat]:
    """Every format, in the order they are tried: built-in, registered, then plugins."""
    _load_built_ins()
    return [*_REGISTERED.values(), *_plugins_besides(_REGISTERED)]


def _plugins_besides(taken: Mapping[str, object]) -> list[ShopFormat]:
    """The plugins' formats that `taken` (name -> format) does not hold already; one that has
    the name of another format is an error."""
    found: dict[str, ShopFormat] = {}
    for plugin, package in _plugins(tuple(sys.path)):
        known = taken.get(plugin.name, found.get(plugin.name))
        if known is None:
            found[plugin.name] = plugin
        elif known is not plugin:
            raise ConfigError(
                f"the shop format {plugin.name!r} of {package} has the name of another format",
                hint=f"uninstall {package}, or ask its authors to rename the format",
            )
    return list(found.values())


@lru_cache(maxsize=8)
def _plugins(search_path: tuple[str, ...]) -> tuple[tuple[ShopFormat, str], ...]:
    """(format, package) for each `notes.shops` entry point. `search_path` (sys.path, where
    entry points are found) is the cache's key: a changed path may hold other plugins."""
    if not _declared_anywhere(search_path):
        return ()
    from importlib.metadata import entry_points  # slow to import: only when formats are needed

    found = []
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        package = entry.dist.name if entry.dist else entry.value
        try:
            plugin = entry.load()
        except Exception as exc:  # the plugin's own failure, whatever it is, is not a traceback
            raise ConfigError(
                f"the shop format {entry.name!r} of {package} cannot be loaded: {exc}",
                hint=f"reinstall {package}, or uninstall it",
            ) from None
        if not isinstance(plugin, ShopFormat):
            raise ConfigError(
                f"the {ENTRY_POINT_GROUP} entry point {entry.name!r} of {package} is not a "
                "ShopFormat",
                hint=f"point it at a notes.shops.ShopFormat, or uninstall {package}",
            )
        found.append((plugin, package))
    return tuple(found)


def _declared_anywhere(search_path: tuple[str, ...]) -> bool:
    """Might any distribution on the path declare a `notes.shops` entry point? Looked for as
    importlib.metadata finds them (each path folder's *.dist-info and *.egg-info), reading only
    their entry_points.txt: importing importlib.metadata and parsing every installed package's
    entry points cost each merge ~20 ms, mostly to find none. True when unsure (a path entry
    that is a zip file, a finder that adds distributions of its own): then they are read."""
    if any(_finds_distributions(finder) for finder in sys.meta_path):
        return True
    for entry in search_path:
        root = os.fspath(entry) if isinstance(entry, str | os.PathLike) else entry
        if not isinstance(root, str):
            return True  # bytes, or no path at all: as importlib.metadata makes of it
        try:
            children = os.listdir(root or ".")
        except NotADirectoryError:
            return True  # a zip file or an egg: read by importlib.metadata
        except OSError:
            continue  # not there: nothing in it
        egg = root.lower().endswith(".egg")
        for child in children:
            low = child.lower()
            if low.endswith((".dist-info", ".egg-info")) or egg and low == "egg-info":
                if _mentions_group(os.path.join(root or ".", child, "entry_points.txt")):
                    return True
    return False


def _finds_distributions(finder: object) -> bool:
    """A meta path finder other than Python's own that can list distributions."""
    from importlib.machinery import PathFinder

    return finder is not PathFinder and hasattr(finder, "find_distributions")


def _mentions_group(entry_points: str) -> bool:
    try:
        with open(entry_points, "rb") as handle:  # a str path: ~80 are tried, most not there
            return ENTRY_POINT_GROUP.encode() in handle.read()
    except OSError:
        return False  # no entry points (or not a folder): importlib.metadata finds none either


def format_names(*, with_demo: bool = False) -> list[str]:
    """The names --preset takes (those that can write demo rows, with `with_demo`)."""
    return [f.name for f in shop_formats() if f.demo_rows is not None or not with_demo]


def find_shop_format(name: str) -> ShopFormat | None:
    return next((f for f in shop_formats() if f.name == name), None)


def _fits(markers: tuple[str, ...], present: set[str]) -> bool:
    found = sum(m.casefold() in present for m in markers)
    return found == len(markers) or (len(markers) >= 3 and found == len(markers) - 1)


def detect_preset(columns: list[str]) -> str:
    """Name the shop system that wrote this header row, or `generic` when none claims it."""
    present = {c.strip().casefold() for c in columns}
    for name, markers in _markers():
        if markers and _fits(markers, present):
            return name
    return FALLBACK


def _markers() -> list[tuple[str, tuple[str, ...]]]:
    """Each format's name and markers, in the order they are tried; the built-in readers are
    not imported for it when no format was listed or registered yet."""
    if _REGISTERED:
        return [(f.name, f.markers) for f in shop_formats()]
    plugins = [(f.name, f.markers) for f in _plugins_besides(BUILT_IN_MARKERS)]
    return [*BUILT_IN_MARKERS.items(), *plugins]


def read_orders(
    path: str | Path, *, preset: str = "auto", stdin: BinaryIO | None = None
) -> ReadResult:
    """Read a shop export into orders. `preset` is auto (from the header row) or a format name."""
    from notes.shops.common import Columns
    from notes.sources import read_table

    shop_format = None if preset == "auto" else find_shop_format(preset)
    if shop_format is None and preset != "auto":
        raise DataError(
            f"unknown preset {preset!r}", hint=f"use one of: auto, {', '.join(format_names())}"
        )
    table = read_table(path, stdin=stdin)
    detected = detect_preset(table.columns)
    shop_format = shop_format or find_shop_format(detected)
    if shop_format.markers and detected != shop_format.name:
        missing = [m for m in shop_format.markers if not Columns(table.columns).has(m)]
        raise DataError(
            f"this is not a {shop_format.name} export: no column {', '.join(map(repr, missing))}",
            where=table.source,
            hint=f"use --preset auto (it looks like {detected}), or export again",
        )
    orders, problems = shop_format.read(table)
    return ReadResult(shop_format.name, orders, problems, table.source)
