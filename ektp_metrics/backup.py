"""Backups of the database and restoring one: a city office that must lose no record.

A backup is a consistent snapshot taken from the open database (DuckDB's COPY FROM DATABASE inside the
write lock, so never between the rows of one batch), written under a temporary name, reopened read-only
and compared with the live figures (the city's figures at the latest data date, the number of batches
and the rows of every table), and only then renamed into place; its record (a JSON file of the same
name) is written last. A backup without a record, or whose record says the check failed, is never
listed as good. The app takes one every day at EKTP_BACKUP_TIME (in EKTP_TZ, WIB by default) and whenever an admin presses
"Cadangkan sekarang"; `python -m ektp_metrics backup` takes one too, through the running app when it
holds the file (see ektp_metrics.control). Kept: the newest backup of each of the last EKTP_BACKUP_KEEP
days, and the newest of each month for a year.

Restoring (`python -m ektp_metrics restore`, with the app stopped) checks the backup opens and migrates,
keeps the current file aside under a dated name, and moves the backup's copy into place.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

from ektp_metrics import formatting, metrics, settings
from ektp_metrics.db import (
    Database,
    DatabaseUnavailable,
    WriteRefused,
    _free_mb,
    _reason,
    one_value,
)
from ektp_metrics.migrations import MIGRATIONS

_LOG = logging.getLogger("ektp.cadangan")
RECORD, TEMPORARY = ".json", ".sementara"
GOOD, FAILED, UNRECORDED, CHANGED = "cocok", "gagal", "tanpa_catatan", "berubah"
STALE_AFTER = dt.timedelta(days=2)      # Pengguna warns when the newest good backup is older than this
MONTHS_KEPT = 12
# One backup at a time in a process (the scheduler, the button, the CLI through the app).
_LOCK = threading.Lock()
# The tables whose rows a backup must hold exactly as the live database does.
_TABLES = ("regions", "batches", "targets", "daily_counts", "rekap", "jadwal_keliling", "reference_figures",
           "audit_log", "app_settings", "users", "pusat_unggahan", "pusat_rekap", "selisih_catatan", "jadwal_dari",
           "schema_migrations")


class BackupFailed(Exception):
    """A backup that could not be made or did not pass its check (its message is in Bahasa Indonesia)."""


@dataclass(frozen=True)
class Backup:
    """One backup in the folder, as its record describes it."""

    path: Path                       # the database copy (may be gone for a failed attempt)
    taken_at: dt.datetime            # UTC
    check: str                       # cocok | gagal | tanpa_catatan | berubah
    size: int = 0
    batches: int | None = None
    figures: dict = field(default_factory=dict)   # as_of, wajib_ktp, sudah_rekam, sudah_distribusi, persen_rekam
    by: str = ""
    detail: str = ""
    sha256: str = ""

    @property
    def good(self) -> bool:
        return self.check == GOOD

    @property
    def record(self) -> Path:
        return self.path.with_suffix(RECORD)


# ---- the state a backup must match ------------------------------------------------------------------------

def state(db: Database) -> dict:
    """What a backup is compared on: rows per table, the city's figures at the latest data date."""
    with db.cursor() as cur:
        present = {row[0] for row in cur.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'"
                                                 " AND database_name = current_database()").fetchall()}
        tables = [name for name in _TABLES if name in present]
        counts = cur.execute("SELECT " + ", ".join(f"(SELECT count(*) FROM {name})" for name in tables)).fetchone()
    rows = dict(zip(tables, (int(n) for n in counts or ())))
    as_of = metrics.latest_data_date(db)
    summary = metrics.city_summary(db, as_of) if as_of is not None else None
    figures: dict = {"as_of": as_of.isoformat() if as_of else None}
    if summary is not None:
        figures |= {"wajib_ktp": summary.wajib_ktp, "sudah_rekam": summary.sudah_rekam,
                    "sudah_distribusi": summary.sudah_distribusi,
                    "persen_rekam": formatting.desimal(summary.persen_rekam) if summary.persen_rekam is not None else None}
    return {"rows": rows, "figures": figures, "batches": rows.get("batches", 0)}


# ---- taking one ------------------------------------------------------------------------------------------

def _stamp(now: dt.datetime) -> str:
    return formatting.lokal(now).strftime("%Y%m%d-%H%M%S")   # the clock in EKTP_TZ


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_record(backup: Backup) -> None:
    """The record beside the backup, written under a temporary name and renamed: complete or absent."""
    data = asdict(backup) | {"path": backup.path.name, "taken_at": backup.taken_at.isoformat()}
    temporary = backup.record.with_name(backup.record.name + TEMPORARY)
    with temporary.open("w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=2)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, backup.record)
    _fsync_dir(backup.record.parent)


def _sweep(folder: Path) -> None:
    """Temporary files left by a backup that was killed half-way: never a backup, removed."""
    for leftover in folder.glob(f"*{TEMPORARY}*"):
        try:
            leftover.unlink()
        except OSError:
            pass


def take(db: Database, folder: Path | None = None, *, by: str, now: dt.datetime | None = None,
         pause: Callable[[str], None] | None = None) -> Backup:
    """Take a verified backup of the open database into `folder` (EKTP_BACKUP_DIR); return its record.

    Raises BackupFailed (nothing listed as good; a record of the failed attempt is kept) or WriteRefused
    (the backup's disk is full). pause(point): called at "copied" (the temporary file written) and
    "renamed" (in place, its record not yet written); tests kill the process there.
    """
    pause = pause or (lambda point: None)
    folder = Path(folder or settings.backup_dir(db.path))
    with _LOCK:
        folder.mkdir(parents=True, exist_ok=True)
        _sweep(folder)
        now = now or dt.datetime.now(dt.UTC)
        final = folder / f"{db.path.stem}-{_stamp(now)}.duckdb"
        n = 1
        while final.exists() or final.with_suffix(RECORD).exists():   # two in one second
            final = folder / f"{db.path.stem}-{_stamp(now)}-{n}.duckdb"
            n += 1
        temporary = final.with_name(final.name + TEMPORARY)
        try:
            live = _copy(db, temporary)
            pause("copied")
            copied = _check(temporary)
        except BaseException as exc:
            for leftover in (temporary, temporary.with_name(temporary.name + ".wal")):
                leftover.unlink(missing_ok=True)
            if isinstance(exc, (BackupFailed, WriteRefused)):
                detail = exc.message() if isinstance(exc, WriteRefused) else str(exc)
                _failed(final, now, by, detail)
            raise
        if copied != live:
            temporary.unlink(missing_ok=True)
            detail = _difference(live, copied)
            _failed(final, now, by, detail)
            raise BackupFailed(f"Cadangan tidak cocok dengan database: {detail}. Cadangan itu dibuang.")
        os.replace(temporary, final)
        _fsync_dir(folder)
        pause("renamed")
        backup = Backup(path=final, taken_at=now, check=GOOD, size=final.stat().st_size, batches=live["batches"],
                        figures=live["figures"], by=by, sha256=_sha256(final))
        _write_record(backup)
        _LOG.info("cadangan %s dibuat oleh %s (%s batch, %d bita)", final, by, live["batches"], backup.size)
    prune(folder, now=now)
    return backup


def _copy(db: Database, target: Path) -> dict:
    """COPY FROM DATABASE into a new file at `target` inside the write lock (no write can come between
    the live state and the copy); the live state it must match."""
    needed = db.path.stat().st_size if db.path.exists() else 0
    free = _free_mb(target)
    if free is not None and free * 1024 * 1024 < needed + settings.number("EKTP_MIN_FREE_MB", allow_zero=True) * 1024 * 1024:
        raise WriteRefused("disk_full", target)
    quoted = str(target).replace("'", "''")
    with db.write_lock:
        live = state(db)
        with db.cursor() as cur:
            source = one_value(cur, "SELECT current_database()")
            try:
                cur.execute(f"ATTACH '{quoted}' AS ektp_cadangan_baru")
                try:
                    cur.execute(f'COPY FROM DATABASE "{source}" TO ektp_cadangan_baru')
                finally:
                    cur.execute("DETACH ektp_cadangan_baru")
            except duckdb.Error as exc:
                if _reason(exc) == "disk_full":
                    raise WriteRefused("disk_full", target, detail=str(exc).splitlines()[0]) from exc
                raise BackupFailed(f"Database tidak bisa disalin: {str(exc).splitlines()[0][:300]}") from exc
    with target.open("rb") as handle:
        os.fsync(handle.fileno())
    return live


def _check(path: Path) -> dict:
    """Open the copy read-only and read its state; BackupFailed when it cannot be read through."""
    try:
        with Database(path, create=False, read_only=True) as copy:
            return state(copy)
    except (DatabaseUnavailable, duckdb.Error) as exc:
        raise BackupFailed(f"Cadangan tidak bisa dibaca ulang: {str(exc).splitlines()[0][:300]}") from exc


def _difference(live: dict, copied: dict) -> str:
    for table, count in live["rows"].items():
        if copied["rows"].get(table) != count:
            return f"tabel {table}: {copied['rows'].get(table)} baris, database {count}"
    return f"angka {copied['figures']} ≠ {live['figures']}"


def _failed(final: Path, now: dt.datetime, by: str, detail: str) -> None:
    _LOG.error("cadangan %s gagal: %s", final.name, detail)
    try:
        _write_record(Backup(path=final, taken_at=now, check=FAILED, by=by, detail=detail[:500]))
    except OSError:   # a full disk may not take even the record; the log has it
        pass


# ---- the folder ------------------------------------------------------------------------------------------

def _read_record(path: Path) -> Backup | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        backup = Backup(path=path.with_name(data["path"]), taken_at=dt.datetime.fromisoformat(data["taken_at"]),
                        check=data["check"], size=int(data.get("size") or 0), batches=data.get("batches"),
                        figures=data.get("figures") or {}, by=data.get("by", ""), detail=data.get("detail", ""),
                        sha256=data.get("sha256", ""))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if backup.good:
        try:
            size = backup.path.stat().st_size
        except FileNotFoundError:
            return Backup(**(asdict(backup) | {"path": backup.path, "check": CHANGED,
                                                "detail": "berkas cadangan tidak ada lagi"}))
        if size != backup.size:
            return Backup(**(asdict(backup) | {"path": backup.path, "check": CHANGED,
                                                "detail": f"ukuran berubah: {size} bita, tercatat {backup.size}"}))
    return backup


def list_backups(folder: Path | None = None) -> list[Backup]:
    """Every backup and failed attempt in the folder, newest first. A database file there without a
    record is listed as unrecorded (never good); temporary files are not listed."""
    folder = Path(folder or settings.backup_dir())
    if not folder.is_dir():
        return []
    found: dict[Path, Backup] = {}
    for record in folder.glob(f"*{RECORD}"):
        backup = _read_record(record)
        if backup is not None:
            found[backup.path] = backup
    for path in folder.glob("*.duckdb"):
        if path not in found:
            stat = path.stat()
            found[path] = Backup(path=path, taken_at=dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC),
                                 check=UNRECORDED, size=stat.st_size,
                                 detail="tanpa catatan pemeriksaan (mis. cadangan yang terputus)")
    return sorted(found.values(), key=lambda b: b.taken_at, reverse=True)


def latest_good(folder: Path | None = None) -> Backup | None:
    return next((b for b in list_backups(folder) if b.good), None)


def is_stale(folder: Path | None = None, now: dt.datetime | None = None) -> bool:
    """True when no good backup is younger than two days (real time: backups are about the clock)."""
    newest = latest_good(folder)
    now = now or dt.datetime.now(dt.UTC)
    return newest is None or now - newest.taken_at > STALE_AFTER


def prune(folder: Path, *, now: dt.datetime | None = None, keep_days: int | None = None) -> list[Path]:
    """Delete good backups the rule does not keep: every one of the last 24 hours (an admin's backup before a
    risky step is not lost to a later one the same day), the newest of each of the last `keep_days` days
    (in EKTP_TZ) that have one, and the newest of each month of the last year. The newest good backup always stays;
    records of failed attempts stay for as long as the oldest kept daily backup. Returns what went."""
    keep_days = keep_days or int(settings.number("EKTP_BACKUP_KEEP"))
    now = now or dt.datetime.now(dt.UTC)
    backups = list_backups(folder)
    good = [b for b in backups if b.good]
    keep: set[Path] = set()
    days: dict[dt.date, Backup] = {}
    months: dict[tuple[int, int], Backup] = {}
    for b in good:   # newest first: the first seen of a day or month is its newest
        local = formatting.lokal(b.taken_at)
        days.setdefault(local.date(), b)
        months.setdefault((local.year, local.month), b)
    for day in sorted(days, reverse=True)[:keep_days]:
        keep.add(days[day].path)
    keep.update(b.path for b in good if now - b.taken_at < dt.timedelta(hours=24))
    local_now = formatting.lokal(now)
    for (year, month), b in months.items():   # this month and the eleven before it
        if (local_now.year - year) * 12 + local_now.month - month < MONTHS_KEPT:
            keep.add(b.path)
    if good:
        keep.add(good[0].path)
    oldest_daily = min((days[d].taken_at for d in sorted(days, reverse=True)[:keep_days]), default=now)
    removed = []
    for b in backups:
        drop = (b.good and b.path not in keep) or (b.check == FAILED and b.taken_at < oldest_daily)
        if not drop:
            continue
        for path in (b.path, b.record):
            if path.exists():
                path.unlink()
                removed.append(path)
    if removed:
        _LOG.info("cadangan lama dihapus: %s", ", ".join(p.name for p in removed))
    return removed


# ---- restoring ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Restored:
    target: Path
    kept_aside: list[Path]           # the files that were in place, under their dated names
    before: dict | None              # the state of the replaced file (None: missing or unreadable)
    before_problem: str              # why there is no 'before'
    after: dict


class RestoreRefused(Exception):
    """Restore did not touch anything (its message is in Bahasa Indonesia). in_use: the app holds the file."""

    def __init__(self, message: str, *, in_use: bool = False):
        super().__init__(message)
        self.in_use = in_use


def restore(backup_file: Path, target: Path, *, now: dt.datetime | None = None) -> Restored:
    """Put `backup_file` in place of the database at `target`, with the app stopped.

    The backup is copied beside the target, opened (migrated to this program's schema) and read; only
    then is the current file (and its WAL) renamed aside with the date and the copy renamed into place.
    Nothing is ever overwritten without a copy."""
    backup_file, target = Path(backup_file), Path(target)
    now = now or dt.datetime.now(dt.UTC)
    if not backup_file.is_file():
        raise RestoreRefused(f"Berkas cadangan {backup_file} tidak ada.")
    record = _read_record(backup_file.with_suffix(RECORD)) if backup_file.with_suffix(RECORD).exists() else None
    if record is not None and record.check == FAILED:
        raise RestoreRefused(f"Cadangan {backup_file.name} tercatat gagal diperiksa ({record.detail}); pilih yang lain.")
    if record is not None and record.sha256 and _sha256(backup_file) != record.sha256:
        raise RestoreRefused(f"Berkas cadangan {backup_file.name} berubah sejak dibuat (sidik SHA-256 tidak cocok "
                             f"dengan catatannya); pilih cadangan lain.")
    before, before_problem = None, ""
    if target.exists():
        try:
            with Database(target, create=False, read_only=True) as current:
                version = current.schema_version()
                if version < MIGRATIONS[-1].version:   # read only, not upgraded: no views of the figures' rule
                    before_problem = f"skema versi {version}, lebih lama dari program ini (angkanya tidak dibaca)"
                else:
                    before = state(current)
        except DatabaseUnavailable as exc:
            if exc.reason == "locked":
                raise RestoreRefused(f"Database {target} sedang dipakai "
                                     f"{'proses PID ' + str(exc.pid) if exc.pid else 'proses lain'} (aplikasi yang "
                                     f"berjalan?). Hentikan aplikasi dulu (systemctl stop ektp-dasbor, atau Ctrl+C "
                                     f"pada make run), lalu ulangi.", in_use=True) from exc
            before_problem = "rusak atau tidak terbaca" if exc.reason == "corrupt" else exc.reason
        except duckdb.Error as exc:
            before_problem = f"tidak terbaca ({str(exc).splitlines()[0][:200]})"
    else:
        before_problem = "tidak ada"
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(target.name + ".dipulihkan")
    for leftover in (staging, staging.with_name(staging.name + ".wal")):
        leftover.unlink(missing_ok=True)
    try:
        with backup_file.open("rb") as source, staging.open("wb") as copy:
            while block := source.read(1 << 20):
                copy.write(block)
            copy.flush()
            os.fsync(copy.fileno())
        try:
            with Database(staging, create=False) as opened:   # migrates a backup from an older version
                after = state(opened)
        except DatabaseUnavailable as exc:
            raise RestoreRefused(f"Cadangan {backup_file.name} tidak bisa dibuka: {exc.message()}") from exc
        except duckdb.Error as exc:
            raise RestoreRefused(f"Cadangan {backup_file.name} tidak terbaca: {str(exc).splitlines()[0][:200]}") from exc
    except OSError as exc:
        for leftover in (staging, staging.with_name(staging.name + ".wal")):
            leftover.unlink(missing_ok=True)
        raise RestoreRefused(f"Cadangan tidak bisa disalin ke {target.parent}: {exc.strerror}") from exc
    except BaseException:
        for leftover in (staging, staging.with_name(staging.name + ".wal")):
            leftover.unlink(missing_ok=True)
        raise
    stamp = _stamp(now)
    kept = []
    for in_place in (target, target.with_name(target.name + ".wal")):
        if in_place.exists():
            aside = in_place.with_name(f"{target.name}.sebelum-pulih-{stamp}" + (".wal" if in_place.name.endswith(".wal") else ""))
            os.replace(in_place, aside)
            kept.append(aside)
    os.replace(staging, target)
    _fsync_dir(target.parent)
    _LOG.info("database %s dipulihkan dari %s; berkas lama disimpan sebagai %s", target, backup_file,
                 ", ".join(str(p) for p in kept) or "-")
    return Restored(target=target, kept_aside=kept, before=before, before_problem=before_problem, after=after)


# ---- the daily backup of the running app -------------------------------------------------------------------

def next_run(now: dt.datetime, at: dt.time) -> dt.datetime:
    """The next time (UTC) the clock in EKTP_TZ (Solo: WIB) shows `at`, strictly after `now`."""
    local = formatting.lokal(now)
    candidate = dt.datetime.combine(local.date(), at, tzinfo=local.tzinfo)
    if candidate <= local:
        candidate += dt.timedelta(days=1)
    return candidate.astimezone(dt.UTC)


def due_at_start(now: dt.datetime, at: dt.time, newest: Backup | None) -> bool:
    """At server start: the last scheduled time passed with no good backup since (the server was down)."""
    last_slot = next_run(now, at) - dt.timedelta(days=1)
    return newest is None or newest.taken_at < last_slot


class Scheduler:
    """The running app's daily backup: a thread that sleeps until EKTP_BACKUP_TIME (in EKTP_TZ), then backs up
    the database `open_db()` returns. At start it catches up a missed day."""

    def __init__(self, open_db: Callable[[], Database], folder: Path, at: dt.time,
                 clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)):
        self.open_db, self.folder, self.at, self.clock = open_db, folder, at, clock
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ektp-cadangan", daemon=True)
        self.last: Backup | None = None
        self.last_error: str = ""
        self.runs = 0   # backups attempted since start

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        if due_at_start(self.clock(), self.at, latest_good(self.folder)):
            self._backup()
        while True:
            wait = (next_run(self.clock(), self.at) - self.clock()).total_seconds()
            if self._stop.wait(timeout=max(wait, 1.0)):
                return
            self._backup()

    def _backup(self) -> None:
        try:
            self.last = take(self.open_db(), self.folder, by="jadwal", now=self.clock())
            self.last_error = ""
        except Exception as exc:   # noqa: BLE001 - the server keeps running; Pengguna shows the failure and the age
            self.last_error = exc.message() if isinstance(exc, (WriteRefused, DatabaseUnavailable)) else str(exc)
            _LOG.error("cadangan terjadwal gagal: %s", self.last_error)
        finally:
            self.runs += 1
