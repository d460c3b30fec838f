"""What `notes day` prints about each day: --explain per customer, then the day's summary.

Printing only: the plans and results come from notes.day and notes.daywrite.
"""

from __future__ import annotations

from notes.cli.console import counted, say

SHOWN = 20  # skipped/failed customers listed before "... and N more in the manifest"


def heading(plan, *, quiet: bool) -> None:  # noqa: ANN001 - notes.day.DayPlan
    if not quiet:
        say(
            f"{plan.day} from {plan.source} ({plan.preset}): {counted(len(plan.notes), 'customer')}"
        )


def explain(plan) -> None:  # noqa: ANN001 - notes.day.DayPlan
    """Per customer: the card, the rule that chose it and why; then any problem with it."""
    for note in plan.notes:
        d = note.decision
        what = d.occasion or ("already noted" if d.rule == "already-noted" else "skip")
        say(f"{note.name}: {what} [{d.rule}] {d.reason}")
        if note.status == "failed":
            say(f"    cannot write it: {note.error}")
        if note.address in ("warn", "error"):
            fate = {"warn": "warn", "error": "error, envelope marked for the packer"}[note.address]
            fate = "error, card held back" if note.status == "held" else fate
            say(f"    address ({fate}): {note.address_problem}")
        if note.warning:
            say(f"    warning: {note.warning}")


def summary(plan, result, *, quiet: bool, dry_run: bool, percent: int, valid_days: int) -> None:  # noqa: ANN001
    """The day's counts, what was held back, skipped or failed, the codes to create, the files."""
    new = [n for n in plan.notes if n.status in ("new", "reprint", "written")]
    already = plan.with_status("already-noted")
    echo = (lambda text: None) if quiet else say
    if not new and already:
        say(
            f"nothing new to write: {counted(len(already), 'customer')} already "
            f"{'has' if len(already) == 1 else 'have'} their note"
        )
    elif not new:
        say("nothing to write: no customer of this day gets a card")
    else:
        verb = "would write" if dry_run else "wrote"
        echo(f"{verb} {counted(len(new), 'note')}:")
        for occasion, count in sorted(plan.occasion_counts().items()):
            echo(f"  {occasion:<10} {count}")
    if new and already:
        echo(f"already noted before: {len(already)}")
    for label, notes in (("skipped", plan.with_status("skipped")),
                         ("failed", plan.with_status("failed")),
                         ("held back (address)", plan.with_status("held"))):  # fmt: skip
        if not notes:
            continue
        write = echo if label == "skipped" else say
        write(f"{label} {len(notes)}:")
        for note in notes[:SHOWN]:
            write(f"  {note.name}: {note.error or note.address_problem or note.decision.reason}")
        if len(notes) > SHOWN:
            write(f"  ... and {len(notes) - SHOWN} more in the manifest")
    _address_counts(plan, echo)
    warned = [n for n in new if n.warning]  # e.g. a language with no cards: the shop's instead
    for note in warned[:SHOWN]:
        echo(f"warning: {note.name}: {note.warning}")
    if len(warned) > SHOWN:
        echo(f"  ... and {len(warned) - SHOWN} more warnings in the manifest")
    _passed_over(plan)
    _codes(plan, result, dry_run=dry_run, percent=percent, valid_days=valid_days)
    if result is None or result.cards is None:
        return
    say(f"cards:     {result.cards}")
    if result.envelopes:
        say(f"envelopes: {result.envelopes}")
    elif not plan.envelopes:
        say("no envelopes: the export holds no addresses")
    say(f"manifest:  {result.manifest}")
    if getattr(result, "plots", None) is not None:
        say(f"plots:     {result.plots}/ ({result.plot_estimate.describe()})")


def problems(plan, *, quiet: bool) -> None:  # noqa: ANN001 - notes.day.DayPlan
    """Rows of the export that could not be read (once per export, not per day)."""
    if quiet:
        return
    for problem in plan.problems[:SHOWN]:
        say(f"problem: {problem.where}: {problem.reason}")
    if len(plan.problems) > SHOWN:
        say(f"... and {len(plan.problems) - SHOWN} more problems")


def _address_counts(plan, echo) -> None:  # noqa: ANN001 - notes.day.DayPlan, print function
    """How many envelope addresses were written with a warning or marked for the packer."""
    notes = [n for n in plan.notes if n.status != "held"]
    warned = sum(n.address == "warn" for n in notes)
    marked = sum(n.address == "error" for n in notes)
    counts = [f"{n} {what}" for n, what in ((warned, "with a warning"),
              (marked, "marked on the envelope")) if n]  # fmt: skip
    if counts:
        echo(f"addresses: {', '.join(counts)} (--explain or the manifest says why)")


def _passed_over(plan) -> None:  # noqa: ANN001 - notes.day.DayPlan
    """Cards the facts asked for but that were not given (the discount codes ran out)."""
    missed = [n for n in plan.notes if n.decision.passed_over]
    if missed:
        say(f"no surprise card for {len(missed)}: {missed[0].decision.passed_over.split(': ')[-1]}")


def _codes(plan, result, *, dry_run: bool, percent: int, valid_days: int) -> None:  # noqa: ANN001
    """Generated codes are printed on cards: the owner must create each one in the shop."""
    issued = result.issued if result is not None else plan.issued_codes(percent)
    if not issued:
        return
    where = f" (listed in {result.codes})" if result is not None and result.codes else ""
    verb = "would hand out" if dry_run else "handed out"
    say(
        f"{verb} {len(issued)} new discount code(s): create them in your shop before posting{where}"
    )
    for code in issued:
        say(f"  {code.code}  {code.percent}% off  until {code.expiry(valid_days)}  {code.customer}")
