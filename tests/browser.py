"""Helpers for end-to-end tests: start `streamlit run` on a free port, drive Debian's Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from ektp_metrics import settings
from tests.conftest import ROOT

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-dev-shm-usage"]
ARTIFACTS = ROOT / "artifacts"
_BASE_PATH_PROBES = ("/_stcore/health", "/_stcore/host-config")


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
        return s.getsockname()[1]


@contextmanager
def streamlit_process(db_path: Path, log_path: Path, env: dict[str, str] | None = None,
                      launcher: list[str] | None = None, app: Path | None = None, port: int | None = None,
                      ) -> Iterator[tuple[str, subprocess.Popen]]:
    """`streamlit run serve.py` on a free port against db_path: yields (base URL, the server process).
    launcher replaces `-m streamlit` (bench/traced_streamlit.py runs the server under tracemalloc); app
    replaces serve.py (bench/fragment_only.py); port: this one instead of a free one (a restart test
    starts the server again where its pages still are)."""
    port = port or free_port()
    log = log_path.open("w")
    proc = subprocess.Popen(
        [sys.executable, *(launcher or ["-m", "streamlit"]), "run", str(app or ROOT / "serve.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, "EKTP_DB": str(db_path), **(env or {})},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.read().decode() == "ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start; log:\n{log_path.read_text()}")
            time.sleep(0.3)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@contextmanager
def streamlit_server(db_path: Path, log_path: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    with streamlit_process(db_path, log_path, env) as (url, _):
        yield url


def watched(page):
    """Record the page's console errors and every request (and those leaving this machine)."""
    page.console_errors = []

    def on_console(message) -> None:
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
    return page


def another_page(page, width: int = 1440, height: int = 900):
    """A second watched tab in the same Chromium (Playwright's sync API allows one browser per test)."""
    return watched(page.context.browser.new_page(viewport={"width": width, "height": height}))


@contextmanager
def chromium_page(width: int = 1440, height: int = 900):
    from playwright.sync_api import sync_playwright

    executable = require_chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        page = watched(browser.new_page(viewport={"width": width, "height": height}))
        try:
            yield page
        finally:
            browser.close()


def wait_idle(page, timeout: float = 30_000) -> None:
    """Wait until the app is connected and its script has finished running."""
    page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=timeout)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout)
    page.wait_for_timeout(300)


def wait_for_text(page, selector: str, text: str, timeout: float = 30_000) -> None:
    """Wait until an element matching `selector` has exactly `text` as its inner text."""
    page.wait_for_function(
        "([sel, text]) => [...document.querySelectorAll(sel)].some(e => e.innerText.trim() === text)",
        arg=[selector, text], timeout=timeout)


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
