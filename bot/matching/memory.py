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


def release_free_memory() -> None:
    """Collect garbage, ask glibc to return free heap pages (no-op elsewhere), then freeze what is left.

    What an earlier freeze kept out is walked again here, so garbage among it is not kept for good."""
    gc.unfreeze()
    gc.collect()
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            libc.malloc_trim(0)
        except (OSError, AttributeError):
            pass
    freeze_long_lived()


def freeze_long_lived() -> None:
    """Every object alive now is left out of later garbage collections (cheap: no walk of the heap)."""
    gc.freeze()
