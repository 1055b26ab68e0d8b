"""The fused check-and-multiply gives the plain path's results bit for bit.

Large float64 arrays take a fused path (:mod:`equivmetrics._core.scaled`): numba's compiled
loop (:mod:`equivmetrics._core.fused`) when it is installed, otherwise numpy multiplying a
block and checking its signs while it is in cache; either optionally on two threads. Here
every array takes it (``MIN_SIZE`` patched to 0, tiny blocks, threads on), once with each
engine (the ``engine`` fixture), into new arrays and into kept memory (written with numba's
streaming stores), and is compared with the plain path (``MIN_SIZE`` out of reach) and with
numpy's own ``x * factor``.
"""

from __future__ import annotations

import contextlib
import functools
import math
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import equivmetrics as em
import equivmetrics.pandas  # registers the .equiv accessor
from equivmetrics._core import buffers, fused, scaled
from equivmetrics._core.negative import POLICIES
from strategies import SETTINGS

#: float64 values of every sort: NaN, infinities, negative zero, subnormals, negatives.
FLOATS = st.floats(allow_nan=True, allow_infinity=True, allow_subnormal=True, width=64)
ARRAYS = hnp.arrays(np.float64, st.integers(0, 40), elements=FLOATS)
#: Every dtype a magnitude array may have.
DTYPES = ["float64", "float32", "float16", "int64", "int32", "int16", "int8", "uint32", "uint8"]


@pytest.fixture(autouse=True, params=["numba", "numpy"])
def engine(request: pytest.FixtureRequest) -> Iterator[str]:
    """Every test once with numba's compiled loop and once with numpy's blocks."""
    if request.param == "numba":
        if fused.kernel() is None:
            pytest.skip(f"numba's loop is not available here: {fused.status()}")
        yield request.param
        return
    with mock.patch.object(fused, "kernel", return_value=None):
        yield request.param


@contextlib.contextmanager
def path(fast: bool, *, kept: bool = False) -> Iterator[None]:
    """Every float64 array on the fused path (``fast``), or none of them; with ``kept``, every
    result written into kept memory (:mod:`equivmetrics._core.buffers`) by numba's streaming
    loop (:mod:`equivmetrics._core.fused_stream`), when it is built."""
    with (
        mock.patch.object(scaled, "KEPT_SIZE", 0 if kept else 1 << 62),
        mock.patch.object(scaled, "STREAM_SIZE", 0 if kept else 1 << 62),
        mock.patch.object(buffers, "MIN_BYTES", 0),
        mock.patch.object(scaled, "MIN_SIZE", 0 if fast else 1 << 62),
        mock.patch.object(scaled, "BLOCK", 3),
        mock.patch.object(scaled, "CACHED_SIZE", 2),
        mock.patch.object(scaled, "THREAD_SIZE", 4),
        mock.patch.object(scaled, "KERNEL_THREAD_SIZE", 4),
    ):
        yield


def both(run: Callable[[], Any]) -> tuple[Any, Any]:
    """``run()`` with every float64 array on the fused path, then with none. The fused path
    runs twice, into new arrays and into kept memory with streaming stores, and must give the
    same both times."""
    with path(fast=True):
        fast = run()
    with path(fast=True, kept=True):
        kept = run()
    with path(fast=False):
        plain = run()
    alike(kept, fast)
    return fast, plain


def alike(a: Any, b: Any) -> None:
    """``a`` and ``b`` are the same outcome: frames and series exactly, messages as text,
    else as :func:`agree` has it."""
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b, check_exact=True)
    elif isinstance(a, str) or isinstance(b, str):
        assert a == b
    else:
        assert agree(a, b)


def same_bits(a: Any, b: Any) -> bool:
    a, b = np.asarray(a), np.asarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def outcome(compiled: em.Compiled, values: Any, policy: str | None) -> Any:
    """The result's magnitude, low and high, or the error's kind, count and first position."""
    try:
        result = compiled.apply(values, negative=policy)  # type: ignore[arg-type]
    except em.NegativeValueError as exc:
        return ("refused", exc.kind, exc.count, exc.first)
    return (result.magnitude, result.low, result.high, result.input_magnitude)


def agree(a: Any, b: Any) -> bool:
    if isinstance(a[0], str) or isinstance(b[0], str):
        return bool(a == b)
    return all(same_bits(x, y) for x, y in zip(a, b, strict=True))


@SETTINGS
@given(values=ARRAYS, policy=st.sampled_from([None, *POLICIES]), step=st.sampled_from([1, 2, -1]))
def test_the_fused_path_equals_the_plain_path(values: Any, policy: str | None, step: int) -> None:
    compiled = em.load().compile("kWh", "co2e")
    values = values[::step]  # non-contiguous arrays take the plain path either way
    assert agree(*both(lambda: outcome(compiled, values, policy)))


@SETTINGS
@given(values=ARRAYS)
def test_the_fused_product_is_numpys_product(values: Any) -> None:
    factor = 0.000709
    with np.errstate(invalid="ignore"):
        negative = bool((values < 0).any())
    for threads in (False, True):
        for block in (1, 2, 7, 64):
            product, found = scaled.scale(values, factor, block=block, threads=threads)
            assert found == negative
            if not found:
                assert same_bits(product, values * factor)


@SETTINGS
@given(values=ARRAYS, policy=st.sampled_from(POLICIES))
def test_refusing_and_nan_match_hand_arithmetic(values: Any, policy: str) -> None:
    """refuse: an error when some value is below zero; nan: NaN there; allow: x * factor."""
    compiled = em.load().compile("kWh", "co2e")
    with np.errstate(invalid="ignore"):
        negative = values < 0
    with path(fast=True):
        if policy == "refuse" and negative.any():
            with pytest.raises(em.NegativeValueError) as caught:
                compiled.apply(values, negative="refuse")
            assert caught.value.count == int(negative.sum())
            assert caught.value.first == int(np.flatnonzero(negative)[0])
            return
        result = compiled.apply(values, negative=policy)  # type: ignore[arg-type]
    screened = np.where(negative, math.nan, values) if policy == "nan" else values
    assert same_bits(result.magnitude, screened * compiled.factor)
    if policy != "allow":  # no negatives left: each end of the range is one multiplication
        assert same_bits(result.high, screened * compiled.factor_high)
        assert same_bits(result.low, screened * compiled.factor_low)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("size", [0, 1, 5, 64])
@pytest.mark.parametrize("policy", [None, *POLICIES])
def test_every_dtype_and_size_agrees(dtype: str, size: int, policy: str | None) -> None:
    compiled = em.load().compile("kWh", "co2e")
    signed = np.dtype(dtype).kind != "u"
    values = (np.arange(size) % 7 - (3 if signed else 0)).astype(dtype)
    for shaped in (values, values[::2], values.reshape(-1, 1) if size else values):
        assert agree(*both(functools.partial(outcome, compiled, shaped, policy)))


@SETTINGS
@given(values=ARRAYS, policy=st.sampled_from([None, *POLICIES]))
def test_the_pandas_accessor_agrees_with_the_plain_path(values: Any, policy: str | None) -> None:
    series = pd.Series(values, index=[f"r{i}" for i in range(values.size)], name="kwh")

    def run() -> Any:
        try:
            return series.equiv.convert("co2e", from_unit="kWh", negative=policy, bounds=True)
        except em.NegativeValueError as exc:
            return str(exc)

    fast, plain = both(run)
    if isinstance(plain, str):
        assert fast == plain  # the same message: the count and the first row's label
    else:
        pd.testing.assert_frame_equal(fast, plain)


@SETTINGS
@given(values=ARRAYS, policy=st.sampled_from(POLICIES))
def test_a_dask_partition_agrees_with_the_plain_path(values: Any, policy: str) -> None:
    from equivmetrics import dask as em_dask  # the workers' code, run here on one partition

    factor = em.load().compile("kWh", "co2e").factor
    partition = pd.Series(values, index=[f"r{i}" for i in range(values.size)], name="kwh")
    screening = None if policy == "allow" else (policy, "electricity_avoided", "kWh", "kwh")

    def run() -> Any:
        try:
            return em_dask._multiply(partition, factor, "co2e [t]", screening)
        except em.NegativeValueError as exc:
            return str(exc)

    fast, plain = both(run)
    if isinstance(plain, str):
        assert fast == plain
    else:
        pd.testing.assert_series_equal(fast, plain)
        assert same_bits(fast.to_numpy(), plain.to_numpy())
