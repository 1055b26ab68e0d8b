"""The engine: an immutable catalog plus parameter values, and the fast conversion path.

Converting compiles, once per (input unit, target, options), the chosen path into three plain
floats (central, low and high factor) and its steps. The hot path is then a dictionary look-up
and one multiplication; it never touches pint. Tenant engines (:meth:`Engine.with_params`)
share the catalog, every factor their overrides do not affect, and the compiled paths that do
not depend on them.
"""

from __future__ import annotations

import numbers
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .._catalog.catalog import Catalog, Edge, Kind
from .compile import Compiled, _check_options, _close, _Compiler, _per_one, _shown
from .compile import Key as _Key
from .._present.equivalent import Equivalent, offer
from ..exceptions import (
    InputError,
    ParameterError,
    UnitError,
)
from .._core.expr import ExprError, Value
from .result import Result
from .._core.units import (
    format_unit,
    parse_unit,
    split_quantity,
    unit_text_of,
)
from .._catalog.values import factor_value, parameter_value

if TYPE_CHECKING:
    from .._features.metric import Metric
    from .._features.reward import RewardRule
    from .._features.series import Series

__all__ = ["Engine"]


#: Compiled conversions kept per engine. Real workloads need a few dozen; the bound keeps a
#: caller who sends endless distinct unit texts ("kWh*1", "kWh*1*1", ...) from growing memory.
MAX_COMPILED = 10_000
#: The same for a tenant engine (``with_params``), of which a service may hold hundreds; its
#: conversions that do not depend on its overrides are kept by the root engine instead.
MAX_TENANT_COMPILED = 256


class Engine:
    """Converts quantities between kinds with the rules of its packs. Immutable and thread-safe.

    Build one with :func:`equivmetrics.load`; derive per-tenant engines with
    :meth:`with_params`.
    """

    __slots__ = (
        "__weakref__",
        "_build",
        "_built",
        "_cache",
        "_factor_values",
        "_lock",
        "_overrides",
        "_root",
        "_warm",
    )

    def __init__(
        self,
        catalog: Catalog | Callable[[], Catalog],
        overrides: Mapping[str, Value] | None = None,
        *,
        _root: Engine | None = None,
        _compiled: Mapping[_Key, Compiled] | None = None,
    ) -> None:
        # ``catalog`` may be a function that builds it: a warm-started engine (see _warm.py)
        # answers the conversions in ``_compiled`` and builds its catalog on first other need.
        self._built: Catalog | None
        self._build: Callable[[], Catalog] | None
        if isinstance(catalog, Catalog):
            self._built, self._build = catalog, None
        else:
            self._built, self._build = None, catalog
        self._overrides: dict[str, Value] = dict(overrides or {})
        self._root = _root
        self._cache: dict[_Key, Compiled] = dict(_compiled or {})
        self._warm = frozenset(self._cache)
        self._lock = threading.Lock()
        self._factor_values: dict[str, Value] | None = None

    @property
    def _catalog(self) -> Catalog:
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
        """Rule factors this engine has evaluated (its overrides' rules left out until used)."""
        values = self._factor_values
        if values is None:
            catalog = self._catalog
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

    def _compiled_since_start(self) -> dict[_Key, Compiled]:
        """The conversions compiled in this process (not read from a warm-start file)."""
        return {key: c for key, c in list(self._cache.items()) if key not in self._warm}

    # -- introspection --------------------------------------------------------------------------

    @property
    def kinds(self) -> Mapping[str, Kind]:
        """The kinds this engine knows, by name."""
        return self._catalog.kinds

    @property
    def parameters(self) -> dict[str, Value]:
        """Every parameter's value as this engine uses it (defaults with overrides applied)."""
        values = {name: p.value for name, p in self._catalog.parameters.items()}
        values.update(self._overrides)
        return values

    @property
    def catalog(self) -> Catalog:
        """The checked packs this engine (and every tenant derived from it) shares."""
        return self._catalog

    @property
    def metrics(self) -> dict[str, Metric]:
        """The metrics the packs declare (``metrics:`` sections), by name."""
        from .._features.metric import Metric

        return {name: Metric.from_spec(spec) for name, spec in self._catalog.metrics.items()}

    @property
    def rewards(self) -> dict[str, RewardRule]:
        """The reward rules the packs declare (``rewards:`` sections), by name."""
        from .._features.reward import RewardRule

        return {name: RewardRule.from_spec(spec) for name, spec in self._catalog.rewards.items()}

    def __repr__(self) -> str:
        packs = ", ".join(p.name for p in self._catalog.packs)
        extra = f", {len(self._overrides)} overrides" if self._overrides else ""
        return f"<Engine packs=[{packs}]{extra}>"

    # -- tenants ---------------------------------------------------------------------------------

    def with_params(self, **params: Any) -> Engine:
        """A new engine with some parameters replaced; this engine is unchanged.

        Values may be strings (``"4 min"``), ``(magnitude, unit)`` pairs, pint quantities,
        or mappings with ``value`` and optional ``low``/``high``. An override without a range
        is taken as exact: the tenant's own number.
        """
        overrides = dict(self._overrides)
        for name, raw in params.items():
            overrides[name] = self._override_value(name, raw)
        return Engine(self._catalog, overrides, _root=self._root or self)

    def _override_value(self, name: str, raw: Any) -> Value:
        parameters = self._catalog.parameters
        if name not in parameters:
            close = _close(name, parameters, 2)
            hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
            raise ParameterError(f"unknown parameter {_shown(name)}{hint}", name=name)
        low = high = None
        if isinstance(raw, Mapping):
            unknown = set(raw) - {"value", "low", "high"}
            if unknown or "value" not in raw:
                raise ParameterError(
                    f"parameter {name!r}: a mapping needs 'value' and may have 'low' and "
                    f"'high' (got {sorted(raw)})",
                    name=name,
                )
            value, low, high = raw["value"], raw.get("low"), raw.get("high")
        else:
            value = raw
        try:
            result = parameter_value(_as_text(value), _opt_text(low), _opt_text(high), name)
        except (ExprError, UnitError, InputError) as exc:
            message = exc.message if isinstance(exc, ExprError) else str(exc)
            raise ParameterError(f"parameter {name!r}: {message}", name=name) from None
        except OverflowError:
            raise ParameterError(
                f"parameter {name!r}: the value is too large for a 64-bit float", name=name
            ) from None
        expected = parameters[name].value.unit
        if result.unit.dimensionality != expected.dimensionality:
            result = _per_one(result, expected) or result
        if result.unit.dimensionality != expected.dimensionality:
            raise ParameterError(
                f"parameter {name!r} is measured in {format_unit(expected)} "
                f"({expected.dimensionality}); {value!r} is {result.unit.dimensionality}",
                name=name,
            )
        if not result.low > 0 and any(name in r.parameters for r in self._catalog.rules.values()):
            raise ParameterError(
                f"parameter {name!r} must be positive (got {result.central:g}, low "
                f"{result.low:g}): factors are positive",
                name=name,
            )
        return result

    # -- conversion ------------------------------------------------------------------------------

    def convert(
        self,
        quantity: Any,
        to: str,
        *,
        of: str | None = None,
        unit: str | None = None,
        per: str | None = None,
        negative: str | None = None,
    ) -> Result:
        """Convert ``quantity`` to kind ``to``.

        ``quantity`` is a string (``"12000 transaction/month"``), a ``(magnitude, unit)`` pair
        (the magnitude a number, a numpy array or a pandas Series) or a pint quantity. ``of``
        names the source kind when the unit alone does not decide it; ``unit`` is the result
        unit (default: the kind's display unit); ``per`` turns a total into a rate over that
        period (``per="month"``). Negative amounts follow the policy of the kinds on the path
        (see :attr:`Compiled.negative`) unless ``negative`` overrides it for this call.
        """
        magnitude, unit_text = _split(quantity)
        key = (unit_text, to, of, unit, per)
        try:
            compiled = self._cache.get(key)
        except TypeError:  # an unhashable option: say which
            _check_options(to=to, of=of, unit=unit, per=per)
            raise
        if compiled is None:
            compiled = self.compile(unit_text, to, of=of, unit=unit, per=per)
        return compiled.apply(magnitude, negative=negative)

    def source_kind(self, quantity: Any, *, of: str | None = None) -> str:
        """The kind ``quantity`` is read as: ``of`` when given, else inferred from its unit."""
        _, unit_text = _split(quantity)
        _check_options(input_unit=unit_text, of=of, to="")
        compiler = _Compiler(self, unit_text, "", of, None, None)
        unit = parse_unit(unit_text)
        kind = compiler.kind(of, "of") if of is not None else compiler.infer(unit)
        compiler.refuse(kind, unit)
        compiler.form(kind, unit)
        return kind.name

    def series(
        self,
        values: Any,
        to: str,
        *,
        of: str | None = None,
        unit: str | None = None,
        negative: str | None = None,
    ) -> Series:
        """Per-period and cumulative results of a total per calendar period.

        See :mod:`equivmetrics._series`: months have their true lengths, capacities (FTE)
        accumulate to FTE-years; ``negative`` overrides the negative-value policy.
        """
        from .._features.series import series

        return series(self, values, to, of=of, unit=unit, negative=negative)

    def feel_good(
        self,
        quantity: Any,
        *,
        of: str | None = None,
        only: Sequence[str] | None = None,
        top: int | None = None,
        per: str | None = None,
        locale: str = "en",
        sig: int | None = None,
    ) -> tuple[Equivalent, ...]:
        """Feel-good equivalents: value already received, most relatable first.

        ``only`` names the kinds to show (in that order); otherwise the packs' feel-good kinds
        reachable from the input are chosen and ordered by relatability (docs/equivalents.md).
        ``top`` keeps the first few; ``locale`` words them (babel for non-English); ``sig``
        fixes the significant figures.
        """
        return offer(
            self, quantity, "feel_good", of=of, only=only, top=top, per=per, locale=locale, sig=sig
        )

    def action(
        self,
        quantity: Any,
        *,
        of: str | None = None,
        only: Sequence[str] | None = None,
        top: int | None = None,
        per: str | None = None,
        locale: str = "en",
        sig: int | None = None,
    ) -> tuple[Equivalent, ...]:
        """Action equivalents: the cost of a choice, to help decide what to do next.

        The same arguments as :meth:`feel_good`.
        """
        return offer(
            self, quantity, "action", of=of, only=only, top=top, per=per, locale=locale, sig=sig
        )

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
        _check_options(input_unit=input_unit, to=to, of=of, unit=unit, per=per)
        key = (input_unit, to, of, unit, per)
        compiled = self._cache.get(key)
        if compiled is not None:
            return compiled
        compiled = _Compiler(self, input_unit, to, of, unit, per).run()
        bound = MAX_COMPILED if self._root is None else MAX_TENANT_COMPILED
        if len(self._cache) < bound:  # past it, distinct unit texts cost time, not memory
            self._cache[key] = compiled
        return compiled

    def _factor(self, edge: Edge) -> Value:
        rule = edge.rule
        value = self._factors.get(rule.id)
        if value is None:
            value = factor_value(rule, self._catalog.parameters, self._overrides)
            if not value.low > 0:
                raise ParameterError(
                    f"with this engine's parameters, rule {rule.id!r} has a factor range that "
                    f"is not positive ({value.low:g}..{value.high:g})",
                    name=rule.id,
                )
            self._factors[rule.id] = value
        return value

    def _shared(self, path: tuple[Edge, ...]) -> Engine | None:
        """The root engine, when no rule on ``path`` depends on this engine's overrides."""
        if self._root is None or not self._overrides:
            return self._root
        touched = set(self._overrides)
        if all(touched.isdisjoint(e.rule.parameters) for e in path):
            return self._root
        return None


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], str):
        mag = value[0]
        if _is_number(mag):
            return f"{float(mag)!r} {value[1]}"
    if hasattr(value, "magnitude") and hasattr(value, "units"):
        return f"{float(value.magnitude)!r} {value.units!s}"
    if _is_number(value):
        return repr(float(value))
    raise InputError(
        f"cannot use {value!r} as a parameter value; give text such as '4 min'", value=value
    )


def _opt_text(value: Any) -> str | None:
    return None if value is None else _as_text(value)


def _split(quantity: Any) -> tuple[Any, str]:
    """Magnitude and unit text of any accepted input; raise :class:`InputError` otherwise."""
    if isinstance(quantity, str):
        return split_quantity(quantity)
    if isinstance(quantity, tuple):
        if len(quantity) != 2 or not isinstance(quantity[1], str):
            raise InputError(
                f"a pair must be (magnitude, 'unit'), got {quantity!r}", value=quantity
            )
        return _magnitude(quantity[0]), quantity[1]
    if hasattr(quantity, "magnitude") and hasattr(quantity, "units"):
        return _magnitude(quantity.magnitude), unit_text_of(quantity.units)
    raise InputError(
        f"cannot convert a {type(quantity).__name__}: give text ('12 kWh'), a "
        "(magnitude, 'unit') pair, or a pint quantity",
        value=quantity,
    )


def _bits(value: Any) -> int:
    """The size of a huge int or fraction in bits (its text could be too long to show)."""
    ratio = value.as_integer_ratio()
    return int(abs(ratio[0]).bit_length() - ratio[1].bit_length())


def _is_number(value: object) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, numbers.Real)


def _magnitude(value: Any) -> Any:
    if _is_number(value):
        if isinstance(value, float) or hasattr(value, "dtype"):
            return value
        try:  # ints and fractions: read as a float, which a huge one cannot be
            as_float = float(value)
        except OverflowError:
            raise InputError(
                f"the magnitude (about 2**{_bits(value)}) is too large for a 64-bit float "
                "(at most about 1.8e308); scale it to a larger unit",
                value=value,
            ) from None
        return value if isinstance(value, int) else as_float
    if hasattr(value, "__array__") and hasattr(value, "dtype"):
        kind = getattr(value.dtype, "kind", "O")
        if kind not in "iuf":
            raise InputError(
                f"array magnitudes must be numeric, got dtype {value.dtype}", value=value
            )
        return value
    if isinstance(value, list):
        import numpy as np

        try:
            return np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            raise InputError("a list magnitude must hold numbers only", value=value) from None
    raise InputError(
        f"a magnitude must be a number or a numeric array, not {type(value).__name__}", value=value
    )
