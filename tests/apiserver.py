"""The HTTP routes (the API, the lobby's JSON, the session cookies) served in this process by uvicorn on a free
port, without Streamlit: a real HTTP server for the API's tests and the command line's --url, in a fraction of
`streamlit run`'s start-up. The database is EKTP_DB, read at each request as the app reads it."""

from __future__ import annotations

import json
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.routing import BaseRoute

from ektp_metrics import db, web


@contextmanager
def api_server(routes: list[BaseRoute] | None = None) -> Iterator[str]:
    """Serve `routes` (default web.routes()) until the block ends; yields the base URL (http://127.0.0.1:PORT)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    app = Starlette(routes=web.routes() if routes is None else routes)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off",
                                           forwarded_allow_ips=web.FORWARDED_ALLOW_IPS))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            thread.join(0.01)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
        db.close_shared()


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def call(url: str, *, method: str = "GET", data: bytes | None = None, headers: dict[str, str] | None = None,
         token: str | None = None) -> Reply:
    """One request; any status comes back as a Reply (urllib raises for 4xx/5xx)."""
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return Reply(response.status, {k.lower(): v for k, v in response.headers.items()}, response.read())
    except urllib.error.HTTPError as error:
        return Reply(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())
