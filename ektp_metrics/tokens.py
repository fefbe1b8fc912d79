"""API tokens (issue 20): how a script acts for a user on the HTTP API (ektp_metrics.api). No Streamlit here.

An admin makes a token for a user on Pengguna: a random secret of 256 bits, shown once, `ektp_` + base64url. The database keeps only its SHA-256, with a name (what it is for),
who made it, when it ends (DEFAULT_DAYS unless the admin chooses, at most MAX_DAYS) and when it was last used. A script
sends it as `Authorization: Bearer ektp_…`; it acts with its user's role (auth.PERMISSIONS), now, not the
role the user had when it was made. It stops working when it expires, when an admin revokes it, and while
its account is disabled. Making and revoking are audited; using one is not (last_used_at says when).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from dataclasses import dataclass

import pandas as pd

from ektp_metrics import auth, fields
from ektp_metrics.db import Database, WriteRefused, audit

_LOG = logging.getLogger("ektp.token")

PREFIX = "ektp_"
DEFAULT_DAYS = 90
MAX_DAYS = 366
TOUCH_SECONDS = 60        # last_used_at is written at most this often per token (a write costs a checkpoint)


class TokenError(ValueError):
    """A token that cannot be made or revoked; `code` selects the message (i18n 'token_<code>')."""

    def __init__(self, code: str, **params: object):
        self.code, self.params = code, params
        super().__init__(code)


@dataclass(frozen=True)
class Checked:
    """A token looked up: the user it acts for, or why it does not work (`refused`: tidak_ada, kedaluwarsa,
    dicabut, nonaktif)."""

    user: auth.User | None
    token_id: int | None = None
    refused: str | None = None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)   # naive UTC, as the database stores moments


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create(db: Database, username: str, name: str, days: int = DEFAULT_DAYS, *, by: str, role: str | None,
           now: dt.datetime | None = None) -> tuple[int, str]:
    """A new token for `username` made by `by` (whose role must manage users): (its id, the secret, which
    exists nowhere else once the caller has shown it)."""
    auth.require(role, "manage_users")
    try:
        name = fields.text("token_name", name)
    except fields.TooLong as exc:
        raise TokenError("name_too_long", n=exc.length, batas=exc.limit) from None
    if not name:
        raise TokenError("name_required")
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise TokenError("bad_days", maks=MAX_DAYS)
    now = now or _now()
    secret = PREFIX + secrets.token_urlsafe(32)
    with db.transaction() as cur:
        row = cur.execute("SELECT active FROM users WHERE username = ?", [username]).fetchone()
        if row is None:
            raise TokenError("unknown_user", user=username)
        if not row[0]:
            raise TokenError("inactive_user", user=username)
        made = cur.execute("""INSERT INTO api_tokens (token_hash, username, nama, created_at, created_by, expires_at)
                              VALUES (?, ?, ?, ?, ?, ?) RETURNING id""",
                           [token_hash(secret), username, name, now, by, now + dt.timedelta(days=days)]).fetchone()
        assert made is not None   # RETURNING of one inserted row
        token_id = made[0]
        audit(cur, by, "token_dibuat", username, f"token {token_id} \u201c{name}\u201d, {days} hari")
    return int(token_id), secret


def revoke(db: Database, token_id: int, *, by: str, role: str | None, now: dt.datetime | None = None) -> None:
    """End a token now (it stays listed, revoked)."""
    auth.require(role, "manage_users")
    with db.transaction() as cur:
        row = cur.execute("""UPDATE api_tokens SET revoked_at = ?, revoked_by = ?
                             WHERE id = ? AND revoked_at IS NULL RETURNING username, nama""",
                          [now or _now(), by, token_id]).fetchone()
        if row is None:
            raise TokenError("unknown_token", id=token_id)
        audit(cur, by, "token_dicabut", row[0], f"token {token_id} \u201c{row[1]}\u201d")


def check(db: Database, secret: str, *, now: dt.datetime | None = None) -> Checked:
    """Whom a presented secret acts for now. A working token is marked used (at most every TOUCH_SECONDS)."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return Checked(None, refused="tidak_ada")
    now = now or _now()
    row = db.fetch_one("""SELECT t.id, t.expires_at, t.revoked_at, t.last_used_at, u.username, u.display_name,
                                 u.role, u.active
                          FROM api_tokens t LEFT JOIN users u USING (username) WHERE t.token_hash = ?""",
                       [token_hash(secret)])
    if row is None:
        return Checked(None, refused="tidak_ada")
    token_id, expires_at, revoked_at, last_used, username, display, role, active = row
    if revoked_at is not None:
        return Checked(None, token_id, "dicabut")
    if now >= expires_at:
        return Checked(None, token_id, "kedaluwarsa")
    if username is None or not active:
        return Checked(None, token_id, "nonaktif")
    if last_used is None or now - last_used > dt.timedelta(seconds=TOUCH_SECONDS):
        try:
            with db.transaction(bookkeeping=True) as cur:
                cur.execute("UPDATE api_tokens SET last_used_at = ? WHERE id = ?", [now, token_id])
        except WriteRefused as exc:   # the request is answered all the same
            _LOG.warning("token: waktu pemakaian tidak tersimpan (%s)", exc.reason)
    return Checked(auth.User(username, display, role), int(token_id))


def listing(db: Database, username: str | None = None, *, now: dt.datetime | None = None) -> pd.DataFrame:
    """Every token (of one user), newest first: id, username, nama, created_at, created_by, expires_at,
    last_used_at, revoked_at, revoked_by (moments in UTC, naive) and status: what `check` would answer now,
    in the same order (dicabut, kedaluwarsa, nonaktif: its account is disabled or gone; else aktif)."""
    return db.fetch_df("""
        SELECT t.id, t.username, t.nama, t.created_at, t.created_by, t.expires_at, t.last_used_at, t.revoked_at,
               t.revoked_by,
               CASE WHEN t.revoked_at IS NOT NULL THEN 'dicabut'
                    WHEN t.expires_at <= $now THEN 'kedaluwarsa'
                    WHEN u.active IS DISTINCT FROM TRUE THEN 'nonaktif' ELSE 'aktif' END AS status
        FROM api_tokens t LEFT JOIN users u ON u.username = t.username
        WHERE $user::VARCHAR IS NULL OR t.username = $user::VARCHAR
        ORDER BY t.id DESC""", {"now": now or _now(), "user": username})


REVOCABLE = ("aktif", "nonaktif")   # a token of a disabled account works again once it is enabled: revocable


def usage(secret: str, base_url: str) -> tuple[str, str]:
    """How a script presents `secret` to the app at `base_url`: the HTTP header, and the command line that
    uploads to the running app (shown once, beside the secret, on Pengguna)."""
    base = base_url.rstrip("/")
    return (f"Authorization: Bearer {secret}",
            f"EKTP_TOKEN={secret} python -m ektp_metrics import --url {base} laporan_harian.csv")
