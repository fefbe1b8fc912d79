"""Uploads: a file in, validated whole, written whole or not at all, traceable and reversible.

One upload = one batch = one DuckDB transaction. Every problem is reported with its spreadsheet row
("baris", the header being baris 1), its column and a reason code rendered in Bahasa Indonesia or English
by ektp_metrics.i18n (keys 'problem_<code>'). The Unggah page and the CLI render the same IngestResult.
Parsing and checks are vectorised (pandas) or in SQL; Python loops run only over distinct values.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import duckdb
import numpy as np
import pandas as pd

from ektp_metrics import settings
from ektp_metrics.db import Database, audit, new_batch
from ektp_metrics.formatting import persen_floor
from ektp_metrics.metrics import ACTIVE_DATES, cumulative_sql, day_end_figures_sql, figures_at_sql, scope
from ektp_metrics.migrations import LOKASI
from ektp_metrics.regions import RegionIndex, normalise_name
from ektp_metrics.tabular import RawTable, UnreadableFile, cell_text, read_table

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

MONTHS = {"januari": 1, "jan": 1, "februari": 2, "feb": 2, "pebruari": 2, "peb": 2, "maret": 3, "mar": 3,
          "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "agustus": 8, "agu": 8,
          "agt": 8, "ags": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10,
          "november": 11, "nov": 11, "nop": 11, "desember": 12, "des": 12,
          # English, as an export tool may write them
          "january": 1, "february": 2, "march": 3, "may": 5, "june": 6, "july": 7, "august": 8, "aug": 8,
          "october": 10, "oct": 10, "december": 12, "dec": 12}


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
    preview: pd.DataFrame | None = None
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

def _map_columns(table: RawTable) -> tuple[dict[str, int], list[str], list[Problem]]:
    """Canonical column → position; ignored headers; problems (duplicated columns)."""
    mapping: dict[str, int] = {}
    ignored: list[str] = []
    problems: list[Problem] = []
    for pos, header in enumerate(table.header):
        column = _HEADER_TO_COLUMN.get(header_key(header))
        if column is None:
            if header.strip():
                ignored.append(header)
        elif column in mapping:
            problems.append(Problem("duplicate_column", 1, header,
                                    {"first": table.header[mapping[column]]}))
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
    if {"tanggal_mulai", "tanggal_selesai", "alat"} & columns:
        return "jadwal"
    if {"sudah_rekam", "sudah_distribusi", "wajib_ktp", "kartu_diterima"} & columns:
        return "rekap"
    if {"rekam", "distribusi"} & columns:
        return "harian"
    return None


def _missing_columns(kind: str, columns: set[str]) -> list[Problem]:
    problems = []
    for group in REQUIRED[kind]:
        if not set(group) & columns:
            problems.append(Problem("missing_column", 1, " / ".join(group), {"kolom": " atau ".join(group)}))
    return problems


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
_ISO = r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[ T]00:00(?::00)?)?$"
_DMY = r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})$"
_NAMED = r"^(?P<d>\d{1,2})[ -]+(?P<mon>[A-Za-z]+)\.?[ -]+(?P<y>\d{4})$"


def parse_dates(col: pd.Series, *, today: dt.date | None = None) -> tuple[pd.Series, pd.Series]:
    """Dates from cells in any accepted form. Returns (datetime64 values, problem code).

    Problem codes: 'missing' (empty), 'bad_date' (unrecognised), 'impossible_date' (31/02/2013),
    'date_too_early' (before 2011), 'date_future' (after today by the real clock).
    """
    today = today or dt.date.today()
    is_dt = col.map(lambda v: isinstance(v, (dt.date, dt.datetime)))
    direct = pd.to_datetime(col.where(is_dt), errors="coerce")
    # An xlsx date cell without a date format arrives as its serial number (days since 1899-12-30).
    is_serial = col.map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool) and 36526 <= v <= 73050)
    serial = pd.to_datetime(pd.to_numeric(col.where(is_serial), errors="coerce"), unit="D", origin="1899-12-30")
    text = _as_text(col).str.replace(_WEEKDAY, "", regex=True)
    parts = pd.DataFrame(index=col.index, columns=["y", "m", "d"], dtype="string")
    for pattern in (_ISO, _DMY):
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
    norm = text.map(normalise_name)
    return norm.map(lambda v: "kelurahan" if v == "" else (v if v in LOKASI else LOKASI_SYNONYMS.get(v)))


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
    code = np.where(code_only & found, by_code.to_numpy(dtype=object), None)
    problem = np.where(code_only & ~found, "unknown_code", None).astype(object)
    suggestions: dict[int, tuple[str, ...]] = {}
    for i in np.flatnonzero(~code_only):
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


def validate(table: RawTable, index: RegionIndex, *, today: dt.date | None = None,
             limit: int | None = None) -> tuple[_Parsed | None, list[str], list[Problem]]:
    """Parse and check every row. Returns (parsed frame or None, ignored columns, problems)."""
    limit = limit or int(settings.number("EKTP_MAX_PROBLEMS"))
    mapping, ignored, problems = _map_columns(table)
    mixed = _mixed_kinds(set(mapping))
    if mixed:
        return None, [], problems + [Problem("mixed_kinds", 1, None, {"kolom": " | ".join(mixed)})]
    kind = detect_kind(set(mapping))
    if kind is None:
        for baris, row in table.head[1:]:   # a title above the header?
            if detect_kind({_HEADER_TO_COLUMN.get(header_key(cell_text(c)), "") for c in row}):
                return None, [], problems + [Problem("header_not_first", baris, None, {"n": baris - 1})]
        return None, [], problems + [Problem("unknown_kind", 1, None, {"kolom": ", ".join(table.header)})]
    ignored += [table.header[pos] for col, pos in mapping.items() if col not in KIND_COLUMNS[kind]]
    mapping = {col: pos for col, pos in mapping.items() if col in KIND_COLUMNS[kind]}
    problems += _missing_columns(kind, set(mapping))
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
        backwards = (frame["tanggal_selesai"] < frame["tanggal_mulai"]).fillna(False)
        problems += [Problem("end_before_start", int(frame["baris"].iloc[i]), "tanggal_selesai")
                     for i in np.flatnonzero(backwards.to_numpy())[:limit]]
        problems += _overlapping_schedule(frame, limit)
    problems.sort(key=lambda p: (p.baris or 0, p.kolom or ""))
    return _Parsed(kind, frame, problems), ignored, problems


# ---------------------------------------------------------------- writing

_TABLE = {"harian": "daily_counts", "rekap": "rekap", "jadwal": "jadwal_keliling"}
_KEYS = {"harian": ("tanggal", "kode_kelurahan", "lokasi"), "rekap": ("tanggal", "kode_kelurahan")}


def _city(cur, as_of: dt.date | None) -> tuple[int, int, int, int]:
    """City sudah_rekam, sudah_distribusi, wajib_ktp and the rekam of kelurahan with a target."""
    if as_of is None:
        return 0, 0, 0, 0
    row = cur.execute(f"""SELECT coalesce(sum(sudah_rekam), 0), coalesce(sum(sudah_distribusi), 0),
                                 coalesce(sum(wajib_ktp), 0),
                                 coalesce(sum(sudah_rekam) FILTER (WHERE wajib_ktp > 0), 0)
                          FROM ({cumulative_sql("SELECT kode_kelurahan, $as_of::DATE AS as_of FROM v_wilayah")})""",
                      {"as_of": as_of}).fetchone()
    return int(row[0]), int(row[1]), int(row[2]), int(row[3])


def _reference_day(cur) -> dt.date | None:
    override = settings.today_override()
    if override:
        return override
    row = cur.execute(f"SELECT max(tanggal) FROM ({ACTIVE_DATES})").fetchone()
    return row[0] if row else None


def _overlaps(cur, kind: str) -> pd.DataFrame:
    """Active rows that the staged rows would duplicate: (baris, batch_id of the earlier row)."""
    if kind == "jadwal":
        return cur.execute("""
            SELECT s.baris, min(j.batch_id) AS batch_id
            FROM staged s JOIN jadwal_keliling j ON j.kode_kelurahan = s.kode_kelurahan
              AND j.tanggal_mulai <= s.tanggal_selesai AND s.tanggal_mulai <= j.tanggal_selesai
            WHERE j.superseded_by IS NULL AND j.batch_id IN (SELECT id FROM batches WHERE status = 'aktif')
            GROUP BY s.baris ORDER BY s.baris""").df()
    keys = _KEYS[kind]
    on = " AND ".join(f"t.{k} = s.{k}" for k in keys)
    return cur.execute(f"""
        SELECT s.baris, min(t.batch_id) AS batch_id
        FROM staged s JOIN {_TABLE[kind]} t ON {on}
        WHERE t.superseded_by IS NULL AND t.batch_id IN (SELECT id FROM batches WHERE status = 'aktif')
        GROUP BY s.baris ORDER BY s.baris""").df()


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
          AND EXISTS (SELECT 1 FROM staged s WHERE {where})""", [batch_id]).fetchone()
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


def _after_state_problems(cur, limit: int) -> list[Problem]:
    """Checks on the figures after the rows are in: at each touched kelurahan and date, and today."""
    # Kelurahan with a cumulative snapshot (rekap) need figures_at_sql; the others (a daily upload's usual
    # case) a plain running sum, at the end of each touched day (the staged rows are in by now).
    snapshots = """kode_kelurahan IN (SELECT kode_kelurahan FROM rekap WHERE superseded_by IS NULL
                                      AND batch_id IN (SELECT id FROM batches WHERE status = 'aktif'))"""
    points = f"""SELECT DISTINCT kode_kelurahan, tanggal::DATE AS as_of FROM staged WHERE {snapshots}
                 UNION SELECT DISTINCT kode_kelurahan, $today::DATE FROM staged WHERE $today IS NOT NULL AND {snapshots}"""
    days = f"SELECT DISTINCT kode_kelurahan, tanggal::DATE AS as_of FROM staged WHERE NOT {snapshots}"
    today = _reference_day(cur)
    sql = f"""
        SELECT c.kode_kelurahan, c.as_of, c.wajib_ktp, c.sudah_rekam, c.sudah_distribusi, w.kelurahan,
               (SELECT min(s.baris) FROM staged s WHERE s.kode_kelurahan = c.kode_kelurahan
                  AND s.tanggal <= c.as_of) AS baris
        FROM (SELECT * FROM ({figures_at_sql(points)}) UNION ALL SELECT * FROM ({day_end_figures_sql(days)})) c
        JOIN v_wilayah w USING (kode_kelurahan)
        WHERE c.sudah_distribusi > c.sudah_rekam OR (c.wajib_ktp > 0 AND c.sudah_rekam > c.wajib_ktp)
        ORDER BY baris, c.as_of
        LIMIT $limit"""
    found = cur.execute(sql, {"today": today, "limit": limit}).df()
    problems = []
    for r in found.itertuples(index=False):   # at most `limit` rows: the offending ones only
        base = {"kelurahan": r.kelurahan, "tanggal": pd.Timestamp(r.as_of).date().isoformat(),
                "rekam": int(r.sudah_rekam)}
        baris = None if pd.isna(r.baris) else int(r.baris)
        if r.sudah_distribusi > r.sudah_rekam:
            problems.append(Problem("cumulative_distribusi_above_rekam", baris, "distribusi",
                                    base | {"distribusi": int(r.sudah_distribusi)}))
        if r.wajib_ktp > 0 and r.sudah_rekam > r.wajib_ktp:
            problems.append(Problem("cumulative_rekam_above_wajib", baris, "rekam",
                                    base | {"wajib": int(r.wajib_ktp)}, implausible=True))
    return problems


def _staged_frame(parsed: _Parsed) -> pd.DataFrame:
    """The parsed rows as they are staged: dates stay datetime64 here (cast to DATE in SQL, no Python
    date object per row)."""
    frame = parsed.frame.copy()
    if parsed.kind == "jadwal":
        frame["tanggal"] = frame["tanggal_mulai"]
    return frame


_DATE_COLUMNS = ("tanggal", "tanggal_mulai", "tanggal_selesai")


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
    result = IngestResult(file_name=file_name, sha256=hashlib.sha256(data).hexdigest(), dry_run=dry_run,
                          forced=force)
    limit = int(settings.number("EKTP_MAX_PROBLEMS"))
    max_mb = settings.number("EKTP_MAX_UPLOAD_MB")
    if len(data) > max_mb * 1024 * 1024:
        result.problems.append(Problem("too_large", None, None, {"mb": round(len(data) / 1048576, 1), "maks": max_mb}))
        return result
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
    parsed, result.ignored_columns, problems = validate(table, index, today=today, limit=limit)
    columns = set(_map_columns(table)[0])
    result.kind = parsed.kind if parsed else (None if _mixed_kinds(columns) else detect_kind(columns))
    result.rows = table.n_rows
    result.problems = problems
    if parsed is None or result.errors or (result.implausible and not force):
        if parsed is not None:
            result.preview = parsed.frame.head(20)
        return result
    result.preview = parsed.frame.head(20)
    if not may_set_targets and parsed.kind == "rekap" and parsed.frame["wajib_ktp"].notna().any():
        result.problems.append(Problem("targets_admin_only", 1, "wajib_ktp"))
        return result
    frame = _staged_frame(parsed)

    progress(0.5, "write")
    with db.write_lock:
        _write(db, result, parsed, frame, replace=replace, force=force, dry_run=dry_run, user=user,
               limit=limit, progress=progress, schedule_from=schedule_from if parsed.kind == "jadwal" else None)
    progress(1.0, "done")
    return result


def _write(db: Database, result: IngestResult, parsed: _Parsed, frame: pd.DataFrame, *, replace: bool,
           force: bool, dry_run: bool, user: str, limit: int, progress: Progress,
           schedule_from: dt.date | None = None) -> None:
    """The database part of an upload, in one transaction under the write lock."""
    file_name = result.file_name
    cur = db.cursor()
    cur.begin()
    try:
        earlier = cur.execute("""SELECT id, user_name, created_at FROM batches
                                 WHERE sha256 = ? AND status = 'aktif' ORDER BY id LIMIT 1""",
                              [result.sha256]).fetchone()
        if earlier:
            result.problems.append(Problem("duplicate_file", None, None,
                                           {"batch": int(earlier[0]), "user": earlier[1],
                                            "waktu": earlier[2].strftime("%Y-%m-%d %H:%M")}))
            raise _Refused
        cur.register("staged_frame", frame)
        dates = ", ".join(f"{c}::DATE AS {c}" for c in _DATE_COLUMNS if c in frame)
        cur.execute(f"CREATE TEMP TABLE staged AS SELECT * REPLACE ({dates}) FROM staged_frame")
        cur.unregister("staged_frame")
        before_day = _reference_day(cur)
        rekam0, dist0, wajib0, bertarget0 = _city(cur, before_day)
        batch_id = new_batch(cur, kind=parsed.kind, file_name=file_name, user_name=user, rows=len(frame),
                             sha256=result.sha256)
        if schedule_from is not None:   # the file is the schedule from that day on
            result.superseded = supersede_schedule_from(cur, batch_id, schedule_from)
        overlaps = _overlaps(cur, parsed.kind)
        if len(overlaps) and not replace:
            result.problems += [Problem("overlap", int(r.baris), None, {"batch": int(r.batch_id)})
                                for r in overlaps.head(limit).itertuples(index=False)]
            raise _Refused
        if replace and len(overlaps):
            result.superseded += _supersede(cur, parsed.kind, batch_id)
        if result.superseded:
            cur.execute("UPDATE batches SET note = ? WHERE id = ?",
                        [f"koreksi: menggantikan {result.superseded} baris", batch_id])
        _insert(cur, parsed.kind, batch_id)
        progress(0.8, "check")
        if parsed.kind != "jadwal":
            result.problems += _after_state_problems(cur, limit)
            if result.errors or (result.implausible and not force):
                raise _Refused
        after_day = _reference_day(cur)
        rekam1, dist1, wajib1, bertarget1 = _city(cur, after_day)
        first = frame["tanggal"].min().date()
        last = (frame["tanggal_selesai"] if parsed.kind == "jadwal" else frame["tanggal"]).max().date()
        result.change = Change(parsed.kind, before_day, after_day, rekam0, rekam1, dist0, dist1,
                               persen_floor(bertarget0, wajib0), persen_floor(bertarget1, wajib1),
                               int(frame["kode_kelurahan"].nunique()), first, last, scope(db).nama)
        if dry_run:
            raise _Refused
        audit(cur, user, "unggah", f"batch {batch_id}",
              f"{parsed.kind}; {file_name}; {len(frame)} baris; sha256 {result.sha256}"
              + (f"; koreksi menggantikan {result.superseded} baris" if result.superseded else "")
              + ("; nilai tidak wajar dikonfirmasi" if force and result.implausible else ""))
        cur.execute("DROP TABLE staged")
        cur.commit()
        result.batch_id = batch_id
    except _Refused:
        cur.rollback()
    except duckdb.Error as exc:   # e.g. a value the schema refuses: still a refusal, never a traceback
        cur.rollback()
        result.problems.append(Problem("database_refused", None, None, {"detail": str(exc).splitlines()[0][:200]}))
    except BaseException:
        cur.rollback()
        raise
    finally:
        cur.close()


def supersede_schedule_from(cur, batch_id: int, day: dt.date) -> int:
    """Inside the caller's transaction: batch `batch_id` is the whole schedule from `day` on. Every active
    visit starting on or after it is superseded, and the day is recorded for later reverts."""
    cur.execute("INSERT INTO jadwal_dari (batch_id, mulai) VALUES (?, ?)", [batch_id, day])
    count = cur.execute("""UPDATE jadwal_keliling SET superseded_by = ?
                           WHERE superseded_by IS NULL AND tanggal_mulai >= ? AND batch_id <> ?
                             AND batch_id IN (SELECT id FROM batches WHERE status = 'aktif')""",
                        [batch_id, day, batch_id]).fetchone()
    return int(count[0]) if count else 0


# ---------------------------------------------------------------- history and revert

class RevertRefused(Exception):
    def __init__(self, code: str, **params: object):
        self.code = code
        self.params = params
        super().__init__(code)


# How a row of each table matches "the same data" in a reverted batch (`mine`); the outer row is the table.
_SAME_KEY = {
    "daily_counts": """mine.tanggal = daily_counts.tanggal AND mine.kode_kelurahan = daily_counts.kode_kelurahan
                       AND mine.lokasi = daily_counts.lokasi""",
    "rekap": "mine.tanggal = rekap.tanggal AND mine.kode_kelurahan = rekap.kode_kelurahan",
    "targets": "mine.berlaku_mulai = targets.berlaku_mulai AND mine.kode_kelurahan = targets.kode_kelurahan",
    "jadwal_keliling": """mine.kode_kelurahan = jadwal_keliling.kode_kelurahan
                          AND mine.tanggal_mulai <= jadwal_keliling.tanggal_selesai
                          AND jadwal_keliling.tanggal_mulai <= mine.tanggal_selesai""",
}


def revert(db: Database, batch_id: int, *, user: str, reason: str, role: str | None = None) -> None:
    """Exclude a batch from every figure, keeping it in history; restore rows it had superseded.

    role: the reverting user's role when acting through the app (admins revert any batch, operators
    only their own); None for the command line, which only the server's administrator can run.
    """
    from ektp_metrics.auth import User, may_revert

    if not reason or not reason.strip():
        raise RevertRefused("reason_required")
    with db.transaction() as cur:
        row = cur.execute("SELECT status, user_name FROM batches WHERE id = ?", [batch_id]).fetchone()
        if row is None:
            raise RevertRefused("unknown_batch", batch=batch_id)
        if role is not None and not may_revert(User(user, user, role), row[1]):
            raise RevertRefused("not_allowed", batch=batch_id)
        if row[0] != "aktif":
            raise RevertRefused("already_reverted", batch=batch_id)
        cur.execute("""UPDATE batches SET status = 'dibatalkan', reverted_at = current_timestamp,
                              reverted_by = ?, revert_reason = ? WHERE id = ?""", [user, reason.strip(), batch_id])
        # Visits this batch had replaced stay replaced when a later active batch is the whole schedule
        # from a day on or before their start (B1 ← B2 ← B3 from 7 Nov, revert B2: B1's visits from 7 Nov
        # belong to B3's schedule, not back).
        cur.execute("""
            UPDATE jadwal_keliling SET superseded_by = (
                SELECT max(d.batch_id) FROM jadwal_dari d JOIN batches b ON b.id = d.batch_id AND b.status = 'aktif'
                WHERE d.batch_id > ? AND d.mulai <= jadwal_keliling.tanggal_mulai)
            WHERE superseded_by = ? AND EXISTS (
                SELECT 1 FROM jadwal_dari d JOIN batches b ON b.id = d.batch_id AND b.status = 'aktif'
                WHERE d.batch_id > ? AND d.mulai <= jadwal_keliling.tanggal_mulai)""",
                    [batch_id, batch_id, batch_id])
        # Rows this batch had replaced come back, unless a later correction had replaced this batch's
        # own rows for the same key: then they stay replaced, by that later batch (B1 ← B2 ← B3, revert B2).
        for table, same_key in _SAME_KEY.items():
            cur.execute(f"""
                UPDATE {table} SET superseded_by = (
                    SELECT max(mine.superseded_by) FROM {table} mine
                    WHERE mine.batch_id = ? AND {same_key})
                WHERE superseded_by = ?""", [batch_id, batch_id])
        audit(cur, user, "batal", f"batch {batch_id}", reason.strip())


def batches(db: Database) -> pd.DataFrame:
    """Every batch, newest first."""
    return db.fetch_df("""SELECT id, kind, file_name AS file, sha256, rows, user_name AS user, created_at, status,
                                 reverted_at, reverted_by, revert_reason, note
                          FROM batches ORDER BY id DESC""")


_BATCH_TABLE = {"harian": "daily_counts", "rekap": "rekap", "jadwal": "jadwal_keliling", "target": "targets",
                "publikasi": "reference_figures"}


def _batch_table(db: Database, batch_id: int) -> str | None:
    kind_row = db.fetch_one("SELECT kind FROM batches WHERE id = ?", [batch_id])
    return None if kind_row is None else _BATCH_TABLE[kind_row[0]]


def batch_row_count(db: Database, batch_id: int) -> int:
    """How many rows a batch brought (for paging batch_rows)."""
    table = _batch_table(db, batch_id)
    return 0 if table is None else int(db.fetch_one(f"SELECT count(*) FROM {table} WHERE batch_id = ?", [batch_id])[0])


def batch_rows(db: Database, batch_id: int, limit: int | None = None, offset: int = 0) -> pd.DataFrame:
    """The rows a batch brought, with their kelurahan names and whether a later correction replaced them;
    `limit` rows from `offset` in file order (a national upload has a million: pages show 100)."""
    table = _batch_table(db, batch_id)
    if table is None:
        return pd.DataFrame()
    columns = "t.*" if table == "reference_figures" else "t.*, w.kelurahan, w.kecamatan"
    join = "" if table == "reference_figures" else "LEFT JOIN v_wilayah w USING (kode_kelurahan)"
    frame = db.fetch_df(f"""SELECT {columns} FROM {table} t {join} WHERE t.batch_id = ?
                            ORDER BY t.baris LIMIT ? OFFSET ?""", [batch_id, limit, offset])
    for name in ("tanggal", "berlaku_mulai", "tanggal_mulai", "tanggal_selesai"):
        if name in frame:
            frame[name] = frame[name].dt.date
    return frame.drop(columns=["batch_id"]).rename(columns={"superseded_by": "digantikan_oleh_batch"})
