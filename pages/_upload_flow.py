"""Check a file as the Unggah page does and save it on Simpan: used by Unggah (a file) and by any page that
builds the same file another way, so that every path in is exactly the upload path (ektp_metrics.upload)."""

import hashlib

import pandas as pd
import streamlit as st

from ektp_metrics import formatting, upload
from ektp_metrics.db import Database
from ektp_metrics.formatting import md
from ektp_metrics.i18n import describe_change, describe_finding, describe_ignored, finding_row
from pages._lang import lang, t
from pages._queries import clear_caches
from pages._session import current_user
from pages._widgets import dataframe, show_problems


def review_and_save(db: Database, data: bytes, filename: str, nonce: int, *, nonce_key: str,
                    saved_key: str, sheet: str | None = None) -> None:
    """The checks of a dry run, the problems, the change in figures and the preview, then Simpan.
    `nonce` keys this file's widgets; a save increments st.session_state[nonce_key] (the caller's form then
    starts empty) and leaves the success message in st.session_state[saved_key] for the caller to show."""
    L = lang()
    signed = current_user()
    user = signed.username
    c1, c2 = st.columns(2)
    replace = c1.checkbox(t("unggah_replace"), help=t("unggah_replace_help"), key=f"replace_{nonce}")
    force = c2.checkbox(t("unggah_force"), help=t("unggah_force_help"), key=f"force_{nonce}")
    # The dry run of this file, these options and this data version, kept for the session: a rerun that changes
    # none of them (opening the preview, switching the language) shows it again instead of checking anew.
    checked = (hashlib.sha256(data).hexdigest(), filename, sheet, replace, force, user, signed.role,
               str(db.path), db.version)
    kept = st.session_state.get("upload_dry_run")
    if kept is not None and kept[0] == checked:
        result = kept[1]
    else:
        bar = st.progress(0.0, text=t("unggah_checking"))
        try:
            result = upload.ingest(db, data, filename, user=user, role=signed.role, dry_run=True,
                                   replace=replace, force=force, sheet=sheet,
                                   progress=lambda f, step: bar.progress(f, text=t("unggah_checking")))
        finally:   # also when the database refuses (a full disk, a vanished file): app.py says why below
            bar.empty()
        st.session_state["upload_dry_run"] = (checked, result)

    kind = t(f"kind_{result.kind}") if result.kind else t("unggah_kind_unknown")
    st.subheader(t("unggah_detected", kind=kind, rows=result.rows))
    if result.ignored_columns:
        st.caption(t("unggah_ignored", columns=md(describe_ignored(result.ignored_columns, L))))
    if result.problems:
        show_refusal(result, force=force)
    if result.change is not None and result.accepted:
        st.info("\n".join(f"- {line}" for line in describe_change(result.change, L)))
    if result.findings and result.accepted:
        show_findings(result.findings)
    if result.preview is not None and len(result.preview):
        with st.expander(t("unggah_preview")):
            dataframe(result.preview, hide_index=True)

    if result.accepted and st.button(t("unggah_save"), type="primary", key="simpan"):
        saved = upload.ingest(db, data, filename, user=user, role=signed.role, replace=replace,
                              force=force, sheet=sheet)
        if saved.committed:
            clear_caches()
            st.session_state[nonce_key] = nonce + 1
            st.session_state[saved_key] = t("unggah_saved", batch=saved.batch_id, rows=saved.rows)
            st.rerun()
        else:  # something changed since the check (e.g. the same file saved in another tab)
            show_refusal(saved, force=force, key="saved_problems")


def show_findings(findings: list) -> None:
    """What the Kualitas rules would add if the file were saved (upload.Finding), before Simpan: a warning
    and a table of the rows behind them."""
    L = lang()
    st.warning(t("unggah_findings", n=formatting.angka(len(findings), L)))
    st.table(pd.DataFrame({
        t("col_baris"): [finding_row(f, L) for f in findings],
        t("col_temuan"): [md(describe_finding(f, L)) for f in findings],
    }), hide_index=True)


def show_refusal(result: upload.IngestResult, *, force: bool, key: str = "problems") -> None:
    """The headline of a result with problems, then the problems (those no confirmation accepts first):
    how many the confirmation box can accept and how many it cannot, and that ticking it will not help
    those; "bila benar, centang konfirmasi" only where ticking it would make the file acceptable."""
    L = lang()
    errors, implausible = len(result.errors), len(result.implausible)
    if result.accepted:
        st.warning(t("unggah_confirmed"))
    elif errors and implausible:
        st.error(t("unggah_refused_mixed", e=formatting.angka(errors, L), i=formatting.angka(implausible, L)))
    elif errors:
        st.error(t("unggah_refused", n=formatting.angka(errors, L)))
    else:
        st.warning(t("unggah_refused_confirmable", n=formatting.angka(implausible, L)))
    show_problems(result.problems, advice=not errors and not force, key=key)
