"""Sessions (ektp_metrics.sessions) and the two cookie routes (ektp_metrics.web.SessionCookies), without a browser;
the Akun saya page under AppTest. Chromium tests: tests/test_e2e_sessions.py."""

import datetime as dt
from urllib.parse import urlencode

import pytest
from starlette.requests import Request

from ektp_metrics import auth, sessions, web
from ektp_metrics.db import Database
from tests.apptest import page_app

T0 = dt.datetime(2026, 12, 5, 4, 0)


@pytest.fixture
def demo(demo_path, monkeypatch):
    monkeypatch.setenv("EKTP_DB", str(demo_path))
    with Database(demo_path, create=False) as db:
        yield db


def test_a_session_is_kept_by_its_hash_and_ends_when_idle(demo, monkeypatch):
    monkeypatch.setenv("EKTP_SESSION_MINUTES", "30")
    id_hash, ticket = sessions.start(demo, "operator", client="10.0.0.7", now=T0)
    token, username = sessions.TICKETS.redeem(ticket)
    assert username == "operator" and sessions.token_hash(token) == id_hash and len(token) >= 43
    assert demo.fetch_value("SELECT count(*) FROM sessions WHERE id_hash = ?", [token]) == 0
    assert sessions.check(demo, id_hash, now=T0 + dt.timedelta(minutes=29)) == sessions.Checked("operator")
    # activity moved the idle clock: 29 minutes after that is still in
    assert sessions.check(demo, id_hash, now=T0 + dt.timedelta(minutes=58)).username == "operator"
    assert sessions.check(demo, id_hash, now=T0 + dt.timedelta(minutes=89)) == sessions.Checked(None, "kedaluwarsa")
    assert sessions.check(demo, id_hash, now=T0 + dt.timedelta(minutes=90)).ended == "kedaluwarsa"   # stays ended
    assert sessions.check(demo, "0" * 64) == sessions.Checked(None, "tidak_ada")


def test_a_ticket_is_good_once(demo):
    _, ticket = sessions.start(demo, "operator")
    assert sessions.TICKETS.redeem(ticket) is not None
    assert sessions.TICKETS.redeem(ticket) is None
    assert sessions.TICKETS.redeem("tebakan") is None


def test_account_changes_end_sessions(demo):
    store = auth.PasswordStore(demo)
    keep, _ = sessions.start(demo, "operator")
    other, _ = sessions.start(demo, "operator")
    admins, _ = sessions.start(demo, "admin")
    operator = store.get("operator")
    assert store.change_password(operator, "contoh-operator-2013", "sandi-baru-ku-1", "sandi-baru-ku-1",
                                 session=keep) == 1
    assert sessions.check(demo, other).ended == "kata_sandi" and sessions.check(demo, keep).username == "operator"
    store.set_active("operator", False, by="admin")
    assert sessions.check(demo, keep).ended == "nonaktif"
    assert sessions.check(demo, admins).username == "admin"           # nobody else's
    store.reset_password("admin", "sandi-admin-baru-1", by="admin")
    assert sessions.check(demo, admins).ended == "kata_sandi"
    actions = auth.audit_log(demo)["action"].tolist()
    assert "kata_sandi_diganti" in actions


@pytest.mark.parametrize("old,new,again,code", [
    ("contoh-operator-2013", "sandi-baru-ku-1", "sandi-baru-ku-2", "password_mismatch"),
    ("contoh-operator-2013", "pendek", "pendek", "password_short"),
    ("contoh-operator-2013", "contoh-operator-2013", "contoh-operator-2013", "password_same"),
    ("salah-sekali-123", "sandi-baru-ku-1", "sandi-baru-ku-1", "password_old_wrong"),
])
def test_a_password_change_follows_the_rules(demo, old, new, again, code):
    store = auth.PasswordStore(demo)
    before = demo.fetch_value("SELECT password_hash FROM users WHERE username = 'operator'")
    with pytest.raises(auth.AccountError) as refused:
        store.change_password(store.get("operator"), old, new, again, session=None)
    assert refused.value.code == code
    assert demo.fetch_value("SELECT password_hash FROM users WHERE username = 'operator'") == before


def test_wrong_old_passwords_count_as_failed_logins(demo):
    store = auth.PasswordStore(demo)
    operator = store.get("operator")
    for _ in range(4):
        with pytest.raises(auth.AccountError, match="password_old_wrong"):
            store.change_password(operator, "salah-sekali-123", "sandi-baru-ku-1", "sandi-baru-ku-1", session=None)
    with pytest.raises(auth.AccountError) as locked:
        store.change_password(operator, "salah-sekali-123", "sandi-baru-ku-1", "sandi-baru-ku-1", session=None)
    assert locked.value.code == "password_locked"


@pytest.mark.parametrize("peer,forwarded,proxies,expected", [
    ("10.0.0.7", "1.2.3.4", "", "10.0.0.7"),                    # no trusted proxy: the header is ignored
    ("10.0.0.1", "1.2.3.4", "10.0.0.1", "1.2.3.4"),
    ("10.0.0.1", "6.6.6.6, 1.2.3.4", "10.0.0.1", "1.2.3.4"),    # what the client itself wrote comes first
    ("10.0.0.9", "1.2.3.4", "10.0.0.1", "10.0.0.9"),            # not the proxy: its header is not believed
    (None, "1.2.3.4", "127.0.0.1", "1.2.3.4"),                  # nginx on this machine
    ("10.0.0.1", "bukan-alamat", "10.0.0.1", ""),
])
def test_the_client_address_behind_a_trusted_proxy(monkeypatch, peer, forwarded, proxies, expected):
    monkeypatch.setenv("EKTP_TRUSTED_PROXY", proxies)
    assert sessions.client_address(peer, forwarded) == expected


class Answer:
    def __init__(self, response):
        self.status_code = response.status_code
        self.location = response.headers.get("location")
        self.cookies = response.headers.getlist("set-cookie")


def get(path: str, params: dict[str, str] | None = None, headers: dict[str, str] | None = None,
        cookies: dict[str, str] | None = None) -> Answer:
    """One GET to a route of web.routes(), as the server hands it over (http://127.0.0.1:8501)."""
    raw = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    if cookies:
        raw.append((b"cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()).encode()))
    scope = {"type": "http", "method": "GET", "path": path, "root_path": "", "scheme": "http",
             "query_string": urlencode(params or {}).encode(), "headers": [(b"host", b"127.0.0.1:8501"), *raw],
             "server": ("127.0.0.1", 8501), "client": ("127.0.0.1", 50000)}
    route = next(r for r in web.routes() if getattr(r, "path", None) == path)
    return Answer(route.endpoint(Request(scope)))


def test_the_cookie_route_sets_the_session_and_device_cookies(demo):
    id_hash, ticket = sessions.start(demo, "operator")
    answer = get("/sesi/mulai", {"tiket": ticket, "lanjut": "riwayat?batch=3&lang=id"})
    assert answer.status_code == 303 and answer.location == "/riwayat?batch=3&lang=id"
    cookies = {c.split("=", 1)[0]: c for c in answer.cookies}
    session = cookies[sessions.SESSION_COOKIE]
    assert "HttpOnly" in session and "SameSite=strict" in session and "Path=/" in session
    assert "Max-Age" not in session and "expires" not in session.lower() and "Secure" not in session
    assert sessions.token_hash(session.split("=", 1)[1].split(";")[0]) == id_hash
    device = cookies[sessions.DEVICE_COOKIE]
    assert f"Max-Age={365 * 86400}" in device and "HttpOnly" in device
    value = device.split("=", 1)[1].split(";")[0]
    assert sessions.trusted_device(demo, value, "operator") and not sessions.trusted_device(demo, value, "admin")
    again = get("/sesi/mulai", {"tiket": ticket, "lanjut": "riwayat"})
    assert again.status_code == 303 and not again.cookies     # used: nothing set


@pytest.mark.parametrize("lanjut", ["https://evil.example/", "//evil.example", "/\\evil", "../x", "a/b"])
def test_the_way_back_is_only_a_page_of_this_app(demo, lanjut):
    answer = get("/sesi/keluar", {"lanjut": lanjut})
    assert answer.status_code == 303 and answer.location == "/"


def test_another_site_cannot_sign_a_browser_in_or_out(demo):
    _, ticket = sessions.start(demo, "operator")
    for path, params in (("/sesi/mulai", {"tiket": ticket}), ("/sesi/keluar", {})):
        for site in ("cross-site", "same-site"):
            answer = get(path, params, headers={"Sec-Fetch-Site": site})
            assert answer.status_code == 403 and not answer.cookies
    assert sessions.TICKETS.redeem(ticket) is not None     # the refused request did not use it up


def test_signing_out_through_the_route_ends_the_session_and_clears_the_cookie(demo):
    id_hash, ticket = sessions.start(demo, "operator")
    token, _ = sessions.TICKETS.redeem(ticket)
    answer = get("/sesi/keluar", {"lanjut": "unggah"}, cookies={sessions.SESSION_COOKIE: token})
    assert answer.status_code == 303 and answer.location == "/unggah"
    cleared = next(c for c in answer.cookies if c.startswith(sessions.SESSION_COOKIE))
    assert "Max-Age=0" in cleared
    assert sessions.check(demo, id_hash).ended == "keluar"


def test_the_akun_page_changes_the_password(demo_path, monkeypatch):
    at = page_app(monkeypatch, demo_path, "akun.py", user="operator")
    at.text_input(key="akun_old").input("contoh-operator-2013")
    at.text_input(key="akun_new").input("sandi-baru-ku-1")
    at.text_input(key="akun_again").input("sandi-baru-ku-2")
    at.button[0].click().run()
    assert any("tidak sama" in e.value for e in at.error)
    at.text_input(key="akun_old").input("contoh-operator-2013")
    at.text_input(key="akun_new").input("sandi-baru-ku-1")
    at.text_input(key="akun_again").input("sandi-baru-ku-1")
    at.button[0].click().run()
    assert not at.exception
    assert any("Kata sandi diganti. 0 sesi lain diakhiri." in s.value for s in at.success)
    with Database(demo_path, create=False) as db:
        assert auth.PasswordStore(db).login("operator", "sandi-baru-ku-1").reason == "ok"
