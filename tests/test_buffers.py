"""Kept buffers for large results: lent once, lent again only when no array over them is left."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np
import polars as pl
import pytest

import equivmetrics as em
from equivmetrics._core import buffers, fused, scaled
from equivmetrics.polars import convert_polars, equiv_expr

#: The fewest values a kept buffer holds (MIN_BYTES of float64).
SIZE = buffers.MIN_BYTES // 8

pytestmark = pytest.mark.skipif(not buffers.enabled(), reason="kept buffers are POSIX only")


@pytest.fixture(autouse=True)
def empty() -> Iterator[None]:
    """Each test starts and ends with no buffer kept."""
    with mock.patch.object(buffers, "_slots", []):
        yield
    gc.collect()


def address(array: np.ndarray) -> int:
    return int(array.__array_interface__["data"][0])


def test_a_released_buffer_is_lent_again() -> None:
    first = buffers.float64_buffer(np, SIZE)
    assert first is not None
    assert first.shape == (SIZE,)
    assert first.dtype == np.float64
    assert first.flags.writeable
    where = address(first)
    del first
    again = buffers.float64_buffer(np, SIZE)
    assert again is not None
    assert address(again) == where
    assert len(buffers._slots) == 1


def test_a_result_s_base_reaches_no_further_than_its_values() -> None:
    longer = buffers.float64_buffer(np, SIZE + 1000)
    assert longer is not None
    longer[:] = 7.0
    del longer
    shorter = buffers.float64_buffer(np, SIZE + 10)  # the same buffer, rounded alike
    assert shorter is not None
    assert len(buffers._slots) == 1
    assert shorter.base.nbytes == (SIZE + 10) * 8  # the longer result's tail is out of reach
    assert np.frombuffer(shorter.base, dtype=np.float64).shape == (SIZE + 10,)


def test_a_buffer_in_use_is_not_lent() -> None:
    first = buffers.float64_buffer(np, SIZE)
    second = buffers.float64_buffer(np, SIZE)
    assert first is not None
    assert second is not None
    assert not np.shares_memory(first, second)


@pytest.mark.parametrize("holder", ["view", "polars Series", "memoryview", "reshaped"])
def test_whatever_still_reads_the_memory_keeps_it(holder: str) -> None:
    array = buffers.float64_buffer(np, SIZE)
    assert array is not None
    array[:] = 2.5
    kept: object
    if holder == "view":
        kept = array[10:]
    elif holder == "polars Series":
        kept = pl.Series("x", array)
    elif holder == "memoryview":
        kept = memoryview(array)
    else:
        kept = array.reshape(-1, 2)
    del array
    gc.collect()
    other = buffers.float64_buffer(np, SIZE)
    assert other is not None
    other[:] = -1.0  # would show through `kept` if it were the same memory
    values = kept.to_numpy() if isinstance(kept, pl.Series) else np.asarray(kept)
    assert (values == 2.5).all()


def test_sizes_share_buffers_of_the_same_rounded_size() -> None:
    first = buffers.float64_buffer(np, SIZE + 10)  # rounded up to the next 2 MiB
    assert first is not None
    where = address(first)
    del first
    longer = buffers.float64_buffer(np, SIZE + 1000)  # the same rounded size
    assert longer is not None
    assert longer.shape == (SIZE + 1000,)
    assert address(longer) == where
    del longer
    much_longer = buffers.float64_buffer(np, 2 * SIZE)
    assert much_longer is not None
    assert address(much_longer) != where


def test_small_results_and_the_switch_give_none(monkeypatch: pytest.MonkeyPatch) -> None:
    assert buffers.float64_buffer(np, SIZE - 1) is None
    monkeypatch.setenv("EQUIVMETRICS_BUFFERS", "off")
    assert not buffers.enabled()
    assert buffers.float64_buffer(np, SIZE) is None
    monkeypatch.setenv("EQUIVMETRICS_BUFFERS", " On ")
    assert buffers.enabled()


def test_buffers_in_use_are_all_kept() -> None:
    held = [buffers.float64_buffer(np, SIZE) for _ in range(buffers.MOST_FREE + 3)]
    assert len(buffers._slots) == buffers.MOST_FREE + 3
    assert not any(slot.free() for slot in buffers._slots)
    assert len({address(a) for a in held if a is not None}) == buffers.MOST_FREE + 3


def test_a_failed_mapping_falls_back_to_none() -> None:
    with mock.patch.object(buffers.mmap, "mmap", side_effect=OSError(12, "no memory")):
        assert buffers.float64_buffer(np, SIZE) is None
    assert buffers._slots == []


class Reentering:
    """numpy, but making an array first runs ``nested`` (as a garbage collection's finalizer
    converting another column would, through the re-entrant lock)."""

    float64 = np.float64

    def __init__(self, nested: int) -> None:
        self.nested = nested
        self.made: list[np.ndarray | None] = []

    def frombuffer(self, *args: object, **kwargs: object) -> np.ndarray:
        if self.nested:
            self.nested -= 1
            self.made.append(buffers.float64_buffer(self, SIZE))
        return np.frombuffer(*args, **kwargs)  # type: ignore[call-overload]


@pytest.mark.parametrize("free_before", [False, True])
def test_a_conversion_nested_in_lending_is_never_lent_the_same_buffer(free_before: bool) -> None:
    if free_before:  # the outer call finds a free buffer; else it makes a new one
        held = buffers.float64_buffer(np, SIZE)
        del held
    fake = Reentering(nested=2)
    outer = buffers.float64_buffer(fake, SIZE)
    arrays = [outer, *fake.made]
    assert all(a is not None for a in arrays)
    assert len(arrays) == 3
    for i, one in enumerate(arrays):
        for other in arrays[i + 1 :]:
            assert not np.shares_memory(one, other)
    assert sum(not slot.free() for slot in buffers._slots) == 3


def test_a_failure_while_lending_frees_the_slot() -> None:
    class Failing:
        float64 = np.float64

        def frombuffer(self, *args: object, **kwargs: object) -> np.ndarray:
            raise MemoryError

    held = buffers.float64_buffer(np, SIZE)
    del held
    with pytest.raises(MemoryError):
        buffers.float64_buffer(Failing(), SIZE)
    assert [slot.free() for slot in buffers._slots] == [True]


def test_released_buffers_beyond_most_free_are_unmapped_at_once() -> None:
    held = [buffers.float64_buffer(np, SIZE) for _ in range(buffers.MOST_FREE + 3)]
    del held
    gc.collect()
    assert len(buffers._slots) == buffers.MOST_FREE
    assert all(slot.free() for slot in buffers._slots)


def test_threads_never_share_a_buffer_in_use() -> None:
    errors: list[str] = []
    start = threading.Barrier(6)

    def work(mark: float) -> None:
        start.wait()
        for _ in range(40):
            array = buffers.float64_buffer(np, SIZE)
            assert array is not None
            array[::4096] = mark
            if not (array[::4096] == mark).all():
                errors.append(f"thread {mark}: another thread wrote into its buffer")
            del array

    threads = [threading.Thread(target=work, args=(float(i),)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(buffers._slots) <= 6 + buffers.MOST_FREE


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_writes_its_own_copy() -> None:
    array = buffers.float64_buffer(np, SIZE)
    assert array is not None
    array[:] = 1.0
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            array[:] = 9.0
            os.write(write, b"1" if (array == 9.0).all() else b"0")
        finally:
            os._exit(0)
    os.close(write)
    assert os.read(read, 1) == b"1"
    os.close(read)
    os.waitpid(pid, 0)
    assert (array == 1.0).all()


# -- the polars path -------------------------------------------------------------------------


@pytest.fixture
def compiled() -> None:
    if fused.kernel() is None:
        pytest.skip(f"the compiled loop is not available: {fused.status()}")


def test_a_polars_result_lives_in_a_kept_buffer_and_outlives_the_next(compiled: None) -> None:
    engine = em.load()
    factor = engine.compile("kWh", "co2e").factor
    values = np.linspace(0.0, 5000.0, SIZE)
    frame = pl.DataFrame({"kwh": values})
    expr = equiv_expr("kwh", "co2e", from_unit="kWh", engine=engine)
    first = frame.select(expr)["co2e [t]"]
    assert any(np.shares_memory(first.to_numpy(), np.frombuffer(s.memory)) for s in buffers._slots)
    want = (values * factor).view(np.int64)
    second = pl.DataFrame({"kwh": values[::-1].copy()}).select(expr)["co2e [t]"]
    assert (first.to_numpy().view(np.int64) == want).all()  # not overwritten by the second
    assert (second.to_numpy()[::-1].view(np.int64) == want).all()
    del first, second
    gc.collect()
    again = convert_polars(frame["kwh"], "co2e", from_unit="kWh", engine=engine)
    assert (again.to_numpy().view(np.int64) == want).all()
    assert len(buffers._slots) == 2  # the two released buffers, lent again


def test_a_polars_column_with_a_negative_value_is_refused_from_a_kept_buffer(
    compiled: None,
) -> None:
    values = np.linspace(0.0, 5000.0, SIZE)
    values[SIZE - 3] = -2.0
    frame = pl.DataFrame({"kwh": values})
    with pytest.raises(em.NegativeValueError, match=r"column 'kwh'"):
        frame.select(equiv_expr("kwh", "co2e", from_unit="kWh"))
    gc.collect()
    assert all(slot.free() for slot in buffers._slots)  # the product was dropped


def test_huge_values_go_to_polars_multiply_and_give_infinity(compiled: None) -> None:
    engine = em.load()
    factor = engine.compile("kWh", "co2e", unit="g").factor
    assert factor > 1  # so a product can overflow, and the loop hands such values back
    values = np.full(SIZE, sys.float_info.max / 2)
    values[0] = 1.0
    got = convert_polars(pl.Series("kwh", values), "co2e", from_unit="kWh", unit="g", engine=engine)
    assert got[0] == factor
    assert got[1] == np.inf
    assert (got.to_numpy() == (pl.Series(values) * factor).to_numpy()).all()


def test_without_the_compiled_loop_polars_multiplies(monkeypatch: pytest.MonkeyPatch) -> None:
    """numpy's blocks would warn of an overflow (or raise, under ``np.errstate``) where polars
    gives infinity silently: the kept path needs numba's loop."""
    monkeypatch.setattr(fused, "kernel", lambda: None)
    values = np.full(SIZE, sys.float_info.max / 2)
    assert scaled.kept_product(values, 4.0) is None
    engine = em.load()
    with np.errstate(over="raise"):
        got = convert_polars(
            pl.Series("kwh", values), "co2e", from_unit="kWh", unit="g", engine=engine
        )
    assert got[0] == np.inf
    assert buffers._slots == []


# -- numpy results ---------------------------------------------------------------------------


def test_a_large_numpy_result_lives_in_a_kept_buffer_and_outlives_the_next() -> None:
    engine = em.load()
    factor = engine.compile("kWh", "co2e").factor
    values = np.linspace(0.0, 5000.0, scaled.KEPT_SIZE).reshape(2, -1)
    first = engine.convert((values, "kWh"), "co2e").magnitude
    assert first.shape == values.shape
    assert not first.flags.owndata
    assert any(np.shares_memory(first, np.frombuffer(s.memory)) for s in buffers._slots)
    want = (values * factor).view(np.int64)
    second = engine.convert((values[:, ::-1].copy(), "kWh"), "co2e").magnitude
    assert (first.view(np.int64) == want).all()
    assert (second[:, ::-1].view(np.int64) == want).all()
    del first, second
    gc.collect()
    assert len(buffers._slots) == 2
    assert all(slot.free() for slot in buffers._slots)


def test_a_numpy_result_just_below_the_size_is_numpys_own() -> None:
    values = np.ones(scaled.KEPT_SIZE - 1)
    got = em.convert((values, "kWh"), "co2e").magnitude
    assert got.flags.owndata
    assert buffers._slots == []


def test_a_large_numpy_array_with_a_negative_value_leaves_no_buffer_in_use() -> None:
    values = np.ones(scaled.KEPT_SIZE)
    values[-1] = -1.0
    with pytest.raises(em.NegativeValueError):
        em.convert((values, "kWh"), "co2e")
    gc.collect()
    assert all(slot.free() for slot in buffers._slots)


def test_free_buffers_hold_at_most_most_free_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(buffers, "MOST_FREE_BYTES", 3 * buffers.MIN_BYTES)
    held = [buffers.float64_buffer(np, SIZE) for _ in range(4)]
    big = buffers.float64_buffer(np, 4 * SIZE)  # larger than the bound alone
    assert big is not None
    del held, big
    gc.collect()
    free = [slot for slot in buffers._slots if slot.free()]
    assert sum(slot.capacity for slot in free) <= 3 * buffers.MIN_BYTES
    assert [slot.capacity for slot in free] == [buffers.MIN_BYTES] * 3


# -- what a reviewer found: readers through the mapping, a busy lock, shutdown, errstate ----


@pytest.mark.parametrize(
    "reader", ["the base memoryview", "an array of it", "a view of it", "the mapping itself"]
)
def test_a_reader_through_the_mapping_keeps_it(reader: str) -> None:
    array = buffers.float64_buffer(np, SIZE)
    assert array is not None
    array[:] = 2.5
    base = array.base
    assert isinstance(base, memoryview)
    kept: Any
    if reader == "the base memoryview":
        kept = base
    elif reader == "an array of it":
        kept = np.frombuffer(base, dtype=np.float64)
    elif reader == "a view of it":
        kept = memoryview(base)
    else:
        kept = base.obj  # the mmap object, no buffer of it exported
    del array, base
    gc.collect()
    for _ in range(3):
        other = buffers.float64_buffer(np, SIZE)
        assert other is not None
        other[:] = -1.0
    assert (np.frombuffer(kept, dtype=np.float64)[:SIZE] == 2.5).all()
    del kept
    gc.collect()
    reused = buffers.float64_buffer(np, SIZE)  # nothing reads the first buffer now
    assert reused is not None
    assert len(buffers._slots) <= 3


def test_a_release_never_waits_for_a_busy_lock() -> None:
    array = buffers.float64_buffer(np, SIZE)
    assert array is not None
    holding, done = threading.Event(), threading.Event()

    def hold() -> None:
        with buffers._lock:
            holding.set()
            done.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(10)
    box = [array]
    del array
    released = threading.Thread(target=box.clear)  # drops the last reference there
    released.start()
    released.join(5)
    assert not released.is_alive()  # it did not wait for the lock
    assert len(buffers._pending) == 1
    done.set()
    holder.join()
    again = buffers.float64_buffer(np, SIZE)  # the queued release is done first
    assert again is not None
    assert len(buffers._slots) == 1
    assert not buffers._pending


def test_results_held_until_the_interpreter_exits_leave_no_noise(tmp_path: Path) -> None:
    size = scaled.KEPT_SIZE
    code = (  # a view held by numba (its base a numba MemInfo) outlives the module's globals
        "import numpy as np, numba, equivmetrics as em\n"
        "@numba.njit\n"
        "def tail(a):\n"
        "    return a[1:]\n"
        f"t = tail(em.convert((np.ones({size}), 'kWh'), 'co2e').magnitude)\n"
        f"m = em.convert((np.ones({size}), 'kWh'), 'co2e').magnitude\n"
        "print('done')\n"
    )
    (tmp_path / "held.py").write_text(code, encoding="utf-8")  # not -c: a file's module
    for seed in ("1", "2"):  # the order modules are torn down in follows the hash seed
        done = subprocess.run(
            [sys.executable, "-X", "dev", "held.py"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            cwd=tmp_path,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "done"
        assert done.stderr == ""


def test_the_second_thread_applies_the_callers_errstate() -> None:
    values = np.ones(scaled.KEPT_SIZE)
    values[-10:] = sys.float_info.max  # in the second thread's half only
    with np.errstate(over="raise"), pytest.raises(FloatingPointError):
        scaled.scale(values, 4.0, threads=True, kernel=False)
