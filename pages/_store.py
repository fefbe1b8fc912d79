"""The database under the app: its one owner in this process, and what a run says when storage fails.

Whatever a run meets in the database (a missing, rotten, full or swapped file) is said in Bahasa Indonesia
with what to do (storage_problem), never as a traceback: app.py runs everything inside storage_guard().
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import streamlit as st

from ektp_metrics import backup, formatting, settings
from ektp_metrics.db import (
    Database,
    DatabaseUnavailable,
    WriteRefused,
    is_damage,
    note_failure,
)
from ektp_metrics.db import shared as db_shared
from pages._lang import lang, t


def open_database(path: str) -> Database:
    # One Database per process and file (db.shared): the server is the file's single owner, and the
    # HTTP routes and the backup thread use the same one.
    return db_shared(path)


def database() -> Database:
    """The open database, or a clear message and a stopped page (never a traceback)."""
    path = settings.db_path()
    try:
        db = open_database(str(path))
    except DatabaseUnavailable as exc:
        storage_problem(exc)
        st.stop()
        raise  # unreachable: st.stop() ends the script run
    if db.damaged:   # a rotten block was met: every page, the login form included, says so
        st.error(damage_message(path))
        st.stop()
    return db


# What a page run can meet when the database file is missing, rotten, full or swapped: app.py catches
# these around everything it runs (storage_guard) and shows storage_problem() instead of Streamlit's error page.
STORAGE_ERRORS = (WriteRefused, DatabaseUnavailable, duckdb.Error)
_LOG = logging.getLogger("ektp.app")


def storage_problem(exc: BaseException) -> None:
    """Say in Bahasa Indonesia what is wrong with the database and what to do, name the latest good backup
    when the file cannot be read; log the cause. Never a traceback, never a link to anything online."""
    path = settings.db_path()
    if isinstance(exc, WriteRefused):
        st.error(exc.message(lang()))
        return
    if isinstance(exc, DatabaseUnavailable) and exc.reason == "missing":
        _LOG.error("database %s tidak ada", path)
        st.error(t("db_missing", path=path))
    elif isinstance(exc, DatabaseUnavailable) and exc.reason == "newer_schema":
        st.error(t("db_newer"))
    elif isinstance(exc, DatabaseUnavailable) and exc.reason == "locked":
        st.error(t("db_locked", pid=f" (PID {exc.pid})" if exc.pid else ""))
    elif is_damage(exc) or isinstance(exc, DatabaseUnavailable):
        _LOG.error("database %s tidak terbaca: %s", path, exc)
        note_failure(path, exc)
        st.error(damage_message(path))
    else:
        _LOG.error("galat database di %s", path, exc_info=exc)
        st.error(t("db_error"))


@contextmanager
def storage_guard() -> Iterator[None]:
    """Around everything a run does (app.py): a database failure becomes storage_problem()'s message."""
    try:
        yield
    except STORAGE_ERRORS as exc:
        storage_problem(exc)


def damage_message(path: Path) -> str:
    """The unreadable-database message, naming the latest good backup and the command that restores it."""
    newest = backup.latest_good(settings.backup_dir(path))
    if newest is None:
        which = t("db_corrupt_no_backup", folder=settings.backup_dir(path))
        command = f"python -m ektp_metrics restore BERKAS_CADANGAN --db {path}"
    else:
        which = t("db_corrupt_backup", nama=newest.path.name, waktu=formatting.waktu(newest.taken_at, lang()),
                  tanggal=formatting.tanggal(dt.date.fromisoformat(newest.figures["as_of"]), lang())
                  if newest.figures.get("as_of") else "–")
        command = f"python -m ektp_metrics restore {newest.path} --db {path}"
    return t("db_corrupt", path=path, cadangan=which, perintah=command)


def file_warning(db: Database) -> None:
    """For staff: the configured path no longer leads to the open file (deleted, moved, replaced)."""
    problem = db.file_problem()
    if problem:
        st.error(t(f"db_file_{problem}", path=db.path))
