"""Wilayah and Distribusi pages, and the shared as-of selector, through AppTest."""

import datetime as dt

from ektp_metrics import formatting, metrics
from tests.apptest import metric, page_app, run_app, switch_to

REPORT_DAY = dt.date(2013, 10, 25)
LAWEYAN, PAJANG = "33.72.01", "33.72.01.1001"


def markdown(at) -> str:
    return " ".join(m.value for m in at.markdown)


def test_wilayah_shows_the_city_map_and_the_ranking(demo_path, monkeypatch):
    at = page_app(monkeypatch, demo_path, "wilayah.py", user=None)
    assert metric(at, "Cakupan perekaman") == "92,26%"
    assert metric(at, "Belum rekam") == "32.122"
    assert metric(at, "Laporan terakhir") == "25 Okt 2013"
    charts = at.get("plotly_chart")
    assert len(charts) == 2                                 # the map, progress per kecamatan
    per_kecamatan, table = (d.value for d in at.dataframe)
    assert len(per_kecamatan) == 5 and per_kecamatan.columns[0] == "Kecamatan"
    assert len(table) == 51 and table.iloc[0]["Kelurahan"] == "Kepatihan Kulon"
    assert "Kemajuan per Kecamatan" in [h.value for h in at.subheader]
    assert not any("Halaman" in n.label for n in at.number_input)   # 51 rows: one page
    assert any("Batas wilayah indikatif" in c.value for c in at.caption)


def test_wilayah_drill_down_kecamatan_then_kelurahan(demo_path, demo_db, monkeypatch):
    at = page_app(monkeypatch, demo_path, "wilayah.py", user=None)
    at.selectbox(key="wilayah_kecamatan").set_value(LAWEYAN).run()
    assert not at.exception
    laweyan = metrics.region_summary(demo_db, REPORT_DAY, "kecamatan", LAWEYAN)
    assert metric(at, "Cakupan perekaman") == formatting.persen_nilai(laweyan.persen_rekam)
    assert len(at.dataframe[0].value) == 11                     # the ranking, filtered to the kecamatan
    assert "Riwayat Laweyan" in [h.value for h in at.subheader]
    assert "Pada laju 7 hari terakhir" in markdown(at)
    at.selectbox(key="wilayah_kelurahan").set_value(PAJANG).run()
    assert not at.exception
    assert metric(at, "Cakupan perekaman") == "92,71%"
    assert "Riwayat Pajang" in [h.value for h in at.subheader]
    assert "Safari keliling melayani Pajang sejak 7 Oktober 2013." in markdown(at)
    assert len(at.get("plotly_chart")) == 3                    # map, history, daily by lokasi
    # back to the whole city: the kelurahan choice is dropped with the kecamatan
    at.selectbox(key="wilayah_kecamatan").set_value("").run()
    assert at.selectbox(key="wilayah_kelurahan").value == ""
    assert metric(at, "Cakupan perekaman") == "92,26%"


def test_distribusi_funnel_backlog_and_pace(demo_path, monkeypatch):
    at = page_app(monkeypatch, demo_path, "distribusi.py", user=None)
    text = markdown(at)
    assert "Untuk menghabiskan backlog 37.748 kartu pada 31 Desember 2013 dibutuhkan **564 kartu per hari**" in text
    assert "Kartu: pada laju" in text
    assert any("310.000" in w.value and "28 November 2012" in w.value for w in at.warning)   # stale centre figure
    assert len(at.get("plotly_chart")) == 2                     # funnel, backlog ranking
    per_kecamatan, per_kelurahan = (d.value for d in at.dataframe)
    assert len(per_kecamatan) == 5 and len(per_kelurahan) == 51
    assert per_kecamatan["Backlog"].sum() == 37_748
    assert len(at.get("download_button")) == 5                 # two tables × CSV/Excel, the report


def test_distribusi_for_one_kelurahan(demo_path, demo_db, monkeypatch):
    at = page_app(monkeypatch, demo_path, "distribusi.py", user=None)
    at.selectbox(key="distribusi_kelurahan").set_value(PAJANG).run()
    assert not at.exception
    pajang = metrics.region_summary(demo_db, REPORT_DAY, "kelurahan", PAJANG)
    assert f"backlog {formatting.angka(pajang.backlog_distribusi)} kartu" in markdown(at)
    assert len(at.get("plotly_chart")) == 1                     # the funnel only
    assert len(at.dataframe) == 1 and len(at.dataframe[0].value) == 11   # its kecamatan's kelurahan


def test_as_of_on_wilayah_changes_the_figures(demo_path, demo_db, monkeypatch):
    at = page_app(monkeypatch, demo_path, "wilayah.py", user=None)
    at.date_input(key="as_of").set_value(dt.date(2013, 6, 30)).run()
    assert not at.exception
    past = metrics.city_summary(demo_db, dt.date(2013, 6, 30))
    assert metric(at, "Belum rekam") == formatting.angka(past.belum_rekam)
    assert at.dataframe[1].value["Laporan terakhir"].max() == dt.datetime(2013, 6, 30)


def test_as_of_is_kept_across_pages(demo_path, monkeypatch):
    at = run_app(monkeypatch, demo_path)
    at.date_input(key="as_of").set_value(dt.date(2013, 10, 12)).run()
    switch_to(at, "wilayah").run()
    assert not at.exception
    assert at.date_input(key="as_of").value == dt.date(2013, 10, 12)
    switch_to(at, "distribusi").run()
    assert at.date_input(key="as_of").value == dt.date(2013, 10, 12)


def test_dashboard_pages_in_english(demo_path, monkeypatch):
    at = run_app(monkeypatch, demo_path, EKTP_LANG="en")
    switch_to(at, "wilayah").run()
    assert not at.exception
    assert metric(at, "Recording coverage") == "92.26%"
    assert "% recorded" in at.dataframe[0].value.columns
    switch_to(at, "distribusi").run()
    assert "Cards a day to clear" in at.dataframe[0].value.columns


def test_dashboard_pages_without_data(fresh_db, db_path, monkeypatch):
    fresh_db.close()
    for page in ("wilayah.py", "distribusi.py"):
        at = page_app(monkeypatch, db_path, page, user=None)
        assert any("Belum ada data" in i.value for i in at.info)


def test_as_of_follows_new_data_until_a_date_is_chosen(demo_path, monkeypatch):
    from ektp_metrics.db import Database
    from tests.conftest import add_batch
    at = page_app(monkeypatch, demo_path, "wilayah.py", user=None)
    assert at.date_input(key="as_of").value == REPORT_DAY
    db = Database(demo_path, create=False)
    add_batch(db, "harian", f"(DATE '2013-10-28', '{PAJANG}', 'kelurahan', 50, 0)", "daily_counts",
              "tanggal, kode_kelurahan, lokasi, rekam, distribusi")
    db.close()
    import streamlit as st
    st.cache_data.clear()
    at.run()
    assert not at.exception
    assert at.date_input(key="as_of").value == dt.date(2013, 10, 28)
    assert metric(at, "Laporan terakhir") == "28 Okt 2013"


def test_a_reference_day_before_the_data_is_a_message(demo_path, monkeypatch):
    for page in ("wilayah.py", "distribusi.py", "ringkasan.py"):
        at = page_app(monkeypatch, demo_path, page, user=None, EKTP_TODAY="2012-01-01")
        assert any("lebih awal daripada data pertama" in i.value for i in at.info), page


def test_region_names_are_shown_as_typed(demo_path, monkeypatch):
    import duckdb
    con = duckdb.connect(str(demo_path))
    con.execute("UPDATE regions SET nama = 'Pajang ![x](http://contoh.invalid/t.png)' WHERE kode = ?", [PAJANG])
    con.close()
    at = page_app(monkeypatch, demo_path, "wilayah.py", user=None)
    at.selectbox(key="wilayah_kecamatan").set_value(LAWEYAN).run()
    at.selectbox(key="wilayah_kelurahan").set_value(PAJANG).run()
    assert not at.exception
    heading = next(h.value for h in at.subheader if h.value.startswith("Riwayat"))
    assert "\\!\\[x\\]" in heading and "![x](" not in heading
