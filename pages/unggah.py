"""Unggah: a file in → detected kind and preview → every problem, or what will change → Simpan."""

import streamlit as st

from ektp_metrics import settings, upload, upload_templates
from ektp_metrics.filereader import sheet_names
from ektp_metrics.formatting import md
from ektp_metrics.i18n import describe_change
from pages._lang import lang, t
from pages._queries import clear_caches
from pages._session import current_user
from pages._store import database
from pages._widgets import dataframe, show_problems


def render() -> None:
    db = database()
    L = lang()

    st.title(t("unggah_title"))
    st.caption(t("unggah_intro"))

    with st.expander(t("unggah_templates")):
        for kind, stem in upload_templates.FILE_STEMS.items():
            c1, c2, c3 = st.columns([2, 1, 1])
            c1.markdown(f"**{t(f'kind_{kind}')}**")
            c2.download_button(t("unggah_template_xlsx"), upload_templates.template_xlsx(kind), f"templat_{stem}.xlsx",
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                               key=f"tpl_{kind}", on_click="ignore")
            c3.download_button(t("unggah_example_csv"), upload_templates.example_path(kind).read_bytes(), f"contoh_{stem}.csv",
                               mime="text/csv", key=f"ex_{kind}", on_click="ignore")

    signed = current_user()
    user = signed.username
    max_mb = int(settings.number("EKTP_MAX_UPLOAD_MB"))
    nonce = st.session_state.setdefault("upload_nonce", 0)   # a new key empties the uploader after a save
    uploaded = st.file_uploader(t("unggah_file", mb=max_mb), type=["csv", "txt", "tsv", "xlsx"],
                                key=f"upload_{nonce}", max_upload_size=max_mb)

    if st.session_state.get("upload_saved"):
        st.success(st.session_state.pop("upload_saved"))

    if uploaded is not None:
        data = uploaded.getvalue()
        sheet = None
        sheets = sheet_names(data)
        if len(sheets) > 1:
            sheet = st.selectbox(t("unggah_sheet"), sheets, key=f"sheet_{nonce}")
        c1, c2 = st.columns(2)
        replace = c1.checkbox(t("unggah_replace"), help=t("unggah_replace_help"), key=f"replace_{nonce}")
        force = c2.checkbox(t("unggah_force"), help=t("unggah_force_help"), key=f"force_{nonce}")
        bar = st.progress(0.0, text=t("unggah_checking"))
        try:
            result = upload.ingest(db, data, uploaded.name, user=user, role=signed.role, dry_run=True,
                                   replace=replace, force=force, sheet=sheet,
                                   progress=lambda f, step: bar.progress(f, text=t("unggah_checking")))
        finally:   # also when the database refuses (a full disk, a vanished file): app.py says why below
            bar.empty()

        kind = t(f"kind_{result.kind}") if result.kind else t("unggah_kind_unknown")
        st.subheader(t("unggah_detected", kind=kind, rows=result.rows))
        if result.ignored_columns:
            st.caption(t("unggah_ignored", columns=md(", ".join(result.ignored_columns))))
        if result.problems:
            box = st.warning if result.accepted or (result.implausible and not result.errors) else st.error
            box(t("unggah_refused", n=len(result.problems)) if not result.accepted else t("unggah_confirmed"))
            show_problems(result.problems)
        if result.change is not None and result.accepted:
            st.info("\n".join(f"- {line}" for line in describe_change(result.change, L)))
        if result.preview is not None and len(result.preview):
            with st.expander(t("unggah_preview")):
                dataframe(result.preview, hide_index=True)

        if result.accepted and st.button(t("unggah_save"), type="primary", key="simpan"):
            saved = upload.ingest(db, data, uploaded.name, user=user, role=signed.role, replace=replace,
                                  force=force, sheet=sheet)
            if saved.committed:
                clear_caches()
                st.session_state["upload_nonce"] = nonce + 1
                st.session_state["upload_saved"] = t("unggah_saved", batch=saved.batch_id, rows=saved.rows)
                st.rerun()
            else:  # something changed since the check (e.g. the same file saved in another tab)
                st.error(t("unggah_refused", n=len(saved.problems)))
                show_problems(saved.problems)
