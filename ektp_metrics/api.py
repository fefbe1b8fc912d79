"""The HTTP API (issue 20): /api/v1/…, served beside the pages by serve.py (st.App routes, ektp_metrics.web).

Every answer is built by ektp_metrics.opendata from the same functions the pages use, on the process's one
Database (db.shared): a page and the API cannot disagree. No Streamlit here.

Reading (no login; the same data a visitor sees; with EKTP_EXEC_LOGIN=1 a token is needed, as the pages
need a login): ringkasan, wilayah, seri, jadwal, rencana, publikasi; for staff with a token: batch (Riwayat),
cek (Kualitas). Each also as CSV with ?format=csv. The public reads carry ETag and Last-Modified from the
data's version (its batches, uploads and reverts, the region list and the reference day): a client polling
with If-None-Match gets 304 until the data change; the answers are kept per version and computed once (requests
for an answer being computed wait for it), so 50 clients polling the same URL cost one computation per upload.

Writing (a token, Authorization: Bearer ektp_…; it acts with its user's role, auth.PERMISSIONS): unggah (the
upload path of the Unggah page and the command line: ektp_metrics.upload.ingest), batch/{id}/batal (revert),
cadangan (a backup into the server's backup folder).

Bad parameters get 400 with a JSON body naming the parameter and what is allowed, in Bahasa Indonesia and
English; an unknown region 404; never a traceback. A client without a token may send EKTP_API_BURST requests at
once and EKTP_API_RATE a minute (429 after), so one script cannot starve the lobby screens; the API's work
runs on at most WORKERS threads of its own, beside the lobby's.

The machine-readable description (OpenAPI 3.1) is built from the same table of endpoints that checks the
parameters: GET /api/v1/openapi.json.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import json
import logging
import math
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import anyio
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ektp_metrics import auth, db, metrics, opendata, sessions, settings, tokens
from ektp_metrics.db import Database, DatabaseUnavailable, WriteRefused

_LOG = logging.getLogger("ektp.api")

PREFIX = "/api/v1"
WORKERS = 4                 # threads that compute API answers at once (the lobby and the pages have their own)
CACHE_ENTRIES = 512         # public answers kept per data version (an LRU)
MAX_PAGE = 1000             # regions per page of /wilayah
MAX_SERIES_DAYS = 3660      # days in one /seri answer (ten years)
CACHE_CONTROL = "public, max-age=15"   # short: a poller asks again soon, and gets 304 until the data change


# ---------------------------------------------------------------- errors

class ApiError(Exception):
    """An answer other than 2xx: a JSON body {"galat": {"kode", "pesan", "message", "parameter"?, "diizinkan"?}}."""

    def __init__(self, status: int, code: str, pesan: str, message: str, *, parameter: str | None = None,
                 allowed: str | None = None, extra: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.headers = status, headers or {}
        self.body: dict[str, Any] = {"kode": code, "pesan": pesan, "message": message}
        if parameter is not None:
            self.body["parameter"] = parameter
        if allowed is not None:
            self.body["diizinkan"] = allowed
        if extra:
            self.body |= extra


def _bad(param: Param, pesan: str, message: str) -> ApiError:
    return ApiError(400, "parameter_tidak_valid", f"Parameter {param.name}: {pesan}",
                    f"Parameter {param.name}: {message}", parameter=param.name, allowed=param.allowed())


# ---------------------------------------------------------------- parameters (checked and documented once)

@dataclass(frozen=True)
class Param:
    """A query parameter: how it is read, what is allowed, and its description (Bahasa / English)."""

    name: str
    kind: str                    # date | int | choice | code | flag | text
    doc: str
    doc_en: str
    choices: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    default: Any = None
    required: bool = False

    def allowed(self) -> str:
        if self.kind == "date":
            return "YYYY-MM-DD"
        if self.kind == "int":
            return f"{self.minimum}–{self.maximum}"
        if self.kind == "choice":
            return " | ".join(self.choices)
        if self.kind == "flag":
            return "1 | 0 | true | false"
        if self.kind == "code":
            return "kode wilayah / region code [0-9A-Za-z.]"
        return "teks / text"

    def parse(self, raw: str) -> Any:
        if self.kind == "date":
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
                raise _bad(self, f"{raw[:40]!r} bukan tanggal YYYY-MM-DD", f"{raw[:40]!r} is not a date YYYY-MM-DD")
            try:
                return dt.date.fromisoformat(raw)
            except ValueError:
                raise _bad(self, f"{raw!r} bukan tanggal yang ada", f"{raw!r} is no such date") from None
        if self.kind == "int":
            if not re.fullmatch(r"[0-9]{1,9}", raw):
                raise _bad(self, f"{raw[:40]!r} bukan bilangan bulat", f"{raw[:40]!r} is not a whole number")
            value = int(raw)
            if (self.minimum is not None and value < self.minimum) or (self.maximum is not None and value > self.maximum):
                raise _bad(self, f"{value} di luar {self.allowed()}", f"{value} is outside {self.allowed()}")
            return value
        if self.kind == "choice":
            if raw not in self.choices:
                raise _bad(self, f"{raw[:40]!r} tidak dikenal", f"{raw[:40]!r} is not known")
            return raw
        if self.kind == "flag":
            if raw.lower() not in ("1", "0", "true", "false", "ya", "tidak", ""):
                raise _bad(self, f"{raw[:40]!r} bukan 1 atau 0", f"{raw[:40]!r} is not 1 or 0")
            return raw.lower() in ("1", "true", "ya", "")
        if self.kind == "code":
            if not re.fullmatch(r"[0-9A-Za-z.]{1,32}", raw):
                raise _bad(self, f"{raw[:40]!r} bukan kode wilayah", f"{raw[:40]!r} is not a region code")
            return raw
        if len(raw) > 500:
            raise _bad(self, "terlalu panjang (paling banyak 500 karakter)", "too long (at most 500 characters)")
        return raw

    def schema(self) -> dict[str, Any]:
        kinds: dict[str, dict[str, Any]] = {
            "date": {"type": "string", "format": "date"},
            "int": {"type": "integer", "minimum": self.minimum, "maximum": self.maximum},
            "choice": {"type": "string", "enum": list(self.choices)},
            "flag": {"type": "string", "enum": ["1", "0", "true", "false"]},
            "code": {"type": "string", "pattern": "^[0-9A-Za-z.]{1,32}$"},
            "text": {"type": "string", "maxLength": 500},
        }
        out = dict(kinds[self.kind])
        if self.default is not None:
            out["default"] = self.default
        return out


TANGGAL = Param("tanggal", "date", "Tanggal data (YYYY-MM-DD); bawaan: hari acuan (tanggal data terakhir).",
                "As of this date (YYYY-MM-DD); default: the reference day (the latest data date).")
FORMAT = Param("format", "choice", "json (bawaan) atau csv (titik koma, koma desimal, UTF-8 dengan BOM, "
               "seperti tombol unduh).", "json (default) or csv (semicolons, decimal comma, UTF-8 with BOM, like "
               "the download buttons).", choices=("json", "csv"), default="json")
DARI = Param("dari", "date", "Tanggal pertama (YYYY-MM-DD).", "First date (YYYY-MM-DD).")
SAMPAI = Param("sampai", "date", "Tanggal terakhir (YYYY-MM-DD).", "Last date (YYYY-MM-DD).")


# ---------------------------------------------------------------- the data's version: ETag, Last-Modified

_STAMP_SQL = """
SELECT (SELECT max(id) FROM batches), (SELECT count(*) FROM batches), (SELECT count(reverted_at) FROM batches),
       (SELECT max(greatest(created_at, coalesce(reverted_at, created_at))) FROM batches),
       (SELECT count(*) FROM regions), (SELECT value FROM app_settings WHERE key = 'nama_wilayah')
"""


@dataclass(frozen=True)
class Version:
    stamp: str                          # changes with every upload, revert, region list, reference day, deadline
    last_modified: dt.datetime | None   # the newest upload or revert (UTC)


class Answers:
    """The public answers, kept per (Database, Database.version, settings that change them)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._versions: dict[tuple[int, int], Version] = {}
        self._answers: OrderedDict[str, tuple[bytes, str]] = OrderedDict()

    def version(self, database: Database) -> Version:
        key = (id(database), database.version)
        with self._lock:
            found = self._versions.get(key)
        if found is not None:
            return found
        row = database.fetch_row(_STAMP_SQL)
        last = row[3]
        stamp = "|".join(str(v) for v in row) + f"|{settings.get('EKTP_TODAY')}|{settings.get('EKTP_DEADLINE')}"
        made = Version(hashlib.sha256(stamp.encode()).hexdigest()[:24],
                       last.replace(tzinfo=dt.UTC) if isinstance(last, dt.datetime) else None)
        with self._lock:
            self._versions = {key: made}       # only the current version is worth keeping
        return made

    def get(self, etag: str) -> tuple[bytes, str] | None:
        with self._lock:
            found = self._answers.get(etag)
            if found is not None:
                self._answers.move_to_end(etag)
            return found

    def put(self, etag: str, body: bytes, media: str) -> None:
        with self._lock:
            self._answers[etag] = (body, media)
            self._answers.move_to_end(etag)
            while len(self._answers) > CACHE_ENTRIES:
                self._answers.popitem(last=False)


# ---------------------------------------------------------------- rate limit (clients without a token)

class RateLimit:
    """A token bucket per client address: EKTP_API_BURST at once, EKTP_API_RATE a minute; bounded memory."""

    MAX_CLIENTS = 10_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take(self, client: str, now: float | None = None) -> float:
        """0 when the request may go on, else the seconds until it may."""
        try:
            rate = settings.number("EKTP_API_RATE") / 60.0
            burst = settings.number("EKTP_API_BURST")
        except settings.InvalidSetting:
            rate, burst = 2.0, 30.0
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens_left, at = self._buckets.pop(client, (burst, now))
            tokens_left = min(burst, tokens_left + (now - at) * rate)
            wait = 0.0 if tokens_left >= 1 else (1 - tokens_left) / rate
            if wait == 0.0:
                tokens_left -= 1
            self._buckets[client] = (tokens_left, now)
            while len(self._buckets) > self.MAX_CLIENTS:
                self._buckets.popitem(last=False)
            return wait


# ---------------------------------------------------------------- endpoints

@dataclass
class Call:
    """What a handler gets: the database, the checked parameters, the user of the token (None: anonymous)."""

    database: Database
    params: dict[str, Any]
    user: auth.User | None
    request_body: bytes = b""
    file_name: str = ""
    path_params: dict[str, str] = field(default_factory=dict)


@dataclass
class Answer:
    body: Any                                   # JSON
    rows: list[dict[str, Any]] | None = None    # the table for ?format=csv (None: no CSV form)
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Endpoint:
    path: str
    method: str
    handler: Callable[[Call], Answer]
    summary: str
    summary_en: str
    params: tuple[Param, ...] = ()
    action: auth.Action | None = None      # None: public (the dashboards' rule: EKTP_EXEC_LOGIN)
    csv: bool = True
    body: str | None = None                 # what the request body carries (writes)


def _reference(database: Database) -> dt.date:
    return metrics.reference_day(database) or settings.deadline()


def _region(database: Database, kode: str, param: str) -> tuple[str, str]:
    found = metrics.region_of(database, kode)
    if found is None:
        raise ApiError(404, "wilayah_tidak_ada", f"Wilayah dengan kode {kode} tidak ada dalam daftar.",
                       f"There is no region with code {kode} in the list.", parameter=param)
    return found


def get_ringkasan(call: Call) -> Answer:
    body = opendata.ringkasan(call.database, call.params.get("tanggal"))
    return Answer(body, [body])


def get_wilayah(call: Call) -> Answer:
    database, p = call.database, call.params
    whole = metrics.scope(database)
    level = p.get("tingkat") or (whole.levels[0] if whole.levels else "kelurahan")
    within = None
    induk = None
    if p.get("induk"):
        parent_level, parent_name = _region(database, p["induk"], "induk")
        if metrics.LEVELS.index(parent_level) >= metrics.LEVELS.index(level):
            raise ApiError(400, "parameter_tidak_valid",
                           f"Parameter induk: {p['induk']} adalah {parent_level}; tingkat {level} tidak berada di bawahnya.",
                           f"Parameter induk: {p['induk']} is a {parent_level}; level {level} is not below it.",
                           parameter="induk", allowed="kode wilayah di atas tingkat / a region code above tingkat")
        within = (parent_level, p["induk"])
        induk = {"kode": p["induk"], "nama": parent_name, "tingkat": parent_level}
    as_of = p.get("tanggal") or _reference(database)
    page = opendata.wilayah(database, level, within, as_of, p["halaman"], p["per_halaman"])
    return Answer({"as_of": as_of.isoformat(), "tingkat": level, "induk": induk, "halaman": p["halaman"],
                   "per_halaman": p["per_halaman"], "jumlah": page.total,
                   "halaman_terakhir": max(1, math.ceil(page.total / p["per_halaman"])), "data": page.rows}, page.rows)


def get_seri(call: Call) -> Answer:
    database, p = call.database, call.params
    if p.get("kode"):
        level, name = _region(database, p["kode"], "kode")
        kode: str | None = p["kode"]
    else:
        whole = metrics.scope(database)
        level, name, kode = whole.level, whole.nama, None
    end = p.get("sampai") or _reference(database)
    start = p.get("dari") or metrics.first_data_date(database) or end
    if start > end:
        raise ApiError(400, "parameter_tidak_valid", "Parameter dari: sesudah sampai.", "Parameter dari: after sampai.",
                       parameter="dari", allowed="dari ≤ sampai")
    if (end - start).days >= MAX_SERIES_DAYS:
        raise ApiError(400, "parameter_tidak_valid", f"Parameter dari/sampai: paling banyak {MAX_SERIES_DAYS} hari.",
                       f"Parameters dari/sampai: at most {MAX_SERIES_DAYS} days.", parameter="dari",
                       allowed=f"sampai − dari < {MAX_SERIES_DAYS} hari / days")
    rows = opendata.seri(database, level, kode, start, end)
    return Answer({"kode": kode or whole_code(database), "nama": name, "tingkat": level, "dari": start.isoformat(),
                   "sampai": end.isoformat(), "data": rows}, rows)


def whole_code(database: Database) -> str:
    return metrics.scope(database).kode


def get_jadwal(call: Call) -> Answer:
    p = call.params
    if p.get("dari") and p.get("sampai") and p["dari"] > p["sampai"]:
        raise ApiError(400, "parameter_tidak_valid", "Parameter dari: sesudah sampai.", "Parameter dari: after sampai.",
                       parameter="dari", allowed="dari ≤ sampai")
    rows = opendata.jadwal(call.database, p.get("dari"), p.get("sampai"))
    return Answer({"hari_acuan": _reference(call.database).isoformat(), "data": rows}, rows)


def get_rencana(call: Call) -> Answer:
    from ektp_metrics import schedule

    database, p = call.database, call.params
    as_of = p.get("tanggal") or metrics.reference_day(database)
    if as_of is None:
        return Answer({"as_of": None, "jadwal": [], "rencana": None}, [])
    plan = schedule.PlanInput(start=schedule.default_start(schedule.timeline(database, as_of), as_of),
                              devices=p["alat"], per_block=p["per_blok"], block_days=p["hari"],
                              capacity=p["kapasitas"], rule=p["urutan"])
    try:
        plan.check()
    except ValueError as exc:
        raise ApiError(400, "parameter_tidak_valid", str(exc), str(exc)) from None
    body = opendata.rencana(database, as_of, plan)
    return Answer(body, body["rencana"]["blok"])


def get_publikasi(call: Call) -> Answer:
    rows = opendata.publikasi(call.database)
    return Answer({"data": rows}, rows)


def get_cek(call: Call) -> Answer:
    as_of = call.params.get("tanggal") or metrics.reference_day(call.database)
    if as_of is None:
        return Answer({"as_of": None, "angka_publikasi": [], "aturan": {}, "versi_target": []}, [])
    body = opendata.cek(call.database, as_of, call.params["hari"])
    rows = [{"aturan": rule} | row for rule, found in body["aturan"].items() for row in found]
    return Answer(body, rows)


def get_batch(call: Call) -> Answer:
    rows = opendata.batches(call.database)
    return Answer({"data": rows}, rows)


def post_unggah(call: Call) -> Answer:
    from ektp_metrics import upload

    assert call.user is not None
    p = call.params
    result = upload.ingest(call.database, call.request_body, call.file_name, user=call.user.username,
                           role=call.user.role, dry_run=p["dry_run"], replace=p["replace"], force=p["force"],
                           sheet=p.get("lembar"))
    body = opendata.ingest(result)
    if not result.accepted:
        return Answer(body, status=422)
    if result.committed:
        body["sesudah"] = opendata.ringkasan(call.database, None)
        return Answer(body, status=201, headers={"Location": f"{PREFIX}/batch/{result.batch_id}"})
    return Answer(body)


_REVERT_STATUS = {"reason_required": 400, "reason_too_long": 400, "unknown_batch": 404, "not_allowed": 403,
                  "already_reverted": 409}


def post_batal(call: Call) -> Answer:
    from ektp_metrics import history
    from ektp_metrics.i18n import t

    assert call.user is not None
    raw = call.path_params.get("batch", "")
    if not re.fullmatch(r"[0-9]{1,12}", raw):
        raise ApiError(400, "parameter_tidak_valid", f"Nomor batch {raw[:40]!r} bukan bilangan bulat.",
                       f"Batch number {raw[:40]!r} is not a whole number.", parameter="batch", allowed="1, 2, …")
    batch = int(raw)
    reason = call.params.get("alasan") or _reason_from_body(call.request_body)
    try:
        history.revert(call.database, batch, user=call.user.username, reason=reason, role=call.user.role)
    except history.RevertRefused as exc:
        status = _REVERT_STATUS.get(exc.code, 400)
        raise ApiError(status, f"batal_{exc.code}", t(f"revert_{exc.code}", "id", **exc.params),
                       t(f"revert_{exc.code}", "en", **exc.params),
                       parameter="alasan" if exc.code.startswith("reason") else None) from None
    return Answer({"batch_id": batch, "status": "dibatalkan", "sesudah": opendata.ringkasan(call.database, None)})


def _reason_from_body(body: bytes) -> str:
    """The reason from a JSON body {"alasan": "…"} (or a plain-text body)."""
    if not body:
        return ""
    text = body[:4096].decode("utf-8", errors="replace")
    try:
        parsed = json.loads(text)
    except ValueError:
        return text
    return str(parsed.get("alasan", "")) if isinstance(parsed, dict) else ""


def post_cadangan(call: Call) -> Answer:
    from dataclasses import asdict

    from ektp_metrics import backup

    assert call.user is not None
    try:
        made = backup.take(call.database, None, by="api:" + call.user.username)
    except backup.BackupFailed as exc:
        raise ApiError(503, "cadangan_gagal", f"Cadangan gagal: {exc}", f"Backup failed: {exc}") from None
    return Answer(asdict(made) | {"path": str(made.path), "taken_at": made.taken_at.isoformat()}, status=201)


_HALAMAN = Param("halaman", "int", "Nomor halaman, mulai 1.", "Page number, from 1.", minimum=1, maximum=10_000_000,
                 default=1)
_PER_HALAMAN = Param("per_halaman", "int", f"Wilayah per halaman (1–{MAX_PAGE}).", f"Regions per page (1–{MAX_PAGE}).",
                     minimum=1, maximum=MAX_PAGE, default=100)
_FLAG = {"dry_run": ("Periksa saja; tidak ada yang ditulis.", "Check only; nothing is written."),
         "replace": ("Unggahan koreksi: menggantikan baris yang sama (tanggal, kelurahan, lokasi).",
                     "A correction: replaces rows with the same date, kelurahan and lokasi."),
         "force": ("Konfirmasi nilai yang tidak wajar (seperti kotak konfirmasi di halaman Unggah).",
                   "Confirms implausible values (like the confirmation box on the Unggah page).")}

ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint("/ringkasan", "GET", get_ringkasan, "Angka seluruh daftar wilayah per tanggal (seperti `summary --json`).",
             "The whole list's figures as of a date (like `summary --json`).", (TANGGAL, FORMAT)),
    Endpoint("/wilayah", "GET", get_wilayah, "Angka per wilayah satu tingkat, per halaman.",
             "The figures per region of one level, paged.",
             (Param("tingkat", "choice", "Tingkat wilayah; bawaan: tingkat pertama di bawah keseluruhan daftar.",
                    "Region level; default: the first level below the whole list.", choices=metrics.LEVELS),
              Param("induk", "code", "Hanya wilayah di dalam wilayah berkode ini.", "Only regions inside this region."),
              TANGGAL, _HALAMAN, _PER_HALAMAN, FORMAT)),
    Endpoint("/seri", "GET", get_seri, "Cakupan hari demi hari untuk satu wilayah (garis tren; versi target ditandai).",
             "Coverage day by day for one region (the trend line; target versions marked).",
             (Param("kode", "code", "Kode wilayah; bawaan: keseluruhan daftar.", "Region code; default: the whole list."),
              Param("dari", "date", "Tanggal pertama; bawaan: tanggal data pertama.", "First date; default: the first data date."),
              Param("sampai", "date", "Tanggal terakhir; bawaan: hari acuan.", "Last date; default: the reference day."),
              FORMAT)),
    Endpoint("/jadwal", "GET", get_jadwal, "Jadwal perekaman keliling (di mana merekam pada suatu hari).",
             "The mobile recording schedule (where to record on a day).",
             (Param("dari", "date", "Kunjungan yang berakhir pada/sesudah tanggal ini.", "Visits ending on or after this date."),
              Param("sampai", "date", "Kunjungan yang mulai pada/sebelum tanggal ini.", "Visits starting on or before this date."),
              FORMAT)),
    Endpoint("/rencana", "GET", get_rencana, "Jadwal dan usulan perencana safari (seperti `jadwal --json`).",
             "The schedule and the safari planner's proposal (like `jadwal --json`).",
             (TANGGAL,
              Param("alat", "int", "Alat rekam.", "Recording devices.", minimum=1, maximum=1000,
                    default=settings.DEFAULT_DEVICES),
              Param("per_blok", "int", "Kelurahan per blok.", "Kelurahan per block.", minimum=1, maximum=1000,
                    default=settings.DEFAULT_PER_BLOCK),
              Param("hari", "int", "Hari per blok.", "Days per block.", minimum=1, maximum=365,
                    default=settings.DEFAULT_BLOCK_DAYS),
              Param("kapasitas", "int", "Perekaman per alat per hari.", "Recordings per device per day.", minimum=1,
                    maximum=10_000, default=settings.DEFAULT_CAPACITY),
              Param("urutan", "choice", "Aturan urutan rencana.", "The plan's ordering rule.", choices=settings.RULES,
                    default="belum_rekam"),
              FORMAT)),
    Endpoint("/publikasi", "GET", get_publikasi, "Angka publikasi, nilai database dan hasil pemeriksaannya.",
             "The published figures, the database's value and the check's result.", (FORMAT,)),
    Endpoint("/cek", "GET", get_cek, "Kualitas data (seperti `cek --json`); token dengan hak melihat kualitas.",
             "Data quality (like `cek --json`); a token allowed to view quality.",
             (TANGGAL, Param("hari", "int", "Kelurahan tanpa laporan lebih dari sekian hari.",
                             "Kelurahan without a report for more than this many days.", minimum=1, maximum=3660,
                             default=7), FORMAT), action="view_quality"),
    Endpoint("/batch", "GET", get_batch, "Daftar batch unggahan (Riwayat); token dengan hak melihat riwayat.",
             "The upload batches (Riwayat); a token allowed to view history.", (FORMAT,), action="view_history"),
    Endpoint("/unggah", "POST", post_unggah, "Unggah laporan harian, rekap kumulatif atau jadwal (CSV/.xlsx) lewat "
             "jalur yang sama dengan halaman Unggah.", "Upload daily counts, a cumulative recap or a schedule (CSV/.xlsx) "
             "through the same path as the Unggah page.",
             (Param("nama", "text", "Nama berkas (menentukan CSV atau .xlsx) bila badan permintaan berkas mentah.",
                    "File name (CSV or .xlsx) when the request body is the raw file."),
              Param("lembar", "text", "Lembar .xlsx (bawaan: lembar pertama).", "The .xlsx sheet (default: the first)."),
              *(Param(name, "flag", doc, doc_en, default="0") for name, (doc, doc_en) in _FLAG.items())),
             action="upload", csv=False, body="file"),
    Endpoint("/batch/{batch}/batal", "POST", post_batal, "Batalkan satu batch (tetap di riwayat, tidak lagi dihitung).",
             "Revert one batch (kept in history, no longer counted).",
             (Param("alasan", "text", "Alasan pembatalan (wajib; atau badan JSON {\"alasan\": …}).",
                    "Why (required; or a JSON body {\"alasan\": …})."),),
             action="revert_own", csv=False, body="reason"),
    Endpoint("/cadangan", "POST", post_cadangan, "Buat cadangan sekarang ke folder cadangan server.",
             "Take a backup now into the server's backup folder.", (), action="backup", csv=False),
)


# ---------------------------------------------------------------- the HTTP side

class Api:
    """The API's handlers (one per process: serve.py builds the routes once)."""

    def __init__(self) -> None:
        self.answers = Answers()
        self.limits = RateLimit()
        self._limiter: anyio.CapacityLimiter | None = None
        self._pending: dict[str, anyio.Event] = {}    # answers being computed (the event loop's own: no lock)

    def routes(self) -> list[BaseRoute]:
        out: list[BaseRoute] = [Route(PREFIX + "/openapi.json", self.openapi, methods=["GET"])]
        for endpoint in ENDPOINTS:
            out.append(Route(PREFIX + endpoint.path, self._handler(endpoint), methods=[endpoint.method]))
        out.append(Route(PREFIX + "/{rest:path}", self.not_found, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]))
        return out

    # ---- the pieces of every request

    def _handler(self, endpoint: Endpoint) -> Callable[[Request], Any]:
        async def handle(request: Request) -> Response:
            try:
                return await self._handle(endpoint, request)
            except ApiError as exc:
                return _error(exc)
            except Exception:   # noqa: BLE001 - logged with its trace; the client gets a calm 500, no trace
                _LOG.exception("api: %s %s gagal", request.method, request.url.path)
                return _error(ApiError(500, "galat_server", "Kesalahan tak terduga di server; sudah dicatat di log.",
                                       "Unexpected error on the server; it is in the log."))
        return handle

    async def _handle(self, endpoint: Endpoint, request: Request) -> Response:
        params = _params(endpoint, request)
        presented = _bearer(request)
        path = settings.db_path()
        try:
            database = db.shared(path)
        except DatabaseUnavailable as exc:
            raise _unavailable(exc.message()) from None
        if database.damaged:
            raise _unavailable(database.damaged)
        user = None
        if presented is not None:
            user = await self._run(self._user, database, presented)
        else:
            wait = self._wait_for(request)
            if wait:
                raise ApiError(429, "terlalu_banyak", "Terlalu banyak permintaan dari alamat ini; coba lagi sebentar lagi.",
                               "Too many requests from this address; try again shortly.",
                               headers={"Retry-After": str(max(1, math.ceil(wait)))})
        self._authorise(endpoint, user)
        call = Call(database, params, user, path_params=dict(request.path_params))
        if endpoint.body == "file":
            call.request_body, call.file_name = await _upload_body(request, params)
        elif endpoint.body == "reason":
            call.request_body = (await request.body())[:4096]
        if endpoint.method == "GET" and endpoint.action is None and user is None:
            return await self._public(endpoint, request, call)
        answer = await self._run(_guarded(endpoint.handler), call)
        return self._respond(endpoint, answer, params, no_store=True)

    def _wait_for(self, request: Request) -> float:
        """0 when a request without a token may go on now, else the seconds its client must wait."""
        client = sessions.client_address(request.client.host if request.client else None,
                                         request.headers.get("x-forwarded-for")) or "?"
        return self.limits.take(client)

    @staticmethod
    def _user(database: Database, presented: str) -> auth.User:
        checked = tokens.check(database, presented)
        if checked.user is None:
            why = {"kedaluwarsa": ("Token sudah kedaluwarsa.", "The token has expired."),
                   "dicabut": ("Token sudah dicabut.", "The token was revoked."),
                   "nonaktif": ("Akun pemilik token nonaktif.", "The token's account is disabled.")}.get(
                checked.refused or "", ("Token tidak dikenal.", "Unknown token."))
            raise ApiError(401, "token_tidak_sah", why[0], why[1], headers={"WWW-Authenticate": 'Bearer realm="ektp"'})
        return checked.user

    @staticmethod
    def _authorise(endpoint: Endpoint, user: auth.User | None) -> None:
        role = user.role if user is not None else None
        if endpoint.action is None:
            if user is None and settings.get("EKTP_EXEC_LOGIN") == "1":
                raise ApiError(401, "perlu_token", "Dasbor memerlukan login (EKTP_EXEC_LOGIN=1): kirim token API.",
                               "The dashboards need a login (EKTP_EXEC_LOGIN=1): send an API token.",
                               headers={"WWW-Authenticate": 'Bearer realm="ektp"'})
            if user is not None and not auth.can(role, "view_dashboards"):
                raise _forbidden(role, "view_dashboards")
            return
        if user is None:
            raise ApiError(401, "perlu_token", "Perlu token API: Authorization: Bearer ektp_… (dibuat admin di Pengguna).",
                           "An API token is needed: Authorization: Bearer ektp_… (an admin makes one on Pengguna).",
                           headers={"WWW-Authenticate": 'Bearer realm="ektp"'})
        action = endpoint.action
        allowed = auth.can(role, action) or (action == "revert_own" and auth.can(role, "revert_any"))
        if not allowed:
            raise _forbidden(role, action)

    async def _run(self, fn: Callable[..., Any], *args: Any) -> Any:
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(WORKERS)
        return await anyio.to_thread.run_sync(fn, *args, limiter=self._limiter)

    async def _public(self, endpoint: Endpoint, request: Request, call: Call) -> Response:
        """A public read: 304 when the client has this version, else the kept answer, else computed once."""
        version = await self._run(self.answers.version, call.database)
        canonical = "&".join(f"{k}={v}" for k, v in sorted(call.params.items()) if v is not None)
        etag = '"' + hashlib.sha256(f"{version.stamp}|{id(call.database)}|{endpoint.path}|{canonical}".encode()
                                    ).hexdigest()[:32] + '"'
        headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL, "Vary": "Authorization"}
        if version.last_modified is not None:
            headers["Last-Modified"] = email.utils.format_datetime(version.last_modified, usegmt=True)
        if _not_modified(request, etag, version.last_modified):
            return Response(status_code=304, headers=headers)
        kept = self.answers.get(etag)
        if kept is None:
            # One computation per answer: requests for it that come meanwhile wait for it (after an upload,
            # fifty pollers ask for the same new answer at once).
            pending = self._pending.get(etag)
            if pending is not None:
                await pending.wait()
                kept = self.answers.get(etag)
        if kept is None:
            done = self._pending[etag] = anyio.Event()
            try:
                answer = await self._run(_guarded(endpoint.handler), call)
                response = self._respond(endpoint, answer, call.params)
                if answer.status != 200:
                    return response
                kept = (bytes(response.body), response.media_type or "application/json")
                self.answers.put(etag, *kept)
            finally:
                self._pending.pop(etag, None)
                done.set()
        return Response(kept[0], media_type=kept[1], headers=headers | _SAFE)

    @staticmethod
    def _respond(endpoint: Endpoint, answer: Answer, params: dict[str, Any], *, no_store: bool = False) -> Response:
        headers = dict(_SAFE) | answer.headers
        if no_store:
            headers["Cache-Control"] = "no-store"
        if params.get("format") == "csv" and answer.rows is not None:
            return Response(_csv(answer.rows), status_code=answer.status, media_type="text/csv; charset=utf-8",
                            headers=headers | {"Content-Disposition":
                                               f'inline; filename="ektp_{endpoint.path.strip("/").replace("/", "_")}.csv"'})
        return Response(json.dumps(answer.body, ensure_ascii=False).encode(), status_code=answer.status,
                        media_type="application/json", headers=headers)

    async def not_found(self, request: Request) -> Response:
        known = ", ".join(sorted({PREFIX + e.path for e in ENDPOINTS} | {PREFIX + "/openapi.json"}))
        return _error(ApiError(404, "tidak_ada", f"Tidak ada {request.method} {request.url.path}. Yang ada: {known}.",
                               f"There is no {request.method} {request.url.path}. There are: {known}."))

    async def openapi(self, request: Request) -> Response:
        return Response(json.dumps(openapi_document(), ensure_ascii=False).encode(), media_type="application/json",
                        headers=_SAFE | {"Cache-Control": CACHE_CONTROL})


_SAFE = {"X-Content-Type-Options": "nosniff", "Access-Control-Allow-Origin": "*"}


def _guarded(handler: Callable[[Call], Answer]) -> Callable[[Call], Answer]:
    """A handler whose storage failures become 503 (the pages' storage messages) instead of 500."""
    def run(call: Call) -> Answer:
        try:
            return handler(call)
        except WriteRefused as exc:
            raise _unavailable(exc.message()) from None
        except DatabaseUnavailable as exc:
            raise _unavailable(exc.message()) from None
        except auth.NotAllowed as exc:
            raise _forbidden(call.user.role if call.user else None, exc.action) from None
    return run


def _unavailable(reason: str) -> ApiError:
    return ApiError(503, "database_tidak_tersedia", f"Database tidak tersedia: {reason}",
                    f"The database is not available: {reason}", headers={"Retry-After": "30"})


def _forbidden(role: str | None, action: auth.Action) -> ApiError:
    who = ", ".join(r for r in auth.ROLES if auth.can(r, action)) or "–"
    return ApiError(403, "tidak_berhak", f"Peran {role} tidak boleh {auth.ACTION_TEXT[action]} (boleh: {who}).",
                    f"Role {role} may not do this ({action}; allowed: {who}).")


def _error(exc: ApiError) -> Response:
    return Response(json.dumps({"galat": exc.body}, ensure_ascii=False).encode(), status_code=exc.status,
                    media_type="application/json", headers=_SAFE | {"Cache-Control": "no-store"} | exc.headers)


def _params(endpoint: Endpoint, request: Request) -> dict[str, Any]:
    """The query's parameters checked against the endpoint's (unknown and repeated ones are refused)."""
    known = {p.name: p for p in endpoint.params}
    out: dict[str, Any] = {}
    for name in request.query_params:
        if name not in known:
            allowed = ", ".join(known) or "–"
            raise ApiError(400, "parameter_tidak_dikenal", f"Parameter {name[:40]!r} tidak dikenal di sini (ada: {allowed}).",
                           f"Unknown parameter {name[:40]!r} here (known: {allowed}).", parameter=name[:40],
                           allowed=allowed)
    for param in endpoint.params:
        values = request.query_params.getlist(param.name)
        if len(values) > 1:
            raise _bad(param, "disebut lebih dari sekali", "given more than once")
        if values and (values[0] != "" or param.kind == "flag"):
            out[param.name] = param.parse(values[0])
        elif param.required:
            raise _bad(param, "wajib diisi", "is required")
        else:
            out[param.name] = param.parse(str(param.default)) if param.default is not None else None
    return out


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise ApiError(401, "token_tidak_sah", "Header Authorization harus \"Bearer <token>\".",
                       "The Authorization header must be \"Bearer <token>\".",
                       headers={"WWW-Authenticate": 'Bearer realm="ektp"'})
    return value.strip()


def _not_modified(request: Request, etag: str, last_modified: dt.datetime | None) -> bool:
    match = request.headers.get("if-none-match")
    if match is not None:
        tags = {t.strip().removeprefix("W/") for t in match.split(",")}
        return etag in tags or "*" in tags
    since = request.headers.get("if-modified-since")
    if since and last_modified is not None:
        try:
            parsed = email.utils.parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
        if parsed.tzinfo is None:
            return False
        return last_modified.replace(microsecond=0) <= parsed
    return False


async def _upload_body(request: Request, params: dict[str, Any]) -> tuple[bytes, str]:
    """The uploaded file and its name: multipart/form-data (the file field, e.g. `berkas`) or the raw body
    with ?nama=… (or a Content-Disposition filename). Larger than EKTP_MAX_UPLOAD_MB: 413, read no further."""
    limit = int(settings.number("EKTP_MAX_UPLOAD_MB") * 1024 * 1024)
    too_large = ApiError(413, "berkas_terlalu_besar",
                         f"Berkas lebih besar dari {settings.get('EKTP_MAX_UPLOAD_MB')} MB (EKTP_MAX_UPLOAD_MB).",
                         f"The file is larger than {settings.get('EKTP_MAX_UPLOAD_MB')} MB (EKTP_MAX_UPLOAD_MB).")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + 1024 * 1024:
        raise too_large
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        async with request.form(max_files=1, max_fields=20) as form:
            for value in form.values():
                if not isinstance(value, str):
                    data = await value.read(limit + 1)
                    if len(data) > limit:
                        raise too_large
                    return data, params.get("nama") or value.filename or ""
        raise ApiError(400, "berkas_tidak_ada", "Formulir tanpa berkas: kirim berkas di bidang `berkas`.",
                       "The form has no file: send it in the field `berkas`.", parameter="berkas")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    name = params.get("nama") or _disposition_name(request.headers.get("content-disposition", ""))
    if not name:
        raise ApiError(400, "parameter_tidak_valid", "Sebutkan nama berkas: ?nama=laporan.csv (atau kirim multipart).",
                       "Name the file: ?nama=report.csv (or send multipart).", parameter="nama",
                       allowed="nama berkas .csv atau .xlsx / a .csv or .xlsx file name")
    return b"".join(chunks), name


def _disposition_name(header: str) -> str:
    match = re.search(r'filename="?([^";]+)"?', header)
    return match.group(1).strip() if match else ""


def _csv(rows: list[dict[str, Any]]) -> bytes:
    import pandas as pd

    from ektp_metrics import exports

    flat = [{k: (json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v) for k, v in r.items()}
            for r in rows]
    return exports.to_csv(pd.DataFrame(flat))


# ---------------------------------------------------------------- OpenAPI

def openapi_document() -> dict[str, Any]:
    """The API described in OpenAPI 3.1, from ENDPOINTS (the same table that checks every request)."""
    paths: dict[str, Any] = {}
    for e in ENDPOINTS:
        responses: dict[str, Any] = {"200": {"description": "OK"},
                                     "400": {"description": "Parameter tidak valid / bad parameter",
                                             "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Galat"}}}},
                                     "503": {"description": "Database tidak tersedia / database unavailable"}}
        if e.method == "GET" and e.action is None:
            responses["304"] = {"description": "Tidak berubah (If-None-Match / If-Modified-Since) / not modified"}
            responses["429"] = {"description": "Terlalu banyak permintaan tanpa token / too many requests without a token"}
        if e.path in ("/wilayah", "/seri"):
            responses["404"] = {"description": "Wilayah tidak ada / unknown region"}
        if e.action is not None:
            responses["401"] = {"description": "Tanpa token atau token tidak sah / no or invalid token"}
            responses["403"] = {"description": "Peran tidak berhak / role not allowed"}
        if e.path == "/unggah":
            responses["201"] = {"description": "Disimpan sebagai batch / saved as a batch"}
            responses["422"] = {"description": "Ditolak: masalah per baris dan kolom; tidak ada yang ditulis / refused, "
                                               "nothing written"}
            responses["413"] = {"description": "Berkas terlalu besar / file too large"}
        if e.path == "/ringkasan":
            responses["200"]["content"] = {"application/json": {"schema": {"$ref": "#/components/schemas/Angka"}}}
        if e.csv:
            responses["200"].setdefault("content", {})["text/csv"] = {"schema": {"type": "string"}}
        operation: dict[str, Any] = {
            "summary": e.summary_en, "description": e.summary,
            "parameters": [{"name": p.name, "in": "query", "required": p.required, "schema": p.schema(),
                            "description": f"{p.doc} / {p.doc_en}"} for p in e.params],
            "responses": responses,
        }
        if "{batch}" in e.path:
            operation["parameters"].insert(0, {"name": "batch", "in": "path", "required": True,
                                               "schema": {"type": "integer"}, "description": "Nomor batch / batch number"})
        if e.action is not None:
            operation["security"] = [{"token": []}]
        if e.body == "file":
            operation["requestBody"] = {"required": True, "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
                "multipart/form-data": {"schema": {"type": "object", "properties": {
                    "berkas": {"type": "string", "format": "binary"}}}}}}
        if e.body == "reason":
            operation["requestBody"] = {"required": False, "content": {"application/json": {"schema": {
                "type": "object", "properties": {"alasan": {"type": "string", "maxLength": 300}}}}}}
        paths.setdefault(PREFIX + e.path, {})[e.method.lower()] = operation
    paths[PREFIX + "/openapi.json"] = {"get": {"summary": "This description", "responses": {"200": {"description": "OK"}}}}
    figures = {name: {"type": kind} for name, kind in (
        ("kode", "string"), ("nama", "string"), ("tingkat", "string"), ("as_of", ["string", "null"]),
        ("wajib_ktp", "integer"), ("sudah_rekam", "integer"), ("belum_rekam", "integer"),
        ("persen_rekam", ["string", "null"]), ("persen_rekam_angka", ["number", "null"]),
        ("sudah_distribusi", "integer"), ("backlog_distribusi", "integer"), ("kelurahan", "integer"),
        ("kecamatan", "integer"), ("versi_target", ["string", "null"]), ("unggahan_terakhir", ["string", "null"]))}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Dasbor e-KTP Surakarta API", "version": "1",
                 "description": "Angka perekaman dan distribusi e-KTP, dihitung oleh fungsi yang sama dengan halaman "
                                "dasbor. / e-KTP recording and card figures, computed by the same functions as the "
                                "dashboard's pages."},
        "paths": paths,
        "components": {
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer",
                                          "description": "Token API dari halaman Pengguna / an API token from Pengguna"}},
            "schemas": {
                "Angka": {"type": "object", "properties": figures, "required": list(figures)},
                "Galat": {"type": "object", "properties": {"galat": {"type": "object", "properties": {
                    "kode": {"type": "string"}, "pesan": {"type": "string"}, "message": {"type": "string"},
                    "parameter": {"type": "string"}, "diizinkan": {"type": "string"}},
                    "required": ["kode", "pesan", "message"]}}, "required": ["galat"]},
            },
        },
    }


def routes() -> list[BaseRoute]:
    return Api().routes()
