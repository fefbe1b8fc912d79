"""Every user-facing text of the app, in Bahasa Indonesia (first) and English.

`t(key, lang, **values)` returns the text with `{placeholders}` filled. A test checks that every key has
both languages and the same placeholders in each.
"""

from __future__ import annotations

LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}

TEXTS: dict[str, dict[str, str]] = {
    "app_title": {"id": "Dasbor e-KTP Surakarta", "en": "Surakarta e-KTP Dashboard"},
    "nav_ringkasan": {"id": "Ringkasan", "en": "Summary"},
    "language": {"id": "Bahasa", "en": "Language"},
    "demo_banner": {
        "id": "**Data contoh.** Angka kota per 25 Oktober 2013, tanggal, dan aturan safari keliling berasal "
              "dari laporan nyata; pembagian per kelurahan dan angka harian hanya ilustrasi.",
        "en": "**Demo data.** City totals of 25 October 2013, the dates and the mobile safari's rules come "
              "from the real report; the split per kelurahan and the daily numbers are illustrative.",
    },
    "db_missing": {
        "id": "Database belum ada ({path}). Buat dengan `python -m ektp_metrics init --demo` atau `make run`.",
        "en": "The database does not exist yet ({path}). Create it with `python -m ektp_metrics init --demo` "
              "or `make run`.",
    },
    "db_locked": {
        "id": "Database sedang dipakai proses lain{pid}. Coba lagi sebentar lagi.",
        "en": "The database is in use by another process{pid}. Please try again shortly.",
    },
    "db_error": {
        "id": "Database tidak dapat dibuka. Hubungi admin Dispendukcapil.",
        "en": "The database cannot be opened. Please contact the Dispendukcapil administrator.",
    },
    "no_data": {
        "id": "Belum ada data perekaman. Unggah laporan harian atau rekap kumulatif terlebih dahulu.",
        "en": "No recording data yet. Upload a daily report or a cumulative recap first.",
    },
    "ringkasan_title": {"id": "Perekaman e-KTP Kota Surakarta", "en": "e-KTP recording in Kota Surakarta"},
    "as_of_line": {
        "id": "Per {tanggal} · {hari} hari lagi menuju {batas}",
        "en": "As of {tanggal} · {hari} days left to {batas}",
    },
    "as_of_line_past": {
        "id": "Per {tanggal} · batas {batas} sudah lewat {hari} hari",
        "en": "As of {tanggal} · the {batas} deadline passed {hari} days ago",
    },
    "m_persen_rekam": {"id": "Cakupan perekaman", "en": "Recording coverage"},
    "m_persen_rekam_help": {
        "id": "Sudah rekam ÷ wajib KTP, dibulatkan ke bawah ke 2 desimal (tidak pernah melebih-lebihkan).",
        "en": "Recorded ÷ obliged to hold a card, floored to 2 decimals (never overstated).",
    },
    "m_sudah_rekam": {"id": "Sudah rekam", "en": "Recorded"},
    "m_belum_rekam": {"id": "Belum rekam", "en": "Not yet recorded"},
    "m_wajib": {"id": "dari {wajib} wajib KTP", "en": "of {wajib} obliged"},
    "m_distribusi": {"id": "Kartu terdistribusi", "en": "Cards delivered"},
    "m_backlog": {"id": "Backlog distribusi", "en": "Cards not yet delivered"},
    "m_backlog_help": {
        "id": "Sudah rekam tetapi kartu belum diterima warga.",
        "en": "Recorded, but the card has not reached the resident yet.",
    },
    "m_hari": {"id": "Hari menuju batas", "en": "Days to the deadline"},
    "m_hari_help": {
        "id": "Dihitung dari hari acuan (tanggal data terakhir), bukan dari jam komputer.",
        "en": "Counted from the reference day (date of the latest data), not from the computer's clock.",
    },
    "pace_rekam": {"id": "perlu {n} rekam per hari", "en": "needs {n} recordings a day"},
    "pace_kartu": {"id": "perlu {n} kartu per hari", "en": "needs {n} cards a day"},
    "pace_help": {
        "id": "Rata-rata per hari agar tuntas pada {batas} ({hari} hari lagi, termasuk hari libur).",
        "en": "Average a day to finish by {batas} ({hari} days left, holidays included).",
    },
    "of_recorded": {"id": "{persen} dari yang sudah rekam", "en": "{persen} of those recorded"},
    "target_version": {
        "id": "Wajib KTP {wajib} menurut versi target yang berlaku sejak {tanggal}.",
        "en": "{wajib} obliged to hold a card, by the target version in force since {tanggal}.",
    },
    "chart_kecamatan_caption": {
        "id": "Panjang batang = 100% wajib KTP tiap kecamatan; bagian gelap sudah rekam.",
        "en": "Each bar = 100% of the kecamatan's residents obliged to hold a card; the dark part is recorded.",
    },
    "table_kecamatan": {"id": "Angka per kecamatan", "en": "Figures per kecamatan"},
    "col_wilayah": {"id": "Kecamatan", "en": "Kecamatan"},
    "col_wajib": {"id": "Wajib KTP", "en": "Obliged"},
    "col_rekam": {"id": "Sudah rekam", "en": "Recorded"},
    "col_belum": {"id": "Belum rekam", "en": "Not recorded"},
    "col_persen": {"id": "% rekam", "en": "% recorded"},
    "col_distribusi": {"id": "Distribusi", "en": "Delivered"},
    "col_backlog": {"id": "Backlog", "en": "Backlog"},
    # charts
    "chart_kecamatan_title": {
        "id": "{terendah} paling tertinggal ({persen}); belum rekam terbanyak di {terbanyak} ({belum} warga)",
        "en": "{terendah} lags most ({persen}); most residents left to record in {terbanyak} ({belum})",
    },
    "chart_kecamatan_title_same": {
        "id": "{terendah} paling tertinggal ({persen}) dan menyisakan {belum} warga belum rekam",
        "en": "{terendah} lags most ({persen}) with {belum} residents left to record",
    },
    "trace_sudah": {"id": "Sudah rekam", "en": "Recorded"},
    "trace_belum": {"id": "Belum rekam", "en": "Not yet recorded"},
    "axis_persen_wajib": {"id": "% wajib KTP", "en": "% of residents obliged"},
    "hover_kecamatan": {
        "id": "{nama}<br>{persen} sudah rekam<br>{rekam} dari {wajib}<br>{belum} belum rekam",
        "en": "{nama}<br>{persen} recorded<br>{rekam} of {wajib}<br>{belum} not yet recorded",
    },
}


def t(key: str, lang: str = "id", **values: object) -> str:
    entry = TEXTS[key]
    text = entry.get(lang) or entry["id"]
    return text.format(**values) if values else text
