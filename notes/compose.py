"""From fields (or the user's own words) to a note's text: template, context, recipient."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from notes.config import Shop

_GREETING = re.compile(r"^\s*(?:dear|hi|hello|hey|to)\s+([^,\n!]+)", re.I)


def recipient_of(fields: Mapping[str, str], text: str | None = None) -> str:
    """Who the note is for: the name field, else the name after 'Dear' in the text, else ''."""
    for key in ("name", "first_name"):
        value = (fields.get(key) or "").strip()
        if value:
            if key == "first_name" and (fields.get("last_name") or "").strip():
                value = f"{value} {fields['last_name'].strip()}"
            return value
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
) -> tuple[str, str]:
    """Return (note text, recipient). `text` is the user's own words for the blank template."""
    from notes.context import build_context
    from notes.templating import load_template, render_text

    today = today or dt.date.today().isoformat()
    given = dict(fields)
    if text is not None:
        given["text"] = text
    _refuse_broken_text({**given, **(extra or {})})
    info = load_template(template)
    context = build_context(given, shop=shop, today=today, extra=extra)
    recipient = recipient_of(given, text)
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
