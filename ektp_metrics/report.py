"""A one-file HTML report of the dashboard's current view, for meetings: it opens offline (from a USB
stick, with no network) because plotly.js, the styles and the data are all inside the file.

The report uses the same queries, sentences, tables and figures as the pages. The page is the template
ektp_metrics/html/laporan.html (Jinja2, autoescaped): this module only gathers what goes into it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import plotly.io as pio
from markupsafe import Markup, escape
from plotly.offline import get_plotlyjs

from ektp_metrics import (
    charts,
    forecast,
    formatting,
    metrics,
    reference,
    screen_tables,
    settings,
)
from ektp_metrics.db import Database
from ektp_metrics.html import ENV
from ektp_metrics.i18n import describe_projection, t
from ektp_metrics.regions import KECAMATAN_GEOJSON, KELURAHAN_GEOJSON, boundary_codes

REPORT_ROWS = 500            # kelurahan listed in a report (the lowest first); a national list says how many more
REPORT_CHART_REGIONS = 40    # regions in the progress chart (the lowest)

_CSS = """
body { font-family: "Source Sans Pro", "Segoe UI", Arial, sans-serif; color: #262730; margin: 2rem auto;
       max-width: 1200px; padding: 0 1rem; }
h1 { font-size: 2rem; margin-bottom: .2rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ddd; }
.note { background: #eef5fb; border-left: 4px solid #0072B2; padding: .6rem 1rem; }
.cards { display: grid; grid-template-columns: repeat(3, 1fr); gap: 1rem; margin: 1rem 0; }
.card { border: 1px solid #ddd; border-radius: .5rem; padding: .8rem 1rem; }
.card .label { font-size: .95rem; color: #555; } .card .value { font-size: 2rem; font-weight: 600; }
table { border-collapse: collapse; font-size: .9rem; width: 100%; }
th, td { border-bottom: 1px solid #e5e5e5; padding: .3rem .5rem; text-align: right; }
th:first-child, td:first-child, th:nth-child(2), td:nth-child(2) { text-align: left; }
footer { margin-top: 3rem; font-size: .85rem; color: #666; }
@media print { .plotly-graph-div { break-inside: avoid; } }
"""


@dataclass(frozen=True)
class View:
    """What the person was looking at: the day, and the region (the whole list, or one region of a level)."""

    as_of: dt.date
    level: str = "kota"          # provinsi | kota | kecamatan | kelurahan (ignored when kode is None)
    kode: str | None = None      # the region's code; None for the whole region list (Solo: the kota)


def _figure(fig) -> Markup:
    # plotly.js is inlined once before the first chart (≈ 4,7 MB); every chart uses that copy.
    return Markup(pio.to_html(fig, full_html=False, include_plotlyjs=False,
                              config={"displaylogo": False, "responsive": True}))


def _bold(text: str) -> Markup:
    """The sentences mark figures **bold** (markdown); in the report that becomes <strong>, around escaped text."""
    return Markup(re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", str(escape(text))))


@dataclass(frozen=True)
class _Section:
    """A table of the report, under its heading, as display texts (the template escapes them)."""

    title: str
    header: list[str]
    rows: list[list[str]]
    note: str | None = None


def _section(title: str, frame, lang: str, note: str | None = None) -> _Section:
    header, rows = screen_tables.cells(frame, lang)
    return _Section(title, header, rows, note)


def build(db: Database, view: View, lang: str = "id") -> str:
    """The report as one HTML document (str), rendered from ektp_metrics/html/laporan.html."""
    as_of, deadline = view.as_of, settings.deadline()
    whole = metrics.scope(db)
    if view.kode is None:
        level, region = whole.level, metrics.city_summary(db, as_of, whole)
    else:
        level, region = view.level, metrics.region_summary(db, as_of, view.level, view.kode)
    if region is None:
        raise ValueError(f"tidak ada wilayah {view.kode!r} pada tingkat {view.level}")
    focus_kec = None
    if level == "kecamatan":
        focus_kec = view.kode
    elif level == "kelurahan":
        focus_kec = str(metrics.kelurahan_frame(db, as_of, level="kelurahan", kode=view.kode)["kode_kecamatan"].iloc[0])
    # the kelurahan listed: the region's (a kelurahan: its kecamatan's), the REPORT_ROWS lowest
    part_level, part_kode = ("kecamatan", focus_kec) if level == "kelurahan" else (level, view.kode)
    part = metrics.kelurahan_frame(db, as_of, level=part_level, kode=part_kode, limit=REPORT_ROWS)
    part_total = metrics.kelurahan_count(db, part_level, part_kode)
    target = metrics.map_region(db, level, view.kode, focus_kec, boundary_codes())
    below = whole.levels[0] if view.kode is None else (
        whole.levels[whole.levels.index(level) + 1] if level in whole.levels[:-1] else "kelurahan")
    left = metrics.days_left(as_of, deadline)

    cards = [
        (t("m_persen_rekam", lang), formatting.persen_nilai(region.persen_rekam, lang)),
        (t("m_sudah_rekam", lang), formatting.angka(region.sudah_rekam, lang)),
        (t("m_belum_rekam", lang), formatting.angka(region.belum_rekam, lang)),
        (t("m_distribusi", lang), formatting.angka(region.sudah_distribusi, lang)),
        (t("m_backlog", lang), formatting.angka(region.backlog_distribusi, lang)),
        (t("m_hari", lang), formatting.angka(left, lang)),
    ]
    figures = []
    projections: list[Markup] = []
    if view.kode is None:
        rekam, kartu = forecast.city_projections(db, as_of)
        projections = [_bold(describe_projection(p, k, lang)) for p, k in ((rekam, "rekam"), (kartu, "kartu"))]
        first = metrics.first_data_date(db) or as_of
        figures.append(charts.progress_over_time(metrics.city_series(db, first, as_of), reference.published_coverage(db), lang))
        if below != "kelurahan":
            figures.append(charts.kecamatan_progress(
                metrics.lowest(metrics.summaries(db, as_of, below), REPORT_CHART_REGIONS), lang))
    else:
        start = as_of - dt.timedelta(days=90)
        figures.append(charts.region_history(metrics.region_series(db, start, as_of, level, view.kode), region.nama, lang))
    if target is not None:
        kel = metrics.kelurahan_frame(db, as_of, level=target[0], kode=target[1])
        figures.append(charts.coverage_map(kel, charts.load_geojson(str(KELURAHAN_GEOJSON)),
                                           charts.load_geojson(str(KECAMATAN_GEOJSON)) if KECAMATAN_GEOJSON.exists() else None,
                                           lang, focus_kecamatan=focus_kec, renderer="svg"))
    figures.append(charts.funnel(region, lang))
    if level != "kelurahan":
        figures.append(charts.backlog_ranking(part, lang))

    cut = (t("report_rows_cut", lang, n=formatting.angka(len(part), lang), total=formatting.angka(part_total, lang))
           if part_total > len(part) else None)
    sections = [_section(t("table_kelurahan", lang), screen_tables.kelurahan_ranking(part, lang, bar=False), lang, cut),
                _section(t("distribusi_table_title", lang), screen_tables.distribusi_table(part, left, lang), lang)]
    if below != "kelurahan":
        within = None if view.kode is None else (level, view.kode)
        sections.append(_section(
            t("table_kecamatan", lang) if below == "kecamatan" else t("children_title", lang, tingkat=t(f"pick_{below}", lang)),
            screen_tables.region_table(metrics.summaries(db, as_of, below, within), lang), lang))

    return ENV.get_template("laporan.html").render(
        lang=lang, css=Markup(_CSS),
        title=t("report_title", lang, nama=region.nama) + " · " + formatting.tanggal(as_of, lang),
        heading=t("report_title", lang, nama=region.nama),
        subtitle=t("report_subtitle", lang, tanggal=formatting.tanggal(as_of, lang, hari=True),
                   dibuat=formatting.waktu(dt.datetime.now(dt.UTC), lang), wilayah=whole.nama),
        demo=t("report_demo", lang) if db.get_setting("demo") == "1" else None,
        cards=cards, projection_title=t("projection_title", lang), projections=projections,
        charts_title=t("report_charts", lang),
        geo_assets=Markup(charts.EMPTY_GEO_ASSETS), plotlyjs=Markup(get_plotlyjs()),
        figures=[_figure(fig) for fig in figures], sections=sections,
        footer=t("report_footer", lang, wilayah=whole.nama))
