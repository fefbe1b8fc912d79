"""Keliling: the mobile safari's schedule, the yield of each service location, and a planner."""

import datetime as dt

import pandas as pd
import streamlit as st

from ektp_metrics import (
    auth,
    charts,
    fields,
    formatting,
    schedule,
    screen_tables,
    settings,
    upload,
)
from ektp_metrics.i18n import describe_limits, describe_scenarios
from pages._lang import lang, t
from pages._queries import (
    built,
    calendar_day,
    clear_caches,
    has_data,
    kelurahan_count,
    reference_day,
    region_scope,
    safari_plans,
    safari_timeline,
    yield_tables,
)
from pages._session import signed_in
from pages._store import database
from pages._widgets import chart, dataframe, downloads, paged, show_problems


def render() -> None:
    db = database()
    path = str(db.path)
    L = lang()
    user = signed_in()
    may_edit = user is not None and auth.can(user.role, "edit_schedule")
    # The safari is a kota's operation (its devices, its kelurahan): planning and editing are for a list that
    # is one kabupaten/kota (or part of one); a province's or the nation's list shows schedule and yield only.
    whole = region_scope(path)
    one_kota = not {"provinsi", "kota"} & set(whole.levels)

    st.title(t("keliling_title"))
    if not has_data(path):
        st.info(t("no_data"))
        st.stop()
    # The schedule lives in calendar time: "today" is the calendar day in Solo (the demo's is its report day),
    # the figures are those of the latest data. No as-of picker here: the past is not rescheduled.
    data_day = reference_day(path)
    assert data_day is not None
    as_of = today = calendar_day(path)
    st.markdown(t("keliling_today", hari=formatting.tanggal(today, L, hari=True), data=formatting.tanggal(data_day, L)))
    if st.session_state.get("keliling_saved"):
        st.success(st.session_state.pop("keliling_saved"))

    if not one_kota:
        st.info(t("keliling_kota_only", nama=formatting.md(whole.nama), n=formatting.angka(kelurahan_count(path, whole.level, None), L)))

    # ---- the schedule ----
    st.subheader(t("keliling_jadwal"))
    timeline = safari_timeline(path, as_of)
    if len(timeline):
        chart(built(path, ("jadwal", L, as_of), lambda: charts.safari_timeline(timeline, as_of, L)),
              screen_tables.file_stem("jadwal_keliling", as_of))
    else:
        st.info(t("keliling_no_schedule" if one_kota else "keliling_no_schedule_upload"))

    def save_schedule(rows: pd.DataFrame, start: dt.date, file_name: str) -> None:
        """Write a schedule from `start` on as one jadwal batch (reversible on Riwayat) and report back."""
        assert user is not None
        try:
            schedule.check_start(db, start, today)
        except ValueError:
            st.error(t("keliling_start_too_early", tanggal=formatting.tanggal(
                schedule.earliest_start(timeline, today, ()), L)))
            return
        if not len(rows):   # every future visit removed: the schedule from `start` is empty
            batch, cancelled = schedule.clear_from(db, start, user=user.username, role=user.role)
            clear_caches()
            st.session_state["keliling_saved"] = t("keliling_saved", batch=batch, n=0, diganti=cancelled)
            st.rerun()
        result = upload.ingest(db, schedule.as_upload(rows, schedule.PlanInput(start=start)), file_name,
                               user=user.username, role=user.role, schedule_from=start)
        if result.committed:
            clear_caches()
            st.session_state["keliling_saved"] = t("keliling_saved", batch=result.batch_id, n=len(rows),
                                                   diganti=result.superseded)
            st.rerun()
        st.error(t("unggah_refused", n=len(result.problems)))
        show_problems(result.problems)

    future = timeline[timeline["status"] == "akan_datang"] if len(timeline) else timeline
    if may_edit and one_kota:
        with st.expander(t("keliling_edit", n=len(future))):
            st.caption(t("keliling_edit_help", tanggal=formatting.tanggal(as_of + dt.timedelta(days=1), L)))
            names = list(schedule.kelurahan_codes(db))
            editable = pd.DataFrame({
                "kelurahan": future["kelurahan"], "tanggal_mulai": pd.to_datetime(future["tanggal_mulai"]).dt.date,
                "tanggal_selesai": pd.to_datetime(future["tanggal_selesai"]).dt.date, "alat": future["alat"],
                "jam_mulai": future["jam_mulai"], "jam_selesai": future["jam_selesai"], "tempat": future["tempat"],
            }).reset_index(drop=True)
            edited = st.data_editor(editable, num_rows="dynamic", hide_index=True, key="jadwal_editor", column_config={
                "kelurahan": st.column_config.SelectboxColumn(t("col_kelurahan"), options=names, required=True),
                "tanggal_mulai": st.column_config.DateColumn(t("col_mulai"), format="DD/MM/YYYY", required=True),
                "tanggal_selesai": st.column_config.DateColumn(t("col_selesai"), format="DD/MM/YYYY", required=True),
                "alat": st.column_config.NumberColumn(t("col_alat"), min_value=1, max_value=50, step=1, required=True),
                "jam_mulai": st.column_config.TimeColumn(t("col_jam_mulai"), format="HH.mm"),
                "jam_selesai": st.column_config.TimeColumn(t("col_jam_selesai"), format="HH.mm"),
                "tempat": st.column_config.TextColumn(t("col_tempat"), max_chars=fields.LIMITS["tempat"]),
            })
            if st.button(t("keliling_edit_save"), key="jadwal_simpan", type="primary"):
                save_schedule(schedule.editor_rows(db, edited.dropna(how="all")), today + dt.timedelta(days=1),
                              f"jadwal_editor_{today.isoformat()}.csv")

    # ---- the yield ----
    st.subheader(t("keliling_hasil"))
    per_location, per_kelurahan = yield_tables(path, as_of - dt.timedelta(days=59), as_of)
    if not len(per_location) and not len(per_kelurahan):
        st.caption(t("keliling_no_yield"))
    if len(per_location):
        chart(built(path, ("hasil_lokasi", L, as_of), lambda: charts.location_yield(per_location, L)),
              screen_tables.file_stem("hasil_per_lokasi", as_of))
        st.caption(t("keliling_hasil_caption"))
    if len(per_kelurahan):
        table = built(path, ("hasil_kelurahan", L, as_of), lambda: screen_tables.yield_table(per_kelurahan, L))
        limit, offset = paged(len(table), "hasil_page")
        shown = table if limit is None else table.iloc[offset:offset + limit]
        dataframe(screen_tables.styled(shown, L), hide_index=True, width="stretch")
        downloads(table, screen_tables.file_stem("hasil_safari_per_kelurahan", as_of), "hasil")

    if not one_kota:
        st.stop()

    # ---- the planner ----
    st.subheader(t("keliling_rencana"))
    st.caption(t("keliling_rencana_help"))
    with st.form("planner"):
        c1, c2, c3, c4 = st.columns(4)
        devices = c1.number_input(t("plan_alat"), 1, 100, schedule.DEFAULT_DEVICES, key="plan_alat")
        per_block = c2.number_input(t("plan_per_blok"), 1, 51, schedule.DEFAULT_PER_BLOCK, key="plan_per_blok")
        block_days = c3.number_input(t("plan_hari"), 1, 30, schedule.DEFAULT_BLOCK_DAYS, key="plan_hari")
        capacity = c4.number_input(t("plan_kapasitas"), 1, 500, schedule.DEFAULT_CAPACITY, key="plan_kapasitas",
                                   help=t("plan_kapasitas_help"))
        c5, c6, c7 = st.columns([1, 1, 2])
        rule = c5.selectbox(t("plan_aturan"), schedule.RULES, format_func=lambda r: t(f"rule_{r}"), key="plan_aturan")
        first_start = schedule.earliest_start(timeline, today)
        start = c6.date_input(t("plan_mulai"), value=first_start, min_value=first_start, help=t("plan_mulai_help"),
                              format="DD/MM/YYYY", key="plan_mulai")
        holidays_text = c7.text_input(t("plan_libur"), value=", ".join(d.strftime("%d/%m/%Y") for d in schedule.HOLIDAYS_2013),
                                      key="plan_libur", help=t("plan_libur_help"))
        st.form_submit_button(t("plan_hitung"))
    holidays, bad = schedule.parse_holidays(holidays_text)
    if bad:
        st.error(t("plan_libur_bad", nilai=formatting.md(", ".join(bad))))
        st.stop()
    plan = schedule.PlanInput(start=start, devices=int(devices), per_block=int(per_block), block_days=int(block_days),
                              capacity=int(capacity), rule=rule, holidays=holidays)
    try:
        plan.check()
    except ValueError:
        st.error(t("plan_alat_kurang"))
        st.stop()
    scenarios = safari_plans(path, data_day, today, plan)
    proposal = scenarios[0][1]
    if not len(proposal.blocks):
        st.success(t("plan_semua_dilayani"))
        st.stop()
    deadline = settings.deadline()
    o = proposal.outcome
    m1, m2, m3 = st.columns(3)
    m1.metric(t("plan_safari_selesai"), formatting.tanggal(o.safari_selesai, L),
              help=t("plan_safari_selesai_help", n=formatting.angka(len(proposal.blocks), L),
                     blok=formatting.angka(int(proposal.blocks["blok"].max()), L)), border=True)
    m2.metric(t("plan_persen_batas", batas=formatting.tanggal(deadline, L, singkat=True)),
              formatting.persen_nilai(o.persen_batas, L), border=True, delta_color="off", delta_arrow="off",
              delta=t("plan_vs_laju", persen=formatting.persen_nilai(proposal.current_persen_batas, L)),
              help=t("plan_persen_batas_help", rekam=formatting.angka(o.rekam_safari, L)))
    m3.metric(t("plan_tuntas"), formatting.tanggal(o.tuntas, L) if o.tuntas else t("plan_tuntas_tidak"), border=True,
              help=t("plan_tuntas_help", laju=formatting.angka(round(proposal.current_pace), L),
                     tanggal=formatting.tanggal(proposal.current_tuntas, L)))
    for paragraph in describe_limits(proposal, L):   # what bounds the plan, and why not Ringkasan's date
        st.markdown(paragraph)
    st.markdown(describe_scenarios(scenarios, L))
    plan_table = screen_tables.plan_table(proposal.blocks, L)
    with st.expander(t("plan_tabel", n=len(proposal.blocks))):
        dataframe(screen_tables.styled(plan_table, L), hide_index=True, width="stretch")
        downloads(plan_table, screen_tables.file_stem("rencana_keliling", start), "rencana")
        chart(charts.safari_timeline(proposal.blocks.assign(status="rencana"), as_of, L),
              screen_tables.file_stem("rencana_keliling", start))
    if may_edit:
        st.caption(t("plan_adopt_help", tanggal=formatting.tanggal(start, L)))
        if st.button(t("plan_adopt"), key="plan_adopt", type="primary"):
            save_schedule(proposal.blocks, start, f"rencana_keliling_{start.isoformat()}.csv")
