"""Units that packs define, read in a scope of their own.

A catalog hands the units its packs define to :func:`scope_for` and reads every unit with the
scope it gets back: the base scope when the packs add nothing, otherwise a new registry (a copy
of the base definitions) with the packs' units defined in it. Each unit is checked before it is
defined — a pack may add units, never change one — and a problem comes back as a message for
the catalog to place at the unit's file and line. Catalogs whose packs define exactly the same
units (name, definition, aliases, and which pack defines which) share one scope while any of
them lives; a load that fails simply drops its scope, so there is nothing to take back.
"""

from __future__ import annotations

import collections
import math
import re
import sys
import weakref
from collections.abc import Sequence
from typing import Any

import attrs

from equivmetrics.exceptions import UnitError

from .locks import new_lock
from .unit_text import PREFIXES, checked_text
from .units import Registry, UnitScope, base_scope, new_registry, pint_module

__all__ = ["NewUnit", "scope_for", "scope_of"]


@attrs.frozen
class NewUnit:
    """A unit a pack defines: ``name = definition``, with aliases; ``owner`` says who, for
    messages (``pack 'x' at file:line:column``), and ``pack`` names the pack."""

    name: str
    definition: str
    aliases: tuple[str, ...] = ()
    owner: str = ""
    pack: str = ""


_lock = new_lock(sys.modules[__name__], "_lock")
#: A set of pack units: (name, definition, aliases, pack) of each, in the order of loading.
_Key = tuple[tuple[str, str, tuple[str, ...], str], ...]
_scopes: weakref.WeakValueDictionary[_Key, UnitScope] = weakref.WeakValueDictionary()
#: The scopes made last, kept alive (about 1.5 MiB each) so that loading the same packs again
#: soon — a tenant's packs reloaded, a load retried after another problem — reuses the registry
#: instead of building one (tens of milliseconds) when no engine holds it meanwhile.
_recent: collections.OrderedDict[_Key, UnitScope] = collections.OrderedDict()
MAX_RECENT_SCOPES = 4


def scope_for(units: Sequence[NewUnit]) -> tuple[UnitScope, list[str | None]]:
    """The scope to read a catalog's units with, and per unit None or what was wrong with it.

    The scope holds the units that could be defined even when some could not (so that the rest
    of the catalog can still be checked); only a scope without problems is shared.
    """
    # the pack is part of the key: whether two units' forms may collide depends on it
    key: _Key = tuple((u.name, u.definition, u.aliases, u.pack) for u in units)
    if not key:
        return base_scope(), []
    with _lock:
        cached = _scopes.get(key)
        if cached is not None:
            _keep(key, cached)
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
        scope = _scopes.setdefault(key, scope)
        _keep(key, scope)
        return scope, problems


def _keep(key: _Key, scope: UnitScope) -> None:
    """Remember ``scope`` among the most recent ones (call with the lock held)."""
    _recent[key] = scope
    _recent.move_to_end(key)
    while len(_recent) > MAX_RECENT_SCOPES:
        _recent.popitem(last=False)


def scope_of(*key: tuple[str, str, tuple[str, ...], str]) -> UnitScope:
    """The scope of these ``(name, definition, aliases, pack)`` units (how a scope unpickles)."""
    scope, problems = scope_for(
        [NewUnit(name, definition, aliases, pack=pack) for name, definition, aliases, pack in key]
    )
    problem = next((p for p in problems if p), None)
    if problem:
        raise UnitError(f"cannot rebuild a unit scope: {problem}")
    return scope


_DIMENSION = re.compile(r"^\[[A-Za-z_][A-Za-z0-9_]*\]$")
_SUFFIXES = ("", "s")
_PREFIXES_BY_FIRST: dict[str, tuple[str, ...]] = {
    first: tuple(sorted(p for p in PREFIXES if p[0] == first)) for first in {p[0] for p in PREFIXES}
}


class _Definer:
    """Defines one catalog's units into a registry nobody else reads yet."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        #: unit name -> (definition, aliases) and -> owner, for the units defined here
        self.defined: dict[str, tuple[str, tuple[str, ...]]] = {}
        self.owners: dict[str, str] = {}
        self.packs: dict[str, str] = {}
        #: whether anything (a unit, an alias) was added to the base definitions
        self.added = False
        #: a dimension started here ('[ticket]') -> the unit that started it
        self.dimensions: dict[str, str] = {}
        self.checker = UnitScope(registry)  # only its multiplicative check is used here
        #: every name, symbol and alias the registry reads without a prefix or plural
        self.names = set(registry)

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
        ) or self.shadow_problem(unit)
        if problem:
            return problem
        try:
            self.registry.define(" = ".join((name, definition, *aliases)))
        except Exception as exc:
            return f"cannot define unit {name!r} from {definition!r}: {exc}"
        self.defined[name] = (definition, aliases)
        self.owners[name] = unit.owner
        self.packs[name] = unit.pack
        self.names.update((name, *aliases))
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
                f"unit {name!r} is already defined as {_shown(existing)} "
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
            problem = self.shadow_problem(unit, (alias,))
            if problem:
                return problem
            try:
                self.registry.define(f"@alias {canonical} = {alias}")
            except Exception as exc:
                return f"cannot add alias {alias!r} to unit {name!r}: {exc}"
            self.names.add(alias)
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

    def shadow_problem(self, unit: NewUnit, names: tuple[str, ...] | None = None) -> str | None:
        """A new name whose prefixed or plural form already reads as another pack's unit.

        pint reads ``kblip`` as kilo-``blip`` and ``blips`` as ``blip``s unless a unit has that
        very name, and it prefers a prefixed reading to a plural one (``meters`` would become
        milli-``eters``). A pack's unit may therefore not share such a form with a unit of
        pint, of the library or of another pack: some text would silently change meaning.
        The units of one pack are left to its author.
        """
        for new in (unit.name, *unit.aliases) if names is None else names:
            for prefix in ("", *sorted(PREFIXES)):
                for suffix in _SUFFIXES:
                    text = prefix + new + suffix
                    if text == new or not self.may_read(text):
                        continue
                    roots = [root for _p, root, _s in self.registry.parse_unit_name(text)]
                    foreign = [r for r in roots if not unit.pack or self.packs.get(r) != unit.pack]
                    if not foreign:
                        continue
                    reading = _shown(self.registry.Quantity(1, text))
                    form = " + ".join(repr(part) for part in (prefix, new, suffix) if part)
                    return (
                        f"unit {new!r} would change what {text!r} means: {text!r} already reads "
                        f"as {reading} ({self.defined_by(foreign[0])}), and pint would read it "
                        f"as {form} as well; choose a name whose prefixed and plural forms are "
                        "free"
                    )
        return None

    def may_read(self, text: str) -> bool:
        """Whether pint might read ``text`` (a quick sieve before pint's ``parse_unit_name``).

        Splits ``text`` as pint does, a prefix, a unit name and maybe a plural 's', trying only
        the prefixes that start with its first letter.
        """
        for suffix in _SUFFIXES:
            if suffix and not text.endswith(suffix):
                continue
            body = text[: len(text) - len(suffix)]
            for prefix in ("", *_PREFIXES_BY_FIRST.get(body[:1], ())):
                rest = body[len(prefix) :]
                # pint reads no plural of a one-letter name
                if (
                    body.startswith(prefix)
                    and rest in self.names
                    and not (suffix and len(rest) == 1)
                ):
                    return True
        return False

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


def _shown(quantity: Any) -> str:
    """``12 kg``: a quantity in base units, its number as Python writes it (pint versions differ
    in whether a definition's ``12`` stays an int)."""
    base = quantity.to_base_units()
    return f"{base.magnitude:g} {base.units:~}"
