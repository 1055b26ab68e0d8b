"""Values worked out once from objects that never change, found again by the objects' identity.

Frozen records (a kind, a conversion's steps, a citation) are compared field by field, so using
them as dictionary keys hashes every field on each look-up. :class:`ByIdentity` keys on their
``id()`` instead; each entry holds the objects themselves, so while it lives no other object can
take one of their ids. It is bounded: when full it starts again, empty.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

__all__ = ["ByIdentity"]

V = TypeVar("V")


class ByIdentity(Generic[V]):
    """Values by the identity of some objects (and any plain key beside them)."""

    __slots__ = ("_entries", "_size")

    def __init__(self, size: int = 4096) -> None:
        self._entries: dict[Hashable, tuple[tuple[object, ...], V]] = {}
        self._size = size

    def get(self, objects: tuple[object, ...], make: Callable[[], V], extra: Hashable = ()) -> V:
        """The value for ``objects`` (and ``extra``), made with ``make`` the first time."""
        key = (*map(id, objects), extra)
        entry = self._entries.get(key)
        if entry is not None and all(a is b for a, b in zip(entry[0], objects, strict=True)):
            return entry[1]
        value = make()
        if len(self._entries) >= self._size:
            self._entries.clear()
        self._entries[key] = (objects, value)
        return value

    def clear(self) -> None:
        self._entries.clear()
