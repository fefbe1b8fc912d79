"""The daily-counts form's CSV (ektp_metrics.entry): what the form builds is a daily upload, read back by
the upload's own reader and checks (issue 21, "Isi angka harian")."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from ektp_metrics import entry, metrics, upload
from ektp_metrics.db import Database
from ektp_metrics.filereader import read_table
from ektp_metrics.regions import RegionIndex
from ektp_metrics.upload import validate

REPORT_DAY = dt.date(2013, 10, 25)
MAX_DAILY = 500   # EKTP_MAX_DAILY: above it a count is implausible (a confirmation), not a round trip


@pytest.fixture(scope="module")
def choices(demo_template):
    with Database(demo_template, create=False, read_only=True) as db:
        return entry.kelurahan_choices(db)


@pytest.fixture(scope="module")
def index(demo_template):
    with Database(demo_template, create=False, read_only=True) as db, db.cursor() as cur:
        return RegionIndex.from_db(cur)


def test_the_choices_are_the_region_list_by_name_with_kecamatan(choices):
    assert len(choices) == 51 and choices == sorted(choices, key=lambda k: (k.nama, k.kecamatan))
    assert entry.Kelurahan("33.72.01.1001", "Pajang", "Laweyan") in choices
    assert entry.lokasi_choices() == ("kelurahan", "kecamatan", "sekolah", "pasar", "lainnya")


def test_the_csv_is_the_daily_template_and_named_for_the_form(choices):
    pajang = next(k for k in choices if k.nama == "Pajang")
    rows = [entry.EntryRow(dt.date(2013, 10, 26), pajang, "kelurahan", 1050, 7),
            entry.EntryRow(None, None, None, None, None)]
    text = entry.daily_csv(rows).decode("utf-8")
    assert text.splitlines() == ["\ufefftanggal;kode_kelurahan;kelurahan;kecamatan;lokasi;rekam;distribusi",
                                 "26/10/2013;33.72.01.1001;Pajang;Laweyan;kelurahan;1050;7", ";;;;;;"]
    assert entry.file_name(rows, REPORT_DAY) == "isian_formulir_2013-10-26.csv"
    assert entry.file_name([], REPORT_DAY) == "isian_formulir_2013-10-25.csv"


@hsettings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_rows_round_trip_through_the_upload_reader(choices, index, data):
    rows = data.draw(st.lists(st.builds(
        entry.EntryRow, st.dates(dt.date(2011, 1, 1), REPORT_DAY), st.sampled_from(choices),
        st.sampled_from(entry.lokasi_choices()), st.integers(0, MAX_DAILY), st.integers(0, MAX_DAILY)),
        min_size=1, max_size=8, unique_by=lambda r: (r.tanggal, r.kelurahan, r.lokasi)))
    for bulk in (True, False):
        parsed, ignored, problems = validate.check_table(read_table(entry.daily_csv(rows), bulk=bulk), index,
                                                         today=REPORT_DAY)
        assert parsed is not None and parsed.kind == "harian" and not ignored and not problems
        frame = parsed.frame
        assert list(frame["baris"]) == list(range(2, len(rows) + 2))
        assert list(frame["kode_kelurahan"]) == [r.kelurahan.kode for r in rows]
        assert [d.date() for d in frame["tanggal"]] == [r.tanggal for r in rows]
        assert list(frame["lokasi"]) == [r.lokasi for r in rows]
        assert list(frame["rekam"]) == [r.rekam for r in rows]
        assert list(frame["distribusi"]) == [r.distribusi for r in rows]


def test_a_bad_row_is_named_by_the_upload_and_nothing_is_written(demo_db):
    choices = entry.kelurahan_choices(demo_db)
    pajang, jebres = (next(k for k in choices if k.nama == n) for n in ("Pajang", "Jebres"))
    future = dt.date.today() + dt.timedelta(days=3)
    rows = [entry.EntryRow(dt.date(2013, 10, 26), pajang, "kelurahan", 80, 5),
            entry.EntryRow(dt.date(2013, 10, 26), jebres, "kelurahan", -3, 0),
            entry.EntryRow(future, jebres, "sekolah", 10, 0)]
    before = metrics.city_summary(demo_db, REPORT_DAY)
    result = upload.ingest(demo_db, entry.daily_csv(rows), entry.file_name(rows, REPORT_DAY), user="operator",
                           role="operator")
    assert not result.committed
    assert {(p.code, p.baris, p.kolom) for p in result.problems} >= {("negative", 3, "rekam"),
                                                                    ("date_future", 4, "tanggal")}
    assert metrics.city_summary(demo_db, REPORT_DAY) == before
