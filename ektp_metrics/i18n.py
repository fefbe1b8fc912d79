"""Every user-facing text of the app, in Bahasa Indonesia (first) and English.

`t(key, lang, **values)` returns the text with `{placeholders}` filled. A test checks that every key has
both languages and the same placeholders in each.

Plurals: a text that depends on a count is `plural("n", one=…, other=…)`, its forms by CLDR plural category
(Babel's rules: English has "one" and "other", Indonesian only "other", so an Indonesian text stays one
string). The form is chosen by the value of the named placeholder, here `{n}`, as the caller passes it: a
number, or the number already formatted for the language ("1.050" / "1,050"), read back in that language's
format. A form may itself be a `plural` over a second count. Callers do not change: `t("aturan_n", lang,
n=formatting.angka(k, lang))` reads "1 finding" / "2 findings".
"""

from __future__ import annotations

import datetime as dt
import functools
import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from babel import Locale
from babel.numbers import NumberFormatError, parse_decimal
from babel.plural import PluralRule

LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}
_LOCALES = {"id": "id_ID", "en": "en_US"}   # as formatting.LOCALES (which imports nothing from here)


@dataclass(frozen=True)
class Plural:
    """The forms of one text by the CLDR plural category of the value of placeholder `count`."""

    count: str
    forms: Mapping[str, str | Plural]   # "one", "other", …; "other" always present

    def variants(self) -> list[str]:
        """Every text this can become (for the checks on placeholders)."""
        return [v for form in self.forms.values() for v in variants(form)]


def plural(count: str, **forms: str | Plural) -> Plural:
    """plural("n", one="{n} finding", other="{n} findings"): chosen by the value given for {n}."""
    if "other" not in forms:
        raise ValueError("a plural text needs its 'other' form")
    return Plural(count, forms)


Text = str | Plural


def variants(text: Text) -> list[str]:
    return text.variants() if isinstance(text, Plural) else [text]


@functools.lru_cache(maxsize=8)
def _plural_rule(lang: str) -> PluralRule:
    return Locale.parse(_LOCALES.get(lang, _LOCALES["id"])).plural_form


def _number(value: object, lang: str) -> Decimal | int | None:
    """The count a placeholder's value shows: 21, '1.050' (id), '1,050' (en), '+3'; None if it is no number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, (Decimal, numbers.Real)):
        return Decimal(str(value))
    text = str(value).strip().lstrip("+−-±").strip()
    try:
        return parse_decimal(text, locale=_LOCALES.get(lang, _LOCALES["id"]), strict=False)
    except NumberFormatError:
        return None


def plural_category(value: object, lang: str = "id") -> str:
    """'one' or 'other' (CLDR, Babel) for a count as given to t(); 'other' for what is not a number."""
    number = _number(value, lang)
    if number is None or (isinstance(number, Decimal) and not number.is_finite()):
        return "other"
    return str(_plural_rule(lang)(abs(Decimal(number))))


TEXTS: dict[str, dict[str, Text]] = {
    # {wilayah}: the whole region list's name (Kota Surakarta by default; see metrics.scope)
    "app_title": {"id": "Dasbor e-KTP {wilayah}", "en": "{wilayah} e-KTP Dashboard"},
    "nav_ringkasan": {"id": "Ringkasan", "en": "Summary"},
    "demo_banner": {
        "id": "**Data contoh.** Angka kota per 25 Oktober 2013 dan sebelumnya serta aturan safari keliling "
              "berasal dari laporan nyata; pembagian per kelurahan, angka harian, dan tanggal berlakunya versi "
              "target hanya ilustrasi.",
        "en": "**Demo data.** City totals of 25 October 2013 and earlier and the mobile safari's rules come "
              "from real reports; the split per kelurahan, the daily numbers and the day each target "
              "version starts are illustrative.",
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
    "db_newer": {
        "id": "Database ini dibuat oleh versi aplikasi yang lebih baru. Minta admin memperbarui aplikasi.",
        "en": "This database was written by a newer version of the app. Ask the administrator to update it.",
    },
    "bad_settings": {
        "id": "Pengaturan server tidak valid, aplikasi tidak dapat menampilkan angka. Minta admin memperbaiki: {detail}",
        "en": "A server setting is invalid, so the app cannot show figures. Ask the administrator to fix: {detail}",
    },
    "db_error": {
        "id": "Database tidak dapat dibuka. Hubungi admin Dispendukcapil.",
        "en": "The database cannot be opened. Please contact the Dispendukcapil administrator.",
    },
    "db_corrupt": {
        "id": "**Database tidak terbaca.** Berkas `{path}` rusak atau tidak bisa dibaca, jadi angka tidak bisa "
              "ditampilkan dan tidak ada yang bisa disimpan. Admin: hentikan aplikasi, lalu pulihkan cadangan "
              "terakhir yang baik ({cadangan}) dengan `{perintah}`. Langkah lengkapnya ada di README, bagian "
              "\"Cadangan dan pemulihan\".",
        "en": "**The database cannot be read.** The file `{path}` is damaged or unreadable, so no figures can be "
              "shown and nothing can be saved. Administrator: stop the app, then restore the latest good backup "
              "({cadangan}) with `{perintah}`. The steps are in the README, section \"Cadangan dan pemulihan\".",
    },
    "db_corrupt_backup": {"id": "`{nama}`, dibuat {waktu}, berisi data per {tanggal}",
                          "en": "`{nama}`, taken {waktu}, with data as of {tanggal}"},
    "db_corrupt_no_backup": {"id": "belum ada cadangan yang baik di `{folder}`: cari salinan lain",
                             "en": "there is no good backup in `{folder}` yet: look for another copy"},
    "db_file_missing": {
        "id": "**Berkas database `{path}` tidak ada lagi di tempatnya** (dihapus atau dipindahkan). Angka di sini "
              "masih dari berkas yang terbuka, tetapi tidak ada perubahan yang bisa disimpan. Admin: kembalikan "
              "berkasnya, atau tekan **Cadangkan sekarang** di halaman Pengguna untuk menyelamatkan isinya, lalu "
              "hentikan aplikasi dan pulihkan cadangan itu.",
        "en": "**The database file `{path}` is no longer in its place** (deleted or moved). The figures here still "
              "come from the open file, but no change can be saved. Administrator: put the file back, or press "
              "**Back up now** on Pengguna to rescue its contents, then stop the app and restore that backup.",
    },
    "db_file_replaced": {
        "id": "**Berkas database `{path}` sudah diganti berkas lain** sejak aplikasi dibuka. Tidak ada perubahan "
              "yang bisa disimpan sampai aplikasi dimulai ulang.",
        "en": "**The database file `{path}` was replaced by another file** since the app opened it. No change can "
              "be saved until the app is restarted.",
    },
    "app_error": {
        "id": "Terjadi kesalahan di halaman ini; sudah dicatat di log server. Muat ulang halaman; bila terulang, "
              "hubungi admin Dispendukcapil.",
        "en": "Something went wrong on this page; it was written to the server log. Reload the page; if it happens "
              "again, contact the Dispendukcapil administrator.",
    },
    # A write that did not reach the configured database file (db.WriteRefused): nothing was confirmed.
    "write_disk_full": {
        "id": "Disk server penuh: {mb} MB tersisa di {folder}. Tidak ada yang disimpan; angka tetap seperti "
              "sebelumnya. Minta admin mengosongkan ruang disk (misalnya cadangan lama di folder cadangan), lalu ulangi.",
        "en": "The server's disk is full: {mb} MB left in {folder}. Nothing was saved; the figures are as they "
              "were. Ask the administrator to free disk space (e.g. old backups), then try again.",
    },
    "write_read_only": {
        "id": "Berkas database {path} tidak bisa ditulis (hanya-baca atau tanpa izin tulis). Tidak ada yang "
              "disimpan. Minta admin memeriksa izin berkas dan disknya ({detail}).",
        "en": "The database file {path} cannot be written (read-only, or no write permission). Nothing was "
              "saved. Ask the administrator to check the file's permissions and its disk ({detail}).",
    },
    "write_missing": {
        "id": "Berkas database {path} tidak ada lagi di tempatnya (dihapus atau dipindahkan sejak aplikasi "
              "dibuka). Perubahan ini TIDAK disimpan. Admin: kembalikan berkas itu ke {path}, atau tekan "
              "Cadangkan sekarang di halaman Pengguna untuk menyelamatkan isi yang masih terbuka, hentikan "
              "aplikasi dan pulihkan (README, \"Cadangan dan pemulihan\").",
        "en": "The database file {path} is no longer in its place (deleted or moved since the app opened it). "
              "This change was NOT saved. Administrator: put the file back at {path}, or press Back up now on "
              "Pengguna to rescue what is still open, stop the app and restore (README, \"Cadangan dan pemulihan\").",
    },
    "write_replaced": {
        "id": "Berkas database {path} sudah diganti berkas lain sejak aplikasi dibuka. Perubahan ini TIDAK "
              "disimpan. Admin: mulai ulang aplikasi agar memakai berkas yang sekarang, lalu ulangi.",
        "en": "The database file {path} was replaced by another file since the app opened it. This change was "
              "NOT saved. Administrator: restart the app so that it uses the file now in place, then try again.",
    },
    "write_invalidated": {
        "id": "Database {path} dihentikan setelah galat berat sebelumnya dan sedang dibuka ulang. Perubahan ini "
              "TIDAK disimpan; muat ulang halaman dan ulangi.",
        "en": "The database {path} was stopped after an earlier serious error and is being reopened. This change "
              "was NOT saved; reload the page and try again.",
    },
    "write_damaged": {
        "id": "Database {path} rusak ({detail}), jadi tidak ada yang disimpan. Admin: hentikan aplikasi dan "
              "pulihkan cadangan terakhir yang baik (README, \"Cadangan dan pemulihan\").",
        "en": "The database {path} is damaged ({detail}), so nothing was saved. Administrator: stop the app and "
              "restore the latest good backup (README, \"Cadangan dan pemulihan\").",
    },
    "write_io": {
        "id": "Database {path} gagal menulis ({detail}). Tidak ada yang disimpan. Laporkan ke admin.",
        "en": "The database {path} failed to write ({detail}). Nothing was saved. Tell the administrator.",
    },
    # … after the commit: the change is in the WAL (or in the file that was swapped away), not in the file.
    "write_disk_full_committed": {
        "id": "Disk server penuh ({mb} MB tersisa di {folder}) saat berkas database diperbarui. Perubahan ini "
              "hanya tercatat di log database ({path}.wal), belum di berkas database, jadi BELUM dianggap "
              "tersimpan. Jangan hapus berkas .wal itu. Admin: kosongkan ruang disk lalu mulai ulang aplikasi; "
              "perubahan itu lalu ikut terbaca. Periksa Riwayat sebelum mengulang.",
        "en": "The server's disk filled up ({mb} MB left in {folder}) while the database file was being updated. "
              "This change is only in the database's log ({path}.wal), not yet in the database file, so it is "
              "NOT confirmed as saved. Do not delete that .wal file. Administrator: free disk space and restart "
              "the app; the change is then read from it. Check History before trying again.",
    },
    "write_io_committed": {
        "id": "Berkas database {path} gagal diperbarui ({detail}). Perubahan ini hanya tercatat di log database "
              "({path}.wal), jadi BELUM dianggap tersimpan. Jangan hapus berkas .wal itu; laporkan ke admin, "
              "yang memulai ulang aplikasi setelah masalahnya diatasi. Periksa Riwayat sebelum mengulang.",
        "en": "The database file {path} could not be updated ({detail}). This change is only in the database's "
              "log ({path}.wal), so it is NOT confirmed as saved. Do not delete that .wal file; tell the "
              "administrator, who restarts the app once the problem is solved. Check History before trying again.",
    },
    "write_missing_committed": {
        "id": "Berkas database {path} hilang atau diganti saat perubahan ini ditulis: perubahan ini TIDAK ada "
              "di berkas {path} dan tidak dianggap tersimpan. Admin: kembalikan berkasnya atau pulihkan dari "
              "cadangan (README, \"Cadangan dan pemulihan\"), mulai ulang aplikasi, lalu ulangi.",
        "en": "The database file {path} disappeared or was replaced while this change was written: the change "
              "is NOT in {path} and is not confirmed as saved. Administrator: put the file back or restore a "
              "backup (README, \"Cadangan dan pemulihan\"), restart the app, then try again.",
    },
    "no_data": {
        "id": "Belum ada data perekaman. Unggah laporan harian atau rekap kumulatif terlebih dahulu.",
        "en": "No recording data yet. Upload a daily report or a cumulative recap first.",
    },
    "ringkasan_title": {"id": "Perekaman e-KTP {nama}", "en": "e-KTP recording in {nama}"},
    "as_of_line": {
        "id": "Per {tanggal} · {hari} hari lagi menuju {batas}",
        "en": plural("hari", one="As of {tanggal} · {hari} day left to {batas}",
                     other="As of {tanggal} · {hari} days left to {batas}"),
    },
    "as_of_line_past": {
        "id": "Per {tanggal} · batas {batas} sudah lewat {hari} hari",
        "en": plural("hari", one="As of {tanggal} · the {batas} deadline passed {hari} day ago",
                     other="As of {tanggal} · the {batas} deadline passed {hari} days ago"),
    },
    "m_persen_rekam": {"id": "Cakupan perekaman", "en": "Recording coverage"},
    "m_persen_rekam_help": {
        "id": "Sudah rekam ÷ wajib KTP, dibulatkan ke bawah ke 2 desimal (tidak pernah melebih-lebihkan).",
        "en": "Recorded ÷ obliged to hold a card, floored to 2 decimals (never overstated).",
    },
    "m_sudah_rekam": {"id": "Sudah rekam", "en": "Recorded"},
    "m_belum_rekam": {"id": "Belum rekam", "en": "Not yet recorded"},
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
    "missing_targets": {
        "id": "{n} kelurahan belum punya angka wajib KTP pada tanggal ini; rekamannya tidak ikut dihitung dalam "
              "persentase. Unggah rekap dengan kolom wajib_ktp.",
        "en": plural("n", one="{n} kelurahan has no wajib KTP target on this date; its recordings are left out of the "
                               "percentage. Upload a recap with a wajib_ktp column.",
                     other="{n} kelurahan have no wajib KTP target on this date; their recordings are left out of the "
                           "percentage. Upload a recap with a wajib_ktp column."),
    },
    "as_of_pick": {"id": "Lihat per tanggal", "en": "Show as of"},
    "as_of_pick_help": {"id": "Angka kota sebagaimana adanya pada tanggal itu, dengan versi target yang berlaku saat itu.",
                        "en": "The city's figures as they stood on that day, with the target version then in force."},
    "week_delta": {"id": "{n} dalam 7 hari", "en": "{n} in 7 days"},
    "week_delta_points": {"id": "{n} poin dalam 7 hari", "en": "{n} points in 7 days"},
    "week_delta_new_target": {"id": "penyebut berubah dalam 7 hari", "en": "denominator changed in 7 days"},
    "projection_title": {"id": "Kapan tuntas?", "en": "When do we finish?"},
    "proj_rekam_late": {"id": "Pada laju 7 hari terakhir ({laju} perekaman per hari), 100% tercapai sekitar **{tanggal}**, sesudah batas {batas}. Untuk tuntas {batas} dibutuhkan **{perlu} perekaman per hari**.",
                        "en": plural("laju", one=plural("perlu", one="At the last 7 days' pace ({laju} recording a day), 100% is reached around **{tanggal}**, after the {batas} deadline. Finishing by {batas} takes **{perlu} recording a day**.",
                                                           other="At the last 7 days' pace ({laju} recording a day), 100% is reached around **{tanggal}**, after the {batas} deadline. Finishing by {batas} takes **{perlu} recordings a day**."),
                                         other=plural("perlu", one="At the last 7 days' pace ({laju} recordings a day), 100% is reached around **{tanggal}**, after the {batas} deadline. Finishing by {batas} takes **{perlu} recording a day**.",
                                                           other="At the last 7 days' pace ({laju} recordings a day), 100% is reached around **{tanggal}**, after the {batas} deadline. Finishing by {batas} takes **{perlu} recordings a day**."))},
    "proj_rekam_ok": {"id": "Pada laju 7 hari terakhir ({laju} perekaman per hari), 100% tercapai sekitar **{tanggal}**, sebelum batas {batas}.",
                      "en": plural("laju", one="At the last 7 days' pace ({laju} recording a day), 100% is reached around **{tanggal}**, before the {batas} deadline.",
                                     other="At the last 7 days' pace ({laju} recordings a day), 100% is reached around **{tanggal}**, before the {batas} deadline.")},
    "proj_rekam_stalled": {"id": "Dalam 7 hari terakhir tidak ada perekaman baru. Untuk tuntas {batas} dibutuhkan **{perlu} perekaman per hari**.",
                           "en": plural("perlu", one="No new recordings in the last 7 days. Finishing by {batas} takes **{perlu} recording a day**.",
                                          other="No new recordings in the last 7 days. Finishing by {batas} takes **{perlu} recordings a day**.")},
    "proj_kartu_late": {"id": "Kartu: pada laju {laju} kartu per hari, semua kartu sampai sekitar **{tanggal}**; untuk tuntas {batas} dibutuhkan **{perlu} kartu per hari**.",
                        "en": plural("laju", one=plural("perlu", one="Cards: at {laju} card a day, every card is delivered around **{tanggal}**; finishing by {batas} takes **{perlu} card a day**.",
                                                           other="Cards: at {laju} card a day, every card is delivered around **{tanggal}**; finishing by {batas} takes **{perlu} cards a day**."),
                                         other=plural("perlu", one="Cards: at {laju} cards a day, every card is delivered around **{tanggal}**; finishing by {batas} takes **{perlu} card a day**.",
                                                           other="Cards: at {laju} cards a day, every card is delivered around **{tanggal}**; finishing by {batas} takes **{perlu} cards a day**."))},
    "proj_kartu_ok": {"id": "Kartu: pada laju {laju} kartu per hari, semua kartu sampai sekitar **{tanggal}**, sebelum batas {batas}.",
                      "en": plural("laju", one="Cards: at {laju} card a day, every card is delivered around **{tanggal}**, before the {batas} deadline.",
                                     other="Cards: at {laju} cards a day, every card is delivered around **{tanggal}**, before the {batas} deadline.")},
    "proj_kartu_stalled": {"id": "Kartu: tidak ada distribusi dalam 7 hari terakhir; untuk tuntas {batas} dibutuhkan **{perlu} kartu per hari**.",
                           "en": plural("perlu", one="Cards: none delivered in the last 7 days; finishing by {batas} takes **{perlu} card a day**.",
                                          other="Cards: none delivered in the last 7 days; finishing by {batas} takes **{perlu} cards a day**.")},
    "proj_done": {"id": "Semua sudah tuntas per tanggal ini.", "en": "All done as of this date."},
    "proj_past": {"id": "Batas {batas} sudah lewat; {sisa} masih tersisa.", "en": plural("sisa", one="The {batas} deadline has passed; {sisa} remains.", other="The {batas} deadline has passed; {sisa} remain.")},
    "proj_due": {"id": "Hari ini batasnya ({batas}); {sisa} masih tersisa pada akhir hari.",
                 "en": plural("sisa", one="Today is the deadline ({batas}); {sisa} remains at the end of the day.",
                          other="Today is the deadline ({batas}); {sisa} remain at the end of the day.")},
    "pace_rekam": {"id": "perlu {n} rekam per hari", "en": plural("n", one="needs {n} recording a day", other="needs {n} recordings a day")},
    "pace_kartu": {"id": "perlu {n} kartu per hari", "en": plural("n", one="needs {n} card a day", other="needs {n} cards a day")},
    "pace_help": {
        "id": "Rata-rata per hari agar tuntas pada {batas} ({hari} hari lagi, termasuk hari libur).",
        "en": plural("hari", one="Average a day to finish by {batas} ({hari} day left, holidays included).",
                     other="Average a day to finish by {batas} ({hari} days left, holidays included)."),
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
        "en": plural("belum", one="{terendah} lags most ({persen}) with {belum} resident left to record",
                       other="{terendah} lags most ({persen}) with {belum} residents left to record"),
    },
    "hover_series": {"id": "{tanggal}<br>{persen} ({rekam} dari {wajib})", "en": "{tanggal}<br>{persen} ({rekam} of {wajib})"},
    "target_100": {"id": "target 100%", "en": "100% target"},
    "published_point": {"id": "Dipublikasikan {tanggal} ({penerbit}):<br>{rekam} dari {wajib} = {persen}",
                        "en": "Published {tanggal} ({penerbit}):<br>{rekam} of {wajib} = {persen}"},
    "published_label": {"id": "{persen} dari {wajib}", "en": "{persen} of {wajib}"},
    "chart_series_title": {"id": "Cakupan {persen} per {tanggal}; angka wajib KTP punya {versi} versi, maka garisnya melompat",
                           "en": "Coverage {persen} as of {tanggal}; the number of residents obliged to hold a card has {versi} versions, so the line jumps"},
    "chart_series_title_one": {"id": "Cakupan {persen} per {tanggal}", "en": "Coverage {persen} as of {tanggal}"},
    "series_caption": {"id": "Belah ketupat: angka yang dipublikasikan media, dengan penyebutnya sendiri (365.000 pada Nov 2012, ±450.000 pada Mei 2013, 415.549 pada Okt 2013).",
                       "en": "Diamonds: figures as published, each with its own denominator (365,000 in Nov 2012, about 450,000 in May 2013, 415,549 in Oct 2013)."},
    "series_title": {"id": "Perjalanan menuju 100%", "en": "The road to 100%"},
    "lokasi_kelurahan": {"id": "Kelurahan (safari)", "en": "Kelurahan (safari)"},
    "lokasi_kecamatan": {"id": "Kantor kecamatan", "en": "Kecamatan office"},
    "lokasi_sekolah": {"id": "Sekolah", "en": "Schools"},
    "lokasi_pasar": {"id": "Pasar", "en": "Markets"},
    "lokasi_lainnya": {"id": "Lainnya", "en": "Other"},
    "axis_rekam_per_hari": {"id": "perekaman per hari", "en": "recordings a day"},
    "chart_lokasi_title": {"id": "{lokasi} menyumbang {bagian} perekaman; hari tertinggi {puncak} ({tanggal})",
                           "en": "{lokasi} account for {bagian} of recordings; best day {puncak} ({tanggal})"},
    "lokasi_title": {"id": "Perekaman harian menurut lokasi (60 hari terakhir)", "en": "Daily recordings by location (last 60 days)"},
    "trace_sudah": {"id": "Sudah rekam", "en": "Recorded"},
    "trace_belum": {"id": "Belum rekam", "en": "Not yet recorded"},
    "axis_persen_wajib": {"id": "% wajib KTP", "en": "% of residents obliged"},
    "hover_kecamatan": {
        "id": "{nama}<br>{persen} sudah rekam<br>{rekam} dari {wajib}<br>{belum} belum rekam",
        "en": "{nama}<br>{persen} recorded<br>{rekam} of {wajib}<br>{belum} not yet recorded",
    },
    "change_counts": {"id": "{rekam} rekam, {distribusi} distribusi ({wilayah})",
                      "en": "{rekam} recorded, {distribusi} delivered ({wilayah})"},
    "change_coverage": {"id": "cakupan {wilayah} {sebelum} → {sesudah} (per {tanggal})",
                        "en": "coverage of {wilayah} {sebelum} → {sesudah} (as of {tanggal})"},
    "change_scope": {"id": "{kelurahan} kelurahan, {dari} – {sampai}", "en": "{kelurahan} kelurahan, {dari} – {sampai}"},
    "change_reference_day": {"id": "Hari acuan berpindah dari {sebelum} ke {sesudah}",
                             "en": "The reference day moves from {sebelum} to {sesudah}"},
    "change_reference_day_first": {"id": "Hari acuan menjadi {sesudah} (data pertama)",
                                   "en": "The reference day becomes {sesudah} (the first data)"},
    "change_jadwal": {"id": "jadwal keliling (angka cakupan tidak berubah)",
                      "en": "mobile schedule (coverage figures do not change)"},
    "kind_harian": {"id": "Laporan harian", "en": "Daily report"},
    "kind_rekap": {"id": "Rekap kumulatif", "en": "Cumulative recap"},
    "kind_jadwal": {"id": "Jadwal keliling", "en": "Mobile recording schedule"},
    "revert_reason_required": {"id": "Alasan pembatalan wajib diisi (--reason).",
                               "en": "A reason for the revert is required (--reason)."},
    "revert_unknown_batch": {"id": "Batch {batch} tidak ada.", "en": "There is no batch {batch}."},
    "revert_already_reverted": {"id": "Batch {batch} sudah dibatalkan.", "en": "Batch {batch} is already reverted."},
    "nav_unggah": {"id": 'Unggah', "en": 'Upload'},
    "nav_riwayat": {"id": 'Riwayat', "en": 'History'},
    "kind_target": {"id": 'Target wajib KTP', "en": 'Targets'},
    "kind_publikasi": {"id": 'Angka publikasi', "en": 'Published figures'},
    "unggah_title": {"id": 'Unggah data', "en": 'Upload data'},
    "unggah_intro": {"id": 'Laporan harian, rekap kumulatif, atau jadwal keliling, sebagai CSV atau Excel (.xlsx). Berkas diperiksa utuh dulu; tidak ada yang disimpan sebelum Anda menekan Simpan.', "en": 'Daily reports, cumulative recaps or the mobile schedule, as CSV or Excel (.xlsx). The whole file is checked first; nothing is saved until you press Save.'},
    "unggah_templates": {"id": 'Templat dan contoh berkas', "en": 'Templates and example files'},
    "unggah_template_xlsx": {"id": 'Templat .xlsx', "en": 'Template .xlsx'},
    "unggah_example_csv": {"id": 'Contoh .csv', "en": 'Example .csv'},
    "unggah_file": {"id": 'Pilih berkas (CSV atau .xlsx, maksimal {mb} MB)', "en": 'Choose a file (CSV or .xlsx, at most {mb} MB)'},
    "unggah_sheet": {"id": 'Lembar Excel', "en": 'Excel sheet'},
    "unggah_replace": {"id": 'Unggahan koreksi', "en": 'Correction upload'},
    "unggah_replace_help": {"id": 'Menggantikan data yang sudah ada untuk tanggal, kelurahan (dan lokasi) yang sama. Data lama tetap tercatat di riwayat.', "en": 'Replaces existing data for the same date, kelurahan (and lokasi). The old data stay in the history.'},
    "unggah_force": {"id": 'Saya sudah memeriksa: nilai tidak wajar itu benar', "en": 'I have checked: the implausible values are right'},
    "unggah_force_help": {"id": 'Hanya untuk angka di atas batas wajar harian atau melebihi wajib KTP, dan tanggal jauh sesudah data terakhir.',
                          "en": 'Only for values above the plausible daily maximum or above the residents obliged, and dates far after the latest data.'},
    "unggah_checking": {"id": 'Memeriksa berkas…', "en": 'Checking the file…'},
    "unggah_kind_unknown": {"id": 'jenis tidak dikenal', "en": 'unknown kind'},
    "unggah_detected": {"id": '{kind} · {rows} baris data', "en": plural("rows", one="{kind} · {rows} data row", other="{kind} · {rows} data rows")},
    "unggah_ignored": {"id": 'Kolom diabaikan: {columns}', "en": 'Columns ignored: {columns}'},
    "unggah_refused": {"id": 'Ditolak: {n} masalah. Tidak ada yang disimpan. Perbaiki berkas lalu unggah lagi.', "en": plural("n", one="Refused: {n} problem. Nothing was saved. Correct the file and upload it again.",
                                   other="Refused: {n} problems. Nothing was saved. Correct the file and upload it again.")},
    "unggah_confirmed": {"id": 'Nilai tidak wajar dikonfirmasi; berkas dapat disimpan.', "en": 'Implausible values confirmed; the file can be saved.'},
    "col_baris": {"id": 'Baris', "en": 'Row'},
    "col_kolom": {"id": 'Kolom', "en": 'Column'},
    "col_masalah": {"id": 'Masalah dan yang harus dilakukan', "en": 'Problem and what to do'},
    "unggah_preview": {"id": 'Pratinjau (20 baris pertama, sesudah dibaca)', "en": 'Preview (first 20 rows, as read)'},
    "unggah_save": {"id": 'Simpan', "en": 'Save'},
    "unggah_saved": {"id": 'Tersimpan sebagai batch {batch} ({rows} baris). Semua halaman sudah memakai angka baru.', "en": plural("rows", one="Saved as batch {batch} ({rows} row). Every page now uses the new figures.",
                                 other="Saved as batch {batch} ({rows} rows). Every page now uses the new figures.")},
    "riwayat_title": {"id": 'Riwayat unggahan', "en": 'Upload history'},
    "riwayat_intro": {"id": 'Setiap unggahan adalah satu batch. Batch yang dibatalkan tetap tercatat tetapi tidak lagi dihitung.', "en": 'Every upload is one batch. A reverted batch stays on record but no longer counts.'},
    "riwayat_empty": {"id": 'Belum ada batch.', "en": 'No batches yet.'},
    "col_batch": {"id": 'Batch', "en": 'Batch'},
    "col_jenis": {"id": 'Jenis', "en": 'Kind'},
    "col_berkas": {"id": 'Berkas', "en": 'File'},
    "col_baris_n": {"id": 'Baris', "en": 'Rows'},
    "col_petugas": {"id": 'Petugas', "en": 'Officer'},
    "col_waktu": {"id": 'Waktu', "en": 'Time'},
    "col_status": {"id": 'Status', "en": 'Status'},
    "status_aktif": {"id": 'aktif', "en": 'active'},
    "status_dibatalkan": {"id": 'dibatalkan', "en": 'reverted'},
    "riwayat_pick": {"id": 'Lihat batch', "en": 'Show batch'},
    "riwayat_batch_line": {"id": 'Batch {batch} · {rows} baris · oleh {user} · sha256 {sha}', "en": plural("rows", one="Batch {batch} · {rows} row · by {user} · sha256 {sha}",
                                       other="Batch {batch} · {rows} rows · by {user} · sha256 {sha}")},
    "riwayat_reverted": {"id": 'Dibatalkan oleh {user} pada {waktu}: {reason}', "en": 'Reverted by {user} at {waktu}: {reason}'},
    "riwayat_revert_title": {"id": 'Batalkan batch {batch}', "en": 'Revert batch {batch}'},
    "riwayat_reason": {"id": 'Alasan pembatalan', "en": 'Reason for the revert'},
    "riwayat_confirm": {"id": 'Ya, batalkan batch {batch}: angkanya tidak lagi dihitung', "en": 'Yes, revert batch {batch}: its figures no longer count'},
    "riwayat_revert": {"id": 'Batalkan batch', "en": 'Revert batch'},
    "riwayat_need_reason": {"id": 'Isi alasan dan centang konfirmasi.', "en": 'Give a reason and tick the confirmation.'},
    "riwayat_done": {"id": 'Batch {batch} dibatalkan. Semua halaman sudah memakai angka baru.', "en": 'Batch {batch} reverted. Every page now uses the new figures.'},
    # `init` without --demo: the first admin (command line)
    "init_password_prompt": {"id": "Kata sandi admin pertama ({name}), minimal 10 karakter: ",
                             "en": "Password of the first admin ({name}), at least 10 characters: "},
    "password_again": {"id": "Ulangi kata sandi: ", "en": "Repeat the password: "},
    "password_mismatch": {"id": "Kedua kata sandi tidak sama. Tidak ada yang dibuat; ulangi.",
                          "en": "The two passwords differ. Nothing was created; try again."},
    "init_no_admin": {"id": "{detail} Database tidak dibuat.", "en": "{detail} No database was created."},
    "init_password_how": {
        "id": "Kata sandi admin pertama diketik dua kali di terminal, atau diberikan lewat EKTP_PASSWORD atau baris "
              "pertama stdin (data contoh dengan akun contoh: --demo).",
        "en": "Type the first admin's password twice at the terminal, or give it in EKTP_PASSWORD or as the first "
              "line of standard input (demo data with demo accounts: --demo).",
    },
    "init_admin_created": {
        "id": "Akun admin {name} dibuat. Untuk masuk: jalankan aplikasi dengan EKTP_DB={db} (make run, atau layanan "
              "ektp-dasbor), buka \"Masuk petugas\" dan masuk sebagai {name} dengan kata sandi tadi. Akun petugas lain: "
              "halaman Pengguna, atau python -m ektp_metrics users add NAMA --role operator.",
        "en": "Admin account {name} created. To sign in: run the app with EKTP_DB={db} (make run, or the ektp-dasbor "
              "service), open \"Masuk petugas\" and sign in as {name} with that password. Other staff accounts: the "
              "Pengguna page, or python -m ektp_metrics users add NAME --role operator.",
    },
    "account_password_short": {"id": 'Kata sandi minimal {min} karakter.', "en": plural("min", one="A password needs at least {min} character.", other="A password needs at least {min} characters.")},
    "account_bad_username": {"id": 'Nama pengguna: 2–32 huruf kecil, angka, titik, garis bawah, atau tanda hubung.', "en": 'User name: 2–32 lower-case letters, digits, dots, underscores or hyphens.'},
    "account_bad_role": {"id": 'Peran tidak dikenal. Pilih: {roles}.', "en": 'Unknown role. Choose: {roles}.'},
    "account_exists": {"id": 'Akun {username} sudah ada.', "en": 'Account {username} already exists.'},
    "account_unknown": {"id": 'Akun {username} tidak ada.', "en": 'There is no account {username}.'},
    "account_self_disable": {"id": 'Anda tidak dapat menonaktifkan akun sendiri.', "en": 'You cannot disable your own account.'},
    "nav_pengguna": {"id": 'Pengguna', "en": 'Users'},
    "nav_masuk": {"id": 'Masuk petugas', "en": 'Staff login'},
    "nav_akun": {"id": "Akun saya", "en": "My account"},
    "akun_title": {"id": "Akun saya", "en": "My account"},
    "akun_change": {"id": "Ganti kata sandi", "en": "Change the password"},
    "akun_rules": {"id": "Kata sandi baru minimal {min} karakter dan berbeda dari yang lama. Sesi akun ini di tab atau "
                         "komputer lain berakhir; sesi ini tetap.",
                   "en": plural("min", one="The new password needs at least {min} character and must differ from "
                                           "the old one. This account's sessions in other tabs or on other "
                                           "computers end; this one stays.",
                                other="The new password needs at least {min} characters and must differ from "
                                      "the old one. This account's sessions in other tabs or on other computers "
                                      "end; this one stays.")},
    "akun_old": {"id": "Kata sandi sekarang", "en": "Current password"},
    "akun_submit": {"id": "Ganti kata sandi", "en": "Change the password"},
    "akun_changed": {"id": "Kata sandi diganti. {n} sesi lain diakhiri.",
                     "en": plural("n", one="Password changed. {n} other session was ended.",
                                  other="Password changed. {n} other sessions were ended.")},
    "account_password_mismatch": {"id": "Kedua isian kata sandi baru tidak sama. Ketik ulang.",
                                  "en": "The two new passwords differ. Type them again."},
    "account_password_same": {"id": "Kata sandi baru sama dengan yang lama. Pilih yang lain.",
                              "en": "The new password is the old one. Choose another."},
    "account_password_old_wrong": {"id": "Kata sandi sekarang salah. Kata sandi tidak diganti.",
                                   "en": "The current password is wrong. The password was not changed."},
    "account_password_locked": {"id": "Terlalu banyak kata sandi salah. Coba lagi pukul {jam}.",
                                "en": "Too many wrong passwords. Try again at {jam}."},
    "role_admin": {"id": 'admin', "en": 'admin'},
    "role_operator": {"id": 'operator', "en": 'operator'},
    "role_pimpinan": {"id": 'pimpinan', "en": 'management'},
    "signed_in_as": {"id": 'Masuk sebagai {name} ({role})', "en": 'Signed in as {name} ({role})'},
    "logout": {"id": 'Keluar', "en": 'Sign out'},
    "login_next": {"id": "Halaman untuk peran Anda kini ada di menu sebelah kiri.",
                   "en": "The pages for your role are now in the menu on the left."},
    "login_title": {"id": 'Masuk petugas', "en": 'Staff login'},
    "login_denied": {"id": 'Halaman ini hanya untuk petugas dengan peran yang sesuai. Masuk dengan akun yang berhak.', "en": 'This page is for staff with the right role. Sign in with an account that may open it.'},
    "login_username": {"id": 'Nama pengguna', "en": 'User name'},
    "login_password": {"id": 'Kata sandi', "en": 'Password'},
    "login_submit": {"id": 'Masuk', "en": 'Sign in'},
    "login_wrong": {"id": 'Nama pengguna atau kata sandi salah.', "en": 'Wrong user name or password.'},
    "login_locked": {"id": 'Akun dikunci karena {n} kali salah kata sandi. Coba lagi pukul {jam}, atau minta admin mengatur ulang kata sandi.', "en": plural("n", one="The account is locked after {n} wrong password. Try again at {jam}, or ask an admin to reset the password.",
                                 other="The account is locked after {n} wrong passwords. Try again at {jam}, or ask an admin to reset the password.")},
    "login_disabled": {"id": 'Akun ini dinonaktifkan. Hubungi admin.', "en": 'This account is disabled. Contact an admin.'},
    "login_expired": {"id": 'Sesi berakhir karena tidak ada aktivitas. Silakan masuk lagi.', "en": 'The session ended after inactivity. Please sign in again.'},
    "login_demo_accounts": {"id": "Akun contoh (hanya di database contoh): {akun}", "en": "Demo accounts (demo database only): {akun}"},
    "login_password_changed": {"id": "Kata sandi akun ini baru diganti. Silakan masuk lagi.", "en": "This account's password was just changed. Please sign in again."},
    "login_signed_out": {"id": "Anda sudah keluar (di tab lain). Silakan masuk lagi.",
                         "en": "You signed out (in another tab). Please sign in again."},
    "revert_reason_too_long": {"id": "Alasan pembatalan terlalu panjang ({n} karakter, paling banyak {batas}). Persingkat lalu coba lagi.",
                               "en": plural("n", one="The reason for the revert is too long ({n} character, at most {batas}). Shorten it and try again.",
                                             other="The reason for the revert is too long ({n} characters, at most {batas}). Shorten it and try again.")},
    "account_name_too_long": {"id": "Nama lengkap terlalu panjang ({n} karakter, paling banyak {batas}). Tidak ada yang disimpan.",
                              "en": plural("n", one="The full name is too long ({n} character, at most {batas}). Nothing was saved.",
                                            other="The full name is too long ({n} characters, at most {batas}). Nothing was saved.")},
    "field_too_long": {"id": "Teks terlalu panjang ({n} karakter, paling banyak {batas}). Tidak ada yang disimpan; persingkat lalu simpan lagi.",
                       "en": plural("n", one="The text is too long ({n} character, at most {batas}). Nothing was saved; shorten it and save again.",
                                     other="The text is too long ({n} characters, at most {batas}). Nothing was saved; shorten it and save again.")},
    "field_bad_link": {"id": "Tautan sumber harus diawali http:// atau https:// dan memuat alamat situs (bukan {link}). Tidak ada yang disimpan.",
                       "en": "The source link must start with http:// or https:// and name a site (not {link}). Nothing was saved."},
    "revert_not_allowed": {"id": "Hanya admin atau petugas yang mengunggah batch {batch} yang dapat membatalkannya.", "en": "Only an admin or the officer who uploaded batch {batch} can revert it."},
    "riwayat_not_yours": {"id": 'Hanya admin atau petugas yang mengunggahnya yang dapat membatalkan batch ini.', "en": 'Only an admin or the officer who uploaded it can revert this batch.'},
    "pengguna_title": {"id": 'Pengguna dan log audit', "en": 'Users and audit log'},
    "pengguna_nama": {"id": 'Nama lengkap', "en": 'Full name'},
    "pengguna_peran": {"id": 'Peran', "en": 'Role'},
    "pengguna_aktif": {"id": 'Aktif', "en": 'Active'},
    "pengguna_dibuat": {"id": 'Dibuat', "en": 'Created'},
    "pengguna_oleh": {"id": 'Oleh', "en": 'By'},
    "pengguna_sandi_diganti": {"id": 'Kata sandi diganti', "en": 'Password set'},
    "pengguna_add": {"id": 'Tambah pengguna', "en": 'Add user'},
    "pengguna_manage": {"id": 'Kelola pengguna', "en": 'Manage users'},
    "pengguna_sandi_ulang": {"id": 'Ulangi kata sandi', "en": 'Repeat the password'},
    "pengguna_sandi_beda": {"id": 'Kedua kata sandi tidak sama.', "en": 'The two passwords differ.'},
    "pengguna_added": {"id": 'Akun {username} dibuat.', "en": 'Account {username} created.'},
    "pengguna_none": {"id": 'Belum ada pengguna.', "en": 'No users yet.'},
    "pengguna_pilih": {"id": 'Pengguna', "en": 'User'},
    "pengguna_disable": {"id": 'Nonaktifkan', "en": 'Disable'},
    "pengguna_enable": {"id": 'Aktifkan', "en": 'Enable'},
    "pengguna_toggled": {"id": 'Status akun {username} diubah.', "en": 'Account {username} changed.'},
    "pengguna_sandi_baru": {"id": 'Kata sandi baru', "en": 'New password'},
    "pengguna_reset": {"id": 'Atur ulang kata sandi', "en": 'Reset password'},
    "pengguna_reset_done": {"id": 'Kata sandi {username} diganti; kunci akun dibuka.', "en": 'Password of {username} reset; the account is unlocked.'},
    "cadangan_title": {"id": "Cadangan database", "en": "Database backups"},
    "cadangan_help": {
        "id": "Aplikasi mencadangkan database setiap hari pukul {jam} WIB ke `{folder}`, lalu membuka ulang "
              "cadangan itu dan mencocokkannya dengan angka database sebelum dianggap baik. Disimpan: semua cadangan 24 jam "
              "terakhir, yang terbaru dari {hari} hari terakhir dan yang terbaru tiap bulan selama setahun. Cara memulihkan: README, "
              "bagian \"Cadangan dan pemulihan\".",
        "en": plural("hari", one="The app backs the database up every day at {jam} WIB into `{folder}`, then reopens the backup and "
                                 "compares it with the database's figures before calling it good. Kept: every backup of the last 24 "
                                 "hours, the newest of the last {hari} day and the newest of each month for a year. How to restore: "
                                 "README, section \"Cadangan dan pemulihan\".",
                     other="The app backs the database up every day at {jam} WIB into `{folder}`, then reopens the backup and "
                           "compares it with the database's figures before calling it good. Kept: every backup of the last 24 "
                           "hours, the newest of each of the last {hari} days and the newest of each month for a year. How to "
                           "restore: README, section \"Cadangan dan pemulihan\"."),
    },
    "cadangan_now": {"id": "Cadangkan sekarang", "en": "Back up now"},
    "cadangan_busy": {"id": "Mencadangkan dan memeriksa…", "en": "Backing up and checking…"},
    "cadangan_done": {
        "id": "Cadangan {nama} dibuat ({ukuran} MB, {batch} batch) dan cocok dengan database.",
        "en": plural("batch", one="Backup {nama} taken ({ukuran} MB, {batch} batch); it matches the database.",
                     other="Backup {nama} taken ({ukuran} MB, {batch} batches); it matches the database."),
    },
    "cadangan_failed": {"id": "Cadangan gagal, tidak ada cadangan baru yang dianggap baik: {detail}",
                        "en": "The backup failed; no new backup counts as good: {detail}"},
    "cadangan_scheduled_failed": {"id": "Cadangan terjadwal terakhir gagal: {detail}",
                                  "en": "The last scheduled backup failed: {detail}"},
    "cadangan_stale": {
        "id": "**Cadangan baik terakhir sudah lebih dari 2 hari** ({waktu}). Periksa mengapa cadangan harian "
              "tidak berjalan, dan tekan Cadangkan sekarang.",
        "en": "**The last good backup is more than 2 days old** ({waktu}). Check why the daily backup does not "
              "run, and press Back up now.",
    },
    "cadangan_none": {"id": "**Belum ada cadangan yang baik** di `{folder}`. Tekan Cadangkan sekarang.",
                      "en": "**There is no good backup yet** in `{folder}`. Press Back up now."},
    "cadangan_empty": {"id": "Belum ada cadangan.", "en": "No backups yet."},
    "cadangan_cek_cocok": {"id": "baik: cocok dengan database", "en": "good: matches the database"},
    "cadangan_cek_gagal": {"id": "GAGAL", "en": "FAILED"},
    "cadangan_cek_tanpa_catatan": {"id": "tanpa catatan pemeriksaan (bukan cadangan baik)",
                                   "en": "no check record (not a good backup)"},
    "cadangan_cek_berubah": {"id": "BERUBAH sejak dibuat", "en": "CHANGED since it was taken"},
    "col_ukuran_berkas": {"id": "Ukuran", "en": "Size"},
    "col_data_per": {"id": "Data per", "en": "Data as of"},
    "col_pemeriksaan": {"id": "Pemeriksaan", "en": "Check"},
    "col_oleh": {"id": "Oleh", "en": "By"},
    "layar_texts_title": {"id": "Teks layar publik (lobi Balai Kota)", "en": "Public screen texts (city hall lobby)"},
    "layar_texts_help": {"id": "Teks yang tampil di layar lobi (/layar): ajakan atas nama Wakil Wali Kota, dan di mana warga mengambil kartu.", "en": "Texts shown on the lobby screen (/layar): the call to action in the Deputy Mayor's name, and where residents collect their cards."},
    "layar_kartu_tempat": {"id": "Tempat pengambilan kartu (satu kalimat)", "en": "Where to collect cards (one sentence)"},
    "layar_wawali_nama": {"id": "Nama dan jabatan", "en": "Name and title"},
    "layar_wawali_ajakan": {"id": "Ajakan", "en": "Call to action"},
    "layar_texts_save": {"id": "Simpan teks layar", "en": "Save screen texts"},
    "layar_texts_saved": {"id": "Teks layar publik disimpan.", "en": "Public screen texts saved."},
    "audit_title": {"id": 'Log audit', "en": 'Audit log'},
    "audit_action": {"id": 'Tindakan', "en": 'Action'},
    "audit_user": {"id": 'Pengguna', "en": 'User'},
    "audit_period": {"id": 'Periode', "en": 'Period'},
    "audit_all": {"id": 'semua', "en": 'all'},
    "audit_count": {"id": '{n} entri', "en": plural("n", one="{n} entry", other="{n} entries")},
    "audit_help": {"id": "Waktu dalam {zona}. Kolom Batch membuka batch itu di Riwayat.",
                   "en": "Times in {zona}. The Batch column opens that batch in History."},
    "col_pengguna": {"id": "Pengguna", "en": "User"},
    "col_tindakan": {"id": "Tindakan", "en": "Action"},
    "col_objek": {"id": "Objek", "en": "Object"},
    "col_keterangan": {"id": "Keterangan", "en": "Details"},
    "col_waktu_zona": {"id": "Waktu ({zona})", "en": "Time ({zona})"},
    # The audit log's actions in words (audit_act_<code>, every code ektp_metrics writes; tests/test_audit.py)
    "audit_act_login": {"id": "masuk", "en": "signed in"},
    "audit_act_logout": {"id": "keluar", "en": "signed out"},
    "audit_act_login_gagal": {"id": "gagal masuk", "en": "failed to sign in"},
    "audit_act_login_terkunci": {"id": "ditolak masuk: akun terkunci", "en": "refused: account locked"},
    "audit_act_pengguna_ditambah": {"id": "menambah pengguna", "en": "added a user"},
    "audit_act_pengguna_diaktifkan": {"id": "mengaktifkan pengguna", "en": "enabled a user"},
    "audit_act_pengguna_dinonaktifkan": {"id": "menonaktifkan pengguna", "en": "disabled a user"},
    "audit_act_kata_sandi_direset": {"id": "mengatur ulang kata sandi", "en": "reset a password"},
    "audit_act_kata_sandi_diganti": {"id": "mengganti kata sandinya", "en": "changed their password"},
    "audit_act_unggah": {"id": "mengunggah", "en": "uploaded"},
    "audit_act_batal": {"id": "membatalkan batch", "en": "reverted a batch"},
    "audit_act_wilayah_dimuat": {"id": "memuat daftar wilayah", "en": "loaded the region list"},
    "audit_act_demo_dibuat": {"id": "membuat data contoh", "en": "created the demo data"},
    "audit_act_rekap_pusat_diunggah": {"id": "mengunggah rekap pusat", "en": "uploaded a central recap"},
    "audit_act_selisih_dicatat": {"id": "mencatat alasan selisih", "en": "recorded a reason for a difference"},
    "audit_act_selisih_selesai": {"id": "menyelesaikan catatan selisih", "en": "closed a difference note"},
    "audit_act_publikasi_ditambah": {"id": "menambah angka publikasi", "en": "added a published figure"},
    "audit_act_teks_layar_diubah": {"id": "mengubah teks layar publik", "en": "changed a public screen text"},
    "audit_act_cadangan_dibuat": {"id": "membuat cadangan", "en": "took a backup"},
    "audit_act_token_dibuat": {"id": "membuat token API", "en": "created an API token"},
    "audit_act_token_dicabut": {"id": "mencabut token API", "en": "revoked an API token"},
    # API tokens (ektp_metrics.tokens): why one cannot be made or revoked
    "token_name_required": {"id": "Isi nama token (untuk apa token ini, mis. \u201cSIAK malam\u201d).",
                            "en": "Give the token a name (what it is for, e.g. \u201cSIAK nightly\u201d)."},
    "token_name_too_long": {"id": "Nama token {n} karakter; paling banyak {batas}.",
                            "en": plural("n", one="The token's name has {n} character; at most {batas}.",
                                         other="The token's name has {n} characters; at most {batas}.")},
    "token_bad_days": {"id": "Masa berlaku token 1 sampai {maks} hari.", "en": "The number of days a token is valid must be from 1 to {maks}."},
    "token_unknown_user": {"id": "Pengguna {user} tidak ada.", "en": "There is no user {user}."},
    "token_inactive_user": {"id": "Akun {user} nonaktif: aktifkan dulu sebelum membuat token.",
                            "en": "Account {user} is disabled: enable it before creating a token."},
    "token_unknown_token": {"id": "Token {id} tidak ada atau sudah dicabut.",
                            "en": "Token {id} does not exist or was already revoked."},
    # Pengguna: the section "Token API" (pages/pengguna.py)
    "token_title": {"id": "Token API", "en": "API tokens"},
    "token_help": {"id": "Token membuat skrip atau sistem lain (unggahan malam dari SIAK, portal Satu Data) memakai "
                         "API atas nama seorang pengguna, dengan peran dan hak akun itu saat dipakai. Token berhenti "
                         "bekerja saat kedaluwarsa, saat dicabut, dan selama akunnya nonaktif. Pembuatan dan "
                         "pencabutan tercatat di log audit.",
                   "en": "A token lets a script or another system (the nightly upload from SIAK, the Satu Data "
                         "portal) use the API on behalf of a user, with that account's role and rights at the time "
                         "of use. A token stops working when it expires, when it is revoked, and while its account "
                         "is disabled. Creating and revoking are recorded in the audit log."},
    "token_make": {"id": "Buat token", "en": "Create a token"},
    "token_revoke_tab": {"id": "Cabut token", "en": "Revoke a token"},
    "token_user": {"id": "Untuk pengguna (akun aktif)", "en": "For user (active accounts)"},
    "token_nama": {"id": "Nama token", "en": "Token name"},
    "token_nama_help": {"id": "Untuk apa token ini, mis. \u201cSIAK malam\u201d atau \u201cSatu Data\u201d.",
                        "en": "What the token is for, e.g. \u201cSIAK nightly\u201d or \u201cSatu Data\u201d."},
    "token_hari": {"id": "Berlaku (hari)", "en": "Valid for (days)"},
    "token_hari_help": {"id": "1 sampai {maks} hari; setelah itu buat token baru.",
                        "en": "From 1 to {maks}; after that, create a new token."},
    "token_made": {"id": "Token {id} \u201c{nama}\u201d untuk {user} dibuat; berlaku sampai {sampai}.",
                   "en": "Token {id} \u201c{nama}\u201d for {user} created; valid until {sampai}."},
    "token_once": {"id": "Salin token ini sekarang: token hanya ditampilkan sekali ini. Database hanya menyimpan "
                         "hash-nya, jadi token tidak bisa ditampilkan lagi; bila hilang, cabut dan buat yang baru. "
                         "Simpan seperti kata sandi.",
                   "en": "Copy this token now: it is shown only this once. The database keeps only its hash, so it "
                         "cannot be shown again; if it is lost, revoke it and create a new one. Keep it like a "
                         "password."},
    "token_usage": {"id": "Cara memakai: kirim di header setiap permintaan API, atau beri ke baris perintah lewat "
                          "`EKTP_TOKEN` untuk mengunggah ke aplikasi yang sedang berjalan:",
                    "en": "How to use it: send it in the header of every API request, or give it to the command line "
                          "in `EKTP_TOKEN` to upload to the running app:"},
    "token_none": {"id": "Belum ada token API.", "en": "No API tokens yet."},
    "token_none_revocable": {"id": "Tidak ada token yang bisa dicabut.", "en": "There is no token to revoke."},
    "token_pick": {"id": "Token", "en": "Token"},
    "token_revoke_confirm": {"id": "Ya, cabut token ini: skrip yang memakainya langsung ditolak",
                             "en": "Yes, revoke this token: scripts using it are refused at once"},
    "token_revoke": {"id": "Cabut token", "en": "Revoke token"},
    "token_revoke_need_confirm": {"id": "Centang konfirmasi untuk mencabut token.",
                                  "en": "Tick the confirmation to revoke the token."},
    "token_revoked": {"id": "Token {id} \u201c{nama}\u201d milik {user} dicabut.",
                      "en": "Token {id} \u201c{nama}\u201d of {user} revoked."},
    "token_col_id": {"id": "ID", "en": "ID"},
    "token_col_nama": {"id": "Nama token", "en": "Token name"},
    "token_col_oleh": {"id": "Dibuat oleh", "en": "Created by"},
    "token_col_sampai": {"id": "Berlaku sampai", "en": "Valid until"},
    "token_col_dipakai": {"id": "Terakhir dipakai", "en": "Last used"},
    "token_belum_dipakai": {"id": "belum pernah", "en": "never"},
    "token_status_aktif": {"id": "aktif", "en": "active"},
    "token_status_kedaluwarsa": {"id": "kedaluwarsa", "en": "expired"},
    "token_status_dicabut": {"id": "dicabut", "en": "revoked"},
    "token_status_nonaktif": {"id": "akun nonaktif", "en": "account disabled"},
    "download_csv": {"id": 'Unduh CSV', "en": 'Download CSV'},
    "download_xlsx": {"id": 'Unduh Excel', "en": 'Download Excel'},
    # upload problems (ektp_metrics.ingest), one per reason code; where: "Baris 5, kolom kelurahan: …"
    "problem_at_row": {"id": "baris {n}", "en": "row {n}"},
    "problem_at_column": {"id": "kolom {k}", "en": "column {k}"},
    "problem_too_large": {
        "id": 'Berkas {mb} MB melebihi batas {maks} MB. Pecah menjadi beberapa berkas.',
        "en": 'The file is {mb} MB, above the {maks} MB limit. Split it into several files.',
    },
    "problem_xlsx_too_big": {"id": "Berkas Excel ini terlalu besar setelah dibuka (lebih dari {mb} MB). Simpan hanya lembar data, atau pecah berkasnya.", "en": "This Excel file is too large once unpacked (over {mb} MB). Save only the data sheet, or split the file."},
    "problem_too_big": {"id": "Angka '{nilai}' terlalu besar untuk sebuah jumlah. Periksa angkanya.", "en": "'{nilai}' is too large for a count. Check it."},
    "problem_database_refused": {"id": "Database menolak berkas ini ({detail}). Tidak ada yang disimpan; laporkan ke admin.", "en": "The database refused this file ({detail}). Nothing was saved; tell the administrator."},
    "problem_mixed_kinds": {"id": "Berkas ini mencampur kolom dari beberapa jenis laporan ({kolom}). Laporan harian (rekam, distribusi hari itu) dan rekap kumulatif (sudah_rekam, sudah_distribusi) harus diunggah sebagai berkas terpisah.", "en": "This file mixes columns of several kinds of report ({kolom}). Daily reports (rekam, distribusi of the day) and cumulative recaps (sudah_rekam, sudah_distribusi) must be uploaded as separate files."},
    "problem_header_not_first": {"id": "Header ditemukan di baris ini, bukan di baris 1. Hapus {n} baris judul di atasnya lalu unggah lagi.", "en": plural("n", one="The header is on this row, not on row 1. Delete the {n} title row above it and upload again.",
                                                     other="The header is on this row, not on row 1. Delete the {n} title rows above it and upload again.")},
    "problem_overlapping_schedule": {"id": "Jadwal kelurahan ini tumpang tindih dengan baris {baris_lain}. Gabungkan atau perbaiki tanggalnya.", "en": "This kelurahan's schedule overlaps row {baris_lain}. Merge them or correct the dates."},
    "problem_kelurahan_unknown_nosuggest": {"id": "Kelurahan '{nilai}' tidak dikenal dan tidak mirip nama kelurahan mana pun. Periksa nama atau pakai kode wilayah (lihat lembar Kelurahan di templat).", "en": "Unknown kelurahan '{nilai}', not close to any kelurahan name. Check the name or use the region code (see the Kelurahan sheet of the template)."},
    "problem_targets_admin_only": {"id": "Hanya admin yang boleh mengubah angka wajib KTP. Kosongkan atau hapus kolom wajib_ktp, atau minta admin mengunggahnya.", "en": "Only an admin may change wajib KTP figures. Empty or remove the wajib_ktp column, or ask an admin to upload it."},
    "problem_too_many_rows": {
        "id": 'Berkas berisi {baris} baris data, melebihi batas {maks}. Pecah menjadi beberapa berkas.',
        "en": plural("baris", one="The file has {baris} data row, above the limit of {maks}. Split it into several files.",
                     other="The file has {baris} data rows, above the limit of {maks}. Split it into several files."),
    },
    "problem_empty_file": {
        "id": 'Berkas kosong. Pilih berkas yang berisi header dan data.',
        "en": 'The file is empty. Choose a file with a header and data.',
    },
    "problem_not_a_table": {
        "id": 'Berkas ini bukan CSV atau Excel (.xlsx) yang dapat dibaca. Simpan ulang dari Excel sebagai CSV atau .xlsx.',
        "en": 'This file is not a readable CSV or Excel (.xlsx) file. Save it again from Excel as CSV or .xlsx.',
    },
    "problem_legacy_xls": {
        "id": 'Format Excel lama (.xls) tidak didukung. Simpan ulang sebagai .xlsx atau CSV.',
        "en": 'The old Excel format (.xls) is not supported. Save it again as .xlsx or CSV.',
    },
    "problem_unknown_sheet": {
        "id": "Lembar '{sheet}' tidak ada. Lembar yang ada: {sheets}.",
        "en": "There is no sheet '{sheet}'. Sheets: {sheets}.",
    },
    "problem_header_only": {
        "id": 'Berkas hanya berisi header, tanpa baris data.',
        "en": 'The file has a header but no data rows.',
    },
    "problem_unknown_kind": {
        "id": 'Jenis berkas tidak dikenali dari header ({kolom}). Gunakan templat laporan harian, rekap kumulatif, atau jadwal keliling.',
        "en": 'The kind of file cannot be told from its header ({kolom}). Use the daily report, cumulative recap or schedule template.',
    },
    "problem_missing_column": {
        "id": 'Kolom wajib tidak ada: {kolom}. Tambahkan kolom itu di baris header.',
        "en": 'A required column is missing: {kolom}. Add it to the header row.',
    },
    "problem_duplicate_column": {
        "id": "Kolom ini sama artinya dengan kolom '{first}'. Hapus salah satu.",
        "en": "This column means the same as column '{first}'. Remove one of them.",
    },
    "problem_ragged_row": {
        "id": 'Baris ini berisi {jumlah} kolom, sedangkan header {header} kolom. Periksa pemisah (; atau ,) dan tanda kutip.',
        "en": plural("jumlah", one="This row has {jumlah} field but the header has {header}. Check the separator (; or ,) and quotes.",
                     other="This row has {jumlah} fields but the header has {header}. Check the separator (; or ,) and quotes."),
    },
    "problem_kelurahan_missing_kelurahan": {
        "id": 'Kelurahan kosong. Isi nama kelurahan atau kode wilayah.',
        "en": 'The kelurahan is empty. Fill in its name or region code.',
    },
    "problem_kelurahan_unknown": {
        "id": "Kelurahan '{nilai}' tidak dikenal. Maksud Anda: {saran}? Perbaiki nama atau pakai kode wilayah.",
        "en": "Unknown kelurahan '{nilai}'. Did you mean: {saran}? Correct the name or use the region code.",
    },
    "problem_kelurahan_unknown_code": {
        "id": "Kode wilayah '{kode}' tidak dikenal. Contoh kode yang benar: 33.72.01.1001 (Pajang).",
        "en": "Unknown region code '{kode}'. A valid code looks like 33.72.01.1001 (Pajang).",
    },
    "problem_kelurahan_code_name_mismatch": {
        "id": "Kode '{kode}' adalah kelurahan {saran}, bukan '{nilai}'. Perbaiki kode atau nama.",
        "en": "Code '{kode}' is kelurahan {saran}, not '{nilai}'. Correct the code or the name.",
    },
    "problem_kelurahan_outside_kecamatan": {
        "id": "Kelurahan '{nilai}' tidak berada di kecamatan '{kecamatan}' (melainkan di {saran}). Perbaiki kelurahan atau kecamatan.",
        "en": "Kelurahan '{nilai}' is not in kecamatan '{kecamatan}' (it is in {saran}). Correct the kelurahan or the kecamatan.",
    },
    "problem_kelurahan_ambiguous": {
        "id": "Nama '{nilai}' cocok dengan beberapa kelurahan: {saran}. Tambahkan kolom kecamatan atau pakai kode wilayah.",
        "en": "The name '{nilai}' matches several kelurahan: {saran}. Add a kecamatan column or use the region code.",
    },
    "problem_missing": {
        "id": 'Tanggal kosong. Isi tanggal, misalnya 25/10/2013.',
        "en": 'The date is empty. Fill in a date such as 25/10/2013.',
    },
    "problem_bad_date": {
        "id": "'{nilai}' bukan tanggal yang dikenali. Tulis seperti 25/10/2013, 2013-10-25 atau 25 Oktober 2013.",
        "en": "'{nilai}' is not a recognised date. Write it like 25/10/2013, 2013-10-25 or 25 Oktober 2013.",
    },
    "problem_impossible_date": {
        "id": "Tanggal '{nilai}' tidak ada di kalender. Periksa hari dan bulannya.",
        "en": "The date '{nilai}' does not exist. Check the day and the month.",
    },
    "problem_date_too_early": {
        "id": "Tanggal '{nilai}' sebelum program e-KTP (2011). Periksa tahunnya.",
        "en": "The date '{nilai}' is before the e-KTP programme (2011). Check the year.",
    },
    "problem_date_future": {
        "id": "Tanggal '{nilai}' ada di masa depan. Periksa tanggalnya.",
        "en": "The date '{nilai}' is in the future. Check it.",
    },
    "problem_not_a_number": {
        "id": "'{nilai}' bukan angka. Isi bilangan bulat, misalnya 150 atau 1.050.",
        "en": "'{nilai}' is not a number. Enter a whole number such as 150 or 1.050.",
    },
    "problem_negative": {
        "id": "Angka '{nilai}' negatif. Jumlah tidak boleh kurang dari 0.",
        "en": "'{nilai}' is negative. A count cannot be below 0.",
    },
    "problem_fractional": {
        "id": "Angka '{nilai}' pecahan. Jumlah orang atau kartu harus bilangan bulat (tulis seribu sebagai 1.000).",
        "en": "'{nilai}' is a fraction. A count of people or cards is a whole number (write one thousand as 1.000).",
    },
    "problem_no_devices": {
        "id": 'Jumlah alat harus minimal 1.',
        "en": 'The number of devices must be at least 1.',
    },
    "problem_bad_time": {
        "id": "'{nilai}' bukan jam. Tulis seperti 15:00 atau 15.00.",
        "en": "'{nilai}' is not a time. Write it like 15:00 or 15.00.",
    },
    "problem_too_long": {
        "id": "Teks terlalu panjang ({n} karakter, paling banyak {batas}). Persingkat isinya.",
        "en": plural("n", one="The text is too long ({n} character, at most {batas}). Shorten it.",
                     other="The text is too long ({n} characters, at most {batas}). Shorten it."),
    },
    "problem_end_before_start": {
        "id": 'Tanggal selesai sebelum tanggal mulai. Tukar atau perbaiki tanggalnya.',
        "en": 'The end date is before the start date. Swap or correct them.',
    },
    "problem_unknown_lokasi": {
        "id": "Lokasi '{nilai}' tidak dikenal. Pilihan: {pilihan}.",
        "en": "Unknown lokasi '{nilai}'. Choose one of: {pilihan}.",
    },
    "problem_duplicate_row": {
        "id": 'Baris ini sama ({kunci}) dengan baris {baris_lain}. Gabungkan atau hapus salah satu.',
        "en": 'This row repeats ({kunci}) row {baris_lain}. Merge them or remove one.',
    },
    "problem_above_daily_max": {
        "id": '{nilai} dalam sehari melebihi batas wajar {maks}. Periksa angkanya.',
        "en": '{nilai} in one day is above the plausible maximum of {maks}. Check it.',
    },
    "problem_distribusi_above_rekam": {
        "id": 'Kumulatif distribusi ({distribusi}) melebihi kumulatif rekam ({rekam}). Kartu hanya untuk yang sudah rekam: periksa kedua angka.',
        "en": 'Cumulative delivered ({distribusi}) exceeds cumulative recorded ({rekam}). Cards only go to those recorded: check both figures.',
    },
    "problem_rekam_above_wajib": {
        "id": 'Sudah rekam ({rekam}) melebihi wajib KTP ({wajib}). Periksa angkanya.',
        "en": 'Recorded ({rekam}) exceeds the residents obliged ({wajib}). Check it.',
    },
    "problem_cumulative_distribusi_above_rekam": {
        "id": 'Setelah unggahan ini, kelurahan {kelurahan} per {tanggal} akan punya distribusi {distribusi} melebihi rekam {rekam}. Periksa angka distribusi.',
        "en": plural("distribusi", one="After this upload, kelurahan {kelurahan} on {tanggal} would have {distribusi} card delivered but "
                                   "only {rekam} recorded. Check the delivered counts.",
                     other="After this upload, kelurahan {kelurahan} on {tanggal} would have {distribusi} cards delivered but "
                           "only {rekam} recorded. Check the delivered counts."),
    },
    "problem_cumulative_rekam_above_wajib": {
        "id": 'Setelah unggahan ini, kelurahan {kelurahan} per {tanggal} akan punya {rekam} sudah rekam, lebih dari wajib KTP {wajib} (lebih dari warga yang tersisa untuk direkam). Periksa angkanya.',
        "en": 'After this upload, kelurahan {kelurahan} on {tanggal} would have {rekam} recorded, more than the {wajib} obliged (more than the residents left to record). Check it.',
    },
    # {tanggal} the file's latest date, {terakhir} the latest data date before it, {hari} the days between
    "problem_date_jump": {
        "id": "Tanggal terakhir berkas ini {tanggal}, {hari} hari sesudah data terakhir ({terakhir}): hari acuan "
              "seluruh aplikasi akan pindah ke sana. Periksa tahunnya.",
        "en": plural("hari", one="The latest date in this file is {tanggal}, {hari} day after the latest data ({terakhir}): the whole "
                               "app's reference day would move there. Check the year.",
                     other="The latest date in this file is {tanggal}, {hari} days after the latest data ({terakhir}): the whole "
                           "app's reference day would move there. Check the year."),
    },
    "problem_date_jump_pinned": {   # EKTP_TODAY pins the reference day: it does not move, the date is still odd
        "id": "Tanggal terakhir berkas ini {tanggal}, {hari} hari sesudah data terakhir ({terakhir}). Periksa "
              "tahunnya.",
        "en": plural("hari", one="The latest date in this file is {tanggal}, {hari} day after the latest data ({terakhir}). Check "
                               "the year.",
                     other="The latest date in this file is {tanggal}, {hari} days after the latest data ({terakhir}). Check "
                           "the year."),
    },
    "problem_duplicate_file": {
        "id": 'Berkas yang sama persis sudah diunggah sebagai batch {batch} oleh {user} pada {waktu}. Tidak ada yang disimpan.',
        "en": 'The very same file was already uploaded as batch {batch} by {user} at {waktu}. Nothing was saved.',
    },
    "problem_central_columns": {"id": "Rekap pusat perlu kolom tanggal, kelurahan, wajib_ktp dan sudah_rekam, terisi di setiap baris.",
                                "en": "A central recap needs the columns tanggal, kelurahan, wajib_ktp and sudah_rekam, filled on every row."},
    "problem_central_one_date": {"id": "Rekap pusat berisi {n} tanggal berbeda; satu berkas = satu tanggal rekap.",
                                 "en": "The central recap has {n} different dates; one file = one recap date."},
    "problem_central_duplicate": {"id": "Berkas yang sama sudah diunggah sebagai rekap pusat {id}.",
                                  "en": "The same file was already uploaded as central recap {id}."},
    "problem_overlap": {
        "id": "Data untuk tanggal, kelurahan (dan lokasi) ini sudah ada di batch {batch}. Bila ini koreksi, pilih 'unggahan koreksi'.",
        "en": "Data for this date, kelurahan (and lokasi) already exist in batch {batch}. If this is a correction, choose 'correction upload'.",
    },
    # ---- Wilayah, Distribusi, downloads, report (issue 5)
    "as_of_before_data": {"id": "Tanggal acuan (EKTP_TODAY) lebih awal daripada data pertama ({tanggal}); belum ada angka untuk ditampilkan.",
                          "en": "The reference day (EKTP_TODAY) is before the first data ({tanggal}); there are no figures to show yet."},
    "proj_rekam_unknown": {"id": "Laju 7 hari terakhir belum bisa dihitung (data wilayah ini belum ada 7 hari lalu). Untuk tuntas {batas} dibutuhkan **{perlu} perekaman per hari**.",
                           "en": plural("perlu", one="The last 7 days' pace is not known yet (this area had no data 7 days ago). Finishing by {batas} takes **{perlu} recording a day**.",
                                          other="The last 7 days' pace is not known yet (this area had no data 7 days ago). Finishing by {batas} takes **{perlu} recordings a day**.")},
    "proj_kartu_unknown": {"id": "Kartu: laju 7 hari terakhir belum bisa dihitung; untuk tuntas {batas} dibutuhkan **{perlu} kartu per hari**.",
                           "en": plural("perlu", one="Cards: the last 7 days' pace is not known yet; finishing by {batas} takes **{perlu} card a day**.",
                                          other="Cards: the last 7 days' pace is not known yet; finishing by {batas} takes **{perlu} cards a day**.")},
    "stage_kartu_sebagian": {"id": "Kartu dari pusat ({n} dari {m} kelurahan, per {tanggal})", "en": "Cards from the centre ({n} of {m} kelurahan, as of {tanggal})"},
    "funnel_no_share": {"id": "{n} kelurahan belum punya target wajib KTP: persen tidak ditampilkan di corong.",
                        "en": plural("n", one="{n} kelurahan has no wajib KTP target: the funnel shows no percentages.",
                               other="{n} kelurahan have no wajib KTP target: the funnel shows no percentages.")},
    # ---- Keliling (issue 7)
    "nav_keliling": {"id": "Keliling", "en": "Mobile safari"},
    "keliling_title": {"id": "Safari keliling dan jemput bola", "en": "Mobile safari and outreach"},
    "keliling_jadwal": {"id": "Jadwal keliling", "en": "Safari schedule"},
    "keliling_no_schedule_upload": {"id": "Belum ada jadwal keliling. Unggah jadwal di halaman Unggah.",
                                    "en": "No safari schedule yet. Upload one on the Upload page."},
    "keliling_no_yield": {"id": "Belum ada hasil layanan dalam 60 hari terakhir: laporan harian pada hari safari yang terjadwal, atau dari kantor kecamatan, sekolah dan pasar.",
                          "en": "No service yield in the last 60 days: daily reports on scheduled safari days, or from kecamatan offices, schools and markets."},
    "keliling_no_schedule": {"id": "Belum ada jadwal keliling. Unggah jadwal di halaman Unggah atau pakai perencana di bawah.",
                             "en": "No safari schedule yet. Upload one on the Upload page or use the planner below."},
    "chart_timeline_title": {"id": "{selesai} kunjungan selesai, {berjalan} berjalan, {datang} akan datang; jadwal berakhir {akhir}",
                             "en": plural("selesai", one="{selesai} visit done, {berjalan} under way, {datang} to come; the schedule ends {akhir}",
                                    other="{selesai} visits done, {berjalan} under way, {datang} to come; the schedule ends {akhir}")},
    "hover_visit": {"id": "<b>{nama}</b> (Kec. {kecamatan})<br>{dari} – {sampai}{jam}<br>{alat} alat",
                    "en": plural("alat", one="<b>{nama}</b> (Kec. {kecamatan})<br>{dari} – {sampai}{jam}<br>{alat} device",
                                 other="<b>{nama}</b> (Kec. {kecamatan})<br>{dari} – {sampai}{jam}<br>{alat} devices")},
    "status_selesai": {"id": "selesai", "en": "done"},
    "status_berjalan": {"id": "berjalan", "en": "under way"},
    "status_akan_datang": {"id": "akan datang", "en": "to come"},
    "status_rencana": {"id": "rencana", "en": "plan"},
    "keliling_kota_only": {"id": "Safari keliling direncanakan dan diubah per kabupaten/kota: perencana dan penyunting jadwal tersedia bila daftar wilayah adalah satu kabupaten/kota ({nama} memuat {n} kelurahan). Jadwal tetap bisa diunggah di halaman Unggah.",
                           "en": "The mobile safari is planned and edited per kabupaten/kota: the planner and the schedule editor are available when the region list is one kabupaten/kota ({nama} holds {n} kelurahan). Schedules can still be uploaded on the Upload page."},
    "keliling_edit": {"id": "Ubah jadwal yang akan datang ({n} kunjungan)", "en": plural("n", one="Edit the coming schedule ({n} visit)", other="Edit the coming schedule ({n} visits)")},
    "keliling_edit_help": {"id": "Tabel ini adalah seluruh jadwal mulai {tanggal}: kunjungan yang dihapus dari tabel dibatalkan. Menyimpan membuat satu batch jadwal yang bisa dibatalkan di Riwayat.",
                           "en": "This table is the whole schedule from {tanggal} on: a visit removed from it is cancelled. Saving makes one schedule batch, reversible on History."},
    "keliling_edit_save": {"id": "Simpan jadwal", "en": "Save schedule"},
    "keliling_saved": {"id": "Jadwal disimpan sebagai batch {batch}: {n} kunjungan, {diganti} kunjungan lama diganti. Bisa dibatalkan di Riwayat.",
                       "en": plural("n", one=plural("diganti", one="Schedule saved as batch {batch}: {n} visit, {diganti} earlier visit replaced. Reversible on History.",
                                                   other="Schedule saved as batch {batch}: {n} visit, {diganti} earlier visits replaced. Reversible on History."),
                              other=plural("diganti", one="Schedule saved as batch {batch}: {n} visits, {diganti} earlier visit replaced. Reversible on History.",
                                                     other="Schedule saved as batch {batch}: {n} visits, {diganti} earlier visits replaced. Reversible on History."))},
    "col_mulai": {"id": "Mulai", "en": "From"},
    "col_selesai": {"id": "Selesai", "en": "To"},
    "col_alat": {"id": "Alat", "en": "Devices"},
    "col_jam_mulai": {"id": "Jam mulai", "en": "From (time)"},
    "col_jam_selesai": {"id": "Jam selesai", "en": "To (time)"},
    "col_tempat": {"id": "Tempat", "en": "Place"},
    "col_blok": {"id": "Blok", "en": "Block"},
    "col_hari_layanan": {"id": "Hari layanan", "en": "Service days"},
    "col_rata_hari": {"id": "Rata-rata per hari", "en": "Average a day"},
    "col_maks_hari": {"id": "Terbanyak sehari", "en": "Best day"},
    "col_per_alat": {"id": "Per alat per hari", "en": "Per device a day"},
    "keliling_hasil": {"id": "Hasil per tempat layanan", "en": "Yield per service location"},
    "keliling_hasil_caption": {"id": "Satu tempat-hari = satu kelurahan (atau kantor, sekolah, pasar) yang melapor perekaman pada satu hari; 60 hari terakhir.",
                               "en": "A site-day = one kelurahan (or office, school, market) reporting recordings on one day; last 60 days."},
    "chart_yield_title": {"id": "{lokasi}: hingga {maks} perekaman sehari di satu tempat; kantor kecamatan hingga {kantor}",
                          "en": plural("maks", one="{lokasi}: up to {maks} recording a day at one site; a kecamatan office up to {kantor}",
                                 other="{lokasi}: up to {maks} recordings a day at one site; a kecamatan office up to {kantor}")},
    "trace_maks": {"id": "Terbanyak sehari", "en": "Best day"},
    "trace_rata": {"id": "Rata-rata per hari", "en": "Average day"},
    "keliling_rencana": {"id": "Perencana safari", "en": "Safari planner"},
    "keliling_rencana_help": {"id": "Mengusulkan urutan dan tanggal untuk kelurahan yang belum dilayani (jadwal mereka yang sudah ada diganti bila rencana diadopsi). Minggu dan hari libur dilewati.",
                              "en": "Proposes the order and dates for the kelurahan not served yet (their existing visits are replaced if the plan is adopted). Sundays and holidays are skipped."},
    "plan_alat": {"id": "Alat rekam", "en": "Devices"},
    "plan_per_blok": {"id": "Kelurahan per blok", "en": "Kelurahan per block"},
    "plan_hari": {"id": "Hari per blok", "en": "Days per block"},
    "plan_kapasitas": {"id": "Perekaman per alat per hari", "en": "Recordings per device a day"},
    "plan_kapasitas_help": {"id": "Bawaan 40: lima kelurahan dengan 10 alat merekam sekitar 400 sehari (laporan 25 Okt 2013).",
                            "en": "Default 40: five kelurahan with 10 devices record about 400 a day (report of 25 Oct 2013)."},
    "plan_aturan": {"id": "Urutan", "en": "Order"},
    "rule_belum_rekam": {"id": "Belum rekam terbanyak dulu", "en": "Most unrecorded first"},
    "rule_persen": {"id": "Persen rekam terendah dulu", "en": "Lowest coverage first"},
    "rule_kecamatan": {"id": "Per kecamatan (perjalanan pendek)", "en": "Kecamatan by kecamatan (short trips)"},
    "rule_kode": {"id": "Urut kode wilayah", "en": "By region code"},
    "plan_mulai": {"id": "Mulai", "en": "Start"},
    "keliling_today": {"id": "Hari ini {hari}; angka per data terakhir, {data}.", "en": "Today is {hari}; figures as of the latest data, {data}."},
    "keliling_start_too_early": {"id": "Jadwal baru paling awal mulai {tanggal}: yang sudah lewat dan kunjungan yang sedang berjalan tidak diubah.",
                                 "en": "A new schedule can start on {tanggal} at the earliest: what is past and the visits under way are not changed."},
    "plan_alat_kurang": {"id": "Alat rekam harus paling sedikit sebanyak kelurahan per blok: setiap kelurahan butuh satu alat.",
                         "en": "There must be at least as many devices as kelurahan per block: each kelurahan needs one device."},
    "plan_mulai_help": {"id": "Bawaan: hari layanan pertama sesudah kunjungan yang sedang berjalan.", "en": "Default: the first service day after the visits under way."},
    "scenario_tuntas_sama": {"id": "100% tercapai pada tanggal yang sama", "en": "100% reached on the same day"},
    "plan_libur": {"id": "Hari libur (dd/mm/yyyy, pisahkan dengan koma)", "en": "Public holidays (dd/mm/yyyy, comma separated)"},
    "plan_libur_help": {"id": "Bawaan: Idul Adha 15/10, Tahun Baru Islam 5/11, Natal 25/12/2013. Hari Minggu selalu dilewati.",
                        "en": "Default: Idul Adha 15/10, Islamic New Year 5/11, Christmas 25/12/2013. Sundays are always skipped."},
    "plan_libur_bad": {"id": "Bukan tanggal: {nilai}. Tulis seperti 25/12/2013.", "en": "Not dates: {nilai}. Write them like 25/12/2013."},
    "plan_hitung": {"id": "Hitung rencana", "en": "Compute plan"},
    "plan_semua_dilayani": {"id": "Semua kelurahan sudah dilayani safari keliling.", "en": "The safari has served every kelurahan."},
    "plan_safari_selesai": {"id": "Safari selesai", "en": "Safari ends"},
    "plan_safari_selesai_help": {"id": "{n} kelurahan dalam {blok} blok.", "en": plural("blok", one="{n} kelurahan in {blok} block.", other="{n} kelurahan in {blok} blocks.")},
    "plan_persen_batas": {"id": "Cakupan pada {batas} (rencana)", "en": "Coverage on {batas} (plan)"},
    "plan_persen_batas_help": {"id": "Dengan rencana ini safari merekam sekitar {rekam} warga; tempat lain tetap pada laju 7 hari terakhirnya.",
                               "en": plural("rekam", one="Under this plan the safari records about {rekam} resident; other locations keep their last 7 days' pace.",
                                              other="Under this plan the safari records about {rekam} residents; other locations keep their last 7 days' pace.")},
    "plan_vs_laju": {"id": "laju sekarang: {persen}", "en": "current pace: {persen}"},
    "plan_tuntas": {"id": "100% tercapai (rencana)", "en": "100% reached (plan)"},
    "plan_tuntas_tidak": {"id": "tidak dalam setahun", "en": "not within a year"},
    "plan_tuntas_help": {"id": "Pada laju kota 7 hari terakhir ({laju} per hari) 100% tercapai sekitar {tanggal}.",
                         "en": "At the city's last 7 days' pace ({laju} a day) 100% is reached around {tanggal}."},
    "plan_tabel": {"id": "Rincian rencana ({n} kelurahan)", "en": "The plan in detail ({n} kelurahan)"},
    "plan_adopt": {"id": "Jadikan jadwal", "en": "Adopt as the schedule"},
    "plan_adopt_help": {"id": "Mengganti semua kunjungan mulai {tanggal} dengan rencana ini, sebagai satu batch jadwal yang bisa dibatalkan di Riwayat.",
                        "en": "Replaces every visit from {tanggal} on with this plan, as one schedule batch, reversible on History."},
    "scenario_alat": {"id": "Dengan {alat} alat", "en": plural("alat", one="With {alat} device", other="With {alat} devices")},
    "scenario_jam": {"id": "Dengan jam layanan 2 jam lebih panjang ({kapasitas} per alat per hari)", "en": "With 2 more service hours ({kapasitas} per device a day)"},
    "scenario_keduanya": {"id": "Keduanya", "en": "Both"},
    "scenario_line": {"id": "safari selesai {hari} hari lebih cepat, cakupan pada batas {persen} ({selisih} poin), {tuntas}",
                      "en": plural("hari", one="the safari ends {hari} day sooner, coverage on the deadline {persen} ({selisih} points), {tuntas}",
                                   other="the safari ends {hari} days sooner, coverage on the deadline {persen} ({selisih} points), {tuntas}")},
    "scenario_tuntas_lebih_cepat": {"id": "100% tercapai {n} hari lebih cepat", "en": plural("n", one="100% reached {n} day sooner", other="100% reached {n} days sooner")},
    "scenario_tuntas_pada": {"id": "100% tercapai {tanggal}", "en": "100% reached on {tanggal}"},
    "scenario_tuntas_belum": {"id": "100% belum tercapai dalam setahun", "en": "100% not reached within a year"},
    # ---- issue 21: form
    "nav_isi": {"id": "Isi angka harian", "en": "Enter daily counts"},
    "isi_title": {"id": "Isi angka harian", "en": "Enter daily counts"},
    "isi_intro": {"id": "Untuk petugas di tempat layanan tanpa spreadsheet: isi angka hari ini, satu baris per kelurahan dan lokasi. Isian diperiksa seperti unggahan laporan harian (pesan menyebut baris berkasnya; baris 1 adalah judul kolom) dan tidak ada yang disimpan sebelum Anda menekan Simpan.",
                  "en": "For staff at a service site without a spreadsheet: enter today's counts, one row per kelurahan and location. The rows are checked as an uploaded daily report (messages name the file's row; row 1 is the header) and nothing is saved until you press Save."},
    "isi_row": {"id": "**Isian {n}** · baris {baris}", "en": "**Entry {n}** · row {baris}"},
    "isi_pilih_kelurahan": {"id": "Pilih kelurahan", "en": "Choose a kelurahan"},
    "isi_rekam": {"id": "Rekam hari ini", "en": "Recorded today"},
    "isi_distribusi": {"id": "Kartu dibagikan", "en": "Cards handed out"},
    "isi_hapus": {"id": "Hapus isian ini", "en": "Remove this entry"},
    "isi_tambah": {"id": "Tambah baris", "en": "Add a row"},
    "isi_periksa": {"id": "Periksa", "en": "Check"},
    "plan_limit_visit": {"id": "**Yang membatasi rencana ini: ukuran satu kunjungan.** Setiap kelurahan didatangi sekali: {alat} alat × {kapasitas} perekaman per alat per hari × {hari} hari = paling banyak {maks} perekaman per kunjungan, dan {terbatas} dari {n} kelurahan punya lebih banyak warga belum rekam dari itu. Jadi safari merekam {safari} dari {belum} warga yang belum rekam; {sisa} sisanya menunggu tempat lain (kantor kecamatan, sekolah, pasar) pada laju 7 hari terakhirnya, {lain} per hari.",
                         "en": plural("alat", one="**What limits this plan: the size of one visit.** Each kelurahan is visited once: {alat} device × {kapasitas} recordings per device a day × {hari} days = at most {maks} recordings a visit, and {terbatas} of {n} kelurahan have more unrecorded residents than that. So the safari records {safari} of the unrecorded ({belum}); the remaining {sisa} wait for the other locations (kecamatan offices, schools, markets) at their last 7 days' pace, {lain} a day.",
                                      other="**What limits this plan: the size of one visit.** Each kelurahan is visited once: {alat} devices × {kapasitas} recordings per device a day × {hari} days = at most {maks} recordings a visit, and {terbatas} of {n} kelurahan have more unrecorded residents than that. So the safari records {safari} of the unrecorded ({belum}); the remaining {sisa} wait for the other locations (kecamatan offices, schools, markets) at their last 7 days' pace, {lain} a day.")},
    "plan_limit_residents": {"id": "**Yang membatasi rencana ini: sisa warga per kelurahan.** Setiap kelurahan didatangi sekali, dan satu kunjungan ({alat} alat × {kapasitas} perekaman per alat per hari × {hari} hari = paling banyak {maks}) sudah cukup untuk semua warga belum rekam di {n} kelurahan kecuali {terbatas}. Jadi safari merekam {safari} dari {belum} warga yang belum rekam; {sisa} sisanya menunggu tempat lain (kantor kecamatan, sekolah, pasar) pada laju 7 hari terakhirnya, {lain} per hari.",
                             "en": plural("alat", one="**What limits this plan: the residents left per kelurahan.** Each kelurahan is visited once, and one visit ({alat} device × {kapasitas} recordings per device a day × {hari} days = at most {maks}) is enough for every unrecorded resident in {n} kelurahan but {terbatas}. So the safari records {safari} of the unrecorded ({belum}); the remaining {sisa} wait for the other locations (kecamatan offices, schools, markets) at their last 7 days' pace, {lain} a day.",
                                          other="**What limits this plan: the residents left per kelurahan.** Each kelurahan is visited once, and one visit ({alat} devices × {kapasitas} recordings per device a day × {hari} days = at most {maks}) is enough for every unrecorded resident in {n} kelurahan but {terbatas}. So the safari records {safari} of the unrecorded ({belum}); the remaining {sisa} wait for the other locations (kecamatan offices, schools, markets) at their last 7 days' pace, {lain} a day.")},
    "plan_vs_ringkasan_later": {"id": "**Mengapa 100% baru {tuntas}, bukan {ringkasan} seperti di Ringkasan:**",
                                "en": "**Why 100% only on {tuntas}, not {ringkasan} as on Summary:**"},
    "plan_vs_ringkasan_other": {"id": "**Dibanding Ringkasan (100% pada laju sekarang: {ringkasan}; rencana: {tuntas}):**",
                                "en": "**Compared with Summary (100% at the current pace: {ringkasan}; the plan: {tuntas}):**"},
    "plan_vs_ringkasan": {"id": "Ringkasan menganggap laju kota 7 hari terakhir ({laju} per hari, termasuk safari yang sedang berjalan) berlanjut sampai semua terekam. Rencana ini menghitung safari hanya sampai blok terakhirnya ({selesai}); sesudah itu hanya tempat lain yang merekam, {lain} per hari.",
                          "en": "Summary assumes the city's last 7 days' pace ({laju} a day, the safari under way included) goes on until everyone is recorded. This plan counts the safari only until its last block ({selesai}); after that only the other locations record, {lain} a day."},
    "scenario_same_safari": {"id": "Sebabnya: alat tambahan melayani lebih banyak kelurahan sekaligus dengan {alat} alat per tempat yang sama; setiap kunjungan tetap paling banyak {maks} perekaman, jadi safari tetap merekam {safari} warga dan hanya selesai lebih cepat.",
                             "en": plural("alat", one="Why: the extra devices serve more kelurahan at once with the same {alat} device per site; each visit still records at most {maks}, so the safari still records {safari} in all and only ends sooner.",
                                          other="Why: the extra devices serve more kelurahan at once with the same {alat} devices per site; each visit still records at most {maks}, so the safari still records {safari} in all and only ends sooner.")},
    # ---- issue 21: phone
    "map_caption_tanpa_target": {"id": "Abu-abu muda (di luar skala warna): {n} kelurahan tanpa target wajib KTP, jadi persennya tidak dapat dihitung; angka rekamnya tetap ada di tabel.",
                                 "en": "Light grey (not on the colour scale): {n} kelurahan without a wajib KTP target, so no percentage can be computed; their recordings are still in the table."},
    "chart_data": {"id": "Data grafik", "en": "Chart data"},
    "chart_data_kategori": {"id": "Kategori", "en": "Category"},
    "chart_data_seri": {"id": "Seri", "en": "Series"},
    "chart_data_nilai": {"id": "Nilai", "en": "Value"},
    "demo_notice_short": {"id": "Data contoh: sebagian angka ilustrasi", "en": "Demo data: some figures illustrative"},
    "demo_notice_detail": {
        "id": "Angka kota per 25 Oktober 2013 dan sebelumnya serta aturan safari keliling berasal dari laporan "
              "nyata; pembagian per kelurahan, angka harian, dan tanggal berlakunya versi target hanya ilustrasi.",
        "en": "City totals of 25 October 2013 and earlier and the mobile safari's rules come from real reports; "
              "the split per kelurahan, the daily numbers and the day each target version starts are "
              "illustrative.",
    },
    # ---- issue 21: a11y
    "col_rekam_hari": {"id": "Rekam hari itu", "en": "Recorded that day"},
    "col_distribusi_hari": {"id": "Distribusi hari itu", "en": "Delivered that day"},
    "col_digantikan": {"id": "Digantikan oleh batch", "en": "Replaced by batch"},
    "col_presisi_tanggal": {"id": "Ketelitian tanggal", "en": "Date precision"},
    "col_tingkat": {"id": "Tingkat", "en": "Level"},
    "col_nama_wilayah": {"id": "Wilayah", "en": "Region"},
    "col_nilai_angka": {"id": "Nilai (angka)", "en": "Value (number)"},
    "uploader_button": {"id": "Pilih berkas", "en": "Choose a file"},
    "uploader_limit": {"id": "Maksimal {mb} MB per berkas", "en": "At most {mb} MB per file"},
    "uploader_drop": {"id": "Lepaskan berkas di sini", "en": "Drop the file here"},
    # ---- issue 21: upload
    "unggah_template_target": {"id": "Rekap dengan target (wajib KTP, hanya admin)", "en": "Recap with targets (wajib KTP, admins only)"},
    "finding_cakupan_lebih_100": {"id": "Cakupan di atas 100%: kelurahan {kelurahan} per {tanggal} punya {nilai} sudah rekam, lebih dari wajib KTP {batas}.",
                                  "en": "Coverage above 100%: kelurahan {kelurahan} on {tanggal} has {nilai} recorded, more than the {batas} obliged."},
    "finding_distribusi_lebih_rekam": {"id": "Distribusi melebihi rekam: kelurahan {kelurahan} per {tanggal} punya {nilai} kartu diterima warga, lebih dari {batas} sudah rekam.",
                                       "en": "Delivered above recorded: kelurahan {kelurahan} on {tanggal}: {nilai} delivered, more than the {batas} recorded."},
    "finding_kumulatif_turun_sudah_rekam": {"id": "Kumulatif turun: kelurahan {kelurahan} per {tanggal} sudah rekam {nilai}, lebih kecil dari {batas} sehari sebelumnya. Angka kumulatif hanya bisa naik.",
                                            "en": "Cumulative falling: kelurahan {kelurahan} on {tanggal} recorded {nilai}, fewer than {batas} the day before. Cumulative figures only grow."},
    "finding_kumulatif_turun_sudah_distribusi": {"id": "Kumulatif turun: kelurahan {kelurahan} per {tanggal} sudah distribusi {nilai}, lebih kecil dari {batas} sehari sebelumnya. Angka kumulatif hanya bisa naik.",
                                                 "en": "Cumulative falling: kelurahan {kelurahan} on {tanggal} delivered {nilai}, fewer than {batas} the day before. Cumulative figures only grow."},
    "finding_harian_tidak_wajar": {"id": "Di atas kapasitas: {kelurahan} ({lokasi}) pada {tanggal}: {nilai} dalam sehari, batasnya {batas}.",
                                   "en": "Above capacity: {kelurahan} ({lokasi}) on {tanggal}: {nilai} in one day, the limit is {batas}."},
    "finding_harian_tidak_wajar_kantor": {"id": "Di atas kapasitas: {kelurahan} pada {tanggal}: {nilai} dalam sehari, batasnya {batas}.",
                                          "en": "Above capacity: {kelurahan} on {tanggal}: {nilai} in one day, the limit is {batas}."},
    "finding_tidak_melapor": {"id": "Tanpa laporan: kelurahan {kelurahan}, {nilai} hari sejak laporan terakhir (batas {batas} hari).",
                              "en": plural("nilai", one="Not reporting: kelurahan {kelurahan}, {nilai} day since its last report (limit: {batas}).",
                                           other="Not reporting: kelurahan {kelurahan}, {nilai} days since its last report (limit: {batas}).")},
    "finding_tidak_melapor_never": {"id": "Tanpa laporan: kelurahan {kelurahan} belum pernah melapor.",
                                    "en": "Not reporting: kelurahan {kelurahan} has never reported."},
    "finding_from_batch": {"id": "batch {batch} baris {baris}", "en": "batch {batch} row {baris}"},
    "unggah_findings": {"id": "Bila disimpan, Kualitas data akan mencatat {n} temuan baru. Periksa sebelum Simpan:",
                        "en": plural("n", one="If saved, Data quality will report {n} new finding. Check it before Save:",
                                     other="If saved, Data quality will report {n} new findings. Check them before Save:")},
    "col_temuan": {"id": "Temuan Kualitas data", "en": "Data quality finding"},
    "cli_findings": {"id": "Bila disimpan, Kualitas data akan mencatat {n} temuan baru:",
                     "en": plural("n", one="If saved, Data quality will report {n} new finding:",
                                  other="If saved, Data quality will report {n} new findings:")},
    "problem_confirm_advice": {"id": "Bila benar, centang konfirmasi.", "en": "If it is right, tick the confirmation."},
    "problem_cut": {"id": "{awal}… ({n} karakter)", "en": plural("n", one="{awal}… ({n} character)", other="{awal}… ({n} characters)")},
    "ignored_more": {"id": "{kolom} … dan {n} kolom lain", "en": plural("n", one="{kolom} … and {n} other column", other="{kolom} … and {n} other columns")},
    "unggah_refused_confirmable": {"id": "Belum disimpan: {n} nilai tidak wajar. Periksa; bila semuanya benar, centang konfirmasi di atas.",
                                   "en": plural("n", one="Not saved yet: {n} implausible value. Check it; if it is right, tick the confirmation above.",
                                                other="Not saved yet: {n} implausible values. Check them; if they are all right, tick the confirmation above.")},
    "unggah_refused_mixed": {"id": "Ditolak, tidak ada yang disimpan. {e} masalah tidak bisa dikonfirmasi: perbaiki berkas (centang konfirmasi tidak menolong). {i} nilai tidak wajar bisa dikonfirmasi dengan centang konfirmasi.",
                             "en": plural("e", one=plural("i", one="Refused, nothing was saved. {e} problem cannot be confirmed: correct the file (ticking the confirmation will not help). {i} implausible value can be confirmed by ticking the confirmation.",
                                                          other="Refused, nothing was saved. {e} problem cannot be confirmed: correct the file (ticking the confirmation will not help). {i} implausible values can be confirmed by ticking the confirmation."),
                                          other=plural("i", one="Refused, nothing was saved. {e} problems cannot be confirmed: correct the file (ticking the confirmation will not help). {i} implausible value can be confirmed by ticking the confirmation.",
                                                       other="Refused, nothing was saved. {e} problems cannot be confirmed: correct the file (ticking the confirmation will not help). {i} implausible values can be confirmed by ticking the confirmation."))},
    "cli_refused_mixed": {"id": "{e} masalah tidak bisa dikonfirmasi: perbaiki berkas (--force tidak menolong). {i} nilai tidak wajar bisa dikonfirmasi dengan --force.",
                          "en": plural("e", one=plural("i", one="{e} problem cannot be confirmed: correct the file (--force will not help). {i} implausible value can be confirmed with --force.",
                                                       other="{e} problem cannot be confirmed: correct the file (--force will not help). {i} implausible values can be confirmed with --force."),
                                       other=plural("i", one="{e} problems cannot be confirmed: correct the file (--force will not help). {i} implausible value can be confirmed with --force.",
                                                    other="{e} problems cannot be confirmed: correct the file (--force will not help). {i} implausible values can be confirmed with --force."))},
    "problems_more": {"id": "… dan {n} masalah lain; unduh daftar lengkapnya.", "en": plural("n", one="… and {n} more problem; download the full list.", other="… and {n} more problems; download the full list.")},
    "problems_download": {"id": "Unduh semua masalah (CSV)", "en": "Download all problems (CSV)"},
    "cli_problems_more": {"id": "  … dan {n} masalah lain (--json memberi daftar lengkap)", "en": plural("n", one="  … and {n} more problem (--json gives the full list)", other="  … and {n} more problems (--json gives the full list)")},
    # ---- Kualitas (issue 8)
    "nav_kualitas": {"id": "Kualitas data", "en": "Data quality"},
    "kualitas_title": {"id": "Kualitas data: benar dan bisa dijelaskan", "en": "Data quality: right and explainable"},
    "cek_title": {"id": "Angka yang dipublikasikan dibanding database", "en": "Published figures against the database"},
    "cek_summary": {"id": "{n} dari {total} angka yang bisa dibandingkan berbeda dengan database.",
                    "en": plural("n", one="{n} of {total} comparable figures differs from the database.",
                                 other="{n} of {total} comparable figures differ from the database.")},
    "cek_rule": {"id": "Aturan pembulatan: persen dibulatkan ke bawah dua desimal, 383.427 / 415.549 = 92,2699…% dicetak 92,26% (bukan 92,27%). 'Mendekati': angka yang dicetak sebagai perkiraan ('sekitar', '-an'), selisih paling banyak 10%.",
                 "en": "Rounding rule: percentages are floored to two decimals, 383,427 / 415,549 = 92.2699…% is printed 92.26% (not 92.27%). 'Close': a figure printed as approximate ('about'), at most 10% off."},
    "cek_show_all": {"id": "Tampilkan juga angka publikasi yang tidak bisa dibandingkan", "en": "Also show published figures that cannot be compared"},
    "cek_sama": {"id": "sama", "en": "same"},
    "cek_mendekati": {"id": "mendekati (perkiraan)", "en": "close (approximate)"},
    "cek_berbeda": {"id": "BERBEDA", "en": "DIFFERENT"},
    "cek_tidak_dibandingkan": {"id": "tidak dibandingkan", "en": "not compared"},
    "cek_di_luar_data": {"id": "di luar rentang data", "en": "outside the data"},
    "cek_add": {"id": "Tambah angka publikasi (admin)", "en": "Add a published figure (admin)"},
    "cek_tanggal": {"id": "Tanggal", "en": "Date"},
    "cek_indikator": {"id": "Indikator", "en": "Indicator"},
    "cek_nilai": {"id": "Nilai seperti dicetak", "en": "Value as printed"},
    "cek_satuan": {"id": "Satuan", "en": "Unit"},
    "cek_penerbit": {"id": "Sumber (penerbit)", "en": "Source (publisher)"},
    "cek_url": {"id": "Alamat sumber (URL)", "en": "Source address (URL)"},
    "cek_catatan": {"id": "Catatan", "en": "Note"},
    "cek_add_save": {"id": "Simpan angka publikasi", "en": "Save published figure"},
    "cek_add_invalid": {"id": "Isi nilai dan sumbernya.", "en": "Fill in the value and its source."},
    "cek_added": {"id": "Angka publikasi disimpan (batch {batch}); bisa dibatalkan di Riwayat.", "en": "Published figure saved (batch {batch}); reversible on History."},
    "ind_wajib_ektp": {"id": "Wajib KTP", "en": "Obliged (wajib KTP)"},
    "ind_wajib_ktp": {"id": "Wajib KTP", "en": "Obliged (wajib KTP)"},
    "ind_sudah_rekam": {"id": "Sudah rekam", "en": "Recorded"},
    "ind_belum_rekam": {"id": "Belum rekam", "en": "Not yet recorded"},
    "ind_persen_sudah_rekam": {"id": "Persen sudah rekam", "en": "Percent recorded"},
    "ind_kartu_terdistribusi": {"id": "Kartu terdistribusi", "en": "Cards delivered"},
    "ind_kartu_diterima_warga": {"id": "Kartu diterima warga", "en": "Cards received by residents"},
    "ind_kartu_diterima_dari_pusat": {"id": "Kartu diterima dari pusat", "en": "Cards received from the centre"},
    "col_tanggal": {"id": "Tanggal", "en": "Date"},
    "col_indikator": {"id": "Indikator", "en": "Indicator"},
    "col_dicetak": {"id": "Dicetak", "en": "Printed"},
    "col_basis_data": {"id": "Database", "en": "Database"},
    "col_nilai_tepat": {"id": "Nilai tepat", "en": "Exact value"},
    "col_penerbit": {"id": "Penerbit", "en": "Publisher"},
    "col_sumber": {"id": "Sumber", "en": "Source"},
    "col_sumber_teks": {"id": "buka", "en": "open"},
    "col_ukuran": {"id": "Ukuran", "en": "Measure"},
    "col_lokasi": {"id": "Lokasi", "en": "Location"},
    "col_nilai": {"id": "Nilai", "en": "Value"},
    "col_batas": {"id": "Batas", "en": "Limit"},
    "col_persen_melapor": {"id": "% hari melapor", "en": "% days reported"},
    "col_hari_melapor": {"id": "Hari melapor", "en": "Days reported"},
    "col_hari_diharapkan": {"id": "Hari diharapkan", "en": "Days expected"},
    "col_hari_sejak": {"id": "Hari sejak laporan", "en": "Days since report"},
    "col_berlaku": {"id": "Berlaku mulai", "en": "In force from"},
    "col_wajib_sebelum": {"id": "Wajib sebelum", "en": "Obliged before"},
    "col_wajib_sesudah": {"id": "Wajib sesudah", "en": "Obliged after"},
    "col_persen_sebelum": {"id": "% rekam sehari sebelum", "en": "% recorded the day before"},
    "col_persen_sesudah": {"id": "% rekam pada hari itu", "en": "% recorded on the day"},
    "col_belum_pusat": {"id": "Belum rekam (pusat)", "en": "Not recorded (centre)"},
    "col_belum_lokal": {"id": "Belum rekam (kota)", "en": "Not recorded (city)"},
    "col_selisih": {"id": "Selisih", "en": "Difference"},
    "col_dijelaskan": {"id": "Sudah dijelaskan", "en": "Explained"},
    "col_selesai_n": {"id": "Selesai", "en": "Resolved"},
    "col_belum_dijelaskan": {"id": "Belum dijelaskan", "en": "Unexplained"},
    "col_alasan": {"id": "Alasan", "en": "Reason"},
    "col_jumlah": {"id": "Jumlah", "en": "Number"},
    "col_catatan": {"id": "Catatan", "en": "Note"},
    "aturan_title": {"id": "Aturan konsistensi", "en": "Consistency rules"},
    "aturan_hari": {"id": "Tanpa laporan lebih dari (hari)", "en": "No report for more than (days)"},
    "aturan_n": {"id": "{n} temuan", "en": plural("n", one="{n} finding", other="{n} findings")},
    "aturan_ok": {"id": "Tidak ada baris yang melanggar aturan ini.", "en": "No row breaks this rule."},
    "aturan_cakupan_lebih_100": {"id": "Cakupan di atas 100%", "en": "Coverage above 100%"},
    "aturan_cakupan_lebih_100_help": {"id": "Kelurahan dan tanggal dengan sudah rekam lebih banyak dari wajib KTP yang berlaku: target atau angka rekam salah.",
                                      "en": "Kelurahan and dates with more recorded than the target in force: the target or the count is wrong."},
    "aturan_distribusi_lebih_rekam": {"id": "Distribusi melebihi rekam", "en": "Delivered above recorded"},
    "aturan_distribusi_lebih_rekam_help": {"id": "Kartu diterima warga lebih banyak dari warga yang sudah rekam.", "en": "More cards delivered than residents recorded."},
    "aturan_kumulatif_turun": {"id": "Angka kumulatif turun", "en": "Cumulative figures falling"},
    "aturan_kumulatif_turun_help": {"id": "Rekap kumulatif yang lebih kecil dari angka kelurahan itu sehari sebelumnya (rekap sebelumnya ditambah laporan harian): angka kumulatif hanya bisa naik.",
                                    "en": "A cumulative report lower than the kelurahan's figure the day before (the previous report plus daily counts): cumulative figures only grow."},
    "aturan_harian_tidak_wajar": {"id": "Laporan harian di atas kapasitas", "en": "Daily counts above capacity"},
    "aturan_harian_tidak_wajar_help": {"id": "Kantor kecamatan di atas 25 sehari, atau lokasi mana pun di atas EKTP_MAX_DAILY (disimpan dengan konfirmasi).",
                                       "en": "A kecamatan office above 25 a day, or any location above EKTP_MAX_DAILY (saved with a confirmation)."},
    "aturan_tidak_melapor": {"id": "Kelurahan tanpa laporan", "en": "Kelurahan not reporting"},
    "aturan_tidak_melapor_help": {"id": "Kelurahan yang laporan terakhirnya lebih lama dari batas hari di atas (nilai = hari sejak laporan).",
                                  "en": "Kelurahan whose last report is older than the limit above (value = days since the report)."},
    "lengkap_title": {"id": "Kelengkapan dan ketepatan laporan (30 hari terakhir)", "en": "Completeness and timeliness of reports (last 30 days)"},
    "lengkap_summary": {"id": "{n} kelurahan tanpa laporan lebih dari {hari} hari; rata-rata {rata} hari kerja berlaporan (Minggu tidak dihitung).",
                        "en": plural("hari", one="{n} kelurahan without a report for more than {hari} day; on average {rata} of working days reported (Sundays not counted).",
                                     other="{n} kelurahan without a report for more than {hari} days; on average {rata} of working days reported (Sundays not counted).")},
    "versi_title": {"id": "Versi target (penyebut) dan dampaknya", "en": "Target versions (denominators) and their effect"},
    "versi_caption": {"id": "Setiap perubahan wajib KTP mengubah persen tanpa satu pun perekaman baru: bandingkan persen sehari sebelum dan pada hari versi baru berlaku.",
                      "en": "Each change in the number of residents obliged to hold a card changes the percentage without a single new recording: compare the day before and the day the new version applies."},
    "rekon_title": {"id": "Rekonsiliasi dengan data pusat (Kemendagri/SIAK)", "en": "Reconciliation with central data (Kemendagri/SIAK)"},
    "rekon_help": {"id": "Unggah rekap pusat per kelurahan (kolom tanggal, kelurahan, wajib_ktp, sudah_rekam; satu tanggal per berkas). Rekap pusat tidak mengubah angka kota; selisih per kelurahan dicatat alasannya dan diikuti sampai selesai (di 2016 pusat menghitung 29.000 belum rekam, kota 28.202 sesudah verifikasi).",
                   "en": "Upload the centre's recap per kelurahan (columns tanggal, kelurahan, wajib_ktp, sudah_rekam; one date per file). It never changes the city's figures; each kelurahan's difference gets its reasons and is followed to resolution (in 2016 the centre counted 29,000 unrecorded, the city 28,202 after checking)."},
    "rekon_upload": {"id": "Rekap pusat (CSV atau Excel)", "en": "Central recap (CSV or Excel)"},
    "rekon_save": {"id": "Simpan rekap pusat", "en": "Save central recap"},
    "rekon_saved": {"id": "Rekap pusat {id} disimpan: {n} kelurahan, per {tanggal}.", "en": "Central recap {id} saved: {n} kelurahan, as of {tanggal}."},
    "rekon_none": {"id": "Belum ada rekap pusat.", "en": "No central recap yet."},
    "rekon_pick": {"id": "Rekap pusat", "en": "Central recap"},
    "rekon_pick_item": {"id": "{id} · per {tanggal} · {berkas}", "en": "{id} · as of {tanggal} · {berkas}"},
    "rekon_summary": {"id": "Belum rekam menurut pusat **{pusat}**, menurut kota **{kota}**: selisih {selisih} di {n} kelurahan; {belum} belum dijelaskan.",
                      "en": "Not recorded according to the centre **{pusat}**, to the city **{kota}**: a difference of {selisih} in {n} kelurahan; {belum} unexplained."},
    "rekon_reason_title": {"id": "Catat alasan selisih", "en": "Record a reason for a difference"},
    "rekon_alasan": {"id": "Alasan", "en": "Reason"},
    "rekon_jumlah": {"id": "Jumlah warga", "en": "Residents"},
    "rekon_reason_save": {"id": "Simpan alasan", "en": "Save reason"},
    "rekon_reason_saved": {"id": "Alasan selisih dicatat.", "en": "Reason recorded."},
    "rekon_resolve_pick": {"id": "Catatan yang masih terbuka", "en": "Open notes"},
    "rekon_resolve": {"id": "Tandai selesai", "en": "Mark resolved"},
    "rekon_resolved": {"id": "Catatan ditandai selesai.", "en": "Note marked resolved."},
    "alasan_pindah": {"id": "pindah domisili", "en": "moved away"},
    "alasan_luar_negeri": {"id": "di luar negeri", "en": "abroad"},
    "alasan_meninggal": {"id": "meninggal tanpa akta kematian", "en": "died without a death certificate"},
    "alasan_akta_lahir_kosong": {"id": "nomor akta kelahiran kosong", "en": "birth certificate number missing"},
    "alasan_rekam_ganda": {"id": "rekam ganda", "en": "recorded twice"},
    "alasan_lainnya": {"id": "lainnya", "en": "other"},
    "selisih_terbuka": {"id": "terbuka", "en": "open"},
    "selisih_selesai": {"id": "selesai", "en": "resolved"},
    "baris_title": {"id": "Baris di balik temuan", "en": "The rows behind a finding"},
    "baris_pick": {"id": "Batch", "en": "Batch"},
    "nav_section_dasbor": {"id": "Dasbor", "en": "Dashboard"},
    "nav_section_petugas": {"id": "Petugas", "en": "Staff"},
    "nav_wilayah": {"id": "Wilayah", "en": "Areas"},
    "nav_distribusi": {"id": "Distribusi kartu", "en": "Card delivery"},
    "wilayah_title": {"id": "Kelurahan dan kecamatan: siapa tertinggal", "en": "Kelurahan and kecamatan: who lags"},
    "distribusi_title": {"id": "Distribusi kartu: dari perekaman sampai ke tangan warga",
                         "en": "Card delivery: from recording to the resident's hands"},
    "pick_provinsi": {"id": "Provinsi", "en": "Province"},
    "pick_kota": {"id": "Kabupaten/kota", "en": "Regency/city"},
    "pick_all_provinsi": {"id": "Semua provinsi", "en": "All provinces"},
    "pick_all_kota": {"id": "Semua kabupaten/kota", "en": "All regencies/cities"},
    "pick_narrow_first": {"id": "Pilih wilayah di atas dulu untuk memilih kelurahan.",
                          "en": "Choose an area above first to pick a kelurahan."},
    "page_number": {"id": "Halaman (dari {n})", "en": "Page (of {n})"},
    "page_rows": {"id": "Baris {dari}–{sampai} dari {total}", "en": "Rows {dari}–{sampai} of {total}"},
    "map_none_here": {"id": "Peta hanya digambar untuk wilayah yang batasnya tersedia dan tidak terlalu luas; pilih wilayah yang lebih kecil, atau lihat tabel di bawah.",
                      "en": "The map is drawn only for areas whose boundaries are available and not too large; choose a smaller area, or see the table below."},
    "report_rows_cut": {"id": "Daftar ini memuat {n} kelurahan terendah dari {total}; daftar lengkap ada di unduhan dasbor.",
                        "en": "This list holds the lowest {n} of {total} kelurahan; the full list is in the dashboard's downloads."},
    "children_title": {"id": "Kemajuan per {tingkat}", "en": "Progress per {tingkat}"},
    "children_chart_cut": {"id": "Grafik menampilkan {n} wilayah terendah dari {total}; tabel memuat semuanya.",
                           "en": "The chart shows the lowest {n} of {total} areas; the table has them all."},
    "distribusi_per": {"id": "Per {tingkat}", "en": "Per {tingkat}"},
    "pick_kecamatan": {"id": "Kecamatan", "en": "Kecamatan"},
    "pick_kelurahan": {"id": "Kelurahan", "en": "Kelurahan"},
    "pick_all_kecamatan": {"id": "Semua kecamatan (kota)", "en": "All kecamatan (city)"},
    "pick_all_kelurahan": {"id": "Semua kelurahan", "en": "All kelurahan"},
    "region_path_help": {"id": "Pilih wilayah, lalu wilayah di bawahnya (sampai kelurahan), untuk melihat lebih rinci.",
                         "en": "Choose an area, then one inside it (down to a kelurahan), to look closer."},
    "map_title": {"id": "Peta persen rekam per kelurahan", "en": "Map of recording coverage per kelurahan"},
    "map_caption": {"id": "Batas wilayah indikatif, bukan batas resmi (sumber: cahyadsn/wilayah_boundaries, disederhanakan; lihat data/SUMBER.md). Warna gelap: persen rekam rendah; kuning: mendekati 100%. Garis tebal: batas kecamatan.",
                    "en": "Indicative boundaries, not official ones (source: cahyadsn/wilayah_boundaries, simplified; see data/SUMBER.md). Dark: low recording coverage; yellow: close to 100%. Thick lines: kecamatan boundaries."},
    "map_missing": {"id": "Peta tidak tersedia: berkas batas wilayah tidak ditemukan.", "en": "No map: the boundary file is missing."},
    "chart_map_title": {"id": "Terendah: {nama} ({persen}); {n} dari {total} kelurahan di bawah 90%",
                        "en": "Lowest: {nama} ({persen}); {n} of {total} kelurahan below 90%"},
    "hover_kelurahan": {"id": "<b>{nama}</b> (Kec. {kecamatan})<br>Persen rekam: {persen}<br>Sudah rekam: {rekam} dari {wajib}<br>Belum rekam: {belum}<br>Backlog kartu: {backlog}<br>{safari}",
                        "en": "<b>{nama}</b> (Kec. {kecamatan})<br>Recorded: {persen}<br>{rekam} of {wajib}<br>Not yet recorded: {belum}<br>Card backlog: {backlog}<br>{safari}"},
    "hover_safari_sudah": {"id": "Safari keliling: sejak {tanggal}", "en": "Mobile safari: since {tanggal}"},
    "hover_safari_belum": {"id": "Safari keliling: belum", "en": "Mobile safari: not yet"},
    "table_kelurahan": {"id": "Peringkat kelurahan", "en": "Kelurahan ranking"},
    "table_kelurahan_caption": {"id": "Urut dari persen rekam terendah. Klik judul kolom untuk mengurutkan; unduh untuk Excel.",
                                "en": "Lowest coverage first. Click a column header to sort; download for Excel."},
    "col_kelurahan": {"id": "Kelurahan", "en": "Kelurahan"},
    "col_kecamatan": {"id": "Kecamatan", "en": "Kecamatan"},
    "col_kemajuan": {"id": "Kemajuan", "en": "Progress"},
    "col_laporan": {"id": "Laporan terakhir", "en": "Last report"},
    "col_safari": {"id": "Safari keliling", "en": "Mobile safari"},
    "col_safari_mulai": {"id": "Safari mulai", "en": "Safari from"},
    "col_safari_berikut": {"id": "Safari berikutnya", "en": "Next safari"},
    "col_kode": {"id": "Kode", "en": "Code"},
    "col_kartu_pusat": {"id": "Kartu diterima dari pusat", "en": "Cards received from the centre"},
    "col_kartu_pusat_tanggal": {"id": "Per tanggal (kartu pusat)", "en": "As of (cards from centre)"},
    "col_persen_distribusi": {"id": "% kartu diterima warga", "en": "% cards delivered"},
    "col_pace_backlog": {"id": "Kartu per hari agar tuntas", "en": "Cards a day to clear"},
    "safari_sudah": {"id": "sudah", "en": "served"},
    "safari_belum": {"id": "belum", "en": "not yet"},
    "safari_dijadwalkan": {"id": "dijadwalkan", "en": "scheduled"},
    "trace_wajib": {"id": "Wajib KTP", "en": "Obliged (wajib KTP)"},
    "trace_distribusi": {"id": "Kartu diterima warga", "en": "Cards delivered"},
    "chart_history_title": {"id": "{nama}: {persen} terekam; {tambah} perekaman dalam 7 hari terakhir",
                            "en": plural("tambah", one="{nama}: {persen} recorded; {tambah} recording in the last 7 days",
                                   other="{nama}: {persen} recorded; {tambah} recordings in the last 7 days")},
    "chart_history_title_new": {"id": "{nama}: {persen} terekam", "en": "{nama}: {persen} recorded"},
    "history_title": {"id": "Riwayat {nama}", "en": "History of {nama}"},
    "safari_line_sudah": {"id": "Safari keliling melayani {nama} sejak {tanggal}.", "en": "The mobile safari has served {nama} since {tanggal}."},
    "safari_line_berikut": {"id": "Jadwal safari berikutnya: {tanggal}.", "en": "Next safari visit: {tanggal}."},
    "safari_line_belum": {"id": "Safari keliling belum datang ke {nama} dan belum dijadwalkan.",
                          "en": "The mobile safari has not served {nama} yet and is not scheduled."},
    "stage_wajib": {"id": "Wajib KTP", "en": "Obliged"},
    "stage_rekam": {"id": "Sudah rekam", "en": "Recorded"},
    "stage_kartu": {"id": "Kartu diterima dari pusat (per {tanggal})", "en": "Cards from the centre (as of {tanggal})"},
    "stage_distribusi": {"id": "Kartu diterima warga", "en": "Cards delivered"},
    "chart_funnel_title": {"id": "{nama}: {belum} belum rekam, {backlog} kartu belum sampai ke warga",
                           "en": plural("backlog", one="{nama}: {belum} not yet recorded, {backlog} card not yet delivered",
                                  other="{nama}: {belum} not yet recorded, {backlog} cards not yet delivered")},
    "chart_backlog_title": {"id": "Backlog terbesar: {nama} ({n} kartu); {top} kelurahan teratas memegang {bagian} backlog",
                            "en": plural("n", one=plural("top", one="Largest backlog: {nama} ({n} card); the top {top} kelurahan holds {bagian} of the backlog",
                                                        other="Largest backlog: {nama} ({n} card); the top {top} kelurahan hold {bagian} of the backlog"),
                                   other=plural("top", one="Largest backlog: {nama} ({n} cards); the top {top} kelurahan holds {bagian} of the backlog",
                                                          other="Largest backlog: {nama} ({n} cards); the top {top} kelurahan hold {bagian} of the backlog"))},
    "axis_kartu": {"id": "Kartu belum diterima warga", "en": "Cards not yet delivered"},
    "funnel_title": {"id": "Corong: wajib → rekam → kartu", "en": "Funnel: obliged → recorded → card"},
    "funnel_kartu_old": {"id": "Angka kartu diterima dari pusat ({kartu}, per {tanggal}) lebih kecil daripada kartu yang sudah diterima warga ({distribusi}): angka itu sudah lama. Perbarui lewat rekap kumulatif (kolom kartu_diterima).",
                         "en": "Cards received from the centre ({kartu}, as of {tanggal}) are fewer than cards already delivered ({distribusi}): that figure is out of date. Update it with a cumulative report (column kartu_diterima)."},
    "funnel_kartu_none": {"id": "Kartu diterima dari pusat belum pernah dilaporkan untuk wilayah ini.",
                          "en": "Cards received from the centre have never been reported for this area."},
    "backlog_title": {"id": "Backlog kartu per kelurahan", "en": "Card backlog per kelurahan"},
    "backlog_pace": {"id": "Untuk menghabiskan backlog {backlog} kartu pada {batas} dibutuhkan **{perlu} kartu per hari** ({hari} hari lagi).",
                     "en": plural("backlog", one=plural("perlu", one=plural("hari", one="Clearing the backlog of {backlog} card by {batas} takes **{perlu} card a day** ({hari} day left).",
                                                         other="Clearing the backlog of {backlog} card by {batas} takes **{perlu} card a day** ({hari} days left)."),
                              other=plural("hari", one="Clearing the backlog of {backlog} card by {batas} takes **{perlu} cards a day** ({hari} day left).",
                                                           other="Clearing the backlog of {backlog} card by {batas} takes **{perlu} cards a day** ({hari} days left).")),
                    other=plural("perlu", one=plural("hari", one="Clearing the backlog of {backlog} cards by {batas} takes **{perlu} card a day** ({hari} day left).",
                                                           other="Clearing the backlog of {backlog} cards by {batas} takes **{perlu} card a day** ({hari} days left)."),
                                other=plural("hari", one="Clearing the backlog of {backlog} cards by {batas} takes **{perlu} cards a day** ({hari} day left).",
                                                             other="Clearing the backlog of {backlog} cards by {batas} takes **{perlu} cards a day** ({hari} days left).")))},
    "distribusi_table_title": {"id": "Distribusi per wilayah", "en": "Delivery per area"},
    "distribusi_kelurahan": {"id": "Per kelurahan", "en": "Per kelurahan"},
    "download_png_hint": {"id": "Grafik: arahkan kursor ke grafik, lalu ikon kamera untuk menyimpan PNG.",
                          "en": "Charts: hover a chart, then the camera icon saves a PNG."},
    "report_button": {"id": "Unduh laporan HTML (bisa dibuka tanpa internet)", "en": "Download HTML report (opens offline)"},
    "report_help": {"id": "Satu berkas berisi angka, grafik dan tabel tampilan ini; bisa dibuka di komputer rapat dari flashdisk tanpa internet.",
                    "en": "One file with this view's figures, charts and tables; opens on a meeting-room computer from a USB stick without internet."},
    "report_title": {"id": "Perekaman e-KTP {nama}", "en": "e-KTP recording in {nama}"},
    "report_subtitle": {"id": "Keadaan per {tanggal}. Laporan dibuat {dibuat} dari Dasbor e-KTP {wilayah}.",
                        "en": "As of {tanggal}. Report made on {dibuat} from the {wilayah} e-KTP Dashboard."},
    "report_demo": {"id": "DATA CONTOH: angka kota per 25 Oktober 2013 berasal dari laporan nyata; pembagian per kelurahan dan angka harian hanya ilustrasi.",
                    "en": "DEMO DATA: city totals of 25 October 2013 come from real reports; the split per kelurahan and the daily numbers are illustrative."},
    "report_charts": {"id": "Grafik", "en": "Charts"},
    "report_footer": {"id": "Persen dibulatkan ke bawah (92,26%, bukan 92,27%). Batas wilayah pada peta indikatif. Sumber data: unggahan Dispendukcapil {wilayah}; angka publikasi dengan sumbernya di data/referensi.",
                      "en": "Percentages are floored (92.26%, not 92.27%). Map boundaries are indicative. Data: uploads by Dispendukcapil {wilayah}; published figures with their sources in data/referensi."},
    "region_metrics_laporan": {"id": "Laporan terakhir", "en": "Last report"},
}


_ROW_REFERENCES = {"baris", "baris_lain", "batch", "jumlah", "header", "n"}


def describe_problem(problem, lang: str = "id", *, where: bool = True, advice: bool = False) -> str:
    """'Baris 5, kolom kelurahan: …' for an ektp_metrics.ingest.Problem (where=False: the message only).
    Quoted values are cut (cut). advice: an implausible value's message ends "bila benar, centang
    konfirmasi": only where the box would make the file acceptable (no other problem), on the page."""
    from ektp_metrics import formatting as f

    def shown(key: str, value: object) -> object:
        if isinstance(value, int) and not isinstance(value, bool) and key not in _ROW_REFERENCES:
            return f.angka(value, lang)
        if isinstance(value, dt.datetime):   # a moment (naive: UTC, as stored): in EKTP_TZ, zone named
            return f.waktu(value, lang)
        return f.tanggal(value, lang) if isinstance(value, dt.date) else value

    params = {k: cut(shown(k, v), lang) for k, v in problem.params.items()}
    text = t(f"problem_{problem.code}", lang, **params)
    if advice and problem.implausible:
        text += " " + t("problem_confirm_advice", lang)
    if not where:
        return text
    parts = []
    if problem.baris is not None:
        parts.append(t("problem_at_row", lang, n=problem.baris))
    if problem.kolom:
        parts.append(t("problem_at_column", lang, k=cut(problem.kolom, lang)))
    return (", ".join(parts).capitalize() + ": " if parts else "") + text


QUOTE_MAX = 60      # characters of a file's value a message repeats (a 1 MB cell is not echoed whole)
IGNORED_SHOWN = 4   # ignored columns named one by one; the rest are counted


def cut(value: object, lang: str = "id") -> object:
    """A text from the file as a message quotes it: at most QUOTE_MAX characters, then "…" and its length."""
    if isinstance(value, str) and len(value) > QUOTE_MAX:
        from ektp_metrics import formatting as f

        return t("problem_cut", lang, awal=value[:QUOTE_MAX], n=f.angka(len(value), lang))
    return value


def describe_ignored(columns: list[str], lang: str = "id") -> str:
    """The ignored columns of a file: the first IGNORED_SHOWN by name (each cut), then how many more."""
    from ektp_metrics import formatting as f

    named = ", ".join(str(cut(c, lang)) for c in columns[:IGNORED_SHOWN])
    if len(columns) <= IGNORED_SHOWN + 1:   # one more is named, not counted
        return ", ".join(str(cut(c, lang)) for c in columns)
    return t("ignored_more", lang, kolom=named, n=f.angka(len(columns) - IGNORED_SHOWN, lang))


def describe_finding(finding, lang: str = "id") -> str:
    """The sentence of an upload.Finding (what a Kualitas rule would add if the file were saved)."""
    from ektp_metrics import formatting as f

    values = {"kelurahan": finding.kelurahan, "tanggal": f.tanggal(finding.tanggal, lang) if finding.tanggal else "–",
              "nilai": f.angka(finding.nilai, lang) if finding.nilai is not None else "–",
              "batas": f.angka(finding.batas, lang) if finding.batas is not None else "–"}
    if finding.rule == "kumulatif_turun":
        return t(f"finding_kumulatif_turun_{finding.ukuran}", lang, **values)
    if finding.rule == "harian_tidak_wajar" and finding.lokasi == "kecamatan":   # "Kantor Kec. …": the office
        return t("finding_harian_tidak_wajar_kantor", lang, **values)
    if finding.rule == "harian_tidak_wajar":
        return t("finding_harian_tidak_wajar", lang, lokasi=t(f"lokasi_{finding.lokasi}", lang), **values)
    if finding.rule == "tidak_melapor" and finding.nilai is None:
        return t("finding_tidak_melapor_never", lang, kelurahan=finding.kelurahan)
    return t(f"finding_{finding.rule}", lang, **values)


def finding_row(finding, lang: str = "id") -> str:
    """Where a finding comes from: the file's baris, or an earlier batch's row ('' when neither)."""
    if finding.baris is not None:
        return str(finding.baris)
    if finding.batch_id is not None:
        return t("finding_from_batch", lang, batch=finding.batch_id, baris=finding.baris_batch)
    return ""


def describe_projection(projection, kind: str, lang: str = "id") -> str:
    """The plain sentence of a forecast.Projection; kind is 'rekam' or 'kartu'."""
    from ektp_metrics import formatting as f

    batas = f.tanggal(projection.deadline, lang)
    if projection.remaining <= 0:
        return t("proj_done", lang)
    if projection.needed_per_day is None:   # no day left after the as-of day's figures
        key = "proj_due" if projection.as_of == projection.deadline else "proj_past"
        return t(key, lang, batas=batas, sisa=f.angka(projection.remaining, lang))
    values = {"batas": batas, "perlu": f.angka(projection.needed_per_day, lang),
              "laju": f.angka(round(projection.pace), lang)}
    if not projection.pace_known:
        return t(f"proj_{kind}_unknown", lang, **values)
    if projection.finish is None:
        return t(f"proj_{kind}_stalled", lang, **values)
    state = "ok" if projection.on_track else "late"
    return t(f"proj_{kind}_{state}", lang, tanggal=f.tanggal(projection.finish, lang), **values)


def describe_scenarios(scenarios, lang: str = "id") -> str:
    """Markdown lines comparing a safari plan with more devices / longer hours (schedule.what_if)."""
    from ektp_metrics import formatting as f

    base = scenarios[0][1].outcome
    lines = []
    for key, proposal in scenarios[1:]:
        o = proposal.outcome
        faster = (base.safari_selesai - o.safari_selesai).days if base.safari_selesai and o.safari_selesai else 0
        if o.tuntas and base.tuntas and o.tuntas == base.tuntas:
            tuntas = t("scenario_tuntas_sama", lang)
        elif o.tuntas and base.tuntas:
            tuntas = t("scenario_tuntas_lebih_cepat", lang, n=f.angka((base.tuntas - o.tuntas).days, lang))
        elif o.tuntas:
            tuntas = t("scenario_tuntas_pada", lang, tanggal=f.tanggal(o.tuntas, lang))
        else:
            tuntas = t("scenario_tuntas_belum", lang)
        lines.append("- " + t(f"scenario_{key}", lang, alat=f.angka(proposal.plan.devices, lang),
                             kapasitas=f.angka(proposal.plan.capacity, lang))
                     + ": " + t("scenario_line", lang, hari=f.angka(faster, lang),
                                persen=f.persen_nilai(o.persen_batas, lang),
                                selisih=f.selisih_desimal(o.persen_batas - base.persen_batas, lang), tuntas=tuntas)
                     + _same_safari(proposal, base, lang))
    return "\n".join(lines)


def _same_safari(proposal, base, lang: str) -> str:
    """". Why: …" when a variant's safari records no more than the plan's (issue 21: 14 devices, ±0,00)."""
    from ektp_metrics import formatting as f
    from ektp_metrics.schedule import limits

    if proposal.outcome.rekam_safari != base.rekam_safari:
        return "."
    lim = limits(proposal)
    return ". " + t("scenario_same_safari", lang, alat=f.angka(lim.alat_per_tempat, lang),
                    maks=f.angka(lim.maks_kunjungan, lang), safari=f.angka(lim.safari, lang))


def describe_limits(proposal, lang: str = "id") -> list[str]:
    """Paragraphs saying what bounds a safari plan (schedule.limits) and why its 100% date differs from
    Ringkasan's date at the current pace (issue 21)."""
    from ektp_metrics import formatting as f
    from ektp_metrics.schedule import limits

    lim = limits(proposal)
    o = proposal.outcome
    key = "plan_limit_visit" if lim.visit_bound else "plan_limit_residents"
    first = t(key, lang, alat=f.angka(lim.alat_per_tempat, lang), kapasitas=f.angka(proposal.plan.capacity, lang),
              hari=f.angka(lim.hari, lang), maks=f.angka(lim.maks_kunjungan, lang), terbatas=f.angka(lim.terbatas, lang),
              n=f.angka(lim.kelurahan, lang), safari=f.angka(lim.safari, lang), belum=f.angka(lim.belum_rekam, lang),
              sisa=f.angka(lim.sisa, lang), lain=f.angka(round(lim.other_pace), lang))
    tuntas = f.tanggal(o.tuntas, lang) if o.tuntas else t("plan_tuntas_tidak", lang)
    ringkasan = f.tanggal(proposal.current_tuntas, lang) if proposal.current_tuntas else t("plan_tuntas_tidak", lang)
    later = proposal.current_tuntas is not None and (o.tuntas is None or o.tuntas > proposal.current_tuntas)
    head = t("plan_vs_ringkasan_later" if later else "plan_vs_ringkasan_other", lang, tuntas=tuntas, ringkasan=ringkasan)
    second = head + " " + t("plan_vs_ringkasan", lang, laju=f.angka(round(lim.current_pace), lang),
                            selesai=f.tanggal(o.safari_selesai, lang), lain=f.angka(round(lim.other_pace), lang))
    return [first, second]


def describe_change(change, lang: str = "id") -> list[str]:
    """Lines saying what an upload does to the city figures (an ektp_metrics.ingest.Change)."""
    from ektp_metrics import formatting as f

    scope = t("change_scope", lang, kelurahan=f.angka(change.kelurahan, lang),
              dari=f.tanggal(change.tanggal_min, lang), sampai=f.tanggal(change.tanggal_max, lang))
    if change.kind == "jadwal":
        return [t("change_jadwal", lang), scope]
    lines = [
        t("change_counts", lang, rekam=f.selisih(change.rekam_after - change.rekam_before, lang),
          distribusi=f.selisih(change.distribusi_after - change.distribusi_before, lang), wilayah=change.wilayah),
        t("change_coverage", lang, sebelum=f.persen_nilai(change.persen_before, lang),
          sesudah=f.persen_nilai(change.persen_after, lang),
          tanggal=f.tanggal(change.as_of_after, lang), wilayah=change.wilayah),
    ]
    # The app's 'today' (Ringkasan, the lobby, `summary`, days left) follows the data: say when it moves (issue 17).
    if change.as_of_after is not None and change.as_of_after != change.as_of_before:
        lines.append(t("change_reference_day", lang, sebelum=f.tanggal(change.as_of_before, lang),
                       sesudah=f.tanggal(change.as_of_after, lang)) if change.as_of_before is not None
                     else t("change_reference_day_first", lang, sesudah=f.tanggal(change.as_of_after, lang)))
    return lines + [scope]


def t(key: str, lang: str = "id", /, **values: object) -> str:
    """The text `key` in `lang` (Bahasa Indonesia when it has none), filled with `values`. key and lang are
    positional only, so a value of any name (an error's params passed on as **params) cannot take their place."""
    entry = TEXTS[key]
    if lang not in entry:
        lang = "id"
    text = entry[lang]
    while isinstance(text, Plural):
        if text.count not in values:
            raise TypeError(f"text {key!r} depends on the count {{{text.count}}}, which was not given")
        category = plural_category(values[text.count], lang)
        text = text.forms.get(category, text.forms["other"])
    return text.format(**values) if values else text
