"""Pengguna (admins): add, disable, enable and reset accounts; API tokens; the audit log, filtered and
downloadable."""


import pandas as pd
import streamlit as st

from ektp_metrics import (
    auth,
    backup,
    exports,
    fields,
    formatting,
    screen_tables,
    service,
    settings,
    tokens,
)
from ektp_metrics.db import audit_backup, set_public_text
from ektp_metrics.formatting import md
from pages._lang import lang, t
from pages._queries import clear_caches
from pages._session import authenticator, current_user
from pages._widgets import dataframe


def render() -> None:
    admin = current_user()
    store = authenticator()
    L = lang()

    st.title(t("pengguna_title"))
    if st.session_state.get("pengguna_done"):
        st.success(st.session_state.pop("pengguna_done"))
    backup_folder = settings.backup_dir(store.db.path)
    backups = backup.list_backups(backup_folder)
    if backup.is_stale(backup_folder):   # said first: an office must notice before it needs one
        newest = next((b for b in backups if b.good), None)
        st.warning(t("cadangan_stale", waktu=formatting.waktu(newest.taken_at, L)) if newest
                   else t("cadangan_none", folder=backup_folder))

    def done(message: str) -> None:
        st.session_state["pengguna_done"] = message
        st.rerun()

    users = store.users()
    dataframe(screen_tables.users_table(users, L), hide_index=True)

    add, manage = st.tabs([t("pengguna_add"), t("pengguna_manage")])
    with add, st.form("add_user", clear_on_submit=True):
        username = st.text_input(t("login_username"), key="add_username")
        name = st.text_input(t("pengguna_nama"), key="add_name", max_chars=fields.LIMITS["display_name"])
        role = st.selectbox(t("pengguna_peran"), auth.ROLES, format_func=lambda r: t(f"role_{r}"), key="add_role")
        password = st.text_input(t("login_password"), type="password", autocomplete="new-password", key="add_password")
        again = st.text_input(t("pengguna_sandi_ulang"), type="password", autocomplete="new-password",
                              key="add_password_again")
        if st.form_submit_button(t("pengguna_add"), type="primary"):
            if password != again:
                st.error(t("pengguna_sandi_beda"))
            else:
                try:
                    store.add(username, name, role, password, by=admin.username)
                except auth.AccountError as exc:
                    st.error(t(f"account_{exc.code}", **exc.params))
                else:
                    done(t("pengguna_added", username=md(username.strip().lower())))

    with manage:
        if users.empty:
            st.info(t("pengguna_none"))
        else:
            who = st.selectbox(t("pengguna_pilih"), users["username"].tolist(), key="manage_user")
            active = bool(users.set_index("username").at[who, "active"])
            c1, c2 = st.columns(2)
            if c1.button(t("pengguna_disable") if active else t("pengguna_enable"), key="toggle_active"):
                try:
                    store.set_active(who, not active, by=admin.username)
                except auth.AccountError as exc:
                    st.error(t(f"account_{exc.code}", **exc.params))
                else:
                    done(t("pengguna_toggled", username=md(who)))
            with c2.form("reset", clear_on_submit=True):
                new = st.text_input(t("pengguna_sandi_baru"), type="password", autocomplete="new-password",
                                    key="reset_password")
                new_again = st.text_input(t("pengguna_sandi_ulang"), type="password", autocomplete="new-password",
                                          key="reset_password_again")
                if st.form_submit_button(t("pengguna_reset")):
                    if new != new_again:
                        st.error(t("pengguna_sandi_beda"))
                    else:
                        try:
                            store.reset_password(who, new, by=admin.username)
                        except auth.AccountError as exc:
                            st.error(t(f"account_{exc.code}", **exc.params))
                        else:
                            done(t("pengguna_reset_done", username=md(who)))

    _api_tokens(store, admin, users)

    st.header(t("cadangan_title"))
    st.caption(t("cadangan_help", folder=backup_folder, jam=settings.get("EKTP_BACKUP_TIME"),
                 hari=int(settings.number("EKTP_BACKUP_KEEP"))))
    scheduled = service.current.scheduler if service.current is not None else None
    if scheduled is not None and scheduled.last_error:
        st.error(t("cadangan_scheduled_failed", detail=md(scheduled.last_error)))
    if st.button(t("cadangan_now"), type="primary", key="backup_now"):
        with st.spinner(t("cadangan_busy")):
            try:
                made = backup.take(store.db, backup_folder, by=f"admin:{admin.username}")
            except backup.BackupFailed as exc:
                st.error(t("cadangan_failed", detail=md(exc)))
            else:
                if store.db.file_problem() is None:   # recorded where it can be; a rescue from a vanished file is not
                    audit_backup(store.db, admin.username, made)
                done(t("cadangan_done", nama=md(made.path.name), ukuran=formatting.desimal(made.size / 1048576, 1, L),
                       batch=formatting.angka(made.batches, L)))
    if backups:
        dataframe(screen_tables.backup_table(backups, L), hide_index=True)
    else:
        st.info(t("cadangan_empty"))

    st.header(t("layar_texts_title"))
    st.caption(t("layar_texts_help"))
    with st.form("public_texts"):
        name = st.text_input(t("layar_wawali_nama"), value=store.db.get_setting("wawali_nama") or "",
                             max_chars=fields.LIMITS["wawali_nama"])
        call = st.text_area(t("layar_wawali_ajakan"), value=store.db.get_setting("wawali_ajakan") or "",
                            max_chars=fields.LIMITS["wawali_ajakan"])
        place = st.text_input(t("layar_kartu_tempat"), value=store.db.get_setting("kartu_tempat") or "",
                              max_chars=fields.LIMITS["kartu_tempat"])
        if st.form_submit_button(t("layar_texts_save")):
            texts = (("wawali_nama", name), ("wawali_ajakan", call), ("kartu_tempat", place))
            try:
                for key, value in texts:   # every text checked before any is saved: all or none
                    fields.text(key, value)
                for key, value in texts:
                    if value.strip() != (store.db.get_setting(key) or ""):   # only what changed is saved, audited
                        set_public_text(store.db, key, value, by=admin.username)
            except fields.TooLong as exc:
                st.error(t(exc.code, **exc.params))
            else:
                clear_caches()     # the lobby screens show the new text on their next slide
                done(t("layar_texts_saved"))

    st.header(t("audit_title"))
    actions, authors = auth.audit_choices(store.db)
    c1, c2, c3 = st.columns(3)
    # Keyed: a filter stays as chosen when the language changes (the codes are the values, words are shown).
    action = c1.selectbox(t("audit_action"), [None, *actions], key="audit_action",
                          format_func=lambda a: t("audit_all") if a is None else screen_tables.audit_action(a, L))
    who = c2.selectbox(t("audit_user"), [None, *authors], key="audit_user",
                       format_func=lambda u: t("audit_all") if u is None else u)
    # An empty range: [] as Streamlit's overloads type it (its code takes () alike: the same widget).
    period = c3.date_input(t("audit_period"), value=[], format="DD/MM/YYYY", key="audit_period")
    since, until = (period + (None, None))[:2] if isinstance(period, tuple) else (period, period)
    log = auth.audit_log(store.db, action=action, user=who, since=since, until=until)
    st.caption(t("audit_count", n=formatting.angka(len(log), L)) + " · "
               + t("audit_help", zona=formatting.nama_zona_kolom()))
    batch = t("col_batch")
    dataframe(screen_tables.audit_table(log, L), hide_index=True, height=360,
              column_config={batch: st.column_config.LinkColumn(batch, display_text=r"batch=(\d+)")})
    stamp = formatting.hari_ini().isoformat()
    d1, d2 = st.columns(2)
    d1.download_button(t("download_csv"), lambda: exports.to_csv(screen_tables.audit_table(log, L, download=True)),
                       f"log_audit_{stamp}.csv", mime="text/csv", on_click="ignore")
    d2.download_button(t("download_xlsx"), lambda: exports.to_xlsx(screen_tables.audit_table(log, L, download=True)),
                       f"log_audit_{stamp}.xlsx", on_click="ignore",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


_NEW_TOKEN = "token_baru"   # the token just made, with its secret: shown in the one run after, then gone
_TOKEN_DONE = "token_done"


def _api_tokens(store: auth.PasswordStore, admin: auth.User, users: pd.DataFrame) -> None:
    """Token API: make one for an active account (its secret shown once), the list, revoke one."""
    L = lang()
    st.header(t("token_title"))
    st.caption(t("token_help"))
    listing = tokens.listing(store.db)
    if st.session_state.get(_TOKEN_DONE):
        st.success(st.session_state.pop(_TOKEN_DONE))
    made = st.session_state.pop(_NEW_TOKEN, None)
    if made and made["id"] in set(listing["id"]):
        row = listing.set_index("id").loc[made["id"]]
        st.success(t("token_made", id=made["id"], nama=md(row["nama"]), user=md(row["username"]),
                     sampai=formatting.waktu(row["expires_at"].to_pydatetime(), L)))
        st.warning(t("token_once"))
        st.code(made["secret"], language=None)
        st.markdown(t("token_usage"))
        st.code("\n".join(tokens.usage(made["secret"], made["base"])), language="bash", wrap_lines=True)

    if listing.empty:
        st.info(t("token_none"))
    else:
        dataframe(screen_tables.tokens_table(listing, L), hide_index=True)

    make, revoke = st.tabs([t("token_make"), t("token_revoke_tab")])
    active = users[users["active"]]
    names = dict(zip(active["username"], active["display_name"], strict=True))
    roles = dict(zip(active["username"], active["role"], strict=True))
    with make, st.form("token_make", clear_on_submit=True):
        who = st.selectbox(t("token_user"), list(names), key="token_user",
                           format_func=lambda u: f"{u} \u00b7 {names[u]} \u00b7 {t(f'role_{roles[u]}')}")
        name = st.text_input(t("token_nama"), key="token_nama", max_chars=fields.LIMITS["token_name"],
                             help=t("token_nama_help"))
        days = st.number_input(t("token_hari"), min_value=1, max_value=tokens.MAX_DAYS, value=tokens.DEFAULT_DAYS,
                               step=1, key="token_hari", help=t("token_hari_help", maks=tokens.MAX_DAYS))
        if st.form_submit_button(t("token_make"), type="primary", key="token_make_submit") and who is not None:
            try:
                token_id, secret = tokens.create(store.db, who, name, int(days), by=admin.username, role=admin.role)
            except tokens.TokenError as exc:
                st.error(t(f"token_{exc.code}", **exc.params))
            else:
                # Where scripts reach this app: the page's own address without the page (the API is beside it).
                base = (st.context.url or "http://localhost:8501").removesuffix("/").removesuffix("/pengguna")
                st.session_state[_NEW_TOKEN] = {"id": token_id, "secret": secret, "base": base}
                st.rerun()

    with revoke:
        open_ = listing[listing["status"].isin(tokens.REVOCABLE)]
        if open_.empty:
            st.info(t("token_none_revocable"))
            return
        labels = {int(i): f"{i} \u00b7 {u} \u00b7 {n}"
                  for i, u, n in zip(open_["id"], open_["username"], open_["nama"], strict=True)}
        with st.form("token_revoke"):
            chosen = st.selectbox(t("token_pick"), list(labels), format_func=labels.__getitem__, key="token_pick")
            sure = st.checkbox(t("token_revoke_confirm"), key="token_sure")
            submitted = st.form_submit_button(t("token_revoke"), key="token_revoke_submit")
        if submitted:
            if not sure:
                st.error(t("token_revoke_need_confirm"))
            elif chosen is not None:
                row = open_.set_index("id").loc[chosen]
                try:
                    tokens.revoke(store.db, int(chosen), by=admin.username, role=admin.role)
                except tokens.TokenError as exc:
                    st.error(t(f"token_{exc.code}", **exc.params))
                else:
                    st.session_state[_TOKEN_DONE] = t("token_revoked", id=chosen, nama=md(row["nama"]),
                                                      user=md(row["username"]))
                    st.rerun()
