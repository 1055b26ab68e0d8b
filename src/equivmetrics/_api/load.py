"""Loading engines, the cached default engine, and the module-level shortcuts.

``em.load()`` and ``em.default_engine()`` hand out :class:`~equivmetrics.Engine` objects over
the engine layer's converters (:mod:`equivmetrics._engine.bundled` builds and caches those);
``em.convert``, ``em.feel_good`` and ``em.action`` call the default engine.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from equivmetrics._core.locks import new_rlock
from equivmetrics._core.negative import NegativePolicy
from equivmetrics._engine import bundled as _bundled
from equivmetrics._engine.core import Converter
from equivmetrics._engine.result import Result
from equivmetrics._packs.installed import PluginSelection
from equivmetrics.exceptions import InputTypeError

from .engine import Engine
from .place import place

if TYPE_CHECKING:
    from equivmetrics._packs.select import RegionInfo
    from equivmetrics._packs.yaml import Limits
    from equivmetrics._present.equivalent import Equivalents

__all__ = [
    "action",
    "clear_cache",
    "convert",
    "default_engine",
    "feel_good",
    "load",
    "regions",
]

_lock = new_rlock(
    sys.modules[__name__], "_lock"
)  # re-entrant: a plugin's import may itself call load()
#: Engines over the cached converters of the bundled packs, by the converter they wrap.
_engines: dict[int, Engine] = {}
#: The default engine, kept apart so that the module-level shortcuts cost one global read.
_default: Engine | None = None


def load(
    *paths: str | Path,
    bundled: bool = True,
    plugins: PluginSelection = None,
    limits: Limits | None = None,
    region: str | None = None,
    edition: str | Iterable[str] | None = None,
) -> Engine:
    """Build an engine from the bundled packs, installed plugin packs and the given files/folders.

    ``region`` chooses the packs for a place (``"GB"``, ``"US-CAMX"``, ``"DE"``; default
    ``"US"``) and ``edition`` names the edition of its figures (``"eGRID2022"``; default: each
    topic's default edition): see docs/regions.md and :func:`regions`.

    ``load()`` with no arguments returns the cached default engine. ``bundled=False`` uses only
    the given paths. ``plugins`` chooses the installed plugin packs (entry-point group
    ``equivmetrics.packs``, see ``docs/plugins.md``): ``True`` all of them, ``False`` none, or a
    list of plugin names; the default follows ``bundled``. Packs are read in that order: bundled,
    plugins, then the paths. Raises :class:`~equivmetrics.PackError` listing every problem (with
    ``file:line:column``) when any pack is invalid; nothing is half loaded.

    >>> import equivmetrics as em
    >>> engine = em.load()
    >>> round(engine.convert("12000 transaction/month", "fte").magnitude, 2)
    3.83
    >>> em.load(plugins=False).convert("420 kcal", "walking").unit
    'minute'
    """
    if not isinstance(bundled, bool):
        raise InputTypeError(
            f"bundled= must be True or False, not {type(bundled).__name__}", value=bundled
        )
    if limits is not None:
        from equivmetrics._packs.yaml import Limits  # noqa: PLC0415 - lazy: a warm start reads no pack

        if not isinstance(limits, Limits):
            raise InputTypeError(
                f"limits= must be an em.Limits, not {type(limits).__name__}", value=limits
            )
    where = place(region, edition)
    if not paths and bundled and limits is None:
        if plugins is None and where == (None, None):
            return default_engine()
        return _cached(_bundled.bundled(plugins, where))
    return Engine(
        _bundled.build(paths, bundled=bundled, plugins=plugins, limits=limits, place=where)
    )


def _cached(converter: Converter) -> Engine:
    """The one engine over a cached converter (so ``load(plugins=...)`` is the same object)."""
    engine = _engines.get(id(converter))
    if engine is None or engine.core is not converter:
        with _lock:
            engine = _engines.get(id(converter))
            if engine is None or engine.core is not converter:
                engine = Engine(converter)
                _engines[id(converter)] = engine
    return engine


def default_engine() -> Engine:
    """The engine of the bundled packs and installed plugins, built once per process.

    Thread-safe. Plugins are left out when the environment variable
    ``EQUIVMETRICS_DISABLE_PLUGINS`` is set (read when the engine is built: on first use and
    after :func:`clear_cache`).
    """
    global _default  # noqa: PLW0603 - the process-wide cache of the default engine
    engine = _default
    if engine is None:
        with _lock:
            if _default is None:
                _default = _cached(_bundled.default())
            engine = _default
    return engine


def regions() -> tuple[RegionInfo, ...]:
    """Every region the bundled packs and installed plugins have figures for, with editions.

    >>> import equivmetrics as em
    >>> "US" in [info.code for info in em.regions()]
    True
    """
    return default_engine().regions()


def clear_cache() -> None:
    """Forget the cached engines and bundled packs (rebuilt on next use, plugins found again)."""
    global _default  # noqa: PLW0603
    with _lock:
        _default = None
        _engines.clear()
        _bundled.clear()


def convert(
    quantity: Any,
    to: str,
    *,
    of: str | None = None,
    unit: str | None = None,
    per: str | None = None,
    negative: NegativePolicy | None = None,
) -> Result:
    """:meth:`Engine.convert` on the default engine."""
    return default_engine().convert(quantity, to, of=of, unit=unit, per=per, negative=negative)


def feel_good(
    quantity: Any,
    *,
    of: str | None = None,
    only: Iterable[str] | str | None = None,
    top: int | None = None,
    per: str | None = None,
    locale: str = "en",
    sig: int | None = None,
) -> Equivalents:
    """:meth:`Engine.feel_good` on the default engine.

    >>> import equivmetrics as em
    >>> [e.kind for e in em.feel_good("12400 kWh", top=3)]
    ['co2e', 'tree_seedling', 'vehicle_miles']
    """
    return default_engine().feel_good(
        quantity, of=of, only=only, top=top, per=per, locale=locale, sig=sig
    )


def action(
    quantity: Any,
    *,
    of: str | None = None,
    only: Iterable[str] | str | None = None,
    top: int | None = None,
    per: str | None = None,
    locale: str = "en",
    sig: int | None = None,
) -> Equivalents:
    """:meth:`Engine.action` on the default engine.

    >>> import equivmetrics as em
    >>> for e in em.action("420 kcal", only=["walking", "running"]):
    ...     print(e.text)
    1 h 15 min of brisk walking to burn it off (range 48–110 min)
    42 minutes of running to burn it off (range 29–51)
    """
    return default_engine().action(
        quantity, of=of, only=only, top=top, per=per, locale=locale, sig=sig
    )
