"""numpy's plain float64 array, recognised by two identity tests and without importing numpy.

A conversion of a large array spends microseconds, not nanoseconds, on each Python step once
the array has streamed through the caches. The commonest magnitude — an ``ndarray`` (not a
subclass) of the machine's float64 — is told apart by its type and dtype objects alone, which
:mod:`.scaled` learns from numpy when it first multiplies an array; until then, and for
anything else, callers take their general road.
"""

from __future__ import annotations

from typing import Any

__all__ = ["learn", "plain_float64"]

#: numpy's ``ndarray`` and its native float64 dtype, once learnt.
_known: tuple[Any, Any] = (None, None)


def learn(ndarray: type, float64: object) -> None:
    """Remember numpy's array type and float64 dtype (called with numpy imported)."""
    global _known  # noqa: PLW0603 - replaced whole, so threads never see half of it
    _known = (ndarray, float64)


def plain_float64(value: Any) -> bool:
    """Whether ``value`` is an ``ndarray`` of native float64 (False until :func:`learn`)."""
    known = _known
    return type(value) is known[0] and value.dtype is known[1]
