"""Issue 5 logic as data: the kelurahan table, region series, the funnel's kartu diterima, tables, charts,
the offline report."""

import datetime as dt
import re

import pandas as pd
import pytest

from ektp_metrics import charts, exports, forecast, metrics, report, screen_tables
from ektp_metrics.regions import KECAMATAN_GEOJSON, KELURAHAN_GEOJSON
from tests.conftest import add_batch

REPORT_DAY = dt.date(2013, 10, 25)
PAJANG, LAWEYAN_KEC = "33.72.01.1001", "33.72.01"


@pytest.fixture(scope="module")
def demo(demo_template):
    from ektp_metrics.db import Database
    db = Database(demo_template, create=False, read_only=True)
    yield db
    db.close()


@pytest.fixture(scope="module")
def kel(demo):
    return metrics.kelurahan_frame(demo, REPORT_DAY)


def test_kelurahan_frame_adds_up_to_the_report(demo, kel):
    city = metrics.city_summary(demo, REPORT_DAY)
    assert len(kel) == 51
    assert kel["wajib_ktp"].sum() == city.wajib_ktp == 415_549
    assert kel["sudah_rekam"].sum() == city.sudah_rekam == 383_427
    assert kel["belum_rekam"].sum() == city.belum_rekam == 32_122
    assert kel["backlog_distribusi"].sum() == city.backlog_distribusi == 37_748


def test_kelurahan_frame_floors_and_puts_the_laggard_first(kel):
    assert kel["persen_rekam"].is_monotonic_increasing
    for r in kel.itertuples():
        assert r.persen_rekam == (r.sudah_rekam * 10000 // r.wajib_ktp) / 100    # floored, never rounded up


def test_safari_served_and_scheduled_as_of_the_day(demo, kel):
    # The demo's safari had served 16 kelurahan by 25 October; the other 35 are scheduled to 23 November.
    assert kel["safari_mulai"].notna().sum() == 16
    assert (kel["safari_mulai"].dropna() <= pd.Timestamp(REPORT_DAY)).all()
    assert kel.loc[kel["safari_mulai"].isna(), "safari_berikut"].notna().all()
    before = metrics.kelurahan_frame(demo, dt.date(2013, 10, 6))
    assert before["safari_mulai"].notna().sum() == 0
    status = screen_tables.safari_status(kel)
    assert set(status.str.split().str[0]) == {"sudah", "dijadwalkan"}
    assert status[kel["kode"] == PAJANG].item() == "sudah (7 Okt)"


def test_kecamatan_filter_and_region_summary_agree(demo):
    part = metrics.kelurahan_frame(demo, REPORT_DAY, LAWEYAN_KEC)
    s = metrics.region_summary(demo, REPORT_DAY, "kecamatan", LAWEYAN_KEC)
    assert len(part) == s.kelurahan == 11
    assert part["sudah_rekam"].sum() == s.sudah_rekam
    assert metrics.region_summary(demo, REPORT_DAY, "kecamatan", "99.99") is None
    assert s == next(x for x in metrics.summaries(demo, REPORT_DAY, "kecamatan") if x.kode == LAWEYAN_KEC)


def test_region_series_of_a_kelurahan_and_of_the_city(demo, kel):
    start = dt.date(2013, 10, 1)
    one = metrics.region_series(demo, start, REPORT_DAY, "kelurahan", PAJANG)
    row = kel[kel["kode"] == PAJANG].iloc[0]
    assert len(one) == 25 and one.iloc[-1]["sudah_rekam"] == row["sudah_rekam"]
    city = metrics.region_series(demo, start, REPORT_DAY)
    assert city.equals(metrics.city_series(demo, start, REPORT_DAY))
    assert city.iloc[-1]["sudah_rekam"] == 383_427
    per_lokasi = metrics.daily_by_lokasi(demo, start, REPORT_DAY, "kelurahan", PAJANG)
    assert per_lokasi["rekam"].max() == 180     # Pajang's busiest safari day, as reported


def test_kartu_diterima_is_the_latest_report_with_its_date(fresh_db):
    add_batch(fresh_db, "target", f"('{PAJANG}', DATE '2013-01-01', 1000)", "targets",
              "kode_kelurahan, berlaku_mulai, wajib_ktp")
    add_batch(fresh_db, "rekap", f"(DATE '2013-09-01', '{PAJANG}', 800, 600, 700), "
                                 f"(DATE '2013-10-01', '{PAJANG}', 900, 650, NULL)",
              "rekap", "tanggal, kode_kelurahan, sudah_rekam, sudah_distribusi, kartu_diterima")
    s = metrics.region_summary(fresh_db, dt.date(2013, 10, 5), "kelurahan", PAJANG)
    assert (s.kartu_diterima, s.tanggal_kartu, s.kelurahan_kartu) == (700, dt.date(2013, 9, 1), 1)
    assert metrics.region_summary(fresh_db, dt.date(2013, 8, 1), "kelurahan", PAJANG).kartu_diterima is None
    kota = metrics.city_summary(fresh_db, dt.date(2013, 10, 5))
    assert kota.kartu_diterima == 700 and kota.kelurahan_kartu == 1


def test_region_projection_uses_the_region_pace(demo):
    rekam, kartu = forecast.region_projections(demo, REPORT_DAY, "kecamatan", LAWEYAN_KEC)
    now = metrics.region_summary(demo, REPORT_DAY, "kecamatan", LAWEYAN_KEC)
    week = metrics.region_summary(demo, REPORT_DAY - dt.timedelta(days=7), "kecamatan", LAWEYAN_KEC)
    assert rekam.remaining == now.belum_rekam
    assert rekam.pace == (now.sudah_rekam - week.sudah_rekam) / 7
    assert kartu.needed_per_day == -(-now.backlog_distribusi // 67)
    with pytest.raises(ValueError):
        forecast.region_projections(demo, REPORT_DAY, "kecamatan", "99.99")


def test_distribusi_table_pace_clears_the_backlog_by_the_deadline(kel):
    table = screen_tables.distribusi_table(kel, 67)
    assert list(table.columns[:2]) == ["Kelurahan", "Kecamatan"]
    assert table["Backlog"].is_monotonic_decreasing
    assert (table["Kartu per hari agar tuntas"] * 67 >= table["Backlog"].clip(lower=0)).all()
    assert ((table["Kartu per hari agar tuntas"] - 1) * 67 < table["Backlog"].clip(lower=0)).all()
    assert screen_tables.distribusi_table(kel, 0)["Kartu per hari agar tuntas"].isna().all()   # deadline passed
    english = screen_tables.distribusi_table(kel, 67, "en")
    assert "Cards a day to clear" in english.columns


def test_tables_keep_numbers_and_show_indonesian_format(demo, kel):
    ranking = screen_tables.kelurahan_ranking(kel)
    assert ranking["% rekam"].dtype == float and ranking["Belum rekam"].dtype.kind == "i"
    assert "Kemajuan" in ranking.columns and "Kemajuan" not in screen_tables.kelurahan_ranking(kel, bar=False).columns
    rendered = screen_tables.styled(screen_tables.region_table(metrics.summaries(demo, REPORT_DAY, "kota"))).to_html()
    assert "92,26%" in rendered and "415.549" in rendered and "383.427" in rendered
    dated = screen_tables.styled(pd.DataFrame({"Laporan terakhir": pd.to_datetime(["2013-10-25", None])})).to_html()
    assert "25 Okt 2013" in dated and "–" in dated


def test_report_table_cells_are_display_texts_left_for_the_template_to_escape():
    frame = pd.DataFrame({"Kelurahan": ["<script>alert(1)</script>", None], "Belum rekam": [5, 1050],
                          "% rekam": [92.26, None]})
    assert screen_tables.cells(frame) == (["Kelurahan", "Belum rekam", "% rekam"],
                                   [["<script>alert(1)</script>", "5", "92,26%"], ["–", "1.050", "–"]])
    assert "<script>alert" not in report.ENV.from_string("<td>{{ v }}</td>").render(v=screen_tables.cells(frame)[1][0][0])


def test_html_report_escapes_names_and_sources_from_the_database(demo_db):
    # A kelurahan name and a published figure's source as someone could type them (an upload, Kualitas).
    name = "Pajang <script>alert(1)</script> & Co"
    with demo_db.transaction() as cur:
        cur.execute("UPDATE regions SET nama = ? WHERE kode = ?", [name, PAJANG])
        cur.execute("UPDATE reference_figures SET penerbit = '</script><script>alert(2)</script> & Sons'")
    for view in (report.View(REPORT_DAY, "kelurahan", PAJANG), report.View(REPORT_DAY)):
        page = report.build(demo_db, view)
        assert "<script>alert" not in page and "</script><script>alert" not in page
        # only the report's own two scripts plus plotly's one per chart open and close
        assert page.count("<script") == page.count("</script>")
        if view.kode:
            escaped = "Pajang &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"
            assert f"<h1>Perekaman e-KTP {escaped}</h1>" in page and f"<title>Perekaman e-KTP {escaped} · " in page
            assert f"<td>{escaped}</td>" in page                        # the kelurahan table
        else:
            # the source is in a chart's data (JSON inside plotly's script): '<' and '/' as \u escapes
            assert "\\u003c\\u002fscript\\u003e\\u003cscript\\u003ealert(2)" in page


def test_downloads_are_spreadsheet_safe_with_decimal_comma(kel):
    frame = screen_tables.kelurahan_ranking(kel, bar=False)
    frame.loc[0, "Kelurahan"] = "=HYPERLINK(\"http://x\")"
    csv = exports.to_csv(frame).decode("utf-8-sig")
    header, first = csv.splitlines()[:2]
    assert header.startswith("Kelurahan;Kecamatan;% rekam;")
    assert first.startswith('"\'=HYPERLINK') and ";82,76;" in first   # quoted by CSV, text in Excel


def test_coverage_map_draws_every_kelurahan_without_tiles(demo, kel):
    kel_geo = charts.load_geojson(str(KELURAHAN_GEOJSON))
    fig = charts.coverage_map(kel, kel_geo, charts.load_geojson(str(KECAMATAN_GEOJSON)))
    shape = fig.data[0]
    assert shape.type == "choroplethmap" and len(shape.locations) == 51
    assert dict(zip(shape.locations, shape.z))[PAJANG] == kel.loc[kel["kode"] == PAJANG, "persen_rekam"].item()
    assert {f["properties"]["kode"] for f in kel_geo["features"]} == set(shape.locations)
    assert fig.layout.map.style == "white-bg" and not fig.layout.map.layers     # no tile server, no internet
    assert fig.data[-1].type == "scattermap" and fig.data[-1].mode == "lines"    # kecamatan outlines
    assert all(t.mode != "text" and "text" not in (t.mode or "") for t in fig.data[1:])   # text needs web fonts
    assert fig.layout.title.text == "Terendah: Kepatihan Kulon (82,76%); 12 dari 51 kelurahan di bawah 90%"
    pajang = dict(zip(shape.locations, shape.hovertext))[PAJANG]
    assert "Pajang" in pajang and "92,71%" in pajang and "sejak 7 Oktober 2013" in pajang
    focused = charts.coverage_map(kel, kel_geo, None, focus_kecamatan=LAWEYAN_KEC)
    assert focused.layout.map.zoom > fig.layout.map.zoom
    assert focused.layout.title.text.startswith("Terendah: Sriwedari")


def test_coverage_map_as_svg_for_the_offline_report(kel):
    fig = charts.coverage_map(kel, charts.load_geojson(str(KELURAHAN_GEOJSON)),
                              charts.load_geojson(str(KECAMATAN_GEOJSON)), renderer="svg")
    assert [t.type for t in fig.data] == ["choropleth", "scattergeo"]
    assert fig.layout.geo.visible is False and fig.layout.geo.scope == "world" and fig.layout.geo.resolution == 110
    west, east = fig.layout.geo.lonaxis.range
    assert west < 110.7692 and east > 110.8690            # the whole city, with a margin
    assert '"world_110m"' in charts.EMPTY_GEO_ASSETS
    with pytest.raises(ValueError):
        charts.coverage_map(kel, {}, renderer="png")


def test_coverage_map_greys_a_kelurahan_without_target(kel):
    frame = kel.copy()
    frame.loc[frame["kode"] == PAJANG, "persen_rekam"] = float("nan")
    fig = charts.coverage_map(frame, charts.load_geojson(str(KELURAHAN_GEOJSON)))
    assert list(fig.data[1].locations) == [PAJANG] and fig.data[1].colorscale[0][1] == charts.TANPA_TARGET


def test_funnel_and_backlog_ranking_state_the_finding(demo, kel):
    city = metrics.city_summary(demo, REPORT_DAY)
    fig = charts.funnel(city)
    assert list(fig.data[0].x) == [415_549, 383_427, 310_000, 345_679]
    assert fig.data[0].y[2].replace("<br>", " ") == "Kartu diterima dari pusat (per 28 Nov 2012)"   # in lines
    assert fig.data[0].text[1] == "383.427 (92,26%)"
    assert fig.layout.title.text == "Kota Surakarta: 32.122 belum rekam, 37.748 kartu belum sampai ke warga"
    ranking = charts.backlog_ranking(kel)
    top = kel.sort_values("backlog_distribusi", ascending=False).iloc[0]
    assert len(ranking.data[0].y) == 15 and ranking.data[0].y[-1] == top["kelurahan"]
    assert ranking.layout.title.text.startswith(f"Backlog terbesar: {top['kelurahan']}")


def test_region_history_title(demo):
    series = metrics.region_series(demo, dt.date(2013, 9, 1), REPORT_DAY, "kelurahan", PAJANG)
    fig = charts.region_history(series, "Pajang")
    assert fig.layout.title.text == "Pajang: 92,71% terekam; ±0 perekaman dalam 7 hari terakhir"
    assert [t.name for t in fig.data] == ["Wajib KTP", "Sudah rekam", "Kartu diterima warga"]


@pytest.mark.parametrize("view", [report.View(REPORT_DAY), report.View(REPORT_DAY, "kecamatan", LAWEYAN_KEC),
                                  report.View(REPORT_DAY, "kelurahan", PAJANG)])
def test_html_report_is_self_contained(demo, view):
    page = report.build(demo, view)
    assert page.startswith("<!DOCTYPE html>") and "DATA CONTOH" in page
    # nothing is fetched: no external script, stylesheet, image or font
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)=["']?https?:""", page)
    assert "@import" not in page and "url(http" not in page
    assert page.count("<script>") >= 1 and "Plotly.newPlot" in page
    assert "window.PlotlyGeoAssets = " + charts.EMPTY_GEO_ASSETS in page     # the map needs no world map
    assert '"type":"choropleth"' in page and '"type":"choroplethmap"' not in page
    assert len(page) > 3_000_000            # plotly.js is inside the file
    assert "Peringkat kelurahan" in page and "Distribusi per wilayah" in page
    assert "dari Dasbor e-KTP Kota Surakarta" in page and "unggahan Dispendukcapil Kota Surakarta" in page
    if view.level == "kota":
        assert "92,26%" in page and "Pada laju 7 hari terakhir" in page and "<strong>" in page


def test_html_report_refuses_an_unknown_region(demo):
    with pytest.raises(ValueError):
        report.build(demo, report.View(REPORT_DAY, "kecamatan", "99.99"))


def test_funnel_shows_no_shares_while_a_kelurahan_has_no_target(fresh_db):
    # Laweyan has recordings but no target: shares of wajib would exceed 100% (the headline leaves it out).
    add_batch(fresh_db, "target", f"('{PAJANG}', DATE '2013-01-01', 1000)", "targets",
              "kode_kelurahan, berlaku_mulai, wajib_ktp")
    add_batch(fresh_db, "rekap", f"(DATE '2013-10-01', '{PAJANG}', 800, 700), (DATE '2013-10-01', '33.72.01.1002', 900, 750)",
              "rekap", "tanggal, kode_kelurahan, sudah_rekam, sudah_distribusi")
    s = metrics.region_summary(fresh_db, dt.date(2013, 10, 1), "kecamatan", LAWEYAN_KEC)
    assert str(s.persen_rekam) == "80.00"
    assert list(charts.funnel(s).data[0].text) == ["1.000", "1.700", "1.450"]


def test_funnel_names_a_partly_reported_kartu_figure(fresh_db):
    add_batch(fresh_db, "target", f"('{PAJANG}', DATE '2013-01-01', 1000)", "targets",
              "kode_kelurahan, berlaku_mulai, wajib_ktp")
    add_batch(fresh_db, "rekap", f"(DATE '2013-10-01', '{PAJANG}', 800, 600, 700)", "rekap",
              "tanggal, kode_kelurahan, sudah_rekam, sudah_distribusi, kartu_diterima")
    s = metrics.region_summary(fresh_db, dt.date(2013, 10, 1), "kecamatan", LAWEYAN_KEC)
    assert charts.funnel(s).data[0].y[2].replace("<br>", " ") == "Kartu dari pusat (1 dari 11 kelurahan, per 1 Okt 2013)"


def test_on_the_deadline_itself_the_deadline_is_today_not_past():
    from ektp_metrics.i18n import describe_projection
    deadline = dt.date(2013, 12, 31)
    on_the_day = forecast.project(1200, 100.0, deadline, deadline)
    after = forecast.project(1200, 100.0, deadline + dt.timedelta(days=1), deadline)
    assert on_the_day.needed_per_day is None and after.needed_per_day is None
    assert describe_projection(on_the_day, "rekam") == "Hari ini batasnya (31 Desember 2013); 1.200 masih tersisa pada akhir hari."
    assert describe_projection(on_the_day, "kartu", "en").startswith("Today is the deadline (")
    assert describe_projection(after, "rekam") == "Batas 31 Desember 2013 sudah lewat; 1.200 masih tersisa."


def test_no_pace_from_a_first_report(demo):
    # On the first data date the whole cumulative figure is new: it is not a week's progress.
    from ektp_metrics.i18n import describe_projection
    first = metrics.first_data_date(demo)
    rekam, kartu = forecast.region_projections(demo, first, "kelurahan", PAJANG)
    assert not rekam.pace_known and rekam.finish is None and not kartu.pace_known
    assert describe_projection(rekam, "rekam").startswith("Laju 7 hari terakhir belum bisa dihitung")
    series = metrics.region_series(demo, first, first + dt.timedelta(days=3), "kelurahan", PAJANG)
    assert charts.region_history(series, "Pajang").layout.title.text.endswith("terekam")
    week_later = forecast.region_projections(demo, first + dt.timedelta(days=7), "kelurahan", PAJANG)[0]
    assert week_later.pace_known


def test_timestamps_are_shown_with_their_time_and_dates_without():
    # A column with times of day holds moments, stored in UTC: shown in EKTP_TZ (WIB), the zone named (issue 19).
    frame = pd.DataFrame({"Dibuat": pd.to_datetime(["2013-10-25 12:30:00"]), "Tanggal": pd.to_datetime(["2013-10-25"])})
    html = screen_tables.styled(frame).to_html()
    assert "25 Oktober 2013 19.30 WIB" in html and "25 Okt 2013" in html
