"""Soak test of the lobby screen: several kiosk tabs for a long time, the server's memory sampled.

    python -m bench.kiosk_soak [--minutes 60] [--tabs 4] [--detik 5] [--sample 30]

Starts `streamlit run app.py` on a fresh demo database, opens --tabs Chromium tabs on
/layar?embed=true&detik=N (a fast rotation: every slide change is a fragment rerun), and samples the
server's resident memory (VmRSS) every --sample seconds. Memory per kiosk session should stay flat: the
report compares the first and the last tenth of the run and fits a slope. It also counts the slide
changes seen in the first tab, to prove the screens kept rotating. Samples go to artifacts/kiosk_soak.csv.
--cache-seconds 2 makes every screen read the database about every 2 s instead of every minute, so an
hour covers the reads of days; --trace DIR --trace-frames 0 adds readings of where the memory sits
(glibc in use / free but kept, Arrow, DuckDB), first and last printed at the end.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def slope_per_hour(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MB) in MB per hour."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    var = sum((x - mx) ** 2 for x in xs)
    return 0.0 if var == 0 else sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / var * 3600


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=60)
    parser.add_argument("--tabs", type=int, default=4)
    parser.add_argument("--detik", type=int, default=5)
    parser.add_argument("--sample", type=float, default=30)
    parser.add_argument("--csv", type=Path, default=None, help="where to write the samples (default artifacts/kiosk_soak.csv)")
    parser.add_argument("--trace", type=Path, default=None,
                        help="run the server under tracemalloc, snapshots every --trace-every s into this folder")
    parser.add_argument("--trace-every", type=float, default=300)
    parser.add_argument("--trace-frames", type=int, default=10, help="0: native memory figures only, no tracemalloc")
    parser.add_argument("--cache-seconds", type=float, default=None,
                        help="EKTP_CACHE_SECONDS for the server: a short cache makes the screens read the database "
                             "often, so an hour holds many hours of reads")
    parser.add_argument("--app", type=Path, default=None,
                        help="another Streamlit script to soak at / (bench/fragment_only.py: Streamlit alone)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from ektp_metrics.bootstrap import init_database
    from tests.browser import (
        ARTIFACTS,
        CHROMIUM_ARGS,
        require_chromium,
        streamlit_process,
    )

    chromium = require_chromium()
    ARTIFACTS.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "soak.duckdb"
        init_database(db, with_demo=True).close()
        env: dict[str, str] = {}
        launcher = None
        if args.cache_seconds:
            env["EKTP_CACHE_SECONDS"] = str(args.cache_seconds)
        if args.trace:
            args.trace.mkdir(parents=True, exist_ok=True)
            for old in [*args.trace.glob("objects_*.txt"), *args.trace.glob("snapshot_*.pickle")]:
                old.unlink()      # readings of an earlier run
            env |= {"EKTP_TRACE_DIR": str(args.trace.resolve()), "EKTP_TRACE_EVERY": str(args.trace_every),
                    "EKTP_TRACE_FRAMES": str(args.trace_frames)}
            launcher = [str(ROOT / "bench" / "traced_streamlit.py")]
        with streamlit_process(db, Path(folder) / "streamlit.log", env, launcher, args.app and args.app.resolve()) as (url, server), \
                sync_playwright() as p:
            idle = rss_mb(server.pid)
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            tabs = []
            for _ in range(args.tabs):
                tab = browser.new_page(viewport={"width": 1920, "height": 1080})
                tab.goto(f"{url}/{'' if args.app else 'layar'}?embed=true&detik={args.detik}")
                tabs.append(tab)
            tabs[0].wait_for_selector(".layar[data-slide]", timeout=60_000)
            start = time.monotonic()
            samples: list[tuple[float, float]] = []
            changes, last_slide = 0, None
            print(f"server idle before the tabs: {idle:.1f} MB; {args.tabs} tabs, a slide every {args.detik} s")
            while (elapsed := time.monotonic() - start) < args.minutes * 60:
                samples.append((elapsed, rss_mb(server.pid)))
                end = time.monotonic() + args.sample
                while time.monotonic() < end:
                    slide = tabs[0].locator(".layar").first.get_attribute("data-slide")
                    if slide != last_slide:
                        changes += 1
                        last_slide = slide
                    tabs[0].wait_for_timeout(1000)
                if len(samples) % 10 == 1:
                    print(f"{elapsed / 60:6.1f} min  {samples[-1][1]:7.1f} MB  ({changes} slide changes seen)", flush=True)
            samples.append((time.monotonic() - start, rss_mb(server.pid)))
            browser.close()
    out = args.csv or ARTIFACTS / "kiosk_soak.csv"
    out.write_text(
        "detik_sejak_mulai;rss_mb\n" + "".join(f"{s:.0f};{m:.1f}\n" for s, m in samples))
    tenth = max(len(samples) // 10, 1)
    first = statistics.fmean(m for _, m in samples[:tenth])
    last = statistics.fmean(m for _, m in samples[-tenth:])
    # The slope after the first tenth: warm-up (imports, caches, the first sessions) is not a leak.
    steady = samples[tenth:] if len(samples) > 2 * tenth else samples
    print(f"\n{args.minutes:.0f} min, {args.tabs} tabs, slide every {args.detik} s, {changes} slide changes in tab 1")
    print(f"RSS: idle {idle:.1f} MB, first tenth {first:.1f} MB, last tenth {last:.1f} MB, "
          f"max {max(m for _, m in samples):.1f} MB, change {last - first:+.1f} MB")
    print(f"slope after warm-up: {slope_per_hour(steady):+.2f} MB/hour; samples: {out}")
    # Flat means: the second half no longer rises (a bounded warm-up, e.g. DuckDB's caches, may take the first).
    half = samples[len(samples) // 2:]
    print(f"second half: {statistics.fmean(m for _, m in half):.1f} MB on average, max {max(m for _, m in half):.1f} MB, "
          f"slope {slope_per_hour(half):+.2f} MB/hour")
    if args.trace:
        readings = sorted(args.trace.glob("objects_*.txt"))
        for path in readings[:1] + readings[-1:] if len(readings) > 1 else readings:
            print(f"{path.name}: {path.read_text().splitlines()[0].lstrip('# ')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
