"""Kualitas data (ektp_metrics.quality): each rule on a small database built for it, the headline check,
reconciliation with the centre, the page and `cek`."""

import datetime as dt
import json
from decimal import Decimal

import pytest

from ektp_metrics import auth, metrics, quality
from ektp_metrics.db import Database
from tests.apptest import page_app
from tests.conftest import add_batch
from tests.helpers import central_csv

PAJANG, LAWEYAN = "33.72.01.1001", "33.72.01.1002"
D = dt.date


def target(db, kode=PAJANG, wajib=1000, day="2013-01-01"):
    return add_batch(db, "target", f"('{kode}', DATE '{day}', {wajib})", "targets", "kode_kelurahan, berlaku_mulai, wajib_ktp")


def rekap(db, rows):
    return add_batch(db, "rekap", rows, "rekap", "baris, tanggal, kode_kelurahan, sudah_rekam, sudah_distribusi")


def harian(db, rows):
    return add_batch(db, "harian", rows, "daily_counts", "baris, tanggal, kode_kelurahan, lokasi, rekam, distribusi")


def test_coverage_above_100_names_the_batch_and_row(fresh_db):
    target(fresh_db)
    rekap(fresh_db, f"(2, DATE '2013-10-01', '{PAJANG}', 990, 900)")
    assert quality.coverage_above_100(fresh_db).empty
    batch = harian(fresh_db, f"(7, DATE '2013-10-02', '{PAJANG}', 'kelurahan', 20, 0)")
    found = quality.coverage_above_100(fresh_db)
    assert len(found) == 1
    row = found.iloc[0]
    assert (row["kelurahan"], row["tanggal"].date(), row["nilai"], row["batas"]) == ("Pajang", D(2013, 10, 2), 1010, 1000)
    assert (row["batch_id"], row["baris"]) == (batch, 7)


def test_distribusi_above_rekam(fresh_db):
    batch = rekap(fresh_db, f"(3, DATE '2013-10-01', '{PAJANG}', 500, 510)")
    found = quality.distribusi_above_rekam(fresh_db)
    assert list(found["nilai"]) == [510] and list(found["batas"]) == [500] and list(found["batch_id"]) == [batch]


def test_the_finding_names_the_row_that_set_the_figure(fresh_db):
    # a snapshot and a daily row on the same day: the snapshot sets the figure (the daily row is inside it)
    target(fresh_db)
    snapshot = rekap(fresh_db, f"(3, DATE '2013-10-01', '{PAJANG}', 1005, 900)")
    harian(fresh_db, f"(9, DATE '2013-10-01', '{PAJANG}', 'kelurahan', 5, 0)")
    row = quality.coverage_above_100(fresh_db, D(2013, 10, 1)).iloc[0]
    assert (row["batch_id"], row["baris"]) == (snapshot, 3)


def test_a_lowered_target_is_caught(fresh_db):
    target(fresh_db, wajib=1000, day="2013-01-01")
    rekap(fresh_db, f"(2, DATE '2013-10-01', '{PAJANG}', 990, 900)")
    lower = target(fresh_db, wajib=900, day="2013-10-10")
    found = quality.coverage_above_100(fresh_db, D(2013, 10, 20))
    first = found.iloc[0]
    assert (first["tanggal"].date(), first["nilai"], first["batas"], first["batch_id"]) == (D(2013, 10, 10), 990, 900, lower)
    assert D(2013, 10, 20) in {d.date() for d in found["tanggal"]}        # and still so on the reference day


def test_two_snapshots_on_one_day_are_one_figure(fresh_db):
    rekap(fresh_db, f"(2, DATE '2013-09-01', '{PAJANG}', 800, 600)")
    harian(fresh_db, f"(2, DATE '2013-09-10', '{PAJANG}', 'kelurahan', 50, 10)")
    add_batch(fresh_db, "rekap", f"(2, DATE '2013-10-01', '{PAJANG}', 860, NULL)", "rekap",
              "baris, tanggal, kode_kelurahan, sudah_rekam, sudah_distribusi")
    add_batch(fresh_db, "rekap", f"(2, DATE '2013-10-01', '{PAJANG}', NULL, 615)", "rekap",
              "baris, tanggal, kode_kelurahan, sudah_rekam, sudah_distribusi")
    found = quality.cumulative_falling(fresh_db)
    # the day before: 850 recorded, 610 delivered; neither snapshot falls below it
    assert found.empty
    newer = rekap(fresh_db, f"(5, DATE '2013-10-01', '{PAJANG}', 840, 620)")
    found = quality.cumulative_falling(fresh_db)
    assert list(zip(found["ukuran"], found["nilai"], found["batas"], found["batch_id"], found["baris"])) == \
        [("sudah_rekam", 840, 850, newer, 5)]


def test_cumulative_falling_between_snapshots(fresh_db):
    rekap(fresh_db, f"(2, DATE '2013-09-01', '{PAJANG}', 800, 600)")
    harian(fresh_db, f"(2, DATE '2013-09-10', '{PAJANG}', 'kelurahan', 50, 10)")
    later = rekap(fresh_db, f"(4, DATE '2013-10-01', '{PAJANG}', 840, 620)")     # 850 the day before: falls
    found = quality.cumulative_falling(fresh_db)
    assert list(found["ukuran"]) == ["sudah_rekam"]
    row = found.iloc[0]
    assert (row["nilai"], row["batas"], row["batch_id"], row["baris"]) == (840, 850, later, 4)
    # a revert removes the finding
    from ektp_metrics import history
    history.revert(fresh_db, later, user="admin", reason="uji", role="admin")
    assert quality.cumulative_falling(fresh_db).empty


def test_implausible_daily_counts(fresh_db, monkeypatch):
    monkeypatch.setenv("EKTP_MAX_DAILY", "300")
    harian(fresh_db, f"(2, DATE '2013-10-01', '{PAJANG}', 'kecamatan', 25, 0), (3, DATE '2013-10-01', '{PAJANG}', 'kelurahan', 300, 0),"
                     f"(4, DATE '2013-10-02', '{PAJANG}', 'kecamatan', 26, 0), (5, DATE '2013-10-02', '{LAWEYAN}', 'sekolah', 301, 0)")
    found = quality.implausible_daily(fresh_db)
    assert list(zip(found["lokasi"], found["nilai"], found["batas"], found["baris"])) == [("kecamatan", 26, 25, 4), ("sekolah", 301, 300, 5)]


def test_an_office_is_capped_per_day_over_all_the_kelurahan_it_served(fresh_db):
    # Laweyan's office recorded 15 residents of each of three kelurahan on one day: 45 > 25
    harian(fresh_db, ", ".join(f"({i + 2}, DATE '2013-10-03', '33.72.01.100{i + 1}', 'kecamatan', 15, 0)" for i in range(3)))
    found = quality.implausible_daily(fresh_db)
    assert list(zip(found["kelurahan"], found["nilai"], found["batas"])) == [("Kantor Kec. Laweyan", 45, 25)]


def test_completeness_and_silence(fresh_db):
    # Pajang reported every day of the week before 12 October 2013 (a Saturday); Laweyan only long ago
    days = [D(2013, 10, 12) - dt.timedelta(days=i) for i in range(7)]
    harian(fresh_db, ", ".join(f"({i + 2}, DATE '{d}', '{PAJANG}', 'kelurahan', 5, 0)" for i, d in enumerate(days)))
    harian(fresh_db, f"(2, DATE '2013-09-01', '{LAWEYAN}', 'kelurahan', 5, 0)")
    frame = quality.completeness(fresh_db, D(2013, 10, 12), days=7, stale_after=7).set_index("kode_kelurahan")
    assert frame.loc[PAJANG, "hari_diharapkan"] == 6 and frame.loc[PAJANG, "hari_melapor"] == 6    # Sunday not counted
    assert frame.loc[PAJANG, "persen_melapor"] == 100 and not frame.loc[PAJANG, "terlambat"]
    assert frame.loc[LAWEYAN, "hari_sejak_laporan"] == 41 and frame.loc[LAWEYAN, "terlambat"]
    silent = quality.silent_kelurahan(fresh_db, D(2013, 10, 12), stale_after=7)
    assert PAJANG not in set(silent["kode_kelurahan"]) and LAWEYAN in set(silent["kode_kelurahan"])
    assert len(silent) == 50               # the 49 that never reported count as silent too


def test_the_reporting_rate_is_floored_like_every_percentage(fresh_db):
    # One report in a week (6 working days) among 51 kelurahan: 1/306 = 0,3267…% is shown 0,32%, never
    # 0,33% (the mean of the per-kelurahan rates, rounded, said 0,33)
    harian(fresh_db, f"(2, DATE '2013-10-12', '{PAJANG}', 'kelurahan', 5, 0)")
    frame = quality.completeness(fresh_db, D(2013, 10, 12), days=7)
    assert quality.reporting_rate(frame) == Decimal("0.32")
    assert quality.reporting_rate(frame.iloc[:0]) is None


def test_kualitas_shows_the_reporting_rate_floored(fresh_db, db_path, monkeypatch):
    # The page's 30 days to 12 October 2013 hold 26 working days: 1 report of 51 × 26 = 0,0754…%, shown 0,07%
    # (the page rounded the mean of the kelurahan's rates: 0,08%)
    harian(fresh_db, f"(2, DATE '2013-10-12', '{PAJANG}', 'kelurahan', 5, 0)")
    with fresh_db.transaction() as cur:
        cur.execute("""INSERT INTO users (username, display_name, role, password_hash, created_by)
                       VALUES ('admin', 'Admin', 'admin', 'x', 'test')""")
    fresh_db.close()
    at = page_app(monkeypatch, db_path, "kualitas.py", user="admin")
    summary = next(m.value for m in at.markdown if "hari kerja berlaporan" in m.value)
    assert "rata-rata 0,07% hari kerja" in summary, summary


def test_target_versions_show_the_jump(fresh_db):
    target(fresh_db, wajib=1000, day="2013-01-01")
    rekap(fresh_db, f"(2, DATE '2013-02-01', '{PAJANG}', 900, 0)")
    batch = target(fresh_db, wajib=1200, day="2013-05-01")
    versions = quality.target_versions(fresh_db)
    row = versions[versions["berlaku_mulai"] == D(2013, 5, 1)].iloc[0]
    assert (row["wajib_sebelum"], row["wajib_sesudah"], row["persen_sebelum"], row["persen_sesudah"], row["batch_id"]) == \
        (1000, 1200, 90.0, 75.0, batch)


@pytest.fixture(scope="module")
def demo(demo_template):
    db = Database(demo_template, create=False, read_only=True)
    yield db
    db.close()


def test_headline_check_on_the_demo(demo):
    checks = {(c.tanggal, c.indikator): c for c in quality.headline_check(demo)}
    persen = checks[(D(2013, 10, 25), "persen_sudah_rekam")]
    assert (persen.basis_data, persen.nilai_tepat, persen.status) == ("92,26%", "92,2699…%", "sama")
    assert checks[(D(2013, 10, 25), "sudah_rekam")].status == "sama"
    assert checks[(D(2013, 10, 25), "belum_rekam")].status == "mendekati"          # "30.000-an" vs 32.122
    differs = checks[(D(2013, 5, 7), "kartu_diterima_warga")]                     # documented in demo.py
    assert differs.status == "berbeda" and differs.selisih == 296_216 - 350_189
    assert checks[(D(2016, 8, 25), "wajib_ktp")].status == "di_luar_data"
    assert checks[(D(2012, 11, 28), "kartu_masih_diproses_kemendagri")].status == "tidak_dibandingkan"


def test_printed_percentages_rounded_or_floored_match(demo_db):
    for printed, expected in (("92,3", "sama"), ("92,27", "sama"), ("92", "sama"), ("92,26%", "sama"), ("92,28", "berbeda")):
        quality.add_published(demo_db, tanggal=D(2013, 10, 25), indikator="persen_sudah_rekam", nilai=printed,
                              satuan="persen", penerbit=f"Uji {printed}", sumber_url="", catatan="", user="admin", role="admin")
        check = next(c for c in quality.headline_check(demo_db) if c.penerbit == f"Uji {printed}")
        assert check.status == expected, printed
    approx = quality.add_published(demo_db, tanggal=D(2013, 10, 25), indikator="belum_rekam", nilai="30.000-an",
                                   satuan="orang", penerbit="Uji kira", sumber_url="", catatan="", user="admin", role="admin")
    check = next(c for c in quality.headline_check(demo_db) if c.penerbit == "Uji kira")
    assert approx and check.status == "mendekati" and "sekitar" in check.satuan
    with pytest.raises(ValueError):   # '92.26%' reads as 9226%
        quality.add_published(demo_db, tanggal=D(2013, 10, 25), indikator="persen_sudah_rekam", nilai="92.26%",
                              satuan="", penerbit="x", sumber_url="", catatan="", user="admin", role="admin")
    with pytest.raises(auth.NotAllowed):
        quality.add_published(demo_db, tanggal=D(2013, 10, 25), indikator="sudah_rekam", nilai="1", satuan="",
                              penerbit="x", sumber_url="", catatan="", user="op", role="operator")


def test_an_admin_adds_a_published_figure(demo_db):
    batch = quality.add_published(demo_db, tanggal=D(2013, 10, 25), indikator="sudah_rekam", nilai="383.000",
                                  satuan="orang", penerbit="Koran Uji", sumber_url="", catatan="", user="admin", role="admin")
    check = next(c for c in quality.headline_check(demo_db) if c.penerbit == "Koran Uji")
    assert check.status == "berbeda" and check.selisih == 427
    assert quality.parse_printed("92,26%") == 92.26 and quality.parse_printed("± 30.000") == 30000
    from ektp_metrics import history
    history.revert(demo_db, batch, user="admin", reason="salah ketik", role="admin")
    assert not any(c.penerbit == "Koran Uji" for c in quality.headline_check(demo_db))
    with pytest.raises(ValueError):
        quality.add_published(demo_db, tanggal=D(2013, 10, 25), indikator="jumlah_kucing", nilai="1", satuan="",
                              penerbit="x", sumber_url="", catatan="", user="admin", role="admin")


def test_reconciliation_with_the_centre(demo_db):
    data = central_csv(demo_db)
    result = quality.import_central(demo_db, data, "siak_2013-10-25.csv", user="admin", role="operator")
    assert result.problems == [] and result.rows == 51 and result.tanggal == D(2013, 10, 25)
    rec = quality.reconciliation(demo_db, result.unggahan_id)
    assert rec["selisih"].sum() == sum((i % 4) * 7 for i in range(51))
    assert (rec["belum_lokal"].sum(), metrics.city_summary(demo_db, D(2013, 10, 25)).belum_rekam) == (32_122, 32_122)
    first = rec.iloc[0]
    note = quality.add_reason(demo_db, result.unggahan_id, first["kode_kelurahan"], "pindah", 15, "uji", user="operator", role="operator")
    rec = quality.reconciliation(demo_db, result.unggahan_id).set_index("kode_kelurahan")
    assert (rec.loc[first["kode_kelurahan"], "dijelaskan"], rec.loc[first["kode_kelurahan"], "belum_dijelaskan"]) == (15, 6)
    quality.resolve_reason(demo_db, note, user="operator", role="operator")
    assert quality.reasons(demo_db, result.unggahan_id).iloc[0]["status"] == "selesai"
    with pytest.raises(ValueError):
        quality.resolve_reason(demo_db, note, user="operator", role="operator")                     # already resolved
    with pytest.raises(auth.NotAllowed):
        quality.add_reason(demo_db, result.unggahan_id, first["kode_kelurahan"], "pindah", 1, "", user="p", role="pimpinan")
    with pytest.raises(ValueError):
        quality.add_reason(demo_db, 999, first["kode_kelurahan"], "pindah", 1, "", user="operator", role="operator")
    # the city's figures are untouched, the same file twice is refused, bad files name their rows
    assert metrics.city_summary(demo_db, D(2013, 10, 25)).sudah_rekam == 383_427
    assert quality.import_central(demo_db, data, "lagi.csv", user="admin", role="operator").problems[0].code == "central_duplicate"
    bad = quality.import_central(demo_db, b"tanggal;kelurahan;wajib_ktp;sudah_rekam\n25/10/2013;Atlantis;10;5\n",
                                 "x.csv", user="admin", role="operator")
    assert bad.unggahan_id is None and bad.problems[0].baris == 2
    two_days = b"tanggal;kelurahan;wajib_ktp;sudah_rekam\n25/10/2013;Pajang;10;5\n26/10/2013;Laweyan;10;5\n"
    assert quality.import_central(demo_db, two_days, "y.csv", user="admin", role="operator").problems[0].code == "central_one_date"


def test_kualitas_page_for_admin_and_pimpinan(demo_path, monkeypatch):
    at = page_app(monkeypatch, demo_path, "kualitas.py", user="admin")
    assert any("1 dari 12 angka" in w.value for w in at.warning)
    headline = at.dataframe[0].value
    assert "92,2699…%" in set(headline["Nilai tepat"]) and "415.549" in set(headline["Dicetak"].str.split().str[0])
    assert any(e.label.startswith("Cakupan di atas 100% — 0 temuan") for e in at.expander)
    assert any(b.label == "Simpan angka publikasi" for b in at.button)
    boss = page_app(monkeypatch, demo_path, "kualitas.py", user="pimpinan")
    assert not boss.exception and not any(b.label == "Simpan angka publikasi" for b in boss.button)
    assert not boss.get("file_uploader")


def test_kualitas_needs_a_login(demo_path, monkeypatch):
    from tests.apptest import run_app, switch_to
    at = run_app(monkeypatch, demo_path)
    switch_to(at, "kualitas").run()
    assert not at.exception and any("Masuk" in t.value for t in at.title)


def test_cek_cli_with_a_kelurahan_that_never_reported(fresh_db, db_path, capsys):
    from ektp_metrics import cli
    harian(fresh_db, f"(2, DATE '2013-10-01', '{PAJANG}', 'kelurahan', 5, 0)")
    fresh_db.close()
    assert cli.main(["cek", "--db", str(db_path)]) == 0
    assert "Kelurahan tanpa laporan: 50 temuan" in capsys.readouterr().out
    assert cli.main(["cek", "--db", str(db_path), "--json"]) == 0
    json.loads(capsys.readouterr().out)        # valid JSON: no NaN


def test_cek_cli_exits_0_with_findings(demo_path, capsys):
    from ektp_metrics import cli
    assert cli.main(["cek", "--db", str(demo_path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["as_of"] == "2013-10-25" and set(out["aturan"]) == set(quality.RULES)
    assert any(c["status"] == "berbeda" for c in out["angka_publikasi"])
    assert cli.main(["cek", "--db", str(demo_path)]) == 0
    assert "1 berbeda" in capsys.readouterr().out


def test_published_coverage_pairs_only_active_figures(demo_db):
    # A wajib KTP and a sudah rekam published for one date make a point on Ringkasan's chart; once the sudah
    # rekam figure's batch is reverted, the pair is gone (the revert of either side removes the point).
    from ektp_metrics import history, reference

    day = D(2013, 10, 20)
    common = {"tanggal": day, "satuan": "orang", "penerbit": "Uji", "sumber_url": "", "catatan": "", "user": "admin",
              "role": "admin"}
    quality.add_published(demo_db, indikator="wajib_ektp", nilai="415549", **common)
    rekam = quality.add_published(demo_db, indikator="sudah_rekam", nilai="380000", **common)
    assert day in set(reference.published_coverage(demo_db)["tanggal"].dt.date)
    history.revert(demo_db, rekam, user="admin", reason="salah ketik", role="admin")
    assert day not in set(reference.published_coverage(demo_db)["tanggal"].dt.date)
