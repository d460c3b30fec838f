"""Compiled templates kept on disk, so one card from the shell does not lex, parse, check and
compile its template again (~4 ms of `notes write`; a merge compiles its template once anyway).

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
from functools import cache
from pathlib import Path
from types import CodeType
from typing import Any

from notes.diskcache import cache_folder, write_cache_file

_CODE = ("templatestore.py", "template_checks.py", "templating.py", "sandbox.py")


@cache
def _code_identity() -> bytes:
    here = Path(__file__).parent
    return b"\0".join((here / name).read_bytes() for name in _CODE)


def _path(env: Any, source: str, name: str, filename: str) -> Path:
    import jinja2

    parts = (source, name, filename, jinja2.__version__, sys.version, type(env).__qualname__)
    parts += tuple(repr(sorted(names)) for names in (env.filters, env.tests, env.globals))
    digest = hashlib.sha256(_code_identity())
    for part in parts:
        digest.update(b"\0" + part.encode("utf-8", "surrogatepass"))
    return cache_folder("templates") / f"{digest.hexdigest()[:32]}.marshal"


def stored_code(env: Any, source: str, name: str, filename: str) -> CodeType | None:
    """The code compiled from this template by an earlier run, or None."""
    try:
        code = marshal.loads(_path(env, source, name, filename).read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    return code if isinstance(code, CodeType) else None


def store_code(env: Any, source: str, name: str, filename: str, code: CodeType) -> None:
    """Keep a checked template's code for the next run."""
    write_cache_file(_path(env, source, name, filename), marshal.dumps(code))
