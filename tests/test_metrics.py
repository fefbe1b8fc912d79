import datetime as dt

import duckdb
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ektp_metrics import metrics, migrations
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


# ---------------------------------------------------------------- cumulative_sql against its definition

# The definition, written plainly: for each point, the latest target / snapshot on or before the date
# (latest batch first) by a window over all candidates, and the daily counts after the snapshot's date
# summed in Python. The oracle for cumulative_sql on random histories (it found points given twice
# being summed twice). An ASOF/running-sum rewrite was tried against it and measured slower on the
# national benchmark (bench/README.md), so cumulative_sql stays a hash join.
_DIRECT = """
WITH points AS ({points}),
aktif AS (SELECT id FROM batches WHERE status = 'aktif'),
tgt AS (
    SELECT p.kode_kelurahan, p.as_of, t.wajib_ktp, t.berlaku_mulai
    FROM points p JOIN targets t ON t.kode_kelurahan = p.kode_kelurahan AND t.berlaku_mulai <= p.as_of
    WHERE t.batch_id IN (SELECT id FROM aktif) AND t.superseded_by IS NULL
    QUALIFY row_number() OVER (PARTITION BY p.kode_kelurahan, p.as_of ORDER BY t.berlaku_mulai DESC, t.batch_id DESC) = 1
),
base AS (
    SELECT p.kode_kelurahan, p.as_of, r.tanggal, r.{column} AS nilai
    FROM points p JOIN rekap r ON r.kode_kelurahan = p.kode_kelurahan AND r.tanggal <= p.as_of
    WHERE r.batch_id IN (SELECT id FROM aktif) AND r.superseded_by IS NULL AND r.{column} IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY p.kode_kelurahan, p.as_of ORDER BY r.tanggal DESC, r.batch_id DESC) = 1
)
SELECT * FROM base
"""


def _direct(cur, points: str) -> list[tuple]:
    def base(column: str) -> dict:
        rows = cur.execute(_DIRECT.format(points=points, column=column)).fetchall()
        return {(k, d): (t, v) for k, d, t, v in rows}

    rekam, dist, kartu = base("sudah_rekam"), base("sudah_distribusi"), base("kartu_diterima")
    targets = {(k, d): (w, b) for k, d, w, b in cur.execute(
        _DIRECT.split("base AS")[0].rstrip().rstrip(",").format(points=points) + " SELECT * FROM tgt").fetchall()}
    daily = cur.execute("""SELECT kode_kelurahan, tanggal, rekam, distribusi FROM daily_counts
                           WHERE batch_id IN (SELECT id FROM batches WHERE status = 'aktif')
                             AND superseded_by IS NULL""").fetchall()
    out = []
    for k, d in cur.execute(f"SELECT kode_kelurahan, as_of FROM ({points})").fetchall():
        br, bd, bk, tg = rekam.get((k, d)), dist.get((k, d)), kartu.get((k, d)), targets.get((k, d))
        mine = [(t, r, s) for kk, t, r, s in daily if kk == k and t <= d]
        r = (br[1] if br else 0) + sum(x for t, x, _ in mine if br is None or t > br[0])
        s = (bd[1] if bd else 0) + sum(x for t, _, x in mine if bd is None or t > bd[0])
        dates = [x for x in (br and br[0], bd and bd[0], max((t for t, _, _ in mine), default=None)) if x]
        out.append((k, d, tg[0] if tg else 0, tg[1] if tg else None, r, s, bk[1] if bk else None,
                    bk[0] if bk else None, max(dates) if dates else None))
    return sorted(out, key=repr)


ACTIVE_VIEWS = next(m.sql for m in migrations.MIGRATIONS if m.name == "baris_yang_dihitung")

_day = st.integers(0, 12).map(lambda n: D(2013, 10, 1) + dt.timedelta(days=n))
_kode = st.sampled_from(["A", "B", "C"])
_batch = st.integers(1, 4)
_superseded = st.one_of(st.none(), _batch)
_maybe = st.one_of(st.none(), st.integers(0, 500))


_SHARED: list[duckdb.DuckDBPyConnection] = []   # one in-memory database for every example of every test


def _history(reverted, targets, rekap, daily, points=()) -> duckdb.DuckDBPyConnection:
    """The tables holding this history, in one transaction of the shared connection: the next call rolls
    it back (with whatever the test added), so each example starts from empty tables as with a database
    of its own (creating one costs more than most examples' queries)."""
    if _SHARED:
        con = _SHARED[0]
        con.rollback()
        con.begin()
        return _fill(con, reverted, targets, rekap, daily, points)
    con = duckdb.connect()
    _SHARED.append(con)
    con.begin()
    con.execute("""
        CREATE TABLE batches (id BIGINT, status VARCHAR);
        CREATE TABLE targets (batch_id BIGINT, kode_kelurahan VARCHAR, berlaku_mulai DATE, wajib_ktp INTEGER,
                              superseded_by BIGINT);
        CREATE TABLE rekap (batch_id BIGINT, tanggal DATE, kode_kelurahan VARCHAR, sudah_rekam INTEGER,
                            sudah_distribusi INTEGER, kartu_diterima INTEGER, superseded_by BIGINT);
        CREATE TABLE daily_counts (batch_id BIGINT, tanggal DATE, kode_kelurahan VARCHAR, rekam INTEGER,
                                   distribusi INTEGER, superseded_by BIGINT);
        CREATE TABLE p (kode_kelurahan VARCHAR, as_of DATE);
        CREATE TABLE jadwal_keliling (batch_id BIGINT, superseded_by BIGINT);
        CREATE TABLE reference_figures (batch_id BIGINT);
        CREATE TABLE v_wilayah AS SELECT * FROM (VALUES ('A', 'K1'), ('B', 'K1'), ('C', 'K2')) t(kode_kelurahan, kode_kota);""")
    con.execute(ACTIVE_VIEWS)   # the rule as the database holds it (the oracle _DIRECT spells it out instead)
    con.commit()
    con.begin()
    return _fill(con, reverted, targets, rekap, daily, points)


def _fill(con, reverted, targets, rekap, daily, points) -> duckdb.DuckDBPyConnection:
    con.executemany("INSERT INTO batches VALUES (?, ?)",
                    [(b, "dibatalkan" if b in reverted else "aktif") for b in range(1, 5)])
    for table, rows in (("targets", targets), ("rekap", rekap), ("daily_counts", daily), ("p", points)):
        if rows:
            con.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(rows[0]))})", rows)
    return con


_histories = dict(
    reverted=st.sets(_batch, max_size=2),
    targets=st.lists(st.tuples(_batch, _kode, _day, st.integers(0, 900), _superseded), max_size=6,
                     unique_by=lambda r: r[:3]),
    rekap=st.lists(st.tuples(_batch, _day, _kode, _maybe, _maybe, _maybe, _superseded), max_size=6,
                   unique_by=lambda r: r[:3]),
    daily=st.lists(st.tuples(_batch, _day, _kode, st.integers(0, 50), st.integers(0, 50), _superseded),
                   max_size=25),
)


@settings(max_examples=60, deadline=None)
@given(points=st.lists(st.tuples(_kode, _day), min_size=1, max_size=8), **_histories)
def test_cumulative_sql_matches_its_direct_definition(reverted, targets, rekap, daily, points):
    con = _history(reverted, targets, rekap, daily, points)
    points_sql = "SELECT kode_kelurahan, as_of FROM p"
    got = sorted(con.execute(metrics.cumulative_sql(points_sql)).fetchall(), key=repr)
    assert got == _direct(con, points_sql)


@settings(max_examples=80, deadline=None)
@given(points=st.lists(st.tuples(_kode, _day), min_size=1, max_size=8), **_histories)
# a snapshot and daily counts on its day and after, a later target, a point on each of those days
@example(reverted=set(), targets=[(1, "A", D(2013, 10, 3), 900, None), (2, "A", D(2013, 10, 3), 800, None)],
         rekap=[(1, D(2013, 10, 2), "A", 100, 50, None, None), (2, D(2013, 10, 2), "A", None, 60, None, None)],
         daily=[(1, D(2013, 10, 2), "A", 7, 3, None), (1, D(2013, 10, 4), "A", 5, 1, None),
                (2, D(2013, 10, 4), "A", 2, 2, None)],
         points=[("A", D(2013, 10, 1)), ("A", D(2013, 10, 2)), ("A", D(2013, 10, 3)), ("A", D(2013, 10, 4)),
                 ("A", D(2013, 10, 4))])
def test_figures_at_many_points_match_cumulative_sql(reverted, targets, rekap, daily, points):
    con = _history(reverted, targets, rekap, daily, points)
    points_sql = "SELECT kode_kelurahan, as_of FROM p"
    expected = con.execute(f"""SELECT kode_kelurahan, as_of, wajib_ktp, sudah_rekam, sudah_distribusi
                               FROM ({metrics.cumulative_sql(points_sql)})""").fetchall()
    assert sorted(con.execute(metrics.figures_at_sql(points_sql)).fetchall()) == sorted(expected)


@settings(max_examples=80, deadline=None)
@given(touched=st.sets(_kode, min_size=1), today=st.one_of(st.none(), _day),
       **{k: v for k, v in _histories.items() if k != "rekap"})
# batch 4 (the newest) with a target version on a counted day, two batches the same day, today on a
# counted day and after one
@example(reverted=set(), targets=[(1, "A", D(2013, 10, 3), 900, None), (4, "A", D(2013, 10, 3), 100, None)],
         daily=[(1, D(2013, 10, 3), "A", 7, 3, None), (4, D(2013, 10, 3), "A", 95, 1, None),
                (4, D(2013, 10, 5), "B", 5, 1, None), (2, D(2013, 10, 7), "B", 1, 9, None)],
         touched={"A", "B"}, today=D(2013, 10, 5))
@example(reverted=set(), targets=[], touched={"A"}, today=None,     # two rows of the batch on one day (two lokasi)
         daily=[(4, D(2013, 10, 3), "A", 5, 1, None), (4, D(2013, 10, 3), "A", 7, 2, None)])
def test_day_end_figures_match_cumulative_sql(reverted, targets, daily, touched, today):
    """Without snapshots: the figures of the touched kelurahan at each day on which the newest batch (4)
    has an active daily count, and as of today for each that has an active event on or before it."""
    con = _history(reverted, targets, [], daily)
    active = lambda b, superseded: b not in reverted and superseded is None
    new_days = {(k, d) for b, d, k, _, _, s in daily if b == 4 and active(b, s) and k in touched}
    events = ({(k, d) for b, d, k, _, _, s in daily if active(b, s)}
              | {(k, d) for b, k, d, _, s in targets if active(b, s)})
    expected = set(new_days)
    if today is not None:
        expected |= {(k, today) for k in touched if any(kk == k and d <= today for kk, d in events)}
    if expected:
        con.executemany("INSERT INTO p VALUES (?, ?)", sorted(expected))
    reference = con.execute(f"""SELECT kode_kelurahan, as_of, wajib_ktp, sudah_rekam, sudah_distribusi
                                FROM ({metrics.cumulative_sql("SELECT * FROM p")})""").fetchall()
    touched_sql = "SELECT * FROM (VALUES " + ", ".join(f"('{k}')" for k in sorted(touched)) + ") t(kode_kelurahan)"
    got = con.execute(metrics.day_end_figures_sql(touched_sql), {"today": today, "batch": 4}).fetchall()
    assert sorted(got) == sorted(reference)


@settings(max_examples=60, deadline=None)
@given(touched=st.sets(_kode, min_size=1), today=st.one_of(st.none(), _day),
       **{k: v for k, v in _histories.items() if k != "rekap"})
# A: batch 4's alone, within bounds (two rows on one day, targets 900 and 0); B: an earlier batch's count
# on the batch's day; C: a row distributing more than it records
@example(reverted={2}, today=D(2013, 10, 9), touched={"A", "B", "C"},
         targets=[(1, "A", D(2013, 10, 1), 900, None), (4, "A", D(2013, 10, 5), 0, None),
                  (1, "C", D(2013, 10, 1), 900, None)],
         daily=[(4, D(2013, 10, 3), "A", 7, 3, None), (4, D(2013, 10, 3), "A", 5, 5, None),
                (2, D(2013, 10, 2), "A", 9, 9, None), (4, D(2013, 10, 6), "A", 50, 0, None),
                (1, D(2013, 10, 3), "B", 9, 0, None), (4, D(2013, 10, 3), "B", 9, 0, None),
                (4, D(2013, 10, 3), "C", 9, 0, None), (4, D(2013, 10, 4), "C", 1, 2, None)])
@example(reverted=set(), today=D(2013, 10, 9), touched={"A"},    # recordings beyond the target
         targets=[(1, "A", D(2013, 10, 1), 10, None)], daily=[(4, D(2013, 10, 3), "A", 20, 0, None)])
# appended days: A after two earlier days (one of them out of bounds on its own, within in total); B's
# earlier days distribute more than they record in total; C's earlier recordings and the batch's together
# pass the target
@example(reverted=set(), today=D(2013, 10, 9), touched={"A", "B", "C"},
         targets=[(1, "C", D(2013, 10, 1), 30, None)],
         daily=[(1, D(2013, 10, 1), "A", 0, 4, None), (2, D(2013, 10, 2), "A", 9, 0, None),
                (4, D(2013, 10, 5), "A", 3, 3, None), (1, D(2013, 10, 1), "B", 2, 5, None),
                (4, D(2013, 10, 5), "B", 9, 0, None), (1, D(2013, 10, 1), "C", 20, 0, None),
                (4, D(2013, 10, 5), "C", 20, 0, None)])
def test_appended_counts_are_within_bounds_from_the_batch_on(reverted, targets, daily, touched, today):
    """appended_counts_sql names exactly the kelurahan its definition names (the newest batch 4's counts
    all after the kelurahan's other active counts, those within bounds in total, no row of the batch
    distributing more than it records, none after today, all recordings within the smallest target above
    zero), gives their figures as of today as cumulative_sql does, and none of them is out of bounds on
    any day from the batch's first on (what day_end_figures_sql would otherwise have to show)."""
    reverted = reverted - {4}                    # the batch is the upload: active
    con = _history(reverted, targets, [], daily)
    active = lambda b, superseded: b not in reverted and superseded is None
    counts = [(b, d, k, r, x) for b, d, k, r, x, s in daily if active(b, s)]
    least = lambda k: min((w for b, kk, _, w, s in targets if kk == k and active(b, s) and w > 0), default=None)
    mine = lambda k: [(d, r, x) for b, d, kk, r, x in counts if kk == k and b == 4]
    others = lambda k: [(d, r, x) for b, d, kk, r, x in counts if kk == k and b != 4]
    expected = {k for k in touched if mine(k) and today is not None
                and all(d < min(d for d, _, _ in mine(k)) for d, _, _ in others(k))
                and sum(x for _, _, x in others(k)) <= sum(r for _, r, _ in others(k))
                and all(x <= r and d <= today for d, r, x in mine(k))
                and (least(k) is None or sum(r for _, r, _ in mine(k) + others(k)) <= least(k))}
    sums = f"""SELECT kode_kelurahan, sum(rekam) AS rekam, sum(distribusi) AS distribusi, min(tanggal) AS first_day,
                      max(tanggal) AS last_day, bool_and(distribusi <= rekam) AS flat
               FROM daily_counts WHERE batch_id = 4 AND superseded_by IS NULL
                 AND kode_kelurahan IN ({", ".join(f"'{k}'" for k in sorted(touched))})
               GROUP BY kode_kelurahan"""
    got = con.execute(metrics.appended_counts_sql(sums), {"today": today, "batch": 4}).fetchall()
    assert {row[0] for row in got} == expected
    for k, as_of, wajib, rekam, dist in got:
        first = min(d for d, _, _ in mine(k))
        days = {d for b, kk, d, _, s in targets if kk == k and active(b, s)} | {d for _, d, kk, _, _ in counts if kk == k}
        con.execute("DELETE FROM p")
        con.executemany("INSERT INTO p VALUES (?, ?)", [(k, d) for d in sorted(days | {today}) if d >= first])
        figures = con.execute(f"""SELECT as_of, wajib_ktp, sudah_rekam, sudah_distribusi
                                  FROM ({metrics.cumulative_sql("SELECT * FROM p")})""").fetchall()
        assert (as_of, wajib, rekam, dist) in figures
        assert all(x <= r and (w == 0 or r <= w) for _, w, r, x in figures), (k, figures)


# scope's definition: v_wilayah's kelurahan rows (each with its ancestors) counted as they are
_SCOPE_DEFINITION = """
    SELECT count(DISTINCT kode_provinsi), count(kode_provinsi), any_value(kode_provinsi), any_value(provinsi),
           count(DISTINCT kode_kota), count(kode_kota), any_value(kode_kota), any_value(kota),
           count(DISTINCT kode_kecamatan), count(kode_kecamatan), any_value(kode_kecamatan), any_value(kecamatan),
           count(*)
    FROM v_wilayah"""


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kota=st.lists(st.sampled_from(["P1", "P2", None]), max_size=3),
       kecamatan=st.lists(st.sampled_from(["K0", "K1", "K2", "X", None]), max_size=4),
       kelurahan=st.lists(st.sampled_from(["C0", "C1", "C2", "C3", "X", None]), max_size=8))
def test_scope_counts_the_region_list_as_v_wilayah_does(fresh_db, kota, kecamatan, kelurahan):
    """Any hierarchy (parents missing, levels missing, a parent code that is no region): the grouped
    query gives v_wilayah's counts, and its region wherever one region is the only one of a level."""
    rows = ([("P1", "Prov 1", "provinsi", None), ("P2", "Prov 2", "provinsi", None)]
            + [(f"K{i}", f"Kota {i}", "kota", parent) for i, parent in enumerate(kota)]
            + [(f"C{i}", f"Kec {i}", "kecamatan", parent) for i, parent in enumerate(kecamatan)]
            + [(f"L{i}", f"Kel {i}", "kelurahan", parent) for i, parent in enumerate(kelurahan)])
    with fresh_db.transaction() as cur:
        cur.execute("DELETE FROM region_aliases; DELETE FROM regions")
        cur.executemany("INSERT INTO regions (kode, nama, tingkat, induk) VALUES (?, ?, ?, ?)", rows)
    got, expected = fresh_db.fetch_one(metrics._SCOPE_SQL), fresh_db.fetch_one(_SCOPE_DEFINITION)
    for level in range(3):
        distinct, filled, kode, nama = expected[4 * level: 4 * level + 4]
        assert got[4 * level: 4 * level + 2] == (distinct, filled)
        if distinct == 1:
            assert got[4 * level + 2: 4 * level + 4] == (kode, nama)
    assert got[12] == expected[12]


# region_series' definition: every kelurahan of the region on every day, summed (what it computed before
# it learnt to look only at the days with data).
_SERIES_DEFINITION = """
    SELECT as_of AS tanggal, sum(wajib_ktp)::BIGINT AS wajib_ktp, sum(sudah_rekam)::BIGINT AS sudah_rekam,
           coalesce(sum(sudah_rekam) FILTER (WHERE wajib_ktp > 0), 0)::BIGINT AS rekam_bertarget,
           sum(sudah_distribusi)::BIGINT AS sudah_distribusi, min(target_berlaku_mulai) AS target_berlaku_mulai
    FROM ({cumulative}) GROUP BY as_of ORDER BY as_of"""


@settings(max_examples=80, deadline=None)
@given(start=_day, length=st.integers(0, 14), kota=st.sampled_from([None, "K1", "K2"]), **_histories)
# a snapshot and a daily count on the same day (the daily count is inside the snapshot), a target later
@example(reverted=set(), targets=[(1, "A", D(2013, 10, 3), 900, None)],
         rekap=[(1, D(2013, 10, 2), "A", 100, 50, None, None)],
         daily=[(1, D(2013, 10, 2), "A", 7, 3, None), (1, D(2013, 10, 4), "A", 5, 1, None)],
         start=D(2013, 10, 1), length=5, kota=None)
# A is plain (no snapshot, every count under a target above zero); B counts before its target and C's
# target drops to 0 before a count: not plain
@example(reverted=set(), rekap=[], start=D(2013, 10, 2), length=6, kota=None,
         targets=[(1, "A", D(2013, 10, 1), 900, None), (2, "A", D(2013, 10, 4), 950, None),
                  (1, "B", D(2013, 10, 3), 500, None), (1, "C", D(2013, 10, 1), 900, None),
                  (2, "C", D(2013, 10, 5), 0, None)],
         daily=[(1, D(2013, 10, 1), "A", 7, 3, None), (2, D(2013, 10, 6), "A", 5, 1, None),
                (1, D(2013, 10, 2), "B", 6, 0, None), (1, D(2013, 10, 3), "B", 4, 0, None),
                (1, D(2013, 10, 2), "C", 2, 2, None), (1, D(2013, 10, 6), "C", 9, 1, None)])
# a snapshot under a target, counts before and after it: not plain
@example(reverted=set(), targets=[(1, "A", D(2013, 10, 1), 900, None)],
         rekap=[(1, D(2013, 10, 3), "A", 100, 50, None, None)],
         daily=[(1, D(2013, 10, 2), "A", 7, 3, None), (1, D(2013, 10, 4), "A", 5, 1, None)],
         start=D(2013, 10, 1), length=5, kota=None)
def test_region_series_matches_every_kelurahan_on_every_day(reverted, targets, rekap, daily, start, length, kota):
    con = _history(reverted, targets, rekap, daily)
    region = "TRUE" if kota is None else "w.kode_kota = $kode"
    params = {"start": start, "end": start + dt.timedelta(days=length), **({"kode": kota} if kota else {})}
    every_day = metrics.cumulative_sql(f"""
        SELECT w.kode_kelurahan, d.as_of::DATE AS as_of
        FROM v_wilayah w, generate_series($start::DATE, $end::DATE, INTERVAL 1 DAY) AS d(as_of) WHERE {region}""")
    expected = con.execute(_SERIES_DEFINITION.format(cumulative=every_day), params).fetchall()
    kelurahan = f"SELECT w.kode_kelurahan FROM v_wilayah w WHERE {region}"
    assert con.execute(metrics.series_sql(kelurahan), params).fetchall() == expected
