import datetime as dt

import pytest

from ektp_metrics import metrics
from tests.conftest import add_batch

PAJANG, LAWEYAN, KEMLAYAN = "33.72.01.1001", "33.72.01.1002", "33.72.02.1007"
D = dt.date


def one(db, as_of, kode, level="kelurahan"):
    return next(s for s in metrics.summaries(db, as_of, level) if s.kode == kode)


@pytest.fixture
def small(fresh_db):
    """Pajang: target 1.000 from 1 Oct (was 900 from 1 Sep), rekap on 10 Oct, daily rows around it."""
    add_batch(fresh_db, "target", f"('{PAJANG}', DATE '2013-09-01', 900), ('{PAJANG}', DATE '2013-10-01', 1000)",
              "targets", "kode_kelurahan, berlaku_mulai, wajib_ktp")
    add_batch(fresh_db, "rekap", f"(DATE '2013-10-10', '{PAJANG}', 800, 700)",
              "rekap", "tanggal, kode_kelurahan, sudah_rekam, sudah_distribusi")
    add_batch(fresh_db, "harian", f"""
        (DATE '2013-10-09', '{PAJANG}', 'kelurahan', 50, 5),
        (DATE '2013-10-10', '{PAJANG}', 'kelurahan', 40, 4),
        (DATE '2013-10-11', '{PAJANG}', 'kelurahan', 30, 3),
        (DATE '2013-10-11', '{PAJANG}', 'sekolah', 7, 0),
        (DATE '2013-10-12', '{PAJANG}', 'kecamatan', 20, 2)""",
              "daily_counts", "tanggal, kode_kelurahan, lokasi, rekam, distribusi")
    return fresh_db


def test_cumulative_is_latest_rekap_plus_later_daily_counts(small):
    # Before the rekap: only daily counts.
    assert one(small, D(2013, 10, 9), PAJANG).sudah_rekam == 50
    # On the rekap date the snapshot replaces everything up to and including that date.
    assert one(small, D(2013, 10, 10), PAJANG).sudah_rekam == 800
    assert one(small, D(2013, 10, 11), PAJANG).sudah_rekam == 800 + 30 + 7
    s = one(small, D(2013, 10, 12), PAJANG)
    assert (s.sudah_rekam, s.sudah_distribusi) == (857, 705)
    assert s.backlog_distribusi == 152 and s.belum_rekam == 143
    assert s.tanggal_laporan == D(2013, 10, 12)


def test_target_version_in_force_on_the_date(small):
    assert one(small, D(2013, 8, 31), PAJANG).wajib_ktp == 0
    assert one(small, D(2013, 8, 31), PAJANG).persen_rekam is None
    assert one(small, D(2013, 9, 15), PAJANG).wajib_ktp == 900
    s = one(small, D(2013, 10, 12), PAJANG)
    assert s.wajib_ktp == 1000 and s.target_berlaku_mulai == D(2013, 10, 1)
    assert str(s.persen_rekam) == "85.70"


def test_levels_add_up(small):
    kec = one(small, D(2013, 10, 12), "33.72.01", "kecamatan")
    kota = metrics.city_summary(small, D(2013, 10, 12))
    assert kec.sudah_rekam == kota.sudah_rekam == 857
    assert kota.kelurahan == 51 and kota.kecamatan == 5
    assert kec.kelurahan == 11 and kec.kecamatan == 1


def test_reverted_batch_and_superseded_rows_do_not_count(small):
    batch = add_batch(small, "harian", f"(DATE '2013-10-12', '{LAWEYAN}', 'kelurahan', 99, 0)",
                      "daily_counts", "tanggal, kode_kelurahan, lokasi, rekam, distribusi")
    assert one(small, D(2013, 10, 12), LAWEYAN).sudah_rekam == 99
    with small.transaction() as cur:
        cur.execute("UPDATE batches SET status = 'dibatalkan' WHERE id = ?", [batch])
    assert one(small, D(2013, 10, 12), LAWEYAN).sudah_rekam == 0
    with small.transaction() as cur:
        cur.execute("UPDATE daily_counts SET superseded_by = 999 WHERE lokasi = 'sekolah'")
    assert one(small, D(2013, 10, 12), PAJANG).sudah_rekam == 850


def test_distribusi_baseline_taken_from_a_rekap_that_states_it(small):
    # A later rekap that gives only sudah_rekam leaves the distribusi baseline where it was.
    add_batch(small, "rekap", f"(DATE '2013-10-11', '{PAJANG}', 900, NULL)",
              "rekap", "tanggal, kode_kelurahan, sudah_rekam, sudah_distribusi")
    s = one(small, D(2013, 10, 12), PAJANG)
    assert s.sudah_rekam == 900 + 20
    assert s.sudah_distribusi == 700 + 3 + 2


def test_reference_day_is_latest_data_or_override(small, monkeypatch):
    monkeypatch.delenv("EKTP_TODAY", raising=False)
    assert metrics.reference_day(small) == D(2013, 10, 12)
    monkeypatch.setenv("EKTP_TODAY", "2013-10-11")
    assert metrics.reference_day(small) == D(2013, 10, 11)
    assert metrics.days_left(D(2013, 10, 25), D(2013, 12, 31)) == 67


def test_unknown_level_is_refused(small):
    with pytest.raises(ValueError):
        metrics.summaries(small, D(2013, 10, 12), "kabupaten; DROP TABLE batches")


def test_empty_database_has_no_data_date(fresh_db):
    assert metrics.latest_data_date(fresh_db) is None
    kota = metrics.city_summary(fresh_db, D(2013, 10, 25))
    assert kota.sudah_rekam == 0 and kota.persen_rekam is None


def test_pace_needed_rounds_up():
    assert metrics.pace_needed(32_122, 67) == 480        # 479,4… a day is not enough: 480
    assert metrics.pace_needed(37_748, 67) == 564
    assert metrics.pace_needed(670, 67) == 10
    assert metrics.pace_needed(0, 67) == 0
    assert metrics.pace_needed(100, 0) is None


def test_recordings_without_a_target_never_lift_the_percentage(fresh_db):
    # Review finding: Laweyan has counts but no target; the city must not show 100,00%.
    add_batch(fresh_db, "target", f"('{PAJANG}', DATE '2013-10-01', 1000)", "targets",
              "kode_kelurahan, berlaku_mulai, wajib_ktp")
    add_batch(fresh_db, "harian", f"""(DATE '2013-10-07', '{PAJANG}', 'kelurahan', 500, 0),
                                      (DATE '2013-10-07', '{LAWEYAN}', 'kelurahan', 500, 100)""",
              "daily_counts", "tanggal, kode_kelurahan, lokasi, rekam, distribusi")
    kota = metrics.city_summary(fresh_db, D(2013, 10, 7))
    assert kota.sudah_rekam == 1000                  # every recording is counted…
    assert str(kota.persen_rekam) == "50.00"         # …but coverage only where there is a denominator
    assert kota.belum_rekam == 500                   # never negative
    assert kota.kelurahan_tanpa_target == 50
    laweyan = one(fresh_db, D(2013, 10, 7), LAWEYAN)
    assert laweyan.persen_rekam is None and laweyan.belum_rekam == 0
