"""The size of the processor's last-level cache, where the system says it.

Whether a result is better written through the cache or straight to memory depends on whether
it fits in the cache (:mod:`.scaled`): on this project's benchmark machine (32 MiB of L3)
streaming stores were faster from 16 MiB of result up and slower at 8 MiB, and a server with
hundreds of MiB of L3 per core complex keeps far larger results in it. Linux describes each
cache of a CPU under ``/sys/devices/system/cpu/cpu0/cache/index*/`` (its ``level``, ``type``
and ``size``); :func:`last_level_cache` reads the largest level of data or unified cache
there, once. Elsewhere, or when the files are missing or odd, it returns None and the caller
uses its default.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

__all__ = ["last_level_cache", "read_last_level_cache"]

#: Where Linux describes the first CPU's caches.
SYSFS = Path("/sys/devices/system/cpu/cpu0/cache")

_SIZE = re.compile(r"^\s*(\d+)\s*([KMG]?)\s*$")
_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}


@functools.cache
def last_level_cache() -> int | None:
    """The size in bytes of the last-level cache of this machine's first CPU, or None when
    the system does not say (read once per process)."""
    return read_last_level_cache(SYSFS)


def read_last_level_cache(folder: Path) -> int | None:
    """The size in bytes of the highest-level data or unified cache described in ``folder``
    (one ``index*`` folder per cache, as Linux lays them out), or None."""
    best: tuple[int, int] | None = None  # (level, size)
    try:
        entries = sorted(folder.glob("index*"))
    except OSError:
        return None
    for entry in entries:
        try:
            level = int((entry / "level").read_text(encoding="ascii").strip())
            kind = (entry / "type").read_text(encoding="ascii").strip()
            size = _bytes((entry / "size").read_text(encoding="ascii"))
        except (OSError, ValueError, UnicodeDecodeError):
            continue
        if kind in {"Data", "Unified"} and size and (best is None or level > best[0]):
            best = (level, size)
    return None if best is None else best[1]


def _bytes(text: str) -> int | None:
    """``"32768K"`` -> 33554432; None for anything else."""
    match = _SIZE.match(text)
    if match is None:
        return None
    return int(match.group(1)) * _UNITS[match.group(2)]
