"""The login gate through AppTest: who sees which page."""

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from ektp_metrics import sessions
from ektp_metrics.db import Database
from tests.apptest import app_test, page_app, run_app, sign_in, switch_to
from tests.conftest import ROOT


def open_as(monkeypatch, db_path, page: str, user: str | None, **env: str) -> AppTest:
    monkeypatch.setenv("EKTP_DB", str(db_path))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    at = app_test()
    if user:
        sign_in(at, user)
    at.run()
    if page != "pages/ringkasan.py":
        switch_to(at, page.removeprefix("pages/").removesuffix(".py")).run()
    assert not at.exception, at.exception
    return at


def shows_login(at: AppTest) -> bool:
    return [t.value for t in at.title] == ["Masuk petugas"]


@pytest.mark.parametrize("page", ["pages/unggah.py", "pages/riwayat.py", "pages/pengguna.py"])
def test_a_visitor_gets_the_login_form_never_the_page(demo_path, monkeypatch, page):
    at = open_as(monkeypatch, demo_path, page, None)
    assert shows_login(at)
    assert not at.get("file_uploader") and not at.dataframe


@pytest.mark.parametrize("user,page,allowed", [
    ("operator", "pages/unggah.py", True), ("operator", "pages/riwayat.py", True),
    ("operator", "pages/pengguna.py", False), ("admin", "pages/pengguna.py", True),
    ("admin", "pages/unggah.py", True), ("pimpinan", "pages/unggah.py", False),
    ("pimpinan", "pages/riwayat.py", False), ("pimpinan", "pages/ringkasan.py", True),
])
def test_each_role_opens_exactly_its_pages(demo_path, monkeypatch, user, page, allowed):
    at = open_as(monkeypatch, demo_path, page, user)
    assert shows_login(at) is not allowed
    if not allowed:
        assert any("hanya untuk petugas dengan peran" in w.value for w in at.warning)


def test_the_login_form_signs_in(demo_path, monkeypatch):
    at = page_app(monkeypatch, demo_path, "masuk.py", user=None)
    assert any("Akun contoh" in c.value for c in at.caption)          # the demo labels its accounts
    at.text_input[0].input("operator")
    at.text_input[1].input("contoh-operator-2013")
    at.button[0].click().run()
    assert not at.exception and "auth_sesi" in at.session_state
    at.run()   # in a browser, the page loads anew with its cookie (sesi/mulai): signed in
    assert any("Masuk sebagai Operator" in s.value for s in at.success)
    with Database(demo_path, create=False) as db:   # the session is in the database, by its hash only
        assert db.fetch_all("SELECT username, ended_at FROM sessions WHERE id_hash = ?",
                            [at.session_state["auth_sesi"]]) == [("operator", None)]


def test_wrong_password_is_refused(demo_path, monkeypatch):
    at = page_app(monkeypatch, demo_path, "masuk.py", user=None)
    at.text_input[0].input("operator")
    at.text_input[1].input("bukan-kata-sandinya")
    at.button[0].click().run()
    assert any("salah" in e.value for e in at.error) and shows_login(at)


@pytest.mark.parametrize("idle_minutes,stays", [(31, False), (29, True)])
def test_a_session_ends_after_thirty_idle_minutes(demo_path, monkeypatch, idle_minutes, stays):
    monkeypatch.setenv("EKTP_DB", str(demo_path))
    at = app_test()
    with Database(demo_path, create=False) as db:
        seen = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(minutes=idle_minutes)
        at.session_state["auth_sesi"] = sessions.start(db, "operator", now=seen)[0]
    at.run()
    switch_to(at, "unggah").run()
    assert shows_login(at) is not stays
    with Database(demo_path, create=False) as db:
        ended, last_seen = db.fetch_one("SELECT end_reason, last_seen_at FROM sessions WHERE username = 'operator'")
    if stays:
        assert ended is None and last_seen > seen                  # and the run counted as activity
    else:
        assert ended == "kedaluwarsa" and any("Sesi berakhir" in i.value for i in at.info)


def test_dashboards_behind_a_login_when_configured(demo_path, monkeypatch):
    at = run_app(monkeypatch, demo_path, EKTP_EXEC_LOGIN="1")
    assert shows_login(at) and not at.metric
    monkeypatch.setenv("EKTP_EXEC_LOGIN", "1")
    signed = open_as(monkeypatch, demo_path, "pages/ringkasan.py", "pimpinan")
    assert signed.metric[0].value == "92,26%"


def test_the_sidebar_offers_logout(demo_path, monkeypatch):
    at = open_as(monkeypatch, demo_path, "pages/ringkasan.py", "admin")
    assert any("Masuk sebagai Admin" in c.value for c in at.sidebar.caption)
    at.sidebar.button(key="logout").click().run()
    assert "auth_sesi" not in at.session_state and shows_login(switch_to(at, "unggah").run())
    with Database(demo_path, create=False) as db:
        assert db.fetch_all("SELECT end_reason FROM sessions WHERE username = 'admin'") == [("keluar",)]


def test_a_password_reset_ends_open_sessions(demo_path, monkeypatch):
    from ektp_metrics.auth import PasswordStore
    at = page_app(monkeypatch, demo_path, "masuk.py", user=None)
    at.text_input[0].input("operator")
    at.text_input[1].input("contoh-operator-2013")
    at.button[0].click().run()
    assert "auth_sesi" in at.session_state
    with Database(demo_path, create=False) as db:
        PasswordStore(db).reset_password("operator", "sandi-baru-operator", by="admin")
    at.run()
    assert "auth_sesi" not in at.session_state
    assert any("baru diganti" in i.value for i in at.info)


def test_a_tab_that_signed_in_itself_never_falls_back_to_the_cookie_it_came_with(demo_path, monkeypatch):
    # A tab opened with pimpinan's cookie (denied Unggah) signs in as operator; when operator's session ends
    # elsewhere, the tab is signed out, not silently pimpinan again.
    with Database(demo_path, create=False) as db:
        _, ticket = sessions.start(db, "pimpinan")
        pimpinans_cookie = sessions.TICKETS.redeem(ticket)[0]
    monkeypatch.setattr("pages._session.cookie",
                        lambda name: pimpinans_cookie if name == sessions.SESSION_COOKIE else None)
    at = page_app(monkeypatch, demo_path, "masuk.py", user=None)
    assert any("Kantor Wawali" in s.value for s in at.success)          # signed in through the cookie
    with Database(demo_path, create=False) as db:
        operators = sessions.start(db, "operator")[0]
    at.session_state["auth_sesi"] = operators
    at.session_state["auth_own"] = True
    at.run()
    assert any("Masuk sebagai Operator" in s.value for s in at.success)
    with Database(demo_path, create=False) as db:
        sessions.end(db, operators, "keluar")
    at.run()
    assert any("sudah keluar" in i.value for i in at.info)
    at.run()   # and at every run after
    assert not at.success and len(at.text_input) == 2   # the login form


def test_a_disabled_account_is_signed_out_at_once(demo_path, monkeypatch):
    from ektp_metrics.auth import PasswordStore
    at = page_app(monkeypatch, demo_path, "masuk.py", user="operator")
    with Database(demo_path, create=False) as db:
        PasswordStore(db).set_active("operator", False, by="admin")
    at.run()
    assert "auth_sesi" not in at.session_state


@pytest.mark.parametrize("user,page,allowed", [
    ("admin", "pages/riwayat.py", True), ("pimpinan", "pages/pengguna.py", False),
    ("operator", "pages/ringkasan.py", True), (None, "pages/ringkasan.py", True),
])
def test_more_role_pairs(demo_path, monkeypatch, user, page, allowed):
    assert shows_login(open_as(monkeypatch, demo_path, page, user)) is not allowed


@pytest.mark.parametrize("page", sorted(p.name for p in (ROOT / "pages").glob("*.py")))
def test_a_page_file_run_on_its_own_shows_nothing(demo_path, monkeypatch, page):
    # Streamlit runs pages/<name>.py by itself where it emulates a legacy pages/ folder (before any
    # st.navigation): a page is a function that only app.py calls, behind its login gate.
    monkeypatch.setenv("EKTP_DB", str(demo_path))
    at = AppTest.from_file(str(ROOT / "pages" / page), default_timeout=60)
    sign_in(at, "admin")    # even for a signed-in admin, who could open every page
    at.run()
    assert not at.exception, at.exception
    assert not at.main.children and not at.sidebar.children


def test_a_page_opened_through_app_py_takes_a_click(demo_path, monkeypatch):
    monkeypatch.setenv("EKTP_DB", str(demo_path))
    at = sign_in(app_test(), "admin").run()
    switch_to(at, "pengguna").run()
    assert [t.value for t in at.title] == ["Pengguna dan log audit"]
    at.button(key="backup_now").click().run()
    assert not at.exception
    assert any("cocok dengan database" in s.value for s in at.success)
