"""Building a catalog: every pack checked for meaning, all problems reported together.

Building a catalog registers the packs' units, gives every kind its dimension, evaluates every
parameter and rule factor (checking each factor's dimension against its rule's kinds), builds the
rule graph (:mod:`.graph`) and checks the packs' metrics and rewards. All problems of all packs
are collected into one :class:`PackError`; a catalog is never half built.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from types import MappingProxyType

from equivmetrics._core.expr import ExprError, Value, names, parse_expr
from equivmetrics._core.units import (
    PintUnit,
    define_unit,
    forget_units,
    get_registry,
    parse_unit,
    registry_lock,
)
from equivmetrics._packs.model import (
    KindSpec,
    MetricSpec,
    Pack,
    ParameterSpec,
    RewardSpec,
    RuleSpec,
)
from equivmetrics.exceptions import InputError, Location, PackError, Problem, UnitError

from .catalog import Catalog, Kind, Parameter, Rule
from .graph import RuleGraph
from .rewards import DEFAULT_TEXT, reward_terms
from .values import factor_value, parameter_value

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
        self.claims: dict[PintUnit, str] = {}

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
        added: list[str] = []
        # One build at a time changes the registry, so ``is_new`` stays true until the end: a
        # failing build takes back only units that no concurrent build has seen.
        with registry_lock():
            for pack in self.packs:
                for unit in pack.units:
                    is_new = unit.name not in get_registry()
                    owner = f"pack {pack.name!r} at {unit.location}"
                    error = define_unit(unit.name, unit.definition, unit.aliases, owner=owner)
                    if error:
                        self.problem(unit.location, f"units.{unit.name}", error)
                    elif is_new:
                        added.append(unit.name)
            try:
                return self.check()
            except BaseException:
                forget_units(added)  # nothing is half loaded, not even units
                raise

    def check(self) -> Catalog:
        for pack in self.packs:
            for kind in pack.kinds:
                self.add_kind(kind)
            for param in pack.parameters:
                self.add_parameter(param)
        for pack in self.packs:
            for rule in pack.rules:
                self.add_rule(rule)
        if self.problems:
            raise PackError(self.problems)
        graph = RuleGraph(self.kinds, self.rules)
        paths = graph.choose_paths()
        graph.check_cycles(self.factors)
        self.problems.extend(graph.problems)
        metrics = self.metrics()
        rewards = self.rewards()
        if self.problems:
            raise PackError(self.problems)
        return Catalog(
            packs=self.packs,
            kinds=MappingProxyType(dict(self.kinds)),
            parameters=MappingProxyType(dict(self.parameters)),
            rules=MappingProxyType(dict(self.rules)),
            paths=MappingProxyType(paths),
            default_factors=MappingProxyType(dict(self.factors)),
            claims=MappingProxyType(dict(self.claims)),
            claim_roots=MappingProxyType(self.claim_roots()),
            metrics=MappingProxyType(metrics),
            rewards=MappingProxyType(rewards),
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
                    reward_terms(spec.name, spec.every, spec.grant, spec.text or DEFAULT_TEXT)
                except InputError as exc:
                    self.problem(spec.location, field, str(exc))
                    continue
                if spec.kind is not None:
                    kind = self.kinds.get(spec.kind)
                    if kind is None:
                        self.problem(spec.location, f"{field}.kind", f"unknown kind {spec.kind!r}")
                        continue
                    every_unit = spec.every.split(maxsplit=1)[-1]
                    if parse_unit(every_unit).dimensionality != kind.dimension:
                        self.problem(
                            spec.location,
                            f"{field}.every",
                            f"{spec.every!r} does not measure {spec.kind} ({kind.unit})",
                        )
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
                found[metric.name] = metric
        return found

    def claim_roots(self) -> dict[str, str]:
        """Claims by unprefixed unit name (``kWh`` also claims ``MWh``), where unambiguous."""
        roots: dict[str, str | None] = {}
        reg = get_registry()
        for unit, kind in self.claims.items():
            items = list(unit._units.items())
            if len(items) != 1 or items[0][1] != 1:
                continue
            parsed = reg.parse_unit_name(items[0][0])
            if not parsed:
                continue
            root = str(parsed[0][1])
            roots[root] = kind if roots.get(root, kind) == kind else None
        return {root: kind for root, kind in roots.items() if kind is not None}

    # -- kinds and parameters ------------------------------------------------------------------

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
            unit = parse_unit(spec.unit)
        except UnitError as exc:
            self.problem(spec.where("unit"), f"{field}.unit", str(exc))
            return
        for claimed in spec.input_units:
            try:
                claimed_unit = parse_unit(claimed)
            except UnitError as exc:
                self.problem(spec.where("input_units"), f"{field}.input_units", str(exc))
                continue
            if claimed_unit.dimensionality != unit.dimensionality:
                self.problem(
                    spec.where("input_units"),
                    f"{field}.input_units",
                    f"{claimed!r} does not measure the same thing as {spec.unit!r}",
                )
            elif (owner := self.claimed_by(claimed_unit, spec.name)) is not None:
                self.problem(
                    spec.where("input_units"),
                    f"{field}.input_units",
                    f"{claimed!r} of pack {spec.pack!r} is already claimed by kind "
                    f"{owner.name!r} of pack {owner.pack!r} at {owner.location}",
                    "a unit (with or without a prefix: kWh, MWh) can be the default input of "
                    "one kind only; leave it out and give 'of=' when converting",
                )
            else:
                self.claims[claimed_unit] = spec.name
        for refused, _reason in spec.refuse_units:
            try:
                parse_unit(refused)
            except UnitError as exc:
                self.problem(spec.where("refuse_units"), f"{field}.refuse_units", str(exc))
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
        )

    def claimed_by(self, unit: PintUnit, kind: str) -> Kind | None:
        """The other kind claiming ``unit``, or the same unit with another prefix (MWh, kWh)."""
        owner = self.claims.get(unit)
        if owner is None:
            root = _root(unit)
            owner = next(
                (k for u, k in self.claims.items() if root and k != kind and _root(u) == root),
                None,
            )
        return self.kinds[owner] if owner is not None and owner != kind else None

    def add_parameter(self, spec: ParameterSpec) -> None:
        field = f"parameters.{spec.name}"
        if spec.name in self.parameters:
            other = self.parameters[spec.name].spec
            self.problem(
                spec.location,
                field,
                f"parameter {spec.name!r} of pack {spec.pack!r} is already defined by pack "
                f"{other.pack!r} at {other.location}",
                "rename one of them",
            )
            return
        try:
            value = parameter_value(spec.value, spec.low, spec.high, spec.name)
        except (ExprError, UnitError) as exc:
            hint = exc.hint if isinstance(exc, ExprError) else ""
            self.problem(spec.location, field, _message(exc), hint)
            return
        self.parameters[spec.name] = Parameter(spec, value)

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
        ok = True
        for end in (spec.source_kind, spec.target_kind):
            if end not in self.kinds:
                ok = False
                close = difflib.get_close_matches(end, list(self.kinds), n=1)
                self.problem(
                    spec.location,
                    field,
                    f"unknown kind {end!r}",
                    f"did you mean {close[0]!r}?" if close else "define it under 'kinds:'",
                )
        try:
            expr = parse_expr(spec.factor)
        except ExprError as exc:
            self.problem(
                _at_column(spec.factor_location, exc.column),
                f"{field}.factor",
                f"{exc.message} in {spec.factor!r}",
                exc.hint,
            )
            return
        used = tuple(dict.fromkeys(n.id for n in names(expr) if n.id in self.parameters))
        rule = Rule(spec, expr, used)
        try:
            value = factor_value(rule, self.parameters, {})
        except (ExprError, UnitError) as exc:
            column = exc.column if isinstance(exc, ExprError) else 0
            hint = exc.hint if isinstance(exc, ExprError) else ""
            self.problem(
                _at_column(spec.factor_location, column),
                f"{field}.factor",
                f"{_message(exc)} in {spec.factor!r}",
                hint,
            )
            return
        if not used and not spec.sources:
            self.problem(
                spec.location,
                field,
                "the factor uses no cited parameter and the rule names no source",
                "add 'source:' to the rule or build the factor from parameters",
            )
        if value.low <= 0:
            self.problem(
                spec.factor_location,
                f"{field}.factor",
                f"factor must be positive over its whole range, got {value.central:g} "
                f"(low {value.low:g})",
                "equivalences are positive linear factors",
            )
            ok = False
        if ok:
            source, target = self.kinds[spec.source_kind], self.kinds[spec.target_kind]
            reg = get_registry()
            ratio = (value.unit * parse_unit(source.unit) / parse_unit(target.unit)).dimensionality
            time = reg.Unit("second").dimensionality
            if ratio not in (reg.dimensionless.dimensionality, time, 1 / time):
                expected = (parse_unit(target.unit) / parse_unit(source.unit)).dimensionality
                self.problem(
                    spec.factor_location,
                    f"{field}.factor",
                    f"factor {spec.factor!r} has dimension {value.unit.dimensionality}, "
                    f"but {spec.source_kind} -> {spec.target_kind} needs {expected}",
                    f"a factor turns {source.unit} into {target.unit} "
                    "(optionally per unit of time)",
                )
                ok = False
        if ok:
            self.rules[spec.id] = rule
            self.factors[spec.id] = value


def _root(unit: PintUnit) -> str:
    """The unprefixed name of a single unit (``kWh`` -> ``watt_hour``); "" for compound units."""
    items = list(unit._units.items())
    if len(items) != 1 or items[0][1] != 1:
        return ""
    parsed = get_registry().parse_unit_name(items[0][0])
    return str(parsed[0][1]) if parsed else ""


def _at_column(where: Location, column: int) -> Location:
    """Point into a factor written on one line: the value starts after ``factor: ``."""
    if column <= 0 or where.line <= 0:
        return where
    return Location(where.file, where.line, where.column + len("factor: ") + column - 1)


def _message(exc: Exception) -> str:
    return exc.message if isinstance(exc, ExprError) else str(exc)
