"""Built view pieces (plotly figures, tables) kept per view, so that the next visitor's page is not built again.

A dashboard page builds the same figures for every visitor who looks at the same data, in the same language,
on the same date and region (issue 21: about 0,5 s of server CPU for one warm Ringkasan view, most of it
building figures the previous visitor already had). ViewCache.get(key, build) returns what build() returned
for the same key, built once; the key says everything the piece depends on: the data version (which
changes with every committed write), the language, the date and the region.

Pieces are returned as they are, not copied: a caller must not change a figure or table it got (Streamlit's
st.plotly_chart and st.dataframe only read them). An entry lives at most `ttl` seconds (the same freshness as
the query caches, for a write by another process), at most `max_entries` are kept (the least recently used
go first), and clear() drops everything (after any write).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class ViewCache:
    """A thread-safe, bounded, time-limited map from a view key to what was built for it."""

    def __init__(self, ttl: float, max_entries: int = 256, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._clock = clock
        self._entries: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[Hashable, threading.Lock] = {}
        self.builds = 0          # how many times a piece was built (a miss), for tests and the benchmark

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        """What build() returns for `key`, built at most once while the entry lives. Sessions asking for the
        same key at once wait for the one build (ten viewers opening the same page build it once)."""
        found, value = self._lookup(key)
        if found:
            return value
        with self._lock:
            building = self._building.setdefault(key, threading.Lock())
        with building:
            found, value = self._lookup(key)
            if found:
                return value
            try:
                value = build()
            finally:
                with self._lock:
                    self._building.pop(key, None)
            with self._lock:
                self.builds += 1
                now = self._clock()
                # Pieces of an older data version are never asked for again: dropped here, not kept until
                # the bound pushes them out (a map figure holds its boundaries: memory over months).
                for old in [k for k, (made, _) in self._entries.items() if now - made > self.ttl]:
                    del self._entries[old]
                self._entries[key] = (now, value)
                self._entries.move_to_end(key)
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
            return value

    def _lookup(self, key: Hashable) -> tuple[bool, Any]:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return False, None
            made, value = entry
            if self._clock() - made > self.ttl:
                del self._entries[key]
                return False, None
            self._entries.move_to_end(key)
            return True, value

    def clear(self) -> None:
        """Forget every piece (after a write: the next view builds from the new data)."""
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
