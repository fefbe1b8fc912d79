"""Signed-in browsers (issue 19): the session cookie, the device cookie, and the client's address.

No Streamlit here. The pages (pages/_session.py) and the HTTP routes that set and clear the cookies
(ektp_metrics/web.py, served beside Streamlit by serve.py) both use these functions.

Signing in, step by step:
1. the login form (a Streamlit page) checks the password (auth.PasswordStore.login) and calls `start`: a new
   session in the database, kept by this Streamlit session at once (its id hash in st.session_state), and a
   one-time ticket for the browser;
2. the page sends the browser to `sesi/mulai?tiket=…&lanjut=<page>`; that route (`Tickets.redeem`) answers
   with the session cookie (and the account's device cookie) and sends the browser back to the page;
3. every page run, in every tab, reads the cookie (st.context.cookies) and asks `check`: a session that
   ended (signed out in another tab, idle too long, account disabled, password reset or changed) signs the
   tab out at its next action.

Cookies (README, "Sesi dan cookie"):
- `ektp_sesi`: the session's random id (256 bits, base64url); HttpOnly, SameSite=Strict, Path=/, Secure over
  HTTPS; no expiry date (the browser drops it when it closes); the server ends it after EKTP_SESSION_MINUTES
  without activity. The database keeps only its SHA-256.
- `ektp_perangkat`: for each account (up to five) that signed in successfully in this browser, the account's
  name, a random device id and an HMAC-SHA256 signature under a key kept in the database; HttpOnly,
  SameSite=Strict, one year. Failures from a browser without it never lock this one out (OWASP,
  "Slow down online guessing attacks with device cookies").
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import ipaddress
import logging
import secrets
import threading
import time
from dataclasses import dataclass

from ektp_metrics import settings
from ektp_metrics.db import Database, WriteRefused, audit, one_value

_LOG = logging.getLogger("ektp.sesi")

SESSION_COOKIE = "ektp_sesi"
DEVICE_COOKIE = "ektp_perangkat"
DEVICE_DAYS = 365
MAX_DEVICES = 5                  # account entries in one browser's device cookie
TICKET_SECONDS = 60              # a ticket not redeemed within this is void
TOUCH_SECONDS = 60               # last_seen_at is written at most this often per session (or a quarter of the idle time)
_DEVICE_KEY = "kunci_cookie_perangkat"   # app_settings key of the device cookies' HMAC key

# Why a session ended (sessions.end_reason): signed out, idle too long, account disabled, password reset or changed.
END_REASONS = ("keluar", "kedaluwarsa", "nonaktif", "kata_sandi")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)   # naive UTC, as the database stores moments


def token_hash(token: str) -> str:
    """The SHA-256 (hex) of a session cookie's value: what the database keeps."""
    return hashlib.sha256(token.encode()).hexdigest()


def idle_limit() -> dt.timedelta:
    return dt.timedelta(minutes=settings.number("EKTP_SESSION_MINUTES"))


# ------------------------------------------------------------------ sessions

def start(db: Database, username: str, *, client: str = "", now: dt.datetime | None = None) -> tuple[str, str]:
    """A new session for `username` (whose password was just checked): (its id hash, a one-time ticket that
    the browser redeems at sesi/mulai for the cookie). The raw id exists only in the ticket's memory until
    then, and afterwards only in the browser's cookie."""
    token = secrets.token_urlsafe(32)
    now = now or _now()
    with db.transaction(bookkeeping=True) as cur:
        cur.execute("""INSERT INTO sessions (id_hash, username, started_at, last_seen_at, client)
                       VALUES (?, ?, ?, ?, ?)""", [token_hash(token), username, now, now, client or None])
    return token_hash(token), TICKETS.issue(token, username)


@dataclass(frozen=True)
class Checked:
    """A session looked up: `username` when it is valid, else `ended` (a key of NOTICES, or 'tidak_ada')."""
    username: str | None
    ended: str | None = None


def check(db: Database, id_hash: str, *, now: dt.datetime | None = None) -> Checked:
    """Whether the session is valid now; an idle one is ended here (with reason 'kedaluwarsa'). A valid one
    is marked seen (at most every TOUCH_SECONDS: a write costs a checkpoint)."""
    now = now or _now()
    row = db.fetch_one("SELECT username, last_seen_at, ended_at, end_reason FROM sessions WHERE id_hash = ?",
                       [id_hash])
    if row is None:
        return Checked(None, "tidak_ada")
    username, last_seen, ended_at, reason = row
    if ended_at is not None:
        return Checked(None, reason)
    limit = idle_limit()
    if now - last_seen > limit:
        end(db, id_hash, "kedaluwarsa", now=now)
        return Checked(None, "kedaluwarsa")
    if now - last_seen > min(dt.timedelta(seconds=TOUCH_SECONDS), limit / 4):
        try:
            with db.transaction(bookkeeping=True) as cur:
                cur.execute("UPDATE sessions SET last_seen_at = ? WHERE id_hash = ? AND ended_at IS NULL",
                            [now, id_hash])
        except WriteRefused as exc:   # the page says what is wrong with the file; the session stays valid
            _LOG.warning("sesi: waktu aktivitas tidak tersimpan (%s)", exc.reason)
    return Checked(username)


def end(db: Database, id_hash: str, reason: str, *, now: dt.datetime | None = None) -> str | None:
    """End one session (if it is still open): the user it was for, else None. Signing out is audited."""
    with db.transaction(bookkeeping=True) as cur:
        row = cur.execute("""UPDATE sessions SET ended_at = ?, end_reason = ?
                             WHERE id_hash = ? AND ended_at IS NULL RETURNING username""",
                          [now or _now(), reason, id_hash]).fetchone()
        username = row[0] if row else None
        if username is not None:
            audit(cur, username, "logout", None, {"keluar": None}.get(reason, f"sesi berakhir: {reason}"))
    return username


def end_all(cur, username: str, reason: str, *, keep: str | None = None) -> int:
    """Inside the caller's transaction (an account change): end every open session of `username` but `keep`
    (the id hash of the session that made the change); how many ended."""
    ended = cur.execute("""UPDATE sessions SET ended_at = ?, end_reason = ?
                           WHERE username = ? AND ended_at IS NULL AND id_hash IS DISTINCT FROM ?
                           RETURNING 1""", [_now(), reason, username, keep]).fetchall()
    return len(ended)


# ------------------------------------------------------------------ tickets

class Tickets:
    """One-time tickets from the login form (a Streamlit run, which cannot set a cookie) to the cookie route
    (an HTTP response, which can). In this process's memory only: a ticket is void after TICKET_SECONDS, after
    its one use, and at a restart (the person then signs in again)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: dict[str, tuple[float, str, str]] = {}

    def issue(self, token: str, username: str) -> str:
        ticket = secrets.token_urlsafe(32)
        with self._lock:
            moment = time.monotonic()
            self._open = {k: v for k, v in self._open.items() if v[0] > moment}   # drop the void ones
            self._open[hashlib.sha256(ticket.encode()).hexdigest()] = (moment + TICKET_SECONDS, token, username)
        return ticket

    def redeem(self, ticket: str) -> tuple[str, str] | None:
        """(the session cookie's value, the user name), once; None for an unknown, used or void ticket."""
        with self._lock:
            found = self._open.pop(hashlib.sha256(ticket.encode()).hexdigest(), None)
        if found is None or found[0] < time.monotonic():
            return None
        return found[1], found[2]


TICKETS = Tickets()


# ------------------------------------------------------------------ device cookies

def _device_key(db: Database) -> bytes:
    """The device cookies' HMAC key (256 bits), made at its first use and kept in app_settings."""
    key = db.fetch_value("SELECT max(value) FROM app_settings WHERE key = ?", [_DEVICE_KEY])
    if key is None:
        with db.transaction() as cur:
            cur.execute("INSERT INTO app_settings (key, value) VALUES (?, ?) ON CONFLICT DO NOTHING",
                        [_DEVICE_KEY, secrets.token_hex(32)])
            key = one_value(cur, "SELECT value FROM app_settings WHERE key = ?", [_DEVICE_KEY])
    return bytes.fromhex(key)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(key: bytes, username: str, device: str) -> str:
    return _b64(hmac.new(key, f"{username}\n{device}".encode(), hashlib.sha256).digest())


def _entries(cookie: str | None) -> list[tuple[str, str, str]]:
    """(user name, device id, signature) of each well-formed entry of a device cookie, unchecked."""
    found = []
    for entry in (cookie or "").split("~")[:MAX_DEVICES]:
        parts = entry.split(".")
        if len(parts) != 3:
            continue
        try:
            username = _unb64(parts[0]).decode()
        except (ValueError, UnicodeDecodeError):
            continue
        found.append((username, parts[1], parts[2]))
    return found


def trusted_device(db: Database, cookie: str | None, username: str) -> str | None:
    """The device id this browser's device cookie holds for `username`, when its signature is right; else None."""
    entries = [e for e in _entries(cookie) if e[0] == username]
    if not entries:
        return None
    key = _device_key(db)
    for name, device, signature in entries:
        if hmac.compare_digest(signature, _signature(key, name, device)):
            return device
    return None


def device_cookie(db: Database, cookie: str | None, username: str) -> str:
    """The device cookie's new value after `username` signed in: a new signed entry for that account first,
    the browser's other accounts' entries after it (at most MAX_DEVICES)."""
    key = _device_key(db)
    device = secrets.token_urlsafe(16)
    mine = f"{_b64(username.encode())}.{device}.{_signature(key, username, device)}"
    others = [f"{_b64(n.encode())}.{d}.{s}" for n, d, s in _entries(cookie) if n != username]
    return "~".join([mine, *others][:MAX_DEVICES])


# ------------------------------------------------------------------ the client's address

def trusted_proxies() -> frozenset[str]:
    """EKTP_TRUSTED_PROXY: the addresses of the reverse proxies whose X-Forwarded-For is believed."""
    return frozenset(p.strip() for p in (settings.get("EKTP_TRUSTED_PROXY") or "").split(",") if p.strip())


def client_address(peer: str | None, forwarded_for: str | None) -> str:
    """The client's address as the audit log records it: the connection's own address, or, when that is a
    proxy named in EKTP_TRUSTED_PROXY, the last address in X-Forwarded-For that is not a trusted proxy
    (the entries before it are whatever the client wrote). '' when it is no address."""
    proxies = trusted_proxies()
    address = peer or "127.0.0.1"   # Streamlit gives no address for a connection from this machine
    if address in proxies and forwarded_for:
        for hop in reversed([h.strip() for h in forwarded_for.split(",")]):
            if hop not in proxies:
                address = hop
                break
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return ""
