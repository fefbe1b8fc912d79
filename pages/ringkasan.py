"""Ringkasan: the city's headline figures and progress per kecamatan."""

import streamlit as st

from ektp_metrics import charts, formatting, metrics, settings
from pages._shared import database, has_data, lang, reference_day, require_frame, summaries, t

require_frame(__file__)
db = database()
path = str(db.path)
L = lang()

st.title(t("ringkasan_title"))
if not has_data(path):
    st.info(t("no_data"))
    st.stop()

as_of = reference_day(path)
assert as_of is not None  # has_data() above
deadline = settings.deadline()
left = metrics.days_left(as_of, deadline)
city = summaries(path, as_of, "kota")
if len(city) != 1:
    st.info(t("no_data"))
    st.stop()
kota = city[0]
line = "as_of_line" if left >= 0 else "as_of_line_past"
st.markdown(t(line, tanggal=formatting.tanggal(as_of, L, hari=True), hari=formatting.angka(abs(left), L),
              batas=formatting.tanggal(deadline, L)))

c1, c2, c3 = st.columns(3)
c1.metric(t("m_persen_rekam"), formatting.persen_nilai(kota.persen_rekam, L),
          help=t("m_persen_rekam_help"), border=True)
c2.metric(t("m_sudah_rekam"), formatting.angka(kota.sudah_rekam, L),
          delta=t("m_wajib", wajib=formatting.angka(kota.wajib_ktp, L)), delta_color="off", delta_arrow="off",
          border=True)
pace_help = t("pace_help", batas=formatting.tanggal(deadline, L), hari=formatting.angka(left, L))
pace_rekam = metrics.pace_needed(kota.belum_rekam, left)
c3.metric(t("m_belum_rekam"), formatting.angka(kota.belum_rekam, L),
          delta=t("pace_rekam", n=formatting.angka(pace_rekam, L)) if pace_rekam else None,
          delta_color="off", delta_arrow="off", help=pace_help, border=True)
c4, c5, c6 = st.columns(3)
c4.metric(t("m_distribusi"), formatting.angka(kota.sudah_distribusi, L),
          delta=t("of_recorded", persen=formatting.persen_nilai(kota.persen_distribusi, L)),
          delta_color="off", delta_arrow="off", border=True)
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

per_kecamatan = summaries(path, as_of, "kecamatan")
st.plotly_chart(charts.kecamatan_progress(per_kecamatan, L), theme=None,
                config={"displaylogo": False, "locale": "id" if L == "id" else "en"})
st.caption(t("chart_kecamatan_caption"))

with st.expander(t("table_kecamatan")):
    st.table({
        t("col_wilayah"): [s.nama for s in per_kecamatan],
        t("col_wajib"): [formatting.angka(s.wajib_ktp, L) for s in per_kecamatan],
        t("col_rekam"): [formatting.angka(s.sudah_rekam, L) for s in per_kecamatan],
        t("col_belum"): [formatting.angka(s.belum_rekam, L) for s in per_kecamatan],
        t("col_persen"): [formatting.persen_nilai(s.persen_rekam, L) for s in per_kecamatan],
        t("col_distribusi"): [formatting.angka(s.sudah_distribusi, L) for s in per_kecamatan],
        t("col_backlog"): [formatting.angka(s.backlog_distribusi, L) for s in per_kecamatan],
    })
