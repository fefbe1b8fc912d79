"""Issue 21: the languages no longer leak into each other in what people read and download: English words
in English, dates as dates (25 Okt 2013, and real Excel dates), columns by their names for people."""

import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest

from ektp_metrics import a11y, exports, history, i18n, quality, screen_tables
from tests.apptest import page_app

ISO_DATE = r"\d{4}-\d\d-\d\d"
RAW_COLUMNS = {"baris", "kode_kelurahan", "berlaku_mulai", "tanggal", "rekam", "distribusi", "digantikan_oleh_batch",
               "tanggal_mulai", "jam_mulai", "wajib_ktp", "sudah_rekam"}


def test_the_english_series_title_says_it_in_english():
    title = i18n.t("chart_series_title", "en", persen="92.26%", tanggal="25 October 2013", versi=3)
    assert "wajib" not in title.lower(), title
    assert "3 versions" in title
    assert "wajib" not in i18n.t("versi_caption", "en").lower()


def test_the_target_versions_table_has_dates_and_no_false_zero(demo_db):
    for lang, first, percent in (("id", "28 Nov 2012", "97,12%"), ("en", "28 Nov 2012", "97.12%")):
        _, rows = screen_tables.cells(screen_tables.versions_table(quality.target_versions(demo_db), lang), lang)
        assert rows[0][0] == first
        assert rows[0][1] == "–" and rows[0][3] == "–"      # no target before the first version: not "0"
        assert rows[0][4] == percent                          # a percentage, shown as one
        assert not pd.Series([c for row in rows for c in row]).str.fullmatch(ISO_DATE).any()


def test_percentages_of_days_reported_are_shown_as_percentages(demo_db):
    complete = quality.completeness(demo_db, dt.date(2013, 10, 25))
    header, rows = screen_tables.cells(screen_tables.completeness_table(complete, "id"), "id")
    shown = rows[0][header.index(i18n.t("col_persen_melapor", "id"))]
    assert shown.endswith("%") and "," in shown, shown


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_batchs_rows_carry_names_and_dates_for_people(demo_db, lang):
    kinds = dict(demo_db.fetch_df("SELECT kind, min(id) AS id FROM batches GROUP BY kind").itertuples(index=False))
    assert set(kinds) == {"publikasi", "target", "rekap", "harian", "jadwal"}
    for kind, batch in kinds.items():
        header, rows = screen_tables.cells(screen_tables.batch_rows_table(history.batch_rows(demo_db, int(batch), 5), lang), lang)
        assert not RAW_COLUMNS & set(header), (kind, header)
        assert header[0] == i18n.t("col_baris", lang)
        flat = pd.Series([c for row in rows for c in row])
        assert not flat.str.fullmatch(ISO_DATE).any(), (kind, rows[0])
        assert not flat.str.contains(r"\d\d:\d\d:\d\d").any(), (kind, rows[0])
    header, rows = screen_tables.cells(screen_tables.batch_rows_table(history.batch_rows(demo_db, kinds["harian"], 1), lang), lang)
    shown = dict(zip(header, rows[0], strict=True))
    assert shown[i18n.t("col_tanggal", lang)] == "2 Sep 2013"
    assert shown[i18n.t("col_lokasi", lang)] == i18n.t("lokasi_kecamatan", lang)


def test_kualitas_shows_the_rows_behind_a_finding_for_people(monkeypatch, demo_path):
    at = page_app(monkeypatch, demo_path, "kualitas.py", user="operator")
    assert not at.exception
    rows = at.dataframe[-1].value
    assert "Baris" in rows.columns and "Kode" in rows.columns
    assert not RAW_COLUMNS & set(rows.columns)


def test_excel_downloads_hold_real_dates_in_a_date_format():
    frame = pd.DataFrame({"Tanggal": pd.to_datetime(["2013-10-25", "2013-10-26"]),
                          "Hari": [dt.date(2013, 10, 25), dt.date(2013, 10, 26)],
                          "Waktu (WIB)": pd.to_datetime(["2013-10-25 09:30", "2013-10-26 00:00"]),
                          "Rekam": [444, 157]})
    sheet = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(frame))).active
    assert sheet["A2"].value == dt.datetime(2013, 10, 25) and sheet["A2"].number_format == "DD/MM/YYYY"
    assert sheet["B2"].is_date and sheet["B2"].number_format == "DD/MM/YYYY"
    assert sheet["C2"].value == dt.datetime(2013, 10, 25, 9, 30) and sheet["C2"].number_format == "DD/MM/YYYY HH:MM"
    assert sheet["D2"].number_format == "General"


def test_the_uploader_says_its_words_in_the_pages_language():
    css = a11y.style_sheet("id", 50)
    assert css.startswith("<style>") and css.endswith("</style>")
    assert '"Pilih berkas"' in css and '"Maksimal 50 MB per berkas"' in css
    assert "focus-visible" in css
    english = a11y.uploader_css("en", 20)
    assert '"Choose a file"' in english and '"At most 20 MB per file"' in english
    assert a11y._css_string('a "b" \\ c') == '"a \\000022b\\000022 \\00005c c"'
