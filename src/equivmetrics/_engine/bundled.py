"""Building converters from pack files, and the cached converters of the bundled packs.

Reading and checking packs is slow and happens once: the converter of the bundled packs (and
of each selection of installed plugin packs) is built on first use and kept for the process,
warm-started from earlier processes when only bundled packs are in it (see :mod:`.warm`).
The public :func:`equivmetrics.load` wraps what is built here in an
:class:`~equivmetrics.Engine`.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterable
from importlib.resources.abc import Traversable
from pathlib import Path

from equivmetrics._catalog.catalog import Catalog
from equivmetrics._catalog.regional import regional_catalog
from equivmetrics._packs.load import bundled_files, expand_paths, read_packs
from equivmetrics._packs.model import Pack
from equivmetrics._packs.plugins import PluginSelection, annotate, discover, read_plugins, select
from equivmetrics._packs.yaml import Limits
from equivmetrics.exceptions import PackError

from .core import Converter
from .warm import warm_engine

__all__ = ["Place", "build", "bundled", "clear", "default", "placed"]

#: A region and edition asked for (``None``: the default region; the default editions).
Place = tuple[str | None, str | tuple[str, ...] | None]
_lock = threading.RLock()  # re-entrant: a plugin's import may itself call load()
#: Built converters of the bundled packs, by plugin selection (None: every installed plugin)
#: and place.
_converters: dict[tuple[tuple[str, ...] | None, Place], Converter] = {}
#: Converters of other places over the same packs, by the packs' identity and the place.
_placed: dict[tuple[int, Place], Converter] = {}
#: The default converter: the plugin selection is read once, when it is first built.
_default: Converter | None = None


@functools.lru_cache(maxsize=1)
def _bundled_packs() -> tuple[Pack, ...]:
    return tuple(read_packs(bundled_files()))


def build(
    paths: Iterable[str | Path],
    *,
    bundled: bool = True,
    plugins: PluginSelection = None,
    limits: Limits | None = None,
    place: Place = (None, None),
) -> Converter:
    """A new converter of the bundled packs (unless ``bundled=False``), plugins and ``paths``,
    with the packs chosen for ``place`` (region, edition).

    Raises :class:`~equivmetrics.PackError` listing every problem when any pack is invalid.
    """
    chosen = select(plugins, bundled=bundled)
    files: list[Path | Traversable] = list(expand_paths(tuple(paths)))
    packs: list[Pack] = list(_bundled_packs()) if bundled else []
    plugin_packs, found = read_plugins(chosen, limits)
    packs.extend(plugin_packs)
    packs.extend(read_packs(files, limits))
    try:
        return Converter(regional_catalog(packs, region=place[0], edition=place[1]))
    except PackError as exc:
        raise annotate(exc, found) from None


def bundled(plugins: PluginSelection = None, place: Place = (None, None)) -> Converter:
    """The converter of the bundled packs and the chosen plugins for ``place``, built once
    (thread-safe)."""
    chosen = select(plugins, bundled=True)
    key = (chosen, place)
    converter = _converters.get(key)
    if converter is None:
        with _lock:
            converter = _converters.get(key)
            if converter is None:
                converter = _start(chosen, place)
                _converters[key] = converter
    return converter


def placed(catalog: Catalog, place: Place) -> Converter:
    """A converter of the packs ``catalog`` was chosen from, chosen for ``place`` instead;
    one per packs and place, built once (thread-safe)."""
    key = (id(catalog.available), place)
    converter = _placed.get(key)
    if converter is None or converter.catalog.available is not catalog.available:
        with _lock:
            converter = _placed.get(key)
            if converter is None or converter.catalog.available is not catalog.available:
                packs = catalog.available or catalog.packs
                converter = Converter(regional_catalog(packs, region=place[0], edition=place[1]))
                _placed[key] = converter
    return converter


def default() -> Converter:
    """The converter of the bundled packs and every installed plugin (see :func:`bundled`).

    Plugins are left out when ``EQUIVMETRICS_DISABLE_PLUGINS`` is set (read when the
    converter is built: on first use and after :func:`clear`).
    """
    global _default  # noqa: PLW0603 - the process-wide cache of the default converter
    converter = _default
    if converter is None:
        with _lock:
            if _default is None:
                _default = bundled(None)
            converter = _default
    return converter


def clear() -> None:
    """Forget the cached converters and bundled packs (rebuilt on next use)."""
    global _default  # noqa: PLW0603
    with _lock:
        _default = None
        _converters.clear()
        _placed.clear()
        _bundled_packs.cache_clear()


def _catalog(chosen: tuple[str, ...] | None, place: Place = (None, None)) -> Catalog:
    plugin_packs, found = read_plugins(chosen)
    try:
        packs = (*_bundled_packs(), *plugin_packs)
        return regional_catalog(packs, region=place[0], edition=place[1])
    except PackError as exc:
        raise annotate(exc, found) from None


def _start(chosen: tuple[str, ...] | None, place: Place) -> Converter:
    """The converter of the bundled packs and chosen plugins; warm-started when only bundled
    and for the default place."""
    if place == (None, None) and (chosen == () or (chosen is None and not discover())):
        converter = warm_engine(functools.partial(_catalog, ()), bundled_files())
        if converter is not None:
            return converter
    return Converter(_catalog(chosen, place))
