"""A tenant's first conversions without pint: its figures as floats on its root's frames.

A tenant converter (``with_params``) changes some parameters' values, never a path or a unit.
When every override a path depends on is given in its parameter's own unit (``"4 min"`` for
``minutes_per_transaction``, read as minutes per transaction), the path's units are the root's:
its :class:`~.path_units.Frame` is worked out once per conversion for the catalog's factors and
shared by every tenant (:class:`Tenancy`), and each factor the overrides touch is float
arithmetic of the figures (:class:`~equivmetrics._catalog.float_factors.FloatFactors`). The
result is the plain path's, bit for bit: the same operations on the same floats. Its steps,
which only ``explain()`` and ``to_dict()`` read, are recorded by the plain path on first use.

An override in another unit (``"0.05 hour"``, an hourly cost in EUR for a USD parameter), a
factor range that is not positive, or a conversion the root cannot frame (currencies that need
rates) takes the plain path, which also raises the errors.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from equivmetrics._catalog.catalog import Catalog
from equivmetrics._catalog.float_factors import FloatFactors
from equivmetrics._catalog.overrides import Memo, override_value
from equivmetrics._core.expr import ExprError, Floats, Value
from equivmetrics.exceptions import EquivMetricsError

from .compile import Compiler, Plan
from .compiled import Compiled, Key
from .path_units import Frame, multiplied
from .result import Step, StepsLater

__all__ = ["Figures", "Tenancy"]

#: Frames a root converter keeps for its tenants (one per conversion they make).
MAX_FRAMES = 10_000


class Tenancy:
    """What a root converter shares with its tenants beyond the catalog: the float forms of
    factors, the frames of conversions, and the units of overrides already read."""

    def __init__(self, catalog: Catalog) -> None:
        self.forms = FloatFactors(catalog)
        self.frames: dict[Key, Frame | None] = {}
        self.memo: Memo = {}

    def override(self, catalog: Catalog, name: str, raw: Any) -> Value:
        """A tenant's value ``raw`` for parameter ``name``, checked (units read once)."""
        return override_value(catalog, name, raw, self.memo)

    def figures(self, catalog: Catalog, overrides: Mapping[str, Value]) -> Figures:
        """A tenant's :class:`Figures` (made here, so its converter imports nothing)."""
        return Figures(catalog, overrides)

    def frame(self, key: Key, compiler: Compiler, plan: Plan) -> Frame | None:
        """The frame of conversion ``key`` with the catalog's factors (None: plain path)."""
        if key in self.frames:
            return self.frames[key]
        defaults = compiler.catalog.default_factors
        try:
            frame: Frame | None = compiler.frame(
                plan, [defaults[edge.rule.id].unit for edge in plan.path]
            )
        except EquivMetricsError:
            frame = None  # the plain path raises it, with this tenant's figures
        if frame is not None and frame.swap is not None:
            frame = None  # an exchange of currencies: the plain path records it
        if len(self.frames) < MAX_FRAMES:
            self.frames[key] = frame
        return frame


class Figures:
    """A tenant's overrides as floats, and the factors computed from them."""

    def __init__(self, catalog: Catalog, overrides: Mapping[str, Value]) -> None:
        parameters = catalog.parameters
        self.floats: dict[str, Floats] = {}
        for name, value in overrides.items():
            own = parameters[name].value.unit
            if value.unit is own or value.unit == own:
                self.floats[name] = value.floats
        self.touched = frozenset(overrides)
        #: Overrides in another unit than their parameter's: factors using them take the
        #: plain path.
        self.other = self.touched - self.floats.keys()
        self.factors: dict[str, Floats | None] = {}

    def compile(
        self,
        tenancy: Tenancy,
        key: Key,
        compiler: Compiler,
        plan: Plan,
        steps: Callable[[], tuple[Step, ...]],
    ) -> Compiled | None:
        """Conversion ``key`` with these figures, its steps left to ``steps`` (None: take
        the plain path)."""
        factors = self._factors(tenancy, plan)
        if factors is None:
            return None
        frame = tenancy.frame(key, compiler, plan)
        if frame is None:
            return None
        running = multiplied(plan.scale, plan.path, factors)
        try:
            return compiler.finish(plan, frame, running, StepsLater(steps))
        except EquivMetricsError:
            return None  # a factor out of a float's range: the plain path says so

    def _factors(self, tenancy: Tenancy, plan: Plan) -> list[Floats] | None:
        defaults = tenancy.forms.catalog.default_factors
        found: list[Floats] = []
        for edge in plan.path:
            rule = edge.rule
            if self.touched.isdisjoint(rule.parameters):
                found.append(defaults[rule.id].floats)
                continue
            if rule.id not in self.factors:
                self.factors[rule.id] = self._factor(tenancy, rule)
            factor = self.factors[rule.id]
            if factor is None:
                return None
            found.append(factor)
        return found

    def _factor(self, tenancy: Tenancy, rule: Any) -> Floats | None:
        if not self.other.isdisjoint(rule.parameters):
            return None
        try:
            factor = tenancy.forms.factor(rule, self.floats)
        except ExprError:
            return None
        return factor if factor[1] > 0 else None  # the plain path raises the range's error
