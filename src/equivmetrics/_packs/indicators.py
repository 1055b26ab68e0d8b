"""Indicators in packs: the ``indicators:`` section, and the rules an indicator's fields obey.

An indicator (docs/adoption.md) is an adoption or performance measure computed from a host's
numbers: ``ratio`` and ``rate`` divide a ``numerator`` by a ``denominator``, a ``count`` takes
the ``numerator`` as it is. :func:`shape_problems` holds the rules that tie the fields together;
:class:`~equivmetrics.Indicator` in Python follows the same ones. Kinds are checked against the
loaded packs by the catalog.
"""

from __future__ import annotations

import math
import re
from typing import Any

from equivmetrics.exceptions import Location

from .fields import FieldReader, describe
from .model import IndicatorSpec
from .yaml import LocatedDict

__all__ = [
    "BETTER",
    "FAMILIES",
    "LOCALE_TAG",
    "MEASURES",
    "read_indicator",
    "read_labels",
    "shape_problems",
]

FAMILIES = ("adoption", "performance")
MEASURES = ("ratio", "rate", "count")
BETTER = ("higher", "lower")
#: A locale key of ``labels:``: ``de``, ``de_CH``, ``pt-BR``.
LOCALE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


def shape_problems(
    *,
    family: str,
    measure: str,
    denominator: str | None,
    target: float | None,
    kind: str | None,
    unit: str | None,
    show: tuple[str, ...],
    driven_by: str | None,
) -> list[tuple[str, str]]:
    """``(field, problem)`` for every rule the fields break together (empty when they fit)."""
    problems = []
    if measure == "count" and denominator is not None:
        problems.append(("denominator", "a 'count' has no denominator (use 'ratio' or 'rate')"))
    if measure != "count" and denominator is None:
        problems.append(("denominator", f"a {measure!r} needs a denominator to divide by"))
    if measure == "ratio" and target is not None and target > 1:
        problems.append(("target", f"a ratio's target is a share from 0 to 1, not {target!r}"))
    if kind is not None:
        if family != "performance" or measure != "count":
            problems.append(("kind", "only a performance 'count' converts from a kind"))
        if not unit:
            problems.append(("unit", f"kind {kind!r} needs the value's unit (such as 'hour')"))
    elif unit is not None or show:
        problems.append(("kind", "unit and show need the kind the value converts from"))
    if driven_by is not None and family != "performance":
        problems.append(("driven_by", "only a performance indicator is driven by adoption"))
    return problems


def _choice(reader: FieldReader, data: LocatedDict, key: str, field: str, allowed: Any) -> str:
    value = reader.text(data, key, field, required=key != "better", default=allowed[0])
    if value not in allowed:
        reader.problem(
            reader.where(data, key),
            f"{field}.{key}",
            f"unknown {key} {value!r}",
            f"one of {', '.join(allowed)}",
        )
        return str(allowed[0])
    return value


def _target(reader: FieldReader, data: LocatedDict, field: str) -> float | None:
    value = data.get("target")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        reader.problem(
            reader.where(data, "target"),
            f"{field}.target",
            f"expected a number, got {describe(value)}",
            "a share for a ratio (0.8 for 80 %), else the value to reach",
        )
        return None
    if value < 0:
        reader.problem(reader.where(data, "target"), f"{field}.target", "must not be negative")
        return None
    return float(value)


def _optional_name(reader: FieldReader, data: LocatedDict, key: str, field: str) -> str | None:
    text = reader.text(data, key, field)
    if not text:
        return None
    return reader.name(text, reader.where(data, key), f"{field}.{key}")


def read_labels(reader: FieldReader, data: LocatedDict, field: str) -> tuple[tuple[str, str], ...]:
    """``labels:``: the title per locale (``{de: Aktive Nutzer, fr: Utilisateurs actifs}``)."""
    if data.get("labels") is None:
        return ()
    table = reader.mapping(data["labels"], reader.where(data, "labels"), f"{field}.labels")
    labels = []
    for locale, value in (table or {}).items():
        where = reader.where(table, locale)
        if not isinstance(locale, str) or not LOCALE_TAG.match(locale):
            reader.problem(
                where,
                f"{field}.labels",
                f"{locale!r} is not a locale",
                "a language code, maybe with a region: de, fr, es, de_CH",
            )
            continue
        label = reader.text(table, locale, f"{field}.labels")  # type: ignore[arg-type]
        if label.strip():
            labels.append((locale, label))
        elif value is None or isinstance(value, str):
            reader.problem(where, f"{field}.labels.{locale}", "expected the title in that language")
    return tuple(labels)


def read_indicator(
    reader: FieldReader, entry: Any, where: Location, field: str, keys: tuple[str, ...]
) -> IndicatorSpec | None:
    """One entry of ``indicators:``; problems go to ``reader`` with their places."""
    data = reader.mapping(entry, where, field)
    if data is None:
        return None
    reader.check_keys(data, keys, field)
    name = _optional_name(reader, data, "name", field)
    if "name" not in data:
        reader.problem(where, f"{field}.name", "missing required field")
    numerator = _optional_name(reader, data, "numerator", field)
    if "numerator" not in data:
        reader.problem(where, f"{field}.numerator", "missing required field")
    fields: dict[str, Any] = {
        "family": _choice(reader, data, "family", field, FAMILIES),
        "measure": _choice(reader, data, "measure", field, MEASURES),
        "denominator": _optional_name(reader, data, "denominator", field),
        "target": _target(reader, data, field),
        "kind": _optional_name(reader, data, "kind", field),
        "unit": reader.text(data, "unit", field) or None,
        "show": reader.names_list(data, "show", field),
        "driven_by": _optional_name(reader, data, "driven_by", field),
    }
    for key, problem in shape_problems(**fields):
        reader.problem(reader.where(data, key), f"{field}.{key}", problem)
    if not (name and numerator):
        return None
    return IndicatorSpec(
        name=name,
        title=reader.text(data, "title", field, default=name.replace("_", " ")),
        numerator=numerator,
        better=_choice(reader, data, "better", field, BETTER),  # type: ignore[arg-type]
        labels=read_labels(reader, data, field),
        location=where,
        pack=reader.pack_name,
        **fields,
    )
