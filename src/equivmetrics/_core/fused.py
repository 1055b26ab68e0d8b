"""The compiled check-and-multiply: one pass over a float64 array, when numba is installed.

numpy has no operation that multiplies an array and reports whether it held a negative value;
doing both costs a second pass over memory. With numba (the ``[numba]`` extra) :func:`kernel`
compiles a loop that does both while each value is in a register: ``out[i] = x[i] * factor``,
the same IEEE multiplication numpy performs (no fused multiply-add, no fast-math), so the
products are numpy's bit for bit. The loop also notes a value so large that its product could
overflow: numpy would warn of that (or raise, under ``np.errstate(over="raise")``), so such an
array, like one with a negative value, is handed back to the plain path, where numpy
multiplies and applies its error settings. NaN is not below zero, nor is ``-0.0``. The loop is
not used when ``np.errstate`` asks to hear of underflow (see :mod:`.scaled`). A signalling NaN
(which arithmetic never makes) passes without numpy's "invalid value" warning.

The loop is compiled in this process the first time it is needed (importing numba and
compiling take a few tenths of a second, once), for contiguous, aligned, native-order float64
arrays, writable or read-only. Nothing is written to disk: numba's on-disk cache is not used,
because it reads pickles back. Without numba, with ``EQUIVMETRICS_JIT=off`` (read once, on
first use), with numba's own ``NUMBA_DISABLE_JIT`` set, or when numba fails to import or
compile (a numpy too new for the installed numba, say), :func:`kernel` returns None and
:mod:`.scaled` multiplies block by block with numpy instead; :func:`status` says which and why.
A process forked while another of its threads was compiling does not compile again (numba's
locks may be held by a thread the child does not have): the child uses numpy's blocks.

The compiled function releases the GIL, so :mod:`.scaled` can run it on two halves of an array
at once, and it holds no state, so threads may call it concurrently.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable
from typing import Any

from . import locks

__all__ = ["Check", "Kernel", "check", "kernel", "status"]

#: ``kernel(values, factor, limit, out) -> unusual``: ``out[:] = values * factor``; True when a
#: value is below zero or above ``limit`` (the plain path must then give the result).
Kernel = Callable[[Any, float, float, Any], bool]

#: ``check(values) -> has_negatives``: True when a value is below zero (NaN is not).
Check = Callable[[Any], bool]

_kernel: Kernel | None = None
_check: Check | None = None
#: "" until the first call of :func:`kernel`; then why it is or is not compiled.
_status = ""
#: True while this process compiles (a forked child then gives up on the loop).
_compiling = False
_lock = locks.new_lock(sys.modules[__name__], "_lock")


def enabled() -> bool:
    """False when ``EQUIVMETRICS_JIT`` is ``off`` (or ``0``, ``no``, ``false``)."""
    return os.environ.get("EQUIVMETRICS_JIT", "").strip().lower() not in {"off", "0", "no", "false"}


def kernel() -> Kernel | None:
    """The compiled check-and-multiply, compiled on first call; None when it is unavailable."""
    global _kernel, _check, _status, _compiling  # noqa: PLW0603 - compiled once per process
    if _status:
        return _kernel
    with _lock:
        if not _status:
            if not enabled():
                _status = "off: EQUIVMETRICS_JIT asks for numpy's multiply"
            else:
                _compiling = True
                try:
                    (_kernel, _check), _status = _compile()
                finally:
                    _compiling = False
    return _kernel


def check() -> Check | None:
    """The compiled sign check (compiled with :func:`kernel`), or None when it is unavailable.

    It reads a float64 array once and counts its values below zero: where another library
    multiplies, it is the check that runs alongside (:func:`.scaled.alongside`), a third
    faster than numpy's ``fmin`` reduction, which also orders NaN.
    """
    return _check if kernel() is not None else None


def status() -> str:
    """Whether the compiled loop is used, and why not when it is not (compiles it if needed)."""
    kernel()
    return _status


def _compile() -> tuple[tuple[Kernel | None, Check | None], str]:
    try:
        import numba  # noqa: PLC0415 - numba is optional (the [numba] extra)
    except Exception as exc:  # absent, refusing this numpy, or its LLVM library not loading
        return (None, None), f"numpy blocks: numba is not importable ({exc})"
    if getattr(numba.config, "DISABLE_JIT", False):  # set from the environment at import
        return (None, None), (
            "numpy blocks: NUMBA_DISABLE_JIT is set, so numba would not compile the loop"
        )
    try:
        float64 = numba.float64
        writable = numba.types.Array(float64, 1, "C")
        readonly = numba.types.Array(float64, 1, "C", readonly=True)
        loop = numba.njit(
            [numba.boolean(data, float64, float64, writable) for data in (writable, readonly)],
            nogil=True,
            cache=False,
            boundscheck=False,
        )(_loop)
        signs = numba.njit(
            [numba.boolean(data) for data in (writable, readonly)],
            nogil=True,
            cache=False,
            boundscheck=False,
        )(_negatives)
    except Exception as exc:  # any compiler failure falls back to numpy
        return (None, None), (
            f"numpy blocks: numba {numba.__version__} could not compile the loop ({exc})"
        )
    return (loop, signs), f"compiled with numba {numba.__version__}"


def _loop(
    values: Any, factor: float, limit: float, out: Any
) -> bool:  # pragma: no cover - runs compiled
    """The loop numba compiles: multiply every value; note one below zero or above ``limit``.

    The unusual values are counted rather than or-ed into a flag: the compiler keeps a count
    in vector registers, where a flag went through mask registers and cost 5-8 % of the
    multiply's time on data in cache (measured on AVX-512). With a factor of 1 or less no
    product overflows (``limit`` is infinite), and the loop compares the sign alone.
    """
    unusual = 0
    if limit == math.inf:
        for index in range(values.size):
            value = values[index]
            out[index] = value * factor
            unusual += value < 0.0  # NaN is not below zero
    else:
        for index in range(values.size):
            value = values[index]
            out[index] = value * factor
            unusual += (value < 0.0) | (value > limit)  # NaN is neither
    return unusual > 0


def _negatives(values: Any) -> bool:  # pragma: no cover - runs compiled
    """The sign check numba compiles: whether a value is below zero (a count, as in
    :func:`_loop`)."""
    count = 0
    for index in range(values.size):
        count += values[index] < 0.0  # NaN is not below zero
    return count > 0


def _forked() -> None:
    """In a forked child: a compile another thread had begun is not finished, nor begun again."""
    global _status  # noqa: PLW0603 - the child's own decision
    if _compiling:
        _status = "numpy blocks: this process was forked while numba was compiling the loop"


if hasattr(os, "register_at_fork"):  # POSIX
    os.register_at_fork(after_in_child=_forked)
