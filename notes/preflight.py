"""Checks before a merge renders anything: which rows, and do the columns give what it needs.

A template that needs a field no column gives fails here, once, naming the closest column,
rather than on every row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from notes.errors import TemplateError, UsageError


def parse_rows(spec: str) -> set[int]:
    """'3,7-9' -> {3, 7, 8, 9}: data rows counted from 1, as in the manifest."""
    chosen: set[int] = set()
    for part in spec.split(","):
        part = part.strip()
        match = re.fullmatch(r"(\d+)(?:\s*-\s*(\d+))?", part)
        if (
            not match
            or int(match.group(1)) < 1
            or int(match.group(2) or match.group(1)) < int(match.group(1))
        ):
            raise UsageError(
                f"--rows {spec!r}: cannot read {part!r}",
                hint="give row numbers from 1 and ranges, e.g. --rows 3,7-9",
            )
        chosen.update(range(int(match.group(1)), int(match.group(2) or match.group(1)) + 1))
    return chosen


def _guarded_names(source: str) -> set[str]:
    """Names the template only uses behind `is defined` (or `is undefined`) tests."""
    import jinja2
    from jinja2 import nodes

    ast = jinja2.Environment().parse(source)
    return {
        test.node.name
        for test in ast.find_all(nodes.Test)
        if test.name in ("defined", "undefined") and isinstance(test.node, nodes.Name)
    }


def _available(fields: Iterable[str]) -> set[str]:
    """Fields a record can give, counting what the context derives (first name from name...)."""
    have = set(fields)
    if have & {"name", "first_name", "last_name"}:
        have |= {"name", "first_name"}
    if "name" in have:
        have.add("last_name")
    if have & {"product", "products"}:
        have |= {"product", "products"}
    return have


def required_fields(info) -> list[str]:  # noqa: ANN001 - a notes.templating.TemplateInfo
    """What a record must give: declared `required`, plus fields the template uses unguarded."""
    from notes.templating import template_fields

    used = template_fields(info) - set(info.optional) - _guarded_names(info.source)
    return list(dict.fromkeys([*info.required, *sorted(used)]))


def preflight(info, columns: list[str], colmap: Mapping[str, str], *, source: str = "") -> None:  # noqa: ANN001
    """Raise TemplateError naming the first field the template needs that no column gives."""
    from notes.columns import closest_column

    have = _available(colmap)
    for field_name in required_fields(info):
        if field_name in have:
            continue
        close = closest_column(field_name, columns)
        hint = f"columns present: {', '.join(columns) or '(none)'}"
        if close:
            hint += f"; closest match: {close!r}, use it with --map {field_name}={_quoted(close)}"
        else:
            hint += f"; add a column for it, or name one with --map {field_name}=COLUMN"
        raise TemplateError(
            f"template {info.name!r} needs field {field_name!r}, but no column gives it",
            where=source or None,
            hint=hint,
        )


def _quoted(column: str) -> str:
    return f'"{column}"' if re.search(r"[^\w.-]", column) else column
