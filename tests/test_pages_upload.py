"""Unggah and Riwayat through AppTest: upload → check → save; revert with a reason."""

import datetime as dt

import pytest

from ektp_metrics import formatting, history, metrics, upload_templates
from ektp_metrics.db import Database
from ektp_metrics.upload import ingest
from tests.apptest import page_app
from tests.corpus.make_corpus import FILES
from tests.helpers import over_capacity_and_cards_over_recordings_csv


@pytest.fixture
def unggah(demo_path, monkeypatch):
    return page_app(monkeypatch, demo_path, "unggah.py")


def upload(at, path):
    at.file_uploader[0].upload(path.name, path.read_bytes(), "text/csv").run()
    assert not at.exception, at.exception
    return at


def test_good_file_shows_the_change_and_saves_with_the_officer_signed_in(unggah, demo_path):
    upload(unggah, upload_templates.example_path("harian"))
    assert "Laporan harian · 8 baris data" in [h.value for h in unggah.subheader]
    change = " ".join(i.value for i in unggah.info)
    assert "+444 rekam, +157 distribusi" in change and "92,26% → 92,37%" in change
    assert "Hari acuan berpindah dari 25 Oktober 2013 ke 28 Oktober 2013" in change
    unggah.button(key="simpan").click().run()
    assert not unggah.exception
    assert any("Tersimpan sebagai batch" in s.value for s in unggah.success)
    with Database(demo_path, create=False) as db:
        latest = history.batches(db).iloc[0]
    assert (latest["user"], latest["rows"], latest["file"]) == ("operator", 8, "contoh_laporan_harian.csv")


def test_bad_file_lists_every_problem_and_offers_no_save(unggah, demo_path):
    upload(unggah, FILES / "banyak_masalah.csv")
    assert any("Ditolak: 6 masalah" in e.value for e in unggah.error)
    table = unggah.table[0].value
    assert list(table["Baris"]) == [3, 3, 3, 4, 4, 5]
    assert any("Pucangsawit" in m for m in table["Masalah dan yang harus dilakukan"])
    assert not [b for b in unggah.button if b.key == "simpan"]
    with Database(demo_path, create=False) as db:
        assert history.batches(db).iloc[0]["user"] == "demo"       # nothing written


def test_implausible_value_needs_the_confirmation_box(unggah):
    upload(unggah, FILES / "harian_melebihi_batas.csv")
    assert not [b for b in unggah.button if b.key == "simpan"]
    assert any("centang konfirmasi di atas" in w.value for w in unggah.warning) and not unggah.error
    assert all(m.replace("\\", "").endswith("Bila benar, centang konfirmasi.") for m in unggah.table[0].value.iloc[:, 2])
    unggah.checkbox(key="force_0").check().run()
    assert not unggah.button(key="simpan").disabled


def test_a_mistyped_year_needs_the_confirmation_box_and_the_preview_says_the_day_moves(unggah, demo_path, tmp_path):
    path = tmp_path / "tahun_salah.csv"
    path.write_bytes(b"tanggal;kode_kelurahan;rekam\n01/06/2020;33.72.01.1001;5\n")
    upload(unggah, path)
    assert any("Belum disimpan: 1 nilai tidak wajar" in w.value for w in unggah.warning) and not unggah.error
    table = unggah.table[0].value
    assert (list(table["Baris"]), list(table["Kolom"])) == ([2], ["tanggal"])
    message = table.iloc[0, 2].replace("\\", "")   # shown as markdown, escaped
    assert "1 Juni 2020, 2.411 hari sesudah data terakhir (25 Oktober 2013)" in message
    assert not [b for b in unggah.button if b.key == "simpan"]
    unggah.checkbox(key="force_0").check().run()
    assert "Hari acuan berpindah dari 25 Oktober 2013 ke 1 Juni 2020" in " ".join(i.value for i in unggah.info)
    unggah.button(key="simpan").click().run()
    assert any("Tersimpan sebagai batch" in s.value for s in unggah.success)
    with Database(demo_path, create=False) as db:
        assert metrics.reference_day(db) == dt.date(2020, 6, 1)


def test_riwayat_reverts_a_batch_with_a_reason(demo_path, monkeypatch):
    with Database(demo_path, create=False) as db:
        saved = ingest(db, upload_templates.example_path("harian").read_bytes(), "contoh.csv", user="sri", role="admin")
    at = page_app(monkeypatch, demo_path, "riwayat.py", user="admin")
    assert at.dataframe[0].value.iloc[0]["Batch"] == saved.batch_id
    at.selectbox[0].select(saved.batch_id).run()
    # A form sends its values with the submit: set them and click in one run, as a browser does.
    next(i for i in at.text_input if i.label == "Alasan pembatalan").input("angka Kadipiro salah")
    at.checkbox[0].check()
    at.button[0].click().run()
    assert not at.exception
    assert any(f"Batch {saved.batch_id} dibatalkan" in s.value for s in at.success)
    with Database(demo_path, create=False) as db:
        batch = history.batches(db).set_index("id").loc[saved.batch_id]
    assert (batch["status"], batch["reverted_by"], batch["revert_reason"]) == ("dibatalkan", "admin",
                                                                               "angka Kadipiro salah")


def test_riwayat_pages_the_rows_of_a_long_batch(demo_path, monkeypatch):
    # A national upload brings a million rows: the page shows 100 at a time, read in SQL.
    with Database(demo_path, create=False) as db:
        codes = [r[0] for r in db.fetch_all("SELECT kode_kelurahan FROM v_wilayah ORDER BY 1")]
        lines = ["tanggal;kode_kelurahan;lokasi;rekam;distribusi"] + [
            f"{day}/11/2013;{kode};sekolah;1;0" for day in range(1, 6) for kode in codes]
        saved = ingest(db, ("\n".join(lines) + "\n").encode(), "panjang.csv", user="sri", role="admin")
        assert saved.committed, saved.problems
        long = history.batches(db).set_index("id").loc[saved.batch_id]
        long["id"] = saved.batch_id
        total = history.batch_row_count(db, saved.batch_id)
    at = page_app(monkeypatch, demo_path, "riwayat.py", user="admin")
    at.selectbox[0].select(int(long["id"])).run()
    rows = at.dataframe[1].value
    assert len(rows) == 100 and total == long["rows"]
    assert any(f"Baris 1–100 dari {formatting.angka(total)}" in c.value for c in at.caption)
    at.number_input(key=f"riwayat_page_{long['id']}").set_value(2).run()
    second = at.dataframe[1].value
    assert len(second) == 100 and second["Baris"].min() > rows["Baris"].max()   # columns named for people (issue 21)


def test_riwayat_refuses_a_revert_without_reason(demo_path, monkeypatch):
    at = page_app(monkeypatch, demo_path, "riwayat.py", user="admin")
    at.button[0].click().run()
    assert any("Isi alasan" in e.value for e in at.error)


def test_an_operator_reverts_only_own_batches(demo_path, monkeypatch):
    at = page_app(monkeypatch, demo_path, "riwayat.py", user="operator")
    assert not at.button                                          # the newest batch is the demo's, not theirs
    assert any("Hanya admin atau petugas yang mengunggahnya" in c.value for c in at.caption)


def test_xlsx_sheet_can_be_chosen_on_the_page(unggah):
    book = FILES / "harian_lembar_kedua.xlsx"
    unggah.file_uploader[0].upload(book.name, book.read_bytes(),
                                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").run()
    assert any("Ditolak" in e.value for e in unggah.error)            # the first sheet holds instructions
    unggah.selectbox(key="sheet_0").select("Data").run()
    assert not unggah.exception
    assert "Laporan harian · 1 baris data" in [h.value for h in unggah.subheader]
    assert not unggah.error


def test_a_plain_file_by_code_shows_its_preview_and_saves(unggah, demo_path, tmp_path):
    # The direct way (DuckDB reads the file; see tests/test_upload.py): the page shows the same things.
    path = tmp_path / "harian_kode.csv"
    path.write_bytes(b"tanggal;kode_kelurahan;lokasi;rekam;distribusi\n"
                     b"26/10/2013;33.72.01.1001;kelurahan;85;12\n26/10/2013;33.72.01.1002;sekolah;40;0\n")
    upload(unggah, path)
    assert "Laporan harian · 2 baris data" in [h.value for h in unggah.subheader]
    assert "+125 rekam, +12 distribusi" in " ".join(i.value for i in unggah.info)
    preview = unggah.dataframe[0].value
    assert list(preview["kode_kelurahan"]) == ["33.72.01.1001", "33.72.01.1002"]
    assert list(preview["rekam"]) == [85, 40] and list(preview["baris"]) == [2, 3]
    unggah.button(key="simpan").click().run()
    assert any("Tersimpan sebagai batch" in s.value for s in unggah.success)
    with Database(demo_path, create=False) as db:
        assert db.fetch_one("SELECT count(*), sum(rekam) FROM daily_counts WHERE batch_id = "
                            "(SELECT max(id) FROM batches)") == (2, 125)


def test_the_target_template_is_offered_to_admins_only(demo_path, monkeypatch):
    def keys(at):
        return {getattr(e, "key", None) or e.proto.id for e in at.get("download_button")}

    operator = page_app(monkeypatch, demo_path, "unggah.py")
    admin = page_app(monkeypatch, demo_path, "unggah.py", user="admin")
    assert not any("tpl_target" in k for k in keys(operator)) and any("tpl_target" in k for k in keys(admin))


def test_the_preview_shows_what_kualitas_would_add_before_simpan(unggah, demo_path, tmp_path):
    with Database(demo_path, create=False) as db:
        pajang = metrics.kelurahan_frame(db, dt.date(2013, 10, 25)).set_index("kode").loc["33.72.01.1001"]
    path = tmp_path / "rekap_turun.csv"
    path.write_text(f"tanggal;kode_kelurahan;sudah_rekam\n26/10/2013;33.72.01.1001;{pajang.sudah_rekam - 50}\n")
    upload(unggah, path)
    assert any("Kualitas data akan mencatat 1 temuan baru" in w.value for w in unggah.warning)
    table = unggah.table[0].value
    assert list(table["Baris"]) == ["2"]
    assert "Kumulatif turun: kelurahan Pajang per 26 Oktober 2013" in table.iloc[0, 1].replace("\\", "")
    assert not unggah.button(key="simpan").disabled   # a finding is shown, not a refusal


def test_what_no_confirmation_accepts_comes_first_and_the_box_is_not_offered_as_the_fix(unggah, demo_path, tmp_path):
    with Database(demo_path, create=False) as db:
        path = tmp_path / "harian_200.csv"
        path.write_bytes(over_capacity_and_cards_over_recordings_csv(db))
    upload(unggah, path)
    [headline] = [e.value for e in unggah.error]
    # 199 counts above the daily maximum and the 50 kelurahan they push above wajib KTP: confirmable
    assert ("1 masalah tidak bisa dikonfirmasi: perbaiki berkas (centang konfirmasi tidak menolong). "
            "249 nilai tidak wajar bisa dikonfirmasi") in headline
    table = unggah.table[0].value
    assert len(table) == 20 and list(table["Baris"])[:2] == [201, 2]   # the one to fix first
    assert "kelurahan Kauman" in table.iloc[0, 2] and "Bila benar" not in " ".join(table.iloc[:, 2])
    assert any("… dan 230 masalah lain" in c.value for c in unggah.caption)
    assert any("problems_csv" in (getattr(b, "key", None) or b.proto.id) for b in unggah.get("download_button"))
    unggah.checkbox(key="force_0").check().run()     # ticking the box: still refused, still said why
    assert any("tidak bisa dikonfirmasi" in e.value for e in unggah.error)
    assert not [b for b in unggah.button if b.key == "simpan"]


def test_a_1_mb_cell_is_quoted_cut(unggah, tmp_path):
    path = tmp_path / "sel_besar.csv"
    path.write_bytes(b"tanggal;kelurahan;rekam\n26/10/2013;" + b"x" * (1 << 20) + b";5\n")
    upload(unggah, path)
    message = unggah.table[0].value.iloc[0, 2].replace("\\", "")
    assert "'" + "x" * 60 + "… (1.048.576 karakter)' tidak dikenal" in message and len(message) < 300


def test_ten_thousand_columns_are_summarised(unggah, tmp_path):
    path = tmp_path / "kolom_banyak.csv"
    extra = [f"kolom_{i}" for i in range(9997)]
    path.write_text(";".join(["tanggal", "kelurahan", "rekam", *extra]) + "\n"
                    + ";".join(["26/10/2013", "Pajang", "5"] + [""] * 9997) + "\n")
    upload(unggah, path)
    [caption] = [c.value.replace("\\", "") for c in unggah.caption if "diabaikan" in c.value]
    assert caption == "Kolom diabaikan: kolom_0, kolom_1, kolom_2, kolom_3 … dan 9.993 kolom lain"


def test_a_rerun_with_the_same_file_and_options_checks_it_once(unggah, demo_path, monkeypatch):
    """The dry run is kept for the session per file, options and data version: a rerun that changes none of
    them (here: another run of the page) shows it again; a ticked box, or a save (a new data version), checks anew."""
    from ektp_metrics import upload as upload_module

    calls = []
    real = upload_module.ingest

    def counted(*args, **kwargs):
        calls.append(kwargs.get("dry_run", False))
        return real(*args, **kwargs)

    monkeypatch.setattr(upload_module, "ingest", counted)
    upload(unggah, upload_templates.example_path("harian"))
    assert calls == [True]
    unggah.run()
    assert calls == [True] and "+444 rekam, +157 distribusi" in " ".join(i.value for i in unggah.info)
    unggah.checkbox(key="force_0").check().run()
    assert calls == [True, True]
    unggah.button(key="simpan").click().run()
    assert calls == [True, True, False] and any("Tersimpan sebagai batch" in s.value for s in unggah.success)
