"""Isi angka harian in Chromium at a phone's 390×844 (issue 21): a clerk signs in, types two rows and saves;
nothing on the page is wider than the screen. Its own server (fresh_server): it writes."""

import pytest

from tests.browser import screenshot, settled, wait_idle

pytestmark = pytest.mark.browser


def choose(page, field, text: str) -> None:
    """A Streamlit selectbox: open it, type to filter, take the first match."""
    field.click()
    page.keyboard.type(text)
    page.get_by_role("option").filter(has_text=text).first.click()
    wait_idle(page)


def test_a_clerk_types_two_rows_on_a_phone_and_saves(fresh_server, new_page):
    page = new_page(390, 844)
    page.goto(fresh_server.url + "/isi")
    page.get_by_role("textbox", name="Nama pengguna").wait_for(timeout=30_000)
    # sign_in() waits for "Keluar" in the sidebar, which a phone keeps closed: wait for the page instead
    page.get_by_role("textbox", name="Nama pengguna").fill("operator")
    page.get_by_role("textbox", name="Kata sandi").fill("contoh-operator-2013")
    with page.expect_navigation(timeout=30_000):
        page.get_by_role("button", name="Masuk", exact=True).click()
    settled(page, page.get_by_role("heading", name="Isi angka harian"))

    page.get_by_role("button", name="Tambah baris").click()
    settled(page, page.get_by_text("Isian 2"))
    for n, (kelurahan, lokasi, rekam, kartu) in enumerate([("Pajang", "Pasar", "80", "5"),
                                                          ("Jebres", "Sekolah", "12", "0")]):
        choose(page, page.get_by_role("combobox", name="Kelurahan").nth(n), kelurahan)
        choose(page, page.get_by_role("combobox", name="Lokasi").nth(n), lokasi)
        page.get_by_role("spinbutton", name="Rekam hari ini").nth(n).fill(rekam)
        page.get_by_role("spinbutton", name="Kartu dibagikan").nth(n).fill(kartu)
    page.get_by_text("Isian 1").scroll_into_view_if_needed()
    screenshot(page, "isi_angka_baris_390x844")
    page.get_by_role("button", name="Periksa").click()
    change = page.get_by_text("+92 rekam, +5 distribusi (Kota Surakarta)")
    settled(page, change)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Simpan").scroll_into_view_if_needed()
    screenshot(page, "isi_angka_390x844")      # the check: what the rows change, and Simpan
    page.get_by_role("button", name="Simpan").click()
    settled(page, page.get_by_text("Tersimpan sebagai batch").first)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "isi_angka_tersimpan_390x844")
    assert page.console_errors == [] and page.external_requests == []
