"""The lobby screen's logic (ektp_metrics.kiosk) and its routes (ektp_metrics.web): /layar and
/layar/data.json, the handlers called with a Starlette request."""

import datetime as dt
import json
import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ektp_metrics import kiosk
from ektp_metrics.db import Database, set_public_text
from tests.conftest import ROOT

NOW = dt.datetime(2013, 10, 25, 12, 5, tzinfo=dt.UTC)     # 19.05 WIB


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
    late_evening_utc = dt.datetime(2013, 10, 25, 18, 30, tzinfo=dt.UTC)   # 01.30 WIB on the 26th
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


HOSTILE = "<script>alert(1)</script> & Co"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"


def test_names_and_admin_texts_are_escaped_in_every_slide(board):
    # A region's name, a kelurahan/kecamatan/place of a visit, the Wakil Wali Kota's words and the
    # card-pickup place: each comes out as text in every slide that shows it, never as markup.
    from dataclasses import replace

    day, later = pd.Timestamp(board.hari_ini), pd.Timestamp(board.hari_ini + dt.timedelta(days=3))
    visits = pd.DataFrame({"tanggal_mulai": [day, later], "tanggal_selesai": [day, later], "kode_kelurahan": ["a", "b"],
                           "kelurahan": [f"Kel {HOSTILE}", f"Nanti {HOSTILE}"], "kecamatan": [f"Kec {HOSTILE}"] * 2,
                           "tempat": [f"Balai {HOSTILE}", None], "jam_mulai": [dt.time(8)] * 2,
                           "jam_selesai": [dt.time(12)] * 2, "alat": [2, 2]})
    hostile = kiosk.Board(**{**board.__dict__, "kota": replace(board.kota, nama=f"Kota {HOSTILE}"),
                             "bagian": [replace(s, nama=f"{s.nama} {HOSTILE}") for s in board.bagian], "safari": visits,
                             "texts": {"wawali_ajakan": f"Ayo {HOSTILE}", "wawali_nama": f"Wawali {HOSTILE}",
                                       "kartu_tempat": f"Ambil di {HOSTILE}"}})
    shown = {"kota": ["Perekaman e-KTP Kota "],
             "safari": ["Kel ", "Kec. Kec ", "Balai ", "Nanti "],
             "kecamatan": [s.nama + " " for s in board.bagian],
             "kartu": [s.nama + " " for s in board.bagian] + ["Ambil di "],
             "ajakan": ["Ayo ", "— Wawali "]}
    for position, slide in enumerate(kiosk.SLIDES):
        page = kiosk.render(hostile, slide, position, len(kiosk.SLIDES), NOW)
        assert "<script" not in page and "&amp;amp;" not in page, slide           # escaped once, not twice
        assert f"<b>e-KTP Kota {ESCAPED}</b>" in page, slide                      # the header of every slide
        for before in shown[slide]:
            assert before + ESCAPED in page, (slide, before)
    assert "<script" not in kiosk.waiting(HOSTILE) and f"e-KTP {ESCAPED}" in kiosk.waiting(HOSTILE)


def test_the_slides_html_is_in_templates_not_in_kiosk():
    # kiosk decides what each slide shows and passes plain values; the markup and its escaping are the
    # templates' (ektp_metrics/html, autoescape on). No escaping by hand, no value marked safe.
    from ektp_metrics import html

    source = (ROOT / "ektp_metrics" / "kiosk.py").read_text()
    assert not re.search(r"<(div|span|h1|table|tr|td)\b", source)
    assert "html.escape" not in source and "Markup" not in source and "|safe" not in source
    assert html.ENV.autoescape is True
    for name in ("layar_slide.html", "layar_menunggu.html"):
        template = (ROOT / "ektp_metrics" / "html" / name).read_text()
        assert "|safe" not in template.replace(" ", "") and "autoescape false" not in template


def test_stale_notice_is_always_there_and_hidden_unless_stale(board):
    # The page only un-hides it when the server does not answer; the time is that of the figures.
    note = re.compile(r'<span class="layar-catatan"( hidden)?>Pembaruan data tertunda; angka terakhir dari pukul '
                      r'19\.05 WIB</span>')
    assert note.search(kiosk.render(board, "kota", 0, 5, NOW)).group(1) == " hidden"
    assert note.search(kiosk.render(board, "kota", 0, 5, NOW, stale_since=NOW)).group(1) is None


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
    from tests.helpers import DAY, make_national

    monkeypatch.setenv("EKTP_TODAY", DAY.isoformat())
    path = make_national(tmp_path, nama="Dua Provinsi")
    with Database(path, create=False) as db:
        board = kiosk.read_board(db)
    assert board.tingkat_bagian == "provinsi" and [s.nama for s in board.bagian] == ["Prov 33", "Prov 35"]
    page = text(kiosk.render(board, "kota", 0, 5, NOW))
    assert page.startswith("e-KTP Dua Provinsi") and "Perekaman e-KTP Dua Provinsi" in page
    assert "Kemajuan per provinsi" in text(kiosk.render(board, "kecamatan", 2, 5, NOW))
    assert text(kiosk.waiting("Dua Provinsi")).startswith("e-KTP Dua Provinsi")


# ---- the routes: /layar and /layar/data.json (ektp_metrics.web) -------------------------------------------

def request(path: str, query: str = ""):
    from starlette.requests import Request

    return Request({"type": "http", "method": "GET", "scheme": "http", "server": ("127.0.0.1", 8501),
                    "path": path, "query_string": query.encode(), "headers": []})


@pytest.fixture
def lobby(monkeypatch):
    """The routes' handlers over a private set of shared databases (db.shared), closed afterwards."""
    from ektp_metrics import db, web

    opened: dict = {}
    monkeypatch.setattr(db, "_SHARED", opened)
    monkeypatch.delenv("EKTP_TODAY", raising=False)
    yield web.Lobby()
    for database in opened.values():
        database.close()


def figures(lobby, path, monkeypatch) -> tuple[int, dict]:
    monkeypatch.setenv("EKTP_DB", str(path))
    response = lobby.data(request("/layar/data.json"))
    assert response.media_type == "application/json" and response.headers["cache-control"] == "no-store"
    return response.status_code, json.loads(response.body)


def test_the_figures_hold_every_slide_rendered(lobby, demo_path, monkeypatch):
    status, payload = figures(lobby, demo_path, monkeypatch)
    assert status == 200 and payload["ok"] and payload["nama"] == "Kota Surakarta"
    assert [s["nama"] for s in payload["slides"]] == list(kiosk.SLIDES)
    kota = text(payload["slides"][0]["html"])
    assert "92,26%" in kota and "383.427 warga sudah rekam" in kota and "Data per Jumat, 25 Oktober 2013" in kota
    assert payload["data_per"] == "2013-10-25" and re.fullmatch(r"\d\d\.\d\d", payload["diperbarui"])
    for position, slide in enumerate(payload["slides"]):   # each with its place in the dots, its note hidden
        assert f'data-slide="{slide["nama"]}"' in slide["html"]
        assert slide["html"].count('<span class="aktif">') == 1
        assert '<span class="layar-catatan" hidden>Pembaruan data tertunda' in slide["html"]
        dots = re.findall(r'<span class="(aktif)?"></span>', slide["html"])
        assert len(dots) == 5 and dots[position] == "aktif"


def test_the_figures_are_read_once_per_write_and_cache_period(lobby, demo_path, monkeypatch):
    from ektp_metrics import db, web

    reads = []
    real = web.kiosk.read_board
    monkeypatch.setattr(web.kiosk, "read_board", lambda d: reads.append(d) or real(d))
    monkeypatch.setenv("EKTP_CACHE_SECONDS", "3600")
    first = figures(lobby, demo_path, monkeypatch)
    assert figures(lobby, demo_path, monkeypatch) == first and len(reads) == 1    # idle polls cost nothing
    # A write through the process's one Database (what Pengguna and every upload use) bumps its version:
    # the next poll reads the new figures, with no cache period to wait for.
    set_public_text(db.shared(demo_path), "wawali_nama", "Wawali <Baru>", by="test")
    status, payload = figures(lobby, demo_path, monkeypatch)
    assert status == 200 and len(reads) == 2
    assert "Wawali &lt;Baru&gt;" in payload["slides"][-1]["html"]


def test_an_unreadable_database_answers_503_and_logs_the_cause(lobby, demo_path, monkeypatch, caplog):
    with demo_path.open("r+b") as f:     # the file's headers overwritten: DuckDB cannot open it
        f.write(b"\0" * 4096)
    with caplog.at_level("ERROR", logger="ektp.layar"):
        status, payload = figures(lobby, demo_path, monkeypatch)
        assert status == 503 and payload == {"ok": False}                 # no traceback, no message
        assert figures(lobby, demo_path, monkeypatch)[0] == 503            # the screens keep polling …
        status, payload = figures(lobby, demo_path.parent / "weg.duckdb", monkeypatch)   # a missing file too
        assert status == 503 and payload == {"ok": False}
    logged = [r.getMessage() for r in caplog.records if r.name == "ektp.layar"]
    assert len(logged) == 2 and "rusak atau tidak terbaca" in logged[0] and "belum ada" in logged[1]  # … each cause once


def test_a_failed_read_answers_503_and_the_next_poll_reads_again(lobby, demo_path, monkeypatch, caplog):
    from ektp_metrics import web

    def broken(_db):
        raise RuntimeError("boom")

    real = web.kiosk.read_board
    monkeypatch.setattr(web.kiosk, "read_board", broken)
    with caplog.at_level("ERROR", logger="ektp.layar"):
        status, payload = figures(lobby, demo_path, monkeypatch)
    assert (status, payload) == (503, {"ok": False}) and "boom" in caplog.text     # the cause, in the log only
    monkeypatch.setattr(web.kiosk, "read_board", real)
    assert figures(lobby, demo_path, monkeypatch)[0] == 200                      # failures are not kept


def test_without_data_the_screen_waits_calmly(lobby, fresh_db, db_path, monkeypatch):
    fresh_db.close()
    status, payload = figures(lobby, db_path, monkeypatch)
    assert status == 200 and payload["ok"] and payload["slides"] == []
    assert payload["nama"] == "Kota Surakarta" and "Data sedang disiapkan" in payload["menunggu"]


def test_the_figures_need_no_login_even_when_dashboards_do(lobby, demo_path, monkeypatch):
    monkeypatch.setenv("EKTP_EXEC_LOGIN", "1")
    assert figures(lobby, demo_path, monkeypatch)[0] == 200


def shell(lobby, query: str = "") -> tuple[str, dict]:
    response = lobby.page(request("/layar", query))
    assert response.status_code == 200 and response.media_type.startswith("text/html")
    return response.body.decode(), response.headers


def config(page: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="layar-config">(.*?)</script>', page).group(1))


@pytest.mark.parametrize("query,seconds", [("", 15), ("detik=20", 20), ("embed=true&detik=5", 5),
                                           ("detik=%22%3E%3Cscript%3E", 15), ("detik=1", 5)])
def test_the_page_takes_seconds_per_slide_from_the_url(lobby, query, seconds):
    page, _ = shell(lobby, query)
    assert config(page) == {"detik": seconds, "poll": 15, "data": "layar/data.json"}


@pytest.mark.parametrize("query,seconds", [("", 15), ("segar=2", 2), ("segar=60&detik=5", 60), ("segar=0", 2),
                                           ("segar=9999", 300), ("segar=x", 15)])
def test_the_page_takes_seconds_between_reads_from_the_url(lobby, query, seconds):
    page, _ = shell(lobby, query)
    assert config(page)["poll"] == seconds


def test_the_page_loads_nothing_from_outside_and_reads_no_database(lobby, monkeypatch):
    from ektp_metrics import db

    def no_database(_path):
        raise AssertionError("the page itself must not need the database")

    monkeypatch.setattr(db, "shared", no_database)
    page, headers = shell(lobby)
    assert not re.search(r"(https?:)?//[a-z0-9]", page, re.IGNORECASE)          # no URL leaving the server
    assert "@font-face" not in page and "<link rel=\"stylesheet\"" not in page
    assert "Data sedang disiapkan" in page and 'data-testid' not in page          # no Streamlit frame
    # Only the page's own script runs: its nonce is in the policy, which allows nothing from elsewhere.
    nonce = re.search(r"<script nonce=\"([^\"]+)\">", page).group(1)
    policy = headers["content-security-policy"]
    assert f"script-src 'nonce-{nonce}'" in policy and "default-src 'none'" in policy and "connect-src 'self'" in policy
    assert shell(lobby)[0] != page                                                # a new nonce every time
    assert headers["cache-control"] == "no-cache"


def test_the_page_escapes_and_takes_only_a_bundled_font(lobby):
    from ektp_metrics import web

    assert web._ENV.from_string("{{ x }}").render(x="<img src=x onerror=alert(1)>") == \
        "&lt;img src=x onerror=alert(1)&gt;"
    font = "static/media/SourceSansVF-Upright.ttf.BsWL4Kly.woff2"
    page, _ = shell(web.Lobby(font))
    assert f'src: url("{font}") format("woff2")' in page
    for hostile in ('x");} body{background:url(http://evil.example/x)', "https://evil.example/f.woff2",
                    "static/media/../../secret.woff2"):
        assert "@font-face" not in shell(web.Lobby(hostile))[0]


def test_the_routes_answer_the_documented_url(lobby):
    from ektp_metrics import web

    paths = [r.path for r in web.routes()]
    assert [p for p in paths if not p.startswith("/api/v1/")] == [
        "/layar", "/layar/", "/layar/data.json", "/sesi/mulai", "/sesi/keluar"]
    assert "/api/v1/ringkasan" in paths and paths[paths.index("/layar") - 1] == "/api/v1/{rest:path}"
    moved = lobby.page(request("/layar/", "embed=true&detik=5"))
    assert moved.status_code == 301 and moved.headers["location"] == "/layar?embed=true&detik=5"
    assert not (ROOT / "pages" / "layar.py").exists() and '"layar"' not in (ROOT / "app.py").read_text()
