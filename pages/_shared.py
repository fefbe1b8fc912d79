"""Streamlit glue shared by the pages: the one database connection, cached queries, language, texts.

Logic lives in ektp_metrics; this module only adapts it to Streamlit (caching, session state, messages).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from ektp_metrics import (auth, backup, charts, exports, forecast, formatting, i18n, kiosk, metrics, reference, report, schedule,
                          settings, screen_tables)
from ektp_metrics.db import Database, DatabaseUnavailable, WriteRefused, is_damage, note_failure
from ektp_metrics.db import shared as db_shared
from ektp_metrics.regions import boundary_codes

try:   # read when the server starts
    QUERY_TTL_SECONDS = settings.number("EKTP_CACHE_SECONDS")
except settings.InvalidSetting:   # app.py shows the malformed value; meanwhile the default
    QUERY_TTL_SECONDS = 60.0

# Whether the current script run went through app.py (one flag per script-runner thread).
_run = threading.local()


@contextmanager
def framed() -> Iterator[None]:
    """app.py wraps page.run() in this, so a page can tell it was routed (and gated) by app.py."""
    _run.framed = True
    try:
        yield
    finally:
        _run.framed = False


def _hand_over() -> None:
    """Placeholder page used only for the hand-over in require_frame()."""


def require_frame(page_file: str) -> None:
    """Every page calls this first. A page must never run outside app.py's frame.

    On a fresh server, before anything has called st.navigation, Streamlit still emulates the legacy
    `pages/` folder and would run pages/<name>.py directly for a visitor opening /<name>, skipping
    app.py (and so any login gate). Calling st.navigation switches Streamlit to explicit navigation
    for the whole process (documented behaviour); the rerun then goes through app.py with the same URL.
    """
    if getattr(_run, "framed", False):
        return
    # Two pages: a default one (served at "/" only) and the requested path, so the URL still matches.
    st.navigation([st.Page(_hand_over, title="…", url_path="bingkai", default=True),
                   st.Page(_hand_over, title="…", url_path=Path(page_file).stem.lstrip("_"))],
                  position="hidden")
    st.rerun()


def dataframe(data, **kwargs):
    """st.dataframe showing a missing value as "–", as the tables' formats and the report do (by itself it
    shows "None": it does not take a Styler's format for missing cells)."""
    return st.dataframe(data, placeholder=screen_tables.MISSING, **kwargs)


def _open_database(path: str) -> Database:
    # One Database per process and file (db.shared): the server is the file's single owner, and the
    # HTTP routes and the backup thread use the same one.
    return db_shared(path)


def lang() -> str:
    """The session's language: the sidebar switch (bound to ?lang=), else EKTP_LANG."""
    chosen = st.session_state.get("lang")
    return chosen if chosen in i18n.LANGUAGES else settings.default_lang()


def t(key: str, **values: object) -> str:
    return i18n.t(key, lang(), **values)


def database() -> Database:
    """The open database, or a clear message and a stopped page (never a traceback)."""
    path = settings.db_path()
    try:
        db = _open_database(str(path))
    except DatabaseUnavailable as exc:
        storage_problem(exc)
        st.stop()
        raise  # unreachable: st.stop() ends the script run
    if db.damaged:   # a rotten block was met: every page, the login form included, says so
        st.error(damage_message(path))
        st.stop()
    return db


# What a page run can meet when the database file is missing, rotten, full or swapped: app.py catches
# these around everything it runs (storage_guard) and shows storage_problem() instead of Streamlit's error page.
STORAGE_ERRORS = (WriteRefused, DatabaseUnavailable, duckdb.Error)
_LOG = logging.getLogger("ektp.app")


def storage_problem(exc: BaseException) -> None:
    """Say in Bahasa Indonesia what is wrong with the database and what to do, name the latest good backup
    when the file cannot be read; log the cause. Never a traceback, never a link to anything online."""
    path = settings.db_path()
    if isinstance(exc, WriteRefused):
        st.error(exc.message(lang()))
        return
    if isinstance(exc, DatabaseUnavailable) and exc.reason == "missing":
        _LOG.error("database %s tidak ada", path)
        st.error(t("db_missing", path=path))
    elif isinstance(exc, DatabaseUnavailable) and exc.reason == "newer_schema":
        st.error(t("db_newer"))
    elif isinstance(exc, DatabaseUnavailable) and exc.reason == "locked":
        st.error(t("db_locked", pid=f" (PID {exc.pid})" if exc.pid else ""))
    elif is_damage(exc) or isinstance(exc, DatabaseUnavailable):
        _LOG.error("database %s tidak terbaca: %s", path, exc)
        note_failure(path, exc)
        st.error(damage_message(path))
    else:
        _LOG.error("galat database di %s", path, exc_info=exc)
        st.error(t("db_error"))


@contextmanager
def storage_guard() -> Iterator[None]:
    """Around everything a run does (app.py): a database failure becomes storage_problem()'s message."""
    try:
        yield
    except STORAGE_ERRORS as exc:
        storage_problem(exc)


def damage_message(path: Path) -> str:
    """The unreadable-database message, naming the latest good backup and the command that restores it."""
    newest = backup.latest_good(settings.backup_dir(path))
    if newest is None:
        which = t("db_corrupt_no_backup", folder=settings.backup_dir(path))
        command = f"python -m ektp_metrics restore BERKAS_CADANGAN --db {path}"
    else:
        which = t("db_corrupt_backup", nama=newest.path.name, waktu=formatting.waktu(newest.taken_at, lang()),
                  tanggal=formatting.tanggal(dt.date.fromisoformat(newest.figures["as_of"]), lang())
                  if newest.figures.get("as_of") else "–")
        command = f"python -m ektp_metrics restore {newest.path} --db {path}"
    return t("db_corrupt", path=path, cadangan=which, perintah=command)


def file_warning(db: Database) -> None:
    """For staff: the configured path no longer leads to the open file (deleted, moved, replaced)."""
    problem = db.file_problem()
    if problem:
        st.error(t(f"db_file_{problem}", path=db.path))


@st.cache_data(ttl=QUERY_TTL_SECONDS, show_spinner=False)
def reference_day(path: str) -> dt.date | None:
    return metrics.reference_day(_open_database(path))


@st.cache_data(ttl=QUERY_TTL_SECONDS, show_spinner=False)
def first_data_date(path: str) -> dt.date | None:
    return metrics.first_data_date(_open_database(path))


@st.cache_data(ttl=QUERY_TTL_SECONDS, show_spinner=False)
def city_series(path: str, start: dt.date, end: dt.date) -> pd.DataFrame:
    return metrics.city_series(_open_database(path), start, end)


@st.cache_data(ttl=QUERY_TTL_SECONDS, show_spinner=False)
def daily_by_lokasi(path: str, start: dt.date, end: dt.date, level: str = "kota",
                    kode: str | None = None) -> pd.DataFrame:
    return metrics.daily_by_lokasi(_open_database(path), start, end, level, kode)


@st.cache_data(ttl=QUERY_TTL_SECONDS, show_spinner=False)
def region_series(path: str, start: dt.date, end: dt.date, level: str, kode: str | None) -> pd.DataFrame:
    return metrics.region_series(_open_database(path), start, end, level, kode)


@st.cache_data(ttl=QUERY_TTL_SECONDS, show_spinner=False)
def kelurahan_frame(path: str, as_of: dt.date, level: str = metrics.WHOLE, kode: str | None = None,
                    limit: int | None = None, offset: int = 0, order: str = "persen") -> pd.DataFrame:
    return metrics.kelurahan_frame(_open_database(path), as_of, level=level, kode=kode, limit=limit, offset=offset,
                                   order=order)


@st.cache_data(ttl=QUERY_TTL_SECONDS, show_spinner=False)
def region_scope(path: str) -> metrics.Scope:
    return metrics.scope(_open_database(path))


def app_title() -> str:
    """'Dasbor e-KTP Kota Surakarta': the browser tab's title, named after the whole region list.
    Without a readable database (yet) the title still shows, without a name."""
    try:
        name = region_scope(str(settings.db_path())).nama
    except Exception:   # the page itself says what is wrong with the database
        name = ""
    return " ".join(t("app_title", wilayah=name).split())


@st.cache_data(ttl=QUERY_TTL_SECONDS, show_spinner=False)
def whole_summary(path: str, as_of: dt.date) -> metrics.Summary | None:
    return metrics.city_summary(_open_database(path), as_of, region_scope(path))


@st.cache_data(ttl=QUERY_TTL_SECONDS, show_spinner=False)
def region_names(path: str, level: str, within: tuple[str, str] | None) -> dict[str, str]:
    frame = metrics.region_names(_open_database(path), level, within)
    return dict(zip(frame["kode"], frame["nama"]))


@st.cache_data(ttl=QUERY_TTL_SECONDS, show_spinner=False)
def kelurahan_count(path: str, level: str, kode: str | None) -> int:
    return metrics.kelurahan_count(_open_database(path), level, kode)


@st.cache_data(ttl=QUERY_TTL_SECONDS, show_spinner=False)
def region_summary(path: str, as_of: dt.date, level: str, kode: str) -> metrics.Summary | None:
    return metrics.region_summary(_open_database(path), as_of, level, kode)


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


@st.cache_data(ttl=QUERY_TTL_SECONDS, show_spinner=False)
def published_coverage(path: str) -> pd.DataFrame:
    return reference.published_coverage(_open_database(path))


def projections(path: str, as_of: dt.date) -> tuple[forecast.Projection, forecast.Projection]:
    """The whole list's projections from the cached figures (Ringkasan shows the same two days)."""
    now = whole_summary(path, as_of)
    then = whole_summary(path, as_of - dt.timedelta(days=forecast.WINDOW_DAYS))
    if now is None or then is None:
        raise ValueError("tidak ada wilayah")
    return forecast.from_summaries(now, then)


@st.cache_data(ttl=QUERY_TTL_SECONDS, show_spinner=False)
def summaries(path: str, as_of: dt.date, level: str, within: tuple[str, str] | None = None) -> list[metrics.Summary]:
    return metrics.summaries(_open_database(path), as_of, level, within)


@st.cache_data(ttl=QUERY_TTL_SECONDS, show_spinner=False)
def safari_timeline(path: str, as_of: dt.date) -> pd.DataFrame:
    return schedule.timeline(_open_database(path), as_of)


@st.cache_data(ttl=QUERY_TTL_SECONDS, show_spinner=False)
def yield_tables(path: str, start: dt.date, end: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    db = _open_database(path)
    return schedule.yield_per_location(db, start, end), schedule.yield_per_kelurahan(db, start, end)


@st.cache_data(ttl=QUERY_TTL_SECONDS, show_spinner=False)
def safari_plans(path: str, data_day: dt.date, today: dt.date,
                 plan: schedule.PlanInput) -> list[tuple[str, schedule.Proposal]]:
    return schedule.what_if(_open_database(path), data_day, plan, today=today)


@st.cache_data(ttl=QUERY_TTL_SECONDS, show_spinner=False)
def calendar_day(path: str) -> dt.date:
    return kiosk.calendar_day(_open_database(path))


@st.cache_data(ttl=QUERY_TTL_SECONDS, show_spinner=False)
def has_data(path: str) -> bool:
    return metrics.latest_data_date(_open_database(path)) is not None


@st.cache_data(ttl=QUERY_TTL_SECONDS, show_spinner=False)
def is_demo(path: str) -> bool:
    return _open_database(path).get_setting("demo") == "1"


_USER, _SEEN, _NOTICE, _STAMP = "auth_user", "auth_seen", "auth_notice", "auth_password_set_at"


def authenticator() -> auth.PasswordStore:
    """The identity source (auth.Authenticator); the one line to change for an identity provider."""
    return auth.PasswordStore(database())


def signed_in() -> auth.User | None:
    """The logged-in user, or None. Ends the session after EKTP_SESSION_MINUTES without activity, and
    at once when the account was disabled meanwhile (checked against the database on every run)."""
    username = st.session_state.get(_USER)
    if not username:
        return None
    user = authenticator().get(username)
    idle = time.time() - st.session_state.get(_SEEN, 0.0)   # inactivity is real time, not the data's day
    stamp = st.session_state.get(_STAMP)
    reset = user is not None and stamp is not None and user.password_set_at != stamp
    if user is None or reset or idle > settings.number("EKTP_SESSION_MINUTES") * 60:
        st.session_state.pop(_USER, None)
        st.session_state[_NOTICE] = ("login_disabled" if user is None else
                                     "login_password_changed" if reset else "login_expired")
        if user:
            authenticator().logout(user, "sesi berakhir")
        return None
    st.session_state[_SEEN] = time.time()
    return user


def current_user() -> auth.User:
    """The user a staff page acts for; app.py only runs staff pages for a signed-in user with the role."""
    user = signed_in()
    assert user is not None, "staff pages run only behind app.py's login gate"
    return user


def sign_out(user: auth.User) -> None:
    authenticator().logout(user)
    st.session_state.pop(_USER, None)
    clear_caches()


def login_form(*, denied: bool = False) -> None:
    """The login form; on success the session is signed in and the same URL runs again."""
    st.title(t("login_title"))
    if denied:
        st.warning(t("login_denied"))
    notice = st.session_state.pop(_NOTICE, None)
    if notice:
        st.info(t(notice))
    with st.form("login"):
        username = st.text_input(t("login_username"), autocomplete="username", max_chars=auth.MAX_USERNAME)
        password = st.text_input(t("login_password"), type="password", autocomplete="current-password",
                                 max_chars=auth.MAX_PASSWORD)
        submitted = st.form_submit_button(t("login_submit"), type="primary")
    if is_demo(str(database().path)):
        from ektp_metrics.demo import DEMO_ACCOUNTS

        st.caption(t("login_demo_accounts", akun=" · ".join(f"{u} / {p}" for u, _, _, p in DEMO_ACCOUNTS)))
    if not submitted:
        return
    address = st.context.ip_address   # None on localhost; not a string under AppTest
    result = authenticator().login(username, password, client=address if isinstance(address, str) else "")
    if result.user is not None:
        st.session_state[_USER] = result.user.username
        st.session_state[_SEEN] = time.time()
        st.session_state[_STAMP] = result.user.password_set_at
        st.rerun()
    elif result.reason == "locked" and result.retry_at is not None:
        st.error(t("login_locked", n=int(settings.number("EKTP_LOCKOUT_FAILURES")),
                   jam=formatting.jam(result.retry_at)))
    elif result.reason == "disabled":
        st.error(t("login_disabled"))
    else:
        st.error(t("login_wrong"))


# ---- pieces the dashboard pages share ---------------------------------------------------------------

_AS_OF = "as_of_kept"   # survives page switches (a widget's own state is dropped when its page is left)
_AS_OF_DEFAULT = "as_of_default"   # the reference day the picker last defaulted to


def _keep_as_of() -> None:
    st.session_state[_AS_OF] = st.session_state["as_of"]


def as_of_picker(path: str) -> dt.date:
    """The 'show as of' date, the same on every dashboard page; defaults to the reference day."""
    today = reference_day(path)
    first = first_data_date(path)
    assert today is not None and first is not None, "call has_data() first"
    if today < first:   # EKTP_TODAY set before the first data
        st.info(t("as_of_before_data", tanggal=formatting.tanggal(first, lang())))
        st.stop()
    # New data moved the reference day: a session that never chose a date follows it (a keyed
    # date_input would otherwise keep showing the old day and silently leave the new data out).
    if st.session_state.get(_AS_OF_DEFAULT) != today:
        st.session_state[_AS_OF_DEFAULT] = today
        if _AS_OF not in st.session_state:
            st.session_state.pop("as_of", None)
    kept = st.session_state.get(_AS_OF)
    if not isinstance(kept, dt.date) or not first <= kept <= today:
        kept = today
    column, _ = st.columns([1, 3])
    chosen = column.date_input(t("as_of_pick"), value=kept, min_value=first, max_value=today, format="DD/MM/YYYY",
                               help=t("as_of_pick_help"), key="as_of", on_change=_keep_as_of)
    return chosen if isinstance(chosen, dt.date) else kept


@dataclass(frozen=True)
class Region:
    level: str            # metrics.WHOLE | provinsi | kota | kecamatan | kelurahan
    kode: str | None      # None: the whole region list
    nama: str
    kode_kecamatan: str | None

    @property
    def within(self) -> tuple[str, str] | None:
        """(level, kode) to filter by, None for the whole list."""
        return None if self.kode is None else (self.level, self.kode)


# A kelurahan select box lists at most this many names; above it, pick a kecamatan first.
KELURAHAN_PICK_MAX = 300


def region_picker(path: str, whole: metrics.Scope, prefix: str) -> Region:
    """Drill-down through the levels the region list has (provinsi → kota → kecamatan → kelurahan; for
    Solo kecamatan → kelurahan), a select box per level; a level's box appears once the level above is
    chosen (the kelurahan box also when few enough kelurahan are in view). Returns the chosen region."""
    chosen = Region(whole.level, None, whole.nama, None)
    boxes = st.columns(max(len(whole.levels), 2) + 1)
    keys = [f"{prefix}_{level}" for level in whole.levels]

    def reset_below(i: int):
        def reset() -> None:
            for key in keys[i + 1:]:
                st.session_state[key] = ""
        return reset

    left_open = False            # a level above was left at "all"
    for i, level in enumerate(whole.levels):
        if left_open and level != "kelurahan":
            break
        if level == "kelurahan" and chosen.level != "kecamatan" \
                and kelurahan_count(path, chosen.level, chosen.kode) > KELURAHAN_PICK_MAX:
            boxes[i].caption(t("pick_narrow_first"))
            break
        names = region_names(path, level, chosen.within)
        kecamatan = kecamatan_of(path, chosen.within) if level == "kelurahan" else {}
        shown = names
        if level == "kelurahan" and chosen.level != "kecamatan":   # one name in two kecamatan: say which
            kec_names = region_names(path, "kecamatan", chosen.within)
            shown = {k: f"{n} ({kec_names.get(kecamatan.get(k, ''), '')})" for k, n in names.items()}
        if st.session_state.get(keys[i], "") not in ("", *names):
            st.session_state[keys[i]] = ""
        # "" stands for "all": a select box whose value is None shows a placeholder, not an option
        value = boxes[i].selectbox(
            t(f"pick_{level}"), ["", *names], key=keys[i], on_change=reset_below(i),
            format_func=lambda k, shown=shown, level=level: shown.get(k, t(f"pick_all_{level}")),
            help=t("region_path_help") if i == 0 else None)
        if not value:
            left_open = True
            continue
        kec = value if level == "kecamatan" else kecamatan.get(value, chosen.kode_kecamatan)
        chosen = Region(level, value, names[value], kec)
    return chosen


@st.cache_data(ttl=QUERY_TTL_SECONDS, show_spinner=False)
def _kecamatan_of(path: str, within: tuple[str, str] | None) -> dict[str, str]:
    frame = metrics.kecamatan_of(_open_database(path), within)
    return dict(zip(frame["kode"], frame["kode_kecamatan"]))


def kecamatan_of(path: str, within: tuple[str, str] | None) -> dict[str, str]:
    """kelurahan code → its kecamatan code, for the kelurahan inside `within`."""
    return _kecamatan_of(path, within)


@dataclass(frozen=True)
class View:
    """What a region dashboard page shows: the database path, the day, the region and its figures."""

    path: str
    as_of: dt.date
    whole: metrics.Scope
    region: Region
    figures: metrics.Summary


def region_view(title_key: str, prefix: str) -> View:
    """The common opening of the region pages (Wilayah, Distribusi): title, as-of date, region picker.

    Stops the page with a message when there is no data."""
    path = str(database().path)
    st.title(t(title_key))
    if not has_data(path):
        st.info(t("no_data"))
        st.stop()
    as_of = as_of_picker(path)
    whole = region_scope(path)
    region = region_picker(path, whole, prefix)
    figures = whole_summary(path, as_of) if region.kode is None else region_summary(path, as_of, region.level,
                                                                                      region.kode)
    if figures is None:
        st.info(t("no_data"))
        st.stop()
    return View(path, as_of, whole, region, figures)


@st.cache_data(ttl=QUERY_TTL_SECONDS, show_spinner=False)
def _map_region(path: str, level: str, kode: str | None, kode_kecamatan: str | None) -> tuple[str, str | None] | None:
    return metrics.map_region(_open_database(path), level, kode, kode_kecamatan, boundary_codes())


def map_frame(view: View) -> pd.DataFrame | None:
    """The kelurahan to draw on the map for a view (see metrics.map_region), or None: no map here."""
    region = view.region
    target = _map_region(view.path, region.level, region.kode, region.kode_kecamatan)
    return None if target is None else kelurahan_frame(view.path, view.as_of, *target)


def child_level(view: View) -> str | None:
    """The level right below the chosen region in the region list, unless that is kelurahan."""
    levels = view.whole.levels
    below = levels[0] if view.region.kode is None else (
        levels[levels.index(view.region.level) + 1] if view.region.level in levels[:-1] else None)
    return below if below not in (None, "kelurahan") else None


# A bar chart shows at most this many regions (the lowest first); the table below it has them all.
CHART_MAX_REGIONS = 40


def children_section(view: View, prefix: str) -> None:
    """Progress of the regions one level below the chosen one (provinsi, kota or kecamatan): a bar chart
    of the lowest, a table of all, downloads. Nothing for a kecamatan or a kelurahan."""
    level = child_level(view)
    if level is None:
        return
    rows = summaries(view.path, view.as_of, level, view.region.within)
    st.subheader(t("children_title", tingkat=t(f"pick_{level}")))
    lowest = metrics.lowest(rows, CHART_MAX_REGIONS)
    chart(charts.kecamatan_progress(lowest, lang()), screen_tables.file_stem(f"kemajuan_{level}", view.as_of))
    if len(rows) > CHART_MAX_REGIONS:
        st.caption(t("children_chart_cut", n=CHART_MAX_REGIONS, total=formatting.angka(len(rows), lang())))
    table = screen_tables.region_table(rows, lang())
    dataframe(screen_tables.styled(table, lang()), hide_index=True, width="stretch")
    downloads(table, screen_tables.file_stem(level, view.as_of), f"{prefix}_{level}")


def paged(total: int, key: str, size: int = 100) -> tuple[int | None, int]:
    """(limit, offset) of the page of a long table to show, with the page chooser when there is more than
    one page; (None, 0) for a table short enough to show whole."""
    if total <= size:
        return None, 0
    pages = -(-total // size)
    left, right = st.columns([1, 4])
    page = left.number_input(t("page_number", n=formatting.angka(pages, lang())), min_value=1, max_value=pages,
                             value=1, step=1, key=key)
    offset = (int(page) - 1) * size
    right.caption(t("page_rows", dari=formatting.angka(offset + 1, lang()),
                    sampai=formatting.angka(min(offset + size, total), lang()), total=formatting.angka(total, lang())))
    return size, offset


def chart(fig, name: str) -> None:
    """A plotly chart with the house config: Indonesian locale, a PNG button named after the chart."""
    st.plotly_chart(fig, theme=None, config={
        "displaylogo": False, "locale": "id" if lang() == "id" else "en",
        "toImageButtonOptions": {"format": "png", "filename": name, "scale": 2}})


def downloads(frame: pd.DataFrame | Callable[[], pd.DataFrame], stem: str, key: str) -> None:
    """CSV and Excel buttons for a table; the files are made only when clicked. `frame` may be a function
    that makes the table (a whole ranking of which the page shows one page)."""
    def table() -> pd.DataFrame:
        return frame() if callable(frame) else frame

    left, right, _ = st.columns([1, 1, 4])
    left.download_button(t("download_csv"), data=lambda: exports.to_csv(table()), file_name=f"{stem}.csv",
                         mime="text/csv", key=f"{key}_csv", on_click="ignore")
    right.download_button(t("download_xlsx"), data=lambda: exports.to_xlsx(table()), file_name=f"{stem}.xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          key=f"{key}_xlsx", on_click="ignore")


def report_button(path: str, region: Region, as_of: dt.date) -> None:
    """The one-click offline HTML report of the current view."""
    view = report.View(as_of=as_of, level=region.level, kode=region.kode)
    L = lang()
    st.download_button(t("report_button"), data=lambda: report.build(_open_database(path), view, L).encode("utf-8"),
                       file_name=screen_tables.file_stem("laporan_ektp_" + re.sub(r"[^a-z0-9]+", "_", region.nama.lower()), as_of) + ".html",
                       mime="text/html", key="report", on_click="ignore", help=t("report_help"), type="primary")


def show_problems(problems: list) -> None:
    """Problems of an upload (ingest.Problem) as a table: baris, kolom, what is wrong and what to do."""
    # st.table renders markdown, and messages quote the file's cells: every message is escaped, so a cell
    # like "![x](http://…)" is shown as typed and never makes the browser fetch anything.
    st.table(pd.DataFrame({
        t("col_baris"): [p.baris if p.baris is not None else "" for p in problems],
        t("col_kolom"): [p.kolom or "" for p in problems],
        t("col_masalah"): [formatting.md(i18n.describe_problem(p, lang(), where=False)) for p in problems],
    }), hide_index=True)


def clear_caches() -> None:
    """Call after any write (upload, revert) so every page shows the new figures."""
    st.cache_data.clear()


if __name__ == "__main__":  # opened as /shared through the legacy pages/ emulation
    require_frame(__file__)
