"""The public engine: conversions from the core, and what is built on them.

:class:`Engine` is what :func:`equivmetrics.load` returns. It wraps the engine layer's
:class:`~equivmetrics._engine.core.Converter` (which computes) and adds the features built on
conversion: feel-good and action equivalents (ranked and worded by the presentation layer),
calendar series, and the metrics and reward rules the packs declare.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from equivmetrics._core.negative import NegativePolicy
from equivmetrics._core.unit_text import format_unit
from equivmetrics._engine import bundled as _bundled
from equivmetrics._engine.compiled import Compiled
from equivmetrics._engine.core import Candidate, Converter
from equivmetrics._engine.exchange import Rates
from equivmetrics._engine.result import Result
from equivmetrics.exceptions import InputTypeError, ParameterValueError, UnknownParameterError

from .place import place

if TYPE_CHECKING:
    from equivmetrics._catalog.catalog import Catalog, Kind
    from equivmetrics._core.expr import Value
    from equivmetrics._features.indicator import Indicator
    from equivmetrics._features.metric import Metric
    from equivmetrics._features.reward import RewardRule
    from equivmetrics._features.scorecard import Scorecard
    from equivmetrics._features.series import Series
    from equivmetrics._packs.select import RegionInfo
    from equivmetrics._packs.source import Role
    from equivmetrics._present.equivalent import Equivalents

__all__ = ["Engine"]


def _check_portable(old: Catalog, new: Catalog, overrides: Mapping[str, Value]) -> None:
    """A tenant's figure for a parameter that holds in one place (a grid's rate) does not
    travel to another place: setting it again there is the tenant's explicit choice."""
    for name in overrides:
        before, after = old.parameters.get(name), new.parameters.get(name)
        if after is None:
            raise UnknownParameterError(
                f"this tenant set parameter {name!r}, which the packs for region "
                f"{new.region!r} do not have: derive the tenant without it to move it there",
                name=name,
            )
        if before is None or before.spec.region == after.spec.region:
            continue
        raise ParameterValueError(
            f"parameter {name!r} is a figure for region {before.spec.region or 'everywhere'!r} "
            f"and this tenant set its own; in region {new.region!r} the packs' figure is for "
            f"{after.spec.region or 'everywhere'!r}: derive the tenant without it, then set "
            f"it again with with_params({name}=...) if it holds there too",
            name=name,
        )


def _raw(value: Value) -> dict[str, str]:
    """An override as text another engine reads in its own unit scope."""
    unit = format_unit(value.unit)
    return {
        "value": f"{value.central!r} {unit}",
        "low": f"{value.low!r} {unit}",
        "high": f"{value.high!r} {unit}",
    }


class Engine:
    """Converts quantities between kinds with the rules of its packs. Immutable and thread-safe.

    Build one with :func:`equivmetrics.load`; derive per-tenant engines with
    :meth:`with_params`.
    """

    __slots__ = ("__weakref__", "_core")

    def __init__(self, core: Converter | Catalog) -> None:
        if not isinstance(core, Converter):
            from equivmetrics._catalog.catalog import Catalog  # noqa: PLC0415 - lazy: a warm start builds no catalog

            if not isinstance(core, Catalog):
                raise InputTypeError(
                    "Engine takes a Catalog (engine.catalog) or a converter built by "
                    f"equivmetrics.load(); usually call em.load(...) (got {type(core).__name__})",
                    value=core,
                )
            core = Converter(core)  # ``em.Engine(catalog)``, as before the engine layer
        self._core = core

    @property
    def core(self) -> Converter:
        """The converter this engine wraps (the engine layer; see docs/architecture.md)."""
        return self._core

    # -- introspection --------------------------------------------------------------------------

    @property
    def kinds(self) -> Mapping[str, Kind]:
        """The kinds this engine knows, by name."""
        return self._core.kinds

    @property
    def parameters(self) -> dict[str, Value]:
        """Every parameter's value as this engine uses it (defaults with overrides applied)."""
        return self._core.parameters

    @property
    def catalog(self) -> Catalog:
        """The checked packs this engine (and every tenant derived from it) shares."""
        return self._core.catalog

    @property
    def metrics(self) -> dict[str, Metric]:
        """The metrics the packs declare (``metrics:`` sections), by name."""
        from equivmetrics._features.metric import Metric  # noqa: PLC0415 - lazy: a feature loads on first use

        return {name: Metric.from_spec(spec) for name, spec in self.catalog.metrics.items()}

    @property
    def indicators(self) -> dict[str, Indicator]:
        """The adoption and performance indicators the packs declare (``indicators:``)."""
        from equivmetrics._features.indicator import Indicator  # noqa: PLC0415 - lazy: a feature loads on first use

        return {name: Indicator.from_spec(s) for name, s in self.catalog.indicators.items()}

    @property
    def rewards(self) -> dict[str, RewardRule]:
        """The reward rules the packs declare (``rewards:`` sections), by name."""
        from equivmetrics._features.reward import RewardRule  # noqa: PLC0415 - lazy: a feature loads on first use

        catalog = self.catalog
        return {
            name: RewardRule.from_spec(spec, catalog.units)
            for name, spec in catalog.rewards.items()
        }

    @property
    def registry(self) -> Any:
        """The pint registry this engine reads units with, and every tenant engine of it.

        pint's units, the library's own and the units of this engine's packs: no other
        engine's. It is :func:`equivmetrics.get_registry` when the packs add no unit, else a
        registry of its own (shared with engines whose packs define exactly the same units).
        """
        return self.catalog.units.registry

    def quantity(self, result: Result) -> Any:
        """``result`` as a quantity of :attr:`registry` (its unit may be a pack's own).

        :attr:`Result.quantity` gives quantities of :func:`equivmetrics.get_registry`, which
        cannot read a unit a pack defines.
        """
        if not isinstance(result, Result):
            raise InputTypeError(
                f"quantity() takes a Result, not {type(result).__name__}", value=result
            )
        return self.catalog.units.quantity(result.magnitude, result.unit)

    @property
    def region(self) -> str:
        """The region this engine's packs were chosen for (``"US"`` unless asked otherwise)."""
        return self.catalog.region

    @property
    def editions(self) -> tuple[tuple[str, str], ...]:
        """``(pack, edition)`` of each regional pack this engine holds, overlays included."""
        return self.catalog.editions

    def regions(self) -> tuple[RegionInfo, ...]:
        """Every region this engine's packs have figures for, with the editions for each;
        any of them can be given to :meth:`with_region` or :func:`equivmetrics.load`."""
        from equivmetrics._packs.select import available_regions  # noqa: PLC0415 - lazy: a feature loads on first use

        return available_regions(self.catalog.available or self.catalog.packs)

    def __repr__(self) -> str:
        return f"<Engine {self._core.describe()}>"

    # -- tenants ---------------------------------------------------------------------------------

    def with_params(self, **params: Any) -> Engine:
        """A new engine with some parameters replaced; this engine is unchanged.

        Values may be strings (``"4 min"``), ``(magnitude, unit)`` pairs, pint quantities,
        or mappings with ``value`` and optional ``low``/``high``. An override without a range
        is taken as exact: the tenant's own number.
        """
        return Engine(self._core.with_params(**params))

    def with_rates(
        self,
        rates: Mapping[str, float],
        *,
        base: str,
        date: str,
        source: str = "",
    ) -> Engine:
        """A new engine that may exchange currencies at these dated rates; this one is unchanged.

        ``rates`` maps ISO 4217 codes to how many of each buy one ``base``, as the ECB publishes
        them (``{"USD": 1.0411, "GBP": 0.82608}``, ``base="EUR"``, ``date="2025-02-28"``).
        Without rates a conversion that combines currencies, or asks for another one, is a
        :class:`~equivmetrics.UnitError`; with them each exchange is a step of the result,
        with the rate, its date and ``source``.
        """
        return Engine(self._core.with_rates(Rates.of(rates, base=base, date=date, source=source)))

    def with_region(self, region: str, *, edition: str | Iterable[str] | None = None) -> Engine:
        """The same packs chosen for another region (and edition); this engine is unchanged.

        A tenant's parameter overrides carry over (an override of a parameter the region's
        packs lack raises :class:`~equivmetrics.UnknownParameterError`). Engines of one region
        and edition over the same packs are built once and shared. See docs/regions.md.
        """
        converter = _bundled.placed(self.catalog, place(region, edition))
        overrides = self._core.overrides
        if overrides:
            _check_portable(self.catalog, converter.catalog, overrides)
            converter = converter.with_params(
                **{name: _raw(value) for name, value in overrides.items()}
            )
        rates = self._core.rates
        return Engine(converter.with_rates(rates) if rates is not None else converter)

    # -- conversion ------------------------------------------------------------------------------

    def convert(
        self,
        quantity: Any,
        to: str,
        *,
        of: str | None = None,
        unit: str | None = None,
        per: str | None = None,
        negative: NegativePolicy | None = None,
    ) -> Result:
        """Convert ``quantity`` to kind ``to``.

        ``quantity`` is a string (``"12000 transaction/month"``), a ``(magnitude, unit)`` pair
        (the magnitude a number, a numpy array or a pandas Series) or a pint quantity. ``of``
        names the source kind when the unit alone does not decide it; ``unit`` is the result
        unit (default: the kind's display unit); ``per`` turns a total into a rate over that
        period (``per="month"``). Negative amounts follow the policy of the kinds on the path
        (see :attr:`Compiled.negative`) unless ``negative`` overrides it for this call.
        """
        return self._core.convert(quantity, to, of=of, unit=unit, per=per, negative=negative)

    def source_kind(self, quantity: Any, *, of: str | None = None) -> str:
        """The kind ``quantity`` is read as: ``of`` when given, else inferred from its unit."""
        return self._core.source_kind(quantity, of=of)

    def candidates(
        self,
        quantity: Any,
        role: Role,
        *,
        of: str | None = None,
        only: Iterable[str] | None = None,
        per: str | None = None,
    ) -> tuple[Candidate, ...]:
        """``quantity`` converted to each kind ``role`` may offer, unranked and unworded.

        Never empty: :class:`~equivmetrics.NoEquivalentError` says why none can be given.
        """
        return self._core.candidates(quantity, role, of=of, only=only, per=per)

    def compile(
        self,
        input_unit: str,
        to: str,
        *,
        of: str | None = None,
        unit: str | None = None,
        per: str | None = None,
    ) -> Compiled:
        """The compiled conversion from ``input_unit`` to kind ``to`` (cached; picklable)."""
        return self._core.compile(input_unit, to, of=of, unit=unit, per=per)

    def series(
        self,
        values: Any,
        to: str,
        *,
        of: str | None = None,
        unit: str | None = None,
        negative: NegativePolicy | None = None,
    ) -> Series:
        """Per-period and cumulative results of a total per calendar period.

        Months have their true lengths, capacities (FTE) accumulate to FTE-years
        (docs/tenants.md); ``negative`` overrides the negative-value policy.
        """
        from equivmetrics._features.series import series  # noqa: PLC0415 - lazy: a feature loads on first use

        return series(self, values, to, of=of, unit=unit, negative=negative)

    def scorecard(
        self,
        data: Any,
        *,
        indicators: Iterable[Indicator] | None = None,
        period: Any = None,
        teams: Iterable[str] | None = None,
        reference: str = "median",
        tolerance: float = 0.10,
        signed: bool = False,
        locale: str = "en",
    ) -> Scorecard:
        """The adoption and performance scorecard of ``data`` for ``period`` (docs/adoption.md).

        ``data`` maps periods to teams to the host's numbers; ``indicators`` default to the
        packs' (:attr:`indicators`). A weak link is a team below its ``reference`` (the
        ``median`` or ``mean`` of the other teams, or the ``target``) by more than
        ``tolerance``; the value at stake counts the weak links (every team with ``signed``).
        """
        chosen = self.indicators.values() if indicators is None else indicators
        from equivmetrics._features.scorecard import scorecard  # noqa: PLC0415 - lazy: a feature loads on first use

        return scorecard(
            self,
            chosen,
            data,
            period=period,
            teams=teams,
            reference=reference,
            tolerance=tolerance,
            signed=signed,
            locale=locale,
        )

    def feel_good(
        self,
        quantity: Any,
        *,
        of: str | None = None,
        only: Iterable[str] | str | None = None,
        top: int | None = None,
        per: str | None = None,
        locale: str = "en",
        sig: int | None = None,
    ) -> Equivalents:
        """Feel-good equivalents: value already received, most relatable first.

        ``only`` names the kinds to show (in that order); otherwise the packs' feel-good kinds
        reachable from the input are chosen and ordered by relatability (docs/equivalents.md).
        ``top`` keeps the first few; ``locale`` words them (babel for non-English); ``sig``
        fixes the significant figures. Never empty: when none can be given,
        :class:`~equivmetrics.NoEquivalentError` says why (and names ``action`` when the input
        has action equivalents instead).
        """
        from equivmetrics._features.offer import offer  # noqa: PLC0415 - lazy: a feature loads on first use

        return offer(
            self, quantity, "feel_good", of=of, only=only, top=top, per=per, locale=locale, sig=sig
        )

    def action(
        self,
        quantity: Any,
        *,
        of: str | None = None,
        only: Iterable[str] | str | None = None,
        top: int | None = None,
        per: str | None = None,
        locale: str = "en",
        sig: int | None = None,
    ) -> Equivalents:
        """Action equivalents: the cost of a choice, to help decide what to do next.

        The same arguments as :meth:`feel_good`.
        """
        from equivmetrics._features.offer import offer  # noqa: PLC0415 - lazy: a feature loads on first use

        return offer(
            self, quantity, "action", of=of, only=only, top=top, per=per, locale=locale, sig=sig
        )
