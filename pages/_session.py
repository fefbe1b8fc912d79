"""Who is signed in: the identity source, the session's user, the login form and signing out."""

from __future__ import annotations

import time

import streamlit as st

from ektp_metrics import auth, formatting, settings
from pages._lang import lang, t
from pages._queries import clear_caches, is_demo
from pages._store import database

_USER, _SEEN, _NOTICE, _STAMP = "auth_user", "auth_seen", "auth_notice", "auth_password_set_at"


def authenticator() -> auth.PasswordStore:
    """The identity source (auth.Authenticator); the one line to change for an identity provider."""
    return auth.PasswordStore(database())


def signed_in() -> auth.User | None:
    """The logged-in user, or None. Ends the session after EKTP_SESSION_MINUTES without activity, and
    at once when the account was disabled meanwhile (checked against the database on every run)."""
    username = st.session_state.get(_USER)
    if not username:
        return None
    user = authenticator().get(username)
    idle = time.time() - st.session_state.get(_SEEN, 0.0)   # inactivity is real time, not the data's day
    stamp = st.session_state.get(_STAMP)
    reset = user is not None and stamp is not None and user.password_set_at != stamp
    if user is None or reset or idle > settings.number("EKTP_SESSION_MINUTES") * 60:
        st.session_state.pop(_USER, None)
        st.session_state[_NOTICE] = ("login_disabled" if user is None else
                                     "login_password_changed" if reset else "login_expired")
        if user:
            authenticator().logout(user, "sesi berakhir")
        return None
    st.session_state[_SEEN] = time.time()
    return user


def current_user() -> auth.User:
    """The user a staff page acts for; app.py only runs staff pages for a signed-in user with the role."""
    user = signed_in()
    assert user is not None, "staff pages run only behind app.py's login gate"
    return user


def sign_out(user: auth.User) -> None:
    authenticator().logout(user)
    st.session_state.pop(_USER, None)
    clear_caches()


def login_form(*, denied: bool = False) -> None:
    """The login form; on success the session is signed in and the same URL runs again."""
    st.title(t("login_title"))
    if denied:
        st.warning(t("login_denied"))
    notice = st.session_state.pop(_NOTICE, None)
    if notice:
        st.info(t(notice))
    with st.form("login"):
        username = st.text_input(t("login_username"), autocomplete="username", max_chars=auth.MAX_USERNAME)
        password = st.text_input(t("login_password"), type="password", autocomplete="current-password",
                                 max_chars=auth.MAX_PASSWORD)
        submitted = st.form_submit_button(t("login_submit"), type="primary")
    if is_demo(str(database().path)):
        from ektp_metrics.demo import DEMO_ACCOUNTS

        st.caption(t("login_demo_accounts", akun=" · ".join(f"{u} / {p}" for u, _, _, p in DEMO_ACCOUNTS)))
    if not submitted:
        return
    address = st.context.ip_address   # None on localhost; not a string under AppTest
    result = authenticator().login(username, password, client=address if isinstance(address, str) else "")
    if result.user is not None:
        st.session_state[_USER] = result.user.username
        st.session_state[_SEEN] = time.time()
        st.session_state[_STAMP] = result.user.password_set_at
        st.rerun()
    elif result.reason == "locked" and result.retry_at is not None:
        st.error(t("login_locked", n=int(settings.number("EKTP_LOCKOUT_FAILURES")),
                   jam=formatting.pukul(result.retry_at, lang())))
    elif result.reason == "disabled":
        st.error(t("login_disabled"))
    else:
        st.error(t("login_wrong"))
