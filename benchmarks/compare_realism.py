"""Judge the hand by looking, and measure what realism costs.

Writes realism.pdf: page 1 the same note as plain font text, per-glyph jitter only, and full
realism (deformed letter variants, pressure); page 2 the same word twenty times, to show no two
letters are alike. Then prints throughput of each against a plain reportlab drawString loop in
the same font, in this same process.

    python benchmarks/compare_realism.py [--out realism.pdf] [--notes 300]
    pdftoppm -png -r 300 realism.pdf realism    # and look
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from notes.cards import Card, parse_card
from notes.drawing import Document, GlyphTable, Page, in_reading_order, translated
from notes.pdf import write_pdf
from notes.render import Renderer, Style, write_cards

NOTE = (
    "Dear Ana,\n\nThank you so much for choosing the blue teapot. I hope it brings you many "
    "slow, happy mornings and a good cup of tea on the cold days ahead.\n\nWarmly,\nMaya"
)
MODES = {
    "plain font": Style(messiness=0.0, realism="plain"),
    "per-glyph jitter": Style(messiness=0.5, realism="plain"),
    "full realism": Style(messiness=0.5, realism="natural"),
}


def comparison_pdf(path: Path) -> None:
    card = parse_card("a6")
    sheet_w, sheet_h = card.width * 3, card.height
    glyphs = GlyphTable()  # one document: its renderers share the table of letter shapes
    columns = []
    for column, style in enumerate(MODES.values()):
        plan = Renderer(style, glyphs=glyphs).plan(NOTE, key="Ana")
        columns.append(translated(plan.items(), card.width * column, 0))
    strip = Card("strip", sheet_w, sheet_h)
    repeated = "  ".join(["handwritten"] * 20)
    plan = Renderer(Style(card=strip, realism="natural"), glyphs=glyphs).plan(repeated, key="x")
    pages = [
        Page(sheet_w, sheet_h, in_reading_order(columns)),
        Page(sheet_w, sheet_h, plan.items()),
    ]
    write_pdf(Document(glyphs, pages, "Realism"), path, force=True)


def throughput(count: int) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    font_path = Renderer(Style()).fonts.primary.spec.path
    pdfmetrics.registerFont(TTFont("bench-caveat", str(font_path)))
    lines = [NOTE.replace("\n", " ")[i : i + 42] for i in range(0, len(NOTE), 42)]
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        canvas = Canvas(
            str(Path(folder) / "plain.pdf"),
            pagesize=(297.6, 419.5),
            invariant=1,
            pageCompression=1,
            initialFontName="bench-caveat",
        )
        for _ in range(count):
            canvas.setFont("bench-caveat", 17)
            for row, line in enumerate(lines):
                canvas.drawString(24, 380 - row * 22, line)
            canvas.showPage()
        canvas.save()
        base = count / (time.perf_counter() - start)
        print(f"{'plain drawString':<18} {base:8.0f} notes/s   1.00x")
        for label, style in MODES.items():
            start = time.perf_counter()
            renderer = Renderer(style)
            plans = (renderer.plan(NOTE, key=str(i)) for i in range(count))
            write_cards(plans, Path(folder) / "n.pdf", force=True)
            rate = count / (time.perf_counter() - start)
            print(f"{label:<18} {rate:8.0f} notes/s   {rate / base:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("realism.pdf"))
    parser.add_argument("--notes", type=int, default=300)
    args = parser.parse_args()
    comparison_pdf(args.out)
    print(f"wrote {args.out}")
    throughput(args.notes)


if __name__ == "__main__":
    main()
