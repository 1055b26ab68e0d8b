"""What a value report checks before it is built: the periods it reports, its options, and that a
scorecard given with it speaks of the same period in the same language.

Every refusal is an :class:`~equivmetrics.InputError` that says what was wrong and what to give
instead; nothing is silently moved to another period or worded in another language.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from equivmetrics._features.series import Series, parse_period
from equivmetrics._present.messages import catalog, language_of
from equivmetrics._present.scorecard_card import ScorecardLike
from equivmetrics.exceptions import InputTypeError, InputValueError

__all__ = ["checked_scorecard", "checked_trend", "report_locale", "span", "total_of"]

_TO_DATE = " to date"


def report_locale(locale: Any) -> str:
    """The report's locale: ``locale`` when the library has words for its language, else
    ``"en"`` — an English report is English throughout, numbers included (``12,000``, never
    ``12.000`` under English words)."""
    if not isinstance(locale, str) or not locale:
        raise InputTypeError(f"locale= must be text such as 'de', got {locale!r}", value=locale)
    return locale if catalog(language_of(locale)) is not None else "en"


def checked_trend(trend: Any) -> int:
    if isinstance(trend, bool) or not isinstance(trend, int) or trend < 1:
        raise InputValueError(
            f"trend= is how many periods the chart shows, a whole number of at least 1, "
            f"not {trend!r}",
            value=trend,
        )
    return trend


def span(full: Series, period: str | None, since: str | None) -> tuple[int, int]:
    """The indexes of the first period of the cumulative total and of the reported one."""
    labels = [p.label for p in full.periods]
    chosen = labels[-1] if period is None else period
    if chosen not in labels and f"{chosen}{_TO_DATE}" in labels:
        chosen = f"{chosen}{_TO_DATE}"  # "2025-Q2" names the quarter so far
    if chosen not in labels:
        raise InputValueError(
            f"period {chosen!r} is not one of the report's periods: {', '.join(labels)}",
            value=period,
        )
    end = labels.index(chosen)
    start = _start(full, since)
    if start > end:
        raise InputValueError(f"since {since!r} is after the period {chosen!r}", value=since)
    return start, end


def _start(full: Series, since: str | None) -> int:
    if since is None:
        return 0
    labels = [p.label for p in full.periods]
    if since in labels:
        return labels.index(since)
    _, first, _ = parse_period(since)
    for index, p in enumerate(full.periods):
        if p.start == first or (p.start > first and index == 0):
            return index
        if p.start < first < p.end:
            raise InputValueError(
                f"since {since!r} falls inside the period {p.label} ({p.start} to "
                f"{p.end - dt.timedelta(days=1)}): the total since a date starts with a whole "
                f"period; give since={p.label!r}, or the first day of a period",
                value=since,
            )
        if p.start > first:
            return index
    return len(full.periods)


def total_of(periods: Any) -> float:
    """The periods' input totals added up, refused when more than a float can hold."""
    try:
        total = math.fsum(float(p.result.input_magnitude) for p in periods)
    except OverflowError:
        total = math.inf
    if not math.isfinite(total):
        raise InputValueError(
            "the totals add up to more than a number can hold (over 1.8e308); check the "
            "totals' unit or scale (thousands, millions) and give them in a larger unit",
            value=total,
        )
    return total


def checked_scorecard(card: Any, reported: Any, locale: str) -> ScorecardLike | None:
    """``card`` when it is a scorecard of a period within the reported one, worded in the
    report's language; otherwise an error saying how to build the right one."""
    if card is None:
        return None
    if not all(hasattr(card, n) for n in ("scores", "weak_links", "at_stake", "period")):
        raise InputTypeError(
            f"scorecard= must be a Scorecard (Engine.scorecard), got {type(card).__name__}",
            value=card,
        )
    _, start, end = parse_period(card.period)
    if not (reported.start <= start and end <= reported.end):
        raise InputValueError(
            f"the scorecard is of {card.period}, outside the reported period {reported.label} "
            f"({reported.start} to {reported.end - dt.timedelta(days=1)}): build it with "
            "Engine.scorecard(..., period=...) for a period within the report's",
            value=card.period,
        )
    words = language_of(report_locale(getattr(card, "locale", "en") or "en"))
    if words != language_of(locale):
        raise InputValueError(
            f"the scorecard is worded in {words!r} and the report in {language_of(locale)!r}: "
            f"build it with Engine.scorecard(..., locale={locale!r}) so the report speaks one "
            "language",
            value=words,
        )
    return card  # type: ignore[no-any-return]
