"""When large arrays get a second thread: a free core now, never with EQUIVMETRICS_THREADS=1."""

from __future__ import annotations

import threading
from pathlib import Path
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


def _tree(tmp_path: Path, membership: str, files: dict[str, str]) -> tuple[str, str]:
    (tmp_path / "cgroup").write_text(membership)
    for name, text in files.items():
        path = tmp_path / "fs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return str(tmp_path / "cgroup"), str(tmp_path / "fs")


@pytest.mark.parametrize(
    ("membership", "files", "quota"),
    [
        ("0::/pod/app\n", {"pod/app/cpu.max": "150000 100000\n"}, 1.5),  # cgroup v2
        ("0::/pod/app\n", {"pod/app/cpu.max": "max 100000\n"}, None),  # no quota
        (
            "11:memory:/x\n4:cpu,cpuacct:/docker/abc\n",
            {
                "cpu,cpuacct/docker/abc/cpu.cfs_quota_us": "50000\n",
                "cpu,cpuacct/docker/abc/cpu.cfs_period_us": "100000\n",
            },
            0.5,
        ),  # cgroup v1
        (
            "4:cpu,cpuacct:/\n",
            {"cpu,cpuacct/cpu.cfs_quota_us": "-1\n", "cpu,cpuacct/cpu.cfs_period_us": "100000\n"},
            None,
        ),
        ("0::/gone\n", {}, None),  # no such file
        ("0::/bad\n", {"bad/cpu.max": "lots 100000\n"}, None),  # unreadable
    ],
)
def test_a_containers_cpu_quota_is_read(
    tmp_path: Path, membership: str, files: dict[str, str], quota: float | None
) -> None:
    assert cores.cgroup_quota(*_tree(tmp_path, membership, files)) == quota


def test_a_quota_of_one_cpu_means_no_second_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """A container limited to 1.5 CPUs on an 8-core host may use two cores, to 0.5 CPU only one."""
    monkeypatch.setattr(cores.os, "sched_getaffinity", lambda pid: set(range(8)))
    monkeypatch.setattr(cores, "_quota", lambda: 1.5)
    assert cores.usable_cores() == 2
    monkeypatch.setattr(cores, "_quota", lambda: 0.5)
    assert cores.usable_cores() == 1
    assert not cores.spare_core(cores.usable_cores(), 1, 0.0)
    monkeypatch.setattr(cores, "_quota", lambda: None)
    assert cores.usable_cores() == 8


def test_threads_arriving_together_share_one_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cores, "_pool", None)
    pools: list[object] = []
    start = threading.Barrier(8)

    def first_use() -> None:
        start.wait()
        pools.append(cores.executor())

    threads = [threading.Thread(target=first_use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(pool) for pool in pools}) == 1


@pytest.fixture
def own_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pool of the test's own; the process's pool and its counts come back afterwards."""
    for name in ("_pool_pid", "_helpers", "_in_flight"):
        monkeypatch.setattr(cores, name, getattr(cores, name))
    monkeypatch.setattr(cores, "_pool", None)


@pytest.mark.usefixtures("own_pool")
def test_work_goes_to_a_helper_only_when_one_is_idle(monkeypatch: pytest.MonkeyPatch) -> None:
    """Work queued behind another caller's would make this caller wait for that work too:
    when every helper is busy the caller is told to do its half itself (None)."""
    monkeypatch.setattr(cores, "usable_cores", lambda: 3)  # two helpers
    cores.executor()
    assert cores._helpers == 2
    release = threading.Event()
    busy = [cores.submit(release.wait, 30) for _ in range(2)]
    assert all(future is not None for future in busy)
    assert cores.submit(lambda: "mine") is None  # both helpers at work: do it yourself
    release.set()
    assert [future.result(timeout=30) for future in busy if future is not None] == [True, True]
    for _ in range(200):  # the count drops as each helper finishes
        if cores._in_flight == 0:
            break
        threading.Event().wait(0.01)
    assert cores._in_flight == 0
    again = cores.submit(lambda: "mine")
    assert again is not None
    assert again.result(timeout=30) == "mine"


@pytest.mark.usefixtures("own_pool")
@pytest.mark.parametrize(("usable", "helpers"), [(1, 1), (2, 1), (4, 3), (64, cores.MOST_HELPERS)])
def test_one_helper_per_core_but_the_callers(
    monkeypatch: pytest.MonkeyPatch, usable: int, helpers: int
) -> None:
    monkeypatch.setattr(cores, "usable_cores", lambda: usable)
    cores.executor()
    assert cores._helpers == helpers


@pytest.mark.usefixtures("own_pool")
def test_a_forked_child_starts_with_no_helper_at_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """Work in flight in the parent never finishes in the child (its threads do not fork)."""
    cores.executor()
    monkeypatch.setattr(cores, "_in_flight", cores._helpers)  # the parent's helpers all busy
    monkeypatch.setattr(cores, "_pool_pid", -1)  # as a child sees it
    future = cores.submit(lambda: "child")
    assert future is not None
    assert future.result(timeout=30) == "child"
