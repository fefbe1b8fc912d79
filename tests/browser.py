"""Helpers for end-to-end tests: start `streamlit run` on a free port, drive Debian's Chromium.

The fixtures built from these (one Chromium per session, a browser context per test, shared servers) are
in tests/conftest.py; this module holds no fixtures.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from ektp_metrics import settings

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-dev-shm-usage",
                 # fewer renderer processes (one test's tabs share them): less CPU beside the other tests
                 "--disable-features=site-per-process", "--renderer-process-limit=2", "--disable-extensions",
                 "--mute-audio"]
ARTIFACTS = ROOT / "artifacts"
_BASE_PATH_PROBES = ("/_stcore/health", "/_stcore/host-config")
METRIC = "[data-testid='stMetricValue']"
NAV = "[data-testid='stSidebarNav']"
# How often a wait that runs in the page checks again (ms): Playwright's default, every animation frame, makes
# a headless Chromium draw 60 frames a second for as long as a test waits (5 % of a core per waiting page).
POLL_MS = 100
# Streamlit's own state on its root element: connected to the server, and no script run going on.
IDLE = "[data-testid='stApp'][data-test-connection-state='CONNECTED'][data-test-script-state='notRunning']"


def _patient_expect() -> None:
    """`expect(...)` waits up to 30 s, like the helpers here: on CI's two busy cores 5 s is not enough for
    Streamlit to load an element's lazily fetched code (a plotly chart) after the run ended."""
    from playwright.sync_api import expect
    expect.set_options(timeout=30_000)


try:
    _patient_expect()
except ImportError:          # no Playwright: the browser tests skip
    pass


def require_chromium() -> str:
    """The Chromium path; skip without it, unless EKTP_REQUIRE_BROWSER=1 (CI), where it is a failure."""
    path = settings.get("EKTP_CHROMIUM") or "/usr/bin/chromium"
    if not Path(path).exists():
        message = (f"Chromium tidak ditemukan di {path}: tes browser dilewati. "
                   f"Pasang dengan `apt-get install chromium` (atau jalankan .ci/run).")
        if settings.get("EKTP_REQUIRE_BROWSER") == "1":
            pytest.fail(message + " EKTP_REQUIRE_BROWSER=1: di CI tes ini wajib berjalan.")
        pytest.skip(message)
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class StreamlitServer:
    """`streamlit run serve.py` on a free port against db_path, started without waiting for it: ready()
    waits for its health check, stop() ends it. launcher replaces `-m streamlit` (bench/traced_streamlit.py
    runs the server under tracemalloc); app replaces serve.py (bench/fragment_only.py); port: this one
    instead of a free one (a restart test starts the server again where its pages still are)."""

    def __init__(self, db_path: Path, log_path: Path, env: dict[str, str] | None = None,
                 launcher: list[str] | None = None, app: Path | None = None, port: int | None = None) -> None:
        self.db_path = db_path
        self.log_path = log_path
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = log_path.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, *(launcher or ["-m", "streamlit"]), "run", str(app or ROOT / "serve.py"),
             "--server.port", str(self.port), "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT,
            env={**os.environ, "EKTP_DB": str(db_path), **(env or {})},
        )
        self._ready = False

    def ready(self, timeout: float = 60) -> str:
        """Wait until the server answers its health check; its base URL."""
        deadline = time.monotonic() + timeout
        while not self._ready:
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                    self._ready = r.read().decode() == "ok"
            except OSError:
                pass
            if not self._ready:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"streamlit did not start; log:\n{self.log_path.read_text()}")
                time.sleep(0.1)
        return self.url

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()


@contextmanager
def streamlit_process(db_path: Path, log_path: Path, env: dict[str, str] | None = None,
                      launcher: list[str] | None = None, app: Path | None = None, port: int | None = None,
                      ) -> Iterator[tuple[str, subprocess.Popen]]:
    """A StreamlitServer for the block, once it answers: yields (base URL, the server process)."""
    server = StreamlitServer(db_path, log_path, env, launcher, app, port)
    try:
        yield server.ready(), server.proc
    finally:
        server.stop()


@contextmanager
def streamlit_server(db_path: Path, log_path: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    with streamlit_process(db_path, log_path, env) as (url, _):
        yield url


def watched(page: Any) -> Any:
    """Record the page's console errors and every request (and those leaving this machine)."""
    page.console_errors = []

    def on_console(message: Any) -> None:
        # On a page URL such as /ringkasan, Streamlit's frontend first probes /ringkasan/_stcore/health
        # and /ringkasan/_stcore/host-config to find its base path; those two 404s are expected.
        source = (message.location or {}).get("url", "")
        if message.type == "error" and not source.endswith(_BASE_PATH_PROBES):
            page.console_errors.append(f"{message.text} ({source})")

    page.on("console", on_console)
    # The app must work offline: every request stays on this machine.
    page.external_requests = []
    page.requests = []
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("request", lambda r: page.external_requests.append(r.url)
            if not r.url.startswith(("http://127.0.0.1", "data:", "blob:", "about:")) else None)
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    # What Streamlit's websocket says of the script runs: runs ended (ForwardMsg.script_finished), and
    # whether the last one has ended and no other has begun since (a run that ends early for a rerun, e.g.
    # st.rerun(), has a next one coming). See wait_idle() and rerun().
    page.runs_finished = 0
    page.run_ended = False

    def on_frame(payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            ended = _run_ended(payload)
            if ended is not None:
                page.run_ended = ended
                page.runs_finished += ended

    def on_websocket(ws: Any) -> None:
        if "/_stcore/stream" in ws.url:   # a page (re)loaded: its first run is still to come
            page.run_ended = False
            ws.on("framereceived", on_frame)

    page.on("websocket", on_websocket)
    return page


def _run_ended(payload: bytes) -> bool | None:
    """True: a script run ended; False: one began or will (ended early for a rerun); None: neither."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    message = ForwardMsg.FromString(payload)
    kind = message.WhichOneof("type")
    if kind == "script_finished":
        return message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN
    if kind == "new_session" or (kind == "session_status_changed"
                                 and message.session_status_changed.script_is_running):
        return False
    return None


def _until(page: Any, done: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout / 1000
    pause = 10
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} within {timeout} ms")
        # lets Playwright deliver the websocket's frames; each wait is a round trip to its driver, so a long
        # wait backs off to POLL_MS (at 20 ms throughout, three waiting workers cost the machine a tenth of a core)
        page.wait_for_timeout(pause)
        pause = min(pause * 2, POLL_MS)


def rerun(page: Any, action: Callable[[], Any], timeout: float = 30_000) -> None:
    """Do `action` (a click that makes the app run again) and wait until the server has ended that run
    and the page shows its end (for actions whose run shows nothing that was not there before, e.g. the
    same refusal again; else wait for what it shows, see settled())."""
    before = page.runs_finished
    action()
    _until(page, lambda: page.runs_finished > before, timeout, "no script run ended after the action")
    wait_idle(page, timeout)


def wait_idle(page: Any, timeout: float = 30_000) -> None:
    """Wait until the app is connected, the server has ended the last script run it began (not one that
    ended early for a rerun) and the page shows it ended.

    Not a proof that a run started by the last click has happened (the click's rerun may not have begun
    yet): after an action, first wait for something that run shows (settled()), or for the run to end
    (rerun()); only then look at what is on the page, or at what is not."""
    _until(page, lambda: page.run_ended, timeout, "no script run ended")
    page.wait_for_selector(IDLE, timeout=timeout)


def settled(page: Any, locator: Any, timeout: float = 30_000) -> None:
    """Wait for the element the current run shows (a positive state), then for that run to end."""
    locator.first.wait_for(timeout=timeout)
    wait_idle(page, timeout)


def wait_for_text(page: Any, selector: str, text: str, timeout: float = 30_000) -> None:
    """Wait until an element matching `selector` has exactly `text` as its inner text."""
    page.wait_for_function(
        "([sel, text]) => [...document.querySelectorAll(sel)].some(e => e.innerText.trim() === text)",
        arg=[selector, text], timeout=timeout, polling=POLL_MS)


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def sign_in(page: Any, username: str, password: str) -> None:
    page.get_by_role("textbox", name="Nama pengguna").fill(username)
    page.get_by_role("textbox", name="Kata sandi").fill(password)
    # The browser fetches its session cookie (sesi/mulai) and comes back to the page: a whole page load.
    with page.expect_navigation(timeout=30_000):
        page.get_by_role("button", name="Masuk", exact=True).click()
    settled(page, page.locator("[data-testid='stSidebar']").get_by_text("Keluar"))


def upload_as(page: Any, base_url: str, username: str, password: str, path: Path) -> None:
    """Open Unggah, sign in and choose a file, as a clerk does."""
    page.goto(base_url + "/unggah")
    page.get_by_role("textbox", name="Nama pengguna").wait_for(timeout=30_000)
    sign_in(page, username, password)
    with page.expect_file_chooser() as chooser:
        page.locator("[data-testid='stFileUploaderDropzone']").click()
    chooser.value.set_files(str(path))
