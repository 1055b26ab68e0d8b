"""A second thread for large arrays, and whether a core is free to run it.

Splitting a multiply between two threads only pays when the second thread gets a core at once;
on a busy machine it waits, and the work takes longer than on one thread (measured: 1.3 x
against 1.07 x numpy's multiply on two busy cores). :func:`second_core` says whether to use
it: not with ``EQUIVMETRICS_THREADS=1``, not with one usable core, and not when the machine's
run queue, read from ``/proc/loadavg`` at that moment, already holds as many threads as
there are cores less the one asking. The one-minute load average lags by tens of seconds, so
it is used only where there is no run queue to read. A reading is kept for 50 ms, so that a
stream of arrays does not read the file for each. Either way the result is the same; only the
time differs.
"""

from __future__ import annotations

import os
import time
from typing import Any

__all__ = ["executor", "second_core", "threads_allowed"]

#: How long one reading of the run queue is used for, in seconds.
FRESH = 0.05

_pool: Any = None
_pool_pid = 0
#: (when, whether a core was free), from the last reading.
_reading: tuple[float, bool] = (-1.0, False)


def threads_allowed() -> bool:
    """False when ``EQUIVMETRICS_THREADS=1`` asks for the calling thread only."""
    return os.environ.get("EQUIVMETRICS_THREADS", "").strip() != "1"


def second_core() -> bool:
    """Whether to give half of a large array to the second thread now."""
    global _reading  # noqa: PLW0603 - one reading shared by the process's threads
    if not threads_allowed():
        return False
    now = time.monotonic()
    when, free = _reading
    if now - when >= FRESH or now < when:
        free = spare_core(usable_cores(), running(), load_average())
        _reading = (now, free)
    return free


def spare_core(cores: int, running_now: int | None, load: float | None) -> bool:
    """Whether a thread started now would find a core idle.

    ``running_now`` counts the runnable threads of the whole machine, the caller included;
    ``load`` is the one-minute load average, used only without ``running_now``.
    """
    if cores < 2:
        return False
    if running_now is not None:
        return running_now <= cores - 1
    if load is not None:
        return load < cores - 0.5
    return True  # nothing to go by (not Linux, no load average): as if idle


def usable_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def running() -> int | None:
    """Runnable threads on the machine now (``/proc/loadavg``'s fourth field), or None."""
    try:
        with open("/proc/loadavg", "rb") as file:
            fields = file.read(128).split()
        return int(fields[3].split(b"/")[0])
    except (OSError, IndexError, ValueError):
        return None


def load_average() -> float | None:
    """The one-minute load average, or None where there is none."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):  # pragma: no cover - no load average here
        return None


def executor() -> Any:
    """One worker thread per process (a forked child makes its own: threads do not fork)."""
    global _pool, _pool_pid  # noqa: PLW0603 - one pool per process, made when first needed
    if _pool is None or _pool_pid != os.getpid():
        from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415 - only when threading

        _pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="equivmetrics-scale")
        _pool_pid = os.getpid()
    return _pool
