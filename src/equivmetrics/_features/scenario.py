"""Scenarios: the expected return of an investment at several levels of user adoption.

The product brief asks for "a scenario analysis to weight the expected ROI to adjust for different
levels of user adoption". A :class:`Scenario` states the yearly benefit at full adoption, the
costs and the risk adjustments once; :meth:`Scenario.run` gives one :class:`Outcome` per adoption
level, each with its cash-flow table, net present value, ROI and payback period, and short
equivalents for people ("payback in 7 months").

The arithmetic follows Forrester's Total Economic Impact (TEI) methodology as the product
reference summarises it (../shared/reference/productivity.md; Forrester Research,
https://go.forrester.com/policies/tei/):

* **Horizon**: an initial period (year 0) plus three years (``years=3``). Initial costs are
  counted at once, undiscounted; the initial period has no benefits.
* **Benefits** in year *t* (1 to ``years``): the yearly benefit at 100 % adoption, times the
  adoption level, times the year's ``ramp`` (default 1), times the ``recapture_share`` of freed
  time put to productive use (Nucleus Research's correction factors; default 1), then
  risk-adjusted *down*: times ``1 - benefit_risk`` (a 20 % haircut, TEI's common worked example,
  is the default). Benefits scale linearly with adoption; adoption 0 gives no benefit.
* **Costs** as given, year 0 then years 1 to ``years``, risk-adjusted *up*: times
  ``1 + cost_risk`` (default 0). Costs do not scale with adoption: licences are paid for every
  licensed user, whether they use the feature or not — which is the point of the analysis.
* **Present values** at the ``discount_rate`` (default 10 % a year), year-end flows:
  ``PV = sum of flow_t / (1 + rate) ** t``, so year 0 is undiscounted.
* **NPV** = PV benefits - PV costs; **ROI** = (PV benefits - PV costs) / PV costs (``None``
  when PV costs are 0).
* **Payback period**, in months after the initial investment (the end of the initial period):
  when the cumulative *undiscounted* risk-adjusted net benefit turns non-negative for good,
  flows within a year taken as spread evenly (linear interpolation between year ends). It is 0
  when the cumulative net is never negative, and ``None`` when it is still negative at the end
  of the horizon. Forrester's own worked examples use this reading: $10,000 set-up, $5,000 a
  year to run and $15,000 a year earned give "a 66 % ROI ... and a payback period of 12
  months"; $250,000, $150,000 and $300,000 give "a 20 % ROI ... and a payback period of 20
  months" (Forrester, "Five tips for justifying your business case with the help of TEI").
  Discounted flows would give more than 12 months in the first example. If the cumulative net
  dips below zero again later, the payback is the last time it turns non-negative: a payback
  that does not last is not counted.

>>> import equivmetrics as em
>>> scenario = em.Scenario(100_000, costs=(50_000, 10_000, 10_000, 10_000), adoption=0.5)
>>> (outcome,) = scenario.run()
>>> round(outcome.npv, 2), round(outcome.payback_months, 6)
(24605.56, 20.0)
>>> [e.text for e in outcome.equivalents()]
['payback in 20 months', 'ROI 32.9 %', 'net present value $24,600']
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from equivmetrics._core.numbers import json_float as _json_float
from equivmetrics._core.quantity import unfit
from equivmetrics._core.units import CURRENCIES
from equivmetrics._engine.core import Converts
from equivmetrics._engine.result import Result, Step
from equivmetrics._packs.model import Source, source_dict
from equivmetrics._present.formatter import default_sig
from equivmetrics.exceptions import InputTypeError

from .outcome import Outcome, YearRow, figures, money_text
from .scenario_inputs import (
    ADOPTION_MEANING,
    money_rate,
    read_benefit,
    read_cost_risk,
    read_costs,
    read_discount_rate,
    read_levels,
    read_ramp,
    read_share,
    read_years,
)

__all__ = ["SCENARIO_SCHEMA", "TEI_SOURCE", "Outcome", "Scenario", "YearRow", "money_text"]

SCENARIO_SCHEMA = "equivmetrics.scenario/1"
DEFAULT_ADOPTION = (0.25, 0.5, 0.75, 1.0)

#: The methodology every scenario figure follows; cited by each outcome's equivalents.
TEI_SOURCE = Source(
    key="forrester_tei",
    publisher="Forrester Research",
    title=(
        "Total Economic Impact (TEI) methodology: benefits and costs over an initial period "
        "plus three years, discounted at 10 % a year; benefits risk-adjusted down, costs up; "
        "ROI = (PV benefits - PV costs) / PV costs; payback period"
    ),
    url="https://go.forrester.com/policies/tei/",
    edition="as summarised in the equivmetrics product reference, 2025",
)


@attrs.frozen(init=False)
class Scenario:
    """Benefits, costs and risk adjustments, to be run at several adoption levels.

    ``annual_benefit`` is the yearly benefit at 100 % adoption: a number in ``currency``, text
    or a ``(magnitude, unit)`` pair in money per time (``"345000 USD/year"``), or a
    :class:`~equivmetrics.Result` in money per time from :meth:`Engine.convert` (kept for its
    steps and sources). ``costs`` lists the initial cost (year 0) then years 1 to ``years`` —
    or maps years to costs (``{0: 50_000, 1: 10_000}``; missing years cost nothing).
    ``adoption`` holds the levels to compare (shares from 0 to 1); ``ramp`` the share of the
    level reached in each of years 1 to ``years`` (``(0.5, 1, 1)`` for a half-year roll-out).
    ``currency`` defaults to the benefit's currency, else USD; it is never converted.
    See the module documentation for the conventions.
    """

    annual_benefit: float
    costs: tuple[float, ...]
    adoption: tuple[float, ...]
    recapture_share: float
    benefit_risk: float
    cost_risk: float
    discount_rate: float
    years: int
    currency: str
    ramp: tuple[float, ...]
    benefit_result: Result | None = attrs.field(repr=False)

    def __init__(
        self,
        annual_benefit: Any,
        *,
        costs: Iterable[float] | Mapping[int | str, float],
        adoption: float | Iterable[float] = DEFAULT_ADOPTION,
        recapture_share: float = 1.0,
        benefit_risk: float = 0.2,
        cost_risk: float = 0.0,
        discount_rate: float = 0.10,
        years: int = 3,
        currency: str | None = None,
        ramp: Iterable[float] | None = None,
    ) -> None:
        years = read_years(years)
        if currency is not None and (not isinstance(currency, str) or currency not in CURRENCIES):
            raise unfit(currency, str)(
                f"currency must be one of the ISO 4217 codes the library defines "
                f"({', '.join(CURRENCIES)}), got {currency!r}",
                value=currency,
            )
        benefit, code, result = read_benefit(annual_benefit, currency)
        self.__attrs_init__(
            annual_benefit=benefit,
            costs=read_costs(costs, years, code),
            adoption=read_levels(adoption),
            recapture_share=read_share(
                "recapture_share",
                recapture_share,
                "the share of freed time put to other productive work (Nucleus Research: "
                "about 1.0 for line workers, 0.5 or less for marketing)",
            ),
            benefit_risk=read_share(
                "benefit_risk",
                benefit_risk,
                "the share by which benefits are risk-adjusted down (0.2 for TEI's common "
                "20 % haircut)",
            ),
            cost_risk=read_cost_risk(cost_risk),
            discount_rate=read_discount_rate(discount_rate, years),
            years=years,
            currency=code,
            ramp=read_ramp(ramp, years),
            benefit_result=result,
        )

    @classmethod
    def from_usage(
        cls,
        engine: Converts,
        usage: Any,
        *,
        to: str = "labor_cost",
        of: str | None = None,
        per: str | None = None,
        costs: Iterable[float] | Mapping[int | str, float],
        adoption: float | Iterable[float] = DEFAULT_ADOPTION,
        recapture_share: float = 1.0,
        benefit_risk: float = 0.2,
        cost_risk: float = 0.0,
        discount_rate: float = 0.10,
        years: int = 3,
        currency: str | None = None,
        ramp: Iterable[float] | None = None,
    ) -> Scenario:
        """A scenario whose yearly benefit is ``usage`` converted by ``engine`` to money.

        ``usage`` is a rate such as ``"12000 transaction/month"`` (or a total with
        ``per="month"``); ``to`` names a kind measured in money (default ``labor_cost``). The
        result, in currency per year, is kept for its steps and sources. The other arguments
        are those of :class:`Scenario` (``costs=`` is required).
        """
        if not isinstance(engine, Converts):
            raise InputTypeError(
                f"from_usage needs an Engine (from equivmetrics.load()), got "
                f"{type(engine).__name__}",
                value=engine,
            )
        first = engine.convert(usage, to, of=of, per=per)
        code, _ = money_rate(
            first.unit,
            f"from_usage: {usage!r} converted to {to}",
            result=first,
            units=engine.catalog.units,
        )
        return cls(
            engine.convert(usage, to, of=of, per=per, unit=f"{code}/year"),
            costs=costs,
            adoption=adoption,
            recapture_share=recapture_share,
            benefit_risk=benefit_risk,
            cost_risk=cost_risk,
            discount_rate=discount_rate,
            years=years,
            currency=currency,
            ramp=ramp,
        )

    def replace(self, **changes: Any) -> Scenario:
        """A new scenario with some arguments changed (``discount_rate=0.12``); this one is kept.

        Takes the arguments of :class:`Scenario`; the benefit stays the engine result it came
        from unless ``annual_benefit`` is given. The currency stays too (costs are amounts in
        it): a benefit in another currency needs ``currency=`` as well.
        """
        arguments: dict[str, Any] = {
            "annual_benefit": self.benefit_result
            if self.benefit_result is not None
            else self.annual_benefit,
            "costs": self.costs,
            "adoption": self.adoption,
            "recapture_share": self.recapture_share,
            "benefit_risk": self.benefit_risk,
            "cost_risk": self.cost_risk,
            "discount_rate": self.discount_rate,
            "years": self.years,
            "currency": self.currency,
            "ramp": self.ramp,
        }
        unknown = sorted(set(changes) - set(arguments))
        if unknown:
            raise InputTypeError(
                f"replace() got unknown argument(s) {', '.join(unknown)}; it takes "
                f"{', '.join(arguments)}",
                value=unknown,
            )
        if "years" in changes and "costs" not in changes:
            raise InputTypeError(
                "replace(years=...) needs costs= too: one cost for the initial period and one "
                "for each year",
                value=changes["years"],
            )
        if "years" in changes and "ramp" not in changes and set(self.ramp) == {1.0}:
            arguments["ramp"] = None  # no ramp: none for the new horizon either
        arguments.update(changes)
        return Scenario(**arguments)

    # -- running ---------------------------------------------------------------------------

    def run(self) -> tuple[Outcome, ...]:
        """One :class:`Outcome` per adoption level, in the order of ``adoption``."""
        return tuple(self.at(level) for level in self.adoption)

    def at(self, adoption: float) -> Outcome:
        """The outcome at one adoption level (a share from 0 to 1), listed or not.

        Besides the central figures, the outcome holds their ranges: the same model run with
        the benefit at the low and at the high end of its range (a benefit given as a plain
        number has none, and each range is then the central figure).
        """
        level = read_share("adoption", adoption, ADOPTION_MEANING)
        rows, pv_benefits, pv_costs = self._flows(level, self.annual_benefit)
        npv, roi, payback = figures(rows, pv_benefits, pv_costs)
        low_benefit, high_benefit = self._benefit_bounds()
        npv_low, roi_low, payback_high = figures(*self._flows(level, low_benefit))
        npv_high, roi_high, payback_low = figures(*self._flows(level, high_benefit))
        return Outcome(
            adoption=level,
            rows=rows,
            pv_benefits=pv_benefits,
            pv_costs=pv_costs,
            npv=npv,
            roi=roi,
            payback_months=payback,
            npv_low=npv_low,
            npv_high=npv_high,
            roi_low=roi_low,
            roi_high=roi_high,
            payback_low=payback_low,
            payback_high=payback_high,
            scenario=self,
        )

    def _flows(
        self, level: float, annual_benefit: float
    ) -> tuple[tuple[YearRow, ...], float, float]:
        """The cash-flow rows for one adoption level and yearly benefit, and the PV sums."""
        scale = self.recapture_share * (1.0 - self.benefit_risk)
        rows: list[YearRow] = []
        cumulative = 0.0
        for year in range(self.years + 1):
            share = 0.0 if year == 0 else level * self.ramp[year - 1]
            benefit = annual_benefit * share * scale
            cost = self.costs[year] * (1.0 + self.cost_risk)
            net = benefit - cost
            factor = 1.0 / (1.0 + self.discount_rate) ** year
            cumulative += net
            rows.append(
                YearRow(
                    year=year,
                    adoption=share,
                    benefit=benefit,
                    cost=cost,
                    net=net,
                    discount_factor=factor,
                    pv_benefit=benefit * factor,
                    pv_cost=cost * factor,
                    cumulative_net=cumulative,
                )
            )
        pv_benefits = math.fsum(row.pv_benefit for row in rows)
        pv_costs = math.fsum(row.pv_cost for row in rows)
        return tuple(rows), pv_benefits, pv_costs

    def _benefit_bounds(self) -> tuple[float, float]:
        """The yearly benefit at the low and high ends of its Result's range."""
        result = self.benefit_result
        central = float(result.magnitude) if result is not None else 0.0
        if result is None or not central:
            return self.annual_benefit, self.annual_benefit
        return (
            self.annual_benefit * float(result.low) / central,
            self.annual_benefit * float(result.high) / central,
        )

    # -- presentation ----------------------------------------------------------------------

    @property
    def sources(self) -> tuple[Source, ...]:
        """The TEI methodology, then every source behind the benefit."""
        extra = self.benefit_result.sources if self.benefit_result is not None else ()
        return (TEI_SOURCE, *extra)

    @property
    def steps(self) -> tuple[Step, ...]:
        """How the benefit was computed (empty for a benefit given as a number)."""
        return self.benefit_result.steps if self.benefit_result is not None else ()

    def significant_figures(self) -> int:
        """Significant figures for the equivalents: 3, or 2 when the benefit's range is wide."""
        result = self.benefit_result
        if result is None:
            return 3
        return default_sig(float(result.magnitude), float(result.low), float(result.high))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: the inputs, the benefit's derivation and every outcome."""
        return {
            "schema": SCENARIO_SCHEMA,
            "currency": self.currency,
            "annual_benefit": _json_float(self.annual_benefit),
            "unit": f"{self.currency}/year",
            "adoption": [_json_float(a) for a in self.adoption],
            "ramp": [_json_float(r) for r in self.ramp],
            "recapture_share": _json_float(self.recapture_share),
            "benefit_risk": _json_float(self.benefit_risk),
            "cost_risk": _json_float(self.cost_risk),
            "discount_rate": _json_float(self.discount_rate),
            "years": self.years,
            "costs": [_json_float(c) for c in self.costs],
            "benefit": self.benefit_result.to_dict() if self.benefit_result is not None else None,
            "sources": [source_dict(s) for s in self.sources],
            "outcomes": [outcome.to_dict() for outcome in self.run()],
        }


# -- reading the inputs --------------------------------------------------------------------
