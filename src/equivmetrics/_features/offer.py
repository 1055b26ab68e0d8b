"""Offering equivalents: the engine's candidates, ranked and worded by the presentation.

``Engine.feel_good``, ``Engine.action`` and :class:`~equivmetrics.Metric` come here. The
options are checked first (so a bad option is reported before any work), then the engine
converts the input to every candidate kind once, and the presentation ranks and words the
results it is handed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from equivmetrics._core.quantity import unfit
from equivmetrics._engine.core import Converts
from equivmetrics._packs.model import Role
from equivmetrics._present.equivalent import Equivalents, choose
from equivmetrics._present.formatter import Formatter
from equivmetrics.exceptions import InputTypeError

__all__ = ["Role", "offer"]


def offer(
    engine: Converts,
    quantity: Any,
    role: Role,
    *,
    of: str | None = None,
    only: Iterable[str] | str | None = None,
    top: int | None = None,
    per: str | None = None,
    locale: str = "en",
    sig: int | None = None,
) -> Equivalents:
    """The equivalents of ``quantity`` in ``role``, most relatable first (docs/equivalents.md)."""
    if top is not None and (not isinstance(top, int) or isinstance(top, bool) or top < 1):
        raise unfit(top, int)(f"top= must be a whole number of at least 1, got {top!r}", value=top)
    names = _only(only)
    Formatter(locale).check()
    # the engine checks the role and the kind names (the same check for its own callers)
    candidates = engine.candidates(quantity, role, of=of, only=names, per=per)
    return choose(
        candidates,
        role,
        units=engine.catalog.units,
        ranked=names is None,
        top=top,
        locale=locale,
        sig=sig,
    )


def _only(only: Iterable[str] | str | None) -> list[str] | None:
    if only is None:
        return None
    names = (
        [only] if isinstance(only, str) else list(only) if isinstance(only, Iterable) else [only]
    )
    if not all(isinstance(name, str) for name in names):
        raise InputTypeError(
            f"only= must be a kind name or a list of kind names, not {only!r}", value=only
        )
    return names
