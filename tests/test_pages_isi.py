"""Isi angka harian through AppTest (issue 21): rows typed in a form go through the upload path."""

import datetime as dt

import pytest

from ektp_metrics import history, metrics
from ektp_metrics.db import Database
from tests.apptest import page_app
from tests.test_pages_auth import open_as, shows_login

DAY = dt.date(2013, 10, 26)
PAJANG, JEBRES = "33.72.01.1001", "33.72.04.1010"


@pytest.fixture
def isi(demo_path, monkeypatch):
    return page_app(monkeypatch, demo_path, "isi.py", user="operator")


def fill(at, row: int, kode: str, lokasi: str, rekam: int, distribusi: int, day: dt.date = DAY):
    key = f"isi_0_{row}"
    at.date_input(key=f"{key}_tanggal").set_value(day)
    at.selectbox(key=f"{key}_kelurahan").set_value(kode)
    at.selectbox(key=f"{key}_lokasi").set_value(lokasi)
    at.number_input(key=f"{key}_rekam").set_value(rekam)
    at.number_input(key=f"{key}_distribusi").set_value(distribusi)
    at.run()
    assert not at.exception, at.exception


def two_rows(at, second_rekam: int):
    assert at.date_input(key="isi_0_0_tanggal").value == dt.date(2013, 10, 25)   # the app's today
    fill(at, 0, PAJANG, "kelurahan", 80, 5)
    at.button(key="isi_0_tambah").click().run()
    fill(at, 1, JEBRES, "kecamatan", second_rekam, 30)
    at.button(key="isi_0_periksa").click().run()
    assert not at.exception, at.exception


def test_an_operator_enters_two_rows_sees_the_change_and_saves_one_batch(isi, demo_path):
    two_rows(isi, 12)
    assert "Laporan harian · 2 baris data" in [h.value for h in isi.subheader]
    change = " ".join(i.value for i in isi.info)
    assert "+92 rekam, +35 distribusi" in change and "ke 26 Oktober 2013" in change
    isi.button(key="simpan").click().run()
    assert not isi.exception
    assert any("Tersimpan sebagai batch" in s.value for s in isi.success)
    assert isi.selectbox(key="isi_1_0_kelurahan").value is None     # an empty form for the next entry
    with Database(demo_path, create=False) as db:
        latest = history.batches(db).iloc[0]
        batch = int(latest["id"])
        assert (latest["user"], latest["rows"], latest["file"], latest["kind"]) == (
            "operator", 2, "isian_formulir_2013-10-26.csv", "harian")
        rows = db.fetch_df("""SELECT baris, tanggal, kode_kelurahan, lokasi, rekam, distribusi FROM daily_counts
                              WHERE batch_id = $b ORDER BY baris""", {"b": batch})
        assert rows.drop(columns="tanggal").values.tolist() == [[2, PAJANG, "kelurahan", 80, 5],
                                                                [3, JEBRES, "kecamatan", 12, 30]]
        assert {d.date() for d in rows["tanggal"]} == {DAY}
        audit = db.fetch_df("SELECT user_name, action FROM audit_log WHERE object = $o", {"o": f"batch {batch}"})
        assert audit.values.tolist() == [["operator", "unggah"]]
        city = metrics.city_summary(db, DAY)
        history.revert(db, batch, user="operator", reason="salah ketik", role="operator")   # as Riwayat does
        after = metrics.city_summary(db, DAY)
        assert (city.sudah_rekam - after.sudah_rekam, city.sudah_distribusi - after.sudah_distribusi) == (92, 35)


def test_a_bad_row_is_named_and_nothing_is_written(isi, demo_path):
    with Database(demo_path, create=False) as db:
        before = len(history.batches(db))
    two_rows(isi, -3)
    assert any("Ditolak: 1 masalah" in e.value for e in isi.error)
    table = isi.table[0].value
    assert (list(table["Baris"]), list(table["Kolom"])) == ([3], ["rekam"])
    assert "negatif" in table.iloc[0, 2]
    assert not [b for b in isi.button if b.key == "simpan"]
    with Database(demo_path, create=False) as db:
        assert len(history.batches(db)) == before


@pytest.mark.parametrize("user,allowed", [(None, False), ("pimpinan", False), ("operator", True), ("admin", True)])
def test_only_who_may_upload_opens_the_form(demo_path, monkeypatch, user, allowed):
    at = open_as(monkeypatch, demo_path, "pages/isi.py", user)
    assert shows_login(at) is not allowed
    assert bool([t for t in at.title if t.value == "Isi angka harian"]) is allowed
