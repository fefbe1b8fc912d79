"""Pages through streamlit.testing.v1.AppTest (no browser)."""

import datetime as dt

import pytest

from ektp_metrics import formatting
from tests.apptest import metric, run_app


@pytest.fixture
def app(demo_path, monkeypatch):
    return run_app(monkeypatch, demo_path)


def test_ringkasan_shows_the_report_figures(app):
    assert metric(app, "Cakupan perekaman") == "92,26%"
    assert metric(app, "Sudah rekam") == "383.427"
    assert metric(app, "Belum rekam") == "32.122"
    assert metric(app, "Kartu terdistribusi") == "345.679"
    assert metric(app, "Backlog distribusi") == "37.748"
    assert metric(app, "Hari menuju batas") == "67"
    deltas = {m.label: m.proto.delta for m in app.metric}
    assert deltas["Belum rekam"] == "perlu 480 rekam per hari"
    assert deltas["Backlog distribusi"] == "perlu 564 kartu per hari"
    text = " ".join(m.value for m in app.markdown)
    assert "Jumat, 25 Oktober 2013" in text and "31 Desember 2013" in text
    assert len(app.get("plotly_chart")) == 3        # progress over time, by lokasi, per kecamatan
    assert any(c.value.startswith("Belah ketupat: angka yang dipublikasikan") for c in app.caption)


def test_demo_data_is_labelled(app):
    assert any("Data contoh" in i.value for i in app.info)


def test_language_switch_to_english(app):
    app.button_group(key="lang").set_value("en").run()
    assert not app.exception
    assert metric(app, "Recording coverage") == "92.26%"
    assert metric(app, "Recorded") == "383,427"
    assert any("Figures per kecamatan" in e.label for e in app.expander)
    assert any("Demo data" in i.value for i in app.info)


def test_english_from_the_start(demo_path, monkeypatch):
    at = run_app(monkeypatch, demo_path, EKTP_LANG="en")
    assert metric(at, "Days to the deadline") == "67"
    assert any("Demo data" in i.value for i in at.info)


def test_as_of_follows_ektp_today(demo_path, monkeypatch):
    at = run_app(monkeypatch, demo_path, EKTP_TODAY="2013-05-07")
    assert metric(at, "Sudah rekam") == "361.404"
    assert metric(at, "Cakupan perekaman") == "80,31%"   # 361.404 / 450.000, the denominator of the time


def test_missing_database_gives_a_message_not_a_traceback(tmp_path, monkeypatch):
    at = run_app(monkeypatch, tmp_path / "absent.duckdb")
    assert any("Database belum ada" in e.value for e in at.error)
    assert not (tmp_path / "absent.duckdb").exists()


def test_empty_database_says_there_is_no_data(fresh_db, db_path, monkeypatch):
    fresh_db.close()
    at = run_app(monkeypatch, db_path)
    assert any("Belum ada data" in i.value for i in at.info)
    assert not any("Data contoh" in i.value for i in at.info)


def test_a_malformed_setting_gives_a_message_not_a_traceback(demo_path, monkeypatch):
    at = run_app(monkeypatch, demo_path, EKTP_TODAY="kemarin")
    assert any("EKTP_TODAY" in e.value and "Pengaturan server tidak valid" in e.value for e in at.error)
    assert not at.metric


def test_a_newer_database_gives_a_message(db_path, monkeypatch):
    from ektp_metrics import migrations
    from ektp_metrics.db import Database
    newer = migrations.MIGRATIONS + (migrations.Migration(50, "future", "CREATE TABLE future (a INTEGER);"),)
    Database(db_path, migrations_list=newer).close()
    at = run_app(monkeypatch, db_path)
    assert any("versi aplikasi yang lebih baru" in e.value for e in at.error)


def test_projection_sentence_states_the_situation(app, demo_db):
    from ektp_metrics import forecast
    rekam, _ = forecast.city_projections(demo_db, dt.date(2013, 10, 25))
    text = " ".join(m.value for m in app.markdown)
    assert "Pada laju 7 hari terakhir" in text and "100% tercapai sekitar" in text
    assert "dibutuhkan **480 perekaman per hari**" in text
    assert formatting.tanggal(rekam.finish) in text
    assert "564 kartu per hari" in text


def test_week_deltas_on_the_headline_cards(app, demo_db):
    from ektp_metrics import metrics
    now = metrics.city_summary(demo_db, dt.date(2013, 10, 25))
    before = metrics.city_summary(demo_db, dt.date(2013, 10, 18))
    deltas = {m.label: m.proto.delta for m in app.metric}
    assert deltas["Sudah rekam"] == f"+{formatting.angka(now.sudah_rekam - before.sudah_rekam)} dalam 7 hari"
    assert deltas["Cakupan perekaman"].endswith("poin dalam 7 hari")


def test_as_of_selector_shows_the_city_on_a_past_day(app, demo_db):
    from ektp_metrics import metrics
    app.date_input(key="as_of").set_value(dt.date(2013, 10, 12)).run()
    assert not app.exception
    past = metrics.city_summary(demo_db, dt.date(2013, 10, 12))
    assert metric(app, "Sudah rekam") == formatting.angka(past.sudah_rekam)
    assert metric(app, "Hari menuju batas") == "80"
    assert "Sabtu, 12 Oktober 2013" in " ".join(m.value for m in app.markdown)


def test_each_cached_query_keeps_its_own_cache(demo_path):
    # Every cached read comes from one pattern (pages._queries.cached): two of them called with the same
    # arguments must still answer from their own query, never from the other's cache entry.
    from ektp_metrics.db import close_shared
    from pages import _queries

    path = str(demo_path)
    try:
        assert _queries.reference_day(path) == dt.date(2013, 10, 25)
        assert _queries.first_data_date(path) < dt.date(2013, 10, 25)
        assert _queries.calendar_day(path) == dt.date(2013, 10, 25)
        assert _queries.has_data(path) is True and _queries.is_demo(path) is True
    finally:
        close_shared()


def test_a_cached_read_holds_until_a_write_clears_the_caches(demo_path):
    from ektp_metrics.db import close_shared, set_setting
    from pages import _queries, _store

    path = str(demo_path)
    try:
        assert _queries.is_demo(path)
        database = _store.open_database(path)
        with database.transaction(bookkeeping=True) as cur:   # a write that changes no figure (a session seen)
            set_setting(cur, "demo", "0")
        assert _queries.is_demo(path)          # still the cached answer (EKTP_CACHE_SECONDS)
        with database.transaction() as cur:    # any other write, by a page, the API or a thread of this process
            set_setting(cur, "demo", "0")
        assert not _queries.is_demo(path)      # no cache cleared by hand: the data's version changed
        with database.transaction() as cur:
            set_setting(cur, "demo", "1")
        _queries.clear_caches()                # what every page still calls after its own write
        assert _queries.is_demo(path)
    finally:
        close_shared()
