"""Building converters from pack files, and the cached converters of the bundled packs.

Reading and checking packs is slow and happens once: the converter of the bundled packs (and
of each selection of installed plugin packs) is built on first use and kept for the process,
warm-started from earlier processes when only bundled packs are in it (see :mod:`.warm`).
The public :func:`equivmetrics.load` wraps what is built here in an
:class:`~equivmetrics.Engine`.
"""

from __future__ import annotations

import functools
import sys
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from equivmetrics._core.locks import new_rlock
from equivmetrics._core.regions import DEFAULT_REGION, is_region
from equivmetrics._core.regions import normalize as region_code
from equivmetrics._packs.installed import PluginSelection, bundled_files, may_have_plugins, select
from equivmetrics.exceptions import PackError

from .core import Converter
from .warm import warm_engine

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from equivmetrics._catalog.catalog import Catalog
    from equivmetrics._packs.model import Pack
    from equivmetrics._packs.yaml import Limits

__all__ = ["Place", "build", "bundled", "clear", "default", "placed"]

#: A region and edition asked for (``None``: the default region; the default editions).
Place = tuple[str | None, str | tuple[str, ...] | None]
_lock = new_rlock(
    sys.modules[__name__], "_lock"
)  # re-entrant: a plugin's import may itself call load()
#: Built converters of the bundled packs for the default place, by plugin selection (None:
#: every installed plugin); other places are :func:`placed` over them.
_converters: dict[tuple[str, ...] | None, Converter] = {}
#: Converters of other places over the same packs, by the packs' identity and the place; the
#: most recently used are kept (a caller naming many places cannot grow the process).
_placed: OrderedDict[tuple[int, Place], Converter] = OrderedDict()
#: How many places' converters are kept.
MAX_PLACES = 64
#: The default converter: the plugin selection is read once, when it is first built.
_default: Converter | None = None


@functools.lru_cache(maxsize=1)
def _bundled_packs() -> tuple[Pack, ...]:
    from equivmetrics._packs.load import read_packs  # noqa: PLC0415 - lazy: a warm start reads no pack

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
    from equivmetrics._catalog.regional import regional_catalog  # noqa: PLC0415 - lazy: a warm start reads no pack
    from equivmetrics._packs.load import expand_paths, read_packs  # noqa: PLC0415 - lazy: a warm start reads no pack
    from equivmetrics._packs.plugins import annotate, read_plugins  # noqa: PLC0415 - lazy: a warm start reads no pack

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
    converter = _converters.get(chosen)
    if converter is None:
        with _lock:
            converter = _converters.get(chosen)
            if converter is None:
                converter = _start(chosen)
                _converters[chosen] = converter
    return converter if place == (None, None) else placed(converter.catalog, place)


def _key(place: Place) -> Place:
    """A place as the cache knows it: the region canonical (the default spelled out) and the
    editions as matching sees them (case and spaces aside, order and repeats aside)."""
    region, edition = place
    code = region_code(region) if region is not None and is_region(region) else region
    if edition is None:
        return code or DEFAULT_REGION, None
    names = (edition,) if isinstance(edition, str) else edition
    return code or DEFAULT_REGION, tuple(sorted({n.strip().casefold() for n in names}))


def placed(catalog: Catalog, place: Place) -> Converter:
    """A converter of the packs ``catalog`` was chosen from, chosen for ``place`` instead;
    one per packs and place (the :data:`MAX_PLACES` most recently used are kept; thread-safe)."""
    key = (id(catalog.available or catalog.packs), _key(place))
    with _lock:
        converter = _placed.get(key)
        if converter is not None and converter.catalog.available is catalog.available:
            _placed.move_to_end(key)
            return converter
    from equivmetrics._catalog.regional import regional_catalog  # noqa: PLC0415 - lazy: a warm start reads no pack

    packs = catalog.available or catalog.packs
    converter = Converter(regional_catalog(packs, region=place[0], edition=place[1]))
    with _lock:
        _placed[key] = converter
        while len(_placed) > MAX_PLACES:
            _placed.popitem(last=False)
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


def _catalog(chosen: tuple[str, ...] | None) -> Catalog:
    from equivmetrics._catalog.regional import regional_catalog  # noqa: PLC0415 - lazy: a warm start reads no pack

    if chosen == ():  # no plugin to read (nor a plugin's problem to name): none imported
        return regional_catalog(_bundled_packs())
    from equivmetrics._packs.plugins import annotate, read_plugins  # noqa: PLC0415 - lazy: a warm start reads no pack

    plugin_packs, found = read_plugins(chosen)
    try:
        return regional_catalog((*_bundled_packs(), *plugin_packs))
    except PackError as exc:
        raise annotate(exc, found) from None


def _start(chosen: tuple[str, ...] | None) -> Converter:
    """The converter of the bundled packs and chosen plugins for the default place;
    warm-started when only bundled."""
    if chosen == () or (chosen is None and not _plugins_installed()):
        converter = warm_engine(functools.partial(_catalog, ()), bundled_files())
        # no plugin to read: importlib.metadata is not asked again when warm starts are off
        return converter if converter is not None else Converter(_catalog(()))
    return Converter(_catalog(chosen))


def _plugins_installed() -> bool:
    """Whether an installed distribution offers plugin packs (importlib.metadata asked only
    when a look at the installed folders cannot tell)."""
    quick = may_have_plugins()
    if quick is not None and not quick:
        return False
    from equivmetrics._packs.plugins import discover  # noqa: PLC0415 - lazy: a warm start reads no pack

    return bool(discover())
