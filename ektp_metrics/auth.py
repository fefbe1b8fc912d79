"""Accounts, roles and login: the one authentication interface of the app.

`Authenticator` is what the pages use. `PasswordStore` implements it with argon2 hashes in DuckDB, a
lockout after repeated failures, and an audit entry for every login, failure and account change. An
identity provider (OIDC through Streamlit's st.login) can replace it by providing the same three calls
(see README, "Akun dan peran"): the rest of the app only sees `User` and `can`.

Who may do what is one table, PERMISSIONS: every action names, role by role, whether that role may do it.
The pages (which page shows, which form), the command line and the domain functions all ask `can`; a
domain function called for a role that may not raises NotAllowed before it writes anything. A role that
is not in the table, and None (not signed in), may do nothing: permissions fail closed.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Literal, Protocol, get_args

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from ektp_metrics import fields, formatting, sessions, settings
from ektp_metrics.db import Database, audit

ROLES = ("admin", "operator", "pimpinan")
Action = Literal["view_dashboards", "view_quality", "upload", "set_targets", "edit_schedule", "view_history",
                 "revert_own", "revert_any", "reconcile", "add_published", "manage_users", "backup", "edit_texts",
                 "change_own_password"]
ACTIONS: tuple[Action, ...] = get_args(Action)
# Who may do what, one row per action, one column per role of ROLES. Every cell is decided; a role not in
# ROLES and None (not signed in) may do nothing (the dashboards without a login are may_open's, below).
PERMISSIONS: dict[Action, tuple[bool, bool, bool]] = {
    #                    admin  operator pimpinan
    "view_dashboards":  (True,  True,    True),    # Ringkasan, Wilayah, Distribusi, Keliling (read)
    "view_quality":     (True,  True,    True),    # Kualitas (read)
    "upload":           (True,  True,    False),   # Unggah; the command line's import
    "set_targets":      (True,  False,   False),   # a rekap with wajib KTP: a new target version
    "edit_schedule":    (True,  True,    False),   # the Keliling editor (a schedule from a day on)
    "view_history":     (True,  True,    False),   # Riwayat: batches and their rows
    "revert_own":       (True,  True,    False),   # revert a batch one saved oneself
    "revert_any":       (True,  False,   False),   # revert anyone's batch
    "reconcile":        (True,  True,    False),   # Kualitas: a central recap, reasons for a difference
    "add_published":    (True,  False,   False),   # Kualitas: a published figure
    "manage_users":     (True,  False,   False),   # Pengguna: accounts and the audit log
    "backup":           (True,  False,   False),   # Pengguna: a backup now
    "edit_texts":       (True,  False,   False),   # Pengguna: the lobby screen's texts
    "change_own_password": (True, True,  True),    # Akun saya: one's own password
}
# What to do (Bahasa Indonesia) for NotAllowed's message: "hanya admin yang <text>".
ACTION_TEXT: dict[Action, str] = {
    "view_dashboards": "melihat dasbor", "view_quality": "melihat kualitas data", "upload": "mengunggah data",
    "set_targets": "mengubah wajib KTP", "edit_schedule": "mengubah jadwal keliling",
    "view_history": "melihat riwayat unggahan", "revert_own": "membatalkan unggahannya sendiri",
    "revert_any": "membatalkan unggahan siapa pun", "reconcile": "mengubah data rekonsiliasi",
    "add_published": "menambah angka publikasi", "manage_users": "mengelola pengguna",
    "backup": "membuat cadangan", "edit_texts": "mengubah teks layar",
    "change_own_password": "mengganti kata sandinya sendiri",
}
# The pages that need an action; pages not listed are the dashboards: open, or view_dashboards when
# EKTP_EXEC_LOGIN=1. The public screen (layar) never needs a login.
PAGE_ACTIONS: dict[str, Action] = {
    "unggah": "upload",
    "isi": "upload",        # Isi angka harian: the daily upload typed in a form (issue 21)
    "riwayat": "view_history",
    "pengguna": "manage_users",
    "kualitas": "view_quality",
    "akun": "change_own_password",
}
PUBLIC_PAGES = ("layar",)
MIN_PASSWORD = 10
MAX_USERNAME, MAX_PASSWORD = 64, 256
# Letters, digits, . _ - and @ + (an e-mail address, for an identity provider later).
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@+-]{1,63}$")
_hasher = PasswordHasher()   # argon2id with the library's current recommended parameters


@functools.cache
def _dummy_hash() -> str:
    """Verified when the user does not exist, so that an unknown name takes as long as a wrong password.
    Made once per process when the first PasswordStore is (not at import: `import` and other commands
    that never check a password do not pay for an argon2 hash)."""
    return _hasher.hash("tidak-ada-pengguna-ini")


@dataclass(frozen=True)
class User:
    username: str
    display_name: str
    role: str
    # When the password was last set: a session started before a reset is ended (compare=False keeps
    # two views of the same account equal).
    password_set_at: dt.datetime | None = field(default=None, compare=False)


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    reason: str                       # 'ok', 'wrong', 'locked', 'disabled'
    retry_at: dt.datetime | None = None


class AccountError(Exception):
    """An account change that cannot be made; `code` selects the message (i18n 'account_<code>')."""

    def __init__(self, code: str, **params: object):
        self.code = code
        self.params = params
        super().__init__(code)


class NotAllowed(Exception):
    """A role asked a domain function for an action it may not do (see PERMISSIONS); nothing was written.

    Not a PermissionError (an OSError: a file's permission): this is the app's own rule. The message is
    Bahasa Indonesia ("hanya admin yang menambah angka publikasi")."""

    def __init__(self, role: str | None, action: Action):
        self.role = role
        self.action = action
        allowed = [r for r in ROLES if can(r, action)]
        who = " dan ".join(allowed) if allowed else "tidak seorang pun"
        super().__init__(f"hanya {who} yang {ACTION_TEXT[action]}")


def can(role: str | None, action: Action) -> bool:
    """Whether someone with `role` may do `action`: PERMISSIONS. An unknown role and None may not; an
    unknown action is a programming error (ValueError), never a permission."""
    if action not in PERMISSIONS:
        raise ValueError(f"unknown action {action!r}")
    return role in ROLES and PERMISSIONS[action][ROLES.index(role)]


def require(role: str | None, action: Action) -> None:
    """NotAllowed unless `role` may do `action`: the first line of a domain function that writes."""
    if not can(role, action):
        raise NotAllowed(role, action)


class Authenticator(Protocol):
    """What the app needs from an identity source (see README for replacing it with OIDC)."""

    def login(self, username: str, password: str, *, client: str = "", device_cookie: str | None = None,
              now: dt.datetime | None = None) -> LoginResult: ...
    def get(self, username: str) -> User | None: ...


def may_open(role: str | None, page: str) -> bool:
    """Whether someone with `role` (None: not logged in) may open `page` (its url path)."""
    if page in PUBLIC_PAGES:
        return True
    if page in PAGE_ACTIONS:
        return can(role, PAGE_ACTIONS[page])
    if role is None:
        return settings.get("EKTP_EXEC_LOGIN") != "1"
    return can(role, "view_dashboards")


def may_revert(user: User, batch_user: str) -> bool:
    """Admins revert any batch; operators only their own (revert_any, revert_own)."""
    return can(user.role, "revert_any") or (can(user.role, "revert_own") and user.username == batch_user)


def _locked_until(failed_at: list[dt.datetime], failures: int, window: dt.timedelta) -> dt.datetime | None:
    """End of the latest lock: `failures` failures within `window` lock until `window` after the last of them."""
    until = None
    for i in range(failures - 1, len(failed_at)):
        if failed_at[i] - failed_at[i - failures + 1] <= window:
            until = failed_at[i] + window
    return until


def _window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.number("EKTP_LOCKOUT_MINUTES"))


class UnknownNames:
    """Failures at names that are no account, so that they lock like an account's (a different answer would
    tell which names exist): in this process's memory, for at most `limit` names (the least recent is
    forgotten first), never in the database. A restart forgets them."""

    def __init__(self, limit: int = 1000):
        self.limit = limit
        self._lock = threading.Lock()
        self._failed: OrderedDict[str, list[dt.datetime]] = OrderedDict()

    def fail(self, username: str, now: dt.datetime) -> dt.datetime | None:
        """Count a failure at `username`: the end of the lock it is under (then or before), else None."""
        failures = int(settings.number("EKTP_LOCKOUT_FAILURES"))
        window = _window()
        with self._lock:
            times = [t for t in self._failed.pop(username, []) if t > now - 2 * window]
            locked_until = _locked_until(times, failures, window)
            if locked_until is None or now >= locked_until:   # a refused attempt is not counted, as for accounts
                times = [*times, now][-failures:]
            self._failed[username] = times
            while len(self._failed) > self.limit:
                self._failed.popitem(last=False)
        locked_until = _locked_until(times, failures, window)
        return locked_until if locked_until is not None and now < locked_until else None


UNKNOWN_NAMES = UnknownNames()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError("password_short", min=MIN_PASSWORD)


def check_username(username: str) -> str:
    """The normalised user name (lower case), or AccountError('bad_username')."""
    username = username.strip().lower()
    if not _USERNAME.match(username):
        raise AccountError("bad_username")
    return username


def check_new_account(username: str, role: str, password: str) -> str:
    """The rules PasswordStore.add applies before it touches the database (AccountError when one fails);
    the normalised user name. `init` checks the first admin with it before it creates anything."""
    username = check_username(username)
    if role not in ROLES:
        raise AccountError("bad_role", roles=", ".join(ROLES))
    _check_password(password)
    return username


class PasswordStore:
    """Users with argon2 password hashes in the database."""

    def __init__(self, db: Database):
        self.db = db
        _dummy_hash()   # before any login, so the first unknown name is not slower than the others

    # ------------------------------------------------------------------ login
    def login(self, username: str, password: str, *, client: str = "", device_cookie: str | None = None,
              now: dt.datetime | None = None) -> LoginResult:
        """Check a password; refuse while locked; count failures. Every attempt at an account is logged.

        The lockout follows OWASP's device cookies (sessions.trusted_device): a browser in which this account
        signed in before carries a signed device cookie for it, and its failures count against that device
        alone; failures from every other client count together, and `EKTP_LOCKOUT_FAILURES` of them within
        `EKTP_LOCKOUT_MINUTES` lock out every client without the cookie. So a stranger's guesses lock out
        strangers, never the owner's browser. A name that is no account is answered like a wrong password,
        after the same argon2 work; it is counted per day (login_unknown), never a row per attempt.
        """
        now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)   # naive UTC, as the database stores moments
        username = username.strip().lower()
        if not _USERNAME.match(username) or len(password) > MAX_PASSWORD:
            verify_password(_dummy_hash(), password[:MAX_PASSWORD])
            return LoginResult(None, "wrong")
        device = sessions.trusted_device(self.db, device_cookie, username) if device_cookie else None
        with self.db.transaction(bookkeeping=True) as cur:   # attempts and sign-ins change no figure
            row = cur.execute("""SELECT display_name, role, password_hash, active, password_set_at
                                 FROM users WHERE username = ?""", [username]).fetchone()
            if row is None:
                return self._unknown(cur, username, password, now)
            locked_until, recent = self._lock_state(cur, username, device, now)
            if locked_until is not None:
                audit(cur, username, "login_terkunci", None, f"coba lagi {formatting.pukul(locked_until)}")
                return LoginResult(None, "locked", locked_until)
            found = row if verify_password(row[2], password) else None
            if found is not None and not found[3]:
                audit(cur, username, "login_gagal", None, "akun nonaktif")
                return LoginResult(None, "disabled")
            cur.execute("""INSERT INTO login_attempts (username, attempted_at, success, client, device)
                           VALUES (?, ?, ?, ?, ?)""", [username, now, found is not None, client, device])
            failures = int(settings.number("EKTP_LOCKOUT_FAILURES"))
            if found is None:
                where = "perangkat tepercaya" if device else "perangkat tanpa cookie perangkat"
                audit(cur, username, "login_gagal", None, f"percobaan {recent + 1} dari {failures}, {where}")
                if recent + 1 >= failures:
                    return LoginResult(None, "locked", now + _window())
                return LoginResult(None, "wrong")
            if _hasher.check_needs_rehash(found[2]):
                cur.execute("UPDATE users SET password_hash = ? WHERE username = ?", [hash_password(password), username])
            audit(cur, username, "login", None, client or None)
            return LoginResult(User(username, found[0], found[1], found[4]), "ok")

    @staticmethod
    def _lock_state(cur, username: str, device: str | None, now: dt.datetime) -> tuple[dt.datetime | None, int]:
        """(the end of the lock in force, or None; the failures within the window) for this account and lane:
        the trusted device `device`, or every client without a device cookie (None). A lane's failures count
        from its last success (an admin's reset is a success of the lane without a device cookie)."""
        failures = int(settings.number("EKTP_LOCKOUT_FAILURES"))
        window = _window()
        recent = [r[0] for r in cur.execute("""
            SELECT attempted_at FROM login_attempts
            WHERE username = $u AND device IS NOT DISTINCT FROM $d AND NOT success AND attempted_at > $since
              AND attempted_at > coalesce((SELECT max(attempted_at) FROM login_attempts
                                           WHERE username = $u AND success AND device IS NOT DISTINCT FROM $d),
                                          TIMESTAMP '1970-01-01')
            ORDER BY attempted_at""", {"u": username, "d": device, "since": now - 2 * window}).fetchall()]
        locked_until = _locked_until(recent, failures, window)
        if locked_until is not None and now < locked_until:
            return locked_until, len(recent)
        return None, len([t for t in recent if t > now - window])

    def _unknown(self, cur, username: str, password: str, now: dt.datetime) -> LoginResult:
        """A well-formed name that is no account: the same argon2 work and the same answers as for an account
        (wrong, then locked after EKTP_LOCKOUT_FAILURES: UNKNOWN_NAMES, in memory and bounded), one counter a
        day in the database (login_unknown) and no audit row: a script cannot fill a table."""
        verify_password(_dummy_hash(), password)
        cur.execute("""INSERT INTO login_unknown (day, attempts) VALUES (?, 1)
                       ON CONFLICT (day) DO UPDATE SET attempts = login_unknown.attempts + 1""", [now.date()])
        locked_until = UNKNOWN_NAMES.fail(username, now)
        return LoginResult(None, "wrong") if locked_until is None else LoginResult(None, "locked", locked_until)

    def change_password(self, user: User, old: str, new: str, repeat: str, *, session: str | None,
                        client: str = "", device_cookie: str | None = None) -> int:
        """A signed-in user's own new password: the old one must be right (a wrong one counts as a failed
        login, so a session left open cannot be used to guess it), the new one follows the rules of
        `users add`, differs from the old one and is typed the same twice. Audited; every other session of
        the user ends (`session`, the id hash of the one that asked, stays). How many sessions ended."""
        require(user.role, "change_own_password")
        if new != repeat:
            raise AccountError("password_mismatch")
        _check_password(new)
        if new == old:
            raise AccountError("password_same")
        checked = self.login(user.username, old, client=client, device_cookie=device_cookie)
        if checked.user is None:
            if checked.reason == "locked" and checked.retry_at is not None:
                raise AccountError("password_locked", retry_at=checked.retry_at)
            raise AccountError("password_old_wrong")
        with self.db.transaction() as cur:
            cur.execute("UPDATE users SET password_hash = ?, password_set_at = current_timestamp WHERE username = ?",
                        [hash_password(new), user.username])
            ended = sessions.end_all(cur, user.username, "kata_sandi", keep=session)
            audit(cur, user.username, "kata_sandi_diganti", user.username,
                  f"{ended} sesi lain diakhiri" if ended else None)
        return ended

    def get(self, username: str) -> User | None:
        """The active user of that name (None when missing or disabled): checked on every page run."""
        row = self.db.fetch_one("SELECT display_name, role, password_set_at FROM users WHERE username = ? AND active",
                                [username])
        return User(username, row[0], row[1], row[2]) if row else None

    # ------------------------------------------------------------------ accounts
    def add(self, username: str, display_name: str, role: str, password: str, *, by: str) -> User:
        username = check_new_account(username, role, password)
        try:
            display_name = fields.text("display_name", display_name)
        except fields.TooLong as exc:
            raise AccountError("name_too_long", batas=exc.limit, n=exc.length) from None
        with self.db.transaction() as cur:
            if cur.execute("SELECT 1 FROM users WHERE username = ?", [username]).fetchone():
                raise AccountError("exists", username=username)
            cur.execute("""INSERT INTO users (username, display_name, role, password_hash, created_by)
                           VALUES (?, ?, ?, ?, ?)""",
                        [username, display_name or username, role, hash_password(password), by])
            audit(cur, by, "pengguna_ditambah", username, role)
        return User(username, display_name or username, role)

    def set_active(self, username: str, active: bool, *, by: str) -> None:
        with self.db.transaction() as cur:
            self._require(cur, username)
            if not active and username == by:
                raise AccountError("self_disable")
            cur.execute("UPDATE users SET active = ? WHERE username = ?", [active, username])
            if not active:
                sessions.end_all(cur, username, "nonaktif")
            audit(cur, by, "pengguna_diaktifkan" if active else "pengguna_dinonaktifkan", username, None)

    def reset_password(self, username: str, password: str, *, by: str) -> None:
        """A new password; also clears a lockout (recorded as an admin action, not a login)."""
        _check_password(password)
        with self.db.transaction() as cur:
            self._require(cur, username)
            cur.execute("UPDATE users SET password_hash = ?, password_set_at = current_timestamp WHERE username = ?",
                        [hash_password(password), username])
            cur.execute("INSERT INTO login_attempts (username, success, client) VALUES (?, true, 'reset')", [username])
            sessions.end_all(cur, username, "kata_sandi")
            audit(cur, by, "kata_sandi_direset", username, None)

    def users(self):
        return self.db.fetch_df("""SELECT username, display_name, role, active, created_at, created_by,
                                          password_set_at FROM users ORDER BY username""")

    @staticmethod
    def _require(cur, username: str) -> None:
        if not cur.execute("SELECT 1 FROM users WHERE username = ?", [username]).fetchone():
            raise AccountError("unknown", username=username)


def audit_choices(db: Database) -> tuple[list[str], list[str]]:
    """The actions and the user names that occur in the audit log, for its filters."""
    actions = [r[0] for r in db.fetch_all("SELECT DISTINCT action FROM audit_log ORDER BY 1")]
    users = [r[0] for r in db.fetch_all("SELECT DISTINCT user_name FROM audit_log ORDER BY 1")]
    return actions, users


def audit_log(db: Database, *, action: str | None = None, user: str | None = None,
              since: dt.date | None = None, until: dt.date | None = None):
    """The audit log, newest first, filtered in SQL (all filters optional). since/until are days in EKTP_TZ
    (the days people see the entries on); logged_at is stored in UTC."""
    start = None if since is None else formatting.awal_hari_utc(since)
    end = None if until is None else formatting.awal_hari_utc(until + dt.timedelta(days=1))
    return db.fetch_df("""
        SELECT id, logged_at, user_name, action, object, detail FROM audit_log
        WHERE ($action::VARCHAR IS NULL OR action = $action::VARCHAR)
          AND ($user::VARCHAR IS NULL OR user_name = $user::VARCHAR)
          AND ($start::TIMESTAMP IS NULL OR logged_at >= $start::TIMESTAMP)
          AND ($end::TIMESTAMP IS NULL OR logged_at < $end::TIMESTAMP)
        ORDER BY id DESC""", {"action": action, "user": user, "start": start, "end": end})
