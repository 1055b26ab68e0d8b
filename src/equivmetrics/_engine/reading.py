"""Reading an input's kind from its unit, and the units a kind refuses.

The input's kind is the one kind measured in its unit, or the kind that claims the unit as its
default input (``input_units``); otherwise the caller says it with ``of=``. A unit a pack
declares ambiguous (``ambiguous_units``: joules are food, fuel or electricity) always needs
``of=``, even when one loaded kind fits. A unit several loaded kinds fit but none reads, while
a kind of a pack not loaded for the region does (``therm`` in Germany: natural gas is a kind of
the U.S. and UK packs), is not offered as one of them: the error says no kind loaded for the
region measures it. A unit a kind refuses (``refuse_units``: the 31.5-gallon
``barrel`` for oil) is refused as its input and as its result unit alike.
"""

from __future__ import annotations

from equivmetrics._catalog.catalog import Catalog, Kind
from equivmetrics._core.money import generic, is_money
from equivmetrics._core.units import CURRENCIES, PintUnit, UnitScope
from equivmetrics._packs.model import AmbiguousUnit
from equivmetrics.exceptions import AmbiguousKindError, UnitError

__all__ = ["infer", "is_rate_of", "refuse"]


def infer(catalog: Catalog, unit: PintUnit, text: str, target: str = "") -> Kind:
    """The kind an input in ``unit`` (written ``text``) is read as, without ``of=``.

    When no kind decides it, the error suggests only kinds that accept the unit, most likely
    first (see :func:`_ranked`); ``target``, the kind converted to, puts first the kinds with
    a path to it."""
    units = catalog.units
    dim = unit.dimensionality
    candidates = [
        k
        for k in catalog.kinds.values()
        if generic(k.dimension) == generic(dim) or is_rate_of(units, k, unit)
    ]
    time_part = units.time_part(unit)
    total = unit * units.parse(time_part) if time_part is not None else None  # of a rate
    declared = catalog.ambiguity(unit) or (catalog.ambiguity(total) if total is not None else None)
    if declared is None:
        if len(candidates) == 1:
            return candidates[0]
        claimed = catalog.claimant(unit) or (catalog.claimant(total) if total is not None else None)
        if claimed is not None and any(k.name == claimed for k in candidates):
            return catalog.kinds[claimed]
        money = [k for k in candidates if is_money(dim) and set(k.input_units) & set(CURRENCIES)]
        if len(money) == 1:  # the kind that claims money in its own currency takes any currency
            return money[0]
    if not candidates:
        raise UnitError(
            f"no loaded kind is measured in {text!r} ({dim}); check the unit, "
            "or load a pack that defines such a kind",
            unit=text,
        )
    names = sorted(k.name for k in candidates)
    foreign = _claimed_elsewhere(catalog, unit) if declared is None else ""
    if foreign:
        raise AmbiguousKindError(
            f"no kind loaded for region {catalog.region} measures {text!r}: {foreign}, and "
            f"{catalog.region}'s packs have no such kind. {text!r} fits {', '.join(names)} only "
            "as an amount of the same dimension: give of= if you mean one of them, or load a "
            "region whose packs have the kind",
            unit=text,
            candidates=names,
        )
    ranked, refused = _ranked(catalog, candidates, unit, total, text, target)
    message = _ambiguous(text, ranked or names, declared) + "".join(
        f"; {name} does not accept {text!r}: {why}" for name, why in refused
    )
    raise AmbiguousKindError(message, unit=text, candidates=names)


#: How many kinds an ambiguity error names before "and N more".
_SHOWN = 6


def _ranked(
    catalog: Catalog,
    candidates: list[Kind],
    unit: PintUnit,
    total: PintUnit | None,
    text: str,
    target: str,
) -> tuple[list[str], list[tuple[str, str]]]:
    """The candidates that accept ``text``, most likely first, and those that refuse it with
    why. Most likely: a kind with a path to ``target`` (when given); then a kind measured in
    the unit itself (or in the unit a rate is of: ``hour`` for ``hour/day`` is manual work),
    or claiming it; then a kind of the unit's own dimension; a plain count last."""
    units = catalog.units
    accepted: list[tuple[tuple[int, int, str], str]] = []
    refused: list[tuple[str, str]] = []
    for kind in candidates:
        why = kind.refusal(text, units)
        if why is not None:
            refused.append((kind.name, why))
            continue
        reaches = not target or kind.name == target or (kind.name, target) in catalog.paths
        reach = 0 if reaches else 1
        accepted.append(((reach, _meaning(units, kind, unit, total), kind.name), kind.name))
    return [name for _, name in sorted(accepted)], sorted(refused)


def _meaning(units: UnitScope, kind: Kind, unit: PintUnit, total: PintUnit | None) -> int:
    """0: the kind is measured in (or claims) the unit, or the unit a rate is of; 1: the
    unit has the kind's own dimension; 2: a plain number of a count."""
    own = {kind.unit, *kind.input_units}
    for name in own:
        try:
            parsed = units.parse(name)
        except UnitError:  # a unit only its pack's scope reads: not this one
            continue
        if parsed in (unit, total):
            return 0
    return 2 if kind.dimension == units.dimensionless.dimensionality else 1


def _claimed_elsewhere(catalog: Catalog, unit: PintUnit) -> str:
    """The kinds of packs read but not loaded here that claim ``unit`` (or its prefixed root)
    as their default input — ``therm`` is natural gas in the U.S. and UK packs — worded for a
    message; ``""`` when none does."""
    units, root = catalog.units, catalog.units.root_name(unit)
    loaded = {(p.name, p.edition) for p in catalog.packs}
    claims: dict[str, list[str]] = {}
    for pack in catalog.available:
        if (pack.name, pack.edition) in loaded:
            continue
        for kind in pack.kinds:
            # a kind may claim a unit only to refuse it with its reason (petrol, 'pint')
            refused = {units.spelling(name) for name, _ in kind.refuse_units}
            refused_roots = {found.root for found in refused if found is not None}
            if kind.name not in catalog.kinds and any(
                _same_root(units, claimed, unit, root) and root not in refused_roots
                for claimed in kind.input_units
            ):
                where = ", ".join(pack.covers()) or "everywhere"
                claims.setdefault(kind.name, []).append(f"pack {pack.name} for {where}")
    return "; ".join(f"{kind} reads it ({', '.join(packs)})" for kind, packs in claims.items())


def _same_root(units: UnitScope, claimed: str, unit: PintUnit, root: str | None) -> bool:
    try:
        parsed = units.parse(claimed)
    except UnitError:  # a unit only that pack defines
        return False
    return bool(parsed == unit or (root is not None and units.root_name(parsed) == root))


def _ambiguous(text: str, names: list[str], declared: AmbiguousUnit | None) -> str:
    shown = ", ".join(names[:_SHOWN])
    if len(names) > _SHOWN:
        shown += f" and {len(names) - _SHOWN} more"
    if declared is None:
        return f"{text!r} could be any of {shown}; say which with of=, e.g. of={names[0]!r}"
    why = declared.reason.strip().rstrip(".")
    if len(names) == 1:
        return (
            f"{text!r} is read as a kind only with of= ({why}); the loaded kind it fits is "
            f"{names[0]}: say of={names[0]!r}"
        )
    return f"{text!r} could be any of {shown} ({why}); say which with of=, e.g. of={names[0]!r}"


def refuse(kind: Kind, text: str, what: str, units: UnitScope) -> None:
    """Refuse units ``kind`` declares misleading, as pint reads the names written ("ton",
    "calories", "kiloton"; see :meth:`~equivmetrics._catalog.catalog.Kind.refusal`).

    ``what`` names the unit in the message: the input's unit text, or ``unit='...'``.
    """
    reason = kind.refusal(text, units)
    if reason is not None:
        raise UnitError(f"{kind.name} does not accept {what}: {reason}", unit=text)


def is_rate_of(units: UnitScope, kind: Kind, unit: PintUnit) -> bool:
    """Whether ``unit`` measures ``kind`` per unit of time.

    A plain number is never a rate: "12" is not 12 hours per hour of manual work. A rate
    either names its time ("hour/month") or carries it inside a unit ("kW" for kWh).
    """
    if generic(unit.dimensionality) != generic(kind.dimension / units.time):
        return False
    return not unit.dimensionless or units.time_part(unit) is not None
