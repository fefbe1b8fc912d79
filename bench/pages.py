"""Script time of each dashboard page at Solo scale, as a ratio to an empty Streamlit page.

    python -m bench.pages [--runs N] [--db PATH] [--pages ringkasan.py ...]      (or: make bench)

Every page runs through the same harness (streamlit.testing.v1.AppTest, the page inside app.py's frame)
against a fresh demo database (51 kelurahan, 332 days of history). "cold" clears Streamlit's query cache
before each run (the first visit after an upload); "warm" reuses it (the next visitors, within the TTL).
The ratio is what to watch: it does not depend on the machine the way seconds do. --db measures the pages
over another database instead (bench/national.py passes its national one, EKTP_TODAY set by the caller).
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("ringkasan.py", "wilayah.py", "distribusi.py", "keliling.py")


def _harness(page_module: str, cold: bool) -> None:
    import importlib

    import streamlit as st

    if cold:
        st.cache_data.clear()
    importlib.import_module(page_module).render()   # the page as app.py runs it


def measure(page_module: str, runs: int, cold: bool) -> list[float]:
    from streamlit.testing.v1 import AppTest

    times = []
    at = AppTest.from_function(_harness, args=(page_module, cold), default_timeout=120)
    at.run()                       # warm-up: imports, the database connection, the first cache fill
    if at.exception:
        raise RuntimeError(f"{page_module}: {at.exception}")
    for _ in range(runs):
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", type=Path, default=None, help="an existing database (default: a fresh demo)")
    parser.add_argument("--pages", nargs="+", default=list(PAGES))
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from ektp_metrics.bootstrap import init_database

    # AppTest runs outside a server, and Streamlit warns about a missing ScriptRunContext on every run.
    logging.disable(logging.WARNING)

    with tempfile.TemporaryDirectory() as folder:
        if args.db is not None:
            db = args.db.resolve()
        else:
            db = Path(folder) / "bench.duckdb"
            init_database(db, with_demo=True).close()
            os.environ.pop("EKTP_TODAY", None)
        os.environ["EKTP_DB"] = str(db)
        baseline = statistics.median(measure("bench.empty_page", args.runs, cold=False))
        print(f"halaman kosong (baseline): {baseline * 1000:.1f} ms per run, median of {args.runs}")
        print(f"{'halaman':<16}{'cold ms':>10}{'ratio':>9}{'warm ms':>10}{'ratio':>9}")
        for name in args.pages:
            cold = statistics.median(measure(f"pages.{Path(name).stem}", args.runs, cold=True))
            warm = statistics.median(measure(f"pages.{Path(name).stem}", args.runs, cold=False))
            print(f"{name:<16}{cold * 1000:>10.1f}{cold / baseline:>9.1f}{warm * 1000:>10.1f}{warm / baseline:>9.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
