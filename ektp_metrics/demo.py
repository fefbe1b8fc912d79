"""The demo database ("data contoh"): a deterministic, plausible history of recording in Kota Surakarta.

What is real: the city totals of the report of Friday 25 October 2013 (wajib 415.549, sudah rekam 383.427,
distribusi 345.679), the earlier published city figures (Nov 2012, May 2013), the dates, the safari's rules
(from Monday 7 October 2013, 10 devices, 5 kelurahan per 3-day block, afternoons and evenings, 16 kelurahan
served by 25 October, up to 180 a day at a kelurahan site as in Pajang, about 400 a day for five kelurahan,
at most 25 a day at a kecamatan office) and the split of wajib KTP over kecamatan in proportion to their
2012 population. What is illustrative: everything per kelurahan, the daily numbers, which kelurahan the
safari visited, and the day from which each target version holds (the month is real).

Published figures the demo cannot follow: "kartu diterima warga" 350.189 in May 2013 exceeds the 345.679
cards distributed in October 2013 (the sources count differently), so the demo's distribution rises
steadily from 241.800 (78% of 310.000, Nov 2012) to 345.679 instead.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ektp_metrics import DATA_DIR
from ektp_metrics.db import Database, audit, new_batch, set_setting
from ektp_metrics.regions import KELURAHAN_GEOJSON
from ektp_metrics.schedule import HOLIDAYS_2013, service_days

SEED = 20131025
DEMO_USER = "demo"

# The report of Friday 25 October 2013 (Solopos; shared/seed).
REPORT_DATE = dt.date(2013, 10, 25)
WAJIB_KTP = 415_549
SUDAH_REKAM = 383_427
SUDAH_DISTRIBUSI = 345_679
SAFARI_START = dt.date(2013, 10, 7)
SAFARI_DEVICES = 10
SAFARI_KELURAHAN_PER_BLOCK = 5
SAFARI_BLOCK_DAYS = 3
SAFARI_SERVED_BY_REPORT = 16
KELURAHAN_SITE_MAX = 180     # Pajang
KECAMATAN_OFFICE_MAX = 25
SAFARI_JAM = (dt.time(15, 0), dt.time(21, 0))  # "sore hingga malam"

# Published city figures used as snapshots (data/referensi/ektp_surakarta_berita.csv).
NOV_2012 = dt.date(2012, 11, 28)
NOV_2012_WAJIB, NOV_2012_REKAM, NOV_2012_KARTU_DITERIMA = 365_000, 354_498, 310_000
NOV_2012_DISTRIBUSI = NOV_2012_KARTU_DITERIMA * 78 // 100   # "78% kartu dibagikan"
MAY_2013 = dt.date(2013, 5, 7)
MAY_2013_WAJIB, MAY_2013_REKAM = 450_000, 361_404

# Illustrative choices of the demo.
# The 415.549 base was reported in October 2013; from which day it held is not known (illustrative).
TARGET_V3_FROM = dt.date(2013, 10, 1)
LAST_SNAPSHOT = dt.date(2013, 8, 31)         # the last cumulative snapshot before the daily reports
MONTHLY_SNAPSHOTS = (dt.date(2013, 6, 30), dt.date(2013, 7, 31), LAST_SNAPSHOT)
OFFICE_DAYS_FROM = dt.date(2013, 9, 2)       # daily reports from kecamatan offices start
PAST_BLOCKS = (  # (start, days, number of kelurahan, devices per kelurahan)
    (dt.date(2013, 10, 7), 3, 5, 2),
    (dt.date(2013, 10, 10), 3, 5, 2),
    (dt.date(2013, 10, 16), 3, 5, 2),
    (dt.date(2013, 10, 23), 3, 1, 4),        # Kadipiro, the largest, alone; 6 devices on outreach
)
OUTREACH_DAYS = {  # jemput bola: date → lokasi
    dt.date(2013, 10, 14): "sekolah", dt.date(2013, 10, 19): "pasar",
    dt.date(2013, 10, 21): "sekolah", dt.date(2013, 10, 22): "pasar",
    dt.date(2013, 10, 23): "sekolah", dt.date(2013, 10, 24): "pasar", dt.date(2013, 10, 25): "sekolah",
}
FUTURE_BLOCK_STARTS = (dt.date(2013, 10, 28), dt.date(2013, 10, 31), dt.date(2013, 11, 6),
                       dt.date(2013, 11, 11), dt.date(2013, 11, 14), dt.date(2013, 11, 18),
                       dt.date(2013, 11, 21))

# Demo accounts: public on purpose, only ever created in a demo database (`init --demo`), printed by
# `make run` and shown as demo accounts on the login form.
DEMO_ACCOUNTS = (
    ("admin", "Admin (contoh)", "admin", "contoh-admin-2013"),
    ("operator", "Operator (contoh)", "operator", "contoh-operator-2013"),
    ("pimpinan", "Kantor Wawali (contoh)", "pimpinan", "contoh-pimpinan-2013"),
)

DEMO_TEXTS = {
    "wawali_nama": "Achmad Purnomo, Wakil Wali Kota Surakarta",
    "wawali_ajakan": ("Segera rekam e-KTP di kelurahan terdekat. Kartu identitas ini mulai berlaku aktif "
                      "2014. Kalau tidak punya e-KTP, warga bisa kesulitan mengurus persoalan administratif "
                      "sampai perbankan."),
    # Illustrative: the report does not say where cards are handed out.
    "kartu_tempat": "Tanyakan kartu Anda di kantor kelurahan tempat Anda terdaftar.",
}


def allocate(total: int, weights: np.ndarray | list[float]) -> np.ndarray:
    """Split an integer total over weights exactly (largest remainder). Zero weights get zero."""
    w = np.asarray(weights, dtype=float)
    if total < 0 or (w < 0).any() or (total > 0 and w.sum() <= 0):
        raise ValueError("allocate needs a non-negative total and non-negative weights")
    if total == 0:
        return np.zeros(len(w), dtype=np.int64)
    exact = w / w.sum() * total
    base = np.floor(exact).astype(np.int64)
    short = int(total - base.sum())
    order = np.argsort(-(exact - base), kind="stable")
    base[order[:short]] += 1
    return base


@dataclass
class DemoData:
    regions: pd.DataFrame            # kode_kelurahan, kelurahan, kode_kecamatan, kecamatan
    targets: pd.DataFrame            # kode_kelurahan, berlaku_mulai, wajib_ktp
    rekap: pd.DataFrame              # tanggal, kode_kelurahan, sudah_rekam, sudah_distribusi, kartu_diterima
    daily: pd.DataFrame              # tanggal, kode_kelurahan, lokasi, rekam, distribusi
    jadwal: pd.DataFrame             # kode_kelurahan, tanggal_mulai, tanggal_selesai, alat, jam_*, tempat


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


def _service_days(start: dt.date, count: int) -> list[dt.date]:
    """`count` consecutive days from `start`, skipping Sundays and holidays."""
    return service_days(start, count, HOLIDAYS_2013)


def generate(regions: pd.DataFrame, seed: int = SEED) -> DemoData:
    """Build the demo history for the Solo region list. Pure: no database involved."""
    rng = np.random.default_rng(seed)
    kel = regions[["kode_kelurahan", "kelurahan", "kode_kecamatan", "kecamatan"]].reset_index(drop=True)
    n = len(kel)
    codes = kel["kode_kelurahan"].tolist()
    idx = {k: i for i, k in enumerate(codes)}

    # wajib KTP: kecamatan in proportion to 2012 population (real), kelurahan illustrative
    # (weight ~ square root of the polygon area, with noise).
    pop = pd.read_csv(DATA_DIR / "wilayah" / "kecamatan_penduduk_2012.csv", dtype={"kode_kecamatan": str})
    kec_wajib = dict(zip(pop["kode_kecamatan"], allocate(WAJIB_KTP, pop["penduduk_2012"].to_numpy())))
    area = {f["properties"]["kode"]: f["properties"]["luas_ha_poligon"]
            for f in json.loads(KELURAHAN_GEOJSON.read_text())["features"]}
    weight = np.array([np.sqrt(area.get(k, 50.0)) for k in codes]) * rng.lognormal(0, 0.25, n)
    wajib = np.zeros(n, dtype=np.int64)
    for kode_kec, total in kec_wajib.items():
        mask = (kel["kode_kecamatan"] == kode_kec).to_numpy()
        wajib[mask] = allocate(int(total), weight[mask])

    # Which kelurahan the safari served by the report: Pajang first (the report names it), Kadipiro last.
    pajang, kadipiro = idx["33.72.01.1001"], idx["33.72.05.1001"]
    others = [i for i in rng.permutation(n).tolist() if i not in (pajang, kadipiro)]
    served_blocks = [[pajang] + others[0:4], others[4:9], others[9:14], [kadipiro]]
    served = [i for block in served_blocks for i in block]
    assert len(served) == SAFARI_SERVED_BY_REPORT

    # Daily counts from 2 September to the report date.
    rows: list[tuple[dt.date, int, str, int, int]] = []
    kec_members = {k: np.flatnonzero((kel["kode_kecamatan"] == k).to_numpy()) for k in kec_wajib}
    for day in _days(OFFICE_DAYS_FROM, REPORT_DATE):
        if day.weekday() == 6 or day in HOLIDAYS_2013:
            continue
        working = day.weekday() < 5
        for kode_kec, members in kec_members.items():
            # Kecamatan offices recorded (at most 25 a day) until the devices moved to the kelurahan.
            rekam_office = int(rng.integers(12, KECAMATAN_OFFICE_MAX + 1)) if working and day < SAFARI_START else 0
            dist_office = int(rng.integers(25, 70)) if working else 0
            rekam_split = allocate(rekam_office, rng.random(len(members))) if rekam_office else 0 * members
            dist_split = allocate(dist_office, rng.random(len(members))) if dist_office else 0 * members
            for member, r, d in zip(members, rekam_split, dist_split):
                if r or d:
                    rows.append((day, int(member), "kecamatan", int(r), int(d)))
    for (start, length, _, devices), block in zip(PAST_BLOCKS, served_blocks):
        for day_no, day in enumerate(_service_days(start, length)):
            for i in block:
                if i == pajang:
                    rekam = (150, 165, KELURAHAN_SITE_MAX)[day_no]   # Pajang reached 180 in one day
                elif devices > 2:
                    rekam = int(rng.integers(150, 176))
                else:
                    rekam = int(np.clip(rng.normal(75, 12), 40, 140))
                rows.append((day, i, "kelurahan", rekam, int(rng.integers(5, 25))))
    unserved = [i for i in range(n) if i not in served]
    markets = [idx[k] for k in ("33.72.03.1004", "33.72.04.1003", "33.72.05.1004")]
    for day, lokasi in OUTREACH_DAYS.items():
        sites = rng.choice(unserved, 3, replace=False) if lokasi == "sekolah" else markets
        for i in sites:
            rows.append((day, int(i), lokasi, int(rng.integers(20, 45)), 0))
    daily = pd.DataFrame(rows, columns=["tanggal", "i", "lokasi", "rekam", "distribusi"])
    daily = daily.groupby(["tanggal", "i", "lokasi"], as_index=False).sum()
    flow_rekam = daily.groupby("i")["rekam"].sum().reindex(range(n), fill_value=0).to_numpy()
    flow_dist = daily.groupby("i")["distribusi"].sum().reindex(range(n), fill_value=0).to_numpy()

    # Final state on the report date: served kelurahan have fewer residents left to record.
    rate = rng.lognormal(0, 0.3, n) * np.where(np.isin(np.arange(n), served), 0.55, 1.0)
    belum = allocate(WAJIB_KTP - SUDAH_REKAM, wajib * rate)
    rekam_final = wajib - belum
    # Each kelurahan's backlog must cover its daily flows, so that cards never outnumber recordings on
    # any day: backlog(t) = backlog_31aug + cumulative rekam(t) - cumulative distribusi(t) >= 0.
    by_day = daily.groupby(["i", "tanggal"])[["rekam", "distribusi"]].sum().groupby(level="i").cumsum()
    deficit = (by_day["distribusi"] - by_day["rekam"]).groupby(level="i").max().clip(lower=0)
    need_aug = deficit.reindex(range(n), fill_value=0).to_numpy() + rekam_final // 100
    minimum = np.maximum(need_aug + flow_rekam - flow_dist, 0)
    backlog = minimum + allocate(SUDAH_REKAM - SUDAH_DISTRIBUSI - int(minimum.sum()),
                                 rekam_final * rng.lognormal(0, 0.3, n))
    dist_final = rekam_final - backlog

    # Snapshots, going back in time: each earlier one = the later minus non-negative increments.
    r_aug, d_aug = rekam_final - flow_rekam, dist_final - flow_dist
    snapshots: dict[dt.date, tuple[np.ndarray, np.ndarray]] = {LAST_SNAPSHOT: (r_aug, d_aug)}
    city_r = {MAY_2013: MAY_2013_REKAM, NOV_2012: NOV_2012_REKAM}
    span = (LAST_SNAPSHOT - NOV_2012).days
    city_d = {day: NOV_2012_DISTRIBUSI + (int(d_aug.sum()) - NOV_2012_DISTRIBUSI) * (day - NOV_2012).days // span
              for day in (*MONTHLY_SNAPSHOTS[:2], MAY_2013, NOV_2012)}
    for day in MONTHLY_SNAPSHOTS[:2]:   # linear between May and August
        frac = (day - MAY_2013).days / (LAST_SNAPSHOT - MAY_2013).days
        city_r[day] = MAY_2013_REKAM + round((int(r_aug.sum()) - MAY_2013_REKAM) * frac)
    later_r, later_d = r_aug, d_aug
    for day in sorted(city_r, reverse=True):
        r = later_r - allocate(int(later_r.sum()) - city_r[day], later_r)
        d = later_d - allocate(int(later_d.sum()) - city_d[day], later_d)
        snapshots[day] = (r, d)
        later_r, later_d = r, d

    targets = [(NOV_2012, allocate(NOV_2012_WAJIB, snapshots[NOV_2012][0])),
               (MAY_2013, allocate(MAY_2013_WAJIB, wajib)), (TARGET_V3_FROM, wajib)]
    kartu_nov = allocate(NOV_2012_KARTU_DITERIMA, snapshots[NOV_2012][0])

    rekap_rows = []
    for day in sorted(snapshots):
        r, d = snapshots[day]
        for i in range(n):
            kartu = int(kartu_nov[i]) if day == NOV_2012 else None
            rekap_rows.append((day, codes[i], int(r[i]), int(d[i]), kartu))

    # The schedule: the past blocks, then the 35 remaining kelurahan, most residents unrecorded first.
    jadwal_rows = []
    for (start, length, _, devices), block in zip(PAST_BLOCKS, served_blocks):
        days = _service_days(start, length)
        for i in block:
            jadwal_rows.append((codes[i], days[0], days[-1], devices))
    remaining = sorted(unserved, key=lambda i: (-int(belum[i]), codes[i]))
    for b, start in enumerate(FUTURE_BLOCK_STARTS):
        days = _service_days(start, SAFARI_BLOCK_DAYS)
        for i in remaining[b * SAFARI_KELURAHAN_PER_BLOCK:(b + 1) * SAFARI_KELURAHAN_PER_BLOCK]:
            jadwal_rows.append((codes[i], days[0], days[-1], SAFARI_DEVICES // SAFARI_KELURAHAN_PER_BLOCK))
    names = dict(zip(codes, kel["kelurahan"]))
    jadwal = pd.DataFrame(jadwal_rows, columns=["kode_kelurahan", "tanggal_mulai", "tanggal_selesai", "alat"])
    jadwal["jam_mulai"], jadwal["jam_selesai"] = SAFARI_JAM
    jadwal["tempat"] = ["Kantor Kelurahan " + names[k] for k in jadwal["kode_kelurahan"]]

    daily["kode_kelurahan"] = [codes[i] for i in daily["i"]]
    return DemoData(
        regions=kel,
        targets=pd.DataFrame([(codes[i], day, int(v[i])) for day, v in targets for i in range(n)],
                             columns=["kode_kelurahan", "berlaku_mulai", "wajib_ktp"]),
        rekap=pd.DataFrame(rekap_rows, columns=["tanggal", "kode_kelurahan", "sudah_rekam",
                                                "sudah_distribusi", "kartu_diterima"]),
        daily=daily[["tanggal", "kode_kelurahan", "lokasi", "rekam", "distribusi"]],
        jadwal=jadwal,
    )


def install(db: Database, data: DemoData) -> None:
    """Write the demo history as batches, in one transaction, the way uploads would have arrived."""
    with db.transaction() as cur:
        v3 = data.targets[data.targets["berlaku_mulai"] == TARGET_V3_FROM]
        batch = new_batch(cur, kind="target", file_name=f"contoh/wajib_ktp_{TARGET_V3_FROM.isoformat()}.csv",
                          user_name=DEMO_USER, rows=len(v3), note="data contoh")
        cur.register("demo_targets", v3.assign(batch_id=batch, baris=range(2, len(v3) + 2)))
        cur.execute("""INSERT INTO targets (batch_id, baris, kode_kelurahan, berlaku_mulai, wajib_ktp)
                       SELECT batch_id, baris, kode_kelurahan, berlaku_mulai, wajib_ktp FROM demo_targets""")
        cur.unregister("demo_targets")
        for day, snap in data.rekap.groupby("tanggal", sort=True):
            tg = data.targets[data.targets["berlaku_mulai"] == day]
            batch = new_batch(cur, kind="rekap", file_name=f"contoh/rekap_{day.isoformat()}.csv",
                              user_name=DEMO_USER, rows=len(snap), note="data contoh")
            frame = snap.assign(batch_id=batch, baris=range(2, len(snap) + 2))
            cur.register("demo_rekap", frame)
            cur.execute("""INSERT INTO rekap (batch_id, baris, tanggal, kode_kelurahan, sudah_rekam,
                                              sudah_distribusi, kartu_diterima)
                           SELECT batch_id, baris, tanggal, kode_kelurahan, sudah_rekam, sudah_distribusi,
                                  kartu_diterima::INTEGER FROM demo_rekap""")
            cur.unregister("demo_rekap")
            if len(tg):
                cur.register("demo_targets", tg.assign(batch_id=batch, baris=range(2, len(tg) + 2)))
                cur.execute("""INSERT INTO targets (batch_id, baris, kode_kelurahan, berlaku_mulai, wajib_ktp)
                               SELECT batch_id, baris, kode_kelurahan, berlaku_mulai, wajib_ktp FROM demo_targets""")
                cur.unregister("demo_targets")
        for day, rows in data.daily.groupby("tanggal", sort=True):
            batch = new_batch(cur, kind="harian", file_name=f"contoh/harian_{day.isoformat()}.csv",
                              user_name=DEMO_USER, rows=len(rows), note="data contoh")
            cur.register("demo_daily", rows.assign(batch_id=batch, baris=range(2, len(rows) + 2)))
            cur.execute("""INSERT INTO daily_counts (batch_id, baris, tanggal, kode_kelurahan, lokasi, rekam,
                                                     distribusi)
                           SELECT batch_id, baris, tanggal, kode_kelurahan, lokasi, rekam, distribusi
                           FROM demo_daily""")
            cur.unregister("demo_daily")
        batch = new_batch(cur, kind="jadwal", file_name="contoh/jadwal_keliling_2013.csv", user_name=DEMO_USER,
                          rows=len(data.jadwal), note="data contoh")
        cur.register("demo_jadwal", data.jadwal.assign(batch_id=batch, baris=range(2, len(data.jadwal) + 2)))
        cur.execute("""INSERT INTO jadwal_keliling (batch_id, baris, kode_kelurahan, tanggal_mulai,
                                                    tanggal_selesai, alat, jam_mulai, jam_selesai, tempat)
                       SELECT batch_id, baris, kode_kelurahan, tanggal_mulai, tanggal_selesai, alat, jam_mulai,
                              jam_selesai, tempat FROM demo_jadwal""")
        cur.unregister("demo_jadwal")
        set_setting(cur, "demo", "1")
        for key, value in DEMO_TEXTS.items():
            set_setting(cur, key, value)
        audit(cur, DEMO_USER, "demo_dibuat", detail=f"seed={SEED}")
