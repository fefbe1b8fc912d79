"""Coverage figures for any date and level, computed in SQL.

Cumulative recorded for a kelurahan as of date D = its latest rekap (cumulative snapshot) on or before D,
plus the daily rekam after that rekap up to D. The same for distribusi, each measure taking its own
latest snapshot that states it. wajib KTP is the target version in force on D.
Only rows of active batches that no correction has superseded count: every query reads the views of
migration 8 (active_daily_counts, active_rekap, active_targets, active_jadwal_keliling), the rule's one home.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import TYPE_CHECKING

from ektp_metrics import settings
from ektp_metrics.db import Database
from ektp_metrics.formatting import persen_floor

if TYPE_CHECKING:   # frames come from Database.fetch_df; `summary` on the command line starts without pandas
    import pandas as pd

LEVELS = ("provinsi", "kota", "kecamatan", "kelurahan")

def cumulative_sql(points: str) -> str:
    """SQL for the figures of each (kode_kelurahan, as_of) row of the relation `points`.

    `points` is SQL text of a relation with columns kode_kelurahan and as_of, written by this package
    (never from user input); its values come in through parameters. The result has one row per point:
    kode_kelurahan, as_of, wajib_ktp, target_berlaku_mulai, sudah_rekam, sudah_distribusi,
    kartu_diterima (latest reported, NULL if never), tanggal_kartu, tanggal_laporan.
    The same SQL serves a whole city on one date and an upload's touched rows.
    """
    return f"""
WITH points AS ({points}),
tgt AS (
    SELECT p.kode_kelurahan, p.as_of, t.wajib_ktp, t.berlaku_mulai
    FROM points p JOIN active_targets t ON t.kode_kelurahan = p.kode_kelurahan AND t.berlaku_mulai <= p.as_of
    QUALIFY row_number() OVER (PARTITION BY p.kode_kelurahan, p.as_of
                               ORDER BY t.berlaku_mulai DESC, t.batch_id DESC) = 1
),
base_rekam AS (
    SELECT p.kode_kelurahan, p.as_of, r.tanggal, r.sudah_rekam
    FROM points p JOIN active_rekap r ON r.kode_kelurahan = p.kode_kelurahan AND r.tanggal <= p.as_of
    WHERE r.sudah_rekam IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY p.kode_kelurahan, p.as_of ORDER BY r.tanggal DESC, r.batch_id DESC) = 1
),
base_dist AS (
    SELECT p.kode_kelurahan, p.as_of, r.tanggal, r.sudah_distribusi
    FROM points p JOIN active_rekap r ON r.kode_kelurahan = p.kode_kelurahan AND r.tanggal <= p.as_of
    WHERE r.sudah_distribusi IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY p.kode_kelurahan, p.as_of ORDER BY r.tanggal DESC, r.batch_id DESC) = 1
),
base_kartu AS (
    SELECT p.kode_kelurahan, p.as_of, r.tanggal, r.kartu_diterima
    FROM points p JOIN active_rekap r ON r.kode_kelurahan = p.kode_kelurahan AND r.tanggal <= p.as_of
    WHERE r.kartu_diterima IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY p.kode_kelurahan, p.as_of ORDER BY r.tanggal DESC, r.batch_id DESC) = 1
),
harian AS (
    SELECT p.kode_kelurahan, p.as_of,
           sum(CASE WHEN br.tanggal IS NULL OR d.tanggal > br.tanggal THEN d.rekam ELSE 0 END) AS rekam,
           sum(CASE WHEN bd.tanggal IS NULL OR d.tanggal > bd.tanggal THEN d.distribusi ELSE 0 END) AS distribusi,
           max(d.tanggal) AS tanggal_harian
    FROM (SELECT DISTINCT kode_kelurahan, as_of FROM points) p   -- a point given twice is summed once
    JOIN active_daily_counts d ON d.kode_kelurahan = p.kode_kelurahan AND d.tanggal <= p.as_of
    LEFT JOIN base_rekam br ON br.kode_kelurahan = p.kode_kelurahan AND br.as_of = p.as_of
    LEFT JOIN base_dist bd ON bd.kode_kelurahan = p.kode_kelurahan AND bd.as_of = p.as_of
    GROUP BY p.kode_kelurahan, p.as_of
)
SELECT p.kode_kelurahan, p.as_of,
       coalesce(tgt.wajib_ktp, 0)::BIGINT AS wajib_ktp,
       tgt.berlaku_mulai AS target_berlaku_mulai,
       (coalesce(br.sudah_rekam, 0) + coalesce(h.rekam, 0))::BIGINT AS sudah_rekam,
       (coalesce(bd.sudah_distribusi, 0) + coalesce(h.distribusi, 0))::BIGINT AS sudah_distribusi,
       bk.kartu_diterima::BIGINT AS kartu_diterima, bk.tanggal AS tanggal_kartu,
       greatest(br.tanggal, bd.tanggal, h.tanggal_harian) AS tanggal_laporan
FROM points p
LEFT JOIN tgt ON tgt.kode_kelurahan = p.kode_kelurahan AND tgt.as_of = p.as_of
LEFT JOIN base_rekam br ON br.kode_kelurahan = p.kode_kelurahan AND br.as_of = p.as_of
LEFT JOIN base_dist bd ON bd.kode_kelurahan = p.kode_kelurahan AND bd.as_of = p.as_of
LEFT JOIN base_kartu bk ON bk.kode_kelurahan = p.kode_kelurahan AND bk.as_of = p.as_of
LEFT JOIN harian h ON h.kode_kelurahan = p.kode_kelurahan AND h.as_of = p.as_of
"""


def figures_at_sql(points: str) -> str:
    """cumulative_sql's wajib_ktp, sudah_rekam and sudah_distribusi at each (kode_kelurahan, as_of) row of
    `points` (SQL text written by this package), for many points per kelurahan: an upload's touched days.

    One pass of window functions over each touched kelurahan's events in time order. Within a day the daily
    counts come first, then snapshots (by batch), target versions (by batch), and the points last, so a
    point sees everything of its day. A figure is the last snapshot plus the daily counts after the
    snapshot's day: the running sum minus the running sum at that snapshot. The work grows as n log n in
    the rows; cumulative_sql joins every point to every earlier daily row of its kelurahan, quadratic in
    the days per kelurahan (2.700 kelurahan × 365 days: 7,4 s there, 1,8 s here). tests/test_metrics.py
    checks both give the same figures.
    """
    mine = "kode_kelurahan IN (SELECT kode_kelurahan FROM touched)"
    return f"""
WITH points AS MATERIALIZED ({points}),
touched AS (SELECT DISTINCT kode_kelurahan FROM points),
events AS (
    SELECT kode_kelurahan, tanggal AS day, 0 AS kind, 0 AS b, rekam AS d_rekam, distribusi AS d_dist,
           NULL::INTEGER AS s_rekam, NULL::INTEGER AS s_dist, NULL::INTEGER AS wajib
    FROM active_daily_counts WHERE {mine}
    UNION ALL
    SELECT kode_kelurahan, tanggal, 1, batch_id, 0, 0, sudah_rekam, sudah_distribusi, NULL FROM active_rekap WHERE {mine}
    UNION ALL
    SELECT kode_kelurahan, berlaku_mulai, 2, batch_id, 0, 0, NULL, NULL, wajib_ktp FROM active_targets WHERE {mine}
    UNION ALL
    SELECT kode_kelurahan, as_of, 3, 0, 0, 0, NULL, NULL, NULL FROM points
),
running AS (
    SELECT kode_kelurahan, day, kind, b, s_rekam, s_dist,
           sum(d_rekam) OVER k AS c_rekam, sum(d_dist) OVER k AS c_dist,
           last_value(wajib IGNORE NULLS) OVER k AS wajib_in_force
    FROM events
    WINDOW k AS (PARTITION BY kode_kelurahan ORDER BY day, kind, b ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
),
figures AS (
    SELECT kode_kelurahan, day AS as_of, kind, coalesce(wajib_in_force, 0) AS wajib_ktp,
           coalesce(last_value(s_rekam IGNORE NULLS) OVER k, 0) + c_rekam
             - coalesce(last_value(CASE WHEN s_rekam IS NOT NULL THEN c_rekam END IGNORE NULLS) OVER k, 0)
             AS sudah_rekam,
           coalesce(last_value(s_dist IGNORE NULLS) OVER k, 0) + c_dist
             - coalesce(last_value(CASE WHEN s_dist IS NOT NULL THEN c_dist END IGNORE NULLS) OVER k, 0)
             AS sudah_distribusi
    FROM running
    WINDOW k AS (PARTITION BY kode_kelurahan ORDER BY day, kind, b ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
)
SELECT kode_kelurahan, as_of, wajib_ktp::BIGINT AS wajib_ktp, sudah_rekam::BIGINT AS sudah_rekam,
       sudah_distribusi::BIGINT AS sudah_distribusi
FROM figures WHERE kind = 3
"""


def day_end_figures_sql(touched: str) -> str:
    """figures_at_sql for an upload of daily counts, over kelurahan without snapshots (no active rekap row).

    `touched` (SQL text written by this package) is a relation of kode_kelurahan. The figures of each
    of them at the end of every day on which batch $batch (the newest batch: the upload, once its rows are
    in) has an active daily count, and, when $today is not NULL, as of $today (from the last event on or
    before it; none: no row). Without snapshots a figure is a plain running sum, so one window pass over
    the events suffices. Within a day target versions come first and daily counts by batch, so the day's
    last event is the new batch's count when it has one that day: the days need no join (a national
    upload of a million rows: 1,6 s with figures_at_sql, 0,3 s here). tests/test_metrics.py checks it
    against cumulative_sql.
    """
    mine = "kode_kelurahan IN (SELECT kode_kelurahan FROM touched)"
    return f"""
WITH touched AS MATERIALIZED ({touched}),
events AS (
    SELECT kode_kelurahan, berlaku_mulai AS day, 0 AS kind, batch_id AS b, 0 AS d_rekam, 0 AS d_dist,
           wajib_ktp AS wajib
    FROM active_targets WHERE {mine}
    UNION ALL
    SELECT kode_kelurahan, tanggal, 1, batch_id, rekam, distribusi, NULL FROM active_daily_counts WHERE {mine}
),
day_ends AS (
    SELECT kode_kelurahan, day, kind, b, sum(d_rekam) OVER k AS sudah_rekam, sum(d_dist) OVER k AS sudah_distribusi,
           coalesce(last_value(wajib IGNORE NULLS) OVER k, 0) AS wajib_ktp, lead(day) OVER k AS next_day
    FROM events
    WINDOW k AS (PARTITION BY kode_kelurahan ORDER BY day, kind, b ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
    QUALIFY next_day IS NULL OR next_day > day
)
SELECT kode_kelurahan, CASE WHEN kind = 1 AND b = $batch THEN day ELSE $today::DATE END AS as_of,
       wajib_ktp::BIGINT AS wajib_ktp, sudah_rekam::BIGINT AS sudah_rekam, sudah_distribusi::BIGINT AS sudah_distribusi
FROM day_ends
WHERE (kind = 1 AND b = $batch)
   OR (day <= $today::DATE AND (next_day IS NULL OR next_day > $today::DATE))
UNION ALL   -- a day of the batch that is also the last before $today: the figure as of both
SELECT kode_kelurahan, $today::DATE, wajib_ktp::BIGINT, sudah_rekam::BIGINT, sudah_distribusi::BIGINT
FROM day_ends
WHERE kind = 1 AND b = $batch AND day < $today::DATE AND (next_day IS NULL OR next_day > $today::DATE)
"""


def appended_counts_sql(sums: str) -> str:
    """The kelurahan of `sums` whose counts in batch $batch all come after their other counts and whose
    figures stay within bounds on every day from the batch's first, shown by sums alone, with their
    figures as of $today: kode_kelurahan, as_of, wajib_ktp, sudah_rekam, sudah_distribusi.

    `sums` (SQL text written by this package) is a relation of the batch's own daily counts per kelurahan
    without snapshots (as day_end_figures_sql's `touched`): kode_kelurahan, rekam and distribusi (their
    sums), first_day and last_day (their earliest and latest tanggal) and flat (no row distributes more
    than it records). A kelurahan is in when its other active daily counts (none: a first load) all fall
    before the batch's first day and distribute no more than they record in total, none of the batch's is
    after $today, flat holds, and all its recordings stay within its smallest target version above zero.
    Then on every day of the batch the cumulative cards stay within the cumulative recordings (the earlier
    total plus the batch's running sums, neither above zero in cards less recordings), and the recordings,
    which only grow, within every target. Such a kelurahan needs no pass over its history in time order:
    a first national load, and each later day appended, is checked by GROUP BYs instead of
    day_end_figures_sql's window (bench/README.md). Any other is left to day_end_figures_sql.
    tests/test_metrics.py checks the figures against cumulative_sql and that no day of a kelurahan in is
    out of bounds from the batch's first day on.
    """
    mine = "kode_kelurahan IN (SELECT kode_kelurahan FROM sums)"
    return f"""
WITH sums AS MATERIALIZED ({sums}),
others AS (
    SELECT kode_kelurahan, max(tanggal) AS last_day, sum(rekam) AS rekam, sum(distribusi) AS distribusi
    FROM active_daily_counts WHERE {mine} AND batch_id <> $batch
    GROUP BY kode_kelurahan
),
tgt AS (
    SELECT kode_kelurahan, min(wajib_ktp) FILTER (WHERE wajib_ktp > 0) AS least,
           arg_max(wajib_ktp, {{'day': berlaku_mulai, 'batch': batch_id}})
             FILTER (WHERE berlaku_mulai <= $today::DATE) AS in_force
    FROM active_targets WHERE {mine}
    GROUP BY kode_kelurahan
),
figures AS (
    SELECT s.kode_kelurahan, s.flat, s.last_day, o.last_day AS before_day, coalesce(o.rekam, 0) AS rekam_before,
           coalesce(o.distribusi, 0) AS distribusi_before, s.first_day, tgt.least, tgt.in_force,
           s.rekam + coalesce(o.rekam, 0) AS rekam, s.distribusi + coalesce(o.distribusi, 0) AS distribusi
    FROM sums s
    LEFT JOIN others o ON o.kode_kelurahan = s.kode_kelurahan
    LEFT JOIN tgt ON tgt.kode_kelurahan = s.kode_kelurahan
)
SELECT kode_kelurahan, $today::DATE AS as_of, coalesce(in_force, 0)::BIGINT AS wajib_ktp,
       rekam::BIGINT AS sudah_rekam, distribusi::BIGINT AS sudah_distribusi
FROM figures
WHERE flat AND last_day <= $today::DATE AND (least IS NULL OR rekam <= least)
  AND (before_day IS NULL OR (before_day < first_day AND distribusi_before <= rekam_before))
"""


# Every kelurahan of the list as of $as_of: the regions table itself (v_wilayah has the same kelurahan, but
# DuckDB still computes its three joins of 83.000 rows: 0,04 s of every whole-list query at national scale).
ALL_KELURAHAN_ON = "SELECT kode AS kode_kelurahan, $as_of::DATE AS as_of FROM regions WHERE tingkat = 'kelurahan'"


@dataclass(frozen=True)
class Summary:
    """Figures of one region as of a date. Percentages are floored to 2 decimals (None: no target).

    persen_rekam counts only kelurahan with a target in force; belum_rekam sums each kelurahan's
    max(wajib − rekam, 0). Both never overstate progress when data are incomplete.
    """

    kode: str
    nama: str
    tingkat: str
    as_of: dt.date
    wajib_ktp: int
    sudah_rekam: int
    belum_rekam: int
    persen_rekam: Decimal | None
    sudah_distribusi: int
    backlog_distribusi: int
    persen_distribusi: Decimal | None
    kelurahan: int
    kecamatan: int
    kelurahan_tanpa_target: int      # kelurahan with no wajib KTP in force: left out of persen_rekam
    target_berlaku_mulai: dt.date | None
    tanggal_laporan: dt.date | None
    kartu_diterima: int | None = None        # cards received from the centre, summed where reported
    kelurahan_kartu: int = 0                 # how many kelurahan ever reported it
    tanggal_kartu: dt.date | None = None     # the oldest of those reports (the total is as old as that)

    def as_dict(self) -> dict:
        # shallow: every field is a scalar (dataclasses.asdict deep-copies, a tenth of `summary --json`)
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _check_level(level: str) -> str:
    if level not in LEVELS:
        raise ValueError(f"tingkat tidak dikenal: {level!r}; pilih salah satu dari {', '.join(LEVELS)}")
    return level


WHOLE = "semua"   # the pseudo-level of the whole region list, when no one region holds all of it


@dataclass(frozen=True)
class Scope:
    """What the region list covers. `level`/`kode`/`nama`: the one region that holds every kelurahan (Kota
    Surakarta for the default list; a provinsi for a province's list) or WHOLE with kode '' for a list of
    several provinces. `levels`: the levels below it, top down, that the list has (drill-down order)."""

    level: str
    kode: str
    nama: str
    levels: tuple[str, ...]


# The extent of the region list: per level above kelurahan, the distinct regions, the kelurahan that have one,
# one of them; and all kelurahan. v_wilayah's rows, grouped by kecamatan before its joins (83.000 kelurahan:
# 0,03 s instead of 0,06; tests/test_metrics.py checks it against v_wilayah).
_SCOPE_SQL = """
WITH kel AS (SELECT induk, count(*) AS n FROM regions WHERE tingkat = 'kelurahan' GROUP BY induk),
w AS (SELECT kel.n, kec.kode AS kode_kecamatan, kec.nama AS kecamatan, kota.kode AS kode_kota,
             kota.nama AS kota, prov.kode AS kode_provinsi, prov.nama AS provinsi
      FROM kel LEFT JOIN regions kec ON kec.kode = kel.induk
      LEFT JOIN regions kota ON kota.kode = kec.induk
      LEFT JOIN regions prov ON prov.kode = kota.induk)
SELECT count(DISTINCT kode_provinsi), coalesce(sum(n) FILTER (WHERE kode_provinsi IS NOT NULL), 0),
       any_value(kode_provinsi), any_value(provinsi),
       count(DISTINCT kode_kota), coalesce(sum(n) FILTER (WHERE kode_kota IS NOT NULL), 0),
       any_value(kode_kota), any_value(kota),
       count(DISTINCT kode_kecamatan), coalesce(sum(n) FILTER (WHERE kode_kecamatan IS NOT NULL), 0),
       any_value(kode_kecamatan), any_value(kecamatan),
       coalesce(sum(n), 0)
FROM w
"""


def scope(db: Database) -> Scope:
    """The region list's extent and levels, from the regions table (one small aggregate query)."""
    row = db.fetch_row(_SCOPE_SQL)
    total = row[12]
    whole = (WHOLE, "", db.get_setting("nama_wilayah") or "Seluruh wilayah")
    below: list[str] = []
    for i, level in enumerate(("provinsi", "kota", "kecamatan")):
        distinct, filled, kode, nama = row[4 * i: 4 * i + 4]
        if filled == 0:
            continue                      # the list has no such level
        if distinct == 1 and filled == total and not below:
            whole = (level, str(kode), str(nama))   # still one region at this level: it is the whole
        else:
            below.append(level)
    return Scope(*whole, levels=(*below, "kelurahan"))


def summary_frame(db: Database, as_of: dt.date, level: str = "kota", kode: str | None = None,
                  within: tuple[str, str] | None = None) -> pd.DataFrame:
    """One row per region of `level` (only the region `kode` when given; only those inside the region
    `within` = (level, kode) when given), with integer counts (in SQL). Level WHOLE: one row, every kelurahan."""
    frame = db.fetch_df(*_summary_sql(db, as_of, level, kode, within))
    frame["rekam_bertarget"] = frame["rekam_bertarget"].fillna(0).astype("int64")
    frame["backlog_distribusi"] = frame["sudah_rekam"] - frame["sudah_distribusi"]
    return frame


def _summary_sql(db: Database, as_of: dt.date, level: str, kode: str | None,
                 within: tuple[str, str] | None, limit: int | None = None, offset: int = 0) -> tuple[str, dict]:
    if level == WHOLE:
        key, name = "''", "$nama"
    else:
        level = _check_level(level)
        key, name = f"kode_{level}", level
    parent, params = _within(within)
    params |= {"as_of": as_of, "kode": kode}
    if level == WHOLE:
        params["nama"] = db.get_setting("nama_wilayah") or "Seluruh wilayah"
    # `level` is checked against LEVELS above: it is an identifier, never user text in the SQL.
    sql = f"""
    WITH per_kelurahan AS (
        SELECT w.*, c.* EXCLUDE (kode_kelurahan, as_of)
        FROM v_wilayah w JOIN ({cumulative_sql(ALL_KELURAHAN_ON)}) c USING (kode_kelurahan)
    )
    SELECT {key} AS kode, {name} AS nama,
           sum(wajib_ktp)::BIGINT AS wajib_ktp,
           sum(sudah_rekam)::BIGINT AS sudah_rekam,
           -- coverage counts only kelurahan that have a target: recordings without a denominator must
           -- not lift the percentage (and residents still to record are never negative)
           sum(sudah_rekam) FILTER (WHERE wajib_ktp > 0)::BIGINT AS rekam_bertarget,
           sum(greatest(wajib_ktp - sudah_rekam, 0))::BIGINT AS belum_rekam,
           count(*) FILTER (WHERE wajib_ktp = 0)::BIGINT AS kelurahan_tanpa_target,
           sum(sudah_distribusi)::BIGINT AS sudah_distribusi,
           count(*)::BIGINT AS kelurahan,
           count(DISTINCT kode_kecamatan)::BIGINT AS kecamatan,
           -- the oldest target version in use: a mixed-version total is as old as its oldest part
           min(target_berlaku_mulai) AS target_berlaku_mulai,
           max(tanggal_laporan) AS tanggal_laporan,
           sum(kartu_diterima)::BIGINT AS kartu_diterima,
           count(kartu_diterima)::BIGINT AS kelurahan_kartu,
           min(tanggal_kartu) AS tanggal_kartu
    FROM per_kelurahan
    WHERE {key} IS NOT NULL AND ($kode::VARCHAR IS NULL OR {key} = $kode::VARCHAR) AND {parent}
    GROUP BY ALL
    ORDER BY kode
    {"LIMIT $limit OFFSET $offset" if limit is not None else ""}
    """
    if limit is not None:
        params |= {"limit": limit, "offset": offset}
    return sql, params


def _summary_rows(db: Database, as_of: dt.date, level: str, kode: str | None = None,
                  within: tuple[str, str] | None = None, limit: int | None = None, offset: int = 0) -> list[dict]:
    """summary_frame's rows as Python values (no pandas: `summary` on the command line starts without it)."""
    with db.cursor() as cur:
        cur.execute(*_summary_sql(db, as_of, level, kode, within, limit, offset))
        names = [c[0] for c in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]


def _to_summary(row: dict, level: str, as_of: dt.date) -> Summary:
    """A row of _summary_rows (dates as dt.date, NULL as None) as a Summary."""
    rekam, dist = int(row["sudah_rekam"]), int(row["sudah_distribusi"])
    return Summary(
        kode=str(row["kode"]), nama=str(row["nama"]), tingkat=level, as_of=as_of,
        wajib_ktp=int(row["wajib_ktp"]), sudah_rekam=rekam,
        belum_rekam=int(row["belum_rekam"]),
        persen_rekam=persen_floor(int(row["rekam_bertarget"] or 0), int(row["wajib_ktp"])),
        sudah_distribusi=dist, backlog_distribusi=rekam - dist,
        persen_distribusi=persen_floor(dist, rekam),
        kelurahan=int(row["kelurahan"]), kecamatan=int(row["kecamatan"]),
        kelurahan_tanpa_target=int(row["kelurahan_tanpa_target"]),
        target_berlaku_mulai=row["target_berlaku_mulai"], tanggal_laporan=row["tanggal_laporan"],
        kartu_diterima=None if row["kartu_diterima"] is None else int(row["kartu_diterima"]),
        kelurahan_kartu=int(row["kelurahan_kartu"]), tanggal_kartu=row["tanggal_kartu"],
    )


def lowest(rows: list[Summary], n: int) -> list[Summary]:
    """The n regions with the lowest coverage (those without a target last): who lags, for a chart."""
    return sorted(rows, key=lambda s: (s.persen_rekam is None, s.persen_rekam or 0))[:n]


def summaries(db: Database, as_of: dt.date, level: str = "kota",
              within: tuple[str, str] | None = None) -> list[Summary]:
    return [_to_summary(r, level, as_of) for r in _summary_rows(db, as_of, level, within=within)]


def summaries_page(db: Database, as_of: dt.date, level: str, within: tuple[str, str] | None,
                   limit: int, offset: int) -> tuple[list[Summary], int]:
    """One page of `summaries` (by kode; LIMIT/OFFSET in SQL) and how many regions there are in all."""
    where, params = _within(within)
    total = db.fetch_value(f"SELECT count(DISTINCT kode_{_check_level(level)}) FROM v_wilayah WHERE {where}", params)
    rows = _summary_rows(db, as_of, level, within=within, limit=limit, offset=offset)
    return [_to_summary(r, level, as_of) for r in rows], int(total)


def region_of(db: Database, kode: str) -> tuple[str, str] | None:
    """(tingkat, nama) of a region code of the list, or None for a code it does not have."""
    row = db.fetch_one("SELECT tingkat, nama FROM regions WHERE kode = ?", [kode])
    return (str(row[0]), str(row[1])) if row else None


def region_summary(db: Database, as_of: dt.date, level: str, kode: str) -> Summary | None:
    """One region's figures (filtered in SQL), or None for an unknown code."""
    rows = _summary_rows(db, as_of, level, kode)
    return _to_summary(rows[0], level, as_of) if rows else None


def city_summary(db: Database, as_of: dt.date, whole: Scope | None = None) -> Summary | None:
    """The whole region list as one figure: the kota for the default list (a provinsi for a province's
    list, WHOLE for a national one; see scope). None when there are no regions."""
    whole = whole or scope(db)
    if whole.level == WHOLE:
        rows = summaries(db, as_of, WHOLE)
        return rows[0] if rows else None
    return region_summary(db, as_of, whole.level, whole.kode)


def _region_filter(level: str, kode: str | None) -> str:
    """A WHERE clause on v_wilayah (alias w) for one region of `level`; kode comes in as $kode."""
    if kode is None or level == WHOLE:
        return "TRUE"
    return f"w.kode_{_check_level(level)} = $kode"


def region_series(db: Database, start: dt.date, end: dt.date, level: str = "kota",
                  kode: str | None = None) -> pd.DataFrame:
    """One region (or the whole list when kode is None) day by day from start to end (inclusive), in SQL.

    Columns: tanggal, wajib_ktp, sudah_rekam, rekam_bertarget, sudah_distribusi, target_berlaku_mulai
    (the oldest version in use that day). Coverage on a day uses the target version in force that day.
    """
    params: dict[str, object] = {"start": start, "end": end}
    if kode is not None and level != WHOLE:
        params["kode"] = kode
        region = f"SELECT w.kode_kelurahan FROM v_wilayah w WHERE {_region_filter(level, kode)}"
    else:   # every kelurahan: the regions table itself (v_wilayah's joins would be computed for nothing)
        region = "SELECT kode AS kode_kelurahan FROM regions WHERE tingkat = 'kelurahan'"
    return db.fetch_df(series_sql(region), params)


def series_sql(region: str) -> str:
    """SQL of region_series ($start, $end) for the kelurahan of `region`: SQL text (written by this
    package) of a relation of kode_kelurahan.

    Each day's change of the region's figures is summed per day (changes up to `start` on `start`) and
    accumulated; the work grows with the data, not with kelurahan × days. The region's daily counts are
    read once.
    - A *plain* kelurahan has no snapshot, and a target version above zero on every day it has a count
      (every daily national load): its figures are running sums, so its changes are its daily counts
      (the day's counts of the region less the other kelurahan's) and its target versions' differences,
      with no pass per kelurahan.
    - Any other kelurahan's figures change only on the days it has data (a daily count, a snapshot, a target
      version); they come from one pass of window functions over its timeline: a snapshot starts a group,
      and the figure is the group's snapshot plus the daily counts after it (the definition of
      cumulative_sql, without joining every point to every earlier row).
    The oldest target version in use on a day is a min, not a sum: it is taken over the intervals in which
    each kelurahan's version holds (from one version to its next), which depend on the target versions only.
    tests/test_metrics.py checks this against the plain definition (every kelurahan on every day).
    """
    mine = "kode_kelurahan IN (SELECT kode_kelurahan FROM region)"
    return f"""
WITH region AS MATERIALIZED ({region}),
counts AS MATERIALIZED (
    SELECT kode_kelurahan, tanggal, rekam, distribusi FROM active_daily_counts WHERE {mine} AND tanggal <= $end::DATE
),
snap AS (
    SELECT kode_kelurahan, tanggal AS day,
           arg_max(sudah_rekam, batch_id) FILTER (WHERE sudah_rekam IS NOT NULL) AS snap_rekam,
           arg_max(sudah_distribusi, batch_id) FILTER (WHERE sudah_distribusi IS NOT NULL) AS snap_dist
    FROM active_rekap WHERE {mine} AND tanggal <= $end::DATE
    GROUP BY kode_kelurahan, tanggal
),
tgt AS (
    SELECT kode_kelurahan, berlaku_mulai AS day, arg_max(wajib_ktp, batch_id) AS wajib
    FROM active_targets WHERE {mine} AND berlaku_mulai <= $end::DATE
    GROUP BY kode_kelurahan, berlaku_mulai
),
first_target AS (
    SELECT kode_kelurahan, min(day) AS first_day, bool_and(wajib > 0) AS positive FROM tgt GROUP BY kode_kelurahan
),
other AS MATERIALIZED (   -- not plain: a snapshot, or a count on a day without a target above zero
    SELECT kode_kelurahan FROM snap
    UNION
    SELECT c.kode_kelurahan FROM counts c LEFT JOIN first_target f ON f.kode_kelurahan = c.kode_kelurahan
    WHERE f.first_day IS NULL OR NOT f.positive OR c.tanggal < f.first_day
),
daily AS (
    SELECT kode_kelurahan, tanggal AS day, sum(rekam) AS d_rekam, sum(distribusi) AS d_dist
    FROM counts WHERE kode_kelurahan IN (SELECT kode_kelurahan FROM other)
    GROUP BY kode_kelurahan, tanggal
),
plain_changes AS (
    SELECT tanggal AS as_of, 0 AS wajib_ktp, sum(rekam) AS sudah_rekam, sum(rekam) AS rekam_bertarget,
           sum(distribusi) AS sudah_distribusi
    FROM counts GROUP BY tanggal
    UNION ALL
    SELECT day, 0, -d_rekam, -d_rekam, -d_dist FROM daily
    UNION ALL
    SELECT day, wajib - coalesce(lag(wajib) OVER (PARTITION BY kode_kelurahan ORDER BY day), 0), 0, 0, 0
    FROM tgt WHERE kode_kelurahan NOT IN (SELECT kode_kelurahan FROM other)
),
timeline AS (
    SELECT * FROM snap
    FULL OUTER JOIN daily USING (kode_kelurahan, day)
    FULL OUTER JOIN (SELECT * FROM tgt WHERE kode_kelurahan IN (SELECT kode_kelurahan FROM other)) t
      USING (kode_kelurahan, day)
),
grouped AS (
    SELECT *,
           count(snap_rekam) OVER k AS g_rekam, count(snap_dist) OVER k AS g_dist,
           last_value(wajib IGNORE NULLS) OVER k AS wajib_in_force
    FROM timeline
    WINDOW k AS (PARTITION BY kode_kelurahan ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
),
cumulative AS (
    SELECT kode_kelurahan, day AS as_of, coalesce(wajib_in_force, 0) AS wajib_ktp,
           coalesce(max(snap_rekam) OVER (PARTITION BY kode_kelurahan, g_rekam), 0)
             + sum(CASE WHEN snap_rekam IS NULL THEN coalesce(d_rekam, 0) ELSE 0 END) OVER (
                   PARTITION BY kode_kelurahan, g_rekam ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
             AS sudah_rekam,
           coalesce(max(snap_dist) OVER (PARTITION BY kode_kelurahan, g_dist), 0)
             + sum(CASE WHEN snap_dist IS NULL THEN coalesce(d_dist, 0) ELSE 0 END) OVER (
                   PARTITION BY kode_kelurahan, g_dist ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
             AS sudah_distribusi
    FROM grouped
),
figures AS (
    SELECT kode_kelurahan, as_of, wajib_ktp, sudah_rekam, sudah_distribusi,
           CASE WHEN wajib_ktp > 0 THEN sudah_rekam ELSE 0 END AS rekam_bertarget
    FROM cumulative
),
deltas AS (
    SELECT as_of,
           wajib_ktp - coalesce(lag(wajib_ktp) OVER k, 0) AS wajib_ktp,
           sudah_rekam - coalesce(lag(sudah_rekam) OVER k, 0) AS sudah_rekam,
           rekam_bertarget - coalesce(lag(rekam_bertarget) OVER k, 0) AS rekam_bertarget,
           sudah_distribusi - coalesce(lag(sudah_distribusi) OVER k, 0) AS sudah_distribusi
    FROM figures
    WINDOW k AS (PARTITION BY kode_kelurahan ORDER BY as_of)
),
changes AS (   -- everything up to `start` counts on `start`
    SELECT greatest(as_of, $start::DATE) AS as_of, sum(wajib_ktp) AS wajib_ktp, sum(sudah_rekam) AS sudah_rekam,
           sum(rekam_bertarget) AS rekam_bertarget, sum(sudah_distribusi) AS sudah_distribusi
    FROM (SELECT * FROM deltas UNION ALL SELECT * FROM plain_changes) GROUP BY 1
),
days AS (
    SELECT d.day::DATE AS tanggal FROM generate_series($start::DATE, $end::DATE, INTERVAL 1 DAY) AS d(day)
    WHERE EXISTS (SELECT 1 FROM region)
),
spans AS (   -- each kelurahan's target versions as day intervals [dari, sampai); sampai NULL: still holds
    SELECT day AS b, day AS dari, lead(day) OVER (PARTITION BY kode_kelurahan ORDER BY day) AS sampai FROM tgt
),
flips AS (   -- per version date b: how many kelurahan start (+) and stop (−) holding it on a day
    SELECT b, day, sum(n) AS n FROM (
        SELECT b, dari AS day, 1 AS n FROM spans
        UNION ALL SELECT b, sampai, -1 FROM spans WHERE sampai IS NOT NULL)
    GROUP BY b, day
),
holding AS (   -- on each day and version date: in force in how many kelurahan (a day's flips come first)
    SELECT tanggal, b, kind, sum(n) OVER (PARTITION BY b ORDER BY tanggal, kind
                                          ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS n
    FROM (SELECT day AS tanggal, b, n, 0 AS kind FROM flips
          UNION ALL
          SELECT d.tanggal, v.b, 0, 1 FROM days d CROSS JOIN (SELECT DISTINCT b FROM spans) v)
),
versions AS (   -- the oldest version in force anywhere in the region: grows with version dates × days,
                -- not with kelurahan × days
    SELECT tanggal, min(b) AS target_berlaku_mulai FROM holding WHERE kind = 1 AND n > 0 GROUP BY tanggal
)
SELECT d.tanggal,
       (sum(coalesce(c.wajib_ktp, 0)) OVER w)::BIGINT AS wajib_ktp,
       (sum(coalesce(c.sudah_rekam, 0)) OVER w)::BIGINT AS sudah_rekam,
       (sum(coalesce(c.rekam_bertarget, 0)) OVER w)::BIGINT AS rekam_bertarget,
       (sum(coalesce(c.sudah_distribusi, 0)) OVER w)::BIGINT AS sudah_distribusi,
       v.target_berlaku_mulai
FROM days d LEFT JOIN changes c ON c.as_of = d.tanggal LEFT JOIN versions v USING (tanggal)
WINDOW w AS (ORDER BY d.tanggal ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
ORDER BY d.tanggal
"""


def city_series(db: Database, start: dt.date, end: dt.date) -> pd.DataFrame:
    """The whole region list day by day (see region_series)."""
    return region_series(db, start, end)


def daily_by_lokasi(db: Database, start: dt.date, end: dt.date, level: str = "kota",
                    kode: str | None = None) -> pd.DataFrame:
    """Recordings per day and service location (active, not superseded): tanggal, lokasi, rekam.

    With `kode`, only the kelurahan of that region of `level`."""
    params: dict[str, object] = {"start": start, "end": end}
    if kode is not None and level != WHOLE:
        params["kode"] = kode
    return db.fetch_df(f"""
        SELECT d.tanggal, d.lokasi, sum(d.rekam)::BIGINT AS rekam
        FROM active_daily_counts d JOIN v_wilayah w USING (kode_kelurahan)
        WHERE d.tanggal BETWEEN $start AND $end AND {_region_filter(level, kode)}
        GROUP BY ALL HAVING sum(d.rekam) > 0 ORDER BY d.tanggal, d.lokasi""", params)


def _within(within: tuple[str, str] | None) -> tuple[str, dict[str, object]]:
    """A WHERE clause on v_wilayah for "inside the region (level, kode)" and its parameter ($parent)."""
    if within is None or within[0] == WHOLE:
        return "TRUE", {}
    return f"kode_{_check_level(within[0])} = $parent", {"parent": within[1]}


def region_names(db: Database, level: str, within: tuple[str, str] | None = None) -> pd.DataFrame:
    """The regions of `level` (kode, nama), inside `within` = (level, kode) when given, by name."""
    level = _check_level(level)
    where, params = _within(within)
    return db.fetch_df(f"""SELECT DISTINCT kode_{level} AS kode, {level} AS nama FROM v_wilayah
                           WHERE kode_{level} IS NOT NULL AND {where} ORDER BY nama, kode""", params)


def kecamatan_of(db: Database, within: tuple[str, str] | None = None) -> pd.DataFrame:
    """Each kelurahan's kecamatan (kode, kode_kecamatan), inside `within` = (level, kode) when given."""
    where, params = _within(within)
    return db.fetch_df(f"SELECT kode_kelurahan AS kode, kode_kecamatan FROM v_wilayah WHERE {where}", params)


# A map draws at most this many kelurahan (a city's or a kabupaten's worth), and only those with boundaries.
MAP_MAX_KELURAHAN = 3000


def map_region(db: Database, level: str, kode: str | None, kode_kecamatan: str | None,
               boundaries: frozenset[str]) -> tuple[str, str | None] | None:
    """The region whose kelurahan a map of this view draws, or None when there is none to draw: the whole
    list when it is small (Solo: the city, focused on the chosen kecamatan), else the chosen region (a
    kelurahan: its kecamatan) when small enough; only when some of its kelurahan have a boundary."""
    if kelurahan_count(db, WHOLE, None) <= MAP_MAX_KELURAHAN:
        level, kode = WHOLE, None
    elif level == "kelurahan":
        level, kode = "kecamatan", kode_kecamatan
    if kelurahan_count(db, level, kode) > MAP_MAX_KELURAHAN or not boundaries:
        return None
    params = {"codes": sorted(boundaries)} | ({} if kode is None or level == WHOLE else {"kode": kode})
    found = db.fetch_value(f"""SELECT count(*) FROM v_wilayah w
                               WHERE {_region_filter(level, kode)} AND w.kode_kelurahan IN (SELECT unnest($codes))""",
                           params)
    return (level, kode) if found else None


def kelurahan_count(db: Database, level: str, kode: str | None) -> int:
    """How many kelurahan a region has (the whole list for WHOLE or kode None)."""
    if kode is None or level == WHOLE:   # the regions table itself: v_wilayah's joins would count the same rows
        return int(db.fetch_value("SELECT count(*) FROM regions WHERE tingkat = 'kelurahan'"))
    return int(db.fetch_value(f"SELECT count(*) FROM v_wilayah w WHERE {_region_filter(level, kode)}",
                              {"kode": kode}))


def kelurahan_frame(db: Database, as_of: dt.date, kode_kecamatan: str | None = None, *,
                    level: str | None = None, kode: str | None = None, limit: int | None = None,
                    offset: int = 0, order: str = "persen") -> pd.DataFrame:
    """Every kelurahan (or those of one kecamatan) as of a day, for the ranking, the map and downloads.

    Columns: kode, kelurahan, kode_kecamatan, kecamatan, wajib_ktp, sudah_rekam, belum_rekam, persen_rekam
    (floored to 2 decimals with integer arithmetic; NaN without a target), sudah_distribusi,
    backlog_distribusi, kartu_diterima, tanggal_kartu, tanggal_laporan, safari_mulai (the first safari
    visit that had started by the day; NaT: not yet served), safari_berikut (the next visit after it).
    Ordered by persen_rekam, lowest first (who lags comes first). `level`/`kode`: only the kelurahan of
    that region; `limit`/`offset`: one page of the ranking (the figures are still computed in SQL only
    for the region's kelurahan). order "backlog": most cards to hand over first. Every row also carries
    backlog_total, the region's backlog with each kelurahan counted at 0 or more (for shares of a page).
    """
    order_by = {"persen": "persen_rekam NULLS FIRST, belum_rekam DESC, kode",
                "backlog": "backlog_distribusi DESC, kode"}[order]
    params: dict[str, object] = {"as_of": as_of}
    if kode_kecamatan is not None:
        level, kode = "kecamatan", kode_kecamatan
    where = _region_filter(level or WHOLE, kode)
    if where != "TRUE":
        params["kode"] = kode
    page = ""
    if limit is not None:
        page, params["limit"], params["offset"] = "LIMIT $limit OFFSET $offset", limit, offset
    points = f"SELECT w.kode_kelurahan, $as_of::DATE AS as_of FROM v_wilayah w WHERE {where}"
    return db.fetch_df(f"""
        WITH jadwal AS (
            SELECT kode_kelurahan,
                   min(tanggal_mulai) FILTER (WHERE tanggal_mulai <= $as_of::DATE) AS safari_mulai,
                   min(tanggal_mulai) FILTER (WHERE tanggal_mulai > $as_of::DATE) AS safari_berikut
            FROM active_jadwal_keliling GROUP BY kode_kelurahan
        )
        SELECT w.kode_kelurahan AS kode, w.kelurahan, w.kode_kecamatan, w.kecamatan,
               c.wajib_ktp, c.sudah_rekam, greatest(c.wajib_ktp - c.sudah_rekam, 0)::BIGINT AS belum_rekam,
               CASE WHEN c.wajib_ktp > 0 THEN (c.sudah_rekam * 10000 // c.wajib_ktp) / 100 END AS persen_rekam,
               c.sudah_distribusi, (c.sudah_rekam - c.sudah_distribusi)::BIGINT AS backlog_distribusi,
               c.kartu_diterima, c.tanggal_kartu, c.tanggal_laporan, j.safari_mulai, j.safari_berikut,
               sum(greatest(c.sudah_rekam - c.sudah_distribusi, 0)) OVER ()::BIGINT AS backlog_total
        FROM v_wilayah w
        JOIN ({cumulative_sql(points)}) c USING (kode_kelurahan)
        LEFT JOIN jadwal j USING (kode_kelurahan)
        ORDER BY {order_by}
        {page}""", params)


# The dates of all data that count: active daily counts and cumulative snapshots (upload.py reads it too).
ACTIVE_DATES = "SELECT tanggal FROM active_daily_counts UNION ALL SELECT tanggal FROM active_rekap"


def latest_data_date(db: Database) -> dt.date | None:
    """The latest date of any active daily count or cumulative snapshot."""
    row = db.fetch_one(f"SELECT max(tanggal) FROM ({ACTIVE_DATES})")
    return row[0] if row and row[0] is not None else None


def first_data_date(db: Database) -> dt.date | None:
    """The earliest date of any active daily count or cumulative snapshot."""
    row = db.fetch_one(f"SELECT min(tanggal) FROM ({ACTIVE_DATES})")
    return row[0] if row and row[0] is not None else None


def reference_day(db: Database) -> dt.date | None:
    """The app's 'today': EKTP_TODAY if set, else the latest data date; None for a database without data.

    Days left, 'last 7 days' and every as-of default count from this day, never from the computer's clock.
    """
    override = settings.today_override()
    if override is not None:
        return override
    return latest_data_date(db)


def days_left(reference: dt.date, deadline: dt.date | None = None) -> int:
    """Calendar days from the reference day to the deadline (0 on the deadline itself, negative after)."""
    return ((deadline or settings.deadline()) - reference).days


def pace_needed(remaining: int, days: int) -> int | None:
    """Whole units a day needed to clear `remaining` in `days` days (rounded up); None when no days are left."""
    if days <= 0:
        return None
    return max(-(-remaining // days), 0)


def safari_schedule(db: Database, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Safari visits that overlap [start, end] (active schedule rows), in date order.

    Columns: tanggal_mulai, tanggal_selesai, kode_kelurahan, kelurahan, kecamatan, tempat, jam_mulai,
    jam_selesai, alat.
    """
    return db.fetch_df("""
        SELECT j.tanggal_mulai, j.tanggal_selesai, j.kode_kelurahan, w.kelurahan, w.kecamatan, j.tempat,
               j.jam_mulai, j.jam_selesai, j.alat
        FROM active_jadwal_keliling j JOIN v_wilayah w USING (kode_kelurahan)
        WHERE j.tanggal_selesai >= $start AND j.tanggal_mulai <= $end
        ORDER BY j.tanggal_mulai, w.kelurahan""", {"start": start, "end": end})
