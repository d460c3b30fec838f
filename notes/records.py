"""Dataclasses whose methods are written once, here, instead of generated for each class.

`@dataclass` writes each class's __init__, __repr__, __eq__ and __hash__ as source code and
compiles it: 0.5-1 ms a class, and `notes write` loads some forty of them (~25 ms of its start).
A class declared `@dataclass(init=False, repr=False, eq=False)` on top of `Record` (or
`FrozenRecord`, which refuses assignment itself) is still a dataclass (`fields`, `replace`,
`asdict` work) and behaves as the generated methods would: fields in order,
positional or by name, defaults and default factories, `__post_init__`, a repr of the fields
shown in repr, equal to an instance of the same class with equal fields; a mutable record is
unhashable, a frozen one hashes its fields. Creating an instance costs a few microseconds more:
these are records made a few times per card, not per letter.
"""

from __future__ import annotations

from dataclasses import MISSING, Field, FrozenInstanceError, fields
from typing import Any, NamedTuple

_set = object.__setattr__


class _Shape(NamedTuple):
    """What the methods need of a record class, worked out once: dataclasses.fields() walks the
    class's field dict on every call, and cost more than the rest of making a record."""

    fields: tuple[Field, ...]  # in order
    names: tuple[str, ...]  # their names
    compared: tuple[str, ...]  # the names of those compared and hashed


_SHAPES: dict[type, _Shape] = {}  # a record class -> its shape (classes are few: bounded)


def _shape(cls: type) -> _Shape:
    shape = _SHAPES.get(cls)
    if shape is None:
        known = fields(cls)
        compared = tuple(f.name for f in known if f.compare)
        shape = _SHAPES[cls] = _Shape(known, tuple(f.name for f in known), compared)
    return shape


class Record:
    """The methods of `@dataclass` (eq=True, not frozen), for a dataclass that inherits them."""

    __slots__ = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        shape = _shape(self.__class__)
        names = shape.names
        if not kwargs and len(args) == len(names):  # every field given in order: the usual call
            for name, value in zip(names, args, strict=True):
                _set(self, name, value)
            if hasattr(self, "__post_init__"):
                self.__post_init__()
            return
        known = shape.fields
        if len(args) > len(known):
            raise TypeError(f"{type(self).__name__}() takes {len(known)} arguments")
        for index, field in enumerate(known):
            if index < len(args):
                if field.name in kwargs:
                    raise TypeError(f"{type(self).__name__}() got {field.name!r} twice")
                value = args[index]
            elif field.name in kwargs:
                value = kwargs.pop(field.name)
            elif field.default is not MISSING:
                value = field.default
            elif field.default_factory is not MISSING:
                value = field.default_factory()
            else:
                raise TypeError(f"{type(self).__name__}() missing argument {field.name!r}")
            _set(self, field.name, value)
        if kwargs:
            raise TypeError(
                f"{type(self).__name__}() got an unexpected argument {next(iter(kwargs))!r}"
            )
        if hasattr(self, "__post_init__"):
            self.__post_init__()

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
