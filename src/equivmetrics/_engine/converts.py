"""What the layers above need of an engine (:class:`Converts`), and a role's candidates.

Both the core :class:`~.core.Converter` and the public :class:`~equivmetrics.Engine` provide
:class:`Converts`, so features (series, metrics, scenarios) accept either.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import attrs

from equivmetrics._core.negative import NegativePolicy
from equivmetrics._packs.source import Role

from .result import Result

if TYPE_CHECKING:
    from equivmetrics._catalog.catalog import Catalog, Kind

__all__ = ["Candidate", "Converts"]


@attrs.frozen
class Candidate:
    """One kind a role may offer for an input, with the input converted to it."""

    kind: Kind
    result: Result


@runtime_checkable
class Converts(Protocol):
    """What the layers above need of an engine: conversions and the catalog behind them.

    Both the core :class:`Converter` and the public :class:`~equivmetrics.Engine` provide it,
    so features (series, metrics, scenarios) accept either.
    """

    @property
    def kinds(self) -> Mapping[str, Kind]: ...

    @property
    def catalog(self) -> Catalog: ...

    def convert(
        self,
        quantity: Any,
        to: str,
        *,
        of: str | None = None,
        unit: str | None = None,
        per: str | None = None,
        negative: NegativePolicy | None = None,
    ) -> Result: ...

    def source_kind(self, quantity: Any, *, of: str | None = None) -> str: ...

    def with_params(self, **params: Any) -> Converts: ...

    def candidates(
        self,
        quantity: Any,
        role: Role,
        *,
        of: str | None = None,
        only: Iterable[str] | None = None,
        per: str | None = None,
    ) -> tuple[Candidate, ...]: ...
