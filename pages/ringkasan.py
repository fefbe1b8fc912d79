"""Ringkasan: the city's headline figures on any date, when we finish, and progress per kecamatan."""

import datetime as dt

import streamlit as st

from ektp_metrics import charts, formatting, metrics, screen_tables, settings
from ektp_metrics.i18n import describe_projection
from pages._lang import lang, t
from pages._queries import (
    built,
    city_series,
    daily_by_lokasi,
    first_data_date,
    has_data,
    projections,
    published_coverage,
    region_scope,
    summaries,
    whole_summary,
)
from pages._store import database
from pages._widgets import (
    CHART_MAX_REGIONS,
    Region,
    as_of_picker,
    chart,
    dataframe,
    downloads,
    report_button,
    without_codes,
)


def render() -> None:
    db = database()
    path = str(db.path)
    L = lang()

    whole = region_scope(path)   # Kota Surakarta for the default list; a provinsi, or the whole, for others
    st.title(t("ringkasan_title", nama=formatting.md(whole.nama)))
    if not has_data(path):
        st.info(t("no_data"))
        st.stop()

    as_of = as_of_picker(path)
    deadline = settings.deadline()
    left = metrics.days_left(as_of, deadline)
    kota = whole_summary(path, as_of)        # the kota for Solo; a provinsi or the whole list for other lists
    week = whole_summary(path, as_of - dt.timedelta(days=7))
    if kota is None or week is None:
        st.info(t("no_data"))
        st.stop()
    line = "as_of_line" if left >= 0 else "as_of_line_past"
    st.markdown(t(line, tanggal=formatting.tanggal(as_of, L, hari=True), hari=formatting.angka(abs(left), L),
                  batas=formatting.tanggal(deadline, L)))

    def week_delta(now: int, before: int) -> str:
        return t("week_delta", n=formatting.selisih(now - before, L))

    if kota.target_berlaku_mulai != week.target_berlaku_mulai:
        persen_delta = t("week_delta_new_target")
    elif kota.persen_rekam is not None and week.persen_rekam is not None:
        persen_delta = t("week_delta_points", n=formatting.selisih_desimal(kota.persen_rekam - week.persen_rekam, L))
    else:
        persen_delta = None

    c1, c2, c3 = st.columns(3)
    c1.metric(t("m_persen_rekam"), formatting.persen_nilai(kota.persen_rekam, L), delta=persen_delta,
              help=t("m_persen_rekam_help"), border=True)
    c2.metric(t("m_sudah_rekam"), formatting.angka(kota.sudah_rekam, L),
              delta=week_delta(kota.sudah_rekam, week.sudah_rekam), border=True)
    pace_help = t("pace_help", batas=formatting.tanggal(deadline, L), hari=formatting.angka(max(left, 0), L))
    pace_rekam = metrics.pace_needed(kota.belum_rekam, left)
    c3.metric(t("m_belum_rekam"), formatting.angka(kota.belum_rekam, L),
              delta=t("pace_rekam", n=formatting.angka(pace_rekam, L)) if pace_rekam else None,
              delta_color="off", delta_arrow="off", help=pace_help, border=True)
    c4, c5, c6 = st.columns(3)
    c4.metric(t("m_distribusi"), formatting.angka(kota.sudah_distribusi, L),
              delta=week_delta(kota.sudah_distribusi, week.sudah_distribusi), border=True,
              help=t("of_recorded", persen=formatting.persen_nilai(kota.persen_distribusi, L)))
    pace_kartu = metrics.pace_needed(kota.backlog_distribusi, left)
    c5.metric(t("m_backlog"), formatting.angka(kota.backlog_distribusi, L),
              delta=t("pace_kartu", n=formatting.angka(pace_kartu, L)) if pace_kartu else None,
              delta_color="off", delta_arrow="off", help=t("m_backlog_help") + " " + pace_help, border=True)
    c6.metric(t("m_hari"), formatting.angka(left, L), help=t("m_hari_help"), border=True)
    if kota.kelurahan_tanpa_target:
        st.warning(t("missing_targets", n=formatting.angka(kota.kelurahan_tanpa_target, L)))
    if kota.target_berlaku_mulai:
        st.caption(t("target_version", wajib=formatting.angka(kota.wajib_ktp, L),
                     tanggal=formatting.tanggal(kota.target_berlaku_mulai, L)))

    st.subheader(t("projection_title"))
    rekam, kartu = projections(path, as_of)
    st.markdown(describe_projection(rekam, "rekam", L))
    st.markdown(describe_projection(kartu, "kartu", L))

    st.subheader(t("series_title"))
    first = first_data_date(path)
    assert first is not None   # has_data() above
    progress = built(path, ("perjalanan", L, as_of), lambda: charts.progress_over_time(
        city_series(path, first, as_of), published_coverage(path), L))
    chart(progress, screen_tables.file_stem("perjalanan_100_persen", as_of))
    if charts.published_points(progress):   # the diamonds are Solo's published figures: said only when drawn
        st.caption(t("series_caption"))

    st.subheader(t("lokasi_title"))
    recent = daily_by_lokasi(path, as_of - dt.timedelta(days=59), as_of)
    if len(recent):
        chart(built(path, ("lokasi", L, as_of), lambda: charts.daily_by_lokasi(recent, L)),
              screen_tables.file_stem("perekaman_harian_per_lokasi", as_of))

    below = whole.levels[0]   # kecamatan for Solo; provinsi or kota for a larger list
    if below != "kelurahan":
        per_region = summaries(path, as_of, below)
        lowest = metrics.lowest(per_region, CHART_MAX_REGIONS)
        chart(built(path, ("kemajuan", below, L, as_of), lambda: charts.kecamatan_progress(lowest, L)),
              screen_tables.file_stem(f"kemajuan_{below}", as_of))
        if below == "kecamatan":
            st.caption(t("chart_kecamatan_caption"))
        elif len(per_region) > CHART_MAX_REGIONS:
            st.caption(t("children_chart_cut", n=CHART_MAX_REGIONS, total=formatting.angka(len(per_region), L)))
        with st.expander(t("table_kecamatan") if below == "kecamatan"
                         else t("children_title", tingkat=t(f"pick_{below}"))):
            table = built(path, ("tabel_wilayah", below, L, as_of), lambda: screen_tables.region_table(per_region, L))
            dataframe(screen_tables.styled(table, L), hide_index=True, width="stretch", column_order=without_codes(table))
            downloads(table, screen_tables.file_stem(below, as_of), "kecamatan")
    report_button(path, Region(whole.level, None, kota.nama, None), as_of)
