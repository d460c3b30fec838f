"""The workers of `notes.batch`'s pool: started processes, a pipe of jobs and one of cards each.

No management thread: this process sends each worker a few batches AHEAD (small) and reads a
worker's cards in its own thread when it needs them (concurrent.futures' thread had to take the
GIL from the planning main thread to read a result or refill its queue, and the worker idled,
blocked writing ~100 KB of cards into a 64 KB pipe). A worker widens its pipe of cards (Linux)
and writes a batch's cards itself when they fit in it: a write that cannot block. Cards that do
not fit (a narrow pipe, the cards of batches this process has not read yet) go to a sender thread,
whose blocking write releases the GIL: the worker plans on, and never waits for this process.

On Linux a process with no other thread forks its workers from its own planner, warm (imports,
fonts, the template and its kept writings: ~0.5 s of CPU a spawned worker would spend); anywhere
else they are spawned.
"""

from __future__ import annotations

import os
import pickle
import queue
import sys
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from notes.errors import OutputError


def can_fork() -> bool:
    """Fork only where it is safe: Linux (macOS frameworks break in a forked child), and no
    other thread here (a progress bar's, a test runner's): one could hold a lock for ever."""
    return FORK and sys.platform == "linux" and threading.active_count() == 1


FORK = hasattr(os, "fork")  # False: always spawn (the tests of the spawned path set it)


class Worker:
    """One worker process and this process's ends of its two pipes."""

    def __init__(self, process: Any, jobs: Any, cards: Any):
        self.process, self.jobs, self.cards = process, jobs, cards
        self.waiting = 0  # batches sent that it has not finished (as far as read here)
        self.finished: deque[bytes] = deque()  # cards of batches it finished, read, not taken

    def send(self, batch: list) -> None:
        try:
            self.jobs.send(batch)
        except OSError:  # its end is closed: it died
            raise _died() from None
        self.waiting += 1

    def drain(self) -> None:
        """Read the cards it has sent so far, as they came (unpickled when taken): `waiting`
        then counts what it still has to plan. Counting the batches not yet taken instead
        left it idle while this process, busy writing, had not asked for them."""
        while self.cards.poll():
            self.finished.append(self._read())

    def ready(self) -> bool:
        """Its next batch's cards are here or have started to come."""
        return bool(self.finished) or self.cards.poll()

    def receive(self) -> list:
        """The cards of the oldest batch sent: waits for them, or for the worker's end."""
        from multiprocessing.connection import wait

        if self.finished:
            message = self.finished.popleft()
        else:
            wait([self.cards, self.process.sentinel])
            message = self._read()
        status, value = pickle.loads(message)
        if status != "ok":
            raise value  # the worker's exception for this batch
        return value

    def _read(self) -> bytes:
        try:
            if not self.cards.poll():  # ended without sending them
                raise EOFError
            message = self.cards.recv_bytes()
        except (EOFError, OSError):
            raise _died() from None
        self.waiting -= 1
        return message


def _died() -> OutputError:
    return OutputError(
        "a worker process stopped before finishing its cards (out of memory, or killed?)",
        hint="nothing was written; run again, with fewer --jobs (or --jobs 1)",
    )


@contextmanager
def started(count: int, setup: Any, planner: Any, fork: bool) -> Iterator[list[Worker]]:
    """`count` workers: forked from `planner` (warm) or spawned with `setup`; ended on exit
    (their pipes closed, then joined: a worker blocked on a pipe sees it closed and ends)."""
    import gc
    import multiprocessing

    context = multiprocessing.get_context("fork" if fork else "spawn")
    if not fork and os.name == "posix":
        # Started with the first spawn otherwise, inside workers_start_deaf: its start unblocks
        # SIGINT here, and the worker would be spawned hearing it.
        from multiprocessing import resource_tracker

        resource_tracker.ensure_running()
    workers: list[Worker] = []
    if fork:
        # The workers never finalise this process's objects (files); and its own collections
        # skip them until the workers end (it unpickled the workers' cards, and collected
        # ~50 ms more, going through all it held before the fork, three times a run).
        gc.freeze()
    try:
        for _ in range(count):
            to_worker, jobs = context.Pipe(duplex=False)
            cards, from_worker = context.Pipe(duplex=False)
            if fork:
                # A forked worker closes this process's ends of every pipe (EOF must reach
                # whoever reads), and inherits its planner instead of a setup.
                mine = [end for w in workers for end in (w.jobs, w.cards)] + [jobs, cards]
                args = (to_worker, from_worker, None, planner, mine)
            else:
                args = (to_worker, from_worker, setup, None, ())
            process = context.Process(target=work, args=args, daemon=True)
            sys.stdout.flush()
            sys.stderr.flush()
            with workers_start_deaf():
                process.start()
            to_worker.close()
            from_worker.close()
            workers.append(Worker(process, jobs, cards))
        yield workers
    finally:
        for worker in workers:
            worker.jobs.close()  # it ends after the batch it plans
        for worker in workers:
            worker.cards.close()  # its sender's blocked write fails
        for worker in workers:
            worker.process.join()
        if fork:
            gc.unfreeze()


def work(jobs: Any, cards: Any, setup: Any, planner: Any, inherited_ends: Any) -> None:
    """A worker's life: batches of jobs in, their cards out, until its jobs' pipe is closed."""
    import signal

    # Ctrl-C is the parent's to handle (it stops the run and removes temporary files); a
    # worker that saw it too would print a traceback. It starts with it blocked
    # (workers_start_deaf): one that came while it started is dropped here, not raised.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    for end in inherited_ends:
        end.close()
    from notes import batch

    if planner is None:
        planner = batch.Planner(setup, placed=True)
    else:
        planner.adopt()  # forked: a planner of its own from here on
    outbox = _Outbox(cards)
    try:
        while not cards.closed:  # closed when this process stopped reading
            try:
                jobs_of_batch = jobs.recv()
            except (EOFError, OSError):
                break
            outbox.put(_planned(planner, jobs_of_batch))
    finally:
        outbox.close()


def _planned(planner: Any, jobs: list) -> bytes:
    from notes.batch import for_writer

    try:
        return _pickled(("ok", [for_writer(planner.plan(job)) for job in jobs]))
    except Exception as exc:  # noqa: BLE001 - re-raised in the parent, as the pool did
        try:
            return _pickled(("error", exc))
        except Exception:  # noqa: BLE001 - an exception that does not pickle: its text
            return _pickled(("error", RuntimeError(repr(exc))))


def _pickled(message: tuple) -> bytes:
    # pickle's own bytes: ForkingPickler (for connections and the like, none here) gave a
    # buffer copied once more into bytes (~100 KB a batch).
    return pickle.dumps(message, pickle.HIGHEST_PROTOCOL)


PIPE_SIZE = 1 << 20  # a worker's pipe of cards: AHEAD batches of ~100 KB, and room to spare
HEADER = 12  # at most, before a message (multiprocessing.connection's length)


class _Outbox:
    """A worker's way out for its cards, in the order planned: written at once when the pipe
    has room for them (no thread, no GIL to hand over: the 64 KB pipe took a batch's ~100 KB
    in pieces, each waiting for the planning thread to let go), else by a sender thread."""

    def __init__(self, cards: Any):
        import mmap

        self.cards = cards
        # The pipe holds whole pages: the one being read and the one being filled part-used.
        self.room = _widened(cards.fileno()) - 2 * mmap.PAGESIZE  # <= 0: every message sent
        self.queue: queue.Queue = queue.Queue()
        self.sender: threading.Thread | None = None

    def put(self, message: bytes) -> None:
        sent = self.queue.unfinished_tasks == 0  # all it was given (it closes first, on EPIPE)
        if self.cards.closed:  # this process stopped reading: nobody wants them
            return
        if sent and self.room > 0 and len(message) + HEADER <= self.room - _unread(self.cards):
            _write(self.cards, message)
            return
        if self.sender is None:
            self.sender = threading.Thread(target=_send, args=(self.queue, self.cards))
            self.sender.daemon = True
            self.sender.start()
        self.queue.put(message)

    def close(self) -> None:
        if self.sender is not None:
            self.queue.put(None)
            self.sender.join()


def _widened(end: int) -> int:
    """The pipe's size in bytes once asked for PIPE_SIZE (it stays as it was when the system
    refuses); 0 where a pipe's size is not known (not Linux)."""
    try:
        import fcntl

        try:
            fcntl.fcntl(end, fcntl.F_SETPIPE_SZ, PIPE_SIZE)
        except OSError:  # above /proc/sys/fs/pipe-max-size, or this user's pipes are too big
            pass
        return fcntl.fcntl(end, fcntl.F_GETPIPE_SZ)
    except (ImportError, AttributeError, OSError):
        return 0


def _unread(cards: Any) -> int:
    """Bytes in the pipe not read yet (Linux)."""
    import array
    import fcntl
    import termios

    unread = array.array("i", [0])
    fcntl.ioctl(cards.fileno(), termios.FIONREAD, unread, True)
    return unread[0]


def _send(outbox: queue.Queue, cards: Any) -> None:
    while (message := outbox.get()) is not None:
        _write(cards, message)
        outbox.task_done()


def _write(cards: Any, message: bytes) -> None:
    if cards.closed:
        return
    try:
        cards.send_bytes(message)
    except OSError:  # the parent closed its end: it stopped reading
        cards.close()


@contextmanager
def workers_start_deaf() -> Iterator[None]:
    """Ctrl-C blocked while a worker is started: it inherits the blocked signal, so a Ctrl-C at
    the terminal (which reaches every process) cannot stop it before it ignores it. Here the
    signal waits, and is raised as soon as the start is done."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):  # Windows: no signals to inherit
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)
