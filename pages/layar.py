"""Layar publik: the Balai Kota lobby screen (/layar?embed=true). Slides rotate and refresh by themselves.

No login, no controls. The figures come from one cached read (kiosk.read_board); when the database is
briefly unavailable the last good figures stay on screen with a discreet note, never an error.
"""

import datetime as dt
import logging

import streamlit as st

from ektp_metrics import kiosk, settings
from pages._shared import kiosk_board, region_scope, require_frame

require_frame(__file__)
_LOG = logging.getLogger("ektp.layar")
SECONDS = kiosk.seconds_from(st.query_params.get("detik"))
_GOOD, _SLIDE = "layar_terakhir", "layar_slide"

st.html(kiosk.CSS)


@st.fragment(run_every=SECONDS)
def board() -> None:
    now = dt.datetime.now(dt.timezone.utc)
    stale_since = None
    try:
        current = kiosk_board()
        st.session_state[_GOOD] = (current, now)
    except Exception:   # the lobby never shows an error: keep the last good figures, log the cause
        _LOG.exception("layar: data tidak bisa dibaca; angka terakhir tetap ditampilkan")
        current, now = st.session_state.get(_GOOD, (None, now))
        stale_since = now
    if current is None:
        try:
            name = region_scope(str(settings.db_path())).nama
        except Exception:   # no name yet is still no error
            name = ""
        st.html(kiosk.waiting(name))
        return
    slides = kiosk.slides_for(current)
    position = kiosk.next_slide(st.session_state.get(_SLIDE), len(slides))
    st.session_state[_SLIDE] = position
    try:
        page = kiosk.render(current, slides[position], position, len(slides), now, stale_since)
    except Exception:   # a slide that cannot be drawn from these figures is skipped, never an error
        _LOG.exception("layar: slide %s tidak bisa digambar", slides[position])
        page = kiosk.waiting()
    st.html(page)


board()
