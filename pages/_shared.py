"""Streamlit glue shared by the pages: the one database connection, cached queries, language, texts.

Logic lives in ektp_metrics; this module only adapts it to Streamlit (caching, session state, messages).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import streamlit as st

from ektp_metrics import i18n, metrics, settings
from ektp_metrics.db import Database, DatabaseUnavailable

QUERY_TTL_SECONDS = 60

# Whether the current script run went through app.py (one flag per script-runner thread).
_run = threading.local()


@contextmanager
def framed() -> Iterator[None]:
    """app.py wraps page.run() in this, so a page can tell it was routed (and gated) by app.py."""
    _run.framed = True
    try:
        yield
    finally:
        _run.framed = False


def _hand_over() -> None:
    """Placeholder page used only for the hand-over in require_frame()."""


def require_frame(page_file: str) -> None:
    """Every page calls this first. A page must never run outside app.py's frame.

    On a fresh server, before anything has called st.navigation, Streamlit still emulates the legacy
    `pages/` folder and would run pages/<name>.py directly for a visitor opening /<name>, skipping
    app.py (and so any login gate). Calling st.navigation switches Streamlit to explicit navigation
    for the whole process (documented behaviour); the rerun then goes through app.py with the same URL.
    """
    if getattr(_run, "framed", False):
        return
    # Two pages: a default one (served at "/" only) and the requested path, so the URL still matches.
    st.navigation([st.Page(_hand_over, title="…", url_path="bingkai", default=True),
                   st.Page(_hand_over, title="…", url_path=Path(page_file).stem.lstrip("_"))],
                  position="hidden")
    st.rerun()


@st.cache_resource(show_spinner=False)
def _open_database(path: str) -> Database:
    # One Database per process and file: the Streamlit server is the file's single owner.
    return Database(path, create=False)


def lang() -> str:
    """The session's language: the sidebar switch (bound to ?lang=), else EKTP_LANG."""
    chosen = st.session_state.get("lang")
    return chosen if chosen in i18n.LANGUAGES else settings.default_lang()


def t(key: str, **values: object) -> str:
    return i18n.t(key, lang(), **values)


def database() -> Database:
    """The open database, or a clear message and a stopped page (never a traceback)."""
    path = settings.db_path()
    try:
        return _open_database(str(path))
    except DatabaseUnavailable as exc:
        if exc.reason == "missing":
            st.error(t("db_missing", path=path))
        elif exc.reason == "newer_schema":
            st.error(t("db_newer"))
        elif exc.reason == "locked":
            st.error(t("db_locked", pid=f" (PID {exc.pid})" if exc.pid else ""))
        else:
            st.error(t("db_error"))
        st.stop()
        raise  # unreachable: st.stop() ends the script run


@st.cache_data(ttl=QUERY_TTL_SECONDS, show_spinner=False)
def reference_day(path: str) -> dt.date | None:
    return metrics.reference_day(_open_database(path))


@st.cache_data(ttl=QUERY_TTL_SECONDS, show_spinner=False)
def summaries(path: str, as_of: dt.date, level: str) -> list[metrics.Summary]:
    return metrics.summaries(_open_database(path), as_of, level)


@st.cache_data(ttl=QUERY_TTL_SECONDS, show_spinner=False)
def has_data(path: str) -> bool:
    return metrics.latest_data_date(_open_database(path)) is not None


@st.cache_data(ttl=QUERY_TTL_SECONDS, show_spinner=False)
def is_demo(path: str) -> bool:
    return _open_database(path).get_setting("demo") == "1"


def current_user() -> str:
    """The name written on every change (batches, reverts, audit log).

    Until accounts exist (the accounts issue replaces this with the logged-in user), the officer types it.
    """
    return st.sidebar.text_input(t("petugas"), key="petugas", help=t("petugas_help")).strip()


def clear_caches() -> None:
    """Call after any write (upload, revert) so every page shows the new figures."""
    st.cache_data.clear()


if __name__ == "__main__":  # opened as /shared through the legacy pages/ emulation
    require_frame(__file__)
