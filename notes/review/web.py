"""The review page as a Starlette app: server-rendered HTML, htmx for the buttons, PNG previews.

Only the person who started `notes review` may act on it. Every request must carry the secret
token as the first part of its path, name this server in its Host header (a DNS-rebinding page
names its own host), and, when it changes anything, come from this page (its Origin header).
Everything the page shows is escaped HTML: customer data and the shop's own text are never
markup and never a template.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from notes.errors import NotesError
from notes.review.session import ReviewCard, ReviewSession

HERE = Path(__file__).parent
STATIC = {
    "htmx.min.js": "text/javascript",
    "review.css": "text/css",
    "favicon.svg": "image/svg+xml",
}
SAFE_METHODS = ("GET", "HEAD")
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
STATUS_WORDS = {"approved": "approved", "held": "held back", "pending": "to review"}


class Guard:
    """ASGI middleware: the token, Host and Origin checks, and safe headers on every answer."""

    def __init__(self, app: ASGIApp, *, token: str, port: int):
        self.app = app
        self.token = token
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        self.origins = {f"http://{host}" for host in self.hosts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._refusal(scope)
        if refusal is not None:
            await refusal(scope, receive, send)
            return

        async def with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] += [(k.lower().encode(), v.encode()) for k, v in HEADERS.items()]
            await send(message)

        await self.app(scope, receive, with_headers)

    def _refusal(self, scope: Scope) -> Response | None:
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        if headers.get("host", "") not in self.hosts:
            return PlainTextResponse("wrong host", status_code=421, headers=HEADERS)
        first, _, _ = scope["path"].lstrip("/").partition("/")
        if not hmac.compare_digest(first.encode(), self.token.encode()):
            return PlainTextResponse("not found", status_code=404, headers=HEADERS)
        origin = headers.get("origin")
        if scope["method"] not in SAFE_METHODS and origin is None:
            return PlainTextResponse("changes come from the review page only", 403, HEADERS)
        if origin is not None and origin not in self.origins:
            return PlainTextResponse("not from the review page", status_code=403, headers=HEADERS)
        return None


def review_app(
    session: ReviewSession,
    *,
    token: str,
    port: int,
    printers: Callable[[], list[str]] = list,
    print_written: Callable | None = None,
) -> ASGIApp:
    """The app for one session. `printers` lists the printers to offer; `print_written(written,
    printer)` prints what was written (notes.review.server wires both to CUPS)."""
    pages = Environment(
        loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(default=True)
    )
    view = _View(session, pages, printers, print_written)
    base = f"/{token}"
    routes = [
        Route(f"{base}/", view.page),
        Route(f"{base}/static/{{name}}", view.static),
        Route(f"{base}/card/{{number:int}}.png", view.card_png),
        Route(f"{base}/envelope/{{number:int}}.png", view.envelope_png),
        Route(f"{base}/card/{{number:int}}/{{action}}", view.change, methods=["POST"]),
        Route(f"{base}/write", view.write, methods=["POST"]),
        Route(f"{base}/print", view.write, methods=["POST"]),
    ]
    return Guard(Starlette(routes=routes), token=token, port=port)


class _View:
    def __init__(self, session: ReviewSession, pages: Environment, printers, print_written):  # noqa: ANN001
        self.session = session
        self.pages = pages
        self.printers = printers
        self.print_written = print_written

    def _render(self, name: str, **values: object) -> str:
        s = self.session
        counts = {d: sum(c.decision == d for c in s.cards) for d in STATUS_WORDS}
        return self.pages.get_template(name).render(
            session=s, recipe=s.recipe, counts=counts, words=STATUS_WORDS, version=_version,
            **values,
        )  # fmt: skip

    def page(self, request: Request) -> HTMLResponse:
        return HTMLResponse(self._render("page.html", printers=self.printers(), message=""))

    def static(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return PlainTextResponse("not found", status_code=404)
        return FileResponse(HERE / "static" / name, media_type=STATIC[name])

    def card_png(self, request: Request) -> Response:
        return self._png(request.path_params["number"], envelope=False)

    def envelope_png(self, request: Request) -> Response:
        return self._png(request.path_params["number"], envelope=True)

    def _png(self, number: int, *, envelope: bool) -> Response:
        try:
            return Response(self.session.preview(number, envelope=envelope), media_type="image/png")
        except NotesError as exc:
            return PlainTextResponse(str(exc), status_code=404)

    async def change(self, request: Request) -> Response:
        form = await request.form()
        number, action = request.path_params["number"], request.path_params["action"]
        changes = {
            "decide": lambda: self.session.decide(number, str(form.get("decision", ""))),
            "occasion": lambda: self.session.set_occasion(number, str(form.get("occasion", ""))),
            "text": lambda: self.session.set_text(number, str(form.get("text", ""))),
            "seed": lambda: self.session.next_seed(number),
        }
        if action not in changes:
            return PlainTextResponse("no such change", status_code=404)
        try:
            card = await _in_thread(changes[action])
        except NotesError as exc:
            return PlainTextResponse(str(exc), status_code=400)
        return HTMLResponse(self._render("card.html", card=card, out_of_band=True))

    async def write(self, request: Request) -> Response:
        from notes.review.finish import write_reviewed

        form = await request.form()
        printer = str(form.get("printer", "")) if request.url.path.endswith("/print") else ""
        try:
            written = await _in_thread(lambda: write_reviewed(self.session))
        except NotesError as exc:
            written, message = None, f"error: {exc}"
        if written is not None:
            try:
                if printer and self.print_written is not None:
                    await _in_thread(lambda: self.print_written(written, printer))
                message = _said(written, printer)
            except NotesError as exc:
                message = f"{_said(written, '')} Printing failed: {exc}"
        body = self._render("main.html", printers=self.printers(), message=message)
        return HTMLResponse(body)


async def _in_thread(work: Callable):  # noqa: ANN202
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(work)


def _said(written, printer: str) -> str:  # noqa: ANN001 - notes.review.finish.Written
    parts = [f"wrote {written.kept} approved card{'s' if written.kept != 1 else ''} to "
             f"{written.cards.name}"]  # fmt: skip
    if written.envelopes is not None:
        parts.append(f"their envelopes to {written.envelopes.name}")
    parts.append(f"the manifest {written.manifest.name}")
    text = ", ".join(parts) + "."
    left = written.held + written.not_approved
    if left:
        text += (f" {left} card{'s' if left != 1 else ''} left out (held back or not approved):"
                 " a later `notes day` of this export writes them, with your changes.")  # fmt: skip
    if printer:
        jobs = ", ".join(job.job_id for job in written.jobs)
        text += f" Sent to {printer}: {jobs}."
    return text


def _version(card: ReviewCard) -> str:
    """Changes with what the preview shows, so the browser fetches the new picture."""
    state = f"{card.text}\x1f{card.occasion}\x1f{card.seed_variant}".encode("utf-8", "replace")
    return hashlib.sha256(state).hexdigest()[:12]
