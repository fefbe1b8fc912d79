"""Coverage figures for any date and level, computed in SQL.

Cumulative recorded for a kelurahan as of date D = its latest rekap (cumulative snapshot) on or before D,
plus the daily rekam after that rekap up to D. The same for distribusi, each measure taking its own
latest snapshot that states it. wajib KTP is the target version in force on D.
Only rows of active batches that no correction has superseded count.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from decimal import Decimal

import pandas as pd

from ektp_metrics import settings
from ektp_metrics.db import Database
from ektp_metrics.formatting import persen_floor

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
aktif AS (SELECT id FROM batches WHERE status = 'aktif'),
tgt AS (
    SELECT p.kode_kelurahan, p.as_of, t.wajib_ktp, t.berlaku_mulai
    FROM points p JOIN targets t ON t.kode_kelurahan = p.kode_kelurahan AND t.berlaku_mulai <= p.as_of
    WHERE t.batch_id IN (SELECT id FROM aktif) AND t.superseded_by IS NULL
    QUALIFY row_number() OVER (PARTITION BY p.kode_kelurahan, p.as_of
                               ORDER BY t.berlaku_mulai DESC, t.batch_id DESC) = 1
),
base_rekam AS (
    SELECT p.kode_kelurahan, p.as_of, r.tanggal, r.sudah_rekam
    FROM points p JOIN rekap r ON r.kode_kelurahan = p.kode_kelurahan AND r.tanggal <= p.as_of
    WHERE r.batch_id IN (SELECT id FROM aktif) AND r.superseded_by IS NULL AND r.sudah_rekam IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY p.kode_kelurahan, p.as_of ORDER BY r.tanggal DESC, r.batch_id DESC) = 1
),
base_dist AS (
    SELECT p.kode_kelurahan, p.as_of, r.tanggal, r.sudah_distribusi
    FROM points p JOIN rekap r ON r.kode_kelurahan = p.kode_kelurahan AND r.tanggal <= p.as_of
    WHERE r.batch_id IN (SELECT id FROM aktif) AND r.superseded_by IS NULL AND r.sudah_distribusi IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY p.kode_kelurahan, p.as_of ORDER BY r.tanggal DESC, r.batch_id DESC) = 1
),
base_kartu AS (
    SELECT p.kode_kelurahan, p.as_of, r.tanggal, r.kartu_diterima
    FROM points p JOIN rekap r ON r.kode_kelurahan = p.kode_kelurahan AND r.tanggal <= p.as_of
    WHERE r.batch_id IN (SELECT id FROM aktif) AND r.superseded_by IS NULL AND r.kartu_diterima IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY p.kode_kelurahan, p.as_of ORDER BY r.tanggal DESC, r.batch_id DESC) = 1
),
harian AS (
    SELECT p.kode_kelurahan, p.as_of,
           sum(CASE WHEN br.tanggal IS NULL OR d.tanggal > br.tanggal THEN d.rekam ELSE 0 END) AS rekam,
           sum(CASE WHEN bd.tanggal IS NULL OR d.tanggal > bd.tanggal THEN d.distribusi ELSE 0 END) AS distribusi,
           max(d.tanggal) AS tanggal_harian
    FROM (SELECT DISTINCT kode_kelurahan, as_of FROM points) p   -- a point given twice is summed once
    JOIN daily_counts d ON d.kode_kelurahan = p.kode_kelurahan AND d.tanggal <= p.as_of
    LEFT JOIN base_rekam br ON br.kode_kelurahan = p.kode_kelurahan AND br.as_of = p.as_of
    LEFT JOIN base_dist bd ON bd.kode_kelurahan = p.kode_kelurahan AND bd.as_of = p.as_of
    WHERE d.batch_id IN (SELECT id FROM aktif) AND d.superseded_by IS NULL
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


_ALL_KELURAHAN_ON = "SELECT kode_kelurahan, $as_of::DATE AS as_of FROM v_wilayah"


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
        return asdict(self)


def _check_level(level: str) -> str:
    if level not in LEVELS:
        raise ValueError(f"tingkat tidak dikenal: {level!r}; pilih salah satu dari {', '.join(LEVELS)}")
    return level


def summary_frame(db: Database, as_of: dt.date, level: str = "kota", kode: str | None = None) -> pd.DataFrame:
    """One row per region of `level` (only the region `kode` when given), with integer counts (in SQL)."""
    level = _check_level(level)
    # `level` is checked against LEVELS above: it is an identifier, never user text in the SQL.
    sql = f"""
    WITH per_kelurahan AS (
        SELECT w.*, c.* EXCLUDE (kode_kelurahan, as_of)
        FROM v_wilayah w JOIN ({cumulative_sql(_ALL_KELURAHAN_ON)}) c USING (kode_kelurahan)
    )
    SELECT kode_{level} AS kode, {level} AS nama,
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
    WHERE kode_{level} IS NOT NULL AND ($kode::VARCHAR IS NULL OR kode_{level} = $kode::VARCHAR)
    GROUP BY ALL
    ORDER BY kode
    """
    frame = db.fetch_df(sql, {"as_of": as_of, "kode": kode})
    frame["rekam_bertarget"] = frame["rekam_bertarget"].fillna(0).astype("int64")
    frame["backlog_distribusi"] = frame["sudah_rekam"] - frame["sudah_distribusi"]
    return frame


def _to_summary(row: dict, level: str, as_of: dt.date) -> Summary:
    def d(value: object) -> dt.date | None:
        return None if value is None or pd.isna(value) else pd.Timestamp(value).date()  # type: ignore[arg-type]

    return Summary(
        kode=str(row["kode"]), nama=str(row["nama"]), tingkat=level, as_of=as_of,
        wajib_ktp=int(row["wajib_ktp"]), sudah_rekam=int(row["sudah_rekam"]),
        belum_rekam=int(row["belum_rekam"]),
        persen_rekam=persen_floor(int(row["rekam_bertarget"]), int(row["wajib_ktp"])),
        sudah_distribusi=int(row["sudah_distribusi"]), backlog_distribusi=int(row["backlog_distribusi"]),
        persen_distribusi=persen_floor(int(row["sudah_distribusi"]), int(row["sudah_rekam"])),
        kelurahan=int(row["kelurahan"]), kecamatan=int(row["kecamatan"]),
        kelurahan_tanpa_target=int(row["kelurahan_tanpa_target"]),
        target_berlaku_mulai=d(row["target_berlaku_mulai"]), tanggal_laporan=d(row["tanggal_laporan"]),
        kartu_diterima=None if pd.isna(row["kartu_diterima"]) else int(row["kartu_diterima"]),
        kelurahan_kartu=int(row["kelurahan_kartu"]), tanggal_kartu=d(row["tanggal_kartu"]),
    )


def summaries(db: Database, as_of: dt.date, level: str = "kota") -> list[Summary]:
    frame = summary_frame(db, as_of, level)
    return [_to_summary(r, level, as_of) for r in frame.to_dict("records")]


def region_summary(db: Database, as_of: dt.date, level: str, kode: str) -> Summary | None:
    """One region's figures (filtered in SQL), or None for an unknown code."""
    rows = summary_frame(db, as_of, level, kode).to_dict("records")
    return _to_summary(rows[0], level, as_of) if rows else None


def city_summary(db: Database, as_of: dt.date) -> Summary | None:
    """The whole region list as one figure (the kota; for a multi-kota list, use summaries(level='kota'))."""
    rows = summaries(db, as_of, "kota")
    return rows[0] if len(rows) == 1 else None


def _region_filter(level: str, kode: str | None) -> str:
    """A WHERE clause on v_wilayah (alias w) for one region of `level`; kode comes in as $kode."""
    level = _check_level(level)
    return "TRUE" if kode is None else f"w.kode_{level} = $kode"


def region_series(db: Database, start: dt.date, end: dt.date, level: str = "kota",
                  kode: str | None = None) -> pd.DataFrame:
    """One region (or the whole list when kode is None) day by day from start to end (inclusive), in SQL.

    Columns: tanggal, wajib_ktp, sudah_rekam, rekam_bertarget, sudah_distribusi, target_berlaku_mulai
    (the oldest version in use that day). Coverage on a day uses the target version in force that day.
    """
    points = f"""SELECT w.kode_kelurahan, d.as_of::DATE AS as_of
                 FROM v_wilayah w, generate_series($start::DATE, $end::DATE, INTERVAL 1 DAY) AS d(as_of)
                 WHERE {_region_filter(level, kode)}"""
    params: dict[str, object] = {"start": start, "end": end}
    if kode is not None:
        params["kode"] = kode
    return db.fetch_df(f"""
        SELECT as_of AS tanggal, sum(wajib_ktp)::BIGINT AS wajib_ktp, sum(sudah_rekam)::BIGINT AS sudah_rekam,
               coalesce(sum(sudah_rekam) FILTER (WHERE wajib_ktp > 0), 0)::BIGINT AS rekam_bertarget,
               sum(sudah_distribusi)::BIGINT AS sudah_distribusi, min(target_berlaku_mulai) AS target_berlaku_mulai
        FROM ({cumulative_sql(points)})
        GROUP BY as_of ORDER BY as_of""", params)


def city_series(db: Database, start: dt.date, end: dt.date) -> pd.DataFrame:
    """The whole region list day by day (see region_series)."""
    return region_series(db, start, end)


def daily_by_lokasi(db: Database, start: dt.date, end: dt.date, level: str = "kota",
                    kode: str | None = None) -> pd.DataFrame:
    """Recordings per day and service location (active, not superseded): tanggal, lokasi, rekam.

    With `kode`, only the kelurahan of that region of `level`."""
    params: dict[str, object] = {"start": start, "end": end}
    if kode is not None:
        params["kode"] = kode
    return db.fetch_df(f"""
        SELECT d.tanggal, d.lokasi, sum(d.rekam)::BIGINT AS rekam
        FROM daily_counts d JOIN v_wilayah w USING (kode_kelurahan)
        WHERE d.superseded_by IS NULL AND d.batch_id IN (SELECT id FROM batches WHERE status = 'aktif')
          AND d.tanggal BETWEEN $start AND $end AND {_region_filter(level, kode)}
        GROUP BY ALL HAVING sum(d.rekam) > 0 ORDER BY d.tanggal, d.lokasi""", params)


# The schedule rows that count: active batches, not superseded.
ACTIVE_JADWAL = """
    SELECT * FROM jadwal_keliling WHERE superseded_by IS NULL
        AND batch_id IN (SELECT id FROM batches WHERE status = 'aktif')
"""


def kelurahan_frame(db: Database, as_of: dt.date, kode_kecamatan: str | None = None) -> pd.DataFrame:
    """Every kelurahan (or those of one kecamatan) as of a day, for the ranking, the map and downloads.

    Columns: kode, kelurahan, kode_kecamatan, kecamatan, wajib_ktp, sudah_rekam, belum_rekam, persen_rekam
    (floored to 2 decimals with integer arithmetic; NaN without a target), sudah_distribusi,
    backlog_distribusi, kartu_diterima, tanggal_kartu, tanggal_laporan, safari_mulai (the first safari
    visit that had started by the day; NaT: not yet served), safari_berikut (the next visit after it).
    Ordered by persen_rekam, lowest first (who lags comes first).
    """
    where = "TRUE" if kode_kecamatan is None else "w.kode_kecamatan = $kec"
    params: dict[str, object] = {"as_of": as_of}
    if kode_kecamatan is not None:
        params["kec"] = kode_kecamatan
    return db.fetch_df(f"""
        WITH jadwal AS (
            SELECT kode_kelurahan,
                   min(tanggal_mulai) FILTER (WHERE tanggal_mulai <= $as_of::DATE) AS safari_mulai,
                   min(tanggal_mulai) FILTER (WHERE tanggal_mulai > $as_of::DATE) AS safari_berikut
            FROM ({ACTIVE_JADWAL}) GROUP BY kode_kelurahan
        )
        SELECT w.kode_kelurahan AS kode, w.kelurahan, w.kode_kecamatan, w.kecamatan,
               c.wajib_ktp, c.sudah_rekam, greatest(c.wajib_ktp - c.sudah_rekam, 0)::BIGINT AS belum_rekam,
               CASE WHEN c.wajib_ktp > 0 THEN (c.sudah_rekam * 10000 // c.wajib_ktp) / 100 END AS persen_rekam,
               c.sudah_distribusi, (c.sudah_rekam - c.sudah_distribusi)::BIGINT AS backlog_distribusi,
               c.kartu_diterima, c.tanggal_kartu, c.tanggal_laporan, j.safari_mulai, j.safari_berikut
        FROM v_wilayah w
        JOIN ({cumulative_sql(_ALL_KELURAHAN_ON)}) c USING (kode_kelurahan)
        LEFT JOIN jadwal j USING (kode_kelurahan)
        WHERE {where}
        ORDER BY persen_rekam NULLS FIRST, belum_rekam DESC, kode""", params)


# The dates of all data that count: active daily counts and cumulative snapshots.
ACTIVE_DATES = """
    SELECT tanggal FROM daily_counts WHERE superseded_by IS NULL
        AND batch_id IN (SELECT id FROM batches WHERE status = 'aktif')
    UNION ALL
    SELECT tanggal FROM rekap WHERE superseded_by IS NULL
        AND batch_id IN (SELECT id FROM batches WHERE status = 'aktif')
"""


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
    return db.fetch_df(f"""
        SELECT j.tanggal_mulai, j.tanggal_selesai, j.kode_kelurahan, w.kelurahan, w.kecamatan, j.tempat,
               j.jam_mulai, j.jam_selesai, j.alat
        FROM ({ACTIVE_JADWAL}) j JOIN v_wilayah w USING (kode_kelurahan)
        WHERE j.tanggal_selesai >= $start AND j.tanggal_mulai <= $end
        ORDER BY j.tanggal_mulai, w.kelurahan""", {"start": start, "end": end})


def last_upload(db: Database) -> dt.datetime | None:
    """When the newest active batch was saved (UTC, as stored)."""
    row = db.fetch_one("SELECT max(created_at) FROM batches WHERE status = 'aktif'")
    return row[0] if row and row[0] is not None else None
