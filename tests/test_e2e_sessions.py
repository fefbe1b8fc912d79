"""Sessions in the browser (issue 19): the login rides on an HttpOnly cookie, so a reload, a new tab, a bookmark
and a server restart keep it; signing out, idling, a disabled account and a changed password end it in
every tab; a stranger's guesses never lock out the owner's browser."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import pytest

from ektp_metrics import sessions
from ektp_metrics.db import Database
from tests.browser import StreamlitServer, free_port, rerun, screenshot, settled, sign_in, wait_idle, watched

pytestmark = pytest.mark.browser

SIDEBAR = "[data-testid='stSidebar']"
OPERATOR, ADMIN, PIMPINAN = ("operator", "contoh-operator-2013"), ("admin", "contoh-admin-2013"), \
    ("pimpinan", "contoh-pimpinan-2013")


def signed_in(page) -> None:
    settled(page, page.locator(SIDEBAR).get_by_text("Keluar"))


def login_form(page) -> None:
    settled(page, page.get_by_role("button", name="Masuk", exact=True))
    assert page.locator(SIDEBAR).get_by_text("Keluar").count() == 0


@contextmanager
def browsers(chromium, count: int) -> Iterator[list]:
    """`count` browsers of their own (contexts: no cookies shared), closed at the end."""
    contexts = [chromium.new_context(viewport={"width": 1440, "height": 900}) for _ in range(count)]
    try:
        yield contexts
    finally:
        for context in contexts:
            context.close()


def open_signed_in(context, url: str, who: tuple[str, str]):
    page = watched(context.new_page())
    page.goto(url)
    page.get_by_role("textbox", name="Nama pengguna").wait_for(timeout=30_000)
    sign_in(page, *who)
    return page


def test_reload_new_tab_bookmark_and_restart_keep_the_login(chromium, demo_template, tmp_path):
    db = tmp_path / "ektp.duckdb"
    db.write_bytes(demo_template.read_bytes())
    port = free_port()
    context = chromium.new_context(viewport={"width": 1440, "height": 900})
    server = StreamlitServer(db, tmp_path / "server.log", port=port)
    try:
        url = server.ready()
        page = open_signed_in(context, url + "/unggah", OPERATOR)
        page.locator("[data-testid='stFileUploaderDropzone']").wait_for(timeout=30_000)

        cookies = {c["name"]: c for c in context.cookies()}
        session, device = cookies[sessions.SESSION_COOKIE], cookies[sessions.DEVICE_COOKIE]
        assert session["httpOnly"] and session["sameSite"] == "Strict" and session["expires"] == -1
        assert device["httpOnly"] and device["sameSite"] == "Strict"
        assert device["expires"] > time.time() + 360 * 86_400                    # a year
        assert len(session["value"]) >= 43                                        # 256 random bits, base64url

        page.reload()                                                             # F5
        signed_in(page)
        page.locator("[data-testid='stFileUploaderDropzone']").wait_for(timeout=30_000)
        tab = watched(context.new_page())                                                  # a new tab, a bookmark
        tab.goto(url + "/riwayat?batch=1")
        signed_in(tab)
        settled(tab, tab.get_by_text("Batch 1", exact=False))
        screenshot(tab, "sesi_tab_baru_1440x900")
        tab.close()

        server.stop()                                                             # a server restart
        server = StreamlitServer(db, tmp_path / "server2.log", port=port)
        server.ready()
        page.goto(url + "/unggah")
        signed_in(page)
        page.locator("[data-testid='stFileUploaderDropzone']").wait_for(timeout=30_000)
    finally:
        context.close()
        server.stop()
    # The database holds the session by its hash only: the cookie's value is in no table.
    with Database(db, create=False) as opened:
        assert opened.fetch_all("SELECT username, ended_at FROM sessions WHERE id_hash = ?",
                                [sessions.token_hash(session["value"])]) == [("operator", None)]
        assert opened.fetch_value("SELECT count(*) FROM sessions WHERE id_hash = ?", [session["value"]]) == 0


def test_signing_out_in_one_tab_ends_the_other(demo_server, chromium):
    context = chromium.new_context(viewport={"width": 1440, "height": 900})
    try:
        first = open_signed_in(context, demo_server + "/riwayat", OPERATOR)
        second = watched(context.new_page())
        second.goto(demo_server + "/unggah")
        signed_in(second)
        with first.expect_navigation(timeout=30_000):                            # sesi/keluar clears the cookie
            first.locator(SIDEBAR).get_by_role("button", name="Keluar").click()
        login_form(first)
        assert sessions.SESSION_COOKIE not in {c["name"] for c in context.cookies()}
        # the other tab still shows Unggah; its next action shows the login form, saying why
        rerun(second, second.locator(SIDEBAR).get_by_text("Riwayat").click)
        login_form(second)
        settled(second, second.get_by_text("Anda sudah keluar (di tab lain)"))
        screenshot(second, "sesi_keluar_di_tab_lain_1440x900")
    finally:
        context.close()


def test_an_idle_session_expires(demo_template, chromium, tmp_path):
    db = tmp_path / "ektp.duckdb"
    db.write_bytes(demo_template.read_bytes())
    # 0,15 minute: nine seconds without a run end the session (activity is noted at most every 2,25 s)
    server = StreamlitServer(db, tmp_path / "server.log", env={"EKTP_SESSION_MINUTES": "0.15"})
    context = chromium.new_context(viewport={"width": 1440, "height": 900})
    try:
        page = open_signed_in(context, server.ready() + "/unggah", OPERATOR)
        time.sleep(11)                                                            # idle, longer than 9 s
        rerun(page, page.locator(SIDEBAR).get_by_text("Riwayat").click)
        login_form(page)
        settled(page, page.get_by_text("Sesi berakhir karena tidak ada aktivitas"))
        page.reload()                                                             # the cookie no longer signs in
        login_form(page)
    finally:
        context.close()
        server.stop()


def test_a_strangers_failures_never_lock_out_the_owners_browser(fresh_server, chromium):
    with browsers(chromium, 2) as (owner, stranger):
        # the owner signed in on this browser before (it holds pimpinan's device cookie), and signed out
        page = open_signed_in(owner, fresh_server.url + "/masuk", PIMPINAN)
        with page.expect_navigation(timeout=30_000):
            page.locator(SIDEBAR).get_by_role("button", name="Keluar").click()
        login_form(page)

        guess = watched(stranger.new_page())
        guess.goto(fresh_server.url + "/masuk")
        login_form(guess)
        for attempt in range(5):
            guess.get_by_role("textbox", name="Nama pengguna").fill("pimpinan")
            guess.get_by_role("textbox", name="Kata sandi").fill("bukan-kata-sandinya")
            if attempt == 4:
                before = dt.datetime.now(dt.UTC)
            rerun(guess, guess.get_by_role("button", name="Masuk", exact=True).click)
        after = dt.datetime.now(dt.UTC)
        settled(guess, guess.get_by_text("Akun dikunci karena 5 kali salah kata sandi"))
        # the time to try again is Solo's: 15 minutes after the fifth failure, in WIB (UTC+7)
        shown = re.search(r"Coba lagi pukul (\d{2})\.(\d{2}) WIB", guess.get_by_text("Akun dikunci").inner_text())
        assert shown, guess.get_by_text("Akun dikunci").inner_text()
        wib = ZoneInfo("Asia/Jakarta")
        earliest, latest = ((t + dt.timedelta(minutes=15)).astimezone(wib).replace(second=0, microsecond=0)
                            for t in (before, after))
        retry = earliest.replace(hour=int(shown[1]), minute=int(shown[2]))
        if retry < earliest - dt.timedelta(hours=12):   # past midnight between the two
            retry += dt.timedelta(days=1)
        assert earliest <= retry <= latest, (shown[0], earliest, latest)

        page.goto(fresh_server.url + "/masuk")                                    # the owner: let in
        login_form(page)
        sign_in(page, *PIMPINAN)
        assert page.get_by_text("Akun dikunci").count() == 0

        guess.get_by_role("textbox", name="Nama pengguna").fill("pimpinan")       # the stranger: still locked,
        guess.get_by_role("textbox", name="Kata sandi").fill(PIMPINAN[1])         # the right password too
        rerun(guess, guess.get_by_role("button", name="Masuk", exact=True).click)
        settled(guess, guess.get_by_text("Akun dikunci"))
        assert guess.locator(SIDEBAR).get_by_text("Keluar").count() == 0
        assert sessions.DEVICE_COOKIE not in {c["name"] for c in stranger.cookies()}
        screenshot(guess, "terkunci_orang_lain_1440x900")


def test_a_password_change_ends_the_other_sessions_and_disabling_ends_the_last(fresh_server, chromium):
    with browsers(chromium, 3) as (here, elsewhere, boss):
        other = open_signed_in(elsewhere, fresh_server.url + "/unggah", OPERATOR)
        page = open_signed_in(here, fresh_server.url + "/akun", OPERATOR)
        page.get_by_role("textbox", name="Kata sandi sekarang").fill(OPERATOR[1])
        page.get_by_role("textbox", name="Kata sandi baru", exact=True).fill("sandi-baru-operator-1")
        page.get_by_role("textbox", name="Ulangi kata sandi").fill("sandi-baru-operator-1")
        rerun(page, page.get_by_role("button", name="Ganti kata sandi").click)
        settled(page, page.get_by_text("Kata sandi diganti. 1 sesi lain diakhiri."))
        screenshot(page, "akun_ganti_sandi_1440x900")
        rerun(other, other.locator(SIDEBAR).get_by_text("Riwayat").click)        # the other computer: out
        login_form(other)
        settled(other, other.get_by_text("Kata sandi akun ini baru diganti"))
        page.reload()                                                             # this one: still in
        signed_in(page)

        # an admin disables the account: its open tab is signed out at its next action
        admin = open_signed_in(boss, fresh_server.url + "/pengguna", ADMIN)
        admin.get_by_role("tab", name="Kelola pengguna").click()
        admin.get_by_role("tabpanel", name="Kelola pengguna").get_by_test_id("stSelectbox").click()
        admin.get_by_role("option", name="operator").click()
        wait_idle(admin)
        rerun(admin, admin.get_by_role("button", name="Nonaktifkan").click)
        settled(admin, admin.get_by_text("Status akun operator diubah."))
        rerun(page, page.locator(SIDEBAR).get_by_text("Unggah").click)
        login_form(page)
        settled(page, page.get_by_text("Akun ini dinonaktifkan"))
