"""`notes hand learn`: from a photo of the filled-in sheet to a stored hand, in one call."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from notes.errors import PhotoError
from notes.hand.charset import MARKS, SAMPLED, composed, describe
from notes.hand.learn import Sample
from notes.hand.store import HandEntry

# More sampled characters than this missing and the hand would be mostly borrowed: stop.
MAX_MISSING = 12
CARD_TEXT = (
    "Dear Ana,\nthank you so much for your order! I packed your blue teapot myself, and I hope "
    "it brings you joy. Tell me how you get on with it.\nWarm wishes, Maya"
)


@dataclass
class Learned:
    entry: HandEntry
    folder: Path
    samples: list[Sample]
    missing: list[str]  # sampled characters with no usable sample
    warnings: list[str] = field(default_factory=list)


def learn_hand(photo: Path, name: str, *, force: bool = False) -> Learned:
    """Learn the hand on the sheet in `photo` and store it as `name`."""
    from notes.hand import report
    from notes.hand.learn import cut_boxes, ink_mask, mark_ambiguous, remove_printed_lines
    from notes.hand.photo import find_sheet, flatten, load_photo
    from notes.hand.store import check_name, save_hand

    name = check_name(name)
    image = load_photo(photo)
    sheet, homography = find_sheet(image, str(photo))
    flat = flatten(image, sheet, homography)
    ink = remove_printed_lines(ink_mask(flat), sheet)
    samples = cut_boxes(ink, sheet)
    mark_ambiguous(samples)
    shapes_by_char = _shapes(samples, photo)
    missing = [c for c in SAMPLED if c not in shapes_by_char]
    glyphs, borrowed, closest = _glyphs(shapes_by_char, missing)
    from notes.hand.build import build_font

    family = f"{name} (your hand)"
    files = {f"{name}.ttf": build_font(glyphs, family)}
    signature = report.signature_svg(ink, sheet)
    if signature:
        files["signature.svg"] = signature
    files["atlas.png"] = report.atlas_png(samples)
    entry = HandEntry(
        name=name,
        family=family,
        file=f"{name}.ttf",
        alternates=_alternates(glyphs),
        borrowed={char: closest for char in borrowed},
        closest=closest,
        signature="signature.svg" if signature else "",
        photo=str(photo),
    )
    learned = Learned(entry, Path(), samples, missing)
    learned.warnings = _warnings(learned, borrowed, closest)
    files["problems.txt"] = report.problems_text(learned).encode("utf-8")
    learned.folder = save_hand(entry, files, force=force)
    report.sample_card(learned.folder, name, CARD_TEXT)
    return learned


def _shapes(samples: list[Sample], photo: Path) -> dict:
    from notes.hand.glyphset import settled, shape_of, typical_first

    usable = [s for s in samples if s.usable]
    if not usable:
        raise PhotoError(
            "the sheet has no writing on it (every box is empty)",
            where=str(photo),
            hint="fill in the boxes with a dark pen, then photograph the sheet again",
        )
    letters = [c for c in SAMPLED if c not in MARKS]
    missing = [c for c in letters if c not in {s.char for s in usable}]
    if len(missing) > MAX_MISSING:
        raise PhotoError(
            f"only {len(letters) - len(missing)} of the sheet's {len(letters)} characters could "
            f"be read; missing: {' '.join(missing)}",
            where=str(photo),
            hint="fill in the empty boxes, and photograph the sheet sharp and in even light "
            "(no shadow across it); the atlas of a run shows what was read",
        )
    shapes_by_char: dict = {}
    for sample in usable:
        shapes_by_char.setdefault(sample.char, []).append(shape_of(sample))
    return {char: typical_first(settled(shapes)) for char, shapes in shapes_by_char.items()}


def _glyphs(shapes_by_char: dict, missing: list[str]):
    """The learned glyphs, plus those borrowed from the closest bundled font."""
    from notes.hand.fallback import borrowed_drawings, closest_bundled_font
    from notes.hand.glyphset import Spacing, learned_glyphs

    glyphs = learned_glyphs(shapes_by_char)
    have = {g.char for g in glyphs}
    wanted = [c for c in missing if c not in MARKS]
    wanted += [c for c in composed() if c not in have and c not in wanted]
    closest = closest_bundled_font(shapes_by_char)
    if not wanted:
        return glyphs, [], closest
    spacing = Spacing([s for shapes in shapes_by_char.values() for s in shapes])
    from notes.hand.charset import glyph_name

    borrowed = borrowed_drawings(closest, wanted)
    for char, drawing in borrowed.items():
        glyphs.append(spacing.place(glyph_name(char), char, drawing))
    return glyphs, list(borrowed), closest


def _alternates(glyphs) -> dict[str, list[str]]:
    by_name = {g.name: g.char for g in glyphs if g.char}
    alternates: dict[str, list[str]] = {}
    for glyph in glyphs:
        if glyph.alternate_of:
            alternates.setdefault(by_name[glyph.alternate_of], []).append(glyph.name)
    return alternates


def _warnings(learned: Learned, borrowed: list[str], closest: str) -> list[str]:
    warnings = []
    sampled = [c for c in borrowed if c in SAMPLED]
    if sampled:
        shown = ", ".join(describe(c) for c in sampled)
        warnings.append(
            f"no usable sample of {shown}: borrowed from {closest}, the bundled font closest "
            "to your hand (fill in those boxes and learn again to use your own)"
        )
    marks = [c for c in learned.missing if c in MARKS]
    if marks:
        shown = ", ".join(describe(c) for c in marks)
        warnings.append(f"no usable sample of {shown}: its accented letters come from {closest}")
    return warnings
