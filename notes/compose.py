"""From fields (or the user's own words) to a note's text: template, context, recipient."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from notes.config import Shop
from notes.names import person_from_fields
from notes.values import NumberStyle

_GREETING = re.compile(r"^\s*(?:dear|hi|hello|hey|to)\s+([^,\n!]+)", re.I)


def recipient_of(
    fields: Mapping[str, str], text: str | None = None, *, locale: str | None = None
) -> str:
    """Who the note is for: the name field, else the name its parts make ('田中 さくら' from
    first and last name), else the name after 'Dear' in the text, else ''."""
    name = (fields.get("name") or "").strip()
    if name:
        return name
    person = person_from_fields(fields, locale=locale)
    if person:
        return person.on_envelope
    if text:
        match = _GREETING.match(text)
        if match:
            return match.group(1).strip()
    return ""


def compose_note(
    template: str,
    fields: Mapping[str, str],
    *,
    text: str | None = None,
    shop: Shop,
    today: str | None = None,
    seed: int | str = 0,
    extra: Mapping[str, Any] | None = None,
    number_styles: Mapping[str, tuple[str, NumberStyle | None]] | None = None,
) -> tuple[str, str]:
    """Return (note text, recipient). `text` is the user's own words for the blank template;
    `number_styles` says how an export wrote its numbers (see `build_context`)."""
    from notes.context import build_context
    from notes.templating import load_template, render_text

    today = today or dt.date.today().isoformat()
    given = dict(fields)
    if text is not None:
        given["text"] = text
    _refuse_broken_text({**given, **(extra or {})})
    info = load_template(template)
    context = build_context(given, shop=shop, today=today, extra=extra, number_styles=number_styles)
    recipient = recipient_of(given, text, locale=shop.locale)
    note = render_text(info, context, seed=seed, recipient_key=recipient or text or "")
    return note, recipient


def _refuse_broken_text(fields: Mapping[str, Any]) -> None:
    """A lone surrogate ("\\ud800" in a JSON export) is not text: fail this note, not the run."""
    from notes.errors import DataError
    from notes.safetext import broken_field

    broken = broken_field(fields)
    if broken is not None:
        name, char = broken
        raise DataError(
            f"field {name!r} holds {char}, a lone surrogate (half of a UTF-16 pair), not a character",
            hint=f"correct {name!r} where it comes from, e.g. a broken \\u escape in a JSON export,"
            " and run again",
        )
