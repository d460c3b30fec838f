"""`notes fonts --specimen`: one written line in each bundled font, to choose a hand by eye."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from notes.cards import SHEETS, Card
from notes.drawing import Document, GlyphTable, Item, Page, in_reading_order, translated
from notes.fonts import FontSpec, load_catalog
from notes.render import Renderer, Style

SAMPLES = {
    "latin": "Thank you so much for your order!",
    "vietnamese": "Cảm ơn bạn",
    "cyrillic": "Спасибо",
    "greek": "Ευχαριστώ",
    "japanese": "ありがとう",
    "korean": "감사합니다",
    "chinese": "谢谢你",
    "devanagari": "धन्यवाद",
    "thai": "ขอบคุณ",
    "arabic": "شكرا لك",
    "hebrew": "תודה רבה",
}


def specimen_line(scripts: tuple[str, ...]) -> str:
    extra = [SAMPLES[s] for s in scripts if s in SAMPLES and s != "latin"]
    base = SAMPLES["latin"] if "latin" in scripts else ""
    return "  ".join([base, *extra]).strip()


def write_specimen(path: str | Path, *, force: bool = False, messiness: float = 0.4) -> int:
    """A4 pages with one written line per bundled font. Returns the number of fonts."""
    from notes.pdf import write_pdf

    glyphs = GlyphTable()
    catalog = list(load_catalog().values())
    pages = _pages(catalog, glyphs, messiness)
    write_pdf(Document(glyphs, pages, "Fonts"), path, force=force, example="fonts.pdf")
    return len(catalog)


def _pages(catalog: list[FontSpec], glyphs: GlyphTable, messiness: float) -> Iterator[Page]:
    width, height = SHEETS["a4"]
    strip = Card("strip", width, 68)
    strips: list[tuple[Item, ...]] = []
    top = height - 40
    for spec in catalog:
        style = Style(font=spec.id, card=strip, messiness=messiness, seed=1)
        plan = Renderer(style, glyphs=glyphs).plan(
            f"{spec.family}:  {specimen_line(spec.scripts)}", key=spec.id
        )
        if top - strip.height < 30:
            yield Page(width, height, in_reading_order(strips))
            strips, top = [], height - 40
        strips.append(translated(plan.items(), 0, top - strip.height))
        top -= strip.height
    yield Page(width, height, in_reading_order(strips))
