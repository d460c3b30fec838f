"""A QR code on a card: a link for each customer, drawn small in a corner in the ink's colour.

The shop gives a URL with placeholders in notes.toml (`[qr] url`); each `{name}` is replaced by
the customer's value, URL-quoted. That is all that is read in it: no expressions, no format
specs, no attribute lookups, so customer data never runs as a template and cannot break out of
its place in the link. The code itself is drawing-model data (notes.drawing): each row of
modules one stroke, its dark runs as segments as wide as a module is tall (butt ends, so they
fill the modules exactly), drawn with the card by any writer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from notes.cards import MM, PRINTER_MARGIN, Card
from notes.config import Config, Qr
from notes.drawing import RGB, Stroke, segments
from notes.errors import ConfigError, DataError

PLACEHOLDERS = (
    "order_number", "email", "name", "first_name", "last_name", "discount_code", "occasion",
)  # fmt: skip
CORNERS = ("bottom-left", "bottom-right", "top-left", "top-right")
QUIET_MODULES = 4  # the light margin a reader needs around the code
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_SMALLEST_MM, _LARGEST_MM = 10.0, 40.0
SMALLEST_MODULE_MM = 0.3  # three dots of a 300 dpi printer; smaller modules blur


@dataclass(frozen=True)
class CardCodes:
    """The shop's QR settings, checked, for one card size."""

    url: str
    corner: str
    size: float  # points, the code without its quiet zone
    card: Card
    ink: RGB

    @property
    def origin(self) -> tuple[float, float]:
        """Bottom-left corner of the code on the card: in the card's margin corner, but never
        where a desktop printer cannot print (a clipped code does not scan)."""
        from notes.layout import margins_for

        x0, y0, w, h = self.card.writing_area
        inset = max(margins_for(w, h) / 2, PRINTER_MARGIN)
        left = x0 + inset if self.corner.endswith("left") else x0 + w - inset - self.size
        bottom = y0 + inset if self.corner.startswith("bottom") else y0 + h - inset - self.size
        return left, bottom

    def room(self, box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        """The writing box with the code's band (and its quiet zone) left free."""
        x, y, w, h = box
        _, bottom = self.origin
        quiet = self.size / 21 * QUIET_MODULES  # modules are at most this size (version 1)
        if self.corner.startswith("bottom"):
            top_of_code = bottom + self.size + quiet
            return (x, max(y, top_of_code), w, h - max(0.0, top_of_code - y))
        below_code = bottom - quiet
        return (x, y, w, min(h, below_code - y))

    def link_for(self, values: dict[str, object]) -> str:
        """The URL with each placeholder replaced by the customer's value, URL-quoted; "" when
        the customer has no value for one of them (that card gets no code)."""
        missing = False

        def fill(match: re.Match[str]) -> str:
            nonlocal missing
            value = str(values.get(match.group(1)) or "").strip()
            missing = missing or not value
            return quote(value, safe="")

        link = _PLACEHOLDER.sub(fill, self.url)
        return "" if missing else link

    def strokes_for(self, link: str) -> tuple[Stroke, ...]:
        return qr_strokes(link, self.origin, self.size, self.ink)


def codes_for(config: Config, card: Card, ink: str) -> CardCodes | None:
    """The shop's QR codes for cards of this size and ink, or None when [qr] url is empty."""
    from notes.handwriting import parse_ink

    if not config.qr.url.strip():
        return None
    return card_codes(config.qr, card, parse_ink(ink), where=str(config.path or "notes.toml"))


def card_codes(settings: Qr, card: Card, ink: RGB, *, where: str = "notes.toml") -> CardCodes:
    """Check [qr] (URL, placeholders, corner, size) before any card is laid out."""
    url = settings.url.strip()
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ("http", "https") or not urlsplit(url).netloc:
        raise ConfigError(
            f"[qr] url must be a web address (https://...), not {url!r}",
            where=where, hint='e.g. url = "https://shop.example/review?order={order_number}"',
        )  # fmt: skip
    for found in _PLACEHOLDER.findall(url):
        if found not in PLACEHOLDERS:
            raise ConfigError(
                f"[qr] url has an unknown placeholder {{{found}}}",
                where=where, hint=f"placeholders: {', '.join('{' + p + '}' for p in PLACEHOLDERS)}",
            )  # fmt: skip
    if "{" in _PLACEHOLDER.sub("", url) or "}" in _PLACEHOLDER.sub("", url):
        raise ConfigError(
            "[qr] url has a { or } that is not part of a placeholder",
            where=where, hint="write placeholders as {order_number}; quote a brace as %7B / %7D",
        )  # fmt: skip
    if settings.corner not in CORNERS:
        raise ConfigError(
            f"[qr] corner must be one of {', '.join(CORNERS)}, not {settings.corner!r}",
            where=where,
        )
    if not _SMALLEST_MM <= settings.size_mm <= _LARGEST_MM:
        raise ConfigError(
            f"[qr] size_mm must be between {_SMALLEST_MM:g} and {_LARGEST_MM:g}, "
            f"not {settings.size_mm:g}",
            where=where, hint="16 reads well from a phone on an A6 card",
        )  # fmt: skip
    return CardCodes(url, settings.corner, settings.size_mm * MM, card, ink)


def qr_strokes(link: str, origin: tuple[float, float], size: float, ink: RGB) -> tuple[Stroke, ...]:
    """The code `size` points square with its bottom-left corner at `origin`: one stroke per row
    of modules, through the middle of the row, along each run of dark modules."""
    rows = _modules(link, size)
    module = size / len(rows)
    left, bottom = origin
    strokes = []
    for number, row in enumerate(rows):
        middle = bottom + size - (number + 0.5) * module  # row 0 is the top
        runs = [(left + a * module, middle, left + b * module, middle) for a, b in _dark_runs(row)]
        if runs:
            strokes.append(Stroke(segments(runs), module, ink))
    return tuple(strokes)


def _modules(link: str, size: float):  # noqa: ANN202 - segno's rows of 0/1
    import segno

    try:
        rows = segno.make_qr(link, error="m").matrix  # M: still reads with a smudge or a fold
    except segno.DataOverflowError:
        rows = ()
    if not rows or size / len(rows) < SMALLEST_MODULE_MM * MM:
        raise DataError(
            f"the QR link is too long ({len(link)} characters) to be read from a "
            f"{size / MM:.0f} mm code",
            hint="use a shorter [qr] url (fewer placeholders), or a larger size_mm",
        )
    return rows


def _dark_runs(row) -> list[tuple[int, int]]:  # noqa: ANN001 - a row of 0/1 modules
    """(first, past the last) module of each run of dark modules."""
    runs, start = [], None
    for column, dark in enumerate([*row, 0]):
        if dark and start is None:
            start = column
        elif not dark and start is not None:
            runs.append((start, column))
            start = None
    return runs
