"""The pages' reads, cached: one pattern (cached) over the query functions of ektp_metrics.

cached(query) turns `query(db, *args)` into `read(path, *args)`: Streamlit's st.cache_data keyed on the
database path, the data's version (every committed write in this process changes it, a write through the
HTTP API included) and the arguments, kept EKTP_CACHE_SECONDS (60 by default); clear_caches() also empties
every cache after a page's own write (upload, revert, schedule).

built(path, key, build) keeps what the pages build from those reads (plotly figures, tables) the same way,
per data version and key (ektp_metrics.viewcache, issue 21): the next visitor of the same view gets the
figures the last one had instead of building them again.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Hashable
from typing import Concatenate, ParamSpec, TypeVar

import pandas as pd
import streamlit as st

from ektp_metrics import forecast, kiosk, metrics, reference, schedule, settings, viewcache
from ektp_metrics.db import Database
from ektp_metrics.regions import boundary_codes
from pages._store import open_database

try:   # read when the server starts
    QUERY_TTL_SECONDS = settings.number("EKTP_CACHE_SECONDS")
except settings.InvalidSetting:   # app.py shows the malformed value; meanwhile the default
    QUERY_TTL_SECONDS = 60.0

P = ParamSpec("P")
R = TypeVar("R")


def data_version(path: str) -> str:
    """The open database's identity and write count (Database.version): it changes with every committed write
    in this process, the HTTP API's (an upload by a script) included, so a page never shows figures older
    than the last write, whoever made it."""
    database = open_database(path)
    return f"{id(database)}:{database.version}"


def cached(query: Callable[Concatenate[Database, P], R]) -> Callable[Concatenate[str, P], R]:
    """`query(db, *args)` as `read(path, *args)`, cached per database path, data version and arguments."""
    def kept(path: str, version: str, *args: P.args, **kwargs: P.kwargs) -> R:
        return query(open_database(path), *args, **kwargs)

    # st.cache_data tells functions apart by module, qualified name and source; every `kept` has the same
    # source, so it carries the query's names (one cache per query, never one shared by all).
    kept.__module__, kept.__name__ = query.__module__, query.__name__
    kept.__qualname__, kept.__doc__ = f"cached.{query.__qualname__}", query.__doc__
    kept_read = st.cache_data(ttl=QUERY_TTL_SECONDS, show_spinner=False, max_entries=1000)(kept)

    def read(path: str, *args: P.args, **kwargs: P.kwargs) -> R:
        return kept_read(path, data_version(path), *args, **kwargs)

    read.__module__, read.__name__, read.__qualname__, read.__doc__ = (
        query.__module__, query.__name__, f"cached.{query.__qualname__}", query.__doc__)
    return read


# The built figures and tables of the views, for every session of this server (see built()).
VIEWS = viewcache.ViewCache(ttl=QUERY_TTL_SECONDS)
_GENERATIONS = itertools.count(1)


@st.cache_data(ttl=QUERY_TTL_SECONDS, show_spinner=False, max_entries=100)
def _generation(path: str, version: str) -> int:
    """A number that stays the same exactly as long as the query caches keep this data version: a new one
    after the TTL or after st.cache_data.clear() (clear_caches, or a test that wrote around the server), so a
    built piece is never older than the reads it was built from."""
    return next(_GENERATIONS)


def built(path: str, key: tuple[Hashable, ...], build: Callable[[], R]) -> R:
    """What build() makes (a figure, a table) for a view, built once per database, data version and `key`.

    `key` must name the piece and everything it depends on besides the data: the language, the date, the
    region, a page of a table. The piece is shared, never copied: pass it to st.plotly_chart/st.dataframe,
    do not change it."""
    version = data_version(path)
    return VIEWS.get((path, version, _generation(path, version), *key), build)


def clear_caches() -> None:
    """Call after any write (upload, revert) so every page shows the new figures."""
    st.cache_data.clear()
    VIEWS.clear()


reference_day = cached(metrics.reference_day)
first_data_date = cached(metrics.first_data_date)
city_series = cached(metrics.city_series)
daily_by_lokasi = cached(metrics.daily_by_lokasi)
region_series = cached(metrics.region_series)
region_scope = cached(metrics.scope)
kelurahan_count = cached(metrics.kelurahan_count)
region_summary = cached(metrics.region_summary)
summaries = cached(metrics.summaries)
published_coverage = cached(reference.published_coverage)
safari_timeline = cached(schedule.timeline)
calendar_day = cached(kiosk.calendar_day)


@cached
def kelurahan_frame(db: Database, as_of: dt.date, level: str = metrics.WHOLE, kode: str | None = None,
                    limit: int | None = None, offset: int = 0, order: str = "persen") -> pd.DataFrame:
    return metrics.kelurahan_frame(db, as_of, level=level, kode=kode, limit=limit, offset=offset, order=order)


@cached
def whole_summary(db: Database, as_of: dt.date) -> metrics.Summary | None:
    return metrics.city_summary(db, as_of, region_scope(str(db.path)))


@cached
def region_names(db: Database, level: str, within: tuple[str, str] | None) -> dict[str, str]:
    frame = metrics.region_names(db, level, within)
    return dict(zip(frame["kode"], frame["nama"]))


@cached
def kecamatan_of(db: Database, within: tuple[str, str] | None) -> dict[str, str]:
    """kelurahan code → its kecamatan code, for the kelurahan inside `within`."""
    frame = metrics.kecamatan_of(db, within)
    return dict(zip(frame["kode"], frame["kode_kecamatan"]))


@cached
def map_region(db: Database, level: str, kode: str | None,
               kode_kecamatan: str | None) -> tuple[str, str | None] | None:
    return metrics.map_region(db, level, kode, kode_kecamatan, boundary_codes())


@cached
def yield_tables(db: Database, start: dt.date, end: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    return schedule.yield_per_location(db, start, end), schedule.yield_per_kelurahan(db, start, end)


@cached
def safari_plans(db: Database, data_day: dt.date, today: dt.date,
                 plan: schedule.PlanInput) -> list[tuple[str, schedule.Proposal]]:
    return schedule.what_if(db, data_day, plan, today=today)


@cached
def has_data(db: Database) -> bool:
    return metrics.latest_data_date(db) is not None


@cached
def is_demo(db: Database) -> bool:
    return db.get_setting("demo") == "1"


def projections(path: str, as_of: dt.date) -> tuple[forecast.Projection, forecast.Projection]:
    """The whole list's projections from the cached figures (Ringkasan shows the same two days)."""
    now = whole_summary(path, as_of)
    then = whole_summary(path, as_of - dt.timedelta(days=forecast.WINDOW_DAYS))
    if now is None or then is None:
        raise ValueError("tidak ada wilayah")
    return forecast.from_summaries(now, then)


def region_projections(path: str, as_of: dt.date, level: str,
                       kode: str | None) -> tuple[forecast.Projection, forecast.Projection]:
    """From the cached figures now and a window before (the same the pages show: no second query)."""
    if kode is None:
        return projections(path, as_of)
    before = as_of - dt.timedelta(days=forecast.WINDOW_DAYS)
    now, then = region_summary(path, as_of, level, kode), region_summary(path, before, level, kode)
    if now is None or then is None:
        raise ValueError(f"wilayah tidak dikenal: {level} {kode!r}")
    return forecast.from_summaries(now, then)


def warm_up(path: str) -> None:
    """What the first visit after a server start would otherwise pay (issue 21: 0,7–1,0 s of CPU beside the
    next visits' 0,1 s): the page modules imported, the database opened, the reads of the default view
    (Ringkasan on the reference day, as `/` shows it) put in the query caches, plotly's validators and pandas'
    Styler loaded by drawing once. serve.py runs it in a thread at start; the server answers meanwhile.
    Reads only; the figures a visitor sees are built from the cached reads, never kept from here."""
    import importlib

    from ektp_metrics import charts, screen_tables

    for name in ("ringkasan", "wilayah", "distribusi", "keliling", "unggah", "riwayat", "kualitas", "pengguna",
                 "akun", "masuk"):   # app.py imports every page (Unggah brings openpyxl: 0,13 s)
        importlib.import_module(f"pages.{name}")
    whole = region_scope(path)
    is_demo(path)
    day, first = reference_day(path), first_data_date(path)
    if not has_data(path) or day is None or first is None:
        return
    whole_summary(path, day)
    whole_summary(path, day - dt.timedelta(days=7))
    projections(path, day)
    charts.progress_over_time(city_series(path, first, day), published_coverage(path), "id")
    charts.daily_by_lokasi(daily_by_lokasi(path, day - dt.timedelta(days=59), day), "id")
    below = whole.levels[0]
    if below != "kelurahan":
        rows = summaries(path, day, below)
        charts.kecamatan_progress(metrics.lowest(rows, 40), "id")
        screen_tables.styled(screen_tables.region_table(rows, "id"), "id").to_html()
