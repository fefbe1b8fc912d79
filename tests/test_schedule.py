"""The safari planner and the schedule (ektp_metrics.schedule), the Keliling page and `jadwal` CLI."""

import datetime as dt
import json

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from ektp_metrics import metrics, schedule
from ektp_metrics.db import Database
from tests.apptest import page_app

REPORT_DAY = dt.date(2013, 10, 25)
MONDAY = dt.date(2013, 10, 28)


def todo(n: int, seed: int = 0) -> pd.DataFrame:
    """n kelurahan still to serve, with different numbers left."""
    return pd.DataFrame({"kode": [f"33.72.0{1 + i % 5}.{1001 + i}" for i in range(n)],
                         "kelurahan": [f"K{i:02d}" for i in range(n)],
                         "kecamatan": [f"Kec{i % 5}" for i in range(n)],
                         "kode_kecamatan": [f"33.72.0{1 + i % 5}" for i in range(n)],
                         "belum_rekam": [(i * 37 + seed) % 900 + 100 for i in range(n)],
                         "persen_rekam": [80 + (i * 7 % 19) for i in range(n)]})


def test_35_kelurahan_at_5_per_3_day_block_take_7_blocks():
    blocks = schedule.propose(todo(35), schedule.PlanInput(start=MONDAY))
    assert blocks["blok"].max() == 7 and blocks.groupby("blok").size().eq(5).all()
    assert (blocks["alat"] == 2).all()                                   # 10 devices over 5 kelurahan
    first = blocks[blocks["blok"] == 1].iloc[0]
    assert (first["tanggal_mulai"], first["tanggal_selesai"]) == (MONDAY, dt.date(2013, 10, 30))
    # 7 blocks × 3 service days = 21, Sundays (3, 10, 17 Nov) and 5 Nov (Tahun Baru Islam) skipped
    assert blocks["tanggal_selesai"].max() == dt.date(2013, 11, 21)
    assert all(d.weekday() != 6 and d not in schedule.HOLIDAYS_2013 for days in blocks["hari"] for d in days)


def test_default_order_is_most_unrecorded_first_and_other_rules():
    frame = todo(12)
    blocks = schedule.propose(frame, schedule.PlanInput(start=MONDAY))
    assert list(blocks["belum_rekam"]) == sorted(frame["belum_rekam"], reverse=True)
    by_persen = schedule.propose(frame, schedule.PlanInput(start=MONDAY, rule="persen"))
    assert list(by_persen["kode"])[:1] == list(frame.sort_values(["persen_rekam", "kode"])["kode"])[:1]
    by_kec = schedule.propose(frame, schedule.PlanInput(start=MONDAY, rule="kecamatan"))
    runs = (by_kec["kecamatan"] != by_kec["kecamatan"].shift()).sum()
    assert runs == frame["kecamatan"].nunique()                        # one kecamatan after another
    with pytest.raises(ValueError, match="aturan urutan"):
        schedule.propose(frame, schedule.PlanInput(start=MONDAY, rule="acak"))
    with pytest.raises(ValueError, match="alat harus paling sedikit 1"):
        schedule.propose(frame, schedule.PlanInput(start=MONDAY, devices=0))
    with pytest.raises(ValueError, match="sebanyak kelurahan per blok"):
        schedule.propose(frame, schedule.PlanInput(start=MONDAY, devices=3, per_block=5))


def test_holidays_move_the_dates():
    plain = schedule.propose(todo(5), schedule.PlanInput(start=MONDAY, holidays=()))
    assert plain.iloc[0]["hari"] == [MONDAY, dt.date(2013, 10, 29), dt.date(2013, 10, 30)]
    moved = schedule.propose(todo(5), schedule.PlanInput(start=MONDAY, holidays=(dt.date(2013, 10, 29),)))
    assert moved.iloc[0]["hari"] == [MONDAY, dt.date(2013, 10, 30), dt.date(2013, 10, 31)]
    days, bad = schedule.parse_holidays("29/10/2013; 2013-12-25, besok\n01-01-2014")
    assert days == (dt.date(2013, 10, 29), dt.date(2013, 12, 25), dt.date(2014, 1, 1)) and bad == ["besok"]


def _city(belum: int) -> metrics.Summary:
    return metrics.Summary(kode="33.72", nama="Kota", tingkat="kota", as_of=REPORT_DAY, wajib_ktp=100_000,
                           sudah_rekam=100_000 - belum, belum_rekam=belum, persen_rekam=None, sudah_distribusi=0,
                           backlog_distribusi=0, persen_distribusi=None, kelurahan=35, kecamatan=5,
                           kelurahan_tanpa_target=0, target_berlaku_mulai=None, tanggal_laporan=REPORT_DAY)


@hsettings(max_examples=40, deadline=None)
@given(st.integers(0, 12), st.integers(1, 8), st.integers(1, 5), st.integers(1, 120), st.integers(0, 4),
       st.integers(0, 40), st.integers(0, 60))
def test_more_devices_or_capacity_never_finish_later(spare, per_block, days, capacity, extra_devices, extra_cap, other):
    devices = per_block + spare                 # every kelurahan of a block needs a device
    frame = todo(23)
    city = _city(int(frame["belum_rekam"].sum()) + 3_000)
    deadline = dt.date(2013, 12, 31)

    def outcome(plan):
        return schedule.simulate(schedule.propose(frame, plan), plan, city, other, deadline)

    base = schedule.PlanInput(start=MONDAY, devices=devices, per_block=per_block, block_days=days, capacity=capacity)
    more = schedule.PlanInput(start=MONDAY, devices=devices + extra_devices, per_block=per_block, block_days=days,
                              capacity=capacity + extra_cap)
    a, b = outcome(base), outcome(more)
    assert (schedule.propose(frame, base)["alat"] >= 1).all()
    assert b.rekam_batas >= a.rekam_batas and b.rekam_safari >= a.rekam_safari
    if a.tuntas is not None:
        assert b.tuntas is not None and b.tuntas <= a.tuntas
    # the safari never records more than was left in the kelurahan it serves
    assert b.rekam_safari <= int(frame["belum_rekam"].sum())


def test_simulation_by_hand():
    # two kelurahan with 100 and 500 left, one block of 2 days, 2 devices (1 each), 60 a device a day
    frame = todo(2).assign(belum_rekam=[100, 500])
    plan = schedule.PlanInput(start=MONDAY, devices=2, per_block=2, block_days=2, capacity=60, holidays=())
    blocks = schedule.propose(frame, plan)
    o = schedule.simulate(blocks, plan, _city(1_000), 10, dt.date(2013, 12, 31))
    # the safari never records more than the city has left, whatever the other locations do
    capped = schedule.simulate(blocks, plan, _city(150), 100, dt.date(2013, 12, 31))
    # day 1: the safari records 60 + min(60, 150 − 60) = 120, the other locations the last 30
    assert (capped.rekam_safari, capped.rekam_batas, capped.persen_batas, capped.tuntas) == (120, 100_000, 100.0, MONDAY)
    assert o.rekam_safari == 100 + 120            # 100 (all that was left) + 2 days × 60
    assert o.safari_selesai == dt.date(2013, 10, 29)
    # the rest (1.000 − 220 = 780) at 10 a day from the 28th on: 2 days with the safari (20), then 760/10
    assert o.tuntas == MONDAY + dt.timedelta(days=1 + 76)


@pytest.fixture(scope="module")
def demo(demo_template):
    db = Database(demo_template, create=False, read_only=True)
    yield db
    db.close()


def test_demo_plan_and_what_if(demo):
    timeline = schedule.timeline(demo, REPORT_DAY)
    assert dict(timeline["status"].value_counts()) == {"akan_datang": 35, "selesai": 15, "berjalan": 1}
    start = schedule.default_start(timeline, REPORT_DAY)
    assert start == dt.date(2013, 10, 26)                # the day after Kadipiro's visit (23–25 Oct) ends
    scenarios = schedule.what_if(demo, REPORT_DAY, schedule.PlanInput(start=start))
    base, more = scenarios[0][1], scenarios[1][1]
    assert len(base.blocks) == 35 and base.blocks["blok"].max() == 7
    assert more.plan.devices == 14 and more.plan.per_block == 7 and more.blocks["blok"].max() == 5
    assert more.outcome.safari_selesai < base.outcome.safari_selesai
    assert scenarios[2][1].plan.capacity == 53          # 6 hours → 8 hours: 40 × 8/6
    assert scenarios[2][1].outcome.persen_batas > base.outcome.persen_batas


def test_yield_shows_180_against_the_office_from_the_data(demo):
    per_location = schedule.yield_per_location(demo, dt.date(2013, 8, 27), REPORT_DAY).set_index("lokasi")
    assert per_location.loc["kelurahan", "maks_per_hari"] == 180
    assert per_location.loc["kecamatan", "maks_per_hari"] <= 25
    per_kelurahan = schedule.yield_per_kelurahan(demo, dt.date(2013, 8, 27), REPORT_DAY)
    assert per_kelurahan.iloc[0]["kelurahan"] == "Pajang" and per_kelurahan.iloc[0]["alat"] == 2


def test_adopting_a_plan_replaces_the_future_schedule_and_reverts(demo_db):
    from ektp_metrics import history, upload
    start = dt.date(2013, 10, 26)
    proposal = schedule.plan_for(demo_db, REPORT_DAY, schedule.PlanInput(start=start, devices=14, per_block=7))
    data = schedule.as_upload(proposal.blocks, proposal.plan)
    result = upload.ingest(demo_db, data, "rencana.csv", user="operator", role="admin", schedule_from=start)
    assert result.committed and result.superseded == 35
    after = schedule.timeline(demo_db, REPORT_DAY)
    assert len(after) == 16 + 35 and after["tanggal_selesai"].max() == pd.Timestamp(proposal.outcome.safari_selesai)
    history.revert(demo_db, result.batch_id, user="operator", reason="uji", role="operator")
    back = schedule.timeline(demo_db, REPORT_DAY)
    assert len(back) == 51 and back["tanggal_selesai"].max() == pd.Timestamp(2013, 11, 23)


def test_editor_rows_name_a_bad_row(demo_db):
    from ektp_metrics import upload
    edited = pd.DataFrame({"kelurahan": ["Jagalan", "Atlantis"], "tanggal_mulai": [MONDAY, MONDAY],
                           "tanggal_selesai": [dt.date(2013, 10, 30), dt.date(2013, 10, 30)], "alat": [2, 2],
                           "jam_mulai": [dt.time(15), None], "jam_selesai": [dt.time(21), None], "tempat": ["", None]})
    rows = schedule.editor_rows(demo_db, edited)
    result = upload.ingest(demo_db, schedule.as_upload(rows, schedule.PlanInput(start=MONDAY)), "editor.csv",
                           user="operator", role="admin", schedule_from=MONDAY)
    assert not result.committed and any(p.baris == 3 and p.kolom for p in result.problems)   # the header is baris 1
    assert len(schedule.timeline(demo_db, REPORT_DAY)) == 51                                  # nothing written


def test_keliling_page_for_a_visitor_and_an_operator(demo_path, monkeypatch):
    at = page_app(monkeypatch, demo_path, "keliling.py", user=None)
    assert len(at.get("plotly_chart")) == 3                    # timeline, yield, the plan's timeline
    assert not any(b.label == "Jadikan jadwal" for b in at.button)    # visitors see, operators act
    labels = {m.label: m.value for m in at.metric}
    assert labels["Safari selesai"] == "20 November 2013"
    assert "Dengan 14 alat: safari selesai 7 hari lebih cepat" in " ".join(m.value for m in at.markdown)
    op = page_app(monkeypatch, demo_path, "keliling.py", user="operator")
    op.number_input(key="plan_alat").set_value(14)
    op.number_input(key="plan_per_blok").set_value(7)
    next(b for b in op.button if b.label == "Hitung rencana").click().run()    # the form's submit
    # 35 kelurahan, 7 at a time: 5 blocks × 3 service days from Saturday 26 October (Sundays, 5 Nov skipped)
    assert {m.label: m.value for m in op.metric}["Safari selesai"] == "13 November 2013"
    next(b for b in op.button if b.label == "Jadikan jadwal").click().run()
    assert not op.exception
    assert any("Jadwal disimpan sebagai batch" in s.value for s in op.success)
    with Database(demo_path, create=False) as db:
        assert schedule.timeline(db, REPORT_DAY)["tanggal_selesai"].max() == pd.Timestamp(2013, 11, 13)


def test_jadwal_cli_json(demo_path, capsys):
    from ektp_metrics import cli
    assert cli.main(["jadwal", "--db", str(demo_path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["as_of"] == "2013-10-25" and len(out["jadwal"]) == 51
    assert out["rencana"]["mulai"] == "2013-10-26" and len(out["rencana"]["blok"]) == 35
    assert out["rencana"]["safari_selesai"] == "2013-11-20"
    assert cli.main(["jadwal", "--db", str(demo_path), "--kapasitas", "0"]) == 2


def test_timeline_chart_states_the_schedule(demo):
    from ektp_metrics import charts
    fig = charts.safari_timeline(schedule.timeline(demo, REPORT_DAY), REPORT_DAY)
    assert fig.layout.title.text == "15 kunjungan selesai, 1 berjalan, 35 akan datang; jadwal berakhir 23 November 2013"
    pajang = next(h for trace in fig.data for h in trace.hovertext if h.startswith("<b>Pajang</b>"))
    assert "7 Okt 2013 – 9 Okt 2013, 15.00–21.00" in pajang and "2 alat" in pajang
    assert {trace.name for trace in fig.data} == {"selesai", "berjalan", "akan datang"}


def test_plan_compares_with_the_current_pace(demo):
    proposal = schedule.plan_for(demo, REPORT_DAY, schedule.PlanInput(start=dt.date(2013, 10, 26)))
    city = metrics.city_summary(demo, REPORT_DAY)
    expected = city.sudah_rekam + int(proposal.current_pace * 67)
    assert proposal.current_persen_batas == float(metrics.persen_floor(expected, city.wajib_ktp))


def test_a_plan_from_a_later_day_leaves_earlier_bookings_alone(demo_db):
    # Starting on 4 Nov: the kelurahan booked for 28–30 Oct and 31 Oct–2 Nov keep those visits and are
    # not planned a second time (review: they were booked twice).
    start = dt.date(2013, 11, 4)
    proposal = schedule.plan_for(demo_db, REPORT_DAY, schedule.PlanInput(start=start))
    booked_before = set(schedule.timeline(demo_db, REPORT_DAY).query("tanggal_mulai < @start")["kode_kelurahan"])
    assert not set(proposal.blocks["kode"]) & booked_before and len(proposal.blocks) == 25
    from ektp_metrics import upload
    result = upload.ingest(demo_db, schedule.as_upload(proposal.blocks, proposal.plan), "rencana_4nov.csv",
                           user="operator", role="admin", schedule_from=start)
    assert result.committed and result.superseded == 25
    after = schedule.timeline(demo_db, REPORT_DAY)
    assert after["kode_kelurahan"].value_counts().max() == 1            # nobody booked twice


def test_the_past_and_visits_under_way_are_not_rescheduled(demo_db):
    with pytest.raises(ValueError, match="paling awal mulai 2013-10-26"):
        schedule.check_start(demo_db, dt.date(2013, 10, 21), REPORT_DAY)     # Kadipiro is under way to the 25th
    schedule.check_start(demo_db, dt.date(2013, 10, 26), REPORT_DAY)


def test_reverting_an_earlier_schedule_keeps_a_later_one(demo_db):
    from ektp_metrics import history, upload
    start = dt.date(2013, 10, 26)
    b2 = upload.ingest(demo_db, schedule.as_upload(schedule.plan_for(demo_db, REPORT_DAY, schedule.PlanInput(start=start)).blocks,
                                                   schedule.PlanInput(start=start)), "b2.csv", user="operator", role="admin",
                       schedule_from=start).batch_id
    one = pd.DataFrame({"kelurahan": ["Jagalan"], "tanggal_mulai": [dt.date(2013, 11, 7)],
                        "tanggal_selesai": [dt.date(2013, 11, 9)], "alat": [10]})
    b3 = upload.ingest(demo_db, schedule.as_upload(schedule.editor_rows(demo_db, one), schedule.PlanInput(start=start)),
                       "b3.csv", user="operator", role="admin", schedule_from=dt.date(2013, 11, 7)).batch_id
    history.revert(demo_db, b2, user="operator", reason="uji", role="operator")
    visits = schedule.timeline(demo_db, REPORT_DAY)
    from_7_nov = visits[visits["tanggal_mulai"] >= pd.Timestamp(2013, 11, 7)]
    assert list(from_7_nov["kelurahan"]) == ["Jagalan"]                 # B3's schedule from 7 Nov stands
    assert len(visits[visits["tanggal_mulai"] < pd.Timestamp(2013, 11, 7)]) > 16   # the original ones before it are back
    assert b3 is not None


def test_emptying_the_future_schedule_and_undoing_it(demo_db):
    from ektp_metrics import history
    batch, cancelled = schedule.clear_from(demo_db, dt.date(2013, 10, 26), user="operator", role="operator")
    assert cancelled == 35 and len(schedule.timeline(demo_db, REPORT_DAY)) == 16
    history.revert(demo_db, batch, user="operator", reason="uji", role="operator")
    assert len(schedule.timeline(demo_db, REPORT_DAY)) == 51


def test_the_simulation_counts_every_day_from_the_data(demo):
    # No day is lost between the data and a later plan start: a later start never adds recordings.
    early = schedule.plan_for(demo, REPORT_DAY, schedule.PlanInput(start=dt.date(2013, 10, 26))).outcome
    late = schedule.plan_for(demo, REPORT_DAY, schedule.PlanInput(start=dt.date(2013, 11, 4))).outcome
    assert late.rekam_batas <= early.rekam_batas
    assert late.rekam_safari > 0                                    # the kept visits still record


# ---- issue 21: the planner says what limits it, and why its 100% date is not Ringkasan's

def test_the_demo_plan_is_bounded_by_one_visit_and_more_devices_say_so(demo):
    from ektp_metrics.i18n import describe_limits, describe_scenarios
    scenarios = schedule.what_if(demo, REPORT_DAY, schedule.PlanInput(start=dt.date(2013, 10, 26)))
    base, more = scenarios[0][1], scenarios[1][1]
    lim = schedule.limits(base)
    # 2 devices × 40 a day × 3 days = 240 a visit; 33 of 35 kelurahan have more left (Kauman 238, Laweyan 166)
    assert (lim.alat_per_tempat, lim.hari, lim.maks_kunjungan, lim.kelurahan, lim.terbatas) == (2, 3, 240, 35, 33)
    assert lim.visit_bound and lim.safari == 33 * 240 + 238 + 166 == 8_324
    assert (lim.belum_rekam, lim.sisa, round(lim.other_pace)) == (32_122, 23_798, 87)
    assert schedule.limits(more).maks_kunjungan == 240 and more.outcome.rekam_safari == lim.safari
    first, second = describe_limits(base)
    assert "2 alat × 40 perekaman per alat per hari × 3 hari = paling banyak 240 perekaman per kunjungan" in first
    assert "33 dari 35 kelurahan" in first and "safari merekam 8.324 dari 32.122" in first
    assert "23.798 sisanya" in first and "87 per hari" in first
    assert second.startswith("**Mengapa 100% baru 27 Juli 2014, bukan 19 Mei 2014 seperti di Ringkasan:**")
    assert "(156 per hari, termasuk safari yang sedang berjalan)" in second and "(20 November 2013)" in second
    lines = describe_scenarios(scenarios).splitlines()
    assert lines[0].startswith("- Dengan 14 alat: safari selesai 7 hari lebih cepat")
    assert "Sebabnya:" in lines[0] and "paling banyak 240 perekaman" in lines[0] and "tetap merekam 8.324" in lines[0]
    assert "Sebabnya" not in lines[1]                      # longer hours do record more
    en = describe_limits(base, "en")
    assert "2 devices × 40 recordings per device a day × 3 days = at most 240" in en[0]
    assert en[1].startswith("**Why 100% only on 27 July 2014, not 19 May 2014 as on Summary:**")


def test_keliling_page_says_what_limits_the_plan(demo_path, monkeypatch):
    at = page_app(monkeypatch, demo_path, "keliling.py", user=None)
    text = " ".join(m.value for m in at.markdown)
    assert "Yang membatasi rencana ini: ukuran satu kunjungan." in text
    assert "Mengapa 100% baru 27 Juli 2014, bukan 19 Mei 2014 seperti di Ringkasan" in text
    assert "Sebabnya: alat tambahan melayani lebih banyak kelurahan sekaligus" in text
