"""A periodic value report for one tenant: one period's totals, the total since a start, the
equivalents, the action items and a trend chart, as e-mail-ready HTML and plain text.

:func:`build_report` takes a total per calendar period (what :meth:`Engine.series` takes) and
reports one of the periods (the last by default). The HTML has inline styles only, no scripts
and no external resources; the chart is a PNG, given as a ``data:`` URL in a standalone page or
as a ``cid:`` reference for an e-mail (:mod:`.report_send` attaches it). PDF and e-mail are in
:mod:`.report_send`.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
from html import escape
from typing import Any

import attrs

from equivmetrics._api.engine import Engine
from equivmetrics._core.units import CURRENCIES
from equivmetrics._engine.result import Result
from equivmetrics._features.series import Period, Series
from equivmetrics._present.card_language import words_tag
from equivmetrics._present.chart import Chart, render_chart
from equivmetrics._present.equivalent import Equivalent
from equivmetrics._present.formatter import Formatter
from equivmetrics._present.messages import Messages, catalog, language_of, sentence_words
from equivmetrics._present.names import Name, amount, kind_name
from equivmetrics._present.scorecard_card import ScorecardLike
from equivmetrics.exceptions import EquivMetricsError, NegativeValueError

from .report_checks import checked_scorecard, checked_trend, report_locale, span, total_of
from .report_periods import Grouping, label_of, relabel, roll_up
from .report_scorecard import section_html, section_text

__all__ = ["CHART_CID", "REPORT_SCHEMA", "ValueReport", "build_report"]

#: The Content-ID of the chart image in the e-mail (``<img src="cid:...">``).
CHART_CID = "equivmetrics-chart"
#: The schema name of :meth:`ValueReport.to_dict`.
REPORT_SCHEMA = "equivmetrics.report/1"
_INK, _MUTED, _ACCENT, _BORDER = "#17212b", "#4a5663", "#0f6b5c", "#dce2e8"
_FONT = "font-family:Arial,Helvetica,sans-serif;"
#: Nothing is fetched, nothing runs: in a browser, in Chromium printing the PDF.
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data: cid:; base-uri 'none'"


@attrs.frozen
class ValueReport:
    """One period's value report: the figures, worded equivalents and the trend chart."""

    title: str
    period: Period
    since: str
    input_total: float
    cumulative_input: float
    input_unit: str
    cumulative: Result
    feel_good: tuple[Equivalent, ...]
    action: tuple[Equivalent, ...]
    chart: Chart
    locale: str
    input_name: Name
    name: Name
    unit: str
    scorecard: ScorecardLike | None = None

    @property
    def total(self) -> Result:
        """The period's result (the reported kind)."""
        return self.period.result

    @property
    def lang(self) -> str:
        """The report's language tag: the locale's when the library has its words, else en."""
        return self.locale.replace("_", "-") if _has_words(self.locale) else "en"

    def _rows(self) -> list[tuple[Name, str, str]]:
        f, words = Formatter(self.locale), _words(self.locale)
        within = words.text("report.within", what="{what}", period=self.period.label)
        since = words.text("report.since", what="{what}", period=self.since)
        return [
            (self.input_name, within, _count(f, self.input_total)),
            (self.name, within, _value(f, self.total, self.unit)),
            (self.input_name, since, _count(f, self.cumulative_input)),
            (self.name, since, _value(f, self.cumulative, self.unit)),
        ]

    def figures(self) -> list[tuple[str, str]]:
        """The headline figures, (label, value) in words: kinds named by their labels in the
        report's language when their packs translate them, in English otherwise."""
        return [(frame.replace("{what}", n.text), value) for n, frame, value in self._rows()]

    def to_dict(self, *, compact: bool = False) -> dict[str, Any]:
        """JSON-ready, for a dashboard: ``equivmetrics.report/1`` (docs/reports.md).

        The figures as worded, the input totals, the period's and the cumulative result, the
        equivalents (``compact`` as :meth:`Result.to_dict`), the chart's title and text (the
        image is in :meth:`html`) and the scorecard's JSON, or null.
        """
        card = self.scorecard
        return {
            "schema": REPORT_SCHEMA,
            "title": self.title,
            "locale": self.locale,
            "language": self.lang,
            "period": {
                "label": self.period.label,
                "start": self.period.start.isoformat(),
                "end": self.period.end.isoformat(),
                "days": self.period.days,
            },
            "since": self.since,
            "figures": [{"label": label, "value": value} for label, value in self.figures()],
            "input": {
                "kind": self.total.source_kind,
                "unit": self.input_unit,
                "total": self.input_total,
                "cumulative": self.cumulative_input,
            },
            "total": self.total.to_dict(compact=compact),
            "cumulative": self.cumulative.to_dict(compact=compact),
            "feel_good": [e.to_dict(compact=compact) for e in self.feel_good],
            "action": [e.to_dict(compact=compact) for e in self.action],
            "chart": {
                "title": self.chart.title,
                "alt": self.chart.alt,
                "language": self.chart.language,
            },
            "scorecard": None if card is None else getattr(card, "to_dict")(),  # noqa: B009
        }

    def text(self) -> str:
        """The report as plain text (the e-mail's text alternative)."""
        words = _words(self.locale)
        lines = [self.title, "=" * len(self.title), ""]
        lines += [words.text("report.pair", label=label, value=v) for label, v in self.figures()]
        for key, items in (("report.worth", self.feel_good), ("report.actions", self.action)):
            if items:
                heading = words.text("report.list", heading=words.text(key))
                lines += ["", heading] + [f"  - {e.text}" for e in items]
        lines += ["", self.chart.alt]
        if self.scorecard is not None:
            lines += section_text(self.scorecard, self.locale)
        return "\n".join([*lines, ""])

    def html(self, *, chart_src: str | None = None) -> str:
        """The report as a complete HTML document for e-mail and print.

        Inline styles only, no scripts, no external resources. The chart is the PNG as a
        ``data:`` URL unless ``chart_src`` says otherwise (``"cid:" + CHART_CID`` in e-mail).
        A kind its pack does not translate, and the chart then, are in English, marked
        ``lang="en"`` in a report in another language.
        """
        en = _lang_attribute(self.chart.language, self.lang)
        rows = "".join(
            f'<tr><th scope="row" style="text-align:left;padding:6px 8px 6px 0;font-weight:normal;'
            f'color:{_MUTED};border-bottom:1px solid {_BORDER}">'
            + escape(frame).replace("{what}", _named(name, self.lang))
            + f'</th><td style="text-align:right;padding:6px 0;font-weight:bold;'
            f'border-bottom:1px solid {_BORDER}">{escape(value)}</td></tr>'
            for name, frame, value in self._rows()
        )
        words = _words(self.locale)
        parts = [
            f'<h1 style="margin:0 0 16px;font-size:22px;line-height:1.3;color:{_INK}">'
            f"{escape(self.title)}</h1>",
            f'<table style="width:100%;border-collapse:collapse;'
            f'font-size:15px;margin:0 0 16px">{rows}</table>',
            _list(words.text("report.worth"), self.feel_good),
            _list(words.text("report.actions"), self.action),
            f'<h2{en} style="margin:20px 0 8px;font-size:17px;color:{_INK}">'
            f"{escape(self.chart.title)}</h2>",
            _picture(self, en, chart_src),
        ]
        if self.scorecard is not None:
            parts.append(section_html(self.scorecard, self.locale, self.lang))
        body = "".join(parts)
        lang = escape(self.lang)
        return (
            f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(self.title)}</title></head>"
            f'<body style="margin:0;padding:0;background:#ffffff;color:{_INK};{_FONT}">'
            f'<main style="max-width:600px;margin:0 auto;padding:16px;{_FONT}'
            f'font-size:15px;line-height:1.45">{body}</main></body></html>'
        )


def _picture(report: ValueReport, en: str, chart_src: str | None) -> str:
    """The chart as an image, or (drawn without matplotlib) its values as a paragraph."""
    data = report.chart.data
    if not isinstance(data, bytes):
        return f'<p{en} style="margin:0 0 16px;color:{_MUTED}">{escape(report.chart.alt)}</p>'
    src = chart_src or "data:image/png;base64," + base64.b64encode(data).decode()
    return (
        f'<img{en} src="{escape(src)}" alt="{escape(report.chart.alt)}" width="560" '
        'style="display:block;width:100%;max-width:560px;height:auto;border:0">'
    )


def build_report(
    engine: Engine,
    values: Any,
    to: str,
    *,
    of: str | None = None,
    unit: str | None = None,
    period: str | None = None,
    by: Grouping | None = None,
    since: str | None = None,
    trend: int = 12,
    locale: str = "en",
    title: str | None = None,
    scorecard: ScorecardLike | None = None,
) -> ValueReport:
    """The value report of ``period`` (a label of ``values``; default the last period).

    ``values`` maps calendar periods to totals, as :meth:`Engine.series` takes them; with
    ``by="quarter"`` or ``"year"``, monthly totals are summed per quarter or year (to date),
    labelled ``2025-Q1``, ``2025``, ``2025-Q2 to date``. The total
    since ``since`` (a period label or date, default the first period) adds the periods from
    there to the reported one; the chart shows up to ``trend`` periods ending with it.
    ``scorecard`` (:meth:`Engine.scorecard` of the tenant's team numbers) adds a section on
    adoption and performance (docs/adoption.md).
    """
    locale, trend = report_locale(locale), checked_trend(trend)
    full, names = _labelled(engine.series, values, to, of, unit, by)
    start, end = span(full, period, since)
    chosen = full.periods[end].label
    kept = full.periods[start : end + 1]
    cumulative_input = total_of(kept)  # before it is converted: more than a float is refused
    reported = full.periods[end]
    # a capacity's periods read their totals per the period's days: "transaction per 28 day"
    same = unit or reported.result.input_unit.partition(" per ")[0]
    upto = engine.series(_pairs(kept), to, of=of, unit=same)
    window = _pairs(full.periods[max(0, end - trend + 1) : end + 1])
    shown = relabel(engine.series(window, to, of=of, unit=same), names)
    quantity = (float(reported.result.input_magnitude), same)
    kinds = engine.catalog.kinds
    name = kind_name(kinds[reported.result.kind], locale)
    return ValueReport(
        title=title or _words(locale).text("report.title", period=chosen),
        period=reported,
        since=kept[0].label,
        input_total=quantity[0],
        cumulative_input=cumulative_input,
        input_unit=quantity[1],
        cumulative=upto.cumulative,
        feel_good=_equivalents(engine.feel_good, quantity, of, locale),
        action=_equivalents(engine.action, quantity, of, locale),
        chart=_trend(shown, name.text, locale, name.language),
        locale=locale,
        input_name=kind_name(kinds[reported.result.source_kind], locale),
        name=name,
        unit=kinds[reported.result.kind].unit,
        scorecard=checked_scorecard(scorecard, reported, locale),
    )


def _trend(series: Any, label: str, locale: str, language: str) -> Chart:
    """The report's trend chart as a PNG; without matplotlib (the ``[charts]`` extra), its
    title and its values as text, shown in its place."""
    chart = functools.partial(
        render_chart, series, format="png", label=label, locale=locale, language=language
    )
    try:
        return chart()
    except ImportError:
        return chart(draw=False)


def _labelled(
    series: Any, values: Any, to: str, of: str | None, unit: str | None, by: Grouping | None
) -> tuple[Series, dict[dt.date, str]]:
    """The series of ``values`` (months rolled up ``by`` quarter or year), its periods
    labelled as the report names them, and those labels by start date."""
    if by is not None:
        values = roll_up(values.items() if isinstance(values, dict) else values, by)
    try:
        full = series(values, to, of=of, unit=unit)
    except NegativeValueError as exc:  # the series' advice (negative=) is no report option
        what = str(exc).split(";", 1)[0]  # "-5 transaction is negative and kind ... refuses"
        raise NegativeValueError(
            f"a period's total is negative: {what}; a value report adds up what was done in "
            "each period, so correct that total",
            kind=exc.kind,
            count=exc.count,
            first=exc.first,
        ) from None
    names = {p.start: label_of(p.start, p.end, p.label, by) for p in full.periods}
    return relabel(full, names), names


def _pairs(periods: Any) -> list[tuple[tuple[dt.date, dt.date], float]]:
    """The periods' totals again, to convert a part of a series."""
    return [((p.start, p.end), float(p.result.input_magnitude)) for p in periods]


def _equivalents(ask: Any, quantity: Any, of: str | None, locale: str) -> tuple[Equivalent, ...]:
    try:
        return tuple(ask(quantity, of=of, locale=locale))
    except EquivMetricsError:  # nothing to offer for this kind: the section is left out
        return ()


def _has_words(locale: str) -> bool:
    return catalog(language_of(locale)) is not None


def _words(locale: str) -> Messages:
    return catalog(language_of(locale)) or sentence_words("en")


def _count(f: Formatter, value: float) -> str:
    return f.number(value, max(1, len(str(round(abs(value))))))


def _value(f: Formatter, result: Result, unit: str) -> str:
    """The value: an amount in its currency, a number in the kind's own ``unit`` (its label
    names it), or the number with its unit when that differs (a capacity's staff-years)."""
    value = float(result.magnitude)
    # the whole units, and three significant digits at least, unless fewer say it exactly
    needed = len(f"{abs(value):.6e}".partition("e")[0].replace(".", "").rstrip("0")) or 1
    sig = max(len(str(round(abs(value)))), min(3, needed))
    if result.unit in CURRENCIES:
        return amount(value, sig, result.unit, f)
    if result.unit != unit:  # a capacity's total: staff-years, not staff
        return f"{f.number(value, sig)} {result.unit.replace('*', '·')}"
    return f.number(value, sig)


def _lang_attribute(language: str, page: str) -> str:
    """`` lang="en"`` when words are in another language than the page's, else nothing."""
    same = language_of(language) == language_of(page)
    return "" if same else f' lang="{escape(language)}"'


def _named(name: Name, page: str) -> str:
    attribute = _lang_attribute(name.language, page)
    return f"<span{attribute}>{escape(name.text)}</span>" if attribute else escape(name.text)


def _list(heading: str, items: tuple[Equivalent, ...]) -> str:
    if not items:
        return ""
    entries = "".join(
        f'<li lang="{escape(words_tag(e))}" style="margin:0 0 8px;padding:0">{escape(e.text)}</li>'
        for e in items
    )
    return (
        f'<h2 style="margin:20px 0 8px;font-size:17px;color:{_ACCENT}">{escape(heading)}</h2>'
        f'<ul style="margin:0;padding:0 0 0 20px">{entries}</ul>'
    )
