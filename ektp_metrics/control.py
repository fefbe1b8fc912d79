"""The running app's control socket: how the command line asks the app, which holds the database file, to
take a backup (DuckDB lets one process open a file for writing; the app is that process).

A Unix socket beside the database file (`data/ektp.duckdb.sock`), readable and writable by the file's
owner only (mode 0600): whoever may use the socket may already copy the database itself. One request per
connection, one JSON line each way:

    → {"perintah": "cadangkan", "ke": "/folder" or null, "oleh": "cli:nama"}
    ← {"ok": true, "cadangan": {...the backup's record...}}  |  {"ok": false, "pesan": "…"}
    → {"perintah": "status"}
    ← {"ok": true, "pid": 1234}
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

from ektp_metrics import backup
from ektp_metrics.db import Database, DatabaseUnavailable, WriteRefused

_LOG = logging.getLogger("ektp.kendali")
_MAX_REQUEST = 64 * 1024
# sockaddr_un holds 108 bytes; a longer path is reached through the folder's descriptor (Linux).
_SUN_PATH_MAX = 100


def socket_path(database: Path) -> Path:
    return database.with_name(database.name + ".sock")


@contextmanager
def _short(path: Path):
    """A name for `path` that fits a Unix socket address: the path itself, or /proc/self/fd/N/name."""
    if len(os.fsencode(path)) <= _SUN_PATH_MAX:
        yield str(path)
        return
    fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        yield f"/proc/self/fd/{fd}/{path.name}"
    finally:
        os.close(fd)


class Server:
    """Answers the control socket in a daemon thread, one request at a time."""

    def __init__(self, database: Path, open_db: Callable[[], Database]):
        self.path = socket_path(database)
        self.open_db = open_db
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    def start(self) -> bool:
        """Listen; False (logged) when the socket cannot be made (the app runs on without it)."""
        try:
            if self.path.exists() or self.path.is_socket():
                if _alive(self.path):
                    _LOG.error("soket kendali %s sudah dipakai proses lain", self.path)
                    return False
                self.path.unlink()   # left by a server that was killed
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            old = os.umask(0o177)    # created 0600: the owner only
            try:
                with _short(self.path) as address:
                    sock.bind(address)
            finally:
                os.umask(old)
            sock.listen(4)
        except OSError as exc:
            _LOG.error("soket kendali %s tidak bisa dibuat: %s", self.path, exc)
            return False
        self._sock = sock
        self._thread = threading.Thread(target=self._serve, name="ektp-kendali", daemon=True)
        self._thread.start()
        return True

    def stop(self) -> None:
        self._stopping.set()
        if self._sock is not None:
            try:
                self._sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self._sock.close()
        if self._thread is not None:
            self._thread.join(timeout=10)
        try:
            self.path.unlink()
        except OSError:
            pass

    def _serve(self) -> None:
        assert self._sock is not None
        while not self._stopping.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            with conn:
                try:
                    conn.settimeout(30)
                    request = _read_line(conn)
                    answer = self.handle(json.loads(request))
                except (OSError, ValueError) as exc:
                    answer = {"ok": False, "pesan": f"Permintaan tidak terbaca: {exc}"}
                try:
                    conn.sendall(json.dumps(answer, ensure_ascii=False, default=str).encode() + b"\n")
                except OSError:
                    pass

    def handle(self, request: dict) -> dict:
        if request.get("perintah") == "status":   # restore asks: is an app running on this file?
            return {"ok": True, "pid": os.getpid()}
        if request.get("perintah") != "cadangkan":
            return {"ok": False, "pesan": f"Perintah tidak dikenal: {request.get('perintah')!r}"}
        folder = Path(request["ke"]) if request.get("ke") else None
        who = str(request.get("oleh") or "cli")[:100]
        try:
            made = backup.take(self.open_db(), folder, by=who)
        except (backup.BackupFailed, WriteRefused, DatabaseUnavailable) as exc:
            return {"ok": False, "pesan": exc.message() if hasattr(exc, "message") else str(exc)}
        except Exception as exc:   # noqa: BLE001 - the app keeps running; the CLI prints the cause
            _LOG.exception("cadangan lewat soket kendali gagal")
            return {"ok": False, "pesan": f"Cadangan gagal: {exc}"}
        return {"ok": True, "cadangan": asdict(made) | {"path": str(made.path)}}


def _read_line(conn: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
        if len(data) > _MAX_REQUEST:
            raise ValueError("permintaan terlalu panjang")
    return data


def _alive(path: Path) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe, _short(path) as address:
            probe.settimeout(2)
            probe.connect(address)
        return True
    except OSError:
        return False


class NoApp(Exception):
    """No running app answers at the database's control socket."""


def ask(database: Path, request: dict, timeout: float = 600) -> dict:
    """Send one request to the app running on `database`; its answer. NoApp when none answers."""
    path = socket_path(database)
    if not path.exists():
        raise NoApp(str(path))
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn, _short(path) as address:
            conn.settimeout(timeout)
            conn.connect(address)
            conn.sendall(json.dumps(request).encode() + b"\n")
            answer = _read_line(conn)
    except (ConnectionRefusedError, FileNotFoundError) as exc:
        raise NoApp(str(path)) from exc
    return json.loads(answer)
