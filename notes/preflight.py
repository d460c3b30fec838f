"""Checks before a merge renders anything: which rows, and do the columns give what it needs.

A template that needs a field no column gives fails here, once, naming the closest column,
rather than on every row.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from notes.errors import TemplateError, UsageError
from notes.records import FrozenRecord  # dataclass methods written once (start-up)


@dataclass(init=False, repr=False, eq=False)
class RowSelection(FrozenRecord):
    """Data rows chosen with --rows, as sorted, merged, inclusive ranges: `1-100000000` is one
    pair, not a hundred million numbers."""

    ranges: tuple[tuple[int, int], ...]

    @classmethod
    def of(cls, numbers: Iterable[int]) -> RowSelection:
        """The selection of these row numbers: {3, 7, 8, 9} -> (3, 3), (7, 9)."""
        return cls.from_ranges((n, n) for n in numbers)

    @classmethod
    def from_ranges(cls, pairs: Iterable[tuple[int, int]]) -> RowSelection:
        merged: list[tuple[int, int]] = []
        for first, last in sorted(pairs):
            if merged and first <= merged[-1][1] + 1:
                merged[-1] = (merged[-1][0], max(merged[-1][1], last))
            else:
                merged.append((first, last))
        return cls(tuple(merged))

    def __contains__(self, number: object) -> bool:
        if not isinstance(number, int):
            return False
        at = bisect.bisect_right(self.ranges, (number, math.inf)) - 1
        return at >= 0 and self.ranges[at][1] >= number

    def __iter__(self) -> Iterator[int]:
        for first, last in self.ranges:
            yield from range(first, last + 1)

    def __len__(self) -> int:
        return sum(last - first + 1 for first, last in self.ranges)

    @property
    def last(self) -> int:
        """The highest row chosen: no row after it needs reading."""
        return self.ranges[-1][1] if self.ranges else 0

    def spec(self) -> str:
        """Back to what --rows reads: '3,7-9'."""
        return ",".join(str(a) if a == b else f"{a}-{b}" for a, b in self.ranges)


def parse_rows(spec: str) -> RowSelection:
    """'3,7-9' -> rows 3, 7, 8 and 9: data rows counted from 1, as in the manifest."""
    pairs: list[tuple[int, int]] = []
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
        pairs.append((int(match.group(1)), int(match.group(2) or match.group(1))))
    return RowSelection.from_ranges(pairs)


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


def money_fields(source: str) -> set[str]:
    """Fields the template formats as money ({{ total|money }}, {{ money(total) }}): their
    columns are read once before the merge, so '1,234' is read as the rest of its column.
    Worked out once per template, not by every merge (a parse: ~5 ms; notes.templatestore)."""
    from notes.templatestore import remembered

    return set(remembered("money fields", (source,), lambda: sorted(_money_fields(source))))


def _money_fields(source: str) -> set[str]:
    import jinja2
    from jinja2 import nodes

    found = set()
    for node in jinja2.Environment().parse(source).find_all((nodes.Filter, nodes.Call)):
        if isinstance(node, nodes.Filter) and node.name == "money":
            value = node.node
        elif isinstance(node, nodes.Call) and getattr(node.node, "name", None) == "money":
            value = node.args[0] if node.args else None
        else:
            continue
        if isinstance(value, nodes.Name):
            found.add(value.name)
    return found


def _available(fields: Iterable[str]) -> set[str]:
    """Fields a record can give, counting what the context derives (first name from name...)."""
    have = set(fields)
    if have & {"name", "first_name", "last_name"}:
        have |= {"name", "first_name", "greeting_name"}
    if "name" in have:
        have.add("last_name")
    if have & {"product", "products"}:
        have |= {"product", "products"}
    return have


def required_fields(info) -> list[str]:  # noqa: ANN001 - a notes.templating.TemplateInfo
    """What a record must give: declared `required`, plus fields the template uses unguarded.
    Worked out (two parses) once per template, not by every run (notes.templatestore)."""
    from notes.templatestore import remembered

    parts = (info.source, info.name, str(info.path), info.required, info.optional)
    return remembered("required fields", parts, lambda: _required_fields(info))


def _required_fields(info) -> list[str]:  # noqa: ANN001
    from notes.templating import template_fields

    used = template_fields(info) - set(info.optional) - _guarded_names(info.source)
    return list(dict.fromkeys([*info.required, *sorted(used)]))


def missing_fields(info, fields: Mapping[str, str]) -> list[str]:  # noqa: ANN001 - TemplateInfo
    """The fields the template needs that `fields` leaves out or gives empty."""
    have = given_fields(fields)
    return [name for name in required_fields(info) if name not in have]


def given_fields(fields: Mapping[str, str]) -> set[str]:
    """The fields `fields` gives a value, with those made from them (first_name from name)."""
    return _available(key for key, value in fields.items() if str(value).strip())


def preflight(info, columns: list[str], colmap: Mapping[str, str], *, source: str = "") -> None:  # noqa: ANN001
    """Raise TemplateError naming the first field the template needs that no column gives."""
    from notes.columns import closest_column
    from notes.template_checks import misspelt_field

    have = _available(colmap)
    for field_name in required_fields(info):
        if field_name in have:
            continue
        typo = misspelt_field(info, field_name, have)
        if typo is not None:
            raise typo
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
