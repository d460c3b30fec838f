"""From fields (or the user's own words) to a note's text: template, context, recipient."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from notes.config import Shop
from notes.names import person_from_fields
from notes.records import FrozenRecord
from notes.values import NumberStyle

if TYPE_CHECKING:
    from notes.templates import TemplateInfo

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


@dataclass(init=False, repr=False, eq=False)
class ComposedNote(FrozenRecord):
    text: str
    recipient: str
    language: str = ""  # the card's language ("de"); "" for the user's own template file
    warning: str = ""  # why the card is not in the customer's language, for the manifest


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
    note = compose_card(
        template, fields, text=text, shop=shop, today=today, seed=seed, extra=extra,
        number_styles=number_styles,
    )  # fmt: skip
    return note.text, note.recipient


def compose_card(
    template: str,
    fields: Mapping[str, str],
    *,
    text: str | None = None,
    shop: Shop,
    today: str | None = None,
    seed: int | str = 0,
    extra: Mapping[str, Any] | None = None,
    number_styles: Mapping[str, tuple[str, NumberStyle | None]] | None = None,
    load: Callable[..., TemplateInfo] | None = None,
) -> ComposedNote:
    """The note, its recipient, and the language it is written in.

    A bundled occasion is written in the customer's language (a `language` or `locale` field),
    else the shop's; the user's own template file is in the language it is written in, with the
    shop's locale for money and dates. `load` loads the template (a batch's keeps what it
    loaded: notes.batch); notes.templates.load_template when not given."""
    from notes.context import build_context
    from notes.grammar import language_of
    from notes.languages import CardLanguage, card_language, signed
    from notes.templates import is_bundled
    from notes.templating import load_template, render_text

    today = today or dt.date.today().isoformat()
    given = dict(fields)
    if text is not None:
        given["text"] = text
    everything = {**given, **extra} if extra else given
    _refuse_broken_text(everything)
    bundled = is_bundled(template)
    if bundled:
        card = card_language(everything, shop_locale=shop.locale, occasion=template)
    else:
        card = CardLanguage(language_of(shop.locale), shop.locale)
    info = (load or load_template)(template, language=card.code if bundled else None)
    context = build_context(
        given, shop=shop, today=today, extra=extra, number_styles=number_styles, locale=card.locale
    )
    if bundled:  # the sign-off and sender are in the card's language too
        context["shop"] = {**context["shop"], **signed(card.code, shop)}
    recipient = recipient_of(given, text, locale=shop.locale)
    note = render_text(
        info,
        context,
        seed=seed,
        recipient_key=recipient or text or "",
        language=card.code,
        locale=card.locale,
    )
    return ComposedNote(note, recipient, card.code if bundled else "", card.warning)


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
