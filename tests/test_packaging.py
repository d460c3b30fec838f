"""The wheel carries the fonts and templates: build it, install it in a fresh virtualenv outside
the repository, and write a card with it."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
    )
    (found,) = out.glob("notes-*.whl")
    return found


def _borrow_dependencies(python: Path) -> None:
    """Let the fresh venv import the dependencies installed (and compiled) in this one: resolving
    and installing them again took most of this test's time, and the install of this project
    itself checks them. A .pth line only adds the folder; the .pth files in it are not read, so
    this checkout's editable install stays out of the fresh venv."""
    here = {sysconfig.get_paths()[key] for key in ("purelib", "platlib")}
    there = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    (Path(there) / "borrowed-dependencies.pth").write_text("\n".join(sorted(here)) + "\n")


def test_wheel_contains_fonts_licences_catalog_and_templates(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    catalog_fonts = [p for p in (ROOT / "fonts").iterdir() if p.suffix in (".ttf", ".svg")]
    assert "notes/_data/fonts/catalog.toml" in names
    assert any(p.suffix == ".svg" for p in catalog_fonts)  # the pen plotters' stroke fonts
    for font in catalog_fonts:
        assert f"notes/_data/fonts/{font.name}" in names
        assert f"notes/_data/fonts/{font.stem}.LICENSE.txt" in names
    templates = [*(ROOT / "templates").rglob("*.j2"), ROOT / "templates" / "languages.toml"]
    assert len(templates) > 8 * 7  # every occasion, in every language
    for template in templates:
        assert (
            f"notes/_data/templates/{template.relative_to(ROOT / 'templates').as_posix()}" in names
        )


def test_installed_wheel_writes_a_card_outside_the_repository(wheel, tmp_path):
    venv = tmp_path / "venv"
    # The venv gets no pip of its own: this one installs into it.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    _borrow_dependencies(python)
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
         "--no-index", str(wheel)],
        check=True,
    )  # fmt: skip
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run(
        [
            str(venv / "bin" / "notes"),
            "write",
            "--template",
            "thank-you",
            "--set",
            "name=Ana Souza",
            "--set",
            "product=blue teapot",
            "--font",
            "homemade-apple",
            "-o",
            "ana.pdf",
        ],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    from tests.pdfcheck import check_pdf, text_of

    assert "Ana" in text_of(check_pdf(work / "ana.pdf"))
    # A whole demo sales day from the installed wheel: export, cards, envelopes, manifest.
    demo = subprocess.run(
        [str(venv / "bin" / "notes"), "demo", "--customers", "6"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert demo.returncode == 0, demo.stderr
    assert len(check_pdf(work / "notes-demo" / "cards.pdf").pages) >= 3
    # The installed package, not this checkout, did the work.
    where = subprocess.run(
        [str(python), "-c", "import notes, sys; print(notes.__file__)"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
    ).stdout
    assert str(ROOT) not in where
