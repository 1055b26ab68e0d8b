"""The outcome of an ROI scenario at one adoption level: cash flows, NPV, ROI and payback.

:class:`Outcome` holds the risk-adjusted cash-flow table (:class:`YearRow` per year) and the
figures computed from it, with their ranges, and words them as feel-good equivalents
("payback in 7 months", "ROI 245 %"). The scenario that computes it is
:mod:`equivmetrics._features.scenario`.
"""

from __future__ import annotations

import math
from typing import Any, Protocol

import attrs

from equivmetrics._core.numbers import json_float as _json_float
from equivmetrics._core.quantity import unfit
from equivmetrics._engine.result import Step
from equivmetrics._packs.model import Source
from equivmetrics._present import cldr
from equivmetrics._present.equivalent import Equivalent, Equivalents
from equivmetrics._present.formatter import SHOW_RANGE, Formatter, english_money, round_sig
from equivmetrics._present.messages import catalog, sentence_words

__all__ = ["OUTCOME_SCHEMA", "Outcome", "YearRow", "figures", "money_text", "payback"]

OUTCOME_SCHEMA = "equivmetrics.outcome/1"


class ScenarioFacts(Protocol):
    """What an outcome reads of the scenario it came from (a :class:`~equivmetrics.Scenario`)."""

    @property
    def currency(self) -> str: ...

    @property
    def years(self) -> int: ...

    @property
    def sources(self) -> tuple[Source, ...]: ...

    @property
    def steps(self) -> tuple[Step, ...]: ...

    def significant_figures(self) -> int: ...


_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
#: The icon of each equivalent an outcome offers (its label is in the message catalogs).
_ICONS = {"payback": "clock", "roi": "rocket", "npv": "money"}


class _Words:
    """An outcome's words: the locale's language when the library has it, else English."""

    def __init__(self, formatter: Formatter) -> None:
        own = catalog(formatter.language)
        self.formatter = formatter
        self.messages = own or sentence_words("en")
        self.tag = formatter.locale.replace("_", "-") if own else "en"

    def text(self, key: str, **values: str) -> str:
        return self.messages.text(key, **values)

    def count(self, key: str, number: int) -> str:
        """The text of ``key`` for a whole number, in the plural form it takes."""
        shown = self.formatter.number(number, len(str(number)))
        if self.messages.language == "en":
            category = "one" if number == 1 else "other"
        else:
            category = self.formatter.plural(number, len(str(number)))
        return self.messages.plural(key, category, value=shown)


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
    scenario: ScenarioFacts = attrs.field(repr=False, eq=False)

    @property
    def currency(self) -> str:
        """The currency of every amount (an ISO 4217 code)."""
        return self.scenario.currency

    def equivalents(self, locale: str = "en", *, sig: int | None = None) -> Equivalents:
        """Payback, ROI (when there are costs) and NPV as feel-good equivalents.

        Texts such as "payback in 7 months", "ROI 245 %", "net present value $1.2 million".
        Payback is rounded *up* to whole months (never claimed earlier than it happens); ROI
        and NPV to ``sig`` significant figures (default: 3, or 2 when the benefit's range is
        wide). The words are in the locale's language when the library has it (English,
        German, French, Spanish; "Amortisation in 20 Monaten"), else English; numbers and
        money are formatted the locale's way (babel for non-English).
        """
        formatter = Formatter(locale)
        formatter.check()
        digits = self.scenario.significant_figures() if sig is None else sig
        if isinstance(digits, bool) or not isinstance(digits, int) or not 1 <= digits <= 6:
            raise unfit(sig, int)(
                f"sig= must be a whole number from 1 to 6, got {sig!r}", value=sig
            )
        words = _Words(formatter)
        items = [self._payback(words)]
        if self.roi is not None:
            items.append(self._roi(self.roi, words, digits))
        money = money_text(self.npv, self.currency, formatter, digits)
        text = words.text("outcome.npv_text", value=money)
        shown = ""
        if _wide(self.npv, self.npv_low, self.npv_high):
            shown = "\u2013".join(
                money_text(x, self.currency, formatter, digits) for x in self._npv_range()
            )
        items.append(
            self._equivalent(
                "npv", self.npv, self.currency, text, money, words, *self._npv_range(), shown
            )
        )
        return Equivalents(items)

    def _npv_range(self) -> tuple[float, float]:
        return self.npv_low, self.npv_high

    def _roi(self, roi: float, words: _Words, digits: int) -> Equivalent:
        formatter = words.formatter
        percent = roi * 100.0
        value = formatter.number(percent, digits)
        low, high = _percent(self.roi_low), _percent(self.roi_high)
        shown = ""
        if _wide(percent, low, high):
            ends = f"{formatter.number(low, digits)}\u2013{formatter.number(high, digits)}"
            shown = words.text("outcome.percent_range", range=ends)
        text = words.text("outcome.roi_text", value=value)
        return self._equivalent("roi", percent, "percent", text, value, words, low, high, shown)

    def _payback(self, words: _Words) -> Equivalent:
        months = self.payback_months
        within = words.count("outcome.within", self.scenario.years)
        if months is None:
            text = words.text("outcome.no_payback", within=within)
            never = words.text("outcome.never")
            return self._equivalent("payback", math.inf, "month", text, never, words)
        if months == 0:
            text = words.text("outcome.payback_now")
            now = words.text("outcome.now")
            return self._equivalent("payback", 0.0, "month", text, now, words)
        whole = _whole_months(months)
        shown = words.formatter.number(whole, len(str(whole)))
        text = words.count("outcome.payback_in", whole)
        soonest = self.payback_low if self.payback_low is not None else months
        latest = self.payback_high if self.payback_high is not None else math.inf
        span = ""
        if latest == math.inf:
            first = words.count("outcome.months", _whole_months(soonest))
            span = words.text("outcome.span_never", months=first, within=within)
        elif _wide(months, soonest, latest):
            ends = f"{_whole_months(soonest)}\u2013{_whole_months(latest)}"
            span = words.text("outcome.span", range=ends)
        return self._equivalent(
            "payback", months, "month", text, shown, words, soonest, latest, span
        )

    def _equivalent(
        self,
        kind: str,
        magnitude: float,
        unit: str,
        text: str,
        value_text: str,
        words: _Words,
        low: float | None = None,
        high: float | None = None,
        range_text: str = "",
    ) -> Equivalent:
        icon = _ICONS[kind]
        return Equivalent(
            kind=kind,
            role="feel_good",
            magnitude=magnitude,
            unit=unit,
            low=magnitude if low is None else low,
            high=magnitude if high is None else high,
            text=f"{text} {words.text('equivalent.range', range=range_text)}"
            if range_text
            else text,
            value_text=value_text,
            range_text=range_text,
            label=words.text(f"outcome.{kind}"),
            icon=icon,
            family=kind,
            locale=words.formatter.locale,
            sources=self.scenario.sources,
            steps=self.scenario.steps,
            language=words.tag,
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

    In English, USD, EUR and GBP take their symbol; other currencies their code. Millions,
    billions and trillions are written as words. Other locales take babel's currency format
    and, from a million, CLDR's short forms ("24.600 $", "1,2 Mio. $").
    """
    if not formatter.english:
        return cldr.compact_money(value, sig, currency, formatter)
    rounded = round_sig(value, sig)
    size, words = abs(rounded), ""
    for scale, name in _SCALES:
        if size >= scale:
            size, words = size / scale, f" {name}"
            break
    amount = english_money(formatter.number(size, sig), currency)
    return ("-" if rounded < 0 else "") + amount + words


def _wide(value: float, low: float, high: float) -> bool:
    """Whether a range is worth showing: its ends differ by more than SHOW_RANGE of the value."""
    return bool(value) and math.isfinite(high - low) and (high - low) / abs(value) > SHOW_RANGE


def _percent(fraction: float | None) -> float:
    return math.nan if fraction is None else fraction * 100.0


def _whole_months(months: float) -> int:
    """Rounded up, at least 1; 20.000000000000004 months (float noise) is 20, not 21."""
    return max(1, math.ceil(round(months, 9)))


def figures(
    rows: tuple[YearRow, ...], pv_benefits: float, pv_costs: float
) -> tuple[float, float | None, float | None]:
    """NPV, ROI (None without costs) and payback months (None if never) of a cash flow."""
    npv = pv_benefits - pv_costs
    return npv, (npv / pv_costs if pv_costs > 0 else None), payback(rows)


def payback(rows: tuple[YearRow, ...] | list[YearRow]) -> float | None:
    """Months from the end of the initial period until the cumulative net stays >= 0."""
    cumulative = [row.cumulative_net for row in rows]
    if cumulative[-1] < 0:
        return None
    negative = [index for index, value in enumerate(cumulative) if value < 0]
    if not negative:
        return 0.0
    last = negative[-1]
    before, after = cumulative[last], cumulative[last + 1]
    months = 12.0 * (last + (-before) / (after - before))
    # a deficit too small for the fraction to show (5e-324 of 2.0) is still paid back after
    # that year end, never at it
    return max(months, math.nextafter(12.0 * last, math.inf))
