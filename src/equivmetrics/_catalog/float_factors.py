"""Rule factors as plain-float arithmetic of their parameters, for tenants' own figures.

A tenant (``Engine.with_params``) changes some parameters' values, never a rule's expression or
a parameter's unit. :class:`FloatFactors` keeps, per catalog, each rule's factor and each derived
parameter as the float arithmetic of :mod:`~equivmetrics._core.expr_floats`, built on first use
from the catalog's own values; a tenant whose figures are in their parameters' own units then
gets every factor as :func:`~.values.factor_value` would give it, bit for bit, without pint.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping

from equivmetrics._core.expr import Expr
from equivmetrics._core.expr_floats import FloatForm, Floats, Lookup, float_form, run
from equivmetrics._core.units import UnitScope

from .catalog import Catalog, Rule
from .values import parameters_used, resolver

__all__ = ["FloatFactors"]


class FloatFactors:
    """The float forms of one catalog's rule factors and derived parameters (thread-safe)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._forms: dict[tuple[str, str], FloatForm] = {}
        self._inputs: dict[str, frozenset[str]] = {}
        self._lock = threading.Lock()

    def factor(self, rule: Rule, figures: Mapping[str, Floats]) -> Floats:
        """Rule ``rule``'s factor with ``figures`` (parameters' floats in their own units)
        in place of the catalog's values; :class:`ExprError` as evaluation raises it."""
        key = ("rule", rule.id)
        form = self._forms.get(key) or self._form(key, rule.expr)
        return run(form, self._lookup(figures))

    def _form(self, key: tuple[str, str], expr: Expr) -> FloatForm:
        units: UnitScope = self.catalog.units
        parameters = self.catalog.parameters
        with self._lock:
            form = self._forms.get(key)
            if form is None:
                resolve = resolver(units, parameters, {})
                _, form = float_form(expr, resolve, units.dimensionless, parameters.__contains__)
                self._forms[key] = form
        return form

    def _lookup(self, figures: Mapping[str, Floats]) -> Lookup:
        parameters = self.catalog.parameters

        def get(name: str) -> Floats:  # as values.parameter_in, on floats
            found = figures.get(name)
            if found is not None:
                return found
            param = parameters[name]
            if param.expr is None or figures.keys().isdisjoint(self._used(name)):
                return param.value.floats
            key = ("parameter", name)
            form = self._forms.get(key) or self._form(key, param.expr)
            return run(form, get)

        return get

    def _used(self, name: str) -> frozenset[str]:
        """The parameters derived parameter ``name`` is computed from, at any depth."""
        found = self._inputs.get(name)
        if found is None:
            inputs = self.catalog.parameters[name].inputs
            found = frozenset(parameters_used(self.catalog.parameters, inputs))
            self._inputs[name] = found
        return found
