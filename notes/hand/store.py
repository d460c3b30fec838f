"""Learned hands in the user data folder: one folder per hand, with its catalog entry.

    <user data>/notes/hands/maya/
        hand.json       the catalog entry: family, file, alternates per character, fallbacks
        maya.ttf        the font
        signature.svg   the signature box, traced (when it was signed)
        atlas.png, problems.txt, card.pdf, card.png   what `learn` reported

A hand is written into a temporary folder and renamed into place whole, so a hand is either
the old one or the new one, never half of each. Nothing here imports OpenCV: `notes fonts` and
`--font maya` read a hand without the `hand` extra.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

from notes.errors import FontError, OutputError, UsageError

ENTRY = "hand.json"
_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,31}")


@dataclass(frozen=True)
class HandEntry:
    name: str
    family: str  # "maya (your hand)"
    file: str  # the font's file name inside the hand's folder
    alternates: dict[str, list[str]] = field(default_factory=dict)  # char -> glyph names
    borrowed: dict[str, str] = field(default_factory=dict)  # char -> bundled font it came from
    closest: str = "caveat"  # the bundled font most like the hand
    size: float = 14.0  # default size in points on an A6 card
    signature: str = ""  # file name of the traced signature, if the box was signed
    photo: str = ""  # the photo it was learned from

    def folder(self) -> Path:
        return hands_folder() / self.name

    def font_path(self) -> Path:
        return self.folder() / self.file


def hands_folder() -> Path:
    import platformdirs

    return platformdirs.user_data_path("notes") / "hands"


def check_name(name: str) -> str:
    """A hand's name: short, lower-case letters, digits and dashes; not a bundled font's id."""
    from notes.fonts import load_catalog

    if not _NAME.fullmatch(name):
        raise UsageError(
            f"{name!r} cannot name a hand",
            hint="use up to 32 lower-case letters, digits and dashes, like --name maya",
        )
    if name in load_catalog():
        raise UsageError(
            f"{name!r} is the name of a bundled font",
            hint=f"choose another name, like --name {name}-hand",
        )
    return name


def load_hands() -> dict[str, HandEntry]:
    """Every learned hand whose entry and font are there, by name."""
    folder = hands_folder()
    if not folder.is_dir():
        return {}
    hands = {}
    for entry_file in sorted(folder.glob(f"*/{ENTRY}")):
        try:
            hand = HandEntry(**json.loads(entry_file.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            continue  # a damaged entry is not a hand; `notes hand learn` writes it again
        if hand.name == entry_file.parent.name and hand.font_path().is_file():
            hands[hand.name] = hand
    return hands


def find_hand(name: str) -> HandEntry | None:
    if not _NAME.fullmatch(name):
        return None
    return load_hands().get(name)


def save_hand(entry: HandEntry, files: dict[str, bytes], *, force: bool) -> Path:
    """Write the hand's folder whole: its entry and `files` (name -> contents)."""
    from notes.files import output_error

    folders = hands_folder()
    target = folders / entry.name
    if target.exists() and not force:
        raise OutputError(
            f"a hand named {entry.name!r} is already learned",
            where=str(target),
            hint="add --force to replace it, or choose another --name",
        )
    staging = folders / f".{entry.name}.new"
    old = folders / f".{entry.name}.old"
    try:
        folders.mkdir(parents=True, exist_ok=True)
        for leftover in (staging, old):
            shutil.rmtree(leftover, ignore_errors=True)
        staging.mkdir()
        for file_name, data in files.items():
            (staging / file_name).write_bytes(data)
        (staging / ENTRY).write_text(json.dumps(asdict(entry), indent=1, ensure_ascii=False))
        if target.exists():
            target.rename(old)
        staging.rename(target)
    except OSError as exc:
        raise output_error(exc, target) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
    return target


def hand_font_spec(entry: HandEntry):
    """The hand as a font of the catalog (notes.fonts.FontSpec)."""
    from notes.fonts import FontSpec

    path = entry.font_path()
    if not path.is_file():
        raise FontError(
            f"the font of the hand {entry.name!r} is missing",
            where=str(path),
            hint=f"learn it again: notes hand learn PHOTO --name {entry.name} --force",
        )
    return FontSpec(
        id=entry.name,
        family=entry.family,
        path=path,
        licence="yours",
        scripts=("latin",),
        style="your hand",
        connected=False,
        size=entry.size,
        alternates=tuple((char, tuple(names)) for char, names in entry.alternates.items()),
    )
