"""Counts typed on a phone (issue 21, "Isi angka harian"): the rows of the form as the daily CSV an operator
would upload, so that the form goes through exactly the upload path (ektp_metrics.upload: the same checks,
messages, preview, batch, audit entry and revert). Nothing here checks a value: a negative count or a date
in the future is written as typed, and the upload names its row ("baris N") and column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

from ektp_metrics.db import Database
from ektp_metrics.migrations import LOKASI

# The daily file's columns, in the order of data/contoh/templat_laporan_harian.csv.
COLUMNS = ("tanggal", "kode_kelurahan", "kelurahan", "kecamatan", "lokasi", "rekam", "distribusi")
FILE_PREFIX = "isian_formulir"   # Riwayat shows where a batch came from by its file name


@dataclass(frozen=True)
class Kelurahan:
    kode: str
    nama: str
    kecamatan: str


@dataclass(frozen=True)
class EntryRow:
    """One row of the form; None is a cell left empty (the upload names it)."""

    tanggal: dt.date | None
    kelurahan: Kelurahan | None
    lokasi: str | None
    rekam: int | None
    distribusi: int | None


def kelurahan_choices(db: Database) -> list[Kelurahan]:
    """Every kelurahan of the region list, by name then kecamatan (the form's choice)."""
    frame = db.fetch_df("SELECT kode_kelurahan, kelurahan, kecamatan FROM v_wilayah ORDER BY kelurahan, kecamatan")
    return [Kelurahan(k, n, c) for k, n, c in zip(frame["kode_kelurahan"], frame["kelurahan"], frame["kecamatan"])]


def lokasi_choices() -> tuple[str, ...]:
    """The lokasi values a daily upload accepts (kelurahan first: the safari's own site)."""
    return LOKASI


def daily_csv(rows: Sequence[EntryRow]) -> bytes:
    """The rows as a daily report (laporan harian) CSV: UTF-8 with BOM, semicolons, dd/mm/yyyy, as the
    template. Row i of `rows` is the file's baris i + 2 (the header is baris 1)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        k = row.kelurahan
        writer.writerow([
            row.tanggal.strftime("%d/%m/%Y") if row.tanggal else "",
            k.kode if k else "", k.nama if k else "", k.kecamatan if k else "",
            row.lokasi or "",
            "" if row.rekam is None else str(int(row.rekam)),
            "" if row.distribusi is None else str(int(row.distribusi)),
        ])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def file_name(rows: Sequence[EntryRow], today: dt.date) -> str:
    """'isian_formulir_2013-10-26.csv': named for the latest date in the rows (else `today`)."""
    days = [r.tanggal for r in rows if r.tanggal is not None]
    return f"{FILE_PREFIX}_{max(days, default=today).isoformat()}.csv"
