"""The HTTP service's documents: a tenant's value report and adoption scorecard.

``POST /v1/report`` builds :func:`.report.build_report` from ``values`` (a total per period) and
answers its JSON (``equivmetrics.report/1``), its e-mail-ready HTML, its plain text or its PDF;
``POST /v1/scorecard`` builds :meth:`Engine.scorecard` from the teams' numbers and answers its
JSON (``equivmetrics.scorecard/1``), its HTML card or its worked text. A report may carry a
``scorecard`` object (the same fields) to add the scorecard's section. Every field is checked
here, with the field named in a 400 answer; the work is bounded (periods, trend, teams).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from equivmetrics._api.engine import Engine
from equivmetrics._features.scorecard import Scorecard
from equivmetrics._features.scorecard_input import REFERENCES, rows_to_data
from equivmetrics._present.scorecard_card import scorecard_page

from .report import ValueReport, build_report
from .report_send import report_pdf
from .stream import RequestError, json_type

__all__ = [
    "MAX_PERIODS",
    "REPORT_FIELDS",
    "SCORECARD_FIELDS",
    "Document",
    "report_document",
    "scorecard_document",
]

#: The most periods a report's values or a scorecard's numbers may hold, and the longest trend.
MAX_PERIODS = 240
MAX_TREND = 120
FORMATS = {"json": "application/json", "html": "text/html", "text": "text/plain"}
_REPORT_FORMATS = (*FORMATS, "pdf")

#: The fields of a scorecard request (also of a report's ``scorecard`` object).
SCORECARD_FIELDS = frozenset(
    {"data", "rows", "period", "teams", "indicators", "reference", "tolerance", "signed",
     "locale", "format"}
)  # fmt: skip
#: The fields of a report request.
REPORT_FIELDS = frozenset(
    {"values", "unit", "to", "of", "period", "at", "since", "trend", "title", "locale",
     "format", "compact", "scorecard"}
)  # fmt: skip


@attrs.frozen
class Document:
    """An answer: JSON data, or text or bytes with their media type."""

    body: dict[str, Any] | str | bytes
    media: str = "application/json"


def report_document(engine: Engine, data: Mapping[str, Any], locale: str) -> Document:
    """The value report a ``/v1/report`` request asks for, in its ``format``."""
    _known(data, REPORT_FIELDS)
    fmt = _choice(data, "format", _REPORT_FORMATS, "json")
    locale = _text(data, "locale") or locale
    nested = data.get("scorecard")
    if nested is not None and not isinstance(nested, dict):
        raise RequestError(
            f"field 'scorecard' must be an object, not {json_type(nested)}", field="scorecard"
        )
    values = _values(data.get("values"))
    if _text(data, "unit") is None and any(not isinstance(t, str) for _, t in values):
        raise RequestError(
            'field \'unit\' is needed when totals are numbers, e.g. "unit": "transaction"',
            field="unit",
        )
    report = build_report(
        engine,
        values,
        _text(data, "to") or "manual_work",
        of=_text(data, "of"),
        unit=_text(data, "unit"),
        period=_text(data, "at"),
        by=_by(data),
        since=_text(data, "since"),
        trend=_whole(data, "trend", 12, MAX_TREND),
        locale=locale,
        title=_text(data, "title"),
        scorecard=None if nested is None else _scorecard(engine, nested, locale, "scorecard."),
    )
    return _report_answer(report, fmt, _flag(data, "compact"))


def scorecard_document(engine: Engine, data: Mapping[str, Any], locale: str) -> Document:
    """The scorecard a ``/v1/scorecard`` request asks for, in its ``format``."""
    fmt = _choice(data, "format", tuple(FORMATS), "json")
    locale = _text(data, "locale") or locale
    card = _scorecard(engine, data, locale, "")
    if fmt == "html":
        return Document(scorecard_page(card, locale=locale), FORMATS["html"])
    if fmt == "text":
        return Document(card.explain() + "\n", FORMATS["text"])
    return Document(card.to_dict())


def _report_answer(report: ValueReport, fmt: str, compact: bool) -> Document:
    if fmt == "html":
        return Document(report.html(), FORMATS["html"])
    if fmt == "text":
        return Document(report.text(), FORMATS["text"])
    if fmt == "pdf":
        return Document(report_pdf(report), "application/pdf")
    return Document(report.to_dict(compact=compact))


def _scorecard(engine: Engine, data: Mapping[str, Any], locale: str, where: str) -> Scorecard:
    _known(data, SCORECARD_FIELDS, where)
    numbers = _numbers(data, where)
    names = _names(data, "indicators", where)
    available = engine.indicators
    if names is not None:
        unknown = [name for name in names if name not in available]
        if unknown:
            raise RequestError(
                f"no indicator {unknown[0]!r} in the tenant's packs; they declare "
                f"{', '.join(available) or 'none'}",
                field=f"{where}indicators",
            )
    reference = _choice(data, "reference", REFERENCES, "median", where)
    tolerance = data.get("tolerance", 0.10)
    if isinstance(tolerance, bool) or not isinstance(tolerance, int | float):
        raise RequestError(
            f"field 'tolerance' must be a number, not {json_type(tolerance)}",
            field=f"{where}tolerance",
        )
    return engine.scorecard(
        numbers,
        indicators=None if names is None else [available[name] for name in names],
        period=_text(data, "period", where),
        teams=_names(data, "teams", where),
        reference=reference,
        tolerance=float(tolerance),
        signed=_flag(data, "signed", where),
        locale=locale,
    )


def _numbers(data: Mapping[str, Any], where: str) -> Any:
    """``data`` (period → team → numbers) or ``rows`` (objects with period and team)."""
    nested, rows = data.get("data"), data.get("rows")
    if (nested is None) == (rows is None):
        raise RequestError(
            "give the teams' numbers as 'data' ({period: {team: {number: value}}}) or as "
            "'rows' ([{period, team, ...}]), one of them",
            field=f"{where}data",
        )
    if rows is not None:
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise RequestError("field 'rows' must be an array of objects", field=f"{where}rows")
        return rows_to_data(rows)
    if not isinstance(nested, dict):
        raise RequestError(
            f"field 'data' must be an object, not {json_type(nested)}", field=f"{where}data"
        )
    if len(nested) > MAX_PERIODS:
        raise RequestError(f"at most {MAX_PERIODS} periods", field=f"{where}data")
    return nested


def _values(values: Any) -> list[tuple[str, Any]]:
    """A report's totals: ``{"2025-01": 12000}`` or ``[["2025-01", 12000], ...]``."""
    if isinstance(values, dict):
        pairs = list(values.items())
    elif isinstance(values, list) and all(isinstance(p, list) and len(p) == 2 for p in values):
        pairs = [(p[0], p[1]) for p in values]
    else:
        raise RequestError(
            "field 'values' must map periods to totals: {\"2025-01\": 12000, ...} or "
            '[["2025-01", 12000], ...]',
            field="values",
        )
    if not pairs or len(pairs) > MAX_PERIODS:
        raise RequestError(f"give 1 to {MAX_PERIODS} periods", field="values")
    for period, total in pairs:
        if (
            not isinstance(period, str)
            or isinstance(total, bool)
            or not isinstance(total, int | float | str)
        ):
            raise RequestError(
                f"values: period {str(period)[:40]!r}: {json_type(total)}; give a period (text) "
                'and its total, a number or a quantity ("12000 transaction")',
                field="values",
            )
    return pairs


def _by(data: Mapping[str, Any]) -> Any:
    period = _choice(data, "period", ("month", "quarter", "year"), "month")
    return None if period == "month" else period


def _known(data: Mapping[str, Any], fields: frozenset[str], where: str = "") -> None:
    unknown = sorted(set(data) - fields - {"id"})
    if unknown:
        raise RequestError(
            f"unknown field {unknown[0]!r}; the fields are {', '.join(sorted(fields))}",
            field=f"{where}{unknown[0]}",
        )


def _text(data: Mapping[str, Any], name: str, where: str = "") -> str | None:
    value = data.get(name)
    if value is not None and not isinstance(value, str):
        raise RequestError(
            f"field {name!r} must be text, not {json_type(value)}", field=f"{where}{name}"
        )
    return value


def _names(data: Mapping[str, Any], name: str, where: str) -> list[str] | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RequestError(f"field {name!r} must be an array of text", field=f"{where}{name}")
    return value


def _flag(data: Mapping[str, Any], name: str, where: str = "") -> bool:
    value = data.get(name)
    if value is not None and not isinstance(value, bool):
        raise RequestError(
            f"field {name!r} must be true or false, not {json_type(value)}",
            field=f"{where}{name}",
        )
    return bool(value)


def _whole(data: Mapping[str, Any], name: str, default: int, most: int) -> int:
    value = data.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= most:
        raise RequestError(f"field {name!r} must be a whole number from 1 to {most}", field=name)
    return value


def _choice(
    data: Mapping[str, Any], name: str, allowed: tuple[str, ...], default: str, where: str = ""
) -> str:
    value = data.get(name)
    if value is None:
        return default
    if value not in allowed:
        raise RequestError(
            f"field {name!r} must be one of {', '.join(allowed)}, not {value!r}",
            field=f"{where}{name}",
        )
    return str(value)
