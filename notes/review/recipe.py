"""What the review page needs to redraw a run's cards: written beside the manifest by `notes day`.

`review-data.json` (`review-data-N.json` for the run that wrote cards-N.pdf) holds the style,
the shop, the [qr] settings and, for each card in page order, the customer, the occasion and
why, the text as written, and the template fields an occasion change is composed from. Cards
are redrawn from it exactly as `notes day` drew them (same text, key and seed: same PDF bytes).
Customer data in it is data: nothing in it is ever evaluated.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from notes.cards import ENVELOPE_FOR_CARD, Card
from notes.config import Qr, Shop
from notes.errors import DataError
from notes.render import Style

RECIPE_VERSION = 1


@dataclass
class RecipeNote:
    """One card of the run, as written (and, after a review, as approved)."""

    key: str  # the customer's key in the ledger
    name: str
    email: str
    occasion: str
    rule: str
    reason: str
    text: str
    fields: dict[str, Any]
    extra: dict[str, Any]
    page: int
    position: int | None = None  # place on the sheet with --sheet
    envelope_page: int | None = None
    link: str = ""
    seed_variant: int = 0
    decision: str = "pending"  # pending | approved (a reviewed and written run's cards)


@dataclass
class Recipe:
    folder: Path
    number: int  # the run: 1 wrote cards.pdf, 2 wrote cards-2.pdf ...
    day: date
    ledger: Path
    style: Style
    shop: Shop
    qr: Qr | None
    sheet: str | None
    envelope_size: str | None
    notes: list[RecipeNote] = field(default_factory=list)

    def _name(self, stem: str, suffix: str) -> Path:
        tail = "" if self.number == 1 else f"-{self.number}"
        return self.folder / f"{stem}{tail}{suffix}"

    @property
    def cards(self) -> Path:
        return self._name("cards", ".pdf")

    @property
    def envelopes(self) -> Path:
        return self._name("envelopes", ".pdf")

    @property
    def manifest(self) -> Path:
        return self._name("manifest", ".csv")

    @property
    def path(self) -> Path:
        return recipe_path(self.folder, self.number)

    @property
    def journal(self) -> Path:
        return self._name("review-journal", ".jsonl")


def recipe_path(folder: Path, number: int) -> Path:
    return folder / ("review-data.json" if number == 1 else f"review-data-{number}.json")


def recipe_for_day(result, *, style: Style, shop: Shop, ledger: Path, sheet: str | None,
                   qr: Qr | None) -> Recipe:  # fmt: skip  # noqa: ANN001 - notes.daywrite.DayResult
    """The recipe of a run `notes day` just wrote (result.cards is its cards file)."""
    from notes.day import note_fields
    from notes.daywrite import run_number

    written = [n for n in result.plan.notes if n.status == "written"]
    written.sort(key=lambda n: (n.page or 0, n.position or 0))
    notes = []
    for n in written:
        fields, extra = note_fields(n.decision)
        d = n.decision
        notes.append(RecipeNote(
            d.customer.key, n.name, d.customer.email, d.occasion or "", d.rule, d.reason,
            n.text, fields, extra, n.page or 0, n.position, n.envelope_page, n.link,
            n.seed_variant,
        ))  # fmt: skip
    return Recipe(
        folder=result.folder, number=run_number(result.cards.name) or 1, day=result.plan.day,
        ledger=ledger.resolve(), style=style, shop=shop, qr=qr if qr and qr.url else None,
        sheet=sheet, envelope_size=ENVELOPE_FOR_CARD.get(style.card.name, "c6"), notes=notes,
    )  # fmt: skip


def save_for_review(result, **recipe: Any) -> None:  # noqa: ANN001 - notes.daywrite.DayResult
    """After `notes day` wrote a run: what `notes review` needs, beside its manifest."""
    if result.cards is not None:
        write_recipe(recipe_for_day(result, **recipe))


def recipe_json(recipe: Recipe) -> str:
    data = {
        "version": RECIPE_VERSION,
        "number": recipe.number,
        "day": recipe.day,
        "ledger": str(recipe.ledger),
        "style": asdict(recipe.style),
        "shop": asdict(recipe.shop),
        "qr": asdict(recipe.qr) if recipe.qr else None,
        "sheet": recipe.sheet,
        "envelope_size": recipe.envelope_size,
        "notes": [asdict(n) for n in recipe.notes],
    }
    return json.dumps(data, default=_plain, ensure_ascii=False, indent=1) + "\n"


def write_recipe(recipe: Recipe) -> Path:
    from notes.files import atomic_path

    with atomic_path(recipe.path, force=True, example="review-data.json") as tmp:
        tmp.write_text(recipe_json(recipe), encoding="utf-8", errors="surrogatepass")
    return recipe.path


def read_recipe(path: Path) -> Recipe:
    try:
        text = path.read_text(encoding="utf-8", errors="surrogatepass")
        data = json.loads(text, object_hook=_typed)
        if data.get("version") != RECIPE_VERSION:
            raise ValueError(f"version {data.get('version')!r}, this notes reads {RECIPE_VERSION}")
        style = dict(data["style"])
        card = dict(style.pop("card"))
        card["panel"] = tuple(card["panel"]) if card.get("panel") else None
        return Recipe(
            folder=path.parent, number=int(data["number"]), day=data["day"],
            ledger=Path(data["ledger"]), style=Style(card=Card(**card), **style),
            shop=Shop(**data["shop"]), qr=Qr(**data["qr"]) if data["qr"] else None,
            sheet=data["sheet"], envelope_size=data["envelope_size"],
            notes=[RecipeNote(**n) for n in data["notes"]],
        )  # fmt: skip
    except OSError as exc:
        raise DataError(f"cannot read the review data: {exc.strerror}", where=str(path)) from None
    except (ValueError, KeyError, TypeError) as exc:
        raise DataError(
            f"the review data is damaged: {exc}", where=str(path),
            hint="write the day again with `notes day EXPORT --force -o NEW_FOLDER`",
        ) from None  # fmt: skip


def latest_recipe(folder: Path) -> Path:
    """The review data of the folder's latest run."""
    if not folder.is_dir():
        raise DataError("not a folder", where=str(folder), hint="give the folder `notes day` wrote")
    numbers = [1] if recipe_path(folder, 1).is_file() else []
    for path in folder.glob("review-data-*.json"):
        tail = path.stem.removeprefix("review-data-")
        if tail.isdigit() and path == recipe_path(folder, int(tail)):
            numbers.append(int(tail))
    if not numbers:
        raise DataError(
            "no cards to review here: this folder has no review-data.json",
            where=str(folder),
            hint="give the folder `notes day` (or `notes demo`) wrote; folders written by an "
            "older notes can be written again with `notes day EXPORT --force -o NEW_FOLDER`",
        )
    return recipe_path(folder, max(numbers))


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, tuple | set):
        return list(value)
    raise TypeError(f"{type(value).__name__} cannot be stored in the review data")


def _typed(obj: dict) -> object:
    if obj.keys() == {"$decimal"}:
        return Decimal(obj["$decimal"])
    if obj.keys() == {"$date"}:
        return date.fromisoformat(obj["$date"])
    return obj
