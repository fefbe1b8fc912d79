"""Who is signed in: the identity source, the session's user, the login form and signing out.

A session lives in the database (ektp_metrics.sessions) and in the browser's HttpOnly cookie, so a reload, a
new tab, a bookmark and a server restart keep the person signed in. A Streamlit run cannot set a cookie: the
login form sends the browser through `sesi/mulai` (an HTTP route, ektp_metrics/web.py) that sets it, and
signing out through `sesi/keluar` that clears it. The tab that signed in knows its session at once
(st.session_state), before the cookie arrives.
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ektp_metrics import auth, formatting, sessions, settings
from pages._lang import lang, t
from pages._queries import clear_caches, is_demo
from pages._store import database

_SESSION, _NOTICE, _NOTIFIED, _OWN = "auth_sesi", "auth_notice", "auth_notified", "auth_own"
# What the login form says about a session that ended (sessions.END_REASONS), once.
_NOTICES = {"keluar": "login_signed_out", "kedaluwarsa": "login_expired", "nonaktif": "login_disabled",
            "kata_sandi": "login_password_changed"}


def authenticator() -> auth.PasswordStore:
    """The identity source (auth.Authenticator); the one line to change for an identity provider."""
    return auth.PasswordStore(database())


def cookie(name: str) -> str | None:
    """A cookie the browser sent when this tab connected (never under AppTest)."""
    value = st.context.cookies.get(name)
    return value if isinstance(value, str) and value else None


def session_id() -> str | None:
    """The id hash of this tab's session: the one signed in in this tab, else the browser's cookie's."""
    mine = st.session_state.get(_SESSION)
    if mine:
        return str(mine)
    if st.session_state.get(_OWN):   # signed in here, since ended: never the older cookie this tab came with
        return None
    token = cookie(sessions.SESSION_COOKIE)
    return sessions.token_hash(token) if token else None


def client_address() -> str:
    """The client's address for the audit log (X-Forwarded-For only from a proxy named in EKTP_TRUSTED_PROXY)."""
    peer = st.context.ip_address
    forwarded = st.context.headers.get("X-Forwarded-For")
    return sessions.client_address(peer if isinstance(peer, str) else None,
                                   forwarded if isinstance(forwarded, str) else None)


def signed_in() -> auth.User | None:
    """The signed-in user, or None. Checked against the database on every run, so a session that ended
    elsewhere (signed out in another tab, idle for EKTP_SESSION_MINUTES, account disabled, password reset or
    changed) signs this tab out at its next action, with a notice saying why (once)."""
    id_hash = session_id()
    if id_hash is None:
        return None
    db = database()
    checked = sessions.check(db, id_hash)
    user = authenticator().get(checked.username) if checked.username else None
    if user is not None:
        return user
    ended = checked.ended
    if checked.username is not None:   # the account was disabled meanwhile (which ends its sessions too)
        sessions.end(db, id_hash, "nonaktif")
        ended = "nonaktif"
    st.session_state.pop(_SESSION, None)
    if ended in _NOTICES and st.session_state.get(_NOTIFIED) != id_hash:
        st.session_state[_NOTIFIED] = id_hash
        st.session_state[_NOTICE] = _NOTICES[ended]
    return None


def current_user() -> auth.User:
    """The user a staff page acts for; app.py only runs staff pages for a signed-in user with the role."""
    user = signed_in()
    assert user is not None, "staff pages run only behind app.py's login gate"
    return user


def _here(page: str) -> str:
    """`page` with this run's query (?lang=…, ?batch=…): where the browser comes back to."""
    query = urlencode(st.query_params.to_dict())
    return f"{page}?{query}" if query else page


def _go(url: str) -> None:
    """Send the browser to `url` (relative to the page), as st.login does: a whole page load, so the next
    request carries what the route sets (a cookie). Nothing happens where no browser is (AppTest). The run
    must end with st.stop(), not st.rerun(): a new run drops the messages the browser has not received."""
    ctx = get_script_run_ctx()
    if ctx is not None:
        msg = ForwardMsg()
        msg.auth_redirect.url = url
        ctx.enqueue(msg)


def sign_out(page: str) -> None:
    """End this tab's session (in every tab of the browser: their next action shows the login form) and
    clear the cookie (sesi/keluar), coming back to `page`; the caller then stops the run (see _go)."""
    id_hash = session_id()
    if id_hash is not None:
        sessions.end(database(), id_hash, "keluar")
    st.session_state.pop(_SESSION, None)
    st.session_state[_NOTIFIED] = id_hash   # no "you signed out" notice for the tab that did it
    clear_caches()
    _go("sesi/keluar?" + urlencode({"lanjut": _here(page)}))


def login_form(page: str, *, denied: bool = False) -> None:
    """The login form (standing in for `page`); on success this tab is signed in, and the browser gets the
    session cookie on its way back to the same page."""
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
    client = client_address()
    result = authenticator().login(username, password, client=client,
                                   device_cookie=cookie(sessions.DEVICE_COOKIE))
    if result.user is not None:
        id_hash, ticket = sessions.start(database(), result.user.username, client=client)
        st.session_state[_SESSION] = id_hash
        st.session_state[_OWN] = True
        _go("sesi/mulai?" + urlencode({"tiket": ticket, "lanjut": _here(page)}))
        # No st.rerun(): a new run clears what the browser has not yet received, the redirect too. The page
        # loads anew, signed in (and without a browser, as under AppTest, the next run is signed in).
        st.stop()
    elif result.reason == "locked" and result.retry_at is not None:
        st.error(t("login_locked", n=int(settings.number("EKTP_LOCKOUT_FAILURES")),
                   jam=formatting.pukul(result.retry_at, lang())))
    elif result.reason == "disabled":
        st.error(t("login_disabled"))
    else:
        st.error(t("login_wrong"))
