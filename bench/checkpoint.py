"""The cost of "confirmed means in the file": the CHECKPOINT after every commit, per upload (issue 17).

    python -m bench.checkpoint [--repeat 7] [--no-national] [--kelurahan 83000] [--rows 1000000]

Solo: the demo database (51 kelurahan, 332 days), one evening's daily report appended (51 rows, one per
kelurahan). National: bench.national's database (83.000 kelurahan, 1.000.000 daily rows), one national day
appended (83.000 rows). Each upload runs in process through upload.ingest on a fresh copy of the database,
alternately as the app does it (commit, then CHECKPOINT into the file) and with the checkpoint switched off
(the change stays in the WAL, as before issue 17); the checkpoint's cost is the difference of the medians.
Bare DuckDB on the same file and rows: the rows inserted by plain SQL, then CHECKPOINT, timed separately.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

import duckdb
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent


def day_file(codes: list[str], day: str, path: Path) -> Path:
    frame = pd.DataFrame({"tanggal": day, "kode_kelurahan": codes, "lokasi": "kelurahan", "rekam": 7, "distribusi": 3})
    frame.to_csv(path, sep=";", index=False)
    return path


def ours(db_path: Path, work: Path, upload: Path, checkpoint: bool) -> float:
    """Seconds of one upload through upload.ingest on a fresh copy (with or without the checkpoint)."""
    import datetime as dt

    from ektp_metrics import upload as uploads
    from ektp_metrics.db import Database

    copy = work / "salinan.duckdb"
    shutil.copyfile(db_path, copy)
    Path(str(copy) + ".wal").unlink(missing_ok=True)
    data = upload.read_bytes()
    # Without the checkpoint: Database._checkpoint does nothing for this upload, restored afterwards.
    skipped = contextlib.nullcontext() if checkpoint else mock.patch.object(Database, "_checkpoint", lambda self: None)
    with skipped:
        db = Database(copy, create=False)
        start = time.perf_counter()
        result = uploads.ingest(db, data, upload.name, user="bench", role="admin", today=dt.date(2014, 12, 31))
        seconds = time.perf_counter() - start
        if not result.committed:
            raise RuntimeError(f"upload refused: {result.problems[:3]}")
        wal = Path(str(copy) + ".wal")
        in_wal = wal.exists() and wal.stat().st_size > 0
        if checkpoint == in_wal:
            raise RuntimeError(f"checkpoint={checkpoint} but WAL {'non-empty' if in_wal else 'empty'}")
        db.close()
    return seconds


def bare(db_path: Path, work: Path, upload: Path) -> tuple[float, float]:
    """(insert, checkpoint) seconds of plain DuckDB putting the same rows into a copy of the same file."""
    copy = work / "polos.duckdb"
    shutil.copyfile(db_path, copy)
    Path(str(copy) + ".wal").unlink(missing_ok=True)
    con = duckdb.connect(str(copy))
    start = time.perf_counter()
    con.execute("""INSERT INTO daily_counts (batch_id, baris, tanggal, kode_kelurahan, lokasi, rekam, distribusi)
                   SELECT 999999, row_number() OVER () + 1, strptime(tanggal, '%d/%m/%Y')::DATE, kode_kelurahan,
                          lokasi, rekam, distribusi
                   FROM read_csv(?, delim = ';', header = true, all_varchar = false, types = {'tanggal': 'VARCHAR'})""",
                [str(upload)])
    inserted = time.perf_counter()
    con.execute("CHECKPOINT")
    done = time.perf_counter()
    con.close()
    return inserted - start, done - inserted


def measure(label: str, db_path: Path, upload: Path, repeat: int, work: Path) -> None:
    runs: dict[str, list[float]] = {"with": [], "without": [], "bare_insert": [], "bare_checkpoint": []}
    for _ in range(repeat):   # alternating: the machine's speed drifts
        runs["without"].append(ours(db_path, work, upload, checkpoint=False))
        runs["with"].append(ours(db_path, work, upload, checkpoint=True))
        insert, checkpoint = bare(db_path, work, upload)
        runs["bare_insert"].append(insert)
        runs["bare_checkpoint"].append(checkpoint)
    m = {k: statistics.median(v) for k, v in runs.items()}
    cost = m["with"] - m["without"]
    each = ", ".join(f"{w / o:.2f}" for w, o in zip(runs["with"], runs["without"]))
    print(f"{label}: upload {m['without'] * 1000:7.1f} ms without the checkpoint, {m['with'] * 1000:7.1f} ms with it: "
          f"+{cost * 1000:.1f} ms per upload ({m['with'] / m['without']:.2f}×; each run {each}×) | bare DuckDB, same "
          f"rows and file: insert {m['bare_insert'] * 1000:.1f} ms, CHECKPOINT {m['bare_checkpoint'] * 1000:.1f} ms "
          f"(ours / bare checkpoint {cost / m['bare_checkpoint']:.2f}×) (medians of {repeat})", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--no-national", dest="national", action="store_false")
    parser.add_argument("--kelurahan", type=int, default=83_000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    os.environ.setdefault("EKTP_MAX_UPLOAD_MB", "500")
    os.environ.setdefault("EKTP_MAX_ROWS", str(max(args.rows, 1_000_000)))
    work = Path(tempfile.mkdtemp(prefix="ektp_checkpoint_"))
    try:
        from ektp_metrics.bootstrap import init_database
        from ektp_metrics.regions import read_region_list

        solo = work / "solo.duckdb"
        init_database(solo, with_demo=True).close()
        codes = read_region_list()["kode_kelurahan"].tolist()
        measure("Solo, an evening's report (51 rows) onto the demo", solo,
                day_file(codes, "28/10/2013", work / "harian_solo.csv"), args.repeat, work)
        if args.national:
            from bench import national

            regions = national.region_list(args.kelurahan)
            regions_csv, daily_csv = work / "wilayah.csv", work / "harian.csv"
            regions.to_csv(regions_csv, index=False)
            national.daily_rows(regions, args.rows).to_csv(daily_csv, sep=";", index=False)
            big = work / "nasional.duckdb"
            env = {**os.environ, "EKTP_TODAY": "2013-12-31", "PYTHONPATH": str(ROOT)}
            for command in (["regions", str(regions_csv), "--db", str(big), "--berlaku", "2013-01-01"],
                            ["import", str(daily_csv), "--db", str(big), "--user", "bench"]):
                subprocess.run([sys.executable, "-m", "ektp_metrics", *command], cwd=ROOT, env=env, check=True,
                               capture_output=True)
            measure(f"National, a day ({len(regions):,} rows) onto {args.rows:,}", big,
                    day_file(regions["kode_kelurahan"].tolist(), "01/01/2014", work / "harian_nasional_hari.csv"),
                    max(3, args.repeat // 2), work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
