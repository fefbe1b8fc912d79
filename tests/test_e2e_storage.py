"""End to end, issue 17: the database file moved, deleted or rotten under the running app, in Chromium.

Each gets its Bahasa message and no "Tersimpan"; a rotten file after a restart gives the login form and the
staff pages a message naming the latest good backup.
"""

import os
import shutil
import subprocess
import sys

import pytest

from ektp_metrics import backup
from tests.browser import (
    rerun,
    screenshot,
    settled,
    sign_in,
    streamlit_process,
    upload_as,
)
from tests.conftest import ROOT
from tests.helpers import rot

pytestmark = pytest.mark.browser
EXAMPLE = ROOT / "data" / "contoh" / "contoh_laporan_harian.csv"


PREVIEW = "+444 rekam, +157 distribusi (Kota Surakarta)"


def save_and_expect(page, message: str) -> None:
    """Press Simpan; the message shows, and never 'Tersimpan'."""
    page.get_by_role("button", name="Simpan").click()
    settled(page, page.get_by_text(message))
    assert page.get_by_text("Tersimpan").count() == 0


def test_moved_deleted_and_rotten_files_in_the_browser(demo_template, new_page, tmp_path):
    db = tmp_path / "ektp.duckdb"
    shutil.copyfile(demo_template, db)
    env = {**os.environ, "EKTP_DB": str(db)}
    page = new_page()
    with streamlit_process(db, tmp_path / "server.log") as (url, _):
        # a good backup first, taken by the running app for the command line
        made = subprocess.run([sys.executable, "-m", "ektp_metrics", "backup"], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)
        assert made.returncode == 0, made.stderr

        # and one an admin takes by pressing Cadangkan sekarang on Pengguna: listed with its check
        page.goto(url + "/pengguna")
        page.get_by_role("textbox", name="Nama pengguna").wait_for(timeout=30_000)
        sign_in(page, "admin", "contoh-admin-2013")
        page.get_by_role("button", name="Cadangkan sekarang").click()
        settled(page, page.get_by_text("dan cocok dengan database."), timeout=60_000)
        listed = backup.list_backups(tmp_path / "cadangan")
        assert listed[0].by == "admin:admin" and all(b.good for b in listed)
        assert {b.by for b in listed} >= {"admin:admin", "jadwal"}   # the start's catch-up, the CLI's, the admin's
        page.get_by_role("heading", name="Cadangan database").evaluate("e => e.scrollIntoView({block: 'start'})")
        screenshot(page, "pengguna_cadangan_1440x900")
        page.locator("[data-testid='stSidebar']").get_by_text("Keluar").click()
        page.get_by_role("button", name="Masuk", exact=True).wait_for(timeout=30_000)

        upload_as(page, url, "operator", "contoh-operator-2013", EXAMPLE)
        page.get_by_text(PREVIEW).wait_for(timeout=30_000)           # checked, ready to save
        db.rename(tmp_path / "dipindah.duckdb")                       # moved away under the app
        save_and_expect(page, "tidak ada lagi di tempatnya")
        screenshot(page, "berkas_dipindah_1440x900")
        (tmp_path / "dipindah.duckdb").rename(db)                     # and back: the same file again

        db.unlink()                                                   # deleted under the app
        rerun(page, page.get_by_text("Unggahan koreksi").click)       # any rerun checks the file again
        settled(page, page.get_by_text("Perubahan ini TIDAK disimpan"))
        assert page.get_by_text("tidak ada lagi di tempatnya").count() >= 2   # the staff banner, and the refusal
        assert page.get_by_text("Tersimpan").count() == 0
        assert page.get_by_role("button", name="Simpan").count() == 0
        assert page.get_by_text("Memeriksa berkas").count() == 0      # no progress bar left hanging
        screenshot(page, "berkas_dihapus_1440x900")
        assert page.console_errors == [] and page.external_requests == []

    # the server stopped; the file at the path is a rotten copy: every page names the latest good backup
    good = backup.latest_good(tmp_path / "cadangan")
    assert good is not None
    shutil.copyfile(good.path, db)
    rot(db, None)
    page = new_page()
    with streamlit_process(db, tmp_path / "server2.log") as (url, _):
        for path in ("/masuk", "/unggah", "/"):
            page.goto(url + path)
            settled(page, page.get_by_text("Database tidak terbaca."))
            text = page.locator("[data-testid='stMain']").inner_text()
            assert good.path.name in text and "python -m ektp_metrics restore" in text
            assert page.get_by_role("textbox", name="Kata sandi").count() == 0
            assert "This app has encountered an error" not in text and "Traceback" not in text
            if path == "/masuk":
                screenshot(page, "database_rusak_masuk_1440x900")
        assert page.external_requests == []
