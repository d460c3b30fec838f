"""Shop exports -> `Order`s: one module per shop system's export, and the registry that lists them.

To add a format, write a module here with a reader and a demo rows writer, its `FORMAT`, and add
its name and header markers to `registry.BUILT_IN_MARKERS` (the modules are imported when a
format is first listed, read or registered); a package outside notes uses the `notes.shops`
entry point group.
"""

from __future__ import annotations

from notes.shops.registry import (
    ENTRY_POINT_GROUP,
    ReadResult,
    ShopFormat,
    detect_preset,
    find_shop_format,
    format_names,
    read_orders,
    register_shop_format,
    shop_formats,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "ReadResult",
    "ShopFormat",
    "detect_preset",
    "find_shop_format",
    "format_names",
    "read_orders",
    "register_shop_format",
    "shop_formats",
]
