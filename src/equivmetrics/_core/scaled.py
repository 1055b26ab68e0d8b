"""An array times a factor with its negative-value check fused into the multiply.

Screening an array for negatives and then multiplying it reads the input twice. For a large
float64 array :func:`scale` does both in one pass over memory: with numba installed (the
``[numba]`` extra), a compiled loop (:mod:`.fused`) multiplies each value and notes its sign
while it is in a register (for a result larger than the cache, writing whole lines of it to
memory without reading them first: :mod:`.fused_stream`); without it, numpy multiplies one
cache-sized block at a time into the output and checks that block's signs while it is still in
cache. For very large arrays, when another core is idle, a second thread takes half of the
array (numba's loop and numpy's multiply and reduce release the GIL). The calling thread first
writes one value in each page of the second thread's half, so the kernel hands out and zeroes
the result's pages on the caller's core: on a virtual machine whose host takes freed memory
back (free page reporting), pages first touched from the other core came from that memory and
cost about 15 times as much (measured: the helper's half of a ten-million-value product took
50-120 ms instead of 3 ms, in about one call in five), while the caller's core reuses the pages
it freed. The arithmetic is the same multiplication, so the values are the plain path's bit for
bit. When the array holds a negative value the fast path's product is dropped and the plain
path (:func:`~equivmetrics._core.negative.screen`, then the multiplication) gives the result or
the error, exactly as without it.

``EQUIVMETRICS_THREADS=1`` keeps the work on the calling thread; ``EQUIVMETRICS_JIT=off``
uses numpy's blocks even with numba installed.
"""

from __future__ import annotations

import contextvars
import functools
import math
import sys
from collections.abc import Callable
from typing import Any, TypeVar

from equivmetrics.exceptions import InputTypeError

from . import buffers, fused, vectors
from .caches import last_level_cache
from .cores import second_core, submit
from .negative import screen

__all__ = [
    "BLOCK", "MIN_SIZE", "alongside", "fast_eligible", "fast_product", "kept_product", "scale",
    "times",
]  # fmt: skip

#: Elements per block: 512 KiB of float64 in and out, inside a core's L2 cache.
BLOCK = 1 << 16
#: Arrays smaller than this take the plain path (the fused one only pays off for larger ones).
MIN_SIZE = 1 << 15
#: Arrays up to this size fit in the last-level cache: one block, no loop over blocks.
CACHED_SIZE = 1 << 20
#: Arrays at least this large (milliseconds of work, so a thread waiting for a core costs
#: little in comparison) are split between two threads when another core is idle.
THREAD_SIZE = 1 << 22
#: The same for numba's loop. Below about two million values (measured: a million took 1.2-1.3 x
#: numpy's multiply on one thread, 1.4-1.5 x on two) waking the second thread costs what it saves.
KERNEL_THREAD_SIZE = 1 << 21

#: Results at least this large are written with numba's streaming loop (:mod:`.fused_stream`),
#: which writes whole cache lines to memory without reading them first. None: half the
#: last-level cache (:func:`stream_size`). On the benchmark machine (32 MiB of L3) that is
#: 2,097,152 values, from where it was 1.15-1.3 x faster; it was slower for a million values,
#: whose result the cache still holds.
STREAM_SIZE: int | None = None
#: Where the system does not say how large its cache is: 16 MiB of result.
DEFAULT_STREAM_SIZE = 1 << 21

#: Results at least this large (32 MiB) are written into kept memory (:mod:`.buffers`):
#: numpy's own array of that size is always new pages the kernel must zero (glibc serves
#: allocations above 32 MiB from new mappings), about half of a multiply's time; smaller ones
#: mostly reuse memory the process freed.
KEPT_SIZE = 1 << 22

#: Arrays at least this large are checked on the second thread while another library's
#: multiply runs on this one (:func:`alongside`), when another core is idle.
ALONGSIDE_SIZE = 1 << 19

_T = TypeVar("_T")
#: numpy's error settings last seen by :func:`_loop`, and whether they ignore underflow.
_seen: tuple[object, bool] = (None, False)
#: For :func:`fast_product`'s short road, set by :func:`_loop` once numpy 2's error settings
#: were seen to ignore underflow: numpy's ndarray type, its float64 dtype, the context variable
#: holding its error settings, the settings object seen, and ``numpy.empty``.
_known: tuple[Any, Any, Any, object, Any] = (None, None, None, None, None)
#: The last factor :func:`fast_product`'s short road worked out the overflow limit of, and that
#: limit (a NaN factor never equals itself, so it is worked out each time).
_last_limit: tuple[float, float] = (math.nan, math.nan)
_FLOAT_MAX = sys.float_info.max
_EPSILON = sys.float_info.epsilon


def fast_eligible(magnitude: Any) -> bool:
    """Whether ``magnitude`` is a large float64 numpy array the fused path takes (contiguous,
    aligned, in the machine's byte order)."""
    return (
        type(magnitude).__module__ == "numpy"
        and type(magnitude).__name__ == "ndarray"
        and _takes(magnitude)
        and int(magnitude.size) >= MIN_SIZE
    )


def scale(
    values: Any,
    factor: float,
    *,
    block: int | None = None,
    threads: bool | None = None,
    kernel: fused.Kernel | bool | None = True,
    out: Any = None,
) -> tuple[Any, bool]:
    """``(values * factor, unusual)`` for a contiguous float64 array, in one pass.

    ``unusual`` is True when some value is below zero (NaN is not), or, with the compiled
    loop, above :func:`overflow_limit` (its product could overflow, or be infinity times
    zero); the product must then not be used, and
    the plain path gives the result, the error or numpy's warning. ``kernel`` is the compiled
    loop to use (True: :func:`.fused.kernel`, when available and ``np.errstate`` does not ask
    to hear of underflow; False or None: numpy's blocks). ``out``: the array to write into
    (contiguous float64 of ``values``' shape, its pages already given, see :mod:`.buffers`;
    default: kept memory from :data:`KEPT_SIZE` values on, else a new array). ``block`` is
    the number of elements numpy multiplies and checks at a time (default: the whole array
    when it fits in cache, :data:`BLOCK` otherwise). ``threads`` forces the second thread on
    or off (None: on for very large arrays when another core is free).
    """
    import numpy as np  # noqa: PLC0415 - numpy is optional (the [numpy] extra)

    _check_arrays(values, out)
    loop = _loop(np) if kernel is True else (kernel or None)
    flat = values.reshape(-1)
    size = flat.size
    if loop is not None and size >= (STREAM_SIZE if STREAM_SIZE is not None else stream_size()):
        loop = fused.streaming(loop)  # a result larger than the cache: no read before writing
    fresh = False  # a new numpy array, whose pages no thread has touched yet
    if out is None:
        kept = buffers.float64_buffer(np, size) if size >= KEPT_SIZE else None
        fresh = kept is None
        out = np.empty_like(values) if kept is None else kept.reshape(values.shape)
    out_flat = out.reshape(-1)
    limit = overflow_limit(factor)
    if block is None:
        block = BLOCK if size > CACHED_SIZE else max(size, 1)
    if threads is None:
        large = size >= (THREAD_SIZE if loop is None else KERNEL_THREAD_SIZE)
        threads = large and second_core()
    half = (size // 2 // block) * block or size // 2
    other = None
    if threads:
        if fresh:
            buffers.touch(out_flat, half)  # first touch here: see the module's docstring
        # in this thread's context, so that numpy's blocks apply the caller's np.errstate
        run = contextvars.copy_context().run
        other = submit(run, _part, flat, out_flat, factor, half, size, block, loop, limit)
    if other is None:
        return out, _part(flat, out_flat, factor, 0, size, block, loop, limit)
    unusual = _part(flat, out_flat, factor, 0, half, block, loop, limit)
    return out, bool(other.result()) or unusual


def _check_arrays(values: Any, out: Any) -> None:
    """Refuse what :func:`scale` would get wrong or numba refuses: its flat views
    (``reshape(-1)``) of a multi-dimensional array that is not C-contiguous would be copies,
    and numba's loop takes contiguous arrays only."""
    if not _takes(values) or (out is not None and not (_takes(out) and out.shape == values.shape)):
        raise InputTypeError(
            "scale() takes C-contiguous, aligned, native float64 arrays (out= of the values' "
            f"shape {getattr(values, 'shape', '')}): check them with fast_eligible() first",
            value=values,
        )


@functools.cache
def stream_size() -> int:
    """From how many values on a result goes straight to memory: half the last-level cache
    (:func:`.caches.last_level_cache`), in float64 values; :data:`DEFAULT_STREAM_SIZE` where
    the system does not say."""
    cache = last_level_cache()
    return DEFAULT_STREAM_SIZE if cache is None else max(1, cache // 2 // 8)


def _limit_of(factor: float) -> float:
    """:func:`overflow_limit`, kept for the next call with the same factor."""
    global _last_limit  # noqa: PLW0603 - one (factor, limit) pair, replaced whole
    limit = overflow_limit(factor)
    _last_limit = (factor, limit)
    return limit


def overflow_limit(factor: float) -> float:
    """The largest value the compiled loop multiplies by ``factor`` itself: its product
    surely stays finite (a little under the exact bound, so that none rounds up to infinity)
    and is no invalid operation (infinity times zero). Above it, numpy's multiply gives the
    result, with its warning or its error under ``np.errstate``."""
    size = abs(float(factor))  # a numpy float32 factor would work the limit out in float32
    if math.isnan(size) or size == math.inf:
        return -math.inf  # every value unusual: the plain path multiplies
    if size <= 1.0:  # no finite value made larger; but infinity times zero is invalid
        return _FLOAT_MAX if size == 0.0 else math.inf
    return float(_FLOAT_MAX / size * (1.0 - 4.0 * _EPSILON))


def alongside(
    values: Any, work: Callable[[], _T], check: Callable[[], bool] | None = None
) -> tuple[_T, bool]:
    """``(work(), has_negatives)``: whether float64 ``values`` hold a value below zero (NaN is
    not), found on the second thread while ``work`` runs on this one.

    For a multiply done by another library that releases the GIL (polars), the check then
    costs no pass of its own when a core is free. Small arrays, no free core or
    ``EQUIVMETRICS_THREADS=1``: ``check()`` (default: numpy's), then ``work``, on this
    thread. ``work``'s error, if any, is raised after the check has finished.
    """
    pending = None
    if values.size >= ALONGSIDE_SIZE and second_core():
        pending = submit(_has_negative, values)
    if pending is None:
        negative = check() if check is not None else _has_negative(values)
        return work(), negative
    try:
        done = work()
    finally:
        negative = pending.result()
    return done, negative


def times(
    values: Any,
    factor: float,
    policy: str,
    kind: str,
    unit: str,
    *,
    where: str = "",
    labels: Any = None,
) -> Any:
    """``values * factor`` with ``policy`` applied to negative values (see ``screen``).

    One pass over a large float64 array without negatives; otherwise the plain path.
    """
    if policy == "allow":
        return values * factor
    output = fast_product(values, factor)
    if output is not None:
        return output
    return screen(values, policy, kind, unit, where=where, labels=labels) * factor


def fast_product(values: Any, factor: float) -> Any:
    """``values * factor`` in one pass when ``values`` is a large float64 array (see
    :func:`fast_eligible`) with no value below zero (nor, with the compiled loop, one whose
    product could overflow); else None, and the plain path gives the result or the error.

    The commonest case — a one-dimensional float64 ndarray that fits in cache, numpy's error
    settings as last seen, the compiled loop — takes a short road: right after a large array
    has streamed through the caches, each Python step of the general one costs microseconds,
    not nanoseconds (measured: about 5 % of a million-value conversion).
    """
    known = _known
    if type(values) is known[0] and values.dtype is known[1] and values.ndim == 1:
        size = values.size
        if MIN_SIZE <= size < KERNEL_THREAD_SIZE and known[2].get() is known[3]:
            loop = fused.kernel()
            if loop is not None and values.flags.aligned:  # numba would take it unaligned too
                out = known[4](size)
                last = _last_limit  # the same factor as last time: no call to work it out
                limit = last[1] if last[0] == factor else _limit_of(factor)
                try:
                    unusual = loop(values, factor, limit, out)
                except TypeError:  # not contiguous: numba has no loop for it
                    return _general(values, factor)
                return None if unusual else out
    return _general(values, factor)


def kept_product(values: Any, factor: float) -> Any:
    """``values * factor`` as :func:`fast_product` gives it, written into memory used before
    (:func:`.buffers.float64_buffer`), for a result that leaves inside another library's
    container (a polars Series), so that no caller holds the array itself; None when the
    array is not large enough or not one the fused path takes, or holds a value below zero
    or one whose product could overflow.

    Only with the compiled loop: numpy's blocks would apply numpy's error settings (an
    overflow warning, or an error under ``np.errstate(over="raise")``) where the other
    library's own multiply, the path without it, gives infinity silently."""
    import numpy as np  # noqa: PLC0415 - numpy is optional (the [numpy] extra)

    loop = _loop(np)
    if loop is None or not fast_eligible(values):
        return None
    out = buffers.float64_buffer(np, int(values.size))
    if out is None:
        return None
    product, unusual = scale(values, factor, kernel=loop, out=out.reshape(values.shape))
    return None if unusual else product


def _general(values: Any, factor: float) -> Any:
    """:func:`fast_product` for any array (the short road's conditions unmet)."""
    if fast_eligible(values):
        output, unusual = scale(values, factor)
        if not unusual:
            return output
    return None


def _part(
    flat: Any,
    out: Any,
    factor: float,
    start: int,
    stop: int,
    block: int,
    loop: fused.Kernel | None,
    limit: float,
) -> bool:
    """``flat[start:stop]`` times ``factor`` into ``out``; whether it held a value below zero
    (or, with the compiled loop, above ``limit``)."""
    if loop is not None:
        return bool(loop(flat[start:stop], factor, limit, out[start:stop]))
    return _blocks(flat, out, factor, start, stop, block)


def _loop(np: Any) -> fused.Kernel | None:
    """The compiled loop, unless numpy is asked to report underflow (numpy's multiply must
    then run, to report it).

    numpy 2 keeps its error settings in one object per context (a context variable), so
    whether they ignore underflow is kept for the object last seen: ``np.geterr()`` builds a
    dictionary on every call, which cost about 5 % of a million-value conversion. Where that
    variable is not found (numpy 1), ``np.geterr()`` is asked each time.
    """
    global _seen  # noqa: PLW0603 - one (settings, answer) pair, replaced whole
    state = _settings(np)
    seen = _seen
    if state is not None and seen[0] is state:
        ignored = seen[1]
    else:
        ignored = np.geterr()["under"] == "ignore"
        if state is not None:
            _seen = (state, ignored)
            if ignored:
                _learn(np, state)
    return fused.kernel() if ignored else None


def _learn(np: Any, state: object) -> None:
    """Open :func:`fast_product`'s short road for numpy's error settings ``state``."""
    global _known  # noqa: PLW0603 - replaced whole, so threads never see half of it
    float64 = np.dtype(np.float64)
    _known = (np.ndarray, float64, np._core.umath._extobj_contextvar, state, np.empty)
    vectors.learn(np.ndarray, float64)


def _settings(np: Any) -> object:
    """The object that holds numpy's error settings in this context, or None."""
    umath = getattr(getattr(np, "_core", None), "umath", None)
    variable = getattr(umath, "_extobj_contextvar", None)
    return None if variable is None else variable.get()  # its default: numpy's defaults


def _blocks(flat: Any, out: Any, factor: float, start: int, stop: int, block: int) -> bool:
    """Multiply ``flat[start:stop]`` into ``out`` block by block; whether a block had a negative."""
    import numpy as np  # noqa: PLC0415 - numpy is optional (the [numpy] extra)

    multiply = np.multiply
    lowest = np.fmin.reduce  # skips NaN; all-NaN gives NaN, which is not < 0
    for begin in range(start, stop, block):
        end = min(begin + block, stop)
        chunk = flat[begin:end]
        multiply(chunk, factor, out=out[begin:end])
        if lowest(chunk) < 0:  # the block is still in cache
            return True
    return False


def _has_negative(values: Any) -> bool:
    """Whether ``values`` hold a value below zero: numba's compiled count when it takes the
    array, else numpy's ``fmin`` (both release the GIL)."""
    import numpy as np  # noqa: PLC0415 - numpy is optional (the [numpy] extra)

    signs = fused.check()
    if signs is not None and _takes(values):
        return bool(signs(values.reshape(-1)))
    return bool(values.size) and bool(np.fmin.reduce(values, axis=None) < 0)


def _takes(values: Any) -> bool:
    """Whether the compiled loops take ``values`` (:func:`fast_eligible` at any size)."""
    dtype = getattr(values, "dtype", None)
    flags = getattr(values, "flags", None)
    return (
        getattr(dtype, "char", "") == "d"
        and bool(getattr(dtype, "isnative", False))
        and flags is not None
        and bool(flags.c_contiguous)
        and bool(flags.aligned)
    )
