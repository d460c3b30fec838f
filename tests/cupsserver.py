"""A real CUPS scheduler for the printing tests, started by the test session and stopped after.

It runs from its own folders on a free port of 127.0.0.1 (the machine's own CUPS, if any, is
never touched) with two cups-pdf queues: `notes-pdf` (cups-pdf's own driver) and
`notes-pdf-duplex` (the same driver told it has trays and duplex). cups-pdf writes each job as
a PDF into the folder its configuration names; `finished_job` waits for it.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.realparts import missing, need_commands

CUPS_PDF_CONF = Path("/etc/cups/cups-pdf.conf")
CUPS_PDF_PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")
GUARD_SECONDS = 30  # only a failure guard: every wait below ends on an observable event
_TRAYS_AND_DUPLEX = """
*OpenUI *InputSlot/Media Source: PickOne
*OrderDependency: 20 AnySetup *InputSlot
*DefaultInputSlot: Tray1
*InputSlot Tray1/Tray 1: ""
*InputSlot Manual/Manual Feed: ""
*CloseUI: *InputSlot
*OpenUI *Duplex/2-Sided Printing: PickOne
*OrderDependency: 20 AnySetup *Duplex
*DefaultDuplex: None
*Duplex None/Off: ""
*Duplex DuplexNoTumble/Long Edge: ""
*Duplex DuplexTumble/Short Edge: ""
*CloseUI: *Duplex
"""


@dataclass
class CupsServer:
    address: str  # host:port, for CUPS_SERVER
    folder: Path
    output: Path  # where cups-pdf writes this user's jobs
    process: subprocess.Popen

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "CUPS_SERVER": self.address, "LC_ALL": "C"}
        return subprocess.run(args, capture_output=True, text=True, env=env, timeout=60)

    def job_attributes(self, job: int) -> dict[str, str]:
        result = self.run(
            "ipptool", "-tv", f"ipp://{self.address}/jobs/{job}",
            "/usr/share/cups/ipptool/get-job-attributes.test",
        )  # fmt: skip
        found = re.findall(r"^\s+([\w-]+) \([^)]*\) = (.*)$", result.stdout, re.M)
        return dict(found)

    def finished_job(self, job_id: str, since: float) -> tuple[Path, dict[str, str]]:
        """Wait until CUPS says the job is done, then find cups-pdf's file of it."""
        job = int(job_id.rsplit("-", 1)[1])
        deadline = time.monotonic() + GUARD_SECONDS
        while True:
            attributes = self.job_attributes(job)
            state = attributes.get("job-state")
            if state in ("completed", "aborted", "canceled", "processing-stopped"):
                break
            assert time.monotonic() < deadline, (
                f"job {job_id} still {state} after {GUARD_SECONDS} s"
            )
            time.sleep(0.2)
        assert state == "completed", f"job {job_id} {state}: {attributes.get('job-state-reasons')}"
        # This scheduler's job numbers are its own (see start_cups); written since, as a guard.
        made = [p for p in self.output.glob(f"*job_{job}.pdf") if p.stat().st_mtime >= since - 1]
        assert len(made) == 1, f"cups-pdf output of job {job_id}: {made} in {self.output}"
        return made[0], attributes


def cups_pdf_output() -> Path:
    """`Out` of /etc/cups/cups-pdf.conf, for the user the jobs run as (the test's user)."""
    out = "/var/spool/cups-pdf/${USER}"  # cups-pdf's default when the file says nothing
    for line in CUPS_PDF_CONF.read_text().splitlines():
        if re.match(r"\s*Out\s", line):
            out = line.split(None, 1)[1].strip()
    user = pwd.getpwuid(os.getuid())
    return Path(out.replace("${HOME}", user.pw_dir).replace("${USER}", user.pw_name))


def start_cups() -> CupsServer:
    need_commands("cupsd", "lpadmin", "lp", "ipptool", package="cups")
    if not CUPS_PDF_PPD.is_file() or not CUPS_PDF_CONF.is_file():
        missing("cups-pdf is not installed: install Debian's printer-driver-cups-pdf")
    if os.getuid() != 0:
        missing("a private CUPS scheduler runs the cups-pdf backend only as root")
    # Not under pytest's basetemp: other pytest runs prune those while this server runs.
    folder = Path(tempfile.mkdtemp(prefix="notes-cups-"))
    port = _free_port()
    for name in ("etc", "spool/tmp", "cache", "state", "log"):
        (folder / name).mkdir(parents=True)
    # Every scheduler writes into cups-pdf's one output folder, named by job number: job numbers
    # of their own (from port x 10 000, the port being unique while it runs) keep the files of
    # parallel test workers and of other test runs apart.
    (folder / "cache" / "job.cache").write_text(f"NextJobId {port * 10_000}\n")
    folder.chmod(0o755)
    (folder / "cups-files.conf").write_text(
        f"ServerRoot {folder}/etc\nRequestRoot {folder}/spool\nTempDir {folder}/spool/tmp\n"
        f"CacheDir {folder}/cache\nStateDir {folder}/state\nErrorLog {folder}/log/error_log\n"
        f"AccessLog {folder}/log/access_log\nPageLog {folder}/log/page_log\n"
        f"Printcap {folder}/printcap\nSystemGroup root\n"
    )
    (folder / "cupsd.conf").write_text(
        f"Listen 127.0.0.1:{port}\nLogLevel info\nWebInterface No\nBrowsing No\n"
        "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
        # Only this test's clients reach it (127.0.0.1, a port of its own): no passwords.
        "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n"
    )
    process = subprocess.Popen(
        ["cupsd", "-f", "-c", str(folder / "cupsd.conf"), "-s", str(folder / "cups-files.conf")],
        stdout=subprocess.DEVNULL, stderr=(folder / "log" / "cupsd.stderr").open("w"),
    )  # fmt: skip
    server = CupsServer(f"127.0.0.1:{port}", folder, cups_pdf_output(), process)
    try:
        _wait_until_running(server)
        ppd = folder / "duplex.ppd"
        ppd.write_text(CUPS_PDF_PPD.read_text(encoding="latin-1") + _TRAYS_AND_DUPLEX, "latin-1")
        for name, driver in (("notes-pdf", CUPS_PDF_PPD), ("notes-pdf-duplex", ppd)):
            added = server.run("lpadmin", "-p", name, "-E", "-v", "cups-pdf:/", "-P", str(driver))
            assert added.returncode == 0, added.stderr
    except BaseException:
        stop_cups(server)
        raise
    return server


def _wait_until_running(server: CupsServer) -> None:
    deadline = time.monotonic() + GUARD_SECONDS
    while "scheduler is running" not in server.run("lpstat", "-r").stdout:
        if server.process.poll() is not None:
            log = (server.folder / "log" / "cupsd.stderr").read_text()
            raise AssertionError(f"cupsd stopped at once: {log}")
        assert time.monotonic() < deadline, "cupsd did not start"
        time.sleep(0.1)


def stop_cups(server: CupsServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
    shutil.rmtree(server.folder, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
