"""Kualitas data: published figures against the database, consistency rules, completeness, target
versions, and reconciliation with the centre's recap. Every finding names its batch and row."""


import streamlit as st

from ektp_metrics import auth, fields, formatting, history, quality, screen_tables, settings
from pages._lang import lang, t
from pages._queries import clear_caches, has_data
from pages._session import current_user
from pages._store import database
from pages._widgets import as_of_picker, dataframe, downloads, paged, show_problems


def render() -> None:
    db = database()
    path = str(db.path)
    L = lang()
    user = current_user()
    may_write = auth.can(user.role, "reconcile")

    st.title(t("kualitas_title"))
    if not has_data(path):
        st.info(t("no_data"))
        st.stop()
    as_of = as_of_picker(path)
    if st.session_state.get("kualitas_done"):   # a toast: seen wherever the page is scrolled to
        st.toast(st.session_state.pop("kualitas_done"), icon=":material/check_circle:")

    # ---- 1. published figures ----
    st.subheader(t("cek_title"))
    checks = quality.headline_check(db)
    show_all = st.checkbox(t("cek_show_all"), key="cek_all")
    table = screen_tables.headline_table(checks if show_all else [c for c in checks if c.status != "tidak_dibandingkan"], L)
    differ = sum(c.status == "berbeda" for c in checks)
    (st.warning if differ else st.success)(t("cek_summary", n=formatting.angka(differ, L),
                                             total=formatting.angka(sum(c.status in ("sama", "mendekati", "berbeda") for c in checks), L)))
    dataframe(screen_tables.styled(table, L), hide_index=True, width="stretch", column_config={
        t("col_sumber"): st.column_config.LinkColumn(display_text=t("col_sumber_teks"))})
    st.caption(t("cek_rule"))
    downloads(table, screen_tables.file_stem("cek_angka_publikasi", as_of), "cek")
    if auth.can(user.role, "add_published"):
        with st.expander(t("cek_add")), st.form("add_published", clear_on_submit=True):
            c1, c2, c3 = st.columns(3)
            day = c1.date_input(t("cek_tanggal"), value=as_of, format="DD/MM/YYYY")
            indikator = c2.selectbox(t("cek_indikator"), list(quality.COMPARABLE), format_func=lambda k: t(f"ind_{k}"))
            nilai = c3.text_input(t("cek_nilai"), placeholder="383.427", max_chars=fields.LIMITS["published_value"])
            c4, c5, c6 = st.columns(3)
            satuan = c4.text_input(t("cek_satuan"), placeholder="orang / orang (sekitar) / persen (tercetak)",
                                   max_chars=fields.LIMITS["published_unit"])
            penerbit = c5.text_input(t("cek_penerbit"), placeholder="Solopos", max_chars=fields.LIMITS["publisher"])
            url = c6.text_input(t("cek_url"), max_chars=fields.LIMITS["url"], placeholder="https://")
            note = st.text_input(t("cek_catatan"), max_chars=fields.LIMITS["note"])
            if st.form_submit_button(t("cek_add_save")):
                try:
                    batch = quality.add_published(db, tanggal=day, indikator=indikator, nilai=nilai, satuan=satuan,
                                                  penerbit=penerbit, sumber_url=url, catatan=note, user=user.username,
                                                  role=user.role)
                except (fields.TooLong, fields.BadLink) as exc:
                    st.error(t(exc.code, **exc.params))
                except ValueError:
                    st.error(t("cek_add_invalid"))
                else:
                    clear_caches()
                    st.session_state["kualitas_done"] = t("cek_added", batch=batch)
                    st.rerun()

    # ---- 2. consistency rules ----
    st.subheader(t("aturan_title"))
    stale = st.number_input(t("aturan_hari"), min_value=1, max_value=90, value=7, key="stale_days")
    found = quality.findings(db, as_of, stale_after=int(stale))
    batches_seen: set[int] = set()
    for rule, frame in found.items():
        label = t(f"aturan_{rule}") + " — " + t("aturan_n", n=formatting.angka(len(frame), L))
        with st.expander(label, expanded=bool(len(frame))):
            st.caption(t(f"aturan_{rule}_help"))
            if len(frame):
                shown = screen_tables.findings_table(frame, L)
                dataframe(screen_tables.styled(shown, L), hide_index=True, width="stretch")
                batches_seen |= {int(b) for b in frame["batch_id"].dropna()}
            else:
                st.markdown(t("aturan_ok"))

    # ---- 3. completeness ----
    st.subheader(t("lengkap_title"))
    complete = quality.completeness(db, as_of, stale_after=int(stale))
    late = int(complete["terlambat"].sum())
    st.markdown(t("lengkap_summary", n=formatting.angka(late, L), hari=formatting.angka(int(stale), L),
                  rata=formatting.persen_nilai(quality.reporting_rate(complete), L)))
    completeness_table = screen_tables.completeness_table(complete, L)
    dataframe(screen_tables.styled(completeness_table, L), hide_index=True, width="stretch", height=320,
                 column_config={t("col_kemajuan"): st.column_config.ProgressColumn(min_value=0, max_value=100, format="%d%%")})
    downloads(completeness_table, screen_tables.file_stem("kelengkapan_laporan", as_of), "lengkap")

    # ---- 4. target versions ----
    st.subheader(t("versi_title"))
    versions = quality.target_versions(db)
    dataframe(screen_tables.styled(screen_tables.versions_table(versions, L), L), hide_index=True, width="stretch")
    st.caption(t("versi_caption"))
    batches_seen |= {int(b) for b in versions["batch_id"].dropna()}

    # ---- 5. reconciliation with the centre ----
    st.subheader(t("rekon_title"))
    st.caption(t("rekon_help"))
    if may_write:
        nonce = st.session_state.setdefault("central_nonce", 0)
        central_file = st.file_uploader(t("rekon_upload"), type=["csv", "txt", "xlsx"], key=f"central_{nonce}",
                                        max_upload_size=int(settings.number("EKTP_MAX_UPLOAD_MB")))
        if central_file is not None and st.button(t("rekon_save"), key="central_save", type="primary"):
            result = quality.import_central(db, central_file.getvalue(), central_file.name, user=user.username,
                                             role=user.role)
            if result.unggahan_id is not None:
                st.session_state["central_nonce"] = nonce + 1
                st.session_state["kualitas_done"] = t("rekon_saved", id=result.unggahan_id, n=result.rows,
                                                      tanggal=formatting.tanggal(result.tanggal, L))
                st.rerun()
            st.error(t("unggah_refused", n=len(result.problems)))
            show_problems(result.problems)
    uploads = quality.central_uploads(db)
    if uploads.empty:
        st.info(t("rekon_none"))
    else:
        choice = st.selectbox(t("rekon_pick"), uploads["id"].tolist(), key="central_pick",
                              format_func=lambda i: t("rekon_pick_item", id=i, **screen_tables.upload_labels(uploads, i, L)))
        rec = quality.reconciliation(db, int(choice))
        total_centre, total_city = int(rec["belum_pusat"].sum()), int(rec["belum_lokal"].sum())
        st.markdown(t("rekon_summary", pusat=formatting.angka(total_centre, L), kota=formatting.angka(total_city, L),
                      selisih=formatting.selisih(total_centre - total_city, L),
                      n=formatting.angka(int((rec["selisih"] != 0).sum()), L),
                      belum=formatting.angka(int(rec["belum_dijelaskan"].clip(lower=0).sum()), L)))
        rec_table = screen_tables.reconciliation_table(rec, L)
        dataframe(screen_tables.styled(rec_table, L), hide_index=True, width="stretch", height=320)
        downloads(rec_table, screen_tables.file_stem(f"rekonsiliasi_pusat_{choice}", as_of), "rekon")
        notes = quality.reasons(db, int(choice))
        if may_write:
            differing = rec[rec["selisih"] != 0]
            with st.form("add_reason", clear_on_submit=True):
                st.markdown(f"**{t('rekon_reason_title')}**")
                c1, c2, c3 = st.columns([2, 2, 1])
                names = dict(zip(differing["kode_kelurahan"], differing["kelurahan"]))
                kel = c1.selectbox(t("col_kelurahan"), list(names), format_func=lambda k: names[k])
                why = c2.selectbox(t("rekon_alasan"), quality.REASONS, format_func=lambda r: t(f"alasan_{r}"))
                count = c3.number_input(t("rekon_jumlah"), min_value=1, value=1, step=1)
                note = st.text_input(t("cek_catatan"), max_chars=fields.LIMITS["note"])
                if st.form_submit_button(t("rekon_reason_save")) and kel:
                    quality.add_reason(db, int(choice), kel, why, int(count), note, user=user.username, role=user.role)
                    st.session_state["kualitas_done"] = t("rekon_reason_saved")
                    st.rerun()
        if len(notes):
            dataframe(screen_tables.styled(screen_tables.reasons_table(notes, L), L), hide_index=True, width="stretch")
            open_notes = notes[notes["status"] == "terbuka"]
            if may_write and len(open_notes):
                c1, c2 = st.columns([3, 1])
                pick = c1.selectbox(t("rekon_resolve_pick"), open_notes["id"].tolist(), key="resolve_pick",
                                    format_func=lambda i: screen_tables.reason_label(open_notes, i, L))
                if c2.button(t("rekon_resolve"), key="resolve"):
                    quality.resolve_reason(db, int(pick), user=user.username, role=user.role)
                    st.session_state["kualitas_done"] = t("rekon_resolved")
                    st.rerun()

    # ---- 6. the rows behind a finding ----
    if batches_seen:
        st.subheader(t("baris_title"))
        batch = st.selectbox(t("baris_pick"), sorted(batches_seen), key="finding_batch")
        limit, offset = paged(history.batch_row_count(db, int(batch)), f"finding_page_{batch}")
        rows = screen_tables.batch_rows_table(history.batch_rows(db, int(batch), limit, offset), L)
        dataframe(screen_tables.styled(rows, L), hide_index=True, width="stretch", height=280)
