"""The demo reproduces the report of Friday 25 October 2013 exactly, with a plausible history."""

import datetime as dt

import pandas as pd

from ektp_metrics import demo, metrics
from ektp_metrics.regions import read_region_list

REPORT = dt.date(2013, 10, 25)


def test_report_totals_exactly(demo_db):
    kota = metrics.city_summary(demo_db, REPORT)
    assert (kota.wajib_ktp, kota.sudah_rekam, kota.belum_rekam) == (415_549, 383_427, 32_122)
    assert (kota.sudah_distribusi, kota.backlog_distribusi) == (345_679, 37_748)
    assert str(kota.persen_rekam) == "92.26"
    assert metrics.reference_day(demo_db) == REPORT


def test_published_earlier_figures_and_their_denominators(demo_db):
    nov = metrics.city_summary(demo_db, dt.date(2012, 11, 28))
    assert (nov.wajib_ktp, nov.sudah_rekam) == (365_000, 354_498)
    may = metrics.city_summary(demo_db, dt.date(2013, 5, 7))
    assert (may.wajib_ktp, may.sudah_rekam) == (450_000, 361_404)


def test_kecamatan_wajib_in_proportion_to_2012_population(demo_db):
    pop = pd.read_csv(demo.DATA_DIR / "wilayah" / "kecamatan_penduduk_2012.csv", dtype={"kode_kecamatan": str})
    share = dict(zip(pop["kode_kecamatan"], pop["penduduk_2012"] / pop["penduduk_2012"].sum()))
    for s in metrics.summaries(demo_db, REPORT, "kecamatan"):
        assert abs(s.wajib_ktp - share[s.kode] * 415_549) < 1


def test_safari_rules(demo_db):
    daily = demo_db.fetch_df("SELECT * FROM daily_counts")
    safari = daily[daily["lokasi"] == "kelurahan"]
    assert safari["tanggal"].min() == pd.Timestamp("2013-10-07")          # Monday 7 October
    assert safari["rekam"].max() == 180                                  # a kelurahan site: up to 180
    top = safari.loc[safari["rekam"].idxmax()]
    assert top["kode_kelurahan"] == "33.72.01.1001"                      # in Pajang
    office = daily[daily["lokasi"] == "kecamatan"]
    kec = office.assign(kec=office["kode_kelurahan"].str[:8]).groupby(["tanggal", "kec"])["rekam"].sum()
    assert 0 < kec.max() <= 25                                           # a kecamatan office: at most 25
    assert office[office["tanggal"] >= pd.Timestamp("2013-10-07")]["rekam"].sum() == 0  # devices moved
    # Blocks of five kelurahan together: about 400 a day.
    five = safari.groupby("tanggal").filter(lambda g: len(g) == 5).groupby("tanggal")["rekam"].sum()
    assert len(five) == 9 and 330 <= five.mean() <= 470
    assert set(daily["lokasi"]) >= {"sekolah", "pasar"}


def test_sixteen_kelurahan_served_by_report_and_the_rest_scheduled(demo_db):
    jadwal = demo_db.fetch_df("SELECT * FROM jadwal_keliling")
    served = jadwal[jadwal["tanggal_mulai"] <= pd.Timestamp(REPORT)]["kode_kelurahan"]
    assert served.nunique() == 16
    assert jadwal["kode_kelurahan"].nunique() == 51 and jadwal["kode_kelurahan"].is_unique
    standard = jadwal.groupby("tanggal_mulai").filter(lambda g: len(g) == 5)
    assert (standard.groupby("tanggal_mulai")["alat"].sum() == 10).all()  # 10 devices over 5 kelurahan
    assert ((standard["tanggal_selesai"] - standard["tanggal_mulai"]).dt.days >= 2).all()
    assert (jadwal["jam_mulai"].astype(str) == "15:00:00").all()          # afternoons and evenings
    safari_days = demo_db.fetch_df("SELECT DISTINCT kode_kelurahan FROM daily_counts WHERE lokasi = 'kelurahan'")
    assert set(safari_days["kode_kelurahan"]) == set(served)


def test_history_is_consistent_every_day(demo_db):
    # Cumulative figures never fall, and distribusi never exceeds rekam, in any kelurahan on any day.
    previous = None
    day = dt.date(2013, 8, 31)
    while day <= REPORT:
        frame = metrics.summary_frame(demo_db, day, "kelurahan").set_index("kode")
        assert (frame["sudah_distribusi"] <= frame["sudah_rekam"]).all(), day
        assert (frame["sudah_rekam"] <= frame["wajib_ktp"]).all(), day
        if previous is not None:
            assert (frame["sudah_rekam"] >= previous["sudah_rekam"]).all(), day
            assert (frame["sudah_distribusi"] >= previous["sudah_distribusi"]).all(), day
        previous = frame
        day += dt.timedelta(days=1)


def test_snapshots_never_fall(demo_db):
    rekap = demo_db.fetch_df("SELECT * FROM rekap ORDER BY kode_kelurahan, tanggal")
    for _, g in rekap.groupby("kode_kelurahan"):
        assert g["sudah_rekam"].is_monotonic_increasing
        assert g["sudah_distribusi"].is_monotonic_increasing
        assert (g["sudah_distribusi"] <= g["sudah_rekam"]).all()


def test_deterministic():
    regions = read_region_list()
    a, b = demo.generate(regions), demo.generate(regions)
    pd.testing.assert_frame_equal(a.daily, b.daily)
    pd.testing.assert_frame_equal(a.rekap, b.rekap)
    pd.testing.assert_frame_equal(a.jadwal, b.jadwal)
    other = demo.generate(regions, seed=1)
    assert not other.daily.equals(a.daily)
    assert int(other.rekap[other.rekap["tanggal"] == dt.date(2013, 8, 31)]["sudah_rekam"].sum()) > 0


def test_allocate_is_exact():
    assert demo.allocate(10, [1, 1, 1]).tolist() == [4, 3, 3]
    assert demo.allocate(0, [1, 2]).tolist() == [0, 0]
    assert demo.allocate(415_549, [3, 5, 7, 11]).sum() == 415_549


def test_demo_is_labelled(demo_db):
    assert demo_db.get_setting("demo") == "1"
    assert set(demo_db.fetch_df("SELECT DISTINCT note FROM batches WHERE kind <> 'publikasi'")["note"]) == {"data contoh"}
