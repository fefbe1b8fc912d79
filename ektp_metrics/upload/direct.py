"""The direct way of an upload: DuckDB reads a regular UTF-8 CSV of daily counts by kelurahan code, each
distinct value is checked once in Python, the rows are joined in SQL and written in place; no pandas is
loaded (a national file of a million rows, bench/README.md). Any file it does not take, and any problem,
goes the validated way (ektp_metrics.upload.validate), which names each problem."""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections.abc import Callable

import duckdb

from ektp_metrics import settings
from ektp_metrics.db import Database, one_value
from ektp_metrics.filereader import OLE_MAGIC, XLSX_MAGIC, regular_csv_start
from ektp_metrics.upload.columns import (
    DMY_DATE,
    ISO_DATE,
    KIND_COLUMNS,
    MAX_COUNT,
    PROGRAMME_START,
    detect_kind,
    lokasi_name,
    map_columns,
    missing_columns,
    mixed_kinds,
)
from ektp_metrics.upload.result import IngestResult, Progress
from ektp_metrics.upload.write import write_batch

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


def ingest_direct(db: Database, data: bytes, fresh: Callable[[], IngestResult], *, user: str, dry_run: bool,
                  replace: bool, force: bool, progress: Progress, today: dt.date,
                  limit: int) -> IngestResult | None:
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
    mapping, ignored, problems = map_columns(header)
    if problems or mixed_kinds(set(mapping)) or detect_kind(set(mapping)) != "harian":
        return None
    ignored += [header[pos] for col, pos in mapping.items() if col not in KIND_COLUMNS["harian"]]
    mapping = {col: pos for col, pos in mapping.items() if col in KIND_COLUMNS["harian"]}
    if set(mapping) - _DIRECT_COLUMNS or "kode_kelurahan" not in mapping or missing_columns("harian", set(mapping)):
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
        if one_value(cur, "SELECT count(*) FROM raw") != rows:
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
                unique = one_value(cur, """SELECT count(*) = count(DISTINCT hash(tanggal, kode_kelurahan, lokasi))
                                           FROM staged""")
                preview = cur.execute("SELECT * FROM staged ORDER BY baris LIMIT 20")
                result.preview_data = ([c[0] for c in preview.description], preview.fetchall())
            except duckdb.Error as exc:   # a value the table refuses: the validated way names it
                raise _Declined from exc
            if not unique:
                raise _Declined

        progress(0.5, "write")
        try:
            with db.write_lock:
                write_batch(db, result, "harian", None, replace=replace, force=force, dry_run=dry_run, user=user,
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
    if one_value(cur, "SELECT count(val) <> count(*) OR count(*) <> count(DISTINCT raw) FROM m_kode"):
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
