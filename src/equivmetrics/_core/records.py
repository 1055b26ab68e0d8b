"""Records built by hand: a field of the wrong type named, instead of a foreign error later.

The library's records (``Result``, ``Equivalent``, ``Step``, ``Source``, ...) are attrs
classes that callers may also build themselves. Checking every field on every construction
would slow the conversions that make them by the million, so the check runs where a record is
*used* from outside: :func:`check_fields` before rendering, and :func:`explained` when
turning a record into data or text failed with a Python error (``TypeError``,
``AttributeError``, ...) — it names the field that is not what its annotation says, as an
:class:`~equivmetrics.InputTypeError`. A record whose fields are all right gets the original
error back (a bug to report, not a caller's mistake).
"""

from __future__ import annotations

import functools
import numbers
import sys
import typing
import weakref
from typing import Any

import attrs

from equivmetrics.exceptions import EquivMetricsError, InputTypeError

from .memo import ByIdentity
from .quantity import is_number

__all__ = ["FOREIGN", "check_fields", "explained", "vouch"]

#: The Python errors a record of the wrong field types makes its methods raise.
FOREIGN = (
    TypeError,
    ValueError,
    AttributeError,
    KeyError,
    IndexError,
    OverflowError,
    RecursionError,
)
#: Fields annotated ``Any`` that hold magnitudes: a number or a numeric array.
_MAGNITUDES = frozenset({"magnitude", "input_magnitude"})
_DEPTH = 8


def explained(record: Any, error: BaseException) -> BaseException:
    """The error to raise for ``error`` raised while using ``record``: the field at fault as
    an :class:`InputTypeError`, else ``error`` itself."""
    if isinstance(error, EquivMetricsError):
        return error
    try:
        check_fields(record)
    except InputTypeError as found:
        return found
    return error


def check_fields(record: Any, *, depth: int = 0) -> None:
    """Raise :class:`InputTypeError` for the first field of ``record`` (an attrs instance, and
    the records inside it) whose value is not what its annotation says.

    A frozen record inside another is checked once: its fields cannot change, and the same
    steps and sources stand behind every result of a conversion.
    """
    if not depth and _BUILT.get(id(record)) is record:
        return  # made by the library itself (vouch): its fields are what they say
    cls = type(record)
    if not attrs.has(cls) or depth > _DEPTH:
        return
    if depth and getattr(cls.__setattr__, "__name__", "") == "_frozen_setattrs":
        _CHECKED.get((record,), lambda: _check(record, cls, depth))
        return
    _check(record, cls, depth)


_R = typing.TypeVar("_R")
#: Records the library built itself (:func:`vouch`), by identity, held weakly.
_BUILT: weakref.WeakValueDictionary[int, Any] = weakref.WeakValueDictionary()


def vouch(record: _R) -> _R:
    """``record``, marked as built by the library (so :func:`check_fields` passes it without
    reading its fields); a copy made with ``attrs.evolve`` is a new record, checked again."""
    _BUILT[id(record)] = record
    return record


#: Frozen records found to have their fields' types, and tuples checked against an item type
#: (True or False), by identity.
_CHECKED: ByIdentity[bool] = ByIdentity()
_TUPLES: ByIdentity[bool] = ByIdentity()


def _check(record: Any, cls: type, depth: int) -> bool:
    # the names its annotations use, where they were written (a public class says it is from
    # ``equivmetrics``; the __init__ attrs made for it still names its own module)
    home = getattr(vars(cls).get("__init__"), "__module__", None) or cls.__module__
    space = vars(sys.modules.get(home) or sys.modules[cls.__module__])
    for field in attrs.fields(cls):
        if not field.init:  # worked out by the record itself
            continue
        value = getattr(record, field.name)
        wanted = str(field.type)
        if field.name in _MAGNITUDES and wanted == "Any":
            fits = _is_magnitude(value)
        else:
            fits = _fits(value, wanted, space, depth)
        if not fits:
            shown = repr(value)[:40]
            raise InputTypeError(  # the name it is given by (``steps=`` for ``_steps``)
                f"{cls.__name__}.{field.alias} must be {wanted}, not {type(value).__name__} "
                f"{shown}; a {cls.__name__} built by hand needs the field types it declares",
                value=value,
            )
    _same_shape(record)
    return True


def _is_magnitude(value: Any) -> bool:
    if hasattr(value, "mask") and hasattr(value, "filled"):  # masked: fill it (NaN) first
        return False
    kind = getattr(getattr(value, "dtype", None), "kind", None)
    if kind is not None:
        return kind in ("i", "u", "f")
    return is_number(value) and (not isinstance(value, numbers.Integral) or _fits_double(value))


def _same_shape(record: Any) -> None:
    """A result's input and output are both numbers, or both arrays."""
    found = [getattr(record, name, None) for name in sorted(_MAGNITUDES)]
    if all(v is not None for v in found) and len({getattr(v, "ndim", 0) == 0 for v in found}) > 1:
        name = type(record).__name__
        raise InputTypeError(
            f"{name}.magnitude and {name}.input_magnitude must both be numbers or both arrays",
            value=record,
        )


def _fits(value: Any, wanted: str, space: dict[str, Any], depth: int) -> bool:
    """Whether ``value`` fits the annotation text ``wanted`` (read in ``space``)."""
    options = _options(wanted)
    return any(_fits_one(value, option, space, depth) for option in options)


@functools.lru_cache(maxsize=256)
def _options(wanted: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in _split_union(wanted))


def _fits_double(value: Any) -> bool:
    try:
        float(value)
    except OverflowError:
        return False
    return True


@functools.lru_cache(maxsize=256)
def _split_union(text: str) -> list[str]:
    parts, level, start = [], 0, 0
    for i, char in enumerate(text):
        level += (char == "[") - (char == "]")
        if char == "|" and level == 0:
            parts.append(text[start:i])
            start = i + 1
    return [*parts, text[start:]]


def _fits_one(value: Any, wanted: str, space: dict[str, Any], depth: int) -> bool:
    if wanted in ("Any", "object"):
        return True
    if wanted == "None":
        return value is None
    if wanted == "str":
        return isinstance(value, str)
    if wanted == "float":  # a number a double can hold
        return is_number(value) and (not isinstance(value, numbers.Integral) or _fits_double(value))
    if wanted == "bool":
        return isinstance(value, bool)
    if wanted == "int":
        return isinstance(value, numbers.Integral) and not isinstance(value, bool)
    if wanted.startswith("tuple[") and wanted.endswith(", ...]"):
        inner = wanted[len("tuple[") : -len(", ...]")]
        if not isinstance(value, tuple):
            return False
        # a tuple is immutable: one that fits is remembered (a conversion's steps, sources)
        return _TUPLES.get(
            (value,), lambda: all(_fits(v, inner, space, depth) for v in value), (inner, id(space))
        )
    if wanted.startswith("tuple[") and wanted.endswith("]"):  # tuple[str, str]
        items = [part.strip() for part in wanted[len("tuple[") : -1].split(",")]
        return (
            isinstance(value, tuple)
            and len(value) == len(items)
            and all(_fits(v, item, space, depth) for v, item in zip(value, items, strict=True))
        )
    return _fits_named(value, wanted, space, depth)


def _fits_named(value: Any, wanted: str, space: dict[str, Any], depth: int) -> bool:
    """A class or an alias named in the record's module (``Source``, ``dt.date``); a generic
    class with its parameters (``StepsLater[Step]``) is checked as the class."""
    wanted = wanted.split("[", 1)[0]
    target: Any = space.get(wanted.split(".", maxsplit=1)[0])
    for part in wanted.split(".")[1:]:
        target = getattr(target, part, None)
    if isinstance(target, type):
        if not isinstance(value, target):
            return False
        check_fields(value, depth=depth + 1)
        return True
    literal = typing.get_args(target) if typing.get_origin(target) is typing.Literal else ()
    if literal:
        return value in literal
    # a name the module imports only for type checking: a record's class name must match;
    # anything else cannot be told from an alias here
    if not attrs.has(type(value)):
        return True
    if not any(k.__name__ == wanted.rsplit(".", 1)[-1] for k in type(value).__mro__):
        return False
    check_fields(value, depth=depth + 1)
    return True
