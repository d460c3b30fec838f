"""Moved: the shop export readers live in `notes.shops` (one module per format, and a registry).

These names are re-exported for code written before the move; new code imports from
`notes.shops` and its modules.
"""

from __future__ import annotations

from notes.shops.common import Columns, readable_records
from notes.shops.generic import read_generic
from notes.shops.shopify import read_shopify
from notes.shops.square import read_square
from notes.shops.woocommerce import read_woocommerce

READERS = {
    "shopify": read_shopify,
    "square": read_square,
    "woocommerce": read_woocommerce,
    "generic": read_generic,
}

__all__ = [
    "Columns",
    "readable_records",
    "READERS",
    "read_generic",
    "read_shopify",
    "read_square",
    "read_woocommerce",
]
