"""Unggah: a file in → detected kind and preview → every problem, or what will change → Simpan."""

import streamlit as st

from ektp_metrics import auth, settings, upload_templates
from ektp_metrics.filereader import sheet_names
from pages._lang import t
from pages._session import current_user
from pages._store import database
from pages._upload_flow import review_and_save


def render() -> None:
    db = database()

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
        if auth.can(current_user().role, "set_targets"):   # operators' rekap leaves wajib_ktp out
            c1, c2, _ = st.columns([2, 1, 1])
            c1.markdown(f"**{t('unggah_template_target')}**")
            c2.download_button(t("unggah_template_xlsx"), upload_templates.template_xlsx("rekap", targets=True),
                               f"templat_{upload_templates.TARGET_STEM}.xlsx",
                               mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                               key="tpl_target", on_click="ignore")

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
        review_and_save(db, data, uploaded.name, nonce, nonce_key="upload_nonce", saved_key="upload_saved",
                        sheet=sheet)
