"""The mobile recording safari (jadwal keliling): the schedule as it stands, the yield of each service
location, and a planner for the kelurahan not served yet.

The planner is deliberately simple and explicit, so the office can check it by hand:
- the kelurahan still to serve are ordered by a rule (default: most residents still unrecorded first);
- they are served `per_block` at a time for `block_days` service days (Sundays and the given holidays
  skipped), the next block starting on the next service day; the `devices` are shared equally;
- each device records up to `capacity` people a day, never more than the kelurahan has left;
- outside the safari the city keeps recording at its other locations' recent pace (offices, schools,
  markets), which the plan adds day by day.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ektp_metrics import metrics, settings
from ektp_metrics.db import Database
from ektp_metrics.formatting import persen_floor

# The planner's defaults (10 devices, 5 kelurahan every 3 days, 40 per device per day) and ordering rules
# live in settings: the command line shows them without loading this module and pandas.
DEFAULT_DEVICES, DEFAULT_PER_BLOCK, DEFAULT_BLOCK_DAYS, DEFAULT_CAPACITY = (
    settings.DEFAULT_DEVICES, settings.DEFAULT_PER_BLOCK, settings.DEFAULT_BLOCK_DAYS, settings.DEFAULT_CAPACITY)
RULES = settings.RULES

DEFAULT_HOURS = (dt.time(15, 0), dt.time(21, 0))      # afternoons to evenings (15.00–21.00)
HOLIDAYS_2013 = (dt.date(2013, 10, 15),      # Idul Adha 1434 H
                 dt.date(2013, 11, 5),       # Tahun Baru Islam 1435 H
                 dt.date(2013, 12, 25))      # Natal


@dataclass(frozen=True)
class PlanInput:
    start: dt.date                       # the first day the plan may use
    devices: int = DEFAULT_DEVICES
    per_block: int = DEFAULT_PER_BLOCK   # kelurahan served at the same time
    block_days: int = DEFAULT_BLOCK_DAYS
    capacity: int = DEFAULT_CAPACITY     # recordings per device per service day
    rule: str = "belum_rekam"
    holidays: tuple[dt.date, ...] = HOLIDAYS_2013
    jam_mulai: dt.time = DEFAULT_HOURS[0]
    jam_selesai: dt.time = DEFAULT_HOURS[1]

    def check(self) -> None:
        for name, label in (("devices", "alat"), ("per_block", "kelurahan per blok"), ("block_days", "hari per blok"),
                            ("capacity", "perekaman per alat per hari")):
            if getattr(self, name) < 1:
                raise ValueError(f"{label} harus paling sedikit 1")
        if self.devices < self.per_block:
            raise ValueError("alat harus paling sedikit sebanyak kelurahan per blok (setiap kelurahan butuh satu alat)")
        if self.rule not in RULES:
            raise ValueError(f"aturan urutan tidak dikenal: {self.rule!r}; pilih {', '.join(RULES)}")


def service_days(start: dt.date, count: int, holidays: tuple[dt.date, ...] | frozenset = ()) -> list[dt.date]:
    """`count` service days from `start` on, skipping Sundays and holidays."""
    days: list[dt.date] = []
    day, off = start, set(holidays)
    while len(days) < count:
        if day.weekday() != 6 and day not in off:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def order(todo: pd.DataFrame, rule: str) -> pd.DataFrame:
    """The kelurahan to serve in the order of `rule` (ties broken by code, so plans are reproducible)."""
    if rule == "belum_rekam":
        return todo.sort_values(["belum_rekam", "kode"], ascending=[False, True], kind="stable")
    if rule == "persen":
        return todo.sort_values(["persen_rekam", "kode"], ascending=[True, True], na_position="first", kind="stable")
    if rule == "kecamatan":   # one kecamatan after another (short trips), the one with most left first
        left = todo.groupby("kode_kecamatan")["belum_rekam"].transform("sum")
        return (todo.assign(_left=left)
                .sort_values(["_left", "kode_kecamatan", "belum_rekam", "kode"], ascending=[False, True, False, True],
                             kind="stable")
                .drop(columns="_left"))
    return todo.sort_values("kode", kind="stable")


def propose(todo: pd.DataFrame, plan: PlanInput) -> pd.DataFrame:
    """Blocks for the kelurahan in `todo` (a metrics.kelurahan_frame subset).

    Returns one row per kelurahan: blok, kode, kelurahan, kecamatan, belum_rekam, tanggal_mulai,
    tanggal_selesai, alat, hari (the service days, a list), in the order served.
    """
    plan.check()
    ordered = order(todo, plan.rule).reset_index(drop=True)
    rows, day = [], plan.start
    for b, first in enumerate(range(0, len(ordered), plan.per_block)):
        group = ordered.iloc[first:first + plan.per_block]
        days = service_days(day, plan.block_days, plan.holidays)
        share = np.full(len(group), plan.devices // len(group))
        share[: plan.devices % len(group)] += 1          # the remainder to the first (largest) ones
        for (_, r), alat in zip(group.iterrows(), share):
            rows.append({"blok": b + 1, "kode": r["kode"], "kelurahan": r["kelurahan"], "kecamatan": r["kecamatan"],
                         "belum_rekam": int(r["belum_rekam"]), "tanggal_mulai": days[0], "tanggal_selesai": days[-1],
                         "alat": int(alat), "hari": days})
        day = days[-1] + dt.timedelta(days=1)
    return pd.DataFrame(rows, columns=["blok", "kode", "kelurahan", "kecamatan", "belum_rekam", "tanggal_mulai",
                                       "tanggal_selesai", "alat", "hari"])


@dataclass(frozen=True)
class Outcome:
    """What a plan achieves, as of the deadline and until the city is done."""

    safari_selesai: dt.date | None          # the last day of the last block
    tuntas: dt.date | None                  # the day nobody is left unrecorded (None: not within a year)
    rekam_batas: int                        # recorded on the deadline under the plan
    persen_batas: float                     # … as a percentage of wajib KTP (floored to 2 decimals)
    rekam_safari: int                       # recorded by the safari under the plan


def simulate(blocks: pd.DataFrame, plan: PlanInput, city: metrics.Summary, other_pace: float,
             deadline: dt.date, first_day: dt.date | None = None, kept: pd.DataFrame | None = None) -> Outcome:
    """Day by day from `first_day` (default plan.start; pass the day after the data's date so that no day
    is lost): safari sites record min(devices × capacity, what is left there, what is left in the city);
    the rest of the city records `other_pace` a day (offices, schools, markets), never beyond what is left.
    `kept`: visits already scheduled before the plan starts (same columns as `blocks`), which also record."""
    visits = blocks if kept is None or not len(kept) else pd.concat([kept, blocks], ignore_index=True)
    # Counts become floats once other_pace (a float) is added in: rounded only in the Outcome.
    left_by_site: dict[str, float] = {}
    for kode, belum in zip(visits["kode"], visits["belum_rekam"]):
        left_by_site.setdefault(kode, int(belum))
    per_day: dict[dt.date, list[tuple[str, int]]] = {}
    for r in visits.itertuples(index=False):
        for day in r.hari:
            per_day.setdefault(day, []).append((r.kode, r.alat * plan.capacity))
    left: float = city.belum_rekam
    recorded: float = city.sudah_rekam
    by_safari: float = 0
    tuntas: dt.date | None = None
    on_deadline: float | None = None
    day = first_day or plan.start
    horizon = day + dt.timedelta(days=366)
    while day <= horizon and (tuntas is None or day <= deadline):
        done_today: float = 0
        for kode, cap in per_day.get(day, ()):
            n = min(cap, left_by_site[kode], max(left - done_today, 0))
            left_by_site[kode] -= n
            done_today += n
        by_safari += done_today
        # the other locations serve the residents the safari will not reach (or has not reached yet)
        done_today += min(other_pace, max(left - done_today, 0))
        left -= done_today
        recorded += done_today
        if day == deadline:
            on_deadline = recorded
        if left <= 0 and tuntas is None and city.wajib_ktp > 0:
            tuntas = day
        day += dt.timedelta(days=1)
    if on_deadline is None:                 # the deadline lies before the first day or after the horizon
        on_deadline = recorded if deadline >= (first_day or plan.start) else city.sudah_rekam
    persen = float(persen_floor(round(on_deadline), city.wajib_ktp) or 0)
    return Outcome(safari_selesai=max(blocks["tanggal_selesai"]) if len(blocks) else None, tuntas=tuntas,
                   rekam_batas=round(on_deadline), persen_batas=persen, rekam_safari=round(by_safari))


def other_locations_pace(db: Database, as_of: dt.date, days: int = 7) -> float:
    """Recordings a day at locations other than the kelurahan safari, over the last `days` days."""
    frame = metrics.daily_by_lokasi(db, as_of - dt.timedelta(days=days - 1), as_of)
    return float(frame.loc[frame["lokasi"] != "kelurahan", "rekam"].sum()) / days


def to_plan(db: Database, today: dt.date, start: dt.date) -> pd.DataFrame:
    """The kelurahan a plan starting on `start` should serve: not served by `today`, and with no active
    visit starting before `start` (those keep their visit; adopting the plan replaces only visits from
    `start` on)."""
    frame = metrics.kelurahan_frame(db, today)
    booked = metrics.safari_schedule(db, dt.date(1900, 1, 1), start - dt.timedelta(days=1))
    return frame[frame["safari_mulai"].isna() & ~frame["kode"].isin(set(booked["kode_kelurahan"]))]


def kept_visits(db: Database, data_day: dt.date, start: dt.date, holidays: tuple[dt.date, ...]) -> pd.DataFrame:
    """Active visits that a plan starting on `start` keeps and that still have service days after the
    data's day, in the plan's column shape (their remaining days in `hari`)."""
    visits = metrics.safari_schedule(db, data_day + dt.timedelta(days=1), dt.date(9999, 12, 31))
    visits = visits[visits["tanggal_mulai"] < pd.Timestamp(start)]
    left = metrics.kelurahan_frame(db, data_day).set_index("kode")["belum_rekam"]
    rows = []
    for r in visits.itertuples(index=False):          # the few visits under way or booked before the plan
        first = max(r.tanggal_mulai.date(), data_day + dt.timedelta(days=1))
        days = [d for d in (first + dt.timedelta(days=i) for i in range((r.tanggal_selesai.date() - first).days + 1))
                if d.weekday() != 6 and d not in set(holidays)]
        rows.append({"blok": 0, "kode": r.kode_kelurahan, "kelurahan": r.kelurahan, "kecamatan": r.kecamatan,
                     "belum_rekam": int(left.get(r.kode_kelurahan, 0)), "tanggal_mulai": r.tanggal_mulai.date(),
                     "tanggal_selesai": r.tanggal_selesai.date(), "alat": int(r.alat), "hari": days})
    return pd.DataFrame(rows, columns=["blok", "kode", "kelurahan", "kecamatan", "belum_rekam", "tanggal_mulai",
                                       "tanggal_selesai", "alat", "hari"])


@dataclass(frozen=True)
class Proposal:
    plan: PlanInput
    blocks: pd.DataFrame
    outcome: Outcome
    current_pace: float                 # the city's last-7-days pace, for comparison
    current_tuntas: dt.date | None      # the day 100% is reached at that pace
    current_persen_batas: float         # coverage on the deadline at that pace
    other_pace: float = 0.0             # the other locations' last-7-days pace, which the plan keeps
    belum_rekam: int = 0                # the city's unrecorded residents on the data's day


@dataclass(frozen=True)
class _Inputs:
    """What every variant of a plan starting on the same day shares (read once)."""

    city: metrics.Summary
    todo: pd.DataFrame
    kept: pd.DataFrame
    other_pace: float
    pace: float
    finish: dt.date | None


def _inputs(db: Database, data_day: dt.date, today: dt.date, plan: PlanInput, deadline: dt.date) -> _Inputs:
    from ektp_metrics import forecast

    city = metrics.city_summary(db, data_day)
    if city is None:
        raise ValueError("rencana butuh satu kota dalam daftar wilayah")
    todo = to_plan(db, today, plan.start)
    left = metrics.kelurahan_frame(db, data_day).set_index("kode")["belum_rekam"]
    todo = todo.assign(belum_rekam=todo["kode"].map(left).fillna(0).astype(int))
    rekam, _ = forecast.city_projections(db, data_day, deadline=deadline)
    return _Inputs(city, todo, kept_visits(db, data_day, plan.start, plan.holidays),
                   other_locations_pace(db, data_day), rekam.pace, rekam.finish)


def plan_for(db: Database, data_day: dt.date, plan: PlanInput, deadline: dt.date | None = None,
             today: dt.date | None = None, shared: _Inputs | None = None) -> Proposal:
    """The plan for the kelurahan still to serve, simulated from the day after the data's day.

    data_day: the date of the latest data (the figures the plan starts from); today: the calendar day
    (which visits are done or under way; default data_day)."""
    deadline = deadline or settings.deadline()
    today = today or data_day
    given = shared or _inputs(db, data_day, today, plan, deadline)
    blocks = propose(given.todo, plan)
    outcome = simulate(blocks, plan, given.city, given.other_pace, deadline,
                       first_day=data_day + dt.timedelta(days=1), kept=given.kept)
    city = given.city
    days = max((deadline - data_day).days, 0)
    at_pace = city.sudah_rekam + min(int(given.pace * days), city.belum_rekam)
    return Proposal(plan, blocks, outcome, given.pace, given.finish, float(persen_floor(at_pace, city.wajib_ktp) or 0),
                    given.other_pace, city.belum_rekam)


@dataclass(frozen=True)
class Limits:
    """What bounds a plan (issue 21: "4 more devices change nothing" and "a later 100% than Ringkasan" said
    why). Each kelurahan gets one visit, so the safari records at most devices per site × capacity × days
    there; what it cannot reach waits for the other locations at their own pace, after the last block."""

    kelurahan: int           # kelurahan the plan visits
    alat_per_tempat: int     # devices at one site (the most any site gets)
    hari: int                # service days of one visit
    maks_kunjungan: int      # the most one visit records: alat_per_tempat × capacity × hari
    terbatas: int            # kelurahan with more residents left than one visit records
    safari: int              # recorded by the safari under the plan
    belum_rekam: int         # the city's unrecorded residents on the data's day
    sisa: int                # what is left to the other locations
    other_pace: float        # their pace a day
    current_pace: float      # the city's last-7-days pace (Ringkasan's)

    @property
    def visit_bound(self) -> bool:
        """The binding limit is one visit's size (most kelurahan have more left than a visit records):
        more kelurahan per block at the same devices per site change nothing but the end of the round."""
        return self.terbatas * 2 > self.kelurahan


def limits(proposal: Proposal) -> Limits:
    """The numbers behind a plan's outcome, from the plan itself."""
    blocks, plan = proposal.blocks, proposal.plan
    per_site = int(blocks["alat"].max()) if len(blocks) else plan.devices // plan.per_block
    days = max((len(h) for h in blocks["hari"]), default=plan.block_days)
    cap = blocks["alat"] * plan.capacity * blocks["hari"].map(len) if len(blocks) else pd.Series(dtype=int)
    capped = int((blocks["belum_rekam"] > cap).sum()) if len(blocks) else 0
    safari = proposal.outcome.rekam_safari
    return Limits(kelurahan=len(blocks), alat_per_tempat=per_site, hari=days, maks_kunjungan=per_site * plan.capacity * days,
                  terbatas=capped, safari=safari, belum_rekam=proposal.belum_rekam,
                  sisa=max(proposal.belum_rekam - safari, 0), other_pace=proposal.other_pace,
                  current_pace=proposal.current_pace)


def what_if(db: Database, as_of: dt.date, plan: PlanInput, deadline: dt.date | None = None,
            extra_devices: int = 4, extra_hours: int = 2, today: dt.date | None = None) -> list[tuple[str, Proposal]]:
    """The plan and its variants: more devices (more kelurahan per block at the same devices per site),
    longer hours (capacity in proportion to the hours), and both."""
    hours = (dt.datetime.combine(as_of, plan.jam_selesai) - dt.datetime.combine(as_of, plan.jam_mulai)).seconds / 3600
    per_site = max(plan.devices // plan.per_block, 1)
    more = replace(plan, devices=plan.devices + extra_devices, per_block=plan.per_block + extra_devices // per_site)
    longer = replace(plan, capacity=max(int(plan.capacity * (hours + extra_hours) / hours), plan.capacity + 1)
                     if hours > 0 else plan.capacity)
    both = replace(more, capacity=longer.capacity)
    deadline = deadline or settings.deadline()
    shared = _inputs(db, as_of, today or as_of, plan, deadline)   # the same start day for every variant
    return [(key, plan_for(db, as_of, p, deadline, today, shared)) for key, p in
            (("rencana", plan), ("alat", more), ("jam", longer), ("keduanya", both))]


def as_upload(blocks: pd.DataFrame, plan: PlanInput) -> bytes:
    """Visits (a plan, or the editor's rows) as a jadwal keliling CSV, exactly what an operator would
    upload; so they go through the same checks. Missing hours and places take the plan's defaults."""
    def column(name: str, default: object) -> pd.Series:
        values = blocks[name] if name in blocks.columns else pd.Series(None, index=blocks.index, dtype=object)
        return values.where(values.notna() & (values.astype(str) != ""), default)

    def day(name: str) -> pd.Series:
        return blocks[name].map(lambda d: "" if d is None or pd.isna(d) else pd.Timestamp(d).strftime("%d/%m/%Y"))

    def clock(name: str, default: dt.time) -> pd.Series:
        return column(name, default).map(lambda v: v.strftime("%H.%M") if hasattr(v, "strftime") else str(v))

    out = pd.DataFrame({
        "tanggal_mulai": day("tanggal_mulai"), "tanggal_selesai": day("tanggal_selesai"),
        "kode_kelurahan": blocks["kode"].fillna(""), "kelurahan": blocks["kelurahan"].fillna(""),
        "alat": blocks["alat"].map(lambda v: "" if v is None or pd.isna(v) else str(int(v))),
        "jam_mulai": clock("jam_mulai", plan.jam_mulai), "jam_selesai": clock("jam_selesai", plan.jam_selesai),
        "tempat": column("tempat", None).fillna("Kantor Kelurahan " + blocks["kelurahan"].fillna("")),
    })
    buffer = io.StringIO()
    out.to_csv(buffer, sep=";", index=False)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def timeline(db: Database, as_of: dt.date) -> pd.DataFrame:
    """Every active schedule row with its state on as_of: selesai, berjalan or akan datang."""
    frame = metrics.safari_schedule(db, dt.date(1900, 1, 1), dt.date(9999, 12, 31))
    day = pd.Timestamp(as_of)
    frame["status"] = np.where(frame["tanggal_selesai"] < day, "selesai",
                               np.where(frame["tanggal_mulai"] > day, "akan_datang", "berjalan"))
    return frame


def yield_per_location(db: Database, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Recordings per site-day and per device-day by location, from the data (in SQL).

    A site-day is one kelurahan (or office, school, market) reporting recordings on one day. Devices are
    known for the safari (the schedule's alat on that day); an office has one device.
    Columns: lokasi, hari_layanan, rekam, rata_per_hari, maks_per_hari, rata_per_alat.
    """
    return db.fetch_df("""
        WITH d AS (
            SELECT tanggal, kode_kelurahan, lokasi, sum(rekam) AS rekam
            FROM active_daily_counts
            WHERE tanggal BETWEEN $start AND $end AND rekam > 0
            GROUP BY ALL
        ),
        alat AS (
            SELECT d.tanggal, d.kode_kelurahan, max(j.alat) AS alat
            FROM d JOIN active_jadwal_keliling j ON j.kode_kelurahan = d.kode_kelurahan
             AND d.tanggal BETWEEN j.tanggal_mulai AND j.tanggal_selesai
            WHERE d.lokasi = 'kelurahan'
            GROUP BY ALL
        )
        SELECT d.lokasi, count(*)::BIGINT AS hari_layanan, sum(d.rekam)::BIGINT AS rekam,
               avg(d.rekam) AS rata_per_hari, max(d.rekam)::BIGINT AS maks_per_hari,
               sum(d.rekam) / sum(CASE WHEN d.lokasi = 'kecamatan' THEN 1 ELSE a.alat END) AS rata_per_alat
        FROM d LEFT JOIN alat a USING (tanggal, kode_kelurahan)
        WHERE d.lokasi <> 'kelurahan' OR a.alat IS NOT NULL
        GROUP BY d.lokasi ORDER BY maks_per_hari DESC""", {"start": start, "end": end})


def yield_per_kelurahan(db: Database, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Safari days per kelurahan: hari, rekam, rata per hari, maks per hari, alat, per alat per hari."""
    return db.fetch_df("""
        WITH d AS (
            SELECT tanggal, kode_kelurahan, sum(rekam) AS rekam
            FROM active_daily_counts
            WHERE tanggal BETWEEN $start AND $end AND lokasi = 'kelurahan' AND rekam > 0
            GROUP BY ALL
        )
        SELECT w.kelurahan, w.kecamatan, count(*)::BIGINT AS hari, sum(d.rekam)::BIGINT AS rekam,
               avg(d.rekam) AS rata_per_hari, max(d.rekam)::BIGINT AS maks_per_hari, max(j.alat) AS alat,
               sum(d.rekam) / sum(j.alat) AS per_alat_per_hari
        FROM d JOIN active_jadwal_keliling j ON j.kode_kelurahan = d.kode_kelurahan
             AND d.tanggal BETWEEN j.tanggal_mulai AND j.tanggal_selesai
        JOIN v_wilayah w ON w.kode_kelurahan = d.kode_kelurahan
        GROUP BY ALL ORDER BY maks_per_hari DESC""", {"start": start, "end": end})


def parse_holidays(text: str) -> tuple[tuple[dt.date, ...], list[str]]:
    """'15/10/2013, 5/11/2013' (or 2013-10-15; separated by commas, semicolons or new lines) → dates,
    and the pieces that are not dates."""
    days, bad = [], []
    for piece in (p.strip() for p in text.replace(";", ",").replace("\n", ",").split(",")):
        if not piece:
            continue
        for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
            try:
                days.append(dt.datetime.strptime(piece, pattern).date())
                break
            except ValueError:
                continue
        else:
            bad.append(piece)
    return tuple(sorted(set(days))), bad


def kelurahan_codes(db: Database) -> dict[str, str]:
    """Kelurahan name → code (the editor offers names)."""
    frame = db.fetch_df("SELECT kelurahan, kode_kelurahan FROM v_wilayah ORDER BY kelurahan")
    return dict(zip(frame["kelurahan"], frame["kode_kelurahan"]))


def editor_rows(db: Database, edited: pd.DataFrame) -> pd.DataFrame:
    """The editor's table as visits for as_upload: names become codes (unknown names stay, so the checks
    name the row)."""
    codes = kelurahan_codes(db)
    rows = edited.copy().reset_index(drop=True)
    rows["kode"] = rows["kelurahan"].map(lambda k: codes.get(k, "") if isinstance(k, str) else "")
    return rows


def earliest_start(timeline_frame: pd.DataFrame, today: dt.date, holidays: tuple[dt.date, ...] = HOLIDAYS_2013) -> dt.date:
    """The first day a new schedule may start: a service day after today and after every visit under way
    (their devices are busy; what is done or under way is history, not to be replaced)."""
    busy = timeline_frame.loc[timeline_frame["status"] == "berjalan", "tanggal_selesai"] if len(timeline_frame) else []
    last = max([today, *(pd.Timestamp(d).date() for d in busy)])
    return service_days(last + dt.timedelta(days=1), 1, holidays)[0]


default_start = earliest_start


def check_start(db: Database, start: dt.date, today: dt.date) -> None:
    """Refuse a schedule that would rewrite the past or a visit under way."""
    first = earliest_start(timeline(db, today), today, ())
    if start < first:
        raise ValueError(f"jadwal baru paling awal mulai {first.isoformat()} (sesudah hari ini dan kunjungan yang berjalan)")


def clear_from(db: Database, start: dt.date, *, user: str, role: str) -> tuple[int, int]:
    """Cancel every visit from `start` on (the editor saved with no rows): one jadwal batch without rows,
    reversible on Riwayat. Returns (batch id, visits cancelled). A role without edit_schedule: NotAllowed."""
    from ektp_metrics import auth
    from ektp_metrics.db import audit, new_batch
    from ektp_metrics.upload import supersede_schedule_from

    auth.require(role, "edit_schedule")

    with db.transaction() as cur:
        batch = new_batch(cur, kind="jadwal", file_name=f"jadwal dikosongkan mulai {start.isoformat()}", user_name=user)
        count = supersede_schedule_from(cur, batch, start)
        cur.execute("UPDATE batches SET note = ? WHERE id = ?", [f"koreksi: menggantikan {count} baris", batch])
        audit(cur, user, "unggah", f"batch {batch}", f"jadwal; dikosongkan mulai {start}; {count} kunjungan dibatalkan")
    return batch, count
