"""Building a catalog: every pack checked for meaning, all problems reported together.

Building a catalog reads the packs' units into a unit scope of the catalog's own (see
:mod:`equivmetrics._core.unit_defs`), gives every kind its dimension, evaluates every parameter
(:mod:`.params`) and rule factor (checking each factor's dimension against its rule's kinds),
builds the rule graph (:mod:`.graph`) and checks the packs' metrics and rewards. All problems of
all packs are collected into one :class:`PackError`; a catalog is never half built, and a failed
build leaves nothing behind.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from types import MappingProxyType

from equivmetrics._core.expr import ExprError, Value, names, parse_expr
from equivmetrics._core.money import generic
from equivmetrics._core.unit_defs import NewUnit, scope_for
from equivmetrics._core.units import UnitScope
from equivmetrics._packs.model import (
    KindSpec,
    MetricSpec,
    Pack,
    RewardSpec,
    RuleSpec,
)
from equivmetrics.exceptions import InputError, Location, PackError, Problem, UnitError

from .catalog import Catalog, Kind, Parameter, Rule
from .claims import Claims
from .graph import RuleGraph
from .indicators import check_indicators
from .params import build_parameters
from .rewards import DEFAULT_TEXT, reward_terms
from .values import factor_value, parameters_used

__all__ = ["build_catalog"]


def build_catalog(packs: Iterable[Pack]) -> Catalog:
    """Check the packs together and build the catalog; raise :class:`PackError` on any problem."""
    return _Builder(tuple(packs)).build()


class _Builder:
    def __init__(self, packs: tuple[Pack, ...]) -> None:
        self.packs = packs
        self.problems: list[Problem] = []
        self.kinds: dict[str, Kind] = {}
        self.parameters: dict[str, Parameter] = {}
        self.rules: dict[str, Rule] = {}
        self.factors: dict[str, Value] = {}
        self.units: UnitScope
        self.claims: Claims

    def problem(self, where: Location, field: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(where, field, message, hint))

    def build(self) -> Catalog:
        names_seen: dict[str, Pack] = {}
        for pack in self.packs:
            if pack.name in names_seen:
                other = names_seen[pack.name].origin
                self.problem(
                    Location(pack.origin),
                    "name",
                    f"pack {pack.name!r} is loaded twice (also from {other})",
                    "give each pack a distinct name",
                )
            names_seen[pack.name] = pack
        specs = [unit for pack in self.packs for unit in pack.units]
        self.units, errors = scope_for(
            [
                NewUnit(u.name, u.definition, u.aliases, f"pack {u.pack!r} at {u.location}", u.pack)
                for u in specs
            ]
        )
        for unit, error in zip(specs, errors, strict=True):
            if error:
                self.problem(unit.location, f"units.{unit.name}", error)
        return self.check()

    def check(self) -> Catalog:
        self.claims = Claims(self.units, self.kinds, self.problems)
        for declared in (spec for pack in self.packs for spec in pack.ambiguous_units):
            self.claims.declare(declared)
        for pack in self.packs:
            for kind in pack.kinds:
                self.add_kind(kind)
        self.parameters, problems = build_parameters(self.packs, self.units)
        self.problems.extend(problems)
        for pack in self.packs:
            for rule in pack.rules:
                self.add_rule(rule)
        if self.problems:
            raise PackError(self.problems)
        graph = RuleGraph(self.kinds, self.rules, [k for pack in self.packs for k in pack.kinds])
        paths = graph.choose_paths()
        graph.check_cycles(self.factors, self.units)
        self.problems.extend(graph.problems)
        metrics = self.metrics()
        rewards = self.rewards()
        specs = (spec for pack in self.packs for spec in pack.indicators)
        indicators = check_indicators(specs, self.kinds, self.units, self.problem)
        if self.problems:
            raise PackError(self.problems)
        return Catalog(
            packs=self.packs,
            kinds=MappingProxyType(dict(self.kinds)),
            parameters=MappingProxyType(dict(self.parameters)),
            rules=MappingProxyType(dict(self.rules)),
            paths=MappingProxyType(paths),
            default_factors=MappingProxyType(dict(self.factors)),
            claims=MappingProxyType(dict(self.claims.by_unit)),
            units=self.units,
            claim_roots=MappingProxyType(self.claims.roots()),
            ambiguous_units=MappingProxyType(dict(self.claims.ambiguous)),
            metrics=MappingProxyType(metrics),
            rewards=MappingProxyType(rewards),
            indicators=MappingProxyType(indicators),
        )

    def rewards(self) -> dict[str, RewardSpec]:
        """The packs' reward rules, checked: known kind, quantities that fit it."""
        found: dict[str, RewardSpec] = {}
        for pack in self.packs:
            for spec in pack.rewards:
                field = f"rewards.{spec.name}"
                if spec.name in found:
                    self.problem(
                        spec.location,
                        field,
                        f"reward {spec.name!r} is already defined at {found[spec.name].location}",
                        "rename one",
                    )
                    continue
                try:
                    reward_terms(
                        spec.name, spec.every, spec.grant, spec.text or DEFAULT_TEXT, self.units
                    )
                except InputError as exc:
                    self.problem(spec.location, field, str(exc))
                    continue
                if spec.kind is not None:
                    kind = self.kinds.get(spec.kind)
                    if kind is None:
                        self.problem(spec.location, f"{field}.kind", f"unknown kind {spec.kind!r}")
                        continue
                    every_unit = spec.every.split(maxsplit=1)[-1]
                    if self.units.parse(every_unit).dimensionality != kind.dimension:
                        self.problem(
                            spec.location,
                            f"{field}.every",
                            f"{spec.every!r} does not measure {spec.kind} ({kind.unit})",
                        )
                        continue
                    if (why := kind.refusal(every_unit, self.units)) is not None:
                        message = f"{spec.kind} does not accept {spec.every!r}: {why}"
                        self.problem(spec.location, f"{field}.every", message)
                        continue
                found[spec.name] = spec
        return found

    def metrics(self) -> dict[str, MetricSpec]:
        """The packs' metric declarations, checked against the kinds."""
        found: dict[str, MetricSpec] = {}
        for pack in self.packs:
            for metric in pack.metrics:
                field = f"metrics.{metric.name}"
                if metric.name in found:
                    self.problem(
                        metric.location,
                        field,
                        f"metric {metric.name!r} is already defined at "
                        f"{found[metric.name].location}",
                        "rename one of them",
                    )
                    continue
                for kind in (metric.source_kind, *metric.show):
                    if kind not in self.kinds:
                        close = difflib.get_close_matches(kind, list(self.kinds), n=1)
                        self.problem(
                            metric.location,
                            field,
                            f"unknown kind {kind!r}",
                            f"did you mean {close[0]!r}?" if close else "",
                        )
                source = self.kinds.get(metric.source_kind)
                if (
                    source
                    and metric.unit
                    and (why := source.refusal(metric.unit, self.units)) is not None
                ):
                    message = f"{source.name} does not accept {metric.unit!r}: {why}"
                    self.problem(metric.location, f"{field}.unit", message)
                found[metric.name] = metric
        return found

    # -- kinds ------------------------------------------------------------------------------

    def add_kind(self, spec: KindSpec) -> None:
        field = f"kinds.{spec.name}"
        if spec.name in self.kinds:
            other = self.kinds[spec.name]
            self.problem(
                spec.location,
                field,
                f"kind {spec.name!r} of pack {spec.pack!r} is already defined by pack "
                f"{other.pack!r} at {other.location}",
                "rename one of them",
            )
            return
        try:
            unit = self.units.parse(spec.unit)
        except UnitError as exc:
            self.problem(spec.where("unit"), f"{field}.unit", str(exc))
            return
        self.claims.claim(spec, unit)
        self.check_refused(spec)
        self.kinds[spec.name] = Kind(
            name=spec.name,
            unit=spec.unit,
            dimension=unit.dimensionality,
            label_one=spec.label_one,
            label_other=spec.label_other,
            icon=spec.icon,
            description=spec.description,
            input_units=spec.input_units,
            pack=spec.pack,
            location=spec.location,
            refuse_units=spec.refuse_units,
            presentation=spec.presentation,
            negative=spec.negative,
            not_via=spec.not_via,
        )

    def check_refused(self, spec: KindSpec) -> None:
        """Each refused unit is one unit name, read as pint reads it."""
        field = f"kinds.{spec.name}.refuse_units"
        for refused, _reason in spec.refuse_units:
            try:
                self.units.parse(refused)
            except UnitError as exc:
                self.problem(spec.where("refuse_units"), field, str(exc))
                continue
            if self.units.spelling(refused) is None:
                self.problem(
                    spec.where("refuse_units"),
                    field,
                    f"{refused!r} is not a single unit name",
                    "name one unit, such as 'ton'; its symbol, plural and prefixed forms "
                    "(kiloton) are refused with it",
                )

    # -- rules -----------------------------------------------------------------------------------

    def add_rule(self, spec: RuleSpec) -> None:
        field = f"rules.{spec.id}"
        if spec.id in self.rules:
            other = self.rules[spec.id].spec
            self.problem(
                spec.location,
                f"{field}.id",
                f"rule id {spec.id!r} of pack {spec.pack!r} is already used by pack "
                f"{other.pack!r} at {other.location}",
                "give the rule a distinct 'id'",
            )
            return
        ends_known = self.known_ends(spec)
        found = self.rule_factor(spec)
        if found is None:
            return
        rule, value = found
        if not rule.parameters and not spec.sources:
            self.problem(
                spec.location,
                field,
                "the factor uses no cited parameter and the rule names no source",
                "add 'source:' to the rule or build the factor from parameters",
            )
        if self.factor_fits(spec, value, ends_known=ends_known):
            self.rules[spec.id] = rule
            self.factors[spec.id] = value

    def known_ends(self, spec: RuleSpec) -> bool:
        """Whether the rule's kinds exist; a problem for each that does not."""
        ok = True
        for end in (spec.source_kind, spec.target_kind):
            if end not in self.kinds:
                ok = False
                close = difflib.get_close_matches(end, list(self.kinds), n=1)
                self.problem(
                    spec.location,
                    f"rules.{spec.id}",
                    f"unknown kind {end!r}",
                    f"did you mean {close[0]!r}?" if close else "define it under 'kinds:'",
                )
        return ok

    def rule_factor(self, spec: RuleSpec) -> tuple[Rule, Value] | None:
        """The rule with its parsed factor and the factor's value; None after a problem."""
        field = f"rules.{spec.id}.factor"
        try:
            expr = parse_expr(spec.factor)
        except ExprError as exc:
            where = _at_column(spec.factor_location, exc.column)
            self.problem(where, field, f"{exc.message} in {spec.factor!r}", exc.hint)
            return None
        named = tuple(dict.fromkeys(n.id for n in names(expr) if n.id in self.parameters))
        rule = Rule(spec, expr, parameters_used(self.parameters, named), named)
        try:
            value = factor_value(self.units, rule, self.parameters, {})
        except (ExprError, UnitError) as exc:
            column = exc.column if isinstance(exc, ExprError) else 0
            hint = exc.hint if isinstance(exc, ExprError) else ""
            where = _at_column(spec.factor_location, column)
            self.problem(where, field, f"{_message(exc)} in {spec.factor!r}", hint)
            return None
        return rule, value

    def factor_fits(self, spec: RuleSpec, value: Value, *, ends_known: bool) -> bool:
        """A factor is positive over its range and turns the source's unit into the target's."""
        field = f"rules.{spec.id}.factor"
        if value.low <= 0:
            self.problem(
                spec.factor_location,
                field,
                f"factor must be positive over its whole range, got {value.central:g} "
                f"(low {value.low:g})",
                "equivalences are positive linear factors",
            )
            return False
        if not ends_known:
            return False
        source, target = self.kinds[spec.source_kind], self.kinds[spec.target_kind]
        units = self.units
        ratio = (value.unit * units.parse(source.unit) / units.parse(target.unit)).dimensionality
        fits = (units.dimensionless.dimensionality, units.time, 1 / units.time)
        if generic(ratio) in {generic(dim) for dim in fits}:  # money fits in any currency
            return True
        expected = (units.parse(target.unit) / units.parse(source.unit)).dimensionality
        self.problem(
            spec.factor_location,
            field,
            f"factor {spec.factor!r} has dimension {value.unit.dimensionality}, "
            f"but {spec.source_kind} -> {spec.target_kind} needs {expected}",
            f"a factor turns {source.unit} into {target.unit} (optionally per unit of time)",
        )
        return False


def _at_column(where: Location, column: int) -> Location:
    """Point into a factor written on one line: the value starts after ``factor: ``."""
    if column <= 0 or where.line <= 0:
        return where
    return Location(where.file, where.line, where.column + len("factor: ") + column - 1)


def _message(exc: Exception) -> str:
    return exc.message if isinstance(exc, ExprError) else str(exc)
