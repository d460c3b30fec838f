"""`notes fonts --specimen`: one written line in each bundled font, to choose a hand by eye."""

from __future__ import annotations

from pathlib import Path

from notes.cards import SHEETS, Card

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
    from notes.files import atomic_path
    from notes.fonts import load_catalog
    from notes.pdf import draw_plan, new_canvas
    from notes.render import Renderer, Style

    width, height = SHEETS["a4"]
    strip = Card("strip", width, 68)
    catalog = list(load_catalog().values())
    with atomic_path(path, force=force, example="fonts.pdf") as tmp:
        canvas = None
        top = height - 40
        for spec in catalog:
            renderer = Renderer(Style(font=spec.id, card=strip, messiness=messiness, seed=1))
            text = f"{spec.family}:  {specimen_line(spec.scripts)}"
            plan = renderer.plan(text, key=spec.id)
            if canvas is None:
                canvas = new_canvas(tmp, width, height, font_name=plan.font_name, title="Fonts")
            if top - strip.height < 30:
                canvas.showPage()
                top = height - 40
            draw_plan(canvas, plan, 0, top - strip.height)
            top -= strip.height
        canvas.showPage()
        canvas.save()
    return len(catalog)
