"""The one place that opens DuckDB.

Policy (docs/architecture.md, "Today: one process, one file"): a process owns the database file through
one Database object (`shared()` in the app); every query runs on its own cursor, so threads (Streamlit
sessions, the HTTP routes, the backup thread) never share one; every write goes through `transaction()`,
which commits all of it or none of it and confirms nothing that is not in the configured file:

- before the write: the file at the configured path is still the one opened (same device and inode) and
  its disk has room (EKTP_MIN_FREE_MB, plus what the write itself needs);
- the commit, then a CHECKPOINT, so the database file alone holds the write (a file-level copy taken
  between writes is complete; no WAL needed beside it);
- after: the file is still the one opened (a write into a deleted or moved file is never confirmed).

Any failure on that path raises WriteRefused, whose message says in Bahasa Indonesia what happened and
what to do; a failed commit is rolled back without a second error hiding the first.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import shutil
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

import duckdb

from ektp_metrics import migrations, settings

if TYPE_CHECKING:   # DuckDB imports pandas itself when a result becomes a frame (fetch_df)
    import pandas as pd

_LOG = logging.getLogger("ektp.db")
_MB = 1024 * 1024

# After a query whose working memory peaked above 8 MB, DuckDB hands freed memory back to the system
# (without it, glibc keeps it: a server that runs the same queries all day grew by tens of MB of freed but
# kept memory; bench/README.md, "The lobby screen over time").
_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "allocator_flush_threshold": "8MB", "allocator_background_threads": True}


class DatabaseUnavailable(Exception):
    """The database file cannot be opened: missing, locked by another process, or unreadable."""

    def __init__(self, path: Path, reason: str, pid: int | None = None):
        self.path = path
        self.reason = reason
        self.pid = pid
        super().__init__(self.message())

    def message(self) -> str:
        if self.reason == "missing":
            return (f"Database {self.path} belum ada. Buat dengan: python -m ektp_metrics init "
                    f"--db {self.path} [--demo]")
        if self.reason == "newer_schema":
            return (f"Database {self.path} dibuat oleh versi program yang lebih baru. Perbarui program ini "
                    f"(git pull, make run).")
        if self.reason == "locked":
            who = f"proses PID {self.pid}" if self.pid else "proses lain"
            return (f"Database {self.path} sedang dipakai {who} (misalnya aplikasi yang berjalan). "
                    f"Hentikan proses itu atau gunakan salinan database.")
        if self.reason == "corrupt":
            return (f"Database {self.path} rusak atau tidak terbaca. Pulihkan dari cadangan terakhir yang baik: "
                    f"python -m ektp_metrics restore BERKAS_CADANGAN --db {self.path} (README, \"Cadangan dan "
                    f"pemulihan\").")
        return f"Database {self.path} tidak dapat dibuka: {self.reason}"


_PID = re.compile(r"PID (\d+)")


class WriteRefused(Exception):
    """A write that did not reach the configured database file: nothing of it may be confirmed to anyone.

    reason: disk_full (no room on the disk, before or during the write) | read_only (the file or its disk
    cannot be written) | missing (no file at the configured path any more: deleted or moved) | replaced
    (another file is at the path now) | invalidated (DuckDB stopped the database after an earlier fatal
    error: the app must reopen it) | io (any other write error). committed: the commit happened but the
    write is not (or not only) in the configured file (the checkpoint failed, or the file was swapped
    meanwhile).
    """

    def __init__(self, reason: str, path: Path, *, detail: str = "", committed: bool = False):
        self.reason = reason
        self.path = Path(path)
        self.detail = detail
        self.committed = committed
        self.free_mb = _free_mb(self.path)
        super().__init__(self.message())

    def message(self, lang: str = "id") -> str:
        from ektp_metrics.i18n import t

        key = f"write_{self.reason}"
        if self.committed:   # the commit happened: say where the change is, and that it is not confirmed
            key = {"disk_full": "write_disk_full_committed", "missing": "write_missing_committed",
                   "replaced": "write_missing_committed"}.get(self.reason, "write_io_committed")
        return t(key, lang, path=self.path, folder=self.path.parent, mb=_mb_text(self.free_mb, lang),
                 detail=self.detail[:300] or self.reason)


def _free_mb(path: Path) -> float | None:
    """Free space (MB) on the disk holding `path`'s folder, None when that cannot be read."""
    try:
        return shutil.disk_usage(path.parent).free / _MB
    except OSError:
        return None


def _mb_text(value: float | None, lang: str) -> str:
    from ektp_metrics import formatting

    return "?" if value is None else formatting.desimal(round(value, 1), 1, lang)


def _reason(exc: BaseException) -> str:
    """What a failed write ran into, from DuckDB's (or the OS's) error."""
    number = getattr(exc, "errno", None)
    text = str(exc).lower()
    if number == errno.ENOSPC or "no space left" in text or "disk quota" in text:
        return "disk_full"
    if number in (errno.EROFS, errno.EACCES, errno.EPERM) or "read-only file system" in text \
            or "permission denied" in text or "operation not permitted" in text:
        return "read_only"
    if isinstance(exc, duckdb.FatalException) or "invalidated" in text:
        return "invalidated"
    return "io"


def _quiet_rollback(cur: duckdb.DuckDBPyConnection) -> None:
    """Roll back if a transaction is still open. A commit that failed has already ended it ("cannot
    rollback - no transaction is active"): that second error must never hide the first."""
    try:
        cur.rollback()
    except duckdb.Error:
        pass


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return st.st_dev, st.st_ino


class Database:
    """An open DuckDB file, migrated to the current schema."""

    def __init__(self, path: str | Path, *, create: bool = True, read_only: bool = False,
                 migrations_list: tuple[migrations.Migration, ...] = migrations.MIGRATIONS):
        self.path = Path(path)
        self.read_only = read_only
        # Every write takes this lock: a check and the write it guards (same file twice, overlapping
        # rows) happen as one step even when several sessions of this process save at the same moment.
        self.write_lock = threading.RLock()
        # Bumped after every commit but bookkeeping (see transaction): readers that keep figures (the lobby's
        # JSON, the API's answers, the pages' caches) know they are old.
        self.version = 0
        # upload.write's findings of the committed data, (version and day, findings): a dry run's 'before'
        self.findings_kept: tuple | None = None
        # Set when DuckDB invalidated the database after a fatal error: shared() then opens it again.
        self.invalid = False
        # Set when a read met a rotten block (or verify() did): every page then says so, nothing is written.
        self.damaged: str | None = None
        if not create and not self.path.exists():
            raise DatabaseUnavailable(self.path, "missing")
        try:
            if create:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._con = duckdb.connect(str(self.path), read_only=read_only, config=_CONFIG)
        except duckdb.IOException as exc:
            text = str(exc)
            if "lock" in text.lower():
                match = _PID.search(text)
                raise DatabaseUnavailable(self.path, "locked", int(match.group(1)) if match else None) from exc
            raise DatabaseUnavailable(self.path, _unreadable(text)) from exc
        except (duckdb.Error, OSError) as exc:
            raise DatabaseUnavailable(self.path, _unreadable(str(exc))) from exc
        # Moments are stored in UTC: DuckDB's session zone (the machine's by default) turns current_timestamp
        # into the naive TIMESTAMP columns' value, and a server set to WIB would store WIB. Every cursor
        # inherits the global setting; formatting.lokal shows them in EKTP_TZ. (Not in `config`: the time
        # zone needs ICU, which is loaded only once the connection exists.)
        self._con.execute("SET GLOBAL TimeZone = 'UTC'")
        # The file this object writes to: every write checks the path still leads to it.
        self._identity = _identity(self.path)
        if not read_only:
            try:
                with self.cursor() as cur:
                    if migrations.migrate(cur, migrations_list):
                        cur.execute("CHECKPOINT")   # the upgraded schema is in the file itself
            except migrations.SchemaTooNew as exc:
                self._con.close()
                raise DatabaseUnavailable(self.path, "newer_schema") from exc
            except duckdb.Error as exc:
                self._con.close()
                if _unreadable(str(exc)) == "corrupt":   # a file that opens but cannot be read through
                    raise DatabaseUnavailable(self.path, "corrupt") from exc
                raise
            except BaseException:
                self._con.close()
                raise

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A new cursor on the shared connection; use it from one thread and close it (a `with` block)."""
        return self._con.cursor()

    # ---- writes -----------------------------------------------------------------------------------------

    def file_problem(self) -> str | None:
        """None while the configured path still leads to the file this object opened; else 'missing'
        (deleted or moved away) or 'replaced' (another file is there now)."""
        now = _identity(self.path)
        if now is None:
            return "missing"
        return None if now == self._identity else "replaced"

    def guard_write(self, needed_bytes: int = 0) -> None:
        """Refuse a write before it starts: the file is not ours any more, or its disk lacks room for the
        write (needed_bytes) plus EKTP_MIN_FREE_MB."""
        if self.invalid:
            raise WriteRefused("invalidated", self.path)
        if self.damaged:
            raise WriteRefused("damaged", self.path, detail=self.damaged)
        problem = self.file_problem()
        if problem:
            _LOG.error("menulis ditolak: berkas database %s %s sejak dibuka", self.path,
                       "hilang (dihapus atau dipindahkan)" if problem == "missing" else "diganti berkas lain")
            raise WriteRefused(problem, self.path)
        margin = settings.number("EKTP_MIN_FREE_MB", allow_zero=True)
        if margin == 0:   # the check is off: a write that meets a full disk is still refused cleanly
            return
        free = _free_mb(self.path)
        need = margin + needed_bytes / _MB
        if free is not None and free < need:
            _LOG.error("menulis ditolak: disk penuh, %.1f MB tersisa di %s (perlu %.1f MB)", free, self.path.parent,
                       need)
            raise WriteRefused("disk_full", self.path)

    @contextmanager
    def transaction(self, cur: duckdb.DuckDBPyConnection | None = None, *,
                    needed_bytes: int = 0, bookkeeping: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor inside BEGIN … COMMIT, holding the write lock; any exception rolls everything back.

        On leaving the block the write is committed and checkpointed into the configured file, or
        WriteRefused is raised (see the module's docstring). `cur`: the caller's own cursor (with its
        temporary tables), left open; else a new one, closed here. needed_bytes: room the write needs
        on the disk beyond EKTP_MIN_FREE_MB (an upload: a few times its size). bookkeeping: the write changes
        no figure (a session seen, a sign-in attempt, a token used): `version`, which tells the pages' and the
        API's kept answers that they are old, stays as it is.
        """
        if self.read_only:
            raise WriteRefused("read_only", self.path)
        with self.write_lock:
            self.guard_write(needed_bytes)
            own = cur is None
            work = self._con.cursor() if cur is None else cur
            try:
                work.begin()
                try:
                    yield work
                except BaseException:
                    _quiet_rollback(work)
                    raise
                self._commit(work, bookkeeping=bookkeeping)
            finally:
                if own:
                    work.close()

    def _commit(self, cur: duckdb.DuckDBPyConnection, *, bookkeeping: bool = False) -> None:
        problem = self.file_problem()
        if problem:   # checked again: the file may have gone while the transaction ran
            _quiet_rollback(cur)
            _LOG.error("menulis ditolak: berkas database %s %s", self.path, problem)
            raise WriteRefused(problem, self.path)
        try:
            cur.commit()
        except duckdb.Error as exc:
            _quiet_rollback(cur)
            reason = _reason(exc)
            self.invalid = self.invalid or reason == "invalidated"
            _LOG.error("commit gagal (%s) di %s: %s", reason, self.path, exc)
            raise WriteRefused(reason, self.path, detail=str(exc).splitlines()[0]) from exc
        if not bookkeeping:
            self.version += 1
        try:
            self._checkpoint()
        except duckdb.Error as exc:   # committed to the WAL, not into the file (DuckDB stops the database)
            self.invalid = self.invalid or isinstance(exc, duckdb.FatalException) or "invalidated" in str(exc)
            _LOG.error("checkpoint gagal di %s, perubahan hanya di WAL: %s", self.path, exc)
            reason = _reason(exc)   # a full disk, a read-only file; anything else is told as a write error
            raise WriteRefused(reason if reason in ("disk_full", "read_only") else "io", self.path,
                               detail=str(exc).splitlines()[0], committed=True) from exc
        problem = self.file_problem()
        if problem:   # the file went between the check and the commit: the write is in the old file only
            _LOG.error("perubahan tertulis ke berkas yang sudah %s: %s", problem, self.path)
            raise WriteRefused(problem, self.path, committed=True)

    def _checkpoint(self) -> None:
        """Move what the last commit wrote to the WAL into the database file (bench/checkpoint.py times it)."""
        with self._con.cursor() as cur:
            cur.execute("CHECKPOINT")

    # ---- reads -----------------------------------------------------------------------------------------

    def verify(self) -> None:
        """Read every row of every table once, so a rotten block anywhere is found now (the server does this
        in the background at start), not by the first person whose page happens to read it. Raises the
        DuckDB error and marks the database damaged."""
        with self.cursor() as cur:
            tables = [row[0] for row in cur.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND NOT temporary"
            ).fetchall()]
            try:
                for table in tables:
                    cur.execute(f'SELECT bit_xor(hash(t)) FROM "{table}" t').fetchone()   # t: the whole row
            except duckdb.Error as exc:
                if is_damage(exc):
                    self.damaged = str(exc).splitlines()[0][:300]
                raise

    def fetch_df(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> pd.DataFrame:
        with self.cursor() as cur:
            return cur.execute(sql, params or []).df()

    def fetch_all(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> list[tuple]:
        with self.cursor() as cur:
            return cur.execute(sql, params or []).fetchall()

    def fetch_one(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> tuple | None:
        with self.cursor() as cur:
            return cur.execute(sql, params or []).fetchone()

    def fetch_row(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> tuple[Any, ...]:
        """The row of a query that always yields one (an aggregate); NoRow when none came."""
        with self.cursor() as cur:
            return one_row(cur, sql, params)

    def fetch_value(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> Any:
        """The first column of fetch_row(): an aggregate's value (None when it is NULL)."""
        with self.cursor() as cur:
            return one_value(cur, sql, params)

    def schema_version(self) -> int:
        with self.cursor() as cur:
            versions = migrations.applied(cur)
        return max(versions) if versions else 0

    def get_setting(self, key: str) -> str | None:
        row = self.fetch_one("SELECT value FROM app_settings WHERE key = ?", [key])
        return row[0] if row else None

    def close(self) -> None:
        try:
            self._con.close()
        except duckdb.Error as exc:   # closing checkpoints; a database DuckDB invalidated cannot
            _LOG.warning("menutup %s: %s", self.path, exc)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _unreadable(text: str) -> str:
    """DatabaseUnavailable's reason for a file DuckDB cannot read: 'corrupt' when it says so."""
    lower = text.lower()
    if "corrupt" in lower or "checksum" in lower or "not a valid duckdb database" in lower \
            or "serializ" in lower:
        return "corrupt"
    return text.splitlines()[0] if text else "unknown"


def is_damage(exc: BaseException) -> bool:
    """True for a DuckDB error that means the file cannot be read through (a rotten block, an invalidated
    database): the pages then say so and name the latest good backup, instead of a traceback."""
    if isinstance(exc, DatabaseUnavailable):
        return exc.reason == "corrupt"
    if isinstance(exc, duckdb.FatalException):
        return True
    text = str(exc).lower()
    return isinstance(exc, duckdb.Error) and ("corrupt" in text or "checksum" in text or "invalidated" in text)


# ---- the process's one Database per file ------------------------------------------------------------------

_SHARED: dict[str, Database] = {}
_SHARED_LOCK = threading.Lock()


def shared(path: str | Path) -> Database:
    """The process's Database for `path`, opened on first use and kept: the app (pages, HTTP routes,
    the backup thread) is the file's single owner. A Database DuckDB invalidated is closed and opened
    again; one that cannot be opened raises DatabaseUnavailable now and is tried again next time."""
    key = str(Path(path))
    with _SHARED_LOCK:
        db = _SHARED.get(key)
        if db is not None and not db.invalid:
            return db
        if db is not None:
            _LOG.warning("database %s dibuka ulang setelah galat fatal", key)
            db.close()
            del _SHARED[key]
        db = Database(key, create=False)
        _SHARED[key] = db
        return db


def note_failure(path: str | Path, exc: BaseException) -> None:
    """A read ran into `exc`: when DuckDB invalidated the database, the next shared() opens it anew; when a
    block was rotten, the database is marked damaged (every page says so, no write is taken)."""
    with _SHARED_LOCK:
        db = _SHARED.get(str(Path(path)))
    if db is None:
        return
    if isinstance(exc, duckdb.FatalException) or "invalidated" in str(exc).lower():
        db.invalid = True
    elif is_damage(exc):
        db.damaged = db.damaged or str(exc).splitlines()[0][:300]


def close_shared() -> None:
    """Close every shared Database (the server's shutdown)."""
    with _SHARED_LOCK:
        for db in _SHARED.values():
            db.close()
        _SHARED.clear()


class NoRow(LookupError):
    """A query that always yields a row (an aggregate, an INSERT … RETURNING) yielded none: a bug or a
    schema that is not the expected one, never an input error."""


def one_row(cur: duckdb.DuckDBPyConnection, sql: str,
            params: Sequence[Any] | dict[str, Any] | None = None) -> tuple[Any, ...]:
    """The first row of a query that always yields one (count(*), max(…), nextval, INSERT … RETURNING of
    one row); NoRow when none came."""
    row = (cur.execute(sql) if params is None else cur.execute(sql, params)).fetchone()
    if row is None:
        raise NoRow(f"query returned no row: {' '.join(sql.split())[:200]}")
    return row


def one_value(cur: duckdb.DuckDBPyConnection, sql: str,
              params: Sequence[Any] | dict[str, Any] | None = None) -> Any:
    """The first column of one_row(): the value of an aggregate (which may itself be NULL: None)."""
    return one_row(cur, sql, params)[0]


def set_setting(cur: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    cur.execute("INSERT OR REPLACE INTO app_settings (key, value) VALUES (?, ?)", [key, value])


# Shown on the lobby screen (/layar), edited by admins on Pengguna.
PUBLIC_TEXTS = ("wawali_nama", "wawali_ajakan", "kartu_tempat")


def set_public_text(db: Database, key: str, value: str, *, by: str) -> None:
    """Change a text of the public screen; the change is audited with the new value."""
    from ektp_metrics import fields

    if key not in PUBLIC_TEXTS:
        raise KeyError(key)
    value = fields.text(key, value)   # TooLong: nothing written
    with db.transaction() as cur:
        set_setting(cur, key, value)
        audit(cur, by, "teks_layar_diubah", key, value)


def audit_backup(db: Database, user: str, backup) -> None:
    """Record in the audit log that `user` took a backup (backup.Backup) through the app."""
    with db.transaction() as cur:
        audit(cur, user, "cadangan_dibuat", backup.path.name,
              f"{backup.batches} batch; {backup.size} bita; sha256 {backup.sha256}")


def new_batch(cur: duckdb.DuckDBPyConnection, *, kind: str, file_name: str, user_name: str,
              rows: int = 0, sha256: str | None = None, note: str | None = None, batch_id: int | None = None) -> int:
    """Insert a batch record inside the caller's transaction and return its id (batch_id: one reserved
    earlier from batch_id_seq, else the sequence's next)."""
    values = [kind, file_name, sha256, user_name, rows, note]
    if batch_id is None:
        return int(one_value(cur, "INSERT INTO batches (kind, file_name, sha256, user_name, rows, note) "
                                  "VALUES (?, ?, ?, ?, ?, ?) RETURNING id", values))
    return int(one_value(cur, "INSERT INTO batches (id, kind, file_name, sha256, user_name, rows, note) "
                              "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id", [batch_id, *values]))


def audit(cur: duckdb.DuckDBPyConnection, user_name: str, action: str, obj: str | None = None,
          detail: str | None = None) -> None:
    cur.execute("INSERT INTO audit_log (user_name, action, object, detail) VALUES (?, ?, ?, ?)",
                [user_name, action, obj, detail])
