"""Streamlit glue shared by the pages: the one database connection, cached queries, language, texts.

Logic lives in ektp_metrics; this module only adapts it to Streamlit (caching, session state, messages).
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ektp_metrics import i18n, metrics, settings
from ektp_metrics.db import Database, DatabaseUnavailable

QUERY_TTL_SECONDS = 60


@st.cache_resource(show_spinner=False)
def _open_database(path: str) -> Database:
    # One Database per process and file: the Streamlit server is the file's single owner.
    return Database(path, create=False)


def lang() -> str:
    """The session's language: chosen in the sidebar, else ?lang=, else EKTP_LANG."""
    chosen = st.session_state.get("lang")
    if chosen in i18n.LANGUAGES:
        return chosen
    from_url = st.query_params.get("lang")
    return from_url if from_url in i18n.LANGUAGES else settings.default_lang()


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
        elif exc.reason == "locked":
            st.error(t("db_locked", pid=f" (PID {exc.pid})" if exc.pid else ""))
        else:
            st.error(t("db_error"))
        st.stop()
        raise  # unreachable: st.stop() ends the script run


@st.cache_data(ttl=QUERY_TTL_SECONDS, show_spinner=False)
def reference_day(path: str) -> dt.date:
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


def clear_caches() -> None:
    """Call after any write (upload, revert) so every page shows the new figures."""
    st.cache_data.clear()
