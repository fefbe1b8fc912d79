import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from ektp_metrics import forecast

REPORT = dt.date(2013, 10, 25)
DEADLINE = dt.date(2013, 12, 31)


def test_projection_arithmetic():
    p = forecast.project(32_122, 200.0, REPORT, DEADLINE)
    assert p.finish == REPORT + dt.timedelta(days=161) and not p.on_track   # 32.122 / 200 = 160,6 → 161 days
    assert p.needed_per_day == 480
    fast = forecast.project(32_122, 500.0, REPORT, DEADLINE)
    assert fast.on_track and fast.finish == dt.date(2013, 12, 29)      # 64,2 → 65 days
    assert forecast.project(100, 0.0, REPORT, DEADLINE).finish is None
    assert forecast.project(0, 0.0, REPORT, DEADLINE).on_track
    assert forecast.project(10, 1.0, dt.date(2014, 1, 2), DEADLINE).needed_per_day is None


@given(st.integers(1, 500_000), st.floats(0.5, 5_000), st.floats(0.5, 5_000))
def test_a_faster_pace_never_finishes_later(remaining, a, b):
    slow, fast = sorted((a, b))
    assert forecast.project(remaining, fast, REPORT, DEADLINE).finish <= forecast.project(
        remaining, slow, REPORT, DEADLINE).finish


def test_demo_city_projection(demo_db):
    rekam, kartu = forecast.city_projections(demo_db, REPORT, deadline=DEADLINE)
    now, before = forecast.week_change(demo_db, REPORT)
    assert rekam.pace == (now.sudah_rekam - before.sudah_rekam) / 7
    assert rekam.remaining == 32_122 and rekam.needed_per_day == 480
    assert not rekam.on_track and rekam.finish > DEADLINE      # the demo's last week was slow (Kadipiro alone)
    assert kartu.remaining == 37_748 and kartu.needed_per_day == 564
