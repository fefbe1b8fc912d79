"""Wilayah: the map of the 51 kelurahan, who lags, and drill-down kota → kecamatan → kelurahan."""

import datetime as dt

import streamlit as st

from ektp_metrics import charts, formatting, tables
from ektp_metrics.i18n import describe_projection
from ektp_metrics.regions import KECAMATAN_GEOJSON, KELURAHAN_GEOJSON
from pages._shared import (chart, daily_by_lokasi, downloads, kelurahan_frame, lang, region_projections, region_series,
                           region_view, report_button, require_frame, t)

require_frame(__file__)
L = lang()
view = region_view("wilayah_title", "wilayah")
path, as_of, region, figures = view.path, view.as_of, view.region, view.figures

c1, c2, c3, c4 = st.columns(4)
c1.metric(t("m_persen_rekam"), formatting.persen_nilai(figures.persen_rekam, L), border=True)
c2.metric(t("m_belum_rekam"), formatting.angka(figures.belum_rekam, L), border=True)
c3.metric(t("m_backlog"), formatting.angka(figures.backlog_distribusi, L), border=True)
c4.metric(t("region_metrics_laporan"), formatting.tanggal(figures.tanggal_laporan, L, singkat=True), border=True)

frame = kelurahan_frame(path, as_of)
if region.level != "kota":
    rekam, _ = region_projections(path, as_of, region.level, region.kode)
    st.markdown(describe_projection(rekam, "rekam", L))

st.subheader(t("map_title"))
if KELURAHAN_GEOJSON.exists():
    chart(charts.coverage_map(frame, charts.load_geojson(str(KELURAHAN_GEOJSON)),
                              charts.load_geojson(str(KECAMATAN_GEOJSON)) if KECAMATAN_GEOJSON.exists() else None,
                              L, focus_kecamatan=region.kode_kecamatan),
          tables.file_stem("peta_persen_rekam", as_of))
    st.caption(t("map_caption"))
else:
    st.info(t("map_missing"))

if region.level != "kota":
    st.subheader(t("history_title", nama=formatting.md(region.nama)))
    start = as_of - dt.timedelta(days=89)
    chart(charts.region_history(region_series(path, start, as_of, region.level, region.kode), region.nama, L),
          tables.file_stem(f"riwayat_{region.kode}", as_of))
    recent = daily_by_lokasi(path, start, as_of, region.level, region.kode)
    if len(recent):
        chart(charts.daily_by_lokasi(recent, L), tables.file_stem(f"harian_{region.kode}", as_of))
    if region.level == "kelurahan":
        row = frame[frame["kode"] == region.kode].iloc[0]
        if row["safari_mulai"] == row["safari_mulai"]:   # not NaT
            st.markdown(t("safari_line_sudah", nama=formatting.md(region.nama),
                          tanggal=formatting.tanggal(row["safari_mulai"].date(), L)))
        if row["safari_berikut"] == row["safari_berikut"]:
            st.markdown(t("safari_line_berikut", tanggal=formatting.tanggal(row["safari_berikut"].date(), L)))
        elif row["safari_mulai"] != row["safari_mulai"]:
            st.markdown(t("safari_line_belum", nama=formatting.md(region.nama)))

st.subheader(t("table_kelurahan"))
shown = frame if region.kode_kecamatan is None else frame[frame["kode_kecamatan"] == region.kode_kecamatan]
ranking = tables.kelurahan_ranking(shown, L)
st.dataframe(tables.styled(ranking, L), hide_index=True, width="stretch",
             # the full table (codes, recorded, delivered, safari dates) is in the downloads
             column_order=[c for c in ranking.columns if c not in {t(k) for k in (
                 "col_kode", "col_rekam", "col_distribusi", "col_safari_mulai", "col_safari_berikut")}],
             column_config={t("col_kemajuan"): st.column_config.ProgressColumn(min_value=0, max_value=100, format="%d%%")})
st.caption(t("table_kelurahan_caption"))
downloads(tables.kelurahan_ranking(shown, L, bar=False), tables.file_stem("peringkat_kelurahan", as_of), "ranking")
st.caption(t("download_png_hint"))
report_button(path, region, as_of)
