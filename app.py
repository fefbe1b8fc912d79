"""Entry point: frames every page (config, language, demo notice) and routes with st.navigation."""

import streamlit as st

from ektp_metrics import i18n
from pages._shared import database, is_demo, lang, t

st.set_page_config(page_title=i18n.t("app_title", lang()), page_icon="🪪", layout="wide")

with st.sidebar:
    st.radio(t("language"), list(i18n.LANGUAGES), format_func=i18n.LANGUAGES.get, key="lang",
             index=list(i18n.LANGUAGES).index(lang()), horizontal=True)

page = st.navigation([
    st.Page("pages/ringkasan.py", title=t("nav_ringkasan"), icon="📊", url_path="ringkasan", default=True),
])

if is_demo(str(database().path)):
    st.info(t("demo_banner"), icon="ℹ️")

page.run()
