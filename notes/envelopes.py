"""Addressed envelopes: the address's lines, layout, PDF.

The lines and their checks come from `notes.addresses` (every country's postal format); here
they are laid out in the cards' ink, seed and messiness, in a legible hand (post offices sort by
machine): the cards' font if the catalog marks it legible, else the first legible one that has
every letter, unless the user picks one ([style] envelope_font). Fields are data: only ever
copied, never evaluated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from weakref import WeakKeyDictionary

from notes.addresses import ERROR, AddressProblem, FormattedAddress, format_address
from notes.cards import parse_envelope
from notes.config import Shop
from notes.countries import sender_country
from notes.drawing import Document, GlyphTable, Item, Page, Word, in_reading_order
from notes.errors import DataError, LayoutError
from notes.exact import token
from notes.handwriting import write_by_hand
from notes.layout import DRIFT_ROOM, Layout, Line, clean_text, leading_factor
from notes.measure import Measurer
from notes.render import Renderer, first_glyphs, note_rng

PACKER_INK = (0.72, 0.1, 0.1)  # the note for the packer is not part of the address: red


NO_ADDRESS = "no postal address (a sale in the shop?)"
# Fields that make a postal address; an input with none of them cannot address an envelope.
ADDRESS_FIELDS = ("address1", "address2", "city", "zip")


def envelope_address(fields: Mapping[str, object], shop: Shop) -> FormattedAddress:
    """The recipient's lines in their country's postal format, checked, as `shop` posts them
    (no country line for its own country; other countries named in its language).

    A customer with no address at all (an in-store sale) fails the check like any other
    address, so `[envelopes] missing` marks or holds their card and the envelopes stay paired
    with the cards page for page."""
    address = format_address(
        fields,
        sender_country=sender_country(shop.country, shop.locale),
        sender_locale=shop.locale,
    )
    if address.lines:
        return address
    return FormattedAddress((), (AddressProblem(ERROR, "address1", NO_ADDRESS),), address.country)


def envelope_lines(address: FormattedAddress, recipient: str) -> list[str]:
    """What is written on the envelope: the address, or only the name when there is none (the
    packer's note then says what to do), so every card still has its envelope."""
    if address.lines:
        return list(address.lines)
    return [recipient or "(no name)"]


def packer_note(address: FormattedAddress) -> str:
    """The small print on an envelope whose address failed its check ([envelopes] missing =
    "mark"): the packer fixes it before posting."""
    if address.status != "error":
        return ""
    if not address.lines:
        return "No address: hand this card over in person, or add the address before posting"
    return f"Check the address before posting: {address.reason}"


def _clean(value: object) -> str:
    return " ".join(str(value or "").split())


@dataclass(frozen=True)
class EnvelopePlan:
    """An envelope ready to draw: its page (landscape, as addressed) and the handwriting on it."""

    size: str
    width: float
    height: float
    address: list[str]
    return_address: list[str]
    words: tuple[Item, ...]  # the address, the sender's, a packer's note: each read as a block
    glyphs: GlyphTable  # the renderer's, as the cards'

    @property
    def page(self) -> Page:
        return Page(self.width, self.height, self.words)


def _block_layout(
    renderer: Renderer,
    lines: list[str],
    box: tuple[float, float, float, float],
    *,
    sizes: tuple[float, float],
    what: str,
    envelope: str,
) -> Layout:
    """Lines kept exactly as given, at the largest size in `sizes` that fits `box`, top-aligned.

    Built here rather than by fit_text: a note's layout flows body lines into paragraphs and
    gives roles (greeting, sign-off) that an address must not get.
    """
    fonts = renderer.fonts
    measure = Measurer(fonts)
    space = measure.space()
    rows: list[tuple[list[str], float]] = []
    for line in lines:
        words = clean_text(line).split()
        if not words:
            continue
        for word in words:
            fonts.check_text(word)
        rows.append((words, sum(measure.word(w) for w in words) + space * (len(words) - 1)))
    x0, y0, w, h = box
    factor = leading_factor(fonts)
    widest = max(em for _, em in rows)
    size = min(sizes[1], w / (widest + DRIFT_ROOM), h / (1.0 + factor * (len(rows) - 1) + 0.35))
    if size < sizes[0]:
        longest = " ".join(max(rows, key=lambda r: r[1])[0])
        raise LayoutError(
            f"the {what} does not fit a {envelope} envelope: it would have to be written smaller "
            f"than {sizes[0]:.1f} pt (longest line: {longest!r})",
            hint="shorten the longest line or use fewer lines, or choose a larger envelope size",
        )
    leading = size * factor
    placed = [
        Line(words, x0, y0 + h - size - i * leading, em * size, "body")
        for i, (words, em) in enumerate(rows)
    ]
    # Every word of an address is read by a machine: all of it is written exactly.
    exact = frozenset(token(word) for words, _ in rows for word in words)
    return Layout(size, leading, placed, box, exact)


def _hand(renderer: Renderer, layout: Layout, rng_key: str) -> list[Word]:
    """The renderer's hand (seed, messiness, ink) on a layout of our own."""
    return write_by_hand(
        layout,
        renderer.fonts,
        rng=note_rng(renderer.style.seed, rng_key),
        messiness=renderer.style.messiness,
        ink=renderer.ink,
        glyphs=renderer.glyphs,
        realism=renderer.style.realism,
        seed=renderer.style.seed,
    )


def _centre(layout: Layout, box: tuple[float, float, float, float], centre) -> None:
    """Shift the laid-out block so its middle sits at `centre`, staying inside `box`."""
    x0, y0, w, h = box
    size = layout.size
    width = max(line.width for line in layout.lines) + size * DRIFT_ROOM
    top = layout.lines[0].y + size * 0.8  # cap height, roughly
    bottom = layout.lines[-1].y - size * 0.35  # descenders
    left = min(max(x0, centre[0] - width / 2), x0 + w - width)
    middle = min(max(y0 + (top - bottom) / 2, centre[1]), y0 + h - (top - bottom) / 2)
    dx, dy = left - layout.lines[0].x, middle - (top + bottom) / 2
    for line in layout.lines:
        line.x += dx
        line.y += dy
    # The hand keeps inside the block's right edge, which is still the box's.
    layout.area = (left, y0, x0 + w - left, h)


def envelope_plan(
    renderer: Renderer,
    address: list[str],
    return_address: list[str],
    size: str,
    *,
    key: str,
    packer_note: str = "",
    hand: str | None = None,
) -> EnvelopePlan:
    """Plan an envelope: recipient a little right of and below the middle, sender top-left.

    The renderer's ink, messiness and seed write it, in a legible hand (see `envelope_hand`;
    `hand` picks a font instead); `key` (the card's) picks this envelope's variation. A `packer_note` (see `packer_note`) goes in small
    red print down the left side, clear of the address.
    """
    name, width, height = parse_envelope(size)
    address = [line for line in (_clean(a) for a in address) if line]
    if not address:
        raise DataError(
            "no address to write on the envelope",
            hint="give address1, city and zip (and country) columns, or leave out --envelopes",
        )
    sender = [line for line in (_clean(a) for a in return_address) if line]
    card_renderer, renderer = renderer, envelope_hand(renderer, [*address, *sender], hand)
    base = renderer.fonts.primary.spec.size  # the font's size on an A6 card
    margin = max(14.0, 0.07 * height)
    # Clear of the stamp (top right) and of the barcode strip along the bottom (US: 5/8 in).
    bottom = max(margin, 0.14 * height)
    box = (0.28 * width, bottom, 0.72 * width - margin, 0.62 * height - bottom)
    layout = _block_layout(
        renderer, address, box, sizes=(7.0, base * 1.15), what="address", envelope=name
    )
    _centre(layout, box, (0.56 * width, 0.40 * height))
    blocks = [_hand(renderer, layout, f"envelope\x1f{key}")]
    if sender:
        corner = (margin, 0.64 * height, 0.45 * width - margin, 0.36 * height - margin * 0.6)
        layout = _block_layout(
            renderer, sender, corner, sizes=(5.5, base * 0.62), what="return address", envelope=name
        )
        blocks.append(_hand(renderer, layout, f"return\x1f{key}"))
    if packer_note:
        column = (margin, bottom, 0.28 * width - 1.4 * margin, 0.62 * height - bottom)
        blocks.append(_small_print(card_renderer, packer_note, column, envelope=name))
    words = in_reading_order(blocks)
    return EnvelopePlan(name, width, height, address, sender, words, renderer.glyphs)


_HANDS: WeakKeyDictionary = WeakKeyDictionary()  # card renderer -> {font: envelope renderer}


def envelope_hand(renderer: Renderer, lines: list[str], hand: str | None = None) -> Renderer:
    """The renderer that addresses envelopes for `renderer`'s cards: in the font chosen (`hand`,
    or the style's envelope_font), else in the cards' if it is legible, else in the legible catalog
    font (first in fallback order) that has the most characters of `lines`, its fallbacks writing
    the rest (none has any: the cards' own).
    Same ink, messiness, seed and glyph table, so cards and envelopes go into one document."""
    from notes.fonts import load_catalog

    font = hand or renderer.style.envelope_font
    if not font:
        primary = renderer.fonts.primary
        if primary.spec.legible or not primary.filled:  # a pen plotter's stroke font stays
            return renderer
        text = "".join("".join(line.split()) for line in lines)
        # The legible hand that has the most of the address (all of it, if one does); what it
        # lacks (a Japanese street) comes from the fallbacks, so a postcode is never in Caveat.
        covered, font = max(
            (
                (sum(_bundled(spec.id).covers(char) for char in text), spec.id)
                for spec in sorted(load_catalog().values(), key=_fallback_order)
                if spec.legible
            ),
            key=lambda found: found[0],
            default=(0, None),
        )
        if not covered:
            return renderer
    if font == renderer.style.font:
        return renderer
    hands = _HANDS.setdefault(renderer, {})
    if font not in hands:
        style = replace(renderer.style, font=font, signature=None, envelope_font=None)
        hands[font] = Renderer(style, glyphs=renderer.glyphs)
    return hands[font]


def _fallback_order(spec) -> tuple[bool, int]:  # noqa: ANN001 - a FontSpec
    return (spec.fallback is None, spec.fallback or 0)


def _bundled(font_id: str):  # noqa: ANN202 - a notes.fonts.LoadedFont, loaded once
    from notes.fonts import _load_bundled

    return _load_bundled(font_id)


def _small_print(
    renderer: Renderer, text: str, box: tuple[float, float, float, float], *, envelope: str
) -> list[Word]:
    """`text` wrapped into `box` in the plain font (print, not the hand), in red; cut short
    with "..." when it would not fit (the manifest has all of it)."""
    size = 5.5
    measure = Measurer(renderer.fonts)
    limit = box[2] / size - DRIFT_ROOM
    lines: list[str] = []
    for word in clean_text(text).split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if (
            lines
            and sum(measure.word(w) for w in candidate.split())
            + measure.space() * (candidate.count(" "))
            <= limit
        ):
            lines[-1] = candidate
        else:
            lines.append(word)
    room = max(1, int(box[3] / (size * leading_factor(renderer.fonts))) - 1)
    if len(lines) > room:
        lines = lines[: room - 1] + ["... (see the manifest)"]
    try:
        layout = _block_layout(
            renderer, lines, box, sizes=(4.0, size), what="note", envelope=envelope
        )
    except LayoutError:  # a word wider than the column: the short form still tells the packer
        short = ["Check the address:", "see the manifest"]
        layout = _block_layout(
            renderer, short, box, sizes=(1.0, size), what="note", envelope=envelope
        )
    return write_by_hand(
        layout,
        renderer.fonts,
        rng=note_rng(0, "packer"),
        messiness=0.0,
        ink=PACKER_INK,
        glyphs=renderer.glyphs,
    )


def write_envelopes(plans: Iterable[EnvelopePlan], path: str | Path, *, force: bool = False) -> int:
    """One envelope per page, each page the envelope's size; written atomically. Returns pages."""
    from notes.pdf import write_pdf

    glyphs, plans = first_glyphs(plans)
    pages = (Page(p.width, p.height, glyphs.adopt(p.words, p.glyphs)) for p in plans)
    return write_pdf(Document(glyphs, pages, "Envelopes"), path, force=force, what="envelopes")
