"""Entry point: frames every page (language, demo notice, login) and routes with st.navigation.

The login gate lives here, once: a page the visitor may not open is never run; its URL shows the form.
So does the storage guard: whatever a run meets in the database (a missing, rotten, full or swapped file)
is said in Bahasa Indonesia with what to do (pages._store.storage_problem), never as a traceback.
Each page is a function in its module under pages/ (render): run on its own, a page file shows nothing.
The lobby screen (/layar) is no Streamlit page: serve.py serves it beside these pages (ektp_metrics/web.py).
"""

from collections.abc import Callable

import streamlit as st

from ektp_metrics import a11y, auth, i18n, settings
from ektp_metrics.formatting import md
from pages import (
    akun,
    distribusi,
    isi,
    keliling,
    kualitas,
    masuk,
    pengguna,
    ringkasan,
    riwayat,
    unggah,
    wilayah,
)
from pages._lang import lang, t
from pages._queries import is_demo, region_scope
from pages._session import login_form, sign_out, signed_in
from pages._store import (
    STORAGE_ERRORS,
    database,
    file_warning,
    storage_guard,
    storage_problem,
)
from pages._widgets import demo_notice


def app_title() -> str:
    """'Dasbor e-KTP Kota Surakarta': the browser tab's title, named after the whole region list.
    Without a readable database (yet) the title still shows, without a name."""
    try:
        name = region_scope(str(settings.db_path())).nama
    except (*STORAGE_ERRORS, settings.InvalidSetting):   # the page itself says what is wrong with the database
        name = ""
    return " ".join(t("app_title", wilayah=name).split())


bad_settings = settings.problems()
if bad_settings:
    st.error(i18n.t("bad_settings", settings.default_lang(), detail="; ".join(bad_settings)))
    st.stop()

# The language follows ?lang=id|en on first load, so a link can fix it.
if "lang" not in st.session_state:
    from_url = st.query_params.get("lang")
    st.session_state["lang"] = from_url if from_url in i18n.LANGUAGES else settings.default_lang()
with st.sidebar:
    st.segmented_control("Bahasa / Language", list(i18n.LANGUAGES), key="lang", required=True,
                         format_func=i18n.LANGUAGES.__getitem__)
if st.query_params.get("lang") != lang():   # write only on change: every write is a message to the browser
    st.query_params["lang"] = lang()

# No page_icon: a ":material/…" favicon is fetched from an internet font service; the app runs offline.
st.set_page_config(page_title=app_title(), layout="wide")
# focus, contrast, the uploader's words, phones and tablets (issue 21): the app's only raw HTML, a <style>
st.html(a11y.style_sheet(lang(), int(settings.number("EKTP_MAX_UPLOAD_MB"))))

problem: BaseException | None = None
try:
    user = signed_in()
except STORAGE_ERRORS as exc:   # said below, once the navigation is set up
    user, problem = None, exc
role = user.role if user else None


def page(render: Callable[[], None], title: str, url_path: str, *, default: bool = False,
         hidden: bool = False) -> st.Page:
    # A page the visitor may not open stays registered but hidden: its URL then shows the login form.
    # Title and url_path are always given: from a function Streamlit would take its name ("render").
    visible = not hidden and auth.may_open(role, url_path)
    return st.Page(render, title=title, url_path=url_path, default=default,
                   visibility="visible" if visible else "hidden")


# No page icons: Streamlit turns them into favicons fetched from an internet font service.
# The default page is served at "/" only (its own slug answers "page not found" in Streamlit 1.67),
# so it gets the slug "beranda" and a hidden alias keeps the documented /ringkasan working.
current = st.navigation({
    t("nav_section_dasbor"): [
        page(ringkasan.render, t("nav_ringkasan"), "beranda", default=True),
        page(ringkasan.render, t("nav_ringkasan"), "ringkasan", hidden=True),
        page(wilayah.render, t("nav_wilayah"), "wilayah"),
        page(distribusi.render, t("nav_distribusi"), "distribusi"),
        page(keliling.render, t("nav_keliling"), "keliling"),
    ],
    t("nav_section_petugas"): [
        page(unggah.render, t("nav_unggah"), "unggah"),
        page(isi.render, t("nav_isi"), "isi"),
        page(riwayat.render, t("nav_riwayat"), "riwayat"),
        page(kualitas.render, t("nav_kualitas"), "kualitas"),
        page(pengguna.render, t("nav_pengguna"), "pengguna"),
        page(akun.render, t("nav_akun"), "akun"),
        page(masuk.render, t("nav_masuk"), "masuk", hidden=user is not None),
    ],
})

with st.sidebar:
    if user is not None:
        st.caption(t("signed_in_as", name=md(user.display_name), role=t(f"role_{user.role}")))
        if st.button(t("logout"), key="logout"):
            try:
                sign_out(current.url_path)
            except STORAGE_ERRORS as exc:
                problem = exc
            else:
                st.stop()   # the browser loads the page anew, signed out (a rerun would drop that redirect)

if problem is not None:
    storage_problem(problem)
    st.stop()

with storage_guard():
    db = database()
    if is_demo(str(db.path)):
        demo_notice()

    if not auth.may_open(role, current.url_path):
        login_form(current.url_path, denied=user is not None)   # never the page itself
        st.stop()

    if auth.may_open(role, "unggah"):   # who writes is told when the file under the app is gone
        file_warning(db)
    current.run()
