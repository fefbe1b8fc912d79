"""Giving freed memory back to the operating system, for a server that runs for days.

A Streamlit server runs every script (every slide of a lobby screen, every few seconds) in a new thread.
glibc gives threads their own heaps (arenas) and keeps what they free for later, so the memory the
process holds creeps up over hours although what it uses does not (bench/README.md, "The lobby screen
over time": glibc in use flat, free-but-kept rising). malloc_trim hands the free pages back.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import threading
import time

_lock = threading.Lock()
_last = 0.0


@functools.cache
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name or "libc.so.6")
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
        libc.malloc_trim.restype = ctypes.c_int
        return libc
    except (OSError, AttributeError):   # not glibc (macOS, musl): nothing to do
        return None


def trim(every_seconds: float = 60.0) -> bool:
    """Hand freed memory back, at most once per `every_seconds` in this process (cheap to call on every
    run). Returns whether it trimmed now."""
    global _last
    now = time.monotonic()
    with _lock:
        if now - _last < every_seconds:
            return False
        _last = now
    libc = _libc()
    if libc is None:
        return False
    libc.malloc_trim(0)
    return True
