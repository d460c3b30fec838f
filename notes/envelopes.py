"""Addressed envelopes in the same hand as the cards: address formats by country, layout, PDF.

Address lines follow each country's postal convention (what its post office asks for on the
locality line); the country line goes last, in capitals, and is left off for mail that stays in
the sender's own country. Fields are data: they are only ever copied, never evaluated.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from notes.cards import parse_envelope
from notes.errors import DataError, LayoutError
from notes.fonts import FontBook
from notes.handwriting import REALISM, Word, write_by_hand
from notes.layout import DRIFT_ROOM, Layout, Line, Measurer, clean_text, leading_factor
from notes.render import Renderer, note_rng

# Postcode before the town: "10115 Berlin".
POSTCODE_FIRST = frozenset("DE AT CH FR IT ES NL BE PL PT DK SE NO FI LU LI IS GR CZ SK".split())

# Names people type that Babel's English names do not cover.
COUNTRY_ALIASES = {
    "usa": "US", "u.s.a.": "US", "u.s.": "US", "united states of america": "US", "america": "US",
    "uk": "GB", "u.k.": "GB", "great britain": "GB", "britain": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "northern ireland": "GB",
    "deutschland": "DE", "österreich": "AT", "schweiz": "CH", "suisse": "CH", "svizzera": "CH",
    "españa": "ES", "italia": "IT", "brasil": "BR", "nederland": "NL", "holland": "NL",
    "the netherlands": "NL", "belgië": "BE", "belgique": "BE", "polska": "PL", "sverige": "SE",
    "norge": "NO", "danmark": "DK", "suomi": "FI", "日本": "JP", "nippon": "JP", "nihon": "JP",
    "türkiye": "TR", "turkey": "TR", "czech republic": "CZ", "korea": "KR", "viet nam": "VN",
    "россия": "RU", "méxico": "MX", "canadá": "CA",
}  # fmt: skip


@cache
def _country_names() -> tuple[dict[str, str], dict[str, str]]:
    """(ISO code -> English name, lower-case name -> ISO code), from Babel's CLDR data."""
    from babel import Locale

    names = {
        code: name
        for code, name in Locale("en").territories.items()
        if len(code) == 2 and code.isalpha()
    }
    codes = {name.lower(): code for code, name in names.items()}
    codes.update(COUNTRY_ALIASES)
    return names, codes


def country_code(value: str) -> str:
    """'DE', 'de', 'Germany', 'Deutschland' -> 'DE'; '' when unknown or empty."""
    text = " ".join(value.split())
    if not text:
        return ""
    names, codes = _country_names()
    if len(text) == 2 and text.upper() in names:
        return text.upper()
    if text.upper() == "UK":
        return "GB"
    return codes.get(text.lower(), "")


def _country_line(value: str, code: str) -> str:
    """The country in capitals; a known one in English, which the sender's post office reads."""
    names, _ = _country_names()
    return (names[code] if code else " ".join(value.split())).upper()


def _clean(value: object) -> str:
    return " ".join(str(value or "").split())


def _lines(value: object) -> list[str]:
    """A field that may hold line breaks (a quoted CSV cell) as separate, cleaned lines."""
    return [line for line in (_clean(part) for part in str(value or "").splitlines()) if line]


def _postcode(code: str, zip_code: str) -> str:
    digits = re.sub(r"\D", "", zip_code)
    if code == "US":
        # Spreadsheets drop leading zeros: 2134 was 02134 (Boston).
        if zip_code.isdigit() and len(zip_code) in (3, 4):
            return zip_code.zfill(5)
        if zip_code.isdigit() and len(zip_code) == 9:
            return f"{zip_code[:5]}-{zip_code[5:]}"
    if code == "JP" and len(digits) == 7:
        return f"{digits[:3]}-{digits[3:]}"
    if code == "BR" and len(digits) == 8:
        return f"{digits[:5]}-{digits[5:]}"
    if code in ("GB", "CA", "NL"):
        return zip_code.upper()
    return zip_code


def _short_upper(state: str) -> str:
    """'or' -> 'OR' but 'Oregon' stays: abbreviations are written in capitals."""
    return state.upper() if len(state) <= 3 else state


def _is_cjk(text: str) -> bool:
    return any(unicodedata.east_asian_width(c) in ("W", "F") for c in text)


def _locality(code: str, city: str, state: str, zip_code: str) -> list[str]:
    """The town / region / postcode line(s) in the order the country's post expects."""
    if code in ("US", "CA"):
        region = " ".join(p for p in (_short_upper(state), zip_code) if p)
        return [", ".join(p for p in (city, region) if p)]
    if code == "GB":  # Royal Mail: post town in capitals, postcode on its own line, no county
        return [city.upper(), zip_code]
    if code == "AU":  # Australia Post: "SYDNEY NSW 2000"
        return [" ".join(p for p in (city.upper(), state.upper(), zip_code) if p)]
    if code == "BR":  # Correios: "São Paulo - SP", then the CEP
        return [
            " - ".join(p for p in (city, _short_upper(state)) if p),
            f"CEP {zip_code}" if zip_code else "",
        ]
    if code in POSTCODE_FIRST:
        province = _short_upper(state) if code == "IT" else ""  # "00184 Roma RM"
        return [" ".join(p for p in (zip_code, city, province) if p)]
    return [" ".join(p for p in (city, state, zip_code) if p)]


def format_address(fields: Mapping[str, str], *, home_country: str = "") -> list[str]:
    """Envelope lines from fields name, company, address1, address2, city, state, zip, country.

    `home_country` (code or name) is the sender's: an address without a country is taken to be
    there, and an address there gets no country line. No street, town or postcode -> [].
    """
    get = {key: _clean(fields.get(key)) for key in ("company", "city", "state", "zip", "country")}
    name = _clean(fields.get("name")) or " ".join(
        p for p in (_clean(fields.get("first_name")), _clean(fields.get("last_name"))) if p
    )
    street = _lines(fields.get("address1")) + _lines(fields.get("address2"))
    if not (street or get["city"] or get["zip"]):
        return []
    home = country_code(home_country)
    code = country_code(get["country"]) if get["country"] else home
    abroad = bool(get["country"]) and (
        code != home if code and home else get["country"].upper() != home_country.strip().upper()
    )
    city, state = get["city"], get["state"]
    zip_code = _postcode(code, get["zip"])
    if code == "JP" and _is_cjk(" ".join([name, city, state, *street])):
        # Written in Japanese: postcode first, then from the prefecture down to the name.
        joiner = "" if _is_cjk(state + city) else " "
        lines = [f"〒{zip_code}" if zip_code else "", joiner.join(p for p in (state, city) if p)]
        lines += [*street, get["company"], name]
    else:
        lines = [name, get["company"], *street, *_locality(code, city, state, zip_code)]
    if abroad:
        lines.append(_country_line(get["country"], code))
    return [line for line in lines if line]


@dataclass
class EnvelopePlan:
    """An envelope ready to draw: its page (landscape, as addressed) and the handwriting on it."""

    size: str
    width: float
    height: float
    address: list[str]
    return_address: list[str]
    words: list[Word]
    font_name: str
    deform: float = 0.0  # outline deformation of the letters, in ems, as the card's
    fonts: FontBook | None = None

    @property
    def page_size(self) -> tuple[float, float]:
        return (self.width, self.height)


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
    return Layout(size, leading, placed, box)


def _hand(renderer: Renderer, layout: Layout, rng_key: str) -> list[Word]:
    """The renderer's hand (seed, messiness, ink) on a layout of our own."""
    return write_by_hand(
        layout,
        renderer.fonts,
        rng=note_rng(renderer.style.seed, rng_key),
        messiness=renderer.style.messiness,
        ink=renderer.ink,
        realism=renderer.style.realism,
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
) -> EnvelopePlan:
    """Plan an envelope: recipient a little right of and below the middle, sender top-left.

    The renderer's fonts, ink, messiness and seed make it the same hand as the card; `key` (the
    card's) picks this envelope's variation.
    """
    name, width, height = parse_envelope(size)
    address = [line for line in (_clean(a) for a in address) if line]
    if not address:
        raise DataError(
            "no address to write on the envelope",
            hint="give address1, city and zip (and country) columns, or leave out --envelopes",
        )
    sender = [line for line in (_clean(a) for a in return_address) if line]
    base = renderer.fonts.primary.spec.size  # the font's size on an A6 card
    margin = max(14.0, 0.07 * height)
    # Clear of the stamp (top right) and of the barcode strip along the bottom (US: 5/8 in).
    bottom = max(margin, 0.14 * height)
    box = (0.28 * width, bottom, 0.72 * width - margin, 0.62 * height - bottom)
    layout = _block_layout(
        renderer, address, box, sizes=(7.0, base * 1.15), what="address", envelope=name
    )
    _centre(layout, box, (0.56 * width, 0.40 * height))
    words = _hand(renderer, layout, f"envelope\x1f{key}")
    if sender:
        corner = (margin, 0.64 * height, 0.45 * width - margin, 0.36 * height - margin * 0.6)
        layout = _block_layout(
            renderer, sender, corner, sizes=(5.5, base * 0.62), what="return address", envelope=name
        )
        words += _hand(renderer, layout, f"return\x1f{key}")
    return EnvelopePlan(
        name,
        width,
        height,
        address,
        sender,
        words,
        renderer.fonts.primary.name,
        deform=REALISM[renderer.style.realism] or 0.0,
        fonts=renderer.fonts,
    )


def write_envelopes(plans: Iterable[EnvelopePlan], path: str | Path, *, force: bool = False) -> int:
    """One envelope per page, each page the envelope's size; written atomically. Returns pages."""
    from notes.pdf import write_pages

    return write_pages(plans, path, force=force, title="Envelopes", what="envelopes")
