"""Plugin packs: pack files that installed distributions offer through an entry point.

A distribution publishes packs under the entry-point group ``equivmetrics.packs``. The entry
point's value names either a *package* whose folder holds the ``.yaml`` pack files
(``acme_solar.packs``), or an attribute (``acme_solar:PACKS``) that is a file or folder — a
path, a string or an :mod:`importlib.resources` traversable — or a list of them.

Installed means enabled, as with pytest plugins: :func:`equivmetrics.load` reads them after the
bundled packs unless told otherwise. Every problem of every plugin (an import that fails, no
pack files, a bad pack) is collected into one :class:`PackError` whose hints name the entry
point and its distribution and say how to leave the plugin out.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from importlib import metadata, resources
from importlib.resources.abc import Traversable
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs

from equivmetrics.exceptions import Location, PackError, Problem

from .installed import DISABLE_VARIABLE, GROUP, PluginSelection, select
from .load import parse_pack
from .model import Pack
from .yaml import Limits

__all__ = [
    "DISABLE_VARIABLE",
    "GROUP",
    "Plugin",
    "PluginSelection",
    "annotate",
    "discover",
    "read_plugins",
    "select",
]

_SUFFIXES = (".yaml", ".yml")
_DISABLE_HINT = (
    "fix or uninstall that distribution, or leave plugins out with load(plugins=False), "
    f"load(plugins=[...names]) or the environment variable {DISABLE_VARIABLE}=1"
)


@attrs.frozen
class Plugin:
    """One plugin's entry point, its distribution and the pack files it offers."""

    name: str
    value: str
    distribution: str
    origins: tuple[str, ...] = ()

    def describe(self) -> str:
        """``plugin 'acme' (entry point acme_solar.packs of acme-solar 1.0)``."""
        return f"plugin {self.name!r} (entry point {self.value} of {self.distribution})"


def discover() -> list[metadata.EntryPoint]:
    """The installed entry points of the group, sorted by name then value."""
    found = metadata.entry_points(group=GROUP)
    return sorted(found, key=lambda ep: (ep.name, ep.value))


def read_plugins(
    names: tuple[str, ...] | None, limits: Limits | None = None
) -> tuple[list[Pack], list[Plugin]]:
    """Import the selected plugins and read their packs; raise one :class:`PackError`.

    ``names=None`` reads every installed plugin; ``()`` reads none (and imports nothing).
    """
    if names == ():
        return [], []
    entry_points = discover()
    problems: list[Problem] = []
    if names is not None:
        known = {ep.name for ep in entry_points}
        for missing in sorted(set(names) - known):
            problems.append(
                Problem(
                    Location(f"<entry point {GROUP}:{missing}>"),
                    "plugins",
                    f"no installed plugin is named {missing!r}",
                    f"installed: {', '.join(sorted(known)) or 'none'}",
                )
            )
        entry_points = [ep for ep in entry_points if ep.name in names]
    packs: list[Pack] = []
    plugins: list[Plugin] = []
    for ep in entry_points:
        plugin = Plugin(ep.name, ep.value, _distribution(ep))
        where = Location(f"<entry point {GROUP}:{ep.name}>")
        try:
            files = list(_files(ep))
        except _Refused as refused:
            problems.append(
                Problem(where, "plugins", f"{plugin.describe()} {refused}", _DISABLE_HINT)
            )
            continue
        if not files:
            problems.append(
                Problem(
                    where,
                    "plugins",
                    f"{plugin.describe()} offers no .yaml pack files",
                    _DISABLE_HINT,
                )
            )
            continue
        origins: list[str] = []
        for file, origin in files:
            origins.append(origin)
            pack, found = _read(file, origin, limits)
            problems.extend(found)
            if pack is not None:
                packs.append(pack)
        plugins.append(attrs.evolve(plugin, origins=tuple(origins)))
    if problems:
        raise annotate(PackError(problems), plugins)
    return packs, plugins


def annotate(error: PackError, plugins: Iterable[Plugin]) -> PackError:
    """The same error, with each problem in a plugin's file saying which plugin it comes from."""
    owners = {origin: plugin for plugin in plugins for origin in plugin.origins}
    if not owners:
        return error
    problems = []
    for problem in error.problems:
        owner = owners.get(problem.location.file)
        if owner is not None:
            note = f"from {owner.describe()}: {_DISABLE_HINT}"
            hint = f"{problem.hint}; {note}" if problem.hint else note
            problems.append(attrs.evolve(problem, hint=hint))
        else:
            problems.append(problem)
    return PackError(problems)


class _Refused(Exception):
    """Why a plugin's entry point gives no pack files (internal; becomes a Problem)."""


def _distribution(ep: metadata.EntryPoint) -> str:
    dist = getattr(ep, "dist", None)
    if dist is None:
        return "an unknown distribution"
    return f"{dist.name} {dist.version}"


def _files(ep: metadata.EntryPoint) -> Iterator[tuple[Traversable, str]]:
    try:
        target = ep.load()
    except Exception as exc:  # a plugin's import can fail in any way; report it, do not crash
        raise _Refused(f"failed to import: {type(exc).__name__}: {exc}") from None
    if isinstance(target, ModuleType):
        if not hasattr(target, "__path__"):
            raise _Refused(
                f"names the module {target.__name__!r}, which is not a package; point the "
                "entry point at a package folder of .yaml files or at an attribute"
            )
        yield from _walk(resources.files(target), ep.name)
        return
    items = target if isinstance(target, list | tuple) else [target]
    for item in items:
        yield from _walk(_traversable(item), ep.name)


def _traversable(item: Any) -> Traversable:
    if isinstance(item, str | os.PathLike):
        path = Path(item)
        if not path.exists():
            raise _Refused(f"names {str(path)!r}, which does not exist")
        return path
    if isinstance(item, Traversable):
        return item
    raise _Refused(
        f"gives a {type(item).__name__}; an attribute must be a path, a string, an "
        "importlib.resources traversable, or a list of them"
    )


def _walk(root: Traversable, plugin: str, prefix: str = "") -> Iterator[tuple[Traversable, str]]:
    """Pack files under ``root`` (or ``root`` itself), in name order, with their origin text."""
    if root.is_file():
        if root.name.endswith(_SUFFIXES):
            yield root, _origin(root, plugin, prefix + root.name)
        return
    for child in sorted(root.iterdir(), key=lambda c: c.name):
        if child.is_dir():
            if child.name != "__pycache__":
                yield from _walk(child, plugin, f"{prefix}{child.name}/")
        elif child.name.endswith(_SUFFIXES):
            yield child, _origin(child, plugin, prefix + child.name)


def _origin(file: Traversable, plugin: str, relative: str) -> str:
    """A real file's path; otherwise (a zipped package) the plugin name and relative path."""
    return str(file) if isinstance(file, Path) else f"<plugin {plugin}>/{relative}"


def _read(
    file: Traversable, origin: str, limits: Limits | None
) -> tuple[Pack | None, list[Problem]]:
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(Location(origin), "", f"not UTF-8 text: {exc.reason}")]
    except OSError as exc:
        return None, [Problem(Location(origin), "", f"cannot read: {exc.strerror or exc}")]
    return parse_pack(text, origin, limits)
