"""Uploads: a file in, validated whole, written whole or not at all, traceable and reversible.

One upload = one batch = one DuckDB transaction. Every problem is reported with its spreadsheet row
("baris", the header being baris 1), its column and a reason code rendered in Bahasa Indonesia or English
by ektp_metrics.i18n (keys 'problem_<code>'). The Unggah page and the CLI render the same IngestResult.

`ingest` is the one entry. A regular UTF-8 CSV of daily counts by kelurahan code whose every cell has a
plain form (dd/mm/yyyy or yyyy-mm-dd, whole numbers, a known lokasi) and that passes every check goes the
direct way: DuckDB reads it, each distinct value is checked once in Python, the rows are joined in SQL, and
no pandas is loaded (a national file of a million rows, bench/README.md). Any other file, and any file
with a problem, goes the validated way, which names each problem; both write through `write_batch`.
tests/test_upload.py checks that both ways agree.

The modules: columns (header names → columns, kinds, required columns, the plain forms of a cell), result
(Problem, Change, IngestResult), direct (the direct way), validate (the validated way: reading and checking
every cell, problems named by baris and kolom), write (the write transaction). The history of batches
(revert, a batch's rows) is ektp_metrics.history; who may upload, ektp_metrics.auth.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading

from ektp_metrics import auth, formatting, settings
from ektp_metrics.db import Database
from ektp_metrics.upload.direct import ingest_direct
from ektp_metrics.upload.result import (
    Change,
    IngestResult,
    Problem,
    Progress,
    no_progress,
)
from ektp_metrics.upload.write import supersede_schedule_from, write_batch

# What the rest of the app uses; the modules' other public names are imported from them.
__all__ = ["Change", "IngestResult", "Problem", "Progress", "ingest", "no_progress", "supersede_schedule_from",
           "write_batch"]


class _Digest:
    """A file's SHA-256 (the same file twice is refused), for a large file computed in a thread while the
    direct way reads the file: hashlib releases the GIL (a national file: 0,05 s)."""

    def __init__(self, data: bytes):
        self._value: str | None = None
        self._error: BaseException | None = None
        self._thread = None
        if len(data) < 1 << 20:
            self._value = hashlib.sha256(data).hexdigest()
        else:
            self._thread = threading.Thread(target=self._run, args=(data,), name="ektp-sha256", daemon=True)
            self._thread.start()

    def _run(self, data: bytes) -> None:
        try:
            self._value = hashlib.sha256(data).hexdigest()
        except BaseException as exc:   # noqa: BLE001 - handed to the caller by hexdigest()
            self._error = exc

    def hexdigest(self) -> str:
        if self._thread is not None:
            self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._value is not None
        return self._value


def ingest(db: Database, data: bytes, file_name: str, *, user: str, role: str, dry_run: bool = False,
           replace: bool = False, force: bool = False, sheet: str | None = None,
           progress: Progress = no_progress, today: dt.date | None = None,
           schedule_from: dt.date | None = None) -> IngestResult:
    """Validate a file and, unless refused or dry_run, write it as one batch in one transaction.

    replace: the upload corrects earlier data; rows it overlaps are superseded (kept, no longer counted).
    force: the operator confirmed implausible values (above the daily maximum, more than wajib KTP).
    role: the uploading user's role (the command line: "admin"); a role that may not upload (auth.can) gets
    auth.NotAllowed and nothing is read. A role that may not set targets (operators) has a rekap with a
    filled wajib_ktp column refused.
    schedule_from: for a jadwal file that is the whole schedule from that day on (the Keliling editor, an
    adopted plan): every active visit starting on or after it is superseded by the file, in the same
    transaction. Reverting the batch brings them back.
    """
    auth.require(role, "upload")
    if schedule_from is not None:
        auth.require(role, "edit_schedule")
    digest = _Digest(data)

    def fresh() -> IngestResult:
        return IngestResult(file_name=file_name, sha256=digest.hexdigest(), dry_run=dry_run, forced=force)

    limit = int(settings.number("EKTP_MAX_PROBLEMS"))
    max_mb = settings.number("EKTP_MAX_UPLOAD_MB")
    if len(data) > max_mb * 1024 * 1024:
        large = fresh()
        large.problems.append(Problem("too_large", None, None, {"mb": round(len(data) / 1048576, 1), "maks": max_mb}))
        return large
    result: IngestResult | None = None
    if sheet is None:
        result = ingest_direct(db, data, fresh, user=user, dry_run=dry_run, replace=replace, force=force,
                               progress=progress, today=today or formatting.hari_ini(), limit=limit)
    if result is None:
        from ektp_metrics.upload import validate  # pandas: only for the files that need it

        result = validate.validated(db, data, fresh(), user=user, dry_run=dry_run, replace=replace, force=force,
                                    sheet=sheet, progress=progress, today=today,
                                    may_set_targets=auth.can(role, "set_targets"), schedule_from=schedule_from,
                                    limit=limit)
    # What no confirmation can accept first (each in its order): it is what must be fixed (issue 21).
    result.problems.sort(key=lambda p: p.implausible)
    return result


