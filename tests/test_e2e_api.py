"""The HTTP API in the running app (`streamlit run serve.py`), with Chromium: an admin makes a token on
Pengguna, a script uploads with it, and the pages and the lobby show the new figures; the server believes no
X-Forwarded-For it was not told to."""

from __future__ import annotations

import re

import pytest

from tests.apiserver import call
from tests.browser import METRIC, screenshot, settled, sign_in, wait_for_text

pytestmark = pytest.mark.browser

DAY_FILE = b"tanggal,kode_kelurahan,lokasi,rekam,distribusi\n26/10/2013,33.72.05.1001,kelurahan,50,20\n"


def test_a_token_from_pengguna_uploads_by_api_and_pages_and_lobby_show_it(fresh_server, new_page):
    base = fresh_server.url
    page = new_page(1440, 900)
    page.goto(base + "/pengguna")
    page.get_by_role("textbox", name="Nama pengguna").wait_for(timeout=30_000)
    sign_in(page, "admin", "contoh-admin-2013")
    page.get_by_role("textbox", name="Nama token").fill("SIAK malam")
    page.get_by_role("button", name="Buat token", exact=True).click()
    code = page.locator("[data-testid='stCode']").filter(has_text="Bearer ektp_")
    settled(page, code)
    secret = re.search(r"ektp_[A-Za-z0-9_-]{43}", code.first.inner_text()).group(0)
    screenshot(page, "pengguna_token_dibuat_1440x900")

    before = call(base + "/api/v1/ringkasan")
    assert before.status == 200 and before.json()["sudah_rekam"] == 383_427
    assert call(base + "/api/v1/unggah?nama=harian.csv", method="POST", data=DAY_FILE).status == 401
    saved = call(base + "/api/v1/unggah?nama=harian.csv", method="POST", data=DAY_FILE, token=secret)
    assert saved.status == 201, saved.body
    assert call(base + "/api/v1/ringkasan", headers={"If-None-Match": before.headers["etag"]}).json()[
        "sudah_rekam"] == 383_477

    page.goto(base + "/ringkasan")
    wait_for_text(page, METRIC, "383.477")                 # no cache cleared by hand: the data's version moved
    lobby = new_page(1920, 1080)
    lobby.goto(base + "/layar")
    lobby.get_by_text("383.477").first.wait_for(timeout=30_000)
    batch = saved.json()["batch_id"]
    page.goto(base + f"/riwayat?batch={batch}")                   # the batch, the token's user as its author
    settled(page, page.get_by_text(re.compile(rf"^Batch {batch} · 1 baris · oleh admin")))
    assert page.console_errors == [] and page.external_requests == []


def test_the_server_believes_no_forwarded_address_unless_told(fresh_server_limited):
    base = fresh_server_limited.url
    statuses = [call(base + "/api/v1/publikasi", headers={"X-Forwarded-For": f"10.1.1.{n}"}).status
                for n in range(3)]
    assert statuses == [200, 200, 429]          # all from 127.0.0.1: uvicorn did not take the header's word


@pytest.fixture
def fresh_server_limited(chromium, demo_template, tmp_path_factory):
    from tests.conftest import _server_on_a_copy

    server = _server_on_a_copy(demo_template, tmp_path_factory.mktemp("e2e_api_limit"),
                               {"EKTP_API_BURST": "2", "EKTP_API_RATE": "1"})
    try:
        server.ready()
        yield server
    finally:
        server.stop()
