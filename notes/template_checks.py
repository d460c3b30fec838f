"""Compiling a template, refusing what it may not do before it ever runs.

A notes template is one self-contained file: there is no loader, so {% include %}, {% import %}
and {% extends %} are refused with their line. Nesting is limited (blocks in blocks, brackets in
brackets), so a template can neither overflow Python's stack while compiling nor produce code
Python refuses ("too many statically nested blocks").
"""

from __future__ import annotations

from types import TracebackType

import jinja2
from jinja2 import nodes
from jinja2.parser import Parser

from notes.errors import TemplateError

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
    """The compiled jinja2.Template, or a TemplateError naming the file and line."""
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
    try:
        code = env.compile(ast, name=name, filename=filename)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"{at} line {exc.lineno}: {exc.message}", where=filename, hint=_NESTING_HINT
        ) from None
    except (RecursionError, MemoryError, SyntaxError):  # Python refusing the generated code
        raise _unsafe(at, None, "it is nested too deeply") from None
    return env.template_class.from_code(env, code, env.make_globals(None), None)


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
