"""The work a template may do in one render: counted in steps and sizes, never in seconds.

A render gets MAX_STEPS steps. A loop iteration, a call, a filter or a test costs one step; building
or scanning text and lists costs one more step for every ITEMS_PER_STEP characters or items. No
value a template builds may print as more than MAX_VALUE_SIZE characters. So the same template and
data always pass or fail the same way, on any machine, and a refused one stops in well under a
second. A real card does a few hundred steps. Measuring a list is charged too (it walks every
item), so the checks cannot be made the expensive part.
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterator, KeysView, ValuesView
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from jinja2.sandbox import SecurityError
from jinja2.utils import Namespace

from notes.records import Record  # dataclass methods written once (start-up)

MAX_STEPS = 50_000
ITEMS_PER_STEP = 32
ITEMS_MEASURED_PER_STEP = 4  # measuring a list walks it in Python: far slower than copying
MAX_VALUE_SIZE = 20_000  # characters (and list items) one string or list may hold
MAX_VALUE_DEPTH = 32  # lists in lists in lists...
MAX_INT_BITS = 4_096  # about 1,200 digits
MAX_RANGE_ITEMS = 10_000  # per range() call
MAX_WIDTH = 1_000  # widths in format specs, center(), indent()...
MAX_OUTPUT_CHARS = 20_000  # the card's whole text


@dataclass(init=False, repr=False, eq=False)
class RenderBudget(Record):
    """The steps one render has taken so far."""

    steps: int = 0


def _over_budget() -> SecurityError:
    return SecurityError(
        f"it needs more than {MAX_STEPS} steps of work (loop rounds, calls, text built)"
    )


_BUDGET: ContextVar[RenderBudget | None] = ContextVar("notes_render_budget", default=None)


def render_budget() -> _BudgetScope:
    """A fresh budget for the render inside the `with` block."""
    return _BudgetScope()


class _BudgetScope:
    """What @contextmanager would make of set-yield-reset, for a third of its cost (every card)."""

    __slots__ = ("token",)

    def __enter__(self) -> RenderBudget:
        budget = RenderBudget(0)
        self.token = _BUDGET.set(budget)
        return budget

    def __exit__(self, *exc: object) -> None:
        _BUDGET.reset(self.token)


def spend(steps: int) -> None:
    """Charge the current render; outside a render (compiling a template) nothing is counted."""
    budget = _BUDGET.get()
    if budget is not None:  # counted here, not in a method: a card spends ~40 times
        budget.steps += steps
        if budget.steps > MAX_STEPS:
            raise _over_budget()


def spend_on_size(items: int) -> None:
    spend(1 + items // ITEMS_PER_STEP)


def refuse(message: str) -> SecurityError:
    return SecurityError(message)


def check_size(size: int, what: str) -> None:
    if size > MAX_VALUE_SIZE:
        raise refuse(f"{what} would make over {MAX_VALUE_SIZE} characters or items")


def check_built(value: Any, what: str) -> Any:
    """Refuse a value too big to print; charge for building it. Returns the value."""
    size = len(value) if type(value) is str else value_size(value)  # most are text
    if size > MAX_VALUE_SIZE:
        check_size(size, what)  # raises
    # spend(), inline: a card checks ~20 values, and two calls each were a tenth of its render
    budget = _BUDGET.get()
    if budget is not None:
        budget.steps += 1 + size // ITEMS_PER_STEP
        if budget.steps > MAX_STEPS:
            raise _over_budget()
    return value


def value_size(value: Any) -> int:
    """About how many characters `value` prints as: a shared part counts every time it appears
    (so [x, x] is twice x). Stops counting once past MAX_VALUE_SIZE."""
    if type(value) is str:  # most printed values: nothing to walk
        return len(value)
    if type(value) is list or type(value) is tuple:  # products: a list of text, mostly
        size = _texts_size(value)
        if size is not None:
            return size
    sizer = _Sizer()
    size = sizer.size(value, 0)
    if sizer.walked >= ITEMS_MEASURED_PER_STEP:
        spend(sizer.walked // ITEMS_MEASURED_PER_STEP)
    return size


def _texts_size(items: list | tuple) -> int | None:
    """value_size of a list or tuple of text, walked and charged as _Sizer does it; None when
    an item is not text (then _Sizer measures it)."""
    total = 1
    walked = 0
    for item in items:
        if type(item) is not str:
            return None  # nothing charged yet: _Sizer walks it all again
        walked += 1
        total += 1 + len(item)
        if total > MAX_VALUE_SIZE:
            break
    if walked >= ITEMS_MEASURED_PER_STEP:
        spend(walked // ITEMS_MEASURED_PER_STEP)
    return total


class _Sizer:
    # Types are tested with issubclass(type(v), ...): isinstance() on a jinja Namespace that is
    # not the class asked about runs the namespace's slow __getattribute__.

    def __init__(self) -> None:
        # Containers measured so far (None while being measured): shared parts are walked once.
        self.known: dict[int, int | None] = {}
        self.walked = 0  # items of containers looked at

    def size(self, value: Any, depth: int) -> int:
        kind = type(value)
        if issubclass(kind, str | bytes):
            return len(value)
        if issubclass(kind, int):
            return value.bit_length() // 64
        parts = _parts(value, kind)
        if parts is None:
            return 0  # numbers, None, macros, loop helpers: print short
        key = id(value)
        if key in self.known:
            known = self.known[key]
            if known is None:
                raise refuse("a namespace holds itself, so it cannot be printed")
            return known
        if depth >= MAX_VALUE_DEPTH:
            raise refuse(f"lists are nested more than {MAX_VALUE_DEPTH} deep")
        self.known[key] = None
        total = 1
        for part in parts:
            self.walked += 1
            kind = type(part)
            if kind is str:  # the common cases, without a call
                total += 1 + len(part)
            elif kind is int:
                total += 1 + part.bit_length() // 64
            else:
                total += 1 + self.size(part, depth + 1)
            if total > MAX_VALUE_SIZE:
                break
        self.known[key] = total
        return total


def _parts(value: Any, kind: type) -> Iterator[Any] | None:
    """What a container prints, one part at a time; None for anything that is not a container."""
    if issubclass(kind, dict):
        value = value.items()
    if issubclass(kind, dict | ItemsView):
        return (part for pair in value for part in pair)  # pairs are fresh tuples: not walked
    if issubclass(kind, Namespace):
        return iter(object.__getattribute__(value, "_Namespace__attrs").values())
    if issubclass(kind, list | tuple | set | frozenset | KeysView | ValuesView):
        return iter(value)
    return None
