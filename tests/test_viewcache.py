"""The built figures and tables kept per view (ektp_metrics.viewcache, pages._queries.built; issue 21):
built once per view, rebuilt for another language, date or region, and never older than the data."""

import datetime as dt
import threading

import pytest
import streamlit as st

from ektp_metrics.viewcache import ViewCache
from tests.apptest import metric, page_app

PAJANG = "33.72.01.1001"


# ---- ViewCache ---------------------------------------------------------------------------------------------

def test_the_same_key_is_built_once_and_another_key_again():
    cache = ViewCache(ttl=60)
    made = []

    def build(name):
        return lambda: made.append(name) or [name]

    first = cache.get(("peta", "id"), build("id"))
    assert cache.get(("peta", "id"), build("id")) is first          # shared, not copied
    assert cache.get(("peta", "en"), build("en")) == ["en"]
    assert made == ["id", "en"] and cache.builds == 2


def test_clear_and_the_ttl_drop_pieces():
    now = [0.0]
    cache = ViewCache(ttl=60, clock=lambda: now[0])
    cache.get("k", lambda: 1)
    cache.clear()
    assert len(cache) == 0
    assert cache.get("k", lambda: 2) == 2
    now[0] = 59.0
    assert cache.get("k", lambda: 3) == 2
    now[0] = 61.0                                                    # older than the TTL: built again
    assert cache.get("k", lambda: 4) == 4


def test_expired_pieces_are_dropped_at_the_next_build():
    now = [0.0]
    cache = ViewCache(ttl=60, clock=lambda: now[0])
    cache.get(("v1", "peta"), lambda: "old map")
    now[0] = 61.0
    cache.get(("v2", "peta"), lambda: "new map")
    assert len(cache) == 1


def test_the_cache_is_bounded_least_recently_used_first():
    cache = ViewCache(ttl=60, max_entries=2)
    cache.get("a", lambda: "a")
    cache.get("b", lambda: "b")
    cache.get("a", lambda: "a2")                                     # a used last: b goes
    cache.get("c", lambda: "c")
    assert len(cache) == 2
    assert cache.get("a", lambda: "a3") == "a" and cache.get("b", lambda: "b2") == "b2"


def test_a_failed_build_keeps_nothing():
    cache = ViewCache(ttl=60)

    def broken():
        raise ValueError("rusak")

    with pytest.raises(ValueError):
        cache.get("k", broken)
    assert len(cache) == 0 and cache.get("k", lambda: "ok") == "ok"


def test_sessions_asking_at_once_build_once():
    cache = ViewCache(ttl=60)
    start = threading.Barrier(10)
    got = []

    def viewer():
        start.wait()
        got.append(cache.get("ringkasan", lambda: threading.Event().wait(0.05) or object()))

    threads = [threading.Thread(target=viewer) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.builds == 1 and len({id(g) for g in got}) == 1


# ---- the pages ---------------------------------------------------------------------------------------------

@pytest.fixture
def views():
    """The server's view cache, empty (with the query caches) before and after the test."""
    from pages._queries import VIEWS, clear_caches

    clear_caches()
    yield VIEWS
    clear_caches()


def specs(at) -> list[str]:
    return [c.proto.spec for c in at.get("plotly_chart")]


def test_the_same_view_twice_is_built_once(demo_path, monkeypatch, views):
    first = page_app(monkeypatch, demo_path, "ringkasan.py", user=None)
    built = views.builds
    assert built >= 3                                                # the three charts, the table
    second = page_app(monkeypatch, demo_path, "ringkasan.py", user=None)   # another visitor, same view
    assert not second.exception
    assert views.builds == built
    assert specs(second) == specs(first) and len(specs(first)) == 3


def test_a_language_and_a_date_give_new_figures(demo_path, monkeypatch, views):
    at = page_app(monkeypatch, demo_path, "ringkasan.py", user=None)
    indonesian, built = specs(at), views.builds
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    english = specs(at)
    assert views.builds > built
    assert all(e != i for e, i in zip(english, indonesian, strict=True))
    built = views.builds
    at.date_input(key="as_of").set_value(dt.date(2013, 6, 30)).run()
    assert not at.exception
    assert views.builds > built
    assert specs(at)[0] != english[0]                                 # the way to 100% up to 30 June
    at.session_state["lang"] = "id"
    at.date_input(key="as_of").set_value(dt.date(2013, 10, 25)).run()
    assert specs(at) == indonesian                                   # back to the first view: kept


def test_a_write_is_never_served_stale_figures(demo_path, monkeypatch, views):
    """A write that changes Pajang's figures on the shown day, through the server's own database (as the HTTP
    API or an upload writes) and without clear_caches: the next view is built from the new data."""
    from pages._store import open_database
    from tests.conftest import add_batch

    at = page_app(monkeypatch, demo_path, "wilayah.py", user=None)
    before = specs(at)
    ranking = at.dataframe[-1].value
    pajang_before = ranking.loc[ranking["Kelurahan"] == "Pajang", "Belum rekam"].item()
    add_batch(open_database(str(demo_path)), "harian", f"(DATE '2013-10-25', '{PAJANG}', 'kelurahan', 100, 0)",
              "daily_counts", "tanggal, kode_kelurahan, lokasi, rekam, distribusi")
    at.run()
    assert not at.exception
    assert metric(at, "Belum rekam") == "32.022"
    ranking = at.dataframe[-1].value
    assert ranking.loc[ranking["Kelurahan"] == "Pajang", "Belum rekam"].item() == pajang_before - 100
    assert specs(at)[0] != before[0]                                 # the map carries the new percentage


def test_clear_caches_empties_the_view_cache(demo_path, monkeypatch, views):
    page_app(monkeypatch, demo_path, "distribusi.py", user=None)
    assert len(views) > 0
    from pages._queries import clear_caches

    clear_caches()
    assert len(views) == 0


def test_a_cleared_query_cache_rebuilds_the_views(demo_path, monkeypatch, views):
    """A write around the server (another process, a test) is seen once the query caches are cleared or their
    TTL passes: the views follow the query caches, never older than them."""
    at = page_app(monkeypatch, demo_path, "keliling.py", user=None)
    built = views.builds
    at.run()
    assert views.builds == built
    st.cache_data.clear()
    at.run()
    assert not at.exception and views.builds > built


# ---- the warm-up at server start -----------------------------------------------------------------------------

def test_the_warm_up_fills_the_first_visits_reads(demo_path, monkeypatch, views):
    """serve.py warms the server: the first visitor's Ringkasan then asks the database nothing it read."""
    from ektp_metrics import metrics
    from pages._queries import warm_up

    monkeypatch.setenv("EKTP_DB", str(demo_path))
    monkeypatch.delenv("EKTP_TODAY", raising=False)
    warm_up(str(demo_path))
    asked = []
    real = metrics.city_summary                # what the headline figures and the projections read
    monkeypatch.setattr(metrics, "city_summary", lambda *a, **k: asked.append(a[1]) or real(*a, **k))
    at = page_app(monkeypatch, demo_path, "ringkasan.py", user=None)
    assert metric(at, "Cakupan perekaman") == "92,26%"
    assert asked == []


def test_the_warm_up_of_a_database_without_data_is_quiet(fresh_db, db_path, monkeypatch, views):
    from pages._queries import warm_up

    fresh_db.close()
    monkeypatch.setenv("EKTP_DB", str(db_path))
    warm_up(str(db_path))                      # nothing to read: no error, nothing kept
    assert len(views) == 0
