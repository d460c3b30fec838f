"""Templates: finding and loading them, their globals and filters, rendering, variant picking.

Templates are written by shop owners and may come from anywhere, so they run in Jinja's sandbox
with a budget of work and size per render (notes.sandbox, notes.budget) and are checked before
they run (notes.template_checks). Customer data is only ever passed in as values: a name like
"{{ 7*7 }}" is printed as written.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import tomllib
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta, pass_context
from jinja2.runtime import Context
from jinja2.sandbox import SecurityError

import notes
from notes.budget import MAX_OUTPUT_CHARS, render_budget
from notes.cards import parse_card
from notes.context import format_date, format_money, greeting_for, join_human, known_fields
from notes.errors import NotesError, TemplateError
from notes.names import parse_name
from notes.sandbox import make_sandbox
from notes.template_checks import compile_template

MAX_TEMPLATE_CHARS = 100_000

# Names every render provides, so they are never "fields the data must have".
PROVIDED_NAMES = frozenset({"shop", "today", "pick"})
_META_KEYS = {"title": str, "description": str, "required": list, "optional": list, "card": str}
_METADATA = re.compile(r"\A\s*\{#(.*?)#\}", re.S)


@dataclass(frozen=True)
class TemplateInfo:
    name: str
    title: str
    description: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    card: str | None
    source: str  # the whole file, metadata comment included, so line numbers match the file
    path: Path


@dataclass
class _RenderState:
    seed: str
    recipient: str
    template: str
    picks: int = 0


_STATE: ContextVar[_RenderState | None] = ContextVar("notes_render_state", default=None)


# ---------------------------------------------------------------- finding and loading templates


def templates_dir() -> Path:
    """Bundled templates: inside the wheel (notes/_data/templates) or the repo's templates/."""
    package = Path(notes.__file__).parent
    bundled = package / "_data" / "templates"
    return bundled if bundled.is_dir() else package.parent / "templates"


def list_templates() -> list[TemplateInfo]:
    """Every bundled template, sorted by name."""
    return [_read_template(path, bundled=True) for path in sorted(templates_dir().glob("*.j2"))]


def load_template(name_or_path: str) -> TemplateInfo:
    """A bundled template by name ('thank-you'), or the user's own .j2 file by path."""
    text = str(name_or_path).strip()
    path = Path(text).expanduser()
    looks_like_path = "/" in text or "\\" in text or text.endswith((".j2", ".jinja", ".txt"))
    if looks_like_path or (path.is_file() and not (templates_dir() / f"{text}.j2").is_file()):
        if not path.is_file():
            raise TemplateError(
                f"template file {text!r} not found",
                hint="check the path, or give a bundled name (`notes templates` lists them)",
            )
        return _read_template(path, bundled=False)
    bundled = templates_dir() / f"{text}.j2"
    if bundled.is_file():
        return _read_template(bundled, bundled=True)
    known = sorted(p.stem for p in templates_dir().glob("*.j2"))
    close = difflib.get_close_matches(text, known, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise TemplateError(
        f"unknown template {text!r}",
        hint=f"{hint}known templates: {', '.join(known)}; or give the path to your own .j2 file",
    )


def _read_template(path: Path, *, bundled: bool) -> TemplateInfo:
    try:
        with path.open(encoding="utf-8-sig") as file:
            source = file.read(MAX_TEMPLATE_CHARS + 1)  # never more: it may be any file at all
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(
            f"cannot read template: {exc}", where=str(path), hint="save it as UTF-8 text"
        ) from None
    if len(source) > MAX_TEMPLATE_CHARS:
        raise TemplateError(
            f"template is over {MAX_TEMPLATE_CHARS} characters long",
            where=str(path),
            hint="a card template is a few hundred characters; check that this is the right file",
        )
    meta_data = _parse_metadata(source, path, bundled=bundled)
    _compile(source, path.stem, str(path))  # syntax errors surface when loading, with their line
    _refuse_removed_globals(source, path)
    card = meta_data.get("card")
    if card is not None:
        try:
            parse_card(card)
        except NotesError as exc:
            raise TemplateError(
                f"metadata: {exc.message}", where=str(path), hint=exc.hint
            ) from None
    return TemplateInfo(
        name=path.stem,
        title=meta_data.get("title", path.stem),
        description=meta_data.get("description", ""),
        required=tuple(meta_data.get("required", ())),
        optional=tuple(meta_data.get("optional", ())),
        card=card,
        source=source,
        path=path,
    )


def _parse_metadata(source: str, path: Path, *, bundled: bool) -> dict[str, Any]:
    """The TOML in the leading {# ... #} comment; optional in the user's own templates."""
    match = _METADATA.match(source)
    if not match:
        if bundled:
            raise TemplateError("missing the {# ... #} metadata comment", where=str(path))
        return {}
    body = match.group(1)
    first_line = source.count("\n", 0, match.start(1))  # file line of the comment's line 1, minus 1
    try:
        data = tomllib.loads(body)
    except tomllib.TOMLDecodeError as exc:
        if not bundled and not re.search(r"(?m)^\s*\w+\s*=", body):
            return {}  # a plain comment, not metadata
        found = re.search(r"at line (\d+)", str(exc))
        line = f" line {int(found.group(1)) + first_line}" if found else ""
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise TemplateError(
            f"metadata is not valid TOML: {reason}",
            where=f"{path}{line}",
            hint='write it like: title = "Thank you"  /  required = ["name", "product"]',
        ) from None
    for key, value in data.items():
        where = f"{path} line {_line_of_key(source, key)}"
        if key not in _META_KEYS:
            raise TemplateError(
                f"unknown metadata key {key!r}",
                where=where,
                hint=f"known keys: {', '.join(_META_KEYS)}",
            )
        kind = _META_KEYS[key]
        if not isinstance(value, kind) or (
            kind is list and not all(isinstance(v, str) for v in value)
        ):
            wanted = "a list of strings" if kind is list else "a string"
            raise TemplateError(f"metadata {key!r} must be {wanted}", where=where)
    return data


def _line_of_key(source: str, key: str) -> int:
    found = re.search(rf"(?m)^\s*{re.escape(key)}\s*=", source)
    return source.count("\n", 0, found.start()) + 1 if found else 1


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
    key = f"{state.seed}\x1f{state.recipient}\x1f{state.template}\x1f{state.picks}"
    state.picks += 1
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).digest()
    return options[int.from_bytes(digest[:8], "big") % len(options)]


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


@pass_context
def _money(ctx: Context, value: Any, currency: str | None = None) -> str:
    return format_money(
        value,
        locale=_shop_setting(ctx, "locale", "en_US"),
        currency=currency or _shop_setting(ctx, "currency", "USD"),
    )


@pass_context
def _date(ctx: Context, value: Any, format: str = "long") -> str:
    return format_date(value, locale=_shop_setting(ctx, "locale", "en_US"), format=format)


@pass_context
def _join_human(ctx: Context, items: Any) -> str:
    return join_human(items, _shop_setting(ctx, "locale", "en_US"))


@pass_context
def _first_name(ctx: Context, value: Any) -> str:
    """{{ name|first_name }}: the name a card greets, by the same rule as `first_name`."""
    return greeting_for(parse_name(str(value), locale=_shop_setting(ctx, "locale", "")))


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    """Built once per process: filters and globals live here, per-render state in _STATE."""
    # `first_name` and `date` are filters only: as globals they would clash with data fields.
    return make_sandbox(
        extra_globals=dict(pick=_pick, join_human=_join_human, money=_money, format_date=_date),
        extra_filters=dict(
            first_name=_first_name,
            join_human=_join_human,
            money=_money,
            date=_date,
            random=_seeded_random,
        ),
        removed=REMOVED_GLOBALS,  # lorem ipsum has no place on a card and is unbounded
    )


@lru_cache(maxsize=256)
def _compile(source: str, name: str, filename: str) -> jinja2.Template:
    return compile_template(_environment(), source, name, filename)


# Jinja globals taken out of the sandbox; a template naming one is refused as unsafe, so the
# name is never mistaken for a data field the rows lack.
REMOVED_GLOBALS = frozenset({"lipsum"})


def _refuse_removed_globals(source: str, path: Path) -> None:
    ast = _environment().parse(source, name=path.stem, filename=str(path))
    used = meta.find_undeclared_variables(ast) & REMOVED_GLOBALS
    if used:
        name = sorted(used)[0]
        line = next((n for n, text in enumerate(source.splitlines(), 1) if name in text), None)
        raise TemplateError(
            f"template {path.stem!r} line {line}: unsafe template: "
            f"{name!r} is not available in notes templates",
            where=str(path),
            hint="remove it; templates may use the data fields, shop, today, pick and the filters",
        )


def template_fields(info: TemplateInfo) -> set[str]:
    """Names the template reads that the data must provide (optional ones included)."""
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
    lines = [line.rstrip(" \t") for line in text.split("\n")]
    tidy = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return tidy.strip("\n")


def render_text(
    info: TemplateInfo, context: Mapping[str, Any], *, seed: int | str, recipient_key: str
) -> str:
    """Render one card's text. Same seed + recipient -> same text."""
    template = _compile(info.source, info.name, str(info.path))
    state = _RenderState(seed=str(seed), recipient=recipient_key, template=info.name)
    token = _STATE.set(state)
    try:
        with render_budget():
            text = _generate_bounded(template, context, f"template {info.name!r}")
    except _RENDER_ERRORS as exc:
        raise _render_error(exc, info, context) from None
    finally:
        _STATE.reset(token)
    return _tidy(text)


def _generate_bounded(template: jinja2.Template, context: Mapping[str, Any], at: str) -> str:
    size = 0
    chunks = []
    for chunk in template.generate(dict(context)):
        size += len(chunk)
        if size > MAX_OUTPUT_CHARS:
            raise TemplateError(
                f"{at} writes more than {MAX_OUTPUT_CHARS} characters",
                hint="a card holds a few hundred; look for a loop that repeats text",
            )
        chunks.append(chunk)
    return "".join(chunks)


_RENDER_ERRORS = (
    NotesError, jinja2.TemplateError, SecurityError, RecursionError, MemoryError,
    TypeError, ValueError, ArithmeticError, LookupError, AttributeError, AssertionError,
)  # fmt: skip
_UNSAFE_HINT = (
    "a card needs a few hundred characters of text: look for loops that repeat or grow text, "
    "very large numbers or lists, or macros that call themselves"
)


def _render_error(exc: BaseException, info: TemplateInfo, context: Mapping[str, Any]) -> NotesError:
    """The error a user sees for `exc`, raised while rendering, with the template's line."""
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
