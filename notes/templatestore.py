"""Compiled templates kept on disk, so one card from the shell does not lex, parse, check and
compile its template again (~4 ms of `notes write`; a merge compiles its template once anyway),
nor parse it again for what else it is asked (`remembered`: the fields it needs, ~4 ms more).

A template's Python code depends only on its source, name and file name, on Jinja and Python,
on the environment notes builds (filters, tests, globals: notes/templating.py, notes/sandbox.py)
and on the checks that accepted it (notes/template_checks.py). It is stored under a hash of all
of them, as Jinja's own bytecode cache stores it (marshal), one file per template, written whole
and then renamed. Only code that passed every check is stored; a store that cannot be read or
written is only a slower run.
"""

from __future__ import annotations

import hashlib
import marshal
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from types import CodeType
from typing import Any, TypeVar

from notes.diskcache import cache_folder, package_identity, write_cache_file

T = TypeVar("T")
_CODE = (
    "templatestore.py",
    "template_checks.py",
    "templating.py",
    "sandbox.py",
    "budget.py",
    "preflight.py",
)


@cache
def _code_identity() -> bytes:
    """notes' template code, Jinja's build (found without importing it) and Python's."""
    here = Path(__file__).parent
    parts = [(here / name).read_bytes() for name in _CODE]
    return b"\0".join([*parts, package_identity("jinja2"), sys.version.encode()])


def _path(what: str, parts: tuple) -> Path:
    digest = hashlib.sha256(_code_identity())
    key = repr((what, parts))
    digest.update(key.encode("utf-8", "surrogatepass"))
    return cache_folder("templates") / f"{digest.hexdigest()[:32]}.marshal"


def _code_path(env: Any, source: str, name: str, filename: str) -> Path:
    names = tuple(tuple(sorted(names)) for names in (env.filters, env.tests, env.globals))
    return _path("code", (source, name, filename, type(env).__qualname__, names))


def stored_code(env: Any, source: str, name: str, filename: str) -> CodeType | None:
    """The code compiled from this template by an earlier run, or None."""
    try:
        code = marshal.loads(_code_path(env, source, name, filename).read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    return code if isinstance(code, CodeType) else None


def store_code(env: Any, source: str, name: str, filename: str, code: CodeType) -> None:
    """Keep a checked template's code for the next run."""
    write_cache_file(_code_path(env, source, name, filename), marshal.dumps(code))


def remembered(what: str, parts: tuple, compute: Callable[[], T]) -> T:
    """What `compute` made of a template (`parts`: its source and whatever else it read), from an
    earlier run when one made it. A value marshal cannot write, or an exception, is not kept."""
    path = _path(what, parts)
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        pass  # not made yet, or a damaged file: made (and kept) anew
    value = compute()
    try:
        write_cache_file(path, marshal.dumps(value))
    except ValueError:
        pass
    return value
