"""Issue 21 through AppTest: every chart on a dashboard page has its figures as a table below it, and every
wide table keeps its key column (the region's name) pinned."""

import json

import pytest

from tests.apptest import open_chart_data, page_app, run_app


@pytest.mark.parametrize("page", ["ringkasan.py", "wilayah.py", "distribusi.py", "keliling.py"])
def test_every_chart_has_its_data_as_a_table_and_tables_pin_their_name(demo_path, monkeypatch, page):
    at = page_app(monkeypatch, demo_path, page, user=None)
    charts = at.get("plotly_chart")
    data = [e for e in at.expander if e.label == "Data grafik"]
    assert charts and len(data) == len(charts)
    # closed, a table costs the page nothing: it is drawn when its expander is opened
    assert all(len(expander.table) == 0 for expander in data)
    data = [e for e in open_chart_data(at).expander if e.label == "Data grafik"]
    assert len(data) == len(at.get("plotly_chart")) == len(charts)
    for expander in data:
        assert len(expander.table) == 1 and len(expander.table[0].value) > 0
    assert at.dataframe
    for frame in at.dataframe:
        config = json.loads(frame.proto.columns)
        first = frame.value.columns[0] if not frame.proto.column_order else frame.proto.column_order[0]
        assert config[first]["pinned"] is True, (page, first)


def test_english_labels_and_the_two_demo_notices(demo_path, monkeypatch):
    at = run_app(monkeypatch, demo_path, EKTP_LANG="en")
    charts = at.get("plotly_chart")
    assert len([e for e in at.expander if e.label == "Chart data"]) == len(charts) > 0
    # the full notice (a wide screen) and its one line (a phone; phone.css shows one of them)
    assert any("Demo data." in i.value for i in at.info)
    assert any(e.label == "Demo data: some figures illustrative" for e in at.expander)
    kecamatan = next(f for f in at.dataframe if "Kecamatan" in f.value.columns)
    assert "Code" not in kecamatan.proto.column_order and "Code" in kecamatan.value.columns   # on screen; downloads keep it
