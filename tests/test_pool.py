"""notes.pool: the workers' pipes (cards in job order, a worker's exception, a worker's death)
in this process with spawned workers; forked workers only in a fresh process of their own (a
test runner's process may have threads, and forking it in place would copy them half)."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from notes import batch
from notes.batch import BATCH, Job, Setup
from notes.config import Shop
from notes.errors import OutputError
from notes.render import Style
from tests.customers import customers_csv

SETUP = Setup(Style(), Shop(), "2026-01-05")


@pytest.fixture(autouse=True)
def spawned_pool(monkeypatch):
    monkeypatch.setattr(batch, "POOL_FROM", 0)  # a pool for these few cards
    monkeypatch.setattr("notes.pool.FORK", False)  # spawned: this process may have threads


def _job(number: int, **extra) -> Job:
    return Job(number, {"name": f"Ana Souza {number}", "product": "teapot"}, "thank-you", **extra)


def test_two_workers_and_this_process_hand_back_the_cards_in_job_order():
    planned = list(batch.plan_cards(SETUP, map(_job, range(1, 10 * BATCH + 4)), workers=3))
    assert [card.number for card in planned] == list(range(1, 10 * BATCH + 4))
    assert all(card.error is None for card in planned)
    assert len({card.worker for card in planned}) == 3


def test_a_workers_exception_for_a_batch_is_raised_here():
    """Not a row's problem (those come back as the card's error): the run's, raised as is."""
    jobs = [_job(n) for n in range(1, 8 * BATCH + 1)]
    jobs[-1] = _job(len(jobs), extra=5)  # a context that is no mapping: a TypeError
    with pytest.raises(TypeError, match="not a mapping"):
        list(batch.plan_cards(SETUP, jobs, workers=2))


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")
def test_a_worker_that_dies_stops_the_run_with_a_message_not_a_hang():
    earlier = set(multiprocessing.active_children())
    killed: list[int] = []

    def jobs():
        for number in range(1, 12 * BATCH + 1):
            # A job is read after each batch sent: kill the worker once it runs.
            for worker in set(multiprocessing.active_children()) - earlier:
                if not killed:
                    os.kill(worker.pid, signal.SIGKILL)
                    killed.append(worker.pid)
            yield _job(number)

    with pytest.raises(OutputError, match="worker process stopped") as raised:
        list(batch.plan_cards(SETUP, jobs(), workers=2))
    assert killed and "nothing was written" in raised.value.hint
    assert not set(multiprocessing.active_children()) - earlier  # joined, none left


# `notes` with a pool even for a few rows; "forked" on stdout's file when it forks a worker (an
# audit hook: os.fork's event comes in this process, just before the fork; a progress bar
# redirects sys.stdout).
FORKING = """
import os, sys
sys.addaudithook(lambda event, args: event == "os.fork" and os.write(1, b"forked\\n"))
import notes.batch
notes.batch.POOL_FROM = 0
from notes.cli import main
main()
"""


@pytest.fixture(scope="module")
def customers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return customers_csv(tmp_path_factory.mktemp("customers"), 5 * BATCH + 3)


def _merge(customers: Path, out: Path, jobs: str) -> str:
    notes = ["-c", FORKING] if jobs != "1" else ["-m", "notes"]
    done = subprocess.run(
        [sys.executable, *notes, "merge", str(customers), "-t", "thank-you", "-o", str(out),
         "--seed", "7", "--jobs", jobs],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_forked_workers_write_the_bytes_of_one_process(tmp_path: Path, customers: Path):
    said = _merge(customers, tmp_path / "pool.pdf", "2")
    _merge(customers, tmp_path / "one.pdf", "1")
    assert "forked" in said.splitlines()
    assert (tmp_path / "pool.pdf").read_bytes() == (tmp_path / "one.pdf").read_bytes()


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_a_run_at_a_terminal_forks_its_workers_too(tmp_path: Path, customers: Path):
    """Rich's progress bar at a terminal is drawn from the updates, not by a thread of its own:
    the writing process keeps one thread, and forks its workers warm."""
    import pty

    terminal, seen_as_terminal = pty.openpty()
    with os.fdopen(terminal, "rb", buffering=0) as screen:
        run = subprocess.Popen(
            [sys.executable, "-c", FORKING, "merge",
             str(customers), "-t", "thank-you", "-o", str(tmp_path / "cards.pdf"), "--jobs", "2"],
            stderr=seen_as_terminal, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        os.close(seen_as_terminal)  # read until the run's side closes too
        shown = _read_all(screen)
        said, _ = run.communicate(timeout=120)
    assert run.returncode == 0, shown
    assert "forked" in said.splitlines()
    assert "writing" in shown  # the bar was drawn


def _read_all(screen) -> str:  # noqa: ANN001
    chunks = []
    while True:
        try:
            chunk = screen.read(65536)
        except OSError:  # the terminal's other side is closed: all read
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode(errors="replace")


def test_a_worker_is_sent_more_once_it_finished_its_batches_not_once_they_are_taken():
    """This process, busy writing, takes a worker's cards only when they are due: the batches
    the worker finished count as done as soon as their cards have come, or it would wait
    idle for this process to take them before it got more to plan."""
    from multiprocessing.connection import wait

    from notes import pool

    batches = [[_job(n) for n in range(first, first + 2)] for first in (1, 3, 5)]
    with pool.started(1, SETUP, None, fork=False) as (worker,):
        for jobs in batches:
            worker.send(jobs)
        while worker.waiting:  # until all three have come (nothing taken yet)
            wait([worker.cards, worker.process.sentinel])
            worker.drain()
        assert len(worker.finished) == 3
        assert [[card.number for card in worker.receive()] for _ in batches] == [
            [1, 2],
            [3, 4],
            [5, 6],
        ]


def _outbox():  # noqa: ANN202
    from notes import pool

    reader, writer = multiprocessing.Pipe(duplex=False)
    return reader, pool._Outbox(writer)


def test_a_worker_hands_on_cards_that_do_not_fit_in_the_pipe_and_plans_on_in_order():
    """Its cards go out in the order planned, and it never waits for this process to read
    them: the ones too big for the pipe (or behind those) are sent by its sender thread."""
    from notes import pool

    reader, outbox = _outbox()
    big = 2 * pool.PIPE_SIZE  # fits in no pipe
    messages = [b"a" * 100, b"b" * big, b"c" * 100, b"d" * big, b"e" * 70_000, b"f"]
    for message in messages:  # nothing read yet: a blocking write would hang here
        outbox.put(message)
    assert [reader.recv_bytes() for _ in messages] == messages
    outbox.close()
    assert not reader.poll()


def test_a_worker_whose_cards_are_no_longer_read_ends_quietly():
    """This process closed its end (it stopped, or a batch failed): the worker's writes
    neither raise nor block, and its loop sees its end closed."""
    from notes import pool

    reader, outbox = _outbox()
    reader.close()
    for message in (b"a" * 100, b"b" * 2 * pool.PIPE_SIZE, b"c" * 100):
        outbox.put(message)
    outbox.close()
    assert outbox.cards.closed


FROZEN = """
import gc
from notes import batch
from notes.batch import Job, Setup
from notes.config import Shop
from notes.render import Style

batch.POOL_FROM = 0
jobs = (Job(n, {"name": f"Ana Souza {n}", "product": "teapot"}, "thank-you") for n in range(1, 70))
during = [gc.get_freeze_count() for _ in batch.plan_cards(Setup(Style(), Shop(), "2026-01-05"), jobs, 2)]
print(min(during) > 0, gc.get_freeze_count())
"""


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_what_this_process_held_before_forking_is_left_out_of_its_collections_until_the_end():
    """Its collections went through all of it again and again while it took the workers' cards;
    once they ended it is collected as anything else (nothing kept for ever)."""
    done = subprocess.run(
        [sys.executable, "-c", FROZEN], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "0"]


def test_the_runs_last_batches_are_handed_out_in_pieces():
    """Whoever plans the last cards is waited for by the other: the last END batches go out
    LAST jobs at a time (a worker's AHEAD whole batches kept this process waiting ~40 ms)."""
    jobs = [_job(n) for n in range(1, 10 * BATCH + 4)]
    batches = [jobs[at : at + BATCH] for at in range(0, len(jobs), BATCH)]
    shared = batch._Shared(SETUP, None, iter(batches), 1, 0)
    handed = list(iter(shared._next, None))
    assert [job for piece in handed for job in piece] == jobs
    whole = len(batches) - batch.END
    assert [len(piece) for piece in handed[:whole]] == [BATCH] * whole
    assert max(len(piece) for piece in handed[whole:]) == batch.LAST
