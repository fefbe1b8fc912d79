"""Compare the snapshots written by bench/traced_streamlit.py: what grew between two moments of a run?

    python -m bench.trace_diff DIR [--first N] [--last M] [--top 25] [--frames 8]

Prints the traced total of every snapshot, the allocation sites whose memory grew most between snapshot
N (default: the second) and M (default: the last), grouped by their whole traceback, and the
object types whose count grew most (from the objects_NNN.txt files).
"""

from __future__ import annotations

import argparse
import sys
import tracemalloc
from pathlib import Path


def _counts(path: Path) -> dict[str, int]:
    out = {}
    for line in path.read_text().splitlines():
        if line and not line.startswith("#"):
            n, name = line.split("\t")
            out[name] = int(n)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--first", type=int, default=1)
    parser.add_argument("--last", type=int, default=-1)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--frames", type=int, default=8)
    args = parser.parse_args(argv)
    for path in sorted(args.folder.glob("objects_*.txt")):
        print(path.name, path.read_text().splitlines()[0])
    snapshots = sorted(args.folder.glob("snapshot_*.pickle"))
    if len(snapshots) < 2:
        print("fewer than two tracemalloc snapshots (EKTP_TRACE_FRAMES=0?)", file=sys.stderr)
        return 0
    first, last = snapshots[args.first], snapshots[args.last]
    exclude = [tracemalloc.Filter(False, tracemalloc.__file__), tracemalloc.Filter(False, "<frozen importlib._bootstrap>")]
    a = tracemalloc.Snapshot.load(str(first)).filter_traces(exclude)
    b = tracemalloc.Snapshot.load(str(last)).filter_traces(exclude)
    print(f"\n{first.name} → {last.name}")
    print(f"traced: {sum(s.size for s in a.statistics('filename')) / 2**20:.1f} → "
          f"{sum(s.size for s in b.statistics('filename')) / 2**20:.1f} MB")
    print("\n== by line ==")
    for stat in b.compare_to(a, "lineno")[: args.top]:
        print(f"{stat.size_diff / 1024:+9.1f} KiB {stat.count_diff:+7d}  {stat.traceback[0]}")
    print("\n== by traceback ==")
    for stat in b.compare_to(a, "traceback")[: max(args.top // 3, 5)]:
        print(f"\n{stat.size_diff / 1024:+9.1f} KiB {stat.count_diff:+7d} blocks")
        for line in stat.traceback.format(limit=args.frames, most_recent_first=True):
            print("   ", line)
    objects = sorted(args.folder.glob("objects_*.txt"))
    if len(objects) >= 2:
        ca = _counts(objects[min(args.first, len(objects) - 1)])
        cb = _counts(objects[args.last])
        grown = sorted(((cb.get(k, 0) - ca.get(k, 0), k) for k in cb), reverse=True)[: args.top]
        print("\n== object types that grew ==")
        for diff, name in grown:
            print(f"{diff:+8d}  {name}  ({ca.get(name, 0)} → {cb[name]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
