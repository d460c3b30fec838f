"""Dataclasses whose methods are written once, here, instead of generated for each class.

`@dataclass` writes each class's __init__, __repr__, __eq__ and __hash__ as source code and
compiles it: 0.5-1 ms a class, and `notes write` loads some forty of them (~25 ms of its start).
A class declared `@dataclass(init=False, repr=False, eq=False)` on top of `Record` (or
`FrozenRecord`, which refuses assignment itself) is still a dataclass (`fields`, `replace`,
`asdict` work) and behaves as the generated methods would: fields in order,
positional or by name, defaults and default factories, `__post_init__`, a repr of the fields
shown in repr, equal to an instance of the same class with equal fields; a mutable record is
unhashable, a frozen one hashes its fields. A class whose records are made often (per card, per
word) gets an __init__ written for its fields after its first OFTEN records, as quick as the
generated one; until then a record costs a few microseconds
more. `replace` is dataclasses.replace for records, without looking at the fields again.
"""

from __future__ import annotations

import dataclasses
from dataclasses import MISSING, Field, FrozenInstanceError, fields
from typing import Any, NamedTuple

# Fields are set past a frozen record's __setattr__ (as @dataclass's own __init__ sets them), one
# at a time: writing the instance's __dict__ instead would make Python build it (64 bytes more
# a record, and a run keeps thousands of glyphs).
_set = object.__setattr__


class _Shape(NamedTuple):
    """What the methods need of a record class, worked out once: dataclasses.fields() walks the
    class's field dict on every call, and cost more than the rest of making a record."""

    fields: tuple[Field, ...]  # in order
    names: tuple[str, ...]  # their names
    compared: tuple[str, ...]  # the names of those compared and hashed
    # Field name -> its default, _FACTORY (a default factory's) or _REQUIRED, in field order:
    # a record given fewer values than fields starts from a copy of it.
    start: dict[str, Any]
    factories: tuple[tuple[str, Any], ...]  # (name, default factory)
    required: int  # how many fields come first without a default
    post_init: bool


_REQUIRED = object()  # a field with no default, not given yet
_FACTORY = object()  # a field whose default factory has not been called yet
_SHAPES: dict[type, _Shape] = {}  # a record class -> its shape (classes are few: bounded)


def _shape(cls: type) -> _Shape:
    shape = _SHAPES.get(cls)
    if shape is None:
        known = fields(cls)
        compared = tuple(f.name for f in known if f.compare)
        start = {f.name: _start(f) for f in known}
        factories = tuple((f.name, f.default_factory) for f in known if start[f.name] is _FACTORY)
        required = next((n for n, f in enumerate(known) if start[f.name] is not _REQUIRED), None)
        shape = _SHAPES[cls] = _Shape(
            known, tuple(start), compared, start, factories,
            len(known) if required is None else required, hasattr(cls, "__post_init__"),
        )  # fmt: skip
    return shape


def _start(field: Field) -> Any:
    if field.default is not MISSING:
        return field.default
    return _REQUIRED if field.default_factory is MISSING else _FACTORY


class Record:
    """The methods of `@dataclass` (eq=True, not frozen), for a dataclass that inherits them."""

    __slots__ = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The values go straight into the instance's dict (as a frozen dataclass's generated
        # __init__ sets them past its __setattr__), in field order.
        cls = self.__class__
        shape = _SHAPES.get(cls) or _shape(cls)
        names = shape.names
        if not kwargs and len(args) == len(names):  # every field given in order: the usual call
            for name, value in zip(names, args, strict=True):
                _set(self, name, value)
        else:
            for name, value in _values(shape, cls.__name__, args, kwargs).items():
                _set(self, name, value)
        made = _MADE[cls] = _MADE.get(cls, 0) + 1
        if made == OFTEN:
            _write_init(cls, shape)
        if shape.post_init:
            self.__post_init__()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Each record class has an __init__ of its own, this one until it is made often (see
        # _write_init): a subclass never inherits the one written for its parent's fields.
        super().__init_subclass__(**kwargs)
        if "__init__" not in cls.__dict__ and hasattr(cls.__init__, "_record_init"):
            cls.__init__ = Record.__init__

    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr)
        return f"{type(self).__qualname__}({shown})"

    def _values(self) -> tuple:
        return tuple([getattr(self, name) for name in _shape(self.__class__).compared])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    __hash__ = None  # type: ignore[assignment] - mutable and equal by value: unhashable


Record.__init__._record_init = True  # type: ignore[attr-defined]


# Records of a class made before it gets an __init__ of its own, written for its fields as
# @dataclass writes one (2-5 times quicker than the one above): only classes made per card or per
# word pay for writing it (~0.08 ms each), not the forty `notes write` loads.
OFTEN = 64  # more than one card of `notes write` makes of any class
_MADE: dict[type, int] = {}
_OWN_NAMES = frozenset({"_record", "_FACTORY", "_set"})


def _write_init(cls: type, shape: _Shape) -> None:
    names = shape.names
    if cls.__dict__.get("__init__") is not Record.__init__:
        return  # a class's own __init__
    if _OWN_NAMES & set(names) or any(name.startswith("_d") for name in names):
        return  # names the written code uses itself
    if (
        any(f.kw_only is True or not f.init for f in shape.fields)
        or _REQUIRED in list(shape.start.values())[shape.required :]
    ):
        return  # a field by name only, or a required one after a default: not as parameters
    scope: dict[str, Any] = {"_FACTORY": _FACTORY, "_set": _set}
    params, lines = [], []
    for index, name in enumerate(names):
        start = shape.start[name]
        if start is _REQUIRED:
            params.append(name)
            continue
        scope[f"_d{index}"] = start
        params.append(f"{name}=_d{index}")
        if start is _FACTORY:
            scope[f"_d{index}f"] = shape.fields[index].default_factory
            lines.append(f" if {name} is _FACTORY: {name} = _d{index}f()")
    source = "\n".join([
        f"def __init__(_record, {', '.join(params)}):",
        *lines,
        *_setting(cls, names),
        *([" _record.__post_init__()"] if shape.post_init else []),
    ])  # fmt: skip
    exec(source, scope)  # noqa: S102 - made from the class's field names, as dataclasses does
    init = scope["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init._record_init = True
    cls.__init__ = init


def _setting(cls: type, names: tuple[str, ...]) -> list[str]:
    """The lines that set the fields: as attributes (the quickest), but past a frozen class's
    __setattr__, which refuses them, straight into the instance's dict."""
    if cls.__setattr__ is object.__setattr__:
        return [f" _record.{name} = {name}" for name in names]
    return [f" _set(_record, {name!r}, {name})" for name in names]


def _values(shape: _Shape, cls: str, args: tuple, kwargs: dict[str, Any]) -> dict[str, Any]:
    """Every field's value, in field order, from values given in order and by name, or refused
    as the generated __init__ refuses them."""
    names = shape.names
    if len(args) > len(names):
        raise TypeError(f"{cls}() takes {len(names)} arguments")
    values = shape.start.copy()
    values.update(zip(names, args, strict=False))  # the first fields
    if kwargs:
        twice = kwargs.keys() & names[: len(args)]
        if twice:
            raise TypeError(f"{cls}() got {sorted(twice)[0]!r} twice")
        values.update(kwargs)
        if len(values) > len(names):
            unknown = next(name for name in kwargs if name not in shape.start)
            raise TypeError(f"{cls}() got an unexpected argument {unknown!r}")
    for name in names[len(args) : shape.required]:
        if values[name] is _REQUIRED:
            raise TypeError(f"{cls}() missing argument {name!r}")
    for name, factory in shape.factories:
        if values[name] is _FACTORY:
            values[name] = factory()
    return values


class FrozenRecord(Record):
    """The methods of `@dataclass(frozen=True)`: hashed by its fields, as it compares, and
    refusing assignment. Declared `@dataclass(init=False, repr=False, eq=False)`: `frozen=True`
    would compile a __setattr__ and __delattr__ for each class (~0.4 ms a class, 25 of them in
    `notes write`) that do what these two do."""

    __slots__ = ()

    def __hash__(self) -> int:
        return hash(self._values())

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")


def replace(record: Any, /, **changes: Any) -> Any:
    """A copy of `record` with `changes`, as dataclasses.replace makes it (its __init__ and
    __post_init__ run), for half its cost: a record's fields are known. Any other dataclass
    goes to dataclasses.replace."""
    if not isinstance(record, Record):
        return dataclasses.replace(record, **changes)
    shape = _SHAPES.get(record.__class__) or _shape(record.__class__)
    if not changes.keys() <= shape.start.keys():
        unknown = next(name for name in changes if name not in shape.start)
        raise TypeError(f"{type(record).__name__}() got an unexpected argument {unknown!r}")
    return record.__class__(
        *[changes[n] if n in changes else getattr(record, n) for n in shape.names]
    )
