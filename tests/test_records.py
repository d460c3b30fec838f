"""notes.records: a dataclass on Record behaves as one whose methods @dataclass generated."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from dataclasses import dataclass, field

import pytest

from notes.records import FrozenRecord, Record


@dataclass
class Generated:
    name: str
    size: float = 1.0
    tags: list[str] = field(default_factory=list)
    secret: str = field(default="", repr=False)


@dataclass(init=False, repr=False, eq=False)
class Written(Record):
    name: str
    size: float = 1.0
    tags: list[str] = field(default_factory=list)
    secret: str = field(default="", repr=False)


@dataclass(frozen=True)
class FrozenGenerated:
    x: float
    y: float = 0.0


@dataclass(init=False, repr=False, eq=False)  # as notes declares them: see FrozenRecord
class FrozenWritten(FrozenRecord):
    x: float
    y: float = 0.0


@dataclass(init=False, repr=False, eq=False)
class Checked(Record):
    value: int

    def __post_init__(self) -> None:
        if self.value < 0:
            raise ValueError("negative")
        self.double = 2 * self.value


def _same(generated: object, written: object) -> None:
    assert repr(written) == repr(generated).replace(
        type(generated).__qualname__, type(written).__qualname__
    )
    assert dataclasses.astuple(written) == dataclasses.astuple(generated)


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("Ana",), {}),
        (("Ana", 2.5), {}),
        (("Ana",), {"tags": ["x"], "secret": "s"}),
        ((), {"name": "B"}),
    ],
)
def test_made_as_the_generated_init_makes_it(args, kwargs):
    _same(Generated(*args, **kwargs), Written(*args, **kwargs))


def test_a_default_factory_gives_each_its_own():
    one, two = Written("a"), Written("b")
    one.tags.append("x")
    assert two.tags == []


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [((), {}), (("a", 1.0, [], "", "extra"), {}), (("a",), {"name": "b"}), (("a",), {"colour": 1})],
)
def test_wrong_arguments_are_refused_as_the_generated_init_refuses_them(args, kwargs):
    with pytest.raises(TypeError):
        Generated(*args, **kwargs)
    with pytest.raises(TypeError):
        Written(*args, **kwargs)


def test_equal_by_value_within_one_class_and_unhashable():
    assert Written("a", tags=["x"]) == Written("a", tags=["x"])
    assert Written("a") != Written("b")
    assert Written("a") != Generated("a")
    with pytest.raises(TypeError):
        hash(Written("a"))


def test_frozen_hashes_its_fields_and_refuses_assignment():
    generated, written = FrozenGenerated(1.0, 2.0), FrozenWritten(1.0, 2.0)
    _same(generated, written)
    assert hash(written) == hash(generated)
    assert {FrozenWritten(1.0, 2.0), FrozenWritten(1.0, 2.0)} == {written}
    with pytest.raises(dataclasses.FrozenInstanceError):
        written.x = 3.0  # type: ignore[misc]


def test_frozen_records_compile_no_methods_of_their_own():
    # @dataclass(frozen=True) compiles a __setattr__ and __delattr__ for each class: ~0.4 ms
    # a class, and `notes write` loads 25 frozen records. FrozenRecord's refuse assignment.
    import notes.batchwrite  # noqa: F401 - `notes write`'s records
    import notes.compose  # noqa: F401
    import notes.languages  # noqa: F401
    import notes.pdf.truetype  # noqa: F401
    import notes.preflight  # noqa: F401
    import notes.shaping  # noqa: F401
    import notes.templates  # noqa: F401

    found, subclasses = [], FrozenRecord.__subclasses__()
    while subclasses:
        cls = subclasses.pop()
        subclasses += cls.__subclasses__()
        if cls.__module__.startswith("notes."):
            found.append(cls)
            assert "__setattr__" not in vars(cls) and "__delattr__" not in vars(cls), cls
    assert len(found) >= 25
    with pytest.raises(dataclasses.FrozenInstanceError):
        del FrozenWritten(1.0).x


def test_still_a_dataclass_for_replace_asdict_and_pickle():
    written = Written("a", 2.0, ["x"], "s")
    assert dataclasses.replace(written, size=3.0) == Written("a", 3.0, ["x"], "s")
    assert dataclasses.asdict(written) == dataclasses.asdict(Generated("a", 2.0, ["x"], "s"))
    assert [f.name for f in dataclasses.fields(written)] == ["name", "size", "tags", "secret"]
    assert pickle.loads(pickle.dumps(written)) == written
    frozen = FrozenWritten(1.0)
    assert dataclasses.replace(frozen, y=5.0) == FrozenWritten(1.0, 5.0)
    assert pickle.loads(pickle.dumps(frozen)) == frozen
    assert copy.deepcopy(frozen) == frozen == copy.copy(frozen)


def test_post_init_runs_after_the_fields_are_set():
    assert Checked(3).double == 6
    with pytest.raises(ValueError, match="negative"):
        Checked(-1)


def test_the_drawing_model_keeps_its_fields_and_semantics():
    from pathlib import Path

    from notes.drawing import (
        Affine,
        Document,
        FontFace,
        Glyph,
        GlyphTable,
        Group,
        Image,
        Page,
        Stroke,
    )

    names = {
        FontFace: ["path", "name", "units_per_em"],
        Glyph: ["font", "gid", "variant", "outline", "char", "filled"],
        Stroke: ["path", "width", "colour", "dash", "dash_offset"],
        Image: ["source", "kind", "x", "y", "width", "height"],
        Group: ["transform", "items"],
        Page: ["width", "height", "items"],
        Document: ["glyphs", "pages", "title"],
    }
    for cls, expected in names.items():
        assert [f.name for f in dataclasses.fields(cls)] == expected
    face = FontFace(Path("a.ttf"), "a", 1000)
    assert (
        face == FontFace(Path("a.ttf"), "a", 1000)
        and len({face, FontFace(Path("a.ttf"), "a", 1000)}) == 1
    )
    one, two = Glyph(face, 1, 0, ()), Glyph(face, 1, 0, ())
    assert one != two and len({one, two}) == 2  # a shape is itself alone
    page = Page(100.0, 200.0)
    assert page.items == () and repr(page) == "Page(width=100.0, height=200.0, items=())"
    group = Group(Affine(1, 0, 0, 1, 0, 0), (page,))
    assert dataclasses.replace(group, items=()) == Group(Affine(1, 0, 0, 1, 0, 0), ())
    with pytest.raises(dataclasses.FrozenInstanceError):
        page.width = 1.0  # type: ignore[misc]
    assert Document(GlyphTable(), []).title == "Notes"
    assert Stroke((), 1.0).colour == (0.0, 0.0, 0.0)


def test_a_record_class_is_looked_at_once_not_at_every_record():
    """dataclasses.fields() cost more than the rest of making a record: each class's fields
    are kept from its first record (the same shape object every time after)."""
    from notes import records

    Written("a", tags=["x"])  # by name: every field looked up
    first = records._SHAPES[Written]
    for made in (Written("b"), Written("c", 2.0, [], "s"), FrozenWritten(1.0)):
        assert made == made
    assert records._SHAPES[Written] is first
    assert first.names == ("name", "size", "tags", "secret")
    assert records._SHAPES[FrozenWritten].compared == ("x", "y")


def test_replace_makes_what_dataclasses_replace_makes():
    from notes.records import replace

    written = Written("a", 2.0, ["x"], "s")
    assert replace(written, size=3.0, secret="t") == dataclasses.replace(
        written, size=3.0, secret="t"
    )
    assert replace(FrozenWritten(1.0), y=5.0) == FrozenWritten(1.0, 5.0)
    assert replace(Checked(3), value=4).double == 8  # __post_init__ runs
    assert replace(Generated("a"), size=2.0) == Generated("a", 2.0)  # any dataclass
    with pytest.raises(TypeError):
        replace(written, colour=1)


@dataclass(init=False, repr=False, eq=False)
class Often(Record):
    name: str
    size: float = 1.0
    tags: list[str] = field(default_factory=list)
    secret: str = field(default="", repr=False)


@dataclass(init=False, repr=False, eq=False)
class MoreOften(Often):
    colour: str = "blue"


@dataclass(frozen=True, init=False, repr=False, eq=False)
class FrozenOften(FrozenRecord):
    x: float
    y: float = 0.0


@dataclass(init=False, repr=False, eq=False)
class CheckedOften(Record):
    value: int

    def __post_init__(self) -> None:
        if self.value < 0:
            raise ValueError("negative")
        self.double = 2 * self.value


def test_a_class_made_often_gets_its_own_init_that_makes_the_same_records():
    from notes import records

    for n in range(records.OFTEN + 1):
        Often(str(n)), FrozenOften(n), CheckedOften(n)
    assert "__init__" in vars(Often) and "__init__" in vars(FrozenOften)
    for args, kwargs in [(("Ana",), {}), (("Ana", 2.5), {}), (("Ana",), {"tags": ["x"]})]:
        assert dataclasses.astuple(Often(*args, **kwargs)) == dataclasses.astuple(
            Generated(*args, **kwargs)
        )
    one, two = Often("a"), Often("b")
    one.tags.append("x")
    assert two.tags == []  # the factory still gives each its own
    assert repr(Often("a", secret="s")) == "Often(name='a', size=1.0, tags=[])"
    assert vars(Often("a", 2.0)) == {"name": "a", "size": 2.0, "tags": [], "secret": ""}
    frozen = FrozenOften(1.0, y=2.0)
    assert (frozen.x, frozen.y) == (1.0, 2.0) and hash(frozen) == hash(FrozenOften(1.0, 2.0))
    with pytest.raises(dataclasses.FrozenInstanceError):
        frozen.x = 3.0  # type: ignore[misc]
    assert CheckedOften(4).double == 8
    with pytest.raises(ValueError, match="negative"):
        CheckedOften(-1)
    for args, kwargs in [((), {}), (("a", 1.0, [], "", "extra"), {}), (("a",), {"name": "b"})]:
        with pytest.raises(TypeError):
            Often(*args, **kwargs)
    # A subclass with a field more inherits that __init__, and still gets its own fields.
    more = MoreOften("a", colour="red")
    assert (more.name, more.colour) == ("a", "red") and MoreOften("b").colour == "blue"
    assert pickle.loads(pickle.dumps(frozen)) == frozen


@dataclass(init=False, repr=False, eq=False)
class Seldom(FrozenRecord):
    name: str
    size: float = 1.0


@dataclass(frozen=True)
class SeldomGenerated:
    name: str
    size: float = 1.0


def _memory_per_record(cls: type) -> float:
    import tracemalloc

    tracemalloc.start()
    made = [cls(str(n)) for n in range(2000)]
    size = tracemalloc.get_traced_memory()[0] / len(made)
    tracemalloc.stop()
    return size


def test_a_record_takes_no_more_memory_than_a_generated_dataclass(monkeypatch):
    """Fields are set as @dataclass's own __init__ sets them: a record made by writing its
    __dict__ would take 64 bytes more, and a run keeps thousands (glyphs, a day's customers)."""
    from notes import records

    for cls in (FrozenOften, Often):
        for n in range(records.OFTEN + 1):  # made often: its own __init__ written
            cls(str(n))
    assert _memory_per_record(FrozenOften) <= _memory_per_record(FrozenGenerated) + 8
    assert _memory_per_record(Often) <= _memory_per_record(Generated) + 8
    monkeypatch.setattr(records, "OFTEN", 10**9)  # never made often: the general __init__
    assert _memory_per_record(Seldom) <= _memory_per_record(SeldomGenerated) + 8


@dataclass(repr=False, eq=False)
class ByNameOften(Record):
    a: int = 0
    b: int = field(kw_only=True)


def test_a_class_made_often_with_a_field_by_name_only_keeps_making_records():
    # Its fields cannot be written as parameters in order (a required one after a default):
    # the 64th record raised SyntaxError from the written __init__.
    from notes import records

    made = [ByNameOften(1, b=n) for n in range(records.OFTEN + 6)]
    assert [(r.a, r.b) for r in made] == [(1, n) for n in range(records.OFTEN + 6)]
