"""Plotly figures. One theme for all; every number in a label comes from ektp_metrics.formatting."""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import re
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from ektp_metrics import formatting
from ektp_metrics.i18n import t
from ektp_metrics.metrics import Summary

# Okabe–Ito: distinguishable with the common forms of colour blindness.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000")
SUDAH, BELUM = PALETTE[0], "#E8E8E8"
# The map's scale runs from dark violet (lowest) through teal to yellow (100%): no grey anywhere on it
# (Cividis had a grey middle, so half the city looked as if it had no target; issue 21). A kelurahan
# without a wajib KTP target has no percentage and is drawn in TANPA_TARGET, a colour outside the scale.
MAP_SCALE = "Viridis"
TANPA_TARGET = "#D9D9D9"


_AXIS = {"gridcolor": "#EBF0F8", "linecolor": "#EBF0F8", "zerolinecolor": "#EBF0F8", "zerolinewidth": 2,
         "ticks": "", "automargin": True, "title": {"standoff": 15}}
# The layout half of plotly's "plotly_white", and nothing else: the full template carries defaults for
# every trace type, and copying it into each figure was most of a page's script time (bench/pages.py).
HOUSE_TEMPLATE = go.layout.Template(layout={
    "paper_bgcolor": "white", "plot_bgcolor": "white", "hovermode": "closest", "hoverlabel": {"align": "left"},
    "xaxis": _AXIS, "yaxis": _AXIS, "annotationdefaults": {"arrowcolor": "#262730", "arrowhead": 0, "arrowwidth": 1},
    "geo": {"bgcolor": "white"},
})


def theme(fig: go.Figure, lang: str = "id") -> go.Figure:
    """The house style: separators of the locale, palette, plain background, readable type.

    "Source Sans" is the font Streamlit serves itself, so charts need no font from the internet.
    """
    fig.update_layout(
        separators=formatting.plotly_separators(lang),
        colorway=list(PALETTE),
        template=HOUSE_TEMPLATE,
        font={"family": "Source Sans, sans-serif", "size": 14, "color": "#262730"},
        title={"x": 0, "xanchor": "left", "font": {"size": 18}},
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        hoverlabel={"font_size": 14},
    )
    return fig


def kecamatan_progress(rows: list[Summary], lang: str = "id") -> go.Figure:
    """Per-kecamatan progress bars (each bar = 100% of its wajib KTP); the title states the finding."""
    rows = sorted(rows, key=lambda s: (s.persen_rekam is None, s.persen_rekam or 0), reverse=True)
    names = [s.nama for s in rows]
    done = [float(s.persen_rekam or 0) for s in rows]
    labels = [formatting.persen_nilai(s.persen_rekam, lang) for s in rows]
    hover = [t("hover_kecamatan", lang, nama=s.nama, persen=labels[i], rekam=formatting.angka(s.sudah_rekam, lang),
               wajib=formatting.angka(s.wajib_ktp, lang), belum=formatting.angka(s.belum_rekam, lang))
             for i, s in enumerate(rows)]
    fig = go.Figure()
    fig.add_bar(y=names, x=done, orientation="h", name=t("trace_sudah", lang), marker_color=SUDAH,
                text=labels, textposition="inside", insidetextanchor="end", textfont={"color": "white", "size": 15},
                hovertext=hover, hoverinfo="text")
    # "belum rekam" right of each bar, upright at full size: inside its thin grey part it was shrunk and
    # turned on a phone (issue 21). The axis runs on past 100% to make room, its ticks stop at 100%.
    fig.add_bar(y=names, x=[max(100 - d, 0) for d in done], orientation="h", name=t("trace_belum", lang),
                marker_color=BELUM, text=[formatting.angka(s.belum_rekam, lang) for s in rows],
                textposition="outside", textangle=0, constraintext="none", cliponaxis=False,
                textfont={"color": "#262730", "size": 14}, hovertext=hover, hoverinfo="text")
    fig.update_layout(barmode="stack", title={"text": _kecamatan_finding(rows, lang)},
                      xaxis={"range": [0, 122], "tickvals": list(range(0, 101, 20)),
                             "ticktext": [f"{v}%" for v in range(0, 101, 20)],
                             "title": t("axis_persen_wajib", lang)},
                      legend={"orientation": "h", "y": -0.2}, height=90 + 56 * max(len(rows), 1), bargap=0.3)
    return theme(fig, lang)


def _kecamatan_finding(rows: list[Summary], lang: str) -> str:
    known = [(s, s.persen_rekam) for s in rows if s.persen_rekam is not None]
    if not known:
        return ""
    lowest, lowest_persen = min(known, key=lambda pair: pair[1])
    most = max((s for s, _ in known), key=lambda s: s.belum_rekam)
    values = {"terendah": lowest.nama, "persen": formatting.persen_nilai(lowest_persen, lang),
              "terbanyak": most.nama, "belum": formatting.angka(most.belum_rekam, lang)}
    if lowest.kode == most.kode:
        return t("chart_kecamatan_title_same", lang, **{**values, "belum": formatting.angka(lowest.belum_rekam, lang)})
    return t("chart_kecamatan_title", lang, **values)


def month_ticks(start: dt.date, end: dt.date, lang: str = "id") -> dict:
    """Tick values and Indonesian month labels for a date axis (plotly's own labels are English): the
    month above its year ('Okt<br>2013'), narrow enough to stand side by side on a phone."""
    ticks, day = [], dt.date(start.year, start.month, 1)
    while day <= end:
        ticks.append(day)
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    # at most MONTH_TICKS labels, upright (on a phone a dozen turned vertical; issue 21); counted back from
    # the last month, which is always labelled
    ticks = ticks[::-1][::max(1, -(-len(ticks) // MONTH_TICKS))][::-1]
    return {"tickvals": ticks, "ticktext": [formatting.bulan(d, lang).replace(" ", "<br>") for d in ticks],
            "tickangle": 0}


MONTH_TICKS = 6


def week_ticks(start: dt.date, end: dt.date, lang: str = "id") -> dict:
    """Weekly ticks (Mondays, every week or every few) labelled '7 Okt' for a day axis."""
    day = start + dt.timedelta(days=(7 - start.weekday()) % 7)
    ticks = []
    while day <= end:
        ticks.append(day)
        day += dt.timedelta(days=7)
    ticks = ticks[::-1][::max(1, -(-len(ticks) // MONTH_TICKS))][::-1]   # at most MONTH_TICKS, the last kept
    return {"tickvals": ticks, "ticktext": [formatting.bulan_tanpa_tahun(d, lang) for d in ticks], "tickangle": 0}


def _percent(numerator: int, denominator: int) -> float | None:
    """formatting.persen_floor as a float for a chart axis; None without a denominator."""
    value = formatting.persen_floor(numerator, denominator)
    return None if value is None else float(value)


def progress_over_time(series: pd.DataFrame, published: pd.DataFrame, lang: str = "id") -> go.Figure:
    """Coverage day by day against the 100% line, with the published figures and their denominators.

    series: metrics.city_series; published: reference.published_coverage. The percentage line uses the
    target version of each day, so it jumps where the denominator changed; the annotations say so.
    """
    frame = series[series["wajib_ktp"] > 0].copy()
    frame["persen"] = [_percent(r, w) for r, w in zip(frame["rekam_bertarget"], frame["wajib_ktp"])]
    labels = [t("hover_series", lang, tanggal=formatting.tanggal(pd.Timestamp(d).date(), lang),
                persen=formatting.persen(r, w, lang), rekam=formatting.angka(r, lang), wajib=formatting.angka(w, lang))
              for d, r, w in zip(frame["tanggal"], frame["rekam_bertarget"], frame["wajib_ktp"])]
    fig = go.Figure()
    fig.add_scatter(x=frame["tanggal"], y=frame["persen"], mode="lines", name=t("trace_sudah", lang),
                    line={"color": SUDAH, "width": 3}, hovertext=labels, hoverinfo="text")
    fig.add_hline(y=100, line={"color": PALETTE[3], "dash": "dash"},
                  annotation_text=t("target_100", lang), annotation_position="top left")
    start = pd.Timestamp(frame["tanggal"].min()).date() if len(frame) else dt.date.today()
    end = pd.Timestamp(frame["tanggal"].max()).date() if len(frame) else dt.date.today()
    for r in published.itertuples(index=False):
        day = pd.Timestamp(r.tanggal).date()
        if not (start <= day <= end):
            continue
        y = _percent(int(r.sudah_rekam), int(r.wajib_ktp))
        if y is None:   # a published wajib KTP of 0: no percentage to place (float(None) broke the chart)
            continue
        persen = formatting.persen(int(r.sudah_rekam), int(r.wajib_ktp), lang)
        fig.add_scatter(x=[day], y=[y],
                        mode="markers", marker={"color": PALETTE[1], "size": 12, "symbol": "diamond"},
                        showlegend=False, hoverinfo="text",
                        hovertext=t("published_point", lang, tanggal=formatting.tanggal(day, lang), persen=persen,
                                    rekam=formatting.angka(int(r.sudah_rekam), lang),
                                    wajib=formatting.angka(int(r.wajib_ktp), lang), penerbit=r.penerbit))
        fig.add_annotation(x=day, y=y,
                           text=t("published_label", lang, persen=persen, wajib=formatting.angka(int(r.wajib_ktp), lang)),
                           showarrow=True, arrowhead=0, ay=40, font={"size": 12})
    versions = frame["wajib_ktp"].drop_duplicates()
    last = frame.iloc[-1] if len(frame) else None
    # the line jumps only where the denominator changed: say so only when it did
    title = "" if last is None else t(
        "chart_series_title" if len(versions) > 1 else "chart_series_title_one", lang,
        persen=formatting.persen(int(last["rekam_bertarget"]), int(last["wajib_ktp"]), lang),
        tanggal=formatting.tanggal(end, lang), versi=formatting.angka(len(versions), lang))
    fig.update_layout(title={"text": title}, yaxis={"range": [0, 105], "ticksuffix": "%"},
                      xaxis={**month_ticks(start, end, lang)}, showlegend=False, height=420)
    return theme(fig, lang)


LOKASI_COLOURS = {"kelurahan": PALETTE[0], "kecamatan": PALETTE[4], "sekolah": PALETTE[2], "pasar": PALETTE[1],
                  "lainnya": PALETTE[5]}


def published_points(fig: go.Figure) -> int:
    """How many published figures progress_over_time drew (its diamonds)."""
    return sum(1 for trace in fig.data if trace.mode == "markers" and trace.marker.symbol == "diamond")


def daily_by_lokasi(frame: pd.DataFrame, lang: str = "id") -> go.Figure:
    """Stacked daily recordings by service location; the title names the busiest location and the best day."""
    fig = go.Figure()
    for lokasi, colour in LOKASI_COLOURS.items():
        part = frame[frame["lokasi"] == lokasi]
        if len(part):
            name = t(f"lokasi_{lokasi}", lang)
            fig.add_bar(x=part["tanggal"], y=part["rekam"], name=name, marker_color=colour,
                        hovertext=[f"{name}: {formatting.angka(int(v), lang)}" for v in part["rekam"]],
                        hoverinfo="text+x")
    title = ""
    if len(frame):
        totals = frame.groupby("lokasi")["rekam"].sum()
        per_day = frame.groupby("tanggal")["rekam"].sum()
        top = totals.idxmax()
        best = per_day.idxmax()
        title = t("chart_lokasi_title", lang, lokasi=t(f"lokasi_{top}", lang),
                  bagian=formatting.persen(int(totals[top]), int(totals.sum()), lang),
                  puncak=formatting.angka(int(per_day.max()), lang),
                  tanggal=formatting.tanggal(pd.Timestamp(best).date(), lang, singkat=True))
    days = pd.to_datetime(frame["tanggal"]).dt.date if len(frame) else pd.Series(dtype=object)
    if len(frame):
        fig.update_xaxes(**week_ticks(min(days), max(days), lang))
    fig.update_layout(barmode="stack", title={"text": title}, height=380,
                      legend={"orientation": "h", "y": -0.15},
                      yaxis={"title": t("axis_rekam_per_hari", lang), "tickformat": ",d"})   # 300.000, not 300k
    return theme(fig, lang)


# ---- Wilayah: the map, a region's history -------------------------------------------------------------

@functools.lru_cache(maxsize=4)
def load_geojson(path: str) -> dict:
    """A GeoJSON file read once per process (the shipped boundaries are small)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _bounds(features: list[dict]) -> tuple[float, float, float, float]:
    """(min lon, min lat, max lon, max lat) of Polygon/MultiPolygon features."""
    lons: list[float] = []
    lats: list[float] = []
    for feature in features:
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        for polygon in polygons:
            for ring in polygon:
                lons.extend(p[0] for p in ring)
                lats.extend(p[1] for p in ring)
    return min(lons), min(lats), max(lons), max(lats)


def _view(features: list[dict], width_px: int = 800, height_px: int = 500) -> dict:
    """Centre and zoom of a web-mercator view that fits the features (no tile server: only the maths).

    At zoom z the world is 512·2^z px wide in plotly's map (MapLibre); a span of latitude Δφ near φ
    takes 512·2^z·Δφ/(360·cos φ) px. The zoom fits both spans."""
    west, south, east, north = _bounds(features)
    span_lon = max(east - west, 1e-4) * 1.25   # a margin around the shape
    span_lat = max(north - south, 1e-4) * 1.25
    zoom_lon = math.log2(360 * width_px / 512 / span_lon)
    zoom_lat = math.log2(360 * height_px * math.cos(math.radians((north + south) / 2)) / 512 / span_lat)
    return {"center": {"lon": (west + east) / 2, "lat": (north + south) / 2}, "zoom": min(zoom_lon, zoom_lat)}


def _outline(features: list[dict]) -> tuple[list, list]:
    """Line coordinates of every ring, rings separated by None (one trace draws all outlines)."""
    lons: list = []
    lats: list = []
    for feature in features:
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        for polygon in polygons:
            for ring in polygon:
                lons.extend([p[0] for p in ring] + [None])
                lats.extend([p[1] for p in ring] + [None])
    return lons, lats


MAP_FIT_WIDTH = 420   # px the app's map is fitted to (see coverage_map)


# The base map the "svg" renderer's geo subplot asks for (scope world, 110m), empty: the base layers
# are hidden, and with this in window.PlotlyGeoAssets plotly.js fetches nothing from its CDN.
EMPTY_GEO_ASSETS = '{"topojson": {"world_110m": {"type": "Topology", "objects": {}, "arcs": []}}}'


def coverage_map(frame: pd.DataFrame, kelurahan_geojson: dict, kecamatan_geojson: dict | None = None,
                 lang: str = "id", focus_kecamatan: str | None = None, renderer: str = "map") -> go.Figure:
    """Choropleth of persen rekam per kelurahan with kecamatan outlines, with no tiles and no internet.

    frame: metrics.kelurahan_frame; features are matched on properties.kode = frame.kode. A kelurahan
    without a target is drawn in TANPA_TARGET, light grey, which is no colour of MAP_SCALE. focus_kecamatan zooms to that kecamatan's kelurahan.
    renderer "map": plotly's MapLibre map with a blank style (WebGL; pan and zoom), for the app.
    renderer "svg": a geo subplot with the base map hidden (plain SVG), for the offline HTML report:
    MapLibre does not start from a file:// page, and the page must define EMPTY_GEO_ASSETS as
    window.PlotlyGeoAssets so plotly.js does not fetch its world map.
    """
    if renderer not in ("map", "svg"):
        raise ValueError(f"renderer: {renderer!r}")
    svg = renderer == "svg"
    shape, outline = (go.Choropleth, go.Scattergeo) if svg else (go.Choroplethmap, go.Scattermap)
    known = frame[frame["persen_rekam"].notna()]
    hover = [_kelurahan_hover(r, lang) for r in frame.itertuples(index=False)]   # 51 rows: a label each
    fig = go.Figure()
    fig.add_trace(shape(
        geojson=kelurahan_geojson, featureidkey="properties.kode", locations=frame["kode"],
        z=frame["persen_rekam"].fillna(-1), zmin=float(math.floor(known["persen_rekam"].min())) if len(known) else 0,
        zmax=100, colorscale=MAP_SCALE, marker={"line": {"color": "white", "width": 1}, "opacity": 0.9},
        hovertext=hover, hoverinfo="text",
        colorbar={"title": {"text": t("axis_persen_wajib", lang), "side": "top"}, "ticksuffix": "%", "thickness": 14,
                  **({} if svg else {"orientation": "h", "y": 0, "yanchor": "top", "x": 0, "xanchor": "left",
                                     "len": 1, "lenmode": "fraction"})}))
    if len(known) < len(frame):
        missing = frame[frame["persen_rekam"].isna()]
        fig.add_trace(shape(geojson=kelurahan_geojson, featureidkey="properties.kode", locations=missing["kode"],
                            z=[0] * len(missing), showscale=False, colorscale=[[0, TANPA_TARGET], [1, TANPA_TARGET]],
                            hoverinfo="text",
                            hovertext=[_kelurahan_hover(r, lang) for r in missing.itertuples(index=False)]))
    if kecamatan_geojson is not None:
        lons, lats = _outline(kecamatan_geojson["features"])
        fig.add_trace(outline(lon=lons, lat=lats, mode="lines", line={"color": "#262730", "width": 2},
                              hoverinfo="skip", showlegend=False))
    shown = {str(k) for k in (frame["kode"] if focus_kecamatan is None
                              else frame.loc[frame["kode_kecamatan"] == focus_kecamatan, "kode"])}
    features = [f for f in kelurahan_geojson["features"] if f["properties"].get("kode") in shown]
    focus = frame if focus_kecamatan is None else frame[frame["kode_kecamatan"] == focus_kecamatan]
    fig.update_layout(height=560, title={"text": _map_finding(focus, lang)}, margin={"l": 0, "r": 0, "t": 60, "b": 0})
    if svg:
        west, south, east, north = _bounds(features) if features else (-180, -80, 180, 80)
        pad_lon, pad_lat = (east - west) * 0.05, (north - south) * 0.05
        west, east, south, north = west - pad_lon, east + pad_lon, south - pad_lat, north + pad_lat
        fig.update_geos(visible=False, scope="world", resolution=110, projection_type="mercator",
                        lonaxis_range=[west, east], lataxis_range=[south, north],
                        center={"lon": (west + east) / 2, "lat": (north + south) / 2})
    else:
        # MapLibre keeps its zoom whatever the width: fitted to a phone's chart (about 360 px wide, the colour
        # bar below it), so the whole city shows there too; on a desk it is smaller, and zooms (issue 21)
        view = _view(features, width_px=MAP_FIT_WIDTH) if features else {"center": {"lon": 0, "lat": 0}, "zoom": 1}
        fig.update_layout(map={"style": "white-bg", **view})
    return theme(fig, lang)


def _kelurahan_hover(r, lang: str) -> str:
    persen = formatting.persen_nilai(None if pd.isna(r.persen_rekam) else r.persen_rekam, lang)
    safari = (t("hover_safari_sudah", lang, tanggal=formatting.tanggal(pd.Timestamp(r.safari_mulai).date(), lang))
              if pd.notna(r.safari_mulai) else t("hover_safari_belum", lang))
    return t("hover_kelurahan", lang, nama=r.kelurahan, kecamatan=r.kecamatan, persen=persen,
             rekam=formatting.angka(int(r.sudah_rekam), lang), wajib=formatting.angka(int(r.wajib_ktp), lang),
             belum=formatting.angka(int(r.belum_rekam), lang),
             backlog=formatting.angka(int(r.backlog_distribusi), lang), safari=safari)


def _map_finding(frame: pd.DataFrame, lang: str) -> str:
    known = frame[frame["persen_rekam"].notna()]
    if not len(known):
        return ""
    lowest = known.loc[known["persen_rekam"].idxmin()]
    below = int((known["persen_rekam"] < 90).sum())
    return t("chart_map_title", lang, nama=lowest["kelurahan"], persen=formatting.persen_nilai(lowest["persen_rekam"], lang),
             n=formatting.angka(below, lang), total=formatting.angka(len(known), lang))


def region_history(series: pd.DataFrame, name: str, lang: str = "id") -> go.Figure:
    """A region's cumulative recorded and delivered against its wajib KTP, day by day.

    series: metrics.region_series. The title states where the region stands and its last 7 days.
    """
    fig = go.Figure()
    days = pd.to_datetime(series["tanggal"])
    fig.add_scatter(x=days, y=series["wajib_ktp"], mode="lines", name=t("trace_wajib", lang),
                    line={"color": PALETTE[3], "dash": "dash", "shape": "hv"})
    fig.add_scatter(x=days, y=series["sudah_rekam"], mode="lines", name=t("trace_sudah", lang),
                    line={"color": SUDAH, "width": 3})
    fig.add_scatter(x=days, y=series["sudah_distribusi"], mode="lines", name=t("trace_distribusi", lang),
                    line={"color": PALETTE[2], "width": 2})
    title = ""
    if len(series):
        last = series.iloc[-1]
        week = series[days <= days.iloc[-1] - pd.Timedelta(days=7)]
        persen = formatting.persen(int(last["rekam_bertarget"]), int(last["wajib_ktp"]), lang)
        if len(week) and int(week.iloc[-1]["sudah_rekam"]) > 0:
            title = t("chart_history_title", lang, nama=name, persen=persen,
                      tambah=formatting.selisih(int(last["sudah_rekam"]) - int(week.iloc[-1]["sudah_rekam"]), lang))
        else:   # no figure a week earlier: the first report is not a week's gain
            title = t("chart_history_title_new", lang, nama=name, persen=persen)
        start, end = days.iloc[0].date(), days.iloc[-1].date()
        ticks = week_ticks(start, end, lang) if (end - start).days <= 120 else month_ticks(start, end, lang)
        fig.update_xaxes(**ticks)
    fig.update_layout(title={"text": title}, height=380, hovermode="x unified",
                      legend={"orientation": "h", "y": -0.15}, yaxis={"tickformat": ",d"})
    return theme(fig, lang)


# ---- Distribusi: the funnel and the backlog ------------------------------------------------------------

def funnel(summary: Summary, lang: str = "id") -> go.Figure:
    """wajib → sudah rekam → kartu diterima dari pusat (where reported) → kartu diterima warga.

    Each stage is labelled with its count and its share of wajib KTP. Kartu diterima dari pusat carries
    the date of its (oldest) report, since offices report it rarely.
    """
    stages = [(t("stage_wajib", lang), summary.wajib_ktp), (t("stage_rekam", lang), summary.sudah_rekam)]
    if summary.kartu_diterima is not None:
        day = formatting.tanggal(summary.tanggal_kartu, lang, singkat=True)
        label = (t("stage_kartu", lang, tanggal=day) if summary.kelurahan_kartu >= summary.kelurahan else
                 t("stage_kartu_sebagian", lang, n=formatting.angka(summary.kelurahan_kartu, lang),
                   m=formatting.angka(summary.kelurahan, lang), tanggal=day))
        stages.append((label, summary.kartu_diterima))
    stages.append((t("stage_distribusi", lang), summary.sudah_distribusi))
    # Shares of wajib KTP only when every kelurahan has a target: recordings without a denominator
    # would otherwise lift them (the headline coverage leaves such kelurahan out, see metrics.Summary).
    shares = summary.wajib_ktp > 0 and summary.kelurahan_tanpa_target == 0
    text = [f"{formatting.angka(v, lang)} ({formatting.persen(v, summary.wajib_ktp, lang)})"
            if shares else formatting.angka(v, lang) for _, v in stages]
    colours = [PALETTE[7], SUDAH] + ([PALETTE[4]] if len(stages) == 4 else []) + [PALETTE[2]]
    # Values inside the bars and stage names broken into short lines: on a phone, long names on one line
    # left the bars so little room that the values ran off the chart (issue 21).
    fig = go.Figure(go.Funnel(y=[wrap_label(s) for s, _ in stages], x=[v for _, v in stages], text=text,
                              textinfo="text", textposition="inside", textangle=0, constraintext="none",
                              marker={"color": colours},
                              textfont={"size": 15, "color": [_ink(c) for c in colours]}, hoverinfo="text",
                              hovertext=[f"{s}: {x}" for (s, _), x in zip(stages, text)],
                              connector={"fillcolor": "#EEEEEE"}))
    fig.update_layout(title={"text": t("chart_funnel_title", lang, nama=summary.nama,
                                       belum=formatting.angka(summary.belum_rekam, lang),
                                       backlog=formatting.angka(summary.backlog_distribusi, lang))},
                      height=360)
    return theme(fig, lang)


def wrap_label(text: str, width: int = 16) -> str:
    """A category label broken into lines of about `width` characters (plotly breaks lines only at <br>)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def _ink(background: str) -> str:
    """White or the house's dark grey, whichever reads better on `background` (WCAG relative luminance)."""
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (int(background[i:i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return "white" if (1.05 / (luminance + 0.05)) >= (luminance + 0.05) / 0.0513 else "#262730"


def backlog_ranking(frame: pd.DataFrame, lang: str = "id", top: int = 15) -> go.Figure:
    """The kelurahan with the most cards still to hand over (recorded, not yet delivered)."""
    ranked = frame.sort_values(["backlog_distribusi", "kode"], ascending=[False, True]).head(top)
    ranked = ranked.iloc[::-1]   # largest at the top of a horizontal bar chart
    fig = go.Figure()
    fig.add_bar(y=ranked["kelurahan"], x=ranked["backlog_distribusi"], orientation="h", marker_color=PALETTE[1],
                text=[formatting.angka(int(v), lang) for v in ranked["backlog_distribusi"]], textposition="outside",
                textangle=0, constraintext="none", cliponaxis=False,
                hovertext=[f"{k} ({c}): {formatting.angka(int(v), lang)}"
                           for k, c, v in zip(ranked["kelurahan"], ranked["kecamatan"], ranked["backlog_distribusi"])],
                hoverinfo="text")
    title = ""
    if len(ranked):
        first = ranked.iloc[-1]
        # a page of a larger region carries the region's total (metrics.kelurahan_frame backlog_total)
        total = int(frame["backlog_total"].iloc[0]) if "backlog_total" in frame else \
            int(frame["backlog_distribusi"].clip(lower=0).sum())
        share = int(ranked["backlog_distribusi"].clip(lower=0).sum())
        title = t("chart_backlog_title", lang, nama=first["kelurahan"],
                  n=formatting.angka(int(first["backlog_distribusi"]), lang), top=formatting.angka(len(ranked), lang),
                  bagian=formatting.persen(share, total, lang) if total else "–")
    most = float(ranked["backlog_distribusi"].max()) if len(ranked) else 0.0
    # room right of the longest bar for its figure at any width
    fig.update_layout(title={"text": title}, height=110 + 28 * max(len(ranked), 1),
                      xaxis={"title": t("axis_kartu", lang), "tickformat": ",d",
                             **({"range": [0, most * 1.3]} if most > 0 else {})}, bargap=0.25)
    return theme(fig, lang)


# ---- Keliling: the safari's timeline and the yield of each location -------------------------------------

STATUS_COLOURS = {"selesai": PALETTE[2], "berjalan": PALETTE[1], "akan_datang": PALETTE[4], "rencana": PALETTE[5]}


def safari_timeline(frame: pd.DataFrame, as_of: dt.date, lang: str = "id") -> go.Figure:
    """One bar per visit from its first to its last day (inclusive), coloured by its state on as_of.

    frame: schedule.timeline (or a plan with status 'rencana'); kelurahan served first at the top.
    """
    fig = go.Figure()
    if len(frame):
        frame = frame.sort_values(["tanggal_mulai", "kelurahan"])
        order = list(dict.fromkeys(frame["kelurahan"]))
        for status, colour in STATUS_COLOURS.items():
            part = frame[frame["status"] == status]
            if not len(part):
                continue
            start = pd.to_datetime(part["tanggal_mulai"])
            length_ms = (pd.to_datetime(part["tanggal_selesai"]) - start + pd.Timedelta(days=1)) / pd.Timedelta(milliseconds=1)
            hours = [f", {p:%H.%M}–{q:%H.%M}" if hasattr(p, "strftime") and hasattr(q, "strftime") else ""
                     for p, q in zip(part.get("jam_mulai", [None] * len(part)), part.get("jam_selesai", [None] * len(part)))]
            hover = [t("hover_visit", lang, nama=k, kecamatan=c, dari=formatting.tanggal(a.date(), lang, singkat=True),
                       sampai=formatting.tanggal(b.date(), lang, singkat=True), jam=h, alat=formatting.angka(int(n), lang))
                     for k, c, a, b, h, n in zip(part["kelurahan"], part["kecamatan"], start,
                                                 pd.to_datetime(part["tanggal_selesai"]), hours, part["alat"])]
            fig.add_bar(y=part["kelurahan"], x=length_ms, base=start, orientation="h", marker_color=colour,
                        name=t(f"status_{status}", lang), hovertext=hover, hoverinfo="text")
        first = pd.to_datetime(frame["tanggal_mulai"]).min().date()
        last = pd.to_datetime(frame["tanggal_selesai"]).max().date()
        fig.add_vline(x=pd.Timestamp(as_of).timestamp() * 1000, line={"color": PALETTE[7], "dash": "dot"})
        fig.update_yaxes(categoryorder="array", categoryarray=order[::-1])
        fig.update_xaxes(type="date", **week_ticks(first, last, lang))
        counts = frame["status"].value_counts()
        title = t("chart_timeline_title", lang, selesai=formatting.angka(int(counts.get("selesai", 0)), lang),
                  berjalan=formatting.angka(int(counts.get("berjalan", 0)), lang),
                  datang=formatting.angka(int(counts.get("akan_datang", 0) + counts.get("rencana", 0)), lang),
                  akhir=formatting.tanggal(last, lang))
        fig.update_layout(title={"text": title})
    fig.update_layout(barmode="overlay", height=140 + 18 * max(frame["kelurahan"].nunique() if len(frame) else 1, 1),
                      # top left: the toolbar shows top right
                      legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0, "xanchor": "left"},
                      yaxis={"tickfont": {"size": 12}})
    return theme(fig, lang)


def location_yield(frame: pd.DataFrame, lang: str = "id") -> go.Figure:
    """Recordings per site per day by location: the best day and the average (schedule.yield_per_location)."""
    names = [wrap_label(t(f"lokasi_{k}", lang), 10) for k in frame["lokasi"]]   # upright, in lines on a phone
    fig = go.Figure()
    fig.add_bar(x=names, y=frame["maks_per_hari"], name=t("trace_maks", lang), marker_color=SUDAH,
                text=[formatting.angka(int(v), lang) for v in frame["maks_per_hari"]], textposition="outside",
                textangle=0, constraintext="none", cliponaxis=False)
    fig.add_bar(x=names, y=frame["rata_per_hari"], name=t("trace_rata", lang), marker_color=PALETTE[4],
                text=[formatting.desimal(round(float(v), 1), 1, lang) for v in frame["rata_per_hari"]],
                textposition="outside", textangle=0, constraintext="none", cliponaxis=False)
    title = ""
    if len(frame):
        best = frame.loc[frame["maks_per_hari"].idxmax()]
        office = frame[frame["lokasi"] == "kecamatan"]
        title = t("chart_yield_title", lang, lokasi=t(f"lokasi_{best['lokasi']}", lang),
                  maks=formatting.angka(int(best["maks_per_hari"]), lang),
                  kantor=formatting.angka(int(office["maks_per_hari"].iloc[0]), lang) if len(office) else "–")
    fig.update_layout(barmode="group", title={"text": title}, height=380, xaxis={"tickangle": 0},
                      yaxis={"title": t("axis_rekam_per_hari", lang), "tickformat": ",d"},
                      legend={"orientation": "h", "y": -0.15})
    return theme(fig, lang)


# ---- the text alternative of a chart (issue 21) ----------------------------------------------------------

def finding(fig: go.Figure) -> str:
    """The chart's finding: its title's text (every chart here states its finding in the title)."""
    return fig.layout.title.text or ""


def _plain(text: object) -> str:
    """A hover label as one line of plain text: line breaks become '; ', tags go."""
    return re.sub(r"<[^>]+>", "", re.sub(r"<br\s*/?>", "; ", str(text))).strip()


def _seq(values: object) -> list | None:
    """A trace's array (a tuple, list or numpy array once plotly has it) as a list; None for a scalar."""
    if values is None or isinstance(values, (str, bytes)):
        return None
    try:
        return list(values)   # type: ignore[call-overload]
    except TypeError:
        return None


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}(T00:00:00(\.0+)?)?$")


def _label(value: object, lang: str) -> str:
    if isinstance(value, str) and _ISO_DAY.match(value):   # plotly keeps a date column as ISO text
        return formatting.tanggal(dt.date.fromisoformat(value[:10]), lang, singkat=True)
    if hasattr(value, "dtype") and str(getattr(value, "dtype", "")).startswith("datetime64"):
        value = pd.Timestamp(value)
    if hasattr(value, "item") and not isinstance(value, pd.Timestamp):   # a numpy scalar
        value = value.item()
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return formatting.tanggal(pd.Timestamp(value).date(), lang, singkat=True)
    if isinstance(value, dt.date):
        return formatting.tanggal(value, lang, singkat=True)
    if isinstance(value, float) and not math.isnan(value):
        return formatting.angka(int(value), lang) if value.is_integer() else formatting.desimal(value, 2, lang)
    if isinstance(value, int):
        return formatting.angka(value, lang)
    return "" if value is None else re.sub(r"<br\s*/?>", " ", str(value))


def figure_table(fig: go.Figure, lang: str = "id") -> pd.DataFrame:
    """The figures a chart draws, as a table a screen reader can read: a row per category (a kecamatan, a
    day, a stage…) and a column per series, each cell as the chart labels it (its text, else its hover
    label, else the value in the locale's format). Sparse series (a visit's state, a published figure among
    daily ones) and categories that repeat (a kelurahan visited twice) are listed one row per point. Outlines and the 100% line carry no figures and are left out."""
    rows: list[tuple[str, str, str]] = []
    for trace in fig.data:
        if trace.type in ("choroplethmap", "choropleth"):
            for hover in _seq(trace.hovertext) or []:
                name, _, rest = _plain(hover).partition("; ")
                rows.append((name, t("chart_data_nilai", lang), rest))
            continue
        if trace.type not in ("bar", "scatter", "funnel") or getattr(trace, "hoverinfo", None) == "skip":
            continue
        # a funnel lies on its side unless told otherwise
        horizontal = trace.orientation == "h" or (trace.type == "funnel" and trace.orientation != "v")
        categories = _seq(trace.y if horizontal else trace.x)
        values = _seq(trace.x if horizontal else trace.y)
        if categories is None or values is None:
            continue
        texts = _seq(trace.text)
        hovers = _seq(trace.hovertext) or ([trace.hovertext] * len(categories) if trace.hovertext else None)
        series = trace.name or t("chart_data_nilai", lang)
        for i, (category, value) in enumerate(zip(categories, values)):
            cell = (texts[i] if texts and texts[i] else _plain(hovers[i]) if hovers and hovers[i]
                    else _label(value, lang))
            rows.append((_label(category, lang), series, str(cell)))
    category_header = t("chart_data_kategori", lang)
    long = pd.DataFrame(rows, columns=[category_header, t("chart_data_seri", lang), t("chart_data_nilai", lang)])
    series_header, value_header = t("chart_data_seri", lang), t("chart_data_nilai", lang)
    if long[series_header].nunique() <= 1:
        return long.drop(columns=series_header)
    # a row per category only where most categories are in every series (a bar per kecamatan and state);
    # sparse series (a visit's state, a published figure among daily ones) stay a row per point
    filled = len(long) / (long[category_header].nunique() * long[series_header].nunique())
    if long.duplicated([category_header, series_header]).any() or filled < 0.75:
        return long
    wide = long.pivot(index=category_header, columns=series_header, values=value_header)
    order = list(dict.fromkeys(long[category_header]))
    series_order = list(dict.fromkeys(long[series_header]))
    wide = wide.loc[order, series_order].fillna("–").reset_index()
    wide.columns.name = None
    return wide
