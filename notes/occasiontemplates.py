"""Which template writes each occasion of `notes day`: the built-in ones, or the shop's own.

`--template-dir DIR` (or `[templates] dir` in notes.toml) holds <occasion>.j2 files; `[templates]`
may also name one file per occasion. Every template named is loaded and checked before any card
is laid out. `write_occasion_templates` copies the built-in ones into a folder to edit.
"""

from __future__ import annotations

from pathlib import Path

from notes.errors import ConfigError, UsageError

OCCASIONS = ("thank-you", "welcome", "loyal", "birthday", "apology", "referral", "surprise")


def occasion_templates(config, template_dir: Path | None = None) -> dict[str, str]:  # noqa: ANN001
    """occasion -> template file, for the occasions the shop words itself (`config`:
    notes.config.Config). The others keep the built-in template."""
    from notes.templating import load_template

    chosen: dict[str, str] = {}
    folder = template_dir
    if folder is None and config.templates.dir:
        folder = config.file(config.templates.dir)
    if folder is not None:
        chosen.update(_from_folder(folder, from_option=template_dir is not None))
    for occasion, name in config.templates.files().items():
        path = config.file(name)
        if not path.is_file():
            raise ConfigError(
                f"the template for {occasion!r} does not exist",
                where=f"{path} (named in {config.where('templates', occasion)})",
                hint="write it (notes init --templates DIR copies the built-in ones to edit)",
            )
        chosen[occasion] = str(path)
    for path in chosen.values():
        load_template(path)  # a broken template fails now, not on the first card that needs it
    return chosen


def _from_folder(folder: Path, *, from_option: bool) -> dict[str, str]:
    where = "--template-dir" if from_option else "[templates] dir in notes.toml"
    if not folder.is_dir():
        raise UsageError(
            "the templates folder does not exist",
            where=f"{folder} ({where})",
            hint="write one with: notes init --templates " + str(folder),
        )
    found = {o: str(folder / f"{o}.j2") for o in OCCASIONS if (folder / f"{o}.j2").is_file()}
    if not found:
        raise UsageError(
            "the templates folder holds no occasion template",
            where=f"{folder} ({where})",
            hint=f"name them after the occasions: {', '.join(o + '.j2' for o in OCCASIONS)}",
        )
    return found


def write_occasion_templates(folder: Path, *, force: bool = False) -> list[Path]:
    """Copy the built-in occasion templates into `folder` to edit; never over a file without
    `force`. Returns the files written."""
    from notes.files import atomic_path
    from notes.templates import BACK_TEMPLATE, BASE_LANGUAGE, templates_dir
    from notes.templating import load_template

    folder.mkdir(parents=True, exist_ok=True)
    targets = [(load_template(o).path, folder / f"{o}.j2") for o in OCCASIONS]
    back = templates_dir() / BASE_LANGUAGE / f"{BACK_TEMPLATE}.j2"  # what --duplex prints
    targets.append((back, folder / back.name))
    existing = [target for _, target in targets if target.exists()]
    if existing and not force:
        raise UsageError(
            f"{len(existing)} template file(s) exist already, e.g. {existing[0].name}",
            where=str(folder),
            hint="pass --force to replace them, or give another folder",
        )
    for source, target in targets:
        with atomic_path(target, force=True, example=target.name) as tmp:
            tmp.write_bytes(Path(source).read_bytes())
    return [target for _, target in targets]
