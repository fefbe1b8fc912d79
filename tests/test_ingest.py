"""Upload behaviour that depends on the database's state: duplicates, corrections, reverts, limits."""

import datetime as dt

import pandas as pd
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from ektp_metrics import formatting, history, metrics, upload, upload_templates
from ektp_metrics.filereader import read_table
from ektp_metrics.i18n import describe_change, describe_problem
from ektp_metrics.upload import validate

REPORT = dt.date(2013, 10, 25)
DAILY = b"tanggal;kelurahan;lokasi;rekam;distribusi\n26/10/2013;Pajang;kelurahan;85;12\n26/10/2013;Bumi;kelurahan;40;3\n"


def city(db, day=dt.date(2013, 10, 26)):
    return metrics.city_summary(db, day)


def state(db) -> tuple:
    """Everything a refused upload must leave untouched."""
    counts = tuple(db.fetch_one(f"SELECT count(*) FROM {t}")[0]
                   for t in ("batches", "daily_counts", "rekap", "targets", "jadwal_keliling", "audit_log"))
    frame = metrics.summary_frame(db, dt.date(2013, 10, 31), "kelurahan")
    return counts, tuple(frame["sudah_rekam"]), tuple(frame["sudah_distribusi"]), tuple(frame["wajib_ktp"])


def test_saved_upload_changes_the_figures_and_is_traceable(demo_db):
    before = city(demo_db)
    result = upload.ingest(demo_db, DAILY, "laporan_26.csv", user="sri", role="admin")
    assert result.committed and result.batch_id
    after = city(demo_db)
    assert after.sudah_rekam - before.sudah_rekam == 125
    assert after.sudah_distribusi - before.sudah_distribusi == 15
    rows = history.batch_rows(demo_db, result.batch_id)
    assert sorted(rows["baris"]) == [2, 3] and set(rows["kelurahan"]) == {"Pajang", "Bumi"}
    batch = history.batches(demo_db).iloc[0]
    assert (batch["id"], batch["user"], batch["rows"], batch["sha256"]) == (result.batch_id, "sri", 2, result.sha256)
    log = demo_db.fetch_df("SELECT * FROM audit_log WHERE action = 'unggah'")
    assert log.iloc[-1]["user_name"] == "sri" and result.sha256 in log.iloc[-1]["detail"]
    assert metrics.reference_day(demo_db) == dt.date(2013, 10, 26)


def test_the_same_file_twice_is_refused_naming_the_earlier_batch(demo_db):
    first = upload.ingest(demo_db, DAILY, "a.csv", user="sri", role="admin")
    snapshot = state(demo_db)
    again = upload.ingest(demo_db, DAILY, "a (1).csv", user="budi", role="admin")
    assert not again.accepted and [p.code for p in again.problems] == ["duplicate_file"]
    assert again.problems[0].params["batch"] == first.batch_id and again.problems[0].params["user"] == "sri"
    assert state(demo_db) == snapshot


def test_overlap_needs_a_correction_which_supersedes_and_can_be_reverted(demo_db):
    first = upload.ingest(demo_db, DAILY, "a.csv", user="sri", role="admin")
    fixed = DAILY.replace(b"85;12", b"95;12")
    snapshot = state(demo_db)
    refused = upload.ingest(demo_db, fixed, "a_fix.csv", user="sri", role="admin")
    assert {p.code for p in refused.problems} == {"overlap"} and [p.baris for p in refused.problems] == [2, 3]
    assert state(demo_db) == snapshot
    before = city(demo_db).sudah_rekam
    corrected = upload.ingest(demo_db, fixed, "a_fix.csv", user="sri", role="admin", replace=True)
    assert corrected.committed and corrected.superseded == 2
    assert city(demo_db).sudah_rekam == before + 10                       # 95 replaces 85, not added to it
    old = history.batch_rows(demo_db, first.batch_id)
    assert set(old["digantikan_oleh_batch"]) == {corrected.batch_id}      # kept, marked
    history.revert(demo_db, corrected.batch_id, user="sri", role="admin", reason="koreksi salah")
    assert city(demo_db).sudah_rekam == before                            # the original rows count again
    assert history.batch_rows(demo_db, first.batch_id)["digantikan_oleh_batch"].isna().all()


def test_revert_excludes_a_batch_keeps_it_and_logs_who_when_why(demo_db):
    before = city(demo_db).sudah_rekam
    saved = upload.ingest(demo_db, DAILY, "a.csv", user="sri", role="admin")
    history.revert(demo_db, saved.batch_id, user="admin", role="admin", reason="salah kelurahan")
    assert city(demo_db).sudah_rekam == before
    batch = history.batches(demo_db).set_index("id").loc[saved.batch_id]
    assert batch["status"] == "dibatalkan" and batch["reverted_by"] == "admin"
    assert batch["revert_reason"] == "salah kelurahan" and batch["reverted_at"] is not pd.NaT
    assert len(history.batch_rows(demo_db, saved.batch_id)) == 2           # still in history
    log = demo_db.fetch_df("SELECT * FROM audit_log WHERE action = 'batal'")
    assert log.iloc[-1]["user_name"] == "admin" and log.iloc[-1]["detail"] == "salah kelurahan"
    with pytest.raises(history.RevertRefused) as twice:
        history.revert(demo_db, saved.batch_id, user="admin", role="admin", reason="lagi")
    assert twice.value.code == "already_reverted"
    with pytest.raises(history.RevertRefused):
        history.revert(demo_db, 99999, user="admin", role="admin", reason="x")
    with pytest.raises(history.RevertRefused):
        history.revert(demo_db, 1, user="admin", role="admin", reason="  ")
    # The same file may come in again once its earlier batch is reverted.
    assert upload.ingest(demo_db, DAILY, "a.csv", user="sri", role="admin").committed


def test_rekap_becomes_the_baseline_and_a_new_target_version(demo_db):
    data = b"tanggal;kelurahan;wajib_ktp;sudah_rekam;sudah_distribusi\n31/10/2013;Pajang;20.000;15.000;14.000\n"
    saved = upload.ingest(demo_db, data, "rekap.csv", user="sri", role="admin")
    assert saved.committed
    pajang = next(s for s in metrics.summaries(demo_db, dt.date(2013, 10, 31), "kelurahan") if s.nama == "Pajang")
    assert (pajang.wajib_ktp, pajang.sudah_rekam, pajang.sudah_distribusi) == (20000, 15000, 14000)
    assert pajang.target_berlaku_mulai == dt.date(2013, 10, 31)
    earlier = next(s for s in metrics.summaries(demo_db, REPORT, "kelurahan") if s.nama == "Pajang")
    assert earlier.wajib_ktp != 20000                                      # the older version still holds before


def test_schedule_overlap_and_correction(demo_db):
    data = b"tanggal_mulai;tanggal_selesai;kelurahan;alat\n29/10/2013;31/10/2013;Pajang;2\n"
    refused = upload.ingest(demo_db, data, "j.csv", user="sri", role="admin")
    # Pajang was served 7-9 October in the demo: no overlap; a second upload of the same period overlaps.
    assert refused.committed
    other = data.replace(b"31/10/2013;Pajang;2", b"30/10/2013;Pajang;4")
    assert [p.code for p in upload.ingest(demo_db, other, "j2.csv", user="sri", role="admin").problems] == ["overlap"]
    assert upload.ingest(demo_db, other, "j2.csv", user="sri", role="admin", replace=True).superseded == 1


def test_cards_beyond_recordings_are_refused_after_the_fact(demo_db):
    # A kelurahan's cumulative distribusi may not pass its cumulative rekam, whatever the file says per row.
    backlog = next(s for s in metrics.summaries(demo_db, REPORT, "kelurahan") if s.nama == "Jagalan").backlog_distribusi
    rows = ["tanggal;kelurahan;lokasi;distribusi"]
    day, left = dt.date(2013, 10, 26), backlog + 1
    while left > 0:
        for lokasi in ("kelurahan", "kecamatan"):
            n = min(400, left)
            if n:
                rows.append(f"{day:%d/%m/%Y};Jagalan;{lokasi};{n}")
            left -= n
        day += dt.timedelta(days=1)
    snapshot = state(demo_db)
    result = upload.ingest(demo_db, "\n".join(rows).encode(), "d.csv", user="sri", role="admin")
    assert not result.accepted
    assert {p.code for p in result.problems} == {"cumulative_distribusi_above_rekam"}
    assert state(demo_db) == snapshot


def test_cumulative_checks_with_and_without_a_snapshot(fresh_db):
    # Pajang has only daily counts (running sums), Jagalan a cumulative snapshot first (figures_at_sql):
    # each is checked on each day of the file, once, named by its first row of the file up to that day.
    snapshot = b"tanggal;kelurahan;sudah_rekam;sudah_distribusi\n30/09/2013;Jagalan;100;100\n"
    assert upload.ingest(fresh_db, snapshot, "r.csv", user="sri", role="admin").committed
    daily = (b"tanggal;kelurahan;lokasi;rekam;distribusi\n"
             b"01/10/2013;Pajang;kelurahan;5;8\n02/10/2013;Pajang;kelurahan;10;0\n"
             b"01/10/2013;Jagalan;kelurahan;5;5\n02/10/2013;Jagalan;kelurahan;0;1\n")
    before = state(fresh_db)
    result = upload.ingest(fresh_db, daily, "d.csv", user="sri", role="admin")
    assert not result.accepted and state(fresh_db) == before
    assert [(p.code, p.baris, p.params["kelurahan"], p.params["tanggal"], p.params["rekam"], p.params["distribusi"])
            for p in result.problems] == [
        ("cumulative_distribusi_above_rekam", 2, "Pajang", dt.date(2013, 10, 1), 5, 8),
        ("cumulative_distribusi_above_rekam", 4, "Jagalan", dt.date(2013, 10, 2), 105, 106)]
    assert "kelurahan Pajang per 1 Oktober 2013" in describe_problem(result.problems[0])   # not ISO (issue 21)
    fixed = daily.replace(b"01/10/2013;Pajang;kelurahan;5;8", b"01/10/2013;Pajang;kelurahan;8;8")
    assert upload.ingest(fresh_db, fixed.replace(b"Jagalan;kelurahan;0;1", b"Jagalan;kelurahan;1;1"),
                         "d.csv", user="sri", role="admin").committed


def test_more_recordings_than_residents_left_needs_confirmation(demo_db):
    left = next(s for s in metrics.summaries(demo_db, REPORT, "kelurahan") if s.nama == "Kemlayan").belum_rekam
    rows = ["tanggal;kelurahan;lokasi;rekam"]
    day, todo = dt.date(2013, 10, 26), left + 1
    while todo > 0:
        n = min(450, todo)
        rows.append(f"{day:%d/%m/%Y};Kemlayan;kelurahan;{n}")
        todo -= n
        day += dt.timedelta(days=1)
    data = "\n".join(rows).encode()
    refused = upload.ingest(demo_db, data, "r.csv", user="sri", role="admin")
    assert not refused.accepted and {p.code for p in refused.problems} == {"cumulative_rekam_above_wajib"}
    assert all(p.implausible for p in refused.problems)
    confirmed = upload.ingest(demo_db, data, "r.csv", user="sri", role="admin", force=True)
    assert confirmed.committed
    assert "dikonfirmasi" in demo_db.fetch_df("SELECT detail FROM audit_log ORDER BY id").iloc[-1]["detail"]


def test_size_and_row_limits(demo_db, monkeypatch):
    monkeypatch.setenv("EKTP_MAX_UPLOAD_MB", "0.0001")
    assert [p.code for p in upload.ingest(demo_db, DAILY * 3, "x.csv", user="s", role="admin").problems] == ["too_large"]
    monkeypatch.setenv("EKTP_MAX_UPLOAD_MB", "50")
    monkeypatch.setenv("EKTP_MAX_ROWS", "1")
    assert [p.code for p in upload.ingest(demo_db, DAILY, "x.csv", user="s", role="admin").problems] == ["too_many_rows"]


def test_problem_list_is_capped(demo_db, monkeypatch):
    monkeypatch.setenv("EKTP_MAX_PROBLEMS", "5")
    data = "tanggal,kelurahan,rekam\n" + "".join(f"26/10/2013,Nowhere{i},1\n" for i in range(50))
    result = upload.ingest(demo_db, data.encode(), "x.csv", user="s", role="admin")
    assert len(result.problems) == 5 and not result.accepted


def test_examples_import_cleanly_and_templates_are_recognised(demo_db):
    for kind in upload_templates.HEADERS:
        # the examples an operator downloads from Unggah upload cleanly as operator (issue 21: the rekap's
        # wajib_ktp column, which only an admin may change, made the shipped example unusable)
        example = upload.ingest(demo_db, upload_templates.example_path(kind).read_bytes(), "contoh.csv", user="s",
                                role="operator", dry_run=True)
        assert example.accepted and example.kind == kind, [p.code for p in example.problems]
        for blank in (upload_templates.template_csv(kind), upload_templates.template_xlsx(kind)):
            result = upload.ingest(demo_db, blank, "templat", user="s", role="admin", dry_run=True)
            assert result.kind == kind and [p.code for p in result.problems] == ["header_only"]
        shipped = upload_templates.EXAMPLES_DIR / f"templat_{upload_templates.FILE_STEMS[kind]}.csv"
        assert shipped.read_bytes() == upload_templates.template_csv(kind)
    assert "wajib_ktp" not in upload_templates.HEADERS["rekap"]
    for blank in (upload_templates.template_csv("rekap", targets=True),
                  upload_templates.template_xlsx("rekap", targets=True)):   # the admin's target template
        result = upload.ingest(demo_db, blank, "templat", user="s", role="admin", dry_run=True)
        assert result.kind == "rekap" and [p.code for p in result.problems] == ["header_only"]
    shipped = upload_templates.EXAMPLES_DIR / f"templat_{upload_templates.TARGET_STEM}.csv"
    assert shipped.read_bytes() == upload_templates.template_csv("rekap", targets=True)


def test_xlsx_other_sheet_is_named_when_missing(demo_db):
    data = upload_templates.template_xlsx("harian")
    result = upload.ingest(demo_db, data, "t.xlsx", user="s", role="admin", sheet="Tidak Ada")
    assert [p.code for p in result.problems] == ["unknown_sheet"]
    assert read_table(data).sheets == ["Data", "Petunjuk", "Kelurahan"]
    from ektp_metrics.filereader import sheet_names
    assert sheet_names(data) == ["Data", "Petunjuk", "Kelurahan"]
    assert sheet_names(b"tanggal;kelurahan\n") == [] and sheet_names(b"PK\x03\x04rusak") == []


@hsettings(deadline=None)
@given(st.integers(min_value=0, max_value=validate.MAX_COUNT))
def test_indonesian_thousands_read_back(n):
    values, problems = validate.parse_counts(pd.Series([formatting.angka(n)], dtype="object"), empty_is_zero=True)
    assert problems.isna().all() and int(values.iloc[0]) == n


@hsettings(deadline=None)
@given(st.dates(min_value=dt.date(2011, 1, 1), max_value=dt.date(2025, 12, 31)))
def test_every_accepted_date_form_reads_back(day):
    forms = [day.isoformat(), f"{day:%d/%m/%Y}", f"{day:%d-%m-%Y}", formatting.tanggal(day),
             formatting.tanggal(day, singkat=True), dt.datetime(day.year, day.month, day.day)]
    values, problems = validate.parse_dates(pd.Series(forms, dtype="object"))
    assert problems.isna().all(), list(zip(forms, problems))
    assert {v.date() for v in values} == {day}


KELURAHAN = ["Pajang", "Bumi", "Pucang Sawit", "Stabelan", "Kedung Lumbu", "Mojosongo", "Sewu"]
CORRUPTIONS = [("rekam", "-1"), ("rekam", "1,5"), ("rekam", "banyak"), ("tanggal", "31/02/2013"),
               ("tanggal", "01/01/2099"), ("kelurahan", "Atlantis"), ("lokasi", "balai")]


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(st.sampled_from(KELURAHAN), st.integers(26, 31), st.integers(0, 120),
                               st.integers(0, 30)), min_size=1, max_size=12, unique_by=lambda r: (r[0], r[1])),
       corruption=st.sampled_from(CORRUPTIONS), where=st.integers(0, 11), sep=st.sampled_from([",", ";", "\t"]))
def test_a_refused_file_leaves_every_figure_unchanged(demo_db, rows, corruption, where, sep):
    table = [{"tanggal": f"{d}/10/2013", "kelurahan": k, "lokasi": "kelurahan", "rekam": str(r),
              "distribusi": str(c)} for k, d, r, c in rows]
    column, bad = corruption
    table[where % len(table)][column] = bad
    text = sep.join(table[0]) + "\n" + "".join(sep.join(r.values()) + "\n" for r in table)
    before = state(demo_db)
    result = upload.ingest(demo_db, text.encode(), "acak.csv", user="hyp", role="admin")
    assert not result.accepted and result.errors
    assert state(demo_db) == before


def test_a_sparse_xlsx_with_a_far_away_cell_stays_cheap(demo_db):
    import io

    import openpyxl
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["tanggal", "kelurahan", "rekam"])
    ws.append(["28/10/2013", "Pajang", 5])
    ws.cell(row=200_000, column=16_000, value="x")          # the reviewer's 5 KB memory bomb
    out = io.BytesIO()
    book.save(out)
    result = upload.ingest(demo_db, out.getvalue(), "jarang.xlsx", user="s", role="admin", dry_run=True)
    assert result.accepted and result.rows == 1


def test_an_xlsx_that_unpacks_too_large_is_refused(demo_db, monkeypatch):
    from ektp_metrics import filereader
    monkeypatch.setattr(filereader, "MAX_XLSX_UNPACKED", 1000)
    result = upload.ingest(demo_db, upload_templates.template_xlsx("harian"), "t.xlsx", user="s", role="admin")
    assert [p.code for p in result.problems] == ["xlsx_too_big"]


def test_revert_in_a_chain_of_corrections_counts_once(demo_db):
    # B1 → corrected by B2 → corrected by B3; reverting B2 must leave B3 alone counting (review finding).
    row = "tanggal;kelurahan;rekam\n28/10/2013;Pajang;{}\n"
    before = city(demo_db, dt.date(2013, 10, 28)).sudah_rekam
    b1 = upload.ingest(demo_db, row.format(100).encode(), "b1.csv", user="s", role="admin")
    b2 = upload.ingest(demo_db, row.format(200).encode(), "b2.csv", user="s", role="admin", replace=True)
    b3 = upload.ingest(demo_db, row.format(300).encode(), "b3.csv", user="s", role="admin", replace=True)
    assert city(demo_db, dt.date(2013, 10, 28)).sudah_rekam == before + 300
    history.revert(demo_db, b2.batch_id, user="s", role="admin", reason="x")
    assert city(demo_db, dt.date(2013, 10, 28)).sudah_rekam == before + 300
    history.revert(demo_db, b3.batch_id, user="s", role="admin", reason="x")
    assert city(demo_db, dt.date(2013, 10, 28)).sudah_rekam == before + 100   # back to B1
    assert b1.committed


def test_two_saves_at_the_same_moment_cannot_both_go_in(demo_db):
    import threading

    results = []
    barrier = threading.Barrier(2)

    def save(name):
        barrier.wait()
        results.append(upload.ingest(demo_db, DAILY, f"{name}.csv", user=name, role="admin"))

    threads = [threading.Thread(target=save, args=(n,)) for n in ("ani", "budi")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.committed for r in results) == [False, True]
    assert [p.code for r in results if not r.committed for p in r.problems] == ["duplicate_file"]


def test_text_from_files_and_people_is_escaped_for_markdown():
    from ektp_metrics.formatting import md
    escaped = md("![x](http://evil.example/t.png) *tebal* <b>")
    assert "![" not in escaped and "](" not in escaped and "\\*" in escaped


# ---------------------------------------------------------------- the two ways of reading a CSV agree

_CELLS = {
    "tanggal": ["26/10/2013", "2013-10-26", "26-10-2013", "Sabtu, 26 Oktober 2013", "26 Okt 2013", "31/02/2013",
                "26/10/2099", "", "kemarin", "2010-12-31", " 25/10/2013 "],
    "kelurahan": ["Pajang", "PAJANG", "Kel. Pajang", "Pucangsawi", "Sewu", "", "Laweyan", "Bumi", '"Jebres"'],
    "kode_kelurahan": ["33.72.01.1001", "3372011001", "", "99.99", "abc", "33.72.05.1001"],
    "lokasi": ["kelurahan", "Sekolah", "", "pasar", "kantor kecamatan", "rumah"],
    "rekam": ["85", "1.050", "-", "", "-3", "2,5", "12.0", "abc", "250", "1.050,00", "0"],
    "distribusi": ["12", "0", "", "7", "1.000.000", "x"],
}


@hsettings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(columns=st.lists(st.sampled_from(sorted(_CELLS)), min_size=2, max_size=6, unique=True),
       rows=st.integers(1, 30), seed=st.randoms(use_true_random=False), separator=st.sampled_from([";", ",", "\t"]))
def test_bulk_and_row_by_row_reading_validate_alike(fresh_db, columns, rows, seed, separator):
    """A regular CSV read column-wise (Arrow, parsers once per distinct cell) and row by row give the same
    rows, the same parsed values and the same problems, line for line."""
    lines = [separator.join(columns)] + [separator.join(seed.choice(_CELLS[c]) for c in columns) for _ in range(rows)]
    data = ("\n".join(lines) + "\n").encode()
    with fresh_db.cursor() as cur:
        index = validate.RegionIndex.from_db(cur)
    bulk, row_by_row = read_table(data), read_table(data, bulk=False)
    results = [validate.check_table(t, index, today=dt.date(2013, 12, 31)) for t in (bulk, row_by_row)]
    (parsed_a, ignored_a, problems_a), (parsed_b, ignored_b, problems_b) = results
    assert (ignored_a, problems_a) == (ignored_b, problems_b)
    assert (parsed_a is None) == (parsed_b is None)
    if parsed_a is not None:
        pd.testing.assert_frame_equal(parsed_a.frame.astype(object), parsed_b.frame.astype(object))


def test_a_regular_csv_is_read_in_bulk_and_an_irregular_one_row_by_row():
    regular = b"tanggal;kelurahan;rekam\n26/10/2013;Pajang;5\n26/10/2013;Sewu;6\n\n"
    assert read_table(regular).columns is not None and read_table(regular).n_rows == 2
    for irregular in (b"tanggal;kelurahan;rekam\n26/10/2013;Pajang;5\n\n26/10/2013;Sewu;6\n",   # blank line inside
                      b"tanggal;kelurahan;rekam\n26/10/2013;Pajang;5;\n",                      # trailing separator
                      b'tanggal;kelurahan;rekam\n26/10/2013;"Paj\nang";5\n',                   # line break in a cell
                      b"tanggal;kelurahan;rekam\n26/10/2013;Paj\xe1ng;5\n"):                    # not UTF-8
        table = read_table(irregular)
        assert table.columns is None and table.rows
    assert read_table(b"tanggal;kelurahan;rekam\n26/10/2013;Pajang;5\n\n26/10/2013;Sewu;6\n").row_numbers == [2, 4]


def test_a_line_of_separators_is_skipped_by_both_readers(fresh_db):
    # Found by the test above: beyond the first 12 lines, the bulk reader kept ";;;" as a record of empty cells.
    rows = [f"{day:02d}/10/2013;33.72.01.1001;{day}" for day in range(1, 16)]
    data = "\n".join(["tanggal;kode_kelurahan;rekam", *rows[:13], ";;", " ; ;\t", *rows[13:]]).encode()
    bulk, row_by_row = read_table(data), read_table(data, bulk=False)
    assert bulk.n_rows == row_by_row.n_rows == 15
    assert list(bulk.row_numbers) == list(row_by_row.row_numbers) == [*range(2, 15), 17, 18]
    result = upload.ingest(fresh_db, data, "h.csv", user="sri", role="admin", dry_run=True)
    assert result.accepted and result.rows == 15


def _daily_on(*days: dt.date, kelurahan: str = "Pajang") -> bytes:
    """A daily file by name (the validated way), one row per day."""
    return ("tanggal;kelurahan;rekam\n" + "".join(f"{d:%d/%m/%Y};{kelurahan};5\n" for d in days)).encode()


def test_a_mistyped_year_is_refused_naming_the_row_and_confirmed_moves_the_reference_day(demo_db, monkeypatch):
    monkeypatch.delenv("EKTP_TODAY", raising=False)
    data = (b"tanggal;kelurahan;rekam\n26/10/2013;Bumi;5\n01/06/2020;Pajang;5\n27/10/2013;Bumi;5\n"
            b"01/06/2020;Bumi;5\n")   # the first row with the latest date is baris 3
    snapshot = state(demo_db)
    refused = upload.ingest(demo_db, data, "tahun_salah.csv", user="sri", role="admin")
    assert not refused.direct and not refused.accepted and state(demo_db) == snapshot
    jump, = refused.problems
    assert (jump.code, jump.baris, jump.kolom, jump.implausible) == ("date_jump", 3, "tanggal", True)
    assert jump.params == {"tanggal": dt.date(2020, 6, 1), "hari": 2411, "terakhir": REPORT}
    assert metrics.reference_day(demo_db) == REPORT
    saved = upload.ingest(demo_db, data, "tahun_salah.csv", user="sri", role="admin", force=True)
    assert saved.committed and metrics.reference_day(demo_db) == dt.date(2020, 6, 1)


def test_the_jump_is_checked_for_xlsx_and_rekap_but_not_schedules_nor_a_first_file(demo_db, fresh_db, monkeypatch):
    import io

    import openpyxl

    monkeypatch.delenv("EKTP_TODAY", raising=False)
    book = openpyxl.Workbook()
    book.active.append(["tanggal", "kode_kelurahan", "rekam"])
    book.active.append([dt.datetime(2020, 6, 1), "33.72.01.1001", 5])
    out = io.BytesIO()
    book.save(out)
    rekap = b"tanggal;kelurahan;sudah_rekam;sudah_distribusi\n01/06/2020;Pajang;5.800;5.000\n"
    for data, name in ((out.getvalue(), "h.xlsx"), (rekap, "r.csv")):
        result = upload.ingest(demo_db, data, name, user="sri", role="admin", dry_run=True)
        assert [p.code for p in result.problems] == ["date_jump"] and not result.accepted, name
    jadwal = b"tanggal_mulai;tanggal_selesai;kelurahan;alat\n01/06/2020;03/06/2020;Pajang;2\n"
    assert upload.ingest(demo_db, jadwal, "j.csv", user="sri", role="admin").committed
    assert upload.ingest(fresh_db, _daily_on(dt.date(2020, 6, 1)), "h.csv", user="sri", role="admin").committed


def test_the_jump_allowed_is_ektp_max_jump_days(demo_db, monkeypatch):
    monkeypatch.delenv("EKTP_TODAY", raising=False)
    fortnight, one_more = REPORT + dt.timedelta(days=14), REPORT + dt.timedelta(days=15)
    assert upload.ingest(demo_db, _daily_on(fortnight), "a.csv", user="sri", role="admin", dry_run=True).accepted
    refused = upload.ingest(demo_db, _daily_on(fortnight, one_more), "b.csv", user="sri", role="admin", dry_run=True)
    assert [(p.code, p.baris, p.params["hari"]) for p in refused.problems] == [("date_jump", 3, 15)]
    monkeypatch.setenv("EKTP_MAX_JUMP_DAYS", "30")
    assert upload.ingest(demo_db, _daily_on(fortnight, one_more), "b.csv", user="sri", role="admin", dry_run=True).accepted


def test_with_ektp_today_set_the_jump_is_still_refused_without_saying_the_day_moves(demo_db, monkeypatch):
    # EKTP_TODAY pins the reference day: the date is still most likely a typo, but the day does not move.
    monkeypatch.setenv("EKTP_TODAY", "2013-10-25")
    refused = upload.ingest(demo_db, _daily_on(dt.date(2020, 6, 1)), "h.csv", user="sri", role="admin")
    assert [p.code for p in refused.problems] == ["date_jump_pinned"] and not refused.accepted
    assert "hari acuan" not in describe_problem(refused.problems[0])
    saved = upload.ingest(demo_db, _daily_on(dt.date(2020, 6, 1)), "h.csv", user="sri", role="admin", force=True)
    assert saved.committed and saved.change.as_of_after == REPORT
    assert not any("Hari acuan" in line for line in describe_change(saved.change))


def test_the_preview_says_when_the_reference_day_moves(demo_db, fresh_db, monkeypatch):
    monkeypatch.delenv("EKTP_TODAY", raising=False)
    next_day = upload.ingest(demo_db, upload_templates.example_path("harian").read_bytes(), "contoh.csv", user="s", role="admin",
                             dry_run=True)
    assert "Hari acuan berpindah dari 25 Oktober 2013 ke 28 Oktober 2013" in describe_change(next_day.change)
    assert "The reference day moves from 25 October 2013 to 28 October 2013" in describe_change(next_day.change, "en")
    same_day = upload.ingest(demo_db, b"tanggal;kelurahan;lokasi;rekam\n25/10/2013;Pajang;sekolah;3\n", "s.csv",
                             user="s", role="admin", dry_run=True)
    assert same_day.accepted and not any("Hari acuan" in line for line in describe_change(same_day.change))
    first = upload.ingest(fresh_db, DAILY, "d.csv", user="s", role="admin", dry_run=True)
    assert "Hari acuan menjadi 26 Oktober 2013 (data pertama)" in describe_change(first.change)
