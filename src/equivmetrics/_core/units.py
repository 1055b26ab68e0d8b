"""Unit scopes: the pint registry a catalog reads its units with.

equivmetrics never touches the host application's registry (nor pint's application registry).
Every unit it reads goes through a :class:`UnitScope`, which owns one :class:`pint.UnitRegistry`
of its own and caches what it has read. The *base scope* holds pint's units and the library's
domain units (transactions, FTE, currencies, ...); it is shared by every catalog whose packs add
no unit, and :func:`get_registry` returns its registry. A catalog whose packs add units reads
them in a scope of its own (made in :mod:`.unit_defs`), so one engine's units never change what
another engine reads.

Registries are created lazily: ``import equivmetrics`` imports no pint. The first one is built
from pint's definitions (slow) and handed to the first scope as it is, so a start that needs one
scope copies nothing. Only when a second registry is needed is one built again from pint's
definitions and kept unused as a template; that scope's registry and every later one is a deep
copy of it (pint supports ``copy.deepcopy`` of a registry, about five times faster than building
one). A registry belongs to one scope only. No registry's units change after its scope is made.

Memory stays bounded however many distinct unit texts callers send: a scope's own parse
caches are LRU caches of fixed size, and pint's caches of what it has worked out per
combination of units keep at most :data:`~.pint_caches.MAX_PINT_CACHE` entries beyond those
pint builds at start (:mod:`.pint_caches`). pint's table of prefixed unit names (``kilozork``
once read) grows only up to its vocabulary: each prefix times each unit name.
"""

from __future__ import annotations

import copy
import difflib
import functools
import math
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any, NamedTuple, TypeAlias

from equivmetrics.exceptions import InputTypeError, UnitError

from .locks import new_lock
from .pint_caches import MAX_PINT_CACHE, bound_caches
from .unit_text import PREFIXES, checked_text, format_unit, split_quantity, unit_items

__all__ = [
    "CURRENCIES",
    "PintUnit",
    "Registry",
    "Spelling",
    "UnitScope",
    "base_scope",
    "get_registry",
    "new_registry",
    "parse_quantity",
    "parse_unit",
    "pint_module",
    "unit_factor",
]

#: ISO 4217 codes defined as units, each its own dimension: no silent exchange rates.
CURRENCIES: tuple[str, ...] = (
    "AUD", "BRL", "CAD", "CHF", "CNY", "DKK", "EUR", "GBP", "HKD", "INR", "JPY",
    "KRW", "MXN", "NOK", "NZD", "PLN", "SEK", "SGD", "USD", "ZAR",
)  # fmt: skip

_DOMAIN_UNITS: tuple[str, ...] = (
    "transaction = [transaction] = txn",
    "FTE = [full_time_equivalent] = full_time_equivalent",
    # The food Calorie of nutrition labels is the kilocalorie. pint's `calorie` is the small one.
    "Cal = kilocalorie = food_calorie",
    "million_Btu = 1e6 * british_thermal_unit = MMBtu = mmBtu",
    *(f"{code} = [currency_{code}]" for code in CURRENCIES),
)

#: pint's unit and registry classes are generic in ways its annotations do not settle; the
#: library treats them as opaque values.
PintUnit: TypeAlias = Any
Registry: TypeAlias = Any

_lock = new_lock(sys.modules[__name__], "_lock")
#: pint's units and the domain units, never used to read anything: the registry every scope's
#: registry but the first is copied from. None until a second registry is needed.
_template: Registry | None = None
#: How many registries were built from pint's definitions (0, 1, or 2 once there is a template).
_built = 0
_base: UnitScope | None = None


def pint_module() -> ModuleType:
    """pint, imported on first need: ``import equivmetrics`` does not import it (cold start)."""
    import pint  # noqa: PLC0415 - pint on first need: importing equivmetrics stays light

    return pint


def new_registry() -> Registry:
    """A registry of its own holding pint's units and the library's domain units: nobody else
    has it, so the caller may define units in it.

    The first is built from pint's definitions and given away as it is (no copy); later ones
    are deep copies of a template built when the second is asked for.
    """
    global _template  # noqa: PLW0603 - the one lazily built template
    with _lock:
        if not _built:
            return _build()
        if _template is None:
            _template = _build()
        # the template is never read from, so nothing changes it while it is copied
        return copy.deepcopy(_template)


def _build() -> Registry:
    """A registry built from pint's definitions, with the domain units (call with the lock held).

    ``on_redefinition="raise"``: nothing can silently redefine ``mile``.
    """
    global _built  # noqa: PLW0603 - counts the registries built, for the template above
    created: Registry = pint_module().UnitRegistry(
        on_redefinition="raise",
        cache_folder=None,
        autoconvert_offset_to_baseunit=False,
    )
    for definition in _DOMAIN_UNITS:
        created.define(definition)
    _built += 1
    return created


def base_scope() -> UnitScope:
    """The scope of pint's units and the library's domain units (created once, thread-safely)."""
    global _base  # noqa: PLW0603 - the one lazily created base scope
    scope = _base
    if scope is None:
        registry = new_registry()
        with _lock:
            if _base is None:
                _base = UnitScope(registry, rebuild=base_scope)
            scope = _base
    return scope


def get_registry() -> Registry:
    """The base scope's registry: pint's units and the library's domain units, no pack's units."""
    return base_scope().registry


class Spelling(NamedTuple):
    """How pint reads one unit name as written: ``kgals`` is the prefix ``kilo`` (written
    ``k``) on ``gals``, a spelling of ``gallon``."""

    #: pint's canonical unprefixed name: ``gallon`` for ``gal``, ``ton`` for ``short_ton``.
    root: str
    #: The prefix's name (``kilo``), ``""`` for none.
    prefix: str
    #: The name as written, without its prefix: ``gals``.
    stem: str


class UnitScope:
    """A pint registry and what has been read through it; thread-safe, never changed.

    :meth:`parse` answers from a cache of its own, so the same text may mean different units in
    two scopes. ``rebuild(*key)`` makes an equal scope in another process: a scope pickles as
    the definitions it was made from, never as a registry.
    """

    def __init__(
        self,
        registry: Registry,
        *,
        rebuild: Callable[..., UnitScope] | None = None,
        key: tuple[Any, ...] = (),
    ) -> None:
        self.registry = registry
        bound_caches(registry)
        self._rebuild = rebuild
        self._key = key
        self.parse: Callable[[str], PintUnit] = functools.lru_cache(maxsize=4096)(self._parse)
        self.per_item: Callable[[PintUnit, PintUnit], PintUnit | None] = functools.lru_cache(
            maxsize=1024
        )(self._per_item)
        self._multiplicative: dict[str, bool] = {}
        self._names: list[str] | None = None
        self.dimensionless: PintUnit = registry.dimensionless
        self.time: Any = registry.Unit("second").dimensionality

    def __repr__(self) -> str:
        return f"<UnitScope {id(self):#x}>"

    def __reduce__(self) -> tuple[Any, ...]:
        if self._rebuild is None:
            raise UnitError("a unit scope whose units could not all be defined cannot be pickled")
        return self._rebuild, self._key

    def __contains__(self, name: str) -> bool:
        return name in self.registry

    def _parse(self, text: str) -> PintUnit:
        """Parse a unit string; raise :class:`UnitError` when unknown or unfit."""
        if not isinstance(text, str):  # callers may pass anything at run time
            raise InputTypeError(f"a unit must be a string, not {type(text).__name__}", value=text)
        stripped = checked_text(text.strip())
        if not stripped:
            return self.dimensionless
        pint = pint_module()
        try:
            parsed = self.registry.parse_expression(stripped)
        except pint.errors.UndefinedUnitError as exc:
            names = getattr(exc, "unit_names", ()) or (stripped,)
            name = names[0] if isinstance(names, tuple) else str(names)
            raise UnitError(
                f"unknown unit {name!r} in {stripped!r}{self._did_you_mean(name)}", unit=stripped
            ) from None
        except Exception as exc:  # pint raises many kinds of errors on malformed text
            raise UnitError(f"cannot read {stripped!r} as a unit: {exc}", unit=stripped) from None
        if isinstance(parsed, pint.Quantity):
            if parsed.magnitude != 1:
                raise UnitError(
                    f"{stripped!r} is a quantity, not a unit; write the number separately",
                    unit=stripped,
                )
            unit = parsed.units
        elif isinstance(parsed, int | float) and parsed == 1:
            unit = self.dimensionless
        else:
            raise UnitError(f"cannot read {stripped!r} as a unit", unit=stripped)
        if not self.is_multiplicative(unit):
            raise UnitError(
                f"{stripped!r} has an offset (like degC); equivalences are linear and need "
                "multiplicative units such as kelvin",
                unit=stripped,
            )
        return unit

    def is_multiplicative(self, unit: PintUnit) -> bool:
        """Whether every unit in ``unit`` scales from zero (no degC, no decibel)."""
        return all(self._scales(name) for name, _power in unit_items(unit) or ())

    def _scales(self, name: str) -> bool:
        known = self._multiplicative.get(name)
        if known is None:
            # pint says it publicly by converting: an offset or logarithmic unit moves zero
            try:
                known = self.registry.Quantity(0.0, name).to_root_units().magnitude == 0.0
            except Exception:
                known = False
            if len(self._multiplicative) < MAX_PINT_CACHE:
                self._multiplicative[name] = known
        return known

    def quantity(self, magnitude: Any, unit_text: str) -> Any:
        """A quantity of this scope's registry."""
        return self.registry.Quantity(magnitude, self.parse(unit_text))

    def root_name(self, unit: PintUnit) -> str | None:
        """``"watt_hour"`` for ``MWh``: the unprefixed name of a single-name unit, else None."""
        items = unit_items(unit) or []
        if len(items) != 1 or items[0][1] != 1:
            return None
        parsed = self.registry.parse_unit_name(items[0][0])
        return str(parsed[0][1]) if parsed else None

    def spelling(self, name: str) -> Spelling | None:
        """How pint reads ``name``, one unit name as written (``Mbbl``); None for no unit."""
        parsed = self._unit_names(name)
        if not parsed:
            return None
        prefix, root, _suffix = parsed[0]
        if not prefix:
            return Spelling(str(root), "", name)
        # the stem is the longest tail pint reads as the root itself: "gals" in "kgals"
        stem = next(
            (
                name[cut:]
                for cut in range(1, len(name))
                if ("", root) in {(p, r) for p, r, _ in self._unit_names(name[cut:])}
            ),
            name,
        )
        return Spelling(str(root), str(prefix), stem)

    def _unit_names(self, name: str) -> tuple[tuple[str, str, str], ...]:
        try:
            return tuple(self.registry.parse_unit_name(name))
        except Exception:  # pint raises on some malformed names; they name no unit
            return ()

    def symbol(self, root: str) -> str:
        """pint's preferred short name of unit ``root``: ``gal`` for ``gallon``."""
        return str(self.registry.get_symbol(root))

    def time_part(self, unit: PintUnit) -> str | None:
        """The name of a ``unit^-1`` component measuring time, as in ``transaction/month``."""
        for name, power in unit_items(unit) or ():
            if power == -1 and self.parse(name).dimensionality == self.time:
                return name
        return None

    def _per_item(self, given: PintUnit, expected: PintUnit) -> PintUnit | None:
        """The one unit, not of time, in the denominator of ``expected`` that ``given`` lacks.

        ``"4 min"`` for a parameter in ``min/transaction`` lacks ``transaction``; ``"55 USD"``
        for one in ``USD/hour`` lacks nothing this answers (per hour or per day?).
        """
        matches = []
        for name, power in unit_items(expected) or ():
            if power != -1:
                continue
            unit = self.parse(name)
            if (
                unit.dimensionality != self.time
                and (given / unit).dimensionality == expected.dimensionality
            ):
                matches.append(unit)
        return matches[0] if len(matches) == 1 else None

    # -- suggestions ----------------------------------------------------------------------------

    def _did_you_mean(self, name: str) -> str:
        close = self.suggest(name)
        return f" — did you mean {' or '.join(repr(c) for c in close)}?" if close else ""

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """Close matches to an unknown unit name among this scope's names and symbols.

        Names longer than :data:`MAX_SUGGESTED` get none: matching costs grow with the length,
        and a 190-character name took half a second.
        """
        if len(name) > MAX_SUGGESTED:
            return []
        names = self.names()
        lowered = {known.lower(): known for known in names}
        found = set(difflib.get_close_matches(name, names, n=n, cutoff=0.75))
        if name.lower() in lowered:
            found.add(lowered[name.lower()])
        for prefix in PREFIXES:  # "kWhh" -> "k" + close("Whh") -> "kWh"; "kwh" -> "kWh"
            rest = name[len(prefix) :]
            if rest and name.startswith(prefix):
                close = difflib.get_close_matches(rest, names, n=n, cutoff=0.75)
                # not "T" + "transaction" for "Transaktionen": the letter is the word's own
                found.update(prefix + m for m in close if not m.lower().startswith(prefix.lower()))
                if rest.lower() in lowered:
                    found.add(prefix + lowered[rest.lower()])
        ranked = sorted(found, key=lambda c: (-difflib.SequenceMatcher(None, name, c).ratio(), c))
        return ranked[:n]

    def names(self) -> list[str]:
        """Every unit name, symbol and alias this scope's registry knows, sorted."""
        names = self._names
        if names is None:
            # pint adds a prefixed unit to its table when it first reads it, possibly in another
            # thread while this walks the table: read it again until a walk completes
            for attempt in range(20):
                try:
                    names = list(self.registry)
                    break
                except RuntimeError:  # "dictionary changed size during iteration"
                    if attempt == 19:
                        raise
            self._names = names
        return names or []


#: No unit name is longer (pint's longest are about 35 characters).
MAX_SUGGESTED = 40


def parse_unit(text: str) -> PintUnit:
    """:meth:`UnitScope.parse` in the base scope (for callers reading no pack's units)."""
    return base_scope().parse(text)


def parse_quantity(text: str) -> tuple[float, str]:
    """:func:`~.unit_text.split_quantity`, the unit text checked in the base scope."""
    if not isinstance(text, str):
        raise InputTypeError(f"a quantity must be a string, not {type(text).__name__}", value=text)
    magnitude, unit_text = split_quantity(text)
    parse_unit(unit_text)
    return magnitude, unit_text


def unit_factor(source: PintUnit, target: PintUnit) -> float:
    """The plain float ``k`` such that ``1 source == k target``; dimensions must match.

    Both units come from one scope; the registry is theirs.
    """
    try:
        value = float((1.0 * source).to(target).magnitude)
    except pint_module().errors.DimensionalityError:
        raise UnitError(
            f"cannot express {format_unit(source)} ({source.dimensionality}) in "
            f"{format_unit(target)} ({target.dimensionality})",
            unit=str(target),
        ) from None
    if not math.isfinite(value):
        raise UnitError(f"converting {source} to {target} does not give a finite number")
    return value
