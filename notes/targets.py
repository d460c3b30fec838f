"""The files one merge writes, checked against each other before anything renders.

Two options naming the same file would lose one of them (`-o same.pdf --envelopes same.pdf`
keeps only the envelopes), and in a --per-note folder a customer called "Envelopes" must not
replace the run's own envelopes.pdf. Names are compared resolved and case-folded, as the default
file systems of macOS and Windows compare them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from notes.errors import UsageError
from notes.manifest import manifest_path

if TYPE_CHECKING:
    from notes.merge import Outputs

# Per-note customer files never take these names, whether or not this run writes them there.
RUN_FILE_STEMS = ("envelopes", "manifest", "cards")


def manifest_targets(outputs: Outputs) -> list[Path]:
    """The manifest (--manifest, else beside the output), and its JSON twin with --json."""
    per_note = outputs.per_note is not None
    target = outputs.per_note if per_note else outputs.cards
    assert target is not None, "a merge that writes has -o or --per-note"
    manifests = [outputs.manifest or manifest_path(target, per_note=per_note)]
    if outputs.manifest_json:
        manifests.append(manifests[0].with_suffix(".json"))
    return manifests


def same_file_key(path: Path) -> str:
    """What two paths share when a case-insensitive file system sees one file."""
    return str(path.expanduser().resolve()).casefold()


def labelled_targets(outputs: Outputs, source: str | Path | None) -> list[tuple[str, Path]]:
    """(option, path) for everything the run reads or writes by name."""
    manifests = manifest_targets(outputs)
    named: list[tuple[str, Path | None]] = [
        ("the input file", Path(source) if source not in (None, "-") else None),
        ("-o", outputs.cards),
        ("--per-note", outputs.per_note),
        ("--envelopes", outputs.envelopes),
        ("--manifest" if outputs.manifest else "the manifest", manifests[0]),
    ]
    if len(manifests) > 1:
        named.append(("--json", manifests[1]))
    return [(label, path) for label, path in named if path is not None]


def refuse_colliding_targets(outputs: Outputs, source: str | Path | None = None) -> None:
    """Raise UsageError, naming both options, when two of the run's files are one file."""
    seen: dict[str, tuple[str, Path]] = {}
    for label, path in labelled_targets(outputs, source):
        key = same_file_key(path)
        if key in seen:
            first, first_path = seen[key]
            raise UsageError(
                f"{first} {first_path} and {label} {path} are the same file:"
                " one would overwrite the other",
                hint="give each a file name of its own (names are compared ignoring case,"
                " as macOS and Windows do)",
            )
        seen[key] = (label, path)


def reserved_stems(outputs: Outputs) -> set[str]:
    """Case-folded names a --per-note folder keeps for the run's own files."""
    reserved = {stem.casefold() for stem in RUN_FILE_STEMS}
    if outputs.per_note is None:
        return reserved
    folder = same_file_key(outputs.per_note)
    for _, path in labelled_targets(outputs, None):
        if same_file_key(path.parent) == folder:
            reserved.add(path.stem.casefold())
    return reserved
