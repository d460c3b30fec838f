"""The template catalog: the bundled occasions in one folder per language, their metadata, and the
user's own template files.

Bundled templates live in templates/<language>/<occasion>.j2 (templates/de/thank-you.j2), with the
languages listed in templates/languages.toml (see `notes.languages`). English is the base: every
occasion is written in it, and `--template thank-you` without a language means it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import notes
from notes import tomlstore
from notes.cards import parse_card
from notes.errors import NotesError, TemplateError
from notes.records import FrozenRecord  # dataclass methods written once (start-up)

BASE_LANGUAGE = "en"
# back.j2 (and thank-you.back.j2 beside a template) is what `notes merge --duplex` prints on
# the cards' backs: a side of a card, not an occasion of its own.
BACK_TEMPLATE = "back"
MAX_TEMPLATE_CHARS = 100_000
_META_KEYS = {"title": str, "description": str, "required": list, "optional": list, "card": str}
_METADATA = re.compile(r"\A\s*\{#(.*?)#\}", re.S)
_LANGUAGE_FOLDER = re.compile(r"[a-z]{2,3}(_[A-Za-z0-9]{2,4})?")  # de, pt_BR, zh_Hant


@dataclass(init=False, repr=False, eq=False)
class TemplateInfo(FrozenRecord):
    """A template: its metadata and its source."""

    name: str
    title: str
    description: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    card: str | None
    source: str  # the whole file, metadata comment included, so line numbers match the file
    path: Path
    language: str = ""  # the folder a bundled template comes from ("de"); "" for the user's own


@lru_cache(maxsize=1)
def templates_dir() -> Path:
    """Bundled templates: inside the wheel (notes/_data/templates) or the repo's templates/.
    Looked up once: a merge asks for it several times per note."""
    package = Path(notes.__file__).parent
    bundled = package / "_data" / "templates"
    return bundled if bundled.is_dir() else package.parent / "templates"


def occasions() -> dict[str, tuple[str, ...]]:
    """Every bundled occasion -> the languages it is written in, English first."""
    return _occasions(templates_dir())


@lru_cache(maxsize=4)
def _occasions(root: Path) -> dict[str, tuple[str, ...]]:
    found: dict[str, set[str]] = {}
    for folder in root.iterdir() if root.is_dir() else ():
        if folder.is_dir() and _LANGUAGE_FOLDER.fullmatch(folder.name):
            for path in folder.glob("*.j2"):
                if is_back(path):
                    continue
                found.setdefault(path.stem, set()).add(folder.name)
    order = lambda code: (code != BASE_LANGUAGE, code)  # noqa: E731
    return {name: tuple(sorted(codes, key=order)) for name, codes in sorted(found.items())}


def is_bundled(name_or_path: str) -> bool:
    """Is this the name of a bundled occasion ('thank-you'), not a path to the user's file?"""
    text = str(name_or_path).strip()
    return text in occasions() and not ("/" in text or "\\" in text)


def list_templates(language: str = BASE_LANGUAGE) -> list[TemplateInfo]:
    """Every bundled template in `language`, sorted by name."""
    folder = templates_dir() / language
    paths = sorted(path for path in folder.glob("*.j2") if not is_back(path))
    return [_read_template(path, bundled=True) for path in paths]


def is_back(path: Path) -> bool:
    """back.j2 or thank-you.back.j2: a card's back side, not an occasion."""
    return path.stem == BACK_TEMPLATE or path.stem.endswith(f".{BACK_TEMPLATE}")


def load_template(name_or_path: str, language: str | None = None) -> TemplateInfo:
    """A bundled template by name ('thank-you') in `language` (English when not given), or the
    user's own .j2 file by path (its language is whatever it is written in)."""
    text = str(name_or_path).strip()
    path = Path(text).expanduser()
    looks_like_path = "/" in text or "\\" in text or text.endswith((".j2", ".jinja", ".txt"))
    if looks_like_path or (text not in occasions() and path.is_file()):
        if not path.is_file():
            raise TemplateError(
                f"template file {text!r} not found",
                hint="check the path, or give a bundled name (`notes templates` lists them)",
            )
        return _read_template(path, bundled=False)
    known = occasions()
    if text in known:
        language = language or BASE_LANGUAGE
        if language not in known[text]:
            raise TemplateError(
                f"template {text!r} is not written in {language!r}",
                hint=f"it is written in: {', '.join(known[text])}",
            )
        return _bundled_template(language, text)
    close = difflib.get_close_matches(text, list(known), n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise TemplateError(
        f"unknown template {text!r}",
        hint=f"{hint}known templates: {', '.join(known)}; or give the path to your own .j2 file",
    )


@lru_cache(maxsize=64)
def _bundled_template(language: str, name: str) -> TemplateInfo:
    """A bundled template, read once per process (they ship with the package): a merge loads
    its template for every note."""
    return _read_template(templates_dir() / language / f"{name}.j2", bundled=True)


def _read_template(path: Path, *, bundled: bool) -> TemplateInfo:
    from notes.templatestore import remembered
    from notes.templating import check_source

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
    # Syntax errors and unsafe names surface when loading; a source that passed is not parsed
    # again by the next run (notes.templatestore).
    remembered("checked", (source, str(path)), lambda: check_source(source, path) or True)
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
        language=path.parent.name if bundled else "",
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
        data = tomlstore.loads(body)
    except ValueError as exc:  # tomllib.TOMLDecodeError
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
        if key not in _META_KEYS:
            raise TemplateError(
                f"unknown metadata key {key!r}",
                where=_key_line(path, source, key),
                hint=f"known keys: {', '.join(_META_KEYS)}",
            )
        kind = _META_KEYS[key]
        if not isinstance(value, kind) or (
            kind is list and not all(isinstance(v, str) for v in value)
        ):
            wanted = "a list of strings" if kind is list else "a string"
            raise TemplateError(
                f"metadata {key!r} must be {wanted}", where=_key_line(path, source, key)
            )
    return data


def _key_line(path: Path, source: str, key: str) -> str:
    """'thank-you.j2 line 4': where a metadata key is written, looked up only for a message."""
    found = re.search(rf"(?m)^\s*{re.escape(key)}\s*=", source)
    line = source.count("\n", 0, found.start()) + 1 if found else 1
    return f"{path} line {line}"
