"""The batch core: merge and day plan each card as it is written, never every card first.

Memory must not grow with the number of notes (issue 15: `notes day` kept every card's layout,
~0.2 MB each). These tests count the planned cards alive while a run writes: a window of a few,
not the whole batch.
"""

from __future__ import annotations

import csv
import gc
import weakref
from datetime import date
from pathlib import Path

from pypdf import PdfReader

from notes import batch
from notes.batch import BATCH, Job, Setup
from notes.config import DayRules, Shop
from notes.day import Progress, plan_day
from notes.daywrite import write_day
from notes.demo import make_orders, write_export
from notes.demoshop import ENGLISH
from notes.ledger import Ledger
from notes.merge import Outputs, merge
from notes.render import NotePlan, Style

DAY = date(2026, 11, 21)
CARDS = 3 * BATCH  # more than a batch of jobs: the window has to move along
WINDOW = BATCH + 4  # planned cards alive at once, at most: a batch in flight and a sheet's


def live_plans() -> int:
    """Plans still held: garbage not yet collected (a cycle the collector frees when it runs,
    whenever that is under load) is not held."""
    gc.collect()
    return sum(isinstance(thing, NotePlan) for thing in gc.get_objects())


def test_a_sales_day_plans_each_card_as_it_writes_it(tmp_path: Path):
    export = write_export(
        tmp_path / "orders.csv",
        make_orders(customers=CARDS, locale="en_US", seed=3, day=DAY),
        "shopify",
    )
    seen: list[int] = []

    def count(progress: Progress) -> None:
        if progress.planned % 4 == 0:  # every card would make the test slow; this is enough
            seen.append(live_plans())

    progress = Progress(on_change=count)
    with Ledger(tmp_path / "ledger.sqlite3") as ledger:
        plan = plan_day(export, ledger=ledger, style=Style(seed=1), shop=ENGLISH.shop,
                        rules=DayRules(), day=DAY, progress=progress)  # fmt: skip
        result = write_day(plan, tmp_path / "out", ledger=ledger, progress=progress)
    written = len(PdfReader(result.cards).pages)
    assert written > 2 * WINDOW and progress.planned >= written
    assert max(seen) <= WINDOW, f"{max(seen)} cards' plans alive at once, of {written}"


def test_a_merge_holds_a_window_of_planned_cards_not_the_batch(tmp_path: Path):
    source = tmp_path / "customers.csv"
    with source.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["name", "product", "address1", "city", "zip", "country"])
        writer.writerows([f"Ana Souza {i}", "teapot", "1 Main St", "Springfield", "62701", "US"]
                         for i in range(CARDS))  # fmt: skip
    seen: list[int] = []

    def count(stage: str, done: int, total: int | None) -> None:
        if done % 4 == 0:
            seen.append(live_plans())

    out = tmp_path / "cards.pdf"
    outputs = Outputs(cards=out, envelopes=tmp_path / "envelopes.pdf", sheet="a4")
    report = merge(source, template="thank-you", outputs=outputs, jobs=1, today="2026-01-05",
                   on_progress=count)  # fmt: skip
    assert report.count("ok") == CARDS
    assert len(PdfReader(tmp_path / "envelopes.pdf").pages) == CARDS
    assert max(seen) <= WINDOW, f"{max(seen)} cards' plans alive at once, of {CARDS}"


def test_the_look_ahead_for_a_pool_is_handed_on_not_held(monkeypatch):
    """--jobs 2 looks ahead to see whether a pool pays; below POOL_FROM it plans here, and the
    jobs it looked at are let go as they are planned, not held to the end of the run."""
    monkeypatch.setattr(batch, "POOL_FROM", 10 * BATCH)  # a window wider than the run
    alive: list[weakref.ref] = []

    def jobs():
        for number in range(1, 4 * BATCH + 1):
            job = Job(number, {"name": f"Ana Souza {number}", "product": "teapot"}, "thank-you")
            alive.append(weakref.ref(job))
            yield job

    setup = Setup(Style(), Shop(), "2026-01-05")
    held = []
    for planned in batch.plan_cards(setup, jobs(), workers=2):
        assert planned.error is None
        if planned.number == 3 * BATCH:
            gc.collect()
            held = [ref for ref in alive[: 2 * BATCH] if ref() is not None]
    assert len(alive) == 4 * BATCH
    assert held == [], f"{len(held)} of the first {2 * BATCH} jobs still held"


def test_jobs_2_is_one_worker_and_this_process_planning_too(monkeypatch):
    """On two cores a third process only added its start, its warm-up and its cards' crossing:
    --jobs 2 spawns one worker, and this process plans cards while it waits for the worker's,
    all handed back in job order."""
    import multiprocessing

    monkeypatch.setattr(batch, "POOL_FROM", 0)  # a pool for these few cards
    monkeypatch.setattr("notes.pool.FORK", False)  # spawned: pytest may have threads
    earlier = set(multiprocessing.active_children())
    started: set = set()

    def jobs():
        for number in range(1, 6 * BATCH + 1):
            started.update(set(multiprocessing.active_children()) - earlier)
            yield Job(number, {"name": f"Ana Souza {number}", "product": "teapot"}, "thank-you")

    setup = Setup(Style(), Shop(), "2026-01-05")
    here = batch.Planner(setup, placed=True)
    planned = list(batch.plan_cards(setup, jobs(), workers=2, local=here))
    assert [card.number for card in planned] == list(range(1, 6 * BATCH + 1))
    assert all(card.error is None for card in planned)
    planners = {card.worker for card in planned}
    assert len(started) == 1 and len(planners) == 2 and here.worker in planners


def test_one_process_reads_jobs_as_it_plans_them():
    pulled: list[int] = []

    def jobs():
        for number in range(1, 4 * BATCH + 1):
            pulled.append(number)
            yield Job(number, {"name": f"Ana Souza {number}", "product": "teapot"}, "thank-you")

    setup = Setup(Style(), Shop(), "2026-01-05")
    first = next(iter(batch.plan_cards(setup, jobs(), workers=1)))
    assert first.number == 1 and len(pulled) <= BATCH


def test_a_planner_reads_the_users_template_once_for_all_its_cards(tmp_path: Path):
    """The user's own template file was read, its metadata parsed and its check looked up on
    disk again for every note (0.22 ms, most of rendering it): a planner loads it once, so a
    run writes all its cards from one version of it, even if the file changes meanwhile."""
    own = tmp_path / "own.j2"
    own.write_text('{#\ntitle = "Own"\n#}\nDear {{ name }}, thank you.\n', encoding="utf-8")
    planner = batch.Planner(Setup(Style(), Shop(), "2026-11-21"))
    first = planner.plan(Job(1, {"name": "Ana"}, str(own)))
    own.write_text('{#\ntitle = "Own"\n#}\nHi {{ name }}, changed.\n', encoding="utf-8")
    second = planner.plan(Job(2, {"name": "Ben"}, str(own)))
    assert (first.text, second.text) == ("Dear Ana, thank you.", "Dear Ben, thank you.")
    assert planner.templates.cache_info().misses == 1


def test_a_planner_keeps_no_word_shape_it_has_sent_to_the_writer():
    """A kept writing drawn whole is one shape of the planner's table (its letters' operators):
    a day's thousands of them stayed in each worker for the whole run (~5 MB) after they had
    gone to the writer with their card. The planner keeps their ids and keys only."""
    from notes.drawing import WordShape

    planner = batch.Planner(Setup(Style(), Shop(), "2026-11-21"))
    sent = []
    for number in range(1, 13):
        fields = {"name": "Ana Souza", "product": "blue teapot"}
        sent += planner.plan(Job(number, fields, "thank-you")).shapes
    words = [shape for _, shape in sent if isinstance(shape, WordShape)]
    assert words and all(shape.operators for shape in words)
    table = planner.renderer.glyphs
    kept = [table[i] for i in range(len(table)) if isinstance(table[i], WordShape)]
    assert len(kept) == len(words)
    assert not any(shape.operators or shape.forms for shape in kept)
