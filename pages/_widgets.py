"""The pieces the pages share on screen: tables, charts, downloads, the as-of and region pickers, the
common opening of the region pages, paging, the report button and an upload's problems."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from ektp_metrics import (
    charts,
    exports,
    formatting,
    i18n,
    metrics,
    report,
    screen_tables,
)
from pages._lang import lang, t
from pages._queries import (
    first_data_date,
    has_data,
    kecamatan_of,
    kelurahan_count,
    kelurahan_frame,
    map_region,
    reference_day,
    region_names,
    region_scope,
    region_summary,
    summaries,
    whole_summary,
)
from pages._store import database, open_database


def dataframe(data, **kwargs):
    """st.dataframe showing a missing value as "–", as the tables' formats and the report do (by itself it
    shows "None": it does not take a Styler's format for missing cells), its first shown column (the
    kelurahan's or the region's name) pinned: on a phone the other columns scroll under it (issue 21)."""
    columns = list(kwargs.get("column_order") or getattr(data, "data", data).columns)
    config = dict(kwargs.pop("column_config", None) or {})
    if columns:
        first = config.get(columns[0])
        if first is None:
            config[columns[0]] = st.column_config.Column(pinned=True)
        elif isinstance(first, dict):
            config[columns[0]] = {"pinned": True, **first}
    return st.dataframe(data, placeholder=screen_tables.MISSING, column_config=config or None, **kwargs)


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


def map_frame(view: View) -> pd.DataFrame | None:
    """The kelurahan to draw on the map for a view (see metrics.map_region), or None: no map here."""
    region = view.region
    target = map_region(view.path, region.level, region.kode, region.kode_kecamatan)
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
    dataframe(screen_tables.styled(table, lang()), hide_index=True, width="stretch",
              column_order=without_codes(table))
    downloads(table, screen_tables.file_stem(level, view.as_of), f"{prefix}_{level}")


def without_codes(table: pd.DataFrame) -> list[str]:
    """The columns of a table to show on screen: all but the region codes, which only widened it on a phone
    (the downloads keep them)."""
    return [c for c in table.columns if c != t("col_kode")]


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
    """A plotly chart with the house config (Indonesian locale, a PNG button named after the chart), its
    finding as text above it and its figures as a table below it (issue 21).

    The finding is the figure's title. Plotly does not wrap a title, so on a phone it ran off the chart
    under the toolbar: on screen it is a paragraph above the chart, which wraps at any width, and
    ektp_metrics/html/phone.css hides the title drawn in the chart (a PNG saved from it still has it).
    "Data grafik", a collapsed expander, holds the figures as a table: the chart's text alternative, drawn
    when it is opened."""
    found = charts.finding(fig)
    key = re.sub(r"\W+", "_", name)
    if found:
        with st.container(key=f"chart_finding_{key}"):
            st.markdown(f"**{formatting.md(found)}**")
    st.plotly_chart(fig, theme=None, config={
        "displaylogo": False, "locale": "id" if lang() == "id" else "en",
        "toImageButtonOptions": {"format": "png", "filename": name, "scale": 2}})
    # Drawn only when opened (the expander reruns the page, from the cache of built figures): a closed
    # table costs a page nothing, where three always-drawn tables of markdown cells made Ringkasan's first
    # paint 0,6 s of the browser's CPU slower (bench/README.md, "Tampil pertama").
    with st.expander(t("chart_data"), key=f"chart_data_{key}", on_change="rerun") as data:
        if data.open:
            table = charts.figure_table(fig, lang())
            if found:
                st.caption(formatting.md(found))
            # a plain HTML table, which screen readers read best; st.table renders markdown: every cell is escaped
            st.table(table.map(formatting.md).rename(columns=formatting.md), hide_index=True)


def demo_notice() -> None:
    """The notice that the figures are a demo: the full box on a wide screen; on a phone or tablet one line
    that opens (phone.css shows one of the two by the screen's width)."""
    with st.container(key="demo_notice_wide"):
        st.info(t("demo_banner"), icon=":material/info:")
    with st.container(key="demo_notice"), st.expander(t("demo_notice_short"), icon=":material/info:"):
        st.markdown(t("demo_notice_detail"))


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
    st.download_button(t("report_button"), data=lambda: report.build(open_database(path), view, L).encode("utf-8"),
                       file_name=screen_tables.file_stem("laporan_ektp_" + re.sub(r"[^a-z0-9]+", "_", region.nama.lower()), as_of) + ".html",
                       mime="text/html", key="report", on_click="ignore", help=t("report_help"), type="primary")


PROBLEMS_SHOWN = 20   # rows of an upload's problem table; the rest are counted and in the CSV download


def show_problems(problems: list, *, advice: bool = False, key: str = "problems") -> None:
    """Problems of an upload (ingest.Problem) as a table: baris, kolom, what is wrong and what to do.
    advice: implausible values end "bila benar, centang konfirmasi" (only where ticking the box would make the
    file acceptable). A long list shows its first PROBLEMS_SHOWN, counts the rest and offers all as CSV."""
    L = lang()

    def table(shown: list, *, markdown: bool) -> pd.DataFrame:
        def text(p) -> str:
            message = i18n.describe_problem(p, L, where=False, advice=advice)
            return formatting.md(message) if markdown else message
        return pd.DataFrame({
            t("col_baris"): [p.baris if p.baris is not None else "" for p in shown],
            t("col_kolom"): [str(i18n.cut(p.kolom, L)) if p.kolom else "" for p in shown],
            t("col_masalah"): [text(p) for p in shown],
        })

    # st.table renders markdown, and messages quote the file's cells: every message is escaped, so a cell
    # like "![x](http://…)" is shown as typed and never makes the browser fetch anything.
    st.table(table(problems[:PROBLEMS_SHOWN], markdown=True), hide_index=True)
    if len(problems) > PROBLEMS_SHOWN:
        st.caption(t("problems_more", n=formatting.angka(len(problems) - PROBLEMS_SHOWN, L)))
        st.download_button(t("problems_download"), data=lambda: exports.to_csv(table(problems, markdown=False)),
                           file_name="masalah_unggahan.csv", mime="text/csv", key=f"{key}_csv", on_click="ignore")
