"""notes.toml: found in the folder or given; mistakes name the key and the line."""

from __future__ import annotations

import pytest

from notes.config import SAMPLE_CONFIG, load_config
from notes.errors import ConfigError


def test_sample_config_loads_with_every_key(tmp_path):
    path = tmp_path / "notes.toml"
    path.write_text(SAMPLE_CONFIG)
    config = load_config(path)
    assert config.shop.name == "Juniper & Clay"
    assert config.style.messiness == 0.5
    assert config.day.surprise_threshold == 100.0


def test_found_in_the_current_folder_or_defaults(tmp_path):
    assert load_config(cwd=tmp_path).path is None
    (tmp_path / "notes.toml").write_text('[shop]\nname = "Bea\'s Books"\n')
    assert load_config(cwd=tmp_path).shop.name == "Bea's Books"


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ('[shop]\nname = "A"\ncolour = "red"\n', "unknown key 'colour' in [shop]", 3),
        ('[style]\n\nmessiness = "lots"\n', "messiness must be a number", 3),
        ("[style]\nmessiness = 3\n", "between 0 and 1", 2),
        ('[shop]\nreturn_address = "one line"\n', "must be a list of strings", 2),
        ('[shop]\nname = "x"\n\n[printer]\nname = "x"\n', "unknown section [printer]", 4),
        ("[shop\nname=1\n", "not valid TOML", None),
    ],
)
def test_mistakes_name_the_key_and_line(tmp_path, text, message, line):
    path = tmp_path / "notes.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    shown = str(info.value)
    assert message in shown
    assert str(path) in shown
    if line:
        assert f"line {line}" in shown


def test_missing_config_file_has_a_hint(tmp_path):
    with pytest.raises(ConfigError, match="notes init"):
        load_config(tmp_path / "nope.toml")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("surprise_threshold = nan", "surprise_threshold must be a number 0 or more, not nan"),
        ("surprise_threshold = inf", "surprise_threshold must be a number 0 or more, not inf"),
        ("surprise_threshold = -10.0", "not -10.0"),
        ("discount_percent = 150", "discount_percent must be a number between 0 and 100"),
        ("birthday_window_days = -3", "birthday_window_days must be a number 0 or more"),
    ],
)
def test_numbers_out_of_range_name_the_key_file_and_line(tmp_path, text, shown):
    """TOML reads nan and inf as numbers: a nan threshold crashed `notes day` mid-run."""
    path = tmp_path / "notes.toml"
    path.write_text(f'[shop]\nname = "A"\n\n[day]\n{text}\n')
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert shown in info.value.message
    assert info.value.where == f"{path} line 5" and info.value.hint


@pytest.mark.parametrize(
    ("setting", "message", "hint"),
    [
        ('envelope_font = "comic"', "unknown font 'comic'", "notes fonts"),
        ('card = "a8"', "unknown card size 'a8'", "a7, a6"),
        ('ink = "purple"', "unknown ink 'purple'", "blue-black"),
        ('font = "caveatt"', "unknown font 'caveatt'", "did you mean 'caveat'?"),
        ('orientation = "sideways"', "unknown orientation 'sideways'", "portrait"),
        ('realism = "wild"', "unknown realism 'wild'", "plain, natural or rough"),
    ],
)
def test_style_settings_are_checked_before_any_row_naming_file_and_line(
    tmp_path, setting, message, hint
):
    """Not one failed row per customer, nor a complaint about an option never given."""
    from typer.testing import CliRunner

    from notes.cli import app

    config = tmp_path / "notes.toml"
    config.write_text(f'[shop]\nname = "Juniper & Clay"\n\n[style]\n{setting}\n', encoding="utf-8")
    source = tmp_path / "people.csv"
    source.write_text("name,product,address1,city,zip,country\nAna,mug,1 Road,Leeds,LS1 1AA,GB\n")
    out = tmp_path / "cards.pdf"
    result = CliRunner().invoke(
        app,
        ["merge", str(source), "-t", "thank-you", "-o", str(out), "--envelopes",
         str(tmp_path / "envelopes.pdf"), "--config", str(config), "--jobs", "1", "-q"],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    key = setting.split()[0]
    assert f"error: {config} line 5 ([style] {key}): {message}" in result.output
    assert hint in result.output
    assert "row" not in result.output and "--" + key not in result.output
    assert not out.exists()


def test_a_style_setting_the_command_line_overrides_is_not_checked(tmp_path):
    from typer.testing import CliRunner

    from notes.cli import app

    config = tmp_path / "notes.toml"
    config.write_text('[style]\ncard = "a8"\n', encoding="utf-8")
    out = tmp_path / "card.pdf"
    result = CliRunner().invoke(
        app, ["write", "--text", "Hi", "--card", "a7", "--config", str(config), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.exists()
