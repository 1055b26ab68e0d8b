"""Locks that a forked child process gets back unlocked.

A process that forks while another of its threads holds a lock (multiprocessing's ``fork``
start method, pre-fork servers) gives the child a copy of that lock, held by a thread the
child does not have: the child's first use of it waits forever. Every lock of equivmetrics is
made here, by :func:`new_lock` or :func:`new_rlock`, with the object and attribute that hold
it; in a forked child (``os.register_at_fork``) each is replaced by a new, unlocked one before
the child's code runs. What a lock protected is left as the fork found it; every lock of the
library guards a cache or a value built once, which the child then builds again if it was
not finished.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Callable
from typing import Any

__all__ = ["new_lock", "new_rlock"]

#: Owner (a module or an object) -> {attribute: the factory of its lock}.
_owners: weakref.WeakKeyDictionary[Any, dict[str, Callable[[], Any]]] = weakref.WeakKeyDictionary()
_guard = threading.Lock()


def new_lock(owner: Any, attribute: str) -> threading.Lock:
    """A lock for ``owner.attribute``, replaced by a new one in a forked child."""
    _register(owner, attribute, threading.Lock)
    return threading.Lock()


def new_rlock(owner: Any, attribute: str) -> threading.RLock:
    """A re-entrant lock for ``owner.attribute``, replaced by a new one in a forked child."""
    _register(owner, attribute, threading.RLock)
    return threading.RLock()


def _register(owner: Any, attribute: str, factory: Callable[[], Any]) -> None:
    with _guard:
        _owners.setdefault(owner, {})[attribute] = factory


def _renew() -> None:
    """In a forked child: every registered lock replaced by a new one (one thread runs)."""
    global _guard  # noqa: PLW0603 - the registry's own lock is renewed first
    _guard = threading.Lock()
    for owner, attributes in list(_owners.items()):
        for attribute, factory in attributes.items():
            setattr(owner, attribute, factory())


if hasattr(os, "register_at_fork"):  # POSIX
    os.register_at_fork(after_in_child=_renew)
