"""The figures as data (issue 20): what the HTTP API (ektp_metrics.api) serves and what the command line prints
with --json, built once here from the same ektp_metrics functions the pages use. No Streamlit, no HTTP.

Every builder returns plain JSON values (str, int, float, bool, None, lists, dicts); dates as "YYYY-MM-DD",
moments with their zone in EKTP_TZ ("2026-12-04T23:40:00+07:00"); percentages as the pages show them
("92,26", floored) and, in the API, also as numbers (`persen_rekam_angka`). A table-like answer also comes
as rows (`rows_of`) for `?format=csv`, the same conventions as the pages' download buttons (exports.to_csv).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ektp_metrics import formatting, metrics, settings
from ektp_metrics.db import Database
from ektp_metrics.i18n import describe_change, describe_finding, describe_problem

if TYPE_CHECKING:
    import pandas as pd

    from ektp_metrics import schedule, upload


def json_value(value: object) -> object:
    """A value as JSON: dates ISO, Decimal and numpy numbers as Python numbers, NaN/NaT as None."""
    if value is None:
        return None
    if hasattr(value, "to_pydatetime"):   # pandas Timestamp
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        # a DATE column comes out of pandas as a naive midnight; moments are given their zone before (moment)
        if value.tzinfo is None and value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):   # numpy scalars
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A DataFrame's rows as JSON records (missing values as None). Callers keep frames small (a page)."""
    plain = frame.astype(object).where(frame.notna(), None)
    return [{k: json_value(v) for k, v in row.items()} for row in plain.to_dict("records")]


def moment(value: object) -> str | None:
    """A stored moment (naive UTC) as ISO in EKTP_TZ with its offset; None for none."""
    if value is None:
        return None
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    if not isinstance(value, dt.datetime):
        return None
    return formatting.lokal(value).isoformat()


# ---------------------------------------------------------------- figures of a region

def summary_record(s: metrics.Summary) -> dict[str, Any]:
    """The keys of `summary --json`: a Summary with dates ISO and percentages as the pages show them."""
    out = {key: json_value(value) for key, value in s.as_dict().items()}
    out["persen_rekam"] = formatting.desimal(s.persen_rekam) if s.persen_rekam is not None else None
    out["persen_distribusi"] = (formatting.desimal(s.persen_distribusi) if s.persen_distribusi is not None
                                else None)
    return out


def api_record(s: metrics.Summary) -> dict[str, Any]:
    """summary_record plus the percentages as numbers and the target version in force (the API's rows)."""
    return summary_record(s) | {
        "persen_rekam_angka": None if s.persen_rekam is None else float(s.persen_rekam),
        "persen_distribusi_angka": None if s.persen_distribusi is None else float(s.persen_distribusi),
        "versi_target": json_value(s.target_berlaku_mulai),
    }


def summary_from_record(record: dict[str, Any]) -> metrics.Summary:
    """A Summary back from summary_record/api_record (the command line's --url prints what it got)."""
    def day(key: str) -> dt.date | None:
        value = record.get(key)
        return dt.date.fromisoformat(value) if value else None

    def percent(key: str) -> Decimal | None:
        value = record.get(key)
        return None if value in (None, "") else Decimal(str(value).replace(".", "").replace(",", "."))

    return metrics.Summary(
        kode=str(record["kode"]), nama=str(record["nama"]), tingkat=str(record["tingkat"]),
        as_of=day("as_of") or settings.deadline(), wajib_ktp=int(record["wajib_ktp"]),
        sudah_rekam=int(record["sudah_rekam"]), belum_rekam=int(record["belum_rekam"]),
        persen_rekam=percent("persen_rekam"), sudah_distribusi=int(record["sudah_distribusi"]),
        backlog_distribusi=int(record["backlog_distribusi"]), persen_distribusi=percent("persen_distribusi"),
        kelurahan=int(record["kelurahan"]), kecamatan=int(record["kecamatan"]),
        kelurahan_tanpa_target=int(record["kelurahan_tanpa_target"]),
        target_berlaku_mulai=day("target_berlaku_mulai"), tanggal_laporan=day("tanggal_laporan"),
        kartu_diterima=None if record.get("kartu_diterima") is None else int(record["kartu_diterima"]),
        kelurahan_kartu=int(record.get("kelurahan_kartu") or 0), tanggal_kartu=day("tanggal_kartu"))


def last_upload(db: Database) -> dt.datetime | None:
    """When the data last changed: the newest upload or revert of an active or reverted batch (naive UTC)."""
    row = db.fetch_one("SELECT max(greatest(created_at, coalesce(reverted_at, created_at))) FROM batches "
                       "WHERE kind <> 'publikasi' OR status = 'aktif'")
    return row[0] if row and row[0] is not None else None


def ringkasan(db: Database, as_of: dt.date | None) -> dict[str, Any]:
    """The whole list's figures as of a day (default: the reference day; without data, at the deadline with
    as_of None, as `summary --json` says it)."""
    day = as_of or metrics.reference_day(db)
    summary = metrics.city_summary(db, day or settings.deadline())
    if summary is None:
        raise LookupError("daftar wilayah kosong")
    out = api_record(summary) | ({} if day else {"as_of": None})
    out["hari_acuan"] = json_value(metrics.reference_day(db))
    out["unggahan_terakhir"] = moment(last_upload(db))
    return out


@dataclass(frozen=True)
class Page:
    """A page of regions: its rows and how many there are in all."""

    rows: list[dict[str, Any]]
    total: int


def wilayah(db: Database, level: str, within: tuple[str, str] | None, as_of: dt.date, halaman: int,
            per_halaman: int) -> Page:
    """The regions of `level` (inside `within` = (level, kode)), by kode, one page of them."""
    rows, total = metrics.summaries_page(db, as_of, level, within, per_halaman, (halaman - 1) * per_halaman)
    return Page([api_record(s) for s in rows], total)


def seri(db: Database, level: str, kode: str | None, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    """A region (the whole list when kode is None) day by day: the series the trend chart draws, with each
    day's target version and `versi_baru` where the denominator changed (the chart's jumps)."""
    frame = metrics.region_series(db, start, end, level, kode)
    wajib = frame["wajib_ktp"].astype("int64")
    bertarget = frame["rekam_bertarget"].fillna(0).astype("int64")
    hundredths = (bertarget * 10000).floordiv(wajib.where(wajib > 0))   # NaN without a target
    out = frame[["tanggal", "wajib_ktp", "sudah_rekam", "sudah_distribusi"]].copy()
    out["rekam_bertarget"] = bertarget
    out["persen_rekam_angka"] = hundredths / 100
    out["persen_rekam"] = [None if math.isnan(v) else formatting.desimal(Decimal(int(v)) / 100)
                           for v in hundredths]
    out["versi_target"] = frame["target_berlaku_mulai"]
    out["versi_baru"] = wajib.ne(wajib.shift()) & wajib.gt(0)
    return records(out)


def jadwal(db: Database, start: dt.date | None, end: dt.date | None) -> list[dict[str, Any]]:
    """Safari visits overlapping [start, end] (default: all), with their state on the reference day."""
    from ektp_metrics import schedule

    day = metrics.reference_day(db) or settings.deadline()
    frame = schedule.timeline(db, day)
    if start is not None:
        frame = frame[frame["tanggal_selesai"] >= pd_day(start)]
    if end is not None:
        frame = frame[frame["tanggal_mulai"] <= pd_day(end)]
    for column in ("jam_mulai", "jam_selesai"):
        frame[column] = frame[column].map(lambda v: None if v is None or isinstance(v, float) else str(v)[:5])
    return records(frame)


def pd_day(day: dt.date) -> object:
    import pandas as pd

    return pd.Timestamp(day)


def publikasi(db: Database) -> list[dict[str, Any]]:
    """The published figures with the database's value and the check's result (Kualitas' headline check)."""
    from ektp_metrics import quality

    return [{k: json_value(v) for k, v in c.__dict__.items()} for c in quality.headline_check(db)]


# ---------------------------------------------------------------- what the command line prints with --json

def cek(db: Database, as_of: dt.date, stale_after: int) -> dict[str, Any]:
    """`cek --json`: the published figures checked, every rule's findings and the target versions."""
    from ektp_metrics import quality

    return {"as_of": as_of.isoformat(), "angka_publikasi": publikasi(db),
            "aturan": {rule: records(frame) for rule, frame in quality.findings(db, as_of, stale_after).items()},
            "versi_target": records(quality.target_versions(db))}


def batches(db: Database) -> list[dict[str, Any]]:
    """`batches --json`: every batch, newest first, moments in EKTP_TZ with their offset."""
    from ektp_metrics import history

    frame = history.batches(db)
    for column in ("created_at", "reverted_at"):
        frame[column] = formatting.lokal_kolom(frame[column])
    return records(frame)


def rencana(db: Database, as_of: dt.date, plan: schedule.PlanInput) -> dict[str, Any]:
    """`jadwal --json`: the schedule with each visit's state on as_of, and the planner's proposal."""
    from ektp_metrics import schedule

    timeline = schedule.timeline(db, as_of)
    proposal = schedule.plan_for(db, as_of, plan)
    o = proposal.outcome
    visits = [{"kelurahan": r.kelurahan, "kecamatan": r.kecamatan, "tanggal_mulai": json_value(r.tanggal_mulai),
               "tanggal_selesai": json_value(r.tanggal_selesai), "alat": int(r.alat), "status": r.status}
              for r in timeline.itertuples(index=False)]
    blocks = [{"blok": int(r.blok), "kelurahan": r.kelurahan, "kode": r.kode, "belum_rekam": int(r.belum_rekam),
               "tanggal_mulai": r.tanggal_mulai.isoformat(), "tanggal_selesai": r.tanggal_selesai.isoformat(),
               "alat": int(r.alat)} for r in proposal.blocks.itertuples(index=False)]
    return {"as_of": as_of.isoformat(), "jadwal": visits, "rencana": {
        "mulai": plan.start.isoformat(), "alat": plan.devices, "per_blok": plan.per_block, "hari": plan.block_days,
        "kapasitas": plan.capacity, "urutan": plan.rule, "blok": blocks,
        "safari_selesai": json_value(o.safari_selesai), "tuntas": json_value(o.tuntas),
        "persen_batas": o.persen_batas, "rekam_safari": o.rekam_safari}}


def ingest(result: upload.IngestResult) -> dict[str, Any]:
    """`import --json` (and the API's answer to an upload): the file, its problems with their row, column
    and message in both languages, the change in figures and the batch it became."""
    return {
        "file": result.file_name, "sha256": result.sha256, "kind": result.kind, "rows": result.rows,
        "accepted": result.accepted, "committed": result.committed, "batch_id": result.batch_id,
        "dry_run": result.dry_run, "superseded": result.superseded, "ignored_columns": result.ignored_columns,
        "problems": [{"baris": p.baris, "kolom": p.kolom, "code": p.code, "implausible": p.implausible,
                      "message": describe_problem(p), "message_en": describe_problem(p, "en")}
                     for p in result.problems],
        "findings": [{k: json_value(v) for k, v in f.__dict__.items()}
                     | {"message": describe_finding(f), "message_en": describe_finding(f, "en")}
                     for f in result.findings],
        "change": None if result.change is None else {
            k: json_value(v) for k, v in result.change.__dict__.items()},
        "change_text": None if result.change is None else describe_change(result.change),
        "change_text_en": None if result.change is None else describe_change(result.change, "en"),
    }
