"""The session's language and its texts (ektp_metrics.i18n), for the frame and every page."""

from __future__ import annotations

import streamlit as st

from ektp_metrics import i18n, settings


def lang() -> str:
    """The session's language: the sidebar switch (bound to ?lang=), else EKTP_LANG."""
    chosen = st.session_state.get("lang")
    return chosen if chosen in i18n.LANGUAGES else settings.default_lang()


def t(key: str, **values: object) -> str:
    return i18n.t(key, lang(), **values)
