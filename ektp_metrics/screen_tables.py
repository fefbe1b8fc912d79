"""The tables the dashboard shows and lets people download, built from metrics frames.

Each builder returns a DataFrame with headers in the chosen language and raw values (numbers stay
numbers, so the table sorts correctly and a download is ready for a spreadsheet). `styled` adds the
Indonesian display format (383.427; 92,26%; 25 Okt 2013) without changing the values.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Hashable
from typing import Any

import pandas as pd
from pandas.io.formats.style import Styler

from ektp_metrics import formatting
from ektp_metrics.i18n import TEXTS as _TEXT_KEYS
from ektp_metrics.i18n import t
from ektp_metrics.metrics import Summary

PERSEN_KEYS = ("col_persen", "col_persen_distribusi", "col_persen_sebelum", "col_persen_sesudah", "col_persen_melapor")


def _header(key: str, lang: str) -> str:
    return t(key, lang)


def kelurahan_ranking(frame: pd.DataFrame, lang: str = "id", *, bar: bool = True) -> pd.DataFrame:
    """metrics.kelurahan_frame as the ranking table: who lags first, with the safari status.

    bar=True adds a copy of the percentage for an in-cell progress bar (left out of downloads)."""
    safari = safari_status(frame, lang)
    table = pd.DataFrame({
        _header("col_kelurahan", lang): frame["kelurahan"],
        _header("col_kecamatan", lang): frame["kecamatan"],
        _header("col_persen", lang): frame["persen_rekam"],
        _header("col_wajib", lang): frame["wajib_ktp"],
        _header("col_rekam", lang): frame["sudah_rekam"],
        _header("col_belum", lang): frame["belum_rekam"],
        _header("col_distribusi", lang): frame["sudah_distribusi"],
        _header("col_backlog", lang): frame["backlog_distribusi"],
        _header("col_laporan", lang): frame["tanggal_laporan"],
        _header("col_safari", lang): safari,
        _header("col_safari_mulai", lang): frame["safari_mulai"],
        _header("col_safari_berikut", lang): frame["safari_berikut"],
        _header("col_kode", lang): frame["kode"],
    }).reset_index(drop=True)
    if bar:
        table.insert(3, _header("col_kemajuan", lang), table[_header("col_persen", lang)])
    return table


def safari_status(frame: pd.DataFrame, lang: str = "id") -> pd.Series:
    """'sudah (7 Okt)', 'dijadwalkan 28 Okt' or 'belum' per kelurahan of a metrics.kelurahan_frame."""
    def short(column: str) -> pd.Series:
        return frame[column].map(lambda d: "" if pd.isna(d) else formatting.bulan_tanpa_tahun(d.date(), lang))

    status = pd.Series(t("safari_belum", lang), index=frame.index, dtype=object)
    planned = frame["safari_berikut"].notna()
    status[planned] = t("safari_dijadwalkan", lang) + " " + short("safari_berikut")[planned]
    served = frame["safari_mulai"].notna()
    status[served] = t("safari_sudah", lang) + " (" + short("safari_mulai")[served] + ")"
    return status


def region_table(rows: list[Summary], lang: str = "id") -> pd.DataFrame:
    """Summaries of one level (provinsi, kota, kecamatan) as a table, headed by the level's name."""
    level = rows[0].tingkat if rows else "kecamatan"
    return pd.DataFrame({
        _header(f"pick_{level}" if level in ("provinsi", "kota", "kecamatan") else "col_wilayah", lang): [s.nama for s in rows],
        _header("col_wajib", lang): [s.wajib_ktp for s in rows],
        _header("col_rekam", lang): [s.sudah_rekam for s in rows],
        _header("col_belum", lang): [s.belum_rekam for s in rows],
        _header("col_persen", lang): [None if s.persen_rekam is None else float(s.persen_rekam) for s in rows],
        _header("col_distribusi", lang): [s.sudah_distribusi for s in rows],
        _header("col_backlog", lang): [s.backlog_distribusi for s in rows],
        _header("col_kode", lang): [s.kode for s in rows],
    })


def distribusi_table(frame: pd.DataFrame, days_left: int, lang: str = "id") -> pd.DataFrame:
    """The funnel per region with the pace that clears the backlog by the deadline.

    frame: metrics.kelurahan_frame, or a frame of one level above with the same columns and its tingkat
    (see kecamatan_frame_from), headed by the level's name. pace = ceil(backlog / days left); empty when
    the deadline has passed.
    """
    name = "kelurahan" if "kelurahan" in frame.columns else "nama"
    level = frame["tingkat"].iloc[0] if "tingkat" in frame.columns and len(frame) else "kecamatan"
    header = ("col_kelurahan" if name == "kelurahan" else
              f"pick_{level}" if level in ("provinsi", "kota", "kecamatan") else "col_wilayah")
    backlog = frame["backlog_distribusi"].clip(lower=0)
    pace = (-(-backlog // days_left)) if days_left > 0 else pd.Series(pd.NA, index=frame.index)
    persen_dist = (frame["sudah_distribusi"] * 10000 // frame["sudah_rekam"].where(frame["sudah_rekam"] > 0)) / 100
    out = {_header(header, lang): frame[name]}
    if "kecamatan" in frame.columns and name == "kelurahan":
        out[_header("col_kecamatan", lang)] = frame["kecamatan"]
    out.update({
        _header("col_wajib", lang): frame["wajib_ktp"],
        _header("col_rekam", lang): frame["sudah_rekam"],
        _header("col_kartu_pusat", lang): frame["kartu_diterima"],
        _header("col_kartu_pusat_tanggal", lang): frame["tanggal_kartu"],
        _header("col_distribusi", lang): frame["sudah_distribusi"],
        _header("col_persen_distribusi", lang): persen_dist,
        _header("col_backlog", lang): frame["backlog_distribusi"],
        _header("col_pace_backlog", lang): pace,
        _header("col_kode", lang): frame["kode"],
    })
    return pd.DataFrame(out).sort_values(_header("col_backlog", lang), ascending=False, kind="stable").reset_index(drop=True)


def kecamatan_frame_from(rows: list[Summary]) -> pd.DataFrame:
    """Summaries of one level (kecamatan, kota, provinsi) in the column shape of metrics.kelurahan_frame (for
    distribusi_table), with their level."""
    return pd.DataFrame({
        "kode": [s.kode for s in rows], "nama": [s.nama for s in rows], "tingkat": [s.tingkat for s in rows],
        "wajib_ktp": [s.wajib_ktp for s in rows], "sudah_rekam": [s.sudah_rekam for s in rows],
        "sudah_distribusi": [s.sudah_distribusi for s in rows],
        "backlog_distribusi": [s.backlog_distribusi for s in rows],
        "kartu_diterima": pd.array([s.kartu_diterima for s in rows], dtype="Int64"),
        "tanggal_kartu": pd.to_datetime(pd.Series([s.tanggal_kartu for s in rows], dtype=object)),
    })


MISSING = "–"   # a missing value in tables on screen and in the report (downloads leave the cell empty)


def _formats(frame: pd.DataFrame, lang: str, *, text: bool) -> dict[Hashable, Callable[[Any], str]]:
    """The display text of each column's values (text=True: also text columns, missing ones as '–')."""
    persen = {t(k, lang) for k in PERSEN_KEYS}
    formats: dict[Hashable, Callable[[Any], str]] = {}
    for column in frame.columns:
        series = frame[column]
        if column in persen:
            formats[column] = lambda v: MISSING if pd.isna(v) else formatting.persen_nilai(float(v), lang)
        elif pd.api.types.is_datetime64_any_dtype(series):
            with_time = bool((series.dropna().dt.normalize() != series.dropna()).any())
            # A column with times of day holds moments (stored in UTC): shown in EKTP_TZ, zone named.
            formats[column] = ((lambda v: MISSING if pd.isna(v) else formatting.waktu(pd.Timestamp(v).to_pydatetime(), lang))
                               if with_time else
                               (lambda v: MISSING if pd.isna(v) else formatting.tanggal(pd.Timestamp(v).date(), lang, singkat=True)))
        elif pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
            formats[column] = lambda v: MISSING if pd.isna(v) else formatting.angka(int(v), lang)
        elif text:
            # missing: None, pd.NA, or NaN (pandas 3's text columns hold NaN)
            formats[column] = lambda v: MISSING if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else str(v)
    return formats


def styled(frame: pd.DataFrame, lang: str = "id") -> Styler:
    """Display format by column: integers 383.427, percentages 92,26%, dates 25 Okt 2013, missing '–'."""
    return frame.style.format(_formats(frame, lang, text=False))


def cells(frame: pd.DataFrame, lang: str = "id") -> tuple[list[str], list[list[str]]]:
    """The header and the rows of a table as `styled` shows them, as plain text for an HTML template (the
    offline report), which escapes them."""
    formats = _formats(frame, lang, text=True)
    columns = [formats[c] for c in frame.columns]
    by_column = [[shown(v) for v in frame.iloc[:, i].tolist()] for i, shown in enumerate(columns)]
    return [str(c) for c in frame.columns], [list(row) for row in zip(*by_column, strict=True)]


def file_stem(name: str, as_of: dt.date) -> str:
    """A download's file name without extension: 'wilayah_2013-10-25'."""
    return f"{name}_{as_of.isoformat()}"



def yield_table(frame: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """schedule.yield_per_kelurahan for display and download."""
    return pd.DataFrame({
        _header("col_kelurahan", lang): frame["kelurahan"], _header("col_kecamatan", lang): frame["kecamatan"],
        _header("col_hari_layanan", lang): frame["hari"], _header("col_rekam", lang): frame["rekam"],
        _header("col_rata_hari", lang): frame["rata_per_hari"].round(0).astype("int64"),
        _header("col_maks_hari", lang): frame["maks_per_hari"], _header("col_alat", lang): frame["alat"],
        _header("col_per_alat", lang): frame["per_alat_per_hari"].round(0).astype("int64"),
    })


def plan_table(blocks: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """schedule.propose for display and download."""
    return pd.DataFrame({
        _header("col_blok", lang): blocks["blok"], _header("col_kelurahan", lang): blocks["kelurahan"],
        _header("col_kecamatan", lang): blocks["kecamatan"], _header("col_belum", lang): blocks["belum_rekam"],
        _header("col_mulai", lang): pd.to_datetime(blocks["tanggal_mulai"]),
        _header("col_selesai", lang): pd.to_datetime(blocks["tanggal_selesai"]),
        _header("col_alat", lang): blocks["alat"], _header("col_kode", lang): blocks["kode"],
    })


# ---- Kualitas data ---------------------------------------------------------------------------------------

def headline_table(checks: list, lang: str = "id") -> pd.DataFrame:
    """quality.headline_check as a table (the difference is ours minus printed)."""
    return pd.DataFrame({
        _header("col_tanggal", lang): pd.to_datetime(pd.Series([c.tanggal for c in checks], dtype=object)),
        _header("col_indikator", lang): [t(f"ind_{c.indikator}", lang) if f"ind_{c.indikator}" in _TEXT_KEYS else c.indikator
                                         for c in checks],
        _header("col_dicetak", lang): [f"{c.dicetak} {c.satuan}".strip() for c in checks],
        _header("col_basis_data", lang): [c.basis_data for c in checks],
        _header("col_nilai_tepat", lang): [c.nilai_tepat for c in checks],
        _header("col_status", lang): [t(f"cek_{c.status}", lang) for c in checks],
        _header("col_penerbit", lang): [c.penerbit for c in checks],
        _header("col_sumber", lang): [c.sumber_url for c in checks],
    })


def backup_table(backups: list, lang: str = "id") -> pd.DataFrame:
    """backup.list_backups as a table for people: time in WIB, size, batches, the city's figures, the check."""
    def figure(b, key: str) -> str:
        value = b.figures.get(key)
        return formatting.angka(value, lang) if isinstance(value, int) else "–"

    return pd.DataFrame({
        t("col_waktu", lang): [formatting.waktu(b.taken_at, lang) for b in backups],
        t("col_berkas", lang): [b.path.name for b in backups],
        t("col_ukuran_berkas", lang): [formatting.desimal(b.size / 1048576, 1, lang) + " MB" if b.size else "–" for b in backups],
        t("col_batch", lang): [formatting.angka(b.batches, lang) if b.batches is not None else "–" for b in backups],
        t("col_data_per", lang): [formatting.tanggal(dt.date.fromisoformat(b.figures["as_of"]), lang)
                                  if b.figures.get("as_of") else "–" for b in backups],
        t("col_wajib", lang): [figure(b, "wajib_ktp") for b in backups],
        t("col_rekam", lang): [figure(b, "sudah_rekam") for b in backups],
        t("col_distribusi", lang): [figure(b, "sudah_distribusi") for b in backups],
        t("col_pemeriksaan", lang): [t(f"cadangan_cek_{b.check}", lang) + (f": {b.detail}" if b.detail else "")
                                     for b in backups],
        t("col_oleh", lang): [b.by for b in backups],
    })


def findings_table(frame: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """One consistency rule's rows: kelurahan, date, value, limit, batch and row (baris) behind it."""
    out = {_header("col_kelurahan", lang): frame["kelurahan"],
           _header("col_tanggal", lang): pd.to_datetime(frame["tanggal"])}
    if "ukuran" in frame.columns:
        out[_header("col_ukuran", lang)] = frame["ukuran"]
    if "lokasi" in frame.columns:
        out[_header("col_lokasi", lang)] = [t(f"lokasi_{v}", lang) for v in frame["lokasi"]]
    out.update({_header("col_nilai", lang): frame["nilai"], _header("col_batas", lang): frame["batas"],
                _header("col_batch", lang): frame["batch_id"].astype("Int64"),
                _header("col_baris", lang): frame["baris"].astype("Int64"),
                _header("col_kode", lang): frame["kode_kelurahan"]})
    return pd.DataFrame(out).reset_index(drop=True)


def completeness_table(frame: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    return pd.DataFrame({
        _header("col_kelurahan", lang): frame["kelurahan"], _header("col_kecamatan", lang): frame["kecamatan"],
        _header("col_persen_melapor", lang): frame["persen_melapor"],
        _header("col_kemajuan", lang): frame["persen_melapor"],
        _header("col_hari_melapor", lang): frame["hari_melapor"],
        _header("col_hari_diharapkan", lang): frame["hari_diharapkan"],
        _header("col_laporan", lang): pd.to_datetime(frame["laporan_terakhir"]),
        _header("col_hari_sejak", lang): frame["hari_sejak_laporan"].astype("Int64"),
        _header("col_kode", lang): frame["kode_kelurahan"],
    })


def versions_table(frame: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """quality.target_versions for people: the first version had no target before it (the query says 0
    obliged): that cell, and its percentage, stay empty ('–') instead of a misleading 0."""
    before = frame["wajib_sebelum"].astype("Int64").mask(lambda v: v == 0)
    return pd.DataFrame({
        _header("col_berlaku", lang): pd.to_datetime(frame["berlaku_mulai"]),
        _header("col_wajib_sebelum", lang): before,
        _header("col_wajib_sesudah", lang): frame["wajib_sesudah"],
        _header("col_persen_sebelum", lang): frame["persen_sebelum"].where(before.notna().to_numpy(bool)),
        _header("col_persen_sesudah", lang): frame["persen_sesudah"],
        _header("col_batch", lang): frame["batch_id"].astype("Int64"),
    })


# The columns of a batch's rows (history.batch_rows) as people call them; the first ones lead the table.
_BATCH_ROW_HEADERS = {
    "baris": "col_baris", "kelurahan": "col_kelurahan", "kecamatan": "col_kecamatan", "tanggal": "col_tanggal",
    "berlaku_mulai": "col_berlaku", "tanggal_mulai": "col_mulai", "tanggal_selesai": "col_selesai",
    "lokasi": "col_lokasi", "rekam": "col_rekam_hari", "distribusi": "col_distribusi_hari",
    "sudah_rekam": "col_rekam", "sudah_distribusi": "col_distribusi", "kartu_diterima": "col_kartu_pusat",
    "wajib_ktp": "col_wajib", "alat": "col_alat", "jam_mulai": "col_jam_mulai", "jam_selesai": "col_jam_selesai",
    "tempat": "col_tempat", "presisi_tanggal": "col_presisi_tanggal", "tingkat": "col_tingkat",
    "wilayah": "col_nama_wilayah", "indikator": "col_indikator", "nilai": "cek_nilai",
    "nilai_angka": "col_nilai_angka", "satuan": "cek_satuan", "penerbit": "col_penerbit",
    "sumber_url": "col_sumber", "catatan": "col_catatan", "digantikan_oleh_batch": "col_digantikan",
    "kode_kelurahan": "col_kode", "kode": "col_kode",
}
_DATE_COLUMNS = ("tanggal", "berlaku_mulai", "tanggal_mulai", "tanggal_selesai")


def batch_rows_table(frame: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """history.batch_rows for people (Kualitas "Baris di balik temuan", Riwayat): the row number, the
    kelurahan and the date first, headers in words, dates as dates (`styled` shows 25 Okt 2013), clock
    times as 15.00, locations in words. A column without a name here keeps its own."""
    order = [c for c in _BATCH_ROW_HEADERS if c in frame.columns] + [c for c in frame.columns if c not in _BATCH_ROW_HEADERS]
    out = frame[order].copy()
    for column in _DATE_COLUMNS:
        if column in out:
            out[column] = pd.to_datetime(out[column])
    for column in ("jam_mulai", "jam_selesai"):
        if column in out:
            out[column] = [MISSING if v is None or pd.isna(v) else f"{v:%H.%M}" for v in out[column]]
    if "lokasi" in out:
        out["lokasi"] = [t(f"lokasi_{v}", lang) if f"lokasi_{v}" in _TEXT_KEYS else v for v in out["lokasi"]]
    if "indikator" in out:
        out["indikator"] = [t(f"ind_{v}", lang) if f"ind_{v}" in _TEXT_KEYS else v for v in out["indikator"]]
    return out.rename(columns={c: t(_BATCH_ROW_HEADERS[c], lang) for c in order if c in _BATCH_ROW_HEADERS})


def upload_labels(uploads: pd.DataFrame, upload_id: int, lang: str = "id") -> dict:
    row = uploads.set_index("id").loc[upload_id]
    return {"tanggal": formatting.tanggal(pd.Timestamp(row["tanggal"]).date(), lang), "berkas": row["file_name"]}


def reconciliation_table(frame: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    return pd.DataFrame({
        _header("col_kelurahan", lang): frame["kelurahan"], _header("col_kecamatan", lang): frame["kecamatan"],
        _header("col_belum_pusat", lang): frame["belum_pusat"], _header("col_belum_lokal", lang): frame["belum_lokal"],
        _header("col_selisih", lang): frame["selisih"], _header("col_dijelaskan", lang): frame["dijelaskan"],
        _header("col_selesai_n", lang): frame["selesai"],
        _header("col_belum_dijelaskan", lang): frame["belum_dijelaskan"].clip(lower=0),
        _header("col_alasan", lang): [", ".join(t(f"alasan_{a.strip()}", lang) for a in v.split(","))
                                      if isinstance(v, str) else "" for v in frame["alasan"]],
        _header("col_baris", lang): frame["baris"], _header("col_kode", lang): frame["kode_kelurahan"],
    })


def reasons_table(frame: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    return pd.DataFrame({
        "#": frame["id"], _header("col_kelurahan", lang): frame["kelurahan"],
        _header("col_alasan", lang): [t(f"alasan_{a}", lang) for a in frame["alasan"]],
        _header("col_jumlah", lang): frame["jumlah"], _header("col_catatan", lang): frame["catatan"].fillna(""),
        _header("col_status", lang): [t(f"selisih_{s}", lang) for s in frame["status"]],
        _header("col_petugas", lang): frame["user_name"],
    })


def reason_label(frame: pd.DataFrame, note_id: int, lang: str = "id") -> str:
    row = frame.set_index("id").loc[note_id]
    return f"#{note_id} · {row['kelurahan']} · {t('alasan_' + row['alasan'], lang)} · {formatting.angka(int(row['jumlah']), lang)}"


# ---- Riwayat, Pengguna, the audit log: moments for people (stored in UTC, shown in EKTP_TZ) -----------

def batches_table(batches: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """history.batches for Riwayat: kind and status in words, the upload's time in EKTP_TZ."""
    return pd.DataFrame({
        t("col_batch", lang): batches["id"],
        t("col_jenis", lang): [t(f"kind_{k}", lang) for k in batches["kind"]],
        t("col_berkas", lang): batches["file"],
        t("col_baris_n", lang): batches["rows"],
        t("col_petugas", lang): batches["user"],
        t("col_waktu", lang): formatting.waktu_kolom(batches["created_at"], lang),
        t("col_status", lang): [t(f"status_{s}", lang) for s in batches["status"]],
    })


def users_table(users: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """auth.PasswordStore.users for Pengguna: roles in words, times in EKTP_TZ."""
    return pd.DataFrame({
        t("login_username", lang): users["username"],
        t("pengguna_nama", lang): users["display_name"],
        t("pengguna_peran", lang): [t(f"role_{r}", lang) for r in users["role"]],
        t("pengguna_aktif", lang): users["active"],
        t("pengguna_dibuat", lang): formatting.waktu_kolom(users["created_at"], lang),
        t("pengguna_oleh", lang): users["created_by"],
        t("pengguna_sandi_diganti", lang): formatting.waktu_kolom(users["password_set_at"], lang),
    })


def tokens_table(listing: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """tokens.listing for Pengguna: who a token acts for, its name, who made it and when, until when it works,
    when it was last used (in EKTP_TZ) and its status in words. Never the secret (it is not kept)."""
    return pd.DataFrame({
        t("token_col_id", lang): listing["id"],
        t("col_pengguna", lang): listing["username"],
        t("token_col_nama", lang): listing["nama"],
        t("token_col_oleh", lang): listing["created_by"],
        t("pengguna_dibuat", lang): formatting.waktu_kolom(listing["created_at"], lang),
        t("token_col_sampai", lang): formatting.waktu_kolom(listing["expires_at"], lang),
        t("token_col_dipakai", lang): formatting.waktu_kolom(listing["last_used_at"], lang)
        .fillna(t("token_belum_dipakai", lang)),
        t("col_status", lang): listing["status"].map(
            {code: t(f"token_status_{code}", lang) for code in listing["status"].unique()}),
    })

def audit_action(code: str, lang: str = "id") -> str:
    """An audit log action in words ('unggah' → 'mengunggah'); a code without a text (an older version's)
    as it is."""
    key = f"audit_act_{code}"
    return t(key, lang) if key in _TEXT_KEYS else code


# Riwayat with a batch open (pages/riwayat.py reads ?batch=N); relative, so it works under any base path.
RIWAYAT_LINK = "riwayat?batch={}"


def audit_table(log: pd.DataFrame, lang: str = "id", *, download: bool = False) -> pd.DataFrame:
    """auth.audit_log for people: Waktu, Pengguna, Tindakan (in words), Objek, Keterangan, Batch.

    On screen the time is text in EKTP_TZ with its zone ('4 Desember 2026 23.43 WIB') and Batch is a link
    to Riwayat with the batch open (st.column_config.LinkColumn); for a download (download=True) the time
    is a local date-time a spreadsheet can sort, the zone named in its header, and Batch its number."""
    batch = pd.to_numeric(log["object"].astype("string").str.extract(r"^batch (\d+)$")[0],
                          errors="coerce").astype("Int64")
    actions = log["action"].map({code: audit_action(code, lang) for code in log["action"].unique()})
    if download:
        when: tuple[str, pd.Series] = (t("col_waktu_zona", lang, zona=formatting.nama_zona_kolom()),
                                       formatting.lokal_naif_kolom(log["logged_at"]))
        link = batch
    else:
        when = (t("col_waktu", lang), formatting.waktu_kolom(log["logged_at"], lang))
        link = RIWAYAT_LINK.removesuffix("{}") + batch.astype("string")   # missing where no batch
    return pd.DataFrame({
        when[0]: when[1],
        t("col_pengguna", lang): log["user_name"],
        t("col_tindakan", lang): actions,
        t("col_objek", lang): log["object"],
        t("col_keterangan", lang): log["detail"],
        t("col_batch", lang): link,
    })
