"""Results and series as HTML for notebooks (Jupyter's ``_repr_html_``).

:func:`result_html` shows a result's value, range, steps and sources; :func:`series_html` a
series as a table (with its chart, when one is given). Both are self-contained fragments in the
conventions of the HTML cards (docs/html.md): everything from packs or callers is escaped, a
source link is kept only for an ``http(s)`` URL, tables have captions and header scopes.

The engine never imports presentation: the public package hands :func:`result_html` to the
engine's :class:`~equivmetrics.Result` as its notebook renderer (``equivmetrics/__init__.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any, Protocol

from equivmetrics._core.numbers import count, is_scalar, num
from equivmetrics._packs.model import Source

from .chart import ResultValues, SeriesLike, running
from .citations import source_html

__all__ = ["result_html", "series_html"]

_STYLE = (
    "<style>.equivmetrics-nb{font-family:system-ui,sans-serif;font-size:14px;line-height:1.4}"
    ".equivmetrics-nb table{border-collapse:collapse;margin:4px 0}"
    ".equivmetrics-nb th,.equivmetrics-nb td{border:1px solid #c8d0d8;padding:3px 8px;"
    "text-align:left}.equivmetrics-nb td.em-num{text-align:right;"
    "font-variant-numeric:tabular-nums}.equivmetrics-nb caption{text-align:left;"
    "font-weight:600;padding:2px 0}</style>"
)


class _StepLike(Protocol):
    @property
    def rule(self) -> str: ...

    @property
    def source_kind(self) -> str: ...

    @property
    def target_kind(self) -> str: ...

    @property
    def inverse(self) -> bool: ...

    @property
    def factor(self) -> float: ...

    @property
    def factor_unit(self) -> str: ...


class ResultLike(ResultValues, Protocol):
    """What the notebook view needs of a result (:class:`equivmetrics.Result` has it all):
    the figures a chart reads, and where they come from."""

    @property
    def kind(self) -> str: ...

    @property
    def source_kind(self) -> str: ...

    @property
    def input_unit(self) -> str: ...

    @property
    def steps(self) -> Sequence[_StepLike]: ...

    @property
    def sources(self) -> tuple[Source, ...]: ...


def _value(magnitude: Any, unit: str) -> str:
    if is_scalar(magnitude):
        return f"{num(magnitude)} {unit}".rstrip()
    return f"{count(magnitude)} values in {unit}"


def _range(result: ResultLike) -> str:
    low, high = result.low, result.high
    if not is_scalar(low) or low == high:
        return ""
    return f"{num(low)}–{num(high)} {result.unit}".rstrip()


def result_html(result: ResultLike) -> str:
    """A result as an HTML fragment: value, range, input, steps (a table) and sources."""
    value = escape(_value(result.magnitude, result.unit))
    parts = [
        '<section class="equivmetrics-nb" lang="en" aria-label="equivmetrics result">',
        _STYLE,
        f"<p><strong>{value}</strong> of {escape(result.kind)}",
    ]
    spread = _range(result)
    if spread:
        parts.append(f" <span>(range {escape(spread)})</span>")
    given = escape(_value(result.input_magnitude, result.input_unit))
    parts.append(f"<br><small>from {given} of {escape(result.source_kind)}</small></p>")
    if result.steps:
        parts.append(_steps(result.steps))
    if result.sources:
        parts.append(
            "<details><summary>Sources</summary><ul>"
            + "".join(f"<li>{source_html(s)}</li>" for s in result.sources)
            + "</ul></details>"
        )
    parts.append("</section>")
    return "".join(parts)


def _steps(steps: Sequence[_StepLike]) -> str:
    rows = []
    for n, step in enumerate(steps, 1):
        verb = "÷" if step.inverse else "×"
        factor = f"{verb} {num(step.factor)} {step.factor_unit}".rstrip()
        rows.append(
            f'<tr><td class="em-num">{n}</td><td>{escape(step.rule)}</td>'
            f"<td>{escape(step.source_kind)} → {escape(step.target_kind)}</td>"
            f'<td class="em-num">{escape(factor)}</td></tr>'
        )
    return (
        "<table><caption>Steps</caption><thead><tr>"
        '<th scope="col">#</th><th scope="col">Rule</th><th scope="col">From → to</th>'
        '<th scope="col">Factor</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table>"
    )


def series_html(series: SeriesLike, chart_svg: str | None = None) -> str:
    """A series as an HTML table (period, value, range, running total), then ``chart_svg``."""
    kind = escape(series.kind)
    totals, total_unit = running(series)
    rows = []
    for period, (total, _, _) in zip(series.periods, totals, strict=True):
        r = period.result
        spread = f"{num(r.low)}–{num(r.high)}" if r.low != r.high else ""
        rows.append(
            f'<tr><th scope="row">{escape(period.label)}</th>'
            f'<td class="em-num">{escape(num(r.magnitude))}</td>'
            f'<td class="em-num">{escape(spread)}</td><td>{escape(r.unit)}</td>'
            f'<td class="em-num">{escape(num(total))} {escape(total_unit)}</td></tr>'
        )
    overall = escape(_value(series.cumulative.magnitude, series.cumulative.unit))
    table = (
        f"<table><caption>{kind} per period</caption><thead><tr>"
        '<th scope="col">Period</th><th scope="col">Value</th><th scope="col">Range</th>'
        '<th scope="col">Unit</th><th scope="col">Running total</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody>"
        f'<tfoot><tr><th scope="row">Cumulative</th><td colspan="4">{overall}</td></tr>'
        "</tfoot></table>"
    )
    figure = f"<figure>{chart_svg}</figure>" if chart_svg else ""
    return (
        f'<section class="equivmetrics-nb" lang="en" aria-label="equivmetrics series of {kind}">'
        f"{_STYLE}{table}{figure}</section>"
    )
