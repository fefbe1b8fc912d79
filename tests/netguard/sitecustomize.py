"""A network guard for a process a test starts: every attempt to reach another machine is logged and refused.

Python imports `sitecustomize` at start-up from its path; a test puts this folder first on PYTHONPATH of
the one process it watches (e.g. a `streamlit run serve.py`) and names a log file in NETGUARD_LOG. Without
NETGUARD_LOG this module does nothing.

Logged and refused (one JSON line per attempt in NETGUARD_LOG: the call, the target, the calling frames):
- a name resolution (socket.getaddrinfo, gethostbyname, gethostbyname_ex, gethostbyaddr) of any host but
  localhost or an IP address (a name lookup may ask a DNS server elsewhere; an address needs no lookup);
- socket.connect / connect_ex / sendto of an internet socket (TCP or UDP) to anything but a loopback
  address (127.0.0.0/8, ::1), by address or by name.
Unix sockets, loopback and binding a listening socket pass. This catches Python's own sockets (requests,
urllib, http.client, asyncio's default event loop); code that opens sockets in C (uvloop, not installed
here) would bypass it.
"""

from __future__ import annotations

import ipaddress
import json
import os
import socket
import traceback
from typing import Any

_LOG_PATH = os.environ.get("NETGUARD_LOG")


def _local(host: Any) -> bool:
    """A host whose use keeps to this machine: no host at all, localhost, a loopback or wildcard address."""
    if host is None or host in ("", b""):
        return True
    text = host.decode("ascii", "replace") if isinstance(host, bytes) else str(host)
    if text.lower().rstrip(".") == "localhost":
        return True
    try:
        address = ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    return address.is_loopback or address.is_unspecified


def _is_address(host: Any) -> bool:
    text = host.decode("ascii", "replace") if isinstance(host, bytes) else str(host)
    try:
        ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return False
    return True


def record(call: str, target: str) -> None:
    """Append one attempt to the log."""
    frames = traceback.extract_stack()[:-2][-8:]
    entry = {"pid": os.getpid(), "call": call, "target": target,
             "stack": [f"{f.filename}:{f.lineno} {f.name}" for f in frames]}
    with open(_LOG_PATH or os.devnull, "a", encoding="utf-8") as log:
        log.write(json.dumps(entry) + "\n")


def _install() -> None:
    original_getaddrinfo = socket.getaddrinfo
    original_gethostbyname = socket.gethostbyname
    original_gethostbyname_ex = socket.gethostbyname_ex
    original_gethostbyaddr = socket.gethostbyaddr
    original_connect = socket.socket.connect
    original_connect_ex = socket.socket.connect_ex
    original_sendto = socket.socket.sendto

    def refuse_lookup(call: str, host: Any) -> None:
        if not (_local(host) or (call != "gethostbyaddr" and _is_address(host))):
            record(call, str(host))
            raise socket.gaierror(socket.EAI_NONAME, f"netguard: {call}({host!r}) refused")

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        refuse_lookup("getaddrinfo", host)
        return original_getaddrinfo(host, *args, **kwargs)

    def gethostbyname(host: str) -> str:
        refuse_lookup("gethostbyname", host)
        return original_gethostbyname(host)

    def gethostbyname_ex(host: str) -> Any:
        refuse_lookup("gethostbyname_ex", host)
        return original_gethostbyname_ex(host)

    def gethostbyaddr(host: str) -> Any:
        refuse_lookup("gethostbyaddr", host)
        return original_gethostbyaddr(host)

    def off_machine(sock: socket.socket, address: Any) -> bool:
        return (sock.family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple)
                and not _local(address[0]))

    def connect(self: socket.socket, address: Any) -> None:
        if off_machine(self, address):
            record("connect", f"{address[0]}:{address[1]}")
            raise ConnectionRefusedError(f"netguard: connect to {address!r} refused")
        original_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        if off_machine(self, address):
            record("connect_ex", f"{address[0]}:{address[1]}")
            return 111   # ECONNREFUSED
        return original_connect_ex(self, address)

    def sendto(self: socket.socket, data: Any, *args: Any) -> int:
        address = args[-1]
        if off_machine(self, address):
            record("sendto", f"{address[0]}:{address[1]}")
            raise ConnectionRefusedError(f"netguard: sendto {address!r} refused")
        return original_sendto(self, data, *args)

    socket.getaddrinfo = getaddrinfo
    socket.gethostbyname = gethostbyname
    socket.gethostbyname_ex = gethostbyname_ex
    socket.gethostbyaddr = gethostbyaddr
    socket.socket.connect = connect            # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex      # type: ignore[method-assign]
    socket.socket.sendto = sendto              # type: ignore[method-assign,assignment]


if _LOG_PATH:
    _install()
