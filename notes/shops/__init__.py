"""Shop exports -> `Order`s: one module per shop system's export, and the registry that lists them.

To add a format, write a module here with a reader, its header markers and a demo rows writer,
and add its `FORMAT` below; a package outside notes uses the `notes.shops` entry point group.
"""

from __future__ import annotations

from notes.shops import generic, shopify, square, woocommerce
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

for _built_in in (shopify.FORMAT, square.FORMAT, woocommerce.FORMAT, generic.FORMAT):
    register_shop_format(_built_in)

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
