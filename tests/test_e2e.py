"""End to end: the real `streamlit run` server with a fresh demo database, in Debian's Chromium."""

from contextlib import contextmanager

import pytest

from tests.conftest import ROOT
from tests.browser import (chromium_page, require_chromium, screenshot, streamlit_server, wait_for_text,
                           wait_idle)

pytestmark = pytest.mark.browser


def upload_as(page, base_url: str, username: str, password: str, path) -> None:
    """Open Unggah, sign in and choose a file, as a clerk does."""
    page.goto(base_url + "/unggah")
    wait_idle(page)
    sign_in(page, username, password)
    with page.expect_file_chooser() as chooser:
        page.locator("[data-testid='stFileUploaderDropzone']").click()
    chooser.value.set_files(str(path))


def sign_in(page, username: str, password: str) -> None:
    page.get_by_role("textbox", name="Nama pengguna").fill(username)
    page.get_by_role("textbox", name="Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.locator("[data-testid='stSidebar']").get_by_text("Keluar").wait_for(timeout=30_000)
    wait_idle(page)
METRIC = "[data-testid='stMetricValue']"


@contextmanager
def fresh_server(demo_template, folder):
    """A new `streamlit run` process on a private copy of the demo database, and a browser page."""
    require_chromium()
    db = folder / "ektp.duckdb"
    db.write_bytes(demo_template.read_bytes())
    with streamlit_server(db, folder / "streamlit.log") as url, chromium_page() as page:
        yield url, page


@pytest.fixture(scope="module")
def server(demo_template, tmp_path_factory):
    require_chromium()
    folder = tmp_path_factory.mktemp("e2e")
    db = folder / "ektp.duckdb"
    db.write_bytes(demo_template.read_bytes())
    with streamlit_server(db, folder / "streamlit.log") as url:
        yield url


def test_ringkasan_in_chromium_shows_92_26(server):
    with chromium_page(1440, 900) as page:
        page.goto(server + "/")
        wait_idle(page)
        wait_for_text(page, METRIC, "92,26%")
        values = page.locator(METRIC).all_inner_texts()
        assert {"92,26%", "383.427", "32.122", "345.679", "37.748", "67"} <= set(values)
        assert page.get_by_text("Data contoh.").is_visible()
        page.wait_for_selector(".js-plotly-plot .bars", timeout=15_000)
        charts = page.locator("[data-testid='stPlotlyChart']")
        assert charts.count() == 3
        assert "punya 3 versi" in charts.nth(0).inner_text()
        assert "menyumbang" in charts.nth(1).inner_text()
        assert "Serengan paling tertinggal" in charts.nth(2).inner_text()
        screenshot(page, "ringkasan_1440x900")
        assert page.console_errors == []
        assert page.external_requests == []


def test_ringkasan_url_path_and_language_switch(server):
    with chromium_page(1440, 900) as page:
        page.goto(server + "/ringkasan?lang=en")
        wait_idle(page)
        wait_for_text(page, METRIC, "92.26%")
        assert page.get_by_text("Demo data.").is_visible()
        page.get_by_role("radio", name="Bahasa Indonesia").click()
        wait_for_text(page, METRIC, "92,26%")
        assert page.get_by_text("Data contoh.").is_visible()
        assert page.console_errors == []
        assert page.external_requests == []


def test_a_page_url_opened_first_on_a_fresh_server_still_goes_through_app_py(demo_template, tmp_path):
    # Regression: before anything called st.navigation, Streamlit ran pages/<name>.py directly for
    # /<name>, skipping app.py's frame (demo notice, language, and later the login gate).
    with fresh_server(demo_template, tmp_path) as (url, page):
        page.goto(url + "/ringkasan?lang=en")
        wait_idle(page)
        wait_for_text(page, METRIC, "92.26%")
        assert page.get_by_text("Demo data.").is_visible()
        sidebar = page.locator("[data-testid='stSidebar']").inner_text()
        assert "English" in sidebar and "shared" not in sidebar
        assert page.console_errors == []
        assert page.external_requests == []


def test_upload_in_the_browser_changes_the_front_page(demo_template, tmp_path):
    example = ROOT / "data" / "contoh" / "contoh_laporan_harian.csv"
    with fresh_server(demo_template, tmp_path) as (url, page):
        upload_as(page, url, "operator", "contoh-operator-2013", example)
        page.get_by_text("+444 rekam, +157 distribusi (Kota Surakarta)").wait_for(timeout=30_000)
        screenshot(page, "unggah_sebelum_simpan_1440x900")
        page.get_by_role("button", name="Simpan").click()
        page.get_by_text("Tersimpan sebagai batch").wait_for(timeout=30_000)
        screenshot(page, "unggah_tersimpan_1440x900")
        page.locator("[data-testid='stSidebarNav']").get_by_text("Ringkasan").click()
        wait_idle(page)
        wait_for_text(page, METRIC, "92,37%")
        assert "383.871" in page.locator(METRIC).all_inner_texts()
        assert page.get_by_text("Per Senin, 28 Oktober 2013").is_visible()
        assert page.console_errors == []
        assert page.external_requests == []


def test_a_plain_file_by_code_uploads_in_the_browser(demo_template, tmp_path):
    # The direct way (DuckDB reads the file, tests/test_upload.py) inside the running server.
    plain = tmp_path / "harian_kode.csv"
    plain.write_bytes(b"tanggal;kode_kelurahan;lokasi;rekam;distribusi\n"
                      b"26/10/2013;33.72.01.1001;kelurahan;85;12\n26/10/2013;33.72.01.1002;sekolah;40;0\n")
    with fresh_server(demo_template, tmp_path) as (url, page):
        upload_as(page, url, "operator", "contoh-operator-2013", plain)
        page.get_by_text("+125 rekam, +12 distribusi (Kota Surakarta)").wait_for(timeout=30_000)
        page.get_by_text("Pratinjau (20 baris pertama, sesudah dibaca)").click()
        page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=30_000)
        screenshot(page, "unggah_kode_sebelum_simpan_1440x900")
        page.get_by_role("button", name="Simpan").click()
        page.get_by_text("Tersimpan sebagai batch").wait_for(timeout=30_000)
        page.locator("[data-testid='stSidebarNav']").get_by_text("Ringkasan").click()
        wait_idle(page)
        assert "383.552" in page.locator(METRIC).all_inner_texts()
        assert page.console_errors == []
        assert page.external_requests == []


def test_bad_upload_in_the_browser_names_rows_and_writes_nothing(server):
    bad = ROOT / "tests" / "corpus" / "files" / "banyak_masalah.csv"
    with chromium_page() as page:
        upload_as(page, server, "admin", "contoh-admin-2013", bad)
        page.get_by_text("Ditolak: 6 masalah").wait_for(timeout=30_000)
        table = page.locator("[data-testid='stTable']").inner_text()
        assert "Pucangsawit" in table and "31/02/2013" in table
        assert page.get_by_role("button", name="Simpan").count() == 0
        screenshot(page, "unggah_ditolak_1440x900")
        page.locator("[data-testid='stSidebarNav']").get_by_text("Ringkasan").click()
        wait_idle(page)
        wait_for_text(page, METRIC, "92,26%")
        assert page.console_errors == []


def test_a_visitor_opening_unggah_gets_a_login_form_and_no_uploader(demo_template, tmp_path):
    # A fresh server, and /unggah as the very first request: the page must not run even once.
    with fresh_server(demo_template, tmp_path) as (url, page):
        page.goto(url + "/unggah")
        wait_idle(page)
        page.get_by_role("button", name="Masuk", exact=True).wait_for(timeout=30_000)
        assert page.locator("[data-testid='stFileUploaderDropzone']").count() == 0
        nav = page.locator("[data-testid='stSidebarNav']").inner_text()
        assert "Unggah" not in nav and "Riwayat" not in nav and "Pengguna" not in nav
        screenshot(page, "masuk_1440x900")
        sign_in(page, "operator", "contoh-operator-2013")
        page.locator("[data-testid='stFileUploaderDropzone']").wait_for(timeout=30_000)
        nav = page.locator("[data-testid='stSidebarNav']").inner_text()
        assert "Unggah" in nav and "Riwayat" in nav and "Pengguna" not in nav
        assert page.console_errors == [] and page.external_requests == []


def test_five_wrong_passwords_lock_the_account(demo_template, tmp_path):
    # Its own server: the lock would otherwise outlive this test for the shared one.
    with fresh_server(demo_template, tmp_path) as (server, page):
        page.goto(server + "/masuk")
        wait_idle(page)
        for _ in range(5):
            page.get_by_role("textbox", name="Nama pengguna").fill("pimpinan")
            page.get_by_role("textbox", name="Kata sandi").fill("bukan-kata-sandinya")
            page.get_by_role("button", name="Masuk", exact=True).click()
            wait_idle(page)
        page.get_by_text("Akun dikunci karena 5 kali salah kata sandi").wait_for(timeout=30_000)
        page.get_by_role("textbox", name="Nama pengguna").fill("pimpinan")
        page.get_by_role("textbox", name="Kata sandi").fill("contoh-pimpinan-2013")
        page.get_by_role("button", name="Masuk", exact=True).click()
        wait_idle(page)
        page.get_by_text("Akun dikunci").wait_for(timeout=30_000)   # the right password waits too
        assert page.locator("[data-testid='stSidebar']").get_by_text("Keluar").count() == 0
        screenshot(page, "terkunci_1440x900")


def test_markdown_in_a_file_is_shown_as_typed_and_never_fetched(server):
    sneaky = ROOT / "tests" / "corpus" / "files" / "markdown_di_sel.csv"
    with chromium_page() as page:
        upload_as(page, server, "operator", "contoh-operator-2013", sneaky)
        page.get_by_text("Ditolak: 1 masalah").wait_for(timeout=30_000)
        page.wait_for_timeout(1000)
        assert page.locator("img[src*='127.0.0.1:9']").count() == 0
        assert page.locator("a[href*='127.0.0.1:9']").count() == 0
        assert not [u for u in page.requests if "127.0.0.1:9/" in u]
        assert "**tebal**" in page.locator("[data-testid='stTable']").inner_text()
        assert page.console_errors == []


@pytest.mark.parametrize("username,password,menu", [
    ("pimpinan", "contoh-pimpinan-2013", ["Ringkasan", "Wilayah", "Distribusi kartu", "Keliling", "Kualitas data"]),
    ("admin", "contoh-admin-2013", ["Ringkasan", "Wilayah", "Distribusi kartu", "Keliling", "Unggah", "Riwayat",
                                    "Kualitas data", "Pengguna"]),
])
def test_each_role_sees_exactly_its_pages_in_the_menu(server, username, password, menu):
    with chromium_page() as page:
        page.goto(server + "/masuk")
        wait_idle(page)
        sign_in(page, username, password)
        items = page.locator("[data-testid='stSidebarNav'] a").all_inner_texts()
        assert [i.strip() for i in items] == menu
