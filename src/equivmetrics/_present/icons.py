"""The built-in icon set: small SVG line icons named by a kind's ``icon`` field.

Each icon is a file ``icons/<name>.svg`` inside the package: a 24x24 ``viewBox`` drawn with
``currentColor``, so it takes the colour of the text around it. Files are read lazily through
:mod:`importlib.resources` (so icons work from a wheel, a zip or an editable install) and cached.

A name is checked (letters, digits and ``_``) and looked up in the list of shipped icons before
any file is opened; an unknown or malformed name gives the neutral ``default`` icon.

>>> from equivmetrics import icon_svg
>>> icon_svg("walking").startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"')
True
>>> icon_svg("no_such_icon") == icon_svg("default") == icon_svg("../../etc/passwd")
True
"""

from __future__ import annotations

import functools
import re
from importlib.resources import files

__all__ = ["DEFAULT_ICON", "clear_icon_cache", "icon_body", "icon_names", "icon_svg"]

DEFAULT_ICON = "default"
_NAME = re.compile(r"[A-Za-z0-9_]{1,64}")
_BODY = re.compile(r"\A\s*<svg\b[^>]*>(?P<body>.*)</svg>\s*\Z", re.DOTALL)


@functools.cache
def icon_names() -> tuple[str, ...]:
    """The names of the shipped icons, sorted.

    >>> from equivmetrics import icon_names
    >>> "default" in icon_names() and "seedling" in icon_names()
    True
    """
    folder = files("equivmetrics").joinpath("icons")
    names = (
        entry.name.removesuffix(".svg")
        for entry in folder.iterdir()
        if entry.is_file() and entry.name.endswith(".svg")
    )
    return tuple(sorted(name for name in names if _NAME.fullmatch(name)))


def _resolve(name: str) -> str:
    """``name`` when it is a shipped icon, else :data:`DEFAULT_ICON` (never opens a file)."""
    if isinstance(name, str) and _NAME.fullmatch(name) and name in icon_names():
        return name
    return DEFAULT_ICON


@functools.lru_cache(maxsize=64)
def _read(name: str) -> str:
    path = files("equivmetrics").joinpath("icons", f"{name}.svg")
    return path.read_text(encoding="utf-8")


def icon_svg(name: str) -> str:
    """The SVG document of icon ``name``; the ``default`` icon for an unknown or invalid name."""
    return _read(_resolve(name))


@functools.lru_cache(maxsize=64)
def _body(name: str) -> str:
    match = _BODY.match(_read(name))
    if match is None:  # every shipped file is one <svg> element; guard against a broken file
        return ""
    return "".join(line.strip() for line in match.group("body").splitlines())


def icon_body(name: str) -> str:
    """The drawing inside icon ``name``'s ``<svg>`` element, for renderers that write their own.

    The shapes rely on the shipped root attributes: ``viewBox="0 0 24 24"``, ``fill="none"``,
    ``stroke="currentColor"``, ``stroke-width="2"``, round caps and joins.
    """
    return _body(_resolve(name))


def clear_icon_cache() -> None:
    """Forget the cached icon list and files (they are read again on next use)."""
    icon_names.cache_clear()
    _read.cache_clear()
    _body.cache_clear()
