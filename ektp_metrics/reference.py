"""Published figures (news, official pages) kept as reference points with their source."""

from __future__ import annotations

import pandas as pd

from ektp_metrics import DATA_DIR
from ektp_metrics.db import Database, new_batch

REFERENCE_FILES = (DATA_DIR / "referensi" / "ektp_surakarta_berita.csv",
                   DATA_DIR / "referensi" / "laporan_2013-10-25.csv")

_COLUMNS = ("tanggal", "presisi_tanggal", "tingkat", "wilayah", "kode", "indikator", "nilai", "satuan",
            "penerbit", "sumber_url", "catatan")


def _parse_number(text: str) -> float | None:
    """'365000' → 365000.0; '92,26' → 92.26; 'ya' or 'Juni 2016' → None."""
    cleaned = text.strip().replace(".", "").replace(",", ".") if "," in text else text.strip()
    try:
        return float(cleaned)
    except ValueError:
        return None


def read_reference_figures() -> pd.DataFrame:
    frames = []
    for path in REFERENCE_FILES:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        frame["baris"] = range(2, len(frame) + 2)
        frame["berkas"] = path.name
        frames.append(frame)
    frame = pd.concat(frames, ignore_index=True)
    # '2016-05' (month precision) is stored as the first of the month; presisi_tanggal says so.
    frame["tanggal"] = pd.to_datetime(frame["tanggal"].where(frame["tanggal"].str.len() > 7,
                                                             frame["tanggal"] + "-01")).dt.date
    frame["nilai_angka"] = [_parse_number(v) for v in frame["nilai"]]
    return frame


def install_reference_figures(db: Database, user_name: str = "sistem") -> int:
    frame = read_reference_figures()
    with db.transaction() as cur:
        for name, part in frame.groupby("berkas", sort=True):
            batch = new_batch(cur, kind="publikasi", file_name=f"data/referensi/{name}", user_name=user_name,
                              rows=len(part))
            cur.register("ref_frame", part.assign(batch_id=batch))
            cur.execute(f"""INSERT INTO reference_figures (batch_id, baris, {', '.join(_COLUMNS)}, nilai_angka)
                            SELECT batch_id, baris, {', '.join(_COLUMNS)}, nilai_angka FROM ref_frame""")
            cur.unregister("ref_frame")
    return len(frame)


def published_coverage(db: Database) -> pd.DataFrame:
    """Published city figures that give both wajib KTP and sudah rekam on one date, with their source:
    tanggal, wajib_ktp, sudah_rekam, penerbit, sumber_url (the denominators differ between reports)."""
    return db.fetch_df("""
        SELECT w.tanggal, w.nilai_angka::BIGINT AS wajib_ktp, r.nilai_angka::BIGINT AS sudah_rekam,
               w.penerbit, w.sumber_url
        FROM active_reference_figures w
        JOIN active_reference_figures r ON r.tanggal = w.tanggal AND r.tingkat = 'kota' AND r.indikator = 'sudah_rekam'
        WHERE w.tingkat = 'kota' AND w.indikator = 'wajib_ektp' AND w.nilai_angka IS NOT NULL
        ORDER BY w.tanggal""")
