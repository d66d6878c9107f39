"""Memory after a big build: freed pages back to the operating system, what stays out of the collector.

A ready process at 100k holds millions of long-lived objects (cached rows, the BM25 postings, the indexes'
metadata). Python's cyclic collector walks all of them on each full collection — half a second to a second
at 100k, a few times per 200 questions, which set ``/ask``'s p99. ``freeze_long_lived`` moves what exists
after a build into the permanent generation, so later collections only walk what was made since. Frozen
objects are still freed by reference counting when dropped (a row the cache forgets, a rebuilt index).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import sys

BIG = 20_000  # items: below this a full collection is short, and nothing is frozen


def release_free_memory() -> None:
    """Collect garbage, then ask glibc to return free heap pages (no-op elsewhere)."""
    gc.collect()
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):
        pass


def freeze_long_lived(items: int) -> None:
    """After loading ``items`` (at least ``BIG``): every object alive now is left out of later collections.

    Cheap (no walk of the heap). Only for a big catalog: what is frozen and later becomes cyclic garbage is
    never collected, which a process that loads a big catalog once can afford and a test run of many small
    apps could not."""
    if items >= BIG:
        gc.freeze()
