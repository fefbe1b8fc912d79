import duckdb
import pytest

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
        assert db.schema_version() == 7
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
    with pytest.raises(ZeroDivisionError):
        with fresh_db.transaction() as cur:
            cur.execute("INSERT INTO batches (kind, file_name, user_name) VALUES ('harian', 'b.csv', 'x')")
            1 / 0
    assert fresh_db.fetch_one("SELECT count(*) FROM batches")[0] == before
