"""Distribusi: wajib → rekam → kartu diterima dari pusat → kartu diterima warga, and the backlog."""

import streamlit as st

from ektp_metrics import charts, formatting, metrics, screen_tables, settings
from ektp_metrics.i18n import describe_projection
from pages._lang import lang, t
from pages._queries import (
    built,
    kelurahan_count,
    kelurahan_frame,
    region_projections,
    summaries,
)
from pages._widgets import (
    chart,
    child_level,
    dataframe,
    downloads,
    paged,
    region_view,
    report_button,
)


def render() -> None:
    L = lang()
    view = region_view("distribusi_title", "distribusi")
    path, as_of, region, figures = view.path, view.as_of, view.region, view.figures
    deadline = settings.deadline()
    left = metrics.days_left(as_of, deadline)

    st.subheader(t("funnel_title"))
    chart(built(path, ("corong", L, as_of, region), lambda: charts.funnel(figures, L)),
          screen_tables.file_stem("corong_distribusi", as_of))
    if figures.kelurahan_tanpa_target:
        st.caption(t("funnel_no_share", n=formatting.angka(figures.kelurahan_tanpa_target, L)))
    if figures.kartu_diterima is None:
        st.caption(t("funnel_kartu_none"))
    elif figures.kelurahan_kartu >= figures.kelurahan and figures.kartu_diterima < figures.sudah_distribusi:
        st.warning(t("funnel_kartu_old", kartu=formatting.angka(figures.kartu_diterima, L),
                     tanggal=formatting.tanggal(figures.tanggal_kartu, L),
                     distribusi=formatting.angka(figures.sudah_distribusi, L)))

    _, kartu = region_projections(path, as_of, region.level, region.kode)
    perlu = metrics.pace_needed(figures.backlog_distribusi, left)
    if perlu is not None and figures.backlog_distribusi > 0:
        st.markdown(t("backlog_pace", backlog=formatting.angka(figures.backlog_distribusi, L),
                      batas=formatting.tanggal(deadline, L), perlu=formatting.angka(perlu, L),
                      hari=formatting.angka(left, L)))
    st.markdown(describe_projection(kartu, "kartu", L))

    # The kelurahan of the chosen region (a kelurahan: its kecamatan).
    level, kode = ("kecamatan", region.kode_kecamatan) if region.level == "kelurahan" else (region.level, region.kode)
    if region.level != "kelurahan":
        st.subheader(t("backlog_title"))
        chart(built(path, ("backlog", L, as_of, level, kode), lambda: charts.backlog_ranking(
                  kelurahan_frame(path, as_of, level, kode, 15, 0, "backlog"), L)),
              screen_tables.file_stem("backlog_kelurahan", as_of))

    st.subheader(t("distribusi_table_title"))
    below = child_level(view)
    if below is not None:
        st.markdown(f"**{t('distribusi_per', tingkat=t(f'pick_{below}'))}**")
        per_region = built(path, ("distribusi_wilayah", L, as_of, below, region), lambda: screen_tables.distribusi_table(
            screen_tables.kecamatan_frame_from(summaries(path, as_of, below, region.within)), left, L))
        dataframe(screen_tables.styled(per_region, L), hide_index=True, width="stretch",
                     column_order=[c for c in per_region.columns if c != t("col_kode")])
        downloads(per_region, screen_tables.file_stem(f"distribusi_{below}", as_of), "dist_kec")
    st.markdown(f"**{t('distribusi_kelurahan')}**")
    limit, offset = paged(kelurahan_count(path, level, kode), "distribusi_page")
    per_kelurahan = built(path, ("distribusi_kelurahan", L, as_of, level, kode, limit, offset),
                          lambda: screen_tables.distribusi_table(kelurahan_frame(path, as_of, level, kode, limit, offset),
                                                                 left, L))
    dataframe(screen_tables.styled(per_kelurahan, L), hide_index=True, width="stretch",
                 column_order=[c for c in per_kelurahan.columns if c != t("col_kode")])
    downloads(lambda: screen_tables.distribusi_table(kelurahan_frame(path, as_of, level, kode), left, L),
              screen_tables.file_stem("distribusi_kelurahan", as_of), "dist_kel")
    with st.container(key="png_hint"):   # hidden on a phone or tablet, where the toolbar is (phone.css)
        st.caption(t("download_png_hint"))
    report_button(path, region, as_of)
