"""Figures checked as data: what they draw and what their titles say."""

import datetime as dt

from ektp_metrics import charts, metrics, reference


def test_kecamatan_chart_states_the_laggard(demo_db):
    rows = metrics.summaries(demo_db, dt.date(2013, 10, 25), "kecamatan")
    fig = charts.kecamatan_progress(rows)
    lowest = min(rows, key=lambda s: s.persen_rekam)
    assert fig.layout.title.text.startswith(f"{lowest.nama} paling tertinggal")
    assert fig.layout.separators == ",."
    assert list(fig.data[0].text)[-1].endswith("%") and "," in list(fig.data[0].text)[-1]


def test_progress_over_time_marks_each_published_figure_with_its_denominator(demo_db):
    series = metrics.city_series(demo_db, dt.date(2012, 11, 28), dt.date(2013, 10, 25))
    assert len(series) == 332 and series.iloc[-1]["sudah_rekam"] == 383_427
    fig = charts.progress_over_time(series, reference.published_coverage(demo_db))
    line = fig.data[0]
    assert abs(line.y[-1] - 92.26) < 1e-9 and abs(line.y[0] - 97.12) < 1e-9     # floored, as reported
    labels = [a.text for a in fig.layout.annotations if a.text and "dari" in a.text]
    assert labels == ["97,12% dari 365.000", "80,31% dari 450.000", "92,26% dari 415.549"]
    assert charts.published_points(fig) == 3
    assert "punya 3 versi" in fig.layout.title.text and "92,26%" in fig.layout.title.text
    assert "Okt<br>2013" in fig.layout.xaxis.ticktext
    # one target version throughout (the last month here): no jump, and the title does not speak of one
    month = metrics.city_series(demo_db, dt.date(2013, 10, 1), dt.date(2013, 10, 25))
    assert month["wajib_ktp"].nunique() == 1
    title = charts.progress_over_time(month, reference.published_coverage(demo_db).iloc[0:0]).layout.title.text
    assert title == "Cakupan 92,26% per 25 Oktober 2013"


def test_month_ticks_are_indonesian():
    ticks = charts.month_ticks(dt.date(2013, 5, 7), dt.date(2013, 8, 2))
    assert ticks["ticktext"] == ["Mei<br>2013", "Jun<br>2013", "Jul<br>2013", "Agu<br>2013"]   # month over year


def test_daily_by_lokasi_shows_the_safari_and_names_the_best_day(demo_db):
    frame = metrics.daily_by_lokasi(demo_db, dt.date(2013, 8, 27), dt.date(2013, 10, 25))
    assert set(frame["lokasi"]) == {"kelurahan", "kecamatan", "sekolah", "pasar"}
    assert frame["rekam"].sum() == metrics.city_summary(demo_db, dt.date(2013, 10, 25)).sudah_rekam - \
        metrics.city_summary(demo_db, dt.date(2013, 8, 31)).sudah_rekam
    fig = charts.daily_by_lokasi(frame)
    assert fig.layout.yaxis.tickformat == ",d"      # counts in full with the locale's separators, never "300k"
    assert [bar.name for bar in fig.data] == ["Kelurahan (safari)", "Kantor kecamatan", "Sekolah", "Pasar"]
    per_day = frame.groupby("tanggal")["rekam"].sum()
    assert f"hari tertinggi {per_day.max():,}".replace(",", ".") in fig.layout.title.text
    assert "7 Okt" in fig.layout.xaxis.ticktext                         # Indonesian, not "Oct 7"


def test_a_published_wajib_ktp_of_zero_places_no_point_and_breaks_nothing(demo_db):
    # quality.add_published accepts 0; a pair with a zero denominator has no percentage to draw (it used to
    # raise in float(None) and take Ringkasan's chart and the report down with it).
    from ektp_metrics import quality

    common = {"tanggal": dt.date(2013, 10, 25), "satuan": "orang", "penerbit": "Uji", "sumber_url": "",
              "catatan": "", "user": "admin", "role": "admin"}
    quality.add_published(demo_db, indikator="wajib_ektp", nilai="0", **common)
    series = metrics.city_series(demo_db, dt.date(2012, 11, 28), dt.date(2013, 10, 25))
    fig = charts.progress_over_time(series, reference.published_coverage(demo_db))
    assert charts.published_points(fig) == 3   # the three real reports, not the zero one


# ---- issue 21: the map's colours ------------------------------------------------------------------------

def _rgb(colour: str) -> tuple[float, float, float]:
    from plotly.colors import hex_to_rgb, unlabel_rgb

    return tuple(float(c) for c in (hex_to_rgb(colour) if colour.startswith("#") else unlabel_rgb(colour)))


def _map(frame):
    from ektp_metrics.regions import KELURAHAN_GEOJSON

    return charts.coverage_map(frame, charts.load_geojson(str(KELURAHAN_GEOJSON)))


def test_map_scale_has_no_grey_and_the_no_target_colour_is_not_on_it(demo_db):
    import colorsys

    from plotly.colors import get_colorscale, sample_colorscale

    frame = metrics.kelurahan_frame(demo_db, dt.date(2013, 10, 25))
    frame.loc[frame.index[0], "persen_rekam"] = float("nan")   # one kelurahan without a target
    fig = _map(frame)
    scale, no_target = fig.data[0].colorscale, fig.data[1].colorscale
    assert {c for _, c in no_target} == {charts.TANPA_TARGET}
    named = [list(step) for step in (get_colorscale(scale) if isinstance(scale, str) else scale)]
    samples = [_rgb(c) for c in sample_colorscale(named, [i / 100 for i in range(101)])]
    # no step of the scale is grey: every colour on it is clearly saturated, the middle above all
    saturation = [colorsys.rgb_to_hsv(*(v / 255 for v in rgb))[1] for rgb in samples]
    assert min(saturation) > 0.3 and saturation[50] > 0.3
    # the no-target colour is far from every colour of the scale (euclidean in RGB)
    grey = _rgb(charts.TANPA_TARGET)
    assert min(sum((a - b) ** 2 for a, b in zip(rgb, grey)) ** 0.5 for rgb in samples) > 100


def test_map_caption_names_the_light_grey_only_when_drawn():
    from ektp_metrics.i18n import t

    assert "Abu-abu" not in t("map_caption", "id") and "Grey" not in t("map_caption", "en")
    assert "tanpa target wajib KTP" in t("map_caption_tanpa_target", "id", n="1")


# ---- issue 21: every chart's figures as a table (its text alternative) ------------------------------------

def test_figure_table_reads_a_stacked_bar_chart_row_by_row(demo_db):
    fig = charts.kecamatan_progress(metrics.summaries(demo_db, dt.date(2013, 10, 25), "kecamatan"))
    table = charts.figure_table(fig)
    assert list(table.columns) == ["Kategori", "Sudah rekam", "Belum rekam"]
    assert table.iloc[-1].tolist() == ["Serengan", "90,56%", "3.810"]


def test_figure_table_of_the_funnel_and_the_map_in_plain_text(demo_db):
    from ektp_metrics.regions import KELURAHAN_GEOJSON

    table = charts.figure_table(charts.funnel(metrics.city_summary(demo_db, dt.date(2013, 10, 25)), "en"), "en")
    assert list(table.columns) == ["Category", "Value"]
    assert table.iloc[1].tolist() == ["Recorded", "383,427 (92.26%)"] and "<br>" not in " ".join(table["Category"])
    frame = metrics.kelurahan_frame(demo_db, dt.date(2013, 10, 25))
    rows = charts.figure_table(charts.coverage_map(frame, charts.load_geojson(str(KELURAHAN_GEOJSON))))
    assert len(rows) == 51 and rows.iloc[0]["Kategori"] == "Kepatihan Kulon (Kec. Jebres)"
    assert "<" not in " ".join(rows["Nilai"]) and "Persen rekam: 82,76%" in rows.iloc[0]["Nilai"]


def test_figure_table_dates_are_indonesian(demo_db):
    series = metrics.city_series(demo_db, dt.date(2013, 10, 1), dt.date(2013, 10, 25))
    table = charts.figure_table(charts.progress_over_time(series, reference.published_coverage(demo_db).iloc[0:0]))
    assert table.iloc[-1]["Kategori"] == "25 Okt 2013" and "92,26%" in table.iloc[-1]["Nilai"]


def test_ticks_stay_few_and_upright():
    months = charts.month_ticks(dt.date(2012, 11, 28), dt.date(2013, 10, 25))
    assert len(months["tickvals"]) <= charts.MONTH_TICKS and months["tickangle"] == 0
    assert months["ticktext"][-1] == "Okt<br>2013"            # the last month is always labelled
    weeks = charts.week_ticks(dt.date(2013, 8, 27), dt.date(2013, 10, 25))
    assert len(weeks["tickvals"]) <= charts.MONTH_TICKS and weeks["ticktext"][-1] == "21 Okt"


def test_wrap_label_breaks_long_names_only():
    assert charts.wrap_label("Sudah rekam") == "Sudah rekam"
    assert charts.wrap_label("Kartu diterima dari pusat (per 28 Nov 2012)") == \
        "Kartu diterima<br>dari pusat (per<br>28 Nov 2012)"


def test_figure_table_of_sparse_series_is_a_row_per_point(demo_db):
    series = metrics.city_series(demo_db, dt.date(2012, 11, 28), dt.date(2013, 10, 25))
    table = charts.figure_table(charts.progress_over_time(series, reference.published_coverage(demo_db)))
    assert list(table.columns) == ["Kategori", "Seri", "Nilai"] and len(table) == 332 + 3
    assert "–" not in set(table["Nilai"])                  # no empty cells of a half-filled grid
