"""The lobby screen's logic (ektp_metrics.kiosk) and the /layar page through AppTest."""

import datetime as dt
import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ektp_metrics import kiosk
from ektp_metrics.db import Database, set_public_text
from tests.test_app import page_app, run_app

NOW = dt.datetime(2013, 10, 25, 12, 5, tzinfo=dt.timezone.utc)     # 19.05 WIB


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@pytest.fixture(scope="module")
def board(demo_template):
    db = Database(demo_template, create=False, read_only=True)
    yield kiosk.read_board(db)
    db.close()


@pytest.mark.parametrize("value,expected", [(None, 15), ("20", 20), (" 7 ", 7), ("1", 5), ("9999", 300),
                                            ("abc", 15), ("", 15), ("12.5", 15)])
def test_seconds_from_the_url(value, expected):
    assert kiosk.seconds_from(value) == expected


@given(st.integers(min_value=1, max_value=10), st.integers(min_value=0, max_value=50))
def test_slides_cycle_through_every_one(count, start):
    seen, position = [], kiosk.next_slide(None, count)
    for _ in range(count):
        seen.append(position)
        position = kiosk.next_slide(position, count)
    assert sorted(seen) == list(range(count)) and position == seen[0] == 0


@pytest.mark.parametrize("n,said", [(999, "999"), (32_122, "± 32 ribu"), (37_748, "± 38 ribu"), (1_540_000, "± 1,5 juta")])
def test_numbers_as_said_aloud(n, said):
    assert kiosk.kira_kira(n) == said


def test_board_reads_the_report_and_the_demo_day(board):
    assert board.data_per == board.hari_ini == dt.date(2013, 10, 25) and board.demo
    assert (board.kota.sudah_rekam, board.kota.belum_rekam) == (383_427, 32_122)
    assert len(board.bagian) == 5 and board.tingkat_bagian == "kecamatan" and board.texts["wawali_ajakan"].startswith("Segera rekam e-KTP")
    assert kiosk.slides_for(board) == list(kiosk.SLIDES)


def test_calendar_day_is_solo_time_for_a_live_database(fresh_db, monkeypatch):
    monkeypatch.delenv("EKTP_TODAY", raising=False)
    late_evening_utc = dt.datetime(2013, 10, 25, 18, 30, tzinfo=dt.timezone.utc)   # 01.30 WIB on the 26th
    assert kiosk.calendar_day(fresh_db, late_evening_utc) == dt.date(2013, 10, 26)
    monkeypatch.setenv("EKTP_TODAY", "2013-11-01")
    assert kiosk.calendar_day(fresh_db, late_evening_utc) == dt.date(2013, 11, 1)


def test_city_slide(board):
    page = text(kiosk.render(board, "kota", 0, 5, NOW))
    assert "92,26%" in page and "383.427 warga sudah rekam" in page and "± 32 ribu warga belum rekam" in page
    assert "Target: 100% pada 31 Desember 2013 — 67 hari lagi" in page
    assert "Data per Jumat, 25 Oktober 2013 · diperbarui 19.05 WIB" in page and "DATA CONTOH" in page


def test_safari_slide_today_and_next(board):
    page = text(kiosk.render(board, "safari", 1, 5, NOW))
    # the demo's last block before the report is Kadipiro alone, on 24–26 October
    assert "Hari ini, Jumat, 25 Oktober 2013 Kadipiro · Kec. Banjarsari" in page
    assert "pukul 15.00–21.00 (sore–malam)" in page
    assert "28 Okt – 30 Okt Jagalan, Jebres, Joyosuran, Punggawan, Semanggi" in page
    assert page.count(" Okt – ") + page.count(" Nov – ") == kiosk.UPCOMING_BLOCKS


def test_safari_slide_without_a_visit_today(board):
    quiet = kiosk.Board(**{**board.__dict__, "hari_ini": dt.date(2013, 10, 27),
                           "safari": board.safari[board.safari["tanggal_mulai"] > "2013-10-27"]})
    assert "tidak ada layanan keliling" in text(kiosk.render(quiet, "safari", 1, 5, NOW))


def test_kecamatan_cards_and_call_slides(board):
    page = text(kiosk.render(board, "kecamatan", 2, 5, NOW))
    assert page.index("Banjarsari") < page.index("Serengan")          # best first
    assert "90,56%" in page and "3.810 belum" in page
    page = text(kiosk.render(board, "kartu", 3, 5, NOW))
    assert "345.679 kartu sudah diterima warga" in page and "37.748 warga sudah rekam, kartu belum diterima" in page
    assert "11.908 kartu" in page and "Tanyakan kartu Anda di kantor kelurahan" in page
    assert "siap diambil" not in page       # the centre's figure (Nov 2012) is older than what was delivered
    page = text(kiosk.render(board, "ajakan", 4, 5, NOW))
    assert "Achmad Purnomo, Wakil Wali Kota Surakarta" in page and "Kartu identitas ini mulai berlaku aktif 2014" in page


def test_admin_text_is_escaped_and_an_empty_call_drops_its_slide(board):
    hostile = kiosk.Board(**{**board.__dict__, "texts": {"wawali_ajakan": "<img src=x onerror=alert(1)>",
                                                         "wawali_nama": "<b>X</b>", "kartu_tempat": ""}})
    html = kiosk.render(hostile, "ajakan", 4, 5, NOW)
    assert "<img" not in html and "&lt;img" in html and "&lt;b&gt;X" in html
    silent = kiosk.Board(**{**board.__dict__, "texts": {"wawali_ajakan": "", "wawali_nama": "", "kartu_tempat": ""}})
    assert "ajakan" not in kiosk.slides_for(silent)


def test_stale_notice(board):
    page = text(kiosk.render(board, "kota", 0, 5, NOW, stale_since=NOW))
    assert "Pembaruan data tertunda; angka terakhir dari pukul 19.05 WIB" in page


# ---- the page, through AppTest -----------------------------------------------------------------------

def slide(at) -> str:
    html = "".join(h.proto.body for h in at.get("html"))
    found = re.search(r'data-slide="([a-z]+)"', html)
    return found.group(1) if found else ""


def test_layar_rotates_slides_and_has_no_controls(demo_path, monkeypatch):
    at = page_app(monkeypatch, demo_path, "layar.py", user=None)
    shown = [slide(at)]
    for _ in range(5):
        at.run()
        shown.append(slide(at))
    assert shown == ["kota", "safari", "kecamatan", "kartu", "ajakan", "kota"]
    assert not at.button and not at.selectbox and not at.text_input and not at.sidebar.children


def test_layar_keeps_the_last_figures_when_the_database_is_unavailable(demo_path, tmp_path, monkeypatch):
    at = page_app(monkeypatch, demo_path, "layar.py", user=None)
    import streamlit as st_
    st_.cache_data.clear()
    monkeypatch.setenv("EKTP_DB", str(tmp_path / "weg.duckdb"))      # the file is gone
    at.run()
    assert not at.exception and not at.error
    html = "".join(h.proto.body for h in at.get("html"))
    assert slide(at) == "safari" and "Kadipiro" in html          # the last good figures, still rotating
    assert "Pembaruan data tertunda" in html


def test_layar_without_data_waits_calmly(fresh_db, db_path, monkeypatch):
    fresh_db.close()
    at = page_app(monkeypatch, db_path, "layar.py", user=None)
    assert "Data sedang disiapkan" in "".join(h.proto.body for h in at.get("html")) and not at.error


def test_layar_shows_an_upload_after_the_cache_is_cleared(demo_path, monkeypatch):
    at = page_app(monkeypatch, demo_path, "layar.py", user=None)
    db = Database(demo_path, create=False)
    set_public_text(db, "wawali_nama", "Wawali Baru", by="test")
    db.close()
    from pages._shared import clear_caches
    clear_caches()                  # what every upload does
    for _ in range(4):
        at.run()
    assert "Wawali Baru" in "".join(h.proto.body for h in at.get("html"))


def test_layar_needs_no_login_even_when_dashboards_do(demo_path, monkeypatch):
    at = run_app(monkeypatch, demo_path, EKTP_EXEC_LOGIN="1")
    at.switch_page("pages/layar.py").run()
    assert not at.exception
    assert slide(at) == "kota" and not any("Masuk" in t.value for t in at.title)


def test_safari_slide_handles_missing_places_and_different_hours(board):
    day = pd.Timestamp(2013, 10, 28)
    rows = pd.DataFrame({"tanggal_mulai": [day, day], "tanggal_selesai": [day, day], "kode_kelurahan": ["a", "b"],
                         "kelurahan": ["Jagalan", "Jebres"], "kecamatan": ["Jebres", "Jebres"],
                         "tempat": [float("nan"), None], "jam_mulai": [dt.time(15), dt.time(8)],
                         "jam_selesai": [dt.time(21), dt.time(12)], "alat": [2, 2]})
    quiet = kiosk.Board(**{**board.__dict__, "hari_ini": dt.date(2013, 10, 28), "safari": rows})
    page = text(kiosk.render(quiet, "safari", 1, 5, NOW))
    assert "nan" not in page and "None" not in page
    assert "Jagalan pukul 15.00–21.00, Jebres pukul 08.00–12.00" in page
    one = kiosk.Board(**{**quiet.__dict__, "safari": rows.head(1)})
    assert "Kantor Kelurahan Jagalan, pukul 15.00–21.00" in text(kiosk.render(one, "safari", 1, 5, NOW))


def test_days_left_count_from_the_calendar_and_missing_targets_are_said(board):
    monday = kiosk.Board(**{**board.__dict__, "hari_ini": dt.date(2013, 10, 28)})
    assert "64 hari lagi" in text(kiosk.render(monday, "kota", 0, 5, NOW))
    from dataclasses import replace
    partial = kiosk.Board(**{**board.__dict__, "kota": replace(board.kota, kelurahan_tanpa_target=3)})
    assert "3 kelurahan belum punya angka wajib KTP" in text(kiosk.render(partial, "kota", 0, 5, NOW))



def test_a_long_list_below_the_whole_shows_its_lowest_that_fit_the_screen(board):
    # A province's list: 12 kabupaten/kota below the whole; the screen holds 8 (progress) and 6 (cards).
    from dataclasses import replace

    parts = [replace(board.kota, kode=f"33.{i:02d}", nama=f"Kab {i:02d}", tingkat="kota",
                     persen_rekam=board.kota.persen_rekam - i, backlog_distribusi=1000 + i) for i in range(12)]
    wide = kiosk.Board(**{**board.__dict__, "bagian": parts, "tingkat_bagian": "kota"})
    page = text(kiosk.render(wide, "kecamatan", 2, 5, NOW))
    assert "Kemajuan per kabupaten/kota — 8 terendah dari 12" in page
    shown = re.findall(r"Kab \d\d", page)
    assert shown == [f"Kab {i:02d}" for i in range(4, 12)]          # the 8 lowest, best of them first
    page = text(kiosk.render(wide, "kartu", 3, 5, NOW))
    assert "Kartu yang belum diterima, per kabupaten/kota — 6 terbanyak dari 12" in page
    assert re.findall(r"Kab \d\d", page) == [f"Kab {i:02d}" for i in range(11, 5, -1)]
    # Solo's five kecamatan all fit: no "dari"
    assert "terendah" not in text(kiosk.render(board, "kecamatan", 2, 5, NOW))


def test_the_screen_follows_another_region_list(tmp_path, monkeypatch):
    from tests.test_pages_national import DAY, make_national

    monkeypatch.setenv("EKTP_TODAY", DAY.isoformat())
    path = make_national(tmp_path, nama="Dua Provinsi")
    with Database(path, create=False) as db:
        board = kiosk.read_board(db)
    assert board.tingkat_bagian == "provinsi" and [s.nama for s in board.bagian] == ["Prov 33", "Prov 35"]
    page = text(kiosk.render(board, "kota", 0, 5, NOW))
    assert page.startswith("e-KTP Dua Provinsi") and "Perekaman e-KTP Dua Provinsi" in page
    assert "Kemajuan per provinsi" in text(kiosk.render(board, "kecamatan", 2, 5, NOW))
    assert text(kiosk.waiting("Dua Provinsi")).startswith("e-KTP Dua Provinsi")
