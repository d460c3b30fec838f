"""Jinja's sandbox, plus a budget on the work and memory a template may use (see notes.budget).

Jinja's ImmutableSandboxedEnvironment stops templates from reaching Python internals; this adds
the cost side. Every place a template can loop, call, build or compare goes through a hook here:
the sandbox's own (call, call_binop, getattr, getitem, finalize for every printed value), every
filter and test (wrapped), and a few lines the code generator adds (each loop round, each `~`,
each `in`/`==`, each slice and list literal).
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from jinja2 import StrictUndefined, Template, Undefined, nodes, pass_context
from jinja2.compiler import CodeGenerator, Frame, operators
from jinja2.runtime import Context, markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace, _PassArg

from notes.budget import (
    ITEMS_PER_STEP,
    MAX_INT_BITS,
    MAX_OUTPUT_CHARS,
    MAX_RANGE_ITEMS,
    MAX_WIDTH,
    check_built,
    check_size,
    refuse,
    render_budget,
    spend,
    spend_on_size,
    value_size,
)

_SEQUENCES = (str, bytes, list, tuple)  # what `+` and `*` can grow
_SIZED = (*_SEQUENCES, dict, set)  # what a call may walk all of
_DICT_ATTRIBUTES = frozenset(dir(dict))  # a plain dict's attributes: its methods, nothing else

# Filters whose size arguments must stay small (center(10**9), slice(10**9)).
_WIDTH_FILTERS = frozenset({"center", "indent", "batch", "slice", "wordwrap"})
# Text filters that cost far more per character than copying: charged a step per character.
_SLOW_TEXT_FILTERS = frozenset({"wordwrap", "urlize", "title", "striptags", "wordcount"})


# ---------------------------------------------------------------- size checks before building


def _largest(values: Iterable[Any]) -> int:
    return max((value_size(v) for v in values), default=0)


def _check_printf(fmt: str, args: Any) -> None:
    """'%5d' % x: widths stay small and the result stays within MAX_VALUE_SIZE."""
    conversions = re.findall(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[a-zA-Z%]", fmt)
    for width, precision in conversions:
        for number in (width, precision):
            if number == "*" or (number and int(number) > MAX_WIDTH):
                raise refuse(f"format width {number!r} is over the limit of {MAX_WIDTH}")
    if isinstance(args, Mapping):
        values = list(args.values())
    else:
        values = list(args) if isinstance(args, tuple) else [args]
    check_size(len(fmt) + len(conversions) * (MAX_WIDTH + _largest(values)), "'%' formatting")


def _check_format(fmt: str, args: tuple, kwargs: Mapping[str, Any]) -> None:
    """'{:>5}'.format(x): widths stay small and the result stays within MAX_VALUE_SIZE."""
    fields = 0
    for _, field, spec, _ in string.Formatter().parse(fmt):
        fields += field is not None
        if spec and ("{" in spec or any(int(n) > MAX_WIDTH for n in re.findall(r"\d+", spec))):
            raise refuse(f"format spec {spec!r} is too wide (limit {MAX_WIDTH})")
    largest = _largest((*args, *kwargs.values()))
    check_size(len(fmt) + fields * (MAX_WIDTH + largest), "str.format()")


def _check_join(separator: Any, items: list) -> None:
    total = len(str(separator)) * max(0, len(items) - 1)
    for item in items:
        total += value_size(item)
        check_size(total, "joining")


def _as_mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _check_str_method(owner: str, name: str, args: tuple, kwargs: Mapping[str, Any]) -> tuple:
    """str methods that can build huge strings: padding, replace, translate, join, format."""
    if name in ("format", "format_map"):
        mapping = args[0] if name == "format_map" and args else kwargs
        _check_format(owner, args if name == "format" else (), _as_mapping(mapping))
    elif name in ("center", "ljust", "rjust", "zfill", "expandtabs"):
        if any(isinstance(a, int) and a > MAX_WIDTH for a in (*args, *kwargs.values())):
            raise refuse(f"str.{name}() width is over the limit of {MAX_WIDTH}")
        if name == "expandtabs":
            check_size(len(owner) + owner.count("\t") * MAX_WIDTH, "str.expandtabs()")
    elif name == "replace" and len(args) >= 2 and isinstance(args[0], str):
        old, new = args[0], str(args[1])
        growth = (owner.count(old) if old else len(owner) + 1) * max(0, len(new) - len(old))
        check_size(len(owner) + growth, "str.replace()")
    elif name == "translate" and args and isinstance(args[0], Mapping):
        check_size(len(owner) * max(1, _largest(args[0].values())), "str.translate()")
    elif name == "join" and args:
        items = list(args[0])
        _check_join(owner, items)
        args = (items, *args[1:])  # an iterator is read once: hand the list on
    return args


# ---------------------------------------------------------------- the environment


class _NotesSandbox(ImmutableSandboxedEnvironment):
    """The sandbox, with every way of looping, building or scanning charged to the budget."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, **options: Any) -> None:
        # optimized=False: nothing runs while compiling, so all work is counted when rendering.
        super().__init__(finalize=_printed, optimized=False, **options)
        # id -> (a function of our own, whether it takes the context, what its call is): `trust`.
        self._trusted: dict[int, tuple[Callable, bool, str]] = {}

    def trust(self, functions: Iterable[Callable]) -> None:
        """Our own plain functions (pick, greeting...), called without asking again, at every
        call, what is the same for the environment's life: whether the sandbox lets them be
        called, whether they are a method of some object, whether they want the context.
        Their calls are charged as any other's."""
        for function in functions:
            pass_arg = getattr(function, "jinja_pass_arg", None)
            if pass_arg not in (None, _PassArg.context) or not self.is_safe_callable(function):
                continue
            if getattr(function, "__self__", None) is not None or hasattr(function, "__wrapped__"):
                continue
            what = f"calling {function.__name__}()"
            self._trusted[id(function)] = (function, pass_arg is _PassArg.context, what)

    def render_bounded(self, template: Template, context: Mapping[str, Any], name: str) -> str:
        """`template`'s text for `context`, within a fresh budget and at most MAX_OUTPUT_CHARS
        characters (`name`: the template's, for the error)."""
        size = 0
        chunks = []
        # What template.generate does, without a generator around the template's own: its
        # context is a copy of `context` with the globals, and an error is re-raised with the
        # template's lines in its traceback (notes.templating reads them).
        with render_budget():
            try:
                for chunk in template.root_render_func(template.new_context(context)):
                    size += len(chunk)
                    if size > MAX_OUTPUT_CHARS:
                        break
                    chunks.append(chunk)
            except Exception:
                self.handle_exception()
        if size > MAX_OUTPUT_CHARS:
            from notes.errors import TemplateError

            raise TemplateError(
                f"template {name!r} writes more than {MAX_OUTPUT_CHARS} characters",
                hint="a card holds a few hundred; look for a loop that repeats text",
            )
        return "".join(chunks)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        spend(1)
        if operator == "*":
            _check_multiply(left, right)
        elif operator == "+" and isinstance(left, _SEQUENCES):
            check_size(value_size(left) + value_size(right), "'+'")
        elif operator == "**" and isinstance(left, int) and isinstance(right, int):
            if right > 0 and abs(left) > 1 and max(left.bit_length(), 1) * right > MAX_INT_BITS:
                raise refuse(f"{left} ** {right} is too large a number")
        elif operator == "%" and isinstance(left, str):
            _check_printf(left, right)
        return check_built(super().call_binop(context, operator, left, right), repr(operator))

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        given = 0
        for arg in args:  # mostly text: pick("Hi", "Hello")
            given += len(arg) if type(arg) is str else _shallow_len(arg)
        trusted = __self._trusted.get(id(__obj))
        if trusted is not None and trusted[0] is __obj and not kwargs:
            # What the general path charges: the arguments, and a step for owning no object.
            spend(2 + given // ITEMS_PER_STEP)
            try:
                result = __obj(__context, *args) if trusted[1] else __obj(*args)
            except StopIteration:  # as jinja's Context.call
                result = __context.environment.undefined(
                    "value was undefined because a callable raised a StopIteration exception"
                )
            return check_built(result, trusted[2])
        spend_on_size(given + sum(map(_shallow_len, kwargs.values())) if kwargs else given)
        target = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format
        owner = getattr(target, "__self__", None)
        spend_on_size(_shallow_len(owner))  # a method of a list or string may walk all of it
        if isinstance(owner, str):
            args = _check_str_method(owner, getattr(target, "__name__", ""), args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        return check_built(result, f"calling {getattr(target, '__name__', 'a function')}()")

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if type(obj) is Namespace:  # the general check is slow on them, and gives this answer
            return not attr.startswith("_")
        return super().is_safe_attribute(obj, attr, value)

    def getattr(self, obj: Any, attribute: str) -> Any:
        spend(1)
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            # `shop.name`: a plain dict has no such attribute, so the general path asks
            # getattr, catches its AttributeError and reads the key: read it straight away.
            try:
                return obj[attribute]
            except KeyError:
                pass  # the general path's undefined, with its message
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        spend(1)
        return super().getitem(obj, argument)

    # Hooks the code generator writes into compiled templates (not reachable from templates).

    def notes_tick(self, steps: int) -> None:
        spend(steps)

    def notes_iter(self, iterable: Any) -> Iterator[Any]:
        return _counted(iter(iterable))

    def notes_concat(self, context: Context, parts: tuple) -> str:
        size = 0
        for part in parts:
            size += value_size(part)
            check_size(size, "'~'")
        spend_on_size(size)
        return (markup_join if context.eval_ctx.autoescape else str_join)(parts)

    def notes_scan(self, value: Any) -> Any:
        """The right side of a comparison or the object sliced: charged by its size."""
        spend_on_size(value_size(value))
        return value

    def notes_value(self, value: Any) -> Any:
        return check_built(value, "a list or dict")


def _check_multiply(left: Any, right: Any) -> None:
    if isinstance(left, int) and isinstance(right, int):
        if left.bit_length() + right.bit_length() > MAX_INT_BITS:
            raise refuse(f"multiplying numbers of over {MAX_INT_BITS} bits")
        return
    for seq, count in ((left, right), (right, left)):
        if isinstance(seq, _SEQUENCES) and isinstance(count, int):
            check_size(value_size(seq) * count, "repeating a sequence")


@pass_context
def _printed(context: Context, value: Any) -> Any:
    """Every {{ value }} printed: refused if huge, charged for its size, and refused if it is a
    function (its text holds a memory address: the card would differ from run to run)."""
    if type(value) is not str and callable(value) and not isinstance(value, Undefined):
        from notes.errors import TemplateError

        name = getattr(value, "__name__", type(value).__name__)
        raise TemplateError(
            f"{{{{ ... }}}} prints the function {name!r} itself, not a value",
            hint="call it with () after its name, or print a field such as {{ name }}",
        )
    return check_built(value, "printing a value")


def _shallow_len(value: Any) -> int:
    return len(value) if issubclass(type(value), _SIZED) else 0


def _counted(items: Iterator[Any]) -> Iterator[Any]:
    for item in items:
        spend(1)
        yield item


# ---------------------------------------------------------------- the code generator


class _BudgetedCodeGenerator(CodeGenerator):
    """Jinja's code generator, writing calls to the environment's notes_* hooks."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._hooks: dict[int, str] = {}  # id(expression) -> the hook its value passes through
        self._rounds: dict[int, int] = {}  # id(list of statements) -> steps each run costs

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        # Every loop round, macro and {% call %} body run is charged, with the text it writes.
        for block in node.find_all((nodes.For, nodes.Macro, nodes.CallBlock)):
            text = sum(len(data.data) for data in block.find_all(nodes.TemplateData))
            self._rounds[id(block.body)] = 1 + text // ITEMS_PER_STEP
            if isinstance(block, nodes.For):
                self._hooks[id(block.iter)] = "notes_iter"
        super().visit_Template(node, frame)

    def visit(self, node: nodes.Node, *args: Any, **kwargs: Any) -> Any:
        hook = self._hooks.get(id(node))
        if hook is None:
            return super().visit(node, *args, **kwargs)
        self.write(f"environment.{hook}(")
        super().visit(node, *args, **kwargs)
        self.write(")")
        return None

    def blockvisit(self, body: Iterable[nodes.Node], frame: Frame) -> None:
        steps = self._rounds.get(id(body))
        if steps:
            self.writeline(f"environment.notes_tick({steps})")
        super().blockvisit(body, frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.notes_concat(context, (")
        for part in node.nodes:
            self.visit(part, frame)
            self.write(", ")
        self.write("))")

    def visit_Operand(self, node: nodes.Operand, frame: Frame) -> None:
        self.write(f" {operators[node.op]} environment.notes_scan(")
        self.visit(node.expr, frame)
        self.write(")")

    def visit_Getitem(self, node: nodes.Getitem, frame: Frame) -> None:
        if isinstance(node.arg, nodes.Slice):  # a slice copies: charge for the sliced object
            self._hooks[id(node.node)] = "notes_scan"
        super().visit_Getitem(node, frame)

    def _visit_literal(self, node: nodes.Expr, frame: Frame, visit: Callable) -> None:
        if getattr(node, "ctx", "load") != "load":  # `{% set a, b = ... %}` unpacks
            visit(node, frame)
            return
        self.write("environment.notes_value(")
        visit(node, frame)
        self.write(")")

    def visit_List(self, node: nodes.List, frame: Frame) -> None:
        self._visit_literal(node, frame, super().visit_List)

    def visit_Tuple(self, node: nodes.Tuple, frame: Frame) -> None:
        self._visit_literal(node, frame, super().visit_Tuple)

    def visit_Dict(self, node: nodes.Dict, frame: Frame) -> None:
        self._visit_literal(node, frame, super().visit_Dict)


_NotesSandbox.code_generator_class = _BudgetedCodeGenerator


# ---------------------------------------------------------------- filters, tests, range


def _budgeted_filter(func: Callable, name: str) -> Callable:
    """Wrap a filter: charged for what it reads and builds, its size arguments kept small."""
    # Filters marked pass_context/pass_eval_context/pass_environment get that object first.
    skip = 1 if hasattr(func, "jinja_pass_arg") else 0

    @functools.wraps(func)
    def budgeted(*args: Any, **kwargs: Any) -> Any:
        args = list(args)
        value, options = args[skip], (*args[skip + 1 :], *kwargs.values())
        size = value_size(value)
        spend_on_size(size * (ITEMS_PER_STEP if name in _SLOW_TEXT_FILTERS else 1))
        if name in _WIDTH_FILTERS and any(isinstance(a, int) and a > MAX_WIDTH for a in options):
            raise refuse(f"|{name} argument is over the limit of {MAX_WIDTH}")
        _check_filter_arguments(name, args, skip, kwargs)
        result = func(*args, **kwargs)
        if type(result) is not str and isinstance(result, Iterator):  # map, select...: charged
            # per item as it is read
            return _counted(result)
        return check_built(result, f"|{name}")

    return budgeted


def _check_filter_arguments(name: str, args: list, skip: int, kwargs: dict) -> None:
    value, options = args[skip], args[skip + 1 :]
    if name == "format" and isinstance(value, str):
        _check_printf(value, tuple(options) or kwargs)
    elif name == "replace" and isinstance(value, str):
        _check_str_method(value, "replace", tuple(options), {})
    elif name == "join":
        args[skip] = items = list(value)  # an iterator is read once: hand the list on
        _check_join(options[0] if options else kwargs.get("d", ""), items)
    elif name == "indent" and isinstance(value, str):
        width = options[0] if options else kwargs.get("width", 4)
        indent = width if isinstance(width, int) else len(str(width))
        check_size(len(value) + (value.count("\n") + 1) * indent, "|indent")
    elif name == "wordwrap" and isinstance(value, str):
        width = options[0] if options else kwargs.get("width", 79)
        wrap = kwargs.get("wrapstring") or (options[2] if len(options) > 2 else None) or "\n"
        lines = len(value) // max(1, int(width)) + len(value.split()) + 1
        check_size(len(value) + lines * len(str(wrap)), "|wordwrap")
    elif name == "sum":
        start = kwargs.get("start", options[1] if len(options) > 1 else 0)
        if not isinstance(start, int | float):
            raise refuse("|sum adds numbers; use |join for text")


def _budgeted_test(func: Callable) -> Callable:
    @functools.wraps(func)
    def budgeted(*args: Any, **kwargs: Any) -> Any:
        size = 0
        for arg in args:  # usually one (`x is defined`): no generator around it
            size += _shallow_len(arg)
        spend_on_size(size)
        return func(*args, **kwargs)

    return budgeted


def bounded_range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE_ITEMS:
        raise refuse(f"range() of {len(numbers)} items is over the limit of {MAX_RANGE_ITEMS}")
    return numbers


def make_sandbox(
    extra_globals: Mapping[str, Any], extra_filters: Mapping[str, Callable], removed: Iterable[str]
) -> _NotesSandbox:
    """The environment every template compiles in, with our globals and filters added and the
    `removed` globals taken out."""
    env = _NotesSandbox(
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    for name in removed:
        env.globals.pop(name, None)
    env.globals.update(extra_globals, range=bounded_range)
    env.trust([*extra_globals.values(), bounded_range])
    env.filters.update(extra_filters)
    env.filters = {name: _budgeted_filter(f, name) for name, f in env.filters.items()}
    env.tests = {name: _budgeted_test(t) for name, t in env.tests.items()}
    return env
