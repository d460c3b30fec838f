import os

import pytest


# Keep user folders (ledger, font cache) out of the real home directory during tests.
@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("HOME", str(home))
    os.environ.setdefault("COLUMNS", "120")


def pytest_sessionstart(session):
    """Compile the package once before the tests start `notes` in subprocesses. Where
    PYTHONDONTWRITEBYTECODE is set (as on our CI machine) every one of those processes would
    compile it again from source: about 80 ms each, some hundred times a run."""
    import compileall
    from pathlib import Path

    import notes

    if hasattr(session.config, "workerinput"):  # an xdist worker: the controller compiled it
        return

    compileall.compile_dir(Path(notes.__file__).parent, quiet=1)


# Real small disks for the disk-full and read-only tests: a 200 KiB tmpfs, mounted for one test.
# Mounting needs root on Linux (CI runs the suite as root); elsewhere these tests are skipped.
def _mount_tmpfs(where):
    import subprocess

    where.mkdir()
    try:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(where)],
            capture_output=True,
            text=True,
        )
    except OSError as exc:  # no mount command (macOS without it, Windows)
        pytest.skip(f"cannot mount a tmpfs for this test: {exc}")
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs for this test (needs root on Linux): {done.stderr}")


def _unmount(where):
    import subprocess

    if subprocess.run(["umount", str(where)], capture_output=True).returncode != 0:
        subprocess.run(["umount", "--lazy", str(where)], check=True)  # still busy: detach


@pytest.fixture
def full_disk(tmp_path):
    """A real file system with no space left: a 200 KiB tmpfs filled up with one file."""
    disk = tmp_path / "full-disk"
    _mount_tmpfs(disk)
    try:
        fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)
        try:
            while os.write(fd, b"\0" * 4096):
                pass
        except OSError:  # ENOSPC: full
            pass
        finally:
            os.close(fd)
        yield disk
    finally:
        _unmount(disk)


@pytest.fixture
def read_only_disk(tmp_path):
    """A real read-only file system: a tmpfs remounted read-only."""
    import subprocess

    disk = tmp_path / "read-only-disk"
    _mount_tmpfs(disk)
    try:
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        yield disk
    finally:
        _unmount(disk)
