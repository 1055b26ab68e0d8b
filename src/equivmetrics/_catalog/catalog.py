"""The catalog: packs merged and checked for meaning, ready for an engine.

A :class:`Catalog` is what :func:`~.build.build_catalog` makes of the packs: kinds with their
dimensions, parameters and rule factors evaluated, one chosen path for every pair of kinds, the
packs' metrics and rewards, and the unit scope all of it was read in. It never changes, and an
engine shares it with every tenant engine derived from it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import attrs

from equivmetrics._core.expr import Expr, Value
from equivmetrics._core.negative import NegativePolicy
from equivmetrics._core.units import PintUnit, Spelling, UnitScope
from equivmetrics._packs.model import (
    AmbiguousUnit,
    IndicatorSpec,
    MetricSpec,
    Pack,
    ParameterSpec,
    Presentation,
    RewardSpec,
    RuleSpec,
)
from equivmetrics.exceptions import Location

__all__ = ["Catalog", "Edge", "Kind", "Parameter", "Rule"]


@attrs.frozen
class Kind:
    """What is measured. Kinds that share a dimension never mix: only a rule links two kinds."""

    name: str
    unit: str
    dimension: Any
    label_one: str
    label_other: str
    icon: str
    description: str
    input_units: tuple[str, ...]
    pack: str
    location: Location
    refuse_units: tuple[tuple[str, str], ...] = ()
    presentation: Presentation = attrs.field(factory=Presentation)
    negative: NegativePolicy = "refuse"
    #: Kinds no path to or from this kind may start at, end at or pass through.
    not_via: tuple[str, ...] = ()

    def refusal(self, text: str, units: UnitScope) -> str | None:
        """Why this kind refuses a unit written ``text`` (read in ``units``), or None.

        Each name written is matched as pint reads it: a refused unit's name or symbol, in
        the singular or plural (``ton``, ``tons``; ``gallon``, ``gals``), with any SI prefix
        (``kiloton``, ``kgal``, ``Mbbl``), unless the kind is itself measured in, or claims, a
        prefixed form of the unit (``food_energy`` is in kcal: it refuses the bare calorie).
        pint's other names for a unit say which one they mean (``short_ton``,
        ``US_liquid_gallon``): they are refused only when the kind lists them.
        """
        refused = _refused(self.refuse_units, units)
        for token in _NAMES.findall(text) if refused else ():
            found = units.spelling(token)
            if found is None or found.root not in refused:
                continue
            names, why = refused[found.root]
            plain = {*names, found.root, units.symbol(found.root)}
            singular = found.stem if found.stem in plain else found.stem.removesuffix("s")
            if singular not in plain:
                continue  # another name of the unit, that says which one it means
            if not found.prefix:
                return why
            if found.root not in self._prefixed_roots(units):
                return _prefixed(units, token, found, singular, names[0]) + why
        return None

    def _prefixed_roots(self, units: UnitScope) -> set[str]:
        """The units this kind is measured in or claims with a prefix (``calorie`` for kcal)."""
        spelled = (units.spelling(name) for name in (self.unit, *self.input_units))
        return {s.root for s in spelled if s is not None and s.prefix}


_NAMES = re.compile(r"[A-Za-z_]\w*")


def _refused(
    refuse_units: tuple[tuple[str, str], ...], units: UnitScope
) -> dict[str, tuple[list[str], str]]:
    """A kind's refusals by the root of the unit refused: the names listed, the first reason."""
    found: dict[str, tuple[list[str], str]] = {}
    for name, why in refuse_units:
        spelled = units.spelling(name)
        if spelled is not None:
            found.setdefault(spelled.root, ([], why))[0].extend((name, spelled.stem))
    return found


def _prefixed(units: UnitScope, token: str, found: Spelling, stem: str, refused: str) -> str:
    """What a prefixed refused unit is: ``'kiloton' is 1,000 ton (kilo), and ...``."""
    factor = float(units.registry.Quantity(1.0, token).to(stem).magnitude)
    how = f"prefix {found.prefix}"
    if token[: len(token) - len(found.stem)] == "M":
        how += (
            "; pint reads M as the SI prefix, a million, where trade usage, as in Mbbl or Mcf, "
            "means a thousand"
        )
    return (
        f"{token!r} is {factor:,.12g} {stem} ({how}), and a prefix does not change what "
        f"{refused!r} means: "
    )


@attrs.frozen
class Parameter:
    """A named, cited input with its evaluated value and range.

    A *derived* parameter's value names other parameters (``expr``, with their names in
    ``inputs``): it is computed from them, and again for an engine that overrides one of them.
    """

    spec: ParameterSpec
    value: Value
    expr: Expr | None = attrs.field(default=None, eq=False)
    inputs: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.spec.name


@attrs.frozen
class Rule:
    """A rule with its parsed factor and the parameters the factor uses.

    ``parameters`` are all the parameters the factor depends on: those it names and, for a
    derived one, those it is computed from; ``names`` only those the factor names itself.
    """

    spec: RuleSpec
    expr: Expr = attrs.field(eq=False)
    parameters: tuple[str, ...]
    names: tuple[str, ...]

    @property
    def id(self) -> str:
        return self.spec.id


@attrs.frozen
class Edge:
    """One direction of a rule in the graph; ``inverse`` when walked from ``to`` to ``from``."""

    rule: Rule
    inverse: bool

    @property
    def source(self) -> str:
        return self.rule.spec.target_kind if self.inverse else self.rule.spec.source_kind

    @property
    def target(self) -> str:
        return self.rule.spec.source_kind if self.inverse else self.rule.spec.target_kind


@attrs.frozen
class Catalog:
    """Everything an engine needs, checked; shared by an engine and all its tenant engines."""

    packs: tuple[Pack, ...]
    kinds: Mapping[str, Kind]
    parameters: Mapping[str, Parameter]
    rules: Mapping[str, Rule]
    paths: Mapping[tuple[str, str], tuple[Edge, ...]]
    default_factors: Mapping[str, Value]
    claims: Mapping[PintUnit, str]
    #: The scope every unit of this catalog is read in (its packs' units included).
    units: UnitScope
    claim_roots: Mapping[str, str] = attrs.field(factory=dict)
    metrics: Mapping[str, MetricSpec] = attrs.field(factory=dict)
    rewards: Mapping[str, RewardSpec] = attrs.field(factory=dict)
    indicators: Mapping[str, IndicatorSpec] = attrs.field(factory=dict)
    #: The region the packs were chosen for ("" when built from packs as given, unchosen).
    region: str = ""
    #: ``(pack, edition)`` of each regional pack chosen for the region, overlays included.
    editions: tuple[tuple[str, str], ...] = ()
    #: Every pack read, before the choice for a region: what another region is chosen from.
    available: tuple[Pack, ...] = ()
    #: The packs' ambiguous units (no kind claims them), by unprefixed name: ``joule``.
    ambiguous_units: Mapping[str, AmbiguousUnit] = attrs.field(factory=dict)

    def claimant(self, unit: PintUnit) -> str | None:
        """The kind that claims ``unit`` as its default input, directly or by its prefixed root."""
        kind = self.claims.get(unit)
        if kind is None:
            root = self.units.root_name(unit)
            if root is not None:
                kind = self.claim_roots.get(root)
        return kind

    def ambiguity(self, unit: PintUnit) -> AmbiguousUnit | None:
        """The pack declaration that makes ``unit`` (any prefix of it) need ``of=``, if any."""
        root = self.units.root_name(unit)
        return self.ambiguous_units.get(root) if root is not None else None
