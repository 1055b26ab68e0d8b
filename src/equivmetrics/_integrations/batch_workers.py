"""The threads that convert a batch run's blocks ahead (:mod:`.batch_blocks`).

One per usable core (the CPU affinity less a container's CPU quota, see
:mod:`equivmetrics._core.cores`), at most :data:`MOST_WORKERS`; none on one core or with
``EQUIVMETRICS_THREADS=1``, and then the work is done at once on the calling thread. The
threads start with SIGINT, SIGTERM and SIGHUP held back, so the main thread, which waits on
their results, is the one that takes a signal and stops the run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from equivmetrics._core.cores import threads_allowed, usable_cores

from .batch_output import held_signals

if TYPE_CHECKING:
    from concurrent.futures import ThreadPoolExecutor

__all__ = ["MOST_WORKERS", "Work", "Workers"]

#: The most threads that convert blocks ahead: polars spreads each block over the cores as
#: well, and each block held ahead is memory (up to :attr:`.batch_blocks.Blocks.size` bytes
#: and its frames).
MOST_WORKERS = 4


class Work(Protocol):
    """A block's work, done or under way (a ``concurrent.futures.Future``)."""

    def result(self) -> Any: ...

    def cancel(self) -> bool: ...


class _Done:
    """Work done at once, on the calling thread."""

    def __init__(self, value: object) -> None:
        self.value = value

    def result(self) -> object:
        return self.value

    def cancel(self) -> bool:
        return False


class Workers:
    """Threads that prepare blocks ahead: one per usable core, at most :data:`MOST_WORKERS`,
    none with only one core (then :meth:`submit` does the work at once). Threads start with
    SIGINT, SIGTERM and SIGHUP held back (:func:`.batch_output.held_signals`), so the main
    thread takes them."""

    def __init__(self) -> None:
        cores = usable_cores() if threads_allowed() else 1
        self.depth = min(cores, MOST_WORKERS) if cores > 1 else 0
        self.pool: ThreadPoolExecutor | None = None

    def __enter__(self) -> Workers:
        if self.depth:
            from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415 - only a run with a second core starts threads

            self.pool = ThreadPoolExecutor(self.depth, thread_name_prefix="equivmetrics-batch")
        return self

    def submit(self, work: Callable[..., object], *args: object) -> Work:
        if self.pool is None:
            return _Done(work(*args))
        with held_signals():
            return self.pool.submit(work, *args)

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
