"""Akun: a signed-in user's own account: who they are, and a new password (old one, new one twice)."""

import datetime as dt

import streamlit as st

from ektp_metrics import auth, formatting, sessions
from ektp_metrics.formatting import md
from pages._lang import lang, t
from pages._session import authenticator, client_address, cookie, current_user, session_id


def render() -> None:
    user = current_user()
    st.title(t("akun_title"))
    st.write(t("signed_in_as", name=md(user.display_name), role=t(f"role_{user.role}")))
    if st.session_state.get("akun_done"):
        st.success(st.session_state.pop("akun_done"))

    st.subheader(t("akun_change"))
    st.caption(t("akun_rules", min=auth.MIN_PASSWORD))
    with st.form("ganti_sandi", clear_on_submit=True):
        old = st.text_input(t("akun_old"), type="password", autocomplete="current-password",
                            max_chars=auth.MAX_PASSWORD, key="akun_old")
        new = st.text_input(t("pengguna_sandi_baru"), type="password", autocomplete="new-password",
                            max_chars=auth.MAX_PASSWORD, key="akun_new")
        again = st.text_input(t("pengguna_sandi_ulang"), type="password", autocomplete="new-password",
                              max_chars=auth.MAX_PASSWORD, key="akun_again")
        submitted = st.form_submit_button(t("akun_submit"), type="primary")
    if not submitted:
        return
    try:
        ended = authenticator().change_password(user, old, new, again, session=session_id(),
                                                client=client_address(),
                                                device_cookie=cookie(sessions.DEVICE_COOKIE))
    except auth.AccountError as exc:
        if exc.code == "password_locked":
            retry_at = exc.params["retry_at"]
            assert isinstance(retry_at, dt.datetime)
            st.error(t("account_password_locked", jam=formatting.pukul(retry_at, lang())))
        else:
            st.error(t(f"account_{exc.code}", **exc.params))
        return
    st.session_state["akun_done"] = t("akun_changed", n=ended)
    st.rerun()
