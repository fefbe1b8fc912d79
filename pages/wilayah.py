"""Wilayah: who lags, on a map where boundaries exist, with drill-down through the region list's levels."""

import datetime as dt

import streamlit as st

from ektp_metrics import charts, formatting, screen_tables
from ektp_metrics.i18n import describe_projection
from ektp_metrics.regions import KECAMATAN_GEOJSON, KELURAHAN_GEOJSON
from pages._lang import lang, t
from pages._queries import (
    built,
    daily_by_lokasi,
    kelurahan_count,
    kelurahan_frame,
    region_projections,
    region_series,
)
from pages._widgets import (
    chart,
    children_section,
    dataframe,
    downloads,
    map_frame,
    paged,
    region_view,
    report_button,
)


def render() -> None:
    L = lang()
    view = region_view("wilayah_title", "wilayah")
    path, as_of, region, figures = view.path, view.as_of, view.region, view.figures

    c1, c2, c3, c4 = st.columns(4)
    c1.metric(t("m_persen_rekam"), formatting.persen_nilai(figures.persen_rekam, L), border=True)
    c2.metric(t("m_belum_rekam"), formatting.angka(figures.belum_rekam, L), border=True)
    c3.metric(t("m_backlog"), formatting.angka(figures.backlog_distribusi, L), border=True)
    c4.metric(t("region_metrics_laporan"), formatting.tanggal(figures.tanggal_laporan, L, singkat=True), border=True)

    if region.kode is not None:
        rekam, _ = region_projections(path, as_of, region.level, region.kode)
        st.markdown(describe_projection(rekam, "rekam", L))

    st.subheader(t("map_title"))
    on_map = map_frame(view)
    if on_map is not None:
        focus = region.kode_kecamatan if len(on_map) and region.level in ("kecamatan", "kelurahan") else None
        chart(built(path, ("peta", L, as_of, region, focus), lambda: charts.coverage_map(
                  on_map, charts.load_geojson(str(KELURAHAN_GEOJSON)),
                  charts.load_geojson(str(KECAMATAN_GEOJSON)) if KECAMATAN_GEOJSON.exists() else None,
                  L, focus_kecamatan=focus)),
              screen_tables.file_stem("peta_persen_rekam", as_of))
        st.caption(t("map_caption"))
        tanpa_target = int(on_map["persen_rekam"].isna().sum())
        if tanpa_target:   # the light grey is drawn only then: said only then
            st.caption(t("map_caption_tanpa_target", n=formatting.angka(tanpa_target, L)))
    else:
        st.info(t("map_missing") if not KELURAHAN_GEOJSON.exists() else t("map_none_here"))

    if region.kode is not None:
        st.subheader(t("history_title", nama=formatting.md(region.nama)))
        start = as_of - dt.timedelta(days=89)
        chart(built(path, ("riwayat", L, as_of, region), lambda: charts.region_history(
                  region_series(path, start, as_of, region.level, region.kode), region.nama, L)),
              screen_tables.file_stem(f"riwayat_{region.kode}", as_of))
        recent = daily_by_lokasi(path, start, as_of, region.level, region.kode)
        if len(recent):
            chart(built(path, ("harian", L, as_of, region), lambda: charts.daily_by_lokasi(recent, L)),
                  screen_tables.file_stem(f"harian_{region.kode}", as_of))
        if region.level == "kelurahan":
            row = kelurahan_frame(path, as_of, "kelurahan", region.kode).iloc[0]
            if row["safari_mulai"] == row["safari_mulai"]:   # not NaT
                st.markdown(t("safari_line_sudah", nama=formatting.md(region.nama),
                              tanggal=formatting.tanggal(row["safari_mulai"].date(), L)))
            if row["safari_berikut"] == row["safari_berikut"]:
                st.markdown(t("safari_line_berikut", tanggal=formatting.tanggal(row["safari_berikut"].date(), L)))
            elif row["safari_mulai"] != row["safari_mulai"]:
                st.markdown(t("safari_line_belum", nama=formatting.md(region.nama)))

    children_section(view, "wilayah")

    # The kelurahan of the chosen region (a kelurahan: its kecamatan), who lags first, a page at a time.
    level, kode = ("kecamatan", region.kode_kecamatan) if region.level == "kelurahan" else (region.level, region.kode)
    st.subheader(t("table_kelurahan"))
    limit, offset = paged(kelurahan_count(path, level, kode), "wilayah_page")
    ranking = built(path, ("peringkat", L, as_of, level, kode, limit, offset), lambda: screen_tables.kelurahan_ranking(
        kelurahan_frame(path, as_of, level, kode, limit, offset), L))
    dataframe(screen_tables.styled(ranking, L), hide_index=True, width="stretch",
                 # the full table (codes, recorded, delivered, safari dates) is in the downloads
                 column_order=[c for c in ranking.columns if c not in {t(k) for k in (
                     "col_kode", "col_rekam", "col_distribusi", "col_safari_mulai", "col_safari_berikut")}],
                 column_config={t("col_kemajuan"): st.column_config.ProgressColumn(min_value=0, max_value=100, format="%d%%")})
    st.caption(t("table_kelurahan_caption"))
    downloads(lambda: screen_tables.kelurahan_ranking(kelurahan_frame(path, as_of, level, kode), L, bar=False),
              screen_tables.file_stem("peringkat_kelurahan", as_of), "ranking")
    with st.container(key="png_hint"):   # hidden on a phone or tablet, where the toolbar is (phone.css)
        st.caption(t("download_png_hint"))
    report_button(path, region, as_of)
