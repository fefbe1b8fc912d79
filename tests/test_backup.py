"""Issue 17: verified backups (on demand, scheduled, from the CLI while the app runs), what is kept, restore."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from ektp_metrics import backup, cli, control, metrics, upload
from ektp_metrics.db import Database
from tests.apptest import page_app
from tests.conftest import ROOT

UTC = dt.UTC
WIB = ZoneInfo("Asia/Jakarta")   # EKTP_TZ's default


def daily_file(day: dt.date, rekam: int) -> bytes:
    """A one-kelurahan daily report (by code) for `day`."""
    return f"tanggal;kode_kelurahan;rekam;distribusi\n{day:%d/%m/%Y};33.72.01.1001;{rekam};0\n".encode()


def test_a_backup_is_checked_listed_and_restores(demo_path, tmp_path):
    folder = tmp_path / "cadangan"
    with Database(demo_path, create=False) as db:
        made = backup.take(db, folder, by="uji")
        live = backup.state(db)
    assert made.good and made.batches == 50 and made.path.parent == folder
    assert made.figures == {"as_of": "2013-10-25", "wajib_ktp": 415_549, "sudah_rekam": 383_427,
                            "sudah_distribusi": 345_679, "persen_rekam": "92,26"}
    assert made.path.name.startswith("demo-") and made.record.exists()
    assert not list(folder.glob(f"*{backup.TEMPORARY}*"))
    listed = backup.list_backups(folder)
    assert [b.path for b in listed] == [made.path] and listed[0].good and backup.latest_good(folder) == listed[0]
    with Database(made.path, create=False, read_only=True) as copy:
        assert backup.state(copy) == live
    target = tmp_path / "pulih" / "ektp.duckdb"
    restored = backup.restore(made.path, target)
    assert restored.after == live and restored.before is None and restored.before_problem == "tidak ada"


def test_a_copy_that_does_not_match_is_never_listed_as_good(demo_path, tmp_path, monkeypatch):
    folder = tmp_path / "cadangan"
    real = backup.state

    def off_by_one(db):
        found = real(db)
        if db.read_only:   # the reopened copy
            found = found | {"batches": found["batches"] - 1}
            found["rows"] = found["rows"] | {"batches": found["batches"]}
        return found

    monkeypatch.setattr(backup, "state", off_by_one)
    with Database(demo_path, create=False) as db, pytest.raises(backup.BackupFailed, match="tidak cocok"):
        backup.take(db, folder, by="uji")
    listed = backup.list_backups(folder)
    assert len(listed) == 1 and listed[0].check == backup.FAILED and "batches" in listed[0].detail
    assert not listed[0].path.exists() and backup.latest_good(folder) is None
    assert not list(folder.glob("*.duckdb*"))


@pytest.mark.parametrize("point", ["copied", "renamed"])
def test_kill_9_during_a_backup_leaves_no_half_backup_listed_as_good(demo_path, tmp_path, point):
    folder = tmp_path / "cadangan"
    proc = subprocess.Popen([sys.executable, "-m", "tests.backup_helper", str(demo_path), str(folder), point],
                            cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == point        # stopped there
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    left = backup.list_backups(folder)
    assert not any(b.good for b in left) and backup.latest_good(folder) is None
    if point == "copied":   # the temporary file is no backup: not even listed
        assert left == [] and list(folder.glob(f"*{backup.TEMPORARY}"))
    else:                   # in place but never checked to the end: listed, not good
        assert [b.check for b in left] == [backup.UNRECORDED]
    with Database(demo_path, create=False) as db:   # the next backup is whole and sweeps the leftovers
        made = backup.take(db, folder, by="uji")
    assert backup.latest_good(folder) == made and not list(folder.glob(f"*{backup.TEMPORARY}*"))


def test_a_backup_during_a_stream_of_uploads_is_at_a_batch_boundary(demo_path, tmp_path):
    folder = tmp_path / "cadangan"
    db = Database(demo_path, create=False)
    states = {backup.state(db)["batches"]: backup.state(db)}
    stop = threading.Event()
    errors: list[BaseException] = []

    def uploads() -> None:
        try:
            for i in range(12):
                day = dt.date(2013, 10, 26) + dt.timedelta(days=i)
                saved = upload.ingest(db, daily_file(day, 10 + i), f"harian_{i}.csv", user="uji", role="admin", today=dt.date(2014, 1, 1))
                assert saved.committed, saved.problems
                with db.write_lock:   # the state right after this batch, before the next one
                    now = backup.state(db)
                states[now["batches"]] = now
        except BaseException as exc:   # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            stop.set()

    writer = threading.Thread(target=uploads)
    writer.start()
    found = []
    while not stop.is_set() or not found:
        made = backup.take(db, folder, by="uji")
        with Database(made.path, create=False, read_only=True) as copy:   # before the next one replaces it
            found.append(backup.state(copy))
    writer.join()
    db.close()
    assert not errors, errors
    assert len(found) >= 2 and len({f["batches"] for f in found}) >= 2
    for state in found:   # each one opens to exactly the database after one of the batches
        assert states[state["batches"]] == state


def record(folder: Path, when: dt.datetime, check: str = backup.GOOD) -> backup.Backup:
    path = folder / f"ektp-{when.astimezone(WIB):%Y%m%d-%H%M%S}.duckdb"
    path.write_bytes(b"x" * 10)
    made = backup.Backup(path=path, taken_at=when, check=check, size=10, batches=1)
    backup._write_record(made)
    return made


def test_what_is_kept_the_last_day_whole_the_newest_of_each_day_and_of_each_month(tmp_path):
    folder = tmp_path / "cadangan"
    folder.mkdir()
    now = dt.datetime(2026, 12, 4, 19, 0, tzinfo=UTC)     # 5 Desember 02.00 WIB
    every = []
    for days in range(400):                             # a nightly backup for 400 days …
        every.append(record(folder, now - dt.timedelta(days=days)))
    extra = record(folder, now - dt.timedelta(hours=5))    # … and one on demand yesterday evening
    before = record(folder, now - dt.timedelta(hours=1))   # … and one at 01.00 WIB, before the nightly one
    older = record(folder, now - dt.timedelta(hours=26))   # … and one at 00.00 WIB the day before, not its newest
    backup.prune(folder, now=now, keep_days=14)
    kept = {b.path for b in backup.list_backups(folder)}
    newest_per_day = {}
    for b in [*every, extra, before, older]:
        newest_per_day.setdefault(b.taken_at.astimezone(WIB).date(), []).append(b)
    daily = sorted(newest_per_day)[-14:]
    expected = {max(newest_per_day[d], key=lambda b: b.taken_at).path for d in daily}
    months = {}
    for b in every:
        local = b.taken_at.astimezone(WIB)
        if (now.astimezone(WIB).year - local.year) * 12 + now.astimezone(WIB).month - local.month < 12:
            months.setdefault((local.year, local.month), []).append(b)
    expected |= {max(bs, key=lambda b: b.taken_at).path for bs in months.values()}
    expected |= {before.path}     # the last 24 hours whole: not pushed out by the nightly one after it
    assert kept == expected
    assert len(kept) == 14 + 10 + 1   # the newest of December and of November are among the 14 days
    assert extra.path in kept and before.path in kept and older.path not in kept
    assert every[0].path in kept and every[399].path not in kept


def test_the_newest_good_backup_is_never_pruned_and_failures_do_not_count(tmp_path):
    folder = tmp_path / "cadangan"
    folder.mkdir()
    now = dt.datetime(2026, 12, 4, 19, 0, tzinfo=UTC)
    old = record(folder, now - dt.timedelta(days=500))
    for days in range(3):
        record(folder, now - dt.timedelta(days=days), check=backup.FAILED)
    backup.prune(folder, now=now, keep_days=1)
    assert backup.latest_good(folder).path == old.path


def test_the_schedule_is_solo_time():
    at = dt.time(2, 0)
    before = dt.datetime(2026, 12, 4, 18, 59, tzinfo=UTC)            # 01.59 WIB on the 5th
    assert backup.next_run(before, at) == dt.datetime(2026, 12, 4, 19, 0, tzinfo=UTC)
    after = dt.datetime(2026, 12, 4, 19, 0, tzinfo=UTC)              # 02.00 WIB: the next is tomorrow
    assert backup.next_run(after, at) == dt.datetime(2026, 12, 5, 19, 0, tzinfo=UTC)
    last = backup.Backup(path=Path("x"), taken_at=dt.datetime(2026, 12, 4, 19, 5, tzinfo=UTC), check=backup.GOOD)
    assert not backup.due_at_start(dt.datetime(2026, 12, 5, 10, 0, tzinfo=UTC), at, last)
    assert backup.due_at_start(dt.datetime(2026, 12, 5, 19, 1, tzinfo=UTC), at, last)   # missed tonight's
    assert backup.due_at_start(before, at, None)


def test_the_scheduler_catches_up_a_missed_day_and_runs_at_its_time(demo_path, tmp_path):
    folder = tmp_path / "cadangan"
    db = Database(demo_path, create=False)
    clock = {"now": dt.datetime(2026, 12, 4, 18, 59, 58, tzinfo=UTC)}   # 2 s before 02.00 WIB
    started = time.monotonic()

    def now() -> dt.datetime:
        return clock["now"] + dt.timedelta(seconds=time.monotonic() - started)

    scheduler = backup.Scheduler(lambda: db, folder, dt.time(2, 0), clock=now)
    scheduler.start()
    try:
        deadline = time.monotonic() + 60
        while scheduler.runs < 2 and time.monotonic() < deadline:
            time.sleep(0.2)   # waiting for the positive state: the catch-up, then the 02.00 one
    finally:
        scheduler.stop()
        db.close()
    assert scheduler.runs == 2 and scheduler.last_error == ""
    # both on 5 December (WIB), both kept (the last 24 hours stay whole); the newest is the one at 02.00
    good = [b for b in backup.list_backups(folder) if b.good]
    assert [b.by for b in good] == ["jadwal", "jadwal"] and good[0] == scheduler.last
    assert good[0].taken_at.astimezone(WIB).time() >= dt.time(2, 0)


def test_pengguna_backs_up_now_and_lists_it(demo_path, monkeypatch):
    at = page_app(monkeypatch, demo_path, "pengguna.py", user="admin")
    assert any("Belum ada cadangan yang baik" in w.value for w in at.warning)
    at.button(key="backup_now").click().run()
    assert not at.exception
    assert any("cocok dengan database" in s.value for s in at.success)
    table = next(d.value for d in at.dataframe if "Pemeriksaan" in d.value.columns)
    row = table.iloc[0]
    assert row["Batch"] == "50" and row["Sudah rekam"] == "383.427" and row["Data per"] == "25 Oktober 2013"
    assert row["Pemeriksaan"].startswith("baik") and row["Waktu"].endswith(" WIB") and row["Oleh"] == "admin:admin"
    assert not any("Belum ada cadangan" in w.value for w in at.warning)
    with Database(demo_path, create=False) as db:
        assert db.fetch_one("SELECT count(*) FROM audit_log WHERE action = 'cadangan_dibuat'")[0] == 1


def test_pengguna_warns_when_the_last_good_backup_is_older_than_two_days(demo_path, monkeypatch):
    from ektp_metrics import settings
    monkeypatch.setenv("EKTP_DB", str(demo_path))
    record_folder = settings.backup_dir(demo_path)
    record_folder.mkdir(parents=True)
    record(record_folder, dt.datetime.now(UTC) - dt.timedelta(days=3))
    at = page_app(monkeypatch, demo_path, "pengguna.py", user="admin")
    assert any("lebih dari 2 hari" in w.value for w in at.warning)


def test_cli_backup_and_restore_without_the_app(demo_path, tmp_path, capsys):
    folder = tmp_path / "cadangan"
    assert cli.main(["backup", "--db", str(demo_path), "--to", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "Cadangan dibuat: " in out and "50 batch" in out and "383.427 dari 415.549 sudah rekam (92,26%)" in out
    made = backup.latest_good(folder)
    # the live file rots; restore puts the backup in place and keeps the rotten one aside
    with demo_path.open("r+b") as handle:
        handle.write(os.urandom(4096))
    assert cli.main(["restore", str(made.path), "--db", str(demo_path)]) == 0
    out = capsys.readouterr().out
    assert "Sebelum: database lama rusak atau tidak terbaca" in out
    assert "Sesudah: per 25 Oktober 2013: 383.427 dari 415.549 sudah rekam (92,26%)" in out
    aside = [p for p in demo_path.parent.iterdir() if ".sebelum-pulih-" in p.name]
    assert len(aside) == 1
    with Database(demo_path, create=False) as db:
        assert metrics.city_summary(db, dt.date(2013, 10, 25)).sudah_rekam == 383_427
    assert cli.main(["backups", "--db", str(demo_path), "--to", str(folder)]) == 0
    assert made.path.name in capsys.readouterr().out


def test_restore_refuses_a_backup_that_changed_or_failed(demo_path, tmp_path, capsys):
    folder = tmp_path / "cadangan"
    with Database(demo_path, create=False) as db:
        made = backup.take(db, folder, by="uji")
    with made.path.open("r+b") as handle:
        handle.seek(100_000)
        handle.write(b"rusak")
    assert cli.main(["restore", str(made.path), "--db", str(demo_path)]) == 2
    assert "berubah sejak dibuat" in capsys.readouterr().err
    assert not [p for p in demo_path.parent.iterdir() if ".sebelum-pulih-" in p.name]   # nothing touched


def test_cli_backup_while_the_app_runs_and_restore_refused(demo_path, tmp_path):
    """The running app holds the file: `backup` asks it through the control socket; `restore` refuses."""
    from tests.browser import streamlit_process

    env = {**os.environ, "EKTP_DB": str(demo_path)}
    with streamlit_process(demo_path, tmp_path / "server.log"):
        deadline = time.monotonic() + 60
        while not control.socket_path(demo_path).exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        run = subprocess.run([sys.executable, "-m", "ektp_metrics", "backup", "--json"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr
        made = json.loads(run.stdout)
        assert made["check"] == backup.GOOD and made["batches"] == 50 and made["by"].startswith("cli:")
        run = subprocess.run([sys.executable, "-m", "ektp_metrics", "summary"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 3   # other commands still see the file in use
        run = subprocess.run([sys.executable, "-m", "ektp_metrics", "restore", made["path"]], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 3 and "masih berjalan" in run.stderr
    assert not control.socket_path(demo_path).exists()   # removed at a clean shutdown
    with Database(made["path"], create=False, read_only=True) as copy:
        assert backup.state(copy)["batches"] == 50
