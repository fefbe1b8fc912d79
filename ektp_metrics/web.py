"""HTTP routes served beside the Streamlit pages by serve.py (st.App): plain Starlette handlers over the same
ektp_metrics functions as the pages. No Streamlit here.

The lobby screen (issue 17): `GET /layar` is a plain page (ektp_metrics/html/layar.html) and
`GET /layar/data.json` its figures, every slide already rendered by ektp_metrics.kiosk. There is no
websocket, so a server restart can never put Streamlit's "Connection error" dialog on the lobby's TV:
the page keeps its last figures (in the browser's localStorage, through a reload too), marks them
"Pembaruan data tertunda" while the server or the database does not answer, and shows fresh figures at
the next poll that succeeds.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import secrets
import threading
import time
from collections.abc import Hashable
from pathlib import Path
from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from ektp_metrics import db, formatting, html, kiosk, metrics, sessions, settings

_LOG = logging.getLogger("ektp.layar")
POLL_SECONDS = 15          # the page asks for new figures this often (after a failure: sooner, see the page);
MIN_POLL_SECONDS = 2       # ?segar=N changes it, from 2 to 300 s
_ENV = html.ENV   # ektp_metrics/html: the templates and their environment (autoescape on)
# The font's URL goes into the style sheet as it is: only a plain relative path to a bundled file.
_FONT_URL = re.compile(r"static/media/[A-Za-z0-9._-]+\.woff2")

# The page may run only its own inline script (nonce), fetch only from this server, and load nothing else:
# the app runs offline, and this keeps it so even if a slide's text ever carried a URL.
_CSP = ("default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; connect-src 'self'; "
        "font-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'")


# Uvicorn (the server under st.App) believes X-Forwarded-For from 127.0.0.1 by default and rewrites the
# client's address before any route or middleware runs: any process on the machine, or a proxy passing on
# what a client wrote, could then pick its own address (the lockout's, the audit log's, the API's rate limit).
# The app's one rule is EKTP_TRUSTED_PROXY (sessions.client_address); serve.py has uvicorn's middleware trust
# these hosts (uvicorn's FORWARDED_ALLOW_IPS form; empty: nobody) instead of its default.
FORWARDED_ALLOW_IPS = ""


def _cache_seconds() -> float:
    try:
        return settings.number("EKTP_CACHE_SECONDS")
    except settings.InvalidSetting:   # the pages show the malformed value; meanwhile the default
        return 60.0


def payload(database: db.Database, now: dt.datetime | None = None) -> dict[str, Any]:
    """The lobby's figures: every slide worth showing, rendered, with the time they were read.

    {"ok": true, "slides": [{"nama": "kota", "html": …}, …], "diperbarui": "19.05", "dibaca": ISO time,
    "data_per": "2013-10-25", "nama": "Kota Surakarta", "menunggu": …}; with no data yet "slides" is
    empty and the page shows "menunggu" (kiosk.waiting). Raises when the database cannot be read.
    """
    now = now or dt.datetime.now(dt.UTC)
    board = kiosk.read_board(database)
    if board is None:
        nama = metrics.scope(database).nama
        return {"ok": True, "slides": [], "nama": nama, "menunggu": kiosk.waiting(nama),
                "diperbarui": formatting.jam(formatting.lokal(now)), "dibaca": now.isoformat()}
    names = kiosk.slides_for(board)
    slides = []
    for position, name in enumerate(names):
        try:
            slides.append({"nama": name, "html": kiosk.render(board, name, position, len(names), now)})
        except Exception:   # noqa: BLE001 - a slide that cannot be drawn is left out, never an error
            _LOG.exception("layar: slide %s tidak bisa digambar", name)
    if not slides:
        raise RuntimeError("tidak satu slide pun bisa digambar")
    if len(slides) < len(names):   # the dots count the slides actually shown
        slides = [{"nama": s["nama"], "html": kiosk.render(board, s["nama"], i, len(slides), now)}
                  for i, s in enumerate(slides)]
    return {"ok": True, "slides": slides, "nama": board.kota.nama, "menunggu": kiosk.waiting(board.kota.nama),
            "diperbarui": formatting.jam(formatting.lokal(now)), "dibaca": now.isoformat(),
            "data_per": board.data_per.isoformat()}


class Lobby:
    """The lobby's two handlers, and the last payload (one per process: serve.py builds the routes once).

    The payload is kept per (Database, Database.version, EKTP_CACHE_SECONDS time bucket): every committed
    write bumps the version, so an upload shows at the next poll; between writes the screens' polls cost
    one read per bucket (the calendar day, "today" for the safari, moves with the clock). Failures are
    not kept: the next poll tries again.
    """

    def __init__(self, font_url: str | None = None):
        self.font_url = font_url if font_url and _FONT_URL.fullmatch(font_url) else None
        self._lock = threading.Lock()
        self._key: Hashable = None
        self._body = b""
        # A screen polls every 5 s while the database cannot be read: its cause is logged once, not each time.
        self._failure: str | None = None

    # ---- GET /layar/data.json ------------------------------------------------------------------------

    def data(self, request: Request) -> Response:
        path = settings.db_path()
        try:
            body = self._current(path)
        except Exception as exc:   # noqa: BLE001 - never an error on the lobby: the page keeps its figures
            db.note_failure(path, exc)
            cause = exc.message() if isinstance(exc, db.DatabaseUnavailable) else f"{type(exc).__name__}: {exc}"
            if cause != self._failure:
                self._failure = cause
                _LOG.error("layar: data tidak terbaca (%s); layar tetap menampilkan angka terakhir", cause,
                           exc_info=not isinstance(exc, db.DatabaseUnavailable))
            return _json(b'{"ok": false}', 503)
        if self._failure is not None:
            self._failure = None
            _LOG.info("layar: data terbaca lagi")
        return _json(body, 200)

    def _current(self, path: Path) -> bytes:
        # One read at a time: several screens polling at the same moment wait for it and share it.
        with self._lock:
            database = db.shared(path)
            # The Database itself in the key: a file opened anew (after damage, a restore) starts at version 0.
            key = (database, database.version, int(time.time() // _cache_seconds()))
            if key != self._key:
                self._body = json.dumps(payload(database), ensure_ascii=False).encode()
                self._key = key
            return self._body

    # ---- GET /layar ----------------------------------------------------------------------------------

    def page(self, request: Request) -> Response:
        """The page itself: no database read, so it loads whatever state the database is in."""
        if request.url.path.endswith("/"):   # /layar/ would resolve the page's relative URLs one level down
            query = f"?{request.url.query}" if request.url.query else ""
            return RedirectResponse(request.url.path.rstrip("/") + query, status_code=301)
        nonce = secrets.token_urlsafe(16)
        html = _ENV.get_template("layar.html").render(
            css=Markup(kiosk.CSS),   # a constant of kiosk, not data
            font_url=self.font_url, nonce=nonce, waiting=Markup(kiosk.waiting()),
            config={"detik": kiosk.seconds_from(request.query_params.get("detik")),
                    "poll": kiosk.seconds_from(request.query_params.get("segar"), POLL_SECONDS, MIN_POLL_SECONDS),
                    "data": "layar/data.json"})
        return Response(html, media_type="text/html; charset=utf-8", headers={
            "Cache-Control": "no-cache", "Content-Security-Policy": _CSP.format(nonce=nonce),
            "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"})


class SessionCookies:
    """The two requests that set and clear the session cookie (issue 19; ektp_metrics.sessions). A Streamlit
    run talks to the browser over its websocket and cannot set a cookie, so the login form sends the browser
    here for one response and back to its page.

    `GET sesi/mulai?tiket=…&lanjut=<page>`: redeems the one-time ticket the login form made, sets the session
    cookie and the account's device cookie, and sends the browser back (303). An unknown, used or void ticket
    sets nothing: the page then shows the login form again.
    `GET sesi/keluar?lanjut=<page>`: ends the browser's session (the page ended it already; this also covers a
    tab that lost its connection) and clears the cookie.
    Both refuse a request another site started (Sec-Fetch-Site cross-site or same-site): nobody can sign a
    browser in as someone else, or out, from a link elsewhere. `lanjut` may only name a page of this app.
    """

    _LANJUT = re.compile(r"[a-z_]*(\?[A-Za-z0-9_.~%=&+-]*)?")

    def start(self, request: Request) -> Response:
        refused = self._refused(request)
        if refused is not None:
            return refused
        response = self._back(request)
        redeemed = sessions.TICKETS.redeem(request.query_params.get("tiket", ""))
        if redeemed is None:
            return response
        token, username = redeemed
        cookie = self._cookie_args(request)
        response.set_cookie(sessions.SESSION_COOKIE, token, **cookie)   # no expiry: the server ends it
        try:
            device = sessions.device_cookie(db.shared(settings.db_path()),
                                            request.cookies.get(sessions.DEVICE_COOKIE), username)
        except Exception:   # noqa: BLE001 - the session works without it; the next sign-in makes one
            _LOG.exception("sesi: cookie perangkat tidak dibuat")
        else:
            response.set_cookie(sessions.DEVICE_COOKIE, device, max_age=sessions.DEVICE_DAYS * 86_400, **cookie)
        return response

    def end(self, request: Request) -> Response:
        refused = self._refused(request)
        if refused is not None:
            return refused
        response = self._back(request)
        token = request.cookies.get(sessions.SESSION_COOKIE)
        if token:
            try:
                sessions.end(db.shared(settings.db_path()), sessions.token_hash(token), "keluar")
            except Exception:   # noqa: BLE001 - the cookie is cleared all the same
                _LOG.exception("sesi: sesi tidak bisa diakhiri di database")
        response.delete_cookie(sessions.SESSION_COOKIE, **self._cookie_args(request))
        return response

    @staticmethod
    def _refused(request: Request) -> Response | None:
        if request.headers.get("sec-fetch-site", "same-origin") in ("same-origin", "none"):
            return None
        return Response("Permintaan dari situs lain ditolak.", status_code=403, media_type="text/plain; charset=utf-8")

    @staticmethod
    def _root(request: Request) -> str:
        """The app's root path as the browser sees it (…/sesi/mulai → …/)."""
        return request.url.path.rsplit("/sesi/", 1)[0] + "/"

    def _back(self, request: Request) -> Response:
        lanjut = request.query_params.get("lanjut", "")
        target = self._root(request) + (lanjut if self._LANJUT.fullmatch(lanjut) else "")
        return RedirectResponse(target, status_code=303, headers={
            "Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})

    def _cookie_args(self, request: Request) -> dict[str, Any]:
        forwarded_https = (request.client is not None and request.client.host in sessions.trusted_proxies()
                           and request.headers.get("x-forwarded-proto") == "https")
        return {"path": self._root(request), "httponly": True, "samesite": "strict",
                "secure": request.url.scheme == "https" or forwarded_https}


def _json(body: bytes, status: int) -> Response:
    return Response(body, status_code=status, media_type="application/json",
                    headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"})


def routes(font_url: str | None = None) -> list[BaseRoute]:
    """The routes serve.py hands to st.App (they come before Streamlit's own): the HTTP API (/api/v1,
    ektp_metrics.api), the lobby screen and the session cookies. font_url: Streamlit's
    bundled Source Sans as a path relative to the server's root ('static/media/….woff2'), or None."""
    from ektp_metrics import api

    lobby = Lobby(font_url)
    cookies = SessionCookies()
    return [*api.routes(),
            Route("/layar", lobby.page, methods=["GET"]),
            Route("/layar/", lobby.page, methods=["GET"]),
            Route("/layar/data.json", lobby.data, methods=["GET"]),
            Route("/sesi/mulai", cookies.start, methods=["GET"]),
            Route("/sesi/keluar", cookies.end, methods=["GET"])]
