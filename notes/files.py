"""Atomic writes and temporary files: the one module that puts output files in place.

Every output is written under a temporary name in its own folder and renamed into place only when
it is complete, so nobody ever sees half a file under the final name. Temporary names are short
(`.notes-<pid>-<random>.part`): they never exceed the file system's limit however long the final
name is, and they name the process that owns them, so a later run can remove what a killed run
left behind without touching a live run's files. Runs of older versions also left folders of
chunk PDFs (`.notes-merge-<pid>-<random>`) when killed; those are removed the same way.

Every OSError met while writing (disk full, read-only, permission, name too long) leaves here as
an OutputError that names the path and says what to do.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from notes.errors import ConfigError, OutputError

_PREFIX = ".notes-"
_PART = ".part"
# What this module names its temporary files (and older versions their merge folders); group 1 is
# the owner's pid.
_OWNED = re.compile(r"\.notes-(?:merge-)?(\d+)-[a-z0-9_]+(?:\.part)?")
# Conditions of the disk itself: whatever file met them, the output cannot be written there.
_DISK_ERRORS = {errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EFBIG}

_AGAIN = "; then run again"
_REASONS = {  # errno -> (what is wrong, what to do); {folder} is where the file was going
    errno.ENOSPC: (
        "no space left on the disk",
        "free some space on the disk holding {folder}, or write to another disk",
    ),
    errno.EDQUOT: ("your disk quota is used up", "free some space, or write to another disk"),
    errno.EFBIG: ("the file is too large for this file system", "write it to another disk"),
    errno.EROFS: (
        "the disk is read-only",
        "write to a folder on a writable disk, or remount {folder} read-write",
    ),
    errno.EACCES: ("permission denied", "allow writing in {folder}, or write somewhere else"),
    errno.EPERM: ("permission denied", "allow writing in {folder}, or write somewhere else"),
    errno.ENAMETOOLONG: (
        "the file name is too long for this file system",
        "choose a shorter name (most file systems allow 255 bytes)",
    ),
    errno.ENOENT: ("the folder does not exist (or was removed while writing)", "create {folder}"),
    errno.ENOTDIR: ("a part of the path is a file, not a folder", "fix the path"),
    errno.EISDIR: ("is a folder, not a file", "name a file inside it"),
}


def output_error(exc: OSError, path: Path) -> OutputError:
    """`exc`, met while writing `path` (or its temporary file), as a message with a fix."""
    reason, fix = _REASONS.get(
        exc.errno or 0, (f"cannot write: {exc.strerror or exc}", "check the disk and {folder}")
    )
    hint = fix.format(folder=_folder_of(path)) + _AGAIN
    return OutputError(reason, where=str(path), hint=hint)


def _folder_of(path: Path) -> Path:
    try:
        return path if path.is_dir() else path.parent
    except OSError:  # e.g. a name too long to look up
        return path.parent


def is_temporary(path: str | Path) -> bool:
    """A file of ours not yet in place: a `.part`, or anything in an older version's merge folder."""
    return any(_OWNED.fullmatch(part) for part in Path(path).parts)


def _about_output(exc: OSError, paths: tuple[Path, ...]) -> bool:
    """Whether an OSError is about writing these outputs, not about reading an input."""
    if exc.errno in _DISK_ERRORS or exc.filename is None:
        return True
    return Path(exc.filename) in paths or is_temporary(exc.filename)


@contextmanager
def reported_as(target: Path) -> Iterator[None]:
    """OSErrors while writing `target`, through temporary files or not, become an OutputError
    naming `target`: the name the user gave, not a temporary one."""
    try:
        yield
    except OSError as exc:
        if not _about_output(exc, (target,)):
            raise
        raise output_error(exc, target) from None


def check_writable(target: Path, *, force: bool, example: str = "cards.pdf") -> None:
    """An output may be written to `target`: a file (never a folder), not over an existing file
    without `force`, into a folder that exists, under a name the file system accepts."""
    with reported_as(target):
        if target.is_dir():
            raise OutputError(
                "is a folder, not a file; a folder is never replaced, even with --force",
                where=str(target),
                hint=f"name a file inside it, like {target / example}",
            )
        if target.exists() and not force:
            raise OutputError(
                "file exists; not overwriting it",
                where=str(target),
                hint="pass --force to replace it, or choose another name with -o",
            )
        if not target.parent.is_dir():
            raise OutputError(
                "folder does not exist", where=str(target.parent), hint="create it first, or fix -o"
            )


def make_folder(folder: Path) -> Path:
    """Create an output folder (and its parents) unless it exists; a file there is an error."""
    with reported_as(folder):
        if folder.exists() and not folder.is_dir():
            raise OutputError(
                "is a file, not a folder",
                where=str(folder),
                hint="give the name of a folder (it is created if missing), or move the file away",
            )
        folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextmanager
def folders_undone_on_failure(folder: Path) -> Iterator[None]:
    """If the block fails, the folders up to `folder` that it created are removed while empty:
    a run that could write nothing (disk full) leaves no empty folder behind."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()]  # deepest first
    try:
        yield
    except BaseException:
        for created in missing:
            try:
                created.rmdir()
            except OSError:  # not empty (or not there): keep it and every folder above it
                break
        raise


def temp_beside(target: Path, keep: Callable[[Path], object] | None = None) -> Path:
    """A new empty file in `target`'s folder (so the final rename is atomic), owned by this
    process. The caller places it with `place` or removes it; `keep` hears of it as soon as it
    exists (to remove it later: a Ctrl-C between here and the caller's own clean-up would leave
    it behind). Should anything stop it before it returns, the file is removed here."""
    with reported_as(target):
        fd, name = tempfile.mkstemp(
            dir=target.parent, prefix=f"{_PREFIX}{os.getpid()}-", suffix=_PART
        )
        try:
            if keep is not None:
                keep(Path(name))
            open_fd, fd = fd, -1  # never closed twice: the number may be another file's by then
            os.close(open_fd)
            # mkstemp makes the file private (0600); outputs are ordinary files: follow the umask.
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(name, 0o666 & ~umask)
        except BaseException:
            if fd >= 0:
                os.close(fd)
            Path(name).unlink(missing_ok=True)
            raise
    return Path(name)


def place(tmp: Path, final: Path) -> None:
    """Rename a finished temporary file onto its final name."""
    with reported_as(final):
        os.replace(tmp, final)


@contextmanager
def atomic_path(path: str | Path, *, force: bool = False, example: str = "cards.pdf"):
    """Yield a temporary path beside `path`; put it in place only if the block succeeds.

    A `path` that is itself temporary (see `is_temporary`) is yielded as it is: its owner
    places it, and reports errors under the final name.
    """
    target = Path(path)
    if is_temporary(target):
        yield target
        return
    check_writable(target, force=force, example=example)
    made: list[Path] = []
    try:
        tmp = temp_beside(target, keep=made.append)
        with reported_as(target):
            yield tmp
        place(tmp, target)
    finally:
        for tmp in made:
            tmp.unlink(missing_ok=True)


def remove_stale(folder: Path) -> list[Path]:
    """Remove the temporary files (and older versions' merge folders) that runs killed (SIGKILL,
    power cut) left in `folder`: only those whose owning process is gone, never a live run's.
    Returns them."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []  # nothing to clean where nothing can be listed
    removed = []
    for entry in entries:
        owner = _OWNED.fullmatch(entry.name)
        if owner is None or _process_alive(int(owner[1])):
            continue
        if entry.name.endswith(_PART) and entry.is_file(follow_symlinks=False):
            Path(entry.path).unlink(missing_ok=True)
        elif not entry.name.endswith(_PART) and entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            continue
        removed.append(Path(entry.path))
    return removed


def _process_alive(pid: int) -> bool:
    """Whether process `pid` exists. Unsure counts as alive: its files are then kept."""
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        return _windows_process_alive(pid)
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):  # not ours to signal, or no such pid number: keep
        return True
    return True


def _windows_process_alive(pid: int) -> bool:
    """os.kill(pid, 0) would terminate the process on Windows: ask the kernel instead."""
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return ctypes.get_last_error() == 5  # access denied: it exists, someone else's
    try:
        code = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def read_listed_file(path: Path, *, what: str, where: str, hint: str) -> str:
    """The text of a file that notes.toml names (discount codes, do-not-contact list): a
    missing or unreadable file is a settings mistake, said with where it was named."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(
            f"the {what} file does not exist", where=f"{path} (named in {where})", hint=hint
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the {what} file: {exc}", where=str(path)) from None
