"""The compiled check-and-multiply: one pass over a float64 array, when numba is installed.

numpy has no operation that multiplies an array and reports whether it held a negative value;
doing both costs a second pass over memory. With numba (the ``[numba]`` extra) :func:`kernel`
compiles a loop that does both while each value is in a register: ``out[i] = x[i] * factor``,
the same IEEE multiplication numpy performs (no fused multiply-add, no fast-math), so the
products are numpy's bit for bit. The loop also notes a value so large that its product could
overflow, and infinity when the factor is zero (an invalid operation): numpy would warn of
those (or raise, under ``np.errstate``), so such an array, like one with a negative value, is
handed back to the plain path, where numpy multiplies and applies its error settings (the
limit: :func:`.scaled.overflow_limit`). NaN is not below zero, nor is ``-0.0``. The loop is
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

For a result larger than the cache, :func:`streaming` gives the same loop written with
non-temporal stores (:mod:`.fused_stream`: whole cache lines go to memory without being read
first), compiled the first time such a result is asked for; where it cannot be built (not
x86-64, or numba refusing it) the plain loop serves every size.

The compiled functions release the GIL, so :mod:`.scaled` can run them on two halves of an
array at once, and they hold no state, so threads may call them concurrently.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable
from typing import Any

from . import locks

__all__ = ["Check", "Kernel", "check", "kernel", "status", "streaming"]

#: ``kernel(values, factor, limit, out) -> unusual``: ``out[:] = values * factor``; True when a
#: value is below zero or above ``limit`` (the plain path must then give the result).
Kernel = Callable[[Any, float, float, Any], bool]

#: ``check(values) -> has_negatives``: True when a value is below zero (NaN is not).
Check = Callable[[Any], bool]

_kernel: Kernel | None = None
_check: Check | None = None
#: The same loop with non-temporal stores, for results larger than the cache (None: not built).
_stream: Kernel | None = None
#: "" until the first call of :func:`kernel`; then why it is or is not compiled.
_status = ""
#: "" until :func:`streaming` first needs the streaming loop; then "built" or why not.
_stream_status = ""
#: True while this process compiles (a forked child then gives up on the loop).
_compiling = False
#: The same for the streaming loop.
_compiling_stream = False
#: Re-entrant: compiling allocates, and a garbage collection's finalizer run by it may convert
#: a large array on the compiling thread (it then gets no loop, or plain stores, that once).
_lock = locks.new_rlock(sys.modules[__name__], "_lock")


def enabled() -> bool:
    """False when ``EQUIVMETRICS_JIT`` is ``off`` (or ``0``, ``no``, ``false``)."""
    return os.environ.get("EQUIVMETRICS_JIT", "").strip().lower() not in {"off", "0", "no", "false"}


def kernel() -> Kernel | None:
    """The compiled check-and-multiply, compiled on first call; None when it is unavailable."""
    global _kernel, _check, _status, _compiling  # noqa: PLW0603 - compiled once per process
    if _status:
        return _kernel
    with _lock:
        if _compiling:  # re-entered on this thread (a finalizer) while it compiles
            return None
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


def streaming(loop: Kernel) -> Kernel:
    """For a result larger than the cache: :func:`kernel`'s loop with non-temporal stores
    (:mod:`.fused_stream`, compiled on first need) when ``loop`` is that loop and the
    streaming one could be built; else ``loop`` itself (also while another thread compiles
    it). Which loop ``loop`` is, is told by identity: a stand-in put in place of the compiled
    loop by patching :func:`kernel` is used as it is."""
    global _stream, _stream_status, _compiling_stream  # noqa: PLW0603 - compiled once per process
    if loop is not _kernel or loop is None:
        return loop
    if not _stream_status:
        if not _lock.acquire(blocking=False):  # another thread compiles: plain stores this once
            return loop
        try:
            if not _stream_status and not _compiling_stream:  # not re-entered by a finalizer
                _compiling_stream = True
                try:
                    _stream, _stream_status = _compile_stream()
                finally:
                    _compiling_stream = False
        finally:
            _lock.release()
    return _stream if _stream is not None else loop


def status() -> str:
    """Whether the compiled loop is used, and why not when it is not (compiles it if needed);
    once the streaming loop was needed, whether it is used."""
    kernel()
    if _stream_status == "built":
        return f"{_status}; streaming stores for results larger than the cache"
    if _stream_status:
        return f"{_status}; plain stores only: {_stream_status}"
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


def _compile_stream() -> tuple[Kernel | None, str]:
    """The streaming loop and "built", or None and why not (the plain loop stays in use)."""
    try:
        import numba  # noqa: PLC0415 - imported already: the plain loop was compiled

        from . import fused_stream  # noqa: PLC0415 - imports numba's parts: only once needed

        stream, why = fused_stream.build(numba)
    except Exception as exc:  # an LLVM or numba that refuses the intrinsics
        return None, f"the streaming loop did not compile ({exc})"
    return stream, why or "built"


def _loop(
    values: Any, factor: float, limit: float, out: Any
) -> bool:  # pragma: no cover - runs compiled
    """The loop numba compiles: multiply every value; note one below zero or above ``limit``.

    The unusual values are counted rather than or-ed into a flag: the compiler keeps a count
    in vector registers, where a flag went through mask registers and cost 5-8 % of the
    multiply's time on data in cache (measured on AVX-512). With a factor whose size is at
    most 1 and not 0, no product overflows (``limit`` is infinite), and the loop compares the
    sign alone.
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
    global _status, _stream, _stream_status  # noqa: PLW0603 - the child's own decision
    if _compiling:
        _status = "numpy blocks: this process was forked while numba was compiling the loop"
    if _compiling_stream:
        _stream = None  # even if the fork came after the loop, before its status, was set
        _stream_status = "this process was forked while numba was compiling the streaming loop"


if hasattr(os, "register_at_fork"):  # POSIX
    os.register_at_fork(after_in_child=_forked)
