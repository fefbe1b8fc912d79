"""Upload templates (empty, with the expected header) and the shipped examples of each file kind.

The rekap template and example leave wajib_ktp out: only an admin may change targets (auth "set_targets"),
and an operator's file with that column filled is refused. Admins get a separate target template
(template_csv/template_xlsx with targets=True) that has it."""

from __future__ import annotations

import io

import openpyxl
from openpyxl.styles import Font

from ektp_metrics import DATA_DIR
from ektp_metrics.regions import read_region_list

EXAMPLES_DIR = DATA_DIR / "contoh"
HEADERS = {
    "harian": ("tanggal", "kode_kelurahan", "kelurahan", "kecamatan", "lokasi", "rekam", "distribusi"),
    "rekap": ("tanggal", "kode_kelurahan", "kelurahan", "kecamatan", "sudah_rekam", "sudah_distribusi",
              "kartu_diterima"),
    "jadwal": ("tanggal_mulai", "tanggal_selesai", "kode_kelurahan", "kelurahan", "alat", "jam_mulai",
               "jam_selesai", "tempat"),
}
# The admin's rekap with a new target version (wajib_ktp) per kelurahan: the "templat target".
TARGET_HEADERS = ("tanggal", "kode_kelurahan", "kelurahan", "kecamatan", "wajib_ktp", "sudah_rekam",
                  "sudah_distribusi", "kartu_diterima")
TARGET_STEM = "rekap_target"
FILE_STEMS = {"harian": "laporan_harian", "rekap": "rekap_kumulatif", "jadwal": "jadwal_keliling"}
NOTES = {
    "harian": ["Satu baris = satu kelurahan (tempat tinggal warga), satu tanggal, satu lokasi layanan.",
               "tanggal: 25/10/2013 atau 2013-10-25. Kelurahan: kode wilayah dan/atau nama.",
               "lokasi: kelurahan (bawaan), kecamatan, sekolah, pasar, lainnya.",
               "rekam, distribusi: jumlah hari itu (bukan kumulatif). Sel kosong = 0."],
    "rekap": ["Satu baris = angka kumulatif satu kelurahan per tanggal.",
              "Rekap menjadi angka dasar baru sejak tanggal itu; laporan harian sesudahnya ditambahkan.",
              "sudah_distribusi tidak boleh melebihi sudah_rekam."],
    "target": ["Templat target (hanya admin): rekap kumulatif dengan wajib_ktp.",
               "Satu baris = angka kumulatif satu kelurahan per tanggal.",
               "wajib_ktp menjadi versi target baru sejak tanggal itu.",
               "sudah_distribusi tidak boleh melebihi sudah_rekam."],
    "jadwal": ["Satu baris = satu kelurahan yang dilayani safari keliling dari tanggal_mulai sampai tanggal_selesai.",
               "alat: jumlah alat rekam. jam_mulai, jam_selesai: 15:00 atau 15.00.",
               "tempat: alamat atau nama tempat layanan (pilihan)."],
}


def _header(kind: str, targets: bool) -> tuple[str, ...]:
    if targets and kind != "rekap":
        raise ValueError(f"a target template is a rekap, not {kind!r}")
    return TARGET_HEADERS if targets else HEADERS[kind]


def template_csv(kind: str, *, targets: bool = False) -> bytes:
    """Header only, separated by semicolons and with a UTF-8 BOM, as Excel in the Indonesian locale opens it.
    targets: the admin's rekap with wajib_ktp."""
    return ("\ufeff" + ";".join(_header(kind, targets)) + "\r\n").encode("utf-8")


def template_xlsx(kind: str, *, targets: bool = False) -> bytes:
    """Sheet 'Data' (the header, to fill in) first, then 'Petunjuk' and the list of kelurahan with codes.
    targets: the admin's rekap with wajib_ktp."""
    book = openpyxl.Workbook()
    data = book.active
    data.title = "Data"
    data.append(list(_header(kind, targets)))
    for cell in data[1]:
        cell.font = Font(bold=True)
        data.column_dimensions[cell.column_letter].width = max(14, len(str(cell.value)) + 2)
    notes = book.create_sheet("Petunjuk")
    for line in NOTES["target" if targets else kind]:
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
