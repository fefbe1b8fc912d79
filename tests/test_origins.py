"""Issue 19, item 5: only the app's own web origin and EKTP_ALLOWED_ORIGINS may use the app
(ektp_metrics.origins.OriginGuard, a pure ASGI middleware, called here directly with ASGI scopes).
In a real server and in Chromium: tests/test_e2e_origins.py."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from ektp_metrics import settings
from ektp_metrics.origins import REFUSED_TEXT, OriginGuard

APP_HOST = "127.0.0.1:8501"
LISTED = "https://dasbor.surakarta.go.id"


class Inner:
    """The app behind the guard: records the scopes it gets; answers 200 / accepts the websocket."""

    def __init__(self) -> None:
        self.scopes: list[dict[str, Any]] = []

    async def __call__(self, scope, receive, send) -> None:
        self.scopes.append(scope)
        if scope["type"] == "http":
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b"ok"})
        elif scope["type"] == "websocket":
            await send({"type": "websocket.accept"})


def call(guard: OriginGuard, kind: str = "http", *, origin: str | None = None, host: str | None = APP_HOST,
         scheme: str | None = None) -> list[dict[str, Any]]:
    """Send one request (kind 'http' or 'websocket') through the guard; the messages it sent back."""
    headers = [(b"user-agent", b"test")]
    if host is not None:
        headers.append((b"host", host.encode("latin-1")))
    if origin is not None:
        headers.append((b"origin", origin.encode("latin-1")))
    scope = {"type": kind, "path": "/_stcore/stream" if kind == "websocket" else "/layar/data.json",
             "scheme": scheme or ("ws" if kind == "websocket" else "http"), "headers": headers}
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "websocket.connect"} if kind == "websocket" else {"type": "http.request", "body": b""}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(guard(scope, receive, send))
    return sent


def guard_with(*, names: tuple[str, ...] = ("127.0.0.1", "localhost"), listed: tuple[str, ...] = (LISTED,),
               ) -> tuple[OriginGuard, Inner]:
    inner = Inner()
    return OriginGuard(inner, server_names=lambda: names, allowed_origins=listed), inner


def passed(sent: list[dict[str, Any]]) -> bool:
    first = sent[0]["type"]
    assert first in ("http.response.start", "websocket.accept", "websocket.close"), sent
    return first != "websocket.close" and sent[0].get("status", 200) == 200


def refused_http(sent: list[dict[str, Any]]) -> bool:
    return (sent[0]["status"] == 403 and sent[1]["body"].decode() == REFUSED_TEXT
            and (b"content-type", b"text/plain; charset=utf-8") in sent[0]["headers"])


# ---- HTTP --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("origin,host,scheme", [
    ("http://127.0.0.1:8501", "127.0.0.1:8501", "http"),
    ("http://localhost:8501", "localhost:8501", "http"),
    ("http://LOCALHOST:8501", "localhost:8501", "http"),
    ("http://[::1]:8501", "[::1]:8501", "http"),
    ("http://192.168.10.5:8501", "192.168.10.5:8501", "http"),     # an office PC at the server's address
    ("http://192.168.10.5", "192.168.10.5", "http"),               # port 80, left out by both
    ("http://192.168.10.5", "192.168.10.5:80", "http"),
    ("https://192.168.10.5", "192.168.10.5", "https"),
])
def test_own_origin_passes(origin, host, scheme):
    guard, inner = guard_with()
    assert passed(call(guard, origin=origin, host=host, scheme=scheme))
    assert len(inner.scopes) == 1


@pytest.mark.parametrize("origin,host,scheme", [
    ("http://127.0.0.1:8802", APP_HOST, "http"),                  # another program on this machine
    ("http://localhost:8802", "localhost:8501", "http"),
    ("http://10.1.2.3", APP_HOST, "http"),
    ("http://evil.example:8501", APP_HOST, "http"),
    ("http://evil.example:8501", "evil.example:8501", "http"),    # DNS rebinding: evil.example → 127.0.0.1
    ("http://evil.example", "evil.example", "http"),
    ("https://127.0.0.1:8501", APP_HOST, "http"),                 # scheme differs from the connection's
    ("http://127.0.0.1:8501", APP_HOST, "https"),
    ("http://127.0.0.1:443", "127.0.0.1", "https"),
    ("null", APP_HOST, "http"),                                   # a sandboxed or file:// page
    ("file://", APP_HOST, "http"),
    ("http://127.0.0.1:8501/path", APP_HOST, "http"),
    ("http://user@127.0.0.1:8501", APP_HOST, "http"),
    ("http://127.0.0.1:8501", None, "http"),                      # no Host to compare with
    ("http://127.0.0.1:8501", "127.0.0.1:99999", "http"),
    ("", APP_HOST, "http"),
])
def test_foreign_origin_is_refused_with_403_before_the_app(origin, host, scheme):
    guard, inner = guard_with()
    assert refused_http(call(guard, origin=origin, host=host, scheme=scheme))
    assert inner.scopes == []


def test_no_origin_passes():
    guard, inner = guard_with()
    assert passed(call(guard))
    assert passed(call(guard, host=None))
    assert len(inner.scopes) == 2


def test_listed_origin_passes_whatever_the_host():
    guard, _ = guard_with()
    for host in (APP_HOST, "dasbor.surakarta.go.id", None):
        assert passed(call(guard, origin=LISTED, host=host))
    assert passed(call(guard, origin=LISTED + ":443"))
    assert passed(call(guard, origin="HTTPS://Dasbor.Surakarta.go.id"))
    # only that scheme and port
    assert refused_http(call(guard, origin="http://dasbor.surakarta.go.id"))
    assert refused_http(call(guard, origin=LISTED + ":8443"))
    assert refused_http(call(guard, origin="https://x.dasbor.surakarta.go.id"))


def test_a_host_name_is_own_only_when_the_server_is_configured_with_it():
    # e.g. browser.serverAddress = "dasbor-ektp" (what the office types): no rebound name can pose as it
    guard, _ = guard_with(names=("0.0.0.0", "Dasbor-EKTP"))
    assert passed(call(guard, origin="http://dasbor-ektp:8501", host="dasbor-ektp:8501"))
    assert refused_http(call(guard, origin="http://evil.example:8501", host="evil.example:8501"))
    assert refused_http(call(guard, origin="http://dasbor-ektp:8501", host=APP_HOST))
    # a wildcard listening address names no host; an empty name neither
    guard, _ = guard_with(names=("0.0.0.0", "", "::"))
    assert refused_http(call(guard, origin="http://dasbor-ektp:8501", host="dasbor-ektp:8501"))
    assert refused_http(call(guard, origin="http://:8501", host=":8501"))


def test_server_names_are_read_at_each_request():
    names: list[str] = []
    inner = Inner()
    guard = OriginGuard(inner, server_names=lambda: names, allowed_origins=())
    assert refused_http(call(guard, origin="http://dasbor-ektp:8501", host="dasbor-ektp:8501"))
    names.append("http://dasbor-ektp:8501")      # as Streamlit's browser.serverAddress may be written too
    assert passed(call(guard, origin="http://dasbor-ektp:8501", host="dasbor-ektp:8501"))


def test_lifespan_passes():
    inner = Inner()
    guard = OriginGuard(inner, allowed_origins=())
    asyncio.run(guard({"type": "lifespan"}, None, None))   # type: ignore[arg-type]
    assert inner.scopes == [{"type": "lifespan"}]


# ---- websocket ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("origin,host", [
    ("http://127.0.0.1:8802", APP_HOST),
    ("http://evil.example:8501", "evil.example:8501"),
    ("http://evil.example:8501", APP_HOST),
    ("http://10.1.2.3", APP_HOST),
    ("null", APP_HOST),
])
def test_websocket_from_a_foreign_origin_is_closed_before_accept(origin, host):
    guard, inner = guard_with()
    sent = call(guard, "websocket", origin=origin, host=host)
    assert sent == [{"type": "websocket.close", "code": 1008, "reason": ""}]
    assert inner.scopes == []


def test_websocket_from_its_own_origin_reaches_streamlit_with_its_origin():
    guard, inner = guard_with()
    assert call(guard, "websocket", origin="http://127.0.0.1:8501") == [{"type": "websocket.accept"}]
    assert (b"origin", b"http://127.0.0.1:8501") in inner.scopes[0]["headers"]
    assert call(guard, "websocket", origin="https://127.0.0.1:8501", scheme="wss") == [{"type": "websocket.accept"}]
    assert call(guard, "websocket") == [{"type": "websocket.accept"}]    # no Origin


def _streamlit_accepts(headers: list[tuple[bytes, bytes]]) -> bool:
    """Streamlit's own handshake check on these headers (starlette_websocket._is_origin_allowed)."""
    from streamlit.web.server.starlette.starlette_websocket import _is_origin_allowed

    found = {k.decode(): v.decode() for k, v in reversed(headers)}
    return _is_origin_allowed(found.get("origin"), found.get("host"))


def test_a_listed_origin_reaches_streamlit_without_a_request_off_the_machine(monkeypatch):
    """A listed origin differs from Host (a reverse proxy's public origin): the guard passes the handshake on
    without its Origin, so Streamlit accepts it without looking up the machine's addresses (get_external_ip
    is an HTTP request to the internet)."""
    from streamlit import net_util

    lookups: list[str] = []
    monkeypatch.setattr(net_util, "get_external_ip", lambda: lookups.append("external") or None)
    monkeypatch.setattr(net_util, "get_internal_ip", lambda: lookups.append("internal") or None)
    guard, inner = guard_with()
    assert call(guard, "websocket", origin=LISTED) == [{"type": "websocket.accept"}]
    headers = inner.scopes[0]["headers"]
    assert [k for k, _ in headers if k == b"origin"] == []
    assert (b"host", APP_HOST.encode()) in headers and (b"user-agent", b"test") in headers
    assert _streamlit_accepts(headers)
    assert lookups == []
    # the control: the same handshake with its Origin kept would have made Streamlit look them up
    assert not _streamlit_accepts([*headers, (b"origin", LISTED.encode())])
    assert lookups == ["internal", "external"]


def test_own_origin_keeps_streamlits_same_origin_path(monkeypatch):
    """An own origin equal to Host is Streamlit's same-origin case: no lookup either, Origin kept."""
    from streamlit import net_util

    monkeypatch.setattr(net_util, "get_external_ip", lambda: pytest.fail("get_external_ip called"))
    monkeypatch.setattr(net_util, "get_internal_ip", lambda: pytest.fail("get_internal_ip called"))
    guard, inner = guard_with()
    call(guard, "websocket", origin="http://127.0.0.1:8501")
    assert _streamlit_accepts(inner.scopes[0]["headers"])


# ---- the setting -------------------------------------------------------------------------------------------

def test_the_setting_feeds_the_guard(monkeypatch):
    monkeypatch.setenv("EKTP_ALLOWED_ORIGINS", " https://Dasbor.Surakarta.go.id:443 , http://10.0.0.7:8080,")
    assert settings.allowed_origins() == ("https://dasbor.surakarta.go.id", "http://10.0.0.7:8080")
    assert settings.problems() == []
    inner = Inner()
    guard = OriginGuard(inner)
    assert passed(call(guard, origin=LISTED))
    assert passed(call(guard, origin="http://10.0.0.7:8080"))
    assert refused_http(call(guard, origin="http://10.0.0.7"))


def test_unset_setting_lists_nothing(monkeypatch):
    monkeypatch.delenv("EKTP_ALLOWED_ORIGINS", raising=False)
    assert settings.allowed_origins() == ()
    guard = OriginGuard(Inner())
    assert refused_http(call(guard, origin=LISTED))


@pytest.mark.parametrize("entry", [
    "dasbor.surakarta.go.id",                  # no scheme
    "https://dasbor.surakarta.go.id/",         # a path, even "/"
    "https://dasbor.surakarta.go.id/dasbor",
    "ftp://dasbor.surakarta.go.id",
    "ws://dasbor.surakarta.go.id",
    "https://dasbor.surakarta.go.id:99999",
    "https://dasbor.surakarta.go.id:0",
    "https://user@dasbor.surakarta.go.id",
    "https://dasbor.surakarta.go.id?x=1",
    "https://*.surakarta.go.id",
    "https://",
    "*",
])
def test_a_malformed_entry_is_a_problem_and_never_allowed(monkeypatch, entry):
    monkeypatch.setenv("EKTP_ALLOWED_ORIGINS", f"http://10.0.0.7:8080,{entry}")
    found = settings.problems()
    assert len(found) == 1 and found[0].startswith("EKTP_ALLOWED_ORIGINS") and repr(entry) in found[0]
    assert settings.allowed_origins() == ("http://10.0.0.7:8080",)    # the well-formed one still counts
    guard = OriginGuard(Inner())
    assert passed(call(guard, origin="http://10.0.0.7:8080"))
    assert refused_http(call(guard, origin=entry))
