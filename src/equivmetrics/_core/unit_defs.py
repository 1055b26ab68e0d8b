"""Units that packs define, read in a scope of their own.

A catalog hands the units its packs define to :func:`scope_for` and reads every unit with the
scope it gets back: the base scope when the packs add nothing, otherwise a new registry (a copy
of the base definitions) with the packs' units defined in it. Each unit is checked before it is
defined — a pack may add units, never change one — and a problem comes back as a message for
the catalog to place at the unit's file and line. Catalogs whose packs define exactly the same
units (name, definition, aliases) share one scope while any of them lives; a load that fails
simply drops its scope, so there is nothing to take back.
"""

from __future__ import annotations

import math
import re
import threading
import weakref
from collections.abc import Sequence
from typing import Any

import attrs

from equivmetrics.exceptions import UnitError

from .unit_text import checked_text
from .units import Registry, UnitScope, base_scope, new_registry, pint_module

__all__ = ["NewUnit", "scope_for", "scope_of"]


@attrs.frozen
class NewUnit:
    """A unit a pack defines: ``name = definition``, with aliases; ``owner`` says who, for
    messages (``pack 'x' at file:line:column``)."""

    name: str
    definition: str
    aliases: tuple[str, ...] = ()
    owner: str = ""


_lock = threading.Lock()
_scopes: weakref.WeakValueDictionary[tuple[tuple[str, str, tuple[str, ...]], ...], UnitScope] = (
    weakref.WeakValueDictionary()
)


def scope_for(units: Sequence[NewUnit]) -> tuple[UnitScope, list[str | None]]:
    """The scope to read a catalog's units with, and per unit None or what was wrong with it.

    The scope holds the units that could be defined even when some could not (so that the rest
    of the catalog can still be checked); only a scope without problems is shared.
    """
    key = tuple((unit.name, unit.definition, unit.aliases) for unit in units)
    if not key:
        return base_scope(), []
    with _lock:
        cached = _scopes.get(key)
    if cached is not None:
        return cached, [None] * len(units)
    definer = _Definer(new_registry())
    problems = [definer.define(unit) for unit in units]
    if any(problems):
        return UnitScope(definer.registry), problems
    if definer.added:
        scope = UnitScope(definer.registry, rebuild=scope_of, key=key)
    else:
        scope = base_scope()  # every unit is one of the base scope's already
    with _lock:
        return _scopes.setdefault(key, scope), problems


def scope_of(*key: tuple[str, str, tuple[str, ...]]) -> UnitScope:
    """The scope of these ``(name, definition, aliases)`` units (how a scope unpickles)."""
    scope, problems = scope_for(
        [NewUnit(name, definition, aliases) for name, definition, aliases in key]
    )
    problem = next((p for p in problems if p), None)
    if problem:
        raise UnitError(f"cannot rebuild a unit scope: {problem}")
    return scope


_DIMENSION = re.compile(r"^\[[A-Za-z_][A-Za-z0-9_]*\]$")


class _Definer:
    """Defines one catalog's units into a registry nobody else reads yet."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        #: unit name -> (definition, aliases) and -> owner, for the units defined here
        self.defined: dict[str, tuple[str, tuple[str, ...]]] = {}
        self.owners: dict[str, str] = {}
        #: whether anything (a unit, an alias) was added to the base definitions
        self.added = False
        #: a dimension started here ('[ticket]') -> the unit that started it
        self.dimensions: dict[str, str] = {}
        self.checker = UnitScope(registry)  # only its multiplicative check is used here

    def define(self, unit: NewUnit) -> str | None:
        """Define ``unit``; return an error message instead of raising."""
        name, definition, aliases = unit.name, unit.definition, unit.aliases
        previous = self.defined.get(name)
        if previous == (definition, aliases):
            return None  # two packs of this load define it alike
        if previous is not None or name in self.registry:
            return self.again(unit, previous)
        clash = [alias for alias in aliases if alias in self.registry]
        if clash:
            return (
                f"alias {clash[0]!r} of unit {name!r} is already a unit name "
                f"({self.defined_by(self.registry.get_name(clash[0]))})"
            )
        text = definition.strip()
        problem = (
            self.dimension_problem(name, text)
            if text.startswith("[")
            else self.definition_problem(name, text)
        )
        if problem:
            return problem
        try:
            self.registry.define(" = ".join((name, definition, *aliases)))
        except Exception as exc:
            return f"cannot define unit {name!r} from {definition!r}: {exc}"
        self.defined[name] = (definition, aliases)
        self.owners[name] = unit.owner
        self.added = True
        if text.startswith("["):
            self.dimensions[text] = name
        return None

    def again(self, unit: NewUnit, previous: tuple[str, tuple[str, ...]] | None) -> str | None:
        """A name that exists: fine with the same meaning (new aliases are added), else refused."""
        name, definition = unit.name, unit.definition
        existing = self.registry.Quantity(1, name)
        try:
            same = (previous is not None and previous[0] == definition) or (
                not definition.startswith("[") and _same(existing, definition, self.registry)
            )
        except Exception as exc:  # a zero definition divides by zero; pint errors vary
            return f"cannot read the definition {definition!r}: {exc}"
        if not same:
            return (
                f"unit {name!r} is already defined as {existing.to_base_units():~} "
                f"({self.defined_by(self.registry.get_name(name))}); a pack may add units but "
                "never redefine one"
            )
        canonical = self.registry.get_name(name)
        for alias in unit.aliases:  # a second pack's aliases of the same unit are its own
            if alias in self.registry:
                if self.registry.get_name(alias) != canonical:
                    return (
                        f"alias {alias!r} of unit {name!r} is already a unit name "
                        f"({self.defined_by(self.registry.get_name(alias))})"
                    )
                continue
            try:
                self.registry.define(f"@alias {canonical} = {alias}")
            except Exception as exc:
                return f"cannot add alias {alias!r} to unit {name!r}: {exc}"
            self.added = True
        return None

    def dimension_problem(self, name: str, text: str) -> str | None:
        """A definition ``[ticket]`` starts a dimension: it must be well formed and new."""
        if not _DIMENSION.match(text):
            return f"cannot define unit {name!r}: {text!r} is not a dimension like '[ticket]'"
        try:
            self.registry.get_dimensionality(text)
        except ValueError:  # pint: "... is not defined as dimension"
            return None
        owner = self.dimensions.get(text)
        where = (
            f"the dimension of unit {owner!r}, {self.defined_by(owner)}"
            if owner
            else "a built-in dimension of equivmetrics' registry"
        )
        return (
            f"cannot define unit {name!r} as {text!r}: that dimension already exists ({where}); "
            "'[...]' starts a new dimension, so give it a new name, or define the unit from an "
            "existing unit (as in '12 kg')"
        )

    def definition_problem(self, name: str, text: str) -> str | None:
        """pint checks a definition only when the unit is first used; check it up front."""
        problem = self.value_problem(text)
        return f"cannot define unit {name!r}: {problem}" if problem else None

    def value_problem(self, text: str) -> str | None:
        pint = pint_module()
        try:
            value = self.registry.parse_expression(checked_text(text))
        except UnitError as exc:
            return str(exc)
        except pint.errors.UndefinedUnitError as exc:
            return f"unknown unit in {text!r}: {exc}"
        except Exception as exc:
            return f"cannot read {text!r}: {exc}"
        magnitude = value
        if isinstance(value, pint.Quantity):
            if not self.checker.is_multiplicative(value.units):
                return f"{text!r} has an offset unit; use multiplicative units"
            magnitude = value.magnitude
        if not isinstance(magnitude, int | float) or not math.isfinite(magnitude) or magnitude <= 0:
            return f"{text!r} must be a positive, finite multiple of known units"
        return None

    def defined_by(self, name: str) -> str:
        owner = self.owners.get(name)
        if owner:
            return f"defined by {owner}"
        if name in self.owners:
            return "defined by another pack of this load"
        return "a built-in unit of equivmetrics' registry: pint's units and the library's own"


def _same(existing: Any, definition: str, registry: Registry) -> bool:
    wanted = registry.Quantity(checked_text(definition))
    return bool(
        existing.dimensionality == wanted.dimensionality
        and math.isclose((existing / wanted).to("").magnitude, 1.0, rel_tol=1e-12)
    )
