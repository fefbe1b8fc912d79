"""The server: `streamlit run serve.py` (make run, the systemd unit in deploy/).

app.py frames and routes the Streamlit pages; this file puts them in an ASGI app (Streamlit 1.67's st.App)
together with what runs beside them for as long as the server runs:

- the lobby screen (/layar) and its figures as JSON (/layar/data.json), plain HTTP routes
  (ektp_metrics.web) that come before Streamlit's own: no websocket, so a server restart never shows
  the lobby a dialog;
- the origin check (ektp_metrics.origins): only the app's own web origin and EKTP_ALLOWED_ORIGINS may send
  requests or open the websocket;
- the daily backup (ektp_metrics.backup.Scheduler) and the control socket through which the command line
  asks this process, the database file's owner, for a backup (ektp_metrics.control).

At shutdown the database is closed cleanly (every write was already checkpointed into the file). An error
no page caught is logged and shown as a calm message (on_script_error), never as a traceback.
"""

import logging
import threading
from contextlib import asynccontextmanager
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware
from streamlit.runtime.pages_manager import PagesManager
from uvicorn import config as uvicorn_config
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware as _ProxyHeadersMiddleware

from ektp_metrics import i18n, service, settings, web
from ektp_metrics.origins import OriginGuard

_LOG = logging.getLogger("ektp.app")


@asynccontextmanager
async def lifespan(_app):
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    running = service.start()
    threading.Thread(target=_warm_up, name="ektp-warm-up", daemon=True).start()
    try:
        yield
    finally:
        running.stop()


def _warm_up() -> None:
    """The first visitor after a start waits no longer than the next ones (pages._queries.warm_up, issue 21).
    Best effort: a database that cannot be read now is the pages' to explain, not this thread's."""
    from pages._queries import warm_up

    try:
        warm_up(str(settings.db_path()))
    except Exception:   # noqa: BLE001 (the pages say what is wrong with the database)
        _LOG.info("pemanasan dilewati / warm-up skipped", exc_info=True)


def on_script_error(exc: Exception) -> bool:
    """The last resort for an error no page caught (app.py already says what is wrong with the database):
    logged with its trace, shown as a calm Bahasa message instead of Streamlit's error box, which would
    carry the exception and links to internet search services."""
    _LOG.error("galat tak terduga di halaman", exc_info=exc)
    st.error(i18n.t("app_error", settings.default_lang()))
    return True


def bundled_font() -> str | None:
    """Streamlit's own Source Sans, which this server already serves under /static/media/ (its file name
    carries a build hash, so it is looked up); None when this Streamlit has none: the lobby then uses the
    system's sans-serif."""
    media = Path(st.__file__).parent / "static" / "static" / "media"
    found = sorted(media.glob("SourceSansVF-Upright*.woff2"))
    return f"static/media/{found[0].name}" if found else None


# app.py routes every URL with st.navigation, from the first request on. Until a first st.navigation call,
# Streamlit would treat the pages/ folder beside app.py as a legacy multipage app and run pages/<name>.py
# itself for /<name>: a page module only defines its page (render), so a fresh server's first /unggah would
# be empty instead of app.py's login form. st.navigation sets this same flag; here it is set before any visit.
PagesManager.uses_pages_directory = False


def _proxy_headers_trusting_only_the_app_setting(app, trusted_hosts=None):
    """Uvicorn's X-Forwarded-For middleware, trusting web.FORWARDED_ALLOW_IPS (nobody) instead of its default
    127.0.0.1: X-Forwarded-For is then believed only as EKTP_TRUSTED_PROXY says (sessions.client_address).
    `streamlit run` builds uvicorn's Config (which reads FORWARDED_ALLOW_IPS) before it imports this file, and
    wraps the app in this middleware after: so the middleware, not the environment, is set here.
    tests/test_e2e_api.py checks that a forwarded address does not escape the rate limit."""
    return _ProxyHeadersMiddleware(app, trusted_hosts=web.FORWARDED_ALLOW_IPS)


setattr(uvicorn_config, "ProxyHeadersMiddleware", _proxy_headers_trusting_only_the_app_setting)  # noqa: B010


def server_names() -> tuple[str, ...]:
    """The names this server is configured to be reached by (Streamlit's config, read at each call): with
    localhost and IP addresses, the hosts whose own pages may use the app (ektp_metrics.origins)."""
    return tuple(str(st.get_option(name) or "") for name in ("server.address", "browser.serverAddress"))


# Middleware given to st.App runs before Streamlit's own, for every route: a request or websocket handshake
# from a foreign web origin is refused before Streamlit (or the lobby's routes) sees it.
app = st.App("app.py", lifespan=lifespan, routes=web.routes(font_url=bundled_font()),
             middleware=[Middleware(OriginGuard, server_names=server_names)],
             on_script_error=on_script_error)
