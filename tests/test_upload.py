"""The direct way of an upload (DuckDB reads a plain daily file, no pandas) against the validated way:
the same file gives the same result either way, and the direct way is taken when it should be."""

import datetime as dt
import hashlib
import shutil
import subprocess
import sys

import pandas as pd
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from ektp_metrics import ingest, upload
from ektp_metrics.db import Database
from tests.conftest import ROOT

TODAY = dt.date(2013, 12, 31)


def _validated(db, data: bytes, **options) -> upload.IngestResult:
    """The validated way alone (what upload.ingest does when the direct way declines)."""
    base = dict(user="sri", dry_run=False, replace=False, force=False, sheet=None, progress=upload._no_progress,
                today=TODAY, may_set_targets=True, schedule_from=None, limit=200)
    result = upload.IngestResult(file_name="h.csv", sha256=hashlib.sha256(data).hexdigest(), dry_run=options.get("dry_run", False),
                                 forced=options.get("force", False))
    return ingest.validated(db, data, result, **(base | options))


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


NATIONAL = (b"tanggal;kode_kelurahan;lokasi;rekam;distribusi\n"
            b"26/10/2013;33.72.01.1001;kelurahan;85;12\n26/10/2013;33.72.01.1002;sekolah;40;\n"
            b"27/10/2013;3372011001;Kantor Kelurahan;-;7\n2013-10-28;33.72.02.1001;;0;0\n")


def test_a_plain_daily_file_goes_the_direct_way_and_writes_what_the_validated_way_writes(fresh_db, tmp_path):
    other = Database(shutil.copy(fresh_db.path, tmp_path / "b.duckdb"), create=False)
    direct = upload.ingest(fresh_db, NATIONAL, "h.csv", user="sri", today=TODAY)
    validated = _validated(other, NATIONAL)
    assert direct.direct and not validated.direct and direct.committed and validated.committed
    assert _outcome(direct) == _outcome(validated)
    assert direct.change.rekam_after == 125 and direct.change.kelurahan == 3
    rows = "SELECT baris, tanggal, kode_kelurahan, lokasi, rekam, distribusi FROM daily_counts ORDER BY baris"
    assert fresh_db.fetch_all(rows) == other.fetch_all(rows)
    assert fresh_db.fetch_all(rows)[2] == (4, dt.date(2013, 10, 27), "33.72.01.1001", "kelurahan", 0, 7)
    audit = "SELECT action, detail FROM audit_log WHERE action = 'unggah'"
    assert fresh_db.fetch_all(audit) == other.fetch_all(audit)
    other.close()


def test_what_the_direct_way_leaves_to_the_validated_way(fresh_db):
    def way(data: bytes) -> bool:
        return upload.ingest(fresh_db, data, "h.csv", user="sri", dry_run=True, today=TODAY).direct

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
        direct, validated = upload.ingest(a, data, "h.csv", user="sri", today=TODAY), _validated(b, data)
        assert direct.direct and not direct.accepted and direct.problems
        assert _outcome(direct) == _outcome(validated)
        a.close()
        b.close()


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


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
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
    direct = upload.ingest(fresh_db, data, "h.csv", user="sri", dry_run=True, today=TODAY)
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
    assert upload.ingest(fresh_db, data, "a.csv", user="sri", dry_run=True, today=TODAY).direct
    shared = data.replace(b"1002", b"1001")
    result = upload.ingest(fresh_db, shared, "b.csv", user="sri", dry_run=True, today=TODAY)
    assert not result.direct and _outcome(result) == _outcome(_validated(fresh_db, shared, dry_run=True))
