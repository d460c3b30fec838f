"""A review of one run's cards: approve, hold back, change the occasion, edit, another seed.

Every decision is appended to the run's journal (review-journal.jsonl beside the manifest) and
flushed to disk before the page shows it, so closing the page or stopping the server loses
nothing: the next `notes review` replays the journal. Messages the shop types are plain text,
drawn as they are; nothing in them is read as a template.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

from notes.errors import DataError, NotesError, UsageError
from notes.review.recipe import Recipe, RecipeNote, latest_recipe, read_recipe

DECISIONS = ("pending", "approved", "held")
LONGEST_TEXT = 4000  # characters: far more than any card holds
PREVIEW_DPI = 100


@dataclass
class ReviewCard:
    number: int  # 1.. in the run's page order
    note: RecipeNote
    occasion: str
    text: str
    seed_variant: int
    decision: str = "pending"
    problem: str = ""  # why the last change was refused, shown on the card

    @property
    def edited(self) -> bool:
        n = self.note
        return (self.text, self.occasion, self.seed_variant) != (n.text, n.occasion, n.seed_variant)


class Journal:
    """Decisions as JSON lines, each on disk before it counts."""

    def __init__(self, path: Path):
        self.path = path

    def entries(self) -> list[dict]:
        try:
            lines = self.path.read_text(encoding="utf-8", errors="surrogatepass").splitlines()
        except FileNotFoundError:
            return []
        entries = []
        for line in lines:
            try:
                entry = json.loads(line)
            except ValueError:
                continue  # a line cut off by a crash: its decision never reached the page
            if isinstance(entry, dict):
                entries.append(entry)
        return entries

    def append(self, entry: dict) -> None:
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        with self.path.open("a", encoding="utf-8", errors="surrogatepass") as handle:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


class ReviewSession:
    """The cards of one run and the decisions about them. Safe to call from several threads."""

    def __init__(self, recipe: Recipe):
        from notes.render import Renderer

        self.recipe = recipe
        self.lock = threading.RLock()
        self.renderer = Renderer(recipe.style)
        self.codes = None
        if recipe.qr is not None:
            from notes.qr import card_codes

            self.codes = card_codes(recipe.qr, recipe.style.card, self.renderer.ink)
            self.renderer.box = self.codes.room(self.renderer.box)
        self.reset(recipe)
        self.journal = Journal(recipe.journal)
        self._previews: dict[tuple, bytes] = {}
        self.occasions = _occasions()

    @classmethod
    def open(cls, folder: Path, *, ledger: Path | None = None) -> ReviewSession:
        """The folder's latest run, with the journal's decisions replayed. `ledger`: where the
        run's ledger is now, if it was moved."""
        recipe = read_recipe(latest_recipe(folder))
        recipe.ledger = ledger or recipe.ledger
        if not recipe.ledger.is_file():
            raise DataError(
                "the ledger these cards were recorded in is not there",
                where=str(recipe.ledger),
                hint="if it was moved, give its new place with --ledger PATH",
            )
        session = cls(recipe)
        for entry in session.journal.entries():
            session._replay(entry)
        return session

    def reset(self, recipe: Recipe) -> None:
        """Start from `recipe`'s cards as they are in it (after writing: the approved ones)."""
        self.recipe = recipe
        self.cards = [
            ReviewCard(i, n, n.occasion, n.text, n.seed_variant, n.decision)
            for i, n in enumerate(recipe.notes, 1)
        ]

    def card(self, number: int) -> ReviewCard:
        if not 1 <= number <= len(self.cards):
            raise UsageError(f"there is no card {number}", hint=f"cards are 1-{len(self.cards)}")
        return self.cards[number - 1]

    # -- decisions ----------------------------------------------------------------------------
    def decide(self, number: int, decision: str) -> ReviewCard:
        if decision not in DECISIONS:
            raise UsageError(f"unknown decision {decision!r}", hint="approved, held or pending")
        return self._change(number, "decide", decision)

    def set_occasion(self, number: int, occasion: str) -> ReviewCard:
        return self._change(number, "occasion", occasion)

    def set_text(self, number: int, text: str) -> ReviewCard:
        return self._change(number, "text", text)

    def next_seed(self, number: int) -> ReviewCard:
        return self._change(number, "seed", self.card(number).seed_variant + 1)

    def _change(self, number: int, action: str, value: object) -> ReviewCard:
        with self.lock:
            card = self.card(number)
            try:
                if action == "text":
                    value = _clean_text(str(value))
                self._apply(card, action, value)
            except NotesError as exc:
                card.problem = f"{exc.message} ({exc.hint})" if exc.hint else exc.message
                return card
            card.problem = ""
            self.journal.append({"key": card.note.key, "do": action, "value": value})
            if action != "decide":
                self._keep_edit(card)
            return card

    def _keep_edit(self, card: ReviewCard) -> None:
        """The edit goes into the ledger at once, so a later `notes day` (a reprint with
        --force, or the run that writes a card held back) draws the card as edited."""
        from notes.ledger import Ledger, NoteEdit

        edit = NoteEdit(card.note.key, card.occasion, card.text, card.seed_variant)
        try:
            with Ledger(self.recipe.ledger) as ledger:
                ledger.record_edits(self.recipe.day, [edit])
        except NotesError as exc:
            card.problem = f"kept on this page, but not in the ledger: {exc.message}"

    def _replay(self, entry: dict) -> None:
        card = next((c for c in self.cards if c.note.key == entry.get("key")), None)
        if card is None:
            return
        try:
            self._apply(card, str(entry.get("do")), entry.get("value"))
        except NotesError:
            pass  # refused when it was made, so never shown as done

    def _apply(self, card: ReviewCard, action: str, value: object) -> None:
        """Check a change (the card is planned with it) and make it; raise if it can't be."""
        if action == "decide":
            if value not in DECISIONS:
                raise UsageError(f"unknown decision {value!r}")
            card.decision = str(value)
            return
        text, occasion, variant = card.text, card.occasion, card.seed_variant
        if action == "occasion":
            occasion = str(value)
            if occasion not in self.occasions:
                raise UsageError(f"unknown occasion {occasion!r}", hint=", ".join(self.occasions))
            text = self._compose(card.note, occasion)
        elif action == "text":
            text = str(value)
            if not text.strip():
                raise UsageError("the message is empty", hint="write the card's text")
        elif action == "seed" and isinstance(value, int) and value >= 0:
            variant = value
        else:
            raise UsageError(f"unknown change {action!r}")
        self._plan(card.note, text, variant)  # raises if it cannot be drawn or does not fit
        card.text, card.occasion, card.seed_variant = text, occasion, variant

    def _compose(self, note: RecipeNote, occasion: str) -> str:
        from notes.compose import compose_note

        text, _ = compose_note(
            occasion, note.fields, shop=self.recipe.shop, today=self.recipe.day.isoformat(),
            seed=self.recipe.style.seed, extra=note.extra,
        )  # fmt: skip
        return text

    # -- drawing ------------------------------------------------------------------------------
    def _key(self, note: RecipeNote) -> str:
        return f"{note.key}\x1f{self.recipe.day.isoformat()}"

    def _plan(self, note: RecipeNote, text: str, variant: int):  # noqa: ANN202 - NotePlan
        from notes.day import card_key
        from notes.exact import exact_words

        # The fields' codes and numbers drawn exactly, as `notes day` drew them (a made-up code
        # without a digit is exact only as a field: it came out warped, in other bytes).
        exact = exact_words({**note.fields, **(note.extra or {})})
        return self.renderer.plan(text, key=card_key(self._key(note), variant), exact=exact)

    def link(self, card: ReviewCard) -> str:
        if self.codes is None:
            return ""
        values = {**card.note.fields, "occasion": card.occasion,
                  "discount_code": card.note.extra.get("discount_code") or ""}  # fmt: skip
        return self.codes.link_for(values)

    def card_plan(self, card: ReviewCard):  # noqa: ANN201 - notes.render.NotePlan
        plan = self._plan(card.note, card.text, card.seed_variant)
        link = self.link(card)
        if link:
            plan = replace(plan, extras=(*plan.extras, *self.codes.strokes_for(link)))
        return plan

    def envelope_plan(self, card: ReviewCard):  # noqa: ANN201 - EnvelopePlan or None
        from notes.envelopes import envelope_address, envelope_plan, packer_note

        if card.note.envelope_page is None or not self.recipe.envelope_size:
            return None
        address = envelope_address(card.note.fields, self.recipe.shop)
        return envelope_plan(
            self.renderer, list(address.lines), list(self.recipe.shop.return_address),
            self.recipe.envelope_size, key=self._key(card.note), packer_note=packer_note(address),
        )  # fmt: skip

    def preview(self, number: int, *, envelope: bool = False) -> bytes:
        """A PNG of the card (as it is now) or of its envelope."""
        with self.lock:
            card = self.card(number)
            state = (card.note.key, envelope, card.text, card.occasion, card.seed_variant)
            if state not in self._previews:
                plan = self.envelope_plan(card) if envelope else self.card_plan(card)
                if plan is None:
                    raise UsageError(f"card {number} has no envelope")
                self._previews[state] = _png(plan, envelope=envelope)
            return self._previews[state]


def _png(plan, *, envelope: bool) -> bytes:  # noqa: ANN001 - a card or envelope plan
    import pypdfium2 as pdfium

    with tempfile.TemporaryDirectory(prefix="notes-preview-") as folder:
        pdf = Path(folder) / "preview.pdf"
        if envelope:
            from notes.envelopes import write_envelopes

            write_envelopes([plan], pdf, force=True)
        else:
            from notes.render import write_cards

            write_cards([plan], pdf, force=True)
        document = pdfium.PdfDocument(str(pdf))
        try:
            image = document[0].render(scale=PREVIEW_DPI / 72).to_pil()
        finally:
            document.close()
    import io

    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _clean_text(text: str) -> str:
    """What the shop typed, as it will be drawn: line ends made \\n, control characters (other
    than new lines and tabs) dropped, and no more than LONGEST_TEXT characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kept = "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc")
    if len(kept) > LONGEST_TEXT:
        raise UsageError(
            f"the message is {len(kept)} characters long",
            hint=f"a card holds far fewer; keep it under {LONGEST_TEXT}",
        )
    return kept


def _occasions() -> list[str]:
    from notes.templating import list_templates

    return [info.name for info in list_templates()]
