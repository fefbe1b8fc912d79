"""Entry point: frames every page (language, demo notice) and routes with st.navigation."""

import streamlit as st

from ektp_metrics import i18n, settings
from pages._shared import database, framed, is_demo, lang, t

bad_settings = settings.problems()
if bad_settings:
    st.error(i18n.t("bad_settings", settings.default_lang(), detail="; ".join(bad_settings)))
    st.stop()

# The language follows ?lang=id|en on first load, so a link (or the lobby screen) can fix it.
if "lang" not in st.session_state:
    from_url = st.query_params.get("lang")
    st.session_state["lang"] = from_url if from_url in i18n.LANGUAGES else settings.default_lang()
with st.sidebar:
    st.segmented_control("Bahasa / Language", list(i18n.LANGUAGES), key="lang", required=True,
                         format_func=i18n.LANGUAGES.get)
if st.query_params.get("lang") != lang():   # write only on change: every write is a message to the browser
    st.query_params["lang"] = lang()

# No page_icon: a ":material/…" favicon is fetched from an internet font service; the app runs offline.
st.set_page_config(page_title=i18n.t("app_title", lang()), layout="wide")

# No page icons: Streamlit turns them into favicons fetched from an internet font service.
page = st.navigation([
    # The default page is served at "/" only (its own slug answers "page not found" in Streamlit 1.67),
    # so it gets the slug "beranda" and a hidden alias keeps the documented /ringkasan working.
    st.Page("pages/ringkasan.py", title=t("nav_ringkasan"), url_path="beranda", default=True),
    st.Page("pages/ringkasan.py", title=t("nav_ringkasan"), url_path="ringkasan", visibility="hidden"),
    st.Page("pages/unggah.py", title=t("nav_unggah"), url_path="unggah"),
    st.Page("pages/riwayat.py", title=t("nav_riwayat"), url_path="riwayat"),
])

if is_demo(str(database().path)):
    st.info(t("demo_banner"), icon=":material/info:")

with framed():
    page.run()
