"""What people type: length limits checked on the server (not only in the form), links http(s) only."""

import datetime as dt

import pytest

from ektp_metrics import auth, fields, history, quality
from ektp_metrics.db import set_public_text
from ektp_metrics.i18n import t
from tests.apptest import page_app


def count(db, table: str) -> int:
    return int(db.fetch_one(f"SELECT count(*) FROM {table}")[0])


@pytest.mark.parametrize("value,ok", [("https://www.solopos.com/x?a=1", True), ("http://a.id", True), ("", True),
                                      ("javascript:alert(1)", False), ("JavaScript:alert(1)", False),
                                      ("data:text/html,x", False), ("//evil.example/x", False), ("solopos.com", False),
                                      ("https://", False), ("https://a.id/x y", False), ("ftp://a.id", False)])
def test_links_are_http_or_https_with_a_host(value, ok):
    if ok:
        assert fields.link(f"  {value} ") == value
    else:
        with pytest.raises(fields.BadLink):
            fields.link(value)


def test_every_limit_is_named_and_the_public_texts_have_one():
    assert set(fields.PUBLIC_TEXT_FIELDS) <= set(fields.LIMITS)
    from ektp_metrics.db import PUBLIC_TEXTS
    assert set(PUBLIC_TEXTS) == set(fields.PUBLIC_TEXT_FIELDS)
    limit = fields.LIMITS["display_name"]
    assert fields.text("display_name", " " + "a" * limit + " ") == "a" * limit
    with pytest.raises(fields.TooLong) as exc:
        fields.text("display_name", "a" * (limit + 1))
    assert "81 karakter, paling banyak 80" in t(exc.value.code, "id", **exc.value.params)
    assert "81 characters, at most 80" in t(exc.value.code, "en", **exc.value.params)


def test_a_5000_character_name_or_reason_is_refused_and_nothing_written(demo_db):
    store = auth.PasswordStore(demo_db)
    users, audit = count(demo_db, "users"), count(demo_db, "audit_log")
    with pytest.raises(auth.AccountError) as exc:
        store.add("baru", "x" * 5000, "operator", "sandi-yang-panjang", by="admin")
    assert exc.value.code == "name_too_long" and exc.value.params["batas"] == fields.LIMITS["display_name"]
    with pytest.raises(history.RevertRefused) as refused:
        history.revert(demo_db, 1, user="admin", reason="y" * 5000, role="admin")
    assert refused.value.code == "reason_too_long"
    assert demo_db.fetch_one("SELECT status FROM batches WHERE id = 1")[0] == "aktif"
    with pytest.raises(fields.TooLong):
        set_public_text(demo_db, "wawali_ajakan", "z" * 5000, by="admin")
    assert (count(demo_db, "users"), count(demo_db, "audit_log")) == (users, audit)


def test_a_published_figure_with_a_javascript_link_or_a_long_note_is_refused(demo_db):
    common = {"tanggal": dt.date(2013, 10, 20), "indikator": "sudah_rekam", "nilai": "380.000", "satuan": "orang",
              "penerbit": "Uji", "user": "admin", "role": "admin"}
    before = count(demo_db, "reference_figures")
    with pytest.raises(fields.BadLink):
        quality.add_published(demo_db, sumber_url="javascript:alert(1)", catatan="", **common)
    with pytest.raises(fields.TooLong):
        quality.add_published(demo_db, sumber_url="https://a.id", catatan="c" * 501, **common)
    assert count(demo_db, "reference_figures") == before
    quality.add_published(demo_db, sumber_url="https://a.id/berita", catatan="", **common)
    assert count(demo_db, "reference_figures") == before + 1


def test_the_forms_show_the_limits(demo_path, monkeypatch):
    at = page_app(monkeypatch, demo_path, "riwayat.py", user="admin")
    assert [i.max_chars for i in at.text_input] == [fields.LIMITS["revert_reason"]]
    at = page_app(monkeypatch, demo_path, "pengguna.py", user="admin")
    shown = {i.label: i.max_chars for i in at.text_input}
    assert shown["Nama lengkap"] == fields.LIMITS["display_name"]
    assert shown["Tempat pengambilan kartu (satu kalimat)"] == fields.LIMITS["kartu_tempat"]
    assert at.text_area[0].max_chars == fields.LIMITS["wawali_ajakan"]


def test_a_schedule_file_with_a_too_long_place_names_the_row_and_writes_nothing(demo_db):
    from ektp_metrics import upload
    from ektp_metrics.i18n import describe_problem

    long_place = "Balai " * 30   # 179 characters once trimmed
    data = ("Tanggal Mulai;Tanggal Selesai;Kelurahan;Alat;Jam Mulai;Jam Selesai;Tempat\n"
            "02/12/2013;04/12/2013;Mojosongo;4;15.00;21.00;Kantor Kelurahan Mojosongo\n"
            f"02/12/2013;04/12/2013;Kadipiro;4;15.00;21.00;{long_place}\n").encode()
    batches = count(demo_db, "batches")
    result = upload.ingest(demo_db, data, "jadwal.csv", user="sri", role="operator")
    assert not result.committed and [(p.code, p.baris, p.kolom) for p in result.problems] == [("too_long", 3, "tempat")]
    text = describe_problem(result.problems[0], "id")
    assert "baris 3" in text.lower() and "179 karakter, paling banyak 120" in text
    assert count(demo_db, "batches") == batches
