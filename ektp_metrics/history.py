"""The history of uploads: every batch, the rows a batch brought, and reverting one.

A batch is an upload (ektp_metrics.upload), a schedule edit, or a published figure (ektp_metrics.quality);
reverting keeps it in history and excludes it from every figure, restoring the rows it had superseded.
"""

from __future__ import annotations

import pandas as pd

from ektp_metrics import fields
from ektp_metrics.auth import User, may_revert
from ektp_metrics.db import Database, audit


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


def revert(db: Database, batch_id: int, *, user: str, reason: str, role: str) -> None:
    """Exclude a batch from every figure, keeping it in history; restore rows it had superseded.

    role: the reverting user's role (auth.may_revert: admins revert any batch, operators only their own;
    the command line, which only the server's administrator can run, says "admin"). A role that may not
    revert the batch gets RevertRefused('not_allowed') and nothing is written.
    """
    if not reason or not reason.strip():
        raise RevertRefused("reason_required")
    try:
        reason = fields.text("revert_reason", reason)
    except fields.TooLong as exc:
        raise RevertRefused("reason_too_long", batas=exc.limit, n=exc.length) from None
    with db.transaction() as cur:
        row = cur.execute("SELECT status, user_name FROM batches WHERE id = ?", [batch_id]).fetchone()
        if row is None:
            raise RevertRefused("unknown_batch", batch=batch_id)
        if not may_revert(User(user, user, role), row[1]):
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
                SELECT max(d.batch_id) FROM jadwal_dari d JOIN active_batches b ON b.id = d.batch_id
                WHERE d.batch_id > ? AND d.mulai <= jadwal_keliling.tanggal_mulai)
            WHERE superseded_by = ? AND EXISTS (
                SELECT 1 FROM jadwal_dari d JOIN active_batches b ON b.id = d.batch_id
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
    return 0 if table is None else int(db.fetch_value(f"SELECT count(*) FROM {table} WHERE batch_id = ?", [batch_id]))


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
