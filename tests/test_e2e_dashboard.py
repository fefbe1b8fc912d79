"""End to end, issue 5: every page in Chromium with screenshots, the downloads, the PNG button, and the
HTML report opened from disk with every network request blocked."""

import datetime as dt
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser import (
    METRIC,
    NAV,
    rerun,
    screenshot,
    settled,
    sign_in,
    wait_for_text,
    wait_idle,
)

pytestmark = pytest.mark.browser


def no_exception(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0


def open_page(page, name: str) -> None:
    """Click the page in the menu; back once its run has ended."""
    rerun(page, page.locator(NAV).get_by_role("link", name=name, exact=True).click)


def test_every_page_in_chromium(demo_server, new_page):
    page = new_page(1440, 900)
    page.goto(demo_server + "/")
    wait_for_text(page, METRIC, "92,26%")
    wait_idle(page)
    values = page.locator(METRIC).all_inner_texts()
    assert {"92,26%", "383.427", "32.122", "345.679", "37.748", "67"} <= set(values)
    assert page.get_by_text("Data contoh.").is_visible()
    charts = page.locator("[data-testid='stPlotlyChart']")
    expect(charts).to_have_count(3)             # Streamlit loads the chart element's code lazily: wait for it
    page.wait_for_selector(".js-plotly-plot .bars", timeout=15_000)
    expect(charts.nth(0)).to_contain_text("punya 3 versi")          # each chart's title, once Plotly drew it
    expect(charts.nth(1)).to_contain_text("menyumbang")
    expect(charts.nth(2)).to_contain_text("Serengan paling tertinggal")
    no_exception(page)
    assert page.title() == "Dasbor e-KTP Kota Surakarta"      # named after the region list
    screenshot(page, "ringkasan_1440x900")

    open_page(page, "Wilayah")
    wait_for_text(page, METRIC, "32.122")
    page.wait_for_selector(".js-plotly-plot canvas", timeout=20_000)    # the map is drawn (WebGL)
    page.locator("[data-testid='stDataFrame']").first.wait_for()
    no_exception(page)
    screenshot(page, "wilayah_1440x900")
    page.locator("[data-testid='stPlotlyChart']").first.scroll_into_view_if_needed()
    page.wait_for_selector(".js-plotly-plot canvas", state="visible")
    screenshot(page, "wilayah_peta_1440x900")

    open_page(page, "Distribusi kartu")
    page.wait_for_selector(".js-plotly-plot .funnellayer", timeout=15_000)
    assert "564 kartu per hari" in page.locator("[data-testid='stMarkdown']").all_inner_texts().__str__()
    no_exception(page)
    screenshot(page, "distribusi_1440x900")

    open_page(page, "Keliling")
    page.wait_for_selector(".js-plotly-plot .bars", timeout=15_000)
    page.get_by_text("Safari selesai", exact=True).wait_for()
    no_exception(page)
    screenshot(page, "keliling_1440x900")

    open_page(page, "Masuk petugas")
    sign_in(page, "admin", "contoh-admin-2013")
    for name, shot in (("Unggah", "unggah"), ("Riwayat", "riwayat"), ("Kualitas data", "kualitas"),
                       ("Pengguna", "pengguna")):
        open_page(page, name)
        no_exception(page)
        screenshot(page, f"{shot}_1440x900")
    assert page.console_errors == []
    assert page.external_requests == []


def test_drill_down_to_a_kelurahan(demo_server, new_page):
    page = new_page(1440, 900)
    page.goto(demo_server + "/wilayah")
    wait_for_text(page, METRIC, "32.122")
    wait_idle(page)
    page.locator("[data-testid='stSelectbox']").nth(0).click()
    rerun(page, page.get_by_role("option", name="Laweyan", exact=True).click)
    page.locator("[data-testid='stSelectbox']").nth(1).click()
    page.get_by_role("option", name="Pajang", exact=True).click()
    wait_for_text(page, METRIC, "92,71%")
    settled(page, page.get_by_text("Safari keliling melayani Pajang sejak 7 Oktober 2013."))
    expect(page.locator("[data-testid='stPlotlyChart']")).to_have_count(3)     # chart code loads lazily
    expect(page.locator("[data-testid='stPlotlyChart']").nth(1)).to_contain_text("Pajang: 92,71% terekam")
    no_exception(page)
    screenshot(page, "wilayah_pajang_1440x900")
    assert page.console_errors == [] and page.external_requests == []


def test_downloads_png_and_the_offline_report(demo_server, new_page, tmp_path):
    page = new_page(1440, 900)
    page.goto(demo_server + "/wilayah")
    # the kelurahan ranking's buttons, by their key (the table per kecamatan has its own, above)
    ranking_csv = page.locator(".st-key-ranking_csv").get_by_role("button", name="Unduh CSV")
    ranking_csv.wait_for()
    with page.expect_download() as csv:
        ranking_csv.click()
    lines = Path(csv.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("Kelurahan;Kecamatan;% rekam;") and len(lines) == 52
    assert csv.value.suggested_filename == "peringkat_kelurahan_2013-10-25.csv"
    with page.expect_download() as xlsx:
        page.locator(".st-key-ranking_xlsx").get_by_role("button", name="Unduh Excel").click()
    assert Path(xlsx.value.path()).read_bytes()[:2] == b"PK"

    chart = page.locator("[data-testid='stPlotlyChart']").first
    chart.hover()
    with page.expect_download() as png:
        chart.locator(".modebar-btn[data-title*='png' i]").click()
    assert png.value.suggested_filename == "peta_persen_rekam_2013-10-25.png"
    assert Path(png.value.path()).read_bytes()[:4] == b"\x89PNG"

    with page.expect_download(timeout=60_000) as html:
        page.get_by_role("button", name="Unduh laporan HTML").click()
    report = tmp_path / html.value.suggested_filename
    html.value.save_as(report)
    assert report.name == "laporan_ektp_kota_surakarta_2013-10-25.html"
    assert page.console_errors == [] and page.external_requests == []

    # From a USB stick on a meeting-room computer: a file URL, and no network at all.
    offline = new_page(1440, 900)
    offline.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                  else route.abort())
    offline.goto(report.as_uri())
    offline.wait_for_selector(".js-plotly-plot .funnellayer", timeout=30_000)
    offline.wait_for_selector(".js-plotly-plot .choroplethlocation", timeout=30_000)   # the map, as SVG
    expect(offline.locator(".choroplethlocation")).to_have_count(51)
    expect(offline.locator(".js-plotly-plot")).to_have_count(5)
    assert "92,26%" in offline.locator(".cards").inner_text()
    assert offline.console_errors == []
    assert [u for u in offline.requests if not u.startswith(("file:", "data:", "blob:"))] == []
    screenshot(offline, "laporan_html_1440x900")


def test_an_operator_adopts_the_plan_and_the_lobby_follows(fresh_server, new_page):
    url, page = fresh_server.url, new_page()
    page.goto(url + "/keliling")
    settled(page, page.get_by_text("Safari selesai", exact=True))
    open_page(page, "Masuk petugas")
    sign_in(page, "operator", "contoh-operator-2013")
    open_page(page, "Keliling")
    page.get_by_text("Ubah jadwal yang akan datang (35 kunjungan)").click()
    page.locator("[data-testid='stDataFrame'], [data-testid='stDataEditor']").first.wait_for()
    page.get_by_role("button", name="Jadikan jadwal").scroll_into_view_if_needed()
    screenshot(page, "keliling_operator_1440x900")
    page.get_by_role("button", name="Jadikan jadwal").click()
    page.get_by_text("Jadwal disimpan sebagai batch").wait_for(timeout=30_000)
    no_exception(page)
    # the lobby reads the same schedule: Monday 28 October now serves the plan's first five
    lobby = new_page(1920, 1080)
    lobby.goto(url + "/layar?embed=true&detik=5")
    lobby.wait_for_function("""() => { const s = document.querySelector('.layar[data-slide]');
        return s && s.dataset.slide === 'safari'; }""", timeout=30_000)
    assert "26 Okt – 29 Okt" in lobby.locator(".layar").inner_text()
    assert page.console_errors == [] and lobby.console_errors == []
    assert page.external_requests == [] and lobby.external_requests == []


def test_reconciliation_with_the_centre_in_the_browser(demo_template, fresh_server, new_page, tmp_path):
    """Kualitas: an operator uploads the centre's recap, records a reason, marks it resolved."""
    from ektp_metrics import metrics
    from ektp_metrics.db import Database
    with Database(demo_template, create=False, read_only=True) as db:
        k = metrics.kelurahan_frame(db, dt.date(2013, 10, 25))
    lines = ["tanggal;kode_kelurahan;kelurahan;wajib_ktp;sudah_rekam"]
    lines += [f"25/10/2013;{r.kode};{r.kelurahan};{r.wajib_ktp};{r.sudah_rekam - (20 if r.kelurahan == 'Pajang' else 0)}"
              for r in k.itertuples()]
    central = tmp_path / "siak_2013-10-25.csv"
    central.write_text("\n".join(lines), encoding="utf-8")
    url, page = fresh_server.url, new_page()
    page.goto(url + "/masuk")   # straight to the login (Ringkasan first would only cost a page of charts)
    page.get_by_role("textbox", name="Nama pengguna").wait_for(timeout=30_000)
    sign_in(page, "operator", "contoh-operator-2013")
    open_page(page, "Kualitas data")
    with page.expect_file_chooser() as chooser:
        page.locator("[data-testid='stFileUploaderDropzone']").click()
    chooser.value.set_files(str(central))
    page.get_by_role("button", name="Simpan rekap pusat").click()
    page.get_by_text("Rekap pusat 1 disimpan: 51 kelurahan").wait_for(timeout=30_000)
    page.get_by_text("selisih +20 di 1 kelurahan; 20 belum dijelaskan", exact=False).wait_for()
    form = page.locator("[data-testid='stForm']").filter(has_text="Catat alasan selisih")
    form.get_by_role("spinbutton").fill("20")
    form.get_by_role("button", name="Simpan alasan").click()
    page.get_by_text("Alasan selisih dicatat.").wait_for(timeout=30_000)
    page.get_by_text("0 belum dijelaskan", exact=False).wait_for()
    page.get_by_role("button", name="Tandai selesai").click()
    settled(page, page.get_by_text("Catatan ditandai selesai."))
    no_exception(page)
    screenshot(page, "kualitas_rekonsiliasi_1440x900")
    assert page.console_errors == [] and page.external_requests == []
