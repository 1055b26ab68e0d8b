"""Reusable metric definitions: declared once, applied to many values, tenants and periods.

A :class:`Metric` says what to show for one source kind — which equivalents, in which role,
for numbers in which unit. Declare it in Python or in a pack's ``metrics:`` section, then apply
it to a value, to an array, or to many tenants at once (a dashboard panel).

>>> import equivmetrics as em
>>> panel = em.Metric(source="transaction", unit="transaction/month",
...                   show=("manual_work", "fte", "labor_cost"))
>>> [e.text for e in panel.apply(12000)]  # doctest: +NORMALIZE_WHITESPACE
['600 hours of manual work eliminated a month (range 200–2,000)',
 '3.8 full-time employees you did not need to hire (range 1.3–13)',
 '$27,000 of labour cost avoided a month (range $9,100–$96,000)']
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any, TypeVar

import attrs

from equivmetrics._core.quantity import unfit
from equivmetrics._engine import bundled
from equivmetrics._engine.core import Converts
from equivmetrics._engine.result import Result
from equivmetrics._packs.model import ROLES, MetricSpec, Role
from equivmetrics._present.equivalent import Equivalents
from equivmetrics.exceptions import InputLookupError, InputTypeError, InputValueError

from .offer import offer

__all__ = ["Metric"]

K = TypeVar("K", bound=Hashable)


def _names(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise InputTypeError(
            f"show= names kinds: a kind name or a list of them, e.g. ('fte', 'labor_cost'), "
            f"not {type(value).__name__} {value!r:.40}",
            value=value,
        )
    return tuple(value)


def _role(instance: Metric, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in ROLES:
        raise unfit(value, str)(
            f"role must be one of {', '.join(ROLES)}, not {value!r}", value=value
        )


def _text(instance: Metric, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or (attribute.name == "source" and not value):
        what = "a kind name" if attribute.name == "source" else "text"
        raise unfit(value, str)(
            f"Metric {attribute.name} must be {what}, not {value!r}", value=value
        )


def _optional_text(instance: Metric, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not isinstance(value, str):
        raise InputTypeError(
            f"Metric {attribute.name} must be a unit text or None, not {value!r}", value=value
        )


def _count(instance: Metric, attribute: attrs.Attribute[Any], value: Any) -> None:
    low = 1
    high = 6 if attribute.name == "sig" else 10_000
    if value is not None and (
        not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high
    ):
        raise unfit(value, int)(
            f"Metric {attribute.name} must be a whole number from {low} to {high} or None, "
            f"not {value!r}",
            value=value,
        )


@attrs.frozen
class Metric:
    """What to show for one source kind: the equivalents, the role, the input unit.

    ``show`` names the kinds to show, in order; empty lets relatability choose (up to
    ``top``). ``unit`` is the unit of bare numbers given to :meth:`apply`; ``per`` turns totals
    into rates over that period.
    """

    source: str = attrs.field(validator=_text)
    show: tuple[str, ...] = attrs.field(default=(), converter=_names)
    role: Role = attrs.field(default="feel_good", validator=_role)
    unit: str | None = attrs.field(default=None, validator=_optional_text)
    per: str | None = attrs.field(default=None, validator=_optional_text)
    top: int | None = attrs.field(default=3, validator=_count)
    name: str = attrs.field(default="", validator=_text)
    title: str = attrs.field(default="", validator=_text)
    sig: int | None = attrs.field(default=None, validator=_count)

    @classmethod
    def from_spec(cls, spec: MetricSpec) -> Metric:
        """The metric a pack declares."""
        return cls(
            source=spec.source_kind,
            show=spec.show,
            role=spec.role,
            unit=spec.unit,
            per=spec.per,
            top=spec.top,
            name=spec.name,
            title=spec.title,
        )

    def _quantity(self, value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            if self.unit is None:
                raise InputTypeError(
                    f"metric {self.name or self.source!r} has no unit for bare numbers; give "
                    "text such as '12000 transaction/month', or declare the metric's unit",
                    value=value,
                )
            return (value, self.unit)
        return value

    def apply(
        self, value: Any, *, engine: Converts | None = None, locale: str = "en"
    ) -> Equivalents:
        """The equivalents of one value (a number in ``unit``, text, a pair or a quantity)."""
        engine = engine or bundled.default()
        return offer(
            engine,
            self._quantity(value),
            self.role,
            of=self.source,
            only=self.show or None,
            top=self.top,
            per=self.per,
            locale=locale,
            sig=self.sig,
        )

    def apply_many(
        self,
        values: Mapping[K, Any],
        *,
        engines: Mapping[K, Converts] | Converts | None = None,
        locale: str = "en",
    ) -> dict[K, Equivalents]:
        """The equivalents of many values, each with its tenant's engine.

        ``values`` maps a key (a tenant, a month, …) to a value; ``engines`` maps the same keys
        to engines (one per tenant), or is one engine for all.
        """
        out: dict[K, Equivalents] = {}
        for key, value in values.items():
            if isinstance(engines, Mapping):
                if key not in engines:
                    raise InputLookupError(f"no engine for {key!r} in engines=", value=key)
                engine = engines[key]
            else:
                engine = engines or bundled.default()
            out[key] = self.apply(value, engine=engine, locale=locale)
        return out

    def columns(self, values: Any, *, engine: Converts | None = None) -> dict[str, Result]:
        """Array conversion for every shown kind: ``{kind: Result}`` with array magnitudes.

        Needs ``show`` (relatability chooses per value, which an array does not have).
        """
        if not self.show:
            raise InputValueError("columns() needs the metric's show= kinds", value=self.show)
        engine = engine or bundled.default()
        quantity = (
            (values, self.unit)
            if self.unit is not None and not isinstance(values, str | tuple)
            else values
        )
        return {
            kind: engine.convert(quantity, kind, of=self.source, per=self.per) for kind in self.show
        }
