"""The dashboard pages for a region list larger than one kota: levels, pagination, no map without boundaries."""


import pytest

from ektp_metrics import metrics, upload
from ektp_metrics.db import Database
from tests.apptest import metric, page_app
from tests.helpers import DAY, make_national


@pytest.fixture
def national(tmp_path, monkeypatch):
    monkeypatch.setenv("EKTP_TODAY", DAY.isoformat())
    return make_national(tmp_path)


def test_scope_of_a_two_province_list(national):
    with Database(national, create=False) as db:
        whole = metrics.scope(db)
        assert (whole.level, whole.levels) == (metrics.WHOLE, ("provinsi", "kota", "kecamatan", "kelurahan"))
        total = metrics.city_summary(db, DAY)
        assert total.wajib_ktp == 240_000 and total.kelurahan == 240
        assert sum(s.sudah_rekam for s in metrics.summaries(db, DAY, "provinsi")) == total.sudah_rekam
        assert [s.nama for s in metrics.summaries(db, DAY, "kota", within=("provinsi", "35"))] == ["Kab 351", "Kab 352"]
        assert metrics.kelurahan_count(db, metrics.WHOLE, None) == 240
        assert metrics.kelurahan_count(db, "provinsi", "35") == metrics.region_summary(db, DAY, "provinsi", "35").kelurahan


def test_ringkasan_for_the_whole_list(national, monkeypatch):
    at = page_app(monkeypatch, national, "ringkasan.py", user=None, EKTP_TODAY=DAY.isoformat())
    with Database(national, create=False) as db:
        total = metrics.city_summary(db, DAY)
    from ektp_metrics import formatting
    assert metric(at, "Sudah rekam") == formatting.angka(total.sudah_rekam)
    assert any(e.label == "Kemajuan per Provinsi" for e in at.expander)
    # Solo's published figures are not drawn over another list, and nothing speaks of them
    assert not any("Belah ketupat" in c.value for c in at.caption)


def test_wilayah_drills_down_provinsi_kota_kecamatan_and_pages_the_ranking(national, monkeypatch):
    at = page_app(monkeypatch, national, "wilayah.py", user=None, EKTP_TODAY=DAY.isoformat())
    assert [s.key for s in at.selectbox if s.key and s.key.startswith("wilayah_")] == ["wilayah_provinsi"]
    assert any("Peta hanya digambar" in i.value for i in at.info)              # no boundaries for these codes
    per_provinsi, ranking = (d.value for d in at.dataframe)
    assert list(per_provinsi["Provinsi"]) == ["Prov 33", "Prov 35"]
    assert len(ranking) == 100                                                 # page 1 of 3
    assert any("Baris 1–100 dari 240" in c.value for c in at.caption)
    at.number_input(key="wilayah_page").set_value(3).run()
    assert len(at.dataframe[1].value) == 40
    at.selectbox(key="wilayah_provinsi").set_value("35").run()
    assert [s.key for s in at.selectbox if s.key and s.key.startswith("wilayah_")] == ["wilayah_provinsi", "wilayah_kota"]
    assert list(at.dataframe[0].value["Kabupaten/kota"]) == ["Kab 351", "Kab 352"]
    at.selectbox(key="wilayah_kota").set_value("35.01").run()
    at.selectbox(key="wilayah_kecamatan").set_value("35.01.02").run()
    assert not at.exception
    assert len(at.dataframe) == 1 and len(at.dataframe[0].value) == 30        # its desa, one page
    at.selectbox(key="wilayah_kelurahan").set_value("35.01.02.2007").run()
    assert not at.exception and "Riwayat Desa 35127" in [h.value for h in at.subheader]


def test_distribusi_for_a_kabupaten(national, monkeypatch):
    at = page_app(monkeypatch, national, "distribusi.py", user=None, EKTP_TODAY=DAY.isoformat())
    assert at.dataframe[0].value.columns[0] == "Provinsi"          # headed by the level shown
    # a missing value shows as "–" (by itself st.dataframe shows "None")
    assert {d.proto.placeholder for d in at.dataframe} == {"–"}
    at.selectbox(key="distribusi_provinsi").set_value("33").run()
    at.selectbox(key="distribusi_kota").set_value("33.02").run()
    assert not at.exception
    per_kecamatan, per_desa = (d.value for d in at.dataframe)
    assert len(per_kecamatan) == 2 and len(per_desa) == 60
    assert per_kecamatan.columns[0] == "Kecamatan"


def test_report_of_the_whole_list_and_of_a_kabupaten(national):
    from ektp_metrics import report

    with Database(national, create=False) as db:
        whole = report.build(db, report.View(DAY))
        kab = report.build(db, report.View(DAY, "kota", "33.02"))
    assert "Kemajuan per Provinsi" in whole and "Prov 35" in whole
    assert '"type":"choropleth"' not in whole + kab                 # no boundaries for these codes: no map
    assert "Kemajuan per Kecamatan" not in whole and "Kec 3321" in kab
    # named after the list, not after Solo
    assert "dari Dasbor e-KTP Seluruh wilayah" in whole and "unggahan Dispendukcapil Seluruh wilayah" in kab
    assert "Surakarta" not in whole + kab


def test_an_upload_says_what_it_does_to_the_whole_list(tmp_path, monkeypatch):
    from ektp_metrics.i18n import describe_change

    monkeypatch.setenv("EKTP_TODAY", DAY.isoformat())
    path = make_national(tmp_path, nama="Dua Provinsi")
    with Database(path, create=False) as db:
        result = upload.ingest(db, b"tanggal;kode_kelurahan;rekam;distribusi\n25/10/2013;33.01.01.2001;10;0\n",
                               "h2.csv", user="bench", role="admin", today=DAY)
    assert result.committed, result.problems
    lines = describe_change(result.change)
    assert lines[0] == "+10 rekam, ±0 distribusi (Dua Provinsi)" and lines[1].startswith("cakupan Dua Provinsi ")
    assert describe_change(result.change, "en")[1].startswith("coverage of Dua Provinsi ")


def test_keliling_over_a_two_province_list_shows_schedule_and_yield_but_plans_per_kota(national, monkeypatch):
    at = page_app(monkeypatch, national, "keliling.py", user="admin", EKTP_TODAY=DAY.isoformat())
    assert any("direncanakan dan diubah per kabupaten/kota" in i.value and "240 kelurahan" in i.value for i in at.info)
    assert not at.get("form") and not [e for e in at.expander if e.label.startswith("Ubah jadwal")]
    assert [s.value for s in at.subheader] == ["Jadwal keliling", "Hasil per tempat layanan"]   # no planner


def test_keliling_for_solo_still_plans(demo_path, monkeypatch):
    at = page_app(monkeypatch, demo_path, "keliling.py", user="admin")
    assert not any("per kabupaten/kota" in i.value for i in at.info)
    assert at.get("form") and [e for e in at.expander if e.label.startswith("Ubah jadwal")]


def test_a_list_name_is_shown_as_typed_not_as_markdown(tmp_path, monkeypatch):
    # The name given with `regions --nama` reaches page titles and notes: text, never formatting or a link.
    monkeypatch.setenv("EKTP_TODAY", DAY.isoformat())
    from ektp_metrics.formatting import md

    name = "**Dua** [Provinsi](http://contoh.test)"
    path = make_national(tmp_path, nama=name)
    at = page_app(monkeypatch, path, "ringkasan.py", user=None, EKTP_TODAY=DAY.isoformat())
    assert at.title[0].value == "Perekaman e-KTP " + md(name) and r"\*\*Dua\*\*" in at.title[0].value
    at = page_app(monkeypatch, path, "keliling.py", user="admin", EKTP_TODAY=DAY.isoformat())
    assert any(r"\*\*Dua\*\*" in i.value for i in at.info)
