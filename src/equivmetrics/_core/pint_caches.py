"""pint's caches kept to a fixed size, whatever callers send.

A pint registry remembers, per combination of units it has met, its dimensionality, its root
units and conversion factors between two combinations — dictionaries that grow by about 2 KiB
for each distinct unit text a caller sends (60,000 distinct texts: 138 MB, still growing).
:func:`bound_caches` replaces each by a dictionary that keeps the entries pint builds at start
and at most :data:`MAX_PINT_CACHE` more, forgetting the oldest first (pint works a forgotten one
out again). This reaches into pint's private ``_cache``; a pint whose caches look different is
left as it is (the memory test in ``tests/test_memory.py`` would then say so).
"""

from __future__ import annotations

import collections
from typing import Any

__all__ = ["MAX_PINT_CACHE", "bound_caches"]

#: Entries each of pint's per-registry caches keeps beyond those it builds at start.
MAX_PINT_CACHE = 4096
_PINT_CACHES = ("dimensionality", "root_units", "conversion_factor", "parse_unit")
_PINT_SETS = ("dimensional_equivalents",)


class _Bounded(dict[Any, Any]):
    """A dict that forgets the oldest of the keys added after it was made, past ``room``."""

    def __init__(self, items: dict[Any, Any], room: int) -> None:
        super().__init__(items)
        self.room = room
        self.added: collections.deque[Any] = collections.deque()

    def __setitem__(self, key: Any, value: Any) -> None:
        if key not in self:
            self.added.append(key)
            while len(self.added) > self.room:
                self.pop(self.added.popleft(), None)
        super().__setitem__(key, value)

    def setdefault(self, key: Any, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        return self[key]

    def __reduce__(self) -> Any:  # copies (a registry's deep copy) are plain dicts again
        return dict, (dict(self),)


def bound_caches(registry: Any) -> None:
    """Replace each of pint's per-registry caches by a :class:`_Bounded` copy of it."""
    caches = [getattr(registry, "_cache", None), *getattr(registry, "_caches", {}).values()]
    for cache in caches:
        for name in (*_PINT_CACHES, *_PINT_SETS):
            found = getattr(cache, name, None)
            if type(found) is dict:
                setattr(cache, name, _Bounded(found, MAX_PINT_CACHE))
