"""Writing a reviewed run: the approved cards (and their envelopes, in the same order) replace the
run's PDFs; the manifest, the ledger and the review data follow, under the ledger's run lock.

Order of the steps, so that a crash anywhere loses nothing: every file is written under a
temporary name; the PDFs and the manifest are renamed into place; the ledger records the kept
notes' pages and forgets the cards not sent (a later `notes day` writes them again, with their
edits, which the ledger keeps), in one transaction; then the review data is replaced and the
journal cleared. Until that last step the journal still holds every decision, and writing
again from it gives the same files and the same ledger.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from notes.errors import UsageError
from notes.manifest import read_manifest, save_csv, table_csv
from notes.review.recipe import Recipe, recipe_json
from notes.review.session import ReviewCard, ReviewSession

LOCK_WAIT = 30.0  # seconds to wait while a `notes day` run holds the ledger


@dataclass(frozen=True)
class Place:
    """Where an approved card went in the new files."""

    page: int
    position: int | None
    envelope_page: int | None
    link: str


@dataclass
class Written:
    cards: Path
    envelopes: Path | None
    manifest: Path
    kept: int
    held: int
    not_approved: int
    jobs: list = field(default_factory=list)  # notes.printing.PrintJob, when printed


def write_reviewed(session: ReviewSession) -> Written:
    """Replace the run's files with the approved cards; record it. Raises if none is approved."""
    from notes.ledger import Ledger
    from notes.ledgerfile import ledger_lock

    recipe = session.recipe
    with session.lock:
        approved = [c for c in session.cards if c.decision == "approved"]
        if not approved:
            raise UsageError(
                "no card is approved, so there is nothing to write",
                hint="approve the cards to send; the others stay as they are",
            )
        held = sum(c.decision == "held" for c in session.cards)
        pending = len(session.cards) - len(approved) - held
        with ledger_lock(recipe.ledger, wait=LOCK_WAIT), Ledger(recipe.ledger) as ledger:
            places = _write_files(session, approved)
            ledger.record_review(
                recipe.day, recipe.cards,
                kept=[(c.note.key, places[c.number].page, c.occasion) for c in approved],
                removed=[c.note.key for c in session.cards if c.decision != "approved"],
                edits=[_edit(c) for c in session.cards if c.edited],
            )  # fmt: skip
            _finish_review(session, approved, places)
    envelopes = recipe.envelopes if recipe.envelopes.exists() else None
    return Written(recipe.cards, envelopes, recipe.manifest, len(approved), held, pending)


def _write_files(session: ReviewSession, approved: list[ReviewCard]) -> dict[int, Place]:
    """Write cards, envelopes and manifest under temporary names, then rename them into place.
    Returns where each approved card (by number) went."""
    from notes.files import place

    recipe = session.recipe
    temps: list[Path] = []
    try:
        tmp_cards = _temp(recipe.cards, temps)
        pages = _write_cards(session, approved, tmp_cards)
        envelopes = [(c, p) for c in approved if (p := session.envelope_plan(c)) is not None]
        envelope_pages = {c.number: page for page, (c, _) in enumerate(envelopes, 1)}
        places = {
            c.number: Place(*pages[c.number], envelope_pages.get(c.number), session.link(c))
            for c in approved
        }
        files = [(tmp_cards, recipe.cards)]
        if envelopes:
            from notes.envelopes import write_envelopes

            tmp_envelopes = _temp(recipe.envelopes, temps)
            write_envelopes([p for _, p in envelopes], tmp_envelopes, force=True)
            files.append((tmp_envelopes, recipe.envelopes))
        tmp_manifest = _temp(recipe.manifest, temps)
        save_csv(tmp_manifest, _manifest(recipe, session.cards, places))
        files.append((tmp_manifest, recipe.manifest))
        for tmp, final in files:
            place(tmp, final)
        if not envelopes:
            recipe.envelopes.unlink(missing_ok=True)  # none of the kept cards has one
        return places
    finally:
        for tmp in temps:
            tmp.unlink(missing_ok=True)


def _temp(final: Path, temps: list[Path]) -> Path:
    from notes.files import temp_beside

    tmp = temp_beside(final)
    temps.append(tmp)
    return tmp


def _write_cards(
    session: ReviewSession, approved: list[ReviewCard], tmp: Path
) -> dict[int, tuple[int, int | None]]:
    """The approved cards in their order, as `notes day` writes them (imposed if it did)."""
    recipe = session.recipe
    plans = [session.card_plan(c) for c in approved]
    if recipe.sheet:
        from notes.sheets import sheet_layout, write_sheets

        positions = write_sheets(plans, tmp, sheet_layout(plans[0].card, recipe.sheet), force=True)
    else:
        from notes.render import write_cards

        write_cards(plans, tmp, force=True)
        positions = [(page, None) for page in range(1, len(plans) + 1)]
    return {c.number: tuple(p) for c, p in zip(approved, positions, strict=True)}


def _edit(card: ReviewCard):  # noqa: ANN202 - notes.ledger.NoteEdit
    from notes.ledger import NoteEdit

    return NoteEdit(card.note.key, card.occasion, card.text, card.seed_variant)


def _manifest(recipe: Recipe, cards: list[ReviewCard], places: dict[int, Place]) -> str:
    """The run's manifest with each reviewed card's new place, occasion and status, through
    the one manifest writer (`notes.manifest.table_csv`), in the columns the run wrote."""
    from notes.daywrite import MANIFEST_COLUMNS

    rows = read_manifest(recipe.manifest)
    # The header's names (a cell typed past the last column, read under None, is not one).
    columns = [name for name in rows[0] if name is not None] if rows else list(MANIFEST_COLUMNS)
    by_place = {(c.note.page, c.note.position): c for c in cards}
    for row in rows:
        card = by_place.get((_int(row.get("page")), _int(row.get("position"))))
        if row.get("status") == "written" and card is not None:
            row.update(_manifest_values(card, places.get(card.number), recipe))
    return table_csv(columns, ([row.get(name) for name in columns] for row in rows))


def _manifest_values(card: ReviewCard, where: Place | None, recipe: Recipe) -> dict:
    if where is None:
        held = card.decision == "held"
        why = "held back on the review page" if held else "not approved on the review page"
        return {"status": "held-back" if held else "not-approved", "file": "", "page": "",
                "position": "", "envelope_page": "", "qr_link": "", "occasion": card.occasion,
                "error": f"{why}: a later `notes day` of this export writes it"}  # fmt: skip
    return {"status": "written", "file": recipe.cards.name, "page": where.page,
            "position": where.position or "", "envelope_page": where.envelope_page or "",
            "occasion": card.occasion, "qr_link": where.link}  # fmt: skip


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


def _finish_review(
    session: ReviewSession, approved: list[ReviewCard], places: dict[int, Place]
) -> None:
    """The review data now holds the written cards only, as approved; the journal is done."""
    from notes.files import atomic_path

    recipe = session.recipe
    notes = []
    for card in approved:
        where = places[card.number]
        notes.append(replace(
            card.note, text=card.text, occasion=card.occasion, seed_variant=card.seed_variant,
            decision="approved", page=where.page, position=where.position,
            envelope_page=where.envelope_page, link=where.link,
        ))  # fmt: skip
    reviewed = replace(recipe, notes=notes)
    with atomic_path(recipe.path, force=True, example="review-data.json") as tmp:
        tmp.write_text(recipe_json(reviewed), encoding="utf-8", errors="surrogatepass")
    session.journal.clear()
    session.reset(reviewed)
