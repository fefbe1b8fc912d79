"""Isi angka harian: a safari clerk types the evening's counts on a phone (issue 21). The rows become the daily
CSV (ektp_metrics.entry) and go through exactly the upload path (pages._upload_flow: checks, preview, Simpan,
one batch, the audit entry, revert on Riwayat). One column of full-width fields: it fits a 390 px screen."""

import streamlit as st

from ektp_metrics import entry, formatting
from pages._lang import t
from pages._queries import cached, reference_day
from pages._store import database
from pages._upload_flow import review_and_save

kelurahan_choices = cached(entry.kelurahan_choices)


def render() -> None:
    db = database()
    path = str(db.path)

    st.title(t("isi_title"))
    st.caption(t("isi_intro"))
    if st.session_state.get("isi_saved"):
        saved = st.session_state.pop("isi_saved")
        st.success(saved)
        st.toast(saved, duration="long")   # seen on a phone too, scrolled down at the Simpan button

    today = reference_day(path) or formatting.hari_ini()
    choices = {k.kode: k for k in kelurahan_choices(path)}
    nonce = st.session_state.setdefault("isi_nonce", 0)   # a save starts an empty form (new widget keys)
    ids: list[int] = st.session_state.setdefault(f"isi_rows_{nonce}", [0])

    rows = []
    for n, rid in enumerate(ids):
        key = f"isi_{nonce}_{rid}"
        with st.container(border=True):
            st.markdown(t("isi_row", n=n + 1, baris=n + 2))   # the file's baris: the header is baris 1
            tanggal = st.date_input(t("col_tanggal"), value=today, format="DD/MM/YYYY", key=f"{key}_tanggal")
            kode = st.selectbox(t("col_kelurahan"), list(choices), index=None, key=f"{key}_kelurahan",
                                format_func=lambda k: f"{choices[k].nama} ({choices[k].kecamatan})",
                                placeholder=t("isi_pilih_kelurahan"))
            lokasi = st.selectbox(t("col_lokasi"), entry.lokasi_choices(), key=f"{key}_lokasi",
                                  format_func=lambda v: t(f"lokasi_{v}"))
            c1, c2 = st.columns(2)
            rekam = c1.number_input(t("isi_rekam"), value=None, step=1, key=f"{key}_rekam", placeholder="0")
            distribusi = c2.number_input(t("isi_distribusi"), value=None, step=1, key=f"{key}_distribusi",
                                         placeholder="0")
            if len(ids) > 1 and st.button(t("isi_hapus"), key=f"{key}_hapus", width="stretch"):
                ids.remove(rid)
                st.rerun()
        rows.append(entry.EntryRow(tanggal if not isinstance(tanggal, tuple) else None,
                                   choices.get(kode) if kode else None, lokasi,
                                   None if rekam is None else int(rekam),
                                   None if distribusi is None else int(distribusi)))

    if st.button(t("isi_tambah"), key=f"isi_{nonce}_tambah", width="stretch"):
        ids.append(max(ids) + 1)
        st.rerun()
    if st.button(t("isi_periksa"), key=f"isi_{nonce}_periksa", type="primary", width="stretch"):
        st.session_state[f"isi_checked_{nonce}"] = True
    if st.session_state.get(f"isi_checked_{nonce}"):   # from then on the check follows every change
        review_and_save(db, entry.daily_csv(rows), entry.file_name(rows, today), nonce,
                        nonce_key="isi_nonce", saved_key="isi_saved")
