"""Uploads: a file in, validated whole, written whole or not at all, traceable and reversible.

One upload = one batch = one DuckDB transaction. Every problem is reported with its spreadsheet row
("baris", the header being baris 1), its column and a reason code rendered in Bahasa Indonesia or English
by ektp_metrics.i18n (keys 'problem_<code>'). The Unggah page and the CLI render the same IngestResult.

`ingest` is the one entry. A regular UTF-8 CSV of daily counts by kelurahan code whose every cell has a
plain form (dd/mm/yyyy or yyyy-mm-dd, whole numbers, a known lokasi) and that passes every check goes the
direct way: DuckDB reads it, each distinct value is checked once in Python, the rows are joined in SQL, and
no pandas is loaded (a national file of a million rows, bench/README.md). Any other file, and any file
with a problem, goes through ektp_metrics.ingest's validation, which names each problem; both write
through `write`. tests/test_upload.py checks that both ways agree.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

import duckdb

from ektp_metrics import settings
from ektp_metrics.db import Database, audit, new_batch
from ektp_metrics.formatting import persen_floor
from ektp_metrics.metrics import (ACTIVE_DATES, ALL_KELURAHAN_ON, appended_counts_sql, cumulative_sql,
                                  day_end_figures_sql, figures_at_sql, scope)
from ektp_metrics.migrations import LOKASI
from ektp_metrics.regions import normalise_name
from ektp_metrics.filereader import OLE_MAGIC, XLSX_MAGIC, regular_csv_start

if TYPE_CHECKING:
    import pandas as pd

PROGRAMME_START = dt.date(2011, 1, 1)   # the e-KTP programme; earlier dates are typing errors
MAX_COUNT = 100_000_000                 # above any real count (all of Indonesia has ~190 million wajib KTP)


def header_key(header: str) -> str:
    """'Desa/Kelurahan' → 'desakelurahan': lower case, letters and digits only (no prefix removal)."""
    return re.sub(r"[^a-z0-9]", "", str(header).lower())


# Header synonyms, compared by header_key.
COLUMN_SYNONYMS: dict[str, tuple[str, ...]] = {
    # "Hari" alone is the weekday column of many sheets ("No; Hari; Tanggal"), so it is not a date.
    "tanggal": ("tanggal", "tgl", "date", "tanggallaporan", "tgllaporan", "haritanggal", "haritgl"),
    "kode_kelurahan": ("kodekelurahan", "kodewilayah", "kode", "kodekel", "kodedesa", "kodedesakelurahan",
                       "kodekemendagri"),
    "kelurahan": ("kelurahan", "desakelurahan", "kelurahandesa", "desa", "namakelurahan", "kel",
                  "namadesakelurahan"),
    "kecamatan": ("kecamatan", "kec", "namakecamatan"),
    "lokasi": ("lokasi", "lokasilayanan", "tempatlayanan", "jenislokasi"),
    "rekam": ("rekam", "jumlahrekam", "perekaman", "jumlahperekaman", "rekamharian", "rekamhariini"),
    "distribusi": ("distribusi", "kartudibagikan", "jumlahdistribusi", "kartuterdistribusi",
                   "distribusikartu", "ktpdibagikan", "kartudiserahkan"),
    "wajib_ktp": ("wajibktp", "wajibektp", "jumlahwajibktp", "wajibktpel"),
    "sudah_rekam": ("sudahrekam", "kumulatifrekam", "totalrekam", "jumlahsudahrekam", "rekamkumulatif"),
    "sudah_distribusi": ("sudahdistribusi", "kumulatifdistribusi", "totaldistribusi",
                         "distribusikumulatif", "sudahdibagikan", "kartusudahdibagikan"),
    "kartu_diterima": ("kartuditerima", "kartuditerimadaripusat", "kartudaripusat"),
    "tanggal_mulai": ("tanggalmulai", "tglmulai", "mulai", "dari", "daritanggal"),
    "tanggal_selesai": ("tanggalselesai", "tglselesai", "selesai", "sampai", "sampaitanggal"),
    "alat": ("alat", "jumlahalat", "alatrekam"),
    "jam_mulai": ("jammulai", "jambuka"),
    "jam_selesai": ("jamselesai", "jamtutup"),
    "tempat": ("tempat", "alamat", "lokasitempat", "tempatlayananketerangan"),
}
_HEADER_TO_COLUMN = {header_key(syn): col for col, syns in COLUMN_SYNONYMS.items() for syn in syns}

KINDS = ("harian", "rekap", "jadwal")
REQUIRED = {
    "harian": (("tanggal",), ("kode_kelurahan", "kelurahan"), ("rekam", "distribusi")),
    "rekap": (("tanggal",), ("kode_kelurahan", "kelurahan"), ("sudah_rekam", "sudah_distribusi", "wajib_ktp")),
    "jadwal": (("tanggal_mulai",), ("tanggal_selesai",), ("kode_kelurahan", "kelurahan"), ("alat",)),
}
# The columns of each kind; anything else in a file is ignored and reported as ignored.
KIND_COLUMNS = {
    "harian": ("tanggal", "kode_kelurahan", "kelurahan", "kecamatan", "lokasi", "rekam", "distribusi"),
    "rekap": ("tanggal", "kode_kelurahan", "kelurahan", "kecamatan", "wajib_ktp", "sudah_rekam",
              "sudah_distribusi", "kartu_diterima"),
    "jadwal": ("tanggal_mulai", "tanggal_selesai", "kode_kelurahan", "kelurahan", "kecamatan", "alat",
               "jam_mulai", "jam_selesai", "tempat"),
}
LOKASI_SYNONYMS = {"kantorkelurahan": "kelurahan", "safari": "kelurahan", "keliling": "kelurahan",
                   "kantorkecamatan": "kecamatan", "kec": "kecamatan", "kel": "kelurahan",
                   "sekolahan": "sekolah", "lain": "lainnya", "lainlain": "lainnya"}

@dataclass(frozen=True)
class Problem:
    """One reason to refuse. `code` selects the message (i18n key 'problem_<code>')."""

    code: str
    baris: int | None = None
    kolom: str | None = None
    params: dict = field(default_factory=dict)
    implausible: bool = False          # refused unless the operator confirms (force)


@dataclass
class Change:
    """What an upload does to the city figures, as of the reference day before and after it."""

    kind: str
    as_of_before: dt.date | None
    as_of_after: dt.date | None
    rekam_before: int
    rekam_after: int
    distribusi_before: int
    distribusi_after: int
    persen_before: Decimal | None     # coverage as shown: floored, kelurahan with a target only
    persen_after: Decimal | None
    kelurahan: int
    tanggal_min: dt.date | None
    tanggal_max: dt.date | None
    wilayah: str = "kota"             # the whole region list the figures are of (metrics.scope: Kota Surakarta)


@dataclass
class IngestResult:
    file_name: str
    sha256: str
    kind: str | None = None
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    # the first rows as read: a DataFrame (validated way) or (columns, rows) (direct way, without pandas)
    preview_data: pd.DataFrame | tuple[list[str], list[tuple]] | None = None
    change: Change | None = None
    batch_id: int | None = None
    superseded: int = 0
    dry_run: bool = False
    forced: bool = False
    format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    direct: bool = False              # read and checked by DuckDB directly (see the module's docstring)

    @property
    def preview(self) -> pd.DataFrame | None:
        """The first 20 rows as read and parsed (the Unggah page shows them)."""
        if isinstance(self.preview_data, tuple):
            import pandas as pd

            columns, rows = self.preview_data
            return pd.DataFrame(rows, columns=columns)
        return self.preview_data

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.implausible]

    @property
    def implausible(self) -> list[Problem]:
        return [p for p in self.problems if p.implausible]

    @property
    def accepted(self) -> bool:
        """True when the file was (or, in a dry run, would be) written.

        Implausible values do not stop a file the operator confirmed (forced); they stay reported.
        """
        return (self.kind is not None and self.change is not None and not self.errors
                and (self.forced or not self.implausible))

    @property
    def committed(self) -> bool:
        return self.batch_id is not None and not self.dry_run


class _Refused(Exception):
    """Internal: stop validation and roll back; the problems are already in the result."""


Progress = Callable[[float, str], None]


def _no_progress(fraction: float, step: str) -> None:
    return None


# ---------------------------------------------------------------- columns and kind

def _map_columns(headers: list[str]) -> tuple[dict[str, int], list[str], list[Problem]]:
    """Canonical column → position; ignored headers; problems (duplicated columns)."""
    mapping: dict[str, int] = {}
    ignored: list[str] = []
    problems: list[Problem] = []
    for pos, header in enumerate(headers):
        column = _HEADER_TO_COLUMN.get(header_key(header))
        if column is None:
            if header.strip():
                ignored.append(header)
        elif column in mapping:
            problems.append(Problem("duplicate_column", 1, header, {"first": headers[mapping[column]]}))
        else:
            mapping[column] = pos
    return mapping, ignored, problems


_DAILY, _CUMULATIVE = {"rekam", "distribusi"}, {"sudah_rekam", "sudah_distribusi", "wajib_ktp", "kartu_diterima"}
_SCHEDULE = {"tanggal_mulai", "tanggal_selesai", "alat"}


def _mixed_kinds(columns: set[str]) -> list[str]:
    """Column groups of more than one kind in one file (a daily report with running totals, say)."""
    groups = [g for g in (_DAILY, _CUMULATIVE, _SCHEDULE) if g & columns]
    return [", ".join(sorted(g & columns)) for g in groups] if len(groups) > 1 else []


def detect_kind(columns: set[str]) -> str | None:
    for kind, group in (("jadwal", _SCHEDULE), ("rekap", _CUMULATIVE), ("harian", _DAILY)):
        if group & columns:
            return kind
    return None


def _missing_columns(kind: str, columns: set[str]) -> list[Problem]:
    problems = []
    for group in REQUIRED[kind]:
        if not set(group) & columns:
            problems.append(Problem("missing_column", 1, " / ".join(group), {"kolom": " atau ".join(group)}))
    return problems


def lokasi_name(text: str) -> str | None:
    """A lokasi cell's text → its canonical name ('' is kelurahan), or None when unknown."""
    norm = normalise_name(text)
    return "kelurahan" if norm == "" else (norm if norm in LOKASI else LOKASI_SYNONYMS.get(norm))


# ---------------------------------------------------------------- writing

_TABLE = {"harian": "daily_counts", "rekap": "rekap", "jadwal": "jadwal_keliling"}
_KEYS = {"harian": ("tanggal", "kode_kelurahan", "lokasi"), "rekap": ("tanggal", "kode_kelurahan")}


def _city(cur, as_of: dt.date | None, known: bool = False) -> tuple[int, int, int, int]:
    """City sudah_rekam, sudah_distribusi, wajib_ktp and the rekam of kelurahan with a target.

    known: the after-upload check left the figures as of `as_of` of the kelurahan in `after_touched` in
    `after_figures` (_after_state_problems): those are summed, cumulative_sql computes only the others."""
    if as_of is None:
        return 0, 0, 0, 0
    points = ALL_KELURAHAN_ON
    figures = f"SELECT wajib_ktp, sudah_rekam, sudah_distribusi FROM ({cumulative_sql(points)})"
    if known:
        points += " AND kode NOT IN (SELECT kode_kelurahan FROM after_touched)"
        figures = f"""SELECT wajib_ktp, sudah_rekam, sudah_distribusi FROM after_figures WHERE as_of = $as_of
                      UNION ALL
                      SELECT wajib_ktp, sudah_rekam, sudah_distribusi FROM ({cumulative_sql(points)})"""
    row = cur.execute(f"""SELECT coalesce(sum(sudah_rekam), 0), coalesce(sum(sudah_distribusi), 0),
                                 coalesce(sum(wajib_ktp), 0),
                                 coalesce(sum(sudah_rekam) FILTER (WHERE wajib_ktp > 0), 0)
                          FROM ({figures})""", {"as_of": as_of}).fetchone()
    return int(row[0]), int(row[1]), int(row[2]), int(row[3])


def _latest_data_day(cur) -> dt.date | None:
    """metrics.latest_data_date inside the upload's transaction (the batch's own rows count once it is recorded)."""
    row = cur.execute(f"SELECT max(tanggal) FROM ({ACTIVE_DATES})").fetchone()
    return row[0] if row else None


def _reference_day(cur) -> dt.date | None:
    """metrics.reference_day inside the upload's transaction."""
    return settings.today_override() or _latest_data_day(cur)


def _jump_problems(cur, latest: dt.date | None, last: dt.date | None) -> list[Problem]:
    """A file whose latest date lies more than EKTP_MAX_JUMP_DAYS after the latest data date before it: most
    often a mistyped year, which would move the whole app's reference day (issue 17: one row dated 2020-06-01
    and Ringkasan, the lobby and `summary` speak of 2020). Implausible: refused unless confirmed.

    It compares with the latest data date, not with EKTP_TODAY: the override pins the day shown (a demo, a
    replay of the past) but does not make a far-away date any less likely a typo, and a pin lagging behind the
    data must not refuse an ordinary next-day file. The message then does not claim the day will move.
    No check for a database without data: its first file sets the day."""
    if latest is None or last is None:
        return []
    days = (last - latest).days
    if days <= int(settings.number("EKTP_MAX_JUMP_DAYS")):
        return []
    baris = cur.execute("SELECT min(baris) FROM staged WHERE tanggal = $last", {"last": last}).fetchone()[0]
    code = "date_jump_pinned" if settings.today_override() else "date_jump"
    return [Problem(code, None if baris is None else int(baris), "tanggal",
                    {"tanggal": last, "hari": days, "terakhir": latest}, implausible=True)]


def _overlaps(cur, kind: str, batch_id: int, limit: int) -> list[tuple[int, int]]:
    """Active rows of other batches that the staged rows would duplicate: (baris, batch_id of the earlier
    row). (The batch's own rows are in already when the direct way wrote them in place.)"""
    if kind == "jadwal":
        return cur.execute("""
            SELECT s.baris, min(j.batch_id) AS batch_id
            FROM staged s JOIN jadwal_keliling j ON j.kode_kelurahan = s.kode_kelurahan
              AND j.tanggal_mulai <= s.tanggal_selesai AND s.tanggal_mulai <= j.tanggal_selesai
            WHERE j.superseded_by IS NULL AND j.batch_id IN (SELECT id FROM batches WHERE status = 'aktif')
              AND j.batch_id <> ?
            GROUP BY s.baris ORDER BY s.baris LIMIT ?""", [batch_id, limit]).fetchall()
    keys = _KEYS[kind]
    on = " AND ".join(f"t.{k} = s.{k}" for k in keys)
    return cur.execute(f"""
        SELECT s.baris, min(t.batch_id) AS batch_id
        FROM staged s JOIN {_TABLE[kind]} t ON {on}
        WHERE t.superseded_by IS NULL AND t.batch_id IN (SELECT id FROM batches WHERE status = 'aktif')
          AND t.batch_id <> ?
        GROUP BY s.baris ORDER BY s.baris LIMIT ?""", [batch_id, limit]).fetchall()


def _supersede(cur, kind: str, batch_id: int) -> int:
    table = _TABLE[kind]
    # Every column of the updated table is qualified: unqualified, it would bind to `staged` inside EXISTS.
    if kind == "jadwal":
        where = f"""{table}.kode_kelurahan = s.kode_kelurahan AND {table}.tanggal_mulai <= s.tanggal_selesai
                    AND s.tanggal_mulai <= {table}.tanggal_selesai"""
    else:
        where = " AND ".join(f"{table}.{k} = s.{k}" for k in _KEYS[kind])
    count = cur.execute(f"""
        UPDATE {table} SET superseded_by = ?
        WHERE superseded_by IS NULL AND batch_id IN (SELECT id FROM batches WHERE status = 'aktif')
          AND batch_id <> ? AND EXISTS (SELECT 1 FROM staged s WHERE {where})""", [batch_id, batch_id]).fetchone()
    if kind == "rekap":  # the target versions that came with the superseded snapshots go with them
        cur.execute("""UPDATE targets SET superseded_by = ?
                       WHERE superseded_by IS NULL AND batch_id <> ?
                         AND EXISTS (SELECT 1 FROM staged s WHERE s.wajib_ktp IS NOT NULL
                                     AND s.kode_kelurahan = targets.kode_kelurahan
                                     AND s.tanggal = targets.berlaku_mulai)""", [batch_id, batch_id])
    return int(count[0]) if count else 0


def _insert(cur, kind: str, batch_id: int) -> None:
    if kind == "harian":
        cur.execute("""INSERT INTO daily_counts (batch_id, baris, tanggal, kode_kelurahan, lokasi, rekam, distribusi)
                       SELECT ?, baris, tanggal, kode_kelurahan, lokasi, rekam, distribusi FROM staged""", [batch_id])
    elif kind == "rekap":
        cur.execute("""INSERT INTO rekap (batch_id, baris, tanggal, kode_kelurahan, sudah_rekam, sudah_distribusi,
                                          kartu_diterima)
                       SELECT ?, baris, tanggal, kode_kelurahan, sudah_rekam, sudah_distribusi, kartu_diterima
                       FROM staged""", [batch_id])
        cur.execute("""INSERT INTO targets (batch_id, baris, kode_kelurahan, berlaku_mulai, wajib_ktp)
                       SELECT ?, baris, kode_kelurahan, tanggal, wajib_ktp FROM staged
                       WHERE wajib_ktp IS NOT NULL""", [batch_id])
    else:
        cur.execute("""INSERT INTO jadwal_keliling (batch_id, baris, kode_kelurahan, tanggal_mulai, tanggal_selesai,
                                                    alat, jam_mulai, jam_selesai, tempat)
                       SELECT ?, baris, kode_kelurahan, tanggal_mulai, tanggal_selesai, alat, jam_mulai,
                              jam_selesai, tempat FROM staged""", [batch_id])


def _after_state_problems(cur, kind: str, batch_id: int, today: dt.date | None, limit: int) -> list[Problem]:
    """Checks on the figures after the rows of batch `batch_id` are in: at each touched kelurahan and date,
    and `today` (the reference day after the upload). Leaves the temporary tables after_touched (the
    touched kelurahan without a snapshot) and after_figures (their figures as of today, and every offending
    one) for _city."""
    # Kelurahan with a cumulative snapshot (rekap) need figures_at_sql; the others (a daily upload's usual
    # case) a plain running sum, at the end of each day the batch brought counts for.
    snapshots = """kode_kelurahan IN (SELECT kode_kelurahan FROM rekap WHERE superseded_by IS NULL
                                      AND batch_id IN (SELECT id FROM batches WHERE status = 'aktif'))"""
    points = f"""SELECT DISTINCT kode_kelurahan, tanggal::DATE AS as_of FROM staged WHERE {snapshots}
                 UNION SELECT DISTINCT kode_kelurahan, $today::DATE FROM staged WHERE $today IS NOT NULL AND {snapshots}"""
    # The batch's rows per kelurahan without a snapshot, summed (appended_counts_sql's `sums`; write summed
    # them once, in batch_kelurahan); a rekap file's kelurahan all have one.
    per_kelurahan = ("SELECT kode_kelurahan, rekam, distribusi, first_day, last_day, flat FROM batch_kelurahan"
                     if kind == "harian" else
                     "SELECT DISTINCT kode_kelurahan, 0 AS rekam, 0 AS distribusi, NULL::DATE AS first_day, "
                     "NULL::DATE AS last_day, false AS flat FROM staged")
    cur.execute(f"CREATE TEMP TABLE after_touched AS SELECT * FROM ({per_kelurahan}) WHERE NOT {snapshots}")
    # Those whose counts in the batch come after all their others, within bounds by sums alone (a national
    # first load, or a day appended: all), need no window pass: their figures as of today, none out of bounds.
    day = {"today": today, "batch": batch_id}
    cur.execute(f"CREATE TEMP TABLE after_figures AS {appended_counts_sql('SELECT * FROM after_touched')}", day)
    offending = "sudah_distribusi > sudah_rekam OR (wajib_ktp > 0 AND sudah_rekam > wajib_ktp)"
    rest = "SELECT kode_kelurahan FROM after_touched ANTI JOIN after_figures USING (kode_kelurahan)"
    if cur.execute(f"SELECT count(*) FROM ({rest})").fetchone()[0]:
        cur.execute(f"""INSERT INTO after_figures
                        SELECT * FROM ({day_end_figures_sql(rest)}) WHERE as_of = $today OR {offending}""", day)
    parts, params = ["SELECT * FROM after_figures"], {"limit": limit}
    if cur.execute(f"SELECT count(*) FROM staged WHERE {snapshots}").fetchone()[0]:
        parts.append(f"SELECT * FROM ({figures_at_sql(points)})")
        params["today"] = today
    sql = f"""
        SELECT c.kode_kelurahan, c.as_of, c.wajib_ktp, c.sudah_rekam, c.sudah_distribusi, r.nama AS kelurahan,
               (SELECT min(s.baris) FROM staged s WHERE s.kode_kelurahan = c.kode_kelurahan
                  AND s.tanggal <= c.as_of) AS baris
        FROM ({" UNION ALL ".join(parts)}) c
        JOIN regions r ON r.kode = c.kode_kelurahan AND r.tingkat = 'kelurahan'   -- the name (v_wilayah.kelurahan)
        WHERE {offending}
        ORDER BY baris, c.as_of
        LIMIT $limit"""
    problems = []
    # at most `limit` rows: the offending ones only
    for _, as_of, wajib, rekam, dist, kelurahan, baris in cur.execute(sql, params).fetchall():
        base = {"kelurahan": kelurahan, "tanggal": as_of.isoformat(), "rekam": int(rekam)}
        baris = None if baris is None else int(baris)
        if dist > rekam:
            problems.append(Problem("cumulative_distribusi_above_rekam", baris, "distribusi",
                                    base | {"distribusi": int(dist)}))
        if wajib > 0 and rekam > wajib:
            problems.append(Problem("cumulative_rekam_above_wajib", baris, "rekam",
                                    base | {"wajib": int(wajib)}, implausible=True))
    return problems


def write(db: Database, result: IngestResult, kind: str, stage: Callable[[duckdb.DuckDBPyConnection], None] | None,
          *, replace: bool, force: bool, dry_run: bool, user: str, limit: int, progress: Progress,
          schedule_from: dt.date | None = None, cur: duckdb.DuckDBPyConnection | None = None,
          in_place: Callable[[duckdb.DuckDBPyConnection, int], None] | None = None, needed_bytes: int = 0) -> None:
    """The database part of an upload, in one transaction (db.transaction: checked, committed, checkpointed;
    a failure to reach the file raises db.WriteRefused and nothing is confirmed); the caller holds the
    write lock. needed_bytes: the disk room the write needs beyond EKTP_MIN_FREE_MB.

    stage(cur) creates the temporary table `staged` (the parsed rows) inside the transaction; write inserts
    them under the new batch. Or (stage None) in_place(cur, batch_id) writes the rows itself under the
    batch's reserved id and makes `staged` a view of them (the direct way: no copy of a million rows); until
    the batch's record is written they count nowhere, as every figure counts active batches only. A cursor
    given as `cur` is the caller's to close.
    """
    file_name = result.file_name
    try:
        with db.transaction(cur, needed_bytes=needed_bytes) as cur:
            earlier = cur.execute("""SELECT id, user_name, created_at FROM batches
                                     WHERE sha256 = ? AND status = 'aktif' ORDER BY id LIMIT 1""",
                                  [result.sha256]).fetchone()
            if earlier:
                result.problems.append(Problem("duplicate_file", None, None,
                                               {"batch": int(earlier[0]), "user": earlier[1],
                                                "waktu": earlier[2].strftime("%Y-%m-%d %H:%M")}))
                raise _Refused
            reserved = None
            if stage is not None:
                stage(cur)
            elif in_place is not None:
                reserved = int(cur.execute("SELECT nextval('batch_id_seq')").fetchone()[0])
                in_place(cur, reserved)
            if kind == "harian":   # the batch's rows per kelurahan, once: these counts and the after-upload check
                cur.execute("""CREATE TEMP TABLE batch_kelurahan AS
                               SELECT kode_kelurahan, count(*) AS n, min(tanggal) AS first_day, max(tanggal) AS last_day,
                                      sum(rekam) AS rekam, sum(distribusi) AS distribusi,
                                      bool_and(distribusi <= rekam) AS flat
                               FROM staged GROUP BY kode_kelurahan""")
                rows, first, last, kelurahan = cur.execute("""SELECT coalesce(sum(n), 0), min(first_day), max(last_day),
                                                                     count(*) FROM batch_kelurahan""").fetchone()
            else:
                last_column = "tanggal_selesai" if kind == "jadwal" else "tanggal"
                rows, first, last, kelurahan = cur.execute(f"""SELECT count(*), min(tanggal), max({last_column}),
                                                                     count(DISTINCT kode_kelurahan) FROM staged""").fetchone()
            latest_before = _latest_data_day(cur)   # before new_batch: the batch's rows do not count yet
            before_day = settings.today_override() or latest_before
            rekam0, dist0, wajib0, bertarget0 = _city(cur, before_day)
            batch_id = new_batch(cur, kind=kind, file_name=file_name, user_name=user, rows=rows, sha256=result.sha256,
                                 batch_id=reserved)
            if schedule_from is not None:   # the file is the schedule from that day on
                result.superseded = supersede_schedule_from(cur, batch_id, schedule_from)
            overlaps = _overlaps(cur, kind, batch_id, limit)
            if overlaps and not replace:
                result.problems += [Problem("overlap", int(baris), None, {"batch": int(batch)}) for baris, batch in overlaps]
                raise _Refused
            if replace and overlaps:
                result.superseded += _supersede(cur, kind, batch_id)
            if result.superseded:
                cur.execute("UPDATE batches SET note = ? WHERE id = ?",
                            [f"koreksi: menggantikan {result.superseded} baris", batch_id])
            if reserved is None:
                _insert(cur, kind, batch_id)
            progress(0.8, "check")
            after_day = _reference_day(cur)
            if kind != "jadwal":   # a schedule's dates are not data dates: it moves no reference day
                result.problems += _jump_problems(cur, latest_before, last)
                result.problems += _after_state_problems(cur, kind, batch_id, after_day, limit)
                if result.errors or (result.implausible and not force):
                    raise _Refused
            rekam1, dist1, wajib1, bertarget1 = _city(cur, after_day, known=kind != "jadwal")
            result.change = Change(kind, before_day, after_day, rekam0, rekam1, dist0, dist1,
                                   persen_floor(bertarget0, wajib0), persen_floor(bertarget1, wajib1),
                                   int(kelurahan), first, last, scope(db).nama)
            if dry_run:
                raise _Refused
            audit(cur, user, "unggah", f"batch {batch_id}",
                  f"{kind}; {file_name}; {rows} baris; sha256 {result.sha256}"
                  + (f"; koreksi menggantikan {result.superseded} baris" if result.superseded else "")
                  + ("; nilai tidak wajar dikonfirmasi" if force and result.implausible else ""))
            cur.execute("DROP TABLE staged" if reserved is None else "DROP VIEW staged")
            if kind != "jadwal":
                cur.execute("DROP TABLE after_figures; DROP TABLE after_touched")
            if kind == "harian":
                cur.execute("DROP TABLE batch_kelurahan")
        result.batch_id = batch_id   # committed and in the configured file (else WriteRefused, unconfirmed)
    except _Refused:   # rolled back by the transaction
        pass
    except duckdb.Error as exc:   # e.g. a value the schema refuses: still a refusal, never a traceback
        result.problems.append(Problem("database_refused", None, None, {"detail": str(exc).splitlines()[0][:200]}))


def supersede_schedule_from(cur, batch_id: int, day: dt.date) -> int:
    """Inside the caller's transaction: batch `batch_id` is the whole schedule from `day` on. Every active
    visit starting on or after it is superseded, and the day is recorded for later reverts."""
    cur.execute("INSERT INTO jadwal_dari (batch_id, mulai) VALUES (?, ?)", [batch_id, day])
    count = cur.execute("""UPDATE jadwal_keliling SET superseded_by = ?
                           WHERE superseded_by IS NULL AND tanggal_mulai >= ? AND batch_id <> ?
                             AND batch_id IN (SELECT id FROM batches WHERE status = 'aktif')""",
                        [batch_id, day, batch_id]).fetchone()
    return int(count[0]) if count else 0


# ---------------------------------------------------------------- the one entry, and the direct way

class _Digest:
    """A file's SHA-256 (the same file twice is refused), for a large file computed in a thread while the
    direct way reads the file: hashlib releases the GIL (a national file: 0,05 s)."""

    def __init__(self, data: bytes):
        self._value: str | None = None
        self._error: BaseException | None = None
        self._thread = None
        if len(data) < 1 << 20:
            self._value = hashlib.sha256(data).hexdigest()
        else:
            self._thread = threading.Thread(target=self._run, args=(data,), name="ektp-sha256", daemon=True)
            self._thread.start()

    def _run(self, data: bytes) -> None:
        try:
            self._value = hashlib.sha256(data).hexdigest()
        except BaseException as exc:   # handed to the caller by hexdigest()
            self._error = exc

    def hexdigest(self) -> str:
        if self._thread is not None:
            self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._value is not None
        return self._value


def ingest(db: Database, data: bytes, file_name: str, *, user: str, dry_run: bool = False,
           replace: bool = False, force: bool = False, sheet: str | None = None,
           progress: Progress = _no_progress, today: dt.date | None = None,
           may_set_targets: bool = True, schedule_from: dt.date | None = None) -> IngestResult:
    """Validate a file and, unless refused or dry_run, write it as one batch in one transaction.

    replace: the upload corrects earlier data; rows it overlaps are superseded (kept, no longer counted).
    force: the operator confirmed implausible values (above the daily maximum, more than wajib KTP).
    may_set_targets: False for users who may not change wajib KTP (operators): a rekap with a filled
    wajib_ktp column is then refused.
    schedule_from: for a jadwal file that is the whole schedule from that day on (the Keliling editor, an
    adopted plan): every active visit starting on or after it is superseded by the file, in the same
    transaction. Reverting the batch brings them back.
    """
    digest = _Digest(data)

    def fresh() -> IngestResult:
        return IngestResult(file_name=file_name, sha256=digest.hexdigest(), dry_run=dry_run, forced=force)

    limit = int(settings.number("EKTP_MAX_PROBLEMS"))
    max_mb = settings.number("EKTP_MAX_UPLOAD_MB")
    if len(data) > max_mb * 1024 * 1024:
        result = fresh()
        result.problems.append(Problem("too_large", None, None, {"mb": round(len(data) / 1048576, 1), "maks": max_mb}))
        return result
    if sheet is None:
        result = _direct(db, data, fresh, user=user, dry_run=dry_run, replace=replace, force=force,
                         progress=progress, today=today or dt.date.today(), limit=limit)
        if result is not None:
            return result
    from ektp_metrics import ingest as validation   # pandas: only for the files that need it

    return validation.validated(db, data, fresh(), user=user, dry_run=dry_run, replace=replace, force=force,
                                sheet=sheet, progress=progress, today=today, may_set_targets=may_set_targets,
                                schedule_from=schedule_from, limit=limit)


# Dates written as numbers: 2013-10-25 (also with a midnight time, as exported) and 25/10/2013 (/ . or -).
# ektp_metrics.ingest's parser accepts these and more; the direct way only these, with ASCII digits.
ISO_DATE = r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[ T]00:00(?::00)?)?$"
DMY_DATE = r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})$"
_PLAIN_DATES = (re.compile(ISO_DATE, re.ASCII), re.compile(DMY_DATE, re.ASCII))
_PLAIN_COUNT = re.compile(r"\d+", re.ASCII)
_DIRECT_COLUMNS = {"tanggal", "kode_kelurahan", "lokasi", "rekam", "distribusi"}


def _plain_date(text: str, today: dt.date) -> dt.date | None:
    """A valid date between the programme's start and today written dd/mm/yyyy or yyyy-mm-dd, else None."""
    m = next((m for m in (pattern.fullmatch(text) for pattern in _PLAIN_DATES) if m), None)
    if m is None:
        return None
    try:
        day = dt.date(int(m["y"]), int(m["m"]), int(m["d"]))
    except ValueError:
        return None
    return day if PROGRAMME_START <= day <= today else None


def _plain_count(text: str, most: int) -> int | None:
    """A whole number up to `most` (empty or '-' is 0), else None."""
    if text in ("", "-"):
        return 0
    if not _PLAIN_COUNT.fullmatch(text):
        return None
    value = int(text)
    return value if value <= most else None


def _direct(db: Database, data: bytes, fresh: Callable[[], IngestResult], *, user: str, dry_run: bool,
            replace: bool, force: bool, progress: Progress, today: dt.date, limit: int) -> IngestResult | None:
    """The direct way (see the module's docstring); None when the file needs the validated way.

    It takes only what the validated way would take with the same rows: a regular UTF-8 CSV (the same
    conditions as tabular's bulk reader) of daily counts by kelurahan code alone, whose every distinct
    value has a plain form that passes its checks, without duplicated rows. Anything else, and any
    problem, returns None with nothing written (duplicated rows are found once the rows are in, inside
    the upload's transaction, which is then rolled back); the validated way then names the problems.
    """
    start = None if data.startswith((XLSX_MAGIC, OLE_MAGIC, b"\xff\xfe", b"\xfe\xff")) else regular_csv_start(data)
    if start is None:
        return None
    encoding, span, delimiter, _, header = start
    mapping, ignored, problems = _map_columns(header)
    if problems or _mixed_kinds(set(mapping)) or detect_kind(set(mapping)) != "harian":
        return None
    ignored += [header[pos] for col, pos in mapping.items() if col not in KIND_COLUMNS["harian"]]
    mapping = {col: pos for col, pos in mapping.items() if col in KIND_COLUMNS["harian"]}
    if set(mapping) - _DIRECT_COLUMNS or "kode_kelurahan" not in mapping or _missing_columns("harian", set(mapping)):
        return None          # names of kelurahan or kecamatan are resolved (and named when wrong) the validated way
    rows = data.count(b"\n", *span)
    if rows > int(settings.number("EKTP_MAX_ROWS")):
        return None
    progress(0.05, "read")
    try:   # DuckDB reads a file: a private copy, removed at the end
        folder = tempfile.TemporaryDirectory(prefix="ektp_unggah_")
        path = os.path.join(folder.name, "unggahan.csv")
        with open(path, "wb") as handle:
            handle.write(data)
    except OSError:   # no room for the copy (a full disk, say): the validated way reads from memory
        return None
    cur = db.cursor()
    try:
        columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(header)))
        try:   # strict: a row with more or fewer fields is an error, as is text that is not UTF-8
            cur.execute(f"""CREATE TEMP TABLE raw AS SELECT * FROM read_csv($path, delim=$delim, quote='"',
                                escape='"', header=false, skip=1, columns={{{columns}}}, auto_detect=false,
                                strict_mode=true, null_padding=false)""", {"path": path, "delim": delimiter})
        except duckdb.Error:
            return None
        # a blank line (skipped) or a line break inside a quoted cell makes fewer records than lines
        if cur.execute("SELECT count(*) FROM raw").fetchone()[0] != rows:
            return None
        progress(0.2, "validate")
        try:
            rows_sql = _direct_rows(cur, mapping, today)
        except duckdb.Error:   # a cell DuckDB cannot take as the direct way reads it: the validated way decides
            return None
        if rows_sql is None:
            return None
        result = fresh()
        result.kind, result.rows, result.ignored_columns, result.direct = "harian", rows, ignored, True
        result.format, result.encoding, result.delimiter = "csv", encoding, delimiter

        def in_place(cur: duckdb.DuckDBPyConnection, batch_id: int) -> None:
            """The rows straight into daily_counts under the reserved batch id; `staged` is a view of them."""
            try:
                cur.execute(f"""INSERT INTO daily_counts (batch_id, baris, tanggal, kode_kelurahan, lokasi, rekam,
                                                          distribusi)
                                SELECT $batch, baris, tanggal, kode_kelurahan, lokasi, rekam, distribusi
                                FROM ({rows_sql})""", {"batch": batch_id})
                cur.execute(f"""CREATE TEMP VIEW staged AS
                                SELECT baris, kode_kelurahan, tanggal, lokasi, rekam, distribusi
                                FROM daily_counts WHERE batch_id = {batch_id:d}""")
                # No two rows with one key: distinct hashes mean distinct keys (equal hashes, a duplicate or,
                # rarely, a collision: the validated way tells which). Half the time of grouping by the key.
                unique = cur.execute("""SELECT count(*) = count(DISTINCT hash(tanggal, kode_kelurahan, lokasi))
                                        FROM staged""").fetchone()[0]
                preview = cur.execute("SELECT * FROM staged ORDER BY baris LIMIT 20")
                result.preview_data = ([c[0] for c in preview.description], preview.fetchall())
            except duckdb.Error as exc:   # a value the table refuses: the validated way names it
                raise _Declined from exc
            if not unique:
                raise _Declined

        progress(0.5, "write")
        try:
            with db.write_lock:
                write(db, result, "harian", None, replace=replace, force=force, dry_run=dry_run, user=user,
                      limit=limit, progress=progress, cur=cur, in_place=in_place, needed_bytes=2 * len(data))
        except _Declined:   # rolled back: nothing was written
            return None
        progress(1.0, "done")
        return result
    finally:
        for table in ("raw", "m_tanggal", "m_kode", "m_lokasi", "m_rekam", "m_distribusi"):
            cur.execute(f"DROP TABLE IF EXISTS {table}")
        cur.close()
        folder.cleanup()


class _Declined(Exception):
    """The direct way found, while writing, that the file needs the validated way (nothing is written)."""


def _direct_rows(cur: duckdb.DuckDBPyConnection, mapping: dict[str, int], today: dt.date) -> str | None:
    """Check every distinct value of the table `raw`; the SQL of its rows as staged (baris, kode_kelurahan,
    tanggal, lokasi, rekam, distribusi), or None at the first value that is not plain."""
    def column(name: str) -> str:
        return f"coalesce(c{mapping[name]}, '')"

    def values(name: str, parse) -> bool:
        """m_<name>(raw, val): each distinct cell of the column and its value; False if one is not plain."""
        cells = [row[0] for row in cur.execute(f"SELECT DISTINCT {column(name)} FROM raw").fetchall()]
        parsed = [parse(cell.strip()) for cell in cells]
        if any(value is None for value in parsed):
            return False
        cur.execute(f"CREATE TEMP TABLE m_{name} AS SELECT unnest($raw) AS raw, unnest($val) AS val",
                    {"raw": cells, "val": parsed})
        return True

    most = min(int(settings.number("EKTP_MAX_DAILY")), MAX_COUNT)   # more is implausible: named, confirmed
    if not values("tanggal", lambda text: _plain_date(text, today)):
        return None
    if "lokasi" in mapping and not values("lokasi", lokasi_name):
        return None
    for name in ("rekam", "distribusi"):
        if name in mapping and not values(name, lambda text: _plain_count(text, most)):
            return None
    # Codes alone: their digits against the list's (the validated way's code_lookup); a code whose digits
    # two regions share (codes that differ only in punctuation) goes the validated way.
    cur.execute(f"""
        CREATE TEMP TABLE m_kode AS
        SELECT r.raw, w.kode AS val
        FROM (SELECT DISTINCT {column("kode_kelurahan")} AS raw FROM raw) r
        LEFT JOIN (SELECT kode, regexp_replace(kode, '[^0-9]', '', 'g') AS digits FROM regions
                   WHERE tingkat = 'kelurahan') w
          ON w.digits = regexp_replace(r.raw, '[^0-9]', '', 'g') AND regexp_full_match(r.raw, '[0-9. -]*[0-9][0-9. -]*')""")
    if cur.execute("SELECT count(val) <> count(*) OR count(*) <> count(DISTINCT raw) FROM m_kode").fetchone()[0]:
        return None
    joins = [f"JOIN m_tanggal t ON t.raw = {column('tanggal')}", f"JOIN m_kode k ON k.raw = {column('kode_kelurahan')}"]
    lokasi, rekam, distribusi = "'kelurahan'", "0::BIGINT", "0::BIGINT"
    if "lokasi" in mapping:
        joins.append(f"JOIN m_lokasi l ON l.raw = {column('lokasi')}")
        lokasi = "l.val"
    if "rekam" in mapping:
        joins.append(f"JOIN m_rekam a ON a.raw = {column('rekam')}")
        rekam = "a.val::BIGINT"
    if "distribusi" in mapping:
        joins.append(f"JOIN m_distribusi d ON d.raw = {column('distribusi')}")
        distribusi = "d.val::BIGINT"
    return f"""SELECT (raw.rowid + 2)::BIGINT AS baris, k.val AS kode_kelurahan, t.val::DATE AS tanggal,
                      {lokasi} AS lokasi, {rekam} AS rekam, {distribusi} AS distribusi
               FROM raw {' '.join(joins)}"""
