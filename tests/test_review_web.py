"""`notes review` as a real server: its guard against other local users and other pages, Ctrl-C,
and the whole review in Debian's headless Chromium driven by Playwright."""

from __future__ import annotations

import http.client
import os
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from notes.cli import app
from notes.manifest import read_manifest
from notes.review.session import ReviewSession
from tests.realparts import missing, need_commands

EXPORT = Path(__file__).parent / "fixtures" / "exports" / "shopify_orders.csv"
GUARD_SECONDS = 60  # only a failure guard: every wait ends on an observable event
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip


class Server:
    def __init__(self, folder: Path):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "notes", "review", str(folder), "--no-browser"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=folder.parent,
        )  # fmt: skip
        self.url = self._wait_for_url()
        parts = urlsplit(self.url)
        self.host, self.port, self.base = parts.hostname, parts.port, parts.path

    def _wait_for_url(self) -> str:
        watch = selectors.DefaultSelector()
        watch.register(self.process.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + GUARD_SECONDS
        said = []
        while time.monotonic() < deadline:
            if watch.select(timeout=deadline - time.monotonic()):
                line = self.process.stdout.readline()
                assert line, f"notes review stopped: {''.join(said)}"
                said.append(line)
                if line.startswith("review page: "):
                    return line.split(": ", 1)[1].strip()
        raise AssertionError(f"no review page address after {GUARD_SECONDS} s: {said}")

    def request(self, method: str, path: str, headers: dict | None = None, body: str = ""):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=GUARD_SECONDS)
        headers = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body or None, headers=headers)
        response = connection.getresponse()
        result = (response.status, dict(response.getheaders()), response.read())
        connection.close()
        return result

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # what Ctrl-C sends
        out, _ = self.process.communicate(timeout=GUARD_SECONDS)
        return out


@pytest.fixture
def day(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["day", str(EXPORT), "--date", "2026-11-21", "--ledger", "ledger.sqlite3", "-o",
                                      "today", "-q"])  # fmt: skip
    assert result.exit_code == 0, result.output
    return tmp_path / "today"


@pytest.fixture
def server(day):
    running = Server(day)
    yield running
    running.stop()


def test_only_the_review_page_of_this_server_may_act(server):
    origin = {"Origin": f"http://127.0.0.1:{server.port}"}
    status, headers, body = server.request("GET", server.base)
    assert status == 200 and b"Emma Johnson" in body
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    # Another local user without the token, a DNS-rebinding page, a page on another origin:
    assert server.request("GET", "/")[0] == 404
    assert server.request("GET", "/not-the-token/")[0] == 404
    assert server.request("GET", server.base, {"Host": "evil.example:80"})[0] == 421
    decide = (f"{server.base}card/1/decide", "decision=approved")
    assert server.request("POST", decide[0], body=decide[1])[0] == 403  # no Origin
    evil = {"Origin": "http://evil.example"}
    assert server.request("POST", *decide[:1], evil, decide[1])[0] == 403
    assert server.request("POST", decide[0], origin, decide[1])[0] == 200


def test_ctrl_c_stops_the_server_and_the_decisions_are_kept(server, day):
    origin = {"Origin": f"http://localhost:{server.port}", "Host": f"localhost:{server.port}"}
    status, _, body = server.request("POST", f"{server.base}card/2/decide", origin,
                                     "decision=held")  # fmt: skip
    assert status == 200 and b'data-decision="held"' in body
    said = server.stop()
    assert server.process.returncode == 0, said
    assert "stopped: 7 cards, 0 approved, 1 held back" in said
    assert "Traceback" not in said
    assert ReviewSession.open(day).cards[1].decision == "held"


@pytest.fixture
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed: pip install -e '.[test]'")
    if not os.path.exists(CHROMIUM):
        need_commands("chromium", package="chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def test_review_in_a_real_browser_then_write_the_pdfs(server, browser, day):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: problems.append(r.url) if r.status >= 400 else None)
    page.goto(server.url)
    assert page.inner_text("#counts") == "7 cards: 0 approved, 0 held back, 7 to review"
    assert page.locator("#card-1 img.preview").evaluate("img => img.naturalWidth") > 300

    page.click("#card-1 button.approve")
    page.wait_for_selector("#card-1[data-decision=approved]")
    page.fill("#card-3 textarea", "Dear Sakura,\nthe cups are on their way. <b>Maya</b>")
    page.click("#card-3 button.save")
    page.wait_for_selector("#card-3 .status:has-text('changed')")
    page.click("#card-3 button.approve")
    page.wait_for_selector("#card-3[data-decision=approved]")
    page.click("#card-2 button.hold")
    page.wait_for_selector("#card-2[data-decision=held]")
    assert page.inner_text("#counts") == "7 cards: 2 approved, 1 held back, 4 to review"

    page.click("#write")
    page.wait_for_selector("#result:has-text('wrote 2 approved cards')")
    assert problems == []
    page.close()

    cards = PdfReader(day / "cards.pdf")
    assert len(cards.pages) == 2 and len(PdfReader(day / "envelopes.pdf").pages) == 2
    written = " ".join(cards.pages[1].extract_text().split())
    assert "the cups are on their way. <b>Maya</b>" in written  # plain text, never markup
    rows = {r["customer"]: r for r in read_manifest(day / "manifest.csv")}
    assert (rows["Emma Johnson"]["status"], rows["Emma Johnson"]["page"]) == ("written", "1")
    assert (rows["田中 さくら"]["page"], rows["田中 さくら"]["envelope_page"]) == ("2", "2")
    assert rows["Liam Smith"]["status"] == "held-back"
    assert sum(r["status"] == "not-approved" for r in rows.values()) == 4
