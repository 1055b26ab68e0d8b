"""When large arrays get a second thread: a free core now, never with EQUIVMETRICS_THREADS=1."""

from __future__ import annotations

from unittest import mock

import pytest

from equivmetrics._core import cores


def test_a_forked_child_gets_its_own_thread() -> None:
    """The worker thread belongs to the process that made it; a new pid makes a new one."""
    first = cores.executor()
    with mock.patch.object(cores, "_pool_pid", -1):
        second = cores.executor()
    assert second is not first
    assert cores.executor() is second


def test_threads_can_be_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cores, "_reading", (-1.0, True))
    monkeypatch.setenv("EQUIVMETRICS_THREADS", "1")
    assert not cores.threads_allowed()
    assert not cores.second_core()
    monkeypatch.setenv("EQUIVMETRICS_THREADS", "")
    assert cores.threads_allowed()


@pytest.mark.parametrize(
    ("usable", "running_now", "load", "spare"),
    [
        (1, 1, 0.0, False),  # one core: never
        (2, 1, 1.9, True),  # only the caller runs: the other core is free, whatever the average
        (2, 2, 0.1, False),  # something else runs now, though the average is low
        (8, 7, 9.0, True),
        (8, 8, 0.0, False),
        (2, None, 0.9, True),  # no run queue to read: the load average decides
        (2, None, 1.6, False),
        (2, None, None, True),  # nothing to go by
    ],
)
def test_a_second_thread_only_with_a_core_free_now(
    usable: int, running_now: int | None, load: float | None, spare: bool
) -> None:
    assert cores.spare_core(usable, running_now, load) is spare


def test_the_run_queue_is_read_from_proc() -> None:
    running_now = cores.running()
    try:
        with open("/proc/loadavg", "rb") as file:
            expected_known = True
            file.read()
    except OSError:
        expected_known = False
    assert (running_now is not None) is expected_known
    if running_now is not None:
        assert running_now >= 1  # this test itself is running


def test_a_reading_is_kept_for_a_moment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EQUIVMETRICS_THREADS", raising=False)
    monkeypatch.setattr(cores, "_reading", (-1.0, False))
    clock = [100.0]
    readings: list[int] = []
    monkeypatch.setattr(cores.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(cores, "usable_cores", lambda: 2)

    def running(count: int) -> int:
        readings.append(count)
        return count

    monkeypatch.setattr(cores, "running", lambda: running(1))
    assert cores.second_core()
    clock[0] += cores.FRESH / 2
    assert cores.second_core()
    assert len(readings) == 1  # the same reading
    clock[0] += cores.FRESH
    monkeypatch.setattr(cores, "running", lambda: running(2))
    assert not cores.second_core()  # read again: now the machine is busy
    assert readings == [1, 2]
