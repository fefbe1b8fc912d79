"""Issue 19, item 3: moments are stored in UTC and every person sees them in EKTP_TZ (default Asia/Jakarta, WIB),
in Indonesian form ("4 Desember 2026 23.43 WIB") or English ("4 December 2026 11:43 PM WIB")."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import sys
from zoneinfo import ZoneInfo

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from ektp_metrics import auth, backup, cli, exports, formatting, kiosk, screen_tables, settings, upload_templates
from ektp_metrics.db import Database, audit
from ektp_metrics.upload import ingest
from tests.apptest import page_app, run_app
from tests.conftest import ROOT

# 16.43 UTC on 4 December 2026 is 23.43 WIB; 17.05 UTC is five past midnight on the 5th in Solo.
EVENING = dt.datetime(2026, 12, 4, 16, 43)
AFTER_MIDNIGHT = dt.datetime(2026, 12, 4, 17, 5)


@pytest.fixture(autouse=True)
def _default_zone(monkeypatch):
    monkeypatch.delenv("EKTP_TZ", raising=False)


# ---- the conversion ----------------------------------------------------------------------------------------

def test_a_utc_moment_is_shown_in_wib_with_its_zone():
    assert formatting.waktu(EVENING) == "4 Desember 2026 23.43 WIB"
    assert formatting.waktu(EVENING, "en") == "4 December 2026 11:43 PM WIB"
    assert formatting.pukul(EVENING) == "23.43 WIB" and formatting.pukul(EVENING, "en") == "11:43 PM WIB"
    # an aware moment is the same moment: naive means UTC, as the database stores it
    assert formatting.waktu(EVENING.replace(tzinfo=dt.UTC)) == formatting.waktu(EVENING)
    assert formatting.waktu(dt.datetime(2026, 12, 4, 23, 43, tzinfo=ZoneInfo("Asia/Jakarta"))) == formatting.waktu(EVENING)


def test_the_day_turns_at_midnight_in_solo_not_in_utc():
    assert formatting.waktu(AFTER_MIDNIGHT) == "5 Desember 2026 00.05 WIB"
    assert formatting.waktu(AFTER_MIDNIGHT, "en") == "5 December 2026 12:05 AM WIB"
    assert formatting.waktu(dt.datetime(2026, 12, 31, 17, 0), "en") == "1 January 2027 12:00 AM WIB"
    assert formatting.waktu(dt.datetime(2026, 12, 4, 5, 0), "en") == "4 December 2026 12:00 PM WIB"   # noon
    assert formatting.lokal(AFTER_MIDNIGHT).date() == dt.date(2026, 12, 5)
    assert formatting.awal_hari_utc(dt.date(2026, 12, 5)) == dt.datetime(2026, 12, 4, 17, 0)


@pytest.mark.parametrize(("zone", "expected"), [
    ("Asia/Makassar", "5 Desember 2026 00.43 WITA"),
    ("Asia/Jayapura", "5 Desember 2026 01.43 WIT"),
    ("Asia/Pontianak", "4 Desember 2026 23.43 WIB"),
    ("UTC", "4 Desember 2026 16.43 UTC"),
    ("Europe/Amsterdam", "4 Desember 2026 17.43 UTC+1"),
    ("America/St_Johns", "4 Desember 2026 13.13 UTC−3:30"),
])
def test_another_zone_is_named_by_its_indonesian_name_or_its_offset(monkeypatch, zone, expected):
    monkeypatch.setenv("EKTP_TZ", zone)
    assert formatting.waktu(EVENING) == expected
    assert formatting.waktu_kolom(pd.Series([pd.Timestamp(EVENING)])).tolist() == [expected]


def test_a_zone_with_summer_time_names_the_offset_of_each_moment(monkeypatch):
    monkeypatch.setenv("EKTP_TZ", "Europe/Amsterdam")
    assert formatting.waktu(dt.datetime(2026, 7, 4, 16, 43)) == "4 Juli 2026 18.43 UTC+2"
    assert formatting.nama_zona_kolom() == "Europe/Amsterdam"   # a download's header: one name for both


def test_an_unknown_zone_is_an_invalid_setting(monkeypatch):
    for value in ("Asia/Solo", "asia/jakarta", "../../etc/passwd", "WIB"):
        monkeypatch.setenv("EKTP_TZ", value)
        assert any("EKTP_TZ" in p and value in p for p in settings.problems()), value
        with pytest.raises(settings.InvalidSetting):
            formatting.waktu(EVENING)
    monkeypatch.setenv("EKTP_TZ", "Asia/Makassar")
    assert settings.problems() == []


def test_the_app_says_an_unknown_zone_is_invalid(monkeypatch, demo_path):
    at = run_app(monkeypatch, demo_path, EKTP_TZ="Asia/Solo")
    assert any("EKTP_TZ" in e.value and "Asia/Solo" in e.value for e in at.error)


def test_the_cli_refuses_an_unknown_zone(monkeypatch, demo_path, capsys):
    monkeypatch.setenv("EKTP_TZ", "Asia/Solo")
    assert cli.main(["batches", "--db", str(demo_path)]) == 2
    assert "EKTP_TZ" in capsys.readouterr().err


_moments = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2099, 12, 31))


@hsettings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), _moments), max_size=6), st.sampled_from(["id", "en"]),
       st.sampled_from(["Asia/Jakarta", "Europe/Amsterdam", "America/St_Johns"]))
def test_a_column_is_shown_as_each_of_its_moments(values, lang, zone):
    os.environ["EKTP_TZ"] = zone   # not monkeypatch: hypothesis runs the body many times in one test
    try:
        column = pd.Series(pd.to_datetime(pd.Series(values, dtype=object)))
        expected = [None if v is None else formatting.waktu(v, lang) for v in values]
        assert formatting.waktu_kolom(column, lang).tolist() == expected
    finally:
        del os.environ["EKTP_TZ"]


# ---- stored in UTC -----------------------------------------------------------------------------------------

def test_moments_are_stored_in_utc_on_a_server_set_to_wib(tmp_path):
    # DuckDB's current_timestamp becomes the machine's local time in a TIMESTAMP column unless the session's
    # zone is UTC: a server in Solo would store WIB and show it seven hours late.
    probe = (
        "import datetime as dt, sys\n"
        "from ektp_metrics.db import Database, audit\n"
        f"db = Database({str(tmp_path / 'z.duckdb')!r})\n"
        "with db.transaction() as cur:\n"
        "    audit(cur, 'sri', 'unggah')\n"
        "stored = db.fetch_value('SELECT logged_at FROM audit_log')\n"
        "now = dt.datetime.now(dt.UTC).replace(tzinfo=None)\n"
        "print(abs((now - stored).total_seconds()))\n")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "TZ": "Asia/Jakarta"})
    assert done.returncode == 0, done.stderr
    assert float(done.stdout) < 600   # minutes, not the seven hours of WIB


def test_the_audit_period_filter_is_by_days_in_solo(fresh_db):
    with fresh_db.transaction() as cur:
        audit(cur, "sri", "unggah", "batch 1")
        audit(cur, "sri", "unggah", "batch 2")
        cur.execute("UPDATE audit_log SET logged_at = CASE object WHEN 'batch 1' THEN ?::TIMESTAMP "
                    "ELSE ?::TIMESTAMP END", [EVENING, AFTER_MIDNIGHT])
    fifth = dt.date(2026, 12, 5)
    assert list(auth.audit_log(fresh_db, user="sri", since=fifth, until=fifth)["object"]) == ["batch 2"]
    assert list(auth.audit_log(fresh_db, user="sri", until=dt.date(2026, 12, 4))["object"]) == ["batch 1"]


# ---- where people meet them ----------------------------------------------------------------------------------

def _saved_batch(demo_path, created_at: dt.datetime = dt.datetime(2026, 12, 4, 16, 40)) -> int:
    with Database(demo_path, create=False) as db:
        saved = ingest(db, upload_templates.example_path("harian").read_bytes(), "contoh.csv", user="admin",
                       role="admin")
        assert saved.committed, saved.problems
        with db.transaction() as cur:
            cur.execute("UPDATE batches SET created_at = ? WHERE id = ?", [created_at, saved.batch_id])
        return int(saved.batch_id)


def test_riwayat_shows_upload_and_revert_times_in_wib(demo_path, monkeypatch):
    batch = _saved_batch(demo_path)
    with Database(demo_path, create=False) as db, db.transaction() as cur:
        cur.execute("""UPDATE batches SET status = 'dibatalkan', reverted_at = TIMESTAMP '2026-12-04 16:43:00',
                       reverted_by = 'admin', revert_reason = 'salah' WHERE id = ?""", [batch])
    at = page_app(monkeypatch, demo_path, "riwayat.py", user="admin")
    table = at.dataframe[0].value.set_index("Batch")
    assert table.at[batch, "Waktu"] == "4 Desember 2026 23.40 WIB"
    at.selectbox[0].select(batch).run()
    assert any("4 Desember 2026 23.43 WIB" in w.value.replace("\\", "") for w in at.warning)

    at.session_state["lang"] = "en"
    at.run()
    assert at.dataframe[0].value.set_index("Batch").at[batch, "Time"] == "4 December 2026 11:40 PM WIB"


def test_a_duplicate_file_is_refused_naming_the_first_upload_in_wib(demo_path, monkeypatch):
    _saved_batch(demo_path)
    at = page_app(monkeypatch, demo_path, "unggah.py", user="admin")
    path = upload_templates.example_path("harian")
    at.file_uploader[0].upload("lagi.csv", path.read_bytes(), "text/csv").run()
    assert not at.exception, at.exception
    messages = [m.replace("\\", "") for m in at.table[0].value.iloc[:, 2]]
    assert any("pada 4 Desember 2026 23.40 WIB" in m for m in messages), messages


def test_pengguna_shows_account_and_audit_times_in_wib(demo_path, monkeypatch):
    with Database(demo_path, create=False) as db, db.transaction() as cur:
        cur.execute("UPDATE users SET created_at = ?, password_set_at = ? WHERE username = 'operator'",
                    [EVENING, AFTER_MIDNIGHT])
        audit(cur, "admin", "pengguna_ditambah", "sri", "operator")
        cur.execute("UPDATE audit_log SET logged_at = ? WHERE id = (SELECT max(id) FROM audit_log)", [EVENING])
    at = page_app(monkeypatch, demo_path, "pengguna.py", user="admin")
    users = at.dataframe[0].value.set_index("Nama pengguna")
    assert users.at["operator", "Dibuat"] == "4 Desember 2026 23.43 WIB"
    assert users.at["operator", "Kata sandi diganti"] == "5 Desember 2026 00.05 WIB"
    log = at.dataframe[-1].value
    assert log.iloc[0]["Waktu"] == "4 Desember 2026 23.43 WIB"
    assert all(w.endswith(" WIB") for w in log["Waktu"])


def test_the_audit_download_has_local_times_with_the_zone_in_the_header(fresh_db):
    with fresh_db.transaction() as cur:
        audit(cur, "sri", "unggah", "batch 7", "harian.csv")
        cur.execute("UPDATE audit_log SET logged_at = ? WHERE user_name = 'sri'", [AFTER_MIDNIGHT])
    table = screen_tables.audit_table(auth.audit_log(fresh_db, user="sri"), "id", download=True)
    assert list(table.columns) == ["Waktu (WIB)", "Pengguna", "Tindakan", "Objek", "Keterangan", "Batch"]
    text = exports.to_csv(table).decode("utf-8-sig")
    assert "Waktu (WIB)" in text and "2026-12-05 00:05:00" in text and "16:" not in text.split("\n")[1]
    sheet = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(table))).active
    assert sheet["A1"].value == "Waktu (WIB)" and sheet["A2"].value == dt.datetime(2026, 12, 5, 0, 5)
    english = screen_tables.audit_table(auth.audit_log(fresh_db, user="sri"), "en", download=True)
    assert english.columns[0] == "Time (WIB)"


def test_the_lockout_says_when_to_try_again_in_wib(demo_path, monkeypatch):
    monkeypatch.setenv("EKTP_LOCKOUT_FAILURES", "2")
    at = page_app(monkeypatch, demo_path, "masuk.py", user=None)
    for _ in range(2):
        at.text_input[0].input("operator")
        at.text_input[1].input("salah-sekali-lagi")
        at.button[0].click().run()
    shown = next(e.value for e in at.error if "Coba lagi pukul" in e.value)
    clock = re.search(r"pukul (\d\d)\.(\d\d) WIB", shown)
    assert clock, shown
    expected = dt.datetime.now(ZoneInfo("Asia/Jakarta")) + dt.timedelta(minutes=15)
    retry = expected.replace(hour=int(clock[1]), minute=int(clock[2]))
    assert abs((retry - expected).total_seconds()) < 180, (shown, expected)


def test_backups_and_the_lobby_follow_the_zone(monkeypatch, demo_db):
    moment = dt.datetime(2026, 12, 4, 16, 43, 5, tzinfo=dt.UTC)
    assert backup._stamp(moment) == "20261204-234305"
    assert backup.next_run(moment, dt.time(2, 0)) == dt.datetime(2026, 12, 4, 19, 0, tzinfo=dt.UTC)
    board = kiosk.read_board(demo_db)
    assert board is not None
    assert "diperbarui 23.43 WIB" in kiosk.render(board, "kota", 0, 1, moment)
    monkeypatch.setenv("EKTP_TZ", "Asia/Makassar")
    assert backup._stamp(moment) == "20261205-004305"
    assert backup.next_run(moment, dt.time(2, 0)) == dt.datetime(2026, 12, 4, 18, 0, tzinfo=dt.UTC)
    assert "diperbarui 00.43 WITA" in kiosk.render(board, "kota", 0, 1, moment)
    assert screen_tables.backup_table([backup.Backup(path=ROOT / "x.duckdb", taken_at=moment, check=backup.GOOD)], "id") \
        .iloc[0]["Waktu"] == "5 Desember 2026 00.43 WITA"


def test_the_cli_lists_batches_in_wib(demo_path, capsys):
    batch = _saved_batch(demo_path)
    assert cli.main(["batches", "--db", str(demo_path)]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.strip().startswith(str(batch)))
    assert "4 Desember 2026 23.40 WIB" in line
    assert cli.main(["batches", "--db", str(demo_path), "--json"]) == 0
    import json

    records = {r["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert records[batch]["created_at"] == "2026-12-04T23:40:00+07:00"
