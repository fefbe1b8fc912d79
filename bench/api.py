"""The HTTP API under load, beside the lobby screens and a page (issue 20).

    python -m bench.api [--clients 50] [--seconds 60] [--think 0.5] [--lobby-tabs 5] [--tcp-nodelay]
                        [--out bench/results/api.json]

Starts the real server (`streamlit run serve.py`, MALLOC_ARENA_MAX=2 as `make run` does) on a free port over a
fresh demo database, opens --lobby-tabs Chromium pages on /layar (they poll /layar/data.json), then for
--seconds runs:

- --clients polite API clients (threads, one keep-alive http.client connection each), each polling in turn
  /api/v1/ringkasan, /api/v1/wilayah and /api/v1/wilayah?tingkat=kelurahan&per_halaman=100 with --think
  seconds between an answer and the next request, and If-None-Match with the ETag it last got for that URL,
  as a real poller does (200 and 304 counted apart). Every client comes from its own address: the server runs
  with EKTP_TRUSTED_PROXY=127.0.0.1 and each client sends X-Forwarded-For: 10.0.x.y, as if behind a reverse
  proxy on this machine. Any answer other than 200/304, or a broken connection, is a failure;
- one greedy client (a process of its own, so its loop does not take the polite clients' interpreter) from
  a single address, without pause or If-None-Match, a new connection per request as a `curl` loop makes: it
  must get 429 (the rate limit for clients without a token, EKTP_API_RATE a minute after EKTP_API_BURST at
  once) while the polite clients see no failure;
- a poller of /layar/data.json every second (the lobby's figures: latency and failures);
- the server's VmRSS every second, and its VmHWM (peak) at the end, from /proc/<pid>/status.

A page's responsiveness: in one more Chromium page (a fresh browser context, like a new visitor), the time from
navigation to Ringkasan's headline figure ([data-testid='stMetricValue'] showing "92,26%"): once to warm the
server (not counted), once before the load and once in the middle of it.

--tcp-nodelay starts the server through bench/nodelay_streamlit.py instead (TCP_NODELAY on its connections;
see that file), for an A/B against the server as it is.

Results: printed, and written to --out as JSON. Exit 1 when a polite client saw a failure, the greedy client
got no 429, or a lobby poll failed. Everything (server, clients, Chromium) shares this machine's cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
POLL_PATHS = ("/api/v1/ringkasan", "/api/v1/wilayah", "/api/v1/wilayah?tingkat=kelurahan&per_halaman=100")
GREEDY_PATH = "/api/v1/ringkasan"
GREEDY_ADDRESS = "10.9.9.9"
LOBBY_PATH = "/layar/data.json"
HEADLINE = "92,26%"          # Ringkasan's coverage on the demo


def client_address(index: int) -> str:
    """The simulated address of polite client `index` (10.0.0.1, 10.0.0.2, …)."""
    return f"10.0.{index // 250}.{index % 250 + 1}"


def percentiles(values: list[float]) -> dict[str, float | None]:
    """p50/p95/p99/max in ms of latencies in seconds (None without enough values)."""
    if len(values) < 2:
        only = values[0] * 1000 if values else None
        return {"p50": only, "p95": only, "p99": only, "max": only}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": round(cuts[49] * 1000, 1), "p95": round(cuts[94] * 1000, 1), "p99": round(cuts[98] * 1000, 1),
            "max": round(max(values) * 1000, 1)}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far, in seconds (/proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def status_of(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM of a process, in MB."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key = line.split(":", 1)[0]
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(line.split()[1]) / 1024
    return out


@dataclass
class Tally:
    """What one or more clients saw (threads add to it under the lock)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: list[float] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    per_path: dict[str, list[float]] = field(default_factory=dict)
    per_status: dict[str, list[float]] = field(default_factory=dict)

    def add(self, path: str, status: int | None, seconds: float, problem: str = "") -> None:
        with self.lock:
            key = str(status) if status is not None else "putus/broken"
            self.statuses[key] = self.statuses.get(key, 0) + 1
            if status in (200, 304):
                self.latencies.append(seconds)
                self.per_path.setdefault(path, []).append(seconds)
                self.per_status.setdefault(key, []).append(seconds)
            elif len(self.failures) < 20:
                self.failures.append(f"{path}: {key} {problem}"[:300])

    @property
    def failed(self) -> int:
        return sum(n for status, n in self.statuses.items() if status not in ("200", "304"))


def _get(conn: http.client.HTTPConnection, path: str, headers: dict[str, str]) -> tuple[int, bytes, str | None]:
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    return response.status, body, response.getheader("ETag")


def polite_client(index: int, port: int, stop: float, think: float, delay: float, tally: Tally) -> None:
    """Poll the API's public reads in turn, with If-None-Match, from address client_address(index), the first
    request after `delay` seconds (the clients' first requests spread over one think time)."""
    address = client_address(index)
    etags: dict[str, str] = {}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    turn = index % len(POLL_PATHS)
    time.sleep(delay)
    while time.monotonic() < stop:
        path = POLL_PATHS[turn]
        turn = (turn + 1) % len(POLL_PATHS)
        headers = {"X-Forwarded-For": address, "Accept": "application/json"}
        if path in etags:
            headers["If-None-Match"] = etags[path]
        start = time.perf_counter()
        try:
            status, body, etag = _get(conn, path, headers)
        except (OSError, http.client.HTTPException) as exc:
            tally.add(path, None, time.perf_counter() - start, f"{type(exc).__name__}: {exc}")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        else:
            tally.add(path, status, time.perf_counter() - start, body[:200].decode(errors="replace"))
            if status == 200 and etag:
                etags[path] = etag
        time.sleep(think)
    conn.close()


def greedy(port: int, seconds: float) -> dict[str, Any]:
    """One client from one address asking without pause, a new connection each time as a `curl` loop does
    (run in its own process: --greedy PORT)."""
    stop = time.monotonic() + seconds
    statuses: dict[str, int] = {}
    retry_after: set[str] = set()
    headers = {"X-Forwarded-For": GREEDY_ADDRESS, "Accept": "application/json"}
    while time.monotonic() < stop:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request("GET", GREEDY_PATH, headers=headers)
            response = conn.getresponse()
            response.read()
            key = str(response.status)
            if response.status == 429:
                retry_after.add(response.getheader("Retry-After") or "")
        except (OSError, http.client.HTTPException):
            key = "putus/broken"
        finally:
            conn.close()
        statuses[key] = statuses.get(key, 0) + 1
    total = sum(statuses.values())
    return {"address": GREEDY_ADDRESS, "path": GREEDY_PATH, "requests": total,
            "requests_per_second": round(total / seconds, 1), "statuses": statuses,
            "retry_after_values": sorted(retry_after)}


def lobby_poller(port: int, stop: float, tally: Tally, pid: int, rss: list[float]) -> None:
    """/layar/data.json every second (a plain client, no keep-alive, as a TV's browser after 15 s), and the
    server's RSS."""
    while time.monotonic() < stop:
        tick = time.monotonic()
        rss.append(status_of(pid)["VmRSS"])
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        start = time.perf_counter()
        try:
            status, body, _ = _get(conn, LOBBY_PATH, {"Accept": "application/json"})
            seconds = time.perf_counter() - start
            if status == 200 and not body.startswith(b'{"ok": true'):
                status = 599             # an answer without the figures is a failure too
            tally.add(LOBBY_PATH, status, seconds, body[:120].decode(errors="replace"))
        except (OSError, http.client.HTTPException) as exc:
            tally.add(LOBBY_PATH, None, time.perf_counter() - start, f"{type(exc).__name__}: {exc}")
        finally:
            conn.close()
        time.sleep(max(0.0, 1.0 - (time.monotonic() - tick)))


def headline_seconds(browser: Any, url: str) -> float:
    """Seconds from navigating a fresh browser context to / until Ringkasan shows its headline figure."""
    from tests.browser import METRIC, wait_for_text

    context = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        page = context.new_page()
        start = time.perf_counter()
        page.goto(url + "/")
        wait_for_text(page, METRIC, HEADLINE, timeout=180_000)
        return time.perf_counter() - start
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50, help="polite API clients (default 50)")
    parser.add_argument("--seconds", type=float, default=60, help="length of the load (default 60)")
    parser.add_argument("--think", type=float, default=0.5,
                        help="seconds between a polite client's answer and its next request (default 0,5)")
    parser.add_argument("--lobby-tabs", type=int, default=5, help="Chromium pages on /layar (default 5)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "api.json")
    parser.add_argument("--tcp-nodelay", action="store_true",
                        help="start the server through bench/nodelay_streamlit.py (TCP_NODELAY on its connections)")
    parser.add_argument("--no-greedy", action="store_true", help="without the greedy client (for an A/B)")
    parser.add_argument("--greedy", type=int, default=None, help=argparse.SUPPRESS)   # the greedy child: PORT
    args = parser.parse_args(argv)
    if args.greedy is not None:
        print(json.dumps(greedy(args.greedy, args.seconds)))
        return 0
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    from ektp_metrics import settings
    from ektp_metrics.bootstrap import init_database
    from tests.browser import CHROMIUM_ARGS, require_chromium, streamlit_process

    chromium = require_chromium()
    env = {"EKTP_TRUSTED_PROXY": "127.0.0.1", "MALLOC_ARENA_MAX": os.environ.get("MALLOC_ARENA_MAX", "2")}
    for name in ("EKTP_API_RATE", "EKTP_API_BURST", "EKTP_CACHE_SECONDS", "EKTP_EXEC_LOGIN", "EKTP_TODAY"):
        os.environ.pop(name, None)        # the defaults, as a fresh install has them
    rate = settings.number("EKTP_API_RATE")
    if args.think < 60 / rate:
        print(f"peringatan / warning: --think {args.think} s is below 60/EKTP_API_RATE = {60 / rate:.2f} s: "
              f"the polite clients will run into the rate limit", file=sys.stderr)
    result: dict[str, Any] = {
        "command": " ".join(["python -m bench.api", *(argv if argv is not None else sys.argv[1:])]),
        "when": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "system": platform.platform()},
        "config": {"clients": args.clients, "seconds": args.seconds, "think_seconds": args.think,
                   "lobby_tabs": args.lobby_tabs, "paths": list(POLL_PATHS), "api_rate_per_minute": rate,
                   "api_burst": settings.number("EKTP_API_BURST"), "server_env": env,
                   "server": "bench/nodelay_streamlit.py (TCP_NODELAY)" if args.tcp_nodelay else "streamlit run serve.py"},
    }
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "api.duckdb"
        init_database(db, with_demo=True).close()
        launcher = [str(ROOT / "bench" / "nodelay_streamlit.py")] if args.tcp_nodelay else None
        with streamlit_process(db, Path(folder) / "streamlit.log", env, launcher) as (url, server), \
                sync_playwright() as p:
            port = int(url.rsplit(":", 1)[1])
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            result["memory_mb"] = {"server_started": round(status_of(server.pid)["VmRSS"], 1)}
            tabs = []
            for _ in range(args.lobby_tabs):
                tab = browser.new_page(viewport={"width": 1920, "height": 1080})
                tab.goto(url + "/layar")
                tabs.append(tab)
            for tab in tabs:
                tab.wait_for_selector(".layar[data-slide]", timeout=60_000)
            warm = headline_seconds(browser, url)     # the server's first page: imports, the first cache fill
            before = headline_seconds(browser, url)
            idle = status_of(server.pid)["VmRSS"]
            print(f"server {url}: {idle:.1f} MB with {args.lobby_tabs} lobby tabs; Ringkasan headline "
                  f"{warm:.2f} s (first visit), {before:.2f} s (before the load)", flush=True)

            polite, lobby, rss = Tally(), Tally(), [idle]
            greedy_child = None if args.no_greedy else subprocess.Popen(
                [sys.executable, "-m", "bench.api", "--greedy", str(port), "--seconds", str(args.seconds)],
                cwd=ROOT, stdout=subprocess.PIPE, text=True)
            cpu_before = cpu_seconds(server.pid)
            begun = time.monotonic()
            stop = begun + args.seconds
            threads = [threading.Thread(target=polite_client, daemon=True,
                                        args=(i, port, stop, args.think, args.think * i / args.clients, polite))
                       for i in range(args.clients)]
            threads.append(threading.Thread(target=lobby_poller, args=(port, stop, lobby, server.pid, rss),
                                            daemon=True))
            for thread in threads:
                thread.start()
            time.sleep(max(0.0, begun + args.seconds / 2 - time.monotonic()))
            during_at = time.monotonic() - begun
            during = headline_seconds(browser, url)
            print(f"Ringkasan headline at {during_at:.0f} s into the load: {during:.2f} s", flush=True)
            for thread in threads:
                thread.join(timeout=args.seconds + 60)
            elapsed = time.monotonic() - begun
            server_cpu = cpu_seconds(server.pid) - cpu_before
            greedy_out = greedy_child.communicate(timeout=120)[0] if greedy_child else "null"
            memory = status_of(server.pid)
            slide_ok = all(tab.locator(".layar[data-slide]").count() > 0 for tab in tabs)
            browser.close()

    served = len(polite.latencies)
    result["polite"] = {
        "requests": served + polite.failed, "requests_per_second": round((served + polite.failed) / elapsed, 1),
        "statuses": polite.statuses, "failures": polite.failed, "failure_examples": polite.failures,
        "latency_ms": percentiles(polite.latencies),
        "latency_ms_per_path": {path: percentiles(values) for path, values in sorted(polite.per_path.items())},
        "latency_ms_per_status": {status: percentiles(values) for status, values in sorted(polite.per_status.items())},
    }
    result["greedy"] = json.loads(greedy_out)
    g = result["greedy"] or {"requests_per_second": 0, "statuses": {}}
    result["all_api_requests_per_second"] = round(result["polite"]["requests_per_second"] + g["requests_per_second"], 1)
    result["server_cpu"] = {"seconds": round(server_cpu, 1), "cores_busy": round(server_cpu / elapsed, 2)}
    result["lobby"] = {"tabs": args.lobby_tabs, "tabs_showing_slides_at_end": slide_ok, "polls": len(lobby.latencies)
                       + lobby.failed, "failures": lobby.failed, "failure_examples": lobby.failures,
                       "latency_ms": percentiles(lobby.latencies)}
    result["page"] = {"path": "/", "selector": "[data-testid='stMetricValue']", "text": HEADLINE,
                      "first_visit_seconds": round(warm, 2), "before_load_seconds": round(before, 2),
                      "during_load_seconds": round(during, 2), "during_load_at_second": round(during_at, 1),
                      "ratio": round(during / before, 2)}
    result["memory_mb"] |= {"idle_with_lobby": round(idle, 1), "rss_max_during_load": round(max(rss), 1),
                            "rss_end": round(memory["VmRSS"], 1), "vmhwm_peak": round(memory["VmHWM"], 1)}
    result["load_seconds"] = round(elapsed, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")

    lat, lob = result["polite"]["latency_ms"], result["lobby"]["latency_ms"]
    print(f"\n{args.clients} polite clients, {elapsed:.0f} s: {result['polite']['requests']} requests, "
          f"{result['polite']['requests_per_second']} per second, statuses {polite.statuses}, "
          f"{polite.failed} failures")
    print(f"latency p50 {lat['p50']} ms, p95 {lat['p95']} ms, p99 {lat['p99']} ms, max {lat['max']} ms; "
          + "; ".join(f"{status}: p50 {v['p50']} ms, p95 {v['p95']} ms"
                      for status, v in result["polite"]["latency_ms_per_status"].items()))
    if result["greedy"]:
        print(f"greedy client {g['address']}: {g['requests']} requests ({g['requests_per_second']}/s), {g['statuses']}")
    print(f"lobby /layar/data.json every 1 s: {result['lobby']['polls']} polls, {lobby.failed} failures, "
          f"p50 {lob['p50']} ms, p95 {lob['p95']} ms, max {lob['max']} ms")
    print(f"Ringkasan headline: {before:.2f} s before, {during:.2f} s during the load ({during / before:.2f}×)")
    print(f"server memory: {idle:.1f} MB idle with the lobby, max {max(rss):.1f} MB during, "
          f"{memory['VmRSS']:.1f} MB at the end, peak (VmHWM) {memory['VmHWM']:.1f} MB")
    print(f"server CPU during the load: {server_cpu:.1f} s ({server_cpu / elapsed:.2f} of a core on average)")
    print(f"results: {args.out}")
    problems = []
    if polite.failed:
        problems.append(f"{polite.failed} polite requests failed: {polite.failures[:3]}")
    if result["greedy"] and not g["statuses"].get("429"):
        problems.append("the greedy client got no 429")
    if lobby.failed:
        problems.append(f"{lobby.failed} lobby polls failed: {lobby.failures[:3]}")
    for problem in problems:
        print("GAGAL / FAILED: " + problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
