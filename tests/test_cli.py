"""Every command of the CLI driven through CliRunner, asserting on output and files."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from notes.cli import app
from tests.pdfcheck import check_pdf, page_size, text_of

runner = CliRunner()


def run(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_write_from_a_template(here):
    result = run(
        "write",
        "--template",
        "thank-you",
        "--set",
        "name=Ana Souza",
        "--set",
        "product=blue teapot",
        "-o",
        "ana.pdf",
    )
    assert result.exit_code == 0, result.output
    text = " ".join(text_of(check_pdf(here / "ana.pdf")).split())
    assert "Ana" in text and "blue teapot" in text


def test_write_names_the_file_after_the_recipient(here):
    result = run("write", "-t", "welcome", "--set", "name=Zoë Müller")
    assert result.exit_code == 0, result.output
    assert (here / "Zoë-Müller.pdf").is_file()


def test_write_never_overwrites_without_force(here):
    (here / "ana.pdf").write_bytes(b"precious")
    result = run("write", "--text", "Dear Ana, thanks!", "-o", "ana.pdf")
    assert result.exit_code == 1
    assert "exists" in result.output and "--force" in result.output
    assert (here / "ana.pdf").read_bytes() == b"precious"
    assert run("write", "--text", "Dear Ana, thanks!", "-o", "ana.pdf", "--force").exit_code == 0
    assert (here / "ana.pdf").read_bytes().startswith(b"%PDF")


def test_write_text_from_stdin_with_preview(here):
    result = run(
        "write",
        "--text",
        "-",
        "-o",
        "bo.pdf",
        "--preview",
        "bo.png",
        input="Dear Bo,\n\nThanks for stopping by!\n\nMaya\n",
    )
    assert result.exit_code == 0, result.output
    assert "Bo" in text_of(check_pdf(here / "bo.pdf"))
    assert (here / "bo.png").read_bytes().startswith(b"\x89PNG")


def test_write_options_card_font_ink_seed(here):
    args = [
        "write",
        "--text",
        "Dear Ana,\n\nThank you!\n\nMaya",
        "--card",
        "5x7in",
        "--orientation",
        "landscape",
        "--font",
        "dancing-script",
        "--ink",
        "#112233",
        "--messiness",
        "0.8",
        "--seed",
        "3",
    ]
    assert run(*args, "-o", "a.pdf").exit_code == 0
    assert run(*args, "-o", "b.pdf").exit_code == 0
    assert (here / "a.pdf").read_bytes() == (here / "b.pdf").read_bytes()
    assert page_size(check_pdf(here / "a.pdf")) == (504.0, 360.0)


@pytest.mark.parametrize(
    ("fields", "write_args", "template"),
    [
        ({"name": "Ana Souza", "product": "blue teapot"}, [], "thank-you"),
        # An order number in the legible hand (fonts/catalog.toml misreads).
        ({"name": "Ana Souza", "product": "mug", "order_number": "#12998"}, [], "thank-you"),
        (
            {"name": "Bo Lind", "text": "Dear Bo,\n\nThanks for stopping by!\n\nMaya"},
            ["--text", "Dear Bo,\n\nThanks for stopping by!\n\nMaya", "--set", "name=Bo Lind"],
            "blank",
        ),
    ],
)
def test_write_gives_the_bytes_of_a_one_row_merge(here, fields, write_args, template):
    """Issue 16: `notes write` and a one-row `notes merge` of the same note, seed and style
    write the same PDF (the hand is drawn from the recipient and row 1 in both)."""
    import csv

    with (here / "one.csv").open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(fields))
        writer.writeheader()
        writer.writerow(fields)
    style = ["--today", "2026-11-26", "--seed", "5", "--ink", "blue", "--card", "a7"]
    sets = [arg for key, value in fields.items() for arg in ("--set", f"{key}={value}")]
    args = write_args or ["-t", template, *sets]
    result = run("write", *args, *style, "-o", "written.pdf")
    assert result.exit_code == 0, result.output
    result = run("merge", "one.csv", "-t", template, *style, "-o", "merged.pdf", "-j", "1", "-q")
    assert result.exit_code == 0, result.output
    assert (here / "written.pdf").read_bytes() == (here / "merged.pdf").read_bytes()


def test_write_reads_the_shop_config(here):
    (here / "notes.toml").write_text(
        '[shop]\nname = "Juniper & Clay"\nsender = "Maya"\nsignature = "Warmly,"\n'
        '[style]\ncard = "a7"\n'
    )
    assert (
        run("write", "-t", "thank-you", "--set", "name=Ana", "--set", "product=mug").exit_code == 0
    )
    reader = check_pdf(here / "Ana.pdf")
    assert "Maya" in text_of(reader)
    assert page_size(reader) == (209.76, 297.64)  # A7


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["write"], 2, "nothing to write"),
        (["write", "--set", "name"], 2, "is not KEY=VALUE"),
        (
            ["write", "-t", "thank-you", "--set", "name=Ana"],
            2,
            "--set: template 'thank-you' needs 'product'",
        ),
        (["write", "-t", "thank-you"], 2, "--set: template 'thank-you' needs 'name', 'product'"),
        (
            ["write", "-t", "thank-you", "--set", "name=", "--set", "product=mug"],
            2,
            "'name' given empty",
        ),
        (["write", "--text", ""], 2, "--text: the text to write is empty"),
        (["write", "--text", " \n "], 2, "--text: the text to write is empty"),
        (["write", "-t", "thank-yuo", "--set", "name=Ana"], 1, "thank-you"),
        (["write", "--text", "hi", "--card", "huge"], 2, "unknown card size"),
        (["write", "--text", "hi", "--ink", "sparkly"], 2, "unknown ink"),
        (["write", "--text", "hi", "--font", "nope"], 1, "unknown font"),
        (["write", "--text", "Dear \U00013000"], 1, "U+13000"),
        (["write", "--text", "word " * 3000, "--card", "a7"], 1, "does not fit"),
        (["write", "--text", "hi", "--config", "missing.toml"], 1, "config file not found"),
    ],
)
def test_write_user_mistakes_are_messages_not_tracebacks(here, args, code, message):
    result = run(*args)
    assert result.exit_code == code, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not list(here.glob("*.pdf"))


def test_preview_writes_a_png_per_page(here):
    run("write", "--text", "Dear Ana, thanks!", "-o", "ana.pdf")
    result = run("preview", "ana.pdf", "--dpi", "50")
    assert result.exit_code == 0, result.output
    assert (here / "ana-1.png").is_file()
    assert run("preview", "nothing.pdf").exit_code == 1


def test_fonts_lists_the_catalog_with_scripts():
    result = run("fonts")
    assert result.exit_code == 0
    assert "caveat" in result.output and "japanese" in result.output
    assert len(result.output.strip().splitlines()) >= 8


def test_fonts_specimen(here):
    result = run("fonts", "--specimen", "fonts.pdf")
    assert result.exit_code == 0, result.output
    text = "".join(p.extract_text() for p in check_pdf(here / "fonts.pdf").pages)
    assert "Caveat" in text and "Homemade Apple" in text


def test_fonts_check_names_the_font_for_each_character():
    result = run("fonts", "--check", "Hương 田")
    assert result.exit_code == 0
    assert "playpen-sans" in result.output and "yomogi" in result.output
    result = run("fonts", "--check", "a\U00013000")
    assert result.exit_code == 1 and "NOT DRAWABLE" in result.output


def test_templates_list_and_show():
    result = run("templates")
    assert result.exit_code == 0
    for name in (
        "thank-you",
        "welcome",
        "loyal",
        "birthday",
        "apology",
        "referral",
        "surprise",
        "blank",
    ):
        assert name in result.output
    shown = run("templates", "show", "apology")
    assert shown.exit_code == 0 and "required" in shown.output
    assert run("templates", "show", "nope").exit_code == 1


def test_init_writes_a_config_that_loads(here):
    assert run("init").exit_code == 0
    from notes.config import load_config

    assert load_config(here / "notes.toml").shop.name == "Juniper & Clay"
    assert run("init").exit_code == 1  # exists
    assert "[shop]" in run("init", "--stdout").output


def test_every_command_help_has_an_example():
    import typer.main

    command = typer.main.get_command(app)

    def walk(group, prefix):
        for name, sub in group.commands.items():
            yield prefix + [name], sub
            if hasattr(sub, "commands"):
                yield from walk(sub, prefix + [name])

    for path, _ in walk(command, []):
        result = run(*path, "--help")
        assert result.exit_code == 0
        assert "Example" in result.output, f"`notes {' '.join(path)} --help` has no example"


def test_python_dash_m_notes_runs():
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "notes", "--help"], capture_output=True, text=True)
    assert done.returncode == 0 and "write" in done.stdout
