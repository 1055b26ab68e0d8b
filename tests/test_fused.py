"""numba's compiled check-and-multiply, its fallbacks, and the polars check run alongside.

The products are compared with numpy's ``x * factor`` byte for byte (NaN payloads included),
the negative flag with ``(x < 0).any()`` worked out by numpy; the fallbacks (no numba, numba
failing to compile, ``EQUIVMETRICS_JIT=off``) must leave every result as it was.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
import threading
from collections.abc import Iterator
from typing import Any
from unittest import mock

import numpy as np
import polars as pl
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import equivmetrics as em
from equivmetrics._core import buffers, cores, fused, scaled, vectors
from equivmetrics._core.quantity import split
from equivmetrics.polars import convert_polars, equiv_expr
from strategies import SETTINGS

FLOATS = st.floats(allow_nan=True, allow_infinity=True, allow_subnormal=True, width=64)
ARRAYS = hnp.arrays(np.float64, st.integers(0, 60), elements=FLOATS)
FACTORS = st.floats(min_value=5e-324, max_value=1e300)  # subnormal factors too


def compiled() -> fused.Kernel:
    loop = fused.kernel()
    if loop is None:
        pytest.skip(f"numba's loop is not available here: {fused.status()}")
    return loop


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """The module as in a new process: nothing compiled, nothing decided."""
    monkeypatch.setattr(fused, "_kernel", None)
    monkeypatch.setattr(fused, "_check", None)
    monkeypatch.setattr(fused, "_status", "")
    monkeypatch.setattr(fused, "_stream", None)
    monkeypatch.setattr(fused, "_stream_status", "")


def same_bytes(a: Any, b: Any) -> bool:
    return bool(a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes())


@SETTINGS
@given(values=ARRAYS, factor=FACTORS)
def test_the_loop_is_numpys_multiply_bit_for_bit(values: Any, factor: float) -> None:
    """Unusual: a value below zero, or one whose product could overflow. Otherwise the products
    are numpy's, and numpy's own multiply would not have overflowed."""
    loop = compiled()
    out = np.empty_like(values)
    limit = scaled.overflow_limit(factor)
    unusual = loop(values, factor, limit, out)
    with np.errstate(invalid="ignore", over="ignore", under="ignore"):
        assert unusual == bool((values < 0).any() or (values > limit).any())
        assert same_bytes(out, values * factor)
    if not unusual:
        with np.errstate(over="raise", invalid="ignore", under="ignore"):
            values * factor


@SETTINGS
@given(factor=st.floats(min_value=1.0, max_value=1e300, exclude_min=True))
def test_the_overflow_limit_is_safe_and_close(factor: float) -> None:
    """Below the limit no product overflows; a little above it, numpy's does (or nearly)."""
    limit = scaled.overflow_limit(factor)
    with np.errstate(over="raise"):
        np.float64(limit) * factor
    assert limit * factor > sys.float_info.max * (1 - 1e-14)


@SETTINGS
@given(values=ARRAYS, factor=FACTORS)
def test_the_loop_reads_a_read_only_array(values: Any, factor: float) -> None:
    """pandas 3 hands out read-only views of a Series' values (copy on write)."""
    loop = compiled()
    values.flags.writeable = False
    out = np.empty_like(values)
    loop(values, factor, scaled.overflow_limit(factor), out)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        assert same_bytes(out, values * factor)


@pytest.mark.parametrize("kernel", [True, False])
def test_numpys_error_settings_hold_on_the_fast_path(kernel: bool) -> None:
    """Overflow warns (or raises under errstate) and underflow raises when asked, as numpy's own
    multiply does, whichever engine multiplies."""
    engine = em.load()
    tonnes = engine.compile("t", "co2e", unit="kg")  # factor 1000
    assert tonnes.factor == 1000
    huge = np.full(40_000, 1e306)
    patch = mock.patch.object(fused, "kernel", return_value=None) if not kernel else None
    with contextlib.ExitStack() as stack:
        if patch is not None:
            stack.enter_context(patch)
        with np.errstate(over="raise"), pytest.raises(FloatingPointError, match="overflow"):
            tonnes.apply(huge)
        with pytest.warns(RuntimeWarning, match="overflow"):
            assert np.isinf(tonnes.apply(huge).magnitude).all()
        grams = engine.compile("g", "co2e", unit="t")  # factor 1e-6
        with np.errstate(under="raise"), pytest.raises(FloatingPointError, match="underflow"):
            grams.apply(np.full(40_000, 1e-305))


def test_patching_the_kernel_away_reaches_numpys_blocks() -> None:
    """What is kept per numpy settings object is only whether underflow is ignored: the
    loop itself is asked for each time, so a test (or numba failing) can take it away."""
    scaled._loop(np)  # any earlier conversion in the process
    with mock.patch.object(fused, "kernel", return_value=None):
        assert scaled._loop(np) is None
    assert scaled._loop(np) is fused.kernel()


def test_the_loop_follows_numpys_error_settings_as_they_change() -> None:
    """The answer kept for numpy's settings object changes with them: a block asking for
    underflow, ``np.seterr`` and another thread's settings are each seen."""
    grams = em.load().compile("g", "co2e", unit="t")  # factor 1e-6
    tiny = np.full(40_000, 1e-305)
    expected = scaled._loop(np)
    for _ in range(2):
        with np.errstate(under="raise"), pytest.raises(FloatingPointError, match="underflow"):
            grams.apply(tiny)
        assert scaled._loop(np) is expected  # back to the defaults: the loop again
    previous = np.seterr(under="raise")
    try:
        with pytest.raises(FloatingPointError, match="underflow"):
            grams.apply(tiny)
        seen: list[object] = []
        worker = threading.Thread(target=lambda: seen.append(scaled._loop(np)))
        worker.start()
        worker.join()
        assert seen == [expected]  # a new thread starts with numpy's defaults
        with pytest.raises(FloatingPointError, match="underflow"):
            grams.apply(tiny)
    finally:
        np.seterr(**previous)
    assert scaled._loop(np) is expected


@pytest.mark.parametrize(
    ("make", "eligible"),
    [
        (lambda: np.arange(8.0), True),
        (lambda: np.arange(8.0).astype(">f8"), False),  # not the machine's byte order
        (lambda: np.frombuffer(b"\0" + bytes(64), dtype=np.float64, offset=1), False),  # unaligned
        (lambda: np.arange(16.0)[::2], False),  # not contiguous
        (lambda: np.arange(8, dtype=np.float32), False),
    ],
)
def test_only_arrays_the_loop_takes_are_eligible(make: Any, eligible: bool) -> None:
    values = make()
    with mock.patch.object(scaled, "MIN_SIZE", 0):
        assert scaled.fast_eligible(values) is eligible
        if fused.kernel() is not None and eligible:
            fused.kernel()(values, 2.0, scaled.overflow_limit(2.0), np.empty_like(values))


class _Sub(np.ndarray):
    """A subclass of ndarray: not the short road's exact type."""


@pytest.mark.parametrize(
    ("make", "short"),
    [
        (lambda: np.linspace(0.0, 9.0, 64), True),
        (lambda: np.linspace(0.0, 9.0, 64).view(_Sub), False),
        (lambda: np.linspace(0.0, 9.0, 64).reshape(8, 8), False),  # not one-dimensional
        (lambda: np.frombuffer(b"\0" + bytes(512), dtype=np.float64, offset=1), False),  # unaligned
        (lambda: np.linspace(0.0, 9.0, 128)[::2], False),  # not contiguous
        (lambda: np.linspace(0.0, 9.0, 64).astype(">f8"), False),  # not native
    ],
)
@pytest.mark.parametrize("factor", [0.25, 4.0])  # the sign alone; the sign and overflow
def test_the_short_road_takes_only_plain_vectors(make: Any, short: bool, factor: float) -> None:
    """The common case (a contiguous, aligned, one-dimensional float64 ndarray) skips the
    general checks; anything else reaches them, and every product is numpy's."""
    loop = compiled()
    values = make()
    readonly = values.copy()
    readonly.flags.writeable = False
    scaled._loop(np)  # numpy's settings seen once (any earlier conversion does this)
    general = mock.Mock(wraps=scaled._general)
    with (
        mock.patch.object(scaled, "MIN_SIZE", 0),
        mock.patch.object(scaled, "_general", general),
    ):
        for array in (values, readonly):
            output = scaled.fast_product(array, factor)
            eligible = scaled.fast_eligible(array)
            assert (output is not None) is eligible
            if output is not None:
                assert same_bytes(output, array.astype("=f8") * factor)
                assert type(output) is np.ndarray
    assert general.called is not short
    assert loop is fused.kernel()


@pytest.mark.parametrize(
    ("make", "plain"),
    [
        (lambda: np.linspace(0.0, 1.0, 8), True),
        (lambda: np.linspace(0.0, 1.0, 8).reshape(2, 4), True),
        (lambda: np.linspace(0.0, 1.0, 8).view(_Sub), False),
        (lambda: np.ma.masked_array([1.0, 2.0], mask=[False, True]), False),
        (lambda: np.linspace(0.0, 1.0, 8).astype(">f8"), False),
        (lambda: np.arange(8, dtype=np.float32), False),
        (lambda: 2.5, False),
    ],
)
def test_a_plain_float64_array_is_told_by_identity(make: Any, plain: bool) -> None:
    """What the pair reader's short road takes; everything else is read as before (a masked
    array's masked values become NaN)."""
    em.load().convert((np.ones(40_000), "kWh"), "co2e")  # numpy learnt, as in any process
    value = make()
    assert vectors.plain_float64(value) is plain
    magnitude, unit = split((value, "kWh"))
    assert unit == "kWh"
    if isinstance(value, np.ma.MaskedArray):
        assert same_bytes(magnitude, np.array([1.0, np.nan]))
    elif plain or isinstance(value, float):
        assert magnitude is value


@pytest.mark.parametrize("factor", [0.25, 4.0])
def test_the_short_road_hands_back_unusual_vectors(factor: float) -> None:
    """A value below zero, or one whose product would overflow, sends the array to the plain
    path (None); NaN and negative zero do not."""
    compiled()
    scaled._loop(np)
    with mock.patch.object(scaled, "MIN_SIZE", 0):
        clean = np.array([0.0, -0.0, np.nan, 1.5, 1e300 if factor < 1 else 1.0])
        assert same_bytes(scaled.fast_product(clean, factor), clean * factor)
        assert scaled.fast_product(np.array([1.0, -1e-320, 2.0]), factor) is None
        huge = scaled.overflow_limit(factor) * 1.0000001
        assert (scaled.fast_product(np.array([1.0, huge]), factor) is None) is (factor > 1)


def test_the_short_road_works_out_each_factors_limit() -> None:
    """The overflow limit kept from the last call is used only for the same factor: factors in
    turn (one that can overflow, one that cannot, NaN) each flag what their own limit says."""
    compiled()
    scaled._loop(np)
    big = np.array([1.0, 1e306, 2.0])  # overflows times 1000, not times 0.5
    with mock.patch.object(scaled, "MIN_SIZE", 0):
        for _ in range(2):
            assert scaled.fast_product(big, 1000.0) is None
            assert same_bytes(scaled.fast_product(big, 0.5), big * 0.5)
            assert scaled.fast_product(big, math.nan) is None  # every value unusual
            assert scaled.fast_product(big, 1000.0) is None
            assert scaled.fast_product(big, 1000.0) is None  # the kept limit, again


ANY_FACTOR = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True, allow_subnormal=True, width=64),
    st.sampled_from([0.0, -0.0, math.inf, -math.inf, math.nan, -1000.0, 1000.0]),
)


@SETTINGS
@given(values=ARRAYS, factor=ANY_FACTOR)
@example(values=np.array([1.0, math.inf]), factor=0.0)
@example(values=np.array([1.0, math.inf]), factor=-0.0)
@example(values=np.array([0.0, 2.0]), factor=math.inf)
@example(values=np.array([1e306, 2.0]), factor=-1000.0)
def test_no_value_the_loop_takes_is_one_numpy_would_warn_about(values: Any, factor: float) -> None:
    """Whatever the factor (zero, negative zero, negative, infinite, NaN), every value the loop
    multiplies itself is one whose product numpy gives without an overflow or invalid-value
    warning: infinity times zero, or a huge value times a large negative factor, is unusual and
    left to numpy's multiply (which warns, or raises under ``np.errstate``). The products are
    numpy's bit for bit."""
    loop = compiled()
    limit = scaled.overflow_limit(factor)
    out = np.empty_like(values)
    unusual = bool(loop(values, factor, limit, out))
    with np.errstate(all="ignore"):
        assert unusual == bool((values < 0).any() or (values > limit).any())
        assert same_bytes(out, values * factor)
    taken = values[~((values < 0) | (values > limit))]
    with np.errstate(over="raise", invalid="raise", under="ignore"):
        taken * factor


@pytest.mark.parametrize("factor", [0.0, -0.0])
def test_infinity_times_a_zero_factor_warns_as_numpys_multiply_does(factor: float) -> None:
    """An engine whose factor is zero (a tenant's renewable supply at 0 kg/kWh) converting an
    infinite reading: NaN, with numpy's "invalid value" warning, or its error under
    ``np.errstate(invalid="raise")``, on the fused path as on the plain one."""
    compiled()
    scaled._loop(np)
    values = np.full(scaled.MIN_SIZE, 5.0)
    values[7] = math.inf
    assert scaled.fast_product(values, factor) is None  # handed to the plain path
    with pytest.warns(RuntimeWarning, match="invalid value"):
        product = scaled.times(values, factor, "refuse", "electricity", "kWh")
    assert math.isnan(product[7])
    assert (product[:7] == 0).all()
    with np.errstate(invalid="raise"), pytest.raises(FloatingPointError, match="invalid"):
        scaled.times(values, factor, "refuse", "electricity", "kWh")


def test_a_negative_factors_overflow_is_numpys() -> None:
    """A negative factor's limit is that of its size: 1e306 times -1000 overflows to -inf,
    so it goes to numpy's multiply, which warns."""
    assert scaled.overflow_limit(-1000.0) == scaled.overflow_limit(1000.0) < 1e306
    assert scaled.overflow_limit(-0.5) == math.inf
    assert scaled.overflow_limit(math.inf) == scaled.overflow_limit(-math.inf) == -math.inf
    compiled()
    scaled._loop(np)
    values = np.full(scaled.MIN_SIZE, 2.0)
    values[3] = 1e306
    assert scaled.fast_product(values, -1000.0) is None
    with pytest.warns(RuntimeWarning, match="overflow"):
        assert scaled.times(values, -1000.0, "refuse", "electricity", "kWh")[3] == -math.inf


@pytest.mark.parametrize(
    ("values", "out"),
    [
        (np.ones((300, 200), order="F"), None),  # a flat view of it would be a copy
        (np.ones(60_000)[::2], None),
        (np.ones(60_000, dtype=np.float32), None),
        (np.ones((300, 200)), np.empty((300, 200), order="F")),
        (np.ones(60_000), np.empty(120_000)[::2]),
        (np.ones(60_000), np.empty(59_999)),
    ],
    ids=["F-ordered", "strided", "float32", "F-ordered out", "strided out", "short out"],
)
def test_scale_refuses_arrays_it_would_get_wrong(values: Any, out: Any) -> None:
    """``scale`` writes through flat views: an array that is not C-contiguous float64 would be
    copied and the product lost, so it is refused, naming what it takes."""
    with pytest.raises(em.InputTypeError, match=r"scale\(\) takes C-contiguous.*fast_eligible"):
        scaled.scale(values, 2.0, out=out)


def test_a_numpy_scalar_factor_gets_the_limit_of_its_value() -> None:
    """A float32 factor's limit is worked out in float64 (in float32 it was infinite), and the
    limit kept for it serves the same value as a Python float."""
    assert scaled.overflow_limit(np.float32(2.0)) == scaled.overflow_limit(2.0) < math.inf  # type: ignore[arg-type]
    compiled()
    scaled._loop(np)
    big = np.array([1.0, 1e308])
    with mock.patch.object(scaled, "MIN_SIZE", 0):
        assert scaled.fast_product(big, np.float32(2.0)) is None  # type: ignore[arg-type]
        assert scaled.fast_product(big, 2.0) is None


def test_the_short_road_is_closed_while_numpy_reports_underflow() -> None:
    """Settings other than those seen (here: underflow raises) take the general road, where
    numpy's multiply runs and raises as numpy would."""
    compiled()
    scaled._loop(np)
    tiny = np.full(64, 1e-305)
    with (
        mock.patch.object(scaled, "MIN_SIZE", 0),
        np.errstate(under="raise"),
        pytest.raises(FloatingPointError, match="underflow"),
    ):
        scaled.fast_product(tiny, 1e-6)


@pytest.mark.parametrize("dtype", [">f8", "<f8"])
def test_either_byte_order_converts_alike(dtype: str) -> None:
    values = np.linspace(0.0, 5.0, 40).astype(dtype)
    compiled_path = em.load().compile("kWh", "co2e")
    with mock.patch.object(scaled, "MIN_SIZE", 0):
        result = compiled_path.apply(values)
    assert same_bytes(result.magnitude, values.astype("=f8") * compiled_path.factor)


def test_threads_share_the_loop() -> None:
    """Eight threads at once, each its own array: every product is its own."""
    loop = compiled()
    arrays = [np.random.default_rng(seed).random(200_000) for seed in range(8)]
    outs: dict[int, Any] = {}

    def run(index: int) -> None:
        out = np.empty_like(arrays[index])
        assert not loop(arrays[index], 3.5, scaled.overflow_limit(3.5), out)
        outs[index] = out

    threads = [threading.Thread(target=run, args=(index,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(same_bytes(outs[index], arrays[index] * 3.5) for index in range(8))


def test_the_status_says_the_loop_is_compiled(fresh: None) -> None:
    pytest.importorskip("numba")
    assert fused.status().startswith("compiled with numba ")
    assert fused.kernel() is not None


@pytest.mark.parametrize("setting", ["off", "OFF", "0", "no", "false"])
def test_the_loop_can_be_switched_off(
    fresh: None, monkeypatch: pytest.MonkeyPatch, setting: str
) -> None:
    monkeypatch.setenv("EQUIVMETRICS_JIT", setting)
    assert fused.kernel() is None
    assert fused.status() == "off: EQUIVMETRICS_JIT asks for numpy's multiply"


def test_without_numba_numpy_multiplies(fresh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "numba", None)  # import numba raises ImportError
    assert fused.kernel() is None
    assert fused.status().startswith("numpy blocks: numba is not importable")
    values = np.array([1.0, 2.0, np.nan] * 20_000)
    out, negative = scaled.scale(values, 0.5)
    assert not negative
    assert same_bytes(out, values * 0.5)


def test_a_broken_numba_falls_back(fresh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """A numba whose LLVM library does not load raises OSError on import, not ImportError."""
    import builtins

    real_import = builtins.__import__

    def failing(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "numba":
            raise OSError("libllvmlite.so: cannot open shared object file")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", failing)
    assert fused.kernel() is None
    assert fused.status() == (
        "numpy blocks: numba is not importable (libllvmlite.so: cannot open shared object file)"
    )


def test_a_compiler_failure_falls_back(fresh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    numba = pytest.importorskip("numba")

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("no target machine")

    monkeypatch.setattr(numba, "njit", broken)
    assert fused.kernel() is None
    assert "could not compile the loop (no target machine)" in fused.status()
    values = np.arange(70_000.0)
    out, negative = scaled.scale(values, 0.25)
    assert not negative
    assert same_bytes(out, values * 0.25)


# -- the streaming loop: non-temporal stores for results larger than the cache -----------------


def streamed() -> fused.Kernel:
    loop = fused.streaming(compiled())
    if loop is fused.kernel():
        pytest.skip(f"no streaming loop here: {fused.status()}")
    return loop


#: Longer than a few cache lines, so that each of the loop's three parts (the values before
#: the output's first 64-byte boundary, whole lines, the rest) runs.
LONG_ARRAYS = hnp.arrays(np.float64, st.integers(0, 100), elements=FLOATS)


@SETTINGS
@given(
    values=LONG_ARRAYS,
    factor=FACTORS,
    shift_in=st.integers(0, 7),
    shift_out=st.integers(0, 7),
    read_only=st.booleans(),
)
def test_the_streaming_loop_is_numpys_multiply_bit_for_bit(
    values: Any, factor: float, shift_in: int, shift_out: int, read_only: bool
) -> None:
    """At every alignment of input and output (a shift of 0-7 values from a 64-byte boundary)
    the products are numpy's, byte for byte, and the unusual values the plain loop's."""
    loop = streamed()
    source = np.empty(values.size + 8)[shift_in : shift_in + values.size]
    source[:] = values
    source.flags.writeable = not read_only
    space = np.full(values.size + 16, 7.0)
    out = space[shift_out : shift_out + values.size]
    limit = scaled.overflow_limit(factor)
    unusual = loop(source, factor, limit, out)
    with np.errstate(invalid="ignore", over="ignore", under="ignore"):
        assert unusual == bool((values < 0).any() or (values > limit).any())
        assert same_bytes(out, values * factor)
    assert (space[:shift_out] == 7.0).all()
    assert (space[shift_out + values.size :] == 7.0).all()


def test_the_streaming_loop_finds_each_unusual_value_in_every_part() -> None:
    """A negative value, or one over the limit, at each position of a line and of the parts
    before and after the whole lines, is found."""
    loop = streamed()
    space = np.empty(64 + 8)
    out = space[3 : 3 + 64]  # three values before a boundary at most; the rest after the lines
    for position in range(40):
        for odd, limit in ((-1.0, math.inf), (-0.5, 10.0), (11.0, 10.0)):
            values = np.arange(40.0) / 8
            values[position] = odd
            assert loop(values, 0.5, limit, out[:40])
    assert not loop(np.arange(40.0) / 8, 0.5, math.inf, out[:40])
    assert not loop(np.array([np.nan, -0.0, 0.0] * 13), 0.5, math.inf, out[:39])


def test_the_streaming_loop_refuses_an_output_of_another_size() -> None:
    loop = streamed()
    with pytest.raises(ValueError, match="the output must have the input's size"):
        loop(np.ones(20), 2.0, math.inf, np.empty(19))


def test_large_results_take_the_streaming_loop_on_both_threads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """From ``STREAM_SIZE`` values on (not below), :func:`scaled.scale` asks for the streaming
    loop and runs it on both halves; the products are numpy's."""
    loop = streamed()
    used: list[int] = []

    def counting(values: Any, factor: float, limit: float, out: Any) -> bool:
        used.append(values.size)
        return bool(loop(values, factor, limit, out))

    monkeypatch.setattr(fused, "streaming", lambda plain: counting)
    values = np.random.default_rng(3).lognormal(0.0, 2.0, 300_001)
    values[::7] = np.nan
    with mock.patch.object(scaled, "STREAM_SIZE", 300_001):
        out, unusual = scaled.scale(values, 0.375, threads=True)
        assert not unusual
        assert same_bytes(out, values * 0.375)
        assert sorted(used) == [150_000, 150_001]  # one array in cache: halved, no blocks
        used.clear()
        out, unusual = scaled.scale(values[:-1], 0.375, threads=False)
    assert not unusual
    assert same_bytes(out, values[:-1] * 0.375)
    assert used == []


def test_the_streaming_loop_is_asked_for_only_for_the_compiled_loop() -> None:
    """A loop that is not numba's (a test's stand-in) is used as it is."""
    compiled()

    def other(values: Any, factor: float, limit: float, out: Any) -> bool:
        return False

    assert fused.streaming(other) is other


def test_the_streaming_loop_is_built_once_on_first_need(fresh: None) -> None:
    pytest.importorskip("numba")
    import platform

    if platform.machine().lower() not in {"x86_64", "amd64"}:
        pytest.skip("the streaming loop is built on x86-64 only")
    loop = compiled()
    assert fused._stream_status == ""  # the plain loop compiled alone
    assert not fused.status().endswith("cache")
    first = fused.streaming(loop)
    assert first is not loop
    assert fused.streaming(loop) is first
    assert fused.status().endswith("; streaming stores for results larger than the cache")


def test_an_output_not_aligned_to_8_bytes_gets_plain_stores() -> None:
    """numba takes a float64 array at an odd address too: no 64-byte line store is tried on
    it (that would stop the process), every value is stored one by one."""
    loop = streamed()
    values = np.random.default_rng(5).lognormal(0.0, 2.0, 300)
    values[::9] = np.nan
    for shift in (1, 3, 7):
        out = np.frombuffer(
            bytearray(8 * values.size + 8), dtype=np.float64, count=values.size, offset=shift
        )
        assert not out.flags.aligned
        assert not loop(values, 0.75, math.inf, out)
        assert same_bytes(out, values * 0.75)


def test_a_finalizer_converting_while_the_loops_compile_does_not_wait_for_itself(
    fresh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Compiling allocates, so a garbage collection's finalizer may run on the compiling
    thread and convert a large array: it gets no loop (or plain stores) that once, instead of
    waiting forever for the lock its own thread holds."""
    pytest.importorskip("numba")
    seen: list[object] = []
    real_compile, real_stream = fused._compile, fused._compile_stream

    def compile_and_reenter() -> Any:
        seen.append(fused.kernel())  # what a finalizer would ask for
        return real_compile()

    def stream_and_reenter() -> Any:
        seen.append(fused.streaming(fused._kernel))
        return real_stream()

    monkeypatch.setattr(fused, "_compile", compile_and_reenter)
    monkeypatch.setattr(fused, "_compile_stream", stream_and_reenter)
    worker = threading.Thread(target=lambda: seen.append(fused.streaming(fused.kernel())))
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive(), "the compiling thread waits for its own lock"
    loop = fused.kernel()
    assert seen[0] is None  # no loop while it is being compiled
    assert seen[1] is loop  # the plain loop while the streaming one is being compiled
    assert seen[2] is fused.streaming(loop)


def test_while_another_thread_compiles_the_streaming_loop_the_plain_one_serves(
    fresh: None,
) -> None:
    loop = compiled()
    held = threading.Event()
    done = threading.Event()

    def holder() -> None:
        with fused._lock:
            held.set()
            done.wait(timeout=60)

    thread = threading.Thread(target=holder)
    thread.start()
    held.wait(timeout=60)
    try:
        assert fused.streaming(loop) is loop  # at once, not after the other's compile
        assert fused._stream_status == ""  # nothing decided: a later call builds it
    finally:
        done.set()
        thread.join()


def test_without_streaming_stores_the_plain_loop_serves(
    fresh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a processor other than x86-64 the streaming loop is not built: the status says so
    and large results take the plain loop."""
    pytest.importorskip("numba")
    import platform

    monkeypatch.setattr(platform, "machine", lambda: "aarch64")
    loop = compiled()
    assert fused.streaming(loop) is loop
    assert fused.status().endswith("; plain stores only: no streaming stores on aarch64")
    values = np.arange(40_000.0)
    with mock.patch.object(scaled, "STREAM_SIZE", 0):
        out, unusual = scaled.scale(values, 0.25)
    assert not unusual
    assert same_bytes(out, values * 0.25)


def test_a_streaming_compile_failure_leaves_the_plain_loop(
    fresh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("numba")
    from equivmetrics._core import fused_stream

    loop = compiled()

    def broken(numba: Any) -> Any:
        raise RuntimeError("LLVM refuses the intrinsic")

    monkeypatch.setattr(fused_stream, "build", broken)
    assert fused.streaming(loop) is loop
    assert fused.status() == (
        f"compiled with numba {sys.modules['numba'].__version__}; plain stores only: "
        "the streaming loop did not compile (LLVM refuses the intrinsic)"
    )


def test_a_child_forked_while_compiling_the_streaming_loop_keeps_the_plain_one(
    fresh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Also when the fork came after the streaming loop was set and before its status was."""
    loop = compiled()
    monkeypatch.setattr(fused, "_compiling_stream", True)
    monkeypatch.setattr(fused, "_stream", lambda *args: True)
    fused._forked()
    monkeypatch.setattr(fused, "_compiling_stream", False)
    assert fused.streaming(loop) is loop
    assert "forked while numba was compiling the streaming loop" in fused.status()


# -- polars: the fused loop into kept memory, or the check beside polars' multiply -------------

#: Float64 columns, with and without nulls.
COLUMNS = st.lists(st.one_of(FLOATS, st.none()), max_size=40)


@pytest.fixture(params=["kept", "alongside", "one thread"])
def polars_path(request: pytest.FixtureRequest) -> Iterator[str]:
    """Every column without nulls multiplied by the fused loop into a kept buffer (``kept``),
    or polars multiplying while it is checked on the second thread (``alongside``) or on
    this one."""
    kept = request.param == "kept"
    with (
        mock.patch.object(scaled, "ALONGSIDE_SIZE", 0 if request.param == "alongside" else 1 << 62),
        mock.patch.object(scaled, "second_core", return_value=True),
        mock.patch.object(scaled, "MIN_SIZE", 1 if kept else scaled.MIN_SIZE),
        mock.patch.object(buffers, "MIN_BYTES", 0 if kept else 1 << 62),
    ):
        yield request.param


def test_an_expression_is_polars_own_multiply(polars_path: str) -> None:
    engine = em.load()
    factor = engine.compile("kWh", "co2e").factor
    native = pl.col("kwh") * pl.lit(factor, dtype=pl.Float64)

    @SETTINGS
    @given(values=COLUMNS)
    def check(values: list[float | None]) -> None:
        frame = pl.DataFrame({"kwh": values}, schema={"kwh": pl.Float64})
        expr = equiv_expr("kwh", "co2e", from_unit="kWh", engine=engine)
        negative = any(v is not None and v < 0 for v in values)
        if negative:
            with pytest.raises(em.NegativeValueError, match="column 'kwh'"):
                frame.select(expr)
            with pytest.raises(em.NegativeValueError, match="column 'kwh'"):
                convert_polars(frame["kwh"], "co2e", from_unit="kWh", engine=engine)
            return
        want = frame.select(native)["kwh"]
        got = frame.select(expr)["co2e [t]"]
        series = convert_polars(frame["kwh"], "co2e", from_unit="kWh", engine=engine)
        for out in (got, series):
            assert out.dtype == pl.Float64
            assert out.is_null().to_list() == want.is_null().to_list()
            assert same_bytes(out.fill_null(0.0).to_numpy(), want.fill_null(0.0).to_numpy())

    check()


def test_a_column_in_chunks_and_integers_convert_alike(polars_path: str) -> None:
    engine = em.load()
    factor = engine.compile("kWh", "co2e").factor
    chunked = pl.concat([pl.Series("kwh", [1.5, 2.5]), pl.Series("kwh", [3.5])], rechunk=False)
    assert chunked.n_chunks() == 2
    integers = pl.Series("kwh", [1, 2, 3], dtype=pl.Int32)
    for series in (chunked, integers):
        frame = pl.DataFrame([series])
        got = frame.select(equiv_expr("kwh", "co2e", from_unit="kWh", engine=engine))
        want = [float(v) * factor for v in series.to_list()]
        assert got["co2e [t]"].to_list() == want


def test_a_text_column_is_refused_naming_it(polars_path: str) -> None:
    frame = pl.DataFrame({"site": ["1.5", "north"]})
    with pytest.raises(em.InputError, match=r"column 'site' has dtype String; converting needs"):
        frame.select(equiv_expr("site", "co2e", from_unit="kWh"))


@pytest.mark.parametrize("spare", [True, False])
def test_alongside_raises_works_error_after_the_check(spare: bool) -> None:
    values = np.array([1.0, -2.0, np.nan] * 10)
    finished: list[bool] = []

    def work() -> None:
        finished.append(True)
        raise ZeroDivisionError("the multiply failed")

    with (
        mock.patch.object(scaled, "ALONGSIDE_SIZE", 0),
        mock.patch.object(scaled, "second_core", return_value=spare),
        pytest.raises(ZeroDivisionError, match="the multiply failed"),
    ):
        scaled.alongside(values, work)
    assert finished == [True]


@pytest.mark.parametrize("spare", [True, False])
@pytest.mark.parametrize(
    ("values", "negative"),
    [([], False), ([np.nan, np.nan], False), ([0.0, -0.0, 3.0], False), ([2.0, -1e-300], True)],
)
def test_alongside_finds_negatives(spare: bool, values: list[float], negative: bool) -> None:
    with (
        mock.patch.object(scaled, "ALONGSIDE_SIZE", 0),
        mock.patch.object(scaled, "second_core", return_value=spare),
    ):
        done, found = scaled.alongside(np.array(values, dtype=np.float64), lambda: "product")
    assert (done, found) == ("product", negative)


@SETTINGS
@given(values=ARRAYS)
def test_the_compiled_sign_check_finds_what_numpy_finds(values: Any) -> None:
    """Below zero only: NaN, negative zero and infinities are read as numpy reads them."""
    compiled()
    signs = fused.check()
    assert signs is not None
    expected = bool((values < 0).any())
    assert signs(values) is expected
    values.flags.writeable = False  # pandas 3 and polars hand out read-only views
    assert signs(values) is expected
    assert scaled._has_negative(values) is expected


@pytest.mark.parametrize(
    "make",
    [
        lambda: np.array([3.0, 1.0, -2.0, 5.0])[::2],  # not contiguous: -2.0 skipped
        lambda: np.array([3.0, -2.0, 1.0, 5.0])[::2],
        lambda: np.array([[1.0, -2.0], [3.0, 4.0]]),  # two dimensions, contiguous
        lambda: np.array([1.0, -2.0]).astype(">f8"),
        lambda: np.array([1.0, 2.0], dtype=np.float32),
    ],
)
@pytest.mark.parametrize("kernel", [True, False])
def test_the_sign_check_reads_any_array(make: Any, kernel: bool) -> None:
    """Arrays the compiled check does not take (or no compiled check) go to numpy's."""
    values = make()
    patch = mock.patch.object(fused, "check", return_value=None)
    with patch if not kernel else contextlib.nullcontext():
        assert scaled._has_negative(values) is bool((values < 0).any())


def test_the_sign_check_is_compiled_with_the_loop(
    fresh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EQUIVMETRICS_JIT", "off")
    assert fused.check() is None
    assert fused.kernel() is None


def test_without_a_free_core_the_callers_check_runs() -> None:
    values = np.array([1.0, 2.0])
    with (
        mock.patch.object(scaled, "ALONGSIDE_SIZE", 0),
        mock.patch.object(scaled, "second_core", return_value=False),
    ):
        assert scaled.alongside(values, lambda: "product", lambda: True) == ("product", True)
    with (
        mock.patch.object(scaled, "ALONGSIDE_SIZE", 0),
        mock.patch.object(scaled, "second_core", return_value=True),
    ):  # on the second thread numpy checks (it releases the GIL)
        assert scaled.alongside(values, lambda: "product", lambda: True) == ("product", False)


def test_numbas_own_switch_is_respected(fresh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """NUMBA_DISABLE_JIT would run the loop as Python, hundreds of times slower than numpy."""
    numba = pytest.importorskip("numba")
    monkeypatch.setattr(numba.config, "DISABLE_JIT", True)
    assert fused.kernel() is None
    assert "NUMBA_DISABLE_JIT is set" in fused.status()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX")
def test_a_child_forked_while_compiling_uses_numpy(
    fresh: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """numba's locks may be held by the compiling thread, which the child does not have."""
    monkeypatch.setattr(fused, "_compiling", True)  # as if another thread were compiling now
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.write(write, f"{fused.kernel() is None}|{fused.status()}".encode())
        finally:
            os._exit(0)
    os.close(write)
    told = os.read(read, 1000).decode()
    os.close(read)
    os.waitpid(pid, 0)
    assert told == "True|numpy blocks: this process was forked while numba was compiling the loop"


class _ShutDown:
    """An executor after interpreter shutdown has begun."""

    def submit(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("cannot schedule new futures after interpreter shutdown")


@pytest.mark.parametrize("kernel", [True, False])
def test_no_second_thread_after_shutdown(kernel: bool) -> None:
    """Threads still converting while the interpreter shuts down do the work themselves."""
    values = np.arange(100_000, dtype=np.float64)
    with (
        mock.patch.object(cores, "executor", return_value=_ShutDown()),
        mock.patch.object(scaled, "second_core", return_value=True),
        mock.patch.object(scaled, "ALONGSIDE_SIZE", 0),
    ):
        out, unusual = scaled.scale(values, 0.5, threads=True, kernel=kernel)
        done, negative = scaled.alongside(values - 1.0, lambda: "product")
    assert not unusual
    assert same_bytes(out, values * 0.5)
    assert (done, negative) == ("product", True)


@pytest.mark.parametrize("policy", [None, "nan", "allow"])
def test_null_and_boolean_columns_convert_under_every_policy(policy: str | None) -> None:
    """An all-missing column (dtype Null) stays missing; booleans read as 0 and 1, as before."""
    factor = em.load().compile("kWh", "co2e").factor
    frame = pl.DataFrame({"none": [None, None], "flag": [True, False]})
    out = frame.select(
        equiv_expr("none", "co2e", from_unit="kWh", name="a", negative=policy),  # type: ignore[arg-type]
        equiv_expr("flag", "co2e", from_unit="kWh", name="b", negative=policy),  # type: ignore[arg-type]
    )
    assert out["a"].dtype == pl.Float64
    assert out["a"].to_list() == [None, None]
    assert out["b"].to_list() == [factor, 0.0]
