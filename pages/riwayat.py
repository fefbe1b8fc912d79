"""Riwayat: every upload batch, its rows, and reverting one with a reason."""

import pandas as pd
import streamlit as st

from ektp_metrics import auth, fields, formatting, history
from pages._lang import lang, t
from pages._queries import clear_caches
from pages._session import current_user
from pages._store import database
from pages._widgets import dataframe, paged


def render() -> None:
    db = database()
    L = lang()
    user = current_user()

    st.title(t("riwayat_title"))
    st.caption(t("riwayat_intro"))
    if st.session_state.get("revert_done"):
        st.success(st.session_state.pop("revert_done"))

    batches = history.batches(db)
    if batches.empty:
        st.info(t("riwayat_empty"))
        st.stop()

    table = pd.DataFrame({
        t("col_batch"): batches["id"],
        t("col_jenis"): [t(f"kind_{k}") for k in batches["kind"]],
        t("col_berkas"): batches["file"],
        t("col_baris_n"): batches["rows"],
        t("col_petugas"): batches["user"],
        t("col_waktu"): [formatting.tanggal_jam(v.to_pydatetime(), L) for v in batches["created_at"]],
        t("col_status"): [t(f"status_{s}") for s in batches["status"]],
    })
    dataframe(table, hide_index=True, height=320)

    chosen = st.selectbox(t("riwayat_pick"), batches["id"].tolist(),
                          format_func=lambda i: f"{i} · {batches.set_index('id').at[i, 'file']}")
    info = batches.set_index("id").loc[chosen]
    st.markdown(t("riwayat_batch_line", batch=chosen, user=formatting.md(info["user"]),
                  rows=formatting.angka(int(info["rows"]), L),
                  sha=str(info["sha256"] or "–")[:12]))
    if pd.notna(info["note"]) and info["note"]:
        st.caption(formatting.md(info["note"]))
    if info["status"] == "dibatalkan":
        st.warning(t("riwayat_reverted", user=formatting.md(info["reverted_by"]), reason=formatting.md(info["revert_reason"]),
                     waktu=formatting.tanggal_jam(info["reverted_at"].to_pydatetime(), L)))
    limit, offset = paged(history.batch_row_count(db, int(chosen)), f"riwayat_page_{chosen}")
    dataframe(history.batch_rows(db, int(chosen), limit, offset), hide_index=True, height=280)

    if info["status"] == "aktif" and not auth.may_revert(user, str(info["user"])):
        st.caption(t("riwayat_not_yours"))
    elif info["status"] == "aktif":
        with st.form(f"revert_{chosen}"):
            st.markdown(f"**{t('riwayat_revert_title', batch=chosen)}**")
            reason = st.text_input(t("riwayat_reason"), max_chars=fields.LIMITS["revert_reason"])
            sure = st.checkbox(t("riwayat_confirm", batch=chosen))
            submitted = st.form_submit_button(t("riwayat_revert"), type="primary")
        if submitted:
            if not sure or not reason.strip():
                st.error(t("riwayat_need_reason"))
            else:
                try:
                    history.revert(db, int(chosen), user=user.username, reason=reason, role=user.role)
                except history.RevertRefused as exc:
                    st.error(t(f"revert_{exc.code}", **exc.params))
                else:
                    clear_caches()
                    st.session_state["revert_done"] = t("riwayat_done", batch=chosen)
                    st.rerun()
