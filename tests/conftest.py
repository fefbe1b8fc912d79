from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ektp_metrics.bootstrap import init_database
from ektp_metrics.db import Database, new_batch

ROOT = Path(__file__).resolve().parent.parent


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
