"""The one place that opens DuckDB.

Policy (see docs in README "Arsitektur"): a process owns the database file through one Database object;
every query runs on its own cursor, so threads (Streamlit sessions) never share one; every write goes
through `transaction()`, which commits all of it or none of it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from ektp_metrics import migrations

if TYPE_CHECKING:   # DuckDB imports pandas itself when a result becomes a frame (fetch_df)
    import pandas as pd


# After a query whose working memory peaked above 8 MB, DuckDB hands freed memory back to the system
# (without it, glibc keeps it: a server that runs the same queries all day grew by tens of MB of freed but
# kept memory; bench/README.md, "The lobby screen over time").
_CONFIG = {"allocator_flush_threshold": "8MB", "allocator_background_threads": True}


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
        return f"Database {self.path} tidak dapat dibuka: {self.reason}"


_PID = re.compile(r"PID (\d+)")


class Database:
    """An open DuckDB file, migrated to the current schema."""

    def __init__(self, path: str | Path, *, create: bool = True, read_only: bool = False,
                 migrations_list: tuple[migrations.Migration, ...] = migrations.MIGRATIONS):
        self.path = Path(path)
        # Every write takes this lock: a check and the write it guards (same file twice, overlapping
        # rows) happen as one step even when several sessions of this process save at the same moment.
        self.write_lock = threading.RLock()
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
            raise DatabaseUnavailable(self.path, text) from exc
        except (duckdb.Error, OSError) as exc:
            raise DatabaseUnavailable(self.path, str(exc)) from exc
        if not read_only:
            try:
                with self.cursor() as cur:
                    migrations.migrate(cur, migrations_list)
            except migrations.SchemaTooNew as exc:
                self._con.close()
                raise DatabaseUnavailable(self.path, "newer_schema") from exc
            except BaseException:
                self._con.close()
                raise

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A new cursor on the shared connection; use it from one thread and close it (a `with` block)."""
        return self._con.cursor()

    @contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor inside BEGIN … COMMIT, holding the write lock; any exception rolls everything back."""
        with self.write_lock:
            cur = self._con.cursor()
            cur.begin()
            try:
                yield cur
                cur.commit()
            except BaseException:
                cur.rollback()
                raise
            finally:
                cur.close()

    def fetch_df(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> pd.DataFrame:
        with self.cursor() as cur:
            return cur.execute(sql, params or []).df()

    def fetch_all(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> list[tuple]:
        with self.cursor() as cur:
            return cur.execute(sql, params or []).fetchall()

    def fetch_one(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> tuple | None:
        with self.cursor() as cur:
            return cur.execute(sql, params or []).fetchone()

    def schema_version(self) -> int:
        with self.cursor() as cur:
            versions = migrations.applied(cur)
        return max(versions) if versions else 0

    def get_setting(self, key: str) -> str | None:
        row = self.fetch_one("SELECT value FROM app_settings WHERE key = ?", [key])
        return row[0] if row else None

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def set_setting(cur: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    cur.execute("INSERT OR REPLACE INTO app_settings (key, value) VALUES (?, ?)", [key, value])


# Shown on the lobby screen (/layar), edited by admins on Pengguna.
PUBLIC_TEXTS = ("wawali_nama", "wawali_ajakan", "kartu_tempat")


def set_public_text(db: Database, key: str, value: str, *, by: str) -> None:
    """Change a text of the public screen; the change is audited with the new value."""
    if key not in PUBLIC_TEXTS:
        raise KeyError(key)
    with db.transaction() as cur:
        set_setting(cur, key, value.strip())
        audit(cur, by, "teks_layar_diubah", key, value.strip()[:500])


def new_batch(cur: duckdb.DuckDBPyConnection, *, kind: str, file_name: str, user_name: str,
              rows: int = 0, sha256: str | None = None, note: str | None = None, batch_id: int | None = None) -> int:
    """Insert a batch record inside the caller's transaction and return its id (batch_id: one reserved
    earlier from batch_id_seq, else the sequence's next)."""
    values = [kind, file_name, sha256, user_name, rows, note]
    if batch_id is None:
        row = cur.execute("INSERT INTO batches (kind, file_name, sha256, user_name, rows, note) "
                          "VALUES (?, ?, ?, ?, ?, ?) RETURNING id", values).fetchone()
    else:
        row = cur.execute("INSERT INTO batches (id, kind, file_name, sha256, user_name, rows, note) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id", [batch_id, *values]).fetchone()
    assert row is not None
    return int(row[0])


def audit(cur: duckdb.DuckDBPyConnection, user_name: str, action: str, obj: str | None = None,
          detail: str | None = None) -> None:
    cur.execute("INSERT INTO audit_log (user_name, action, object, detail) VALUES (?, ?, ?, ?)",
                [user_name, action, obj, detail])
