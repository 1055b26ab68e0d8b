"""The packs' indicators checked together: unique names, known kinds, units that fit, drivers.

A performance indicator's ``kind`` and ``show`` must be kinds of the loaded packs, its ``unit``
one its kind accepts, and its ``driven_by`` an adoption indicator of the packs. Problems carry
the indicator's ``file:line`` like every other pack field.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping

from equivmetrics._core.units import UnitScope
from equivmetrics._packs.model import IndicatorSpec
from equivmetrics.exceptions import EquivMetricsError, Location

from .catalog import Kind

__all__ = ["check_indicators"]

Report = Callable[[Location, str, str, str], None]


def check_indicators(
    specs: Iterable[IndicatorSpec],
    kinds: Mapping[str, Kind],
    units: UnitScope,
    problem: Report,
) -> dict[str, IndicatorSpec]:
    """The indicators by name; every problem reported through ``problem``."""
    found: dict[str, IndicatorSpec] = {}
    for spec in specs:
        field = f"indicators.{spec.name}"
        if spec.name in found:
            where = found[spec.name].location
            problem(
                spec.location,
                field,
                f"indicator {spec.name!r} is already defined at {where}",
                "rename one of them",
            )
            continue
        for name in (spec.kind, *spec.show) if spec.kind else ():
            if name not in kinds:
                close = difflib.get_close_matches(name, list(kinds), n=1)
                hint = (
                    f"did you mean {close[0]!r}?" if close else "`equivmetrics packs` lists kinds"
                )
                problem(spec.location, f"{field}.kind", f"unknown kind {name!r}", hint)
        kind = kinds.get(spec.kind) if spec.kind else None
        if kind is not None and spec.unit:
            why = _unit_problem(kind, spec.unit, units)
            if why:
                problem(spec.location, f"{field}.unit", why, "")
        found[spec.name] = spec
    adoption = {name for name, spec in found.items() if spec.family == "adoption"}
    for spec in found.values():
        if spec.driven_by is not None and spec.driven_by not in adoption:
            problem(
                spec.location,
                f"indicators.{spec.name}.driven_by",
                f"{spec.driven_by!r} is not an adoption indicator of the loaded packs",
                f"adoption indicators: {', '.join(sorted(adoption)) or 'none'}",
            )
    return found


def _unit_problem(kind: Kind, text: str, units: UnitScope) -> str:
    """Why ``kind`` cannot take a total in ``text`` ("" when it can)."""
    why = kind.refusal(text, units)
    if why is not None:
        return f"{kind.name} does not accept {text!r}: {why}"
    try:
        dimension = units.quantity(1.0, text).dimensionality
    except EquivMetricsError as exc:
        return f"cannot read the unit {text!r}: {exc}"
    if dimension != kind.dimension:
        return f"{text!r} is not a unit of {kind.name} (a total of it, such as {kind.unit!r})"
    return ""
