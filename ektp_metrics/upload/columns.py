"""The columns of an upload: header names → columns, the kinds of file and the columns each needs, and
the plain forms of a cell that both ways read (dates from the programme's start, counts up to MAX_COUNT,
lokasi names)."""

from __future__ import annotations

import datetime as dt
import re

from ektp_metrics.migrations import LOKASI
from ektp_metrics.regions import normalise_name
from ektp_metrics.upload.result import Problem

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
HEADER_TO_COLUMN = {header_key(syn): col for col, syns in COLUMN_SYNONYMS.items() for syn in syns}

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


def map_columns(headers: list[str]) -> tuple[dict[str, int], list[str], list[Problem]]:
    """Canonical column → position; ignored headers; problems (duplicated columns)."""
    mapping: dict[str, int] = {}
    ignored: list[str] = []
    problems: list[Problem] = []
    for pos, header in enumerate(headers):
        column = HEADER_TO_COLUMN.get(header_key(header))
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


def mixed_kinds(columns: set[str]) -> list[str]:
    """Column groups of more than one kind in one file (a daily report with running totals, say)."""
    groups = [g for g in (_DAILY, _CUMULATIVE, _SCHEDULE) if g & columns]
    return [", ".join(sorted(g & columns)) for g in groups] if len(groups) > 1 else []


def detect_kind(columns: set[str]) -> str | None:
    for kind, group in (("jadwal", _SCHEDULE), ("rekap", _CUMULATIVE), ("harian", _DAILY)):
        if group & columns:
            return kind
    return None


def missing_columns(kind: str, columns: set[str]) -> list[Problem]:
    problems = []
    for group in REQUIRED[kind]:
        if not set(group) & columns:
            problems.append(Problem("missing_column", 1, " / ".join(group), {"kolom": " atau ".join(group)}))
    return problems


def lokasi_name(text: str) -> str | None:
    """A lokasi cell's text → its canonical name ('' is kelurahan), or None when unknown."""
    norm = normalise_name(text)
    return "kelurahan" if norm == "" else (norm if norm in LOKASI else LOKASI_SYNONYMS.get(norm))


# Dates written as numbers: 2013-10-25 (also with a midnight time, as exported) and 25/10/2013 (/ . or -).
# The validated way's parser accepts these and more; the direct way only these, with ASCII digits.
ISO_DATE = r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[ T]00:00(?::00)?)?$"
DMY_DATE = r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})$"
