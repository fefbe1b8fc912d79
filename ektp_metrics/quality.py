"""Kualitas data: are the figures right and explainable?

- headline_check: published figures against what the database gives for the same date;
- consistency rules over the whole database, each listing the rows that break it, with their batch;
- completeness: how many days each kelurahan reported, and how long since its last report;
- target versions: each change of the denominator and what it did to the percentage.

Every rule is SQL over the active rows (batches not reverted, rows not superseded: the views of migration
8, active_daily_counts, active_rekap, active_targets, active_reference_figures). A finding is data,
not an error: the CLI prints them and exits 0.

The rules read through a Reader (a Database, or CursorReader on a cursor): an upload's dry run runs the
same rules inside its own transaction, before and after the file's rows are in, and shows what they would
add (added_findings; ektp_metrics.upload.write).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any, Protocol

import pandas as pd

from ektp_metrics import auth, fields, formatting, metrics, settings
from ektp_metrics.db import Database, one_value

# Published indicator → the database's measure (city level). Others are shown, not compared.
COMPARABLE = {
    "wajib_ektp": "wajib_ktp", "wajib_ktp": "wajib_ktp", "sudah_rekam": "sudah_rekam", "belum_rekam": "belum_rekam",
    "persen_sudah_rekam": "persen_rekam", "kartu_terdistribusi": "sudah_distribusi",
    "kartu_diterima_warga": "sudah_distribusi", "kartu_diterima_dari_pusat": "kartu_diterima",
}
APPROXIMATE_TOLERANCE = 0.10      # "30.000-an" matches 32.122: a figure printed as approximate, within 10%
OFFICE_CAPACITY = 25              # a kecamatan office records at most 25 a day (report of 25 Oct 2013)
RULES = ("cakupan_lebih_100", "distribusi_lebih_rekam", "kumulatif_turun", "harian_tidak_wajar", "tidak_melapor")


@dataclass(frozen=True)
class Check:
    """One published figure set against the database."""

    tanggal: dt.date
    indikator: str
    dicetak: str                 # as printed
    satuan: str
    penerbit: str
    sumber_url: str
    basis_data: str              # the database's figure, formatted as it would be printed
    nilai_tepat: str             # the exact value behind it (a percentage unrounded)
    status: str                  # sama | mendekati | berbeda | tidak_dibandingkan | di_luar_data
    selisih: float | None


def _decimals(printed: str) -> int:
    """Decimals of a printed Indonesian number: '92,26' → 2, '92,3%' → 1, '92' → 0."""
    text = printed.strip().rstrip("%").strip()
    return len(text.split(",")[1]) if "," in text else 0


def _percent_status(printed_text: str, printed: float | None, exact: Decimal) -> tuple[str, float | None]:
    """A printed percentage matches when it is our exact value floored or rounded at its own decimals."""
    if printed is None:
        return "tidak_dibandingkan", None
    step = Decimal(1).scaleb(-_decimals(printed_text))
    candidates = {exact.quantize(step, rounding=ROUND_FLOOR), exact.quantize(step, rounding=ROUND_HALF_UP)}
    value = Decimal(str(printed))
    if value in candidates:
        return "sama", 0.0
    return "berbeda", float(exact - value)


def _status(printed: float | None, ours: float, approximate: bool) -> tuple[str, float | None]:
    if printed is None:
        return "tidak_dibandingkan", None
    diff = ours - printed
    if abs(diff) < 1e-9:
        return "sama", 0.0
    if approximate and printed and abs(diff) / abs(printed) <= APPROXIMATE_TOLERANCE:
        return "mendekati", diff
    return "berbeda", diff


def headline_check(db: Database) -> list[Check]:
    """Every published city figure, compared where the database has the measure and the date."""
    figures = db.fetch_df("""
        SELECT r.tanggal, r.indikator, r.nilai, r.nilai_angka, coalesce(r.satuan, '') AS satuan,
               coalesce(r.penerbit, '') AS penerbit, coalesce(r.sumber_url, '') AS sumber_url
        FROM active_reference_figures r
        WHERE r.tingkat = 'kota' ORDER BY r.tanggal, r.indikator""")
    first, last = metrics.first_data_date(db), metrics.latest_data_date(db)
    out: list[Check] = []
    cache: dict[dt.date, metrics.Summary | None] = {}
    for r in figures.itertuples(index=False):            # a few dozen published figures
        day = pd.Timestamp(r.tanggal).date()
        measure = COMPARABLE.get(r.indikator)
        # counts stored as plain digits are shown the Indonesian way; a printed percentage stays as printed
        shown = (formatting.angka(int(r.nilai_angka)) if pd.notna(r.nilai_angka) and float(r.nilai_angka).is_integer()
                 and not r.satuan.startswith("persen") and r.nilai.isdigit() else r.nilai)
        base = dict(tanggal=day, indikator=r.indikator, dicetak=shown, satuan=r.satuan, penerbit=r.penerbit,
                    sumber_url=r.sumber_url)
        if measure is None:
            out.append(Check(**base, basis_data="", nilai_tepat="", status="tidak_dibandingkan", selisih=None))
            continue
        if first is None or not first <= day <= last:
            out.append(Check(**base, basis_data="", nilai_tepat="", status="di_luar_data", selisih=None))
            continue
        if day not in cache:
            cache[day] = metrics.city_summary(db, day)
        city = cache[day]
        if city is None:
            out.append(Check(**base, basis_data="", nilai_tepat="", status="di_luar_data", selisih=None))
            continue
        printed = None if pd.isna(r.nilai_angka) else float(r.nilai_angka)
        approximate = "sekitar" in r.satuan
        if measure == "persen_rekam":
            if not city.wajib_ktp:
                out.append(Check(**base, basis_data="", nilai_tepat="", status="di_luar_data", selisih=None))
                continue
            floored = city.persen_rekam
            exact = Decimal(int(city.sudah_rekam)) * 100 / Decimal(city.wajib_ktp)
            if city.kelurahan_tanpa_target:   # coverage counts only kelurahan with a target
                frame = metrics.summary_frame(db, day, "kota")
                exact = Decimal(int(frame["rekam_bertarget"].iloc[0])) * 100 / Decimal(city.wajib_ktp)
            status, diff = _percent_status(r.nilai, printed, exact)
            out.append(Check(**base, basis_data=formatting.persen_nilai(floored),
                             nilai_tepat=(formatting.desimal(exact.quantize(Decimal("0.0001"), rounding=ROUND_FLOOR), 4)
                                          + "…%"
                                          if exact is not None else ""),
                             status=status, selisih=diff))
            continue
        ours = getattr(city, measure)
        if ours is None:
            out.append(Check(**base, basis_data="", nilai_tepat="", status="di_luar_data", selisih=None))
            continue
        status, diff = _status(printed, float(ours), approximate)
        out.append(Check(**base, basis_data=formatting.angka(int(ours)), nilai_tepat="", status=status, selisih=diff))
    return out


# ---- consistency rules -----------------------------------------------------------------------------------

class Reader(Protocol):
    """What the rules read through: a Database, or a cursor inside a transaction (CursorReader)."""

    def fetch_df(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> pd.DataFrame: ...


class CursorReader:
    """The rules on one cursor: inside an upload's transaction they see its rows (temporary tables too)."""

    def __init__(self, cur):
        self._cur = cur

    def fetch_df(self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> pd.DataFrame:
        return self._cur.execute(sql, params or []).df()


def _points_sql() -> str:
    """Every (kelurahan, date) where a figure can change: each rekap snapshot, each daily count, each
    target version (a lowered target can push coverage over 100%), and every kelurahan on the reference
    day ($as_of: the state now)."""
    return """SELECT DISTINCT kode_kelurahan, as_of FROM (
                  SELECT kode_kelurahan, tanggal AS as_of FROM active_rekap
                  UNION ALL SELECT kode_kelurahan, tanggal FROM active_daily_counts
                  UNION ALL SELECT kode_kelurahan, berlaku_mulai FROM active_targets
                  UNION ALL SELECT kode_kelurahan, $as_of::DATE FROM v_wilayah)"""


def _cause(alias: str = "c") -> str:
    """The row that set the kelurahan's figure on that date, batch and row together: the snapshot in
    effect that day (the newest batch), else the target version starting that day, else the newest
    daily count of that day. NULL when nothing was reported that day (the figure is older)."""
    def pick(table: str, day: str) -> str:
        return f"""(SELECT {{col}} FROM active_{table} x
                    WHERE x.kode_kelurahan = {alias}.kode_kelurahan AND x.{day} = {alias}.as_of
                    ORDER BY x.batch_id DESC, x.baris LIMIT 1)"""
    sources = [pick("rekap", "tanggal"), pick("targets", "berlaku_mulai"), pick("daily_counts", "tanggal")]
    batch = "coalesce(" + ", ".join(q.format(col="x.batch_id") for q in sources) + ")"
    row = ("CASE " + " ".join(f"WHEN {q.format(col='x.batch_id')} IS NOT NULL THEN {q.format(col='x.baris')}"
                              for q in sources) + " END")
    return f"{batch} AS batch_id, {row} AS baris"


def coverage_above_100(db: Reader, as_of: dt.date | None = None) -> pd.DataFrame:
    """Kelurahan-days where more are recorded than the target in force."""
    return db.fetch_df(f"""
        SELECT c.kode_kelurahan, w.kelurahan, c.as_of AS tanggal, c.sudah_rekam AS nilai, c.wajib_ktp AS batas,
               {_cause()}
        FROM ({metrics.cumulative_sql(_points_sql())}) c JOIN v_wilayah w USING (kode_kelurahan)
        WHERE c.wajib_ktp > 0 AND c.sudah_rekam > c.wajib_ktp
        ORDER BY c.as_of, c.kode_kelurahan""", {"as_of": _day(db, as_of)})


def distribusi_above_rekam(db: Reader, as_of: dt.date | None = None) -> pd.DataFrame:
    """Kelurahan-days where more cards are delivered than residents recorded."""
    return db.fetch_df(f"""
        SELECT c.kode_kelurahan, w.kelurahan, c.as_of AS tanggal, c.sudah_distribusi AS nilai, c.sudah_rekam AS batas,
               {_cause()}
        FROM ({metrics.cumulative_sql(_points_sql())}) c JOIN v_wilayah w USING (kode_kelurahan)
        WHERE c.sudah_distribusi > c.sudah_rekam
        ORDER BY c.as_of, c.kode_kelurahan""", {"as_of": _day(db, as_of)})


def _day(db: Reader, as_of: dt.date | None) -> dt.date:
    return as_of or _reference_day(db) or settings.deadline()


def _reference_day(db: Reader) -> dt.date | None:
    """metrics.reference_day through a Reader."""
    latest = db.fetch_df(f"SELECT max(tanggal) AS d FROM ({metrics.ACTIVE_DATES})")["d"].iloc[0]
    return settings.today_override() or (None if pd.isna(latest) else pd.Timestamp(latest).date())


def cumulative_falling(db: Reader) -> pd.DataFrame:
    """A rekap snapshot (the one in effect that day) lower than the kelurahan's cumulative figure the
    day before it, for recorded or delivered: cumulative counts only grow, so one of the two is wrong."""
    points = "SELECT DISTINCT kode_kelurahan, tanggal - INTERVAL 1 DAY AS as_of FROM active_rekap"
    def in_effect(column: str) -> str:
        return f"""SELECT kode_kelurahan, tanggal, batch_id, baris, {column} AS nilai FROM active_rekap
                   WHERE {column} IS NOT NULL
                   QUALIFY row_number() OVER (PARTITION BY kode_kelurahan, tanggal ORDER BY batch_id DESC) = 1"""
    return db.fetch_df(f"""
        WITH before AS ({metrics.cumulative_sql(points)}),
        snap AS (
            SELECT 'sudah_rekam' AS ukuran, * FROM ({in_effect('sudah_rekam')})
            UNION ALL SELECT 'sudah_distribusi', * FROM ({in_effect('sudah_distribusi')})
        )
        SELECT s.kode_kelurahan, w.kelurahan, s.tanggal, s.ukuran, s.nilai,
               CASE s.ukuran WHEN 'sudah_rekam' THEN b.sudah_rekam ELSE b.sudah_distribusi END AS batas,
               s.batch_id, s.baris
        FROM snap s JOIN before b ON b.kode_kelurahan = s.kode_kelurahan AND b.as_of = s.tanggal - INTERVAL 1 DAY
        JOIN v_wilayah w ON w.kode_kelurahan = s.kode_kelurahan
        WHERE s.nilai < CASE s.ukuran WHEN 'sudah_rekam' THEN b.sudah_rekam ELSE b.sudah_distribusi END
        ORDER BY s.tanggal, s.kode_kelurahan, s.ukuran""")


def implausible_daily(db: Reader) -> pd.DataFrame:
    """Days above what a location can record: a kecamatan office above 25 in a day (its rows for all the
    kelurahan it served that day, summed), any other row above EKTP_MAX_DAILY (such rows were saved with
    an explicit confirmation)."""
    return db.fetch_df("""
        SELECT any_value(d.kode_kelurahan) AS kode_kelurahan, 'Kantor Kec. ' || w.kecamatan AS kelurahan, d.tanggal,
               'kecamatan' AS lokasi, sum(d.rekam)::BIGINT AS nilai, $office AS batas,
               max(d.batch_id) AS batch_id, arg_max(d.baris, d.batch_id) AS baris
        FROM active_daily_counts d JOIN v_wilayah w USING (kode_kelurahan)
        WHERE d.lokasi = 'kecamatan'
        GROUP BY w.kode_kecamatan, w.kecamatan, d.tanggal HAVING sum(d.rekam) > $office
        UNION ALL
        SELECT d.kode_kelurahan, w.kelurahan, d.tanggal, d.lokasi, d.rekam, $max, d.batch_id, d.baris
        FROM active_daily_counts d JOIN v_wilayah w USING (kode_kelurahan)
        WHERE d.lokasi <> 'kecamatan' AND d.rekam > $max
        ORDER BY tanggal, kode_kelurahan""",
        {"office": OFFICE_CAPACITY, "max": int(settings.number("EKTP_MAX_DAILY"))})


def completeness(db: Reader, as_of: dt.date, days: int = 30, stale_after: int = 7) -> pd.DataFrame:
    """Per kelurahan: days with a report in the last `days` days (any daily count or rekap) against the
    days in that window (Sundays excluded), the reporting rate, the last report and days since it.
    `terlambat` marks kelurahan silent for more than `stale_after` days (DHIS2's reporting rates)."""
    start = as_of - dt.timedelta(days=days - 1)
    expected = sum(1 for i in range(days) if (start + dt.timedelta(days=i)).weekday() != 6)
    frame = db.fetch_df("""
        WITH r AS (
            SELECT kode_kelurahan, tanggal FROM active_daily_counts WHERE tanggal <= $as_of
            UNION SELECT kode_kelurahan, tanggal FROM active_rekap WHERE tanggal <= $as_of
        )
        SELECT w.kode_kelurahan, w.kelurahan, w.kecamatan,
               count(DISTINCT r.tanggal) FILTER (WHERE r.tanggal >= $start AND dayofweek(r.tanggal) <> 0)::BIGINT
                   AS hari_melapor,
               max(r.tanggal) AS laporan_terakhir
        FROM v_wilayah w LEFT JOIN r USING (kode_kelurahan)
        GROUP BY ALL ORDER BY hari_melapor, w.kode_kelurahan""", {"as_of": as_of, "start": start})
    frame["hari_diharapkan"] = expected
    frame["persen_melapor"] = (frame["hari_melapor"] * 10000 // expected) / 100 if expected else 0.0
    last = pd.to_datetime(frame["laporan_terakhir"])
    frame["hari_sejak_laporan"] = (pd.Timestamp(as_of) - last).dt.days
    frame["terlambat"] = frame["hari_sejak_laporan"].isna() | (frame["hari_sejak_laporan"] > stale_after)
    return frame


def reporting_rate(frame: pd.DataFrame) -> Decimal | None:
    """The reporting rate of a completeness() frame as a whole: the days reported over the days expected,
    summed over its kelurahan, floored to 2 decimals like every percentage (formatting.persen_floor);
    None for no kelurahan or no day expected."""
    if frame.empty:
        return None
    return formatting.persen_floor(int(frame["hari_melapor"].sum()), int(frame["hari_diharapkan"].sum()))


def silent_kelurahan(db: Reader, as_of: dt.date, stale_after: int = 7) -> pd.DataFrame:
    """Kelurahan with no report for more than `stale_after` days (or none at all), as findings."""
    frame = completeness(db, as_of, stale_after=stale_after)
    late = frame[frame["terlambat"]]
    return pd.DataFrame({"kode_kelurahan": late["kode_kelurahan"], "kelurahan": late["kelurahan"],
                         "tanggal": late["laporan_terakhir"], "nilai": late["hari_sejak_laporan"],
                         "batas": stale_after, "batch_id": pd.NA, "baris": pd.NA})


def target_versions(db: Database) -> pd.DataFrame:
    """Each day the city's denominator changed: wajib before and after, and the coverage the day before
    and on the day (the same recordings over a new denominator)."""
    days = db.fetch_df("SELECT DISTINCT berlaku_mulai FROM active_targets ORDER BY 1")["berlaku_mulai"]
    rows = []
    for day in (pd.Timestamp(d).date() for d in days):        # a handful of versions
        now = metrics.city_summary(db, day)
        before = metrics.city_summary(db, day - dt.timedelta(days=1))
        if now is None or before is None:
            continue
        batch = db.fetch_one("SELECT max(batch_id) FROM active_targets WHERE berlaku_mulai = ?", [day])
        rows.append({"berlaku_mulai": day, "wajib_sebelum": before.wajib_ktp, "wajib_sesudah": now.wajib_ktp,
                     "persen_sebelum": None if before.persen_rekam is None else float(before.persen_rekam),
                     "persen_sesudah": None if now.persen_rekam is None else float(now.persen_rekam),
                     "batch_id": batch[0] if batch else None})
    return pd.DataFrame(rows, columns=["berlaku_mulai", "wajib_sebelum", "wajib_sesudah", "persen_sebelum",
                                       "persen_sesudah", "batch_id"])


def findings(db: Reader, as_of: dt.date | None = None, stale_after: int = 7) -> dict[str, pd.DataFrame]:
    """Every consistency rule with the rows that break it (an empty frame: the rule holds)."""
    as_of = _day(db, as_of)
    return {
        "cakupan_lebih_100": coverage_above_100(db, as_of),
        "distribusi_lebih_rekam": distribusi_above_rekam(db, as_of),
        "kumulatif_turun": cumulative_falling(db),
        "harian_tidak_wajar": implausible_daily(db),
        "tidak_melapor": silent_kelurahan(db, as_of, stale_after),
    }


def _keys(rule: str, row, as_of: dt.date) -> set[tuple]:
    """What makes two findings the same one, before and after an upload: rule, kelurahan, date and measure
    or location. A kelurahan's state on the reference day (the date `as_of` of its run: coverage, cards) is
    also 'now' whichever day that is, so a condition that only moves along with the reference day is not new;
    a kelurahan not reporting is one finding whatever its last report."""
    if rule == "tidak_melapor":
        return {(rule, row.kode_kelurahan)}
    day = None if pd.isna(row.tanggal) else pd.Timestamp(row.tanggal).date()
    extra = (getattr(row, "ukuran", None), getattr(row, "lokasi", None))
    keys = {(rule, row.kode_kelurahan, day, *extra)}
    if day == as_of and rule in ("cakupan_lebih_100", "distribusi_lebih_rekam"):
        keys.add((rule, row.kode_kelurahan, "now", *extra))
    return keys


def _int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def added_findings(before: dict[str, pd.DataFrame], before_day: dt.date, after: dict[str, pd.DataFrame],
                   after_day: dt.date, batch_id: int) -> list:
    """The findings() of `after` (as of after_day) that `before` (as of before_day) did not have, as
    upload.Finding; `batch_id`: the upload's own batch, whose rows are named by their baris in the file."""
    from ektp_metrics.upload.result import Finding

    seen = set().union(*(_keys(rule, row, before_day) for rule, frame in before.items()
                         for row in frame.itertuples(index=False)))
    out = []
    for rule, frame in after.items():
        for row in frame.itertuples(index=False):
            if _keys(rule, row, after_day) & seen:
                continue
            own = _int(row.batch_id) == batch_id
            out.append(Finding(
                rule, str(row.kode_kelurahan), str(row.kelurahan),
                None if pd.isna(row.tanggal) else pd.Timestamp(row.tanggal).date(),
                _int(row.nilai), _int(row.batas), getattr(row, "ukuran", None), getattr(row, "lokasi", None),
                baris=_int(row.baris) if own else None, batch_id=None if own else _int(row.batch_id),
                baris_batch=None if own else _int(row.baris)))
    return out


# ---- reconciliation with the centre (Kemendagri/SIAK) ----------------------------------------------------

REASONS = ("pindah", "luar_negeri", "meninggal", "akta_lahir_kosong", "rekam_ganda", "lainnya")


@dataclass
class CentralResult:
    """A central recap upload: its problems (baris, kolom, what to do) or the id it was saved under."""

    problems: list
    unggahan_id: int | None = None
    rows: int = 0
    tanggal: dt.date | None = None


def import_central(db: Database, data: bytes, file_name: str, *, user: str, role: str,
                   sheet: str | None = None) -> CentralResult:
    """Read a central recap (one row per kelurahan: tanggal, kelurahan, wajib_ktp, sudah_rekam) with the
    same reader and row checks as an upload, and store it (one transaction) for reconciliation.

    The file has the shape of a local rekap; it is kept apart (pusat_rekap) and never changes the city's
    figures. All rows must carry one date (the recap's)."""
    import hashlib

    from ektp_metrics.filereader import UnreadableFile, read_table
    from ektp_metrics.regions import RegionIndex
    from ektp_metrics.upload import Problem
    from ektp_metrics.upload.validate import check_table

    auth.require(role, "reconcile")
    result = CentralResult(problems=[])
    try:
        table = read_table(data, sheet, max_rows=int(settings.number("EKTP_MAX_ROWS")))
    except UnreadableFile as exc:
        result.problems.append(Problem(exc.code, None, None, dict(exc.params)))
        return result
    with db.cursor() as cur:
        index = RegionIndex.from_db(cur)
    parsed, _, problems = check_table(table, index)
    result.problems = [p for p in problems if not p.implausible]
    if parsed is None or result.problems:
        return result
    frame = parsed.frame
    if parsed.kind != "rekap" or frame["wajib_ktp"].isna().any() or frame["sudah_rekam"].isna().any():
        result.problems.append(Problem("central_columns", 1, None))
        return result
    days = sorted(set(frame["tanggal"]))
    if len(days) != 1:
        result.problems.append(Problem("central_one_date", 1, "tanggal", {"n": len(days)}))
        return result
    sha = hashlib.sha256(data).hexdigest()
    with db.transaction() as cur:
        earlier = cur.execute("SELECT id FROM pusat_unggahan WHERE sha256 = ? AND status = 'aktif'", [sha]).fetchone()
        if earlier:
            result.problems.append(Problem("central_duplicate", None, None, {"id": int(earlier[0])}))
            return result
        upload = one_value(cur, """INSERT INTO pusat_unggahan (file_name, sha256, user_name, tanggal, rows)
                                   VALUES (?, ?, ?, ?, ?) RETURNING id""",
                           [file_name, sha, user, days[0], len(frame)])
        cur.register("central_frame", frame[["baris", "tanggal", "kode_kelurahan", "wajib_ktp", "sudah_rekam"]])
        cur.execute("""INSERT INTO pusat_rekap (unggahan_id, baris, tanggal, kode_kelurahan, wajib_ktp, sudah_rekam)
                       SELECT ?, baris, tanggal, kode_kelurahan, wajib_ktp, sudah_rekam FROM central_frame""", [upload])
        cur.unregister("central_frame")
        from ektp_metrics.db import audit
        audit(cur, user, "rekap_pusat_diunggah", f"pusat {upload}", f"{file_name}; {len(frame)} baris; sha256 {sha}")
    result.unggahan_id, result.rows, result.tanggal = int(upload), len(frame), pd.Timestamp(days[0]).date()
    return result


def central_uploads(db: Database) -> pd.DataFrame:
    return db.fetch_df("""SELECT id, tanggal, file_name, rows, user_name, created_at FROM pusat_unggahan
                          WHERE status = 'aktif' ORDER BY tanggal DESC, id DESC""")


def reconciliation(db: Database, unggahan_id: int) -> pd.DataFrame:
    """Per kelurahan in a central recap: the centre's and the city's belum rekam on the recap's date, the
    selisih (centre − city), the differences explained by recorded reasons (open and resolved), and what
    is still unexplained. Rows: the central file's baris, for the link back."""
    upload = db.fetch_one("SELECT tanggal FROM pusat_unggahan WHERE id = ?", [unggahan_id])
    if upload is None:
        raise ValueError(f"rekap pusat {unggahan_id} tidak ada")
    return db.fetch_df(f"""
        WITH p AS (SELECT * FROM pusat_rekap WHERE unggahan_id = $id),
        lokal AS ({metrics.cumulative_sql("SELECT kode_kelurahan, tanggal AS as_of FROM pusat_rekap WHERE unggahan_id = $id")}),
        alasan AS (
            SELECT kode_kelurahan, sum(jumlah)::BIGINT AS dijelaskan,
                   sum(jumlah) FILTER (WHERE status = 'selesai')::BIGINT AS selesai,
                   string_agg(DISTINCT alasan, ', ' ORDER BY alasan) AS alasan
            FROM selisih_catatan WHERE unggahan_id = $id GROUP BY kode_kelurahan
        )
        SELECT p.kode_kelurahan, w.kelurahan, w.kecamatan, p.baris,
               greatest(p.wajib_ktp - p.sudah_rekam, 0)::BIGINT AS belum_pusat,
               greatest(l.wajib_ktp - l.sudah_rekam, 0)::BIGINT AS belum_lokal,
               (greatest(p.wajib_ktp - p.sudah_rekam, 0) - greatest(l.wajib_ktp - l.sudah_rekam, 0))::BIGINT AS selisih,
               coalesce(a.dijelaskan, 0)::BIGINT AS dijelaskan, coalesce(a.selesai, 0)::BIGINT AS selesai,
               a.alasan,
               (abs(greatest(p.wajib_ktp - p.sudah_rekam, 0) - greatest(l.wajib_ktp - l.sudah_rekam, 0))
                - coalesce(a.dijelaskan, 0))::BIGINT AS belum_dijelaskan
        FROM p JOIN v_wilayah w USING (kode_kelurahan)
        LEFT JOIN lokal l ON l.kode_kelurahan = p.kode_kelurahan AND l.as_of = p.tanggal
        LEFT JOIN alasan a ON a.kode_kelurahan = p.kode_kelurahan
        ORDER BY abs(selisih) DESC, p.kode_kelurahan""", {"id": unggahan_id})


def add_reason(db: Database, unggahan_id: int, kode_kelurahan: str, alasan: str, jumlah: int, catatan: str,
               *, user: str, role: str) -> int:
    """Record why (part of) a kelurahan's selisih exists; audited. Returns the note's id."""
    auth.require(role, "reconcile")
    if db.fetch_one("SELECT 1 FROM pusat_rekap WHERE unggahan_id = ? AND kode_kelurahan = ?",
                    [unggahan_id, kode_kelurahan]) is None:
        raise ValueError(f"kelurahan {kode_kelurahan} tidak ada di rekap pusat {unggahan_id}")
    if alasan not in REASONS:
        raise ValueError(f"alasan tidak dikenal: {alasan!r}")
    if jumlah < 1:
        raise ValueError("jumlah harus paling sedikit 1")
    catatan = fields.text("note", catatan)   # TooLong: nothing written (it was cut at 500 silently)
    from ektp_metrics.db import audit
    with db.transaction() as cur:
        note = one_value(cur, """INSERT INTO selisih_catatan (unggahan_id, kode_kelurahan, alasan, jumlah, catatan, user_name)
                                 VALUES (?, ?, ?, ?, ?, ?) RETURNING id""",
                         [unggahan_id, kode_kelurahan, alasan, jumlah, catatan, user])
        audit(cur, user, "selisih_dicatat", f"selisih {note}", f"{kode_kelurahan}; {alasan}; {jumlah}")
    return int(note)


def resolve_reason(db: Database, note_id: int, *, user: str, role: str) -> None:
    """Mark a recorded difference as resolved (checked and settled); audited."""
    auth.require(role, "reconcile")
    from ektp_metrics.db import audit
    with db.transaction() as cur:
        done = cur.execute("""UPDATE selisih_catatan SET status = 'selesai', selesai_at = current_timestamp, selesai_by = ?
                              WHERE id = ? AND status = 'terbuka' RETURNING id""", [user, note_id]).fetchone()
        if done is None:
            raise ValueError(f"catatan selisih {note_id} tidak ada atau sudah selesai")
        audit(cur, user, "selisih_selesai", f"selisih {note_id}")


def reasons(db: Database, unggahan_id: int) -> pd.DataFrame:
    return db.fetch_df("""SELECT s.id, s.kode_kelurahan, w.kelurahan, s.alasan, s.jumlah, s.catatan, s.status,
                                 s.user_name, s.created_at, s.selesai_at, s.selesai_by
                          FROM selisih_catatan s JOIN v_wilayah w USING (kode_kelurahan)
                          WHERE s.unggahan_id = ? ORDER BY s.status DESC, s.id""", [unggahan_id])


APPROXIMATE_MARKS = ("±", "~", "sekitar", "-an", "lebih")


def is_approximate(text: str) -> bool:
    """'± 30.000', '30.000-an', 'sekitar 30 ribu': a figure printed as an estimate."""
    lowered = text.strip().lower()
    return any(mark in lowered for mark in APPROXIMATE_MARKS)


def parse_printed(text: str) -> float | None:
    """A number as printed in Indonesian: '383.427' → 383427; '92,26' or '92,26%' → 92.26; '± 30.000' and
    '30.000-an' → 30000; not a number → None. A dot is always a thousands separator ('92.26%' → 9226,
    which add_published refuses as a percentage above 100)."""
    cleaned = text.strip().lower()
    for mark in ("±", "~", "sekitar", "lebih dari", "-an", "%"):
        cleaned = cleaned.replace(mark, "")
    cleaned = cleaned.strip().replace(" ", "").replace(".", "").replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        return None


def add_published(db: Database, *, tanggal: dt.date, indikator: str, nilai: str, satuan: str, penerbit: str,
                  sumber_url: str, catatan: str, user: str, role: str) -> int:
    """An admin adds a published city figure (as printed, with its source); it joins the headline check.
    One batch of kind 'publikasi', reversible on Riwayat like any other."""
    from ektp_metrics.db import audit, new_batch

    auth.require(role, "add_published")
    if indikator not in COMPARABLE:
        raise ValueError(f"indikator tidak dikenal: {indikator!r}")
    if not nilai.strip() or not penerbit.strip():
        raise ValueError("nilai dan sumber wajib diisi")
    nilai, satuan = fields.text("published_value", nilai), fields.text("published_unit", satuan)
    penerbit, sumber_url = fields.text("publisher", penerbit), fields.link(sumber_url)
    catatan = fields.text("note", catatan)
    number = parse_printed(nilai)
    if number is None or number < 0 or (COMPARABLE[indikator] == "persen_rekam" and number > 100):
        raise ValueError(f"{nilai!r} bukan angka yang bisa dibandingkan")
    if is_approximate(nilai) and "sekitar" not in satuan:
        satuan = (satuan.strip() + " (sekitar)").strip()
    with db.transaction() as cur:
        batch = new_batch(cur, kind="publikasi", file_name=f"angka publikasi {tanggal.isoformat()} ({penerbit.strip()[:60]})",
                          user_name=user, rows=1)
        cur.execute("""INSERT INTO reference_figures (batch_id, baris, tanggal, presisi_tanggal, tingkat, wilayah, indikator,
                                                      nilai, nilai_angka, satuan, penerbit, sumber_url, catatan)
                       VALUES (?, 1, ?, 'hari', 'kota', NULL, ?, ?, ?, ?, ?, ?, ?)""",
                    [batch, tanggal, indikator, nilai.strip(), number, satuan.strip(), penerbit.strip(),
                     sumber_url.strip(), catatan.strip()])
        audit(cur, user, "publikasi_ditambah", f"batch {batch}", f"{tanggal}; {indikator}; {nilai}; {penerbit}")
    return batch
