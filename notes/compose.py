"""From fields (or the user's own words) to a note's text: template, context, recipient."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

# Imported here, not in the methods that use them: an import statement costs about a
# microsecond each time it runs, and composing a card ran five of them.
from notes.config import Shop
from notes.context import build_context, shop_context
from notes.errors import DataError
from notes.grammar import language_of
from notes.languages import CardLanguage, asked_language, card_language, signed
from notes.names import person_from_fields
from notes.records import FrozenRecord
from notes.safetext import broken_field
from notes.templates import is_bundled
from notes.templating import load_template, render_text
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
    loaded: notes.batch); notes.templates.load_template when not given. A batch composes
    through one `Composer`, which keeps what is the same for all its notes."""
    composer = Composer(
        shop=shop, today=today, seed=seed, number_styles=number_styles, load=load
    )  # fmt: skip
    return composer.card(template, fields, text=text, extra=extra)


# Languages asked for (a `language` or `locale` field's value) a run keeps its answer for: a
# batch's customers ask for a few; garbage in every row must not grow the run's memory.
KNOWN_LANGUAGE_ASKS = 256


class Composer:
    """Composes the notes of one run: the shop, today, the seed and the export's number styles
    are the same for all of them, and so is what follows from them alone (whether a template
    is bundled, the `shop` the templates read in each card language, the language a card is
    written in for a given `language` field), worked out once instead of for every note."""

    def __init__(
        self,
        *,
        shop: Shop,
        today: str | None = None,
        seed: int | str = 0,
        number_styles: Mapping[str, tuple[str, NumberStyle | None]] | None = None,
        load: Callable[..., TemplateInfo] | None = None,
    ):
        self.shop = shop
        self.today = today or dt.date.today().isoformat()
        self.seed = seed
        self.number_styles = number_styles
        self.load = load or load_template
        self._bundled: dict[str, bool] = {}
        self._languages: dict[tuple[str, tuple[str, str] | None], CardLanguage] = {}
        self._shops: dict[str, dict[str, str]] = {}  # card language ("" unsigned) -> `shop`

    def card(
        self,
        template: str,
        fields: Mapping[str, str],
        *,
        text: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> ComposedNote:
        """One note (see `compose_card`)."""
        given = dict(fields)
        if text is not None:
            given["text"] = text
        everything = {**given, **extra} if extra else given
        _refuse_broken_text(everything)
        bundled = self._is_bundled(template)
        card = self._language(template, everything, bundled)
        info = self.load(template, language=card.code if bundled else None)
        context = build_context(
            given, shop=self.shop, today=self.today, extra=extra,
            number_styles=self.number_styles, locale=card.locale,
            shop_fields=self._shop_fields(card.code if bundled else ""),
        )  # fmt: skip
        recipient = recipient_of(given, text, locale=self.shop.locale)
        note = render_text(
            info,
            context,
            seed=self.seed,
            recipient_key=recipient or text or "",
            language=card.code,
            locale=card.locale,
        )
        return ComposedNote(note, recipient, card.code if bundled else "", card.warning)

    def _is_bundled(self, template: str) -> bool:
        found = self._bundled.get(template)
        if found is None:
            found = self._bundled[template] = is_bundled(template)
        return found

    def _language(self, template: str, fields: Mapping[str, Any], bundled: bool) -> CardLanguage:
        """The card's language: it follows from the first language field a record fills in."""
        asked = asked_language(fields) if bundled else None
        key = (template if bundled else "", asked)
        found = self._languages.get(key)
        if found is None:
            if len(self._languages) >= KNOWN_LANGUAGE_ASKS:
                self._languages.clear()
            if bundled:
                found = card_language(fields, shop_locale=self.shop.locale, occasion=template)
            else:
                found = CardLanguage(language_of(self.shop.locale), self.shop.locale)
            self._languages[key] = found
        return found

    def _shop_fields(self, code: str) -> dict[str, str]:
        """The `shop` a card reads: signed in the card's language `code` ("": the user's own
        template, signed as the shop is). A copy for each card."""
        found = self._shops.get(code)
        if found is None:
            found = shop_context(self.shop)
            if code:  # the sign-off and sender are in the card's language too
                found = {**found, **signed(code, self.shop)}
            self._shops[code] = found
        return dict(found)


def _refuse_broken_text(fields: Mapping[str, Any]) -> None:
    """A lone surrogate ("\\ud800" in a JSON export) is not text: fail this note, not the run."""
    broken = broken_field(fields)
    if broken is not None:
        name, char = broken
        raise DataError(
            f"field {name!r} holds {char}, a lone surrogate (half of a UTF-16 pair), not a character",
            hint=f"correct {name!r} where it comes from, e.g. a broken \\u escape in a JSON export,"
            " and run again",
        )
