"""Keeping Python's cycle collector out of the hot path of large tutorial sets."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cycle collector for work that allocates much and creates no reference cycles.

    Parsing and linting allocate many small objects while the parsed set stays alive; every
    collection those allocations trigger walks the whole set, which makes a large folder cost
    more than linear time. Memory is still freed by reference counting.
    """
    enabled = gc.isenabled()
    gc.disable()
    gc.unfreeze()  # what an earlier pause froze is collectable again
    try:
        yield
    finally:
        if enabled:
            # Without this, the first collection after the pause walks every object the work
            # allocated (tens of ms for a large set): they are long-lived, so freeze them.
            gc.freeze()
            gc.enable()
