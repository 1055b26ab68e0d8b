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
from equivmetrics._core.units import CURRENCIES
from equivmetrics._engine.core import Converts
from equivmetrics._engine.result import Result, Step
from equivmetrics._packs.model import Source, source_dict
from equivmetrics._present.equivalent import Equivalent, Equivalents
from equivmetrics._present.formatter import SHOW_RANGE, Formatter, default_sig, round_sig
from equivmetrics.exceptions import InputError

from .scenario_inputs import (
    _ADOPTION,
    _benefit,
    _cost_risk,
    _costs,
    _discount_rate,
    _levels,
    _money_rate,
    _ramp,
    _share,
    _years,
)

__all__ = ["SCENARIO_SCHEMA", "TEI_SOURCE", "Outcome", "Scenario", "YearRow", "money_text"]

SCENARIO_SCHEMA = "equivmetrics.scenario/1"
OUTCOME_SCHEMA = "equivmetrics.outcome/1"
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

_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}
_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
#: Label and icon of each equivalent an outcome offers.
_PRESENTATION = {
    "payback": ("payback period", "clock"),
    "roi": ("return on investment", "rocket"),
    "npv": ("net present value", "money"),
}


@attrs.frozen
class YearRow:
    """One year of the cash-flow table (year 0 is the initial period), risk-adjusted.

    ``adoption`` is the share of licensed users counted that year (the level times the ramp);
    ``cumulative_net`` is the undiscounted net benefit to the end of this year.
    """

    year: int
    adoption: float
    benefit: float
    cost: float
    net: float
    discount_factor: float
    pv_benefit: float
    pv_cost: float
    cumulative_net: float

    @property
    def label(self) -> str:
        """``"Initial"`` for year 0, else ``"Year 1"``, ``"Year 2"``..."""
        return "Initial" if self.year == 0 else f"Year {self.year}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: every field, plus the label."""
        data: dict[str, Any] = {"year": self.year, "label": self.label}
        for name in (
            "adoption",
            "benefit",
            "cost",
            "net",
            "discount_factor",
            "pv_benefit",
            "pv_cost",
            "cumulative_net",
        ):
            data[name] = _json_float(getattr(self, name))
        return data


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
        years = _years(years)
        if currency is not None and (not isinstance(currency, str) or currency not in CURRENCIES):
            raise InputError(
                f"currency must be one of the ISO 4217 codes the library defines "
                f"({', '.join(CURRENCIES)}), got {currency!r}",
                value=currency,
            )
        benefit, code, result = _benefit(annual_benefit, currency)
        self.__attrs_init__(
            annual_benefit=benefit,
            costs=_costs(costs, years, code),
            adoption=_levels(adoption),
            recapture_share=_share(
                "recapture_share",
                recapture_share,
                "the share of freed time put to other productive work (Nucleus Research: "
                "about 1.0 for line workers, 0.5 or less for marketing)",
            ),
            benefit_risk=_share(
                "benefit_risk",
                benefit_risk,
                "the share by which benefits are risk-adjusted down (0.2 for TEI's common "
                "20 % haircut)",
            ),
            cost_risk=_cost_risk(cost_risk),
            discount_rate=_discount_rate(discount_rate),
            years=years,
            currency=code,
            ramp=_ramp(ramp, years),
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
            raise InputError(
                f"from_usage needs an Engine (from equivmetrics.load()), got "
                f"{type(engine).__name__}",
                value=engine,
            )
        first = engine.convert(usage, to, of=of, per=per)
        code, _ = _money_rate(first.unit, f"from_usage: {usage!r} converted to {to}", result=first)
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
            raise InputError(
                f"replace() got unknown argument(s) {', '.join(unknown)}; it takes "
                f"{', '.join(arguments)}",
                value=unknown,
            )
        if "years" in changes and "costs" not in changes:
            raise InputError(
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
        level = _share("adoption", adoption, _ADOPTION)
        rows, pv_benefits, pv_costs = self._flows(level, self.annual_benefit)
        npv, roi, payback = _figures(rows, pv_benefits, pv_costs)
        low_benefit, high_benefit = self._benefit_bounds()
        npv_low, roi_low, payback_high = _figures(*self._flows(level, low_benefit))
        npv_high, roi_high, payback_low = _figures(*self._flows(level, high_benefit))
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

    def _sig(self) -> int:
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


@attrs.frozen
class Outcome:
    """A scenario at one adoption level: the cash-flow table, NPV, ROI and payback.

    ``roi`` is a fraction (2.45 for 245 %), ``None`` when PV costs are 0; ``payback_months`` is
    ``None`` when the investment is not paid back within the horizon. ``npv_low`` and
    ``npv_high``, ``roi_low`` and ``roi_high`` bound NPV and ROI over the benefit's range;
    ``payback_low`` is the payback at the high end of the benefit (the soonest) and
    ``payback_high`` at its low end (``None`` if never within the horizon).
    """

    adoption: float
    rows: tuple[YearRow, ...]
    pv_benefits: float
    pv_costs: float
    npv: float
    roi: float | None
    payback_months: float | None
    npv_low: float
    npv_high: float
    roi_low: float | None
    roi_high: float | None
    payback_low: float | None
    payback_high: float | None
    scenario: Scenario = attrs.field(repr=False, eq=False)

    @property
    def currency(self) -> str:
        """The currency of every amount (an ISO 4217 code)."""
        return self.scenario.currency

    def equivalents(self, locale: str = "en", *, sig: int | None = None) -> Equivalents:
        """Payback, ROI (when there are costs) and NPV as feel-good equivalents.

        Texts such as "payback in 7 months", "ROI 245 %", "net present value $1.2 million".
        Payback is rounded *up* to whole months (never claimed earlier than it happens); ROI
        and NPV to ``sig`` significant figures (default: 3, or 2 when the benefit's range is
        wide). ``locale`` formats the numbers (babel for non-English); the words are English.
        """
        formatter = Formatter(locale)
        formatter.check()
        digits = self.scenario._sig() if sig is None else sig
        if isinstance(digits, bool) or not isinstance(digits, int) or not 1 <= digits <= 6:
            raise InputError(f"sig= must be a whole number from 1 to 6, got {sig!r}", value=sig)
        items = [self._payback(formatter)]
        if self.roi is not None:
            percent = self.roi * 100.0
            value = formatter.number(percent, digits)
            text = f"ROI {value} %"
            low, high = _percent(self.roi_low), _percent(self.roi_high)
            shown = ""
            if _wide(percent, low, high):
                shown = f"{formatter.number(low, digits)}\u2013{formatter.number(high, digits)} %"
            items.append(
                self._equivalent(
                    "roi", percent, "percent", text, value, formatter, low, high, shown
                )
            )
        money = money_text(self.npv, self.currency, formatter, digits)
        text = f"net present value {money}"
        shown = ""
        if _wide(self.npv, self.npv_low, self.npv_high):
            ends = (money_text(x, self.currency, formatter, digits) for x in self._npv_range())
            shown = "\u2013".join(ends)
        items.append(
            self._equivalent(
                "npv", self.npv, self.currency, text, money, formatter, *self._npv_range(), shown
            )
        )
        return Equivalents(items)

    def _npv_range(self) -> tuple[float, float]:
        return self.npv_low, self.npv_high

    def _payback(self, formatter: Formatter) -> Equivalent:
        months = self.payback_months
        if months is None:
            years = self.scenario.years
            text = f"no payback within {years} year{'s' if years != 1 else ''}"
            return self._equivalent("payback", math.inf, "month", text, "no", formatter)
        if months == 0:
            text = "payback immediately"
            return self._equivalent("payback", 0.0, "month", text, "immediately", formatter)
        whole = _whole_months(months)
        shown = formatter.number(whole, len(str(whole)))
        text = f"payback in {shown} month{'s' if whole != 1 else ''}"
        soonest = self.payback_low if self.payback_low is not None else months
        latest = self.payback_high if self.payback_high is not None else math.inf
        span = ""
        if latest == math.inf:
            years = self.scenario.years
            first = _whole_months(soonest)
            span = f"{first} month{'s' if first != 1 else ''} to none within {years} years"
        elif _wide(months, soonest, latest):
            span = f"{_whole_months(soonest)}\u2013{_whole_months(latest)} months"
        return self._equivalent(
            "payback", months, "month", text, shown, formatter, soonest, latest, span
        )

    def _equivalent(
        self,
        kind: str,
        magnitude: float,
        unit: str,
        text: str,
        value_text: str,
        formatter: Formatter,
        low: float | None = None,
        high: float | None = None,
        range_text: str = "",
    ) -> Equivalent:
        label, icon = _PRESENTATION[kind]
        return Equivalent(
            kind=kind,
            role="feel_good",
            magnitude=magnitude,
            unit=unit,
            low=magnitude if low is None else low,
            high=magnitude if high is None else high,
            text=f"{text} (range {range_text})" if range_text else text,
            value_text=value_text,
            range_text=range_text,
            label=label,
            icon=icon,
            family=kind,
            locale=formatter.locale,
            sources=self.scenario.sources,
            steps=self.scenario.steps,
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: the figures, the cash-flow rows and the equivalents' texts."""
        return {
            "schema": OUTCOME_SCHEMA,
            "adoption": _json_float(self.adoption),
            "currency": self.currency,
            "pv_benefits": _json_float(self.pv_benefits),
            "pv_costs": _json_float(self.pv_costs),
            "npv": _json_float(self.npv),
            "roi": None if self.roi is None else _json_float(self.roi),
            "payback_months": None
            if self.payback_months is None
            else _json_float(self.payback_months),
            "npv_low": _json_float(self.npv_low),
            "npv_high": _json_float(self.npv_high),
            "roi_low": None if self.roi_low is None else _json_float(self.roi_low),
            "roi_high": None if self.roi_high is None else _json_float(self.roi_high),
            "payback_low": None if self.payback_low is None else _json_float(self.payback_low),
            "payback_high": None if self.payback_high is None else _json_float(self.payback_high),
            "rows": [row.to_dict() for row in self.rows],
            "headlines": [e.text for e in self.equivalents()],
        }


def money_text(value: float, currency: str, formatter: Formatter, sig: int) -> str:
    """``"$1.2 million"``, ``"-€45,000"``, ``"CHF 310,000"``: rounded, with the currency.

    USD, EUR and GBP take their symbol; other currencies their code. Millions, billions and
    trillions are written as words.
    """
    rounded = round_sig(value, sig)
    size, words = abs(rounded), ""
    for scale, name in _SCALES:
        if size >= scale:
            size, words = size / scale, f" {name}"
            break
    number = formatter.number(size, sig)
    symbol = _SYMBOLS.get(currency)
    amount = f"{symbol}{number}" if symbol else f"{currency} {number}"
    return ("-" if rounded < 0 else "") + amount + words


def _wide(value: float, low: float, high: float) -> bool:
    """Whether a range is worth showing: its ends differ by more than SHOW_RANGE of the value."""
    return bool(value) and math.isfinite(high - low) and (high - low) / abs(value) > SHOW_RANGE


def _percent(fraction: float | None) -> float:
    return math.nan if fraction is None else fraction * 100.0


def _whole_months(months: float) -> int:
    """Rounded up, at least 1; 20.000000000000004 months (float noise) is 20, not 21."""
    return max(1, math.ceil(round(months, 9)))


def _figures(
    rows: tuple[YearRow, ...], pv_benefits: float, pv_costs: float
) -> tuple[float, float | None, float | None]:
    """NPV, ROI (None without costs) and payback months (None if never) of a cash flow."""
    npv = pv_benefits - pv_costs
    return npv, (npv / pv_costs if pv_costs > 0 else None), _payback(rows)


def _payback(rows: tuple[YearRow, ...] | list[YearRow]) -> float | None:
    """Months from the end of the initial period until the cumulative net stays >= 0."""
    cumulative = [row.cumulative_net for row in rows]
    if cumulative[-1] < 0:
        return None
    negative = [index for index, value in enumerate(cumulative) if value < 0]
    if not negative:
        return 0.0
    last = negative[-1]
    before, after = cumulative[last], cumulative[last + 1]
    return 12.0 * (last + (-before) / (after - before))


# -- reading the inputs --------------------------------------------------------------------
