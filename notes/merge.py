"""Mail merge: a table of customers -> one handwritten card per row.

Rows stream from `notes.sources` (`notes.preflight` checks the template against the columns
first) into the batch core: `notes.batchmerge` makes each row a job, `notes.batch` plans the
cards (in a process pool with --jobs) and `notes.batchwrite` writes them in row order, one
stream per file, so any number of workers writes the same bytes and memory stays flat.
A row that cannot be written (missing value, uncovered character, too long) becomes a failed
manifest row with its file line; the others carry on.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from notes.batch import Setup
from notes.batchmerge import DRY_RUN_SHOWN, MergeReport, MergeRun, Progress, refuse_shop_export
from notes.config import Shop
from notes.errors import UsageError
from notes.files import check_writable, make_folder
from notes.preflight import RowSelection, preflight
from notes.records import FrozenRecord
from notes.render import Style
from notes.targets import manifest_targets, refuse_colliding_targets

__all__ = ["DRY_RUN_SHOWN", "MergeReport", "Outputs", "Progress", "check_targets", "merge"]


@dataclass(init=False, repr=False, eq=False)
class Outputs(FrozenRecord):
    """Where the merge writes. Exactly one of `cards` (one PDF) or `per_note` (a folder)."""

    cards: Path | None = None
    per_note: Path | None = None
    sheet: str | None = None  # a4 | letter: impose the cards N-up on sheets in `cards`
    bleed_mm: float = 0.0
    duplex: bool = False
    envelopes: Path | None = None
    envelope_size: str | None = None  # default: the envelope made for the card
    manifest: Path | None = None  # default: beside the output
    manifest_json: bool = False
    force: bool = False
    plot: object | None = None  # notes.plotbatch.PlotJob: a plot file per card and envelope


def check_targets(outputs: Outputs, manifests: list[Path]) -> None:
    """Fail before rendering when a file would be overwritten without --force, or has no folder."""
    named = [(outputs.cards, "cards.pdf"), (outputs.envelopes, "envelopes.pdf")]
    named += [(path, f"manifest{path.suffix}") for path in manifests]
    for path, example in named:
        if path is not None:
            check_writable(path, force=outputs.force, example=example)


# ---------------------------------------------------------------- the merge


def merge(
    source: str | Path,
    *,
    template: str,
    outputs: Outputs,
    style: Style | None = None,
    shop: Shop | None = None,
    mapping: Mapping[str, str] | None = None,
    rows: RowSelection | Iterable[int] | None = None,
    limit: int | None = None,
    strict: bool = False,
    dry_run: bool = False,
    today: str | None = None,
    jobs: int | None = None,
    stdin: BinaryIO | None = None,
    on_progress: Progress | None = None,
    missing_address: str = "mark",
    do_not_contact: Mapping[str, str] | None = None,
) -> MergeReport:
    """Merge `source` (CSV/JSON/JSON Lines, '-' = stdin) into cards; see `Outputs`.

    With envelopes, every address is checked first; one that fails gets a marked envelope, or
    (`missing_address="hold"`) its row is held back: no card, and the reason in the manifest.

    Raises NotesError for problems of the whole run (bad template, missing column, file exists),
    and for the first failed row when `strict`. Failed rows are otherwise in the report.
    """
    from notes.columns import column_map
    from notes.sources import read_table
    from notes.templating import load_template

    style = style or Style()
    shop = shop or Shop()
    if outputs.cards is None and outputs.per_note is None and not dry_run:
        raise UsageError("nowhere to write the cards", hint="give -o cards.pdf or --per-note DIR")
    if outputs.per_note is not None and outputs.sheet:
        raise UsageError("--sheet imposes cards into one PDF; it cannot go with --per-note")
    if not dry_run:
        refuse_colliding_targets(outputs, source)
        if rows is not None:
            _refuse_replacing_a_batch(outputs)
    if rows is not None and not isinstance(rows, RowSelection):
        rows = RowSelection.of(rows)
    table = read_table(source, stdin=stdin)
    refuse_shop_export(table.columns, dict(mapping or {}), table.source, str(source))
    colmap = column_map(table.columns, dict(mapping or {}))
    info = load_template(template)
    preflight(info, table.columns, colmap, source=table.source)
    envelope_size = None
    if outputs.envelopes is not None:
        from notes.cards import ENVELOPE_FOR_CARD, parse_envelope

        _refuse_envelopes_without_addresses(colmap, table)

        wanted = outputs.envelope_size or ENVELOPE_FOR_CARD.get(style.card.name, "c6")
        envelope_size = parse_envelope(wanted)[0]
    back_template = _back_template(info, shop) if outputs.duplex else None
    number_styles = _number_styles(table, colmap, info, back_template)
    setup = Setup(
        style=style,
        shop=shop,
        today=today or dt.date.today().isoformat(),  # once, so workers agree across midnight
        envelope_size=envelope_size,
        missing_address=missing_address,
        back_template=back_template,
        number_styles=number_styles,
        plot=outputs.plot,
        columns=dict(colmap),
        template_name=info.name,
    )
    # A template named by its path is composed from that path, in any worker.
    by_path = "/" in template or "\\" in template
    run = MergeRun(
        setup, table, dict(colmap), str(info.path) if by_path else template, info.name, rows,
        limit, jobs or os.cpu_count() or 1, strict, dict(do_not_contact or {}),
    )  # fmt: skip
    if dry_run:
        return run.dry_run(on_progress)
    manifests = manifest_targets(outputs)
    if outputs.per_note is not None:
        make_folder(outputs.per_note)
    check_targets(outputs, manifests)
    return run.write(outputs, manifests, on_progress)


def _number_styles(table, colmap, info, back_template):  # noqa: ANN001, ANN202
    """The fields the card (and its back) format as money -> (column, the number style that
    column shows), so a merge reads '1,234' as the rest of its column is written."""
    from notes.preflight import money_fields
    from notes.templating import load_template
    from notes.values import column_number_styles

    fields = money_fields(info.source)
    if back_template is not None:
        fields |= money_fields(load_template(back_template).source)
    columns = {field: colmap[field] for field in sorted(fields) if field in colmap}
    return column_number_styles((r.raw for r in table), columns) if columns else {}


def _refuse_replacing_a_batch(outputs: Outputs) -> None:
    """--rows writes a few rows: with --force onto an earlier run's files it would replace the
    whole batch (and its manifest) with those few cards, so it writes beside them instead."""
    targets = [outputs.cards, outputs.per_note, outputs.envelopes, *manifest_targets(outputs)]
    existing = [path for path in targets if path is not None and path.exists()]
    if not existing or outputs.per_note is not None and existing == [outputs.per_note]:
        return
    beside = existing[0].with_name(f"{existing[0].stem}-fixes{existing[0].suffix}")
    raise UsageError(
        f"--rows writes only the rows chosen; it would replace {existing[0].name}, which holds "
        "an earlier run's cards, with just those",
        where=str(existing[0]),
        hint=f"write them to new files beside it (e.g. -o {beside}), or remove "
        f"{existing[0].name} first if you really mean to replace it",
    )


def _refuse_envelopes_without_addresses(colmap: Mapping[str, str], table) -> None:  # noqa: ANN001
    """--envelopes on a file with no address column would write no envelope at all."""
    from notes.envelopes import ADDRESS_FIELDS

    if any(name in colmap for name in ADDRESS_FIELDS):
        return
    raise UsageError(
        "--envelopes needs addresses, and this file has no address column "
        f"(columns: {', '.join(table.columns)})",
        where=table.source,
        hint="leave out --envelopes, or name the columns with --map address1=Street "
        "--map city=Town --map zip=Postcode",
    )


def _back_template(info, shop: Shop) -> str:  # noqa: ANN001 - a notes.templating.TemplateInfo
    """What --duplex prints on the back: thank-you.back.j2 beside the template, else a back.j2
    beside it (the shop's own, e.g. in a `notes init --templates` folder), else the built-in
    back (the shop's name and address) in the template's language, or the shop's."""
    from notes.grammar import language_of
    from notes.templates import BACK_TEMPLATE, BASE_LANGUAGE, templates_dir

    for name in (f"{info.path.stem}.{BACK_TEMPLATE}.j2", f"{BACK_TEMPLATE}.j2"):
        beside = info.path.with_name(name)
        if beside.is_file():
            return str(beside)
    for language in (info.language or language_of(shop.locale), BASE_LANGUAGE):
        built_in = templates_dir() / language / f"{BACK_TEMPLATE}.j2"
        if built_in.is_file():
            return str(built_in)
    raise UsageError(
        f"the built-in back of the cards is missing from this installation ({built_in})",
        hint="reinstall notes; or write your own back.j2 beside your own template "
        "(notes init --templates DIR copies the built-in ones to edit) and merge with "
        "-t DIR/thank-you.j2; or leave out --duplex",
    )
