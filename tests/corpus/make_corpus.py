"""The upload corpus: real-looking files, good and bad, each with its exact expected outcome.

Run `python -m tests.corpus.make_corpus` to (re)write tests/corpus/files/; tests/test_corpus.py checks that
the committed files are what this module writes and that each gives exactly its expected outcome when
checked against the demo database (report of 25 October 2013).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

FILES = Path(__file__).resolve().parent / "files"


@dataclass(frozen=True)
class Case:
    name: str
    content: bytes
    accepted: bool
    kind: str | None = None
    rows: int = 0
    problems: tuple[tuple[str, int | None, str | None], ...] = ()   # (code, baris, kolom)
    sheet: str | None = None
    force: bool = False
    ignored: tuple[str, ...] = field(default_factory=tuple)
    note: str = ""


def csv(lines: list[str], *, sep: str = ",", encoding: str = "utf-8", newline: str = "\n",
        bom: bool = False) -> bytes:
    text = newline.join(line.replace("|", sep) for line in lines) + newline
    data = text.encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx(sheets: dict[str, list[list[object]]], date_format: str | None = "dd/mm/yyyy") -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
        if date_format:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, (dt.date, dt.datetime)):
                        cell.number_format = date_format
    out = io.BytesIO()
    book.save(out)
    # openpyxl stamps the current time in docProps; fix it so the file is the same on every run
    return _fixed_zip_time(out.getvalue())


def _fixed_zip_time(data: bytes) -> bytes:
    import re
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", b"2013-10-26T00:00:00Z", body)
            fixed = zipfile.ZipInfo(info.filename, date_time=(2013, 10, 26, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, body)
    return out.getvalue()


D = dt.datetime(2013, 10, 26)
HARIAN = ["tanggal|kelurahan|lokasi|rekam|distribusi",
          "26/10/2013|Pajang|kelurahan|85|12",
          "26/10/2013|Mojosongo|kelurahan|92|8",
          "26/10/2013|Sangkrah|kelurahan|77|5"]

CASES: list[Case] = [
    # ------------------------------------------------------------- accepted
    Case("harian_koma_utf8.csv", csv(HARIAN), True, "harian", 3),
    Case("harian_titikkoma_excel_cp1252_crlf.csv",
         csv(["Tgl;Desa/Kelurahan;Kecamatan;Lokasi;Jumlah Rekam;Kartu Dibagikan",
              "26/10/2013;Pucang Sawit;Jebres;kelurahan;120;10",
              "26/10/2013;Kedung Lumbu;Pasar Kliwon;Kantor Kecamatan;0;45",
              "26/10/2013;Penumping;Laweyan;kelurahan;98;0"], sep=";", encoding="cp1252", newline="\r\n"),
         True, "harian", 3),
    Case("harian_utf8_bom.csv", csv(HARIAN, sep=";", bom=True), True, "harian", 3),
    Case("harian_unicode_text_utf16.txt",
         "\r\n".join(line.replace("|", "\t") for line in HARIAN).encode("utf-16") + "\r\n".encode("utf-16-le"),
         True, "harian", 3, note="Excel 'Unicode Text': UTF-16 with BOM, tab separated"),
    Case("harian_tab.tsv", csv(HARIAN, sep="\t"), True, "harian", 3),
    Case("harian_pemisah_di_akhir_baris_kosong.csv",
         csv([line + ";" for line in HARIAN] + ["", ";;;;", ""], sep=";", newline="\r\n"), True, "harian", 3),
    Case("harian_kode_saja.csv",
         csv(["tanggal,kode_kelurahan,rekam", "26/10/2013,33.72.01.1001,85", "26/10/2013,33.72.04.1011,92"]),
         True, "harian", 2),
    Case("harian_kode_tanpa_titik.csv",
         csv(["Tanggal;Kode Wilayah;Jumlah Rekam", "26/10/2013;3372011001;85", "26/10/2013;3372041011;92"], sep=";"),
         True, "harian", 2),
    Case("harian_ejaan_lain.csv",
         csv(["tanggal;kelurahan;rekam",
              "26/10/2013;Pucang Sawit;10", "26/10/2013;Stabelan;11", "26/10/2013;Pasar Kliwon;12",
              "26/10/2013;Kampung Baru;13", "26/10/2013;Kedung Lumbu;14", "26/10/2013;KEPATIHAN KULON;15",
              "26/10/2013;kel. jebres;16", "26/10/2013;  laweyan ;17"], sep=";"),
         True, "harian", 8),
    Case("harian_bentuk_tanggal.csv",
         csv(["tanggal;kelurahan;rekam", "26 Oktober 2013;Pajang;10", "27 Okt 2013;Pajang;11",
              "28-10-2013;Pajang;12", "2013-10-29;Pajang;13", "30.10.2013;Pajang;14", "31/10/2013;Pajang;15"],
             sep=";"),
         True, "harian", 6),
    Case("harian_rekam_saja.csv", csv(["tanggal,kelurahan,rekam", "26/10/2013,Bumi,40"]), True, "harian", 1),
    Case("harian_distribusi_saja.csv",
         csv(["Tanggal;Kelurahan;Kartu Dibagikan", "26/10/2013;Bumi;40", "26/10/2013;Tipes;33"], sep=";"),
         True, "harian", 2),
    Case("harian_sel_kosong.csv",
         csv(["tanggal;kelurahan;rekam;distribusi", "26/10/2013;Bumi;;7", "26/10/2013;Tipes;12;"], sep=";"),
         True, "harian", 2),
    Case("harian_semua_lokasi.csv",
         csv(["tanggal;kelurahan;lokasi;rekam", "26/10/2013;Jebres;kelurahan;60", "26/10/2013;Jebres;kecamatan;20",
              "26/10/2013;Jebres;sekolah;35", "26/10/2013;Jebres;Pasar;22", "26/10/2013;Jebres;lainnya;3",
              "26/10/2013;Tegalharjo;;41"], sep=";"),
         True, "harian", 6),
    Case("harian_kolom_keterangan.csv",
         csv(["tanggal;kelurahan;rekam;Keterangan", "26/10/2013;Bumi;40;safari hari ke-1"], sep=";"),
         True, "harian", 1, ignored=("Keterangan",)),
    Case("harian.xlsx",
         xlsx({"Laporan": [["Tanggal", "Kelurahan", "Lokasi", "Rekam", "Distribusi"],
                           [D, "Pajang", "kelurahan", 85, 12], [D, "Mojosongo", "kelurahan", 92, 8]]}),
         True, "harian", 2),
    Case("harian_lembar_kedua.xlsx",
         xlsx({"Petunjuk": [["Isi lembar Data"]],
               "Data": [["Tanggal", "Kelurahan", "Rekam"], [D, "Pajang", 85]]}),
         True, "harian", 1, sheet="Data"),
    Case("harian_xlsx_sel_teks.xlsx",
         xlsx({"Sheet1": [["tgl", "desa/kelurahan", "jumlah rekam"], ["26/10/2013", "Pucang Sawit", "85"],
                          ["26 Okt 2013", "Sewu", "1.0"]]}),
         True, "harian", 2),
    Case("harian_header_huruf_besar_spasi.csv",
         csv([" TANGGAL ; KELURAHAN ; REKAM ", "26/10/2013;Sewu;33"], sep=";"), True, "harian", 1),
    Case("harian_kode_nama_kecamatan.csv",
         csv(["tanggal,kode_kelurahan,kelurahan,kecamatan,rekam",
              "26/10/2013,33.72.03.1003,Pasar Kliwon,Pasar Kliwon,20",
              "26/10/2013,33.72.02.1003,Serengan,Serengan,21"]),
         True, "harian", 2),
    Case("rekap_kumulatif_titikkoma.csv",
         csv(["Tanggal;Kelurahan;Wajib KTP;Sudah Rekam;Sudah Distribusi;Kartu Diterima",
              "31/10/2013;Pajang;12.000;11.000;10.000;10.500",
              "31/10/2013;Sriwedari;4.000;3.700;3.300;"], sep=";"),
         True, "rekap", 2),
    Case("rekap_tanpa_wajib.csv",
         csv(["tanggal,kelurahan,sudah_rekam,sudah_distribusi", "31/10/2013,Sondakan,1.000,900"]),
         True, "rekap", 1),
    Case("rekap.xlsx",
         xlsx({"Rekap": [["Tanggal", "Kode Wilayah", "Wajib KTP", "Sudah Rekam", "Sudah Distribusi"],
                         [dt.datetime(2013, 10, 31), "33.72.01.1003", 5000, 4600, 4000]]}),
         True, "rekap", 1),
    Case("jadwal_keliling.csv",
         csv(["tanggal_mulai;tanggal_selesai;kelurahan;alat;jam_mulai;jam_selesai;tempat",
              "02/12/2013;04/12/2013;Mojosongo;4;15:00;21.00;Kantor Kelurahan Mojosongo",
              "02/12/2013;04/12/2013;Kadipiro;4;15:00;21:00;Balai RW 12",
              "05/12/2013;07/12/2013;Jebres;2;;;"], sep=";"),
         True, "jadwal", 3),
    Case("jadwal_keliling.xlsx",
         xlsx({"Jadwal": [["Tanggal Mulai", "Tanggal Selesai", "Kelurahan", "Alat", "Jam Mulai", "Jam Selesai"],
                          [dt.datetime(2013, 12, 9), dt.datetime(2013, 12, 11), "Sangkrah", 2,
                           dt.time(15, 0), dt.time(21, 0)]]}),
         True, "jadwal", 1),
    Case("harian_kolom_no_dan_hari.csv",
         csv(["No;Hari;Tanggal;Kelurahan;Rekam", "1;Senin;28/10/2013;Pajang;85", "2;Senin;28/10/2013;Bumi;40"],
             sep=";"),
         True, "harian", 2, ignored=("No", "Hari"), note="'Hari' is the weekday column, not the date"),
    Case("harian_hari_tanggal.csv",
         csv(["Hari/Tanggal;Kelurahan;Rekam", "Senin, 28 Oktober 2013;Pajang;85", "Selasa 29/10/2013;Pajang;80"],
             sep=";"),
         True, "harian", 2),
    Case("harian_format_akuntansi.csv",
         csv(["Tanggal;Kelurahan;Rekam;Distribusi", "28/10/2013;Pajang;85,00;-", "28/10/2013;Kadipiro;1.050,00;-"],
             sep=";"),
         True, "harian", 2, problems=(("above_daily_max", 3, "rekam"),), force=True,
         note="Excel accounting format: 85,00 and '-' for zero"),
    Case("harian_melebihi_batas_dikonfirmasi.csv",
         csv(["tanggal,kelurahan,rekam", "26/10/2013,Kadipiro,650"]), True, "harian", 1,
         problems=(("above_daily_max", 2, "rekam"),), force=True,
         note="implausible but confirmed by the operator: accepted, the problem is still reported"),
    # ------------------------------------------------------------- refused
    Case("kosong.csv", b"", False, None, 0, (("empty_file", None, None),)),
    Case("hanya_spasi.csv", b"\r\n  \r\n", False, None, 0, (("empty_file", None, None),)),
    Case("header_saja.csv", csv(["tanggal;kelurahan;rekam"], sep=";"), False, "harian", 0,
         (("header_only", 1, None),)),
    Case("gambar.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01", False, None, 0,
         (("not_a_table", None, None),)),
    Case("excel_lama.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, False, None, 0,
         (("legacy_xls", None, None),)),
    Case("harian_lembar_kedua_tanpa_pilihan.xlsx",
         xlsx({"Petunjuk": [["Isi lembar Data"]], "Data": [["Tanggal", "Kelurahan", "Rekam"], [D, "Pajang", 85]]}),
         False, None, 0, (("unknown_kind", 1, None),), note="the first sheet holds no table"),
    Case("kolom_kelurahan_hilang.csv", csv(["tanggal,rekam", "26/10/2013,5"]), False, "harian", 1,
         (("missing_column", 1, "kode_kelurahan / kelurahan"),)),
    Case("jenis_tak_dikenal.csv", csv(["nama;alamat", "Budi;Jl. Slamet Riyadi"], sep=";"), False, None, 1,
         (("unknown_kind", 1, None),)),
    Case("kelurahan_salah_eja.csv", csv(["tanggal,kelurahan,rekam", "26/10/2013,Pucangsawi,5"]), False,
         "harian", 1, (("kelurahan_unknown", 2, "kelurahan"),)),
    Case("kode_tak_dikenal.csv", csv(["tanggal,kode_kelurahan,rekam", "26/10/2013,33.72.09.1001,5"]), False,
         "harian", 1, (("kelurahan_unknown_code", 2, "kode_kelurahan"),)),
    Case("kode_dan_nama_berbeda.csv",
         csv(["tanggal,kode_kelurahan,kelurahan,rekam", "26/10/2013,33.72.01.1001,Sriwedari,5"]), False,
         "harian", 1, (("kelurahan_code_name_mismatch", 2, "kelurahan"),)),
    Case("kelurahan_di_luar_kecamatan.csv",
         csv(["tanggal,kelurahan,kecamatan,rekam", "26/10/2013,Pajang,Jebres,5"]), False, "harian", 1,
         (("kelurahan_outside_kecamatan", 2, "kecamatan"),)),
    Case("angka_negatif.csv", csv(["tanggal,kelurahan,rekam", "26/10/2013,Pajang,-5"]), False, "harian", 1,
         (("negative", 2, "rekam"),)),
    Case("angka_pecahan.csv", csv(["tanggal;kelurahan;rekam", "26/10/2013;Pajang;12,5"], sep=";"), False,
         "harian", 1, (("fractional", 2, "rekam"),)),
    Case("bukan_angka.csv", csv(["tanggal,kelurahan,rekam", "26/10/2013,Pajang,dua belas"]), False, "harian", 1,
         (("not_a_number", 2, "rekam"),)),
    Case("tanggal_mustahil.csv", csv(["tanggal,kelurahan,rekam", "31/02/2013,Pajang,5"]), False, "harian", 1,
         (("impossible_date", 2, "tanggal"),)),
    Case("tanggal_masa_depan.csv", csv(["tanggal,kelurahan,rekam", "01/01/2031,Pajang,5"]), False, "harian", 1,
         (("date_future", 2, "tanggal"),)),
    Case("tanggal_sebelum_program.csv", csv(["tanggal,kelurahan,rekam", "15/08/2009,Pajang,5"]), False,
         "harian", 1, (("date_too_early", 2, "tanggal"),)),
    Case("tanggal_tak_terbaca.csv", csv(["tanggal,kelurahan,rekam", "kemarin,Pajang,5", ",Bumi,3"]), False,
         "harian", 2, (("bad_date", 2, "tanggal"), ("missing", 3, "tanggal"))),
    Case("baris_ganda.csv",
         csv(["tanggal,kelurahan,lokasi,rekam", "26/10/2013,Pajang,kelurahan,5", "26/10/2013,Bumi,kelurahan,6",
              "26/10/2013,pajang,,7"]),
         False, "harian", 3, (("duplicate_row", 4, None),)),
    Case("lokasi_tak_dikenal.csv", csv(["tanggal,kelurahan,lokasi,rekam", "26/10/2013,Pajang,balai desa,5"]),
         False, "harian", 1, (("unknown_lokasi", 2, "lokasi"),)),
    Case("kolom_kurang_dan_lebih.csv",
         csv(["tanggal;kelurahan;rekam", "26/10/2013;Pajang", "26/10/2013;Bumi;5;7", "26/10/2013;Tipes;4"],
             sep=";"),
         False, "harian", 3, (("ragged_row", 2, None), ("ragged_row", 3, None))),
    Case("rekap_distribusi_lebih_dari_rekam.csv",
         csv(["tanggal;kelurahan;sudah_rekam;sudah_distribusi", "31/10/2013;Pajang;9.000;9.500"], sep=";"), False,
         "rekap", 1, (("distribusi_above_rekam", 2, "sudah_distribusi"),)),
    Case("rekap_rekam_lebih_dari_wajib.csv",
         csv(["tanggal;kelurahan;wajib_ktp;sudah_rekam", "31/10/2013;Pajang;9.000;9.100"], sep=";"), False,
         "rekap", 1, (("rekam_above_wajib", 2, "sudah_rekam"),)),
    Case("harian_melebihi_batas.csv", csv(["tanggal,kelurahan,rekam", "26/10/2013,Kadipiro,650"]), False,
         "harian", 1, (("above_daily_max", 2, "rekam"),)),
    Case("rumus_excel.xlsx",
         xlsx({"Sheet1": [["Tanggal", "Kelurahan", "Rekam"], [D, "Pajang", "=SUM(C3:C4)"], [D, "Bumi", 4]]}),
         False, "harian", 2, (("not_a_number", 2, "rekam"),), note="a formula is text, never evaluated"),
    Case("jadwal_selesai_sebelum_mulai.csv",
         csv(["tanggal_mulai,tanggal_selesai,kelurahan,alat", "04/12/2013,02/12/2013,Jebres,2",
              "05/12/2013,06/12/2013,Sewu,0", "05/12/2013,06/12/2013,Gandekan,2"]),
         False, "jadwal", 3, (("end_before_start", 2, "tanggal_selesai"), ("no_devices", 3, "alat"))),
    Case("jadwal_jam_salah.csv",
         csv(["tanggal_mulai,tanggal_selesai,kelurahan,alat,jam_mulai", "02/12/2013,04/12/2013,Jebres,2,jam 3 sore"]),
         False, "jadwal", 1, (("bad_time", 2, "jam_mulai"),)),
    Case("harian_dengan_total_kumulatif.csv",
         csv(["Tanggal;Kelurahan;Jumlah Rekam;Kartu Dibagikan;Total Rekam;Total Distribusi",
              "28/10/2013;Pajang;85;12;10.000;9.000"], sep=";"),
         False, None, 1, (("mixed_kinds", 1, None),), note="daily and cumulative columns in one file"),
    Case("judul_di_atas_header.csv",
         csv(["LAPORAN HARIAN PEREKAMAN E-KTP;;", "Kecamatan Laweyan;;", "tanggal;kelurahan;rekam",
              "28/10/2013;Pajang;85"], sep=";"),
         False, None, 3, (("header_not_first", 3, None),)),
    Case("jadwal_tumpang_tindih.csv",
         csv(["tanggal_mulai,tanggal_selesai,kelurahan,alat", "01/11/2013,05/11/2013,Jebres,2",
              "03/11/2013,07/11/2013,Jebres,2", "03/11/2013,07/11/2013,Sewu,2"]),
         False, "jadwal", 3, (("overlapping_schedule", 3, "tanggal_mulai"),)),
    Case("kelurahan_tak_mirip.csv", csv(["tanggal,kelurahan,rekam", "28/10/2013,Zzyzx,5"]), False, "harian", 1,
         (("kelurahan_unknown_nosuggest", 2, "kelurahan"),)),
    Case("angka_terlalu_besar.csv",
         csv(["tanggal;kelurahan;sudah_rekam", "31/10/2013;Pajang;99999999999999999999"], sep=";"),
         False, "rekap", 1, (("too_big", 2, "sudah_rekam"),)),
    Case("markdown_di_sel.csv",
         csv(["tanggal;kelurahan;rekam;![h](http://127.0.0.1:9/kolom.png)",
              "28/10/2013;![k](http://127.0.0.1:9/sel.png) **tebal** http://127.0.0.1:9/tautan;5;x"], sep=";"),
         False, "harian", 1, (("kelurahan_unknown_nosuggest", 2, "kelurahan"),),
         ignored=("![h](http://127.0.0.1:9/kolom.png)",), note="cell text is shown as typed, never fetched"),
    Case("banyak_masalah.csv",
         csv(["tanggal;kelurahan;rekam;distribusi",
              "26/10/2013;Pajang;5;1",
              "31/02/2013;Pucangsawi;-3;0",
              "26/10/2013;Bumi;abc;2,5",
              "26/10/2013;Pajang;6;0"], sep=";"),
         False, "harian", 4,
         (("impossible_date", 3, "tanggal"), ("kelurahan_unknown", 3, "kelurahan"), ("negative", 3, "rekam"),
          ("fractional", 4, "distribusi"), ("not_a_number", 4, "rekam"), ("duplicate_row", 5, None)),
         note="every problem of the file is listed, not only the first"),
]


def write() -> None:
    FILES.mkdir(exist_ok=True)
    names = {c.name for c in CASES}
    assert len(names) == len(CASES), "duplicate case names"
    for stale in FILES.iterdir():
        if stale.name not in names:
            stale.unlink()
    for case in CASES:
        (FILES / case.name).write_bytes(case.content)


if __name__ == "__main__":
    write()
    print(f"{len(CASES)} files in {FILES}")
