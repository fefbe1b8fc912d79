"""Upload templates (empty, with the expected header) and the shipped examples of each file kind."""

from __future__ import annotations

import io

import openpyxl
from openpyxl.styles import Font

from ektp_metrics import DATA_DIR
from ektp_metrics.regions import read_region_list

EXAMPLES_DIR = DATA_DIR / "contoh"
HEADERS = {
    "harian": ("tanggal", "kode_kelurahan", "kelurahan", "kecamatan", "lokasi", "rekam", "distribusi"),
    "rekap": ("tanggal", "kode_kelurahan", "kelurahan", "kecamatan", "wajib_ktp", "sudah_rekam",
              "sudah_distribusi", "kartu_diterima"),
    "jadwal": ("tanggal_mulai", "tanggal_selesai", "kode_kelurahan", "kelurahan", "alat", "jam_mulai",
               "jam_selesai", "tempat"),
}
FILE_STEMS = {"harian": "laporan_harian", "rekap": "rekap_kumulatif", "jadwal": "jadwal_keliling"}
NOTES = {
    "harian": ["Satu baris = satu kelurahan (tempat tinggal warga), satu tanggal, satu lokasi layanan.",
               "tanggal: 25/10/2013 atau 2013-10-25. Kelurahan: kode wilayah dan/atau nama.",
               "lokasi: kelurahan (bawaan), kecamatan, sekolah, pasar, lainnya.",
               "rekam, distribusi: jumlah hari itu (bukan kumulatif). Sel kosong = 0."],
    "rekap": ["Satu baris = angka kumulatif satu kelurahan per tanggal.",
              "Rekap menjadi angka dasar baru sejak tanggal itu; laporan harian sesudahnya ditambahkan.",
              "wajib_ktp (bila diisi) menjadi versi target baru sejak tanggal itu.",
              "sudah_distribusi tidak boleh melebihi sudah_rekam."],
    "jadwal": ["Satu baris = satu kelurahan yang dilayani safari keliling dari tanggal_mulai sampai tanggal_selesai.",
               "alat: jumlah alat rekam. jam_mulai, jam_selesai: 15:00 atau 15.00.",
               "tempat: alamat atau nama tempat layanan (pilihan)."],
}


def template_csv(kind: str) -> bytes:
    """Header only, separated by semicolons and with a UTF-8 BOM, as Excel in the Indonesian locale opens it."""
    return ("\ufeff" + ";".join(HEADERS[kind]) + "\r\n").encode("utf-8")


def template_xlsx(kind: str) -> bytes:
    """Sheet 'Data' (the header, to fill in) first, then 'Petunjuk' and the list of kelurahan with codes."""
    book = openpyxl.Workbook()
    data = book.active
    data.title = "Data"
    data.append(list(HEADERS[kind]))
    for cell in data[1]:
        cell.font = Font(bold=True)
        data.column_dimensions[cell.column_letter].width = max(14, len(str(cell.value)) + 2)
    notes = book.create_sheet("Petunjuk")
    for line in NOTES[kind]:
        notes.append([line])
    regions = book.create_sheet("Kelurahan")
    regions.append(["kode_kelurahan", "kelurahan", "kecamatan"])
    for row in read_region_list()[["kode_kelurahan", "kelurahan", "kecamatan"]].itertuples(index=False):
        regions.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def example_path(kind: str):
    return EXAMPLES_DIR / f"contoh_{FILE_STEMS[kind]}.csv"
