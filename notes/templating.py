"""Templates at work: their globals and filters, rendering, variant picking (the catalog of
template files is `notes.templates`).

Templates are written by shop owners and may come from anywhere, so they run in Jinja's sandbox
with a budget of work and size per render (notes.sandbox, notes.budget) and are checked before
they run (notes.template_checks). Customer data is only ever passed in as values: a name like
"{{ 7*7 }}" is printed as written.

Jinja is imported when a template is first compiled, not with this module: a template that only
prints one field ({{ text }}, the blank card of `notes write --text`) is that field's text and
needs no Jinja at all (about 16 ms of start-up).
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from notes.context import MAX_FIELD_CHARS, format_date, format_money, greeting_for, known_fields
from notes.errors import NotesError, TemplateError
from notes.grammar import (
    join_list,
    language_of,
    number_words,
    ordinal_words,
    plural_forms,
    plural_word,
)
from notes.languages import addressed_as, gendered_greeting, languages
from notes.names import parse_name
from notes.records import Record

# The catalog moved to notes.templates; these names stay importable from here.
from notes.templates import (  # noqa: F401
    MAX_TEMPLATE_CHARS,
    TemplateInfo,
    list_templates,
    load_template,
    templates_dir,
)

if TYPE_CHECKING:
    import jinja2
    from jinja2.runtime import Context

# Names every render provides, so they are never "fields the data must have".
PROVIDED_NAMES = frozenset({"shop", "today", "pick"})


@dataclass(init=False, repr=False, eq=False)
class _RenderState(Record):
    # sha256 of "seed\x1frecipient\x1ftemplate\x1f", hashed once a card: each pick adds its number.
    picked: Any
    language: str  # the card's language ("de"): greetings
    locale: str  # the card's locale ("de_DE"): money, dates, lists, numbers
    picks: int = 0


_STATE: ContextVar[_RenderState | None] = ContextVar("notes_render_state", default=None)


def check_source(source: str, path: Path) -> None:
    """Compile a template's source (syntax errors name their line) and refuse unsafe names.

    A merge checks its template once per note: the parse is cached on the source, so a run
    parses and compiles each template once (it cost half a merge's time)."""
    if _printed_field(source):
        return  # `{# metadata #}` and `{{ field }}`: nothing to compile, nothing unsafe
    _compile(source, path.stem, str(path))
    _refuse_removed_globals(source, path)


# ---------------------------------------------------------------- globals and filters


def _pick(*options: Any) -> Any:
    """A phrase variant, the same for the same seed+recipient, different across recipients."""
    if len(options) == 1 and isinstance(options[0], list | tuple):
        options = tuple(options[0])
    if not options:
        raise TemplateError("pick() needs at least one option", hint='pick("Hi", "Hello")')
    state = _STATE.get()
    if state is None:
        return options[0]
    key = state.picked.copy()
    key.update(b"%d" % state.picks)
    state.picks += 1
    return options[int.from_bytes(key.digest()[:8], "big") % len(options)]


def _seeded_random(seq: Any) -> Any:
    """Jinja's `|random`, drawn like pick(): the process-wide RNG would break same seed, same card."""
    options = list(seq)
    if not options:
        raise TemplateError("|random needs a non-empty list", hint='["Hi", "Hello"]|random')
    return _pick(*options)


def _shop_setting(ctx: Context, key: str, default: str) -> str:
    shop = ctx.get("shop")
    value = shop.get(key) if isinstance(shop, Mapping) else None
    return value if isinstance(value, str) and value else default


def _card_locale(ctx: Context) -> str:
    """The locale the card is written in (the customer's language), else the shop's."""
    state = _STATE.get()
    return (state.locale if state else "") or _shop_setting(ctx, "locale", "en_US")


def _money(ctx: Context, value: Any, currency: str | None = None) -> str:
    return format_money(
        value, locale=_card_locale(ctx), currency=currency or _shop_setting(ctx, "currency", "USD")
    )


def _date(ctx: Context, value: Any, format: str = "long") -> str:
    return format_date(value, locale=_card_locale(ctx), format=format)


def _join_human(ctx: Context, items: Any) -> str:
    return join_list(items, _card_locale(ctx))


def _words(ctx: Context, value: Any, gender: str | None = None, up_to: int | None = None) -> str:
    """{{ 3|words }} -> 'three', 'drei'; {{ n|words("f", up_to=12) }}: digits above twelve."""
    return number_words(value, _card_locale(ctx), gender=gender, up_to=up_to)


def _ordinal(ctx: Context, value: Any, gender: str | None = None, up_to: int | None = None) -> str:
    """{{ 3|ordinal }} -> 'third', 'dritte'; {{ n|ordinal("f", up_to=12) }} -> 'tercera', '23.ª'."""
    return ordinal_words(value, _card_locale(ctx), gender=gender, up_to=up_to)


def _plural(ctx: Context, value: Any, *forms: Any, **named: Any) -> str:
    """{{ n|plural("Bestellung", "Bestellungen") }}: the form for n by the language's rules."""
    return plural_word(value, _card_locale(ctx), plural_forms(forms, named))


def _greeting(ctx: Context, *neutral: Any) -> Any:
    """{{ greeting("Hallo", "Hi") }}: one of the neutral words, or the language's gendered one
    ("Liebe") when a salutation or gender column says so. Always one pick, so the card's other
    variants do not change with the salutation. A card for someone whose given name is unknown
    says the `greeting_word` it was given ("Hello there")."""
    word = _pick(*neutral)
    given = _lookup(ctx, "greeting_word")
    if given:
        return given
    state = _STATE.get()
    code = (state.language if state else "") or language_of(_card_locale(ctx))
    language = languages().get(code)
    if language is None or not (language.female or language.male):
        return word  # no gendered greeting in this language, whoever the card is for
    said = {key: _lookup(ctx, key) for key in ("salutation", "gender", "name")}
    return gendered_greeting(code, addressed_as(said)) or word


def _lookup(ctx: Context, key: str) -> Any:
    """ctx.get(key), as Context.resolve_or_missing looks it up: a name the card's data may
    lack, without raising and catching KeyError."""
    if key in ctx.vars:
        return ctx.vars[key]
    return ctx.parent.get(key)


def _first_name(ctx: Context, value: Any) -> str:
    """{{ name|first_name }}: the name a card greets, by the same rule as `first_name`."""
    return greeting_for(parse_name(str(value), locale=_shop_setting(ctx, "locale", "")))


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    """Built once per process: filters and globals live here, per-render state in _STATE."""
    from jinja2 import pass_context  # the functions that read the card's locale get the context

    from notes.sandbox import make_sandbox

    greeting, join_human, money, date = map(pass_context, (_greeting, _join_human, _money, _date))
    # `first_name` and `date` are filters only: as globals they would clash with data fields.
    return make_sandbox(
        extra_globals=dict(
            pick=_pick, greeting=greeting, join_human=join_human, money=money, format_date=date
        ),
        extra_filters=dict(
            first_name=pass_context(_first_name),
            join_human=join_human,
            money=money,
            date=date,
            words=pass_context(_words),
            ordinal=pass_context(_ordinal),
            plural=pass_context(_plural),
            random=_seeded_random,
        ),
        removed=REMOVED_GLOBALS,  # lorem ipsum has no place on a card and is unbounded
    )


@lru_cache(maxsize=256)
def _compile(source: str, name: str, filename: str) -> jinja2.Template:
    from notes.template_checks import compile_template

    template = compile_template(_environment(), source, name, filename)
    # Its globals as one dict: every render copies them into its context, and the ChainMap over
    # the environment's (which never change once made) was walked key by key for each card.
    template.globals = dict(template.globals)
    return template


# Jinja globals taken out of the sandbox; a template naming one is refused as unsafe, so the
# name is never mistaken for a data field the rows lack.
REMOVED_GLOBALS = frozenset({"lipsum"})


def _refuse_removed_globals(source: str, path: Path) -> None:
    used = _removed_globals_used(source, path.stem, str(path))
    if used:
        name = sorted(used)[0]
        line = next((n for n, text in enumerate(source.splitlines(), 1) if name in text), None)
        raise TemplateError(
            f"template {path.stem!r} line {line}: unsafe template: "
            f"{name!r} is not available in notes templates",
            where=str(path),
            hint="remove it; templates may use the data fields, shop, today, pick and the filters",
        )


@lru_cache(maxsize=256)
def _removed_globals_used(source: str, name: str, filename: str) -> frozenset[str]:
    from jinja2 import meta

    ast = _environment().parse(source, name=name, filename=filename)
    return frozenset(meta.find_undeclared_variables(ast) & REMOVED_GLOBALS)


def template_fields(info: TemplateInfo) -> set[str]:
    """Names the template reads that the data must provide (optional ones included)."""
    import jinja2
    from jinja2 import meta

    env = _environment()
    try:
        ast = env.parse(info.source, name=info.name, filename=str(info.path))
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"syntax error: {exc.message}", where=f"{info.path} line {exc.lineno}"
        ) from None
    return set(meta.find_undeclared_variables(ast)) - PROVIDED_NAMES - set(env.globals)


# ---------------------------------------------------------------- rendering


def _template_line(exc: BaseException, filename: str) -> int | None:
    """Jinja rewrites tracebacks so template frames carry the template's file name and line."""
    line = None
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == filename:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _tidy(text: str) -> str:
    """Trailing spaces off, at most one blank line between paragraphs (optional blocks vanish)."""
    if "\n\n\n" not in text and " \n" not in text and "\t\n" not in text:
        if not text.endswith((" ", "\t")):  # the usual card: nothing to take off inside
            return text.strip("\n")
    lines = [line.rstrip(" \t") for line in text.split("\n")]
    tidy = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return tidy.strip("\n")


def render_text(
    info: TemplateInfo,
    context: Mapping[str, Any],
    *,
    seed: int | str,
    recipient_key: str,
    language: str = "",
    locale: str = "",
) -> str:
    """Render one card's text. Same seed + recipient -> same text.

    `language` and `locale` are the card's (`notes.languages.card_language`): greetings, money,
    dates, lists and numbers follow them; without them, the shop's locale in the context."""
    field = _printed_field(info.source)
    value = context.get(field) if field else None
    if isinstance(value, str) and len(value) <= MAX_FIELD_CHARS:
        return _tidy(value)  # what Jinja would print; anything else takes the full path below
    template = _compile(info.source, info.name, str(info.path))
    picked = hashlib.sha256(
        f"{seed}\x1f{recipient_key}\x1f{info.name}\x1f".encode("utf-8", "surrogatepass")
    )
    state = _RenderState(picked, language, locale, 0)
    token = _STATE.set(state)
    try:
        text = template.environment.render_bounded(template, context, info.name)
    except _render_errors() as exc:
        raise _render_error(exc, info, context) from None
    finally:
        _STATE.reset(token)
    return _tidy(text)


# A template that is its metadata comment and `{{ field }}` on the next line. Rendered, that is
# the field's text: the comment and its newline vanish (trim_blocks), as does a last newline.
_ONE_FIELD = re.compile(r"\{#(?:(?!#\}).)*#\}\n\{\{ ?([A-Za-z_][A-Za-z0-9_]*) ?\}\}\n?", re.S)


@lru_cache(maxsize=256)  # asked for every note: a match over the whole source each time
def _printed_field(source: str) -> str | None:
    """The one field a template does nothing but print ('text' in blank.j2), or None."""
    match = _ONE_FIELD.fullmatch(source)
    return match.group(1) if match and match.group(1) not in REMOVED_GLOBALS else None


@lru_cache(maxsize=1)
def _render_errors() -> tuple[type[BaseException], ...]:
    """What a render may raise that the user sees as a template error."""
    import jinja2
    from jinja2.sandbox import SecurityError

    return (
        NotesError, jinja2.TemplateError, SecurityError, RecursionError, MemoryError,
        TypeError, ValueError, ArithmeticError, LookupError, AttributeError, AssertionError,
    )  # fmt: skip


_UNSAFE_HINT = (
    "a card needs a few hundred characters of text: look for loops that repeat or grow text, "
    "very large numbers or lists, or macros that call themselves"
)


def _render_error(exc: BaseException, info: TemplateInfo, context: Mapping[str, Any]) -> NotesError:
    """The error a user sees for `exc`, raised while rendering, with the template's line."""
    import jinja2
    from jinja2.sandbox import SecurityError

    line = _template_line(exc, str(info.path))
    if isinstance(exc, jinja2.UndefinedError):
        return _missing_field(exc, info, context, line)
    if isinstance(exc, SecurityError):
        error = TemplateError(f"unsafe template: {exc}", hint=_UNSAFE_HINT)
    elif isinstance(exc, RecursionError):
        error = TemplateError("unsafe template: it calls itself without end", hint=_UNSAFE_HINT)
    elif isinstance(exc, MemoryError):
        error = TemplateError("unsafe template: it ran out of memory", hint=_UNSAFE_HINT)
    elif isinstance(exc, NotesError):
        error = exc
    elif isinstance(exc, jinja2.TemplateError):
        error = TemplateError(f"template error: {exc}")
    else:
        error = TemplateError(f"{type(exc).__name__}: {exc}")
    return _located(error, f"template {info.name!r}", line)


def _located(exc: NotesError, at: str, line: int | None) -> NotesError:
    """Prefix 'template 'x' line N' to the message of an error raised while rendering."""
    prefix = f"{at} line {line}" if line else at
    if not exc.message.startswith(at):
        exc.message = f"{prefix}: {exc.message}"
        exc.args = (exc.message,)
    exc.template_line = line  # type: ignore[attr-defined]
    return exc


def _missing_field(
    exc: jinja2.UndefinedError, info: TemplateInfo, context: Mapping[str, Any], line: int | None
) -> TemplateError:
    found = re.match(r"'([^']+)' is undefined", str(exc.message or ""))
    at = f"template {info.name!r}" + (f" line {line}" if line else "")
    given = [k for k in context if k not in PROVIDED_NAMES]
    from notes.template_checks import misspelt_attribute, misspelt_field

    if found and (typo := misspelt_field(info, found.group(1), given)):
        return typo
    if not found and (typo := misspelt_attribute(info, str(exc.message or ""), context, line)):
        return typo
    if found:
        field = found.group(1)
        close = difflib.get_close_matches(field, given, n=1)
        hint = f"fields given: {known_fields(given)}"
        if close:
            hint += f"; closest is {close[0]!r}"
        hint += f"; add a {field!r} column, or write {{% if {field} is defined %}} around it"
        error = TemplateError(f"{at} needs field {field!r}", hint=hint)
        error.field = field  # type: ignore[attr-defined]
    else:  # e.g. "'dict object' has no attribute 'nmae'"
        error = TemplateError(f"{at}: {exc.message}", hint=f"fields given: {known_fields(given)}")
        error.field = None  # type: ignore[attr-defined]
    error.template_line = line  # type: ignore[attr-defined]
    return error
