"""A second thread for large arrays, and whether a core is free to run it.

Splitting a multiply between two threads only pays when the second thread gets a core at once;
on a busy machine it waits, and the work takes longer than on one thread (measured: 1.3 x
against 1.07 x numpy's multiply on two busy cores). :func:`second_core` says whether to use
it: not with ``EQUIVMETRICS_THREADS=1``, not with one usable core (the CPU affinity, less a
container's CPU quota from its control group, read once), and not when the machine's
run queue, read from ``/proc/loadavg`` at that moment, already holds as many threads as
there are cores less the one asking. The one-minute load average lags by tens of seconds, so
it is used only where there is no run queue to read. A reading is kept for 50 ms, so that a
stream of arrays does not read the file for each. Either way the result is the same; only the
time differs.

The helper threads (:func:`executor`) are one per usable core but the caller's, and
:func:`submit` gives work to one only when it is idle: threads converting at once never queue
their halves behind one another's.
"""

from __future__ import annotations

import functools
import math
import os
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .locks import new_lock

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

__all__ = ["executor", "second_core", "submit", "threads_allowed", "usable_cores"]

#: How long one reading of the run queue is used for, in seconds.
FRESH = 0.05

#: The most helper threads: each takes half of one caller's array.
MOST_HELPERS = 8

_pool: ThreadPoolExecutor | None = None
_pool_pid = 0
#: The helper threads of the pool, and how many are at work now (both under the lock).
_helpers = 1
_in_flight = 0
_lock = new_lock(sys.modules[__name__], "_lock")
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
    """The cores this process may run on: its CPU affinity, less a container's CPU quota."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    quota = _quota()
    return cores if quota is None else max(1, min(cores, math.ceil(quota)))


@functools.cache
def _quota() -> float | None:
    """The CPU quota of this process's control group, read once (None: none set)."""
    return cgroup_quota("/proc/self/cgroup", "/sys/fs/cgroup")


def _read(path: str) -> str:
    with open(path, encoding="ascii") as file:
        return file.read(4096)


def cgroup_quota(membership: str, root: str) -> float | None:
    """CPUs a control group may use (its quota over its period), from cgroup v2's ``cpu.max``
    or v1's ``cpu.cfs_quota_us`` and ``cpu.cfs_period_us``; None without a quota or a file."""
    try:
        lines = _read(membership).splitlines()
    except OSError:
        return None
    for line in lines:
        hierarchy, controllers, path = [*line.split(":", 2), "", ""][:3]
        try:
            if hierarchy == "0" and not controllers:  # v2: "max 100000" or "50000 100000"
                quota, period = _read(os.path.join(root, path.lstrip("/"), "cpu.max")).split()[:2]
            elif "cpu" in controllers.split(","):  # v1
                folder = os.path.join(root, controllers, path.lstrip("/"))
                quota = _read(os.path.join(folder, "cpu.cfs_quota_us")).strip()
                period = _read(os.path.join(folder, "cpu.cfs_period_us")).strip()
            else:
                continue
            if quota in {"max", "-1"}:
                continue
            if int(period) > 0 and int(quota) > 0:
                return int(quota) / int(period)
        except (OSError, ValueError):
            continue
    return None


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


def executor() -> ThreadPoolExecutor:
    """The helper threads of this process (a forked child makes its own: threads do not
    fork): one per usable core but the caller's, at least one, at most :data:`MOST_HELPERS`."""
    global _pool, _pool_pid, _helpers, _in_flight  # noqa: PLW0603 - one pool per process, made when first needed
    pool = _pool
    if pool is None or _pool_pid != os.getpid():
        from concurrent.futures import ThreadPoolExecutor  # noqa: PLC0415 - lazy: only an array large enough for a second thread starts one

        with _lock:
            if _pool is None or _pool_pid != os.getpid():
                _helpers = max(1, min(usable_cores() - 1, MOST_HELPERS))
                _pool = ThreadPoolExecutor(
                    max_workers=_helpers, thread_name_prefix="equivmetrics-scale"
                )
                _pool_pid = os.getpid()
                _in_flight = 0
            pool = _pool
    return pool


def submit(function: Callable[..., Any], *args: Any) -> Future[Any] | None:
    """``function(*args)`` started at once on an idle helper thread; None when every helper
    is busy with another caller's work (queued behind it, this caller would wait for that
    work too: with one shared helper, eight threads converting at once on a large machine
    waited for eight halves in turn) or when the interpreter is shutting down. On None the
    caller does the work itself."""
    global _in_flight  # noqa: PLW0603 - the count of helpers at work, under the lock
    pool = executor()
    with _lock:
        if _in_flight >= _helpers:
            return None
        _in_flight += 1
    try:
        future = pool.submit(function, *args)
    except RuntimeError:  # "cannot schedule new futures after (interpreter) shutdown"
        _finished(None)
        return None
    future.add_done_callback(_finished)
    return future


def _finished(_future: object) -> None:
    global _in_flight  # noqa: PLW0603 - the count of helpers at work, under the lock
    with _lock:
        _in_flight = max(0, _in_flight - 1)
