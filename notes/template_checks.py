"""Compiling a template, refusing what it may not do before it ever runs.

Names it does not know are refused with the one they most likely misspell (`titel` -> `title`),
and a field the data lacks that is a near miss of one it has is a typo in the template.

A notes template is one self-contained file: there is no loader, so {% include %}, {% import %}
and {% extends %} are refused with their line. Nesting is limited (blocks in blocks, brackets in
brackets), so a template can neither overflow Python's stack while compiling nor produce code
Python refuses ("too many statically nested blocks").
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2 import nodes
from jinja2.parser import Parser

from notes.errors import TemplateError

if TYPE_CHECKING:
    from notes.templates import TemplateInfo

MAX_BLOCK_NESTING = 10  # {% for %} / {% if %} / {% macro %}... inside each other
MAX_BRACKETS = 20  # ( [ { inside each other
MAX_NESTING = 40  # any part inside another: blocks, brackets, operators, filters

_OPENING_TAGS = frozenset({"for", "if", "macro", "call", "filter", "with", "block", "autoescape"})

_REFUSED_TAGS = {
    nodes.Include: "{% include %}",
    nodes.Import: "{% import %}",
    nodes.FromImport: "{% from ... import %}",
    nodes.Extends: "{% extends %}",
}
_BLOCKS = (
    nodes.For, nodes.If, nodes.Macro, nodes.CallBlock, nodes.FilterBlock, nodes.With,
    nodes.AssignBlock, nodes.Block, nodes.Scope, nodes.ScopedEvalContextModifier,
)  # fmt: skip
_NESTING_HINT = (
    "a card template needs only a few levels; compute deep parts step by step with {% set %}"
)


def compile_template(env: jinja2.Environment, source: str, name: str, filename: str):  # noqa: ANN201
    """The compiled jinja2.Template, or a TemplateError naming the file and line. The code of a
    template that passed the checks is kept on disk for the next run (notes.templatestore)."""
    from notes.templatestore import store_code, stored_code

    code = stored_code(env, source, name, filename)
    if code is None:
        code = _checked_code(env, source, name, filename)
        store_code(env, source, name, filename, code)
    return env.template_class.from_code(env, code, env.make_globals(None), None)


def _checked_code(env: jinja2.Environment, source: str, name: str, filename: str):  # noqa: ANN202
    """The template's code, compiled once every check passed."""
    at = f"template {name!r}"
    _refuse_deep_nesting(env, source, at)
    try:
        ast = env.parse(source, name=name, filename=filename)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"syntax error: {exc.message}",
            where=f"{filename} line {exc.lineno}",
            hint="check the {{ }} / {% %} pairs on that line",
        ) from None
    except (RecursionError, MemoryError) as exc:
        raise _unsafe(at, _parser_line(exc.__traceback__), "it is nested too deeply") from None
    _refuse_unsafe_structure(ast, at)
    _refuse_unknown_names(env, ast, at, filename)
    try:
        code = env.compile(ast, name=name, filename=filename)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"{at} line {exc.lineno}: {exc.message}", where=filename, hint=_NESTING_HINT
        ) from None
    except (RecursionError, MemoryError, SyntaxError):  # Python refusing the generated code
        raise _unsafe(at, None, "it is nested too deeply") from None
    return code


def _unsafe(at: str, line: int | None, reason: str, hint: str = _NESTING_HINT) -> TemplateError:
    where = f"{at} line {line}" if line else at
    error = TemplateError(f"{where}: unsafe template: {reason}", hint=hint)
    error.template_line = line  # type: ignore[attr-defined]
    return error


def _parser_line(tb: TracebackType | None) -> int | None:
    """The line the parser had reached when it ran out of stack."""
    line = None
    while tb is not None:
        parser = tb.tb_frame.f_locals.get("self")
        if isinstance(parser, Parser):
            line = parser.stream.current.lineno
        tb = tb.tb_next
    return line


def _refuse_deep_nesting(env: jinja2.Environment, source: str, at: str) -> None:
    """Blocks and brackets nested past the limits, found in the tokens: the parser would run out
    of stack on them, at a line that depends on how deep the caller's stack already was."""
    blocks = brackets = 0
    tag: list[str] | None = None  # the names and operators of the {% tag %} being read
    try:
        for line, kind, value in env.lex(source):
            if kind == "block_begin":
                tag = []
            elif kind in ("name", "operator") and tag is not None:
                tag.append(value)
            elif kind == "block_end" and tag:
                if tag[0] in _OPENING_TAGS or (tag[0] == "set" and "=" not in tag):
                    blocks += 1  # {% set x %}...{% endset %} is a block, {% set x = 1 %} is not
                elif tag[0].startswith("end"):
                    blocks -= 1
                tag = None
            if kind == "operator":
                brackets += (value in "([{") - (value in ")]}")
            if blocks > MAX_BLOCK_NESTING:
                raise _unsafe(at, line, f"blocks are nested more than {MAX_BLOCK_NESTING} deep")
            if brackets > MAX_BRACKETS:
                raise _unsafe(at, line, f"brackets are nested more than {MAX_BRACKETS} deep")
    except jinja2.TemplateSyntaxError:
        return  # parsing reports it, with its line


def _refuse_unsafe_structure(ast: nodes.Template, at: str) -> None:
    """Includes and their kin, and nesting past the limits; walked without recursion."""
    stack: list[tuple[nodes.Node, int, int]] = [(ast, 0, 0)]
    while stack:
        node, depth, blocks = stack.pop()
        tag = _REFUSED_TAGS.get(type(node))
        if tag:
            raise _unsafe(
                at,
                node.lineno,
                f"{tag} is not allowed: a notes template is one self-contained file",
                hint="paste the text you wanted to include into this template",
            )
        if blocks > MAX_BLOCK_NESTING:
            raise _unsafe(at, node.lineno, f"blocks are nested more than {MAX_BLOCK_NESTING} deep")
        if depth > MAX_NESTING:
            raise _unsafe(at, node.lineno, f"it is nested more than {MAX_NESTING} deep")
        for child in node.iter_child_nodes():
            stack.append((child, depth + 1, blocks + isinstance(child, _BLOCKS)))


def _refuse_unknown_names(
    env: jinja2.Environment, ast: nodes.Template, at: str, filename: str
) -> None:
    """A filter, test or function the sandbox does not have, named with its line and the one it
    is most likely a typo of, before any card renders (Jinja would say only "no filter named"
    here, and find an unknown test or function only on the first card that reaches it)."""
    from jinja2 import meta

    called = set()
    for node in ast.find_all((nodes.Filter, nodes.Test, nodes.Call)):
        if isinstance(node, nodes.Filter) and node.name not in env.filters:
            raise _unknown("filter", node.name, node.lineno, env.filters, at, filename)
        if isinstance(node, nodes.Test) and node.name not in env.tests:
            raise _unknown("test", node.name, node.lineno, env.tests, at, filename)
        if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name):
            if node.node.name not in env.globals:
                called.add((node.lineno, node.node.name))
    if called:  # a macro or {% set %} of the template's own is no unknown function
        undeclared = meta.find_undeclared_variables(ast)
        for line, name in sorted(called):
            if name in undeclared:
                raise _unknown_function(env, name, line, at, filename)


def _unknown(kind: str, name: str, line: int, known, at: str, filename: str) -> TemplateError:  # noqa: ANN001 - the environment's filters or tests
    """'unknown filter 'titel': did you mean 'title'?', with every one there is in the hint."""
    close = did_you_mean(name, known)
    guess = f": did you mean {close!r}?" if close else ""
    usage = "{{ value|NAME }}" if kind == "filter" else "{% if value is NAME %}"
    error = TemplateError(
        f"{at} line {line}: unknown {kind} {name!r}{guess}",
        where=filename,
        hint=f"fix its name on that line ({usage}); the {kind}s there are: "
        + ", ".join(sorted(n for n in known if n.isidentifier())),
    )
    error.template_line = line  # type: ignore[attr-defined]
    return error


def _unknown_function(
    env: jinja2.Environment, name: str, line: int, at: str, filename: str
) -> TemplateError:
    """{{ pik("a", "b") }}: not a data field (those are text) but a misspelt function, or a
    filter called like a function ({{ title(name) }})."""
    close = did_you_mean(name, env.globals)
    if close:
        guess = f": did you mean {close}()?"
    elif name in env.filters:
        guess = f": {name!r} is a filter, write {{{{ value|{name} }}}}"
    else:
        guess = ""
    error = TemplateError(
        f"{at} line {line}: unknown function {name}(){guess}",
        where=filename,
        hint="fix its name on that line; the functions there are: "
        + ", ".join(f"{n}()" for n in sorted(env.globals)),
    )
    error.template_line = line  # type: ignore[attr-defined]
    return error


def did_you_mean(name: str, known: Iterable[str]) -> str | None:
    """The known name `name` is most likely a typo of ('titel' -> 'title'), or None when none
    is that close."""
    close = difflib.get_close_matches(name, sorted(set(known) - {name}), n=1, cutoff=0.75)
    return close[0] if close else None


def misspelt_field(info: TemplateInfo, field: str, given: Iterable[str]) -> TemplateError | None:
    """'frist_name' when the data gives 'first_name': the template is what to fix, not the
    data, so the error says "did you mean" (not "--map frist_name=..."). None when `field` is
    not a near miss of a field the data gives, of a field notes knows, or of one the template
    declares, or when it is one of those itself (then a column is what is missing)."""
    from notes.columns import CANONICAL_FIELDS
    from notes.context import known_fields
    from notes.templating import PROVIDED_NAMES

    given = set(given)
    declared = {*info.required, *info.optional, *CANONICAL_FIELDS, *PROVIDED_NAMES}
    if field in declared:
        return None
    close = did_you_mean(field, {*given, *declared})
    if close is None:
        return None
    line = _first_use(info, field)
    at = f"template {info.name!r}" + (f" line {line}" if line else "")
    fix = f"write {close} for {field}" + (f" on line {line}" if line else "")
    fix += f" of {info.path.name}"
    if close not in given and close not in PROVIDED_NAMES:
        fix += f", and give the data a {close!r} column (or --map {close}=COLUMN)"
    error = TemplateError(
        f"{at}: unknown field {field!r}: did you mean {close!r}?",
        where=str(info.path),
        hint=f"{fix}; the data gives: {known_fields(given)} (if {field!r} is right, "
        f"add a column for it, or --map {field}=COLUMN)",
    )
    error.field = field  # type: ignore[attr-defined]
    error.template_line = line  # type: ignore[attr-defined]
    return error


def _first_use(info: TemplateInfo, name: str) -> int | None:
    """The line where the template first reads `name`."""
    from notes.templating import _environment

    ast = _environment().parse(info.source, name=info.name, filename=str(info.path))
    lines = [node.lineno for node in ast.find_all(nodes.Name) if node.name == name]
    return min(lines, default=None)


def misspelt_attribute(
    info: TemplateInfo, message: str, context: Mapping[str, Any], line: int | None
) -> TemplateError | None:
    """{{ shop.nmae }}: "'dict object' has no attribute 'nmae'" becomes "shop has no 'nmae':
    did you mean shop.name?", with every key there is. None when nothing is that close."""
    found = re.search(r"has no attribute '([^']+)'", message)
    if not found:
        return None
    from notes.templating import _environment

    attribute = found.group(1)
    ast = _environment().parse(info.source, name=info.name, filename=str(info.path))
    for node in ast.find_all(nodes.Getattr):
        owner = context.get(node.node.name) if isinstance(node.node, nodes.Name) else None
        if node.attr != attribute or not isinstance(owner, Mapping):
            continue
        close = did_you_mean(attribute, owner)
        if close:
            name = node.node.name
            at = f"template {info.name!r}" + (f" line {line}" if line else "")
            error = TemplateError(
                f"{at}: {name} has no {attribute!r}: did you mean {name}.{close}?",
                where=str(info.path),
                hint=f"fix it on that line; {name} gives: {', '.join(sorted(map(str, owner)))}",
            )
            error.field, error.template_line = None, line  # type: ignore[attr-defined]
            return error
    return None
