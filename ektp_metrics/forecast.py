"""When we finish at the current pace, and what it takes to finish by the deadline.

The pace is the change of the cumulative city figure over the last `window` days up to the as-of day,
divided by `window` (corrections and new snapshots included, as the figures the office reports are).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace

from ektp_metrics import metrics, settings
from ektp_metrics.db import Database

WINDOW_DAYS = 7


@dataclass(frozen=True)
class Projection:
    as_of: dt.date
    deadline: dt.date
    remaining: int                 # residents still to record, or cards still to deliver
    pace: float                    # per day over the window (may be 0)
    finish: dt.date | None         # the day the remainder reaches 0 at that pace (None: never at pace 0)
    needed_per_day: int | None     # to finish on the deadline (None: the deadline has passed)
    on_track: bool
    pace_known: bool = True        # False: no data at the start of the window, so no pace to speak of


def project(remaining: int, pace: float, as_of: dt.date, deadline: dt.date) -> Projection:
    """Pure arithmetic: the finishing day at `pace` and the pace the deadline needs."""
    if remaining <= 0:
        return Projection(as_of, deadline, 0, pace, as_of, 0, True)
    finish = as_of + dt.timedelta(days=math.ceil(remaining / pace)) if pace > 0 else None
    needed = metrics.pace_needed(remaining, (deadline - as_of).days)
    return Projection(as_of, deadline, remaining, pace, finish, needed, finish is not None and finish <= deadline)


def city_projections(db: Database, as_of: dt.date, window: int = WINDOW_DAYS,
                     deadline: dt.date | None = None) -> tuple[Projection, Projection]:
    """(recording, card delivery) projections for the whole region list as of a day."""
    now = metrics.city_summary(db, as_of)
    before = metrics.city_summary(db, as_of - dt.timedelta(days=window))
    if now is None or before is None:
        raise ValueError("city projections need a single-kota region list")
    return from_summaries(now, before, window, deadline)


def region_projections(db: Database, as_of: dt.date, level: str, kode: str, window: int = WINDOW_DAYS,
                       deadline: dt.date | None = None) -> tuple[Projection, Projection]:
    """The same for one kecamatan or kelurahan."""
    now = metrics.region_summary(db, as_of, level, kode)
    before = metrics.region_summary(db, as_of - dt.timedelta(days=window), level, kode)
    if now is None or before is None:
        raise ValueError(f"wilayah tidak dikenal: {level} {kode!r}")
    return from_summaries(now, before, window, deadline)


def from_summaries(now: metrics.Summary, before: metrics.Summary, window: int = WINDOW_DAYS,
                   deadline: dt.date | None = None) -> tuple[Projection, Projection]:
    """(recording, card delivery) projections from a region's figures now and `window` days before."""
    deadline = deadline or settings.deadline()
    as_of = now.as_of
    rekam_pace = max(now.sudah_rekam - before.sudah_rekam, 0) / window
    dist_pace = max(now.sudah_distribusi - before.sudah_distribusi, 0) / window
    rekam = project(now.belum_rekam, rekam_pace, as_of, deadline)
    kartu = project(now.backlog_distribusi, dist_pace, as_of, deadline)
    if before.tanggal_laporan is None:
        # The region had no data when the window began: its first report is not a week's progress.
        rekam = replace(rekam, pace=0.0, finish=None, on_track=False, pace_known=False)
        kartu = replace(kartu, pace=0.0, finish=None, on_track=False, pace_known=False)
    return rekam, kartu


def week_change(db: Database, as_of: dt.date, window: int = WINDOW_DAYS) -> tuple[metrics.Summary, metrics.Summary]:
    """The city as of `as_of` and as of `window` days earlier, for the headline deltas."""
    now = metrics.city_summary(db, as_of)
    before = metrics.city_summary(db, as_of - dt.timedelta(days=window))
    if now is None or before is None:
        raise ValueError("week_change needs a single-kota region list")
    return now, before
