"""The only module that talks to reportlab: card pages and placed notes (written via notes.files).

Glyphs are written as raw content-stream operators (one text matrix per glyph, size folded into
`Tm`): through reportlab's textobject API per-glyph placement is about 4x slower.
"""

from __future__ import annotations

import math
from pathlib import Path

from notes.errors import OutputError
from notes.files import atomic_path
from notes.handwriting import Word


def _num(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def new_canvas(path: Path, width: float, height: float, *, font_name: str, title: str = "Notes"):
    """A reportlab canvas that writes byte-identical PDFs for identical input (invariant=1).

    `font_name` is a registered TrueType font: with it as the initial font reportlab does not
    reference an unembedded Helvetica on every page.
    """
    from reportlab import rl_config
    from reportlab.pdfgen.canvas import Canvas

    # ASCII85 only makes streams 25 % larger and, in pure Python, costs more than the drawing.
    rl_config.useA85 = 0
    canvas = Canvas(
        str(path),
        pagesize=(width, height),
        invariant=1,
        pageCompression=1,
        initialFontName=font_name,
    )
    canvas.setTitle(title)
    canvas.setCreator("notes")
    canvas.setProducer("notes")
    return canvas


def write_pages(
    plans, path, *, force: bool = False, title: str = "Notes", what: str = "notes"
) -> int:
    """One plan per page, each page the plan's own size (`page_size`), written atomically.

    Plans are cards (notes.render.NotePlan) or envelopes (notes.envelopes.EnvelopePlan).
    Returns the number of pages.
    """
    pages = 0
    with atomic_path(path, force=force) as tmp:
        canvas = None
        for plan in plans:
            width, height = plan.page_size
            if canvas is None:
                canvas = new_canvas(tmp, width, height, font_name=plan.font_name, title=title)
            canvas.setPageSize((width, height))
            card = getattr(plan, "card", None)
            if card is not None and card.folded:
                draw_fold_guides(canvas, card)
            draw_plan(canvas, plan)
            canvas.showPage()
            pages += 1
        if canvas is None:
            raise OutputError(f"no {what} to write", where=str(path))
        canvas.save()
    return pages


def draw_plan(canvas, plan, dx: float = 0.0, dy: float = 0.0) -> None:
    """Draw a planned note (notes.render.NotePlan) on the current page, shifted by (dx, dy):
    its handwriting, and the sender's signature image if it has one."""
    canvas.__dict__["_notes_fontbook"] = plan.fonts
    draw_words(canvas, plan.words, dx, dy, deform=plan.deform)
    if getattr(plan, "signature", None) is not None:
        from notes.signature import draw_signature

        draw_signature(canvas, plan.signature, plan.signature_rect, dx, dy)


def draw_words(
    canvas, words: list[Word], dx: float = 0.0, dy: float = 0.0, *, deform: float = 0.0
) -> None:
    """Append the handwriting to the current page, shifted by (dx, dy).

    Words with `shapes` are drawn from outline variants (form objects made on first use,
    deformed by `deform` ems) and get an invisible text layer; the others are font text.
    """
    # Subset codes are fixed once a character is first used in a document: cache them per canvas.
    encoded_cache: dict[tuple[str, str], tuple[int, str, str]] = canvas.__dict__.setdefault(
        "_notes_glyph_codes", {}
    )
    out: list[str] = []
    push = out.append
    text_open = False
    current_font = None
    current_weight = None
    current_ink = None
    outlined: list[Word] = []
    for word in words:
        if word.ink != current_ink:
            r, g, b = (_num(c) for c in word.ink)
            push(f"{r} {g} {b} rg {r} {g} {b} RG")
            current_ink = word.ink
        if word.shapes is not None:
            if text_open:
                push("ET")
                text_open = False
            _draw_outlined(canvas, word, dx, dy, deform, push)
            outlined.append(word)
            continue
        if not text_open:
            push("BT")
            text_open, current_font, current_weight = True, None, None
        if word.weight != current_weight:
            push(f"2 Tr {_num(word.weight)} w" if word.weight > 0 else "0 Tr")
            current_weight = word.weight
        for font, char, a, b, c, d, e, f in word.glyphs:
            key = (font.name, char)
            cached = encoded_cache.get(key)
            if cached is None:
                cached = encoded_cache[key] = _encode(font, char, canvas)
            if cached[1] != current_font:
                push(cached[1])
                current_font = cached[1]
            # One %-format per glyph is the cheapest way to write six numbers (profiled).
            push("%.3f %.3f %.3f %.3f %.2f %.2f Tm %s" % (a, b, c, d, e + dx, f + dy, cached[2]))  # noqa: UP031
    if text_open:
        push("ET")
    if outlined:
        _draw_text_layer(canvas, outlined, dx, dy, push)
        # Declared only now: making a form on an empty page resets reportlab's list of forms used.
        used = canvas.__dict__.pop("_notes_forms_on_page", set())
        canvas._formsinuse.extend(sorted(used - set(canvas._formsinuse)))
    canvas._code.append("\n".join(out))


def _draw_outlined(canvas, word: Word, dx: float, dy: float, deform: float, push) -> None:
    forms: dict = canvas.__dict__.setdefault("_notes_glyph_forms", {})
    on_page: set = canvas.__dict__.setdefault("_notes_forms_on_page", set())
    weight = word.weight
    for (font, _char, a, b, c, d, e, f), (gid, variant) in zip(
        word.glyphs, word.shapes, strict=True
    ):
        key = (font.name, gid, variant)
        form = forms.get(key)
        if form is None:
            form = forms[key] = _make_glyph_form(canvas, font, gid, variant, deform)
        if not form[0]:
            continue  # a space or a mark with no outline
        on_page.add(form[0])
        scale = form[2]
        # Stroke width is read in the glyph's own units when the form strokes its outline.
        width = weight / (math.hypot(a, b) * scale) if weight > 0 else 0
        push(
            "q %.1f w %.5f %.5f %.5f %.5f %.2f %.2f cm /%s Do Q"  # noqa: UP031
            % (width, a * scale, b * scale, c * scale, d * scale, e + dx, f + dy, form[1])
        )


def _make_glyph_form(canvas, font, gid: int, variant: int, deform: float) -> tuple:
    """(form name, PDF name, 1/units-per-em): one variant of a glyph, as a form object."""
    from notes.glyphs import units_per_em, variant_path

    upem = units_per_em(font.spec.path)
    ops = variant_path(font.spec.path, gid, variant, deform, font.connected)
    if not ops:
        return ("", "", 1.0 / upem)
    name = f"g{len(canvas.__dict__['_notes_glyph_forms'])}"
    canvas.beginForm(name, -upem, -upem, 2 * upem, 2 * upem)
    canvas._code.append(ops)
    canvas.endForm()
    return (name, canvas._doc.getXObjectName(name), 1.0 / upem)


def _draw_text_layer(canvas, words: list[Word], dx: float, dy: float, push) -> None:
    """Invisible text (render mode 3) under outlined words, in the order they were typed."""
    push("BT 3 Tr")
    for word in sorted(words, key=lambda w: w.order):
        x, y, size = word.text_at
        push(f"1 0 0 1 {x + dx:.2f} {y + dy:.2f} Tm")
        font_for = word.glyphs[0][0] if word.glyphs else None
        for font, run in _runs_by_font(word.text, font_for, canvas):
            tt = font.tt
            for subset, encoded in tt.splitString(run, canvas._doc):
                push(
                    f"{tt.getSubsetInternalName(subset, canvas._doc)} {size * font.scale:.2f} Tf "
                    f"({canvas._escape(encoded)}) Tj"
                )
    push("ET")


def _runs_by_font(text: str, preferred, canvas):
    """Split text into runs each drawable (as invisible text) by one font."""
    from notes.fonts import FontBook

    book: FontBook | None = canvas.__dict__.get("_notes_fontbook")
    runs: list = []
    for char in text:
        font = preferred if preferred is not None and preferred.covers(char) else None
        if font is None and book is not None:
            try:
                font = book.font_for(char)
            except Exception:  # noqa: BLE001 - the visible layer already checked every char
                font = None
        if font is None:
            continue
        if runs and runs[-1][0] is font:
            runs[-1][1] += char
        else:
            runs.append([font, char])
    return runs


def _encode(font, char: str, canvas) -> tuple[int, str, str]:
    """(subset, 'Tf' operator selecting it, 'Tj' operator drawing the character)."""
    doc = canvas._doc
    tt = font.tt
    parts = []
    selector = ""
    for subset, encoded in tt.splitString(char, doc):
        selector = f"{tt.getSubsetInternalName(subset, doc)} 1 Tf"
        parts.append((selector, f"({canvas._escape(encoded)}) Tj"))
    # One character always lands in one subset.
    selector, show = parts[0]
    return (0, selector, show)


def draw_fold_guides(canvas, card) -> None:
    """Fold guides of a folded card, in card coordinates (vertical fold or top-fold tent)."""
    px, py, _pw, ph = card.writing_area
    if px > 0:
        draw_fold_line(canvas, px, card.height)
    elif py + ph < card.height - 0.01:
        # A horizontal fold: draw the vertical guide with x and y swapped.
        canvas.saveState()
        canvas.transform(0, 1, 1, 0, 0, 0)
        draw_fold_line(canvas, py + ph, card.width)
        canvas.restoreState()


def draw_fold_line(canvas, x: float, height: float) -> None:
    """A faint dashed guide where a folded card is creased, at the page's top and bottom edges."""
    canvas.saveState()
    canvas.setLineWidth(0.3)
    canvas.setStrokeColorRGB(0.75, 0.75, 0.75)
    canvas.setDash(2, 2)
    canvas.line(x, 0, x, 10)
    canvas.line(x, height - 10, x, height)
    canvas.restoreState()
