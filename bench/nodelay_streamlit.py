"""`streamlit` with TCP_NODELAY on every accepted connection (`python -m bench.api --tcp-nodelay`).

    python bench/nodelay_streamlit.py run serve.py ...

Streamlit 1.67 binds its listening socket itself (`socket.socket(family=…)`, protocol number 0), so the
connections it accepts have `sock.proto == 0`, and asyncio sets TCP_NODELAY only on sockets whose proto is
IPPROTO_TCP (asyncio.base_events._set_nodelay). Nagle's algorithm then stays on: an answer written in two
pieces (uvicorn writes the headers, then the body) waits for the client's delayed ACK, about 40 ms on Linux,
on every request after the first of a keep-alive connection. This launcher drops the proto check, for an A/B
against the server as it is (bench/README.md, "API di bawah beban / API under load").
"""

from __future__ import annotations

import asyncio.base_events
import os
import socket
import sys


def _set_nodelay(sock: socket.socket) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def main() -> None:
    asyncio.base_events._set_nodelay = _set_nodelay   # type: ignore[attr-defined]
    from streamlit.web.cli import main as streamlit_main

    # As `python -m streamlit` does: the working folder (the project) first on the path, not bench/.
    sys.path[0] = os.getcwd()
    sys.argv = ["streamlit", *sys.argv[1:]]
    streamlit_main()


if __name__ == "__main__":
    main()
