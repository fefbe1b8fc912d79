"""The lobby screen's own code for many reruns, in one process: does anything accumulate?

    python -m bench.kiosk_inprocess [--runs 1500] [--reads 1200]

1. The /layar page run `--runs` times through streamlit.testing's AppTest (each run draws one slide, as
   a fragment rerun does in the server), RSS sampled every fifth of the way.
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


def _layar() -> None:
    # AppTest runs only this function's source: everything it needs is imported inside it.
    import runpy
    from pathlib import Path

    import ektp_metrics
    from pages._shared import framed

    with framed():
        runpy.run_path(str(Path(ektp_metrics.__file__).parent.parent / "pages" / "layar.py"), run_name="__main__")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1500)
    parser.add_argument("--reads", type=int, default=1200)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    logging.disable(logging.WARNING)
    from streamlit.testing.v1 import AppTest

    from ektp_metrics import kiosk
    from ektp_metrics.bootstrap import init_database
    from ektp_metrics.db import Database

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.duckdb"
        init_database(path, with_demo=True).close()
        os.environ["EKTP_DB"] = str(path)
        at = AppTest.from_function(_layar, default_timeout=60)
        samples = []
        for i in range(1, args.runs + 1):
            at.run()
            if at.exception:
                raise RuntimeError(f"the page failed: {at.exception}")
            if i % max(args.runs // 5, 1) == 0:
                samples.append(f"{i}: {sample()}")
        print("page runs (AppTest):", ", ".join(samples))
        db = Database(path, create=False)
        samples = []
        for i in range(1, args.reads + 1):
            board = kiosk.read_board(db)
            for slide in kiosk.slides_for(board):
                kiosk.render(board, slide, 0, 5, dt.datetime.now(kiosk.WIB))
            if i == 1 or i % max(args.reads // 6, 1) == 0:
                samples.append(f"{i}: {sample()}")
        db.close()
        print("board reads + renders:", ", ".join(samples))
    return 0


if __name__ == "__main__":
    sys.exit(main())
