"""Masuk: the staff login page (the same form also stands in for any page that needs a login)."""

import streamlit as st

from ektp_metrics.formatting import md
from pages._lang import t
from pages._session import login_form, signed_in


def render() -> None:
    user = signed_in()
    if user is None:
        login_form("masuk")
    else:
        st.title(t("login_title"))
        st.success(t("signed_in_as", name=md(user.display_name), role=t(f"role_{user.role}")))
        st.caption(t("login_next"))
