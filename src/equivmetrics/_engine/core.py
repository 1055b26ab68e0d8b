"""The engine's core: an immutable catalog plus parameter values, and the fast conversion path.

Converting compiles, once per (input unit, target, options), the chosen path into three plain
floats (central, low and high factor) and its steps. The hot path is then a dictionary look-up
and one multiplication; it never touches pint. Tenant converters (:meth:`Converter.with_params`)
share the catalog, every factor their overrides do not affect, and the compiled paths that do
not depend on them.

The public :class:`~equivmetrics.Engine` wraps a :class:`Converter` and adds what is built on
top of conversion (equivalents, series, metrics, rewards); everything here computes and never
words or ranks a result.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from equivmetrics._core.locks import new_lock
from equivmetrics._core.negative import NegativePolicy
from equivmetrics._core.quantity import check_options, split, unfit
from equivmetrics._core.suggest import shown
from equivmetrics._packs.source import ROLES, Role
from equivmetrics.exceptions import (
    InputValueError,
    NegativeValueError,
    ParameterValueError,
    PeriodError,
    UnknownKindError,
)

from .compiled import Compiled, Key
from .converts import Candidate, Converts
from .exchange import Rates
from .offers import NEGATIVE, PERIOD, TOO_LARGE, nothing_offered, overflowed
from .result import Result, Step

if TYPE_CHECKING:
    from equivmetrics._catalog.catalog import Catalog, Edge, Kind
    from equivmetrics._core.expr import Value

    from .compile import Compiler, Plan
    from .tenant import Figures, Tenancy

__all__ = ["Candidate", "Converter", "Converts"]


#: Compiled conversions kept per converter. Real workloads need a few dozen; the bound keeps a
#: caller who sends endless distinct unit texts ("kWh*1", "kWh*1*1", ...) from growing memory.
MAX_COMPILED = 10_000
#: The same for a tenant converter (``with_params``), of which a service may hold hundreds; its
#: conversions that do not depend on its overrides are kept by the root converter instead.
MAX_TENANT_COMPILED = 256


class Converter:
    """Converts quantities between kinds with the rules of its packs. Immutable and thread-safe."""

    __slots__ = (
        "__weakref__",
        "_build",
        "_built",
        "_cache",
        "_factor_values",
        "_figures",
        "_inferred",
        "_lock",
        "_offers",
        "_overrides",
        "_plans",
        "_rates",
        "_root",
        "_tenancy",
        "_warm",
    )

    def __init__(
        self,
        catalog: Catalog | Callable[[], Catalog],
        overrides: Mapping[str, Value] | None = None,
        *,
        root: Converter | None = None,
        compiled: Mapping[Key, Compiled] | None = None,
        rates: Rates | None = None,
    ) -> None:
        # ``catalog`` may be a function that builds it: a warm-started converter (see warm.py)
        # answers the conversions in ``compiled`` and builds its catalog on first other need.
        self._built: Catalog | None
        self._build: Callable[[], Catalog] | None
        if callable(catalog):  # a catalog is not callable; what builds one is
            self._built, self._build = None, catalog
        else:
            self._built, self._build = catalog, None
        self._overrides: dict[str, Value] = dict(overrides or {})
        self._rates = rates
        self._root = root
        self._cache: dict[Key, Compiled] = dict(compiled or {})
        self._warm = frozenset(self._cache)
        # a tenant's catalog is built: it takes no lock of its own (with_params takes the root's)
        self._lock: threading.Lock = (
            root._lock if root is not None and self._built is not None else new_lock(self, "_lock")
        )
        self._factor_values: dict[str, Value] | None = None
        # Catalog facts, shared with tenants: the kind each input unit is read as, plans, and
        # (made at the first with_params) frames and factors' float forms (tenant.py).
        self._inferred: dict[str, str] = root._inferred if root is not None else {}
        self._plans: dict[Key, Plan] = root._plans if root is not None else {}
        self._offers: dict[tuple[str, str], tuple[str, ...]] = (
            root._offers if root is not None else {}
        )
        self._tenancy: Tenancy | None = root._tenancy if root is not None else None
        self._figures: Figures | None = None

    @property
    def catalog(self) -> Catalog:
        """The checked packs this converter (and every tenant derived from it) shares."""
        built = self._built
        if built is None:
            with self._lock:
                if self._built is None:
                    assert self._build is not None
                    self._built = self._build()
                built = self._built
        return built

    @property
    def _factors(self) -> dict[str, Value]:
        """Rule factors this converter has evaluated (its overrides' rules left out until used)."""
        values = self._factor_values
        if values is None:
            catalog = self.catalog
            if self._root is None or not self._overrides:
                values = dict(catalog.default_factors)
            else:
                touched = set(self._overrides)
                values = {
                    rid: value
                    for rid, value in catalog.default_factors.items()
                    if touched.isdisjoint(catalog.rules[rid].parameters)
                }
            self._factor_values = values
        return values

    def compiled_since_start(self) -> dict[Key, Compiled]:
        """The conversions compiled in this process (not read from a warm-start file)."""
        return {key: c for key, c in list(self._cache.items()) if key not in self._warm}

    @property
    def kinds(self) -> Mapping[str, Kind]:
        """The kinds this converter knows, by name."""
        return self.catalog.kinds

    @property
    def overrides(self) -> Mapping[str, Value]:
        """The parameter values this converter's tenant set (empty for a root converter)."""
        return self._overrides

    @property
    def parameters(self) -> dict[str, Value]:
        """Every parameter's value as this converter uses it: defaults with overrides applied,
        and derived parameters computed from their inputs as overridden."""
        from equivmetrics._catalog.values import parameter_in  # noqa: PLC0415 - lazy: a warm start compiles nothing

        catalog = self.catalog
        return {
            name: parameter_in(catalog.units, catalog.parameters, self._overrides, name)
            for name in catalog.parameters
        }

    def with_params(self, **params: Any) -> Converter:
        """A new converter with some parameters replaced; this one is unchanged."""
        overrides, root = dict(self._overrides), self._root or self
        tenancy = root._tenancy
        if tenancy is None:
            from .tenant import Tenancy  # noqa: PLC0415 - lazy: a warm start compiles nothing

            catalog = root.catalog  # built first: building takes the lock too
            with root._lock:
                tenancy = root._tenancy = root._tenancy or Tenancy(catalog)
        for name, raw in params.items():
            overrides[name] = tenancy.override(self.catalog, name, raw)
        return Converter(self.catalog, overrides, root=root, rates=self._rates)

    def with_rates(self, rates: Rates) -> Converter:
        """A new converter that exchanges currencies at ``rates``; this one is unchanged."""
        return Converter(self.catalog, self._overrides, root=self._root or self, rates=rates)

    @property
    def rates(self) -> Rates | None:
        """The exchange rates this converter may use (None: it exchanges nothing)."""
        return self._rates

    def convert(
        self,
        quantity: Any,
        to: str,
        *,
        of: str | None = None,
        unit: str | None = None,
        per: str | None = None,
        negative: NegativePolicy | None = None,
    ) -> Result:
        """Convert ``quantity`` to kind ``to`` (see :meth:`equivmetrics.Engine.convert`)."""
        magnitude, unit_text = split(quantity)
        key = (unit_text, to, of, unit, per)
        try:
            compiled = self._cache.get(key)
        except TypeError:  # an unhashable option: say which
            check_options(to=to, of=of, unit=unit, per=per)
            raise
        if compiled is None:
            compiled = self.compile(unit_text, to, of=of, unit=unit, per=per)
        return compiled.apply(magnitude, negative=negative)

    def source_kind(self, quantity: Any, *, of: str | None = None) -> str:
        """The kind ``quantity`` is read as: ``of`` when given, else inferred from its unit."""
        return self._read(quantity, of, None)

    def _read(self, quantity: Any, of: str | None, per: str | None) -> str:
        """The input's kind, its unit and ``per=`` checked (a rate given a period is refused)."""
        _, unit_text = split(quantity)
        check_options(input_unit=unit_text, of=of, to="", per=per)
        from .compile import Compiler  # noqa: PLC0415 - lazy: a warm start compiles nothing

        compiler = Compiler(self.catalog, unit_text, "", of, None, per, inferred=self._inferred)
        return compiler.read_input()[0].name

    def candidates(
        self,
        quantity: Any,
        role: Role,
        *,
        of: str | None = None,
        only: Iterable[str] | None = None,
        per: str | None = None,
    ) -> tuple[Candidate, ...]:
        """``quantity`` converted to each kind a role may offer, in pack order; never empty.

        With ``only``, exactly those kinds in that order (each must convert; naming none is an
        error). Otherwise every kind with a wording for ``role`` that a path reaches from the
        input's kind; a capacity a total cannot fill without a period, and a finite input that
        overflows a kind's unit, are left out. When none is left, :class:`NoEquivalentError`
        says why (and names the other role when it has equivalents). Ranking and wording are
        the presentation's work.
        """
        if role not in ROLES:
            raise unfit(role, str)(
                f"role must be one of {', '.join(ROLES)}, not {role!r}", value=role
            )
        kinds = self.catalog.kinds
        names = None if only is None else list(only)
        if names == []:
            raise InputValueError(
                "only= names no kind: name at least one kind, or leave only= out to let "
                "relatability choose",
                value=only,
            )
        unknown = [name for name in names or () if name not in kinds]
        if unknown:
            from equivmetrics._catalog.regional import elsewhere  # noqa: PLC0415 - lazy: a warm start compiles nothing

            hint = elsewhere(self.catalog, unknown[0])
            raise UnknownKindError(
                f"unknown kind {shown(unknown[0])} in only={hint}",
                kind=unknown[0],
                known=sorted(kinds),
            )
        source = self._read(quantity, of, per)  # the input's own errors are raised, not skipped
        if names is not None:
            return tuple(
                Candidate(kinds[name], self.convert(quantity, name, of=source, per=per))
                for name in names
            )
        found, skipped = self._offered(quantity, role, source, per)
        if not found:
            raise nothing_offered(self.catalog, quantity, source, role, skipped)
        return tuple(found)

    def _offered(
        self, quantity: Any, role: Role, source: str, per: str | None
    ) -> tuple[list[Candidate], list[tuple[str, str]]]:
        """The candidates of ``role`` reachable from ``source``, and those left out with why."""
        found, skipped = [], []
        kinds = self.catalog.kinds
        offered = self._offers.get((role, source))
        if offered is None:  # a catalog fact: the kinds of the role a path reaches, in order
            paths = self.catalog.paths
            offered = self._offers[(role, source)] = tuple(
                name
                for name, kind in kinds.items()
                if name != source and kind.presentation.offers(role) and (source, name) in paths
            )
        magnitude, unit_text = split(quantity)  # read once: _read has checked it
        for name in offered:
            kind = kinds[name]
            try:
                compiled = self._cache.get((unit_text, name, source, None, per))
                if compiled is None:
                    compiled = self.compile(unit_text, name, of=source, per=per)
                result = compiled.apply(magnitude)
            except PeriodError:
                skipped.append((name, PERIOD))  # a capacity a total cannot fill without a period
                continue
            except NegativeValueError:
                if self.catalog.kinds[source].negative == "refuse":
                    raise  # the input's own kind refuses it: that is the error
                skipped.append((name, NEGATIVE))  # the input's kind allows it, this one not
                continue
            if overflowed(result):
                skipped.append((name, TOO_LARGE))  # too large for this kind's unit
                continue
            found.append(Candidate(kind, result))
        return found, skipped

    def compile(
        self,
        input_unit: str,
        to: str,
        *,
        of: str | None = None,
        unit: str | None = None,
        per: str | None = None,
    ) -> Compiled:
        """The compiled conversion from ``input_unit`` to kind ``to`` (cached; picklable)."""
        check_options(input_unit=input_unit, to=to, of=of, unit=unit, per=per)
        key = (input_unit, to, of, unit, per)
        compiled = self._cache.get(key)
        if compiled is not None:
            return compiled
        from .compile import Compiler  # noqa: PLC0415 - lazy: a warm start compiles nothing

        compiler = Compiler(
            self.catalog, input_unit, to, of, unit, per, self._rates, inferred=self._inferred
        )
        plan = self._plans.get(key)  # a path is a catalog fact: a tenant reuses its root's
        if plan is None:
            plan = compiler.plan()
            if len(self._plans) < MAX_COMPILED:
                self._plans[key] = plan
        shared = self._shared(plan.path)
        if shared is not None:
            return shared.compile(input_unit, to, of=of, unit=unit, per=per)
        compiled = self._fast(key, compiler, plan)
        if compiled is None:
            compiled = compiler.build(plan, self._factor, self._overrides)
        bound = MAX_COMPILED if self._root is None else MAX_TENANT_COMPILED
        if len(self._cache) < bound:  # past it, distinct unit texts cost time, not memory
            self._cache[key] = compiled
        return compiled

    def _fast(self, key: Key, compiler: Compiler, plan: Plan) -> Compiled | None:
        """A tenant's conversion from its figures as floats (None: the plain path)."""
        if self._tenancy is None or self._rates is not None or self._root is None:
            return None
        figures = self._figures
        if figures is None:
            figures = self._figures = self._tenancy.figures(self.catalog, self._overrides)
        overrides = self._overrides

        def steps() -> tuple[Step, ...]:
            return compiler.build(plan, self._factor, overrides).steps

        return figures.compile(self._tenancy, key, compiler, plan, steps)

    def _factor(self, edge: Edge) -> Value:
        rule = edge.rule
        value = self._factors.get(rule.id)
        if value is None:
            from equivmetrics._catalog.values import factor_value  # noqa: PLC0415 - lazy: a warm start compiles nothing

            value = factor_value(self.catalog.units, rule, self.catalog.parameters, self._overrides)
            if not value.low > 0:
                raise ParameterValueError(
                    f"with this engine's parameters, rule {rule.id!r} has a factor range that "
                    f"is not positive ({value.low:g}..{value.high:g})",
                    name=rule.id,
                )
            self._factors[rule.id] = value
        return value

    def _shared(self, path: tuple[Edge, ...]) -> Converter | None:
        """The root converter, when no rule on ``path`` depends on this one's overrides."""
        if self._root is None or self._rates is not None:  # the root could not exchange
            return None
        touched = set(self._overrides)
        if all(touched.isdisjoint(e.rule.parameters) for e in path):
            return self._root
        return None

    def describe(self) -> str:
        """``packs=[...]`` and the number of overrides, for reprs."""
        catalog = self.catalog
        packs = ", ".join(p.name for p in catalog.packs)
        region = f", region={catalog.region}" if catalog.region else ""
        extra = f", {len(self._overrides)} overrides" if self._overrides else ""
        return f"packs=[{packs}]{region}{extra}"
