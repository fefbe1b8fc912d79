"""The lobby screen's own code for many reruns, in one process: does anything accumulate?

    python -m bench.kiosk_inprocess [--runs 1500] [--reads 1200]

1. /layar/data.json answered `--runs` times by its handler (ektp_metrics.web), its cache period made so
   short that every answer reads the database and renders every slide anew, RSS sampled every fifth of
   the way.
2. `kiosk.read_board` + every slide rendered `--reads` times against the demo database (the screen reads
   the database once a minute, so 1.200 reads are 20 hours of a screen). Besides RSS it prints what glibc
   has handed out and not taken back: DuckDB's own allocations grow with the first few hundred reads and
   then stop (a bounded cache, not a leak; see bench/README.md).
Together with bench/kiosk_soak.py (the real server with Chromium tabs) this separates the app's code from
the server's own machinery.
"""

from __future__ import annotations

import argparse
import ctypes
import datetime as dt
import gc
import logging
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def rss_mb() -> float:
    for line in Path(f"/proc/{os.getpid()}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def glibc_in_use_mb() -> float:
    """Bytes malloc'ed through glibc and not freed (every arena): where DuckDB's own allocations show."""
    from bench.traced_streamlit import _Mallinfo2

    libc = ctypes.CDLL("libc.so.6")
    libc.mallinfo2.restype = _Mallinfo2
    return libc.mallinfo2().uordblks / 2**20


def sample() -> str:
    gc.collect()
    return f"{rss_mb():.1f} MB (glibc in use {glibc_in_use_mb():.1f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1500)
    parser.add_argument("--reads", type=int, default=1200)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    logging.disable(logging.WARNING)
    from starlette.requests import Request

    from ektp_metrics import db as db_module
    from ektp_metrics import kiosk, web
    from ektp_metrics.bootstrap import init_database
    from ektp_metrics.db import Database

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.duckdb"
        init_database(path, with_demo=True).close()
        os.environ["EKTP_DB"] = str(path)
        os.environ["EKTP_CACHE_SECONDS"] = "0.000001"   # every answer a new cache period: a fresh read
        lobby = web.Lobby()
        request = Request({"type": "http", "method": "GET", "path": "/layar/data.json", "query_string": b"",
                           "headers": []})
        samples = []
        for i in range(1, args.runs + 1):
            response = lobby.data(request)
            if response.status_code != 200:
                raise RuntimeError(f"the figures failed: {response.status_code}")
            if i % max(args.runs // 5, 1) == 0:
                samples.append(f"{i}: {sample()}")
        print("/layar/data.json answers:", ", ".join(samples))
        db_module.close_shared()
        db = Database(path, create=False)
        samples = []
        for i in range(1, args.reads + 1):
            board = kiosk.read_board(db)
            if board is None:
                raise RuntimeError(f"{path} has no data: the lobby screen has no figures to show")
            for slide in kiosk.slides_for(board):
                kiosk.render(board, slide, 0, 5, dt.datetime.now(dt.UTC))
            if i == 1 or i % max(args.reads // 6, 1) == 0:
                samples.append(f"{i}: {sample()}")
        db.close()
        print("board reads + renders:", ", ".join(samples))
    return 0


if __name__ == "__main__":
    sys.exit(main())
