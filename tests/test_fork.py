"""Fork safety: a process forked while another thread loads packs does not deadlock.

A child of ``fork`` inherits every lock in the state the parent's threads left it; one held by
a thread that loads packs at that moment stayed held in the child for ever, and the child's
first load waited on it (multiprocessing on Linux, pre-fork servers). Every lock of the library
is renewed in the child (``os.register_at_fork``). A deadlock fails the test at the timeout of
``AsyncResult.get`` instead of hanging the suite.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from pathlib import Path
from typing import Any

import pytest

import equivmetrics as em
from equivmetrics._api import load as _load
from equivmetrics._core import locks, unit_defs, units
from equivmetrics._engine import bundled, warm

TENANTS = Path(__file__).resolve().parent / "packs" / "tenants"

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "register_at_fork"), reason="needs fork"),
    # Python 3.12 warns that forking a multi-threaded process may deadlock: the case tested
    pytest.mark.filterwarnings("ignore:.*multi-threaded.*:DeprecationWarning"),
]


def _child(index: int) -> tuple[float, float, float]:
    """In a forked child: the default engine, a tenant's units, a tenant's parameters."""
    tenant = em.load(TENANTS / "blip_b.yaml", bundled=False)
    busy = em.load().with_params(minutes_per_transaction=f"{index + 1} min")
    return (
        em.convert("12000 transaction/month", "manual_work").magnitude,
        tenant.convert("3 kblip", "b_energy").magnitude,
        busy.convert("12000 transaction/month", "manual_work").magnitude,
    )


def _load_forever(stop: threading.Event) -> None:
    while not stop.is_set():
        em.clear_cache()  # every load builds again, holding the loader's locks meanwhile
        em.load()
        em.load(TENANTS / "crate_12.yaml", bundled=False)
        with contextlib.suppress(em.PackError):
            em.load(TENANTS / "zork_broken.yaml", bundled=False)


def test_pools_forked_while_another_thread_loads_packs_finish() -> None:
    context = multiprocessing.get_context("fork")
    stop = threading.Event()
    loader = threading.Thread(target=_load_forever, args=(stop,), daemon=True)
    loader.start()
    try:
        for _ in range(6):
            with context.Pool(2) as pool:
                result = pool.map_async(_child, range(4))
                # 12,000 x 3 min = 600 h a month; 3 kblip = 3,000 blip (1 kWh each);
                # 12,000 x (i + 1) min = 200 (i + 1) h
                got = result.get(timeout=120)
                want = [(600.0, 3000.0, 200.0 * (i + 1)) for i in range(4)]
                assert [pytest.approx(row, rel=1e-12) for row in want] == got
    finally:
        stop.set()
        loader.join(timeout=120)


def test_a_forked_child_gets_every_lock_unlocked() -> None:
    """Each registered lock, held in the parent at the fork, is free in the child."""
    held: list[Any] = [units._lock, unit_defs._lock, warm._lock, bundled._lock, _load._lock]
    engine = em.load(TENANTS / "crate_12.yaml", bundled=False)
    held.append(engine._core._lock)
    for lock in held:
        lock.acquire()
    try:
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: try each lock without waiting
            free = [
                m._lock.acquire(blocking=False)
                for m in (units, unit_defs, warm, bundled, _load, engine._core)
            ]
            os.write(writer, bytes(int(f) for f in free))
            os._exit(0)
        os.close(writer)
        answer = os.read(reader, 16)
        os.close(reader)
        os.waitpid(pid, 0)
    finally:
        for lock in held:
            lock.release()
    assert answer == bytes([1] * 6)
    assert len(locks._owners) >= 6
