"""The validated way of an upload: checking a file cell by cell, every problem named by baris and kolom.

Every file that the direct way (ektp_metrics.upload.direct) does not take comes here: any format (xlsx,
CSV in any encoding, irregular rows), names instead of codes, and every file with a problem, which is
named with its row and column. Parsing and checks are vectorised (pandas) or in SQL; Python loops run
only over distinct values. The column names are ektp_metrics.upload.columns', the write transaction
ektp_metrics.upload.write's.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ektp_metrics import fields, formatting, settings
from ektp_metrics.db import Database
from ektp_metrics.filereader import RawTable, UnreadableFile, cell_text, read_table
from ektp_metrics.migrations import LOKASI
from ektp_metrics.regions import RegionIndex
from ektp_metrics.upload.columns import (
    DMY_DATE,
    HEADER_TO_COLUMN,
    ISO_DATE,
    KIND_COLUMNS,
    MAX_COUNT,
    PROGRAMME_START,
    detect_kind,
    header_key,
    lokasi_name,
    map_columns,
    missing_columns,
    mixed_kinds,
)
from ektp_metrics.upload.result import IngestResult, Problem, Progress
from ektp_metrics.upload.write import write_batch

MONTHS = {"januari": 1, "jan": 1, "februari": 2, "feb": 2, "pebruari": 2, "peb": 2, "maret": 3, "mar": 3,
          "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "agustus": 8, "agu": 8,
          "agt": 8, "ags": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10,
          "november": 11, "nov": 11, "nop": 11, "desember": 12, "des": 12,
          # English, as an export tool may write them
          "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8, "aug": 8,
          "october": 10, "oct": 10, "december": 12, "dec": 12}


# ---------------------------------------------------------------- cell parsing (vectorised)

_INT = re.compile(r"^[+-]?\d+$")
_THOUSANDS_DOT = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_DECIMAL_DOT = re.compile(r"^[+-]?\d+\.\d{1,2}$")
_THOUSANDS_DECIMAL = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+,\d+$")   # 1.050,00 from an Excel export


def _as_text(col: pd.Series) -> pd.Series:
    return col.map(cell_text).astype("string").str.strip()


def _per_distinct(parse, col: pd.Series, **options: object):
    """parse(col) computed once per distinct cell of a string column (a bulk-read CSV: a million rows
    hold a few hundred dates and counts), then spread back to the rows. The same parser, the same result.
    Object columns (cells of any type, as from xlsx) go to parse as they are: there 1 and 1.0 and True
    are equal keys but not equal cells."""
    if col.dtype == object:
        return parse(col, **options)
    codes, uniques = pd.factorize(col)
    if (codes < 0).any():
        return parse(col, **options)
    out = parse(pd.Series(np.asarray(uniques, dtype=object), dtype="object"), **options)

    def spread(series: pd.Series) -> pd.Series:
        return series.iloc[codes].set_axis(col.index)

    return tuple(spread(o) for o in out) if isinstance(out, tuple) else spread(out)


def parse_counts(col: pd.Series, *, empty_is_zero: bool) -> tuple[pd.Series, pd.Series]:
    """Counts from cells: '1.050' (Indonesian thousands) → 1050. Returns (Int64 values, problem code).

    Problem codes: 'not_a_number', 'negative', 'fractional'. An empty cell is 0 or missing.
    """
    is_num = col.map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool))
    numeric = pd.to_numeric(col.where(is_num), errors="coerce").astype("Float64")
    text = _as_text(col)
    if empty_is_zero:   # accounting format writes a zero as "-"
        text = text.mask(text == "-", "")
    cleaned = text.where(~(text.str.match(_THOUSANDS_DOT.pattern) | text.str.match(_THOUSANDS_DECIMAL.pattern)),
                         text.str.replace(".", "", regex=False))
    cleaned = cleaned.where(~cleaned.str.match(_DECIMAL_COMMA.pattern), cleaned.str.replace(",", ".", regex=False))
    recognised = (cleaned.str.match(_INT.pattern) | text.str.match(_DECIMAL_COMMA.pattern)
                  | text.str.match(_THOUSANDS_DECIMAL.pattern)
                  | text.str.match(_DECIMAL_DOT.pattern) | text.str.match(_THOUSANDS_DOT.pattern))
    from_text = pd.to_numeric(cleaned.where(recognised & ~is_num), errors="coerce").astype("Float64")
    value = numeric.fillna(from_text)
    empty = (text == "") | text.isna()
    problem = pd.Series(pd.NA, index=col.index, dtype="string")
    problem = problem.mask(~empty & value.isna(), "not_a_number")
    problem = problem.mask(value.notna() & (value < 0), "negative")
    problem = problem.mask(value.notna() & (value >= 0) & (value != value.round()), "fractional")
    problem = problem.mask(value.notna() & (value > MAX_COUNT), "too_big")
    if empty_is_zero:
        value = value.mask(empty, 0.0)
    ok = value.notna() & problem.isna()
    return value.where(ok).round().astype("Int64"), problem


_WEEKDAY = r"(?i)^(senin|selasa|rabu|kamis|jum'?at|sabtu|minggu|ahad|monday|tuesday|wednesday|thursday|friday|saturday|sunday)[,\s]+"
_NAMED = r"^(?P<d>\d{1,2})[ -]+(?P<mon>[A-Za-z]+)\.?[ -]+(?P<y>\d{4})$"


def parse_dates(col: pd.Series, *, today: dt.date | None = None) -> tuple[pd.Series, pd.Series]:
    """Dates from cells in any accepted form. Returns (datetime64 values, problem code).

    Problem codes: 'missing' (empty), 'bad_date' (unrecognised), 'impossible_date' (31/02/2013),
    'date_too_early' (before 2011), 'date_future' (after today by the real clock).
    """
    today = today or formatting.hari_ini()
    is_dt = col.map(lambda v: isinstance(v, (dt.date, dt.datetime)))
    direct = pd.to_datetime(col.where(is_dt), errors="coerce")
    # An xlsx date cell without a date format arrives as its serial number (days since 1899-12-30).
    is_serial = col.map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and 36526 <= v <= 73050)
    serial = pd.to_datetime(pd.to_numeric(col.where(is_serial), errors="coerce"), unit="D", origin="1899-12-30")
    text = _as_text(col).str.replace(_WEEKDAY, "", regex=True)
    parts = pd.DataFrame(index=col.index, columns=["y", "m", "d"], dtype="string")
    for pattern in (ISO_DATE, DMY_DATE):
        found = text.str.extract(pattern)
        parts = parts.fillna(found[["y", "m", "d"]])
    named = text.str.extract(_NAMED)
    month = named["mon"].str.lower().map(MONTHS)
    named_ok = month.notna()
    parts.loc[named_ok, "y"] = named.loc[named_ok, "y"]
    parts.loc[named_ok, "d"] = named.loc[named_ok, "d"]
    parts.loc[named_ok, "m"] = month[named_ok].astype("Int64").astype("string")
    recognised = parts["y"].notna() & ~is_dt & ~is_serial
    numbers = parts.apply(pd.to_numeric, errors="coerce").astype("float64").where(recognised)
    built = pd.to_datetime(pd.DataFrame({"year": numbers["y"], "month": numbers["m"], "day": numbers["d"]}),
                           errors="coerce")
    value = direct.fillna(serial).fillna(built).dt.normalize()
    empty = (text == "") | text.isna()
    problem = pd.Series(pd.NA, index=col.index, dtype="string")
    problem = problem.mask(empty, "missing")
    problem = problem.mask(~empty & ~recognised & value.isna(), "bad_date")
    problem = problem.mask(recognised & built.isna(), "impossible_date")
    problem = problem.mask(value.notna() & (value < pd.Timestamp(PROGRAMME_START)), "date_too_early")
    problem = problem.mask(value.notna() & (value > pd.Timestamp(today)), "date_future")
    return value.where(problem.isna()), problem


_TIME = r"^(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?::\d{2})?$"


def parse_times(col: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Clock times '15:00' or '15.00' (or xlsx time cells). Returns (time objects or None, problem)."""
    is_time = col.map(lambda v: isinstance(v, (dt.time, dt.datetime)))
    text = _as_text(col)
    found = text.str.extract(_TIME).apply(pd.to_numeric, errors="coerce").astype("float64")
    valid = (found["h"].between(0, 23) & found["mi"].between(0, 59)).astype(bool)
    values = [
        (v.time() if isinstance(v, dt.datetime) else v) if t else
        (dt.time(int(h), int(m)) if ok else None)
        for v, t, h, m, ok in zip(col, is_time, found["h"], found["mi"], valid)
    ]
    empty = (text == "") | text.isna()
    problem = pd.Series(pd.NA, index=col.index, dtype="string").mask(~empty & ~is_time & ~valid, "bad_time")
    return pd.Series(values, index=col.index, dtype="object"), problem


def _lokasi(text: pd.Series) -> pd.Series:
    """A lokasi cell → its canonical name ('' is kelurahan), or None when unknown."""
    return text.map(lokasi_name)


# ---------------------------------------------------------------- validation

@dataclass
class _Parsed:
    kind: str
    frame: pd.DataFrame                  # canonical columns, parsed; 'baris' holds spreadsheet rows
    problems: list[Problem]


def _cell(col: pd.Series, idx: int) -> str:
    return cell_text(col.iloc[idx])


def _column_problems(frame: pd.DataFrame, raw: pd.Series, codes: pd.Series, kolom: str,
                     limit: int, **params: object) -> list[Problem]:
    bad = np.flatnonzero(codes.notna().to_numpy())[:limit]
    return [Problem(str(codes.iloc[i]), int(frame["baris"].iloc[i]), kolom,
                    {"nilai": _cell(raw, i), **params}) for i in bad]


def _resolve_kelurahan(frame: pd.DataFrame, raw: pd.DataFrame, index: RegionIndex,
                       limit: int) -> tuple[pd.Series, list[Problem]]:
    """The Kemendagri code of each row's kelurahan, resolved once per distinct (kode, nama, kecamatan)."""
    names = ("kode_kelurahan", "kelurahan", "kecamatan")
    given = {name: _per_distinct(_as_text, raw[name]).fillna("") for name in names if name in raw}
    if len(given) == 1:     # one column (a code alone, the common national file): factorize it
        (name, column), = given.items()
        group, uniques = pd.factorize(column)
        distinct = pd.DataFrame({name: np.asarray(uniques, dtype=object)}, dtype="string")
    else:
        keys = pd.DataFrame(given)
        group = keys.groupby(list(given), sort=False).ngroup().to_numpy()
        distinct = keys.drop_duplicates()      # in the order of ngroup(sort=False): first appearance
    distinct = distinct.reindex(columns=list(names), fill_value="").reset_index(drop=True)
    kode, nama, kec = (distinct[name].to_numpy(dtype=object) for name in names)
    # Distinct keys that give a code alone are looked up all at once; the others one by one.
    digits = distinct["kode_kelurahan"].str.replace(r"\D", "", regex=True)
    by_code = digits.map(index.code_lookup())
    code_only = ((nama == "") & (kec == "") & (digits != "")).to_numpy(dtype=bool)
    found = by_code.notna().to_numpy(dtype=bool)
    code = np.full(len(distinct), None, dtype=object)
    code[code_only & found] = by_code.to_numpy(dtype=object)[code_only & found]
    problem = np.full(len(distinct), None, dtype=object)
    problem[code_only & ~found] = "unknown_code"
    suggestions: dict[int, tuple[str, ...]] = {}
    for i in np.flatnonzero(~code_only).tolist():
        if not kode[i] and not nama[i]:
            problem[i] = "missing_kelurahan"
            continue
        r = index.resolve(kode=kode[i] or None, nama=nama[i] or None, kecamatan=kec[i] or None)
        code[i], problem[i], suggestions[i] = (r.kelurahan.kode if r.kelurahan else None), r.problem, r.suggestions
    codes = pd.Series(code[group], index=frame.index, dtype="string")
    problems = []
    for i in np.flatnonzero(codes.isna().to_numpy())[:limit]:
        g = group[i]
        reason, saran = problem[g], suggestions.get(g, ())
        kolom = "kode_kelurahan" if reason == "unknown_code" else ("kecamatan" if reason == "outside_kecamatan"
                                                                   else "kelurahan")
        if reason == "unknown" and not saran:
            reason = "unknown_nosuggest"
        problems.append(Problem(f"kelurahan_{reason}", int(frame["baris"].iloc[i]), kolom,
                                {"nilai": nama[g] or kode[g], "kode": kode[g], "kecamatan": kec[g],
                                 "saran": ", ".join(saran)}))
    return codes, problems


def _duplicates(frame: pd.DataFrame, keys: list[str], limit: int) -> list[Problem]:
    valid = frame.dropna(subset=keys)
    dup = valid[valid.duplicated(subset=keys, keep=False)]
    problems = []
    for _, group in dup.groupby(keys, sort=False):
        rows = group["baris"].tolist()
        for later in rows[1:]:
            problems.append(Problem("duplicate_row", int(later), None,
                                    {"baris_lain": int(rows[0]), "kunci": ", ".join(keys)}))
            if len(problems) >= limit:
                return problems
    return problems


def _overlapping_schedule(frame: pd.DataFrame, limit: int) -> list[Problem]:
    """Two rows of one schedule that serve the same kelurahan on overlapping days."""
    rows = frame[["baris", "kode_kelurahan", "tanggal_mulai", "tanggal_selesai"]].dropna()
    pairs = rows.merge(rows, on="kode_kelurahan", suffixes=("", "_lain"))
    pairs = pairs[(pairs["baris"] > pairs["baris_lain"]) & (pairs["tanggal_mulai"] <= pairs["tanggal_selesai_lain"])
                  & (pairs["tanggal_mulai_lain"] <= pairs["tanggal_selesai"])]
    first = pairs.groupby("baris", as_index=False)["baris_lain"].min().head(limit)
    return [Problem("overlapping_schedule", int(r.baris), "tanggal_mulai", {"baris_lain": int(r.baris_lain)})
            for r in first.itertuples(index=False)]


def check_table(table: RawTable, index: RegionIndex, *, today: dt.date | None = None,
             limit: int | None = None) -> tuple[_Parsed | None, list[str], list[Problem]]:
    """Parse and check every row. Returns (parsed frame or None, ignored columns, problems)."""
    limit = limit or int(settings.number("EKTP_MAX_PROBLEMS"))
    mapping, ignored, problems = map_columns(table.header)
    mixed = mixed_kinds(set(mapping))
    if mixed:
        return None, [], problems + [Problem("mixed_kinds", 1, None, {"kolom": " | ".join(mixed)})]
    kind = detect_kind(set(mapping))
    if kind is None:
        for baris, row in table.head[1:]:   # a title above the header?
            if detect_kind({HEADER_TO_COLUMN.get(header_key(cell_text(c)), "") for c in row}):
                return None, [], problems + [Problem("header_not_first", baris, None, {"n": baris - 1})]
        return None, [], problems + [Problem("unknown_kind", 1, None, {"kolom": ", ".join(table.header)})]
    ignored += [table.header[pos] for col, pos in mapping.items() if col not in KIND_COLUMNS[kind]]
    mapping = {col: pos for col, pos in mapping.items() if col in KIND_COLUMNS[kind]}
    problems += missing_columns(kind, set(mapping))
    if not table.n_rows:
        problems.append(Problem("header_only", 1))
    for baris, width in table.ragged[:limit]:
        problems.append(Problem("ragged_row", baris, None, {"jumlah": width, "header": len(table.header)}))
    if problems:
        return None, ignored, problems

    raw = pd.DataFrame({col: table.column(pos) for col, pos in mapping.items()})
    frame = pd.DataFrame({"baris": pd.Series(table.row_numbers, dtype="int64")})
    frame["kode_kelurahan"], kel_problems = _resolve_kelurahan(frame, raw, index, limit)
    problems += kel_problems

    date_columns = ("tanggal",) if kind != "jadwal" else ("tanggal_mulai", "tanggal_selesai")
    for name in date_columns:
        frame[name], codes = _per_distinct(parse_dates, raw[name], today=today)
        problems += _column_problems(frame, raw[name], codes, name, limit)

    max_daily = int(settings.number("EKTP_MAX_DAILY"))
    if kind == "harian":
        lokasi_text = _per_distinct(_as_text, raw["lokasi"]).fillna("") if "lokasi" in raw \
            else pd.Series("", index=raw.index)
        lokasi = _per_distinct(_lokasi, lokasi_text)
        frame["lokasi"] = lokasi.astype("string")
        bad = np.flatnonzero(lokasi.isna().to_numpy())[:limit]
        problems += [Problem("unknown_lokasi", int(frame["baris"].iloc[i]), "lokasi",
                             {"nilai": lokasi_text.iloc[i], "pilihan": ", ".join(LOKASI)}) for i in bad]
        for name in ("rekam", "distribusi"):
            if name in raw:
                frame[name], codes = _per_distinct(parse_counts, raw[name], empty_is_zero=True)
                problems += _column_problems(frame, raw[name], codes, name, limit)
                too_many = frame[name].fillna(0) > max_daily
                problems += [Problem("above_daily_max", int(frame["baris"].iloc[i]), name,
                                     {"nilai": int(frame[name].iloc[i]), "maks": max_daily}, implausible=True)
                             for i in np.flatnonzero(too_many.to_numpy())[:limit]]
            else:
                frame[name] = pd.Series(0, index=frame.index, dtype="Int64")
        problems += _duplicates(frame, ["tanggal", "kode_kelurahan", "lokasi"], limit)
    elif kind == "rekap":
        for name in ("wajib_ktp", "sudah_rekam", "sudah_distribusi", "kartu_diterima"):
            if name in raw:
                frame[name], codes = _per_distinct(parse_counts, raw[name], empty_is_zero=False)
                problems += _column_problems(frame, raw[name], codes, name, limit)
            else:
                frame[name] = pd.Series(pd.NA, index=frame.index, dtype="Int64")
        above = (frame["sudah_distribusi"] > frame["sudah_rekam"]).fillna(False)
        problems += [Problem("distribusi_above_rekam", int(frame["baris"].iloc[i]), "sudah_distribusi",
                             {"distribusi": int(frame["sudah_distribusi"].iloc[i]),
                              "rekam": int(frame["sudah_rekam"].iloc[i])})
                     for i in np.flatnonzero(above.to_numpy())[:limit]]
        over = (frame["sudah_rekam"] > frame["wajib_ktp"]).fillna(False)
        problems += [Problem("rekam_above_wajib", int(frame["baris"].iloc[i]), "sudah_rekam",
                             {"rekam": int(frame["sudah_rekam"].iloc[i]), "wajib": int(frame["wajib_ktp"].iloc[i])},
                             implausible=True)
                     for i in np.flatnonzero(over.to_numpy())[:limit]]
        problems += _duplicates(frame, ["tanggal", "kode_kelurahan"], limit)
    else:  # jadwal
        frame["alat"], codes = _per_distinct(parse_counts, raw["alat"], empty_is_zero=False)
        codes = codes.mask(codes.isna() & (frame["alat"].isna() | (frame["alat"] == 0)), "no_devices")
        problems += _column_problems(frame, raw["alat"], codes, "alat", limit)
        for name in ("jam_mulai", "jam_selesai"):
            if name in raw:
                frame[name], codes = _per_distinct(parse_times, raw[name])
                problems += _column_problems(frame, raw[name], codes, name, limit)
            else:
                frame[name] = None
        frame["tempat"] = _as_text(raw["tempat"]) if "tempat" in raw else pd.Series(pd.NA, dtype="string")
        lengths = frame["tempat"].str.len()
        too_long = (lengths > fields.LIMITS["tempat"]).fillna(False).to_numpy(dtype=bool)
        problems += [Problem("too_long", int(frame["baris"].iloc[i]), "tempat",
                             {"n": int(lengths.iloc[i]), "batas": fields.LIMITS["tempat"]})
                     for i in np.flatnonzero(too_long)[:limit]]
        backwards = (frame["tanggal_selesai"] < frame["tanggal_mulai"]).fillna(False)
        problems += [Problem("end_before_start", int(frame["baris"].iloc[i]), "tanggal_selesai")
                     for i in np.flatnonzero(backwards.to_numpy())[:limit]]
        problems += _overlapping_schedule(frame, limit)
    problems.sort(key=lambda p: (p.baris or 0, p.kolom or ""))
    return _Parsed(kind, frame, problems), ignored, problems

def _staged_frame(parsed: _Parsed) -> pd.DataFrame:
    """The parsed rows as they are staged: dates stay datetime64 here (cast to DATE in SQL, no Python
    date object per row)."""
    frame = parsed.frame.copy()
    if parsed.kind == "jadwal":
        frame["tanggal"] = frame["tanggal_mulai"]
    return frame


_DATE_COLUMNS = ("tanggal", "tanggal_mulai", "tanggal_selesai")

def validated(db: Database, data: bytes, result: IngestResult, *, user: str, dry_run: bool, replace: bool,
              force: bool, sheet: str | None, progress: Progress, today: dt.date | None, may_set_targets: bool,
              schedule_from: dt.date | None, limit: int) -> IngestResult:
    """ektp_metrics.upload.ingest for every file its direct way does not take: read, parse and check
    each cell, name every problem, and unless refused or dry_run write the file (write.write_batch)."""
    progress(0.05, "read")
    max_rows = int(settings.number("EKTP_MAX_ROWS"))
    try:
        table = read_table(data, sheet, max_rows=max_rows)
    except UnreadableFile as exc:
        result.problems.append(Problem(exc.code, None, None, dict(exc.params)))
        return result
    result.format, result.encoding, result.delimiter = table.format, table.encoding, table.delimiter
    result.sheet, result.sheets = table.sheet, table.sheets
    if table.n_rows > max_rows:
        result.problems.append(Problem("too_many_rows", None, None, {"baris": table.n_rows, "maks": max_rows}))
        return result
    progress(0.2, "validate")
    with db.cursor() as cur:
        index = RegionIndex.from_db(cur)
    parsed, result.ignored_columns, problems = check_table(table, index, today=today, limit=limit)
    columns = set(map_columns(table.header)[0])
    result.kind = parsed.kind if parsed else (None if mixed_kinds(columns) else detect_kind(columns))
    result.rows = table.n_rows
    result.problems = problems
    if parsed is not None:
        result.preview_data = parsed.frame.head(20)
    # A dry run with implausible values goes on to the database's checks: the preview then names every
    # problem the confirmation box cannot accept too, and says so, before anyone ticks it (issue 21).
    if parsed is None or result.errors or (result.implausible and not force and not dry_run):
        return result
    if not may_set_targets and parsed.kind == "rekap" and parsed.frame["wajib_ktp"].notna().any():
        result.problems.append(Problem("targets_admin_only", 1, "wajib_ktp"))
        return result
    frame = _staged_frame(parsed)

    def stage(cur) -> None:
        cur.register("staged_frame", frame)
        dates = ", ".join(f"{c}::DATE AS {c}" for c in _DATE_COLUMNS if c in frame)
        cur.execute(f"CREATE TEMP TABLE staged AS SELECT * REPLACE ({dates}) FROM staged_frame")
        cur.unregister("staged_frame")

    progress(0.5, "write")
    with db.write_lock:
        write_batch(db, result, parsed.kind, stage, replace=replace, force=force, dry_run=dry_run, user=user,
                    limit=limit, progress=progress, schedule_from=schedule_from if parsed.kind == "jadwal" else None,
                    needed_bytes=2 * len(data))
    progress(1.0, "done")
    return result
