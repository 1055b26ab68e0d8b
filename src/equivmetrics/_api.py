"""Building engines from pack files, the cached default engine, and module-level shortcuts."""

from __future__ import annotations

import functools
import threading
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from ._catalog import build_catalog
from ._engine import Engine
from ._equivalent import Equivalent
from ._load import bundled_files, expand_paths, read_packs
from ._model import Pack
from ._result import Result
from ._yaml import Limits

__all__ = ["action", "clear_cache", "convert", "default_engine", "feel_good", "load"]

_default_lock = threading.Lock()
_default: Engine | None = None


@functools.lru_cache(maxsize=1)
def _bundled_packs() -> tuple[Pack, ...]:
    return tuple(read_packs(bundled_files()))


def load(
    *paths: str | Path,
    bundled: bool = True,
    limits: Limits | None = None,
) -> Engine:
    """Build an engine from the bundled packs plus the given pack files and folders.

    ``load()`` with no arguments returns the cached default engine. ``bundled=False`` uses only
    the given paths. Raises :class:`~equivmetrics.PackError` listing every problem (with
    ``file:line:column``) when any pack is invalid; nothing is half loaded.

    >>> import equivmetrics as em
    >>> engine = em.load()
    >>> round(engine.convert("12000 transaction/month", "fte").magnitude, 2)
    3.46
    """
    if not paths and bundled and limits is None:
        return default_engine()
    files: list[Path | Traversable] = list(expand_paths(paths))
    packs: list[Pack] = list(_bundled_packs()) if bundled else []
    packs.extend(read_packs(files, limits))
    return Engine(build_catalog(packs))


def default_engine() -> Engine:
    """The engine of the bundled packs, built once per process (thread-safe)."""
    global _default  # noqa: PLW0603 - the process-wide cache of the default engine
    engine = _default
    if engine is None:
        with _default_lock:
            if _default is None:
                _default = Engine(build_catalog(_bundled_packs()))
            engine = _default
    return engine


def clear_cache() -> None:
    """Forget the cached default engine and bundled packs (they are rebuilt on next use)."""
    global _default  # noqa: PLW0603
    with _default_lock:
        _default = None
        _bundled_packs.cache_clear()


def convert(
    quantity: Any,
    to: str,
    *,
    of: str | None = None,
    unit: str | None = None,
    per: str | None = None,
) -> Result:
    """:meth:`Engine.convert` on the default engine."""
    return default_engine().convert(quantity, to, of=of, unit=unit, per=per)


def feel_good(quantity: Any, **options: Any) -> tuple[Equivalent, ...]:
    """:meth:`Engine.feel_good` on the default engine.

    >>> import equivmetrics as em
    >>> [e.kind for e in em.feel_good("12400 kWh", top=3)]
    ['co2e', 'tree_seedling', 'vehicle_miles']
    """
    return default_engine().feel_good(quantity, **options)


def action(quantity: Any, **options: Any) -> tuple[Equivalent, ...]:
    """:meth:`Engine.action` on the default engine.

    >>> import equivmetrics as em
    >>> for e in em.action("420 kcal", only=["walking", "running"]):
    ...     print(e.text)
    1 h 15 min of brisk walking to burn it off (range 48–110 min)
    42 minutes of running to burn it off (range 29–51)
    """
    return default_engine().action(quantity, **options)
