"""A series over its periods as a chart: SVG for HTML and e-mail, PNG for PDF (matplotlib).

:func:`render_chart` draws per-period values as hatched bars with their range as error bars, or
the running cumulative total as a line with markers and its range as a dashed band, so the
chart reads in black and white. It returns a :class:`Chart`: the image (SVG text or PNG bytes)
with its title and a text alternative (``alt``) that says every value. The SVG carries the
title and that text as ``<title>`` and ``<desc>``, and ``role="img"``.

matplotlib is the optional ``[charts]`` extra, imported only here, when a chart is drawn. The
figure is drawn on its own Agg canvas, never through pyplot, inside ``matplotlib.rc_context``:
the host's backend, figures and rcParams are left as they were.

Presentation never imports features: :func:`render_chart` takes anything shaped like a
:class:`~equivmetrics.Series` (the :class:`SeriesLike` protocol).
"""

from __future__ import annotations

import hashlib
import io
import math
import re
from collections.abc import Sequence
from html import escape
from typing import Any, Literal, Protocol, cast

import attrs

from equivmetrics._core.quantity import is_number, unfit
from equivmetrics.exceptions import InputTypeError, InputValueError

from .formatter import Formatter, default_sig
from .messages import Messages, catalog, language_of

__all__ = ["Chart", "SeriesLike", "render_chart", "running"]

ChartFormat = Literal["svg", "png"]
_FORMATS = ("svg", "png")
_SIG = 3
_INK = "#17212b"
_FILL = "#9ccfc3"
#: Only these settings change, and only while the chart is drawn.
_STYLE: dict[str, Any] = {
    "svg.hashsalt": "equivmetrics",
    "svg.fonttype": "path",
    "font.size": 10.0,
    "axes.edgecolor": _INK,
    "axes.labelcolor": _INK,
    "xtick.color": _INK,
    "ytick.color": _INK,
    "hatch.color": _INK,
    "hatch.linewidth": 0.8,
}


class ResultValues(Protocol):
    """The figures of a result a chart reads (its value, range, unit and input)."""

    @property
    def magnitude(self) -> Any: ...

    @property
    def low(self) -> Any: ...

    @property
    def high(self) -> Any: ...

    @property
    def unit(self) -> str: ...

    @property
    def input_magnitude(self) -> Any: ...


class _PeriodLike(Protocol):
    @property
    def label(self) -> str: ...

    @property
    def result(self) -> ResultValues: ...


class SeriesLike(Protocol):
    """What a chart needs of a series (:class:`equivmetrics.Series` has all of it)."""

    @property
    def kind(self) -> str: ...

    @property
    def periods(self) -> tuple[_PeriodLike, ...]: ...

    @property
    def cumulative(self) -> ResultValues: ...


@attrs.frozen
class Chart:
    """A drawn chart: ``data`` (SVG text or PNG bytes), its ``title`` and text alternative,
    and the ``language`` (a BCP 47 tag) its words are in.

    Put ``alt`` in the ``alt`` attribute of an ``<img>`` showing the PNG, or next to the chart;
    the SVG already holds it as its ``<desc>``. In a notebook the chart shows itself.
    """

    #: None for a chart asked for with ``draw=False`` (its words only).
    data: str | bytes | None
    format: ChartFormat
    title: str
    alt: str
    language: str = "en"

    def _repr_svg_(self) -> str | None:
        return self.data if isinstance(self.data, str) else None

    def _repr_png_(self) -> bytes | None:
        return self.data if isinstance(self.data, bytes) else None


@attrs.frozen
class _Points:
    labels: tuple[str, ...]
    values: tuple[float, ...]
    lows: tuple[float, ...]
    highs: tuple[float, ...]
    unit: str


def render_chart(
    series: SeriesLike,
    *,
    cumulative: bool = False,
    format: ChartFormat = "svg",
    title: str | None = None,
    label: str | None = None,
    locale: str = "en",
    language: str | None = None,
    width: float = 6.4,
    height: float = 3.6,
    draw: bool = True,
) -> Chart:
    """Chart ``series``: its value per period, or (``cumulative=True``) its running total.

    ``format`` is ``"svg"`` (text, for HTML and e-mail) or ``"png"`` (bytes, 200 dpi, for
    PDF). ``label`` names the values and their unit ("Hours of manual work"; default the
    kind's name, with the unit shown) and ``title`` defaults to it and what is shown ("... per
    period"). Numbers on the axis and in
    the text alternative follow ``locale`` (other than English needs the ``[locale]`` extra);
    the chart's own words are in ``language`` (default the locale's language when the library
    has words for it, else English): give ``label`` in the same language. ``width`` and
    ``height`` are in inches, from 2 to 100. Needs the ``[charts]`` extra (matplotlib), unless
    ``draw=False``: then the chart has its title and text alternative only (``data`` None).
    """
    if format not in _FORMATS:
        raise InputValueError(f"format= must be 'svg' or 'png', got {format!r}", value=format)
    for name, given in (("title", title), ("label", label), ("language", language)):
        if not isinstance(given, str | None):
            raise InputTypeError(f"{name}= must be text, got {type(given).__name__}", value=given)
    for label_name, inches in (("width", width), ("height", height)):
        if not is_number(inches) or not 2 <= inches <= 100:
            raise unfit(inches, float, int)(
                f"{label_name}= is in inches, from 2 to 100, got {inches!r:.40}", value=inches
            )
    points = _points(series, cumulative)
    formatter = Formatter(locale)
    words = _words(locale if language is None else language)
    name = label if label is not None else series.kind.replace("_", " ")
    key = "chart.cumulative" if cumulative else "chart.per_period"
    heading = title if title is not None else words.text(key, what=name)
    alt = _alt(heading, points, formatter, words, labelled=label is not None)
    y = label if label is not None else words.text("chart.values", what=name, unit=points.unit)
    texts = _Texts(heading, words.text("chart.axis"), y)
    data = _draw(points, cumulative, texts, formatter, format, (width, height)) if draw else None
    if isinstance(data, str):
        data = _accessible_svg(data, heading, alt)
    return Chart(data=data, format=format, title=heading, alt=alt, language=words.language)


@attrs.frozen
class _Texts:
    title: str
    x: str
    y: str


def _words(language: str) -> Messages:
    """The chart's words: the library's catalog of ``language``, else English."""
    found = catalog(language_of(language)) if isinstance(language, str) else None
    english = catalog("en")
    assert english is not None
    return found or english


def _points(series: SeriesLike, cumulative: bool) -> _Points:
    periods = tuple(series.periods)
    if not periods:
        raise InputValueError("a chart needs a series with at least one period", value=series)
    labels = tuple(str(p.label) for p in periods)
    if not cumulative:
        results = [p.result for p in periods]
        return _Points(
            labels,
            tuple(float(r.magnitude) for r in results),
            tuple(float(r.low) for r in results),
            tuple(float(r.high) for r in results),
            results[0].unit,
        )
    totals, unit = running(series)
    return _Points(
        labels,
        tuple(t[0] for t in totals),
        tuple(t[1] for t in totals),
        tuple(t[2] for t in totals),
        unit,
    )


def running(series: SeriesLike) -> tuple[list[tuple[float, float, float]], str]:
    """The running total after each period (value, low, high) and its unit.

    A conversion is one multiplication: the running total's share of the inputs is its share
    of the cumulative result and of its range.
    """
    total = series.cumulative
    inputs = float(total.input_magnitude)
    value, low, high = float(total.magnitude), float(total.low), float(total.high)
    so_far, totals = 0.0, []
    for p in series.periods:
        so_far += float(p.result.input_magnitude)
        share = so_far / inputs if inputs else 0.0
        totals.append((value * share, low * share, high * share))
    return totals, total.unit


def _number(formatter: Formatter, value: float, low: float, high: float, words: Messages) -> str:
    if not math.isfinite(value):
        return words.text("chart.no_value")
    return formatter.number(value, max(_SIG, default_sig(value, low, high)))


def _alt(
    heading: str, points: _Points, formatter: Formatter, words: Messages, *, labelled: bool
) -> str:
    """Every value in words: the chart's text alternative."""
    parts = []
    for label, value, low, high in zip(
        points.labels, points.values, points.lows, points.highs, strict=True
    ):
        text = f"{label}: {_number(formatter, value, low, high, words)}"
        if low != high and math.isfinite(low) and math.isfinite(high):
            ends = (_number(formatter, end, low, high, words) for end in (low, high))
            text += " " + words.text("chart.range", **dict(zip(("low", "high"), ends, strict=True)))
        parts.append(text)
    count = len(points.labels)
    head = words.plural(
        "chart.alt_labelled" if labelled else "chart.alt",
        formatter.plural(count, None),
        title=heading,
        unit=points.unit,
        count=formatter.number(count, len(str(count))),
    )
    return f"{head} " + "; ".join(parts) + "."


def _draw(
    points: _Points,
    cumulative: bool,
    texts: _Texts,
    formatter: Formatter,
    format: ChartFormat,
    size: tuple[float, float],
) -> str | bytes:
    import matplotlib as mpl  # noqa: PLC0415 - matplotlib is the optional [charts] extra
    from matplotlib.backends.backend_agg import (  # noqa: PLC0415 - the optional [charts] extra
        FigureCanvasAgg,
    )
    from matplotlib.figure import Figure  # noqa: PLC0415 - the optional [charts] extra
    from matplotlib.ticker import FuncFormatter  # noqa: PLC0415 - the optional [charts] extra

    with mpl.rc_context(cast(Any, _STYLE)):  # the keys are matplotlib's own rc names
        figure = Figure(figsize=size, layout="constrained")
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        _plot(axes, points, cumulative)
        axes.set_title(texts.title, loc="left", fontweight="bold", parse_math=False)
        axes.set_xlabel(texts.x, parse_math=False)
        axes.set_ylabel(texts.y, parse_math=False)
        axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _tick(formatter, v)))
        axes.spines[["top", "right"]].set_visible(False)
        axes.grid(axis="y", linestyle=":", linewidth=0.6, color="#8a949e")
        axes.set_axisbelow(True)
        if len(points.labels) > 6 or max(map(len, points.labels)) > 8:
            axes.tick_params(axis="x", labelrotation=45)
            for text in axes.get_xticklabels():
                text.set_horizontalalignment("right")
        out = io.BytesIO()
        metadata = {"Date": None} if format == "svg" else {"Software": None}
        figure.savefig(out, format=format, dpi=200, metadata=metadata)
    data = out.getvalue()
    return data.decode("utf-8") if format == "svg" else data


def _plot(axes: Any, points: _Points, cumulative: bool) -> None:
    """Bars (hatched, outlined) per period; a line with markers and a band for a total."""
    where = list(range(len(points.labels)))
    values = list(points.values)
    below = [max(0.0, v - lo) if math.isfinite(v - lo) else 0.0 for v, lo in _pairs(points, 0)]
    above = [max(0.0, hi - v) if math.isfinite(hi - v) else 0.0 for v, hi in _pairs(points, 1)]
    if cumulative:
        axes.fill_between(
            where, points.lows, points.highs, facecolor="none", edgecolor=_INK, hatch=".",
            linewidth=0.6, linestyle="--", label="range",
        )  # fmt: skip
        axes.plot(where, values, color=_INK, marker="o", markersize=5, linewidth=1.8, label="total")
    else:
        axes.bar(where, values, color=_FILL, edgecolor=_INK, hatch="//", linewidth=1.0)
        axes.errorbar(
            where, values, yerr=[below, above], fmt="none", ecolor=_INK, capsize=4, linewidth=1
        )
    axes.set_xticks(where, list(points.labels))
    axes.set_ylim(bottom=min([0.0, *(v for v in points.lows if math.isfinite(v))]))


def _pairs(points: _Points, which: int) -> Sequence[tuple[float, float]]:
    ends = points.lows if which == 0 else points.highs
    return list(zip(points.values, ends, strict=True))


def _tick(formatter: Formatter, value: float) -> str:
    """A tick's number with the digits it has (``0.5``, ``1,500``), the locale's separators."""
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else ""
    mantissa = f"{abs(value):.6e}".partition("e")[0].replace(".", "").rstrip("0")
    return formatter.number(value, max(1, len(mantissa)))


_SVG_OPEN = re.compile(r"<svg\b[^>]*>")


def _accessible_svg(svg: str, title: str, alt: str) -> str:
    """The SVG without its XML prolog, with ``role="img"``, a ``<title>`` and a ``<desc>``,
    shrinking to fit a narrow page."""
    opening = _SVG_OPEN.search(svg)
    if opening is None:  # pragma: no cover - matplotlib always writes one
        raise InputValueError("matplotlib wrote no <svg> element", value=None)
    tag = opening.group()
    digest = hashlib.blake2s(f"{title}\x00{alt}".encode("utf-8", "surrogatepass"), digest_size=5)
    ident = f"em-chart-{digest.hexdigest()}"
    labelled = (
        tag[:-1] + f' role="img" aria-labelledby="{ident}-title {ident}-desc"'
        ' focusable="false" style="max-width:100%;height:auto">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(alt)}</desc>'
    )
    return labelled + svg[opening.end() :]
