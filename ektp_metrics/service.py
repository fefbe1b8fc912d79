"""What runs beside the pages for as long as the server runs (started by serve.py's lifespan).

- The daily backup (backup.Scheduler) at EKTP_BACKUP_TIME WIB into EKTP_BACKUP_DIR, catching up a missed
  day at start.
- The control socket (control.Server), so `python -m ektp_metrics backup` works while the app holds
  the database file.

Both use the process's one Database (db.shared). A database that cannot be opened at start is no reason
to stop: the pages say what is wrong, and the backup thread tries again at its next run.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from ektp_metrics import backup, control, db, settings

_LOG = logging.getLogger("ektp.layanan")


@dataclass
class Running:
    scheduler: backup.Scheduler | None
    control: control.Server | None

    def stop(self) -> None:
        if self.control is not None:
            self.control.stop()
        if self.scheduler is not None:
            self.scheduler.stop()
        db.close_shared()


# The process's running services (one server per process): Pengguna reads the scheduler's last result.
current: Running | None = None


def _verify(opened: db.Database) -> None:
    """Read the whole file once at start: a rotten block is found now, and every page says so."""
    try:
        opened.verify()
    except Exception as exc:   # noqa: BLE001 - logged; the pages show the damage (Database.damaged)
        _LOG.error("database %s tidak terbaca seluruhnya: %s", opened.path, exc)
    else:
        _LOG.info("database %s terbaca seluruhnya", opened.path)


def start() -> Running:
    global current
    path = settings.db_path()
    try:
        opened = db.shared(path)
    except db.DatabaseUnavailable as exc:
        _LOG.error("database belum bisa dibuka saat server mulai: %s", exc.message())
    else:
        threading.Thread(target=_verify, args=(opened,), name="ektp-periksa", daemon=True).start()

    def open_db() -> db.Database:
        return db.shared(path)

    try:
        at = settings.backup_time()
    except settings.InvalidSetting as exc:   # app.py shows the malformed setting on every page
        _LOG.error("%s: cadangan terjadwal tidak berjalan", exc)
        scheduler = None
    else:
        scheduler = backup.Scheduler(open_db, settings.backup_dir(path), at)
        scheduler.start()
    server = control.Server(path, open_db)
    current = Running(scheduler, server if server.start() else None)
    _LOG.info("layanan berjalan: database %s, cadangan ke %s pukul %s WIB", path, settings.backup_dir(path),
              settings.get("EKTP_BACKUP_TIME"))
    return current
