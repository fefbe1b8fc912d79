"""The command line's client of a running app's HTTP API (issue 20): `--url http://host:8501` makes `summary`,
`batches`, `cek`, `jadwal`, `import` and `backup` ask the app (ektp_metrics.api, /api/v1/…) instead of opening
the database file, which the running app holds. Standard library only (urllib), no Streamlit, no pandas.

An answer other than 2xx becomes a RemoteError carrying the command line's exit code (cli.py):
  no answer (connection refused, unknown host, timeout), 503, 502/504 from a proxy, 429  → 3 (unavailable)
  400, 404, 409, 413, 422 (the API's "pesan"), 401 (set EKTP_TOKEN), 403 (the API's "pesan")  → 2 (refused)
  anything else (500, an answer that is not the API's JSON)  → 1 (unexpected)
The token comes from EKTP_TOKEN (settings), never from an argument: it stays out of the process list and the
shell's history.
"""

from __future__ import annotations

import json
import urllib.parse
from typing import Any, ClassVar

from ektp_metrics import settings

API_PREFIX = "/api/v1"
TIMEOUT = 120.0            # seconds for a read (a cold national summary takes a few)
UPLOAD_TIMEOUT = 900.0     # seconds for an upload or a backup (a large file is checked and written in one go)
EXIT_UNEXPECTED, EXIT_INVALID, EXIT_UNAVAILABLE = 1, 2, 3

_REFUSED = (400, 404, 409, 413, 422)
_UNAVAILABLE = (429, 502, 503, 504)
_TOKEN_HOW = ("setel EKTP_TOKEN ke token API yang dibuat admin di halaman Pengguna / set EKTP_TOKEN to an API "
              "token made by an admin on Pengguna")


class RemoteError(Exception):
    """The app did not do what was asked: `exit_code` for the command line, the message in Bahasa Indonesia."""

    PREFIX: ClassVar[dict[int, str]] = {EXIT_INVALID: "Ditolak / refused",
                                        EXIT_UNAVAILABLE: "Tidak tersedia / unavailable",
                                        EXIT_UNEXPECTED: "Kesalahan tak terduga / unexpected error"}

    def __init__(self, exit_code: int, message: str, status: int | None = None):
        super().__init__(message)
        self.exit_code, self.status = exit_code, status

    def line(self) -> str:
        return f"{self.PREFIX[self.exit_code]}: {self}"


def check_base(text: str) -> str:
    """A base URL as --url takes it (http(s)://host[:port][/prefix]); ValueError with the reason otherwise."""
    parts = urllib.parse.urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{text!r} bukan alamat http(s)://host:port aplikasi")
    if parts.query or parts.fragment:
        raise ValueError(f"{text!r}: tanpa ?… atau #… (hanya http(s)://host:port[/awalan])")
    try:
        parts.port   # noqa: B018 - raises for a port that is not a number
    except ValueError:
        raise ValueError(f"{text!r}: port bukan angka") from None
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


class Client:
    """Requests to one app: `base` (e.g. http://host:8501, or with a prefix http://host/ektp), the token."""

    def __init__(self, base: str, token: str | None = None):
        self.base = check_base(base)
        self.token = token

    @classmethod
    def from_settings(cls, base: str) -> Client:
        return cls(base, settings.get("EKTP_TOKEN"))

    def url(self, path: str, params: dict[str, Any] | None = None) -> str:
        """The address of an endpoint; parameters that are None are left out, True/False become 1/0."""
        query = {k: (("1" if v else "0") if isinstance(v, bool) else str(v))
                 for k, v in (params or {}).items() if v is not None}
        return self.base + API_PREFIX + path + ("?" + urllib.parse.urlencode(query) if query else "")

    def need_token(self) -> None:
        """Before a request that needs a token (a write, a staff read): refused here without one."""
        if not self.token:
            raise RemoteError(EXIT_INVALID, f"perintah ini dengan --url perlu token API: {_TOKEN_HOW}.")

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.request("GET", path, params)[1]

    def request(self, method: str, path: str, params: dict[str, Any] | None = None, *, body: bytes | None = None,
                content_type: str | None = None, answers: tuple[int, ...] = (), timeout: float = TIMEOUT
                ) -> tuple[int, Any]:
        """(status, parsed JSON) of a 2xx answer, or of an answer whose status is in `answers` (e.g. 422 for
        a refused upload, whose body is the upload's result); any other answer raises RemoteError."""
        import http.client
        import urllib.error
        import urllib.request

        address = self.url(path, params)
        request = urllib.request.Request(address, data=body, method=method)
        request.add_header("Accept", "application/json")
        request.add_header("User-Agent", "ektp-metrics-cli")
        if content_type:
            request.add_header("Content-Type", content_type)
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:   # http(s) only (check_base)
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, _read(error)
            if status not in answers:
                raise self._refusal(status, raw) from None
        except (OSError, http.client.IncompleteRead, http.client.RemoteDisconnected) as exc:
            # URLError (refused, unknown host), TimeoutError, a connection reset: nobody answered
            raise RemoteError(EXIT_UNAVAILABLE, f"aplikasi di {self.base} tidak menjawab ({_reason(exc)}). "
                                                "Periksa --url dan apakah aplikasinya berjalan.") from None
        except http.client.HTTPException as exc:
            raise RemoteError(EXIT_UNEXPECTED, f"{self.base} tidak menjawab dengan HTTP yang dikenal "
                                               f"({type(exc).__name__}); apakah --url alamat aplikasinya?") from None
        try:
            return status, json.loads(raw)
        except ValueError:
            raise RemoteError(EXIT_UNEXPECTED, f"jawaban dari {address} (HTTP {status}) bukan JSON API dasbor; "
                                               "apakah --url alamat aplikasinya?", status) from None

    def _refusal(self, status: int, raw: bytes) -> RemoteError:
        galat = _galat(raw)
        said = galat.get("pesan") if galat else None
        if status == 401:
            why = said or "token tidak diterima"
            return RemoteError(EXIT_INVALID, f"{why} — {_TOKEN_HOW}." if self.token
                               else f"perlu token API: {_TOKEN_HOW}.", status)
        if said and status in (*_REFUSED, 403):
            return RemoteError(EXIT_INVALID, str(said), status)
        if status in _UNAVAILABLE:
            what = said or f"HTTP {status}"
            if status in (502, 504) and not said:
                what = f"aplikasi di {self.base} tidak menjawab (HTTP {status} dari proksi)"
            return RemoteError(EXIT_UNAVAILABLE, str(what), status)
        if status in (*_REFUSED, 403):   # a 4xx not from the API (another server at that address)
            return RemoteError(EXIT_INVALID, f"HTTP {status} dari {self.base}: bukan API dasbor? Periksa --url.",
                               status)
        return RemoteError(EXIT_UNEXPECTED, f"HTTP {status} dari {self.base}" + (f": {said}" if said else ""), status)


def _read(error: Any) -> bytes:
    try:
        return bytes(error.read())
    except OSError:
        return b""


def _galat(raw: bytes) -> dict[str, Any] | None:
    """The API's error body {"galat": {"kode", "pesan", "message", …}}, or None for another body."""
    try:
        parsed = json.loads(raw)
    except ValueError:
        return None
    galat = parsed.get("galat") if isinstance(parsed, dict) else None
    return galat if isinstance(galat, dict) else None


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None)   # urllib.error.URLError wraps the socket's error
    cause = reason if isinstance(reason, BaseException) else exc
    if isinstance(cause, ConnectionRefusedError):
        return "koneksi ditolak / connection refused"
    if isinstance(cause, TimeoutError):
        return "waktu habis / timed out"
    import socket

    if isinstance(cause, socket.gaierror):
        return "nama host tidak dikenal / unknown host"
    return str(reason or exc) or type(cause).__name__
