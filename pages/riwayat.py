"""Riwayat: every upload batch, its rows, and reverting one with a reason. ?batch=N opens batch N (the
audit log links here); the URL follows the batch chosen, so it can be bookmarked or shared."""

import pandas as pd
import streamlit as st

from ektp_metrics import auth, fields, formatting, history, screen_tables
from pages._lang import lang, t
from pages._queries import clear_caches
from pages._session import current_user
from pages._store import database
from pages._widgets import dataframe, paged

_PICK = "riwayat_batch"         # the selectbox's key
_FROM_URL = "riwayat_batch_url"  # the ?batch= value last applied to it


def _open_from_url(ids: list[int]) -> None:
    """?batch=N selects batch N when the URL brings a new value (a link, a bookmark) or the page opens
    afresh; otherwise the person's own choice stays."""
    wanted = st.query_params.get("batch")
    if wanted != st.session_state.get(_FROM_URL) or _PICK not in st.session_state:
        st.session_state[_FROM_URL] = wanted
        number = int(wanted) if wanted is not None and wanted.strip().isdigit() else None
        if number in ids:
            st.session_state[_PICK] = number
    if st.session_state.get(_PICK, ids[0]) not in ids:
        del st.session_state[_PICK]


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

    dataframe(screen_tables.batches_table(batches, L), hide_index=True, height=320)

    ids = [int(i) for i in batches["id"]]
    _open_from_url(ids)
    files = dict(zip(ids, batches["file"], strict=True))
    chosen = st.selectbox(t("riwayat_pick"), ids, key=_PICK, format_func=lambda i: f"{i} · {files[i]}")
    if st.query_params.get("batch") != str(chosen):   # write only on change: each write goes to the browser
        st.query_params["batch"] = str(chosen)
        st.session_state[_FROM_URL] = str(chosen)
    info = batches.set_index("id").loc[chosen]
    st.markdown(t("riwayat_batch_line", batch=chosen, user=formatting.md(info["user"]),
                  rows=formatting.angka(int(info["rows"]), L),
                  sha=f"{info['sha256'][:12]}…" if pd.notna(info["sha256"]) and info["sha256"] else "–"))
    if pd.notna(info["note"]) and info["note"]:
        st.caption(formatting.md(info["note"]))
    if info["status"] == "dibatalkan":
        st.warning(t("riwayat_reverted", user=formatting.md(info["reverted_by"]), reason=formatting.md(info["revert_reason"]),
                     waktu=formatting.waktu(info["reverted_at"].to_pydatetime(), L)))
    limit, offset = paged(history.batch_row_count(db, int(chosen)), f"riwayat_page_{chosen}")
    rows = screen_tables.batch_rows_table(history.batch_rows(db, int(chosen), limit, offset), L)
    dataframe(screen_tables.styled(rows, L), hide_index=True, height=280)

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
