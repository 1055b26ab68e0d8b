"""What is installed, found without reading it: the bundled pack files, and whether any
installed distribution offers plugin packs.

:func:`may_have_plugins` answers the question every default engine asks at start-up (a warm
start is for the bundled packs alone) by listing the ``*.dist-info`` and ``*.egg-info``
folders on ``sys.path`` and reading their ``entry_points.txt``: about a millisecond, where
importing :mod:`importlib.metadata` and asking it takes tens. When that listing cannot tell (an
entry of ``sys.path`` that is not a folder, an import hook that finds distributions of its
own), it says so and the caller asks :mod:`importlib.metadata` (``plugins.discover``).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from equivmetrics.exceptions import InputTypeError

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = [
    "DISABLE_VARIABLE",
    "GROUP",
    "PluginSelection",
    "bundled_files",
    "may_have_plugins",
    "package_folder",
    "select",
]

#: The entry-point group plugins publish their packs under.
GROUP = "equivmetrics.packs"
#: Set to a non-empty value to leave plugins out unless ``load(plugins=...)`` asks for them.
DISABLE_VARIABLE = "EQUIVMETRICS_DISABLE_PLUGINS"
PACK_SUFFIXES = (".yaml", ".yml")
_METADATA = (".dist-info", ".egg-info")

#: What ``load(plugins=...)`` accepts: all installed plugins, none, or those with these names.
PluginSelection = bool | Iterable[str] | None


def package_folder() -> Path | Traversable:
    """The ``equivmetrics`` package's folder: a plain folder on disk (without importing
    :mod:`importlib.resources`, which alone costs a tenth of a warm start), else importlib's
    resources (a package inside a zip)."""
    here = Path(__file__).resolve().parent.parent
    if (here / "__init__.py").is_file():
        return here
    from importlib import resources  # noqa: PLC0415 - lazy: only a package inside a zip needs it

    return resources.files("equivmetrics")


def bundled_files() -> list[Path | Traversable]:
    """The pack files shipped inside the package, in name order."""
    folder = package_folder() / "conversions"
    if not folder.is_dir():
        return []
    return sorted(
        (f for f in folder.iterdir() if f.name.endswith(PACK_SUFFIXES) and f.is_file()),
        key=lambda f: f.name,
    )


def may_have_plugins() -> bool | None:
    """False when no installed distribution names the plugin group in its entry points,
    True when one may, None when the folders on ``sys.path`` cannot tell.

    The finders that look for distributions in the folders on ``sys.path`` — Python's own and
    the ``importlib_metadata`` backport's, which pint and others import — find nothing this
    look does not; any other finder may, and then only importlib.metadata can tell.
    """
    for finder in sys.meta_path:
        own = getattr(finder, "find_distributions", None)
        if own is not None and not _reads_sys_path(finder):
            return None  # distributions found some other way: only importlib.metadata knows
    for entry in sys.path:
        found = _names_group(entry or ".")
        if found is not False:
            return found
    return False


def _reads_sys_path(finder: object) -> bool:
    """Whether ``finder`` finds distributions only in the folders on ``sys.path``."""
    kind = finder if isinstance(finder, type) else type(finder)
    if kind.__name__ == "PathFinder":  # Python's own (a class on sys.meta_path)
        return True
    return (kind.__module__, kind.__name__) == ("importlib_metadata", "MetadataPathFinder")


def _names_group(entry: str) -> bool | None:
    if not os.path.isdir(entry):
        return None if os.path.exists(entry) else False  # a zip file: cannot tell
    try:
        with os.scandir(entry) as listing:
            folders = [item.path for item in listing if item.name.endswith(_METADATA)]
    except OSError:
        return False  # importlib.metadata skips what it cannot list, too
    for folder in folders:
        try:
            with open(os.path.join(folder, "entry_points.txt"), encoding="utf-8") as file:
                if GROUP in file.read():
                    return True
        except (OSError, UnicodeDecodeError):
            continue
    return False


def select(wanted: PluginSelection, *, bundled: bool) -> tuple[str, ...] | None:
    """Normalise ``load(plugins=...)``: None for every installed plugin, else chosen names.

    ``None`` (the default) follows ``bundled``, unless the environment variable
    ``EQUIVMETRICS_DISABLE_PLUGINS`` is set; ``True``/``False`` are explicit.
    """
    if wanted is None:
        wanted = bundled and not os.environ.get(DISABLE_VARIABLE)
    if wanted is True:
        return None
    if wanted is False:
        return ()
    if isinstance(wanted, str):
        return (wanted,)
    try:
        names = list(wanted)
    except TypeError:
        names = None
    if names is None or not all(isinstance(name, str) for name in names):
        raise InputTypeError(
            f"plugins= takes True, False, a plugin name or a list of names, not {wanted!r}",
            value=wanted,
        )
    return tuple(sorted(set(names)))
