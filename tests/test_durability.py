"""Issue 17: nothing is confirmed that is not in the configured file.

Every write the app confirms is checkpointed into the database file itself (a copy of the file alone, no
WAL, holds it); a deleted, moved or replaced file takes no write; a rotten file gives a Bahasa message
naming the latest good backup on every page, the login form included; a failed commit is one clean
refusal. The full disk itself is in tests/test_disk_full.py.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import duckdb
import pytest

from ektp_metrics import auth, backup, history, quality, upload, upload_templates
from ektp_metrics import db as dbmod
from ektp_metrics.db import Database, WriteRefused, set_public_text
from tests.apptest import app_test, page_app, run_app, sign_in, switch_to
from tests.helpers import rot

EXAMPLE = upload_templates.example_path("harian")


def file_alone(path: Path, tmp_path: Path, name: str) -> Database:
    """A copy of the database file only (what `cp data/ektp.duckdb …` takes), opened read-only."""
    copy = tmp_path / f"{name}.duckdb"
    shutil.copyfile(path, copy)
    assert not Path(str(copy) + ".wal").exists()
    return Database(copy, create=False, read_only=True)


def count(db: Database, sql: str) -> int:
    return int(db.fetch_one(sql)[0])


def test_every_confirmed_write_is_in_the_file_alone(demo_path, tmp_path):
    db = Database(demo_path, create=False)
    wal = Path(str(demo_path) + ".wal")
    steps = []

    saved = upload.ingest(db, EXAMPLE.read_bytes(), EXAMPLE.name, user="operator", role="admin")
    assert saved.committed
    steps.append(("upload", f"SELECT count(*) FROM batches WHERE id = {saved.batch_id}", 1))
    history.revert(db, saved.batch_id, user="admin", role="admin", reason="uji")
    steps.append(("revert", f"SELECT count(*) FROM batches WHERE id = {saved.batch_id} AND status = 'dibatalkan'", 1))
    auth.PasswordStore(db).add("kasir", "Kasir", "operator", "sandi-yang-panjang-1", by="admin")
    steps.append(("user", "SELECT count(*) FROM users WHERE username = 'kasir'", 1))
    set_public_text(db, "wawali_nama", "Achmad Purnomo", by="admin")
    steps.append(("text", "SELECT count(*) FROM app_settings WHERE value = 'Achmad Purnomo'", 1))
    jadwal = upload_templates.example_path("jadwal")
    scheduled = upload.ingest(db, jadwal.read_bytes(), jadwal.name, user="operator", role="admin")
    assert scheduled.committed
    steps.append(("schedule", f"SELECT count(*) FROM jadwal_keliling WHERE batch_id = {scheduled.batch_id}",
                  scheduled.rows))
    published = quality.add_published(db, tanggal=dt.date(2013, 10, 20), indikator=next(iter(quality.COMPARABLE)),
                                      nilai="380.000", satuan="orang", penerbit="Uji", sumber_url="", catatan="",
                                      user="admin", role="admin")
    steps.append(("published", f"SELECT count(*) FROM reference_figures WHERE batch_id = {published}", 1))

    # Between writes the WAL holds nothing: the file alone is the database.
    assert not wal.exists() or wal.stat().st_size == 0
    with file_alone(demo_path, tmp_path, "salinan") as copy:
        for name, sql, expected in steps:
            assert count(copy, sql) == expected, name
        assert count(copy, "SELECT count(*) FROM batches") == count(db, "SELECT count(*) FROM batches")
    db.close()


@pytest.mark.parametrize("change", ["deleted", "moved", "replaced"])
def test_a_file_gone_from_its_path_takes_no_write(demo_path, tmp_path, change):
    db = Database(demo_path, create=False)
    batches = count(db, "SELECT count(*) FROM batches")
    if change == "deleted":
        demo_path.unlink()
    elif change == "moved":
        demo_path.rename(tmp_path / "elsewhere.duckdb")
    else:
        shutil.copyfile(demo_path, tmp_path / "other.duckdb")
        os.replace(tmp_path / "other.duckdb", demo_path)   # another file (another inode) at the path
    with pytest.raises(WriteRefused) as refused:
        upload.ingest(db, EXAMPLE.read_bytes(), EXAMPLE.name, user="operator", role="admin")
    reason = "replaced" if change == "replaced" else "missing"
    assert refused.value.reason == reason and not refused.value.committed
    assert str(demo_path) in refused.value.message()
    assert "TIDAK disimpan" in refused.value.message()
    assert db.file_problem() == reason
    # the open file still answers reads (the lobby keeps its figures), and took nothing
    assert count(db, "SELECT count(*) FROM batches") == batches
    if change == "moved":   # put back where it belongs, the same file takes writes again
        (tmp_path / "elsewhere.duckdb").rename(demo_path)
        assert db.file_problem() is None
        assert upload.ingest(db, EXAMPLE.read_bytes(), EXAMPLE.name, user="operator", role="admin").committed
    db.close()


def test_a_file_that_goes_during_the_transaction_is_refused_before_the_commit(demo_path):
    db = Database(demo_path, create=False)
    with pytest.raises(WriteRefused) as refused, db.transaction() as cur:
        cur.execute("INSERT INTO app_settings VALUES ('uji', '1')")
        demo_path.unlink()
    assert refused.value.reason == "missing" and not refused.value.committed
    assert db.fetch_one("SELECT count(*) FROM app_settings WHERE key = 'uji'")[0] == 0   # rolled back
    db.close()


def test_a_failed_commit_is_one_clean_refusal_not_two_errors(demo_path, monkeypatch):
    """The rollback after a failed commit must not raise 'cannot rollback - no transaction is active'
    over the real cause (seen with a full disk)."""
    db = Database(demo_path, create=False)

    class Cursor:   # a cursor whose commit fails as DuckDB's does on a full disk, and ends the transaction
        def __init__(self, real):
            self.real = real

        def __getattr__(self, name):
            return getattr(self.real, name)

        def commit(self):
            self.real.rollback()
            raise duckdb.TransactionException('Failed to commit: Could not write file "x.wal": No space left on device')

        def rollback(self):
            self.real.rollback()   # no transaction any more: raises, as DuckDB does

    real = db.cursor()
    with pytest.raises(WriteRefused) as refused, db.transaction(Cursor(real)) as cur:
        cur.execute("INSERT INTO app_settings VALUES ('uji', '1')")
    real.close()
    assert refused.value.reason == "disk_full"
    assert "Disk server penuh" in refused.value.message()
    assert "cannot rollback" not in str(refused.value)
    assert db.fetch_one("SELECT count(*) FROM app_settings WHERE key = 'uji'")[0] == 0
    db.close()


@pytest.mark.parametrize("error,reason", [
    (OSError(28, "No space left on device"), "disk_full"),
    (duckdb.IOException('Could not write file "x": No space left on device'), "disk_full"),
    (duckdb.IOException('Could not write file "x": Read-only file system'), "read_only"),
    (duckdb.IOException('Cannot open file "x": Permission denied'), "read_only"),
    (duckdb.FatalException("database has been invalidated because of a previous fatal error"), "invalidated"),
    (duckdb.IOException("Could not set lock on file"), "io"),
])
def test_write_errors_are_named(error, reason):
    assert dbmod._reason(error) == reason


def test_a_file_that_cannot_be_written_is_a_clean_refusal(demo_path):
    """The file and its folder made immutable under the open database (chattr +i: even root cannot write)."""
    import subprocess

    db = Database(demo_path, create=False)
    before = count(db, "SELECT count(*) FROM batches")
    locked = subprocess.run(["chattr", "+i", str(demo_path), str(demo_path.parent)], capture_output=True)
    if locked.returncode != 0:
        db.close()
        pytest.skip(f"chattr +i tidak bisa di sini: {locked.stderr.decode().strip()}")
    try:
        with pytest.raises(WriteRefused) as refused:
            upload.ingest(db, EXAMPLE.read_bytes(), EXAMPLE.name, user="operator", role="admin")
    finally:
        subprocess.run(["chattr", "-i", str(demo_path), str(demo_path.parent)], check=True)
    assert refused.value.reason == "read_only", refused.value.detail
    assert "tidak bisa ditulis" in refused.value.message() and "cannot rollback" not in str(refused.value)
    assert count(db, "SELECT count(*) FROM batches") == before
    assert upload.ingest(db, EXAMPLE.read_bytes(), EXAMPLE.name, user="operator", role="admin").committed   # writable again
    db.close()


def test_a_full_disk_is_refused_before_anything_is_written(demo_path, monkeypatch):
    monkeypatch.setenv("EKTP_MIN_FREE_MB", str(10 ** 9))   # more than any disk has
    db = Database(demo_path, create=False)
    before = count(db, "SELECT count(*) FROM batches")
    with pytest.raises(WriteRefused) as refused:
        upload.ingest(db, EXAMPLE.read_bytes(), EXAMPLE.name, user="operator", role="admin")
    assert refused.value.reason == "disk_full"
    message = refused.value.message()
    assert message.startswith("Disk server penuh: ") and " MB tersisa di " in message and str(demo_path.parent) in message
    assert count(db, "SELECT count(*) FROM batches") == before
    db.close()


# ---- what the pages say -------------------------------------------------------------------------------

def texts(at) -> str:
    return " ".join([e.value for e in at.error] + [m.value for m in at.markdown] + [w.value for w in at.warning])


def test_unggah_with_a_deleted_file_says_so_and_never_tersimpan(demo_path, monkeypatch):
    at = page_app(monkeypatch, demo_path, "unggah.py")
    at.file_uploader[0].upload(EXAMPLE.name, EXAMPLE.read_bytes(), "text/csv").run()
    assert at.button(key="simpan")
    demo_path.unlink()
    at.button(key="simpan").click().run()
    assert not at.exception
    shown = texts(at)
    assert "tidak ada lagi di tempatnya" in shown and str(demo_path) in shown
    assert not any("Tersimpan" in s.value for s in at.success)


def test_staff_are_told_when_the_file_under_the_app_is_gone(demo_path, monkeypatch):
    at = sign_in(run_app(monkeypatch, demo_path), "operator")
    demo_path.unlink()
    at.run()
    assert not at.exception
    assert any("tidak ada lagi di tempatnya" in e.value for e in at.error)


def test_the_start_up_check_reads_every_table_and_finds_a_rotten_block(demo_path):
    # The server reads every row once at start (service.start): clean on a good file; on a rotten
    # daily_counts block it raises and marks the database damaged, before anyone's page meets it.
    with Database(demo_path, create=False) as db:
        db.verify()
        assert db.damaged is None
    rot(demo_path, "daily_counts")
    with pytest.raises(duckdb.Error), Database(demo_path, create=False) as db:
        try:
            db.verify()
        finally:
            assert db.damaged
            db.damaged = None   # closing is all that is left


def test_a_full_disk_on_unggah_is_a_clean_refusal(demo_path, monkeypatch):
    at = page_app(monkeypatch, demo_path, "unggah.py")
    at.file_uploader[0].upload(EXAMPLE.name, EXAMPLE.read_bytes(), "text/csv").run()
    monkeypatch.setenv("EKTP_MIN_FREE_MB", str(10 ** 9))
    at.button(key="simpan").click().run()
    assert not at.exception
    assert "Disk server penuh" in texts(at)
    assert not any("Tersimpan" in s.value for s in at.success)


@pytest.mark.parametrize("where", ["header", "daily_counts"])
@pytest.mark.parametrize("page,user", [("masuk", None), ("beranda", None), ("unggah", "operator")])
def test_a_rotten_file_names_the_latest_good_backup_on_every_page(demo_path, monkeypatch, where, page, user):
    with Database(demo_path, create=False) as db:
        good = backup.take(db, by="uji")
    monkeypatch.setenv("EKTP_DB", str(demo_path))
    at = app_test()
    if user:
        sign_in(at, user)   # before the file rots: its session is in the file
    rot(demo_path, None if where == "header" else "daily_counts")
    at.run()
    if page != "beranda":
        switch_to(at, page).run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "Database tidak terbaca" in shown, shown
    assert good.path.name in shown and "python -m ektp_metrics restore" in shown
    assert "Cadangan dan pemulihan" in shown
    assert "http" not in shown   # no link to anything online
