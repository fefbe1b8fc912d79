import hashlib
import re

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ektp_metrics import migrations
from ektp_metrics.db import Database, DatabaseUnavailable


def test_new_database_gets_every_migration(db_path):
    with Database(db_path) as db:
        assert db.schema_version() == migrations.MIGRATIONS[-1].version
        names = [r[0] for r in db.fetch_all("SELECT name FROM schema_migrations ORDER BY version")]
        assert names == [m.name for m in migrations.MIGRATIONS]


def test_opening_an_older_database_upgrades_it_and_keeps_its_data(db_path):
    # A database as the first release wrote it: migration 1 only, with a batch and a daily row.
    with Database(db_path, migrations_list=migrations.MIGRATIONS[:1]) as old:
        assert old.schema_version() == 1
        with old.transaction() as cur:
            cur.execute("INSERT INTO batches (kind, file_name, user_name) VALUES ('harian', 'a.csv', 'x')")
            cur.execute("INSERT INTO daily_counts (batch_id, tanggal, kode_kelurahan, rekam) "
                        "VALUES (1, DATE '2013-10-07', '33.72.01.1001', 150)")
    with Database(db_path) as db:
        assert db.schema_version() == migrations.MIGRATIONS[-1].version
        assert db.fetch_one("SELECT sum(rekam) FROM daily_counts")[0] == 150
        indexes = {r[0] for r in db.fetch_all("SELECT index_name FROM duckdb_indexes()")}
        assert not {"daily_counts_kel_tgl", "rekap_kel_tgl", "targets_kel_tgl"} & indexes   # migration 7


def test_the_unused_art_indexes_are_dropped_from_a_database_with_data(db_path):
    art = {"daily_counts_kel_tgl", "rekap_kel_tgl", "targets_kel_tgl"}
    with Database(db_path, migrations_list=migrations.MIGRATIONS[:6]) as old:
        assert art <= {r[0] for r in old.fetch_all("SELECT index_name FROM duckdb_indexes()")}
        with old.transaction() as cur:
            cur.execute("INSERT INTO batches (kind, file_name, user_name) VALUES ('harian', 'a.csv', 'x')")
            cur.execute("""INSERT INTO daily_counts (batch_id, tanggal, kode_kelurahan, rekam)
                           SELECT 1, DATE '2013-01-01' + i::INTEGER, '33.72.01.1001', 1 FROM range(3000) t(i)""")
    with Database(db_path) as db:
        assert db.schema_version() == migrations.MIGRATIONS[-1].version
        assert not art & {r[0] for r in db.fetch_all("SELECT index_name FROM duckdb_indexes()")}
        assert db.fetch_one("SELECT count(*), sum(rekam) FROM daily_counts") == (3000, 3000)


def test_a_failing_upgrade_leaves_the_database_as_it_was(db_path):
    Database(db_path).close()
    broken = migrations.MIGRATIONS + (
        migrations.Migration(98, "ok_part", "CREATE TABLE new_table (a INTEGER);"),
        migrations.Migration(99, "broken", "CREATE TABLE nonsense ("),
    )
    with pytest.raises(duckdb.Error):
        Database(db_path, migrations_list=broken)
    with Database(db_path) as db:
        assert db.schema_version() == migrations.MIGRATIONS[-1].version
        tables = {r[0] for r in db.fetch_all("SELECT table_name FROM information_schema.tables")}
        assert "new_table" not in tables


def test_a_database_newer_than_the_program_is_refused(db_path):
    newer = migrations.MIGRATIONS + (migrations.Migration(50, "future", "CREATE TABLE future (a INTEGER);"),)
    Database(db_path, migrations_list=newer).close()
    with pytest.raises(DatabaseUnavailable) as refused:
        Database(db_path)
    assert refused.value.reason == "newer_schema"
    Database(db_path, migrations_list=newer).close()   # and the refused open left no lock behind


def test_transaction_is_all_or_nothing(fresh_db):
    before = fresh_db.fetch_one("SELECT count(*) FROM batches")[0]
    with pytest.raises(ZeroDivisionError), fresh_db.transaction() as cur:
        cur.execute("INSERT INTO batches (kind, file_name, user_name) VALUES ('harian', 'b.csv', 'x')")
        raise ZeroDivisionError
    assert fresh_db.fetch_one("SELECT count(*) FROM batches")[0] == before


# ---------------------------------------------------------------- released migrations are frozen text

# The SHA-256 of every released migration's SQL. A database records a migration by its version only, so a
# released migration whose text changed would leave existing databases with a schema that no fresh one has:
# never edit one, add the next (and its hash here).
RELEASED = {
    1: "74a2862ebf78c56386a1c91a49036af0b2e62b9d22ef70fe08961066d88febcc",
    2: "a5f86102ca04b5539f28727efe1bd866590d3dc9c96195c7f3a2819a7ec0deae",
    3: "878adb264c66f554d4288f7f407182404c82a8fba04cdb9f211e0c54e64175c8",
    4: "ed5b111bb770eda4b06254b6d17c37da07516383a0cce2a03e195725af8a50e0",
    5: "b559fbf8e50993eaffcc59863694961d9ec3342c46c8cb3217685e8a29c63e1e",
    6: "a30ec92dd4d2e9c143209d972086bbe79447d3f23c4b2770dae3c686604dad73",
    7: "7ed4422b5258314b05a95871d309aeb1322a21b98de5573d50d028066e87d30e",
    8: "842234a975d7b9283025d813e2f804d2471c4ccdfb68f22f627e174a755fc5c0",
    9: "810b3a1a9c524a934b71598f1f848c9af3605d14d07d3ace149a52764b29106e",
    10: "065b4a7abc794c2f02c89eb5256c2575bfc62936f2f7a5b93519e375fb11edcf",
}


def test_released_migrations_are_frozen_text():
    assert {m.version: hashlib.sha256(m.sql.encode()).hexdigest() for m in migrations.MIGRATIONS} == RELEASED


def test_lokasi_is_the_list_of_migration_1s_check():
    # migration 1 spells the locations out (frozen text); upload and ingest read them from LOKASI
    check = re.search(r"CHECK \(lokasi IN \(([^)]*)\)\)", migrations.MIGRATIONS[0].sql)
    assert check is not None
    assert tuple(v.strip().strip("'") for v in check.group(1).split(",")) == migrations.LOKASI


# ---------------------------------------------------------------- the rule's views (migration 8)

VIEWS = {   # view: the table and the rule as it was written inline before migration 8
    "active_batches": ("batches", "status = 'aktif'"),
    "active_targets": ("targets", _RULE := "batch_id IN (SELECT id FROM batches WHERE status = 'aktif') "
                                          "AND superseded_by IS NULL"),
    "active_daily_counts": ("daily_counts", _RULE),
    "active_rekap": ("rekap", _RULE),
    "active_jadwal_keliling": ("jadwal_keliling", _RULE),
    "active_reference_figures": ("reference_figures", "batch_id IN (SELECT id FROM batches WHERE status = 'aktif')"),
}


def _views(db) -> set[str]:
    return {r[0] for r in db.fetch_all("SELECT view_name FROM duckdb_views() WHERE NOT internal")}


def _differences(cur) -> dict[str, tuple[int, int, int]]:
    """Per view: its rows, the rows of the inline rule, and the rows in one but not the other (as multisets)."""
    out = {}
    for view, (table, rule) in VIEWS.items():
        inline = f"SELECT * FROM {table} WHERE {rule}"
        out[view] = cur.execute(f"""SELECT (SELECT count(*) FROM {view}), (SELECT count(*) FROM ({inline})),
                                           (SELECT count(*) FROM (SELECT * FROM {view} EXCEPT ALL {inline}))
                                           + (SELECT count(*) FROM ({inline} EXCEPT ALL SELECT * FROM {view}))
                                """).fetchone()
    return out


def test_a_new_database_and_an_upgraded_one_have_the_views(db_path, tmp_path):
    with Database(tmp_path / "new.duckdb") as new:
        assert set(VIEWS) <= _views(new)
    with Database(db_path, migrations_list=migrations.MIGRATIONS[:7]) as old:   # the release before the views
        assert not set(VIEWS) & _views(old)
        with old.transaction() as cur:
            cur.execute("INSERT INTO batches (kind, file_name, user_name) VALUES ('harian', 'a.csv', 'x')")
            cur.execute("INSERT INTO batches (kind, file_name, user_name, status) VALUES ('harian', 'b.csv', 'x', 'dibatalkan')")
            cur.execute("""INSERT INTO daily_counts (batch_id, tanggal, kode_kelurahan, rekam, superseded_by) VALUES
                           (1, DATE '2013-10-07', '33.72.01.1001', 150, NULL), (1, DATE '2013-10-08', '33.72.01.1001', 9, 2),
                           (2, DATE '2013-10-08', '33.72.01.1001', 7, NULL)""")
    with Database(db_path) as db:
        assert set(VIEWS) <= _views(db)
        assert db.fetch_all("SELECT rekam FROM active_daily_counts") == [(150,)]
        with db.cursor() as cur:
            assert all(n == m and not diff for n, m, diff in _differences(cur).values())


def test_a_restore_over_a_database_not_yet_upgraded_says_so(demo_path, db_path, tmp_path):
    # Read only, a database of the release before the views cannot give its figures: the restore says why
    # instead of a catalog error, and goes on
    from ektp_metrics import backup
    with Database(demo_path, create=False) as demo:
        made = backup.take(demo, tmp_path / "cadangan", by="uji")
    Database(db_path, migrations_list=migrations.MIGRATIONS[:7]).close()
    restored = backup.restore(made.path, db_path)
    assert restored.before is None and restored.before_problem.startswith("skema versi 7, lebih lama")
    assert restored.after["figures"]["sudah_rekam"] == 383427


def test_the_views_equal_the_inline_rule_on_the_demo_with_corrections_and_a_revert(demo_db):
    with demo_db.cursor() as cur:
        before = _differences(cur)
    assert all(n == m and not diff for n, m, diff in before.values()), before
    assert before["active_daily_counts"][0] > 0 and before["active_reference_figures"][0] > 0
    batches = dict(demo_db.fetch_all("SELECT kind, max(id) FROM batches GROUP BY kind"))
    with demo_db.transaction() as cur:
        # a correction of every kind of row, by a new batch, and one batch of each kind reverted
        fix = cur.execute("INSERT INTO batches (kind, file_name, user_name) VALUES ('harian', 'koreksi.csv', 'x') "
                          "RETURNING id").fetchone()[0]
        for table in ("targets", "daily_counts", "rekap", "jadwal_keliling"):
            cur.execute(f"UPDATE {table} SET superseded_by = ? WHERE baris % 3 = 0", [fix])
        cur.execute("UPDATE batches SET status = 'dibatalkan' WHERE id IN (SELECT unnest(?))", [list(batches.values())])
    with demo_db.cursor() as cur:
        after = _differences(cur)
    assert all(n == m and not diff for n, m, diff in after.values()), after
    for view in VIEWS:   # the changes reached every view
        assert after[view][0] < before[view][0], view


_ROWS = st.lists(st.tuples(st.integers(1, 5), st.one_of(st.none(), st.integers(1, 6))), max_size=12)


@pytest.fixture(scope="module")
def _rule_con():
    con = duckdb.connect()
    con.execute("""
        CREATE TABLE batches (id BIGINT, status VARCHAR);
        CREATE TABLE targets (batch_id BIGINT, superseded_by BIGINT, n INTEGER);
        CREATE TABLE daily_counts (batch_id BIGINT, superseded_by BIGINT, n INTEGER);
        CREATE TABLE rekap (batch_id BIGINT, superseded_by BIGINT, n INTEGER);
        CREATE TABLE jadwal_keliling (batch_id BIGINT, superseded_by BIGINT, n INTEGER);
        CREATE TABLE reference_figures (batch_id BIGINT, superseded_by BIGINT, n INTEGER);""")
    con.execute(migrations.MIGRATIONS[7].sql)
    yield con
    con.close()


@settings(max_examples=50, deadline=None)
@given(reverted=st.sets(st.integers(1, 5), max_size=3), rows=st.fixed_dictionaries(
    {t: _ROWS for t in ("targets", "daily_counts", "rekap", "jadwal_keliling", "reference_figures")}))
def test_the_views_equal_the_inline_rule_on_any_history(_rule_con, reverted, rows):
    # batch 6 is a correction batch that was never recorded: its rows' superseded_by still excludes them
    cur = _rule_con
    for table in ("batches", *rows):
        cur.execute(f"DELETE FROM {table}")
    cur.executemany("INSERT INTO batches VALUES (?, ?)",
                    [(b, "dibatalkan" if b in reverted else "aktif") for b in range(1, 6)])
    for table, values in rows.items():
        if values:
            cur.executemany(f"INSERT INTO {table} VALUES (?, ?, ?)", [(*v, i) for i, v in enumerate(values)])
    assert all(n == m and not diff for n, m, diff in _differences(cur).values())
