"""Memory for large results, used again once nothing reads it.

Writing a large result into memory the process has not used before costs the kernel's
zeroing of every page on first touch: for ten million float64 values, about 4 ms of the 7 ms
numpy's multiply takes on this benchmark machine. polars does not pay it: its allocator
(jemalloc) keeps freed memory and hands it out again. :func:`float64_buffer` does the same: it
returns a numpy array over an anonymous private mapping (``mmap``), and hands the same memory
out again only once that array is gone (every view of it holds it: numpy passes a view's base
on only to another array, and this one's base is a memoryview), the mapping has no buffer
exported any more (a memoryview or array someone made from that memoryview, asked of the
mapping itself: it refuses to be resized while one is left) and nothing else holds the
mapping object.

While it waits, a free buffer is marked with ``MADV_FREE``: the kernel takes its pages back
when memory runs short, with no write to swap, and otherwise leaves them, so that the next
result is written without a page fault. At most :data:`MOST_FREE` free buffers, of at most
:data:`MOST_FREE_BYTES` in all, are kept; older ones are unmapped when another is released
or lent. A forked child has its own copy of the memory (the mapping is private).

The lock is never waited for when an array goes: that may happen on any thread, at any
moment (a garbage collection), also while another thread holds the lock and runs a
finalizer that waits for a lock the first thread holds. A release that finds the lock busy
is queued and done by the next call that takes it.

Only where a private anonymous mapping can be advised and resized in place (Linux), for
buffers of at least :data:`MIN_BYTES`, and not with ``EQUIVMETRICS_BUFFERS=off``:
:func:`float64_buffer` then returns None and the caller allocates as before.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import mmap
import os
import sys
import weakref
from collections.abc import Callable
from typing import Any

from .locks import new_rlock

__all__ = ["MIN_BYTES", "MOST_FREE", "MOST_FREE_BYTES", "enabled", "float64_buffer", "touch"]

#: Buffers smaller than this are not kept (4 MiB: 524,288 float64 values); a mapping costs a
#: system call, and a small result's pages are mostly memory the allocator reuses anyway.
MIN_BYTES = 4 << 20
#: The most free buffers kept for the next results; more are unmapped, oldest first.
MOST_FREE = 4
#: The most memory free buffers hold in all (256 MiB); beyond it the oldest are unmapped, so
#: a result larger than this is never kept once released.
MOST_FREE_BYTES = 256 << 20
#: Buffer sizes are rounded up to this (2 MiB, a huge page), so that results of about the
#: same length share buffers.
_GRAIN = 2 << 20
#: Values per page: one write each makes the kernel give a fresh buffer's pages.
_PAGE_VALUES = max(1, mmap.PAGESIZE // 8)

#: Re-entrant: an array over a buffer may be collected (and its slot freed, under this lock)
#: by a garbage collection that runs while this thread holds it.
_lock = new_rlock(sys.modules[__name__], "_lock")
#: Every buffer kept, oldest first.
_slots: list[_Slot] = []
#: Releases that found the lock held by another thread: (slot, its weak reference).
_pending: collections.deque[tuple[_Slot, Any]] = collections.deque()


def enabled() -> bool:
    """Whether results are written into kept buffers: where a private anonymous mapping can
    be advised and resized in place, unless ``EQUIVMETRICS_BUFFERS`` is ``off`` (or ``0``,
    ``no``, ``false``)."""
    setting = os.environ.get("EQUIVMETRICS_BUFFERS", "").strip().lower()
    return setting not in {"off", "0", "no", "false"} and _supported()


@functools.cache
def _supported() -> bool:
    """Whether this system has what kept buffers need (checked once, on a page)."""
    posix = hasattr(mmap, "MAP_PRIVATE") and hasattr(mmap, "MAP_ANONYMOUS")
    if not (posix and hasattr(mmap.mmap, "madvise")):
        return False  # pragma: no cover - Windows
    try:
        probe = mmap.mmap(-1, mmap.PAGESIZE, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
        try:
            probe.resize(mmap.PAGESIZE)  # no mremap (macOS): no way to ask for exports
        finally:
            probe.close()
    except (OSError, ValueError, SystemError):  # pragma: no cover - not Linux
        return False
    return True


def float64_buffer(np: Any, size: int) -> Any:
    """A writable, contiguous float64 array of ``size`` values over kept memory (a free
    buffer of the same rounded size, else a new one whose pages this thread touches first),
    or None when results of this size are not kept (see the module's docstring).

    A slot is marked taken in the same step that finds it free, with nothing allocated in
    between: any allocation may start a garbage collection, whose finalizers may convert
    (on this thread, through the re-entrant lock) and must then not be lent the same slot.
    """
    nbytes = size * 8
    if nbytes < MIN_BYTES or not enabled():
        return None
    capacity = -(-nbytes // _GRAIN) * _GRAIN
    with _lock:
        _drain()
        slot = _take(capacity)
        fresh = slot is None
        if slot is None:
            try:
                slot = _Slot(capacity)  # taken from the start
            except (OSError, ValueError):  # no memory for a mapping: allocate as before
                return None
            _slots.append(slot)
        try:
            # over the result's bytes only: an earlier, longer result's tail stays out of
            # reach of its base
            array = np.frombuffer(memoryview(slot.memory)[:nbytes], dtype=np.float64)
            slot.lend(array)
        except BaseException:
            slot.user = None
            raise
        _trim()
    if fresh:
        touch(array)  # the pages given on this thread's core (see .scaled)
    return array


def touch(flat: Any, start: int = 0) -> None:
    """Write one value in each page of the one-dimensional ``flat[start:]``, so that the
    kernel gives (and zeroes) those pages now, on this thread's core."""
    flat[start::_PAGE_VALUES] = 0.0


def _take(capacity: int) -> _Slot | None:
    """The oldest free slot of ``capacity`` that nothing reads any more, marked taken; None
    when there is none (under the lock). No allocation between the check and the mark."""
    for slot in list(_slots):
        if slot.capacity == capacity and slot.user is None:
            slot.user = _TAKEN
            if not slot.read():
                return slot
            slot.user = None  # someone reads it through the mapping itself: not yet
    return None


def _drain() -> None:
    """Do the releases queued while another thread held the lock (under the lock)."""
    while _pending:
        slot, ref = _pending.popleft()
        slot.free_after(ref)


def _exported(memory: mmap.mmap) -> bool:
    """Whether a buffer of ``memory`` is still exported: a memoryview, or an array made
    from one, that someone holds (the mapping refuses to be resized then)."""
    try:
        memory.resize(len(memory))  # the same size: nothing moves or changes
    except BufferError:
        return True
    except (OSError, ValueError, SystemError):  # closed: not lent again anyway
        return True
    return False


def _trim() -> None:
    """Unmap the free buffers larger than :data:`MOST_FREE_BYTES` alone, then the oldest free
    ones beyond :data:`MOST_FREE` of them or :data:`MOST_FREE_BYTES` in all (under the
    lock). A buffer still exported is unmapped when its last reader goes."""
    free = [slot for slot in _slots if slot.user is None]
    kept = [slot for slot in free if slot.capacity <= MOST_FREE_BYTES]
    dropped = [slot for slot in free if slot.capacity > MOST_FREE_BYTES]
    held = sum(slot.capacity for slot in kept)
    while len(kept) > MOST_FREE or held > MOST_FREE_BYTES:
        oldest = kept.pop(0)
        held -= oldest.capacity
        dropped.append(oldest)
    for slot in dropped:
        if slot in _slots and slot.user is None:  # a finalizer may have trimmed or taken it
            _slots.remove(slot)
            slot.close()


def _taken() -> None:
    """What a slot's ``user`` gives while it is being lent: no array yet, but not free."""


#: The ``user`` of a slot between being found free and being lent.
_TAKEN: Any = _taken


class _Slot:
    """One kept buffer: its mapping, and a weak reference to the array lent over it."""

    __slots__ = ("__weakref__", "capacity", "memory", "own", "user")

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.memory = mmap.mmap(-1, capacity, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
        #: A weak reference to the array lent over it (to its base); ``_TAKEN`` while being
        #: lent; None when free.
        self.user: Callable[[], Any] | None = _TAKEN
        _advise(self.memory, "MADV_HUGEPAGE")  # as numpy asks for its large arrays
        #: The mapping's reference count with only this slot holding it (counted as
        #: :meth:`read` counts it).
        self.own = sys.getrefcount(self.memory)

    def read(self) -> bool:
        """Whether something may still read the buffer: a buffer of the mapping exported (a
        memoryview, or an array made from one), or the mapping object itself held outside
        this slot."""
        return _exported(self.memory) or sys.getrefcount(self.memory) > self.own

    def free(self) -> bool:
        """Whether no array over this buffer is left (under the lock)."""
        return self.user is None

    def lend(self, array: Any) -> None:
        """Note ``array`` as the one over this buffer (under the lock). What is watched is
        its base, the memoryview numpy made of the mapping, which goes after the array and
        after giving its buffer back: when it goes, the mapping knows whether anything else
        still reads it."""
        base = array.base
        self.user = weakref.ref(base if isinstance(base, memoryview) else array, self._released)

    def _released(self, ref: weakref.ref[Any]) -> None:
        """The array is gone: free the buffer now if the lock is free (or held by this
        thread), else queue it for the next call that takes the lock. Never waits."""
        lock: Any = _lock
        if lock is None:  # the interpreter is tearing this module down
            return
        if lock.acquire(blocking=False):
            try:
                self.free_after(ref)
            finally:
                lock.release()
        else:
            _pending.append((self, ref))

    def free_after(self, ref: weakref.ref[Any]) -> None:
        """Free the buffer that ``ref``'s array was lent (under the lock, so that its pages
        are never marked after it was lent again: the kernel could then drop what the next
        result wrote). Its pages may go only when nothing reads it any more."""
        if self.user is ref:
            self.user = None
            if not self.read():
                _advise(self.memory, "MADV_FREE")
            _trim()  # at most MOST_FREE wait, also when no new buffer is made

    def close(self) -> None:
        with contextlib.suppress(BufferError):  # an export not collected yet: unmapped with it
            self.memory.close()


def _advise(memory: mmap.mmap, name: str) -> None:
    """``madvise(name)`` over ``memory`` when the system knows it; a refusal changes nothing
    but the speed."""
    option = getattr(mmap, name, None)
    if option is None:
        return
    with contextlib.suppress(OSError, ValueError):  # an older kernel, or the mapping closed
        memory.madvise(option)
