"""The write transaction of an upload, shared by both ways: the staged rows become one batch in one DuckDB
transaction, after the checks only the database can make (the same file twice, rows that overlap earlier
ones, a jump of the reference day, the running totals after the upload), and the change it makes to the
city figures is measured before and after. Also superseding a schedule from a day on (the Keliling editor).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import duckdb

from ektp_metrics import settings
from ektp_metrics.db import Database, audit, new_batch, one_row, one_value
from ektp_metrics.formatting import persen_floor
from ektp_metrics.metrics import (
    ACTIVE_DATES,
    ALL_KELURAHAN_ON,
    appended_counts_sql,
    cumulative_sql,
    day_end_figures_sql,
    figures_at_sql,
    scope,
)
from ektp_metrics.upload.result import Change, IngestResult, Problem, Progress


class _Refused(Exception):
    """Internal: stop validation and roll back; the problems are already in the result."""


_TABLE = {"harian": "daily_counts", "rekap": "rekap", "jadwal": "jadwal_keliling"}
# After-upload problems and the row check of a rekap row that names the same thing
_ROW_CHECK = {"cumulative_rekam_above_wajib": "rekam_above_wajib",
              "cumulative_distribusi_above_rekam": "distribusi_above_rekam"}
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
    row = one_row(cur, f"""SELECT coalesce(sum(sudah_rekam), 0), coalesce(sum(sudah_distribusi), 0),
                                  coalesce(sum(wajib_ktp), 0),
                                  coalesce(sum(sudah_rekam) FILTER (WHERE wajib_ktp > 0), 0)
                           FROM ({figures})""", {"as_of": as_of})
    return int(row[0]), int(row[1]), int(row[2]), int(row[3])


def _latest_data_day(cur) -> dt.date | None:
    """metrics.latest_data_date inside the upload's transaction (the batch's own rows count once it is recorded)."""
    row = cur.execute(f"SELECT max(tanggal) FROM ({ACTIVE_DATES})").fetchone()
    return row[0] if row else None


def _findings_now(db: Database, cur, day: dt.date) -> dict:
    """quality.findings of the data as committed (the file's rows are not active yet: no batch row), kept on the
    Database per data version and day: the dry runs of the next files on the same data check it once. Under
    the write lock (db.transaction), so no other write can commit between reading `version` and the rules."""
    from ektp_metrics import quality

    key = (db.version, day, settings.number("EKTP_MAX_DAILY"))   # the rules' one setting
    kept = db.findings_kept
    if kept is None or kept[0] != key:
        kept = db.findings_kept = (key, quality.findings(quality.CursorReader(cur), day))
    return kept[1]


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
    baris = one_value(cur, "SELECT min(baris) FROM staged WHERE tanggal = $last", {"last": last})
    code = "date_jump_pinned" if settings.today_override() else "date_jump"
    return [Problem(code, None if baris is None else int(baris), "tanggal",
                    {"tanggal": last, "hari": days, "terakhir": latest}, implausible=True)]


def _overlaps(cur, kind: str, batch_id: int, limit: int) -> list[tuple[int, int]]:
    """Active rows of other batches that the staged rows would duplicate: (baris, batch_id of the earlier
    row). (The batch's own rows are in already when the direct way wrote them in place.)"""
    if kind == "jadwal":
        return cur.execute("""
            SELECT s.baris, min(j.batch_id) AS batch_id
            FROM staged s JOIN active_jadwal_keliling j ON j.kode_kelurahan = s.kode_kelurahan
              AND j.tanggal_mulai <= s.tanggal_selesai AND s.tanggal_mulai <= j.tanggal_selesai
            WHERE j.batch_id <> ?
            GROUP BY s.baris ORDER BY s.baris LIMIT ?""", [batch_id, limit]).fetchall()
    keys = _KEYS[kind]
    on = " AND ".join(f"t.{k} = s.{k}" for k in keys)
    return cur.execute(f"""
        SELECT s.baris, min(t.batch_id) AS batch_id
        FROM staged s JOIN active_{_TABLE[kind]} t ON {on}
        WHERE t.batch_id <> ?
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
        WHERE superseded_by IS NULL AND batch_id IN (SELECT id FROM active_batches)
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
    snapshots = "kode_kelurahan IN (SELECT kode_kelurahan FROM active_rekap)"
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
    if one_value(cur, f"SELECT count(*) FROM ({rest})"):
        cur.execute(f"""INSERT INTO after_figures
                        SELECT * FROM ({day_end_figures_sql(rest)}) WHERE as_of = $today OR {offending}""", day)
    parts = ["SELECT * FROM after_figures"]
    params: dict[str, object] = {"limit": limit}
    if one_value(cur, f"SELECT count(*) FROM staged WHERE {snapshots}"):
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
    said: set[tuple] = set()   # one problem per row and kelurahan: its first date (the row's own), not every later one
    # at most `limit` rows: the offending ones only
    for _, as_of, wajib, rekam, dist, kelurahan, baris in cur.execute(sql, params).fetchall():
        base = {"kelurahan": kelurahan, "tanggal": as_of, "rekam": int(rekam)}   # a date: shown as one
        baris = None if baris is None else int(baris)
        if dist > rekam and ("distribusi", baris, kelurahan) not in said:
            said.add(("distribusi", baris, kelurahan))
            problems.append(Problem("cumulative_distribusi_above_rekam", baris, "distribusi",
                                    base | {"distribusi": int(dist)}))
        if wajib > 0 and rekam > wajib and ("wajib", baris, kelurahan) not in said:
            said.add(("wajib", baris, kelurahan))
            problems.append(Problem("cumulative_rekam_above_wajib", baris, "rekam",
                                    base | {"wajib": int(wajib)}, implausible=True))
    return problems


def write_batch(db: Database, result: IngestResult, kind: str, stage: Callable[[duckdb.DuckDBPyConnection], None] | None,
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
        with db.transaction(cur, needed_bytes=needed_bytes) as cur:   # noqa: PLR1704 - the same cursor
            earlier = cur.execute("""SELECT id, user_name, created_at FROM active_batches
                                     WHERE sha256 = ? ORDER BY id LIMIT 1""",
                                  [result.sha256]).fetchone()
            if earlier:
                result.problems.append(Problem("duplicate_file", None, None,
                                               {"batch": int(earlier[0]), "user": earlier[1],
                                                "waktu": earlier[2]}))
                raise _Refused
            reserved = None
            if stage is not None:
                stage(cur)
            elif in_place is not None:
                reserved = int(one_value(cur, "SELECT nextval('batch_id_seq')"))
                in_place(cur, reserved)
            if kind == "harian":   # the batch's rows per kelurahan, once: these counts and the after-upload check
                cur.execute("""CREATE TEMP TABLE batch_kelurahan AS
                               SELECT kode_kelurahan, count(*) AS n, min(tanggal) AS first_day, max(tanggal) AS last_day,
                                      sum(rekam) AS rekam, sum(distribusi) AS distribusi,
                                      bool_and(distribusi <= rekam) AS flat
                               FROM staged GROUP BY kode_kelurahan""")
                rows, first, last, kelurahan = one_row(cur, """SELECT coalesce(sum(n), 0), min(first_day), max(last_day),
                                                                      count(*) FROM batch_kelurahan""")
            else:
                last_column = "tanggal_selesai" if kind == "jadwal" else "tanggal"
                rows, first, last, kelurahan = one_row(cur, f"""SELECT count(*), min(tanggal), max({last_column}),
                                                                      count(DISTINCT kode_kelurahan) FROM staged""")
            latest_before = _latest_data_day(cur)   # before new_batch: the batch's rows do not count yet
            before_day = settings.today_override() or latest_before
            rekam0, dist0, wajib0, bertarget0 = _city(cur, before_day)
            # A dry run previews what Kualitas would report after it: the same rules, before and after the rows
            # are in, in this transaction (rolled back). Only there: a save does not pay for it.
            preview_findings = dry_run and kind != "jadwal"
            if preview_findings:
                from ektp_metrics import quality  # pandas: for a dry run only

                findings_before = _findings_now(db, cur, before_day or settings.deadline())
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
                # a rekap row's own check already named it (a dry run, or a confirmed file, gets this far with it)
                said = {(p.code, p.baris) for p in result.problems}
                result.problems += [p for p in _after_state_problems(cur, kind, batch_id, after_day, limit)
                                    if (_ROW_CHECK.get(p.code), p.baris) not in said]
                if result.errors or (result.implausible and not force):
                    raise _Refused
            rekam1, dist1, wajib1, bertarget1 = _city(cur, after_day, known=kind != "jadwal")
            result.change = Change(kind, before_day, after_day, rekam0, rekam1, dist0, dist1,
                                   persen_floor(bertarget0, wajib0), persen_floor(bertarget1, wajib1),
                                   int(kelurahan), first, last, scope(db).nama)
            if preview_findings:
                after = after_day or settings.deadline()
                result.findings = quality.added_findings(
                    findings_before, before_day or settings.deadline(),
                    quality.findings(quality.CursorReader(cur), after), after, batch_id)
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
                             AND batch_id IN (SELECT id FROM active_batches)""",
                        [batch_id, day, batch_id]).fetchone()
    return int(count[0]) if count else 0
