from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from ektp_metrics import auth
from ektp_metrics.bootstrap import init_database
from ektp_metrics.db import Database, new_batch
from tests.browser import CHROMIUM_ARGS, StreamlitServer, require_chromium, watched

ROOT = Path(__file__).resolve().parent.parent   # as tests.browser.ROOT

# The app hashes passwords with argon2-cffi's recommended parameters (64 MiB, 3 passes, 4 lanes: about 0,1 s
# of four threads per hash or check, on purpose). Tests in this process hash and check hundreds of passwords,
# so they use a light hasher of the same algorithm; test_auth checks the real one's parameters, and every
# subprocess (the CLI, the servers of the browser tests) uses the real one.
PRODUCTION_HASHER = auth._hasher
_LIGHT_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture(autouse=True)
def light_password_hashing(monkeypatch):
    monkeypatch.setattr(auth, "_hasher", _LIGHT_HASHER)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "ektp.duckdb"


@pytest.fixture
def fresh_db(db_path: Path):
    """A database with the Solo region list and the published figures, but no counts."""
    db = init_database(db_path)
    yield db
    db.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    init_database(path, with_demo=True).close()
    return path


@pytest.fixture
def demo_path(demo_template: Path, tmp_path: Path) -> Path:
    """A private copy of the demo database, free to change."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_template, path)
    return path


@pytest.fixture
def demo_db(demo_path: Path):
    db = Database(demo_path, create=False)
    yield db
    db.close()


def add_batch(db: Database, kind: str, sql_rows: str, table: str, columns: str) -> int:
    """Insert a batch and its rows given as SQL VALUES text (fixtures from SQL, as a reader sees them)."""
    with db.transaction() as cur:
        batch = new_batch(cur, kind=kind, file_name=f"test_{kind}.csv", user_name="test")
        cur.execute(f"INSERT INTO {table} (batch_id, {columns}) SELECT {batch}, * FROM (VALUES {sql_rows})")
    return batch


# ---- end-to-end: one Chromium per session, a browser context per test, shared servers ---------------------

def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """The browser tests run last, in their usual order: Playwright's sync API marks an asyncio loop as
    running in this thread for as long as it is started, and the one Chromium of the session is started
    at the first browser test and stopped at the end of the session."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, one for the session (skips or fails, see require_chromium, before any server starts)."""
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        playwright.stop()


@pytest.fixture
def new_page(chromium):
    """new_page(width, height): a watched page in a browser context of its own (no cookies, storage or
    cache shared with another test or another tab), closed at the end of the test."""
    contexts = []

    def make(width: int = 1440, height: int = 900):
        context = chromium.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        return watched(context.new_page())

    yield make
    for context in contexts:
        context.close()


def _server_on_a_copy(template: Path, folder: Path, env: dict[str, str] | None = None) -> StreamlitServer:
    db = folder / "ektp.duckdb"
    shutil.copyfile(template, db)
    return StreamlitServer(db, folder / "streamlit.log", env)


@pytest.fixture(scope="session")
def demo_server(chromium, demo_template: Path, tmp_path_factory: pytest.TempPathFactory):
    """One `streamlit run` on a copy of the demo database for every test that only reads (a sign-in or a
    refused upload writes no figure): its base URL."""
    server = _server_on_a_copy(demo_template, tmp_path_factory.mktemp("e2e_demo"))
    try:
        yield server.ready()
    finally:
        server.stop()


class _FreshServers:
    """Servers on private copies of the demo database, for tests that write or that need a server no
    browser has opened yet. The next one starts while the current test runs (only if a later test
    wants one); a started server runs no script before its first browser session."""

    def __init__(self, template: Path, factory: pytest.TempPathFactory) -> None:
        self.template, self.factory = template, factory
        self.spare: StreamlitServer | None = None

    def start(self) -> StreamlitServer:
        return _server_on_a_copy(self.template, self.factory.mktemp("e2e_fresh"))

    def take(self, another_later: bool) -> StreamlitServer:
        server, self.spare = self.spare or self.start(), None
        server.ready()
        if another_later:
            self.spare = self.start()
        return server

    def close(self) -> None:
        if self.spare is not None:
            self.spare.stop()


@pytest.fixture(scope="session")
def _fresh_servers(chromium, demo_template: Path, tmp_path_factory: pytest.TempPathFactory):
    servers = _FreshServers(demo_template, tmp_path_factory)
    yield servers
    servers.close()


@pytest.fixture
def fresh_server(_fresh_servers: _FreshServers, request: pytest.FixtureRequest):
    """A server of this test's own on a private copy of the demo database, not yet opened by any browser."""
    # Under pytest-xdist (make test runs the browser tests on two workers) a worker does not know which of
    # the later tests it gets: no spare is started ahead, as it might never be used.
    items = [] if os.environ.get("PYTEST_XDIST_WORKER") else request.session.items
    later = items[items.index(request.node) + 1:] if request.node in items else []
    server = _fresh_servers.take(another_later=any("fresh_server" in item.fixturenames for item in later))
    try:
        yield server
    finally:
        server.stop()
