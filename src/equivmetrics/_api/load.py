"""Building engines from pack files, the cached default engine, and module-level shortcuts."""

from __future__ import annotations

import functools
import threading
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from .._catalog.catalog import Catalog, build_catalog
from .._engine.core import Engine
from .._present.equivalent import Equivalent
from ..exceptions import PackError
from .._packs.load import bundled_files, expand_paths, read_packs
from .._packs.model import Pack
from .._packs.plugins import PluginSelection, annotate, discover, read_plugins, select
from .._engine.result import Result
from .._engine.warm import warm_engine
from .._packs.yaml import Limits

__all__ = ["action", "clear_cache", "convert", "default_engine", "feel_good", "load"]

_default_lock = threading.RLock()  # re-entrant: a plugin's import may itself call load()
#: Built engines of the bundled packs, by plugin selection (None: every installed plugin).
_engines: dict[tuple[str, ...] | None, Engine] = {}
#: The default engine, kept apart so that the module-level shortcuts cost one global read.
_default: Engine | None = None


@functools.lru_cache(maxsize=1)
def _bundled_packs() -> tuple[Pack, ...]:
    return tuple(read_packs(bundled_files()))


def load(
    *paths: str | Path,
    bundled: bool = True,
    plugins: PluginSelection = None,
    limits: Limits | None = None,
) -> Engine:
    """Build an engine from the bundled packs, installed plugin packs and the given files/folders.

    ``load()`` with no arguments returns the cached default engine. ``bundled=False`` uses only
    the given paths. ``plugins`` chooses the installed plugin packs (entry-point group
    ``equivmetrics.packs``, see ``docs/plugins.md``): ``True`` all of them, ``False`` none, or a
    list of plugin names; the default follows ``bundled``. Packs are read in that order: bundled,
    plugins, then the paths. Raises :class:`~equivmetrics.PackError` listing every problem (with
    ``file:line:column``) when any pack is invalid; nothing is half loaded.

    >>> import equivmetrics as em
    >>> engine = em.load()
    >>> round(engine.convert("12000 transaction/month", "fte").magnitude, 2)
    3.46
    >>> em.load(plugins=False).convert("420 kcal", "walking").unit
    'minute'
    """
    if not paths and bundled and limits is None:
        return default_engine() if plugins is None else _cached(select(plugins, bundled=True))
    chosen = select(plugins, bundled=bundled)
    files: list[Path | Traversable] = list(expand_paths(paths))
    packs: list[Pack] = list(_bundled_packs()) if bundled else []
    plugin_packs, found = read_plugins(chosen, limits)
    packs.extend(plugin_packs)
    packs.extend(read_packs(files, limits))
    try:
        return Engine(build_catalog(packs))
    except PackError as exc:
        raise annotate(exc, found) from None


def _cached(chosen: tuple[str, ...] | None) -> Engine:
    """The engine of the bundled packs and the chosen plugins, built once (thread-safe)."""
    engine = _engines.get(chosen)
    if engine is None:
        with _default_lock:
            engine = _engines.get(chosen)
            if engine is None:
                engine = _start(chosen)
                _engines[chosen] = engine
    return engine


def _build(chosen: tuple[str, ...] | None) -> Catalog:
    plugin_packs, found = read_plugins(chosen)
    try:
        return build_catalog((*_bundled_packs(), *plugin_packs))
    except PackError as exc:
        raise annotate(exc, found) from None


def _start(chosen: tuple[str, ...] | None) -> Engine:
    """The engine of the bundled packs and chosen plugins; warm-started when only bundled."""
    if chosen == () or (chosen is None and not discover()):
        engine = warm_engine(functools.partial(_build, ()), bundled_files())
        if engine is not None:
            return engine
    return Engine(_build(chosen))


def default_engine() -> Engine:
    """The engine of the bundled packs and installed plugins, built once per process.

    Thread-safe. Plugins are left out when the environment variable
    ``EQUIVMETRICS_DISABLE_PLUGINS`` is set (read when the engine is built: on first use and
    after :func:`clear_cache`).
    """
    global _default  # noqa: PLW0603 - the process-wide cache of the default engine
    engine = _default
    if engine is None:
        with _default_lock:
            if _default is None:
                _default = _cached(select(None, bundled=True))
            engine = _default
    return engine


def clear_cache() -> None:
    """Forget the cached engines and bundled packs (rebuilt on next use, plugins found again)."""
    global _default  # noqa: PLW0603
    with _default_lock:
        _default = None
        _engines.clear()
        _bundled_packs.cache_clear()


def convert(
    quantity: Any,
    to: str,
    *,
    of: str | None = None,
    unit: str | None = None,
    per: str | None = None,
    negative: str | None = None,
) -> Result:
    """:meth:`Engine.convert` on the default engine."""
    return default_engine().convert(quantity, to, of=of, unit=unit, per=per, negative=negative)


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
