"""End to end: the real `streamlit run` server with a fresh demo database, in Debian's Chromium.

Fixtures (tests/conftest.py): new_page (a browser context per test in the session's one Chromium),
demo_server (shared, for tests that write no figure), fresh_server (a test's own)."""

import pytest

from tests.browser import (
    METRIC,
    NAV,
    screenshot,
    settled,
    sign_in,
    upload_as,
    wait_for_text,
    wait_idle,
)
from tests.conftest import ROOT

pytestmark = pytest.mark.browser


def test_ringkasan_url_path_and_language_switch(demo_server, new_page):
    page = new_page(1440, 900)
    page.goto(demo_server + "/ringkasan?lang=en")
    wait_for_text(page, METRIC, "92.26%")
    wait_idle(page)
    assert page.get_by_text("Demo data.").is_visible()
    page.get_by_role("radio", name="Bahasa Indonesia").click()
    wait_for_text(page, METRIC, "92,26%")
    wait_idle(page)
    assert page.get_by_text("Data contoh.").is_visible()
    assert page.console_errors == []
    assert page.external_requests == []


def test_a_page_url_opened_first_on_a_fresh_server_still_goes_through_app_py(fresh_server, new_page):
    # Regression: before anything called st.navigation, Streamlit ran pages/<name>.py directly for
    # /<name>, skipping app.py's frame (demo notice, language, and later the login gate).
    page = new_page()
    page.goto(fresh_server.url + "/ringkasan?lang=en")
    wait_for_text(page, METRIC, "92.26%")
    wait_idle(page)
    assert page.get_by_text("Demo data.").is_visible()
    sidebar = page.locator("[data-testid='stSidebar']").inner_text()
    assert "English" in sidebar and "shared" not in sidebar
    assert page.console_errors == []
    assert page.external_requests == []


def test_upload_in_the_browser_changes_the_front_page(fresh_server, new_page):
    example = ROOT / "data" / "contoh" / "contoh_laporan_harian.csv"
    page = new_page()
    upload_as(page, fresh_server.url, "operator", "contoh-operator-2013", example)
    settled(page, page.get_by_text("+444 rekam, +157 distribusi (Kota Surakarta)"))
    screenshot(page, "unggah_sebelum_simpan_1440x900")
    page.get_by_role("button", name="Simpan").click()
    settled(page, page.get_by_text("Tersimpan sebagai batch"))
    screenshot(page, "unggah_tersimpan_1440x900")
    page.locator(NAV).get_by_text("Ringkasan").click()
    wait_for_text(page, METRIC, "92,37%")
    wait_idle(page)
    assert "383.871" in page.locator(METRIC).all_inner_texts()
    assert page.get_by_text("Per Senin, 28 Oktober 2013").is_visible()
    assert page.console_errors == []
    assert page.external_requests == []


def test_a_plain_file_by_code_uploads_in_the_browser(fresh_server, new_page, tmp_path):
    # The direct way (DuckDB reads the file, tests/test_upload.py) inside the running server.
    plain = tmp_path / "harian_kode.csv"
    plain.write_bytes(b"tanggal;kode_kelurahan;lokasi;rekam;distribusi\n"
                      b"26/10/2013;33.72.01.1001;kelurahan;85;12\n26/10/2013;33.72.01.1002;sekolah;40;0\n")
    page = new_page()
    upload_as(page, fresh_server.url, "operator", "contoh-operator-2013", plain)
    settled(page, page.get_by_text("+125 rekam, +12 distribusi (Kota Surakarta)"))
    page.get_by_text("Pratinjau (20 baris pertama, sesudah dibaca)").click()
    page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=30_000)
    screenshot(page, "unggah_kode_sebelum_simpan_1440x900")
    page.get_by_role("button", name="Simpan").click()
    settled(page, page.get_by_text("Tersimpan sebagai batch"))
    page.locator(NAV).get_by_text("Ringkasan").click()
    wait_for_text(page, METRIC, "383.552")
    wait_idle(page)
    assert "383.552" in page.locator(METRIC).all_inner_texts()
    assert page.console_errors == []
    assert page.external_requests == []


def test_bad_upload_in_the_browser_names_rows_and_writes_nothing(demo_server, new_page):
    bad = ROOT / "tests" / "corpus" / "files" / "banyak_masalah.csv"
    page = new_page()
    upload_as(page, demo_server, "admin", "contoh-admin-2013", bad)
    settled(page, page.get_by_text("Ditolak: 6 masalah"))
    table = page.locator("[data-testid='stTable']").inner_text()
    assert "Pucangsawit" in table and "31/02/2013" in table
    assert page.get_by_role("button", name="Simpan").count() == 0      # the run that refused it has ended
    screenshot(page, "unggah_ditolak_1440x900")
    page.locator(NAV).get_by_text("Ringkasan").click()
    wait_for_text(page, METRIC, "92,26%")
    assert page.console_errors == []


def test_a_visitor_opening_unggah_gets_a_login_form_and_no_uploader(fresh_server, new_page):
    # A fresh server, and /unggah as the very first request: the page must not run even once.
    page = new_page()
    page.goto(fresh_server.url + "/unggah")
    settled(page, page.get_by_role("button", name="Masuk", exact=True))
    assert page.locator("[data-testid='stFileUploaderDropzone']").count() == 0
    nav = page.locator(NAV).inner_text()
    assert "Unggah" not in nav and "Riwayat" not in nav and "Pengguna" not in nav
    screenshot(page, "masuk_1440x900")
    sign_in(page, "operator", "contoh-operator-2013")
    page.locator("[data-testid='stFileUploaderDropzone']").wait_for(timeout=30_000)
    nav = page.locator(NAV).inner_text()
    assert "Unggah" in nav and "Riwayat" in nav and "Pengguna" not in nav
    assert page.console_errors == [] and page.external_requests == []


@pytest.mark.parametrize("path,title", [("riwayat", "Riwayat unggahan"), ("kualitas", "Kualitas data"),
                                        ("pengguna", "Pengguna dan log audit")])
def test_every_staff_url_as_a_fresh_server_s_first_request_shows_the_login_form(fresh_server, new_page, path, title):
    # /unggah and /ringkasan have their own tests above; the other staff pages, each the first request of a
    # server of its own: the login form, and nothing of the page (checked once the form's run has ended).
    page = new_page()
    page.goto(fresh_server.url + "/" + path)
    settled(page, page.get_by_role("button", name="Masuk", exact=True))
    assert page.get_by_text(title).count() == 0
    assert page.locator("[data-testid='stDataFrame']").count() == 0
    assert page.console_errors == [] and page.external_requests == []


def test_markdown_in_a_file_is_shown_as_typed_and_never_fetched(demo_server, new_page):
    sneaky = ROOT / "tests" / "corpus" / "files" / "markdown_di_sel.csv"
    page = new_page()
    upload_as(page, demo_server, "operator", "contoh-operator-2013", sneaky)
    settled(page, page.get_by_text("Ditolak: 1 masalah"))
    # the refusal's run has ended: its table is drawn, with the cell as typed
    assert "**tebal**" in page.locator("[data-testid='stTable']").inner_text()
    assert page.locator("img[src*='127.0.0.1:9']").count() == 0
    assert page.locator("a[href*='127.0.0.1:9']").count() == 0
    assert not [u for u in page.requests if "127.0.0.1:9/" in u]
    assert page.console_errors == []


@pytest.mark.parametrize("username,password,menu", [
    ("pimpinan", "contoh-pimpinan-2013", ["Ringkasan", "Wilayah", "Distribusi kartu", "Keliling", "Kualitas data",
                                       "Akun saya"]),
    ("admin", "contoh-admin-2013", ["Ringkasan", "Wilayah", "Distribusi kartu", "Keliling", "Unggah",
                                    "Isi angka harian", "Riwayat", "Kualitas data", "Pengguna", "Akun saya"]),
])
def test_each_role_sees_exactly_its_pages_in_the_menu(demo_server, new_page, username, password, menu):
    page = new_page()
    page.goto(demo_server + "/masuk")
    sign_in(page, username, password)
    items = page.locator(f"{NAV} a").all_inner_texts()
    assert [i.strip() for i in items] == menu
