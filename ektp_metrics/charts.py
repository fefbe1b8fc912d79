"""Plotly figures. One theme for all; every number in a label comes from ektp_metrics.formatting."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from ektp_metrics import formatting
from ektp_metrics.i18n import t
from ektp_metrics.metrics import Summary

# Okabe–Ito: distinguishable with the common forms of colour blindness.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000")
SUDAH, BELUM = PALETTE[0], "#E8E8E8"


def theme(fig: go.Figure, lang: str = "id") -> go.Figure:
    """The house style: separators of the locale, palette, plain background, readable type.

    "Source Sans" is the font Streamlit serves itself, so charts need no font from the internet.
    """
    fig.update_layout(
        separators=formatting.plotly_separators(lang),
        colorway=list(PALETTE),
        template="plotly_white",
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
    fig.add_bar(y=names, x=[max(100 - d, 0) for d in done], orientation="h", name=t("trace_belum", lang),
                marker_color=BELUM, text=[formatting.angka(s.belum_rekam, lang) for s in rows],
                textposition="inside", textfont={"color": "#262730"}, hovertext=hover, hoverinfo="text")
    fig.update_layout(barmode="stack", title={"text": _kecamatan_finding(rows, lang)},
                      xaxis={"range": [0, 100], "ticksuffix": "%", "title": t("axis_persen_wajib", lang)},
                      legend={"orientation": "h", "y": -0.2}, height=90 + 56 * max(len(rows), 1), bargap=0.3)
    return theme(fig, lang)


def _kecamatan_finding(rows: list[Summary], lang: str) -> str:
    known = [s for s in rows if s.persen_rekam is not None]
    if not known:
        return ""
    lowest = min(known, key=lambda s: s.persen_rekam)  # type: ignore[arg-type, return-value]
    most = max(known, key=lambda s: s.belum_rekam)
    values = {"terendah": lowest.nama, "persen": formatting.persen_nilai(lowest.persen_rekam, lang),
              "terbanyak": most.nama, "belum": formatting.angka(most.belum_rekam, lang)}
    if lowest.kode == most.kode:
        return t("chart_kecamatan_title_same", lang, **{**values, "belum": formatting.angka(lowest.belum_rekam, lang)})
    return t("chart_kecamatan_title", lang, **values)


def month_ticks(start: dt.date, end: dt.date, lang: str = "id") -> dict:
    """Tick values and Indonesian month labels for a date axis (plotly's own labels are English)."""
    ticks, day = [], dt.date(start.year, start.month, 1)
    while day <= end:
        ticks.append(day)
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    step = max(1, len(ticks) // 12)
    ticks = ticks[::step]
    return {"tickvals": ticks, "ticktext": [formatting.bulan(d, lang) for d in ticks]}


def week_ticks(start: dt.date, end: dt.date, lang: str = "id") -> dict:
    """Weekly ticks (Mondays) labelled '7 Okt' for a day axis."""
    day = start + dt.timedelta(days=(7 - start.weekday()) % 7)
    ticks = []
    while day <= end:
        ticks.append(day)
        day += dt.timedelta(days=7)
    return {"tickvals": ticks, "ticktext": [formatting.bulan_tanpa_tahun(d, lang) for d in ticks]}


def progress_over_time(series: pd.DataFrame, published: pd.DataFrame, lang: str = "id") -> go.Figure:
    """Coverage day by day against the 100% line, with the published figures and their denominators.

    series: metrics.city_series; published: reference.published_coverage. The percentage line uses the
    target version of each day, so it jumps where the denominator changed; the annotations say so.
    """
    frame = series[series["wajib_ktp"] > 0].copy()
    frame["persen"] = [float(formatting.persen_floor(r, w)) for r, w in zip(frame["rekam_bertarget"], frame["wajib_ktp"])]
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
        persen = formatting.persen(int(r.sudah_rekam), int(r.wajib_ktp), lang)
        fig.add_scatter(x=[day], y=[float(formatting.persen_floor(int(r.sudah_rekam), int(r.wajib_ktp)))],
                        mode="markers", marker={"color": PALETTE[1], "size": 12, "symbol": "diamond"},
                        showlegend=False, hoverinfo="text",
                        hovertext=t("published_point", lang, tanggal=formatting.tanggal(day, lang), persen=persen,
                                    rekam=formatting.angka(int(r.sudah_rekam), lang),
                                    wajib=formatting.angka(int(r.wajib_ktp), lang), penerbit=r.penerbit))
        fig.add_annotation(x=day, y=float(formatting.persen_floor(int(r.sudah_rekam), int(r.wajib_ktp))),
                           text=t("published_label", lang, persen=persen, wajib=formatting.angka(int(r.wajib_ktp), lang)),
                           showarrow=True, arrowhead=0, ay=40, font={"size": 12})
    versions = frame["wajib_ktp"].drop_duplicates()
    last = frame.iloc[-1] if len(frame) else None
    title = "" if last is None else t(
        "chart_series_title", lang, persen=formatting.persen(int(last["rekam_bertarget"]), int(last["wajib_ktp"]), lang),
        tanggal=formatting.tanggal(end, lang), versi=formatting.angka(len(versions), lang))
    fig.update_layout(title={"text": title}, yaxis={"range": [0, 105], "ticksuffix": "%"},
                      xaxis={**month_ticks(start, end, lang)}, showlegend=False, height=420)
    return theme(fig, lang)


LOKASI_COLOURS = {"kelurahan": PALETTE[0], "kecamatan": PALETTE[4], "sekolah": PALETTE[2], "pasar": PALETTE[1],
                  "lainnya": PALETTE[5]}


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
                      legend={"orientation": "h", "y": -0.15}, yaxis={"title": t("axis_rekam_per_hari", lang)})
    return theme(fig, lang)
