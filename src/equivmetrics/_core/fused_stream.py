"""The streaming form of the compiled check-and-multiply, for results larger than the cache.

A plain store of a product makes the processor first read the destination's cache line from
memory ("read for ownership") and later write it back: for a result that does not fit in the
last-level cache, each value written costs two transfers, and a multiply moves three bytes for
every byte of its input. A *non-temporal* store writes a whole line straight to memory without
reading it, so the multiply moves two (measured on this project's benchmark machine: ten
million values in 3.0 ms on two threads instead of 4.0 ms, where numpy's multiply into an array
that already has its pages takes 4.1 ms). For a result that fits in the cache it is slower:
the next reader finds nothing there; :mod:`.scaled` uses it for large results only.

The loop built here does what :func:`.fused._loop` does, eight values at a time: one vector
load of the input, one IEEE multiplication per value (the same as numpy's, bit for bit: no
fused multiply-add, no fast-math), one non-temporal 64-byte store of the products to a line of
the output, and a count of the values below zero or above the overflow limit (NaN is neither).
The values before the output's first 64-byte boundary and after its last whole line are done
one by one with plain stores (all of them, for an output not aligned to 8 bytes). Non-temporal
stores are weakly ordered: a store fence at the end orders them before whatever the thread
does next, so that handing the result over (the lock of the second thread's future) makes
them visible to the thread that reads it.

Built only on x86-64, where these stores and the fence are the processor's own instructions;
elsewhere :func:`build` returns None and the plain loop is used at every size. This module
imports numba, so only :mod:`.fused` imports it, once numba has imported.
"""

from __future__ import annotations

import platform
from collections.abc import Callable
from typing import Any

__all__ = ["LANES", "build"]

#: Values per vector store: 64 bytes, one cache line.
LANES = 8

#: ``loop(values, factor, limit, out) -> unusual``, as :data:`.fused.Kernel`.
Loop = Callable[[Any, float, float, Any], bool]


def build(numba: Any) -> tuple[Loop | None, str]:
    """The streaming loop compiled for contiguous float64 input (writable or read-only) and
    output, and ``""``; or None and why it is not built. Raises what numba raises on failure."""
    if platform.machine().lower() not in {"x86_64", "amd64"}:
        return None, f"no streaming stores on {platform.machine() or 'this processor'}"
    from numba.extending import intrinsic  # noqa: PLC0415 - numba is optional

    types = numba.types
    writable = types.Array(numba.float64, 1, "C")
    readonly = types.Array(numba.float64, 1, "C", readonly=True)
    loop = _loop_over(intrinsic(_line_typer), intrinsic(_fence_typer))
    compiled: Loop = numba.njit(
        [
            numba.boolean(data, numba.float64, numba.float64, writable)
            for data in (writable, readonly)
        ],
        nogil=True,
        cache=False,
        boundscheck=False,
    )(loop)
    return compiled, ""


def _loop_over(multiply_line: Any, store_fence: Any) -> Loop:
    """The loop numba compiles, over the two intrinsics below."""

    def loop(
        values: Any, factor: float, limit: float, out: Any
    ) -> bool:  # pragma: no cover - runs compiled
        size = values.size
        if out.size != size:
            raise ValueError("the output must have the input's size")
        unusual = 0
        # the values before the output's first 64-byte boundary; all of them when the output
        # is not even 8-byte aligned (numba takes such an array too): no line store then
        address = out.ctypes.data
        head = size if address % 8 else min(size, (64 - address % 64) % 64 // 8)
        for index in range(head):
            value = values[index]
            out[index] = value * factor
            unusual += (value < 0.0) | (value > limit)
        body = head + (size - head) // LANES * LANES
        for index in range(head, body, LANES):
            unusual += multiply_line(values, out, index, factor, limit)
        for index in range(body, size):
            value = values[index]
            out[index] = value * factor
            unusual += (value < 0.0) | (value > limit)
        store_fence()
        return unusual > 0

    return loop


def _line_typer(_typing: Any, values: Any, out: Any, start: Any, factor: Any, limit: Any) -> Any:
    """``multiply_line(values, out, start, factor, limit)``: ``out[start:start + 8] =
    values[start:start + 8] * factor`` with one non-temporal store (``out[start]`` on a 64-byte
    boundary); how many of the eight are below zero or above ``limit``."""
    from numba import types  # noqa: PLC0415 - numba is optional

    return types.int64(values, out, start, factor, limit), _line_code


def _line_code(context: Any, builder: Any, signature: Any, args: Any) -> Any:
    from llvmlite import ir  # noqa: PLC0415 - numba's own dependency, loaded with it

    i32 = ir.IntType(32)
    lanes = ir.VectorType(ir.DoubleType(), LANES)
    source = context.make_array(signature.args[0])(context, builder, args[0])
    target = context.make_array(signature.args[1])(context, builder, args[1])
    load_at = builder.bitcast(builder.gep(source.data, [args[2]]), lanes.as_pointer())
    store_at = builder.bitcast(builder.gep(target.data, [args[2]]), lanes.as_pointer())
    x = builder.load(load_at, align=8)
    store = builder.store(builder.fmul(x, _splat(ir, builder, args[3])), store_at, align=64)
    store.set_metadata("nontemporal", builder.module.add_metadata([ir.Constant(i32, 1)]))
    below = builder.fcmp_ordered("<", x, ir.Constant(lanes, [0.0] * LANES))
    above = builder.fcmp_ordered(">", x, _splat(ir, builder, args[4]))
    bits = builder.bitcast(builder.or_(below, above), ir.IntType(LANES))
    popcount = builder.module.declare_intrinsic("llvm.ctpop", [ir.IntType(LANES)])
    return builder.zext(builder.call(popcount, [bits]), ir.IntType(64))


def _splat(ir: Any, builder: Any, value: Any) -> Any:
    """``value`` in each of the eight lanes of a vector."""
    lanes = ir.VectorType(ir.DoubleType(), LANES)
    i32 = ir.IntType(32)
    one = builder.insert_element(ir.Constant(lanes, ir.Undefined), value, ir.Constant(i32, 0))
    zeros = ir.Constant(ir.VectorType(i32, LANES), [0] * LANES)
    return builder.shuffle_vector(one, ir.Constant(lanes, ir.Undefined), zeros)


def _fence_typer(_typing: Any) -> Any:
    """``store_fence()``: the processor's store fence; the non-temporal stores before it are
    visible to every thread after it."""
    from numba import types  # noqa: PLC0415 - numba is optional

    return types.void(), _fence_code


def _fence_code(context: Any, builder: Any, signature: Any, args: Any) -> Any:
    from llvmlite import ir  # noqa: PLC0415 - numba's own dependency, loaded with it

    fence = builder.module.declare_intrinsic(
        "llvm.x86.sse.sfence", fnty=ir.FunctionType(ir.VoidType(), [])
    )
    builder.call(fence, [])
    return context.get_dummy_value()
