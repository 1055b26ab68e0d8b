"""The library's own pint registry and the unit look-ups the rest of the package uses.

equivmetrics never touches the host application's registry (nor pint's application registry).
It owns one :class:`pint.UnitRegistry`, created lazily on first use, with its domain units
defined once and ``on_redefinition="raise"`` so that nothing can silently redefine ``mile``.
Packs may *add* units to it (see :func:`define_unit`), never change one.

A host with a registry of its own passes quantities in as ``(magnitude, "unit string")`` or as a
quantity of its registry; a foreign quantity is read through its magnitude and unit string.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
import threading
from collections.abc import Iterable
from types import ModuleType
from typing import Any, TypeAlias

from equivmetrics.exceptions import InputTypeError, UnitError

from .unit_text import checked_text, format_unit, split_quantity

__all__ = [
    "CURRENCIES",
    "PintUnit",
    "define_unit",
    "dimension_of",
    "forget_units",
    "get_registry",
    "parse_quantity",
    "parse_unit",
    "suggest_units",
    "time_dimension",
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

_lock = threading.RLock()
_registry: Registry | None = None
#: Units added by packs, with their definition text: loading the same pack again is a no-op.
_defined_by_packs: dict[str, tuple[str, tuple[str, ...]]] = {}
#: Who defined each unit added by a pack (``pack 'x' at file:line``), for conflict messages.
_owners: dict[str, str] = {}


def registry_lock() -> threading.RLock:
    """The lock that orders every change to the registry.

    A catalog build holds it from its first :func:`define_unit` to its last
    :func:`forget_units`, so a failing build never takes back a unit that a concurrent build
    found already defined and relies on.
    """
    return _lock


def _pint() -> ModuleType:
    """pint, imported on first need: ``import equivmetrics`` does not import it (cold start)."""
    import pint

    return pint


def get_registry() -> Registry:
    """Return the library's registry, creating it (once, thread-safely) on first use."""
    global _registry  # noqa: PLW0603 - the one lazily created, process-wide registry
    reg = _registry
    if reg is not None:
        return reg
    with _lock:
        if _registry is None:
            created: Registry = _pint().UnitRegistry(
                on_redefinition="raise",
                cache_folder=None,
                autoconvert_offset_to_baseunit=False,
            )
            for definition in _DOMAIN_UNITS:
                created.define(definition)
            _registry = created
        return _registry


@functools.lru_cache(maxsize=4096)
def parse_unit(text: str) -> PintUnit:
    """Parse a unit string with the library registry; raise :class:`UnitError` when unknown.

    Results are cached; the registry is append-only, so a cached answer never goes stale.
    """
    reg = get_registry()
    if not isinstance(text, str):  # callers may pass anything at run time
        raise InputTypeError(f"a unit must be a string, not {type(text).__name__}", value=text)
    stripped = checked_text(text.strip())
    if not stripped:
        return reg.dimensionless
    try:
        parsed = reg.parse_expression(stripped)
    except _pint().errors.UndefinedUnitError as exc:
        names = getattr(exc, "unit_names", ()) or (stripped,)
        name = names[0] if isinstance(names, tuple) else str(names)
        raise UnitError(
            f"unknown unit {name!r} in {stripped!r}{_did_you_mean(name)}", unit=stripped
        ) from None
    except Exception as exc:  # pint raises many kinds of errors on malformed text
        raise UnitError(f"cannot read {stripped!r} as a unit: {exc}", unit=stripped) from None
    if isinstance(parsed, _pint().Quantity):
        if parsed.magnitude != 1:
            raise UnitError(
                f"{stripped!r} is a quantity, not a unit; write the number separately",
                unit=stripped,
            )
        unit = parsed.units
    elif isinstance(parsed, int | float) and parsed == 1:
        unit = reg.dimensionless
    else:
        raise UnitError(f"cannot read {stripped!r} as a unit", unit=stripped)
    if not _is_multiplicative(unit):
        raise UnitError(
            f"{stripped!r} has an offset (like degC); equivalences are linear and need "
            "multiplicative units such as kelvin",
            unit=stripped,
        )
    return unit


def _is_multiplicative(unit: PintUnit) -> bool:
    reg = get_registry()
    return all(reg._units[name].is_multiplicative for name in unit._units)


def _did_you_mean(name: str) -> str:
    close = suggest_units(name)
    return f" — did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


#: No unit name is longer (pint's longest are about 35 characters).
MAX_SUGGESTED = 40


def suggest_units(name: str, n: int = 3) -> list[str]:
    """Close matches to an unknown unit name among the registry's names and symbols.

    Names longer than :data:`MAX_SUGGESTED` get none: matching costs grow with the length, and
    a 190-character name took half a second.
    """
    if len(name) > MAX_SUGGESTED:
        return []
    reg = get_registry()
    names = _unit_names(id(reg))
    lowered = {known.lower(): known for known in names}
    found = set(difflib.get_close_matches(name, names, n=n, cutoff=0.75))
    if name.lower() in lowered:
        found.add(lowered[name.lower()])
    for prefix in _prefixes(id(reg)):  # "kWhh" -> "k" + close("Whh") -> "kWh"; "kwh" -> "kWh"
        rest = name[len(prefix) :]
        if rest and name.startswith(prefix):
            found.update(
                prefix + m for m in difflib.get_close_matches(rest, names, n=n, cutoff=0.75)
            )
            if rest.lower() in lowered:
                found.add(prefix + lowered[rest.lower()])
    ranked = sorted(found, key=lambda c: -difflib.SequenceMatcher(None, name, c).ratio())
    return ranked[:n]


@functools.lru_cache(maxsize=4)
def _prefixes(_registry_id: int) -> list[str]:
    reg = get_registry()
    found: set[str] = set()
    for prefix_name, definition in reg._prefixes.items():
        if prefix_name:
            found.add(prefix_name)
        symbol = getattr(definition, "symbol", None)
        if symbol:
            found.add(symbol)
    return sorted(found)


@functools.lru_cache(maxsize=4)
def _unit_names(_registry_id: int) -> list[str]:
    reg = get_registry()
    found: set[str] = set()
    with _lock:  # pint adds prefixed units to this dict as they are first parsed: take a copy
        items = list(reg._units.items())
    for name, definition in items:
        found.add(name)
        symbol = getattr(definition, "symbol", None)
        if symbol:
            found.add(symbol)
    return sorted(found)


def parse_quantity(text: str) -> tuple[float, str]:
    """:func:`~.unit_text.split_quantity`, with the unit text checked by :func:`parse_unit`."""
    if not isinstance(text, str):
        raise InputTypeError(f"a quantity must be a string, not {type(text).__name__}", value=text)
    magnitude, unit_text = split_quantity(text)
    parse_unit(unit_text)
    return magnitude, unit_text


def time_dimension() -> Any:
    """The dimensionality of time (``[time]``), from the library's registry (computed once)."""
    return _time_dimension(id(get_registry()))


@functools.lru_cache(maxsize=4)
def _time_dimension(_registry_id: int) -> Any:
    return get_registry().Unit("second").dimensionality


def dimension_of(unit: PintUnit) -> Any:
    """The dimensionality of a unit (a hashable pint ``UnitsContainer``)."""
    return unit.dimensionality


def unit_factor(source: PintUnit, target: PintUnit) -> float:
    """The plain float ``k`` such that ``1 source == k target``; dimensions must match."""
    reg = get_registry()
    try:
        value = float(reg.Quantity(1.0, source).to(target).magnitude)
    except _pint().errors.DimensionalityError:
        raise UnitError(
            f"cannot express {format_unit(source)} ({source.dimensionality}) in "
            f"{format_unit(target)} "
            f"({target.dimensionality})",
            unit=str(target),
        ) from None
    if not math.isfinite(value):
        raise UnitError(f"converting {source} to {target} does not give a finite number")
    return value


def forget_units(names: Iterable[str]) -> None:
    """Take back units added by :func:`define_unit` (a failed load leaves nothing behind).

    pint has no public way to remove a unit; this undoes what ``define`` added (names, symbol,
    aliases, a new base dimension, root-group membership) and rebuilds pint's caches.
    """
    reg = get_registry()
    with _lock:
        removed = False
        for name in names:
            if name not in _defined_by_packs or name not in reg._units:
                continue
            definition = reg._units[name]
            keys = {definition.name, *getattr(definition, "aliases", ())}
            if getattr(definition, "has_symbol", False):
                keys.add(definition.symbol)
            for key in keys:
                reg._units.pop(key, None)
                reg._units_casei.get(key.lower(), set()).discard(key)
            if definition.is_base:
                if definition.name in reg._base_units:
                    reg._base_units.remove(definition.name)
                for dim in list(definition.reference):
                    reg._dimensions.pop(dim, None)
            root = reg._groups.get("root")
            if root is not None:
                root._unit_names.discard(definition.name)
                root.invalidate_members()
            del _defined_by_packs[name]
            _owners.pop(name, None)
            removed = True
        if removed:
            _rebuild_cache(reg)
            parse_unit.cache_clear()
            _unit_names.cache_clear()


def pack_units() -> frozenset[str]:
    """Every unit name (and alias) packs have added to the library's registry."""
    with _lock:
        names = set(_defined_by_packs)
        for _definition, aliases in _defined_by_packs.values():
            names.update(aliases)
    return frozenset(names)


def unit_roots(text: str) -> frozenset[str]:
    """The unit names ``text`` is made of, prefixes taken off (``"kblip/month"``: blip, month).

    A leading number (``per="28 day"``) is ignored.
    """
    reg = get_registry()
    unit = parse_unit(re.sub(r"^\s*[-+]?[\d.]+(?:[eE][-+]?\d+)?\s*", "", text) or "dimensionless")
    names: set[str] = set()
    for name in unit._units:
        names.add(name)
        for _prefix, base, _suffix in reg.parse_unit_name(name):
            names.add(base)
    return frozenset(names)


def _rebuild_cache(reg: Registry) -> None:
    """pint's ``_build_cache``, again if another thread grew the unit table meanwhile.

    Reading a prefixed unit (``MWh``) for the first time adds it to pint's unit table without a
    lock, so walking that table can meet "dictionary changed size during iteration".
    """
    for attempt in range(20):
        try:
            reg._build_cache()
            return
        except RuntimeError:
            if attempt == 19:
                raise


_DIMENSION = re.compile(r"^\[[A-Za-z_][A-Za-z0-9_]*\]$")


def _check_definition(definition: str) -> str | None:
    """pint checks a definition only when the unit is first used; check it up front."""
    text = definition.strip()
    if text.startswith("["):
        return None if _DIMENSION.match(text) else f"{text!r} is not a dimension like '[ticket]'"
    try:
        value = get_registry().parse_expression(checked_text(text))
    except UnitError as exc:
        return str(exc)
    except _pint().errors.UndefinedUnitError as exc:
        return f"unknown unit in {text!r}: {exc}"
    except Exception as exc:
        return f"cannot read {text!r}: {exc}"
    if isinstance(value, _pint().Quantity):
        if not _is_multiplicative(value.units):
            return f"{text!r} has an offset unit; use multiplicative units"
        magnitude = value.magnitude
    else:
        magnitude = value
    if not isinstance(magnitude, int | float) or not math.isfinite(magnitude) or magnitude <= 0:
        return f"{text!r} must be a positive, finite multiple of known units"
    return None


def define_unit(
    name: str, definition: str, aliases: tuple[str, ...] = (), *, owner: str = ""
) -> str | None:
    """Add ``name = definition`` to the registry; return an error message instead of raising.

    Defining a unit that exists with the same meaning is a no-op; any other redefinition is
    refused (the message names the existing meaning and who defined it: the ``owner`` text
    given when a pack added it, or the library's built-in units).
    """
    reg = get_registry()
    with _lock:
        if _defined_by_packs.get(name) == (definition, aliases):
            return None  # the same pack (or an identical one) loaded again
        if name in reg:
            existing = reg.Quantity(1, name)
            try:
                wanted: Any = (
                    reg.Quantity(checked_text(definition))
                    if not definition.startswith("[")
                    else None
                )
                same = (
                    wanted is not None
                    and existing.dimensionality == wanted.dimensionality
                    and math.isclose((existing / wanted).to("").magnitude, 1.0, rel_tol=1e-12)
                )
            except Exception as exc:  # a zero definition divides by zero; pint errors vary
                return f"cannot read the definition {definition!r}: {exc}"
            if same:
                return None
            return (
                f"unit {name!r} is already defined as {existing.to_base_units():~} "
                f"({_defined_by(reg.get_name(name))}); a pack may add units but never "
                "redefine one"
            )
        clash = [a for a in aliases if a in reg]
        if clash:
            return (
                f"alias {clash[0]!r} of unit {name!r} is already a unit name "
                f"({_defined_by(reg.get_name(clash[0]))})"
            )
        if definition.strip() in reg._dimensions:
            return (
                f"cannot define unit {name!r} as {definition.strip()!r}: that dimension already "
                f"exists ({_dimension_owner(definition.strip())}); '[...]' starts a new "
                "dimension, so give it a new name, or define the unit from an existing unit "
                "(as in '12 kg')"
            )
        problem = _check_definition(definition)
        if problem:
            return f"cannot define unit {name!r}: {problem}"
        line = " = ".join((name, definition, *aliases))
        try:
            reg.define(line)
        except Exception as exc:
            return f"cannot define unit {name!r} from {definition!r}: {exc}"
        _defined_by_packs[name] = (definition, aliases)
        if owner:
            _owners[name] = owner
        parse_unit.cache_clear()
        _unit_names.cache_clear()
    return None


def _dimension_owner(dimension: str) -> str:
    for unit, (definition, _aliases) in _defined_by_packs.items():
        if definition.strip() == dimension:
            return f"the dimension of unit {unit!r}, {_defined_by(unit)}"
    return "a built-in dimension of equivmetrics' registry"


def _defined_by(name: str) -> str:
    owner = _owners.get(name)
    if owner:
        return f"defined by {owner}"
    if name in _defined_by_packs:
        return "defined by a pack loaded earlier in this process"
    return "a built-in unit of equivmetrics' registry: pint's units and the library's own"
