"""Adoption and performance indicators: what a scorecard measures for each team and period.

Customer success runs on one chain: people adopt the software, the business performs better,
the value is measurable. An *adoption* indicator measures the prerequisite (active users out of
licensed seats, records entered on time); a *performance* indicator the outcome (hours saved,
errors avoided). Each is computed from the host's own numbers for one team in one period:

* ``ratio``: ``numerator / denominator``, a share of a whole from 0 to 1 (30 active users of
  40 seats: 0.75). A numerator above its denominator (adoption above 100 %) is refused.
* ``rate``: ``numerator / denominator`` with no upper bound (transactions per person).
* ``count``: the ``numerator`` as it is (hours saved this month).

A performance indicator that names a ``kind`` (a ``count`` in ``unit``) converts to equivalents
through the engine's rules: the realised value and the value at stake of a scorecard
(docs/adoption.md). Declare indicators here or in a pack's ``indicators:`` section.

>>> import equivmetrics as em
>>> use = em.Indicator("active_use", family="adoption", measure="ratio",
...                    numerator="active_users", denominator="licensed_seats", target=0.8)
>>> use.value({"active_users": 30, "licensed_seats": 40})
0.75
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from numbers import Real
from typing import Any, Literal

import attrs

from equivmetrics._core.quantity import unfit
from equivmetrics._packs.indicators import BETTER, FAMILIES, LOCALE_TAG, MEASURES, shape_problems
from equivmetrics._packs.model import IndicatorSpec, locale_keys
from equivmetrics.exceptions import InputTypeError, InputValueError, ScorecardError

__all__ = ["BETTER", "FAMILIES", "MEASURES", "SEPARATORS", "Indicator"]

Family = Literal["adoption", "performance"]
Measure = Literal["ratio", "rate", "count"]
Better = Literal["higher", "lower"]
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def _choice(allowed: tuple[str, ...]) -> Any:
    def check(instance: Indicator, attribute: attrs.Attribute[str], value: Any) -> None:
        if value not in allowed:
            raise unfit(value, str)(
                f"Indicator {attribute.name} must be one of {', '.join(allowed)}, not {value!r}",
                value=value,
            )

    return check


def _name(instance: Indicator, attribute: attrs.Attribute[str], value: Any) -> None:
    if not isinstance(value, str) or not _NAME.match(value):
        raise unfit(value, str)(
            f"Indicator {attribute.name} must be a name of letters, digits and '_' starting "
            f"with a letter (such as 'active_users'), not {value!r}",
            value=value,
        )


def _optional_name(instance: Indicator, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        _name(instance, attribute, value)


def _target(instance: Indicator, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, Real):
        raise InputTypeError(f"Indicator target must be a number, not {value!r}", value=value)
    if not math.isfinite(value) or value < 0:
        raise InputValueError(
            f"Indicator target must be a finite number of at least 0, not {value!r}", value=value
        )


def _names(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise InputTypeError(f"Indicator show must be a list of kind names, not {value!r}", value=value)


def _labels(value: Any) -> tuple[tuple[str, str], ...]:
    """``{"de": "Aktive Nutzer"}`` (or pairs) as sorted pairs, each locale and title checked."""
    pairs = value.items() if isinstance(value, Mapping) else value
    if not isinstance(pairs, Iterable) or isinstance(pairs, str):
        raise InputTypeError(
            f"Indicator labels must map locales to titles ({{'de': 'Aktive Nutzer'}}), not "
            f"{value!r}",
            value=value,
        )
    labels = []
    for pair in pairs:
        locale, text = pair if isinstance(pair, tuple) and len(pair) == 2 else (pair, None)
        if not isinstance(locale, str) or not LOCALE_TAG.match(locale):
            raise unfit(locale, str)(
                f"Indicator labels: {locale!r} is not a locale; use a language code, maybe "
                "with a region (de, fr, es, de_CH)",
                value=value,
            )
        if not isinstance(text, str) or not text.strip():
            raise unfit(text, str)(
                f"Indicator labels: the {locale} title must be text, not {text!r}", value=value
            )
        labels.append((locale, text))
    return tuple(sorted(labels))


@attrs.frozen
class Indicator:
    """One indicator: how it is computed from a team's numbers, its target, its kind.

    ``numerator`` (and ``denominator`` for ``ratio`` and ``rate``) name the host's numbers;
    ``target`` is the value to reach (a share for a ratio: 0.8 for 80 %); ``better`` says
    which way is good. A performance indicator may name the ``kind`` its value converts from,
    with the value's ``unit`` (a ``count``: ``kind="manual_work", unit="hour"``), the kinds to
    ``show`` as equivalents, and the adoption indicator it is ``driven_by`` (needed when a
    scorecard has more than one). ``title`` is the indicator's title (default: its name with
    spaces), ``labels`` the title per locale (``{"de": "Aktive Nutzer"}``) for cards, texts and
    reports in other languages.
    """

    name: str = attrs.field(validator=_name)
    family: Family = attrs.field(kw_only=True, validator=_choice(FAMILIES))
    measure: Measure = attrs.field(kw_only=True, validator=_choice(MEASURES))
    numerator: str = attrs.field(kw_only=True, validator=_name)
    denominator: str | None = attrs.field(default=None, kw_only=True, validator=_optional_name)
    target: float | None = attrs.field(default=None, kw_only=True, validator=_target)
    kind: str | None = attrs.field(default=None, kw_only=True, validator=_optional_name)
    unit: str | None = attrs.field(default=None, kw_only=True)
    show: tuple[str, ...] = attrs.field(default=(), kw_only=True, converter=_names)
    driven_by: str | None = attrs.field(default=None, kw_only=True, validator=_optional_name)
    better: Better = attrs.field(default="higher", kw_only=True, validator=_choice(BETTER))
    title: str = attrs.field(default="", kw_only=True)
    labels: tuple[tuple[str, str], ...] = attrs.field(default=(), kw_only=True, converter=_labels)

    def __attrs_post_init__(self) -> None:
        problems = shape_problems(
            family=self.family,
            measure=self.measure,
            denominator=self.denominator,
            target=self.target,
            kind=self.kind,
            unit=self.unit,
            show=self.show,
            driven_by=self.driven_by,
        )
        for key, problem in problems:
            raise InputValueError(f"Indicator {self.name!r}, {key}=: {problem}", value=self)

    @classmethod
    def from_spec(cls, spec: IndicatorSpec) -> Indicator:
        """The indicator a pack declares (checked when the pack was loaded)."""
        return cls(
            spec.name,
            family=spec.family,
            measure=spec.measure,
            numerator=spec.numerator,
            denominator=spec.denominator,
            target=spec.target,
            kind=spec.kind,
            unit=spec.unit,
            show=spec.show,
            driven_by=spec.driven_by,
            better=spec.better,
            title=spec.title,
            labels=spec.labels,
        )

    @property
    def label(self) -> str:
        """The title, or the name with spaces."""
        return self.title or self.name.replace("_", " ")

    def label_in(self, locale: str) -> tuple[str, str]:
        """The title for ``locale`` and the language it is written in.

        A title in ``labels`` for the locale itself (``de_CH``) wins over one for its language
        (``de``); without either, the :attr:`label` and ``"en"``.

        >>> use = Indicator("active_use", family="adoption", measure="count",
        ...                 numerator="active_users", labels={"de": "Aktive Nutzer"})
        >>> use.label_in("de_CH"), use.label_in("fr")
        (('Aktive Nutzer', 'de'), ('active use', 'en'))
        """
        exact, language = locale_keys(locale)
        found = {locale_keys(name)[0]: (text, name) for name, text in self.labels}
        text, tag = found.get(exact) or found.get(language) or (self.label, "en")
        return text, tag.replace("_", "-")

    @property
    def converts(self) -> bool:
        """Whether the value converts to equivalents (a performance count with a kind)."""
        return self.kind is not None

    def value(self, numbers: Mapping[str, Any], *, team: str = "", period: str = "") -> float:
        """The indicator for one team's ``numbers`` (a mapping of the host's numbers).

        Raises :class:`~equivmetrics.ScorecardError` for a number missing, negative or not
        finite, a zero denominator, or a ratio above 1; ``team`` and ``period`` say where.
        """
        where = {"indicator": self.name, "team": team, "period": period}
        top = _number(numbers, self.numerator, where)
        if self.denominator is None:
            return top
        bottom = _number(numbers, self.denominator, where)
        place = _place(where)
        if bottom == 0:
            raise ScorecardError(
                f"{self.denominator} is 0{place}, so {self.name} ({self.numerator} / "
                f"{self.denominator}) has no value; give the team's {self.denominator}, or "
                "leave the team out of the scorecard",
                problem="zero_denominator",
                **where,
            )
        share = top / bottom
        if self.measure == "ratio" and share > 1:
            raise ScorecardError(
                f"{self.name} is {share:.0%}{place}: {self.numerator} ({top:g}) is more than "
                f"{self.denominator} ({bottom:g}), and a ratio is a share of a whole (at most "
                "100 %); check both numbers, or declare the indicator as a 'rate'",
                problem="above_one",
                **where,
            )
        if not math.isfinite(share):
            raise ScorecardError(
                f"{self.name} ({self.numerator} / {self.denominator} = {top:g} / {bottom:g}) is "
                f"too large to compute{place}; check both numbers, which are far beyond any "
                "count of users, seats or work",
                problem="too_large",
                **where,
            )
        return share

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: every field, ``None`` where not set."""
        return {
            "name": self.name,
            "title": self.label,
            "labels": dict(self.labels),
            "family": self.family,
            "measure": self.measure,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "target": self.target,
            "better": self.better,
            "kind": self.kind,
            "unit": self.unit,
            "show": list(self.show),
            "driven_by": self.driven_by,
        }


def _place(where: Mapping[str, str]) -> str:
    team, period = where.get("team"), where.get("period")
    return "".join((f" for team {team!r}" if team else "", f" in {period}" if period else ""))


#: Text that is a number with a decimal comma or thousands separators: ``120,5``, ``1.250``.
_SEPARATED = re.compile(r"[+-]?\d[\d \u00a0\u202f]*(?:[.,]\d+)+")


def _separators_hint(value: object) -> str:
    """Advice for text written as a spreadsheet writes a number, which is not read here:
    only the file's other numbers can tell ``1.250`` (1250 or 1.25) apart."""
    if not (isinstance(value, str) and _SEPARATED.fullmatch(value.strip()) and "," in value):
        return ""
    return f": a spreadsheet's text with a decimal comma or thousands separators; {SEPARATORS}"


#: The advice for a spreadsheet's text, which the command line and the service reword.
SEPARATORS = (
    "give numbers (pandas.read_csv(path, sep=';', decimal=',', thousands='.'), say), or run "
    "`equivmetrics scorecard FILE`, which reads such exports"
)


def _number(numbers: Mapping[str, Any], name: str, where: dict[str, str]) -> float:
    """One of the host's numbers, checked: present, a finite number, not negative."""
    place = _place(where)
    if name not in numbers or numbers[name] is None:
        given = ", ".join(sorted(map(str, numbers))) or "none"
        raise ScorecardError(
            f"{where['indicator']} needs the number {name!r}{place}; the numbers given are "
            f"{given}. Add it, or leave the team out of the scorecard",
            problem="missing_number",
            **where,
        )
    value = numbers[name]
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ScorecardError(
            f"{name} must be a number{place}, not {value!r}{_separators_hint(value)}",
            problem="not_a_number",
            **where,
        )
    try:
        number = float(value)
    except OverflowError:  # an int or fraction beyond the largest float (about 1.8e308)
        raise ScorecardError(
            f"{name} is too large{place} to compute with ({str(value)[:20]}...); check the "
            "export that produced it",
            problem="too_large",
            **where,
        ) from None
    if not math.isfinite(number):
        raise ScorecardError(
            f"{name} is {number}{place}; give a finite number",
            problem="not_a_number",
            **where,
        )
    if number < 0:
        raise ScorecardError(
            f"{name} is negative ({value!r}){place}: counts of users, seats and work are 0 or "
            "more; check the export that produced it",
            problem="negative",
            **where,
        )
    return number
