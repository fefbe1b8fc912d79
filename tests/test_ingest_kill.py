"""SIGKILL during a large import: the database comes back whole, as if the import never started."""

import datetime as dt
import os
import signal
import subprocess
import sys

from ektp_metrics import metrics, upload
from ektp_metrics.db import Database
from tests.conftest import ROOT

TABLES = ("batches", "daily_counts", "rekap", "targets", "jadwal_keliling", "audit_log")


def big_daily_file(path, days: int) -> None:
    """A valid daily report: every kelurahan, five lokasi, `days` days from 26 October 2013."""
    from ektp_metrics.regions import read_region_list
    names = read_region_list()["kelurahan"].tolist()
    lokasi = ("kelurahan", "kecamatan", "sekolah", "pasar", "lainnya")
    start = dt.date(2013, 10, 26)
    with open(path, "w") as out:
        out.write("tanggal;kelurahan;lokasi;rekam;distribusi\n")
        for d in range(days):
            day = (start + dt.timedelta(days=d)).strftime("%d/%m/%Y")
            out.writelines(f"{day};{n};{lok};0;0\n" for n in names for lok in lokasi)


def test_sigkill_mid_import_leaves_the_database_whole(demo_path, tmp_path):
    big = tmp_path / "besar.csv"
    big_daily_file(big, days=800)                     # 204.000 rows
    with Database(demo_path, create=False) as db:
        before = tuple(db.fetch_one(f"SELECT count(*) FROM {t}")[0] for t in TABLES)
        figures = metrics.city_summary(db, dt.date(2013, 10, 25))
    proc = subprocess.Popen([sys.executable, "-m", "tests.kill_helper", str(demo_path), str(big)], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    try:
        for line in proc.stdout:                      # wait until the rows are being written
            if line.strip() == "write":
                break
        else:
            raise AssertionError("the import never reached the write step")
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert "committed" not in proc.stdout.read(), "killed too late: the import had already finished"
    with Database(demo_path, create=False) as db:     # reopening replays the WAL: no half transaction
        assert tuple(db.fetch_one(f"SELECT count(*) FROM {t}")[0] for t in TABLES) == before
        assert metrics.city_summary(db, dt.date(2013, 10, 25)) == figures
        again = upload.ingest(db, big.read_bytes(), big.name, user="after", role="admin", force=True)   # and it still works
        assert again.committed and again.rows == 204_000
        assert [p.code for p in again.problems] == ["date_jump"]   # 800 days past the demo: confirmed
