"""Only the app's own web origin (and those listed in EKTP_ALLOWED_ORIGINS) may use the app: a pure ASGI
middleware in front of everything serve.py serves (Streamlit's websocket /_stcore/stream, its HTTP routes,
the lobby screen /layar). No Streamlit here: serve.py passes in what Streamlit's configuration says.

Browsers send an `Origin` header on every websocket handshake, every cross-origin request and every POST.
Without this check any page the staff's browser opens (another program on the same machine, on another port;
a site on the internet whose name was rebound to the office server's address) could open the app's websocket
and act with the staff's cookies. A request with a foreign Origin is refused before Streamlit sees it: HTTP
with 403 and a short text, a websocket handshake closed before it is accepted (the server answers 403).

Allowed:
- no Origin at all (not a browser page: curl, the health check, the CLI; a browser always sends one on a
  websocket);
- the app's own origin: the Origin's host and port are those of the request's Host header, its scheme that of
  the connection (http/ws, https/wss; X-Forwarded-Proto is not trusted), and the host is one a rebound DNS
  name cannot pose as: an IP address, `localhost`, or a name the server is configured with (Streamlit's
  server.address / browser.serverAddress). A page on evil.example whose name now points at 127.0.0.1 sends
  Host and Origin evil.example alike, and is refused;
- an origin listed in EKTP_ALLOWED_ORIGINS (e.g. a reverse proxy's public https://dasbor.surakarta.go.id).
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from ektp_metrics import settings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_LOG = logging.getLogger("ektp.origins")
REFUSED_TEXT = ("Ditolak: permintaan ini datang dari halaman web di alamat lain, yang tidak diizinkan memakai "
                "dasbor ini.\nRefused: this request comes from a web page at another address, which may not "
                "use this dashboard.\n")
POLICY_VIOLATION = 1008       # websocket close code; before accept, the server answers the handshake with 403
_DEFAULT_PORTS = {"http": 80, "https": 443}
_SECURE = {"http": False, "ws": False, "https": True, "wss": True}   # the connection's scheme (scope)
_WILDCARDS = {"", "0.0.0.0", "::"}   # listening everywhere names no host


def _hostname(value: str) -> str:
    """A configured address as a bare lower-case host: 'Dasbor', 'http://dasbor:8501', '[::1]' → 'dasbor', '::1'."""
    value = value.strip().lower()
    if "://" in value:
        value = urlsplit(value).hostname or ""
    return value.strip("[]")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _split_host(value: str, default_port: int) -> tuple[str, int] | None:
    """'127.0.0.1:8501' → ('127.0.0.1', 8501); '[::1]' → ('::1', default); None when malformed."""
    value = value.strip().lower()
    if value.startswith("["):
        host, _, rest = value[1:].partition("]")
        if rest and not rest.startswith(":"):
            return None
        port_text = rest[1:]
    else:
        host, _, port_text = value.partition(":")
    if not host:
        return None
    if not port_text:
        return host, default_port
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        return None
    return host, int(port_text)


def parse_origin(origin: str) -> tuple[str, str, int] | None:
    """An Origin header as (scheme, host, port), the port filled in; None for anything that is not an http(s)
    origin without a path ('null', a file page's origin, garbage)."""
    try:
        parts = urlsplit(origin.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname or parts.path or parts.query or parts.fragment \
            or parts.username is not None or parts.password is not None:
        return None
    return scheme, parts.hostname.lower(), port if port is not None else _DEFAULT_PORTS[scheme]


class OriginGuard:
    """ASGI middleware: refuse HTTP requests and websocket handshakes with a foreign Origin (module docstring).

    server_names: called on each checked request, the host names/addresses the server is configured with
    (serve.py: Streamlit's server.address and browser.serverAddress; read at each call, so a config reload
    counts). allowed_origins: the listed origins; by default EKTP_ALLOWED_ORIGINS (settings.allowed_origins;
    a malformed entry is never allowed, and settings.problems() names it).
    """

    def __init__(self, app: ASGIApp, *, server_names: Callable[[], Iterable[str]] = tuple,
                 allowed_origins: Iterable[str] | None = None) -> None:
        self.app = app
        self.server_names = server_names
        listed = settings.allowed_origins() if allowed_origins is None else allowed_origins
        self.listed = {parsed for parsed in map(parse_origin, listed) if parsed is not None}

    def _trusted_name(self, host: str) -> bool:
        if host == "localhost" or _is_ip(host):
            return True
        return host in {_hostname(name) for name in self.server_names()} - _WILDCARDS

    def own_origin(self, origin: tuple[str, str, int], scope: Scope) -> bool:
        """The Origin is the address this request was sent to, by a host name no rebound DNS can fake."""
        scheme, host, port = origin
        connection = str(scope.get("scheme") or ("ws" if scope["type"] == "websocket" else "http"))
        secure = _SECURE.get(connection)
        if secure is None or secure != (scheme == "https"):
            return False
        host_header = _header(scope, b"host")
        target = _split_host(host_header, _DEFAULT_PORTS[scheme]) if host_header is not None else None
        if target is None or target[1] != port or target[0].strip("[]") != host.strip("[]"):
            return False
        return self._trusted_name(host.strip("[]"))

    def allowed(self, origin: str, scope: Scope) -> bool:
        parsed = parse_origin(origin)
        return parsed is not None and (parsed in self.listed or self.own_origin(parsed, scope))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        origin = _header(scope, b"origin")
        if origin is None:
            await self.app(scope, receive, send)
            return
        if not self.allowed(origin, scope):
            _LOG.warning("Ditolak: %s %s dari Origin %r (Host %r)", scope["type"], scope.get("path"),
                         origin[:200], (_header(scope, b"host") or "")[:200])
            await _refuse(scope, send)
            return
        if scope["type"] == "websocket" and urlsplit(origin).netloc != _header(scope, b"host"):
            # An allowed origin that Streamlit would not take for its own (a listed one, e.g. a reverse proxy's
            # public origin, while Host is 127.0.0.1:8501): Streamlit's handshake check
            # (starlette_websocket._is_origin_allowed) accepts an Origin whose netloc equals Host and otherwise
            # asks server_util.is_url_from_allowed_origins, which tries net_util.get_internal_ip (a UDP
            # connect towards 8.8.8.8) and net_util.get_external_ip (an HTTP request to
            # checkip.amazonaws.com): a request off the machine, which the app promises never to make.
            # This origin was checked above, so Streamlit gets the handshake without it: with no Origin it
            # accepts at once. (Its other use of Origin there, validating st.login's auth cookie, is unused.)
            scope = dict(scope, headers=[(k, v) for k, v in scope["headers"] if k.lower() != b"origin"])
        await self.app(scope, receive, send)


def _header(scope: Scope, name: bytes) -> str | None:
    """The first value of a request header (latin-1, as ASGI servers give them), None when absent."""
    for key, value in scope.get("headers") or ():
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


async def _refuse(scope: Scope, send: Send) -> None:
    if scope["type"] == "websocket":
        # Closing before accepting: uvicorn (and Starlette's TestClient) turn this into an HTTP 403 answer
        # to the handshake; the websocket never opens.
        await send({"type": "websocket.close", "code": POLICY_VIOLATION, "reason": ""})
        return
    body = REFUSED_TEXT.encode("utf-8")
    await send({"type": "http.response.start", "status": 403,
                "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                            (b"content-length", str(len(body)).encode("ascii")),
                            (b"cache-control", b"no-store")]})
    await send({"type": "http.response.body", "body": body})
