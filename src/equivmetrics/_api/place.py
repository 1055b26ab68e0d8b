"""Where an engine's figures are for: the region and edition asked for, as a cache key."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from equivmetrics._core.regions import DEFAULT_REGION, is_region, normalize
from equivmetrics._engine import bundled as _bundled
from equivmetrics.exceptions import InputTypeError

__all__ = ["place"]


def place(region: str | None, edition: str | Iterable[str] | None) -> _bundled.Place:
    """A region and edition as a cache key: the default region as ``None``, editions as a
    tuple (checking their meaning is for the packs; see :func:`~equivmetrics.load`)."""
    if region is not None and not isinstance(region, str):
        raise InputTypeError(
            f"region must be text such as 'GB' or 'US-CAMX', got {type(region).__name__}",
            value=region,
        )
    if edition is not None and not isinstance(edition, str):
        edition = _editions(edition)
    if region is not None and is_region(region):
        region = normalize(region)
    if region == DEFAULT_REGION and edition is None:
        region = None
    return region, edition


def _editions(edition: object) -> tuple[str, ...]:
    """``edition=`` given as several names: a list, tuple or other iterable of text."""
    if isinstance(edition, bytes | bytearray | Mapping) or not isinstance(edition, Iterable):
        raise InputTypeError(
            "edition must be an edition's name such as 'eGRID2022', or a list of names, "
            f"got {type(edition).__name__}",
            value=edition,
        )
    names = tuple(edition)
    if not names or not all(isinstance(name, str) for name in names):
        raise InputTypeError(
            f"edition must list one or more names (text), got {list(names)[:5]!r}",
            value=edition,
        )
    return names
