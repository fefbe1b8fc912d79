"""The direct way of an upload (DuckDB reads a plain daily file, no pandas) against the validated way:
the same file gives the same result either way, and the direct way is taken when it should be."""

import datetime as dt
import hashlib
import shutil
import subprocess
import sys

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from ektp_metrics import metrics, upload, upload_templates
from ektp_metrics.bootstrap import init_database
from ektp_metrics.db import Database
from ektp_metrics.upload import direct as direct_way
from ektp_metrics.upload import validate
from tests.conftest import ROOT

TODAY = dt.date(2013, 12, 31)


def _validated(db, data: bytes, **options) -> upload.IngestResult:
    """The validated way alone (what upload.ingest does when the direct way declines)."""
    base = dict(user="sri", dry_run=False, replace=False, force=False, sheet=None, progress=upload.no_progress,
                today=TODAY, may_set_targets=True, schedule_from=None, limit=200)
    result = upload.IngestResult(file_name="h.csv", sha256=hashlib.sha256(data).hexdigest(),
                                 dry_run=options.get("dry_run", False), forced=options.get("force", False))
    result = validate.validated(db, data, result, **(base | options))
    result.problems.sort(key=lambda p: p.implausible)   # as upload.ingest orders them
    return result


def _outcome(result: upload.IngestResult) -> dict:
    """Everything a user is told of an upload, the preview's values included."""
    preview = result.preview
    if preview is not None:
        preview = preview.assign(tanggal=pd.to_datetime(preview["tanggal"]).dt.date)
        preview = [[None if pd.isna(v) else (int(v) if isinstance(v, float) else v) for v in row]
                   for row in preview.astype(object).itertuples(index=False)]
    return {"kind": result.kind, "rows": result.rows, "accepted": result.accepted, "committed": result.committed,
            "problems": [(p.code, p.baris, p.kolom, p.params, p.implausible) for p in result.problems],
            "ignored": result.ignored_columns, "change": result.change, "preview": preview,
            "read": (result.format, result.encoding, result.delimiter)}


_CODES = [f"33.72.01.100{i}" for i in range(1, 7)]


@pytest.fixture(scope="module")
def empty_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("kosong") / "kosong.duckdb"
    init_database(path).close()
    return path


NATIONAL = (b"tanggal;kode_kelurahan;lokasi;rekam;distribusi\n"
            b"26/10/2013;33.72.01.1001;kelurahan;85;12\n26/10/2013;33.72.01.1002;sekolah;40;\n"
            b"27/10/2013;3372011001;Kantor Kelurahan;-;7\n2013-10-28;33.72.02.1001;;0;0\n")


def test_a_plain_daily_file_goes_the_direct_way_and_writes_what_the_validated_way_writes(empty_template, tmp_path):
    fresh_db = Database(shutil.copy(empty_template, tmp_path / "a.duckdb"), create=False)
    other = Database(shutil.copy(empty_template, tmp_path / "b.duckdb"), create=False)
    direct = upload.ingest(fresh_db, NATIONAL, "h.csv", user="sri", role="admin", today=TODAY)
    validated = _validated(other, NATIONAL)
    assert direct.direct and not validated.direct and direct.committed and validated.committed
    assert _outcome(direct) == _outcome(validated)
    assert direct.change.rekam_after == 125 and direct.change.kelurahan == 3
    rows = "SELECT baris, tanggal, kode_kelurahan, lokasi, rekam, distribusi FROM daily_counts ORDER BY baris"
    assert fresh_db.fetch_all(rows) == other.fetch_all(rows)
    assert fresh_db.fetch_all(rows)[2] == (4, dt.date(2013, 10, 27), "33.72.01.1001", "kelurahan", 0, 7)
    audit = "SELECT action, detail FROM audit_log WHERE action = 'unggah'"
    assert fresh_db.fetch_all(audit) == other.fetch_all(audit)
    fresh_db.close()
    other.close()


def test_what_the_direct_way_leaves_to_the_validated_way(fresh_db):
    def way(data: bytes) -> bool:
        return upload.ingest(fresh_db, data, "h.csv", user="sri", role="admin", dry_run=True, today=TODAY).direct

    assert way(NATIONAL)
    assert way(b"\xef\xbb\xbf" + NATIONAL.replace(b"\n", b"\r\n"))                 # Excel's UTF-8 CSV
    assert way(NATIONAL.replace(b";", b","))
    assert not way(NATIONAL.replace(b"kode_kelurahan", b"kelurahan").replace(b"33.72.01.1001", b"Pajang"))
    assert not way(NATIONAL.replace(b"26/10/2013;33.72.01.1002", b"26 Oktober 2013;33.72.01.1002"))
    assert not way(NATIONAL.replace(b";85;", b";1.050;"))                           # thousands: validated
    assert not way(NATIONAL + b"26/10/2013;33.72.01.1001;kelurahan;1;1\n")         # a duplicate: named there
    assert not way(NATIONAL.replace(b"\n27/10", b"\n\n27/10"))                      # a blank line
    assert not way(NATIONAL + b"28/10/2013;33.72.02.1002;kelurahan;1;1;9\n")       # a ragged row
    assert not way(NATIONAL.replace(b"sekolah", b"sekol\xe9h"))                     # not UTF-8
    assert not way(NATIONAL.replace(b"tanggal;", b"tanggal;rekap_kumulatif;").replace(b"\n2", b"\n1;2"))
    assert not way(NATIONAL.replace(b"27/10/2013", b"27/10/2099"))                # a future date
    assert not way(NATIONAL.replace(b"2013-10-28", b"2010-10-28"))                 # before the programme
    assert not way(NATIONAL.replace(b";85;", b";501;"))                             # above the daily maximum
    assert not way(NATIONAL.replace(b"3372011001", "3372011001\u0663".encode()))    # a digit not 0-9
    assert not way(b"tanggal;kode_kelurahan;kelurahan;rekam\n26/10/2013;33.72.01.1001;Jajar;5\n")  # code and name
    rows = [f"{day:02d}/10/2013;33.72.01.1001;kelurahan;1;1" for day in range(1, 16)]
    lines = "\n".join(["tanggal;kode_kelurahan;lokasi;rekam;distribusi", *rows[:13], "", *rows[13:]]).encode()
    assert way(lines.replace(b"\n\n", b"\n")) and not way(lines)                # a blank line after the first 12


def test_the_direct_way_refuses_in_the_database_as_the_validated_way_does(demo_path, tmp_path):
    # Rows the demo already has (overlap), then cards beyond recordings (after-upload check).
    overlap = b"tanggal;kode_kelurahan;lokasi;rekam\n25/10/2013;33.72.01.1003;sekolah;10\n"
    too_many = b"tanggal;kode_kelurahan;distribusi\n26/10/2013;33.72.01.1001;400\n27/10/2013;33.72.01.1001;400\n"
    for data in (overlap, too_many):
        a = Database(shutil.copy(demo_path, tmp_path / "a.duckdb"), create=False)
        b = Database(shutil.copy(demo_path, tmp_path / "b.duckdb"), create=False)
        direct, validated = upload.ingest(a, data, "h.csv", user="sri", role="admin", today=TODAY), _validated(b, data)
        assert direct.direct and not direct.accepted and direct.problems
        assert _outcome(direct) == _outcome(validated)
        a.close()
        b.close()


def test_a_correction_the_direct_way_supersedes_what_the_validated_way_does(demo_path, tmp_path):
    """The direct way writes its rows before it looks for overlaps: it must supersede the earlier rows, never
    its own, and leave the database as the validated way does."""
    data = (b"tanggal;kode_kelurahan;lokasi;rekam\n25/10/2013;33.72.01.1003;sekolah;10\n"
            b"25/10/2013;33.72.01.1003;kelurahan;4\n")
    states = []
    for name in ("direct", "validated"):
        with Database(shutil.copy(demo_path, tmp_path / f"{name}.duckdb"), create=False) as db:
            result = (upload.ingest(db, data, "h.csv", user="sri", role="admin", today=TODAY, replace=True) if name == "direct"
                      else _validated(db, data, replace=True))
            assert result.committed and result.superseded == 1 and result.direct == (name == "direct")
            own = db.fetch_all("SELECT count(*), count(superseded_by) FROM daily_counts WHERE batch_id = ?",
                               [result.batch_id])
            assert own == [(2, 0)]
            rows = db.fetch_all("""SELECT batch_id, baris, tanggal, kode_kelurahan, lokasi, rekam, distribusi,
                                          superseded_by FROM daily_counts ORDER BY ALL""")
            states.append((_outcome(result), rows, db.fetch_all("SELECT id, kind, rows, note, status FROM batches ORDER BY id")))
    assert states[0] == states[1]


_CELLS = {
    "tanggal": ["26/10/2013", "2013-10-26", "1/11/2013", "26-10-2013", "2013-10-26 00:00", "Sabtu, 26/10/2013",
                "31/02/2013", "26/10/2099", "", "2010-12-31", " 27/10/2013 ", "２６/10/2013"],
    "kode_kelurahan": ["33.72.01.1001", "3372011002", " 33.72.02.1001", "33 72 05 1001", "", "99.99", "abc",
                       "Pajang", "33.72.01.1001.", "٣٣.72.01.1001"],
    "lokasi": ["kelurahan", "Sekolah", "Kantor Kecamatan", "", "pasar", "rumah", "safari"],
    "rekam": ["85", "0", "007", "-", "", "1.050", "-3", "2,5", "abc", "500", "501", "+4"],
    "distribusi": ["0", "3", "", "12", "1.000.000", "x"],
    "keterangan": ["", "baik"],
}


@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(columns=st.lists(st.sampled_from(sorted(_CELLS)), min_size=2, max_size=6, unique=True),
       rows=st.integers(1, 12), seed=st.randoms(use_true_random=False), separator=st.sampled_from([";", ","]),
       plain=st.booleans())
@example(columns=["tanggal", "kode_kelurahan", "rekam"], rows=3, seed=__import__("random").Random(1),
         separator=";", plain=True)
def test_both_ways_give_the_same_result(fresh_db, columns, rows, seed, separator, plain):
    """Whatever the file, upload.ingest (direct when it can) and the validated way alone tell the same.
    `plain` draws a daily file by code with mostly the first, plain cells, so that the direct way is often
    taken (about a fifth of the examples, most of them written)."""
    def cell(column: str) -> str:
        cells = _CELLS[column]
        return seed.choice(cells[:3] if plain and seed.random() < 0.995 else cells)

    if plain:   # a daily file by code, the columns in any order
        columns = sorted({"tanggal", "kode_kelurahan", seed.choice(["rekam", "distribusi"]), *columns})
        seed.shuffle(columns)
    lines = [separator.join(columns)] + [separator.join(cell(c) for c in columns) for _ in range(rows)]
    data = ("\n".join(lines) + "\n").encode()
    direct = upload.ingest(fresh_db, data, "h.csv", user="sri", role="admin", dry_run=True, today=TODAY)
    assert _outcome(direct) == _outcome(_validated(fresh_db, data, dry_run=True))


def test_import_of_a_plain_file_runs_without_pandas(fresh_db, tmp_path):
    path = tmp_path / "harian.csv"
    path.write_bytes(NATIONAL)
    fresh_db.close()
    probe = ("import sys, runpy; sys.argv = ['ektp_metrics', *sys.argv[1:]]\n"
             "try:\n    runpy.run_module('ektp_metrics', run_name='__main__')\n"
             "except SystemExit as exc:\n    print('exit', exc.code, 'pandas' in sys.modules, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", probe, "import", str(path), "--db", str(fresh_db.path), "--user", "sri"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.stderr.splitlines()[-1] == "exit 0 False", done.stderr
    assert "Disimpan sebagai batch" in done.stdout and "+125 rekam" in done.stdout


def test_a_code_whose_digits_two_regions_share_goes_the_validated_way(fresh_db):
    with fresh_db.transaction() as cur:   # a list with one code written twice (with and without dots)
        cur.execute("""INSERT INTO regions (kode, nama, tingkat, induk)
                       SELECT '3372011001', 'Pajang Lama', 'kelurahan', induk FROM regions WHERE kode = '33.72.01.1001'""")
    data = b"tanggal;kode_kelurahan;rekam\n26/10/2013;33.72.01.1002;5\n"
    assert upload.ingest(fresh_db, data, "a.csv", user="sri", role="admin", dry_run=True, today=TODAY).direct
    shared = data.replace(b"1002", b"1001")
    result = upload.ingest(fresh_db, shared, "b.csv", user="sri", role="admin", dry_run=True, today=TODAY)
    assert not result.direct and _outcome(result) == _outcome(_validated(fresh_db, shared, dry_run=True))


@hsettings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(snapshot=st.sets(st.sampled_from(_CODES[:4]), max_size=3),
       rows=st.lists(st.tuples(st.sampled_from(_CODES), st.integers(1, 9), st.integers(0, 60), st.integers(0, 60)),
                     min_size=1, max_size=10, unique_by=lambda r: r[:2]),
       direct=st.booleans())
@example(snapshot={"33.72.01.1001"}, rows=[("33.72.01.1001", 3, 5, 1), ("33.72.01.1005", 3, 7, 2)], direct=True)
def test_what_an_upload_changes_is_the_city_before_and_after(empty_template, tmp_path, snapshot, rows, direct):
    """Change's figures against metrics.city_summary, for kelurahan with and without a snapshot: the figures
    after the upload come partly from the after-upload check's own pass (upload.write._city(known=True))."""
    path = tmp_path / f"{len(list(tmp_path.iterdir()))}.duckdb"
    shutil.copy(empty_template, path)
    with Database(path, create=False) as db:
        if snapshot:
            rekap = "tanggal;kode_kelurahan;sudah_rekam;sudah_distribusi\n" + "".join(
                f"01/10/2013;{code};100;40\n" for code in sorted(snapshot))
            assert upload.ingest(db, rekap.encode(), "r.csv", user="sri", role="admin", today=TODAY).committed
        before = metrics.reference_day(db)
        city_before = metrics.city_summary(db, before) if before else None
        daily = "tanggal;kode_kelurahan;rekam;distribusi\n" + "".join(
            f"{day + 1:02d}/10/2013;{code};{r};{d}\n" for code, day, r, d in rows)
        data = daily.encode()
        result = (upload.ingest(db, data, "h.csv", user="sri", role="admin", force=True, today=TODAY) if direct
                  else _validated(db, data, force=True))
        if not result.committed:      # cards beyond recordings somewhere: refused, nothing to compare
            assert {p.code for p in result.errors} == {"cumulative_distribusi_above_rekam"}
            return
        change, after = result.change, metrics.city_summary(db, result.change.as_of_after)
        assert (change.rekam_after, change.distribusi_after, change.persen_after) == (
            after.sudah_rekam, after.sudah_distribusi, after.persen_rekam)
        assert (change.rekam_before, change.distribusi_before, change.persen_before) == (
            (city_before.sudah_rekam, city_before.sudah_distribusi, city_before.persen_rekam) if city_before
            else (0, 0, None))


def test_a_large_file_is_fingerprinted_while_it_is_read_and_refused_the_second_time(fresh_db):
    """Above 1 MB the SHA-256 is computed in a thread (upload._Digest) while the direct way reads the file."""
    codes = [row[0] for row in fresh_db.fetch_all("SELECT kode FROM regions WHERE tingkat = 'kelurahan' ORDER BY 1")]
    days = [dt.date(2011, 1, 1) + dt.timedelta(days=i) for i in range(800)]
    data = ("tanggal;kode_kelurahan;rekam\n" + "".join(
        f"{day:%d/%m/%Y};{code};1\n" for day in days for code in codes)).encode()
    assert len(data) > 1 << 20
    first = upload.ingest(fresh_db, data, "besar.csv", user="sri", role="admin", today=TODAY)
    assert first.direct and first.committed and first.sha256 == hashlib.sha256(data).hexdigest()
    assert fresh_db.fetch_one("SELECT sha256 FROM batches WHERE id = ?", [first.batch_id])[0] == first.sha256
    again = upload.ingest(fresh_db, data, "lagi.csv", user="sri", role="admin", today=TODAY)
    assert not again.accepted and [p.code for p in again.problems] == ["duplicate_file"]
    failing = upload._Digest(memoryview(b"x" * (4 << 20))[::2])   # the thread's error reaches the caller
    with pytest.raises(BufferError):
        failing.hexdigest()


def test_without_room_for_the_copy_the_validated_way_takes_the_file(fresh_db, monkeypatch):
    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(direct_way.tempfile, "TemporaryDirectory", full_disk)
    result = upload.ingest(fresh_db, NATIONAL, "h.csv", user="sri", role="admin", today=TODAY)
    assert result.committed and not result.direct and result.change.rekam_after == 125


JUMP = b"tanggal;kode_kelurahan;rekam\n01/06/2020;33.72.01.1001;5\n"   # a mistyped year (issue 17)
LATER = dt.date(2020, 12, 31)   # the ingest's clock: 2020 is not in the future


def test_a_date_far_after_the_data_is_refused_unless_confirmed_alike_both_ways(demo_path, tmp_path, monkeypatch):
    """upload.write_batch checks it once for both ways: the same problem, the same confirmed change."""
    from ektp_metrics.i18n import describe_change, describe_problem

    monkeypatch.delenv("EKTP_TODAY", raising=False)
    outcomes = []
    for name in ("direct", "validated"):
        with Database(shutil.copy(demo_path, tmp_path / f"{name}.duckdb"), create=False) as db:
            def run(name=name, **options):
                return (upload.ingest(db, JUMP, "h.csv", user="sri", role="admin", today=LATER, **options) if name == "direct"
                        else _validated(db, JUMP, today=LATER, **options))

            refused = run()
            assert refused.direct == (name == "direct") and not refused.accepted and refused.change is None
            assert [(p.code, p.baris, p.kolom, p.implausible) for p in refused.problems] == [
                ("date_jump", 2, "tanggal", True)]
            assert describe_problem(refused.problems[0]) == (
                "Baris 2, kolom tanggal: Tanggal terakhir berkas ini 1 Juni 2020, 2.411 hari sesudah data terakhir "
                "(25 Oktober 2013): hari acuan seluruh aplikasi akan pindah ke sana. Periksa tahunnya.")
            assert describe_problem(refused.problems[0], advice=True).endswith(   # the page, where the box helps
                "Periksa tahunnya. Bila benar, centang konfirmasi.")
            assert "1 June 2020, 2,411 days after the latest data (25 October 2013)" in describe_problem(
                refused.problems[0], "en")
            assert metrics.reference_day(db) == dt.date(2013, 10, 25)
            forced = run(force=True)
            assert forced.committed and forced.direct == (name == "direct")
            assert metrics.reference_day(db) == dt.date(2020, 6, 1)
            assert (forced.change.as_of_before, forced.change.as_of_after) == (dt.date(2013, 10, 25), dt.date(2020, 6, 1))
            assert "Hari acuan berpindah dari 25 Oktober 2013 ke 1 Juni 2020" in describe_change(forced.change)
            assert "nilai tidak wajar dikonfirmasi" in db.fetch_one(
                "SELECT detail FROM audit_log WHERE action = 'unggah' ORDER BY id DESC LIMIT 1")[0]
            outcomes.append((_outcome(refused), _outcome(forced)))
    assert outcomes[0] == outcomes[1]


def _lowering_rekap(db) -> bytes:
    """An operator's rekap of 26/10/2013 that lowers Pajang's cumulative recorded count by 50 (issue 21)."""
    pajang = metrics.kelurahan_frame(db, dt.date(2013, 10, 25)).set_index("kode").loc["33.72.01.1001"]
    return (f"tanggal;kode_kelurahan;sudah_rekam;sudah_distribusi\n"
            f"26/10/2013;33.72.01.1001;{pajang.sudah_rekam - 50};{pajang.sudah_distribusi}\n").encode()


def test_the_dry_run_previews_the_findings_kualitas_would_add(demo_path):
    from ektp_metrics import quality
    from ektp_metrics.db import Database
    from ektp_metrics.i18n import describe_finding

    with Database(demo_path, create=False) as db:
        before = {rule: len(frame) for rule, frame in quality.findings(db).items()}
        data = _lowering_rekap(db)
        preview = upload.ingest(db, data, "rekap.csv", user="op", role="operator", dry_run=True)
        assert preview.accepted and [(f.rule, f.kelurahan, f.ukuran, f.baris) for f in preview.findings] == [
            ("kumulatif_turun", "Pajang", "sudah_rekam", 2)]
        message = describe_finding(preview.findings[0])
        assert message.startswith("Kumulatif turun: kelurahan Pajang per 26 Oktober 2013 sudah rekam ")
        assert {rule: len(frame) for rule, frame in quality.findings(db).items()} == before   # rolled back
        saved = upload.ingest(db, data, "rekap.csv", user="op", role="operator")
        assert saved.committed and saved.findings == []     # a save does not compute them
        found = quality.findings(db)["kumulatif_turun"]       # what Kualitas now reports: the same row
        assert list(zip(found["kelurahan"], found["baris"], strict=True)) == [("Pajang", 2)]
        again = upload.ingest(db, upload_templates.example_path("harian").read_bytes(), "h.csv", user="op",
                              role="operator", dry_run=True)
        assert again.accepted and again.findings == []        # a finding already reported is not new


def test_the_dry_run_previews_a_kecamatan_office_over_capacity(demo_db):
    from ektp_metrics.i18n import describe_finding

    data = b"tanggal;kode_kelurahan;lokasi;rekam\n26/10/2013;33.72.01.1001;kecamatan;30\n"   # office: 25 a day
    preview = upload.ingest(demo_db, data, "h.csv", user="op", role="operator", dry_run=True)
    assert preview.accepted and [(f.rule, f.nilai, f.batas, f.baris) for f in preview.findings] == [
        ("harian_tidak_wajar", 30, 25, 2)]
    assert describe_finding(preview.findings[0]) == (
        "Di atas kapasitas: Kantor Kec. Laweyan pada 26 Oktober 2013: 30 dalam sehari, batasnya 25.")
