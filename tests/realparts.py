"""Tests that need a real program (CUPS, zbar, Chromium): skip where it is missing, but fail
under CI=true, where .ci/run installs every part and a missing one is a broken build."""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path
from types import ModuleType

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def missing(reason: str) -> None:
    """Fail in CI, skip elsewhere, saying what is missing and how to get it."""
    if in_ci():
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


def need_commands(*names: str, package: str) -> None:
    absent = [name for name in names if shutil.which(name) is None]
    if absent:
        missing(f"{', '.join(absent)} not found: install Debian's {package} (.ci/run does)")


def benchmark(name: str) -> ModuleType:
    """benchmarks/<name>.py as a module (the folder is not a package): its measures, for tests."""
    path = Path(__file__).resolve().parents[1] / "benchmarks" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
