"""The ledger as a file on disk: what to say when it cannot be used, and one run at a time.

SQLite's own error names become messages that say what is wrong (locked, read-only media, not a
database) and never suggest throwing away a ledger that holds history. `ledger_lock` keeps two
`notes day` runs from writing the same day.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from notes.errors import DataError


def connect_read_only(path: Path, timeout: float) -> sqlite3.Connection:
    """Open for reading only: no write lock, and it works on read-only media too."""
    uri = path.resolve().as_uri()
    db = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=timeout)
    try:
        db.execute("PRAGMA user_version").fetchone()
    except sqlite3.OperationalError as exc:
        db.close()
        if getattr(exc, "sqlite_errorname", "") != "SQLITE_CANTOPEN" or not on_read_only_media(
            path
        ):
            raise
        # A WAL ledger needs its -shm file, which read-only media cannot hold; there nobody
        # can be writing either, so SQLite may read the file as it is.
        db = sqlite3.connect(f"{uri}?immutable=1", uri=True, timeout=timeout)
    return db


def on_read_only_media(path: Path) -> bool:
    """True if `path` (or its nearest existing folder) is on a file system mounted read-only."""
    folder = path if path.is_dir() else path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if hasattr(os, "statvfs"):
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    return not os.access(folder, os.W_OK)  # Windows: a read-only drive or folder


def unwritable_ledger(path: Path) -> DataError | None:
    """Why the ledger cannot be written, if it is the media or the permissions; else None."""
    keep = "`notes history --ledger PATH` can still read it where it is"
    if on_read_only_media(path):
        return DataError(
            "the ledger is on read-only media, and `notes day` records every note it writes",
            where=str(path),
            hint=f"copy it to a writable folder and pass --ledger COPY; {keep}",
        )
    folder = path.parent
    if (path.exists() and not os.access(path, os.W_OK)) or (
        folder.exists() and not os.access(folder, os.W_OK)
    ):
        return DataError(
            "the ledger or its folder is not writable for you",
            where=str(path),
            hint=f"make both writable, or copy the ledger and pass --ledger COPY; {keep}",
        )
    return None


def ledger_error(exc: sqlite3.Error, path: Path, doing: str, *, waited: float) -> DataError:
    """What went wrong with the ledger, in words that never suggest discarding its history."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    where = str(path)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return DataError(
            f"cannot {doing}: another program kept it locked for {waited:g} s",
            where=where,
            hint="another `notes day` run or a database tool has it open: let it finish or close "
            "the tool, then run again (or pass --wait SECONDS). The ledger itself is fine; "
            "keep it where it is",
        )
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_PERM")):
        problem = unwritable_ledger(path)
        if problem is not None:
            return problem
    if name == "SQLITE_NOTADB":
        return DataError(
            "not a notes ledger: the file is not a SQLite database",
            where=where,
            hint="check the path; pass --ledger PATH to use another file",
        )
    if name == "SQLITE_FULL":
        return DataError(
            f"cannot {doing}: the disk is full",
            where=where,
            hint="free some space and run the same command again; nothing of this run was lost",
        )
    return DataError(
        f"cannot {doing}: {exc}",
        where=where,
        hint="check the file and its folder, or pass --ledger PATH to use another ledger",
    )


# -- one run at a time ------------------------------------------------------------------------
LOCK_POLL_SECONDS = 0.1
_WINDOWS_LOCK_OFFSET = 1 << 30  # msvcrt locks bytes: lock one far past the holder's note


@dataclass(frozen=True)
class LockHolder:
    """Who holds a ledger's lock, as its lock file says (pid None if it has not said yet)."""

    pid: int | None
    since: str  # local time, for people

    def __str__(self) -> str:
        return f"pid {self.pid}, since {self.since}" if self.pid else "a run that is starting"


def lock_path(ledger: Path) -> Path:
    return ledger.with_name(ledger.name + ".lock")


@contextmanager
def ledger_lock(
    ledger: Path, *, wait: float, on_wait: Callable[[LockHolder], None] | None = None
) -> Iterator[Path]:
    """Hold the ledger for one run; wait up to `wait` seconds while another run holds it.

    The lock is the operating system's (flock; msvcrt on Windows), so it ends with its process
    however that process ends: a lock file left by a killed run is simply taken over. The file
    only says who holds it (pid and start time), for the message of a run that cannot wait.
    """
    path = lock_path(ledger)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _lock_file_error(path, exc) from None
    handle = _acquire(path, ledger, wait, on_wait)
    try:
        yield path
    finally:
        _release(path, handle)


def _acquire(
    path: Path, ledger: Path, wait: float, on_wait: Callable[[LockHolder], None] | None
) -> BinaryIO:
    deadline = time.monotonic() + wait
    told = False
    while True:
        handle = _try_lock(path)
        if handle is not None:
            _write_holder(handle)
            return handle
        holder = read_holder(path)
        if time.monotonic() >= deadline:
            raise DataError(
                f"another `notes day` run is using this ledger ({holder})",
                where=str(ledger),
                hint="let it finish and run the same command again, or wait longer with "
                "--wait SECONDS",
            )
        if on_wait is not None and not told:
            on_wait(holder)
            told = True
        time.sleep(min(LOCK_POLL_SECONDS, max(0.0, deadline - time.monotonic())))


def _try_lock(path: Path) -> BinaryIO | None:
    """The locked lock file, or None while another process holds it."""
    while True:
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        try:
            handle = os.fdopen(os.open(path, flags, 0o644), "r+b")
        except OSError as exc:
            raise _lock_file_error(path, exc) from None
        if not _os_lock(handle):
            handle.close()
            return None
        try:
            current = os.path.samestat(os.fstat(handle.fileno()), os.stat(path))
        except FileNotFoundError:
            current = False
        if current:
            return handle
        handle.close()  # the run before removed this file as it ended: lock the new one


def _os_lock(handle: BinaryIO) -> bool:
    try:
        if sys.platform == "win32":
            import msvcrt

            handle.seek(_WINDOWS_LOCK_OFFSET)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # BlockingIOError on POSIX, PermissionError on Windows
        return False
    return True


def _write_holder(handle: BinaryIO) -> None:
    since = datetime.now().astimezone().isoformat(timespec="seconds")
    handle.seek(0)
    handle.truncate()
    handle.write(json.dumps({"pid": os.getpid(), "since": since}).encode())
    handle.flush()


def read_holder(path: Path) -> LockHolder:
    try:
        data = json.loads(path.read_bytes()[:4096])
        pid, since = int(data["pid"]), datetime.fromisoformat(data["since"])
    except (OSError, ValueError, KeyError, TypeError):
        return LockHolder(None, "")
    return LockHolder(pid, since.astimezone().strftime("%Y-%m-%d %H:%M:%S"))


def _release(path: Path, handle: BinaryIO) -> None:
    # Removed while still held, so a run waiting on this file notices and locks a fresh one.
    # Windows refuses to remove an open file: there it simply stays for the next run.
    with suppress(OSError):
        path.unlink()
    handle.close()


def _lock_file_error(path: Path, exc: OSError) -> DataError:
    if exc.errno == errno.ELOOP:
        return DataError(
            "the ledger's lock file is a symbolic link",
            where=str(path),
            hint="remove that link (notes makes the lock file itself), then run again",
        )
    return unwritable_ledger(path) or DataError(
        f"cannot create the ledger's lock file: {exc.strerror}",
        where=str(path),
        hint="check the ledger's folder, or pass --ledger PATH",
    )
