"""A result's derivation in the reader's language: :func:`explain`.

:meth:`Result.explain <equivmetrics.Result.explain>` writes the derivation in English (the engine
layer words nothing else). ``em.explain(result, locale="de")`` writes the same lines — every step,
factor, parameter, source and the region — with the words of the library's catalog for the
locale's language and its number formatting; kinds, rules and parameters keep their names (they
are identifiers), and pack citations stay as the publisher wrote them. A language without a
catalog gets English words throughout, with the locale's numbers.

>>> import equivmetrics as em
>>> r = em.convert("12000 transaction/month", "manual_work")
>>> print(explain(r, locale="de").splitlines()[-1])
Ergebnis: 600 hour/month (Bandbreite 200–2.000) (manual_work)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from equivmetrics._core.numbers import count as _count
from equivmetrics._core.numbers import is_scalar, num
from equivmetrics._core.records import check_fields
from equivmetrics._engine.result import ParameterUse, Result, Step
from equivmetrics.exceptions import InputTypeError

from .formatter import Formatter
from .messages import Messages, catalog

__all__ = ["explain"]


def explain(result: object, *, locale: str = "en") -> str:
    """``result``'s derivation (a :class:`Result`), one line per step with its sources, in
    ``locale``'s words."""
    if not isinstance(result, Result):
        raise InputTypeError(f"explain() takes a Result, not {type(result).__name__}", value=result)
    check_fields(result)  # one built by hand must have the field types it declares
    formatter = Formatter(locale)
    words = catalog(locale) or catalog("en")
    assert words is not None  # the English catalog ships with the package
    num_of = _numbers(formatter)
    scalar = is_scalar(result.input_magnitude)
    lines = [
        words.text(
            "explain.given",
            value=num_of(result.input_magnitude),
            unit=result.input_unit,
            kind=result.source_kind,
        )
        if scalar
        else words.text(
            "explain.given_values",
            count=str(_count(result.input_magnitude)),
            unit=result.input_unit,
            kind=result.source_kind,
        )
    ]
    if result.region:
        text = words.text("explain.region", region=result.region, edition=result.edition)
        lines.append(f"  {text}")
    if not result.steps:
        lines.append("  " + words.text("explain.no_rule", value=_value(result, words, num_of)))
    for number, step in enumerate(result.steps, 1):
        lines.extend(_step(result, step, number, words, num_of, scalar=scalar))
    value = _value(result, words, num_of)
    lines.append(words.text("explain.result", value=value, kind=result.kind))
    return "\n".join(lines)


def _numbers(formatter: Formatter) -> Callable[[Any], str]:
    """The derivation's numbers (four significant figures, as :func:`num` writes them) with
    the locale's decimal and group symbols."""
    if formatter.english:
        return num
    from babel.numbers import get_decimal_symbol, get_group_symbol  # noqa: PLC0415 - babel is the optional [locale] extra

    formatter.check()
    table = str.maketrans(
        {",": get_group_symbol(formatter.locale), ".": get_decimal_symbol(formatter.locale)}
    )
    return lambda value: num(value).translate(table)


def _step(
    result: Result,
    step: Step,
    number: int,
    words: Messages,
    num: Callable[[Any], str],
    *,
    scalar: bool,
) -> list[str]:
    line = words.text(
        "explain.step",
        number=str(number),
        source=step.source_kind,
        target=step.target_kind,
        rule=repr(step.rule),
        op="÷" if step.inverse else "×",
        factor=f"{num(step.factor)} {step.factor_unit}".rstrip(),
    )
    if step.factor_low != step.factor_high:
        line += " " + words.text(
            "explain.range", low=num(step.factor_low), high=num(step.factor_high)
        )
    lines = [f"  {line}", "     " + words.text("explain.factor", expression=step.expression)]
    lines.extend(f"       {_parameter(use, words, num)}" for use in step.parameters)
    lines.extend(
        "       " + words.text("explain.rule_source", citation=s.cite()) for s in step.sources
    )
    if scalar:
        value = num(float(result.input_magnitude) * step.cumulative)
        lines.append(
            "     "
            + words.text("explain.after", value=value, unit=step.unit, kind=step.target_kind)
        )
    return lines


def _parameter(use: ParameterUse, words: Messages, num: Callable[[Any], str]) -> str:
    text = f"{use.name} = {num(use.value)} {use.unit}".rstrip()
    if use.low != use.high:
        text += " " + words.text("explain.range", low=num(use.low), high=num(use.high))
    if use.overridden:
        text += "; " + words.text("explain.tenant")
    elif use.derivation:
        text += f"; = {use.derivation}"
    elif use.source is not None:
        text += "; " + words.text("explain.source", citation=use.source.cite())
        if use.edition and use.edition != use.source.edition:
            text += ", " + words.text("explain.edition", edition=use.edition)
    if use.assumption and not use.overridden:
        text += "; " + words.text("explain.assumption")
    return text


def _value(result: Result, words: Messages, num: Callable[[Any], str]) -> str:
    if not is_scalar(result.magnitude):
        return words.text("explain.array", factor=num(result.factor), unit=result.unit)
    text = f"{num(result.magnitude)} {result.unit}"
    if result.factor_low != result.factor_high:
        text += " " + words.text("explain.range", low=num(result.low), high=num(result.high))
    return text
