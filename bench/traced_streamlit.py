"""`streamlit` with memory diagnostics: where does the server's memory go over a long run?

    EKTP_TRACE_DIR=DIR [EKTP_TRACE_START=120] [EKTP_TRACE_EVERY=300] [EKTP_TRACE_FRAMES=10] \
        python bench/traced_streamlit.py run app.py ...

Runs Streamlit's own command line in this process. A background thread waits EKTP_TRACE_START seconds
(start-up and the first page runs are not what a leak is made of), starts tracemalloc with
EKTP_TRACE_FRAMES frames (0: no tracer) and then, every EKTP_TRACE_EVERY seconds, after a full gc, writes
the tracemalloc snapshot (DIR/snapshot_NNN.pickle) and DIR/objects_NNN.txt: the live objects counted by
type under a header line with the memory outside Python's objects (glibc heap in use and free-but-kept,
Arrow's pool, DuckDB's buffers). `python -m bench.kiosk_soak --trace DIR` starts the server this way;
`python -m bench.trace_diff DIR` compares the files. The tracer slows the server and adds memory of its
own: RSS of a run with frames > 0 is not comparable with a plain one.
"""

from __future__ import annotations

import collections
import ctypes
import gc
import os
import sys
import threading
import time
import tracemalloc
from pathlib import Path


def _count_objects() -> list[tuple[int, str]]:
    counts = collections.Counter(
        f"{type(o).__module__}.{type(o).__qualname__}" for o in gc.get_objects())
    return sorted(((n, name) for name, n in counts.items()), reverse=True)


class _Mallinfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
                 "keepcost")]


def _native() -> str:
    """Where the memory outside Python's own objects sits: glibc's heap (in use / free but kept), the
    Arrow memory pool, DuckDB's buffer manager (found through the live connections)."""
    parts = []
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallinfo2.restype = _Mallinfo2
        m = libc.mallinfo2()
        parts.append(f"glibc in_use={m.uordblks / 2**20:.1f} free_kept={m.fordblks / 2**20:.1f} "
                     f"mmapped={m.hblkhd / 2**20:.1f} MB")
    except (OSError, AttributeError):
        pass
    try:
        import pyarrow as pa

        pool = pa.default_memory_pool()
        parts.append(f"arrow[{pool.backend_name}] allocated={pool.bytes_allocated() / 2**20:.1f} "
                     f"max={pool.max_memory() / 2**20:.1f} MB")
    except ImportError:
        pass
    try:
        import duckdb

        used = 0
        for obj in gc.get_objects():
            if isinstance(obj, duckdb.DuckDBPyConnection):
                try:   # a cursor of our own: the app's connection may be busy in another thread
                    with obj.cursor() as cur:
                        row = cur.execute("SELECT sum(memory_usage_bytes) FROM duckdb_memory()").fetchone()
                        used = (row[0] if row else 0) or 0
                    break
                except duckdb.Error:
                    pass
        parts.append(f"duckdb buffers={used / 2**20:.1f} MB")
    except ImportError:
        pass
    return "; ".join(parts)


def _writer(folder: Path, start: float, every: float, frames: int) -> None:
    time.sleep(start)
    if frames:   # EKTP_TRACE_FRAMES=0: the native figures and object counts only, no tracer
        tracemalloc.start(frames)
    number = 0
    while True:
        time.sleep(every)
        gc.collect()
        if frames:
            tracemalloc.take_snapshot().dump(str(folder / f"snapshot_{number:03d}.pickle"))
        lines = [f"{n}\t{name}" for n, name in _count_objects()[:300]]
        traced, peak = tracemalloc.get_traced_memory()
        header = (f"# t={time.time():.0f} traced={traced / 2**20:.1f} MB peak={peak / 2**20:.1f} MB; "
                  f"{_native()}")
        (folder / f"objects_{number:03d}.txt").write_text("\n".join([header, *lines]) + "\n")
        number += 1


def main() -> None:
    folder = Path(os.environ["EKTP_TRACE_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    timing = (float(os.environ.get("EKTP_TRACE_START", "120")), float(os.environ.get("EKTP_TRACE_EVERY", "300")),
              int(os.environ.get("EKTP_TRACE_FRAMES", "10")))
    threading.Thread(target=_writer, args=(folder, *timing), daemon=True, name="trace-writer").start()
    from streamlit.web.cli import main as streamlit_main

    # As `python -m streamlit` does: the working folder (the project) first on the path, not bench/.
    sys.path[0] = os.getcwd()
    sys.argv = ["streamlit", *sys.argv[1:]]
    streamlit_main()


if __name__ == "__main__":
    main()
