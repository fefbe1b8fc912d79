"""First paint and many viewers, in Chromium, against an empty Streamlit page (issue 21).

    python -m bench.browser [--reps 3] [--crowd 10] [--crowd-pages ringkasan wilayah] [--pages ...]
                            [--out bench/results/browser.json]                         (or: make bench)

Two servers are started the way `make run` starts the app (`streamlit run`, MALLOC_ARENA_MAX=2): serve.py
over a fresh demo database, and bench/empty_page.py (one st.metric, nothing else) as the baseline. For every
dashboard page (Ringkasan, Wilayah, Distribusi, Keliling and the lobby /layar) and the empty page, in one
Chromium run:

- headline: from navigation start (the document's performance.timeOrigin) to the page's first figure on
  screen: Ringkasan's, Wilayah's and the empty page's first [data-testid='stMetricValue'], the first drawn
  plotly chart on Distribusi and Keliling (their first figure), the lobby's first slide;
- idle: from navigation start to the moment the page is done: Streamlit's script state back to notRunning
  after the headline and every plotly chart drawn (for the lobby: its first slide). Both are timed inside
  the page (an init script polling every 10 ms), so Playwright's own round trips add nothing.

cold: a server started for this one visit (the first visit after a server start: imports, the database,
empty caches); warm: a new browser context (no cookies, no HTTP cache: a new visitor) on a server that already
served the page once; returning: a new tab in one browser context that visited before (Streamlit's code in
its HTTP cache, as for someone who opens the dashboard every day). --reps visits each, medians; ratios to the
empty page measured the same way. The server's CPU (utime+stime of its process, /proc/<pid>/stat) over the
warm and the returning visits, per view.

crowd: --crowd browser contexts open the same page at once on a warm server: each session's headline and
idle time, and the server's CPU per view over the whole crowd.

Everything (servers, Chromium) shares this machine's cores: read the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
METRIC = "[data-testid='stMetricValue']"
CHART_DRAWN = "[data-testid='stPlotlyChart'] .main-svg"
SLIDE = ".layar[data-slide]"


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    headline: str          # CSS selector of the page's first figure
    streamlit: bool = True


TARGETS = {
    "kosong": Target("kosong", "/", METRIC),
    "ringkasan": Target("ringkasan", "/", METRIC),
    "wilayah": Target("wilayah", "/wilayah", METRIC),
    "distribusi": Target("distribusi", "/distribusi", CHART_DRAWN),
    "keliling": Target("keliling", "/keliling", CHART_DRAWN),
    "layar": Target("layar", "/layar", SLIDE, streamlit=False),
}
PAGES = ("ringkasan", "wilayah", "distribusi", "keliling", "layar")

# Runs in every document before its own scripts: notes when the headline shows, when the last chart was
# drawn, and when Streamlit's script state went back to notRunning after the headline.
_PROBE = """
(() => {
  const headline = %s, streamlit = %s, chartSel = "[data-testid='stPlotlyChart']";
  const marks = window.__bench = {headline: null, idle_run: null, last_chart: null, charts: 0};
  const visible = e => e && e.getClientRects().length > 0 && (e.tagName === 'svg' || e.innerText.trim() !== '');
  const tick = () => {
    const now = performance.now();
    if (marks.headline === null && [...document.querySelectorAll(headline)].some(visible)) marks.headline = now;
    const charts = document.querySelectorAll(chartSel).length;
    const drawn = document.querySelectorAll(chartSel + ' .main-svg').length;
    if (drawn > marks.charts) { marks.charts = drawn; marks.last_chart = now; }
    marks.pending = charts > drawn;
    const app = document.querySelector("[data-testid='stApp']");
    const running = !app || app.getAttribute('data-test-script-state') !== 'notRunning'
      || app.getAttribute('data-test-connection-state') !== 'CONNECTED';
    if (marks.headline !== null) {
      if (!streamlit) { if (marks.idle_run === null) marks.idle_run = now; }
      else if (running) marks.idle_run = null;
      else if (marks.idle_run === null) marks.idle_run = now;
    }
  };
  setInterval(tick, 10);
})();
"""


def cpu_seconds(pid: int) -> float:
    from bench.api import cpu_seconds as of
    return of(pid)


def new_context(browser: Any, target: Target) -> Any:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    context.add_init_script(_PROBE % (json.dumps(target.headline), json.dumps(target.streamlit)))
    return context


def _done(page: Any, timeout_s: float) -> dict[str, float]:
    """Wait until the page's headline showed, its run ended and no chart is left to draw; then its marks
    (ms from navigation start). Waits for the positive states, then 0,5 s of nothing changing."""
    page.wait_for_function("() => window.__bench && window.__bench.headline !== null", timeout=timeout_s * 1000)
    page.wait_for_function("() => window.__bench.idle_run !== null && !window.__bench.pending",
                           timeout=timeout_s * 1000)
    page.wait_for_load_state("networkidle", timeout=timeout_s * 1000)   # plotly's code fetched, if any
    marks = page.evaluate("() => window.__bench")
    for _ in range(20):   # settled: the marks stay the same for 0,5 s (a chart drawn late, a rerun)
        page.wait_for_timeout(500)
        again = page.evaluate("() => window.__bench")
        if again == marks:
            break
        marks = again
    headline = marks["headline"] / 1000
    idle = max(marks["idle_run"], marks["last_chart"] or 0) / 1000
    return {"headline": round(headline, 3), "idle": round(max(idle, headline), 3), "charts": marks["charts"]}


def visit(browser: Any, url: str, target: Target, timeout_s: float = 180, context: Any = None) -> dict[str, float]:
    """One visit in a new browser context (a first-time visitor), or in `context` (a returning one: its HTTP
    cache holds Streamlit's code, which is served "immutable")."""
    own = context is None
    context = new_context(browser, target) if own else context
    page = context.new_page()
    try:
        received = {"websocket_bytes": 0, "http_bytes": 0}

        def on_websocket(ws: Any) -> None:
            def on_frame(payload: bytes | str) -> None:
                received["websocket_bytes"] += len(payload)
            ws.on("framereceived", on_frame)

        def on_response(response: Any) -> None:
            length = response.headers.get("content-length")
            received["http_bytes"] += int(length) if length and length.isdigit() else 0

        page.on("websocket", on_websocket)
        page.on("response", on_response)
        page.goto(url + target.path, wait_until="commit")
        return _done(page, timeout_s) | received
    finally:
        page.close()
        if own:
            context.close()


@contextmanager
def server(target: Target, db: Path, folder: Path) -> Iterator[tuple[str, int]]:
    from tests.browser import streamlit_process

    env = {"MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX", "2")}
    app = ROOT / "bench" / "empty_page.py" if target.name == "kosong" else None
    log = folder / f"streamlit_{target.name}_{time.monotonic_ns()}.log"
    with streamlit_process(db, log, env, app=app) as (url, proc):
        yield url, proc.pid


def median(rows: list[dict[str, float]], key: str) -> float:
    return round(statistics.median(r[key] for r in rows), 3)


def crowd(browser: Any, url: str, pid: int, target: Target, sessions: int, returning: bool = False) -> dict[str, Any]:
    """`sessions` contexts open the page at once: each one's headline and idle, the server CPU per view.
    returning: each context visited the page once before, one after another (its HTTP cache holds Streamlit's
    code, as for the people at a Monday meeting who open the dashboard every week)."""
    contexts = [new_context(browser, target) for _ in range(sessions)]
    try:
        if returning:
            for context in contexts:
                visit(browser, url, target, context=context)
        pages = [c.new_page() for c in contexts]
        for page in pages:
            page.goto("about:blank")
        cpu = cpu_seconds(pid)
        for page in pages:   # a navigation each, without waiting: they all start within a few ms
            page.evaluate("u => setTimeout(() => { location.href = u; }, 0)", url + target.path)
        times = [_done(page, 300) for page in pages]
        cpu = cpu_seconds(pid) - cpu
    finally:
        for context in contexts:
            context.close()
    return {"sessions": sessions, "returning": returning, "headline_s": [t["headline"] for t in times],
            "idle_s": [t["idle"] for t in times],
            "headline_median_s": median(times, "headline"), "headline_max_s": max(t["headline"] for t in times),
            "idle_median_s": median(times, "idle"), "idle_max_s": max(t["idle"] for t in times),
            "server_cpu_s": round(cpu, 2), "server_cpu_per_view_s": round(cpu / sessions, 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3, help="visits per page, cold and warm (default 3)")
    parser.add_argument("--pages", nargs="+", default=list(PAGES), choices=PAGES)
    parser.add_argument("--crowd", type=int, default=10, help="sessions opening a page at once (0: none)")
    parser.add_argument("--crowd-pages", nargs="+", default=["ringkasan", "wilayah"], choices=PAGES)
    parser.add_argument("--crowd-returning", action="store_true",
                        help="the crowd's contexts visited the page once before (their HTTP cache is warm)")
    parser.add_argument("--no-cold", action="store_true", help="warm visits only (quicker)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "browser.json")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from ektp_metrics.bootstrap import init_database
    from tests.browser import CHROMIUM_ARGS, require_chromium

    chromium = require_chromium()
    for name in ("EKTP_CACHE_SECONDS", "EKTP_TODAY", "EKTP_LANG"):
        os.environ.pop(name, None)        # the defaults, as a fresh install has them
    result: dict[str, Any] = {
        "command": " ".join(["python -m bench.browser", *(argv if argv is not None else sys.argv[1:])]),
        "when": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "system": platform.platform(),
                    "load_average_at_start": [round(x, 2) for x in os.getloadavg()]},
        "reps": args.reps, "pages": {},
    }
    names = ["kosong", *args.pages]
    with tempfile.TemporaryDirectory() as folder_name, sync_playwright() as p:
        folder = Path(folder_name)
        db = folder / "bench.duckdb"
        init_database(db, with_demo=True).close()
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        for name in names:
            target = TARGETS[name]
            cold: list[dict[str, float]] = []
            if not args.no_cold:
                for _ in range(args.reps):
                    with server(target, db, folder) as (url, _pid):
                        cold.append(visit(browser, url, target))
            with server(target, db, folder) as (url, pid):
                visit(browser, url, target)          # the server's first visit: not counted
                cpu = cpu_seconds(pid)
                warm = [visit(browser, url, target) for _ in range(args.reps)]
                cpu = cpu_seconds(pid) - cpu
                entry: dict[str, Any] = {
                    "path": target.path, "headline_selector": target.headline, "charts": warm[-1]["charts"],
                    "cold": cold, "warm": warm,
                    "warm_headline_s": median(warm, "headline"), "warm_idle_s": median(warm, "idle"),
                    "server_cpu_per_warm_view_s": round(cpu / args.reps, 3),
                    "websocket_kb": round(warm[-1]["websocket_bytes"] / 1024, 1),
                    "http_kb": round(warm[-1]["http_bytes"] / 1024, 1)}
                if cold:
                    entry |= {"cold_headline_s": median(cold, "headline"), "cold_idle_s": median(cold, "idle")}
                returning_context = new_context(browser, target)
                try:
                    visit(browser, url, target, context=returning_context)     # fills its HTTP cache
                    cpu = cpu_seconds(pid)
                    returning = [visit(browser, url, target, context=returning_context) for _ in range(args.reps)]
                    cpu = cpu_seconds(pid) - cpu
                finally:
                    returning_context.close()
                entry |= {"returning": returning, "returning_headline_s": median(returning, "headline"),
                          "returning_idle_s": median(returning, "idle"),
                          "server_cpu_per_returning_view_s": round(cpu / args.reps, 3)}
                if args.crowd and name in args.crowd_pages:
                    entry["crowd"] = crowd(browser, url, pid, target, args.crowd, args.crowd_returning)
            result["pages"][name] = entry
            print(f"{name}: {json.dumps({k: v for k, v in entry.items() if k not in ('cold', 'warm', 'returning')})}",
                  flush=True)
        browser.close()

    base = result["pages"]["kosong"]
    for name, entry in result["pages"].items():
        entry["ratios"] = {key: round(entry[key] / base[key], 2) for key in
                           ("cold_headline_s", "cold_idle_s", "warm_headline_s", "warm_idle_s",
                            "returning_headline_s", "returning_idle_s") if key in entry}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")

    print(f"\n{'halaman':<12}{'cold head':>10}{'cold idle':>10}{'warm head':>10}{'warm idle':>10}"
          f"{'ratio c/w head':>16}{'ratio c/w idle':>16}{'CPU/view':>10}")
    for name, e in result["pages"].items():
        r = e["ratios"]
        print(f"{name:<12}{e.get('cold_headline_s', float('nan')):>10.2f}{e.get('cold_idle_s', float('nan')):>10.2f}"
              f"{e['warm_headline_s']:>10.2f}{e['warm_idle_s']:>10.2f}"
              f"{r.get('cold_headline_s', float('nan')):>8.2f}/{r['warm_headline_s']:<7.2f}"
              f"{r.get('cold_idle_s', float('nan')):>8.2f}/{r['warm_idle_s']:<7.2f}{e['server_cpu_per_warm_view_s']:>10.3f}")
    print(f"\n{'halaman':<12}{'returning head':>16}{'ratio':>7}{'idle':>7}{'ratio':>7}{'CPU/view':>10}")
    for name, e in result["pages"].items():
        r = e["ratios"]
        print(f"{name:<12}{e['returning_headline_s']:>16.2f}{r['returning_headline_s']:>7.2f}"
              f"{e['returning_idle_s']:>7.2f}{r['returning_idle_s']:>7.2f}{e['server_cpu_per_returning_view_s']:>10.3f}")
    for name, e in result["pages"].items():
        if "crowd" in e:
            c = e["crowd"]
            print(f"{c['sessions']} sessions on {name} at once: headline median {c['headline_median_s']:.2f} s, "
                  f"last {c['headline_max_s']:.2f} s; idle median {c['idle_median_s']:.2f} s, last "
                  f"{c['idle_max_s']:.2f} s; server CPU {c['server_cpu_s']:.2f} s, {c['server_cpu_per_view_s']:.3f} s "
                  f"per view")
    print(f"results: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
