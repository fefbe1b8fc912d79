"""The AppTest harness the page tests share: app.py run from its text, signing in, opening a page by its
URL path, and one page run inside app.py's frame (streamlit.testing.v1, no browser)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


def sign_in(at: AppTest, username: str) -> AppTest:
    """A session signed in as a demo account, as pages._session.login_form leaves it: a session in the
    database (EKTP_DB) that this AppTest session knows by its id hash."""
    from ektp_metrics import sessions, settings
    from ektp_metrics.db import Database

    with Database(settings.db_path(), create=False) as db:
        at.session_state["auth_sesi"] = sessions.start(db, username, client="uji")[0]
    return at


def app_test() -> AppTest:
    """app.py under AppTest as the server runs it: routed by st.navigation from the first run. (From its file,
    beside pages/, AppTest would start every run in Streamlit's emulation of a legacy pages/ folder, which
    serve.py switches off: there a page file would run on its own, and show nothing.)"""
    return AppTest.from_string((ROOT / "app.py").read_text(), default_timeout=60)


def run_app(monkeypatch, db_path, **env: str) -> AppTest:
    """Run app.py once against `db_path`, with extra settings; a page must never raise."""
    monkeypatch.setenv("EKTP_DB", str(db_path))
    for name in ("EKTP_TODAY", "EKTP_LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    at = app_test().run()
    assert not at.exception, at.exception
    return at


def switch_to(at: AppTest, url_path: str) -> AppTest:
    """Open the page app.py registers under `url_path` on the next run (AppTest.switch_page finds a page by
    its file, and app.py's pages are functions); call run() first so the navigation is known."""
    from streamlit.util import calc_hash

    at._page_hash = calc_hash(url_path)   # what switch_page sets: st.Page hashes its url_path
    return at


def open_chart_data(at: AppTest) -> AppTest:
    """Open every chart's "Data grafik" expander (drawn only when opened, pages._widgets.chart) and run again,
    as a click on each would. AppTest has no click for an expander: its state is set by key."""
    keys = [k for k in at.session_state._state.filtered_state if str(k).startswith("chart_data_")]
    assert keys, "no chart data expander on the page"
    for key in keys:
        at.session_state[key] = True
    at.run()
    assert not at.exception, at.exception
    return at


def _framed_page(page_module: str) -> None:
    import importlib

    from pages._store import storage_guard

    with storage_guard():   # as app.py runs a page
        importlib.import_module(page_module).render()


def page_app(monkeypatch, db_path, page: str, user: str | None = "operator", **env: str) -> AppTest:
    """One page ("unggah.py": pages/unggah.py's render()) run inside app.py's storage guard, without
    st.navigation: the page itself, not who may open it (tests/test_pages_auth.py tests the gate through
    app.py). Clicks work here and through app_test() + switch_to() alike (the clicked st.button that read
    False after AppTest.switch_page came with Streamlit's legacy pages/ emulation, which app_test() avoids).
    """
    monkeypatch.setenv("EKTP_DB", str(db_path))
    for name in ("EKTP_TODAY", "EKTP_LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    at = AppTest.from_function(_framed_page, args=(f"pages.{page.removesuffix('.py')}",), default_timeout=60)
    if user:
        sign_in(at, user)
    at.run()
    assert not at.exception, at.exception
    return at


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)
