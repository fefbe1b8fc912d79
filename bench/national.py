"""National scale: ~83.000 kelurahan and 1.000.000 daily rows. Whole processes, measured in one run.

    python -m bench.national [--kelurahan 83000] [--rows 1000000] [--repeat 5] [--keep DIR] [--no-pages]

1. `import` (every check, one transaction) against DuckDB's own
   `CREATE TABLE … AS SELECT * FROM read_csv(…)` of the same file;
2. `summary --json --by kota` (every kabupaten/kota) against one GROUP BY over the imported table;
3. the dashboard pages (Ringkasan, Wilayah, Distribusi) over the imported database, as bench.pages.
Each command runs as its own process (interpreter start included for both sides); the ratio is ours /
bare DuckDB. Peak memory is each process's maximum resident set. Data are synthetic, from a fixed seed.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
SEED = 2013

# Runs a command in this interpreter and reports its own peak memory on stderr as the last line.
_MEASURE = """
import resource, runpy, sys
code = sys.argv[1]
sys.argv = sys.argv[1:]
try:
    if code == "-m":
        sys.argv = sys.argv[1:]
        runpy.run_module(sys.argv[0], run_name="__main__")
    else:
        exec(code)
except SystemExit as exc:
    status = exc.code
else:
    status = 0
print(f"MAXRSS_KB {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", file=sys.stderr)
sys.exit(status or 0)
"""


def region_list(n: int) -> pd.DataFrame:
    """34 provinces × 15 kota × 14 kecamatan × k kelurahan, cut at n, with wajib KTP 2.500–10.000."""
    rng = np.random.default_rng(SEED)
    per_kec = math.ceil(n / (34 * 15 * 14))
    idx = np.arange(34 * 15 * 14 * per_kec)[:n]
    prov, rest = idx // (15 * 14 * per_kec) + 11, idx % (15 * 14 * per_kec)
    kota, rest = rest // (14 * per_kec) + 1, rest % (14 * per_kec)
    kec, kel = rest // per_kec + 1, rest % per_kec + 1001
    p = pd.Series(prov).map("{:02d}".format)
    k = p + "." + pd.Series(kota).map("{:02d}".format)
    c = k + "." + pd.Series(kec).map("{:02d}".format)
    code = c + "." + pd.Series(kel).map("{:04d}".format)
    return pd.DataFrame({"kode_kelurahan": code, "kelurahan": "Desa " + code, "kode_kecamatan": c,
                         "kecamatan": "Kecamatan " + c, "kota": "Kota " + k, "provinsi": "Provinsi " + p,
                         "wajib_ktp": rng.integers(2500, 10001, len(code))})


def daily_rows(regions: pd.DataFrame, rows: int) -> pd.DataFrame:
    """`rows` daily counts: each kelurahan on distinct days of 2013 (no duplicate key), rekam ≤ 180.
    83.000 kelurahan get 12–13 days each; 2.740 kelurahan a whole year each (a kabupaten's year of reports)."""
    rng = np.random.default_rng(SEED + 1)
    n = len(regions)
    i = np.arange(rows)
    kel = i % n
    per_kelurahan = math.ceil(rows / n)
    if per_kelurahan > 365:
        raise ValueError(f"{per_kelurahan} days per kelurahan do not fit in 2013: more kelurahan or fewer rows")
    step = 365 // per_kelurahan
    day = (i // n) * step + kel % step                # distinct per kelurahan, within 2013
    dates = pd.Timestamp("2013-01-01") + pd.to_timedelta(day, unit="D")
    # counts a year of which stays under the smallest wajib KTP (2.500): 20–180 a day for 12 days, 3–6 for 365
    high = min(181, 2500 // per_kelurahan)
    rekam = rng.integers(min(20, high // 2), high, rows)
    return pd.DataFrame({"tanggal": dates.strftime("%d/%m/%Y"), "kode_kelurahan": regions["kode_kelurahan"].to_numpy()[kel],
                         "lokasi": "kelurahan", "rekam": rekam,
                         "distribusi": rng.integers(0, min(21, high // 5 + 1), rows)})


def run(label: str, args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(seconds, peak MB) of one process; fails loudly if it fails."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _MEASURE, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{label} failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    peak = next(int(line.split()[1]) for line in reversed(done.stderr.splitlines()) if line.startswith("MAXRSS_KB"))
    return seconds, peak / 1024


def report(label: str, runs: dict[str, list[tuple[float, float]]]) -> None:
    """Medians of each side, the ratio of the medians and each run's ratio (runs alternate bare, ours)."""
    median = statistics.median
    t_ours, m_ours = median([t for t, _ in runs["ours"]]), median([m for _, m in runs["ours"]])
    t_bare, m_bare = median([t for t, _ in runs["bare"]]), median([m for _, m in runs["bare"]])
    each = ", ".join(f"{o / b:.2f}" for (o, _), (b, _) in zip(runs["ours"], runs["bare"]))
    print(f"{label}: ours {t_ours:6.2f} s {m_ours:6.0f} MB | bare DuckDB {t_bare:6.2f} s {m_bare:6.0f} MB | "
          f"ratio {t_ours / t_bare:.2f}× time, {m_ours / m_bare:.2f}× memory (medians of {len(runs['ours'])}; "
          f"each run {each}×)", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kelurahan", type=int, default=83_000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each process, alternating (medians)")
    parser.add_argument("--keep", type=Path, default=None, help="keep the generated files in this folder")
    parser.add_argument("--no-pages", dest="pages", action="store_false",
                        help="skip timing the dashboard pages over the national database")
    args = parser.parse_args(argv)
    folder = Path(args.keep or tempfile.mkdtemp(prefix="ektp_national_"))
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "EKTP_MAX_ROWS": str(max(args.rows, 1_000_000)), "EKTP_MAX_UPLOAD_MB": "500",
           "EKTP_TODAY": "2013-12-31", "PYTHONPATH": str(ROOT)}
    # Both sides start from compiled bytecode: DuckDB's modules were compiled when pip installed them; ours are
    # compiled here (a machine with PYTHONDONTWRITEBYTECODE, like CI's, would otherwise compile them in every
    # measured process).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "ektp_metrics")], check=True)
    try:
        regions = region_list(args.kelurahan)
        regions_csv, daily_csv = folder / "wilayah_nasional.csv", folder / "harian_nasional.csv"
        regions.to_csv(regions_csv, index=False)
        daily_rows(regions, args.rows).to_csv(daily_csv, sep=";", index=False)
        print(f"{len(regions):,} kelurahan, {args.rows:,} daily rows ({daily_csv.stat().st_size / 1e6:.0f} MB CSV)")

        empty = folder / "kosong.duckdb"
        empty.unlink(missing_ok=True)   # a kept folder's list from an earlier run
        t, m = run("regions", ["-m", "ektp_metrics", "regions", str(regions_csv), "--db", str(empty),
                               "--berlaku", "2013-01-01"], env)
        print(f"regions (load the list): {t:.1f} s, {m:.0f} MB")

        # Each side runs `--repeat` times, alternating (the machine's speed drifts); the ratio is of the medians.
        bare_db, ours_db = folder / "bare.duckdb", folder / "ours.duckdb"
        bare = f"import duckdb; duckdb.connect({str(bare_db)!r}).execute(\"CREATE TABLE t AS SELECT * FROM read_csv({str(daily_csv)!r})\")"
        imports: dict[str, list[tuple[float, float]]] = {"ours": [], "bare": []}
        for _ in range(args.repeat):
            for path in (bare_db, ours_db):
                path.unlink(missing_ok=True)
            shutil.copy(empty, ours_db)
            imports["bare"].append(run("bare import", [bare], env))
            imports["ours"].append(run("import", ["-m", "ektp_metrics", "import", str(daily_csv), "--db", str(ours_db),
                                                  "--user", "bench"], env))
        report("import ", imports)

        group = (f"import duckdb; c = duckdb.connect({str(ours_db)!r}, read_only=True); "
                 "c.execute('SELECT kode_kelurahan, sum(rekam), sum(distribusi) FROM daily_counts GROUP BY ALL').fetchall()")
        summaries: dict[str, list[tuple[float, float]]] = {"ours": [], "bare": []}
        for _ in range(args.repeat):
            summaries["bare"].append(run("bare group by", [group], env))
            summaries["ours"].append(run("summary", ["-m", "ektp_metrics", "summary", "--db", str(ours_db), "--json",
                                                     "--by", "kota"], env))
        report("summary", summaries)
        if args.pages:
            print("dashboard pages over this database (AppTest, as bench.pages):", flush=True)
            subprocess.run([sys.executable, "-m", "bench.pages", "--db", str(ours_db), "--runs", "3",
                            "--pages", "ringkasan.py", "wilayah.py", "distribusi.py"], cwd=ROOT, env=env, check=True)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
