"""The server: `streamlit run serve.py` (make run, the systemd unit in deploy/).

app.py frames and routes the Streamlit pages; this file puts them in an ASGI app (Streamlit 1.67's st.App)
together with what runs beside them for as long as the server runs:

- the lobby screen (/layar) and its figures as JSON, plain HTTP routes (ektp_metrics.web): no websocket,
  so a server restart never shows the lobby a dialog;
- the daily backup (ektp_metrics.backup.Scheduler) and the control socket through which the command line
  asks this process, the database file's owner, for a backup (ektp_metrics.control).

At shutdown the database is closed cleanly (every write was already checkpointed into the file).
"""

import logging
from contextlib import asynccontextmanager

import streamlit as st

from ektp_metrics import service, web


@asynccontextmanager
async def lifespan(_app):
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    running = service.start()
    try:
        yield
    finally:
        running.stop()


app = st.App("app.py", lifespan=lifespan, routes=web.routes())
