"""End to end, issue 19 item 5: a page from another origin cannot use the app (ektp_metrics.origins), and no
foreign Origin ever makes the server reach off the machine (a server run with the network guard of
tests/netguard, which logs and refuses every attempt to reach another host)."""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ektp_metrics.origins import REFUSED_TEXT
from tests.browser import IDLE, free_port, streamlit_process, wait_idle
from tests.conftest import ROOT

pytestmark = pytest.mark.browser
NETGUARD = ROOT / "tests" / "netguard"
LISTED = "https://dasbor.surakarta.go.id"     # a reverse proxy's public origin, as EKTP_ALLOWED_ORIGINS lists it

# The other page's script: opens the app's websocket and fetches a route with a method that needs the
# server's consent (a CORS preflight), and records what became of both.
FOREIGN_PAGE = """<!doctype html><meta charset="utf-8"><title>halaman lain</title>
<script>
window.hasil = {opened: false, errored: false, closed: false, code: null, fetched: "pending"};
const ws = new WebSocket("ws://127.0.0.1:%(port)d/_stcore/stream");
ws.onopen = () => { window.hasil.opened = true; };
ws.onerror = () => { window.hasil.errored = true; };
ws.onclose = (e) => { window.hasil.closed = true; window.hasil.code = e.code; };
fetch("http://127.0.0.1:%(port)d/layar/data.json", {method: "PUT", headers: {"X-Coba": "1"}, body: "{}"})
    .then(r => { window.hasil.fetched = "status " + r.status; }, () => { window.hasil.fetched = "failed"; });
</script><p>Halaman di port lain</p>"""


@contextmanager
def page_server(html: str) -> Iterator[str]:
    """A plain web server on another port of 127.0.0.1 serving `html` at /: its base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_a_page_from_another_port_cannot_open_the_websocket(demo_server, new_page):
    app_port = int(demo_server.rsplit(":", 1)[1])
    with page_server(FOREIGN_PAGE % {"port": app_port}) as other:
        assert other != demo_server
        foreign = new_page()
        # The preflight's answer is not visible to the page's script; Chromium's DevTools protocol shows it.
        preflights: list[int] = []
        cdp = foreign.context.new_cdp_session(foreign)
        cdp.on("Network.responseReceived",
               lambda e: preflights.append(e["response"]["status"]) if e["type"] == "Preflight" else None)
        cdp.send("Network.enable")
        foreign.goto(other + "/")
        # both outcomes known: the websocket opened or closed, the fetch settled
        foreign.wait_for_function(
            "() => (window.hasil.opened || window.hasil.closed) && window.hasil.fetched !== 'pending'",
            timeout=30_000)
        result = foreign.evaluate("() => window.hasil")
        assert result["opened"] is False and result["errored"] is True, result
        assert result["code"] == 1006, result            # the handshake was answered 403: no websocket
        assert result["fetched"] == "failed", result
        assert preflights == [403]                       # refused by the origin check, not merely left unanswered

    # the same app from its own origin connects and runs
    own = new_page()
    own.goto(demo_server + "/")
    wait_idle(own)
    assert own.locator(IDLE).count() == 1
    assert own.get_by_text("Data contoh.").is_visible()


# ---- no request off the machine, whatever the Origin ---------------------------------------------------------

def handshake(port: int, origin: str | None, host: str | None = None) -> str:
    """A websocket handshake to /_stcore/stream: the server's status line ('HTTP/1.1 101 …', '… 403 …')."""
    lines = ["GET /_stcore/stream HTTP/1.1", f"Host: {host or f'127.0.0.1:{port}'}", "Upgrade: websocket",
             "Connection: Upgrade", f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}",
             "Sec-WebSocket-Version: 13"]
    if origin is not None:
        lines.append(f"Origin: {origin}")
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        answer = b""
        while b"\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    return answer.split(b"\r\n", 1)[0].decode()


def http_get(port: int, path: str, origin: str | None, host: str | None = None) -> tuple[int, str]:
    """A GET with the given Origin and Host: (status, body)."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {"Host": host or f"127.0.0.1:{port}"}
        if origin is not None:
            headers["Origin"] = origin
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def guarded_env(log: Path) -> dict[str, str]:
    """The environment of a process under the network guard (tests/netguard/sitecustomize.py)."""
    return {"PYTHONPATH": os.pathsep.join(filter(None, [str(NETGUARD), os.environ.get("PYTHONPATH")])),
            "NETGUARD_LOG": str(log)}


def attempts(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def test_no_foreign_origin_makes_the_server_reach_off_the_machine(demo_path, tmp_path):
    # The control: a process under the guard that asks Streamlit's own origin check about an unknown host
    # (what the websocket handshake did before the guard) has its lookup of the machine's external address
    # (checkip.amazonaws.com) logged: the guard is active in a process started this way and would catch it.
    control_log = tmp_path / "control.jsonl"
    script = ("from streamlit.web.server.starlette.starlette_websocket import _is_origin_allowed as allowed\n"
              "print(allowed('http://evil.example:8501', '127.0.0.1:8501'))")
    control = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT, env={**os.environ, **guarded_env(control_log)}, capture_output=True, text=True, timeout=60)
    assert control.stdout.strip() == "False", control.stderr
    assert "checkip.amazonaws.com" in {a["target"] for a in attempts(control_log)}, attempts(control_log)

    log = tmp_path / "netguard.jsonl"
    env = {**guarded_env(log), "EKTP_ALLOWED_ORIGINS": LISTED}
    with streamlit_process(demo_path, tmp_path / "streamlit.log", env) as (url, _):
        port = int(url.rsplit(":", 1)[1])
        other = free_port()
        foreign = ["http://evil.example:8501", f"http://127.0.0.1:{other}", "http://10.1.2.3",
                   f"http://localhost:{other}", "null", "https://dasbor.surakarta.go.id.evil.example"]
        for origin in foreign:
            status = handshake(port, origin)
            assert attempts(log) == [], origin
            assert " 403 " in status, origin
            assert http_get(port, "/layar/data.json", origin) == (403, REFUSED_TEXT), origin
            assert http_get(port, "/_stcore/health", origin)[0] == 403, origin
        # DNS rebinding: evil.example now points at this server, Host and Origin say evil.example
        rebound = f"evil.example:{port}"
        assert " 403 " in handshake(port, f"http://{rebound}", host=rebound)
        assert http_get(port, "/layar", f"http://{rebound}", host=rebound)[0] == 403

        # the app's own origin, the listed one (unlike Host: Streamlit's check would look the machine up),
        # and no Origin at all (not a browser) are accepted
        for origin in (f"http://127.0.0.1:{port}", LISTED, None):
            status = handshake(port, origin)
            assert attempts(log) == [], origin
            assert " 101 " in status, origin
            assert http_get(port, "/_stcore/health", origin) == (200, "ok"), origin
        assert " 101 " in handshake(port, f"http://localhost:{port}", host=f"localhost:{port}")
        status, body = http_get(port, "/layar/data.json", LISTED)
        assert status == 200 and json.loads(body)["ok"] is True
        # every answer above came after the server's handling of that request (the handshake checks run
        # before the 101 or 403 is sent): whatever it tried is in the log by now
        assert attempts(log) == []
    log_text = (tmp_path / "streamlit.log").read_text()
    assert "Ditolak" in log_text                    # the refusals were logged by the server (ektp.origins)
    assert attempts(log) == []                      # nor at shutdown
